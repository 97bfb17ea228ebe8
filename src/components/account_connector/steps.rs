//! The connector's steps around the account form: choosing the bank, the
//! live wait for the institution, and the attempt that ended.

use crate::components::account_form::FormState;
use crate::components::icon::{moment, Icon};
use crate::components::institution_picker::InstitutionPicker;
use crate::components::step_heading::StepHeading;
use crate::components::step_read::{step_read, PageRead};
use crate::i18n::{tr, use_fill, use_lang};
use druo_core::dto::{InstitutionList, PublicAccount};
use druo_core::i18n::{ended_msg, fill as fill_text, Msg};
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
    view! {
        {moment(Icon::Pending)}
        <StepHeading title=Msg::PendingTitle bank=Signal::derive(bank) focus/>
        <p class="moment-text">{move || fill(Msg::PendingConfirmWithInstitution, &[("bank", &bank())])}</p>
        <p class="next-step" role="status" aria-live="polite">{status}</p>
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
    /// The account is a wallet's.
    wallet: bool,
    /// The merchant, named when only they can help.
    merchant: String,
    #[prop(into)] on_fix: Callback<()>,
    #[prop(into)] on_other_bank: Callback<()>,
) -> impl IntoView {
    let fill = use_fill();
    let lang = use_lang();
    view! {
        {moment(Icon::Declined)}
        <StepHeading title=Msg::RejectedTitle focus/>
        <p class="moment-text" role="alert">
            {move || account.get().map(|a| {
                let named = if wallet { Msg::TheWalletEnding } else { Msg::TheAccountEnding };
                let named = fill_text(named.text(lang.get()), &[("last4", &a.last_4)]);
                let msg = ended_msg(a.current_status, a.remarks);
                fill(msg, &[("bank", &a.institution.name), ("account", &named), ("merchant", &merchant)])
            })}
        </p>
        <button class="primary" on:click=move |_| on_fix.run(())>{tr(Msg::FixNumber)}</button>
        <button class="secondary" on:click=move |_| on_other_bank.run(())>{tr(Msg::ChooseAnotherBank)}</button>
    }
}
