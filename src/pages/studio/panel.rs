//! The studio's panel: what to preview (kind, language, state), the
//! colours, the texts, and the JSON to create such a link. Every edit goes
//! through `set`, which writes the URL.

use crate::i18n::tr;
use druo_core::color::HexColor;
use druo_core::i18n::{preview_state_msg, Msg};
use druo_core::studio::{Kind, PreviewState, StudioState};
use druo_core::Lang;
use leptos::prelude::*;

/// Applies an edit to the studio's state (by moving the URL).
pub trait Edit: Fn(&dyn Fn(&mut StudioState)) + Copy + Send + Sync + 'static {}

impl<F: Fn(&dyn Fn(&mut StudioState)) + Copy + Send + Sync + 'static> Edit for F {}

/// The panel. `set` applies an edit to the state.
pub fn panel(state: Memo<StudioState>, set: impl Edit) -> impl IntoView {
    view! {
        <section class="studio-panel" aria-label=tr(Msg::StudioPanel)>
            <fieldset>
                <legend class="field-label">{tr(Msg::StudioKind)}</legend>
                {[(Kind::Connect, Msg::StudioConnect), (Kind::Checkout, Msg::StudioCheckout)].into_iter().map(|(k, m)| view! {
                    <label class="choice">
                        <input type="radio" name="kind" value=k.code()
                            prop:checked=move || state.with(|s| s.kind == k)
                            on:change=move |_| set(&|s| s.kind = k)/>
                        <span>{tr(m)}</span>
                    </label>
                }).collect_view()}
            </fieldset>
            <label class="field-label" for="studio-lang">{tr(Msg::LanguageLabel)}</label>
            <select id="studio-lang" class="text-input"
                on:change=move |ev| { let v = event_target_value(&ev); set(&|s| s.lang = Lang::parse(&v).unwrap_or_default()); }>
                {Lang::ALL.into_iter().map(|l| view! {
                    <option value=l.code() selected=move || state.with(|s| s.lang == l)>{Msg::LanguageName.text(l)}</option>
                }).collect_view()}
            </select>
            <label class="field-label" for="studio-state">{tr(Msg::StudioState)}</label>
            <select id="studio-state" class="text-input"
                on:change=move |ev| { let v = event_target_value(&ev); set(&|s| s.state = PreviewState::parse(&v).unwrap_or(PreviewState::Intro)); }>
                {PreviewState::ALL.into_iter().map(|p| view! {
                    <option value=p.code() selected=move || state.with(|s| s.state == p)>{tr(preview_state_msg(p))}</option>
                }).collect_view()}
            </select>
            <h2 class="subheading">{tr(Msg::StudioColors)}</h2>
            {move || color_fields(state, set)}
            <h2 class="subheading">{tr(Msg::StudioTexts)}</h2>
            {move || text_fields(state, set)}
            <p class="hint">{tr(Msg::StudioShareHint)}</p>
            {super::report::json(state)}
        </section>
    }
}

/// One field per colour slot of the kind: a picker and the text, which
/// says when it is not a colour (the frames then keep the default).
fn color_fields(state: Memo<StudioState>, set: impl Edit) -> impl IntoView {
    let kind = state.with(|s| s.kind);
    kind.slots()
        .iter()
        .map(|slot| {
            let field = slot.field;
            let text = move || state.with(|s| s.color(field));
            let invalid = move || {
                let t = text();
                !t.is_empty() && HexColor::parse(&t).is_none()
            };
            let picker_value = move || HexColor::parse(&text()).unwrap_or(slot.default).to_string();
            let id = format!("color-{field}");
            let err_id = format!("color-{field}-error");
            view! {
                <div class="studio-color">
                    <label for=id.clone()>{field}</label>
                    <div class="studio-color-inputs">
                        <input
                            type="color"
                            aria-label=field
                            prop:value=picker_value
                            on:input=move |ev| { let v = event_target_value(&ev); set(&|s| s.set_color(field, &v)); }
                        />
                        <input
                            id=id
                            type="text"
                            class="text-input"
                            placeholder=slot.default.to_string()
                            spellcheck="false"
                            aria-invalid=move || invalid().to_string()
                            aria-describedby=err_id.clone()
                            prop:value=text
                            on:input=move |ev| { let v = event_target_value(&ev); set(&|s| s.set_color(field, &v)); }
                        />
                    </div>
                    <p class="field-error" id=err_id aria-live="polite">
                        {move || invalid().then(|| tr(Msg::StudioInvalidHex)())}
                    </p>
                </div>
            }
        })
        .collect_view()
}

/// The kind's texts.
fn text_fields(state: Memo<StudioState>, set: impl Edit) -> impl IntoView {
    let field = move |label: Msg,
                      get: fn(&StudioState) -> String,
                      put: fn(&mut StudioState, String)| {
        view! {
            <label class="field-label">
                {tr(label)}
                <input
                    type="text"
                    class="text-input"
                    prop:value=move || state.with(get)
                    on:input=move |ev| { let v = event_target_value(&ev); set(&|s| put(s, v.clone())); }
                />
            </label>
        }
    };
    match state.with(|s| s.kind) {
        Kind::Connect => view! {
            {field(Msg::StudioIntroEn, |s| s.intro_en.clone(), |s, v| s.intro_en = v)}
            {field(Msg::StudioIntroEs, |s| s.intro_es.clone(), |s, v| s.intro_es = v)}
        }
        .into_any(),
        Kind::Checkout => view! {
            {field(Msg::StudioLinkName, |s| s.link_name.clone(), |s, v| s.link_name = v)}
            {field(Msg::StudioLinkDescription, |s| s.link_description.clone(), |s, v| s.link_description = v)}
            {field(Msg::AmountLabel, |s| s.amount.clone(), |s, v| s.amount = v)}
            {field(Msg::StudioTxDescription, |s| s.description.clone(), |s, v| s.description = v)}
            {field(Msg::StatementLabel, |s| s.statement_descriptor.clone(), |s, v| s.statement_descriptor = v)}
        }
        .into_any(),
    }
}
