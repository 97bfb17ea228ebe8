//! The checkout flow once the link has loaded: choose one of the payer's
//! accounts (or connect a new one with the shared connector), authorize the
//! debit, pay once (idempotently), then the finish, a decline, or the
//! expired/already-paid pages.

use crate::api::{self, ApiError};
use crate::components::account_choice::{AccountChoice, PayState};
use crate::components::account_connector::{is_link_error, AccountConnector, Target};
use crate::components::account_form::FormState;
use crate::components::layout::{Layout, Skeleton};
use crate::components::money::format_money;
use crate::components::step_heading::StepHeading;
use crate::components::theme::apply_theme;
use crate::i18n::{tr, use_lang};
use crate::pages::connect::follow_link_lang;
use crate::pages::link_loader::expiry_clock;
use crate::pages::not_found::NotFound;
use crate::pages::preview::Preview;
use druo_core::dto::{
    AccountList, InstitutionList, LinkState, PayRequest, PublicAccount, PublicCheckoutLink,
};
use druo_core::finish::{checkout_finish, Finish};
use druo_core::i18n::{fill, transaction_status_msg, Msg};
use druo_core::status::{DeclineReason, PaymentStatus};
use druo_core::studio::PreviewState;
use druo_core::theme::resolve_checkout;
use leptos::prelude::*;

/// Where the user is in the checkout.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Step {
    Choose,
    NewAccount,
    Done(Option<String>),
    Redirecting,
    Declined,
    Expired,
    AlreadyPaid,
    Gone,
}

fn step_for_link_error(e: &ApiError) -> Step {
    match e.rejected_status() {
        Some(410) => Step::Expired,
        Some(409) => Step::AlreadyPaid,
        _ => Step::Gone,
    }
}

