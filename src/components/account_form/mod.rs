//! The account form, shared by the connect and checkout pages: type and
//! subtype limited to what the chosen institution offers, the account
//! number typed twice, and the legal authorization. Every rule comes from
//! `druo_core::form`; each invalid field says why once it has been touched.

mod fields;
mod state;

pub use state::FormState;

use crate::components::account_step::AccountStep;
use crate::components::dom::focus_first;
use crate::components::link_flow::Place;
use crate::components::move_link::MoveLink;
use crate::components::slow::SlowNotice;
use crate::i18n::{tr, use_lang};
use crate::posted::{posted, Posted};
use druo_core::dto::{AccountHolder, ConnectSubmit};
use druo_core::form::Field;
use druo_core::i18n::{holder_line, Msg};
use fields::{AuthorizationField, DigitsField, FieldError, SubtypeField};
use leptos::prelude::*;

/// The account form. Its button is always pressable: with every field
/// valid it runs `on_submit`; with something missing it marks each
/// problem, says so, and moves focus to the first one. `pending` shows it
/// busy (a press then does nothing), with progress after two seconds.
#[component]
pub fn AccountForm(
    /// The form's state.
    form: FormState,
    /// The merchant, named in the authorization text.
    merchant: String,
    /// Whose account is expected, masked, when the merchant said.
    holder: Option<AccountHolder>,
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
    // A form posted without the app and refused by its own rules comes
    // back with the summary, as a press of the button shows it.
    let incomplete = RwSignal::new(matches!(posted(), Some(Posted::Account(_, None))));
    let bank_href = Place {
        step: Some(AccountStep::Bank),
        ..Place::default()
    }
    .href();
    let chosen_uuid = move || {
        form.institution
            .with(|i| i.as_ref().map(|i| i.uuid.clone()).unwrap_or_default())
    };
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if pending.get_untracked() {
            return;
        }
        form.touch_all();
        match form.first_problem() {
            None => {
                incomplete.set(false);
                if let Some(s) = form.submission() {
                    on_submit.run(s);
                }
            }
            Some(field) => {
                incomplete.set(true);
                focus_first(field_selector(field));
            }
        }
    };
    // Once everything is fixed, the summary goes.
    Effect::new(move |_| {
        if form.problems().is_empty() {
            incomplete.set(false);
        }
    });
    view! {
        // Posted to the page itself when the app is not live (link-server
        // answers it: docs/architecture.md, "Pages without the app").
        <form class="account-form" method="post" novalidate on:submit=submit>
            <input type="hidden" name="form" value="account"/>
            <input type="hidden" name="key" value=crate::posted::form_key()/>
            <input type="hidden" name="institution" value=chosen_uuid/>
            <div class="chosen-bank">
                <span class="field-label">{move || Msg::BankLabel.for_kind(form.kind()).text(lang.get())}</span>
                <strong class="bank-name">{bank_name}</strong>
                <MoveLink href=bank_href id="change-bank" class="link-button" on_move=on_change_bank>
                    {tr(Msg::ChangeBank)}
                </MoveLink>
            </div>
            {holder.map(|h| view! { <p class="holder">{move || holder_line(&h, form.kind(), lang.get())}</p> })}
            <FieldError form field=Field::Institution id="bank-error"/>
            <SubtypeField form/>
            <DigitsField
                form
                field=Field::Number
                id="account-number"
                label=Msg::AccountNumberLabel
                hinted=true
                value=form.number
            />
            <DigitsField
                form
                field=Field::Confirm
                id="account-confirm"
                label=Msg::ConfirmNumberLabel
                value=form.confirm
            />
            <AuthorizationField form merchant/>
            <p class="notice" role="alert">
                {move || incomplete.get().then(|| Msg::FormIncomplete.text(lang.get()))}
                {move || notice.get().map(|m| m.text(lang.get()))}
            </p>
            <button type="submit" class="primary" aria-busy=move || pending.get().to_string()>
                {move || if pending.get() { Msg::Submitting } else { Msg::SubmitAccount.for_kind(form.kind()) }.text(lang.get())}
            </button>
            <SlowNotice pending/>
        </form>
    }
}

/// Where focus goes for a field's problem.
fn field_selector(field: Field) -> &'static str {
    match field {
        Field::Institution => "#change-bank",
        Field::Subtype => ".subtypes input",
        Field::Number => "#account-number",
        Field::Confirm => "#account-confirm",
        Field::Authorization => "#authorization",
    }
}
