//! The studio's panel: what to preview (kind, preview language, state),
//! the colours, the texts, and the JSON to create such a link. Every edit
//! goes through `set`, which writes the URL.

use super::edit::{slot_name, Edit};
use crate::i18n::{tr, use_fill, use_lang};
use druo_core::color::HexColor;
use druo_core::i18n::{preview_state_msg, Msg, StudioMsg, Text};
use druo_core::studio::{Kind, PreviewState, StudioState};
use druo_core::theme::Slot;
use druo_core::Lang;
use leptos::prelude::*;

/// The panel. `set` applies an edit to the state.
pub fn panel(state: Memo<StudioState>, set: impl Edit) -> impl IntoView {
    view! {
        <section class="studio-panel" aria-label=tr(StudioMsg::StudioPanel)>
            <fieldset>
                <legend class="field-label">{tr(StudioMsg::StudioKind)}</legend>
                {[(Kind::Connect, StudioMsg::StudioConnect), (Kind::Checkout, StudioMsg::StudioCheckout)].into_iter().map(|(k, m)| view! {
                    <label class="choice">
                        <input type="radio" name="kind" value=k.code()
                            prop:checked=move || state.with(|s| s.kind == k)
                            on:change=move |_| set(&|s| s.set_kind(k))/>
                        <span>{tr(m)}</span>
                    </label>
                }).collect_view()}
            </fieldset>
            <label class="field-label" for="studio-plang">{tr(StudioMsg::StudioPreviewLang)}</label>
            <select id="studio-plang" class="text-input"
                on:change=move |ev| { let v = event_target_value(&ev); set(&|s| s.set_plang(Lang::parse(&v).unwrap_or_default())); }>
                {Lang::ALL.into_iter().map(|l| view! {
                    <option value=l.code() lang=l.bcp47() selected=move || state.with(|s| s.plang == l)>{Msg::LanguageName.text(l)}</option>
                }).collect_view()}
            </select>
            <label class="field-label" for="studio-state">{tr(StudioMsg::StudioState)}</label>
            <select id="studio-state" class="text-input"
                on:change=move |ev| { let v = event_target_value(&ev); set(&|s| s.state = PreviewState::parse(&v).unwrap_or(PreviewState::Intro)); }>
                {move || {
                    let kind = state.with(|s| s.kind);
                    kind.states().map(|p| view! {
                        <option value=p.code() selected=move || state.with(|s| s.state == p)>{tr(preview_state_msg(kind, p))}</option>
                    }).collect_view()
                }}
            </select>
            <h2 class="subheading">{tr(StudioMsg::StudioColors)}</h2>
            {move || state.with(|s| s.kind).slots().iter().map(|slot| color_field(state, set, slot)).collect_view()}
            <h2 class="subheading">{tr(StudioMsg::StudioTexts)}</h2>
            {move || text_fields(state, set)}
            <p class="hint">{tr(StudioMsg::StudioShareHint)}</p>
            {super::report::json(state)}
            {super::import::import(state, set)}
        </section>
    }
}

