//! How a connect link ended: the words of its ends (connected, or
//! pending confirmation), a reopened link's outcome, and the account on
//! the confirmation with what to do next while it waits.

use super::step::Connect;
use crate::components::account_form::FormState;
use crate::components::account_step::AccountStep;
use crate::components::link_flow::{End, Step, Words};
use crate::components::step_read::PageRead;
use crate::i18n::{tr, use_lang};
use druo_core::dto::{
    InstitutionKind, InstitutionList, LinkState, PublicAccount, PublicConnectLink,
};
use druo_core::finish::finish;
use druo_core::i18n::{masked_account, status_msg, Msg};
use druo_core::status::AccountStatus;
use leptos::prelude::*;

/// The connect page's words for its ends: an account received with
/// nothing for the person to do (`CREATED`) is confirmed as received, not
/// as connected; a wallet is confirmed as a wallet.
pub fn words(account: Option<&PublicAccount>, kind: InstitutionKind) -> Words {
    let received = account.is_some_and(|a| a.current_status == AccountStatus::Created);
    Words::settled(
        received,
        (Msg::ReceivedTitle.for_kind(kind), Msg::ReceivedBody),
        (
            Msg::ConnectedTitle.for_kind(kind),
            Msg::ConnectedBody.for_kind(kind),
        ),
        (Msg::CompletedTitle, Msg::CompletedBody),
    )
}

/// A completed link reopened: the outcome it ended with and, when there
/// is a redirect URL, the way back (never an automatic redirect again).
/// An open link held for a pending validation resumes it instead
/// ([`resumed`]).
pub fn reopened(link: &PublicConnectLink) -> Option<Step<Connect>> {
    let acc = link
        .outcome
        .as_ref()
        .filter(|_| link.state == LinkState::Completed)?;
    let way_back = finish(acc.return_url.as_deref(), false);
    Some(Step::End(End::reopened(way_back)))
}

/// The kind of the account's institution: the one chosen here, else the
/// catalog's entry (a reopened link); a bank when neither is known.
pub fn institution_kind(
    institutions: PageRead<InstitutionList>,
    form: FormState,
    account: RwSignal<Option<PublicAccount>>,
) -> InstitutionKind {
    let uuid = account.with(|a| a.as_ref().map(|a| a.institution.uuid.clone()));
    let chosen = form
        .institution
        .with(|i| i.as_ref().map(|i| (i.uuid.clone(), i.kind)));
    match (uuid, chosen) {
        (Some(u), Some((c, kind))) if u == c => kind,
        (Some(u), _) => match institutions.get() {
            Some(Ok(list)) => list
                .institutions
                .iter()
                .find(|i| i.uuid == u)
                .map(|i| i.kind),
            _ => None,
        }
        .unwrap_or(InstitutionKind::Bank),
        (None, _) => InstitutionKind::Bank,
    }
}

/// An open link held for an account whose pending validation the person
/// is finishing (or whose attempt then ended): the connector's step for
/// it, with that account.
pub fn resumed(link: &PublicConnectLink) -> Option<(AccountStep, PublicAccount)> {
    let acc = link
        .outcome
        .as_ref()
        .filter(|_| link.state == LinkState::Open)?;
    AccountStep::after(acc).map(|s| (s, acc.clone()))
}

/// The connected account on the confirmation: bank or wallet, last
/// digits and status.
#[component]
pub fn ConnectedAccount(
    account: RwSignal<Option<PublicAccount>>,
    kind: Signal<InstitutionKind>,
) -> impl IntoView {
    let lang = use_lang();
    move || {
        account.get().map(|a| {
            let label = move |m: Msg| move || m.for_kind(kind.get()).text(lang.get());
            view! {
                <dl class="summary">
                    <dt>{label(Msg::BankLabel)}</dt><dd>{a.institution.name.clone()}</dd>
                    <dt>{label(Msg::AccountLabel)}</dt><dd class="keep">{masked_account("", &a.last_4)}</dd>
                    <dt>{tr(Msg::StatusLabel)}</dt><dd>{move || status_msg(a.current_status).text(lang.get())}</dd>
                </dl>
            }
        })
    }
}
