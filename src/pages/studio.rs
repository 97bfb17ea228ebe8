//! `/preview`

use crate::components::message::MessagePage;
use druo_core::i18n::Msg;
use leptos::prelude::*;

///  the theme studio (placeholder until its issue lands).:The theme studio (placeholder).
#[component]
pub fn StudioPage() -> impl IntoView {
    view! { <MessagePage title=Msg::StudioTitle body=Msg::UnderConstruction/> }
}
