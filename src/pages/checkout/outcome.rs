//! How a payment turned out: the receipt on the confirmation, the words
//! of the checkout's ends, and the declined step.

use crate::components::icon::{moment, Icon};
use crate::components::link_flow::Words;
use crate::components::step_heading::StepHeading;
use crate::i18n::{tr, use_fill, use_lang};
use druo_core::dto::{PaymentResult, PublicAccount};
use druo_core::i18n::{masked_account, transaction_status_msg, Msg};
use druo_core::status::{DeclineReason, PaymentStatus};
use leptos::prelude::*;

/// The checkout's words for its ends. A payment the bank has not settled
/// yet is confirmed as pending, not as paid.
pub fn words(result: RwSignal<Option<PaymentResult>>) -> Words {
    let pending = result.with(|r| {
        r.as_ref()
            .is_some_and(|r| r.status == PaymentStatus::Pending)
    });
    Words::settled(
        pending,
        (Msg::PaymentPendingTitle, Msg::PaymentPendingBody),
        (Msg::PaidTitle, Msg::PaidBody),
        (Msg::AlreadyPaidTitle, Msg::AlreadyPaidBody),
    )
}

/// The payment on the confirmation: amount, account, code and status.
#[component]
pub fn Receipt(
    result: RwSignal<Option<PaymentResult>>,
    amount: Memo<String>,
    /// The accounts the page knows; the one that paid is named.
    known: RwSignal<Vec<PublicAccount>>,
) -> impl IntoView {
    let lang = use_lang();
    move || {
        result.get().map(|r| {
            let code = r.account_code.clone();
            let account = move || known.with(|k| k.iter().find(|a| a.code == code).cloned());
            view! {
            <dl class="summary">
                <dt>{tr(Msg::AmountLabel)}</dt><dd>{amount}</dd>
                {account().map(|a| view! { <dt>{tr(Msg::AccountLabel)}</dt><dd class="keep">{masked_account(&a.institution.name, &a.last_4)}</dd> })}
                <dt>{tr(Msg::TransactionCodeLabel)}</dt><dd>{r.transaction_code.clone()}</dd>
                <dt>{tr(Msg::StatusLabel)}</dt><dd>{move || transaction_status_msg(r.status).text(lang.get())}</dd>
            </dl>
        }})
    }
}

/// The bank declined the payment: why, "Pay with another account", and a
/// way to cancel and return to the merchant (with the status appended)
/// when there is a redirect URL.
#[component]
pub fn Declined(
    result: RwSignal<Option<PaymentResult>>,
    /// The merchant's URL with the declined status, if any.
    back: Option<String>,
    /// The merchant, named on the way back.
    merchant: String,
    focus: bool,
    #[prop(into)] on_retry: Callback<()>,
) -> impl IntoView {
    let lang = use_lang();
    let fill = use_fill();
    let reason = move || {
        let insufficient = result.with(|r| {
            r.as_ref().and_then(|r| r.decline_reason) == Some(DeclineReason::InsufficientFunds)
        });
        let msg = if insufficient {
            Msg::DeclinedInsufficientFunds
        } else {
            Msg::DeclinedOther
        };
        msg.text(lang.get())
    };
    view! {
        {moment(Icon::Declined)}
        <StepHeading title=Msg::DeclinedTitle focus/>
        <p class="moment-text" role="alert">{reason}</p>
        <button class="primary" on:click=move |_| on_retry.run(())>{tr(Msg::PayWithAnother)}</button>
        {back.map(|url| view! {
            <a class="button secondary" href=url>{move || fill(Msg::CancelReturnTo, &[("merchant", &merchant)])}</a>
        })}
    }
}
