//! Signed redirects (issue 26): the way back the service answers verifies
//! under the merchant's signing secret, and a changed `as`, an old `ts` or
//! another secret does not, by docs/api.md's own snippets (Python, Node and
//! `openssl dgst`, run as a merchant would) as well as by the Rust check.
//! The demo merchant's secret comes from `DRUO_SIGNING_SECRET`, and
//! `merchant rotate-secret` replaces it.

mod common;

use common::binary::{printed_signing_secret, printed_token, run, spawn_with};
use common::writes::{account, END_USER as EUR, TENANT};
use common::{slug, T};
use druo_core::url::{append_signed, signed_part};
use link_server::ids::hmac_sha256_hex;
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

fn now_s() -> i64 {
    let d = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH);
    i64::try_from(d.unwrap().as_secs()).unwrap()
}

/// The Rust check docs/api.md describes: the signature over the appended
/// text, then `ts` within five minutes.
fn verifies(url: &str, redirect_url: &str, secret: &str) -> bool {
    let Some(part) = signed_part(url, redirect_url) else {
        return false;
    };
    hmac_sha256_hex(secret.as_bytes(), part.signed.as_bytes()) == part.sig
        && (now_s() - part.ts).abs() <= 300
}

/// docs/api.md's redirect snippets' verdicts on `url`.
fn snippet_verdicts(
    dir: &std::path::Path,
    url: &str,
    redirect_url: &str,
    secret: &str,
) -> Vec<(&'static str, bool)> {
    let env = [
        ("SECRET", secret),
        ("REDIRECT_URL", redirect_url),
        ("URL", url),
    ];
    common::snippets::verdicts(dir, "redirect", &env)
}

/// Every snippet and the Rust check agree that `url` verifies (`want`).
fn assert_all(dir: &std::path::Path, url: &str, redirect_url: &str, secret: &str, want: bool) {
    assert_eq!(verifies(url, redirect_url, secret), want, "rust: {url}");
    for (lang, verdict) in snippet_verdicts(dir, url, redirect_url, secret) {
        assert_eq!(verdict, want, "{lang}: {url}");
    }
}

fn secret_of(t: &T) -> String {
    t.srv.as_ref().unwrap().demo_signing_secret.clone().unwrap()
}

/// A test's server, the demo merchant's signing secret, and a folder for
/// the verification snippets.
struct Signing {
    t: T,
    secret: String,
    dir: tempfile::TempDir,
}

