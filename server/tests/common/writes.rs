//! Writes from outside the process, as the suites that kill, restart and
//! scale out real `link-server`s send them (crash.rs, pg_restart.rs,
//! scale_out.rs; concurrency.rs takes the seed's ids, the account body
//! and the submit path): the demo seed's ids, the merchant token and the
//! flags without write limits those servers are started with
//! (`binary::spawn`), connect links made through the merchant API, public
//! submits answered byte for byte and replayed, and the PostgreSQL checks
//! that what was acknowledged is stored.

use reqwest::{Client, StatusCode};
use serde_json::{json, Value};
use std::time::Duration;

/// The merchant token the spawned servers take (`binary::spawn`) and the
/// helpers here send to the merchant API.
pub const TOKEN: &str = "writes-test-token";

/// The demo seed's Davivienda, a sandbox institution.
pub const DAVIVIENDA: &str = "ins_9082d56c-4e1d-4967-a828-b7001755e88e";

/// The demo seed's end user.
pub const END_USER: &str = "eur_868d99a5-6578-40cf-8aec-e7a48085fa37";

/// The demo seed's tenant.
pub const TENANT: &str = "22637d15-5b37-4fb2-90e5-aa8751970469";

/// `link-server` flags without write limits: these tests send many writes
/// from one address, and to one link.
pub const UNLIMITED: &[&str] = &[
    "--link-writes-per-minute",
    "0",
    "--client-writes-per-minute",
    "0",
];

/// An account submit at Davivienda; sandbox last digit 4 connects at once
/// (the link completes), 5 fails (the link stays open).
pub fn account(number: &str) -> Value {
    json!({"institution_uuid": DAVIVIENDA, "type": "DEPOSITORY", "subtype": "SAVINGS",
           "account_number": number, "user_authorization": true})
}

/// Bounded, so a hung server fails the test instead of hanging it.
pub fn http_client() -> Client {
    Client::builder()
        .timeout(Duration::from_secs(20))
        .build()
        .unwrap()
}

/// A connect link as the tests use it.
#[derive(Debug, Clone)]
pub struct Link {
    /// Its uuid in the merchant API (and `accounts.source_connect_link`).
    pub uuid: String,
    /// The `sl` of its url, which the public API names it by.
    pub slug: String,
}

/// What a request answered: a status and its body, byte for byte.
#[derive(Debug, Clone)]
pub struct Answer {
    /// The status.
    pub status: StatusCode,
    /// The body, as sent.
    pub body: String,
    /// The `Retry-After` header, if any.
    pub retry_after: Option<String>,
}

impl Answer {
    /// The body as JSON (`null` if it is none).
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.body).unwrap_or(Value::Null)
    }

    /// Reads what `r` answered.
    async fn of(r: reqwest::Response) -> reqwest::Result<Answer> {
        let status = r.status();
        let retry_after = r
            .headers()
            .get("retry-after")
            .map(|v| v.to_str().unwrap().to_string());
        Ok(Answer {
            status,
            body: r.text().await?,
            retry_after,
        })
    }
}

/// A request of `method` for `url` on a merchant API, as the merchant
/// with `token` sends it (bearer token, `DRUO-Version`).
pub fn merchant_request(
    http: &Client,
    method: reqwest::Method,
    url: &str,
    token: &str,
) -> reqwest::RequestBuilder {
    http.request(method, url)
        .bearer_auth(token)
        .header("DRUO-Version", "2021-11-22")
}

/// The status of `GET {api}/connect/link/list` as the merchant with
/// `token`: whether the token is taken.
pub async fn list_status(api: &str, token: &str) -> StatusCode {
    let url = format!("{api}/connect/link/list");
    let req = merchant_request(&Client::new(), reqwest::Method::GET, &url, token);
    req.send().await.unwrap().status()
}

/// Asks the merchant API at `api` for a connect link for the demo end
/// user: the link, or the answer when it is not a 200.
pub async fn create_link(http: &Client, api: &str) -> reqwest::Result<Result<Link, Answer>> {
    let url = format!("{api}/connect/link/create");
    let r = merchant_request(http, reqwest::Method::POST, &url, TOKEN)
        .json(&json!({"existing_end_user_id": END_USER,
                      "intro_text": "Connect your account using DRUO to receive or make payments"}))
        .send()
        .await?;
    let answer = Answer::of(r).await?;
    if answer.status != StatusCode::OK {
        return Ok(Err(answer));
    }
    let v = answer.json();
    Ok(Ok(Link {
        uuid: v["connect_link"]["uuid"].as_str().unwrap().to_string(),
        slug: super::slug(&v["connect_link"]["url"]),
    }))
}

