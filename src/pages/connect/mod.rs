//! `/connect/secure?sl=…`: the connect link page. This module loads the
//! link (and the catalog, in parallel) and picks the language; `flow`
//! walks the user from the intro to the merchant's redirect.

mod flow;

use crate::api;
use crate::components::account_form::FormState;
use crate::i18n::use_lang;
use crate::location::use_url;
use crate::pages::link_loader::{slug_from_query, LinkLoader};
use crate::pages::not_found::NotFound;
use druo_core::lang::choose_lang;
use leptos::prelude::*;

pub use flow::{follow_link_lang, ConnectFlow};

/// Applies the URL's `lang` at once; the link's default waits for the link.
pub fn follow_lang_param() {
    let url = use_url();
    let lang = use_lang();
    Effect::new(move |_| {
        if let Some(l) = url.with(|u| u.get("lang")) {
            lang.set(choose_lang(Some(&l), None));
        }
    });
}

/// The connect page: not found without an `sl`, else the flow once the
/// link has loaded, or a localized error with a retry.
#[component]
pub fn ConnectPage() -> impl IntoView {
    follow_lang_param();
    let Some(slug) = slug_from_query() else {
        return view! { <NotFound/> }.into_any();
    };
    let slug = StoredValue::new(slug);
    let link = LocalResource::new(move || {
        let s = slug.get_value();
        async move { api::connect_link(&s).await }
    });
    // Started now, in parallel with the link, not after it.
    let institutions = LocalResource::new(api::institutions);
    // Above the loader: a retry or re-render never loses what was typed.
    let form = FormState::new();
    view! {
        <LinkLoader
            link
            view=move |l| view! { <ConnectFlow link=l institutions form slug=slug.get_value()/> }
        />
    }
    .into_any()
}