/// The checkout flow for a loaded link.
#[component]
pub fn CheckoutFlow(
    /// The link as the service describes it.
    link: PublicCheckoutLink,
    /// The payer's verified accounts, loading in parallel.
    accounts: LocalResource<Result<AccountList, ApiError>>,
    /// The catalog, for connecting a new account.
    institutions: LocalResource<Result<InstitutionList, ApiError>>,
    /// The new-account form (owned by the page).
    form: FormState,
    /// The payment choices (owned by the page).
    pay: PayState,
    /// The link's slug.
    slug: String,
    /// Studio only: show this state with sample data; the studio themes it.
    #[prop(optional_no_strip)]
    preview: Option<Preview>,
) -> impl IntoView {
    let lang = use_lang();
    if preview.is_none() {
        follow_link_lang(link.default_language);
        apply_theme(&resolve_checkout(&link.theme));
    }
    let expired_by_clock = expiry_clock(link.expiration_date.clone(), link.server_time.clone());
    let first = match (&preview, link.state) {
        (Some(p), _) => match p.state {
            PreviewState::Intro => Step::Choose,
            PreviewState::Confirmation => Step::Done(link.redirect_url.clone()),
            PreviewState::Expired => Step::Expired,
            PreviewState::NotFound | PreviewState::ServiceError => Step::Gone,
            _ => Step::NewAccount,
        },
        (None, LinkState::Expired) => Step::Expired,
        (None, LinkState::Completed) => Step::AlreadyPaid,
        (None, LinkState::Open) if expired_by_clock() => Step::Expired,
        (None, LinkState::Open) => Step::Choose,
    };
    let step = RwSignal::new(first);
    let moved = StoredValue::new(false);
    let go = move |s: Step| {
        moved.set_value(true);
        step.set(s);
    };

    // Accounts known to the page: the service's list plus any connected here.
    let known = RwSignal::new(Vec::<PublicAccount>::new());
    Effect::new(move |_| {
        if let Some(Ok(list)) = accounts.get() {
            known.update(|k| {
                for a in list.accounts {
                    if !k.iter().any(|x| x.uuid == a.uuid) {
                        k.push(a);
                    }
                }
            });
        }
    });
    Effect::new(move |_| {
        let first = known.with(|k| k.first().map(|a| a.uuid.clone()));
        if pay.chosen.get_untracked().is_none() {
            if let Some(u) = first {
                pay.choose(u);
            }
        }
    });
    form.preselect(institutions, link.default_institution.clone());

    let link = StoredValue::new(link);
    let slug = StoredValue::new(slug);
    let m = StoredValue::new(link.with_value(|l| l.merchant_name.clone()));
    // Once per language: an `Intl.NumberFormat` is costly to build, and the
    // amount shows in four places.
    let amount = Memo::new(move |_| {
        link.with_value(|l| format_money(l.transaction.amount, &l.transaction.currency, lang.get()))
    });
    let amount_signal: Signal<String> = amount.into();
    let chosen_account = move || {
        let id = pay.chosen.get()?;
        known.with(|k| k.iter().find(|a| a.uuid == id).cloned())
    };
    let result = RwSignal::new(preview.as_ref().map(|p| p.payment.clone()));
    let wide_frame = preview.as_ref().map(|p| p.wide);
    let preview_account = preview.map(|p| (p.state, p.account));
    let notice = RwSignal::new(None::<Msg>);

    let pay_action = Action::new_local(move |(key, req): &(String, PayRequest)| {
        let (key, req, slug) = (key.clone(), req.clone(), slug.get_value());
        async move { api::pay(&slug, &key, &req).await }
    });
    Effect::new(move |_| match pay_action.value().get() {
        Some(Ok(r)) => {
            pay.key.set(None);
            result.set(Some(r.clone()));
            if r.status == PaymentStatus::Declined {
                pay.authorized.set(false);
                go(Step::Declined);
                return;
            }
            let decision = link.with_value(|l| {
                checkout_finish(
                    l.redirect_url.as_deref(),
                    l.custom_confirmation_page,
                    &r,
                    &l.uuid,
                )
            });
            match decision {
                Finish::Redirect(url) => {
                    go(Step::Redirecting);
                    let _ = window().location().assign(&url);
                }
                Finish::Confirmation(ret) => go(Step::Done(ret)),
            }
        }
        Some(Err(e)) if is_link_error(&e) => go(step_for_link_error(&e)),
        Some(Err(ApiError::Rejected { body, .. })) => {
            notice.set(Some(match body.field.as_deref() {
                Some("user_authorization") => Msg::ErrAuthorize,
                Some("account_uuid") => Msg::ErrChooseAccount,
                _ => Msg::ErrRefused,
            }))
        }
        Some(Err(_)) => notice.set(Some(Msg::SubmitFailed)),
        None => {}
    });
    let can_pay =
        move || pay.chosen.get().is_some() && pay.authorized.get() && !pay_action.pending().get();
    let on_pay = move |_| {
        if !can_pay() {
            return;
        }
        if expired_by_clock() {
            go(Step::Expired);
            return;
        }
        let Some(account_uuid) = pay.chosen.get_untracked() else {
            return;
        };
        notice.set(None);
        let key = pay
            .key
            .get_untracked()
            .unwrap_or_else(api::new_idempotency_key);
        pay.key.set(Some(key.clone()));
        pay_action.dispatch((
            key,
            PayRequest {
                account_uuid,
                user_authorization: true,
            },
        ));
    };
    let on_connected = move |acc: PublicAccount| {
        let uuid = acc.uuid.clone();
        known.update(|k| k.insert(0, acc));
        pay.choose(uuid);
        go(Step::Choose);
    };
    let check_expired = move |_: ()| {
        let e = expired_by_clock();
        if e {
            go(Step::Expired);
        }
        e
    };

    let text = move |msg: Msg, args: &[(&str, &str)]| fill(msg.text(lang.get()), args);
    let heading = move |msg: Msg| Signal::derive(move || msg.text(lang.get()).to_string());
    let wide = wide_frame.unwrap_or_else(|| {
        window()
            .inner_width()
            .ok()
            .and_then(|w| w.as_f64())
            .is_some_and(|w| w >= 760.0)
    });
    let aside = move || {
        view! {
            <aside class="sidebar" aria-label=move || Msg::PaymentSummary.text(lang.get())>
                <details class="summary-panel" open=wide>
                    <summary>
                        <span>{tr(Msg::PaymentSummary)}</span>
                        <strong class="summary-amount" {..crate::components::meaningful()}>{amount}</strong>
                    </summary>
                    <p class="payee">{tr(Msg::PayeeLabel)}" "<strong>{m.get_value()}</strong></p>
                    <h2 class="link-name">{link.with_value(|l| l.link_name.clone())}</h2>
                    {link.with_value(|l| l.link_description.clone()).map(|d| view! { <p class="link-description">{d}</p> })}
                    <dl class="summary">
                        <dt>{tr(Msg::AmountLabel)}</dt>
                        <dd class="amount">{amount}</dd>
                        {link.with_value(|l| l.transaction.description.clone()).map(|d| view! {
                            <dt>{tr(Msg::ConceptLabel)}</dt><dd>{d}</dd>
                        })}
                        {link.with_value(|l| l.transaction.statement_descriptor.clone()).map(|d| view! {
                            <dt>{tr(Msg::StatementLabel)}</dt><dd class="descriptor">{d}</dd>
                        })}
                    </dl>
                </details>
            </aside>
        }
    };

    // Two tasks instead of one long one: the summary (with the amount)
    // paints first and the payment step follows a tick later, so building
    // the page never blocks input for long (Total Blocking Time,
    // docs/performance.md). The studio renders both at once.
    let ready = RwSignal::new(preview_account.is_some());
    if !ready.get_untracked() {
        set_timeout(
            move || {
                ready.try_set(true);
            },
            std::time::Duration::ZERO,
        );
    }

    view! {
        <Layout lang_switch=true aside=aside>
            {move || {
                if !ready.get() {
                    return view! { <Skeleton/> }.into_any();
                }
                let focus = moved.get_value();
                match step.get() {
                    Step::Choose => view! {
                        <StepHeading text=heading(Msg::ChoosePaymentTitle) focus/>
                        {move || match accounts.get() {
                            None => view! { <Skeleton/> }.into_any(),
                            Some(Err(_)) => view! {
                                <p class="notice" role="alert">{tr(Msg::ServiceErrorBody)}</p>
                                <button class="secondary" on:click=move |_| accounts.refetch()>{tr(Msg::Retry)}</button>
                                <button class="secondary" on:click=move |_| go(Step::NewAccount)>
                                    {tr(Msg::ConnectNewAccount)}
                                </button>
                            }.into_any(),
                            Some(Ok(_)) => view! {
                                <AccountChoice accounts=known pay merchant=m.get_value() amount=amount_signal>
                                    <button class="secondary" on:click=move |_| go(Step::NewAccount)>
                                        {tr(Msg::ConnectNewAccount)}
                                    </button>
                                </AccountChoice>
                            }.into_any(),
                        }}
                        <p class="notice" role="alert">{move || notice.get().map(|n| n.text(lang.get()))}</p>
                        <button
                            class="primary"
                            disabled=move || !can_pay()
                            aria-busy=move || pay_action.pending().get().to_string()
                            on:click=on_pay
                        >
                            {move || if pay_action.pending().get() { tr(Msg::Paying)().to_string() } else { text(Msg::PayAmount, &[("amount", &amount.get())]) }}
                        </button>
                    }.into_any(),
                    Step::NewAccount => view! {
                        <AccountConnector
                            target=Target::Checkout
                            slug=slug.get_value()
                            institutions
                            form
                            merchant=m.get_value()
                            expired=check_expired
                            on_connected=on_connected
                            on_link_error=move |e: ApiError| go(step_for_link_error(&e))
                            on_back=move |_| go(Step::Choose)
                            preview=preview_account.clone()
                        />
                    }.into_any(),
                    Step::Done(ret) => view! {
                        <StepHeading
                            text=heading(if result.with(|r| r.as_ref().is_some_and(|r| r.status == PaymentStatus::Pending)) { Msg::PaymentPendingTitle } else { Msg::PaidTitle })
                            focus
                        />
                        <p>{move || {
                            let pending = result.with(|r| r.as_ref().is_some_and(|r| r.status == PaymentStatus::Pending));
                            text(if pending { Msg::PaymentPendingBody } else { Msg::PaidBody }, &[("merchant", &m.get_value())])
                        }}</p>
                        {move || result.get().map(|r| view! {
                            <dl class="summary">
                                <dt>{tr(Msg::AmountLabel)}</dt><dd>{amount}</dd>
                                {chosen_account().map(|a| view! { <dt>{tr(Msg::AccountLabel)}</dt><dd>{format!("{} •••• {}", a.institution.name, a.last_4)}</dd> })}
                                <dt>{tr(Msg::TransactionCodeLabel)}</dt><dd>{r.transaction_code.clone()}</dd>
                                <dt>{tr(Msg::StatusLabel)}</dt><dd>{move || transaction_status_msg(r.status).text(lang.get())}</dd>
                            </dl>
                        })}
                        {ret.map(|url| view! {
                            <a class="button primary" href=url>{move || text(Msg::ReturnTo, &[("merchant", &m.get_value())])}</a>
                        })}
                    }.into_any(),
                    Step::Redirecting => view! {
                        <StepHeading text=heading(Msg::PaidTitle) focus/>
                        <p role="status">{move || text(Msg::Redirecting, &[("merchant", &m.get_value())])}</p>
                    }.into_any(),
                    Step::Declined => view! {
                        <StepHeading text=heading(Msg::DeclinedTitle) focus/>
                        <p role="alert">{move || {
                            let insufficient = result.with(|r| r.as_ref().and_then(|r| r.decline_reason) == Some(DeclineReason::InsufficientFunds));
                            tr(if insufficient { Msg::DeclinedInsufficientFunds } else { Msg::DeclinedOther })()
                        }}</p>
                        <button class="primary" on:click=move |_| go(Step::Choose)>{tr(Msg::PayWithAnother)}</button>
                    }.into_any(),
                    Step::Expired => view! {
                        <StepHeading text=heading(Msg::ExpiredTitle) focus/>
                        <p>{tr(Msg::ExpiredBody)}" "<strong>{m.get_value()}</strong></p>
                    }.into_any(),
                    Step::AlreadyPaid => view! {
                        <StepHeading text=heading(Msg::AlreadyPaidTitle) focus/>
                        <p>{move || text(Msg::AlreadyPaidBody, &[("merchant", &m.get_value())])}</p>
                    }.into_any(),
                    Step::Gone => view! { <NotFound/> }.into_any(),
                }
            }}
        </Layout>
    }
}
