//! The connect flow once the link has loaded: intro, then the shared
//! account connector, then the finish (redirect or DRUO confirmation page)
//! or another end. Every decision is `druo_core`'s; this module wires
//! signals to views.

use super::intro::Intro;
use super::outcome::{institution_kind, reopened, resumed, words, ConnectedAccount};
use super::step::Connect;
use crate::components::account_connector::{open_flow, AccountConnector, Move, Target};
use crate::components::account_form::FormState;
use crate::components::account_step::AccountStep;
use crate::components::handoff::phone_handoff;
use crate::components::layout::Layout;
use crate::components::link_flow::{End, Ending, Start, Step};
use crate::components::step_read::PageRead;
use druo_core::dto::{InstitutionList, LinkState, PublicAccount, PublicConnectLink};
use druo_core::finish::finish;
use leptos::prelude::*;

/// The connect flow for a loaded link.
#[component]
pub fn ConnectFlow(
    /// The link as the service describes it.
    link: PublicConnectLink,
    /// The catalog, loading in parallel.
    institutions: PageRead<InstitutionList>,
    /// What the user typed (owned by the page).
    form: FormState,
    /// The link's slug, for the submit.
    slug: String,
    /// Where to start (a live page: where the link's state says).
    #[prop(optional)]
    start: Start<Connect>,
) -> impl IntoView {
    let account = RwSignal::new(start.account.clone().or_else(|| link.outcome.clone()));
    // A link held for a pending validation resumes it (a reload, or the
    // link opened again after leaving for the bank's app).
    let held = resumed(&link).filter(|_| start.step.is_none());
    let (start, resuming) = start.resuming(held);
    let reopened = if resuming {
        Some(Step::Page(Connect::Account))
    } else {
        reopened(&link)
    };
    let pages = (Connect::Intro, Connect::Account);
    let (fl, steps, connecting, trail) = open_flow(
        Target::Connect,
        (&link, slug),
        pages,
        (start, reopened),
        (institutions, form),
    );

    let link = StoredValue::new(link);
    let finish = move |acc: PublicAccount| {
        let decision =
            link.with_value(|l| finish(acc.return_url.as_deref(), l.custom_confirmation_page));
        account.set(Some(acc));
        trail.finish();
        steps.finish(decision);
    };
    // What the phone reached, shown here (`phone_handoff`).
    let follow = Callback::new(move |l: PublicConnectLink| match (l.state, l.outcome) {
        (LinkState::Completed, Some(acc)) => finish(acc),
        (LinkState::Expired, _) => steps.end(End::Expired),
        _ => {}
    });
    let kind = move || institution_kind(institutions, form, account);
    // While a pending validation waits, the way back carries its status,
    // as the service signed it.
    let way_back = Callback::new(move |acc: PublicAccount| {
        acc.return_url
            .as_deref()
            .and_then(druo_core::finish::safe_return)
    });

    view! {
        <Layout lang_switch=true merchant=fl.merchant.get_value()>
            {move || {
                let focus = steps.focus();
                match steps.get() {
                    Step::Page(Connect::Intro) => view! {
                        <Intro link focus on_continue=move |_| {
                            connecting.move_to(AccountStep::Bank, Move::Forward);
                            steps.to(Connect::Account);
                        }/>
                    }.into_any(),
                    Step::Page(Connect::Account) => view! {
                        <AccountConnector with=connecting on_connected=finish on_back=Some(Callback::new(move |_| {
                            if !trail.back_to(&Default::default()) {
                                steps.to(Connect::Intro);
                            }
                        })) counter=("2", "3", "3") way_back/>
                    }.into_any(),
                    Step::End(end) => view! {
                        <Ending end words=account.with_untracked(|a| words(a.as_ref(), untrack(kind))) merchant=fl.merchant.get_value() focus>
                            <ConnectedAccount account kind=Signal::derive(kind)/>
                        </Ending>
                    }.into_any(),
                }
            }}
            {move || matches!(steps.get(), Step::Page(_)).then(|| phone_handoff(fl.slug, follow))}
        </Layout>
    }
}
