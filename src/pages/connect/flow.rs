//! The connect flow once the link has loaded: intro, institution, account
//! details, submit, then pending validation, rejection, or the finish
//! (redirect or DRUO confirmation page). Every decision is `druo_core`'s;
//! this module wires signals to views.

use crate::api::{self, ApiError};
use crate::components::account_form::{AccountForm, FormState};
use crate::components::institution_picker::InstitutionPicker;
use crate::components::layout::{Layout, Skeleton};
use crate::components::step_heading::StepHeading;
use crate::components::theme::apply_theme;
use crate::i18n::{tr, use_lang};
use crate::pages::not_found::NotFound;
use druo_core::dto::{ConnectSubmit, InstitutionList, LinkState, PublicAccount, PublicConnectLink};
use druo_core::finish::{connect_finish, expired_now, Finish};
use druo_core::form::service_error;
use druo_core::i18n::{fill, status_msg, Msg};
use druo_core::lang::choose_lang;
use druo_core::theme::resolve_connect;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

/// Where the user is in the flow.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Step {
    /// Who asks, for whom, and what happens to the data.
    Intro,
    /// Choosing the institution.
    Bank,
    /// Type, number, authorization.
    Details,
    /// The institution wants a confirmation.
    Pending,
    /// The institution refused the account.
    Rejected,
    /// Connected; the DRUO page, with "Return to" when there is a URL.
    Done(Option<String>),
    /// Connected; leaving for the merchant's URL.
    Redirecting,
    /// The link expired (on load, or answered by a submit).
    Expired,
    /// The link was already used.
    Completed,
    /// The link vanished between load and submit.
    Gone,
}

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
) -> impl IntoView {
    let lang = use_lang();
    let query = use_query_map();
    let default_lang = link.default_language;
    Effect::new(move |_| {
        let q = query.with(|q| q.get("lang"));
        lang.set(choose_lang(q.as_deref(), Some(default_lang)));
    });
    apply_theme(&resolve_connect(&link.theme));

    let loaded_at = js_sys::Date::now();
    let clock = StoredValue::new((link.expiration_date.clone(), link.server_time.clone()));
    let expired_by_clock = move || {
        clock.with_value(|(exp, now)| {
            expired_now(
                exp.as_deref(),
                now,
                (js_sys::Date::now() - loaded_at) as i64,
            )
        })
    };
    let first = match link.state {
        LinkState::Expired => Step::Expired,
        LinkState::Completed => Step::Completed,
        LinkState::Open if expired_by_clock() => Step::Expired,
        LinkState::Open => Step::Intro,
    };
    let step = RwSignal::new(first);
    // Focus follows the step, but not on the first paint.
    let moved = StoredValue::new(false);
    let go = move |s: Step| {
        moved.set_value(true);
        step.set(s);
    };

    // Preselect the link's default institution once the catalog arrives.
    let default_institution = link.default_institution.clone();
    Effect::new(move |_| {
        if form.institution.get_untracked().is_some() {
            return;
        }
        if let (Some(Ok(list)), Some(id)) = (institutions.get(), default_institution.as_ref()) {
            if let Some(i) = list.institutions.into_iter().find(|i| &i.uuid == id) {
                form.choose_institution(i);
            }
        }
    });

    let link = StoredValue::new(link);
    let slug = StoredValue::new(slug);
    let account = RwSignal::new(None::<PublicAccount>);
    let notice = RwSignal::new(None::<Msg>);

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
        match decision {
            Finish::Redirect(url) => {
                go(Step::Redirecting);
                let _ = window().location().assign(&url);
            }
            Finish::Confirmation(ret) => go(Step::Done(ret)),
        }
    };
    let handle_account = move |acc: PublicAccount| {
        form.idempotency_key.set(None);
        if acc.current_status == "REJECTED" {
            account.set(Some(acc));
            go(Step::Rejected);
        } else if acc.requires_account_validation {
            account.set(Some(acc));
            go(Step::Pending);
        } else {
            finish(acc);
        }
    };
    let handle_error = move |e: ApiError| match e.rejected_status() {
        Some(410) => go(Step::Expired),
        Some(409) => go(Step::Completed),
        _ => match e {
            ApiError::NotFound => go(Step::Gone),
            ApiError::Rejected { body, .. } => {
                match service_error(body.field.as_deref(), &body.code) {
                    Some(fe) => form.server_error.set(Some(fe)),
                    None => notice.set(Some(Msg::ErrRefused)),
                }
            }
            // Network, 5xx, timeouts, malformed answers: keep everything,
            // keep the key, offer the same submit again.
            _ => notice.set(Some(Msg::SubmitFailed)),
        },
    };

    let submit = Action::new_local(move |(key, body): &(String, ConnectSubmit)| {
        let (key, body, slug) = (key.clone(), body.clone(), slug.get_value());
        async move { api::submit_connect(&slug, &key, &body).await }
    });
    Effect::new(move |_| {
        if let Some(result) = submit.value().get() {
            match result {
                Ok(acc) => handle_account(acc),
                Err(e) => handle_error(e),
            }
        }
    });
    let on_submit = move |body: ConnectSubmit| {
        if submit.pending().get_untracked() {
            return;
        }
        if expired_by_clock() {
            go(Step::Expired);
            return;
        }
        notice.set(None);
        let key = form
            .idempotency_key
            .get_untracked()
            .unwrap_or_else(api::new_idempotency_key);
        form.idempotency_key.set(Some(key.clone()));
        submit.dispatch((key, body));
    };

    let refresh = Action::new_local(move |uuid: &String| {
        let (uuid, slug) = (uuid.clone(), slug.get_value());
        async move { api::refresh_connect_account(&slug, &uuid).await }
    });
    Effect::new(move |_| {
        if let Some(result) = refresh.value().get() {
            match result {
                Ok(acc) if acc.requires_account_validation => {
                    account.set(Some(acc));
                    notice.set(Some(Msg::StillPending));
                }
                Ok(acc) => {
                    notice.set(None);
                    handle_account(acc);
                }
                Err(e) => handle_error(e),
            }
        }
    });

    let merchant = link.with_value(|l| l.merchant_name.clone());
    let m = StoredValue::new(merchant.clone());
    let text = move |msg: Msg, args: &[(&str, &str)]| fill(msg.text(lang.get()), args);
    let heading = move |msg: Msg| Signal::derive(move || msg.text(lang.get()).to_string());
    let bank_of = move || {
        account.with(|a| {
            a.as_ref()
                .map(|a| a.institution.name.clone())
                .unwrap_or_default()
        })
    };

    view! {
        <Layout lang_switch=true>
            {move || {
                let focus = moved.get_value();
                match step.get() {
                    Step::Intro => view! {
                        <p class="step-count">{move || text(Msg::StepOf, &[("n", "1"), ("total", "3")])}</p>
                        <StepHeading text=heading(Msg::ConnectTitle) focus/>
                        <p class="intro-text">{move || link.with_value(|l| l.intro_text.resolve(lang.get()).to_string())}</p>
                        <p class="sent-by">
                            <span>{tr(Msg::SentBy)}</span>" "<strong>{m.get_value()}</strong>
                            {link.with_value(|l| l.end_user_first_name.clone()).map(|name| {
                                view! { <span class="for">" · "{move || text(Msg::PreparedFor, &[("name", &name)])}</span> }
                            })}
                        </p>
                        <h2 class="subheading">{tr(Msg::HowItWorksTitle)}</h2>
                        <ol class="how">
                            <li>{tr(Msg::HowItWorks1)}</li>
                            <li>{tr(Msg::HowItWorks2)}</li>
                            <li>{move || text(Msg::HowItWorks3, &[("merchant", &m.get_value())])}</li>
                        </ol>
                        <button class="primary" on:click=move |_| go(Step::Bank)>{tr(Msg::Continue)}</button>
                    }.into_any(),
                    Step::Bank => view! {
                        <p class="step-count">{move || text(Msg::StepOf, &[("n", "2"), ("total", "3")])}</p>
                        <StepHeading text=heading(Msg::ChooseBankTitle) focus/>
                        {move || match institutions.get() {
                            None => view! { <Skeleton/> }.into_any(),
                            Some(Err(_)) => view! {
                                <p class="notice" role="alert">{tr(Msg::ServiceErrorBody)}</p>
                                <button class="primary" on:click=move |_| institutions.refetch()>{tr(Msg::Retry)}</button>
                            }.into_any(),
                            Some(Ok(list)) => view! {
                                {move || form.institution.get().map(|i| view! {
                                    <button class="primary" on:click=move |_| go(Step::Details)>
                                        {move || text(Msg::ContinueWith, &[("bank", &i.name)])}
                                    </button>
                                })}
                                <InstitutionPicker
                                    institutions=list.institutions
                                    query=form.query
                                    selected=form.institution
                                    on_pick=move |i| { form.choose_institution(i); go(Step::Details); }
                                />
                            }.into_any(),
                        }}
                        <button class="secondary" on:click=move |_| go(Step::Intro)>{tr(Msg::Back)}</button>
                    }.into_any(),
                    Step::Details => view! {
                        <p class="step-count">{move || text(Msg::StepOf, &[("n", "3"), ("total", "3")])}</p>
                        <StepHeading text=heading(Msg::AccountDetailsTitle) focus/>
                        <AccountForm
                            form
                            merchant=m.get_value()
                            pending=submit.pending()
                            notice=notice
                            on_submit=on_submit
                            on_change_bank=move |_| go(Step::Bank)
                        />
                    }.into_any(),
                    Step::Pending => view! {
                        <StepHeading text=heading(Msg::PendingTitle) focus/>
                        <ul class="pending-steps">
                            {move || account.get().map(|a| a.pending_account_validations.into_iter().map(|p| {
                                let msg = if p.action == "CONFIRM_REQUEST_WITH_INSTITUTION" { Msg::PendingConfirmWithInstitution } else { Msg::PendingOther };
                                view! { <li>{move || text(msg, &[("bank", &bank_of())])}</li> }
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
                    }.into_any(),
                    Step::Rejected => view! {
                        <StepHeading text=heading(Msg::RejectedTitle) focus/>
                        <p role="alert">
                            {move || account.get().map(|a| {
                                let msg = if a.remarks.as_deref() == Some("ACCOUNT_DOES_NOT_EXIST") { Msg::RejectedDoesNotExist } else { Msg::RejectedOther };
                                text(msg, &[("bank", &a.institution.name), ("last4", &a.last_4)])
                            })}
                        </p>
                        <button class="primary" on:click=move |_| go(Step::Details)>{tr(Msg::FixNumber)}</button>
                        <button class="secondary" on:click=move |_| go(Step::Bank)>{tr(Msg::ChooseAnotherBank)}</button>
                    }.into_any(),
                    Step::Done(ret) => view! {
                        <StepHeading text=heading(Msg::ConnectedTitle) focus/>
                        <p>{move || text(Msg::ConnectedBody, &[("merchant", &m.get_value())])}</p>
                        {move || account.get().map(|a| view! {
                            <dl class="summary">
                                <dt>{tr(Msg::BankLabel)}</dt><dd>{a.institution.name.clone()}</dd>
                                <dt>{tr(Msg::AccountLabel)}</dt><dd>{format!("•••• {}", a.last_4)}</dd>
                                <dt>{tr(Msg::StatusLabel)}</dt><dd>{move || status_msg(&a.current_status).text(lang.get())}</dd>
                            </dl>
                        })}
                        {ret.map(|url| view! {
                            <a class="button primary" href=url>{move || text(Msg::ReturnTo, &[("merchant", &m.get_value())])}</a>
                        })}
                    }.into_any(),
                    Step::Redirecting => view! {
                        <StepHeading text=heading(Msg::ConnectedTitle) focus/>
                        <p role="status">{move || text(Msg::Redirecting, &[("merchant", &m.get_value())])}</p>
                    }.into_any(),
                    Step::Expired => view! {
                        <StepHeading text=heading(Msg::ExpiredTitle) focus/>
                        <p>{tr(Msg::ExpiredBody)}" "<strong>{m.get_value()}</strong></p>
                    }.into_any(),
                    Step::Completed => view! {
                        <StepHeading text=heading(Msg::CompletedTitle) focus/>
                        <p>{move || text(Msg::CompletedBody, &[("merchant", &m.get_value())])}</p>
                    }.into_any(),
                    Step::Gone => view! { <NotFound/> }.into_any(),
                }
            }}
        </Layout>
    }
}
