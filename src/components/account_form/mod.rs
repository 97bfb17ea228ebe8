//! The account form, shared by the connect and checkout pages: type and
//! subtype limited to what the chosen institution offers, the account
//! number typed twice, and the legal authorization. Every rule comes from
//! `druo_core::form`; each invalid field says why once it has been touched.

mod fields;
mod state;

pub use state::FormState;

use crate::i18n::{tr, use_lang};
use druo_core::dto::ConnectSubmit;
use druo_core::form::Field;
use druo_core::i18n::Msg;
use fields::{AuthorizationField, DigitsField, FieldError, SubtypeField};
use leptos::prelude::*;

/// The account form. `on_submit` runs only when every field is valid;
/// `pending` disables the button and shows it busy.
#[component]
pub fn AccountForm(
    /// The form's state.
    form: FormState,
    /// The merchant, named in the authorization text.
    merchant: String,
    /// True while the submit is in flight.
    #[prop(into)]
    pending: Signal<bool>,
    /// A message to show above the button (e.g. a failed submit).
    #[prop(into)]
    notice: Signal<Option<Msg>>,
    /// Called with a valid submission.
    #[prop(into)]
    on_submit: Callback<ConnectSubmit>,
    /// Called when the user wants another institution.
    #[prop(into)]
    on_change_bank: Callback<()>,
) -> impl IntoView {
    let lang = use_lang();
    let bank_name = move || form.institution.get().map(|i| i.name).unwrap_or_default();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if pending.get_untracked() {
            return;
        }
        form.touch_all();
        if let Some(s) = form.submission() {
            on_submit.run(s);
        }
    };
    view! {
        <form class="account-form" novalidate on:submit=submit>
            <div class="chosen-bank">
                <span class="field-label">{tr(Msg::BankLabel)}</span>
                <strong class="bank-name">{bank_name}</strong>
                <button type="button" class="link-button" on:click=move |_| on_change_bank.run(())>
                    {tr(Msg::ChangeBank)}
                </button>
            </div>
            <FieldError form field=Field::Institution id="bank-error"/>
            <SubtypeField form/>
            <DigitsField
                form
                field=Field::Number
                id="account-number"
                label=Msg::AccountNumberLabel
                hint=Msg::AccountNumberHint
                value=form.number
            />
            <DigitsField form field=Field::Confirm id="account-confirm" label=Msg::ConfirmNumberLabel value=form.confirm/>
            <AuthorizationField form merchant/>
            <p class="notice" role="alert">{move || notice.get().map(|m| m.text(lang.get()))}</p>
            <button
                type="submit"
                class="primary"
                disabled=move || pending.get() || !form.problems().is_empty()
                aria-busy=move || pending.get().to_string()
            >
                {move || if pending.get() { tr(Msg::Submitting)() } else { tr(Msg::SubmitAccount)() }}
            </button>
        </form>
    }
}