/// One colour slot: its name (and API field, which designers copy into
/// JSON), a picker and the text. The text shows the effective value: the
/// default, tagged as such, until the designer changes it; "Reset to
/// default" takes a change back. A text that is not a colour is flagged
/// (the frames then keep the default).
fn color_field(state: Memo<StudioState>, set: impl Edit, slot: &'static Slot) -> impl IntoView {
    let lang = use_lang();
    let fill = use_fill();
    let field = slot.field;
    let default = slot.default.to_string();
    let text = move || state.with(|s| s.color(field));
    let custom = move || !text().is_empty();
    let invalid = move || {
        let t = text();
        !t.is_empty() && HexColor::parse(&t).is_none()
    };
    let shown = {
        let default = default.clone();
        move || {
            Some(text())
                .filter(|t| !t.is_empty())
                .unwrap_or_else(|| default.clone())
        }
    };
    let picker_value = move || HexColor::parse(&text()).unwrap_or(slot.default).to_string();
    let (id, err_id) = (format!("color-{field}"), format!("color-{field}-error"));
    // While the text is being retyped an empty field changes nothing (it
    // would snap back to the default under the cursor); leaving it empty
    // is the reset.
    let on_input = move |ev: leptos::ev::Event| {
        let v = event_target_value(&ev);
        if !v.trim().is_empty() {
            set(&|s| s.set_color(field, &v));
        }
    };
    let on_change = move |ev: leptos::ev::Event| {
        if event_target_value(&ev).trim().is_empty() {
            set(&|s| s.set_color(field, ""));
            event_target::<web_sys::HtmlInputElement>(&ev).set_value(&default);
        }
    };
    view! {
        <div class="studio-color">
            <div class="studio-color-head">
                <label class="studio-color-name" for=id.clone()>{move || slot_name(field, lang.get())}</label>
                {move || if custom() {
                    view! {
                        <button type="button" class="link-button studio-reset" on:click=move |_| set(&|s| s.set_color(field, ""))>
                            {tr(StudioMsg::StudioReset)}
                        </button>
                    }.into_any()
                } else {
                    view! { <span class="studio-default-tag">{tr(StudioMsg::StudioDefault)}</span> }.into_any()
                }}
            </div>
            <code class="studio-field">{field}</code>
            <div class="studio-color-inputs">
                <input
                    type="color"
                    aria-label=move || fill(StudioMsg::StudioPick, &[("name", slot_name(field, lang.get()))])
                    prop:value=picker_value
                    on:input=move |ev| { let v = event_target_value(&ev); set(&|s| s.set_color(field, &v)); }
                />
                <input
                    id=id
                    type="text"
                    class="text-input"
                    spellcheck="false"
                    autocomplete="off"
                    aria-invalid=move || invalid().to_string()
                    aria-describedby=err_id.clone()
                    prop:value=shown
                    on:input=on_input
                    on:change=on_change
                />
            </div>
            <p class="field-error" id=err_id aria-live="polite">
                {move || invalid().then(|| tr(StudioMsg::StudioInvalidHex)())}
            </p>
        </div>
    }
}

/// One of the kind's texts, labelled from either catalog: a line, or a
/// box of `rows` lines for a sentence or two (the intro texts, shown whole).
fn text_field<M: Text>(
    state: Memo<StudioState>,
    set: impl Edit,
    (label, rows): (M, u8),
    get: fn(&StudioState) -> String,
    put: fn(&mut StudioState, String),
) -> impl IntoView {
    let value = move || state.with(get);
    let on_input = move |ev: leptos::ev::Event| {
        let v = event_target_value(&ev);
        set(&|s| put(s, v.clone()));
    };
    let input = if rows > 1 {
        view! { <textarea class="text-input" rows=rows prop:value=value on:input=on_input></textarea> }.into_any()
    } else {
        view! { <input type="text" class="text-input" prop:value=value on:input=on_input/> }
            .into_any()
    };
    view! {
        <label class="field-label">
            {tr(label)}
            {input}
        </label>
    }
}

/// The kind's texts.
fn text_fields(state: Memo<StudioState>, set: impl Edit) -> impl IntoView {
    match state.with(|s| s.kind) {
        Kind::Connect => view! {
            {text_field(state, set, (StudioMsg::StudioIntroEn, 3), |s| s.intro_en.clone(), |s, v| s.intro_en = v)}
            {text_field(state, set, (StudioMsg::StudioIntroEs, 3), |s| s.intro_es.clone(), |s, v| s.intro_es = v)}
        }
        .into_any(),
        Kind::Checkout => view! {
            {text_field(state, set, (StudioMsg::StudioLinkName, 1), |s| s.link_name.clone(), |s, v| s.link_name = v)}
            {text_field(state, set, (StudioMsg::StudioLinkDescription, 1), |s| s.link_description.clone(), |s, v| s.link_description = v)}
            {text_field(state, set, (StudioMsg::StudioAmount, 1), |s| s.amount.clone(), |s, v| s.amount = v)}
            {text_field(state, set, (StudioMsg::StudioTxDescription, 1), |s| s.description.clone(), |s, v| s.description = v)}
            {text_field(state, set, (StudioMsg::StudioStatement, 1), |s| s.statement_descriptor.clone(), |s, v| s.statement_descriptor = v)}
        }
        .into_any(),
    }
}
