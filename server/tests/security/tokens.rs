//! Failed merchant-API authentication is in the security log (ASVS 5.0
//! V16 Security Logging, PCI DSS 4.0 10.2.1.4), with the reason and the
//! path only: never the token presented, never the query (a list filter
//! may carry an email).

use crate::common::T;
use reqwest::{Method, StatusCode};
use serde_json::Value;

#[tokio::test(flavor = "multi_thread")]
async fn a_missing_or_wrong_token_is_logged_without_its_text() {
    let t = T::new().await;
    let wrong = "druo_sk_not-a-token-0123456789abcdef";
    let (s, _) = t
        .merchant(Method::GET, "/connect/link/list", wrong, None)
        .await;
    assert_eq!(s, StatusCode::UNAUTHORIZED);
    let missing = t
        .http
        .get(format!(
            "{}/connect/link/list?end_user_email=ana%40example.com",
            t.api
        ))
        .header("DRUO-Version", "2021-11-22")
        .send()
        .await
        .unwrap();
    assert_eq!(missing.status(), StatusCode::UNAUTHORIZED);
    // Another scheme is no bearer token either.
    let basic = t
        .http
        .get(format!("{}/connect/link/list", t.api))
        .header("Authorization", format!("Basic {wrong}"))
        .header("DRUO-Version", "2021-11-22")
        .send()
        .await
        .unwrap();
    assert_eq!(basic.status(), StatusCode::UNAUTHORIZED);
    // A good token is not a failure.
    assert_eq!(t.get("/connect/link/list").await.0, StatusCode::OK);
    let token = t.token.clone();
    let dir = t.stop().await;

    let text = std::fs::read_to_string(dir.path().join("security.log")).unwrap();
    let failed: Vec<Value> = text
        .lines()
        .map(|l| serde_json::from_str::<Value>(l).unwrap())
        .filter(|e| e["event"] == "auth_failed")
        .collect();
    let reasons: Vec<(&str, &str)> = failed
        .iter()
        .map(|e| (e["reason"].as_str().unwrap(), e["path"].as_str().unwrap()))
        .collect();
    assert_eq!(
        reasons,
        [
            ("unknown", "/connect/link/list"),
            ("missing", "/connect/link/list"),
            ("missing", "/connect/link/list"),
        ],
        "{text}"
    );
    for e in &failed {
        assert!(e["ts"].is_string(), "{e}");
    }
    for secret in [wrong, token.as_str(), "example.com"] {
        assert!(!text.contains(secret), "`{secret}` in the log: {text}");
    }
}
