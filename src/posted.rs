//! Pages without their app (JavaScript off, the wasm blocked or not yet
//! arrived): a form the page posted, and what the server's render of the
//! answer needs from it (docs/architecture.md, "Pages without the app").
//! link-server sends the form to the same service calls the app makes,
//! then renders the page it answers with from the same components, given
//! what was sent and what the service said ([`Posted`]), so a refused
//! form comes back as the app would show it, with everything typed.
//!
//! Only the server's render has a [`Serving`]; in the browser every
//! accessor here answers "nothing" (a live page makes its own calls), and
//! answers it as a constant, so the code that takes a posted answer is
//! not in the wasm at all.

use crate::api::ApiError;
use druo_core::dto::{AccountSubtype, PaymentResult, PublicAccount};
use leptos::prelude::*;
use std::sync::atomic::AtomicBool;
use std::sync::Arc;

/// The account form as a page posted it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SentAccount {
    /// The chosen institution's uuid.
    pub institution: Option<String>,
    /// The chosen account type.
    pub subtype: Option<AccountSubtype>,
    /// The account number, as typed (spaces and dashes taken out).
    pub number: String,
    /// The number again.
    pub confirm: String,
    /// The authorization was ticked.
    pub authorized: bool,
}

/// The payment choices as a page posted them.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SentPay {
    /// The paying account's uuid.
    pub account: Option<String>,
    /// The debit authorization was ticked.
    pub authorized: bool,
}

/// A posted form and the service's answer; `None` when the page's own
/// rules refused it before any call (the same rules the app applies).
#[derive(Clone, Debug)]
pub enum Posted {
    /// The account form.
    Account(SentAccount, Option<Result<PublicAccount, ApiError>>),
    /// The deposit code, as typed.
    Code(String, Option<Result<PublicAccount, ApiError>>),
    /// Paying.
    Pay(SentPay, Option<Result<PaymentResult, ApiError>>),
}

/// What a server render knows beyond the page's reads.
#[derive(Clone, Debug, Default)]
pub struct Serving {
    /// The form this page answers, if it answers one.
    pub posted: Option<Posted>,
    /// The idempotency key the page's forms carry: a double submit, or
    /// Back and the same submit again, is answered once.
    pub key: String,
    /// Set by a screen that waits for the institution: the page then
    /// reloads itself without its app.
    pub refresh: Arc<AtomicBool>,
}

/// Provides `serving` to the server's render.
pub fn provide_serving(serving: Serving) {
    provide_context(serving);
}

/// The posted form this render answers, if any.
pub fn posted() -> Option<Posted> {
    #[cfg(feature = "ssr")]
    return use_context::<Serving>()?.posted;
    #[cfg(not(feature = "ssr"))]
    return None;
}

/// The key the page's forms carry (empty in the browser, where the app
/// sends its own).
pub fn form_key() -> String {
    #[cfg(feature = "ssr")]
    return use_context::<Serving>().map(|s| s.key).unwrap_or_default();
    #[cfg(not(feature = "ssr"))]
    return String::new();
}

/// A screen that waits for the institution asks the server to have the
/// page reload itself when it has no app.
pub fn refresh_while_waiting() {
    #[cfg(feature = "ssr")]
    if let Some(s) = use_context::<Serving>() {
        s.refresh.store(true, std::sync::atomic::Ordering::Relaxed);
    }
}
