//! Moving between steps. Focus moves to each new step's heading so screen
//! readers announce it, but not on a page's first paint (the user has not
//! moved yet), and never where the host says steps must not take focus
//! (the studio's frames, where focus belongs to the designer's panel).

use super::clock::ExpiryClock;
use super::state::{End, Step};
use druo_core::dto::LinkState;
use druo_core::finish::Finish;
use leptos::prelude::*;

/// The current step of a flow (or sub-flow) and whether it takes focus.
pub struct Steps<S: Send + Sync + 'static> {
    now: RwSignal<S>,
    focus: StoredValue<bool>,
    takes_focus: bool,
}

impl<S: Send + Sync + 'static> Clone for Steps<S> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<S: Send + Sync + 'static> Copy for Steps<S> {}

impl<S: Clone + Send + Sync + 'static> Steps<S> {
    /// Starts at `first`. Its heading takes focus only when `entered`: a
    /// sub-flow that appears because the user moved (the connector).
    pub fn new(first: S, takes_focus: bool, entered: bool) -> Self {
        Steps {
            now: RwSignal::new(first),
            focus: StoredValue::new(takes_focus && entered),
            takes_focus,
        }
    }

    /// Moves to `step`; its heading takes focus.
    pub fn go(&self, step: S) {
        self.focus.set_value(self.takes_focus);
        self.now.set(step);
    }

    /// Moves to `step`; its heading does not take focus (the caller puts
    /// focus where the person is expected to act).
    pub fn go_quietly(&self, step: S) {
        self.focus.set_value(false);
        self.now.set(step);
    }

    /// The current step, untracked (for event handlers).
    pub fn current(&self) -> S {
        self.now.get_untracked()
    }

    /// The current step (tracked).
    pub fn get(&self) -> S {
        self.now.get()
    }

    /// Whether the step being shown takes focus.
    pub fn focus(&self) -> bool {
        self.focus.get_value()
    }

    /// Whether steps here take focus at all (not in the studio's frames,
    /// where focus belongs to the designer's panel).
    pub fn takes_focus(&self) -> bool {
        self.takes_focus
    }
}

impl<P: Clone + Send + Sync + 'static> Steps<Step<P>> {
    /// A flow for a loaded link: at `start` when given, else at the end
    /// the link's state (or the clock, since) calls for, else at `first`.
    pub(super) fn open(
        state: LinkState,
        clock: ExpiryClock,
        first: P,
        start: Option<Step<P>>,
        takes_focus: bool,
    ) -> Self {
        let step = start.unwrap_or_else(|| match End::of(state) {
            Some(end) => Step::End(end),
            None if clock.expired() => Step::End(End::Expired),
            None => Step::Page(first),
        });
        Steps::new(step, takes_focus, false)
    }

    /// Moves to one of the page's own steps.
    pub fn to(&self, page: P) {
        self.go(Step::Page(page));
    }

    /// Ends the page.
    pub fn end(&self, end: End) {
        self.go(Step::End(end));
    }

    /// Follows the finish `druo_core::finish` decided: leave for the
    /// merchant's URL, or show DRUO's confirmation.
    pub fn finish(&self, decision: Finish) {
        match decision {
            Finish::Redirect(url) => {
                self.end(End::Redirecting);
                let _ = window().location().assign(&url);
            }
            Finish::Confirmation(ret) => self.end(End::Done(ret)),
        }
    }
}

/// The focus rules as a person meets them, natively (`Owner::new().set()`,
/// as leptos-use tests its helpers): no browser, no DOM.
#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_move_takes_focus_a_first_paint_and_a_quiet_move_do_not() {
        Owner::new().set();
        // A page's first paint: the person has not moved yet.
        let page = Steps::new(1, true, false);
        assert!(!page.focus());
        page.go(2);
        assert_eq!((page.current(), page.focus()), (2, true));
        // A move that puts focus where the person acts (a field).
        page.go_quietly(3);
        assert_eq!((page.current(), page.focus()), (3, false));
        // A sub-flow that appears because the person moved.
        assert!(Steps::new(1, true, true).focus());
    }

    #[test]
    fn a_studio_frame_never_takes_the_designers_focus() {
        Owner::new().set();
        let frame = Steps::new(1, false, true);
        assert!(!frame.focus() && !frame.takes_focus());
        frame.go(2);
        assert_eq!((frame.current(), frame.focus()), (2, false));
    }

    #[test]
    fn an_end_replaces_the_page_and_takes_focus() {
        Owner::new().set();
        let flow: Steps<Step<u8>> = Steps::new(Step::Page(1), true, false);
        flow.to(2);
        assert_eq!(flow.current(), Step::Page(2));
        flow.end(End::Expired);
        assert_eq!(
            (flow.current(), flow.focus()),
            (Step::End(End::Expired), true)
        );
    }
}
