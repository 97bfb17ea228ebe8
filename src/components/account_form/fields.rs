//! The account form's fields. Each says why it is invalid once it has
//! been touched, in an error line its input names for screen readers.

use super::state::FormState;
use crate::i18n::{tr, use_fill, use_lang};
use druo_core::dto::AccountSubtype;
use druo_core::dto::InstitutionKind;
use druo_core::form::Field;
use druo_core::i18n::{number_hint, problem_text, Msg};
use leptos::prelude::*;
use wasm_bindgen::JsCast;

/// The field's error line, announced politely when it appears.
#[component]
pub fn FieldError(form: FormState, field: Field, id: &'static str) -> impl IntoView {
    let lang = use_lang();
    view! {
        <p class="field-error" id=id aria-live="polite">
            {move || {
                form.shown_problem(field)
                    .map(|p| form.institution.with(|i| problem_text(field, p, i.as_ref(), lang.get())))
            }}
        </p>
    }
}

/// The account subtypes the chosen institution offers, as radio buttons.
#[component]
pub fn SubtypeField(form: FormState) -> impl IntoView {
    let subtypes = move || {
        form.institution
            .get()
            .map(|i| i.subtypes)
            .unwrap_or_default()
    };
    let choice = move |s: AccountSubtype| {
        let label = match s {
            AccountSubtype::Savings => Msg::SubtypeSavings,
            AccountSubtype::Checking => Msg::SubtypeChecking,
        };
        view! {
            <label class="choice">
                <input
                    type="radio"
                    // One group per form (the studio's two forms are two).
                    name="subtype"
                    value=s.code()
                    // In the served HTML too (a property is not), so a
                    // reloaded form's first paint shows the type kept.
                    checked=form.subtype.get_untracked() == Some(s)
                    prop:checked=move || form.subtype.get() == Some(s)
                    on:change=move |_| {
                        form.subtype.set(Some(s));
                        form.changed(Field::Subtype);
                        form.touch(Field::Subtype);
                    }
                />
                <span>{tr(label)}</span>
            </label>
        }
    };
    // A wallet has no account type to choose.
    let wallet = move || form.kind() == InstitutionKind::Wallet;
    view! {
        <Show when=move || !wallet()>
            <fieldset class="subtypes" aria-describedby="subtype-error">
                <legend class="field-label">{tr(Msg::AccountTypeLabel)}</legend>
                {move || subtypes().into_iter().map(choice).collect_view()}
            </fieldset>
            <FieldError form field=Field::Subtype id="subtype-error"/>
        </Show>
    }
}

/// Only the digits of what was typed or pasted: spaces and dashes from a
/// pasted number go, and a letter typed is refused as it is typed.
fn digits_only(ev: &leptos::ev::Event) -> String {
    let raw = event_target_value(ev);
    let digits: String = raw.chars().filter(char::is_ascii_digit).collect();
    if digits != raw {
        if let Some(input) = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
        {
            input.set_value(&digits);
        }
    }
    digits
}

/// An account-number input: numeric keypad, digits only, no autocomplete
/// or spell check (the number must not be remembered by the browser), its
/// hint and its error tied to it for screen readers. A wallet's number is
/// its mobile number, with the wallet's words.
#[component]
pub fn DigitsField(
    form: FormState,
    field: Field,
    id: &'static str,
    /// The label for a bank; a wallet reads its twin (`Msg::for_kind`).
    label: Msg,
    /// Whether the institution's number hint (its digit counts and where
    /// to find the number) goes under the label.
    #[prop(optional)]
    hinted: bool,
    value: RwSignal<String>,
) -> impl IntoView {
    let lang = use_lang();
    // Focus asked for before the form was shown lands as it mounts, before
    // anything else can be typed.
    let node = NodeRef::<leptos::html::Input>::new();
    Effect::new(move |_| {
        if let (Some(input), true) = (node.get(), form.focus.get() == Some(field)) {
            form.focus.set(None);
            let _ = input.focus();
        }
    });
    let hint_id = format!("{id}-hint");
    let error_id: &'static str = if field == Field::Number {
        "account-number-error"
    } else {
        "account-confirm-error"
    };
    let described = if hinted {
        format!("{hint_id} {error_id}")
    } else {
        error_id.to_string()
    };
    let hint = move || {
        form.institution
            .with(|i| number_hint(i.as_ref(), lang.get()))
    };
    view! {
        <label for=id class="field-label">{move || label.for_kind(form.kind()).text(lang.get())}</label>
        {hinted.then(|| view! { <p id=hint_id.clone() class="hint">{hint}</p> })}
        <input
            id=id
            node_ref=node
            class="text-input"
            type="text"
            inputmode="numeric"
            autocomplete="off"
            spellcheck="false"
            aria-describedby=described
            aria-invalid=move || form.shown_problem(field).is_some().to_string()
            name=if field == Field::Number { "number" } else { "confirm" }
            // In the served HTML too: a form the server sends back keeps
            // what was typed.
            value=value.get_untracked()
            prop:value=move || value.get()
            on:input=move |ev| {
                value.set(digits_only(&ev));
                form.changed(field);
            }
            on:blur=move |_| form.touch(field)
        />
        <FieldError form field id=error_id/>
    }
}

/// The legal authorization: a checkbox whose text names the merchant and
/// the chosen bank or wallet.
#[component]
pub fn AuthorizationField(form: FormState, merchant: String) -> impl IntoView {
    let fill = use_fill();
    let merchant = StoredValue::new(merchant);
    let bank = move || form.institution.get().map(|i| i.name).unwrap_or_default();
    view! {
        <label class="choice authorization">
            <input
                id="authorization"
                type="checkbox"
                name="authorization"
                value="yes"
                checked=form.authorized.get_untracked()
                aria-describedby="authorization-error"
                prop:checked=move || form.authorized.get()
                on:change=move |ev| {
                    form.authorized.set(event_target_checked(&ev));
                    form.changed(Field::Authorization);
                    form.touch(Field::Authorization);
                }
            />
            <span>
                {move || {
                    fill(Msg::AuthorizationText.for_kind(form.kind()), &[("merchant", &merchant.get_value()), ("bank", &bank())])
                }}
            </span>
        </label>
        <FieldError form field=Field::Authorization id="authorization-error"/>
    }
}
