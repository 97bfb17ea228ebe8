//! Loading a link for a page: the skeleton while it loads, the not-found
//! page on a 404, a localized error with Retry on anything else, and the
//! page's own view once it is there. Shared by the connect and checkout
//! pages.

use crate::api::ApiError;
use crate::components::layout::{Layout, Skeleton};
use crate::components::message::MessagePage;
use crate::i18n::tr;
use crate::pages::not_found::NotFound;
use druo_core::i18n::Msg;
use leptos::prelude::*;

/// Renders `view` with the loaded link, inside `Transition` and
/// `ErrorBoundary`.
#[component]
pub fn LinkLoader<T, V, F>(
    /// The link being fetched.
    link: LocalResource<Result<T, ApiError>>,
    /// What to show once it is there.
    view: F,
) -> impl IntoView
where
    T: Clone + 'static,
    V: IntoView + 'static,
    F: Fn(T) -> V + Clone + Send + Sync + 'static,
{
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
                            <button class="primary" on:click=move |_| link.refetch()>{tr(Msg::Retry)}</button>
                        </MessagePage>
                    }
                        .into_any()
                }
            }>
                {
                    let view = view.clone();
                    move || {
                        let view = view.clone();
                        Suspend::new(async move {
                            let l = link.await?;
                            Ok::<_, ApiError>(view(l))
                        })
                    }
                }
            </ErrorBoundary>
        </Transition>
    }
}

/// The `sl` of the current URL, when present and not blank.
pub fn slug_from_query() -> Option<String> {
    crate::location::use_url().with_untracked(|u| druo_core::route::link_slug(&u.query))
}

/// A check of the link's expiry by the service's clock: `server_time` when
/// the link was fetched plus the time the page has been open.
pub fn expiry_clock(
    expiration_date: Option<String>,
    server_time: String,
) -> impl Fn() -> bool + Copy + 'static {
    let loaded_at = js_sys::Date::now();
    let clock = StoredValue::new((expiration_date, server_time));
    move || {
        clock.with_value(|(exp, now)| {
            druo_core::finish::expired_now(
                exp.as_deref(),
                now,
                (js_sys::Date::now() - loaded_at) as i64,
            )
        })
    }
}
