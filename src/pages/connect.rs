//! `/connect/secure?sl=…`

use crate::components::message::MessagePage;
use druo_core::i18n::Msg;
use leptos::prelude::*;

///  placeholder until the connect flow lands.:The connect page (placeholder).
#[component]
pub fn ConnectPage() -> impl IntoView {
    view! { <MessagePage title=Msg::ConnectTitle body=Msg::UnderConstruction/> }
}
