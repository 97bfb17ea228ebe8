//! The connect flow once the link has loaded: intro, then the shared
//! account connector, then the finish (redirect or DRUO confirmation page).
//! Every decision is `druo_core`'s; this module wires signals to views.

use crate::api::ApiError;
use crate::components::account_connector::{AccountConnector, Target};
use crate::components::account_form::FormState;
use crate::components::layout::Layout;
use crate::components::step_heading::StepHeading;
use crate::components::theme::apply_theme;
use crate::i18n::{tr, use_lang};
use crate::location::use_url;
use crate::pages::link_loader::expiry_clock;
use crate::pages::not_found::NotFound;
use crate::pages::preview::Preview;
use druo_core::dto::{InstitutionList, LinkState, PublicAccount, PublicConnectLink};
use druo_core::finish::{connect_finish, Finish};
use druo_core::i18n::{fill, status_msg, Msg};
use druo_core::lang::choose_lang;
use druo_core::studio::PreviewState;
use druo_core::theme::resolve_connect;
use leptos::prelude::*;

/// Where the user is in the flow.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Step {
    /// Who asks, for whom, and what happens to the data.
    Intro,
    /// Choosing the institution and entering the account (the connector).
    Account,
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

/// Sets the display language from the URL's `lang`, else the link's.
pub fn follow_link_lang(default: druo_core::Lang) {
    let lang = use_lang();
    let url = use_url();
    Effect::new(move |_| {
        let q = url.with(|u| u.get("lang"));
        lang.set(choose_lang(q.as_deref(), Some(default)));
    });
}

/// The step an error that ends the page leads to.
pub fn step_for_link_error(e: &ApiError) -> Step {
    match e.rejected_status() {
        Some(410) => Step::Expired,
        Some(409) => Step::Completed,
        _ => Step::Gone,
    }
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
    /// Studio only: show this state with sample data; the studio themes it.
    #[prop(optional_no_strip)]
    preview: Option<Preview>,
) -> impl IntoView {
    let lang = use_lang();
    if preview.is_none() {
        follow_link_lang(link.default_language);
        apply_theme(&resolve_connect(&link.theme));
    }

    let expired_by_clock = expiry_clock(link.expiration_date.clone(), link.server_time.clone());
    let first = match (&preview, link.state) {
        (Some(p), _) => match p.state {
            PreviewState::Intro => Step::Intro,
            PreviewState::Confirmation => Step::Done(link.redirect_url.clone()),
            PreviewState::Expired => Step::Expired,
            PreviewState::NotFound | PreviewState::ServiceError => Step::Gone,
            _ => Step::Account,
        },
        (None, LinkState::Expired) => Step::Expired,
        (None, LinkState::Completed) => Step::Completed,
        (None, LinkState::Open) if expired_by_clock() => Step::Expired,
        (None, LinkState::Open) => Step::Intro,
    };
    let step = RwSignal::new(first);
    // Focus follows the step, but not on the first paint.
    let moved = StoredValue::new(false);
    let go = move |s: Step| {
        moved.set_value(true);
        step.set(s);
    };

    form.preselect(institutions, link.default_institution.clone());

    let link = StoredValue::new(link);
    let slug = StoredValue::new(slug);
    let account = RwSignal::new(preview.as_ref().map(|p| p.account.clone()));
    let preview_account = preview.map(|p| (p.state, p.account));
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
    let check_expired = move |_: ()| {
        let expired = expired_by_clock();
        if expired {
            go(Step::Expired);
        }
        expired
    };

    let m = StoredValue::new(link.with_value(|l| l.merchant_name.clone()));
    let text = move |msg: Msg, args: &[(&str, &str)]| fill(msg.text(lang.get()), args);
    let heading = move |msg: Msg| Signal::derive(move || msg.text(lang.get()).to_string());

    view! {
        <Layout lang_switch=true>
            {move || {
                let focus = moved.get_value();
                match step.get() {
                    Step::Intro => view! {
                        <p class="step-count">{move || text(Msg::StepOf, &[("n", "1"), ("total", "3")])}</p>
                        <StepHeading text=heading(Msg::ConnectTitle) focus/>
                        <p class="intro-text" {..crate::components::meaningful()}>{move || link.with_value(|l| l.intro_text.resolve(lang.get()).to_string())}</p>
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
                        <button class="primary" on:click=move |_| go(Step::Account)>{tr(Msg::Continue)}</button>
                    }.into_any(),
                    Step::Account => view! {
                        <AccountConnector
                            target=Target::Connect
                            slug=slug.get_value()
                            institutions
                            form
                            merchant=m.get_value()
                            expired=check_expired
                            on_connected=finish
                            on_link_error=move |e: ApiError| go(step_for_link_error(&e))
                            on_back=move |_| go(Step::Intro)
                            counter=("2", "3", "3")
                            preview=preview_account.clone()
                        />
                    }.into_any(),
                    Step::Done(ret) => view! {
                        <StepHeading text=heading(Msg::ConnectedTitle) focus/>
                        <p>{move || text(Msg::ConnectedBody, &[("merchant", &m.get_value())])}</p>
                        {move || account.get().map(|a| view! {
                            <dl class="summary">
                                <dt>{tr(Msg::BankLabel)}</dt><dd>{a.institution.name.clone()}</dd>
                                <dt>{tr(Msg::AccountLabel)}</dt><dd>{format!("•••• {}", a.last_4)}</dd>
                                <dt>{tr(Msg::StatusLabel)}</dt><dd>{move || status_msg(a.current_status).text(lang.get())}</dd>
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
