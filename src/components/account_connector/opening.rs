//! Opening a flow that has an account connector (both link pages): where
//! it starts (the step a reloaded URL names, a reopened link's outcome,
//! or the link's state), its history, and the institution preselected.

use super::connecting::{Connecting, Move, Target};
use crate::components::account_form::FormState;
use crate::components::account_step::AccountStep;
use crate::components::link_flow::{FlowLink, PublicLink, Start, Step, Steps, Trail};
use crate::components::step_read::PageRead;
use crate::posted::{posted, Posted};
use druo_core::dto::InstitutionList;
use leptos::prelude::*;

/// What the connector of an opened flow works with: the catalog and the
/// form.
pub type ConnectorInputs = (PageRead<InstitutionList>, FormState);

/// Opens a flow for `link` (read from `slug`): its link, steps,
/// connector and history. `pages` are the page's first step and the step
/// that holds the connector; `reopened` is where a completed link shows
/// its outcome. Back and Forward move between the steps, never out of an
/// end.
pub fn open_flow<L: PublicLink, P: Clone + Send + Sync + 'static>(
    target: Target,
    (link, slug): (&L, String),
    (first, connector): (P, P),
    (start, reopened): (Start<P>, Option<Step<P>>),
    (institutions, form): ConnectorInputs,
) -> (FlowLink, Steps<Step<P>>, Connecting, Trail) {
    // A live page (the studio names its step) keeps its steps in history.
    let trail = Trail::new(start.step.is_none());
    let place = trail.start();
    let opening = match place.step {
        Some(_) => connector.clone(),
        None => first.clone(),
    };
    let start = Start {
        step: start.step.clone().or(reopened),
        ..start
    };
    let (fl, steps) = FlowLink::open(link, slug, opening, &start);
    let connecting = Connecting::new(
        target,
        fl,
        (institutions, form),
        &start,
        (steps, trail, &place),
    );
    // The type a reloaded details step names; kept by the institution's
    // choice below if it offers it.
    if place.subtype.is_some() {
        form.subtype.set(place.subtype);
    }
    form.preselect(
        institutions,
        place.institution.clone().or(link.suggested_institution()),
    );
    // A page without its app: the search it sent, or the form it posted.
    if let (Some(q), Some(AccountStep::Bank)) = (crate::location::current().get("q"), place.step) {
        form.query.set(q);
    }
    if let Some(Posted::Account(sent, _)) = posted() {
        form.restore(&sent, institutions.ready());
    }
    trail.on_move(move |p| match (steps.current(), p.step) {
        (Step::End(_), _) => trail.finish(),
        (_, None) => steps.to(first.clone()),
        (_, Some(s)) => {
            // A reload on an earlier step leaves the form without a bank;
            // a details entry after it (Forward) names its bank and type,
            // which come back, so the step shown is the one it names.
            if form.institution.with_untracked(Option::is_none) && p.institution.is_some() {
                if p.subtype.is_some() {
                    form.subtype.set(p.subtype);
                }
                form.preselect(institutions, p.institution);
            }
            connecting.move_to(s, Move::Followed);
            steps.to(connector.clone());
        }
    });
    (fl, steps, connecting, trail)
}
