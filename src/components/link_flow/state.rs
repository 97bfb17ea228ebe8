//! Where a link page is: its own steps, the ends every link page shares,
//! and where a flow starts.

use crate::api::ApiError;
use crate::components::account_step::AccountStep;
use druo_core::dto::{LinkState, PublicAccount};
use druo_core::finish::Finish;

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
    pub(super) fn of(state: LinkState) -> Option<End> {
        match state {
            LinkState::Open => None,
            LinkState::Expired => Some(End::Expired),
            LinkState::Completed => Some(End::Used),
        }
    }

    /// Where a completed link reopens: its confirmation, with the way back
    /// when there is one (never an automatic redirect again).
    pub fn reopened(finish: Finish) -> End {
        match finish {
            Finish::Confirmation(url) => End::Done(url),
            Finish::Redirect(url) => End::Done(Some(url)),
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

impl<P> Start<P> {
    /// This start, resuming `held` when there is one: an account whose
    /// pending validation a reload or a return from the bank's app finds
    /// (the connector opens at its step, with it); and whether it does.
    pub fn resuming(self, held: Option<(AccountStep, PublicAccount)>) -> (Self, bool) {
        match held {
            Some((account_step, acc)) => (
                Start {
                    account_step,
                    account: Some(acc),
                    ..self
                },
                true,
            ),
            None => (self, false),
        }
    }
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
