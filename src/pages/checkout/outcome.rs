//! How a payment turned out: the receipt on the confirmation, the words
//! of the checkout's ends, and the declined step.

use crate::components::icon::{moment, Icon};
use crate::components::link_flow::Place;
use crate::components::link_flow::Words;
use crate::components::move_link::MoveLink;
use crate::components::step_heading::StepHeading;
use crate::i18n::{tr, use_fill, use_lang};
use druo_core::dto::{PaymentResult, PublicAccount};
use druo_core::i18n::{masked_account, payment_words, transaction_status_msg, Msg};
use druo_core::status::PaymentStatus;
use leptos::prelude::*;

/// The checkout's words for its ends, by the payment's DRUO status
/// (`druo_core::i18n::payment_words`): only a successful payment is
/// confirmed as paid; one the bank has not settled is in process.
pub fn words(result: RwSignal<Option<PaymentResult>>) -> Words {
    let (done, successful) = result.with(|r| match r {
        Some(r) => (
            payment_words(r.status, r.remarks),
            r.status == PaymentStatus::Successful,
        ),
        None => ((Msg::PaidTitle, Msg::PaidBody), true),
    });
    Words {
        done,
        leaving: Msg::PaidTitle,
        used: (Msg::AlreadyPaidTitle, Msg::AlreadyPaidBody),
        pending: !successful,
    }
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

/// The payment did not go through (failed, canceled, or never sent): why,
/// by DRUO's status and remark, "Pay with another account", and a way to
/// cancel and return to the merchant (with the status appended) when
/// there is a redirect URL.
#[component]
pub fn Declined(
    result: RwSignal<Option<PaymentResult>>,
    /// The merchant's URL with the declined status, if any.
    back: Option<String>,
    /// The merchant, named on the way back.
    merchant: String,
    /// The accounts the page knows; the one that tried is named.
    known: RwSignal<Vec<PublicAccount>>,
    focus: bool,
    #[prop(into)] on_retry: Callback<()>,
) -> impl IntoView {
    let fill = use_fill();
    let who = merchant.clone();
    let reason = move || {
        result.with(|r| {
            r.as_ref().map(|r| {
                let bank = known.with(|k| {
                    k.iter()
                        .find(|a| a.code == r.account_code)
                        .map(|a| a.institution.name.clone())
                        .unwrap_or_default()
                });
                let (_, body) = payment_words(r.status, r.remarks);
                fill(body, &[("bank", &bank), ("merchant", &who)])
            })
        })
    };
    view! {
        {moment(Icon::Declined)}
        <StepHeading title=Msg::DeclinedTitle focus/>
        <p class="moment-text" role="alert">{reason}</p>
        <MoveLink class="button primary" href=Place::default().href() on_move=on_retry>{tr(Msg::PayWithAnother)}</MoveLink>
        {back.map(|url| view! {
            <a class="button secondary" href=url>{move || fill(Msg::CancelReturnTo, &[("merchant", &merchant)])}</a>
        })}
    }
}
