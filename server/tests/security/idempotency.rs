//! The merchant API's `Idempotency-Key` (Stripe's semantics: replay, 422
//! for another request, 409 while running, per merchant, sealed at rest)
//! and the security headers of every merchant API answer.

use crate::common::T;
use link_server::params;
use reqwest::header::HeaderMap;
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

const JSON_UTF8: &str = "application/json; charset=utf-8";

/// An end user with personal fields that must not sit in the database in
/// clear.
fn person(email: &str) -> Value {
    json!({
        "first_name": "Lucía",
        "last_name": "Restrepo",
        "email": email,
        "local_id": "1020304050",
        "local_id_type": "NATIONAL_ID",
        "local_id_country": "COL",
        "date_of_birth": "1990-04-01"
    })
}

/// What the merchant API answered, byte for byte.
struct Answer {
    status: StatusCode,
    headers: HeaderMap,
    body: String,
}

impl Answer {
    fn json(&self) -> Value {
        serde_json::from_str(&self.body).unwrap_or(Value::Null)
    }

    fn replayed(&self) -> bool {
        self.headers
            .get("idempotent-replayed")
            .is_some_and(|v| v == "true")
    }
}

/// A merchant API request with `token` and, if given, `Idempotency-Key`.
async fn send(
    t: &T,
    method: Method,
    path: &str,
    token: &str,
    key: Option<&str>,
    body: Option<&Value>,
) -> Answer {
    let mut rb = t
        .http
        .request(method, format!("{}{path}", t.api))
        .header("DRUO-Version", "2021-11-22")
        .bearer_auth(token);
    if let Some(k) = key {
        rb = rb.header("Idempotency-Key", k);
    }
    if let Some(b) = body {
        rb = rb.json(b);
    }
    let r = rb.send().await.unwrap();
    Answer {
        status: r.status(),
        headers: r.headers().clone(),
        body: r.text().await.unwrap(),
    }
}

/// `POST path` as the demo merchant with `key`.
async fn post(t: &T, path: &str, key: Option<&str>, body: &Value) -> Answer {
    send(t, Method::POST, path, &t.token.clone(), key, Some(body)).await
}

fn end_users(t: &T) -> i64 {
    t.db(|c| {
        c.query_row("SELECT COUNT(*) FROM end_users", params![], |r| r.get(0))
            .unwrap()
    })
}

fn connect_links(t: &T) -> i64 {
    t.db(|c| {
        c.query_row("SELECT COUNT(*) FROM connect_links", params![], |r| {
            r.get(0)
        })
        .unwrap()
    })
}

