//! `/checkout/?sl=…` (and `/checkout?sl=…`): the checkout link page. This
//! module loads the link, the payer's accounts and the catalog in
//! parallel; `flow` takes the payment.

mod flow;

use crate::api;
use crate::components::account_form::FormState;
use crate::pages::connect::follow_lang_param;
use crate::pages::link_loader::{slug_from_query, LinkLoader};
use crate::pages::not_found::NotFound;
use leptos::prelude::*;

pub use crate::components::account_choice::PayState;
pub use flow::CheckoutFlow;

/// The checkout page: not found without an `sl`, else the flow once the
/// link has loaded, or a localized error with a retry.
#[component]
pub fn CheckoutPage() -> impl IntoView {
    follow_lang_param();
    let Some(slug) = slug_from_query() else {
        return view! { <NotFound/> }.into_any();
    };
    let slug = StoredValue::new(slug);
    let link = LocalResource::new(move || {
        let s = slug.get_value();
        async move { api::checkout_link(&s).await }
    });
    let accounts = LocalResource::new(move || {
        let s = slug.get_value();
        async move { api::checkout_accounts(&s).await }
    });
    let institutions = LocalResource::new(api::institutions);
    // Above the loader: nothing chosen or typed is lost on a retry.
    let form = FormState::new();
    let pay = PayState::new();
    view! {
        <LinkLoader
            link
            view=move |l| view! { <CheckoutFlow link=l accounts institutions form pay slug=slug.get_value()/> }
        />
    }
    .into_any()
}
