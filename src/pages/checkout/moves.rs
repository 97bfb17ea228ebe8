//! How the checkout moves without a button of its own: a reopened link
//! shows the payment it ended with, and a payer with no account goes
//! straight into connecting one.

use super::step::Checkout;
use crate::components::account_connector::{Connecting, Move};
use crate::components::account_step::AccountStep;
use crate::components::link_flow::{End, Step, Steps};
use crate::components::step_read::PageRead;
use druo_core::dto::{AccountList, LinkState, PaymentResult, PublicAccount, PublicCheckoutLink};
use druo_core::finish::finish;
use leptos::prelude::*;

/// A paid link reopened: the payment it ended with, and its confirmation
/// with the way back when there is a redirect URL (never an automatic
/// redirect again).
pub fn reopened(link: &PublicCheckoutLink) -> Option<(Step<Checkout>, PaymentResult)> {
    let paid = link
        .outcome
        .as_ref()
        .filter(|_| link.state == LinkState::Completed)?;
    let way_back = finish(paid.return_url.as_deref(), false);
    Some((Step::End(End::reopened(way_back)), paid.clone()))
}

/// A new account of the payer with a pending validation to finish: the
/// connector's step for it (the live wait or the deposit code), with it.
pub fn resumed(link: &PublicCheckoutLink) -> Option<(AccountStep, PublicAccount)> {
    let acc = link
        .pending_account
        .as_ref()
        .filter(|_| link.state == LinkState::Open)?;
    AccountStep::after(acc).map(|s| (s, acc.clone()))
}

/// With nothing to choose (the payer has no connected account), the
/// choice screen never shows: the checkout opens in the connector.
/// Returns whether the payer has accounts (tracked), for the connector's
/// Back.
pub fn straight_to_connecting(
    accounts: PageRead<AccountList>,
    steps: Steps<Step<Checkout>>,
    connecting: Connecting,
) -> Memo<bool> {
    let none =
        Memo::new(move |_| matches!(accounts.get(), Some(Ok(list)) if list.accounts.is_empty()));
    // Known at once (the page carried them): the connector is the first
    // screen, with no move and nothing focused.
    let opening = steps.current() == Step::Page(Checkout::Choose);
    if opening && accounts.ready().is_some_and(|l| l.accounts.is_empty()) {
        connecting.move_to(AccountStep::Bank, Move::Opening);
        steps.go_quietly(Step::Page(Checkout::NewAccount));
    }
    Effect::new(move |_| {
        if none.get() && steps.current() == Step::Page(Checkout::Choose) {
            connecting.move_to(AccountStep::Bank, Move::InPlace);
            steps.to(Checkout::NewAccount);
        }
    });
    Memo::new(move |_| !none.get())
}
