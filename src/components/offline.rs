//! The offline banner: shown while the browser reports no network, gone
//! when it returns. Nothing typed is touched; submits made while offline
//! fail like any network error and keep their input and key, and say
//! so in words that agree with the banner ([`network_failure`]).

use crate::i18n::tr;
use druo_core::i18n::Msg;
use leptos::ev;
use leptos::prelude::*;

/// What a submit or payment that could not reach DRUO says: offline,
/// that nothing was sent (the banner says why); else that DRUO can't be
/// reached.
pub fn network_failure() -> Msg {
    if crate::browser::LIVE && !window().navigator().on_line() {
        Msg::SubmitOffline
    } else {
        Msg::SubmitFailed
    }
}

/// A polite live region saying the user is offline.
#[component]
pub fn OfflineBanner() -> impl IntoView {
    // The server renders the page as online, as nearly every first load
    // is; the first screen in the browser does too (a hydrated screen must
    // be the server's), and the browser's word follows right after.
    let online = RwSignal::new(true);
    if crate::browser::LIVE {
        Effect::new(move || online.set(window().navigator().on_line()));
    }
    let on = window_event_listener(ev::online, move |_| online.set(true));
    let off = window_event_listener(ev::offline, move |_| online.set(false));
    on_cleanup(move || {
        on.remove();
        off.remove();
    });
    view! {
        <div class="offline-banner" role="status" aria-live="polite">
            <Show when=move || !online.get()>
                <p>{tr(Msg::Offline)}</p>
            </Show>
        </div>
    }
}
