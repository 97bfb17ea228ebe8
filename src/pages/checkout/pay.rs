//! The checkout's one payment: an action whose idempotency key is kept
//! across retries and dropped once an answer arrives, and what each answer
//! does to the flow.

use super::step::Checkout;
use crate::api::{self, ApiError};
use crate::components::account_choice::PayState;
use crate::components::link_flow::{submit_key, End, FlowLink, Step, Steps};
use druo_core::dto::{PayRequest, PaymentResult, PublicCheckoutLink};
use druo_core::finish::checkout_finish;
use druo_core::i18n::Msg;
use druo_core::status::PaymentStatus;
use leptos::prelude::*;

/// Pays the link with the chosen account, once per logical payment.
#[derive(Clone, Copy)]
pub struct Payer {
    action: Action<(String, PayRequest), Result<PaymentResult, ApiError>>,
    pay: PayState,
    steps: Steps<Step<Checkout>>,
    link: FlowLink,
    notice: RwSignal<Option<Msg>>,
}

impl Payer {
    /// The payment for `link`; its answer goes to `result` and moves
    /// `steps` (the finish, a decline, or an end).
    pub fn new(
        checkout: StoredValue<PublicCheckoutLink>,
        link: FlowLink,
        pay: PayState,
        steps: Steps<Step<Checkout>>,
        result: RwSignal<Option<PaymentResult>>,
    ) -> Self {
        let slug = link.slug;
        let notice = RwSignal::new(None);
        let action = Action::new_local(move |(key, req): &(String, PayRequest)| {
            let (key, req, slug) = (key.clone(), req.clone(), slug.get_value());
            async move { api::pay(&slug, &key, &req).await }
        });
        Effect::new(move |_| match action.value().get() {
            Some(Ok(r)) => {
                pay.key.set(None);
                result.set(Some(r.clone()));
                if r.status == PaymentStatus::Declined {
                    // A new try is a new decision: authorize again.
                    pay.authorized.set(false);
                    steps.to(Checkout::Declined);
                    return;
                }
                steps.finish(checkout.with_value(|l| {
                    checkout_finish(
                        l.redirect_url.as_deref(),
                        l.custom_confirmation_page,
                        &r,
                        &l.uuid,
                    )
                }));
            }
            Some(Err(e)) => match End::after(&e) {
                Some(end) => steps.end(end),
                None => notice.set(Some(refusal_notice(&e))),
            },
            None => {}
        });
        Payer {
            action,
            pay,
            steps,
            link,
            notice,
        }
    }

    /// True while the payment is in flight (tracked).
    pub fn pending(&self) -> bool {
        self.action.pending().get()
    }

    /// An account is chosen, the debit authorized, and nothing in flight.
    pub fn can_pay(&self) -> bool {
        self.pay.chosen.get().is_some() && self.pay.authorized.get() && !self.pending()
    }

    /// Why the last try failed, if it did (tracked).
    pub fn notice(&self) -> Option<Msg> {
        self.notice.get()
    }

    /// Pays, unless it cannot yet or the link has expired since it loaded.
    pub fn pay(&self) {
        if !self.can_pay() {
            return;
        }
        // Nothing is sent for a link that has expired since it loaded.
        if self.link.clock.expired() {
            self.steps.end(End::Expired);
            return;
        }
        let Some(account_uuid) = self.pay.chosen.get_untracked() else {
            return;
        };
        self.notice.set(None);
        let request = PayRequest {
            account_uuid,
            user_authorization: true,
        };
        self.action.dispatch((submit_key(self.pay.key), request));
    }
}

/// What a refused or failed payment says. The service names the field it
/// refuses in `PayRequest`'s own spelling.
fn refusal_notice(e: &ApiError) -> Msg {
    match e {
        ApiError::Rejected { body, .. } => match body.field.as_deref() {
            Some("user_authorization") => Msg::ErrAuthorize,
            Some("account_uuid") => Msg::ErrChooseAccount,
            _ => Msg::ErrRefused,
        },
        // Network, 5xx, timeouts: the choices and the key stay for a retry.
        _ => Msg::SubmitFailed,
    }
}