/// Creates a connect link for the demo end user through the merchant API
/// at `api`; an error only when the server gives no answer, and any
/// answer but a 200 fails the test.
pub async fn new_link(http: &Client, api: &str) -> reqwest::Result<Link> {
    let made = create_link(http, api).await?;
    Ok(made.unwrap_or_else(|a| panic!("link create: {} {}", a.status, a.body)))
}

/// The public API path of the account submits of the connect link `slug`.
pub fn accounts_path(slug: &str) -> String {
    format!("/connect-links/{slug}/accounts")
}

/// Posts `body` with `Idempotency-Key: key` to the public API path `path`
/// of the instance whose hosted-links address is `link`, from that origin
/// (as the page's fetch does: the API refuses writes from elsewhere).
pub async fn post(
    http: &Client,
    link: &str,
    path: &str,
    key: &str,
    body: &Value,
) -> reqwest::Result<Answer> {
    let r = http
        .post(format!("{link}/api/v1{path}"))
        .header("Origin", link)
        .header("Idempotency-Key", key)
        .json(body)
        .send()
        .await?;
    Answer::of(r).await
}

/// Submits `body` with `Idempotency-Key: key` to the connect link `slug`
/// on the hosted-links address `link`.
pub async fn submit(
    http: &Client,
    link: &str,
    slug: &str,
    key: &str,
    body: &Value,
) -> reqwest::Result<Answer> {
    post(http, link, &accounts_path(slug), key, body).await
}

/// An acknowledged submit: to which link, with which key and body, and
/// what it answered.
#[derive(Debug)]
pub struct Acked {
    /// The link it was sent to.
    pub link: Link,
    /// Its `Idempotency-Key`.
    pub key: String,
    /// What it sent.
    pub body: Value,
    /// What it answered.
    pub answer: Answer,
}

impl Acked {
    /// Sends it again, to the hosted-links address `link`, and asserts it
    /// answers the same status and bytes.
    pub async fn replays(&self, http: &Client, link: &str) {
        let again = submit(http, link, &self.link.slug, &self.key, &self.body)
            .await
            .unwrap();
        assert_eq!(
            (again.status, &again.body),
            (self.answer.status, &self.answer.body),
            "replay of {}",
            self.key
        );
    }

    /// The uuid of the account it made (its answer's `uuid`).
    pub fn account(&self) -> String {
        self.answer.json()["uuid"].as_str().unwrap().to_string()
    }
}

/// The accounts made on a connect link (`$1`, its uuid).
pub const ACCOUNTS_OF_LINK: &str = "SELECT COUNT(*) FROM accounts WHERE source_connect_link = $1";

/// Links COMPLETED without their account (SQL both engines run).
pub const ORPHANS: &str = "SELECT COUNT(*) FROM connect_links WHERE delivery_status = 'COMPLETED'
     AND (account_uuid IS NULL OR account_uuid NOT IN (SELECT uuid FROM accounts))";

/// The `COUNT(*)` that `sql` selects, with the text parameters `args`, on
/// the PostgreSQL database at `url`.
pub fn count(url: &str, sql: &str, args: &[&str]) -> i64 {
    let params: Vec<&(dyn postgres::types::ToSql + Sync)> = args
        .iter()
        .map(|a| a as &(dyn postgres::types::ToSql + Sync))
        .collect();
    super::with_postgres(url, |c| c.query_one(sql, &params).unwrap().get(0))
}

/// Whether `link` is COMPLETED with account `account`, which was made on
/// it and is the one account made on it (PostgreSQL database `url`).
pub fn completed_with(url: &str, link: &Link, account: &str) -> bool {
    let (slug, uuid, account) = (link.slug.clone(), link.uuid.clone(), account.to_string());
    super::with_postgres(url, move |c| {
        let with: i64 = c
            .query_one(
                "SELECT COUNT(*) FROM connect_links l JOIN accounts a ON a.uuid = l.account_uuid
                 WHERE l.slug = $1 AND a.uuid = $2 AND l.delivery_status = 'COMPLETED'
                 AND a.source_connect_link = l.uuid",
                &[&slug, &account],
            )
            .unwrap()
            .get(0);
        let made: i64 = c.query_one(ACCOUNTS_OF_LINK, &[&uuid]).unwrap().get(0);
        with == 1 && made == 1
    })
}

/// How many links are COMPLETED without their account (PostgreSQL
/// database `url`).
pub fn orphans(url: &str) -> i64 {
    count(url, ORPHANS, &[])
}
