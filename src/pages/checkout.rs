//! `/checkout/?sl=…`

use crate::components::message::MessagePage;
use druo_core::i18n::Msg;
use leptos::prelude::*;

///  placeholder until the checkout flow lands.:The checkout page (placeholder).
#[component]
pub fn CheckoutPage() -> impl IntoView {
    view! { <MessagePage title=Msg::CheckoutTitle body=Msg::UnderConstruction/> }
}
