//! The payment summary: who is paid, for what, and how much.

use crate::i18n::{tr, use_lang};
use druo_core::dto::PublicCheckoutLink;
use druo_core::i18n::Msg;
use leptos::prelude::*;

/// From this width up the summary is a sidebar and starts open.
const WIDE: f64 = 760.0;

/// The summary beside the payment box, or above it on a phone. A native
/// `<details>`: collapsed it still shows the amount, and it works with a
/// keyboard and a screen reader without extra code.
#[component]
pub fn Summary(
    link: StoredValue<PublicCheckoutLink>,
    /// The formatted amount.
    amount: Memo<String>,
    /// Whether it starts open; `None`: open on a wide window.
    open: Option<bool>,
) -> impl IntoView {
    let lang = use_lang();
    let open = open.unwrap_or_else(|| {
        window()
            .inner_width()
            .ok()
            .and_then(|w| w.as_f64())
            .is_some_and(|w| w >= WIDE)
    });
    let field = move |f: fn(&PublicCheckoutLink) -> Option<String>| link.with_value(f);
    view! {
        <aside class="sidebar" aria-label=move || Msg::PaymentSummary.text(lang.get())>
            <details class="summary-panel" open=open>
                <summary>
                    <span>{tr(Msg::PaymentSummary)}</span>
                    <strong class="summary-amount" {..crate::components::dom::meaningful()}>{amount}</strong>
                </summary>
                <p class="payee">{tr(Msg::PayeeLabel)}" "<strong>{link.with_value(|l| l.merchant_name.clone())}</strong></p>
                <h2 class="link-name">{link.with_value(|l| l.link_name.clone())}</h2>
                {field(|l| l.link_description.clone()).map(|d| view! { <p class="link-description">{d}</p> })}
                <dl class="summary">
                    <dt>{tr(Msg::AmountLabel)}</dt>
                    <dd class="amount">{amount}</dd>
                    {field(|l| l.transaction.description.clone()).map(|d| view! {
                        <dt>{tr(Msg::ConceptLabel)}</dt><dd>{d}</dd>
                    })}
                    {field(|l| l.transaction.statement_descriptor.clone()).map(|d| view! {
                        <dt>{tr(Msg::StatementLabel)}</dt><dd class="descriptor">{d}</dd>
                    })}
                </dl>
            </details>
        </aside>
    }
}
