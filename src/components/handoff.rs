//! "Continue on your phone" (issue 27): on a desktop, a QR code of this
//! page at this step (drawn by link-server, `GET /api/v1/qr.svg`), so the
//! person finishes where their bank's or wallet's app is, and the address
//! in words. While it is open the page asks how the link stands every few
//! seconds (never in a hidden tab) and shows the end the phone reached,
//! without a reload. CSS shows it only with a fine pointer on a wide
//! screen; a `<details>`, so keyboards and screen readers open it. The QR
//! and the following need the app: opened without it, it says what to do
//! and shows no code (docs/api.md, "Continue on your phone").

use crate::components::link_flow::PublicLink;
use crate::i18n::tr;
use crate::location::use_url;
use druo_core::dto::LinkState;
use druo_core::i18n::Msg;
use druo_core::route::{api_path, link_slug, Route, API_PREFIX};
use druo_core::url::percent_encode;
use leptos::prelude::*;

/// How often an open hand-off asks how the link stands.
const FOLLOW_MS: i32 = 3_000;

/// The hand-off for the link `slug`; `on_end` gets the link once it is no
/// longer open (completed on the phone, or expired).
pub fn phone_handoff<L: PublicLink>(
    slug: StoredValue<String>,
    on_end: Callback<L>,
) -> impl IntoView {
    let url = use_url();
    // This page at this step: the QR follows every move.
    let src = move || {
        let here = url.with(|u| u.href_with(&[]));
        [API_PREFIX, api_path::QR_CODE, "?u=", &percent_encode(&here)].concat()
    };
    let (open, round) = (RwSignal::new(false), StoredValue::new(0u32));
    let address = RwSignal::new(String::new());
    let on_toggle = move |_| {
        open.update(|o| *o = !*o);
        if !open.get_untracked() {
            return;
        }
        // The link's own address, for typing: origin, page and slug.
        let origin = window().location().origin().unwrap_or_default();
        let page = url.with_untracked(|u| {
            Route::from_path(&u.path).link_url(&origin, &link_slug(&u.query).unwrap_or_default())
        });
        address.set(page);
        round.update_value(|r| *r += 1);
        let this = round.get_value();
        leptos::task::spawn_local(async move {
            loop {
                crate::api::sleep(FOLLOW_MS).await;
                // Closed, opened again (a newer round follows), or gone.
                if open.try_get_untracked() != Some(true) || round.try_get_value() != Some(this) {
                    return;
                }
                if document().hidden() {
                    continue;
                }
                if let Ok(l) = L::read(slug.get_value()).await {
                    if l.facts().0 != LinkState::Open {
                        on_end.run(l);
                        return;
                    }
                }
            }
        });
    };
    // Served as it is live, so nothing on the first screen moves: the QR
    // and the address are drawn once it is opened (the QR is asked for
    // then, never on a phone). It follows the link with the app only.
    view! {
        <details class="handoff" on:toggle=on_toggle>
            <summary>{tr(Msg::HandoffTitle)}</summary>
            <p>{tr(Msg::HandoffBody)}</p>
            {move || open.get().then(|| view! {
                <img class="handoff-qr" src=src alt=tr(Msg::HandoffQrAlt) width="176" height="176"/>
                <p class="hint">{tr(Msg::HandoffOrType)}" "<span class="handoff-url">{move || address.get()}</span></p>
            })}
        </details>
    }
}
