//! The connector's two calls to the service: the account submit (one
//! POST per logical submit, keyed for idempotency) and the re-check of a
//! pending account; and what each answer does to the connector.

use super::connecting::Target;
use crate::api::{self, ApiError};
use crate::components::account_form::FormState;
use crate::components::account_step::AccountStep;
use crate::components::link_flow::{submit_key, End, Steps};
use druo_core::dto::{ConnectSubmit, PublicAccount};
use druo_core::form::service_error;
use druo_core::i18n::Msg;
use druo_core::status::AccountStatus;
use leptos::prelude::*;

/// What the connector shows, which the answers change.
#[derive(Clone, Copy)]
pub struct Shown {
    /// The connector's step.
    pub steps: Steps<AccountStep>,
    /// The account the service answered with.
    pub account: RwSignal<Option<PublicAccount>>,
    /// A message about the last call, if it needs one.
    pub notice: RwSignal<Option<Msg>>,
    /// The form, which keeps its input and key across failures.
    pub form: FormState,
}

/// The submit and the re-check.
#[derive(Clone, Copy)]
pub struct Calls {
    /// Submits the form's account.
    pub submit: Action<(String, ConnectSubmit), Result<PublicAccount, ApiError>>,
    /// Re-checks a pending account, by uuid.
    pub refresh: Action<String, Result<PublicAccount, ApiError>>,
}

impl Calls {
    /// The calls through `target`'s link `slug`. A usable account goes to
    /// `on_connected`, an answer that ends the page to `on_end`. A pending
    /// account finishes a connect link like any other (its confirmation
    /// says what to do in the bank's app); a checkout waits for it here,
    /// since it cannot pay before it is confirmed.
    pub fn new(
        target: Target,
        slug: StoredValue<String>,
        shown: Shown,
        on_connected: Callback<PublicAccount>,
        on_end: Callback<End>,
    ) -> Self {
        let Shown {
            steps,
            account,
            notice,
            form,
        } = shown;
        let (accounts_path, refresh_path) = target.paths();
        let handle_account = move |acc: PublicAccount| {
            form.idempotency_key.set(None);
            let next = if acc.current_status == AccountStatus::Rejected {
                Some(AccountStep::Rejected)
            } else if acc.requires_account_validation && target == Target::Checkout {
                Some(AccountStep::Pending)
            } else {
                None
            };
            account.set(Some(acc.clone()));
            match next {
                Some(s) => steps.go(s),
                None => on_connected.run(acc),
            }
        };
        let handle_error = move |e: ApiError| match (End::after(&e), e) {
            (Some(end), _) => on_end.run(end),
            (None, ApiError::Rejected { body, .. }) => {
                match service_error(body.field.as_deref(), &body.code) {
                    Some(fe) => form.server_error.set(Some(fe)),
                    None => notice.set(Some(Msg::ErrRefused)),
                }
            }
            // Network, 5xx, timeouts, malformed answers: keep everything,
            // keep the key, offer the same submit again.
            (None, _) => notice.set(Some(Msg::SubmitFailed)),
        };

        let submit = Action::new_local(move |(key, body): &(String, ConnectSubmit)| {
            let (key, body, slug) = (key.clone(), body.clone(), slug.get_value());
            async move { api::submit_account(accounts_path, &slug, &key, &body).await }
        });
        Effect::new(move |_| match submit.value().get() {
            Some(Ok(acc)) => handle_account(acc),
            Some(Err(e)) => handle_error(e),
            None => {}
        });

        let refresh = Action::new_local(move |uuid: &String| {
            let (uuid, slug) = (uuid.clone(), slug.get_value());
            async move { api::refresh_account(refresh_path, &slug, &uuid).await }
        });
        Effect::new(move |_| match refresh.value().get() {
            Some(Ok(acc)) if acc.requires_account_validation && target == Target::Checkout => {
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
        Calls { submit, refresh }
    }

    /// Submits `body` under the form's key (a retry reuses it).
    pub fn submit(&self, form: FormState, notice: RwSignal<Option<Msg>>, body: ConnectSubmit) {
        notice.set(None);
        self.submit
            .dispatch((submit_key(form.idempotency_key), body));
    }
}