/// The stored (status, body) of the merchant keys `key`, any merchant.
fn stored(t: &T, key: &str) -> Vec<(String, i64, String)> {
    let key = key.to_string();
    t.db(move |c| {
        c.query_map(
            "SELECT scope, status, body FROM idempotency WHERE key = ?1 ORDER BY scope",
            params![key],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .unwrap()
    })
}

/// The security log's lines of `event`.
fn logged(t: &T, event: &str) -> Vec<Value> {
    std::fs::read_to_string(t.dir.path().join("security.log"))
        .unwrap_or_default()
        .lines()
        .map(|l| serde_json::from_str::<Value>(l).expect("every security line is JSON"))
        .filter(|v| v["event"] == event)
        .collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn idempotency_a_retried_post_is_answered_again_and_runs_once() {
    let t = T::new().await;
    let before = end_users(&t);
    let body = person("lucia@example.co");
    let first = post(&t, "/end-users/create", Some("eu-1"), &body).await;
    assert_eq!(first.status, StatusCode::OK, "{}", first.body);
    assert!(!first.replayed());
    let again = post(&t, "/end-users/create", Some("eu-1"), &body).await;
    assert_eq!(again.status, first.status);
    assert_eq!(again.body, first.body, "byte for byte");
    assert!(again.replayed(), "{:?}", again.headers);
    assert_eq!(again.headers["content-type"], JSON_UTF8);
    assert_eq!(again.headers["cache-control"], "no-store");
    assert_eq!(end_users(&t), before + 1, "created once");

    // The same for a link: one link however often the request is sent.
    let links = connect_links(&t);
    let uuid = first.json()["end_user"]["uuid"].clone();
    let link = json!({"existing_end_user_id": uuid,
                      "intro_text": "Connect your account using DRUO to receive or make payments"});
    let a = post(&t, "/connect/link/create", Some("cl-1"), &link).await;
    let b = post(&t, "/connect/link/create", Some("cl-1"), &link).await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.body);
    assert_eq!((b.status, &b.body), (a.status, &a.body));
    assert_eq!(connect_links(&t), links + 1);

    // Without a key, as before: each request runs.
    let n = end_users(&t);
    for _ in 0..2 {
        let r = post(&t, "/end-users/create", None, &body).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        assert!(!r.replayed());
    }
    assert_eq!(end_users(&t), n + 2);
    t.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn idempotency_a_key_reused_for_another_request_is_422_and_logged() {
    let t = T::new().await;
    let body = person("ana@example.co");
    let first = post(&t, "/end-users/create", Some("reused-key-1"), &body).await;
    assert_eq!(first.status, StatusCode::OK, "{}", first.body);
    let n = end_users(&t);
    // Another body, or the same body to another path: another request.
    let other_body = person("otra@example.co");
    for (path, b) in [
        ("/end-users/create", &other_body),
        ("/accounts/validate", &body),
    ] {
        let r = post(&t, path, Some("reused-key-1"), b).await;
        assert_eq!(
            r.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{path}: {}",
            r.body
        );
        assert_eq!(r.json()["code"], "IDEMPOTENCY_KEY_REUSED");
        assert_eq!(r.headers["content-type"], JSON_UTF8);
    }
    assert_eq!(end_users(&t), n, "nothing ran");
    // The first request is still answered.
    let again = post(&t, "/end-users/create", Some("reused-key-1"), &body).await;
    assert_eq!((again.status, &again.body), (first.status, &first.body));

    let lines = logged(&t, "idempotency_error");
    assert_eq!(lines.len(), 2, "{lines:?}");
    assert_eq!(lines[0]["scope"], "merchant");
    assert_eq!(lines[0]["path"], "/end-users/create");
    assert_eq!(lines[1]["path"], "/accounts/validate");
    assert_eq!(lines[0]["reason"], "reused");
    let log = std::fs::read_to_string(t.dir.path().join("security.log")).unwrap();
    assert!(!log.contains("reused-key-1"), "never the key: {log}");
    assert!(!log.contains(&t.token), "never the token");
    t.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn idempotency_a_request_still_running_is_409_and_a_dead_ones_claim_is_taken_over() {
    let t = T::new().await;
    let body = person("run@example.co");
    let first = post(&t, "/end-users/create", Some("running-1"), &body).await;
    assert_eq!(first.status, StatusCode::OK, "{}", first.body);
    // Back to how it stood while the first request ran: claimed with its
    // request's hash, not answered yet.
    let unanswer = |t: &T, age_ms: i64| {
        t.db(move |c| {
            c.execute(
                "UPDATE idempotency SET status = 0, body = '', created_ms = ?1 WHERE key = 'running-1'",
                params![link_server::clock::now_ms() - age_ms],
            )
            .unwrap()
        })
    };
    assert_eq!(unanswer(&t, 0), 1);
    let n = end_users(&t);
    let r = post(&t, "/end-users/create", Some("running-1"), &body).await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.body);
    assert_eq!(r.json()["code"], "IDEMPOTENCY_KEY_IN_USE");
    assert!(r.headers.contains_key("retry-after"));
    assert_eq!(end_users(&t), n, "the duplicate did not run");
    let lines = logged(&t, "idempotency_error");
    assert_eq!(lines.last().unwrap()["reason"], "in_use", "{lines:?}");
    // Another request with the key is still a 422, running or not.
    let r = post(
        &t,
        "/end-users/create",
        Some("running-1"),
        &person("x@e.co"),
    )
    .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);

    // A claim never answered for over a minute was left by a request that
    // died: the same request runs and is answered from then on.
    assert_eq!(unanswer(&t, 61_000), 1);
    let r = post(&t, "/end-users/create", Some("running-1"), &body).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert!(!r.replayed());
    assert_eq!(end_users(&t), n + 1);
    let again = post(&t, "/end-users/create", Some("running-1"), &body).await;
    assert_eq!((again.status, &again.body), (r.status, &r.body));
    assert!(again.replayed());
    t.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn idempotency_duplicates_sent_at_once_run_once() {
    let t = T::new().await;
    let n = end_users(&t);
    let body = person("once@example.co");
    // Each on a task of its own, so they are in flight together.
    let mut set = tokio::task::JoinSet::new();
    for _ in 0..6 {
        let (http, url, token, body) = (
            t.http.clone(),
            format!("{}/end-users/create", t.api),
            t.token.clone(),
            body.clone(),
        );
        set.spawn(async move {
            let r = http
                .post(url)
                .header("DRUO-Version", "2021-11-22")
                .header("Idempotency-Key", "at-once")
                .bearer_auth(token)
                .json(&body)
                .send()
                .await
                .unwrap();
            Answer {
                status: r.status(),
                headers: r.headers().clone(),
                body: r.text().await.unwrap(),
            }
        });
    }
    let answers: Vec<Answer> = set.join_all().await;
    let ok: Vec<&Answer> = answers
        .iter()
        .filter(|a| a.status == StatusCode::OK)
        .collect();
    assert!(!ok.is_empty());
    for a in &answers {
        match a.status {
            StatusCode::OK => assert_eq!(a.body, ok[0].body, "one answer"),
            StatusCode::CONFLICT => assert_eq!(a.json()["code"], "IDEMPOTENCY_KEY_IN_USE"),
            other => panic!("{other}: {}", a.body),
        }
    }
    assert_eq!(ok.iter().filter(|a| !a.replayed()).count(), 1, "ran once");
    assert_eq!(end_users(&t), n + 1);
    t.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn idempotency_keys_are_per_merchant() {
    let t = T::new().await;
    let other = t.other_merchant();
    let body = person("shared@example.co");
    let mine = post(&t, "/end-users/create", Some("shared-key"), &body).await;
    assert_eq!(mine.status, StatusCode::OK, "{}", mine.body);
    let n = end_users(&t);
    let theirs = send(
        &t,
        Method::POST,
        "/end-users/create",
        &other,
        Some("shared-key"),
        Some(&body),
    )
    .await;
    assert_eq!(theirs.status, StatusCode::OK, "{}", theirs.body);
    assert!(!theirs.replayed(), "runs anew for another merchant");
    assert_ne!(
        theirs.json()["end_user"]["uuid"],
        mine.json()["end_user"]["uuid"]
    );
    assert_eq!(end_users(&t), n + 1);
    let scopes: Vec<String> = stored(&t, "shared-key")
        .into_iter()
        .map(|(scope, _, _)| scope)
        .collect();
    assert_eq!(scopes.len(), 2, "{scopes:?}");
    assert!(
        scopes.iter().all(|s| s.starts_with("merchant:")),
        "{scopes:?}"
    );
    t.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn idempotency_a_kept_answer_is_sealed_in_the_database() {
    let t = T::new().await;
    let body = person("sealed.person@example.co");
    let r = post(&t, "/end-users/create", Some("sealed-1"), &body).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert!(r.body.contains("sealed.person@example.co"), "{}", r.body);
    let rows = stored(&t, "sealed-1");
    assert_eq!(rows.len(), 1);
    let (_, status, kept) = &rows[0];
    assert_eq!(*status, 200);
    for clear in [
        "sealed.person@example.co",
        "1020304050",
        "1990-04-01",
        "Restrepo",
        "end_user",
    ] {
        assert!(!kept.contains(clear), "{clear} in clear: {kept}");
    }
    assert!(kept.starts_with("s1."), "sealed: {kept}");
    // And it still replays.
    let again = post(&t, "/end-users/create", Some("sealed-1"), &body).await;
    assert_eq!(again.body, r.body);
    t.stop().await;
}

/// Refusals change nothing, so nothing is kept: the key may be sent
/// again, with the request fixed (as Stripe does for a request refused
/// before it ran). Unauthenticated requests never claim a key.
#[tokio::test(flavor = "multi_thread")]
async fn idempotency_refusals_are_not_kept_and_keys_are_checked() {
    let t = T::new().await;
    let bad = json!({"first_name": "Ana", "email": "not an email"});
    let r = post(&t, "/end-users/create", Some("fix-me"), &bad).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST, "{}", r.body);
    assert_eq!(r.json()["field"], "email");
    assert!(stored(&t, "fix-me").is_empty());
    let r = post(&t, "/end-users/create", Some("fix-me"), &bad).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST, "validated again");
    assert!(!r.replayed());
    let fixed = post(&t, "/end-users/create", Some("fix-me"), &person("a@b.co")).await;
    assert_eq!(fixed.status, StatusCode::OK, "{}", fixed.body);

    // A bad token: the handler's 401, nothing claimed.
    let body = person("c@d.co");
    let r = send(
        &t,
        Method::POST,
        "/end-users/create",
        "wrong-token",
        Some("no-auth"),
        Some(&body),
    )
    .await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED, "{}", r.body);
    assert_eq!(r.json()["code"], "UNAUTHORIZED");
    assert!(stored(&t, "no-auth").is_empty());
    assert_eq!(logged(&t, "auth_failed").len(), 1, "logged once");

    // An empty or overlong key is a 400 and runs nothing.
    let n = end_users(&t);
    for key in [String::new(), "   ".to_string(), "k".repeat(201)] {
        let r = post(&t, "/end-users/create", Some(&key), &body).await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "{key:?}: {}", r.body);
        assert_eq!(r.json()["code"], "IDEMPOTENCY_KEY_INVALID");
    }
    let longest = "k".repeat(200);
    let r = post(&t, "/end-users/create", Some(&longest), &body).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(end_users(&t), n + 1);

    // A GET ignores the header.
    let r = send(
        &t,
        Method::GET,
        "/institutions",
        &t.token.clone(),
        Some("fix-me"),
        None,
    )
    .await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(!r.replayed());
    t.stop().await;
}

