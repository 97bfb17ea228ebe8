//! The checkout flow once the link has loaded: choose one of the payer's
//! accounts (or connect a new one with the shared connector), authorize the
//! debit, pay once (idempotently), then the finish, a decline, or another
//! end (expired, already paid).

use super::moves::{reopened, resumed, straight_to_connecting};
use super::outcome::{words, Declined, Receipt};
use super::pay::Payer;
use super::payment::{known_accounts, PaymentChoice};
use super::step::Checkout;
use super::summary::Summary;
use crate::components::account_choice::PayState;
use crate::components::account_connector::{open_flow, AccountConnector, Move, Target};
use crate::components::account_form::FormState;
use crate::components::handoff::phone_handoff;
use crate::components::layout::{Layout, Skeleton};
use crate::components::link_flow::{End, Ending, Start, Step};
use crate::components::money::format_money;
use crate::components::step_read::PageRead;
use crate::i18n::use_lang;
use druo_core::dto::{
    AccountList, InstitutionList, LinkState, PaymentResult, PublicAccount, PublicCheckoutLink,
};
use leptos::prelude::*;

/// The checkout flow for a loaded link.
#[component]
pub fn CheckoutFlow(
    /// The link as the service describes it.
    link: PublicCheckoutLink,
    /// The payer's verified accounts, loading in parallel.
    accounts: PageRead<AccountList>,
    /// The catalog, for connecting a new account.
    institutions: PageRead<InstitutionList>,
    /// The new-account form (owned by the page).
    form: FormState,
    /// The payment choices (owned by the page).
    pay: PayState,
    /// The link's slug.
    slug: String,
    /// Where to start (a live page: where the link's state says).
    #[prop(optional)]
    start: Start<Checkout>,
    /// The payment a confirmation first step shows.
    #[prop(optional)]
    payment: Option<PaymentResult>,
    /// Whether the summary starts open; `None`: open on a wide window.
    #[prop(optional)]
    summary_open: Option<bool>,
    /// Paint the summary first and the payment a tick later (live pages);
    /// the studio's frames paint at once.
    #[prop(default = true)]
    staged: bool,
) -> impl IntoView {
    let lang = use_lang();
    let (reopened_at, paid) = reopened(&link).unzip();
    // A new account whose pending validation was being finished (a reload,
    // or the link opened again after the bank's app) resumes it.
    let held = resumed(&link).filter(|_| start.step.is_none() && reopened_at.is_none());
    let (start, resuming) = start.resuming(held);
    let reopened_at = if resuming {
        Some(Step::Page(Checkout::NewAccount))
    } else {
        reopened_at
    };
    let (fl, steps, connecting, trail) = open_flow(
        Target::Checkout,
        (&link, slug),
        (Checkout::Choose, Checkout::NewAccount),
        (start, reopened_at),
        (institutions, form),
    );
    let known = known_accounts(accounts, pay);
    let has_accounts = straight_to_connecting(accounts, steps, connecting);

    let link = StoredValue::new(link);
    // Once per language: an `Intl.NumberFormat` is costly to build, and the
    // amount shows in four places.
    let amount = Memo::new(move |_| {
        link.with_value(|l| format_money(l.transaction.amount, &l.transaction.currency, lang.get()))
    });
    let reopened_paid = paid.is_some();
    let result = RwSignal::new(payment.or(paid));
    let payer = Payer::new(link, fl, pay, (steps, trail), result);
    // While a new account's validation waits, the way back is the
    // merchant's URL as checked (nothing is paid yet, so nothing appended).
    let way_back = Callback::new(move |_: PublicAccount| {
        link.with_value(|l| {
            let url = l.redirect_url.as_deref()?;
            druo_core::url::parse_http_url(url)
                .ok()
                .map(|u| u.as_string())
        })
    });
    let on_connected = move |acc: PublicAccount| {
        let uuid = acc.uuid.clone();
        known.update(|k| k.insert(0, acc));
        pay.choose(uuid);
        trail.push(&Default::default());
        steps.to(Checkout::Choose);
    };
    let back = move || {
        (has_accounts.get() || !known.with(Vec::is_empty)).then(|| {
            Callback::new(move |_| {
                if !trail.back_to(&Default::default()) {
                    steps.to(Checkout::Choose);
                }
            })
        })
    };

    // What the phone reached, shown here (`phone_handoff`): as a payment
    // made on this page would.
    let follow = Callback::new(move |l: PublicCheckoutLink| match (l.state, l.outcome) {
        (LinkState::Completed, Some(r)) => payer.paid_elsewhere(r),
        (LinkState::Expired, _) => steps.end(End::Expired),
        _ => {}
    });

    // Two tasks instead of one long one: the summary (with the amount)
    // paints first and the payment step follows a tick later, so building
    // the page never blocks input for long (Total Blocking Time,
    // docs/performance.md).
    let ready = RwSignal::new(!staged);
    if staged {
        set_timeout(move || _ = ready.try_set(true), std::time::Duration::ZERO);
    }

    view! {
        <Layout lang_switch=true merchant=fl.merchant.get_value() aside=move || view! { <Summary link amount open=summary_open/> }>
            {move || {
                if !ready.get() {
                    return view! { <Skeleton/> }.into_any();
                }
                let focus = steps.focus();
                match steps.get() {
                    Step::Page(Checkout::Choose) => view! {
                        <PaymentChoice accounts known pay payer merchant=fl.merchant.get_value() amount focus
                            on_new_account=move |_| {
                                connecting.move_to(crate::components::account_step::AccountStep::Bank, Move::Forward);
                                steps.to(Checkout::NewAccount);
                            }/>
                    }.into_any(),
                    Step::Page(Checkout::NewAccount) => view! {
                        <AccountConnector with=connecting on_connected on_back=back() way_back/>
                    }.into_any(),
                    Step::Page(Checkout::Declined) => view! {
                        <Declined result known focus back=payer.cancel_url() merchant=fl.merchant.get_value() on_try_again=move |_| payer.try_again() on_retry=move |_| payer.retry()>
                            <Receipt result amount known link/>
                        </Declined>
                    }.into_any(),
                    Step::End(end) => view! {
                        <Ending end words=words(result, reopened_paid) merchant=fl.merchant.get_value() focus>
                            <Receipt result amount known link/>
                        </Ending>
                    }.into_any(),
                }
            }}
            {move || matches!(steps.get(), Step::Page(_)).then(|| phone_handoff(fl.slug, follow))}
        </Layout>
    }
}
