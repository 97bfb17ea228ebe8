//! The connector's calls to the service: the account submit (one POST per
//! logical submit, keyed for idempotency), the live wait's re-read of a
//! pending account, and the deposit code; and what each answer does to
//! the connector.

use super::connecting::Target;
use crate::api::{self, ApiError};
use crate::components::account_form::FormState;
use crate::components::account_step::AccountStep;
use crate::components::link_flow::{submit_key, End, Steps};
use crate::posted::Posted;
use druo_core::dto::{ConnectSubmit, PublicAccount};
use druo_core::form::service_error;
use druo_core::i18n::Msg;
use druo_core::status::AuthProblem;
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

/// The submit, the re-read and the deposit code.
#[derive(Clone, Copy)]
pub struct Calls {
    /// Submits the form's account.
    pub submit: Action<(String, ConnectSubmit), Result<PublicAccount, ApiError>>,
    /// Reads a pending account again, by uuid (the live wait).
    pub refresh: Action<String, Result<PublicAccount, ApiError>>,
    /// Sends a deposit code: (account uuid, code).
    pub code: Action<(String, String), Result<PublicAccount, ApiError>>,
    /// The live wait could not reach the service; it keeps trying.
    pub wait_failed: RwSignal<bool>,
}

impl Calls {
    /// The calls through `target`'s link `slug`. An account that is the
    /// connector's outcome goes to `on_connected`, an answer that ends the
    /// page to `on_end`; a pending validation is finished here, on both
    /// pages (`AccountStep::after`).
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
        let (accounts_path, refresh_path, code_path) = target.paths();
        let handle_account = move |acc: PublicAccount| {
            form.idempotency_key.set(None);
            let next = AccountStep::after(&acc);
            account.set(Some(acc.clone()));
            match next {
                // The same step again (the wait read "still pending"):
                // nothing moves, nothing takes focus.
                Some(s) if s == steps.current() => {}
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
            (None, _) => notice.set(Some(crate::components::offline::network_failure())),
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

        let wait_failed = RwSignal::new(false);
        let refresh = Action::new_local(move |uuid: &String| {
            let (uuid, slug) = (uuid.clone(), slug.get_value());
            async move { api::refresh_account(refresh_path, &slug, &uuid).await }
        });
        Effect::new(move |_| match refresh.value().get() {
            Some(Ok(acc)) => {
                wait_failed.set(false);
                handle_account(acc);
            }
            Some(Err(e)) => match End::after(&e) {
                Some(end) => on_end.run(end),
                // The wait keeps asking; it only says it cannot reach DRUO.
                None => wait_failed.set(true),
            },
            None => {}
        });

        let code = Action::new_local(move |(uuid, otp): &(String, String)| {
            let (uuid, otp, slug) = (uuid.clone(), otp.clone(), slug.get_value());
            async move { api::authenticate_account(code_path, &slug, &uuid, &otp).await }
        });
        Effect::new(move |_| match code.value().get() {
            Some(Ok(acc)) => {
                notice.set(None);
                handle_account(acc);
            }
            Some(Err(ApiError::Rejected { body, .. }))
                if AuthProblem::parse(&body.code) == Some(AuthProblem::WrongCode) =>
            {
                // One attempt fewer, as the service counted it.
                account.update(|a| {
                    if let Some(p) = a
                        .as_mut()
                        .and_then(|a| a.pending_account_validations.first_mut())
                    {
                        p.attempts_left = p.attempts_left.map(|n| n.saturating_sub(1));
                    }
                });
                notice.set(Some(wrong_code(account)));
            }
            Some(Err(e)) => handle_error(e),
            None => {}
        });
        // The server's render of a form posted without the app: its
        // answer does what the app's own call would have done.
        match crate::posted::posted() {
            Some(Posted::Account(_, Some(Ok(acc))) | Posted::Code(_, Some(Ok(acc)))) => {
                handle_account(acc)
            }
            Some(Posted::Code(_, Some(Err(ApiError::Rejected { body, .. }))))
                if AuthProblem::parse(&body.code) == Some(AuthProblem::WrongCode) =>
            {
                // The account was read after the service counted the try.
                notice.set(Some(wrong_code(account)));
            }
            Some(Posted::Account(_, Some(Err(e))) | Posted::Code(_, Some(Err(e)))) => {
                handle_error(e)
            }
            _ => {}
        }
        Calls {
            submit,
            refresh,
            code,
            wait_failed,
        }
    }

    /// Submits `body` under the form's key (a retry reuses it).
    pub fn submit(&self, form: FormState, notice: RwSignal<Option<Msg>>, body: ConnectSubmit) {
        notice.set(None);
        self.submit
            .dispatch((submit_key(form.idempotency_key), body));
    }
}

/// What a wrong deposit code says, by the attempts `account` has left.
fn wrong_code(account: RwSignal<Option<PublicAccount>>) -> Msg {
    let left = account.with_untracked(|a| {
        a.as_ref()
            .and_then(|a| a.pending_account_validations.first())
            .and_then(|p| p.attempts_left)
    });
    match left {
        Some(1) => Msg::OtpWrongLast,
        _ => Msg::OtpWrong,
    }
}
