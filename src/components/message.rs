//! A page that is only a heading and a paragraph: not found, placeholders,
//! and the simple end states.

use crate::components::icon::{moment, Icon};
use crate::components::layout::Layout;
use crate::i18n::tr;
use druo_core::i18n::Msg;
use leptos::prelude::*;

/// A framed page with a localized title and body, and optional extra
/// content below them.
#[component]
pub fn MessagePage(
    /// The moment's icon.
    icon: Icon,
    title: Msg,
    body: Msg,
    #[prop(optional)] children: Option<Children>,
) -> impl IntoView {
    view! {
        <Layout>
            {moment(icon)}
            <h1 class="page-title">{tr(title)}</h1>
            <p class="moment-text">{tr(body)}</p>
            {children.map(|c| c())}
        </Layout>
    }
}

/// "Link not found", localized, with no form: what any unknown address, or
/// a link that does not exist, shows.
#[component]
pub fn NotFound() -> impl IntoView {
    view! { <MessagePage icon=Icon::NotFound title=Msg::NotFoundTitle body=Msg::NotFoundBody/> }
}
