//! What the studio reports about the theme: the contrast checks the live
//! page acts on, and the JSON that creates a link with it.

use super::edit::{slot_name, Edit};
use crate::i18n::{tr, use_fill, use_lang};
use druo_core::color::HexColor;
use druo_core::i18n::StudioMsg;
use druo_core::route::merchant_path;
use druo_core::studio::{Kind, StudioState};
use druo_core::theme::{Check, Remedy, Resolved};
use leptos::prelude::*;

/// The contrast report: each pair the theme engine checks, by the
/// colours' names, its ratio, the minimum, and in a designer's words what
/// the live page does when it fails, with a one-click "Use" for a shade.
/// In its own box, which scrolls sideways if it must, so ratios never wrap.
pub fn contrast(resolved: Memo<Resolved>, set: impl Edit) -> impl IntoView {
    let lang = use_lang();
    let fill = use_fill();
    let names = move |c: &Check| {
        let l = lang.get();
        fill(
            StudioMsg::StudioOn,
            &[
                ("fg", slot_name(c.pair.fg, l)),
                ("bg", &in_sentence(slot_name(c.pair.bg, l))),
            ],
        )
    };
    view! {
        // Focusable: a box that may scroll sideways must be reachable by
        // keyboard (axe: scrollable-region-focusable).
        <div class="contrast-box" tabindex="0">
            <table class="contrast">
                <thead><tr>
                    <th scope="col">{tr(StudioMsg::StudioColPair)}</th>
                    <th scope="col">{tr(StudioMsg::StudioColRatio)}</th>
                    <th scope="col">{tr(StudioMsg::StudioColMin)}</th>
                    <th scope="col">{tr(StudioMsg::StudioColResult)}</th>
                </tr></thead>
                <tbody>
                    // What the page does gets a full-width row of its own
                    // under a failing pair: room for a sentence and its
                    // button, even on a phone.
                    {move || resolved.get().checks.into_iter().map(|c| view! {
                        <tr class:fail=!c.passes>
                            <td>{names(&c)}</td>
                            <td class="nowrap">{format!("{:.2}:1", c.ratio)}</td>
                            <td class="nowrap">{format!("≥ {}:1", c.pair.min)}</td>
                            <td class="nowrap">{tr(if c.passes { StudioMsg::StudioPass } else { StudioMsg::StudioFail })}</td>
                        </tr>
                        {remedy(&c, set).map(|r| view! { <tr class="studio-fix-row"><td colspan="4">{r}</td></tr> })}
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}

/// A slot's name inside a sentence ("Card text on card background"): its
/// first letter lower case, in either language.
fn in_sentence(name: &str) -> String {
    let mut chars = name.chars();
    chars
        .next()
        .map(|c| c.to_lowercase().chain(chars).collect())
        .unwrap_or_default()
}

/// What the live page does about a failing pair, and for a shade of the
/// brand colour a button that writes it into the colour's field.
fn remedy(c: &Check, set: impl Edit) -> Option<impl IntoView> {
    let lang = use_lang();
    let fill = use_fill();
    let (fg, bg, given) = (c.pair.fg, c.pair.bg, c.given);
    let remedy = c.remedy?;
    let says = move |msg: StudioMsg, color: HexColor| {
        fill(
            msg,
            &[
                ("bg", slot_name(bg, lang.get())),
                ("color", &color.to_string()),
            ],
        )
    };
    Some(match remedy {
        Remedy::Readable(to) => {
            let msg = if to == HexColor::BLACK {
                StudioMsg::StudioFixBlack
            } else {
                StudioMsg::StudioFixWhite
            };
            view! { <p class="studio-fix">{tr(msg)}</p> }.into_any()
        }
        Remedy::Shade(shade) => {
            let darker = shade.relative_luminance() < given.relative_luminance();
            let msg = if darker {
                StudioMsg::StudioFixDarker
            } else {
                StudioMsg::StudioFixLighter
            };
            let hex = shade.to_string();
            view! {
                <p class="studio-fix">
                    <span class="studio-swatch" style:background-color=hex.clone()></span>
                    {move || says(msg, shade)}
                </p>
                <button type="button" class="secondary studio-use" on:click=move |_| set(&|s| s.set_color(fg, &hex))>
                    {move || fill(StudioMsg::StudioUseColor, &[("color", &shade.to_string())])}
                </button>
            }
            .into_any()
        }
        Remedy::Outline(color) => {
            let word = if color == HexColor::BLACK {
                StudioMsg::StudioBlack
            } else {
                StudioMsg::StudioWhite
            };
            let says = move || {
                let l = lang.get();
                fill(
                    StudioMsg::StudioFixOutline,
                    &[("bg", slot_name(bg, l)), ("color", word.text(l))],
                )
            };
            view! { <p class="studio-fix">{says}</p> }.into_any()
        }
    })
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
        <p class="hint">{move || fill(StudioMsg::StudioJsonHint, &[("endpoint", &endpoint())])}</p>
        <pre id="studio-json" class="studio-json">{move || json.get()}</pre>
        <button class="primary" on:click=copy>
            {move || if copied.get() { tr(StudioMsg::StudioCopied)() } else { tr(StudioMsg::StudioCopyJson)() }}
        </button>
    }
}
