//! What the connect and checkout flows do the same way: where a loaded
//! link opens, moving between steps with focus following, the expiry check
//! by the service's clock, the finish (the merchant's redirect or DRUO's
//! confirmation), the answers that end the page, and the end views.

mod ending;
mod link;
mod steps;

pub use ending::{Ending, Words};
pub use link::PublicLink;
pub use steps::Steps;

use crate::api::{self, ApiError};
use crate::components::account_connector::AccountStep;
use druo_core::dto::{LinkState, PublicAccount};
use leptos::prelude::*;

/// How a link page ends.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum End {
    /// Finished; DRUO's confirmation, with "Return to" when there is a URL.
    Done(Option<String>),
    /// Finished; leaving for the merchant's URL.
    Redirecting,
    /// The link expired (on load, by the clock, or answered by a submit).
    Expired,
    /// The link was already used (connected, or paid).
    Used,
    /// The link vanished between load and submit.
    Gone,
}

impl End {
    /// The end a link in `state` stands at; none while it is open.
    fn of(state: LinkState) -> Option<End> {
        match state {
            LinkState::Open => None,
            LinkState::Expired => Some(End::Expired),
            LinkState::Completed => Some(End::Used),
        }
    }

    /// The end an answer leads to when it ends the page rather than the
    /// step: the link expired or was used (the service's link-state
    /// refusals), or vanished (404). `None` for anything the step handles.
    pub fn after(e: &ApiError) -> Option<End> {
        if matches!(e, ApiError::NotFound) {
            return Some(End::Gone);
        }
        e.rejected_status()
            .and_then(LinkState::refused_by)
            .and_then(End::of)
    }
}

/// Where a link page is: one of its own steps, or an end.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Step<P> {
    /// A step of the page's own (intro, account, payment…).
    Page(P),
    /// An end every link page shares.
    End(End),
}

/// Where a flow starts and whether its steps take focus. A live page
/// uses the default: the step the link's state calls for, the connector at
/// its first step with no account, and focus that follows the steps. The
/// studio sets each to show one state in a frame without taking the
/// designer's focus.
#[derive(Debug, Clone, PartialEq)]
pub struct Start<P> {
    /// The first step; `None` for the one the link's state calls for.
    pub step: Option<Step<P>>,
    /// The account connector's first step, when the flow starts in it.
    pub account_step: AccountStep,
    /// The account the pending, rejected and confirmation steps show.
    pub account: Option<PublicAccount>,
    /// Whether a new step's heading takes focus.
    pub focus: bool,
}

impl<P> Default for Start<P> {
    fn default() -> Self {
        Start {
            step: None,
            account_step: AccountStep::default(),
            account: None,
            focus: true,
        }
    }
}

/// A check of the link's expiry by the service's clock: `server_time`
/// when the link was fetched plus the time the page has been open, so a
/// phone with a wrong clock does not matter.
#[derive(Clone, Copy)]
pub struct ExpiryClock {
    loaded_at: f64,
    times: StoredValue<(Option<String>, String)>,
}

impl ExpiryClock {
    /// True once the link has expired.
    pub fn expired(&self) -> bool {
        let open_for = (js_sys::Date::now() - self.loaded_at) as i64;
        self.times
            .with_value(|(exp, now)| druo_core::finish::expired_now(exp.as_deref(), now, open_for))
    }
}

/// The loaded link as a flow and its connector use it: the slug its calls
/// go to, the merchant the texts name, and its expiry clock.
#[derive(Clone, Copy)]
pub struct FlowLink {
    /// The link's slug.
    pub slug: StoredValue<String>,
    /// The merchant's name.
    pub merchant: StoredValue<String>,
    /// The link's expiry, by the service's clock.
    pub clock: ExpiryClock,
}

/// The idempotency key of a submit: the one kept from a try that got no
/// answer (so a retry is the same logical submit), else a new one, kept
/// until the answer arrives.
pub fn submit_key(kept: RwSignal<Option<String>>) -> String {
    let key = kept
        .get_untracked()
        .unwrap_or_else(api::new_idempotency_key);
    kept.set(Some(key.clone()));
    key
}
