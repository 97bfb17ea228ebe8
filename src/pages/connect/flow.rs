//! The connect flow once the link has loaded: intro, then the shared
//! account connector, then the finish (redirect or DRUO confirmation page)
//! or another end. Every decision is `druo_core`'s; this module wires
//! signals to views.

use super::intro::Intro;
use crate::api::ApiError;
use crate::components::account_connector::{AccountConnector, Connecting, Target};
use crate::components::account_form::FormState;
use crate::components::layout::Layout;
use crate::components::link_flow::{Ending, FlowLink, Start, Step, Words};
use crate::i18n::{tr, use_lang};
use druo_core::dto::{InstitutionList, PublicAccount, PublicConnectLink};
use druo_core::finish::connect_finish;
use druo_core::i18n::{status_msg, Msg};
use leptos::prelude::*;

/// The connect page's own steps (its ends are `link_flow::End`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Connect {
    /// Who asks, for whom, and what happens to the data.
    Intro,
    /// Choosing the institution and entering the account (the connector).
    Account,
}

/// The connect page's words for its ends.
const WORDS: Words = Words {
    done: (Msg::ConnectedTitle, Msg::ConnectedBody),
    leaving: Msg::ConnectedTitle,
    used: (Msg::CompletedTitle, Msg::CompletedBody),
};

/// The connect flow for a loaded link.
#[component]
pub fn ConnectFlow(
    /// The link as the service describes it.
    link: PublicConnectLink,
    /// The catalog, loading in parallel.
    institutions: LocalResource<Result<InstitutionList, ApiError>>,
    /// What the user typed (owned by the page).
    form: FormState,
    /// The link's slug, for the submit.
    slug: String,
    /// Where to start (a live page: where the link's state says).
    #[prop(optional)]
    start: Start<Connect>,
) -> impl IntoView {
    let (fl, steps) = FlowLink::open(&link, slug, Connect::Intro, &start);
    let connecting = Connecting::new(Target::Connect, fl, institutions, form, &start, steps);
    form.preselect(institutions, link.default_institution.clone());

    let link = StoredValue::new(link);
    // The connected account, for the confirmation.
    let account = RwSignal::new(start.account);
    let finish = move |acc: PublicAccount| {
        let decision = link.with_value(|l| {
            connect_finish(
                l.redirect_url.as_deref(),
                l.custom_confirmation_page,
                &acc,
                &l.uuid,
            )
        });
        account.set(Some(acc));
        steps.finish(decision);
    };

    view! {
        <Layout lang_switch=true>
            {move || {
                let focus = steps.focus();
                match steps.get() {
                    Step::Page(Connect::Intro) => view! {
                        <Intro link focus on_continue=move |_| steps.to(Connect::Account)/>
                    }.into_any(),
                    Step::Page(Connect::Account) => view! {
                        <AccountConnector with=connecting on_connected=finish on_back=move |_| steps.to(Connect::Intro) counter=("2", "3", "3")/>
                    }.into_any(),
                    Step::End(end) => view! {
                        <Ending end words=WORDS merchant=fl.merchant.get_value() focus>
                            <ConnectedAccount account/>
                        </Ending>
                    }.into_any(),
                }
            }}
        </Layout>
    }
}

/// The connected account on the confirmation: bank, last digits, status.
#[component]
fn ConnectedAccount(account: RwSignal<Option<PublicAccount>>) -> impl IntoView {
    let lang = use_lang();
    move || {
        account.get().map(|a| {
            view! {
                <dl class="summary">
                    <dt>{tr(Msg::BankLabel)}</dt><dd>{a.institution.name.clone()}</dd>
                    <dt>{tr(Msg::AccountLabel)}</dt><dd>{format!("•••• {}", a.last_4)}</dd>
                    <dt>{tr(Msg::StatusLabel)}</dt><dd>{move || status_msg(a.current_status).text(lang.get())}</dd>
                </dl>
            }
        })
    }
}
