//! The micro-deposit's code (`CONFIRM_OTP_VIA_MICRODEPOSIT`): what the
//! deposit is, where its code is, one field for it (numeric keyboard,
//! `one-time-code` autofill), and a wrong code refused with the attempts
//! left; the code typed stays in the field.

use crate::api::ApiError;
use crate::components::icon::{moment, Icon};
use crate::components::step_heading::StepHeading;
use crate::i18n::{tr, use_fill, use_lang};
use crate::posted::Posted;
use druo_core::dto::PublicAccount;
use druo_core::i18n::{fill as fill_text, masked_account, Msg};
use leptos::prelude::*;

/// The deposit code step.
#[component]
pub fn CodeStep(
    account: RwSignal<Option<PublicAccount>>,
    /// A wrong code's message, from the connector's call.
    notice: RwSignal<Option<Msg>>,
    /// Sends (account uuid, code).
    code: Action<(String, String), Result<PublicAccount, ApiError>>,
    focus: bool,
    /// The merchant's URL for the account as it stands, if any.
    way_back: Signal<Option<String>>,
    /// The merchant, named on the way back.
    merchant: String,
) -> impl IntoView {
    let lang = use_lang();
    let fill = use_fill();
    // A code posted without the app comes back as typed.
    let (typed, missing) = match crate::posted::posted() {
        Some(Posted::Code(otp, answer)) => (otp, answer.is_none()),
        _ => (String::new(), false),
    };
    let (typed, missing) = (RwSignal::new(typed), RwSignal::new(missing));
    let uuid = move || account.with(|a| a.as_ref().map(|a| a.uuid.clone()).unwrap_or_default());
    let body = move || {
        account.with(|a| {
            a.as_ref().map(|a| {
                let named = masked_account("", &a.last_4);
                fill(
                    Msg::OtpBody,
                    &[("bank", &a.institution.name), ("account", &named)],
                )
            })
        })
    };
    let error = move || {
        if missing.get() {
            return Some(Msg::OtpRequired.text(lang.get()).to_string());
        }
        let left = account.with(|a| {
            a.as_ref()
                .and_then(|a| a.pending_account_validations.first())
                .and_then(|p| p.attempts_left)
                .unwrap_or_default()
        });
        notice
            .get()
            .map(|m| fill_text(m.text(lang.get()), &[("left", &left.to_string())]))
    };
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if code.pending().get_untracked() {
            return;
        }
        let otp = typed.get_untracked();
        missing.set(otp.trim().is_empty());
        if let (false, Some(a)) = (otp.trim().is_empty(), account.get_untracked()) {
            notice.set(None);
            code.dispatch((a.uuid, otp));
        }
    };
    let merchant = StoredValue::new(merchant);
    let invalid = move || error().is_some().to_string();
    view! {
        {moment(Icon::Pending)}
        <StepHeading title=Msg::OtpTitle focus/>
        <p class="moment-text">{body}</p>
        // Posted to the page itself when the app is not live.
        <form class="code-form" method="post" novalidate on:submit=submit>
            <input type="hidden" name="form" value="code"/>
            <input type="hidden" name="account" value=uuid/>
            <label class="field-label" for="deposit-code">{tr(Msg::OtpLabel)}</label>
            <input
                id="deposit-code"
                class="text-input"
                name="otp"
                type="text"
                inputmode="numeric"
                autocomplete="one-time-code"
                maxlength="20"
                value=typed.get_untracked()
                aria-invalid=invalid
                aria-describedby="deposit-code-error"
                prop:value=move || typed.get()
                on:input=move |ev| { typed.set(event_target_value(&ev)); missing.set(false); }
            />
            <p id="deposit-code-error" class="field-error" role="alert">{error}</p>
            <button
                type="submit"
                class="primary"
                aria-busy=move || code.pending().get().to_string()
            >
                {move || if code.pending().get() { tr(Msg::Checking)() } else { tr(Msg::OtpSubmit)() }}
            </button>
        </form>
        {move || way_back.get().map(|url| view! {
            <a class="button secondary" href=url>{move || fill(Msg::ReturnTo, &[("merchant", &merchant.get_value())])}</a>
        })}
    }
}
