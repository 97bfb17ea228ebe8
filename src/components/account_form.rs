//! The account form, shared by the connect and checkout pages: type and
//! subtype limited to what the chosen institution offers, the account
//! number typed twice, and the legal authorization. Every rule comes from
//! `druo_core::form`; each invalid field says why once it has been touched.

use crate::i18n::{tr, use_lang};
use druo_core::dto::{AccountSubtype, ConnectSubmit, Institution};
use druo_core::form::{problem_of, validate, AccountForm as Form, Field, Problem};
use druo_core::i18n::{fill, problem_msg, Msg};
use leptos::prelude::*;
use std::collections::HashSet;

/// Everything the user typed or chose. Owned by the page, above anything
/// that can re-render, so a reload of data or a failed submit loses nothing.
#[derive(Clone, Copy)]
pub struct FormState {
    /// Text in the bank search box.
    pub query: RwSignal<String>,
    /// Chosen institution.
    pub institution: RwSignal<Option<Institution>>,
    /// Chosen subtype.
    pub subtype: RwSignal<Option<AccountSubtype>>,
    /// Account number.
    pub number: RwSignal<String>,
    /// Account number, again.
    pub confirm: RwSignal<String>,
    /// Authorization ticked.
    pub authorized: RwSignal<bool>,
    /// Fields the user has left, or all after a submit attempt.
    pub touched: RwSignal<HashSet<Field>>,
    /// A refusal from the service, shown on its field until it changes.
    pub server_error: RwSignal<Option<(Field, Problem)>>,
    /// The key of the current logical submit; a retry reuses it.
    pub idempotency_key: RwSignal<Option<String>>,
}

impl Default for FormState {
    fn default() -> Self {
        Self::new()
    }
}

impl FormState {
    /// An empty form.
    pub fn new() -> Self {
        FormState {
            query: RwSignal::new(String::new()),
            institution: RwSignal::new(None),
            subtype: RwSignal::new(None),
            number: RwSignal::new(String::new()),
            confirm: RwSignal::new(String::new()),
            authorized: RwSignal::new(false),
            touched: RwSignal::new(HashSet::new()),
            server_error: RwSignal::new(None),
            idempotency_key: RwSignal::new(None),
        }
    }

    /// Chooses an institution, keeping the subtype only if it offers it
    /// (and preselecting the only one when there is one).
    pub fn choose_institution(&self, i: Institution) {
        let keep = self
            .subtype
            .get_untracked()
            .filter(|s| i.subtypes.contains(s));
        let only = (i.subtypes.len() == 1).then(|| i.subtypes[0]);
        self.subtype.set(keep.or(only));
        self.institution.set(Some(i));
        self.changed(Field::Institution);
    }

    /// Preselects the link's `default_institution` once the catalog has
    /// arrived, unless the user already chose one.
    pub fn preselect(
        &self,
        institutions: LocalResource<Result<druo_core::dto::InstitutionList, crate::api::ApiError>>,
        default_institution: Option<String>,
    ) {
        let form = *self;
        Effect::new(move |_| {
            if form.institution.get_untracked().is_some() {
                return;
            }
            if let (Some(Ok(list)), Some(id)) = (institutions.get(), default_institution.as_ref()) {
                if let Some(i) = list.institutions.into_iter().find(|i| &i.uuid == id) {
                    form.choose_institution(i);
                }
            }
        });
    }

    /// Records a change: the service's error on that field is stale, and a
    /// changed form is a new logical submit with a new key.
    pub fn changed(&self, field: Field) {
        if self
            .server_error
            .get_untracked()
            .is_some_and(|(f, _)| f == field)
        {
            self.server_error.set(None);
        }
        self.idempotency_key.set(None);
    }

    /// Every problem of the form now (tracked).
    pub fn problems(&self) -> Vec<(Field, Problem)> {
        let inst = self.institution.get();
        let number = self.number.get();
        let confirm = self.confirm.get();
        let mut p = validate(&Form {
            institution: inst.as_ref(),
            subtype: self.subtype.get(),
            number: &number,
            confirm: &confirm,
            authorized: self.authorized.get(),
        });
        if let Some(se) = self.server_error.get() {
            if !p.iter().any(|(f, _)| *f == se.0) {
                p.push(se);
            }
        }
        p
    }

