//! A link page's public API as the tests call it (`T::connect_page`,
//! `T::checkout_page`), and the checks its answers share: the status a
//! call must answer, and the refusals' codes and fields.

use super::{writes, T};
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

/// The public API of one link's page: `/connect-links/{slug}` or
/// `/checkout-links/{slug}` and what is below it.
pub struct Page<'a> {
    /// The server.
    pub t: &'a T,
    /// The link's path in the public API.
    pub base: String,
}

impl T {
    /// The public API of the connect link page `slug`.
    pub fn connect_page(&self, slug: &str) -> Page<'_> {
        Page {
            t: self,
            base: format!("/connect-links/{slug}"),
        }
    }

    /// The public API of the checkout link page `slug`.
    pub fn checkout_page(&self, slug: &str) -> Page<'_> {
        Page {
            t: self,
            base: format!("/checkout-links/{slug}"),
        }
    }
}

impl Page<'_> {
    /// The public API path `rest` below the link (`""`: the link).
    pub fn path(&self, rest: &str) -> String {
        format!("{}{rest}", self.base)
    }

    /// The path of the link's account submits.
    pub fn accounts_path(&self) -> String {
        self.path("/accounts")
    }

    /// The link as its page reads it, however it answered.
    pub async fn read(&self) -> (StatusCode, Value) {
        self.t.public(Method::GET, &self.base, None, None).await
    }

    /// The link as its page reads it; it must answer 200.
    pub async fn view(&self) -> Value {
        expect(self.read().await, StatusCode::OK)
    }

    /// Submits the account `body` with `Idempotency-Key: key`.
    pub async fn submit(&self, key: &str, body: Value) -> (StatusCode, Value) {
        let path = self.accounts_path();
        self.t
            .public(Method::POST, &path, Some(key), Some(body))
            .await
    }

    /// Submits a savings account `number` at Davivienda (`writes::account`)
    /// with `Idempotency-Key: key`; it must answer 201. The account.
    pub async fn connect(&self, key: &str, number: &str) -> Value {
        expect(
            self.submit(key, writes::account(number)).await,
            StatusCode::CREATED,
        )
    }

    /// The payer's accounts as the page lists them; it must answer 200.
    pub async fn accounts(&self) -> Value {
        let path = self.accounts_path();
        expect(
            self.t.public(Method::GET, &path, None, None).await,
            StatusCode::OK,
        )
    }

    /// Account `uuid` as the page reads it, however it answered.
    pub async fn account(&self, uuid: &str) -> (StatusCode, Value) {
        let path = self.path(&format!("/accounts/{uuid}"));
        self.t.public(Method::GET, &path, None, None).await
    }

    /// "I have confirmed": account `uuid` read again (`POST …/refresh`
    /// with `{}`, as the app sends it).
    pub async fn refresh(&self, uuid: &str) -> (StatusCode, Value) {
        let path = self.path(&format!("/accounts/{uuid}/refresh"));
        self.t.public(Method::POST, &path, None, None).await
    }

    /// Sends the deposit code `otp` for account `uuid`.
    pub async fn authenticate(&self, uuid: &str, otp: &str) -> (StatusCode, Value) {
        let path = self.path(&format!("/accounts/{uuid}/authenticate"));
        let body = json!({ "otp": otp });
        self.t.public(Method::POST, &path, None, Some(body)).await
    }

    /// Pays the link with `body`, with `Idempotency-Key: key`.
    pub async fn pay(&self, key: &str, body: Value) -> (StatusCode, Value) {
        let path = self.path("/pay");
        self.t
            .public(Method::POST, &path, Some(key), Some(body))
            .await
    }

    /// Pays the link from account `uuid`, authorised, with
    /// `Idempotency-Key: key`; it must answer 200. The payment.
    pub async fn paid(&self, key: &str, uuid: &Value) -> Value {
        expect(self.pay(key, pay_from(uuid)).await, StatusCode::OK)
    }
}

/// A pay body: from account `uuid`, authorised by the person.
pub fn pay_from(uuid: &Value) -> Value {
    json!({"account_uuid": uuid, "user_authorization": true})
}

/// The body of `answer`, which must have the status `want`.
#[track_caller]
pub fn expect(answer: (StatusCode, Value), want: StatusCode) -> Value {
    let (s, v) = answer;
    assert_eq!(s, want, "{v}");
    v
}

/// Asserts that `answer` is a refusal with `status` and error `code`.
#[track_caller]
pub fn refused(answer: &(StatusCode, Value), status: StatusCode, code: &str) {
    let (s, v) = answer;
    assert_eq!((*s, v["code"].clone()), (status, json!(code)), "{v}");
}

/// Asserts that `answer` is a refusal with `status` naming `field`.
#[track_caller]
pub fn refused_field(answer: &(StatusCode, Value), status: StatusCode, field: &str) {
    let (s, v) = answer;
    assert_eq!((*s, v["field"].clone()), (status, json!(field)), "{v}");
}

/// Asserts that `answer` is a refusal with `status`, error `code` and
/// naming `field`.
#[track_caller]
pub fn refused_at(answer: &(StatusCode, Value), status: StatusCode, code: &str, field: &str) {
    let (s, v) = answer;
    assert_eq!(
        (*s, v["code"].clone(), v["field"].clone()),
        (status, json!(code), json!(field)),
        "{v}"
    );
}
