//! The link pages' forms, posted by a page without its app (JavaScript
//! off, the wasm blocked or not yet live): the account form, the deposit
//! code and paying. Each goes through the very handler the app's JSON call
//! reaches (so the same rules, idempotency, rate limits and link checks
//! apply), with the idempotency key the page rendered into the form. What
//! the service answered decides the response:
//! - done, or the link now holds a wait: `303` to the page (which shows it)
//!   or, for a link that returns at once, to the merchant;
//! - refused or failed: the same page rendered again, from the same
//!   components, with everything sent and the service's answer
//!   (`druo_link::posted`), as the app would show it.
//!
//! A form from another site is refused (`Origin`, `Sec-Fetch-Site`). The
//! account number travels only in the POST body: never in a URL or a log.

use crate::error::ApiError as ServiceError;
use crate::html::{app_page, PageAsk};
use crate::public::common::{self, read_view_typed, request_site, PageLink, Received, Site};
use crate::public::{checkout, read_institutions};
use crate::state::AppState;
use crate::store::checkout_links::CheckoutLinkRow;
use crate::store::connect_links::ConnectLinkRow;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use druo_core::dto::{
    AccountSubtype, ApiErrorBody, ConnectSubmit, PayRequest, PaymentResult, PublicAccount,
};
use druo_core::finish::{finish, Finish};
use druo_core::form::{validate, AccountForm};
use druo_core::i18n::Msg;
use druo_core::route::{link_slug, Route};
use druo_core::url::parse_query;
use druo_core::Lang;
use druo_link::api::ApiError;
use druo_link::components::account_step::AccountStep;
use druo_link::components::link_flow::End;
use druo_link::location::Url;
use druo_link::posted::{Posted, SentAccount, SentPay};
use serde::de::DeserializeOwned;

/// What a posted form leads to.
enum Outcome {
    /// `303` to this URL (the merchant's, where a finished link returns).
    Go(String),
    /// `303` to the page's first step, which shows where the link stands
    /// (a wait, a confirmation, an end).
    Page,
    /// The page again, answering the form.
    Show(Box<Posted>),
}

/// The form fields of a posted page, and who sent them.
struct Sent {
    fields: Vec<(String, String)>,
    client: Option<std::net::IpAddr>,
}

impl Sent {
    /// The first value of `name`, trimmed; `None` when absent or empty.
    fn get(&self, name: &str) -> Option<String> {
        self.fields
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.trim().to_string())
            .filter(|v| !v.is_empty())
    }

    /// A checkbox the page sends as `yes` when ticked.
    fn ticked(&self, name: &str) -> bool {
        self.get(name).as_deref() == Some("yes")
    }

    /// What a JSON call would send: the key as `Idempotency-Key` (a fresh
    /// one if the form lost its own) and `body`, as JSON from the page's
    /// own origin: [`post`] has checked the form's origin already (the
    /// API's own check, `common::check_write`, would refuse the old
    /// browsers that send neither header, which a form lets through).
    fn call(&self, body: Vec<u8>) -> Received {
        let key = self
            .get("key")
            .unwrap_or_else(|| uuid::Uuid::new_v4().to_string());
        let mut headers = HeaderMap::new();
        headers.insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/json"),
        );
        headers.insert("sec-fetch-site", HeaderValue::from_static("same-origin"));
        if let Ok(v) = HeaderValue::from_str(&key) {
            headers.insert("idempotency-key", v);
        }
        Received {
            client: self.client,
            headers,
            body: Bytes::from(body),
        }
    }
}

