//! Connecting an account, shared by the connect page and the checkout
//! page's "connect a new account": choose the institution, fill in the
//! form, submit once (idempotently), then confirm with the bank or fix a
//! rejected number. The parent hears only the outcome.

use crate::api::{self, ApiError};
use crate::components::account_form::{AccountForm, FormState};
use crate::components::institution_picker::InstitutionPicker;
use crate::components::layout::Skeleton;
use crate::components::step_heading::StepHeading;
use crate::i18n::{tr, use_lang};
use druo_core::dto::{ConnectSubmit, InstitutionList, PublicAccount};
use druo_core::form::service_error;
use druo_core::i18n::{fill, Msg};
use druo_core::status::{AccountRemark, AccountStatus, PendingAction};
use druo_core::studio::PreviewState;
use leptos::prelude::*;

/// Which link the account is connected through.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    /// A connect link: the account completes the link.
    Connect,
    /// A checkout link: the account is then used to pay.
    Checkout,
}

impl Target {
    async fn submit(
        self,
        slug: String,
        key: String,
        body: ConnectSubmit,
    ) -> Result<PublicAccount, ApiError> {
        match self {
            Target::Connect => api::submit_connect(&slug, &key, &body).await,
            Target::Checkout => api::submit_checkout_account(&slug, &key, &body).await,
        }
    }

    async fn refresh(self, slug: String, account: String) -> Result<PublicAccount, ApiError> {
        match self {
            Target::Connect => api::refresh_connect_account(&slug, &account).await,
            Target::Checkout => api::refresh_checkout_account(&slug, &account).await,
        }
    }
}

/// Where the user is inside the connector.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Sub {
    Bank,
    Details,
    Pending,
    Rejected,
}

/// True for answers that end the page, not the step: expired (410),
/// already used (409), or gone (404).
pub fn is_link_error(e: &ApiError) -> bool {
    matches!(e, ApiError::NotFound) || matches!(e.rejected_status(), Some(409 | 410))
}

