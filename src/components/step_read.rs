//! A read a step needs after its page has loaded (the catalog, the
//! payer's accounts), shown by its state.

use crate::api::ApiError;
use crate::components::layout::Skeleton;
use crate::i18n::tr;
use druo_core::i18n::Msg;
use leptos::prelude::*;

/// A skeleton while `read` loads; if it failed, the service error and
/// Retry (with the class `retry_class`), then `also` (another way on, if
/// the step has one); `ready` with the value once it is there.
pub fn step_read<T, V, A>(
    read: LocalResource<Result<T, ApiError>>,
    retry_class: &'static str,
    also: impl Fn() -> A + Send + Sync + 'static,
    ready: impl Fn(T) -> V + Send + Sync + 'static,
) -> impl IntoView
where
    T: Clone + 'static,
    V: IntoView + 'static,
    A: IntoView + 'static,
{
    move || match read.get() {
        None => view! { <Skeleton/> }.into_any(),
        Some(Err(_)) => view! {
            <p class="notice" role="alert">{tr(Msg::ServiceErrorBody)}</p>
            <button class=retry_class on:click=move |_| read.refetch()>{tr(Msg::Retry)}</button>
            {also()}
        }
        .into_any(),
        Some(Ok(value)) => ready(value).into_any(),
    }
}
