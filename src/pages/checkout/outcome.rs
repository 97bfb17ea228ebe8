//! How a payment turned out: the receipt (comprobante) on every outcome,
//! the words of the checkout's ends, and the declined step.

use crate::components::icon::{moment, Icon};
use crate::components::link_flow::Place;
use crate::components::link_flow::Words;
use crate::components::move_link::MoveLink;
use crate::components::step_heading::StepHeading;
use crate::i18n::{tr, use_fill, use_lang};
use druo_core::dto::{PaymentResult, PublicAccount, PublicCheckoutLink};
use druo_core::i18n::{declined_way, masked_account, payment_words, DeclinedWay, Msg};
use druo_core::receipt::{lines, share_text, ReceiptFacts};
use druo_core::status::PaymentStatus;
use druo_core::time::parse_iso8601;
use leptos::prelude::*;

/// The checkout's words for its ends, by the payment's DRUO status
/// (`druo_core::i18n::payment_words`): only a successful payment is
/// confirmed as paid; one the bank has not settled is in process. Its
/// icon: a check for money that arrived (or a refund done), a clock while
/// it moves, a cross for a debit reversed, a warning for a dispute. A paid
/// link opened again says it was paid before (`reopened`), so nobody
/// takes the receipt for a second payment.
pub fn words(result: RwSignal<Option<PaymentResult>>, reopened: bool) -> Words {
    let (done, status) = result.with(|r| match r {
        Some(r) => (payment_words(r.status, r.remarks), r.status),
        None => ((Msg::PaidTitle, Msg::PaidBody), PaymentStatus::Successful),
    });
    let done = match status {
        PaymentStatus::Successful if reopened => (Msg::AlreadyPaidTitle, Msg::AlreadyPaidBody),
        _ => done,
    };
    let icon = match status {
        PaymentStatus::Successful | PaymentStatus::Refunded => Icon::Done,
        PaymentStatus::Reversed => Icon::Declined,
        PaymentStatus::Disputed => Icon::Error,
        _ => Icon::Pending,
    };
    Words {
        done,
        leaving: Msg::PaidTitle,
        used: (Msg::AlreadyPaidTitle, Msg::AlreadyPaidBody),
        icon,
    }
}

/// The comprobante of the payment, whatever its outcome: the lines of
/// `druo_core::receipt` (merchant, amount, what for, reference, code, date
/// in Colombia, masked account, status). `@media print` makes it the
/// printed page; once the app is live it offers printing and sharing its
/// words (a share sheet where the browser has one, else a copy), never
/// the account.
#[component]
pub fn Receipt(
    result: RwSignal<Option<PaymentResult>>,
    amount: Memo<String>,
    /// The accounts the page knows; the one that paid is named.
    known: RwSignal<Vec<PublicAccount>>,
    /// The link: merchant, what for, reference.
    link: StoredValue<PublicCheckoutLink>,
) -> impl IntoView {
    let lang = use_lang();
    let fill = use_fill();
    let facts = move || {
        let r = result.get()?;
        let account = known.with(|k| {
            k.iter()
                .find(|a| a.code == r.account_code)
                .map(|a| masked_account(&a.institution.name, &a.last_4))
        });
        Some(link.with_value(|l| {
            ReceiptFacts {
                merchant: l.merchant_name.clone(),
                amount: amount.get(),
                concept: l
                    .transaction
                    .description
                    .clone()
                    .or(l.link_description.clone()),
                reference: r
                    .reference
                    .clone()
                    .or_else(|| Some(l.shown_reference().to_owned())),
                code: r.transaction_code.clone(),
                date: r.date_updated.as_deref().and_then(parse_iso8601),
                account,
                status: r.status,
            }
        }))
    };
    // Printing and sharing need the app: without it the buttons would do
    // nothing, so they appear once it is live (the browser's own print
    // still prints the receipt alone).
    let live = RwSignal::new(false);
    Effect::new(move |_| live.set(true));
    let copied = RwSignal::new(false);
    let share = move |_| {
        if let Some(f) = facts() {
            share_or_copy(share_text(&f, lang.get_untracked()), copied);
        }
    };
    let emailed = move || {
        let e = result.with(|r| r.as_ref().and_then(|r| r.receipt_email.clone()))?;
        let msg = if e.sent {
            Msg::ReceiptEmailed
        } else {
            Msg::ReceiptEmailing
        };
        Some(fill(msg, &[("email", &e.to)]))
    };
    move || {
        facts().map(|f| {
            let l = lang.get();
            view! {
                <section class="receipt" aria-labelledby="receipt-title">
                    <h2 id="receipt-title" class="receipt-title">{Msg::ReceiptTitle.text(l)}</h2>
                    <dl class="summary">
                        {lines(&f, l).into_iter().map(|x| view! {
                            <dt>{x.label.text(l)}</dt><dd class:keep=!x.shared>{x.value}</dd>
                        }).collect_view()}
                    </dl>
                    {emailed().map(|e| view! { <p class="receipt-emailed">{e}</p> })}
                    <Show when=move || live.get()>
                        <div class="receipt-actions">
                            <button type="button" class="secondary" on:click=move |_| _ = window().print()>{tr(Msg::ReceiptPrint)}</button>
                            <button type="button" class="secondary" on:click=share>{tr(Msg::ReceiptShare)}</button>
                        </div>
                        <p class="hint" role="status">{move || copied.get().then(|| tr(Msg::ReceiptCopied)())}</p>
                    </Show>
                </section>
            }
        })
    }
}