/// `POST` to a link page: one of its forms.
pub async fn post(State(s): State<AppState>, uri: Uri, received: Received) -> Response {
    let path = uri.path().to_string();
    let query = uri.query().unwrap_or("").to_string();
    let accept_language = received
        .headers
        .get(header::ACCEPT_LANGUAGE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_string();
    if !same_origin(&received.headers, &s.public_base) {
        common::log_origin_refused(&s, &received.headers, "form");
        return refused_elsewhere(&accept_language);
    }
    let url = Url {
        path: path.clone(),
        query: parse_query(&query),
    };
    let first_step = url.href_with(&[("step", None), ("inst", None), ("type", None), ("q", None)]);
    let Some(slug) = link_slug(&url.query) else {
        return see_other(&first_step);
    };
    let sent = Sent {
        fields: parse_query(&String::from_utf8_lossy(&received.body)),
        client: received.client,
    };
    let route = Route::from_path(&path);
    let outcome = match (route, sent.get("form").as_deref()) {
        (Route::Connect, Some("account")) => account::<ConnectLinkRow>(&s, slug, &sent).await,
        (Route::Checkout, Some("account")) => account::<CheckoutLinkRow>(&s, slug, &sent).await,
        (Route::Connect, Some("code")) => code::<ConnectLinkRow>(&s, slug, &sent).await,
        (Route::Checkout, Some("code")) => code::<CheckoutLinkRow>(&s, slug, &sent).await,
        (Route::Checkout, Some("pay")) => pay(&s, slug, &sent).await,
        // Not a form of this page: the page, as it stands.
        _ => Outcome::Page,
    };
    match outcome {
        Outcome::Go(to) => see_other(&to),
        Outcome::Page => see_other(&first_step),
        Outcome::Show(posted) => {
            let ask = PageAsk {
                path: &path,
                query: &query,
                accept_language: &accept_language,
                posted: Some(*posted),
            };
            app_page(&s, ask, StatusCode::OK).await
        }
    }
}

/// The account form: the page's own rules first (as the app checks them
/// before it sends), then the submit.
async fn account<L: PageLink + Finishes>(s: &AppState, slug: String, sent: &Sent) -> Outcome {
    let digits = |name| {
        sent.get(name)
            .unwrap_or_default()
            .chars()
            // A pasted number keeps its spaces, dots and dashes: the app
            // drops them as they are typed.
            .filter(|c| !matches!(c, ' ' | '-' | '.'))
            .collect::<String>()
    };
    let form = SentAccount {
        institution: sent.get("institution"),
        subtype: sent.get("subtype").and_then(|t| AccountSubtype::parse(&t)),
        number: digits("number"),
        confirm: digits("confirm"),
        authorized: sent.ticked("authorization"),
    };
    let catalog = match read_institutions(s).await {
        Ok(list) => list,
        Err(e) => return Outcome::Show(Box::new(Posted::Account(form, Some(Err(for_page(e)))))),
    };
    let institution = catalog
        .institutions
        .iter()
        .find(|i| Some(&i.uuid) == form.institution.as_ref());
    let problems = validate(&AccountForm {
        institution,
        subtype: form.subtype,
        number: &form.number,
        confirm: &form.confirm,
        authorized: form.authorized,
    });
    let (Some(institution), Some(subtype), true) = (institution, form.subtype, problems.is_empty())
    else {
        return Outcome::Show(Box::new(Posted::Account(form, None)));
    };
    let body = ConnectSubmit {
        institution_uuid: institution.uuid.clone(),
        account_type: "DEPOSITORY".into(),
        subtype,
        account_number: form.number.clone(),
        user_authorization: true,
    };
    let call = sent.call(serde_json::to_vec(&body).unwrap_or_default());
    let answer = common::submit_account::<L>(State(s.clone()), Path(slug.clone()), call).await;
    let answer = typed::<PublicAccount>(answer).await;
    after_account::<L>(s, slug, answer, |a| Posted::Account(form, Some(a))).await
}

/// What an account answer leads to: connected, the link's finish; the
/// link now holding a wait or a code, the page (which resumes it); an
/// attempt that ended, a refusal or a failure, the page again, answering
/// the form (`show`); an answer that ends the link, the page (its end).
async fn after_account<L: Finishes>(
    s: &AppState,
    slug: String,
    answer: Result<PublicAccount, ApiError>,
    show: impl FnOnce(Result<PublicAccount, ApiError>) -> Posted,
) -> Outcome {
    match answer {
        Ok(acc) => match AccountStep::after(&acc) {
            None => L::connected_finish(s, slug, &acc).await,
            Some(AccountStep::Rejected) => Outcome::Show(Box::new(show(Ok(acc)))),
            Some(_) => Outcome::Page,
        },
        Err(e) if End::after(&e).is_some() => Outcome::Page,
        Err(e) => Outcome::Show(Box::new(show(Err(e)))),
    }
}

/// The deposit code of the account the page waits on.
async fn code<L: PageLink + Finishes>(s: &AppState, slug: String, sent: &Sent) -> Outcome {
    let otp = sent.get("otp").unwrap_or_default();
    let Some(account) = sent.get("account").filter(|_| !otp.is_empty()) else {
        return Outcome::Show(Box::new(Posted::Code(otp, None)));
    };
    let call = sent.call(serde_json::json!({ "otp": otp }).to_string().into_bytes());
    let answer =
        common::authenticate::<L>(State(s.clone()), Path((slug.clone(), account)), call).await;
    let answer = typed::<PublicAccount>(answer).await;
    after_account::<L>(s, slug, answer, |a| Posted::Code(otp, Some(a))).await
}

/// Paying: an account and the authorization (as the app checks them),
/// then the payment.
async fn pay(s: &AppState, slug: String, sent: &Sent) -> Outcome {
    let choices = SentPay {
        account: sent.get("account"),
        authorized: sent.ticked("authorization"),
    };
    let Some(account_uuid) = choices.account.clone().filter(|_| choices.authorized) else {
        return Outcome::Show(Box::new(Posted::Pay(choices, None)));
    };
    let body = PayRequest {
        account_uuid,
        user_authorization: true,
    };
    let call = sent.call(serde_json::to_vec(&body).unwrap_or_default());
    let answer = checkout::pay(State(s.clone()), Path(slug.clone()), call).await;
    match typed::<PaymentResult>(answer).await {
        Ok(r) if r.status.pays_link() => {
            let link = read_view_typed::<CheckoutLinkRow>(s, slug).await;
            match link.map(|l| finish(r.return_url.as_deref(), l.custom_confirmation_page)) {
                Ok(Finish::Redirect(to)) => Outcome::Go(to),
                _ => Outcome::Page,
            }
        }
        Ok(r) => Outcome::Show(Box::new(Posted::Pay(choices, Some(Ok(r))))),
        Err(e) if End::after(&e).is_some() => Outcome::Page,
        Err(e) => Outcome::Show(Box::new(Posted::Pay(choices, Some(Err(e))))),
    }
}

/// Where a page goes once its account is connected.
trait Finishes {
    /// Connect: the link's finish (the merchant at once, or DRUO's
    /// confirmation on the page); checkout: the payment step, where the
    /// new account is the first.
    async fn connected_finish(s: &AppState, slug: String, account: &PublicAccount) -> Outcome;
}

impl Finishes for ConnectLinkRow {
    async fn connected_finish(s: &AppState, slug: String, account: &PublicAccount) -> Outcome {
        let link = read_view_typed::<ConnectLinkRow>(s, slug).await;
        match link.map(|l| finish(account.return_url.as_deref(), l.custom_confirmation_page)) {
            Ok(Finish::Redirect(to)) => Outcome::Go(to),
            _ => Outcome::Page,
        }
    }
}

impl Finishes for CheckoutLinkRow {
    async fn connected_finish(_: &AppState, _: String, _: &PublicAccount) -> Outcome {
        Outcome::Page
    }
}

/// The service's answer as the app's client reads a JSON answer, so the
/// page's components take it as they take the app's own calls.
async fn typed<T: DeserializeOwned>(answer: Result<Response, ServiceError>) -> Result<T, ApiError> {
    match answer {
        Ok(res) => {
            let bytes = axum::body::to_bytes(res.into_body(), 1 << 20)
                .await
                .map_err(|e| ApiError::Malformed(e.to_string()))?;
            serde_json::from_slice(&bytes).map_err(|e| ApiError::Malformed(e.to_string()))
        }
        Err(e) => Err(for_page(e)),
    }
}

/// A service error as the app's client reads it.
fn for_page(e: ServiceError) -> ApiError {
    let status = e.status.as_u16();
    match e.status {
        StatusCode::NOT_FOUND => ApiError::NotFound,
        s if s.is_client_error() && s != StatusCode::TOO_MANY_REQUESTS => ApiError::Rejected {
            status,
            body: ApiErrorBody {
                message: e.message,
                code: e.code,
                field: e.field,
            },
        },
        _ => ApiError::Unavailable {
            status,
            retry_after: e.retry_after.and_then(|s| u32::try_from(s).ok()),
        },
    }
}

/// True unless the browser says the form came from another site (the
/// API's judgment, `common::request_site`: `Sec-Fetch-Site`, else `Origin`
/// against the link origin `public_base` or the `Host` asked). A browser
/// that sends neither (an old one) is let through: the slug is the link's
/// secret, and every write is the JSON API's, with its other checks.
fn same_origin(h: &HeaderMap, public_base: &str) -> bool {
    match request_site(h, public_base) {
        Site::Same | Site::Unsaid => true,
        Site::Other => false,
    }
}

/// `403` for a form sent from another site, in the browser's language.
fn refused_elsewhere(accept_language: &str) -> Response {
    let langs = crate::page::accept_languages(accept_language);
    let lang = Lang::from_browser(&langs).unwrap_or_default();
    (
        StatusCode::FORBIDDEN,
        [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
        Msg::FormFromElsewhere.text(lang),
    )
        .into_response()
}

/// `303 See Other` to `to`: the browser follows with a `GET`, so a reload
/// never sends the form again.
fn see_other(to: &str) -> Response {
    let mut res = StatusCode::SEE_OTHER.into_response();
    if let Ok(v) = HeaderValue::from_str(to) {
        res.headers_mut().insert(header::LOCATION, v);
    }
    res
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.insert(*k, HeaderValue::from_static(v));
        }
        h
    }

    #[test]
    fn a_form_from_another_site_is_refused() {
        let base = "https://pay.example";
        let same_origin =
            |pairs: &[(&'static str, &'static str)]| same_origin(&headers(pairs), base);
        assert!(same_origin(&[("sec-fetch-site", "same-origin")]));
        assert!(!same_origin(&[("sec-fetch-site", "cross-site")]));
        assert!(!same_origin(&[("sec-fetch-site", "same-site")]));
        assert!(!same_origin(&[("sec-fetch-site", "none")]));
        assert!(same_origin(&[
            ("origin", "http://127.0.0.1:8080"),
            ("host", "127.0.0.1:8080")
        ]));
        // The configured link origin, behind a proxy that renamed the host.
        assert!(same_origin(&[
            ("origin", "https://pay.example"),
            ("host", "10.0.0.2:8080")
        ]));
        assert!(same_origin(&[("origin", "https://pay.example")]));
        assert!(!same_origin(&[
            ("origin", "https://evil.example"),
            ("host", "127.0.0.1:8080")
        ]));
        assert!(!same_origin(&[
            ("origin", "ftp://127.0.0.1:8080"),
            ("host", "127.0.0.1:8080")
        ]));
        assert!(!same_origin(&[
            ("origin", "null"),
            ("host", "127.0.0.1:8080")
        ]));
        assert!(!same_origin(&[("origin", "http://127.0.0.1:8080")]));
        // Neither header: an old browser's form, let through (the API's
        // own check refuses it).
        assert!(same_origin(&[("host", "127.0.0.1:8080")]));
    }

    #[test]
    fn a_form_reaches_the_api_as_a_same_origin_json_call() {
        let sent = Sent {
            fields: vec![("key".into(), "k1".into())],
            client: None,
        };
        let call = sent.call(b"{}".to_vec());
        assert_eq!(
            request_site(&call.headers, "https://pay.example"),
            Site::Same
        );
        assert!(crate::body::require_json(&call.headers).is_ok());
        assert_eq!(call.headers["idempotency-key"], "k1");
    }
}