/// The account sub-flow. `on_connected` gets a usable (not rejected, not
/// pending) account; `on_link_error` an answer that ends the page.
#[component]
pub fn AccountConnector(
    /// Which link the account goes through.
    target: Target,
    /// The link's slug.
    slug: String,
    /// The catalog, loading in parallel.
    institutions: LocalResource<Result<InstitutionList, ApiError>>,
    /// What the user typed (owned by the page).
    form: FormState,
    /// The merchant, named in the texts.
    merchant: String,
    /// Checked before a submit; true stops it (the link expired).
    #[prop(into)]
    expired: Callback<(), bool>,
    /// A connected, usable account.
    #[prop(into)]
    on_connected: Callback<PublicAccount>,
    /// An answer that ends the page (410, 409, 404).
    #[prop(into)]
    on_link_error: Callback<ApiError>,
    /// Leaving from the first step.
    #[prop(into)]
    on_back: Callback<()>,
    /// "Step n of m" labels for the bank and details steps, when counted.
    #[prop(optional)]
    counter: Option<(&'static str, &'static str, &'static str)>,
    /// Studio only: the state to start in, with its sample account.
    #[prop(optional_no_strip)]
    preview: Option<(PreviewState, PublicAccount)>,
) -> impl IntoView {
    let lang = use_lang();
    // Entering a step moves focus to it, except in the studio's frames,
    // where focus belongs to the designer's panel.
    let focus = preview.is_none();
    let first = match preview.as_ref().map(|p| p.0) {
        Some(PreviewState::Form | PreviewState::FormErrors) => Sub::Details,
        Some(PreviewState::Pending) => Sub::Pending,
        Some(PreviewState::Rejected) => Sub::Rejected,
        _ => Sub::Bank,
    };
    let sub = RwSignal::new(first);
    let account = RwSignal::new(preview.map(|p| p.1));
    let notice = RwSignal::new(None::<Msg>);
    let slug = StoredValue::new(slug);
    let merchant = StoredValue::new(merchant);

    let handle_account = move |acc: PublicAccount| {
        form.idempotency_key.set(None);
        let next = if acc.current_status == AccountStatus::Rejected {
            Some(Sub::Rejected)
        } else if acc.requires_account_validation {
            Some(Sub::Pending)
        } else {
            None
        };
        account.set(Some(acc.clone()));
        match next {
            Some(s) => sub.set(s),
            None => on_connected.run(acc),
        }
    };
    let handle_error = move |e: ApiError| {
        if is_link_error(&e) {
            on_link_error.run(e);
            return;
        }
        match e {
            ApiError::Rejected { body, .. } => {
                match service_error(body.field.as_deref(), &body.code) {
                    Some(fe) => form.server_error.set(Some(fe)),
                    None => notice.set(Some(Msg::ErrRefused)),
                }
            }
            // Network, 5xx, timeouts, malformed answers: keep everything,
            // keep the key, offer the same submit again.
            _ => notice.set(Some(Msg::SubmitFailed)),
        }
    };

    let submit = Action::new_local(move |(key, body): &(String, ConnectSubmit)| {
        target.submit(slug.get_value(), key.clone(), body.clone())
    });
    Effect::new(move |_| match submit.value().get() {
        Some(Ok(acc)) => handle_account(acc),
        Some(Err(e)) => handle_error(e),
        None => {}
    });
    let on_submit = move |body: ConnectSubmit| {
        if submit.pending().get_untracked() {
            return;
        }
        if expired.run(()) {
            return;
        }
        notice.set(None);
        let key = form
            .idempotency_key
            .get_untracked()
            .unwrap_or_else(api::new_idempotency_key);
        form.idempotency_key.set(Some(key.clone()));
        submit.dispatch((key, body));
    };

    let refresh =
        Action::new_local(move |uuid: &String| target.refresh(slug.get_value(), uuid.clone()));
    Effect::new(move |_| match refresh.value().get() {
        Some(Ok(acc)) if acc.requires_account_validation => {
            account.set(Some(acc));
            notice.set(Some(Msg::StillPending));
        }
        Some(Ok(acc)) => {
            notice.set(None);
            handle_account(acc);
        }
        Some(Err(e)) => handle_error(e),
        None => {}
    });

    let text = move |msg: Msg, args: &[(&str, &str)]| fill(msg.text(lang.get()), args);
    let heading = move |msg: Msg| Signal::derive(move || msg.text(lang.get()).to_string());
    let count = move |i: usize| {
        counter.map(|c| {
            let n = [c.0, c.1][i];
            view! { <p class="step-count">{move || text(Msg::StepOf, &[("n", n), ("total", c.2)])}</p> }
        })
    };
    let bank_of = move || {
        account.with(|a| {
            a.as_ref()
                .map(|a| a.institution.name.clone())
                .unwrap_or_default()
        })
    };

    move || {
        match sub.get() {
        Sub::Bank => view! {
            {count(0)}
            <StepHeading text=heading(Msg::ChooseBankTitle) focus/>
            {move || match institutions.get() {
                None => view! { <Skeleton/> }.into_any(),
                Some(Err(_)) => view! {
                    <p class="notice" role="alert">{tr(Msg::ServiceErrorBody)}</p>
                    <button class="primary" on:click=move |_| institutions.refetch()>{tr(Msg::Retry)}</button>
                }.into_any(),
                Some(Ok(list)) => view! {
                    {move || form.institution.get().map(|i| view! {
                        <button class="primary" on:click=move |_| sub.set(Sub::Details)>
                            {move || text(Msg::ContinueWith, &[("bank", &i.name)])}
                        </button>
                    })}
                    <InstitutionPicker
                        institutions=list.institutions
                        query=form.query
                        selected=form.institution
                        on_pick=move |i| { form.choose_institution(i); sub.set(Sub::Details); }
                    />
                }.into_any(),
            }}
            <button class="secondary" on:click=move |_| on_back.run(())>{tr(Msg::Back)}</button>
        }.into_any(),
        Sub::Details => view! {
            {count(1)}
            <StepHeading text=heading(Msg::AccountDetailsTitle) focus/>
            <AccountForm
                form
                merchant=merchant.get_value()
                pending=submit.pending()
                notice=notice
                on_submit=on_submit
                on_change_bank=move |_| sub.set(Sub::Bank)
            />
        }.into_any(),
        Sub::Pending => view! {
            <StepHeading text=heading(Msg::PendingTitle) focus/>
            <ul class="pending-steps">
                {move || account.get().map(|a| a.pending_account_validations.into_iter().map(|p| {
                    let msg = if p.action == PendingAction::ConfirmRequestWithInstitution { Msg::PendingConfirmWithInstitution } else { Msg::PendingOther };
                    view! { <li>{move || text(msg, &[("bank", &bank_of())])}</li> }
                }).collect_view())}
            </ul>
            <p class="notice" role="status">{move || notice.get().map(|n| n.text(lang.get()))}</p>
            <button
                class="primary"
                disabled=move || refresh.pending().get()
                aria-busy=move || refresh.pending().get().to_string()
                on:click=move |_| {
                    if let Some(a) = account.get_untracked() {
                        refresh.dispatch(a.uuid);
                    }
                }
            >
                {move || if refresh.pending().get() { tr(Msg::Checking)() } else { tr(Msg::IConfirmed)() }}
            </button>
        }.into_any(),
        Sub::Rejected => view! {
            <StepHeading text=heading(Msg::RejectedTitle) focus/>
            <p role="alert">
                {move || account.get().map(|a| {
                    let msg = if a.remarks == Some(AccountRemark::AccountDoesNotExist) { Msg::RejectedDoesNotExist } else { Msg::RejectedOther };
                    text(msg, &[("bank", &a.institution.name), ("last4", &a.last_4)])
                })}
            </p>
            <button class="primary" on:click=move |_| sub.set(Sub::Details)>{tr(Msg::FixNumber)}</button>
            <button class="secondary" on:click=move |_| sub.set(Sub::Bank)>{tr(Msg::ChooseAnotherBank)}</button>
        }.into_any(),
    }
    }
}