/// Shares `text` through the browser's share sheet where it has one
/// (phones), else copies it, and says "copied" only once it was. A share
/// the person cancels is their choice: nothing more is done.
fn share_or_copy(text: String, copied: RwSignal<bool>) {
    use wasm_bindgen::{JsCast, JsValue};
    use wasm_bindgen_futures::JsFuture;
    let nav = window().navigator();
    let method = |name: &str| {
        js_sys::Reflect::get(&nav, &name.into())
            .ok()
            .filter(|v| !v.is_undefined() && !v.is_null())
    };
    let share = method("share").and_then(|f| f.dyn_into::<js_sys::Function>().ok());
    // Outside a secure context there is no clipboard at all.
    let clipboard = method("clipboard").map(|_| nav.clipboard());
    leptos::task::spawn_local(async move {
        if let Some(share) = share {
            let data = js_sys::Object::new();
            let _ = js_sys::Reflect::set(&data, &"text".into(), &JsValue::from_str(&text));
            let shared = share
                .call1(&nav, &data)
                .ok()
                .and_then(|p| p.dyn_into::<js_sys::Promise>().ok());
            if let Some(p) = shared {
                let name = |e: &JsValue| {
                    js_sys::Reflect::get(e, &"name".into())
                        .ok()
                        .and_then(|n| n.as_string())
                };
                match JsFuture::from(p).await {
                    Ok(_) => return,
                    Err(e) if name(&e).as_deref() == Some("AbortError") => return,
                    // The sheet failed (not cancelled): copy instead.
                    Err(_) => {}
                }
            }
        }
        if let Some(c) = clipboard {
            if JsFuture::from(c.write_text(&text)).await.is_ok() {
                let _ = copied.try_set(true);
            }
        }
    });
}

/// The payment did not go through (failed, canceled, or never sent): why,
/// by DRUO's status and remark, and the ways on, led by the one its words
/// name (`druo_core::i18n::declined_way`): the same account again, another
/// account, or back to the merchant (with the status appended) when there
/// is a redirect URL.
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
    /// Back to the choice with the same account.
    #[prop(into)]
    on_try_again: Callback<()>,
    /// Back to the choice with another account to choose.
    #[prop(into)]
    on_retry: Callback<()>,
    /// The receipt of the attempt.
    children: Children,
) -> impl IntoView {
    let fill = use_fill();
    let merchant = StoredValue::new(merchant);
    let return_to = move || merchant.with_value(|m| fill(Msg::ReturnTo, &[("merchant", m)]));
    let why = Memo::new(move |_| {
        result.with(|r| r.as_ref().map(|r| payment_words(r.status, r.remarks).1))
    });
    let reason = move || {
        let body = why.get()?;
        result.with(|r| {
            r.as_ref().map(|r| {
                let bank = known.with(|k| {
                    k.iter()
                        .find(|a| a.code == r.account_code)
                        .map(|a| a.institution.name.clone())
                        .unwrap_or_default()
                });
                merchant.with_value(|m| fill(body, &[("bank", &bank), ("merchant", m)]))
            })
        })
    };
    let way = why
        .get_untracked()
        .map_or(DeclinedWay::AnotherAccount, declined_way);
    let to_merchant = way == DeclinedWay::Merchant && back.is_some();
    let class = |primary: bool| {
        if primary {
            "button primary"
        } else {
            "button secondary"
        }
    };
    view! {
        {moment(Icon::Declined)}
        <StepHeading title=Msg::DeclinedTitle focus/>
        <p class="moment-text" role="alert">{reason}</p>
        {children()}
        {(way == DeclinedWay::TryAgain).then(|| view! {
            <MoveLink class="button primary" href=Place::default().href() on_move=on_try_again>{tr(Msg::Retry)}</MoveLink>
        })}
        {to_merchant.then(|| back.clone().map(|url| view! {
            <a class="button primary" href=url>{return_to}</a>
        }))}
        // Where only the merchant can take the payment, another account
        // cannot help: offered only when there is no way back to them.
        {(!to_merchant).then(|| view! {
            <MoveLink class=class(way != DeclinedWay::TryAgain) href=Place::default().href() on_move=on_retry>{tr(Msg::PayWithAnother)}</MoveLink>
        })}
        {(!to_merchant).then(|| back.map(|url| view! {
            <a class="button secondary" href=url>{return_to}</a>
        }))}
    }
}