    /// The problem to show on `field`: only once it was touched, or when
    /// the service refused it.
    pub fn shown_problem(&self, field: Field) -> Option<Problem> {
        let server = self
            .server_error
            .get()
            .filter(|(f, _)| *f == field)
            .map(|(_, p)| p);
        server.or_else(|| {
            self.touched
                .with(|t| t.contains(&field))
                .then(|| problem_of(&self.problems(), field))
                .flatten()
        })
    }

    /// Marks a field as left by the user.
    pub fn touch(&self, field: Field) {
        self.touched.update(|t| {
            t.insert(field);
        });
    }

    /// The request body, when the form is valid.
    pub fn submission(&self) -> Option<ConnectSubmit> {
        if !self.problems().is_empty() {
            return None;
        }
        Some(ConnectSubmit {
            institution_uuid: self.institution.get()?.uuid,
            account_type: "DEPOSITORY".into(),
            subtype: self.subtype.get()?,
            account_number: self.number.get(),
            user_authorization: self.authorized.get(),
        })
    }
}

/// The field's error line, announced politely when it appears.
#[component]
fn FieldError(form: FormState, field: Field, id: &'static str) -> impl IntoView {
    let lang = use_lang();
    view! {
        <p class="field-error" id=id aria-live="polite">
            {move || form.shown_problem(field).map(|p| problem_msg(field, p).text(lang.get()))}
        </p>
    }
}

/// An account-number input: numeric keypad, no autocomplete or spell
/// check (the number must not be remembered by the browser), its hint and
/// its error tied to it for screen readers.
#[component]
fn DigitsField(
    form: FormState,
    field: Field,
    id: &'static str,
    label: Msg,
    #[prop(optional)] hint: Option<Msg>,
    value: RwSignal<String>,
) -> impl IntoView {
    let hint_id = format!("{id}-hint");
    let error_id: &'static str = if field == Field::Number {
        "account-number-error"
    } else {
        "account-confirm-error"
    };
    let described = match hint {
        Some(_) => format!("{hint_id} {error_id}"),
        None => error_id.to_string(),
    };
    view! {
        <label for=id class="field-label">{tr(label)}</label>
        {hint.map(|h| view! { <p id=hint_id.clone() class="hint">{tr(h)}</p> })}
        <input
            id=id
            class="text-input"
            type="text"
            inputmode="numeric"
            autocomplete="off"
            spellcheck="false"
            aria-describedby=described
            aria-invalid=move || form.shown_problem(field).is_some().to_string()
            prop:value=move || value.get()
            on:input=move |ev| {
                value.set(event_target_value(&ev));
                form.changed(field);
            }
            on:blur=move |_| form.touch(field)
        />
        <FieldError form field id=error_id/>
    }
}

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
    let subtypes = move || {
        form.institution
            .get()
            .map(|i| i.subtypes)
            .unwrap_or_default()
    };
    let merchant = StoredValue::new(merchant);
    let group = StoredValue::new(super::unique_name("subtype"));
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if pending.get_untracked() {
            return;
        }
        form.touched.update(|t| {
            t.extend([
                Field::Institution,
                Field::Subtype,
                Field::Number,
                Field::Confirm,
                Field::Authorization,
            ]);
        });
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

            <fieldset class="subtypes" aria-describedby="subtype-error">
                <legend class="field-label">{tr(Msg::AccountTypeLabel)}</legend>
                {move || {
                    subtypes()
                        .into_iter()
                        .map(|s| {
                            let label = match s {
                                AccountSubtype::Savings => Msg::SubtypeSavings,
                                AccountSubtype::Checking => Msg::SubtypeChecking,
                            };
                            view! {
                                <label class="choice">
                                    <input
                                        type="radio"
                                        name=group.get_value()
                                        value=s.code()
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
                        })
                        .collect_view()
                }}
            </fieldset>
            <FieldError form field=Field::Subtype id="subtype-error"/>

            <DigitsField
                form
                field=Field::Number
                id="account-number"
                label=Msg::AccountNumberLabel
                hint=Msg::AccountNumberHint
                value=form.number
            />
            <DigitsField form field=Field::Confirm id="account-confirm" label=Msg::ConfirmNumberLabel value=form.confirm/>

            <label class="choice authorization">
                <input
                    id="authorization"
                    type="checkbox"
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
                        fill(
                            Msg::AuthorizationText.text(lang.get()),
                            &[("merchant", &merchant.get_value()), ("bank", &bank_name())],
                        )
                    }}
                </span>
            </label>
            <FieldError form field=Field::Authorization id="authorization-error"/>

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
