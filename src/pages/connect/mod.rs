//! `/connect/secure?sl=…`: the connect link page. This module starts the
//! reads (the link and the catalog, in parallel); `flow` walks the user
//! from the intro to the merchant's redirect.

mod flow;
mod intro;
mod outcome;
mod step;

use crate::api;
use crate::boot::{take_read, Carried};
use crate::components::account_form::FormState;
use crate::components::step_read::PageRead;
use crate::pages::link_loader::link_page;
use druo_core::dto::PublicConnectLink;
use leptos::prelude::*;

pub use flow::ConnectFlow;
pub use step::Connect;

/// The connect page: not found without an `sl`, else the flow once the
/// link has loaded, or a localized error with a retry.
#[component]
pub fn ConnectPage() -> impl IntoView {
    link_page(|slug| {
        // Carried by a server-rendered page; else started now, in
        // parallel with the link, not after it.
        let institutions = PageRead::new(take_read(Carried::Institutions), api::institutions);
        // Above the loader: a retry or re-render never loses what was typed.
        let form = FormState::new();
        move |link: PublicConnectLink| {
            view! { <ConnectFlow link institutions form slug=slug.get_value()/> }
        }
    })
}