async fn signing() -> Signing {
    let t = T::new().await;
    Signing {
        secret: secret_of(&t),
        t,
        dir: tempfile::tempdir().unwrap(),
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_connect_redirect_verifies_and_a_changed_status_does_not() {
    let Signing { t, secret, dir } = signing().await;
    for redirect_url in [
        "https://shop.example/done?order=7#thanks",
        "https://shop.example/done?order=7&",
        "https://shop.example/done",
    ] {
        let l = t
            .connect_link(json!({"existing_end_user_id": null,
                "new_end_user_details": {"first_name": "Ana"}, "redirect_url": redirect_url}))
            .await;
        let sl = slug(&l["url"]);
        // Pending the institution (last digit 2): the way back says so.
        let path = format!("/connect-links/{sl}/accounts");
        let (s, acc) = t
            .public(Method::POST, &path, Some("k1"), Some(account("1234567892")))
            .await;
        assert_eq!(s, StatusCode::CREATED, "{acc}");
        let url = acc["return_url"].as_str().unwrap().to_string();
        assert!(url.contains("&as=VERIFICATION_PENDING&"), "{url}");
        assert!(url.contains("&ts=") && url.contains("&sig="), "{url}");
        let part = signed_part(&url, redirect_url).unwrap();
        assert!(
            part.signed.starts_with("ac="),
            "the merchant's own query is not signed: {url}"
        );
        assert_all(dir.path(), &url, redirect_url, &secret, true);
        // Anyone can type another status: it no longer verifies.
        let forged = url.replace("as=VERIFICATION_PENDING", "as=CONNECTED");
        assert_all(dir.path(), &forged, redirect_url, &secret, false);
        // A parameter added after a genuine `sig` (which a framework that
        // keeps the last value would read).
        let added = match url.split_once('#') {
            Some((before, fragment)) => format!("{before}&as=CONNECTED#{fragment}"),
            None => format!("{url}&as=CONNECTED"),
        };
        assert_all(dir.path(), &added, redirect_url, &secret, false);
        // Another merchant's secret, or the signature cut off.
        assert_all(
            dir.path(),
            &url,
            redirect_url,
            "druo_sig_someone_else",
            false,
        );
        let (cut, _) = url.split_once("&sig=").unwrap();
        assert_all(dir.path(), cut, redirect_url, &secret, false);
        // The replay answers the same signed URL; the view signs afresh.
        let (_, again) = t
            .public(Method::POST, &path, Some("k1"), Some(account("1234567892")))
            .await;
        assert_eq!(again["return_url"], acc["return_url"]);
        let (_, view) = t
            .public(Method::GET, &format!("/connect-links/{sl}"), None, None)
            .await;
        let outcome = view["outcome"]["return_url"].as_str().unwrap();
        assert_all(dir.path(), outcome, redirect_url, &secret, true);
    }
    // A link without a redirect URL has no way back.
    let sl = slug(&t.connect_link(json!({})).await["url"]);
    let path = format!("/connect-links/{sl}/accounts");
    let (_, acc) = t
        .public(Method::POST, &path, Some("k2"), Some(account("1234567894")))
        .await;
    assert!(acc.get("return_url").is_none(), "{acc}");
}

#[tokio::test(flavor = "multi_thread")]
async fn an_old_ts_is_refused_though_its_signature_holds() {
    let Signing { t, secret, dir } = signing().await;
    let base = "https://shop.example/done?order=7";
    let sign = |ts: i64| {
        append_signed(base, &[("as", "CONNECTED")], ts, |text| {
            hmac_sha256_hex(secret.as_bytes(), text.as_bytes())
        })
        .unwrap()
    };
    assert_all(dir.path(), &sign(now_s()), base, &secret, true);
    assert_all(dir.path(), &sign(now_s() - 3600), base, &secret, false);
    t.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_payment_redirect_verifies_and_a_changed_status_does_not() {
    let Signing { t, secret, dir } = signing().await;
    let redirect_url = "https://shop.example/order-complete?shop=7#receipt";
    let body = json!({
        "existing_end_user_id": EUR, "link_name": "Order #42", "primary_reference": "ORDER 42",
        "redirect_url": redirect_url,
        "transaction": {"tenant_id": TENANT, "amount": 2000000, "description": "Policy renewal"}
    });
    let page = t.checkout_page(&slug(&t.checkout_link(body).await["url"]));
    let acc = page.connect("a1", "9876543214").await;
    assert!(
        acc.get("return_url").is_none(),
        "a checkout's account carries none: {acc}"
    );
    let r = page.paid("p1", &acc["uuid"]).await;
    assert_eq!(r["status"], "SUCCESSFUL", "{r}");
    let url = r["return_url"].as_str().unwrap();
    assert!(signed_part(url, redirect_url)
        .unwrap()
        .signed
        .starts_with("reference=ORDER%2042&status=SUCCESSFUL&"));
    assert_all(dir.path(), url, redirect_url, &secret, true);
    let forged = url.replace("status=SUCCESSFUL", "status=PAID");
    assert_all(dir.path(), &forged, redirect_url, &secret, false);
    let (_, view) = page.read().await;
    assert_all(
        dir.path(),
        view["outcome"]["return_url"].as_str().unwrap(),
        redirect_url,
        &secret,
        true,
    );
}

/// A connect link of the demo merchant (token `token`) with a redirect
/// URL, connected: the way back its answer carries.
async fn way_back(api: &str, link: &str, token: &str) -> String {
    let http = reqwest::Client::new();
    let created = json_of(
        http.post(format!("{api}/connect/link/create"))
            .bearer_auth(token)
            .header("DRUO-Version", "2021-11-22")
            .json(&json!({"existing_end_user_id": EUR, "intro_text": "Connect your account using DRUO to receive or make payments",
                "redirect_url": "https://shop.example/done"})),
    )
    .await;
    assert!(created["connect_link"]["url"].is_string(), "{created}");
    let sl = slug(&created["connect_link"]["url"]);
    let acc = json_of(
        http.post(format!("{link}/api/v1/connect-links/{sl}/accounts"))
            .header("Origin", link)
            .header("Idempotency-Key", "k")
            .json(&account("1234567894")),
    )
    .await;
    acc["return_url"].as_str().expect("a way back").to_string()
}

/// The answer to `request`, which must be JSON.
async fn json_of(request: reqwest::RequestBuilder) -> Value {
    request.send().await.unwrap().json().await.unwrap()
}

/// `--seed-demo` takes the demo merchant's secret from
/// `DRUO_SIGNING_SECRET`; `merchant rotate-secret` replaces it, and the
/// next way back verifies under the new one only; `merchant add` prints
/// a new merchant's, unlike any other.
#[tokio::test(flavor = "multi_thread")]
async fn the_secret_comes_from_the_environment_and_rotates() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("link.db");
    let base = "https://shop.example/done";
    let fixed = "druo_sig_from_the_environment_0123456789abcdef";
    let srv = spawn_with(
        dir.path(),
        &db,
        "demo-token",
        &[],
        &[("DRUO_SIGNING_SECRET", fixed)],
    );
    let url = way_back(&srv.api, &srv.link, "demo-token").await;
    assert!(verifies(&url, base, fixed), "{url}");

    let rotated = run(&db, &["merchant", "rotate-secret", "NOVO"]);
    let new = printed_signing_secret(&rotated);
    assert!(new.starts_with("druo_sig_") && new != fixed, "{new}");
    // Without `--security-log` the line goes to standard error, without the secret.
    let said = String::from_utf8_lossy(&rotated.stderr);
    assert!(
        said.contains(r#""event":"signing_secret_rotated""#),
        "{said}"
    );
    assert!(!said.contains(&new), "{said}");
    let url = way_back(&srv.api, &srv.link, "demo-token").await;
    assert!(verifies(&url, base, &new), "{url}");
    assert!(!verifies(&url, base, fixed), "{url}");

    let added = run(&db, &["merchant", "add", "ACME SAS"]);
    let (token, theirs) = (printed_token(&added), printed_signing_secret(&added));
    assert!(theirs.starts_with("druo_sig_") && theirs != new && !token.is_empty());
    let unknown = run(&db, &["merchant", "rotate-secret", "NOBODY"]);
    assert!(!unknown.status.success());
}
