//! A read a step needs after its page has loaded (the catalog, the
//! payer's accounts), shown by its state. A server-rendered page carries
//! these reads with its link, so its first screen is built from them at
//! once, on the server and in the browser alike.

use crate::api::ApiError;
use crate::components::layout::Skeleton;
use crate::i18n::tr;
use druo_core::i18n::Msg;
use leptos::prelude::*;
use std::future::Future;

/// A page's read: the value the page carried (`seed`), else the service's
/// answer once it is there.
pub struct PageRead<T: Send + Sync + 'static> {
    seed: RwSignal<Option<T>>,
    live: LocalResource<Result<T, ApiError>>,
}

impl<T: Send + Sync + 'static> Clone for PageRead<T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T: Send + Sync + 'static> Copy for PageRead<T> {}

impl<T: Clone + Send + Sync + 'static> PageRead<T> {
    /// Ready at once with `seed` (what the page carried); without one,
    /// `fetch` starts now. A carried value is never fetched again, unless
    /// [`PageRead::refetch`] asks.
    pub fn new<Fut>(seed: Option<T>, fetch: impl Fn() -> Fut + 'static) -> Self
    where
        Fut: Future<Output = Result<T, ApiError>> + 'static,
    {
        let seed = RwSignal::new(seed);
        let live = LocalResource::new(move || {
            let fut = seed.with_untracked(Option::is_none).then(&fetch);
            async move {
                match fut {
                    Some(fut) => fut.await,
                    // Never asked for: the carried value stands.
                    None => std::future::pending().await,
                }
            }
        });
        PageRead { seed, live }
    }

    /// The value, or the read's error; `None` while it loads (tracked).
    pub fn get(&self) -> Option<Result<T, ApiError>> {
        match self.seed.get() {
            Some(v) => Some(Ok(v)),
            None => self.live.get(),
        }
    }

    /// The value if it is there now (untracked).
    pub fn ready(&self) -> Option<T> {
        self.seed
            .get_untracked()
            .or_else(|| self.live.get_untracked().and_then(Result::ok))
    }

    /// Reads again from the service (Retry).
    pub fn refetch(&self) {
        self.seed.set(None);
        self.live.refetch();
    }
}

/// A skeleton while `read` loads; if it failed, the service error and
/// Retry (with the class `retry_class`), then `also` (another way on, if
/// the step has one); `ready` with the value once it is there.
pub fn step_read<T, V, A>(
    read: PageRead<T>,
    retry_class: &'static str,
    also: impl Fn() -> A + Send + Sync + 'static,
    ready: impl Fn(T) -> V + Send + Sync + 'static,
) -> impl IntoView
where
    T: Clone + Send + Sync + 'static,
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

#[cfg(test)]
mod tests {
    use super::*;

    /// Drops what is spawned: these tests look at a read before any
    /// answer could arrive.
    struct Idle;

    impl any_spawner::CustomExecutor for Idle {
        fn spawn(&self, _: any_spawner::PinnedFuture<()>) {}
        fn spawn_local(&self, _: any_spawner::PinnedLocalFuture<()>) {}
        fn poll_local(&self) {}
    }

    #[test]
    fn a_carried_read_is_ready_at_once_and_retry_reads_the_service_again() {
        // Fails only when set already, by another test: nothing to do.
        let _ = any_spawner::Executor::init_custom_executor(Idle);
        let owner = Owner::new();
        owner.with(|| {
            // Counts the service's reads; an answer never comes.
            let calls = std::rc::Rc::new(std::cell::Cell::new(0));
            let fetch = {
                let calls = calls.clone();
                move || {
                    calls.set(calls.get() + 1);
                    std::future::pending::<Result<u32, ApiError>>()
                }
            };
            let carried = PageRead::new(Some(3_u32), fetch.clone());
            assert_eq!(carried.ready(), Some(3));
            assert!(matches!(carried.get(), Some(Ok(3))));
            assert_eq!(calls.get(), 0, "a carried read is not read again");
            // Retry drops the carried value: loading, until the service answers.
            carried.refetch();
            assert_eq!(carried.ready(), None);
            assert!(carried.get().is_none());
            let fetched = PageRead::new(None, fetch);
            assert_eq!(calls.get(), 1, "a read not carried starts at once");
            assert!(fetched.get().is_none());
        });
    }
}
