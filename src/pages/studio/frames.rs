//! The studio's frames: the live flows with sample data, started in the
//! state the designer chose. The studio, not the flows, knows what a
//! preview state means: it turns each into the flows' plain inputs.

use super::sample;
use crate::api::ApiError;
use crate::components::account_choice::PayState;
use crate::components::account_connector::AccountStep;
use crate::components::account_form::FormState;
use crate::components::icon::Icon;
use crate::components::link_flow::{End, Start, Step};
use crate::components::message::MessagePage;
use crate::components::message::NotFound;
use crate::components::step_read::PageRead;
use crate::i18n::{LangContext, LangParam};
use crate::pages::checkout::{Checkout, CheckoutFlow};
use crate::pages::connect::{Connect, ConnectFlow};
use druo_core::dto::AccountSubtype;
use druo_core::form::Field;
use druo_core::i18n::Msg;
use druo_core::studio::{Kind, PreviewState, StudioState};
use leptos::prelude::*;

/// A flow's own steps that preview states start at: its first step, the
/// account connector, and (checkout only) the declined payment.
struct Pages<P> {
    intro: P,
    account: P,
    declined: Option<P>,
}

/// Where a flow starts to show `state`: at one of its `pages` (the
/// connector at the state's own step), or at an end; with the sample
/// account, and no step taking the designer's focus. A pending account
/// shows the connector's live wait on both pages.
fn start<P>(state: PreviewState, pages: Pages<P>) -> Start<P> {
    let done = || Step::End(End::Done(Some(sample::RETURN_URL.into())));
    let step = match state {
        PreviewState::Intro => Step::Page(pages.intro),
        PreviewState::Confirmation | PreviewState::PaymentPending => done(),
        PreviewState::Declined => match pages.declined {
            Some(declined) => Step::Page(declined),
            // A kind without it never offers the state (`Kind::states`).
            None => Step::Page(pages.intro),
        },
        PreviewState::Used => Step::End(End::Used),
        PreviewState::Expired => Step::End(End::Expired),
        PreviewState::NotFound | PreviewState::ServiceError => Step::End(End::Gone),
        _ => Step::Page(pages.account),
    };
    let account_step = match state {
        PreviewState::Form | PreviewState::FormErrors => AccountStep::Details,
        PreviewState::Pending => AccountStep::Pending,
        PreviewState::Rejected => AccountStep::Rejected,
        _ => AccountStep::Bank,
    };
    Start {
        step: Some(step),
        account_step,
        account: Some(sample::account(state)),
        focus: false,
    }
}

/// A form filled as the state shows it.
fn preview_form(state: PreviewState) -> FormState {
    let form = FormState::new();
    if let Some(i) = sample::institutions()
        .institutions
        .into_iter()
        .find(|i| i.uuid == sample::BOGOTA)
    {
        form.choose_institution(i);
    }
    form.subtype.set(Some(AccountSubtype::Savings));
    match state {
        PreviewState::FormErrors => {
            form.number.set("12a4".into());
            form.confirm.set("999".into());
            form.touched
                .update(|t| t.extend([Field::Number, Field::Confirm, Field::Authorization]));
        }
        _ => {
            form.number.set("0012345678".into());
            form.confirm.set("0012345678".into());
            form.authorized.set(state != PreviewState::Form);
        }
    }
    form
}

/// One frame's content: the live components, in the chosen state and the
/// preview's language (its own context, so the studio around it keeps
/// the studio's). `wide` for the desktop frame (the summary starts open).
pub fn frame(s: &StudioState, wide: bool) -> AnyView {
    provide_context(LangContext(RwSignal::new(s.plang)));
    provide_context(LangParam("plang"));
    let institutions = PageRead::new(Some(sample::institutions()), || async {
        Ok::<_, ApiError>(sample::institutions())
    });
    let form = preview_form(s.state);
    let slug = "sample".to_string();
    match (s.state, s.kind) {
        (PreviewState::NotFound, _) => view! { <NotFound/> }.into_any(),
        (PreviewState::ServiceError, _) => {
            view! { <MessagePage icon=Icon::Error title=Msg::ServiceErrorTitle body=Msg::ServiceErrorBody/> }
                .into_any()
        }
        (_, Kind::Connect) => {
            let link = sample::connect_link(s);
            let pages = Pages {
                intro: Connect::Intro,
                account: Connect::Account,
                declined: None,
            };
            let start = start(s.state, pages);
            view! { <ConnectFlow link institutions form slug start/> }.into_any()
        }
        (_, Kind::Checkout) => {
            let link = sample::checkout_link(s);
            let pages = Pages {
                intro: Checkout::Choose,
                account: Checkout::NewAccount,
                declined: Some(Checkout::Declined),
            };
            let start = start(s.state, pages);
            let accounts = PageRead::new(Some(sample::accounts()), || async {
                Ok::<_, ApiError>(sample::accounts())
            });
            view! {
                <CheckoutFlow
                    link
                    accounts
                    institutions
                    form
                    pay=PayState::new()
                    slug
                    start
                    payment=sample::payment(s.state)
                    summary_open=wide
                    staged=false
                />
            }
            .into_any()
        }
    }
}
