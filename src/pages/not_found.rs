//! What any unknown address, or a link that does not exist, shows.

use crate::components::icon::Icon;
use crate::components::message::MessagePage;
use druo_core::i18n::Msg;
use leptos::prelude::*;

/// "Link not found", localized, with no form.
#[component]
pub fn NotFound() -> impl IntoView {
    view! { <MessagePage icon=Icon::NotFound title=Msg::NotFoundTitle body=Msg::NotFoundBody/> }
}
