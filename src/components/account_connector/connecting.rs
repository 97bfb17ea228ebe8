//! What the connector is given: which link kind it connects through,
//! where it starts, and what its flow hands it.

use crate::components::account_form::FormState;
use crate::components::account_step::AccountStep;
use crate::components::link_flow::{End, FlowLink, Place, Start, Step, Steps, Trail};
use crate::components::step_read::PageRead;
use druo_core::dto::{InstitutionList, PublicAccount};
use druo_core::route::api_path;
use leptos::prelude::*;

/// Which link the account is connected through.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    /// A connect link: the account completes the link.
    Connect,
    /// A checkout link: the account is then used to pay.
    Checkout,
}

impl Target {
    /// The API paths for submitting an account, reading it again and
    /// sending its deposit code.
    pub(super) fn paths(self) -> (&'static str, &'static str, &'static str) {
        match self {
            Target::Connect => (
                api_path::CONNECT_ACCOUNTS,
                api_path::CONNECT_ACCOUNT_REFRESH,
                api_path::CONNECT_ACCOUNT_AUTHENTICATE,
            ),
            Target::Checkout => (
                api_path::CHECKOUT_ACCOUNTS,
                api_path::CHECKOUT_ACCOUNT_REFRESH,
                api_path::CHECKOUT_ACCOUNT_AUTHENTICATE,
            ),
        }
    }
}

/// How a move of the connector is recorded in history (issue 28: one
/// move, named options, where five verbs were).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Move {
    /// As the person asked: a new history entry; the heading takes focus.
    Forward,
    /// As the connector's own Back button: back in history when the entry
    /// before is the step (the flow follows on `popstate`), else shown in
    /// place of the current entry.
    Back,
    /// Back or Forward landed on it: shown, nothing recorded.
    Followed,
    /// Shown and named in the current history entry.
    InPlace,
    /// A page's first screen: nothing takes focus, and the history entry
    /// names the step once the page is live.
    Opening,
}

/// What a flow hands its account connector: the link, the catalog and
/// the form (owned by the page), where to start, and where its ends go.
#[derive(Clone, Copy)]
pub struct Connecting {
    pub(super) target: Target,
    pub(super) link: FlowLink,
    pub(super) institutions: PageRead<InstitutionList>,
    pub(super) form: FormState,
    pub(super) steps: Steps<AccountStep>,
    pub(super) trail: Trail,
    pub(super) account: StoredValue<Option<PublicAccount>>,
    pub(super) on_end: Callback<End>,
}

impl Connecting {
    /// The connector of a flow at `steps`, started as `start` says, or at
    /// the step a reloaded URL names (`place`); an answer that ends the
    /// page ends the flow.
    pub fn new<P: Clone + Send + Sync + 'static>(
        target: Target,
        link: FlowLink,
        (institutions, form): (PageRead<InstitutionList>, FormState),
        start: &Start<P>,
        (steps, trail, place): (Steps<Step<P>>, Trail, &Place),
    ) -> Self {
        // The connector appears because the person moved, so its first
        // step takes focus (where steps do), unless a reload restored it.
        // A pending validation to finish (a reloaded or reopened link held
        // for it) resumes where it was, whatever step the URL names.
        let resuming = matches!(start.account_step, AccountStep::Pending | AccountStep::Code);
        let first = match place.step {
            Some(s) if !resuming => s,
            _ => start.account_step,
        };
        let steps_here = Steps::new(first, start.focus, place.step.is_none());
        let connecting = Connecting {
            target,
            link,
            institutions,
            form,
            steps: steps_here,
            trail,
            account: StoredValue::new(start.account.clone()),
            on_end: Callback::new(move |end| steps.end(end)),
        };
        // The account type chosen on the details step is kept in its
        // history entry, so a reload (or Back and Forward across one)
        // keeps it too.
        Effect::new(move |_| {
            form.subtype.track();
            if steps_here.current() == AccountStep::Details {
                let here = connecting.place(AccountStep::Details);
                if Place::current() != here {
                    trail.replace(&here);
                }
            }
        });
        connecting
    }

    /// Moves the connector to `step`, recorded in history and focused as
    /// `how` says. The details step needs a chosen institution, else the
    /// bank step stands in.
    pub fn move_to(&self, step: AccountStep, how: Move) {
        let step = self.possible(step);
        let place = self.place(step);
        match how {
            Move::Forward => {
                self.steps.go(step);
                self.trail.push(&place);
            }
            Move::Back => {
                if !self.trail.back_to(&place) {
                    self.steps.go(step);
                }
            }
            Move::Followed => self.steps.go(step),
            Move::InPlace => {
                self.steps.go(step);
                self.trail.replace(&place);
            }
            Move::Opening => {
                self.steps.go_quietly(step);
                let trail = self.trail;
                Effect::new(move |_| trail.replace(&place));
            }
        }
    }

    fn possible(&self, step: AccountStep) -> AccountStep {
        match step {
            AccountStep::Details if self.form.institution.with_untracked(Option::is_none) => {
                AccountStep::Bank
            }
            s => s,
        }
    }

    /// The history place of `step`.
    fn place(&self, step: AccountStep) -> Place {
        let institution = (step == AccountStep::Details)
            .then(|| {
                self.form
                    .institution
                    .with_untracked(|i| i.as_ref().map(|i| i.uuid.clone()))
            })
            .flatten();
        let subtype = (step == AccountStep::Details)
            .then(|| self.form.subtype.get_untracked())
            .flatten();
        Place {
            step: Some(step),
            institution,
            subtype,
        }
    }
}
