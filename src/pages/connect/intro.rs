//! The connect page's first step: who asks, for whom, and what happens to
//! the data.

use crate::components::account_step::AccountStep;
use crate::components::link_flow::Place;
use crate::components::move_link::MoveLink;
use crate::components::step_heading::StepHeading;
use crate::i18n::{tr, use_fill, use_lang};
use druo_core::dto::PublicConnectLink;
use druo_core::i18n::Msg;
use leptos::prelude::*;

/// The intro: the merchant's text, who sent the link, how it works, and
/// "Continue".
#[component]
pub fn Intro(
    link: StoredValue<PublicConnectLink>,
    focus: bool,
    #[prop(into)] on_continue: Callback<()>,
) -> impl IntoView {
    let lang = use_lang();
    let fill = use_fill();
    let m = StoredValue::new(link.with_value(|l| l.merchant_name.clone()));
    // A link, so it works before and without the app.
    let bank = Place {
        step: Some(AccountStep::Bank),
        ..Place::default()
    }
    .href();
    view! {
        <p class="step-count">{move || fill(Msg::StepOf, &[("n", "1"), ("total", "3")])}</p>
        <StepHeading title=Msg::ConnectTitle focus/>
        <p class="intro-text" {..crate::components::dom::meaningful()}>{move || link.with_value(|l| l.intro_text.resolve(lang.get()).to_string())}</p>
        <p class="sent-by">
            <span>{tr(Msg::SentBy)}</span>" "<strong>{m.get_value()}</strong>
            {link.with_value(|l| l.end_user_first_name.clone()).map(|name| {
                view! { <span class="for">" · "{move || fill(Msg::PreparedFor, &[("name", &name)])}</span> }
            })}
        </p>
        <h2 class="subheading">{tr(Msg::HowItWorksTitle)}</h2>
        <ol class="how">
            <li>{tr(Msg::HowItWorks1)}</li>
            <li>{tr(Msg::HowItWorks2)}</li>
            <li>{move || fill(Msg::HowItWorks3, &[("merchant", &m.get_value())])}</li>
        </ol>
        <MoveLink class="button primary" href=bank on_move=on_continue>{tr(Msg::Continue)}</MoveLink>
    }
}
