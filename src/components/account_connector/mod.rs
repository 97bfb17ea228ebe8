//! Connecting an account, shared by the connect page and the checkout
//! page's "connect a new account": choose the institution, fill in the
//! form, submit once (idempotently), then confirm with the bank or fix a
//! rejected number. The parent hears only the outcome.

mod calls;
mod code;
mod connecting;
mod opening;
mod steps;
mod wait;

pub use crate::components::account_step::AccountStep;
pub use connecting::{Connecting, Move, Target};
pub use opening::open_flow;

use crate::components::account_form::AccountForm;
use crate::components::link_flow::End;
use crate::components::step_heading::StepHeading;
use crate::i18n::use_fill;
use calls::{Calls, Shown};
use code::CodeStep;
use druo_core::dto::{ConnectSubmit, PublicAccount};
use druo_core::i18n::Msg;
use leptos::prelude::*;
use steps::{BankStep, PendingStep, RejectedStep};

/// The account sub-flow. `on_connected` gets the connector's outcome (a
/// connected account, or one received with nothing left for the person
/// to do); a pending validation is finished here; an answer that ends
/// the page ends the flow.
#[component]
pub fn AccountConnector(
    /// The flow's link, resources and start.
    with: Connecting,
    /// A connected, usable account.
    #[prop(into)]
    on_connected: Callback<PublicAccount>,
    /// Leaving from the first step; no Back button without it (nothing to
    /// go back to).
    on_back: Option<Callback<()>>,
    /// "Step n of m" labels for the bank and details steps, when counted.
    #[prop(optional)]
    counter: Option<(&'static str, &'static str, &'static str)>,
    /// The merchant's URL for an account as it stands (the way back while
    /// a pending validation waits), if the link has one.
    #[prop(optional)]
    way_back: Option<Callback<PublicAccount, Option<String>>>,
) -> impl IntoView {
    let fill = use_fill();
    let Connecting {
        link,
        institutions,
        form,
        on_end,
        ..
    } = with;
    let steps = with.steps;
    let (account, notice) = (RwSignal::new(with.account.get_value()), RwSignal::new(None));
    let shown = Shown {
        steps,
        account,
        notice,
        form,
    };
    let calls = Calls::new(with.target, link.slug, shown, on_connected, on_end);
    let on_submit = move |body: ConnectSubmit| {
        if calls.submit.pending().get_untracked() {
            return;
        }
        // Nothing is sent for a link that has expired since it loaded.
        if link.clock.expired() {
            on_end.run(End::Expired);
            return;
        }
        calls.submit(form, notice, body);
    };

    // "Fix the number": back in the form, in the number field.
    let fix = move || {
        form.focus.set(Some(druo_core::form::Field::Number));
        steps.go_quietly(AccountStep::Details);
    };
    // Read as a step is drawn: the institution changes only on the bank
    // step, which draws the next one anew.
    let kind = move || untrack(|| form.kind());
    let back = Signal::derive(move || way_back.and_then(|w| account.get().and_then(|a| w.run(a))));
    let merchant = move || link.merchant.get_value();
    let slow = RwSignal::new(false);
    let count = move |i: usize| {
        counter.map(|c| {
            let n = [c.0, c.1][i];
            view! { <p class="step-count">{move || fill(Msg::StepOf, &[("n", n), ("total", c.2)])}</p> }
        })
    };
    move || {
        let focus = steps.focus();
        match steps.get() {
            AccountStep::Bank => view! {
                {count(0)}
                <BankStep institutions form focus autofocus=steps.takes_focus() && !focus on_chosen=move |_| with.move_to(AccountStep::Details, Move::Forward) on_back/>
            }
            .into_any(),
            AccountStep::Details => view! {
                {count(1)}
                <StepHeading title=Msg::AccountDetailsTitle.for_kind(kind()) focus/>
                <AccountForm
                    form
                    merchant=link.merchant.get_value()
                    holder=link.holder.get_value()
                    pending=calls.submit.pending()
                    notice=notice
                    on_submit=on_submit
                    on_change_bank=move |_| with.move_to(AccountStep::Bank, Move::Back)
                />
            }
            .into_any(),
            AccountStep::Pending => {
                wait::watch(account, calls.refresh, slow);
                let offline = calls.wait_failed.into();
                view! {
                    <PendingStep account slow=slow.into() offline focus way_back=back merchant=merchant()/>
                }
                .into_any()
            }
            AccountStep::Code => view! {
                <CodeStep account notice code=calls.code focus way_back=back merchant=merchant()/>
            }
            .into_any(),
            AccountStep::Rejected => view! {
                <RejectedStep account focus kind=kind() merchant=merchant() on_fix=move |_| fix() on_other_bank=move |_| with.move_to(AccountStep::Bank, Move::Forward)/>
            }
            .into_any(),
        }
    }
}
