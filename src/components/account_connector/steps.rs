//! The connector's steps around the account form: choosing the bank, the
//! live wait for the institution, and the attempt that ended.

use crate::components::account_form::FormState;
use crate::components::account_step::AccountStep;
use crate::components::dom::use_live;
use crate::components::icon::{moment, Icon};
use crate::components::institution_picker::InstitutionPicker;
use crate::components::link_flow::Place;
use crate::components::move_link::MoveLink;
use crate::components::step_heading::StepHeading;
use crate::components::step_read::{step_read, PageRead};
use crate::i18n::{tr, use_fill, use_lang};
use druo_core::dto::{InstitutionKind, InstitutionList, PublicAccount};
use druo_core::i18n::{ended_msg, fill as fill_text, rejected_action, Msg};
use leptos::prelude::*;

/// Choosing the institution: the picker once the catalog is there (a
/// skeleton before, a retry if it failed), and "Continue with" the bank
/// already chosen.
#[component]
pub fn BankStep(
    institutions: PageRead<InstitutionList>,
    form: FormState,
    focus: bool,
    /// The search box may take focus: the heading does not, and this is a
    /// live page (the picker still asks for a fine pointer).
    autofocus: bool,
    /// The user chose a bank (or kept the chosen one).
    #[prop(into)]
    on_chosen: Callback<()>,
    on_back: Option<Callback<()>>,
) -> impl IntoView {
    let fill = use_fill();
    // Links, so each works before and without the app: the details step
    // with the chosen bank, and the flow's first step.
    let details = move |uuid: String| {
        Place {
            step: Some(AccountStep::Details),
            institution: Some(uuid),
            subtype: form.subtype.get_untracked(),
        }
        .href()
    };
    let first = Place::default().href();
    view! {
        <StepHeading title=Msg::ChooseBankTitle focus/>
        {step_read(institutions, "primary", || (), move |list: InstitutionList| view! {
            {move || form.institution.get().map(|i| view! {
                <MoveLink class="button primary" href=details(i.uuid.clone()) on_move=on_chosen>
                    {move || fill(Msg::ContinueWith, &[("bank", &i.name)])}
                </MoveLink>
            })}
            <InstitutionPicker
                institutions=list.institutions
                query=form.query
                selected=form.institution
                autofocus
                on_pick=move |i| { form.choose_institution(i); on_chosen.run(()); }
            />
        })}
        {on_back.map(|b| view! { <MoveLink class="button secondary" href=first on_move=b>{tr(Msg::Back)}</MoveLink> })}
    }
}

/// The live wait for the institution's approval: where to approve (the
/// institution's app, by name), a status line that moves on by itself,
/// and the way back to the merchant with the status at this moment. The
/// wait itself is [`super::wait::watch`].
#[component]
pub fn PendingStep(
    account: RwSignal<Option<PublicAccount>>,
    /// The wait has gone on over a minute.
    slow: Signal<bool>,
    /// The last read could not reach the service (it keeps trying).
    offline: Signal<bool>,
    focus: bool,
    /// The merchant's URL for the account as it stands, if any.
    way_back: Signal<Option<String>>,
    /// The merchant, named on the way back.
    merchant: String,
) -> impl IntoView {
    let fill = use_fill();
    let bank = move || {
        account.with(|a| {
            a.as_ref()
                .map(|a| a.institution.name.clone())
                .unwrap_or_default()
        })
    };
    let status = move || {
        let msg = match (offline.get(), slow.get()) {
            (true, _) => Msg::WaitOffline,
            (false, true) => Msg::StillWaitingFor,
            (false, false) => Msg::WaitingFor,
        };
        fill(msg, &[("bank", &bank())])
    };
    let merchant = StoredValue::new(merchant);
    // Without the app the page reloads itself while it waits (the server
    // writes the refresh), and offers to check now; live, the wait checks
    // by itself and the link goes.
    crate::posted::refresh_while_waiting();
    let live = use_live();
    view! {
        {moment(Icon::Pending)}
        <StepHeading title=Msg::PendingTitle bank=Signal::derive(bank) focus/>
        <p class="moment-text">{move || fill(Msg::PendingConfirmWithInstitution, &[("bank", &bank())])}</p>
        <p class="next-step" role="status" aria-live="polite">{status}</p>
        <a class="button primary check-now" href=Place::default().href() hidden=live>{tr(Msg::CheckAgain)}</a>
        {move || way_back.get().map(|url| view! {
            <a class="button secondary" href=url>{move || fill(Msg::ReturnTo, &[("merchant", &merchant.get_value())])}</a>
        })}
    }
}

/// The attempt ended (failed, disconnected, disabled, or to be connected
/// again): why, by DRUO's status and remark, and the two ways on (fix the
/// number, or choose another bank), with everything typed kept.
#[component]
pub fn RejectedStep(
    account: RwSignal<Option<PublicAccount>>,
    focus: bool,
    /// A bank's account or a wallet.
    kind: InstitutionKind,
    /// The merchant, named when only they can help.
    merchant: String,
    #[prop(into)] on_fix: Callback<()>,
    #[prop(into)] on_other_bank: Callback<()>,
) -> impl IntoView {
    let fill = use_fill();
    let lang = use_lang();
    // Why it ended, once: the text and the way on both read it, and a
    // write to the account that leaves it alone redraws neither (nor
    // takes focus from a button).
    let why = Memo::new(move |_| {
        account.with(|a| a.as_ref().map(|a| ended_msg(a.current_status, a.remarks)))
    });
    // Links, so both work without the app (which keeps what was typed;
    // a page without it asks for the number again).
    let institution = account.with_untracked(|a| a.as_ref().map(|a| a.institution.uuid.clone()));
    let fix_href = Place {
        step: Some(AccountStep::Details),
        institution,
        subtype: None,
    }
    .href();
    let other_href = Place {
        step: Some(AccountStep::Bank),
        ..Place::default()
    }
    .href();
    view! {
        {moment(Icon::Declined)}
        <StepHeading title=Msg::RejectedTitle focus/>
        <p class="moment-text" role="alert">
            {move || account.get().map(|a| {
                let named = Msg::TheAccountEnding.for_kind(kind).text(lang.get());
                let named = fill_text(named, &[("last4", &a.last_4)]);
                let msg = why.get().unwrap_or(Msg::RejectedOther);
                fill(msg, &[("bank", &a.institution.name), ("account", &named), ("merchant", &merchant)])
            })}
        </p>
        // The main way on follows why (core::i18n::rejected_action): a
        // number that is not wrong is never to be fixed.
        {move || {
            let action = why.get().map_or(Some(Msg::FixNumber), rejected_action);
            let other_class = if action.is_some() { "button secondary" } else { "button primary" };
            view! {
                {action.map(|label| view! {
                    <MoveLink class="button primary" href=fix_href.clone() on_move=on_fix>{tr(label)}</MoveLink>
                })}
                <MoveLink class=other_class href=other_href.clone() on_move=on_other_bank>{tr(Msg::ChooseAnotherBank)}</MoveLink>
            }
        }}
    }
}
