//! The server's render of a link page's first screen (link-server calls
//! it; docs/architecture.md, "Server rendering"). The same `App` the
//! browser mounts, rendered to HTML from the link the server read, for the
//! URL and languages of the request. The browser then builds the same
//! screen over it from the same link (`boot`), with no read of its own.

use crate::boot::{provide_boot, provide_link, provide_reads, Boot, Carried, Preloaded};
use crate::location::Url;
use crate::posted::{provide_serving, Serving};
use leptos::prelude::*;
use leptos::tachys::view::RenderHtml;

/// Drops every future spawned while rendering: on the server nothing
/// async is waited for (reads still pending render as they do in the
/// browser before they answer, and the browser makes them).
struct Discard;

impl any_spawner::CustomExecutor for Discard {
    fn spawn(&self, _: any_spawner::PinnedFuture<()>) {}
    fn spawn_local(&self, _: any_spawner::PinnedLocalFuture<()>) {}
    fn poll_local(&self) {}
}

/// What a request asks the page for.
#[derive(Debug, Clone)]
pub struct PageRequest {
    /// The page's URL.
    pub url: Url,
    /// The browser's languages, most wanted first (`Accept-Language`).
    pub langs: Vec<String>,
    /// The link the page shows, as the public API answers it.
    pub link: Preloaded,
    /// The other reads its first screen is built from, as the API answers
    /// them (the page carries them too).
    pub reads: Vec<(Carried, String)>,
    /// The form the page answers and the key its forms carry.
    pub serving: Serving,
}

/// A rendered page: the app's HTML and what the page around it needs.
#[derive(Debug, Clone)]
pub struct Render {
    /// What goes inside `#app`.
    pub html: String,
    /// The screen waits for the institution: without its app the page
    /// reloads itself.
    pub refresh: bool,
}

/// The app's HTML for `req`.
pub fn render(req: PageRequest) -> Render {
    // Fails only when already set, by an earlier render: nothing to do.
    let _ = any_spawner::Executor::init_custom_executor(Discard);
    let boot = Boot {
        url: req.url,
        langs: req.langs,
    };
    let owner = Owner::new_root(Some(std::sync::Arc::new(
        hydration_context::SsrSharedContext::new(),
    )));
    let refresh = req.serving.refresh.clone();
    let html = owner.with(move || {
        provide_boot(boot);
        provide_link(Some(req.link));
        provide_reads(req.reads);
        provide_serving(req.serving);
        view! { <crate::App/> }.to_html()
    });
    owner.unset();
    Render {
        html,
        refresh: refresh.load(std::sync::atomic::Ordering::Relaxed),
    }
}
