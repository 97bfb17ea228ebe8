//! The hosted-link origin: the public API the pages call (what it shows and
//! hides, the link lifecycle, idempotent submits), the app's SPA routing
//! and production headers, durability across restarts, and SIGTERM.

mod common;

use common::page::{expect, refused, refused_field};
use common::writes::account as submit;
use common::{slug, INLINE_SCRIPT, T};
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

async fn status_of(t: &T, uuid: &str) -> String {
    let (_, v) = t.get(&format!("/connect/link/list?uuid={uuid}")).await;
    v["connect_links"][0]["delivery_status"]
        .as_str()
        .unwrap()
        .to_string()
}

#[tokio::test(flavor = "multi_thread")]
async fn public_link_view_shows_only_what_the_page_needs() {
    let t = T::new().await;
    let l = t
        .connect_link(json!({
            "metadata": {"secret": "merchant-only"}, "primary_reference": "REF-1", "secondary_reference": "REF-2",
            "button_color": "#123", "default_language": "es-co", "redirect_url": "https://example.com/done"
        }))
        .await;
    let v = t.connect_page(&slug(&l["url"])).view().await;
    let mut keys: Vec<&str> = v.as_object().unwrap().keys().map(String::as_str).collect();
    keys.sort();
    assert_eq!(
        keys,
        [
            "account_holder",
            "custom_confirmation_page",
            "default_institution",
            "default_language",
            "end_user_first_name",
            "expiration_date",
            "intro_text",
            "merchant_name",
            "outcome",
            "redirect_url",
            "server_time",
            "state",
            "theme",
            "theme_vars",
            "uuid"
        ]
    );
    let text = v.to_string();
    for hidden in [
        "merchant-only",
        "REF-1",
        "REF-2",
        "987654321",
        "john.doe@example.com",
        "Doe",
    ] {
        assert!(!text.contains(hidden), "{hidden} leaked: {text}");
    }
    assert_eq!(v["merchant_name"], "NOVO");
    assert_eq!(v["end_user_first_name"], "John");
    // Whose account is expected, masked: the initials and the document's
    // last four, never the name or the number ("Doe" and "987654321" are
    // checked above).
    assert_eq!(
        v["account_holder"]["name"],
        "J\u{2022}\u{2022}\u{2022} D\u{2022}\u{2022}\u{2022}"
    );
    assert_eq!(v["account_holder"]["id_last_4"], "4321");
    assert!(
        !text.contains("98765"),
        "no more than the last four: {text}"
    );
    assert_eq!(v["default_language"], "es_CO");
    assert_eq!(v["theme"]["button_color"], "#112233");
    // The colours as the page writes them, resolved by the service: the
    // merchant's button, and the defaults for the rest.
    let var = |name: &str| {
        v["theme_vars"]
            .as_array()
            .and_then(|a| a.iter().find(|x| x["name"] == name))
            .map(|x| x["value"].clone())
    };
    assert_eq!(var("--button-bg"), Some(json!("#112233")));
    assert_eq!(var("--page-bg").map(|c| c.is_string()), Some(true));
    assert_eq!(v["state"], "OPEN");
    t.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn lifecycle_created_opened_completed() {
    let t = T::new().await;
    let l = t.connect_link(json!({})).await;
    let (uuid, sl) = (l["uuid"].as_str().unwrap(), slug(&l["url"]));
    let page = t.connect_page(&sl);
    assert_eq!(status_of(&t, uuid).await, "CREATED");
    page.read().await;
    assert_eq!(status_of(&t, uuid).await, "OPENED");

    // An attempt that ends (sandbox last digit 5: the account cannot be
    // found) leaves the link open to try again.
    let v = page.connect("k1", "9990005").await;
    assert_eq!(
        (v["current_status"].clone(), v["remarks"].clone()),
        (
            json!("CONNECTION_FAILED"),
            json!("UNABLE_TO_LOCATE_ACCOUNT")
        )
    );
    assert_eq!(status_of(&t, uuid).await, "OPENED");
    let (_, view) = page.read().await;
    assert_eq!(
        (view["state"].clone(), view["outcome"].clone()),
        (json!("OPEN"), Value::Null)
    );

    let v = page.connect("k2", "12345674").await;
    // Sandbox last digit 4: connected at once.
    assert_eq!(v["current_status"], "CONNECTED");
    assert_eq!(v["remarks"], Value::Null);
    assert_eq!(v["last_4"], "5674");
    assert_eq!(v["institution"]["name"], "Davivienda");
    assert!(!v.to_string().contains("12345674"), "full number echoed");
    assert_eq!(status_of(&t, uuid).await, "COMPLETED");

    // Completed: no second account, and the view says so.
    let second = page.submit("k3", submit("12345684")).await;
    refused(&second, StatusCode::CONFLICT, "LINK_COMPLETED");
    let (_, v) = page.read().await;
    assert_eq!(v["state"], "COMPLETED");
    // Re-opening never moves it back.
    assert_eq!(status_of(&t, uuid).await, "COMPLETED");
    t.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn pending_validation_and_recheck() {
    let t = T::new().await;
    let l = t.connect_link(json!({})).await;
    let (link_uuid, sl) = (l["uuid"].as_str().unwrap(), slug(&l["url"]));
    let page = t.connect_page(&sl);
    // Sandbox last digit 2: the institution must approve the request.
    let v = page.connect("k", "55551112").await;
    assert_eq!(v["current_status"], "VERIFICATION_PENDING");
    assert_eq!(v["remarks"], Value::Null);
    assert_eq!(v["requires_account_validation"], true);
    assert_eq!(
        v["pending_account_validations"],
        json!([{"action": "CONFIRM_REQUEST_WITH_INSTITUTION", "attempts_left": null}])
    );
    let acc = v["uuid"].as_str().unwrap();
    // The link is held for it: still open, resuming the wait when reopened.
    let (_, view) = page.read().await;
    assert_eq!(view["state"], "OPEN");
    assert_eq!(view["outcome"]["uuid"], v["uuid"]);
    assert_eq!(view["outcome"]["current_status"], "VERIFICATION_PENDING");
    let again = expect(page.account(acc).await, StatusCode::OK);
    assert_eq!(again["uuid"], v["uuid"]);
    assert_eq!(again["current_status"], "VERIFICATION_PENDING");
    let still = expect(page.refresh(acc).await, StatusCode::OK);
    assert_eq!(still["current_status"], "VERIFICATION_PENDING");
    assert_eq!(still["requires_account_validation"], true);
    assert_eq!(status_of(&t, link_uuid).await, "OPENED");
    // Once the institution has approved (10 s after the request), the next
    // read connects it and completes the link held for it.
    t.let_the_institution_approve(acc);
    // The merchant sees the link completed even when the person closed the
    // page: its reads store an approval that is due.
    assert_eq!(status_of(&t, link_uuid).await, "COMPLETED");
    let (_, one) = t.get(&format!("/connect/link/{link_uuid}")).await;
    assert_eq!(one["connect_link"]["delivery_status"], "COMPLETED", "{one}");
    let done = expect(page.refresh(acc).await, StatusCode::OK);
    assert_eq!(done["current_status"], "CONNECTED");
    assert_eq!(done["requires_account_validation"], false);
    assert_eq!(done["pending_account_validations"], json!([]));
    assert_eq!(status_of(&t, link_uuid).await, "COMPLETED");
    let (_, view) = page.read().await;
    assert_eq!(view["state"], "COMPLETED");
    assert_eq!(view["outcome"]["current_status"], "CONNECTED");
    // Another link cannot read it.
    let other = t.connect_link(json!({})).await;
    let other = t.connect_page(&slug(&other["url"]));
    assert_eq!(other.account(acc).await.0, StatusCode::NOT_FOUND);
    for action in ["refresh", "authenticate"] {
        let path = other.path(&format!("/accounts/{acc}/{action}"));
        let (s, v) = t
            .public(Method::POST, &path, None, Some(json!({"otp": "72"})))
            .await;
        assert_eq!(s, StatusCode::NOT_FOUND, "{action}: {v}");
    }
    t.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn expired_and_unknown_links() {
    let t = T::new().await;
    let l = t
        .connect_link(json!({"expiration_date": "2021-11-16T23:23:38"}))
        .await;
    assert_eq!(l["expired"], true);
    let page = t.connect_page(&slug(&l["url"]));
    let v = page.view().await;
    assert_eq!(v["state"], "EXPIRED");
    assert_eq!(v["merchant_name"], "NOVO");
    let late = page.submit("k", submit("12345674")).await;
    refused(&late, StatusCode::GONE, "LINK_EXPIRED");

    for bad in ["does-not-exist", "%3Cscript%3E", &"a".repeat(200)] {
        let unknown = t.connect_page(bad).read().await;
        refused(&unknown, StatusCode::NOT_FOUND, "NOT_FOUND");
    }
    let (s, _) = t.public(Method::GET, "/nope", None, None).await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    t.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn submits_are_idempotent_on_their_key() {
    let t = T::new().await;
    let l = t.connect_link(json!({}));
    let l = l.await;
    let page = t.connect_page(&slug(&l["url"]));
    let a1 = page.connect("same-key", "12345674").await;
    let a2 = page.connect("same-key", "12345674").await;
    assert_eq!(a1, a2, "a retry answers the same account");
    let reused = page.submit("same-key", submit("87654324")).await;
    refused(
        &reused,
        StatusCode::UNPROCESSABLE_ENTITY,
        "IDEMPOTENCY_KEY_REUSED",
    );
    let path = page.accounts_path();
    let keyless = t
        .public(Method::POST, &path, None, Some(submit("12345674")))
        .await;
    refused(
        &keyless,
        StatusCode::BAD_REQUEST,
        "IDEMPOTENCY_KEY_REQUIRED",
    );
    let count: i64 = t
        .srv
        .as_ref()
        .unwrap()
        .db
        .blocking(|c| {
            c.query_row(
                "SELECT COUNT(*) FROM accounts WHERE source_connect_link = ?1",
                link_server::params![l["uuid"].as_str().unwrap()],
                |r| r.get(0),
            )
        })
        .unwrap();
    assert_eq!(count, 1);
    t.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn submit_validation_names_the_field() {
    let t = T::new().await;
    let l = t.connect_link(json!({}));
    let page = t.connect_page(&slug(&l.await["url"]));
    let nequi = "ins_1509bb0a-9bf1-4331-8a11-8783593942a4";
    let cases = [
        (json!({"user_authorization": false}), "user_authorization"),
        (json!({"account_number": "12ab"}), "account_number"),
        (json!({"account_number": "123"}), "account_number"),
        (
            json!({"institution_uuid": "ins_unknown"}),
            "institution_uuid",
        ),
        (
            json!({"institution_uuid": nequi, "subtype": "CHECKING"}),
            "subtype",
        ),
    ];
    for (i, (patch, field)) in cases.into_iter().enumerate() {
        let mut body = submit("12345674");
        body.as_object_mut()
            .unwrap()
            .extend(patch.as_object().unwrap().clone());
        let answer = page.submit(&format!("k{i}"), body).await;
        refused_field(&answer, StatusCode::BAD_REQUEST, field);
    }
    // Bancolombia's numbers have 11 digits: 10 is refused with a message
    // that names the bank, and 11 (a leading zero kept) is taken.
    let bancolombia = "ins_47eaa099-2cb6-416d-86dc-283cf0480ff9";
    let mut body = submit("1687366004");
    body["institution_uuid"] = json!(bancolombia);
    let v = expect(
        page.submit("short", body.clone()).await,
        StatusCode::BAD_REQUEST,
    );
    assert_eq!(
        (v["field"].as_str(), v["code"].as_str()),
        (Some("account_number"), Some("INVALID_LENGTH"))
    );
    assert!(
        v["message"]
            .as_str()
            .unwrap_or_default()
            .contains("11 digits at Bancolombia"),
        "{v}"
    );
    // A failed validation does not burn the link.
    body["account_number"] = json!("01687366004");
    expect(page.submit("ok", body).await, StatusCode::CREATED);
    t.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn public_institutions_are_served() {
    let t = T::new().await;
    let (s, v) = t.public(Method::GET, "/institutions", None, None).await;
    assert_eq!(s, StatusCode::OK);
    let all = v["institutions"].as_array().unwrap();
    assert!(all.len() >= 21);
    // Each carries its account-number rule where one is known.
    let named = |n: &str| {
        all.iter()
            .find(|i| i["name"] == n)
            .cloned()
            .unwrap_or_default()
    };
    assert_eq!(named("Bancolombia")["number_lengths"], json!([11]));
    assert_eq!(
        named("BBVA Colombia")["number_lengths"],
        json!([9, 10, 16, 20])
    );
    assert_eq!(
        named("Davivienda").get("number_lengths"),
        None,
        "DRUO's example: 6 to 20"
    );
    t.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn the_app_is_served_with_production_headers() {
    let t = T::new().await;
    let get = |p: &str| t.http.get(format!("{}{p}", t.link)).send();
    for route in [
        "/connect/secure?sl=x",
        "/checkout/?sl=x",
        "/checkout?sl=x",
        "/preview",
    ] {
        let r = get(route).await.unwrap();
        assert_eq!(r.status(), StatusCode::OK, "{route}");
        let h = r.headers().clone();
        assert_eq!(h["cache-control"], "no-store");
        assert!(r.text().await.unwrap().contains("shell"));
        let csp = h["content-security-policy"].to_str().unwrap();
        use base64::Engine;
        use sha2::Digest;
        let hash =
            base64::engine::general_purpose::STANDARD.encode(sha2::Sha256::digest(INLINE_SCRIPT));
        assert!(csp.contains(&format!("'sha256-{hash}'")), "{csp}");
        for d in [
            "default-src 'none'",
            "'wasm-unsafe-eval'",
            "connect-src 'self'",
            "frame-ancestors 'none'",
            "object-src 'none'",
            "base-uri 'none'",
            "form-action 'self'",
        ] {
            assert!(csp.contains(d), "{d} missing from {csp}");
        }
        assert!(!csp.contains("unsafe-inline"));
        assert_eq!(h["x-content-type-options"], "nosniff");
        assert_eq!(h["referrer-policy"], "no-referrer");
    }
    // Unknown paths still get the app (which shows "not found"), as a 404.
    let r = get("/some/unknown/path").await.unwrap();
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    assert!(r.text().await.unwrap().contains("shell"));
    // Hashed assets are immutable; other files are not cached.
    let r = get("/app-0123456789abcdef.js").await.unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(
        r.headers()["cache-control"],
        "public, max-age=31536000, immutable"
    );
    let r = get("/robots.txt").await.unwrap();
    assert_eq!(r.headers()["cache-control"], "no-store");
    // Rebuilding the app under a running server: the CSP follows the new
    // build's inventory at once.
    let new_script = "import init from '/app-fedcba9876543210.js'; init();";
    let dist = t.dir.path().join("dist");
    std::fs::write(
        dist.join("index.html"),
        format!("<!doctype html><p>shell</p><script type=\"module\">{new_script}</script>"),
    )
    .unwrap();
    link_server::inventory::write(&dist, &[("loader", new_script)]).unwrap();
    let r = get("/connect/secure?sl=x").await.unwrap();
    let csp = r.headers()["content-security-policy"]
        .to_str()
        .unwrap()
        .to_string();
    use base64::Engine;
    use sha2::Digest;
    let hash = base64::engine::general_purpose::STANDARD.encode(sha2::Sha256::digest(new_script));
    assert!(csp.contains(&format!("'sha256-{hash}'")), "{csp}");
    // API answers too.
    let r = get("/api/v1/institutions").await.unwrap();
    let csp = r.headers()["content-security-policy"].to_str().unwrap();
    assert!(
        csp.starts_with("default-src 'none'") && !csp.contains("script-src"),
        "{csp}"
    );
    assert_eq!(r.headers()["cache-control"], "no-store");
    assert_eq!(r.headers()["x-content-type-options"], "nosniff");
    t.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn data_and_token_survive_a_restart() {
    let t = T::new().await;
    let token = t.token.clone();
    let l = t
        .connect_link(json!({"primary_reference": "KEEP-ME"}))
        .await;
    let dir = t.stop().await;
    assert_eq!(
        std::fs::read_to_string(dir.path().join("data/merchant-token.txt"))
            .unwrap()
            .trim(),
        token
    );
    let t = T::in_dir(dir).await;
    assert_eq!(
        t.token, token,
        "the generated token is kept beside the database"
    );
    let (s, v) = t.get("/connect/link/list?primary_reference=KEEP-ME").await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(v["connect_links"][0]["uuid"], l["uuid"]);
    // Seeding twice did not duplicate the demo links.
    let (_, v) = t.get("/connect/link/list?page_size=100").await;
    assert_eq!(v["connect_links"].as_array().unwrap().len(), 4);
    t.stop().await;
}

/// HSTS only when the links are served over TLS.
#[tokio::test(flavor = "multi_thread")]
async fn hsts_is_sent_only_for_https_links() {
    let t = T::new().await;
    let r = t
        .http
        .get(format!("{}/connect/secure", t.link))
        .send()
        .await
        .unwrap();
    assert!(r.headers().get("strict-transport-security").is_none());
    t.stop().await;
    let dir = tempfile::tempdir().unwrap();
    let mut cfg = common::config(dir.path());
    cfg.public_link_base = Some("https://link.druo.example".into());
    let srv = link_server::start(cfg).await.unwrap();
    let r = reqwest::Client::new()
        .get(format!("http://{}/connect/secure", srv.link_addr))
        .send()
        .await
        .unwrap();
    assert_eq!(
        r.headers()["strict-transport-security"],
        "max-age=63072000; includeSubDomains"
    );
    srv.shutdown().await;
}

/// The real binary: flags, printed addresses, and a graceful SIGTERM that
/// exits 0 after answering.
#[test]
fn binary_starts_on_ephemeral_ports_and_stops_on_sigterm() {
    use std::io::{BufRead, BufReader};
    use std::process::{Command, Stdio};
    let dir = tempfile::tempdir().unwrap();
    let dist = common::dist(dir.path());
    let mut child = Command::new(env!("CARGO_BIN_EXE_link-server"))
        .args([
            "--api-addr",
            "127.0.0.1:0",
            "--link-addr",
            "127.0.0.1:0",
            "--seed-demo",
        ])
        .arg("--db")
        .arg(dir.path().join("db/link.db"))
        .arg("--dist")
        .arg(&dist)
        .env("DRUO_API_TOKEN", "env-token-123")
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let mut out = Vec::new();
    for line in lines.by_ref() {
        let line = line.unwrap();
        let done = line == "ready";
        out.push(line);
        if done {
            break;
        }
    }
    let text = out.join("\n");
    assert!(
        text.contains("merchant NOVO token   env-token-123"),
        "{text}"
    );
    assert_eq!(text.matches("demo: ").count(), 4, "{text}");
    let api = out
        .iter()
        .find_map(|l| l.strip_prefix("merchant API   "))
        .unwrap()
        .to_string();
    let rt = tokio::runtime::Runtime::new().unwrap();
    let res = rt.block_on(common::writes::list_status(&api, "env-token-123"));
    assert_eq!(res, StatusCode::OK);
    Command::new("kill")
        .arg("-TERM")
        .arg(child.id().to_string())
        .status()
        .unwrap();
    let status = child.wait().unwrap();
    assert!(status.success(), "{status}");
    let rest: Vec<String> = lines.map_while(Result::ok).collect();
    assert!(rest.iter().any(|l| l == "shutting down"), "{rest:?}");
}
