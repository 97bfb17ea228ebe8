//! A flow's steps in the browser's history. Each step the person moves to
//! is an entry (`step` in the URL; `sl`, `lang` and the rest kept), so
//! Back returns to the step before and a reload returns to the same step.
//! The chosen institution rides along (`inst`), and the account type
//! (`type`); the number never does, nor the authorization, which the
//! person gives again.
//! A finish replaces the entry, so Back cannot land on a half-done step.
//! A page's own Back goes back in history when the entry before is the
//! step it leads to, so it agrees with the browser's Back.

use crate::components::account_step::AccountStep;
use crate::location::{use_navigator, Navigator};
use druo_core::dto::AccountSubtype;
use leptos::prelude::*;

/// Where in a flow a URL says the person is.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Place {
    /// `step`: `None` for the flow's first step, else the connector's
    /// bank or details step.
    pub step: Option<AccountStep>,
    /// `inst`: the chosen institution's uuid, on the details step.
    pub institution: Option<String>,
    /// `type`: the chosen account type, on the details step.
    pub subtype: Option<AccountSubtype>,
}

impl Place {
    /// The place the page's current URL names.
    pub fn current() -> Place {
        let url = crate::location::current();
        let get = |key: &str| url.get(key);
        let step = match get("step").as_deref() {
            Some("bank") => Some(AccountStep::Bank),
            Some("details") => Some(AccountStep::Details),
            _ => None,
        };
        let details = step == Some(AccountStep::Details);
        let institution = get("inst").filter(|_| details);
        let subtype = get("type")
            .and_then(|t| AccountSubtype::parse(&t))
            .filter(|_| details);
        Place {
            step,
            institution,
            subtype,
        }
    }

    /// The address of this place on the page at `url` (its other
    /// parameters kept): what a link to it says, so it works as a plain
    /// link before or without the app.
    pub fn href_on(&self, url: &crate::location::Url) -> String {
        url.href_with(&self.params())
    }

    /// The address of this place on the current page.
    pub fn href(&self) -> String {
        self.href_on(&crate::location::current())
    }

    /// The query parameters that name this place. A bank search (`q`,
    /// from the search form a page without its app sends) and the whole
    /// catalog shown (`all`) belong to the page they were asked on only.
    fn params(&self) -> [(&'static str, Option<&str>); 5] {
        let step = match self.step {
            Some(AccountStep::Bank) => Some("bank"),
            Some(AccountStep::Details) => Some("details"),
            _ => None,
        };
        [
            ("step", step),
            ("inst", self.institution.as_deref()),
            ("type", self.subtype.map(AccountSubtype::code)),
            ("q", None),
            ("all", None),
        ]
    }
}

/// A flow's history. A studio frame has none: its URL is the studio's.
#[derive(Clone, Copy)]
pub struct Trail {
    nav: Navigator,
    live: bool,
}

impl Trail {
    /// The history of a live page (`live`), or none.
    pub fn new(live: bool) -> Trail {
        Trail {
            nav: use_navigator(),
            live,
        }
    }

    /// Where the URL says a live page is; the first step for none.
    pub fn start(&self) -> Place {
        if self.live {
            Place::current()
        } else {
            Place::default()
        }
    }

    /// Records a move to `place` as a new history entry.
    pub fn push(&self, place: &Place) {
        if self.live && Place::current() != *place {
            self.nav.set_params(&place.params(), false);
        }
    }

    /// Returns to `place` as the page's own Back button does: back in
    /// history when the entry before is `place` (the flow then moves on
    /// `popstate`, as for the browser's Back), else by naming `place` in
    /// the current entry. Returns whether it went back in history, so the
    /// caller moves the flow itself only when it did not.
    pub fn back_to(&self, place: &Place) -> bool {
        self.live && self.nav.back_to(&place.params())
    }

    /// Records the place in the current entry (a move the person did not
    /// make, e.g. straight into connecting when there is nothing to choose).
    pub fn replace(&self, place: &Place) {
        if self.live {
            self.nav.set_params(&place.params(), true);
        }
    }

    /// The flow ended: the current entry names no step, so a reload opens
    /// the link's outcome.
    pub fn finish(&self) {
        self.replace(&Place::default());
    }

    /// Runs `moved` with the place each Back or Forward lands on.
    pub fn on_move(&self, moved: impl Fn(Place) + 'static) {
        if !self.live {
            return;
        }
        let handle = window_event_listener(leptos::ev::popstate, move |_| moved(Place::current()));
        on_cleanup(move || handle.remove());
    }
}
