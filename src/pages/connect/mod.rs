//! `/connect/secure?sl=…`: the connect link page. This module loads the
//! link (and the catalog, in parallel) and picks the language; `flow`
//! walks the user from the intro to the merchant's redirect.

mod flow;

use crate::api::{self, ApiError};
use crate::components::account_form::FormState;
use crate::components::layout::{Layout, Skeleton};
use crate::components::message::MessagePage;
use crate::i18n::use_lang;
use crate::pages::not_found::NotFound;
use druo_core::i18n::Msg;
use druo_core::lang::choose_lang;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

pub use flow::ConnectFlow;

/// The connect page: not found without an `sl`, else the flow once the
/// link has loaded, or a localized error with a retry.
#[component]
pub fn ConnectPage() -> impl IntoView {
    let query = use_query_map();
    let lang = use_lang();
    // The `lang` parameter decides at once; the link's default waits for it.
    Effect::new(move |_| {
        if let Some(l) = query.with(|q| q.get("lang")) {
            lang.set(choose_lang(Some(&l), None));
        }
    });
    let slug = query
        .with_untracked(|q| q.get("sl"))
        .filter(|s| !s.trim().is_empty());
    let Some(slug) = slug else {
        return view! { <NotFound/> }.into_any();
    };
    let slug = StoredValue::new(slug);
    let link = LocalResource::new(move || {
        let s = slug.get_value();
        async move { api::connect_link(&s).await }
    });
    // Started now, in parallel with the link, not after it.
    let institutions = LocalResource::new(api::institutions);
    // Above the boundary: a retry or re-render never loses what was typed.
    let form = FormState::new();
    view! {
        <Transition fallback=|| view! { <Layout lang_switch=true><Skeleton/></Layout> }>
            <ErrorBoundary fallback=move |errors| {
                let not_found = errors
                    .with(|e| e.iter().any(|(_, e)| matches!(e.downcast_ref::<ApiError>(), Some(ApiError::NotFound))));
                if not_found {
                    view! { <NotFound/> }.into_any()
                } else {
                    view! {
                        <MessagePage title=Msg::ServiceErrorTitle body=Msg::ServiceErrorBody>
                            <button class="primary" on:click=move |_| link.refetch()>
                                {crate::i18n::tr(Msg::Retry)}
                            </button>
                        </MessagePage>
                    }
                        .into_any()
                }
            }>
                {move || Suspend::new(async move {
                    let l = link.await?;
                    Ok::<_, ApiError>(view! { <ConnectFlow link=l institutions form slug=slug.get_value()/> })
                })}
            </ErrorBoundary>
        </Transition>
    }
    .into_any()
}
