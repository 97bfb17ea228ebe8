//! What the studio reports about the theme: the contrast checks the live
//! page acts on, and the JSON that creates a link with it.

use crate::i18n::{tr, use_fill};
use druo_core::i18n::Msg;
use druo_core::route::merchant_path;
use druo_core::studio::{Kind, StudioState};
use druo_core::theme::Resolved;
use leptos::prelude::*;

/// The contrast report: each pair the theme engine checks, its ratio, the
/// minimum, and what the live page uses instead when it fails.
pub fn contrast(resolved: Memo<Resolved>) -> impl IntoView {
    let fill = use_fill();
    view! {
        <table class="contrast">
            <tbody>
                {move || resolved.get().checks.into_iter().map(|c| view! {
                    <tr class:fail=!c.passes>
                        <td>{format!("{} / {}", c.fg, c.bg)}</td>
                        <td>{format!("{:.2}:1", c.ratio)}</td>
                        <td>{format!("≥ {}:1", c.min)}</td>
                        <td>{tr(if c.passes { Msg::StudioPass } else { Msg::StudioFail })}</td>
                        <td>{c.adjusted.map(|(var, color)| move || fill(Msg::StudioAdjusted, &[("var", var), ("color", &color.to_string())]))}</td>
                    </tr>
                }).collect_view()}
            </tbody>
        </table>
    }
}

/// The create request's fields as JSON (only what is valid), and a
/// button to copy them.
pub fn json(state: Memo<StudioState>) -> impl IntoView {
    let fill = use_fill();
    let json = Memo::new(move |_| {
        state.with(|s| serde_json::to_string_pretty(&s.request_body()).unwrap_or_default())
    });
    let copied = RwSignal::new(false);
    let copy = move |_| {
        let _ = window()
            .navigator()
            .clipboard()
            .write_text(&json.get_untracked());
        copied.set(true);
    };
    let endpoint = move || match state.with(|s| s.kind) {
        Kind::Connect => ["POST ", merchant_path::CONNECT_LINK_CREATE].concat(),
        Kind::Checkout => ["POST ", merchant_path::CHECKOUT_LINK_CREATE].concat(),
    };
    view! {
        <h2 class="subheading">"JSON"</h2>
        <p class="hint">{move || fill(Msg::StudioJsonHint, &[("endpoint", &endpoint())])}</p>
        <pre id="studio-json" class="studio-json">{move || json.get()}</pre>
        <button class="primary" on:click=copy>
            {move || if copied.get() { tr(Msg::StudioCopied)() } else { tr(Msg::StudioCopyJson)() }}
        </button>
    }
}
