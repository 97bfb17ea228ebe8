//! Loading a link for a page: its slug from the URL, the skeleton while it
//! loads, the not-found page on a 404, a localized error with Retry on
//! anything else, and the page's own flow once it is there, with the
//! link's language and theme put on the page. Shared by the connect and
//! checkout pages.

use crate::api::ApiError;
use crate::boot::Preloaded;
use crate::components::icon::Icon;
use crate::components::layout::{Layout, Skeleton};
use crate::components::link_flow::PublicLink;
use crate::components::message::{MessagePage, NotFound};
use crate::components::theme::apply_theme;
use crate::i18n::{follow_link_lang, tr};
use druo_core::i18n::Msg;
use leptos::prelude::*;
use std::future::Future;

/// A link page: not found without an `sl` in the URL. Else the link's
/// read starts, then `setup(slug)` starts the page's other reads (all in
/// parallel) and returns its flow, shown once the link is there.
pub fn link_page<L, F, V>(setup: impl FnOnce(StoredValue<String>) -> F) -> AnyView
where
    L: PublicLink,
    F: Fn(L) -> V + Clone + Send + Sync + 'static,
    V: IntoView + 'static,
{
    let slug = crate::location::use_url().with_untracked(|u| druo_core::route::link_slug(&u.query));
    let Some(slug) = slug.map(StoredValue::new) else {
        return view! { <NotFound/> }.into_any();
    };
    // The link the server rendered the page with, if it did: the same
    // first screen is built from it at once, with no read and no skeleton.
    let preloaded = crate::boot::take_link();
    if preloaded == Some(Preloaded::Missing) {
        return view! { <NotFound/> }.into_any();
    }
    let booted = preloaded.and_then(|p| p.read::<L>());
    // `Ok`: rendered from the boot link; `Err`: the read, started now.
    let link = booted.ok_or_else(|| read_by_slug(slug, L::read));
    let flow = setup(slug);
    let view = move |l: L| {
        // A live page owns the document: the link's language and theme go
        // on it (the studio themes its frames instead).
        follow_link_lang(l.language());
        apply_theme(l.theme_vars());
        flow(l)
    };
    match link {
        Ok(l) => view(l).into_any(),
        Err(link) => view! { <LinkLoader link view/> }.into_any(),
    }
}

/// A read of the link behind `slug`, started now.
fn read_by_slug<T, Fut>(
    slug: StoredValue<String>,
    read: impl Fn(String) -> Fut + 'static,
) -> LocalResource<T>
where
    T: 'static,
    Fut: Future<Output = T> + 'static,
{
    LocalResource::new(move || read(slug.get_value()))
}

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
                        <MessagePage icon=Icon::Error title=Msg::ServiceErrorTitle body=Msg::ServiceErrorBody>
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
