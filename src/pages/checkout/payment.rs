//! The payment step: the payer's accounts to choose from (or "connect a
//! new account"), the debit authorization, and the pay button.

use super::pay::Payer;
use crate::components::account_choice::{AccountChoice, PayState};
use crate::components::account_step::AccountStep;
use crate::components::link_flow::Place;
use crate::components::move_link::MoveLink;
use crate::components::slow::SlowNotice;
use crate::components::step_heading::StepHeading;
use crate::components::step_read::{step_read, PageRead};
use crate::i18n::{tr, use_fill, use_lang};
use druo_core::dto::{AccountList, PublicAccount};
use druo_core::i18n::Msg;
use leptos::prelude::*;

/// The accounts the page knows: the service's list plus any connected
/// here (newest first). The first is chosen when nothing is yet.
pub fn known_accounts(
    accounts: PageRead<AccountList>,
    pay: PayState,
) -> RwSignal<Vec<PublicAccount>> {
    // A page that carried the accounts shows them (and the first chosen)
    // in its first screen; else they join when they arrive.
    let known = RwSignal::new(accounts.ready().map_or_else(Vec::new, |l| l.accounts));
    let first = known.with_untracked(|k| k.first().map(|a| a.uuid.clone()));
    if let (None, Some(u)) = (pay.chosen.get_untracked(), first) {
        pay.choose(u);
    }
    Effect::new(move |_| {
        if let Some(Ok(list)) = accounts.get() {
            // Only new accounts are written: the step is built from this
            // list, and a hydrated page must not be rebuilt for nothing.
            let new: Vec<_> = known.with_untracked(|k| {
                list.accounts
                    .into_iter()
                    .filter(|a| !k.iter().any(|x| x.uuid == a.uuid))
                    .collect()
            });
            if !new.is_empty() {
                known.update(|k| k.extend(new));
            }
        }
    });
    Effect::new(move |_| {
        let first = known.with(|k| k.first().map(|a| a.uuid.clone()));
        // Never the account the bank just declined.
        let first = first.filter(|u| pay.declined.get_untracked().as_ref() != Some(u));
        if pay.chosen.get_untracked().is_none() {
            if let Some(u) = first {
                pay.choose(u);
            }
        }
    });
    known
}

/// Choosing how to pay, and paying.
#[component]
pub fn PaymentChoice(
    /// The service's answer for the payer's accounts.
    accounts: PageRead<AccountList>,
    /// The accounts to show (`known_accounts`).
    known: RwSignal<Vec<PublicAccount>>,
    pay: PayState,
    payer: Payer,
    /// The merchant, named in the authorization.
    merchant: String,
    /// The formatted amount.
    amount: Memo<String>,
    focus: bool,
    /// "Connect a new account".
    #[prop(into)]
    on_new_account: Callback<()>,
) -> impl IntoView {
    let lang = use_lang();
    let fill = use_fill();
    let merchant = StoredValue::new(merchant);
    // A link, so it works before and without the app.
    let bank = StoredValue::new(
        Place {
            step: Some(AccountStep::Bank),
            ..Place::default()
        }
        .href(),
    );
    let new_account = move || {
        view! {
            <MoveLink class="button secondary" href=bank.get_value() on_move=on_new_account>
                {tr(Msg::ConnectNewAccount)}
            </MoveLink>
        }
    };
    // Pay shows with the accounts, never before: a Pay button on a screen
    // still loading (the server's first screen) would vanish under a
    // person's finger when a payer with no account is taken to connect one.
    view! {
        <StepHeading title=Msg::ChoosePaymentTitle focus/>
        {step_read(accounts, "secondary", new_account, move |_| view! {
            // Posted to the page itself when the app is not live.
            <form class="pay-form" method="post" novalidate on:submit=move |ev| { ev.prevent_default(); payer.pay(); }>
                <input type="hidden" name="form" value="pay"/>
                <input type="hidden" name="key" value=crate::posted::form_key()/>
                <AccountChoice accounts=known pay merchant=merchant.get_value() amount>
                    {new_account()}
                </AccountChoice>
                <p class="notice" role="alert">{move || payer.notice().map(|n| n.text(lang.get()))}</p>
                <button type="submit" class="primary" aria-busy=move || payer.pending().to_string()>
                    {move || if payer.pending() { tr(Msg::Paying)().to_string() } else { fill(Msg::PayAmount, &[("amount", &amount.get())]) }}
                </button>
                <SlowNotice pending=Signal::derive(move || payer.pending())/>
            </form>
        })}
    }
}
