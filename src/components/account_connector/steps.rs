//! The connector's steps around the account form: choosing the bank, the
//! pending validation, and the rejected account.

use crate::api::ApiError;
use crate::components::account_form::FormState;
use crate::components::icon::{moment, Icon};
use crate::components::institution_picker::InstitutionPicker;
use crate::components::step_heading::StepHeading;
use crate::components::step_read::{step_read, PageRead};
use crate::i18n::{tr, use_fill, use_lang};
use druo_core::dto::{InstitutionList, PublicAccount};
use druo_core::i18n::Msg;
use druo_core::status::{AccountRemark, PendingAction};
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
    view! {
        <StepHeading title=Msg::ChooseBankTitle focus/>
        {step_read(institutions, "primary", || (), move |list: InstitutionList| view! {
            {move || form.institution.get().map(|i| view! {
                <button class="primary" on:click=move |_| on_chosen.run(())>
                    {move || fill(Msg::ContinueWith, &[("bank", &i.name)])}
                </button>
            })}
            <InstitutionPicker
                institutions=list.institutions
                query=form.query
                selected=form.institution
                autofocus
                on_pick=move |i| { form.choose_institution(i); on_chosen.run(()); }
            />
        })}
        {on_back.map(|b| view! { <button class="secondary" on:click=move |_| b.run(())>{tr(Msg::Back)}</button> })}
    }
}

/// Waiting for the user to confirm with the bank: what to do, and "I have
/// confirmed", which re-checks the account.
#[component]
pub fn PendingStep(
    account: RwSignal<Option<PublicAccount>>,
    /// "Still pending" after a re-check that found nothing new.
    notice: RwSignal<Option<Msg>>,
    /// The re-check, by account uuid.
    refresh: Action<String, Result<PublicAccount, ApiError>>,
    focus: bool,
    /// The account is a wallet's (no branches to visit).
    wallet: bool,
) -> impl IntoView {
    let lang = use_lang();
    let fill = use_fill();
    let bank_of = move || {
        account.with(|a| {
            a.as_ref()
                .map(|a| a.institution.name.clone())
                .unwrap_or_default()
        })
    };
    view! {
        <StepHeading title=Msg::PendingTitle focus/>
        <ul class="pending-steps">
            {move || account.get().map(|a| a.pending_account_validations.into_iter().map(|p| {
                let msg = match (p.action, wallet) {
                    (PendingAction::ConfirmRequestWithInstitution, false) => Msg::PendingConfirmWithInstitution,
                    (PendingAction::ConfirmRequestWithInstitution, true) => Msg::PendingConfirmWallet,
                    _ => Msg::PendingOther,
                };
                view! { <li>{move || fill(msg, &[("bank", &bank_of())])}</li> }
            }).collect_view())}
        </ul>
        <p class="notice" role="status">{move || notice.get().map(|n| n.text(lang.get()))}</p>
        <button
            class="primary"
            disabled=move || refresh.pending().get()
            aria-busy=move || refresh.pending().get().to_string()
            on:click=move |_| {
                if let Some(a) = account.get_untracked() {
                    refresh.dispatch(a.uuid);
                }
            }
        >
            {move || if refresh.pending().get() { tr(Msg::Checking)() } else { tr(Msg::IConfirmed)() }}
        </button>
    }
}

/// The bank refused the account: why, and the two ways on (fix the number,
/// or choose another bank), with everything typed kept.
#[component]
pub fn RejectedStep(
    account: RwSignal<Option<PublicAccount>>,
    focus: bool,
    /// The account is a wallet's.
    wallet: bool,
    #[prop(into)] on_fix: Callback<()>,
    #[prop(into)] on_other_bank: Callback<()>,
) -> impl IntoView {
    let fill = use_fill();
    view! {
        {moment(Icon::Declined)}
        <StepHeading title=Msg::RejectedTitle focus/>
        <p class="moment-text" role="alert">
            {move || account.get().map(|a| {
                let msg = match (a.remarks, wallet) {
                    (Some(AccountRemark::AccountDoesNotExist), false) => Msg::RejectedDoesNotExist,
                    (Some(AccountRemark::AccountDoesNotExist), true) => Msg::RejectedWalletDoesNotExist,
                    _ => Msg::RejectedOther,
                };
                fill(msg, &[("bank", &a.institution.name), ("last4", &a.last_4)])
            })}
        </p>
        <button class="primary" on:click=move |_| on_fix.run(())>{tr(Msg::FixNumber)}</button>
        <button class="secondary" on:click=move |_| on_other_bank.run(())>{tr(Msg::ChooseAnotherBank)}</button>
    }
}
