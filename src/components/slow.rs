//! Progress that a screen reader announces when a call is slow.

use crate::i18n::tr;
use druo_core::i18n::Msg;
use leptos::prelude::*;
use std::time::Duration;

/// After two seconds of `pending`, "Still working…" in a status region
/// (present from the start, so its new text is announced).
#[component]
pub fn SlowNotice(#[prop(into)] pending: Signal<bool>) -> impl IntoView {
    let slow = RwSignal::new(false);
    Effect::new(move |_| {
        if pending.get() {
            let still = move || {
                if pending.try_get_untracked() == Some(true) {
                    _ = slow.try_set(true);
                }
            };
            set_timeout(still, Duration::from_secs(2));
        } else {
            slow.set(false);
        }
    });
    let text = tr(Msg::StillWorking);
    view! { <p class="notice slow" role="status">{move || slow.get().then(text)}</p> }
}