/// Every merchant API answer: a success, a refusal, the 404 fallback, a
/// 401 and a replay.
#[tokio::test(flavor = "multi_thread")]
async fn idempotency_merchant_answers_carry_the_security_headers() {
    let t = T::new().await;
    let token = t.token.clone();
    let body = person("h@example.co");
    let mut answers = vec![
        (
            "200",
            send(&t, Method::GET, "/institutions", &token, None, None).await,
        ),
        (
            "404",
            send(&t, Method::GET, "/no/such/path", &token, None, None).await,
        ),
        (
            "401",
            send(&t, Method::GET, "/institutions", "nope", None, None).await,
        ),
        ("400", post(&t, "/end-users/create", None, &json!({})).await),
        (
            "post",
            post(&t, "/end-users/create", Some("h-1"), &body).await,
        ),
        (
            "replay",
            post(&t, "/end-users/create", Some("h-1"), &body).await,
        ),
    ];
    let probe = t
        .http
        .get(format!("{}/healthz", t.api))
        .send()
        .await
        .unwrap();
    assert!(probe.status().is_success());
    answers.push((
        "probe",
        Answer {
            status: probe.status(),
            headers: probe.headers().clone(),
            body: String::new(),
        },
    ));
    for (what, a) in &answers {
        let h = &a.headers;
        assert_eq!(h["x-content-type-options"], "nosniff", "{what}");
        assert_eq!(h["cache-control"], "no-store", "{what}");
        assert_eq!(
            h["content-security-policy"], "default-src 'none'; frame-ancestors 'none'",
            "{what}"
        );
        assert_eq!(h["referrer-policy"], "no-referrer", "{what}");
        assert_eq!(h["cross-origin-resource-policy"], "same-origin", "{what}");
        // Served over http here: no HSTS.
        assert!(!h.contains_key("strict-transport-security"), "{what}");
        if *what != "probe" {
            assert_eq!(h["content-type"], JSON_UTF8, "{what}: {}", a.body);
        }
    }
    assert_eq!(answers[0].1.status, StatusCode::OK);
    assert_eq!(answers[1].1.status, StatusCode::NOT_FOUND);
    assert_eq!(answers[2].1.status, StatusCode::UNAUTHORIZED);
    assert!(answers[5].1.replayed());
    t.stop().await;
}

/// Behind a TLS proxy (an https public base), every merchant answer says
/// HSTS.
#[tokio::test(flavor = "multi_thread")]
async fn idempotency_merchant_answers_over_https_carry_hsts() {
    let dir = tempfile::tempdir().unwrap();
    let cfg = link_server::Config {
        public_link_base: Some("https://link.example.com".into()),
        ..crate::common::config(dir.path())
    };
    let srv = link_server::start(cfg).await.expect("server starts");
    let api = format!("http://{}", srv.api_addr);
    let token = srv.demo_token.clone().unwrap();
    let http = reqwest::Client::new();
    for (path, auth) in [
        ("/institutions", token.as_str()),
        ("/institutions", "nope"),
        ("/nothing/here", token.as_str()),
    ] {
        let r = http
            .get(format!("{api}{path}"))
            .header("DRUO-Version", "2021-11-22")
            .bearer_auth(auth)
            .send()
            .await
            .unwrap();
        assert_eq!(
            r.headers()["strict-transport-security"],
            "max-age=63072000; includeSubDomains",
            "{path} {}",
            r.status()
        );
    }
    srv.shutdown().await;
}
