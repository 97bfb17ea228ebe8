//! The checkout's one payment: an action whose idempotency key is kept
//! across retries and dropped once an answer arrives, and what each answer
//! does to the flow.

use super::step::Checkout;
use crate::api::{self, ApiError};
use crate::components::account_choice::PayState;
use crate::components::dom::focus_first;
use crate::components::link_flow::{submit_key, End, FlowLink, Step, Steps, Trail};
use crate::posted::Posted;
use druo_core::dto::{PayRequest, PaymentResult, PublicCheckoutLink};
use druo_core::finish::finish;
use druo_core::i18n::Msg;
use leptos::prelude::*;

/// Pays the link with the chosen account, once per logical payment.
#[derive(Clone, Copy)]
pub struct Payer {
    action: Action<(String, PayRequest), Result<PaymentResult, ApiError>>,
    pay: PayState,
    steps: Steps<Step<Checkout>>,
    link: FlowLink,
    notice: RwSignal<Option<Msg>>,
    result: RwSignal<Option<PaymentResult>>,
    settle: Settle,
}

/// How a payment that pays the link shows: the result kept, the trail
/// closed, and the finish (DRUO's confirmation or the way back). One path
/// for a payment made on this page and one a phone made (the hand-off).
#[derive(Clone, Copy)]
struct Settle {
    steps: Steps<Step<Checkout>>,
    trail: Trail,
    checkout: StoredValue<PublicCheckoutLink>,
    result: RwSignal<Option<PaymentResult>>,
}

impl Settle {
    fn paid(self, r: PaymentResult) {
        let decision = self
            .checkout
            .with_value(|l| finish(r.return_url.as_deref(), l.custom_confirmation_page));
        self.result.set(Some(r));
        self.trail.finish();
        self.steps.finish(decision);
    }
}

impl Payer {
    /// The payment for `link`; its answer goes to `result` and moves
    /// `steps` (the finish, a decline, or an end).
    pub fn new(
        checkout: StoredValue<PublicCheckoutLink>,
        link: FlowLink,
        pay: PayState,
        (steps, trail): (Steps<Step<Checkout>>, Trail),
        result: RwSignal<Option<PaymentResult>>,
    ) -> Self {
        let slug = link.slug;
        let notice = RwSignal::new(None);
        let settle = Settle {
            steps,
            trail,
            checkout,
            result,
        };
        let action = Action::new_local(move |(key, req): &(String, PayRequest)| {
            let (key, req, slug) = (key.clone(), req.clone(), slug.get_value());
            async move { api::pay(&slug, &key, &req).await }
        });
        let answered = move |answer: Result<PaymentResult, ApiError>| match answer {
            Ok(r) if r.status.pays_link() => {
                pay.key.set(None);
                settle.paid(r);
            }
            Ok(r) => {
                pay.key.set(None);
                result.set(Some(r));
                // A new try is a new decision: authorize again.
                pay.authorized.set(false);
                pay.declined.set(pay.chosen.get_untracked());
                steps.to(Checkout::Declined);
            }
            Err(e) => match End::after(&e) {
                Some(end) => steps.end(end),
                None => notice.set(Some(refusal_notice(&e))),
            },
        };
        Effect::new(move |_| {
            if let Some(answer) = action.value().get() {
                answered(answer);
            }
        });
        // The server's render of a payment posted without the app: the
        // choices as sent, and the answer as the app would take it.
        if let Some(Posted::Pay(sent, answer)) = crate::posted::posted() {
            if let Some(uuid) = sent.account {
                pay.choose(uuid);
            }
            pay.authorized.set(sent.authorized);
            match answer {
                Some(answer) => answered(answer),
                None if pay.chosen.get_untracked().is_none() => {
                    notice.set(Some(Msg::ErrChooseAccount));
                }
                None => {
                    pay.flagged.set(true);
                    notice.set(Some(Msg::ErrAuthorizeDebit));
                }
            }
        }
        Payer {
            action,
            pay,
            steps,
            link,
            notice,
            result,
            settle,
        }
    }

    /// A payment the phone made (the hand-off), shown as one made here.
    pub fn paid_elsewhere(&self, r: PaymentResult) {
        self.settle.paid(r);
    }

    /// "Pay with another account": back to the choice, with the declined
    /// account marked and not chosen.
    pub fn retry(&self) {
        self.pay.chosen.set(None);
        self.notice.set(None);
        self.steps.to(Checkout::Choose);
    }

    /// "Try again": back to the choice with the declined account chosen
    /// again, to authorize anew (a new try is a new decision).
    pub fn try_again(&self) {
        self.pay.chosen.set(self.pay.declined.get_untracked());
        self.notice.set(None);
        self.steps.to(Checkout::Choose);
    }

    /// The merchant's URL with the declined payment's status appended (as
    /// the service signed it), when the link has a redirect URL.
    pub fn cancel_url(&self) -> Option<String> {
        let r = self.result.get_untracked()?;
        r.return_url
            .as_deref()
            .and_then(druo_core::finish::safe_return)
    }

    /// True while the payment is in flight (tracked).
    pub fn pending(&self) -> bool {
        self.action.pending().get()
    }

    /// Why the last try failed, if it did (tracked).
    pub fn notice(&self) -> Option<Msg> {
        self.notice.get()
    }

    /// Pays. With no account chosen or no authorization, says which and
    /// moves focus there instead; nothing while a payment is in flight;
    /// the expired page if the link has expired since it loaded.
    pub fn pay(&self) {
        if self.action.pending().get_untracked() {
            return;
        }
        if self.pay.chosen.get_untracked().is_none() {
            self.notice.set(Some(Msg::ErrChooseAccount));
            focus_first(".accounts input");
            return;
        }
        if !self.pay.authorized.get_untracked() {
            self.pay.flagged.set(true);
            self.notice.set(Some(Msg::ErrAuthorizeDebit));
            focus_first("#debit-authorization");
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
        _ => crate::components::offline::network_failure(),
    }
}
