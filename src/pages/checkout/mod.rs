//! `/checkout/?sl=…` (and `/checkout?sl=…`): the checkout link page. This
//! module starts the reads (the link, the payer's accounts and the
//! catalog, in parallel); `flow` takes the payment.

mod flow;
mod moves;
mod outcome;
mod pay;
mod payment;
mod step;
mod summary;

use crate::api;
use crate::boot::{take_read, Carried};
use crate::components::account_form::FormState;
use crate::components::step_read::PageRead;
use crate::pages::link_loader::link_page;
use druo_core::dto::PublicCheckoutLink;
use leptos::prelude::*;

pub use crate::components::account_choice::PayState;
pub use flow::CheckoutFlow;
pub use step::Checkout;

/// The checkout page: not found without an `sl`, else the flow once the
/// link has loaded, or a localized error with a retry.
#[component]
pub fn CheckoutPage() -> impl IntoView {
    link_page(|slug| {
        // Carried by a server-rendered page; else started now, in
        // parallel with the link.
        let accounts = PageRead::new(take_read(Carried::Accounts), move || {
            let s = slug.get_value();
            async move { api::checkout_accounts(&s).await }
        });
        let institutions = PageRead::new(take_read(Carried::Institutions), api::institutions);
        // Above the loader: nothing chosen or typed is lost on a retry.
        let (form, pay) = (FormState::new(), PayState::new());
        move |link: PublicCheckoutLink| {
            // A page the server rendered is built whole at once, as the
            // server built it; else in two tasks (CheckoutFlow).
            let staged = crate::browser::LIVE && !crate::boot::server_rendered();
            view! { <CheckoutFlow link accounts institutions form pay slug=slug.get_value() staged/> }
        }
    })
}
