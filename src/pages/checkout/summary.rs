//! The payment summary: who is paid, how much and what for, always in
//! view; the statement line and the link's reference one tap away.

use crate::i18n::{tr, use_lang};
use druo_core::dto::PublicCheckoutLink;
use druo_core::i18n::Msg;
use leptos::prelude::*;

/// From this width up the summary is a sidebar and its details start open.
/// An integer: a float attribute brings its own code into the wasm.
const WIDE: u16 = 760;

/// The summary beside the payment box, or above it on a phone. The
/// amount dominates; the reference (the merchant's, else the link's name,
/// as on the receipt) is in the details (a native `<details>`: keyboard
/// and screen reader support without extra code).
#[component]
pub fn Summary(
    link: StoredValue<PublicCheckoutLink>,
    /// The formatted amount.
    amount: Memo<String>,
    /// Whether the details start open; `None`: open on a wide window.
    open: Option<bool>,
) -> impl IntoView {
    let lang = use_lang();
    // The server cannot know the width: it renders the details closed and
    // marked, and index.html's inline script opens them on a wide window
    // before the first paint, as this does in the browser.
    let open = open.unwrap_or_else(|| {
        crate::browser::LIVE
            && window()
                .inner_width()
                .ok()
                .and_then(|w| w.as_f64())
                .is_some_and(|w| w >= f64::from(WIDE))
    });
    let field = move |f: fn(&PublicCheckoutLink) -> Option<String>| link.with_value(f);
    // What the payment is for: the transaction's own words first.
    let concept = field(|l| l.transaction.description.clone());
    let about = field(|l| l.link_description.clone());
    let (pay_for, about) = match concept {
        Some(c) => (Some(c), about),
        None => (about, None),
    };
    view! {
        <aside class="sidebar" aria-label=move || Msg::PaymentSummary.text(lang.get())>
            <p class="payee">{tr(Msg::PayeeLabel)}" "<strong>{link.with_value(|l| l.merchant_name.clone())}</strong></p>
            <p class="summary-amount" {..crate::components::dom::meaningful()}>{amount}</p>
            {pay_for.map(|d| view! { <p class="pay-for">{d}</p> })}
            <details class="summary-panel" open=open data-open-wide=WIDE>
                <summary>{tr(Msg::PaymentDetails)}</summary>
                {about.map(|d| view! { <p class="link-description">{d}</p> })}
                <dl class="summary">
                    {field(|l| l.transaction.statement_descriptor.clone()).map(|d| view! {
                        <dt>{tr(Msg::StatementLabel)}</dt><dd class="descriptor">{d}</dd>
                    })}
                    <dt>{tr(Msg::ReferenceLabel)}</dt>
                    <dd>{link.with_value(|l| l.shown_reference().to_owned())}</dd>
                </dl>
            </details>
        </aside>
    }
}
