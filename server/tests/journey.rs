//! The journey a person walks, over HTTP: reopening a used link shows its
//! outcome, wallets take a mobile number, and the same account is never
//! created twice for one end user.

mod common;

use common::page::expect;
use common::writes::{account as bank, END_USER as EUR, TENANT};
use common::{slug, T};
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

const NEQUI: &str = "ins_1509bb0a-9bf1-4331-8a11-8783593942a4";
const DAVIPLATA: &str = "ins_f5ec52ed-0108-4475-92e1-bc7656670b14";

fn wallet(institution: &str, number: &str) -> Value {
    json!({"institution_uuid": institution, "account_number": number, "user_authorization": true})
}

/// A connect link for a fresh end user (so tests do not share accounts),
/// with a redirect URL; returns its slug.
async fn connect_slug(t: &T, first_name: &str) -> String {
    let l = t
        .connect_link(json!({
            "existing_end_user_id": null,
            "new_end_user_details": {"first_name": first_name},
            "redirect_url": "https://example.com/done"
        }))
        .await;
    slug(&l["url"])
}

/// A connect link for the seeded end user; returns its slug.
async fn eur_connect_slug(t: &T) -> String {
    slug(&t.connect_link(json!({})).await["url"])
}

async fn submit(t: &T, slug: &str, key: &str, body: Value) -> (StatusCode, Value) {
    t.connect_page(slug).submit(key, body).await
}

async fn view(t: &T, path: &str) -> Value {
    expect(
        t.public(Method::GET, path, None, None).await,
        StatusCode::OK,
    )
}

#[tokio::test(flavor = "multi_thread")]
async fn a_reopened_connect_link_shows_the_account_it_ended_with() {
    let t = T::new().await;
    // Open: no outcome yet.
    let sl = connect_slug(&t, "Ana").await;
    let v = view(&t, &format!("/connect-links/{sl}")).await;
    assert_eq!(v["outcome"], Value::Null);
    // Connected (sandbox last digit 4).
    let (s, acc) = submit(&t, &sl, "k1", bank("1234567894")).await;
    assert_eq!(s, StatusCode::CREATED, "{acc}");
    let v = view(&t, &format!("/connect-links/{sl}")).await;
    assert_eq!(v["state"], "COMPLETED");
    assert_eq!(v["redirect_url"], "https://example.com/done");
    assert_eq!(v["outcome"]["uuid"], acc["uuid"]);
    assert_eq!(v["outcome"]["current_status"], "CONNECTED");
    assert_eq!(v["outcome"]["last_4"], "7894");
    assert!(v["outcome"]["date_created"]
        .as_str()
        .is_some_and(|d| d.ends_with('Z')));

    // Pending the institution (last digit 2): the link is held for it
    // (open, resuming the wait), and completes once the institution has
    // approved and the account is read again.
    let sl = connect_slug(&t, "Beto").await;
    let (_, acc) = submit(&t, &sl, "k2", bank("9876541112")).await;
    assert_eq!(acc["current_status"], "VERIFICATION_PENDING");
    let v = view(&t, &format!("/connect-links/{sl}")).await;
    assert_eq!(v["state"], "OPEN");
    assert_eq!(v["outcome"]["uuid"], acc["uuid"]);
    assert_eq!(v["outcome"]["current_status"], "VERIFICATION_PENDING");
    let uuid = acc["uuid"].as_str().unwrap();
    let still = expect(t.connect_page(&sl).refresh(uuid).await, StatusCode::OK);
    assert_eq!(still["current_status"], "VERIFICATION_PENDING");
    t.let_the_institution_approve(uuid);
    let v = view(&t, &format!("/connect-links/{sl}")).await;
    assert_eq!(v["state"], "COMPLETED");
    assert_eq!(v["outcome"]["uuid"], acc["uuid"]);
    assert_eq!(v["outcome"]["current_status"], "CONNECTED");

    // Failed (last digit 5): the link stays open, with no outcome.
    let sl = connect_slug(&t, "Caro").await;
    let (_, acc) = submit(&t, &sl, "k3", bank("1234560005")).await;
    assert_eq!(acc["current_status"], "CONNECTION_FAILED");
    let v = view(&t, &format!("/connect-links/{sl}")).await;
    assert_eq!(v["state"], "OPEN");
    assert_eq!(v["outcome"], Value::Null);
    t.stop().await;
}

async fn checkout_slug(t: &T, amount: u64) -> String {
    let l = t
        .checkout_link(json!({
            "existing_end_user_id": EUR, "link_name": "Order #42", "primary_reference": "ORDER-42",
            "redirect_url": "https://example.com/paid",
            "transaction": {"tenant_id": TENANT, "amount": amount}
        }))
        .await;
    slug(&l["url"])
}

async fn pay(t: &T, sl: &str, key: &str, account: &Value) -> Value {
    t.checkout_page(sl).paid(key, &account["uuid"]).await
}

#[tokio::test(flavor = "multi_thread")]
async fn a_reopened_checkout_link_shows_the_payment_it_ended_with() {
    let t = T::new().await;
    let page = t.checkout_page(&checkout_slug(&t, 2_000_000).await);
    // The paying account's last digits choose the outcome: …94 SUCCESSFUL,
    // …92 PENDING (once the institution approved it), …16 FAILED.
    let mut accounts = Vec::new();
    for number in ["1234567894", "1234567892", "1234567816"] {
        accounts.push(page.connect(number, number).await);
    }
    assert_eq!(page.view().await["outcome"], Value::Null);
    let pending = accounts[1]["uuid"].as_str().unwrap();
    t.let_the_institution_approve(pending);
    let (_, ready) = page.refresh(pending).await;
    assert_eq!(ready["current_status"], "CONNECTED");

    for (acc, status) in [(&accounts[0], "SUCCESSFUL"), (&accounts[1], "PENDING")] {
        let sl = checkout_slug(&t, 2_000_000).await;
        let paid = pay(&t, &sl, &format!("p{status}"), acc).await;
        assert_eq!(paid["status"], status);
        let v = view(&t, &format!("/checkout-links/{sl}")).await;
        assert_eq!(v["state"], "COMPLETED");
        assert_eq!(
            unsigned(&v["outcome"]),
            unsigned(&paid),
            "the reopened link answers what pay answered (its way back signed afresh)"
        );
        assert_eq!(v["outcome"]["reference"], "ORDER-42");
        assert_eq!(v["outcome"]["account_code"], acc["code"]);
        assert_eq!(v["transaction"]["status"], status);
    }

    // Failed: the link stays open, with no outcome.
    let sl = checkout_slug(&t, 2_000_000).await;
    let paid = pay(&t, &sl, "p16", &accounts[2]).await;
    assert_eq!(paid["status"], "FAILED");
    assert_eq!(paid["remarks"], "EXCEEDS_ACCOUNT_LIMIT");
    let v = view(&t, &format!("/checkout-links/{sl}")).await;
    assert_eq!(v["state"], "OPEN");
    assert_eq!(v["outcome"], Value::Null);
    // …and another account pays it.
    let paid = pay(&t, &sl, "p94", &accounts[0]).await;
    assert_eq!(paid["status"], "SUCCESSFUL");
    let v = view(&t, &format!("/checkout-links/{sl}")).await;
    assert_eq!(v["state"], "COMPLETED");
    assert_eq!(unsigned(&v["outcome"]), unsigned(&paid));
    t.stop().await;
}

/// A payment answer without its way back, which is signed when it is
/// answered (`ts`): two answers of one payment differ only there.
fn unsigned(payment: &Value) -> Value {
    let mut p = payment.clone();
    if let Some(o) = p.as_object_mut() {
        o.remove("return_url");
    }
    p
}

#[tokio::test(flavor = "multi_thread")]
async fn wallets_take_a_colombian_mobile_number() {
    let t = T::new().await;
    let (_, v) = t.public(Method::GET, "/institutions", None, None).await;
    let nequi = v["institutions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["uuid"] == NEQUI)
        .unwrap()
        .clone();
    assert_eq!(nequi["kind"], "WALLET");

    for number in ["123456", "30012345678", "2001234567", "6012345678"] {
        let sl = connect_slug(&t, "Dani").await;
        let (s, e) = submit(&t, &sl, "w", wallet(NEQUI, number)).await;
        assert_eq!(s, StatusCode::BAD_REQUEST, "{number}: {e}");
        assert_eq!(e["code"], "NOT_A_MOBILE_NUMBER", "{number}");
        assert_eq!(e["field"], "account_number");
    }
    let sl = connect_slug(&t, "Dani").await;
    let (s, e) = submit(&t, &sl, "w", wallet(NEQUI, "300 123 4567")).await;
    assert_eq!(
        (s, e["code"].as_str()),
        (StatusCode::BAD_REQUEST, Some("DIGITS_ONLY"))
    );

    // Accepted without subtype or type: the wallet's single subtype.
    let (s, acc) = submit(&t, &sl, "w2", wallet(DAVIPLATA, "3001234567")).await;
    assert_eq!(s, StatusCode::CREATED, "{acc}");
    assert_eq!(acc["subtype"], "SAVINGS");
    assert_eq!(acc["last_4"], "4567", "al4 is the number's last four");
    assert_eq!(acc["institution"]["name"], "Daviplata");

    // A wallet offers no checking account.
    let sl = connect_slug(&t, "Eva").await;
    let mut body = wallet(NEQUI, "3001234567");
    body["subtype"] = json!("CHECKING");
    let (s, e) = submit(&t, &sl, "w3", body).await;
    assert_eq!(
        (s, e["code"].as_str()),
        (StatusCode::BAD_REQUEST, Some("UNSUPPORTED_SUBTYPE"))
    );

    // A bank keeps its rule: a mobile-looking number is fine, no subtype is not.
    let (s, _) = submit(&t, &sl, "b1", bank("3001234567")).await;
    assert_eq!(s, StatusCode::CREATED);
    let sl = connect_slug(&t, "Fer").await;
    let mut body = bank("12345678");
    body.as_object_mut().unwrap().remove("subtype");
    let (s, e) = submit(&t, &sl, "b2", body).await;
    assert_eq!(
        (s, e["field"].as_str()),
        (StatusCode::BAD_REQUEST, Some("subtype"))
    );

    // The merchant API applies the same rule.
    let (s, e) = t
        .post(
            "/accounts/validate",
            json!({"user_authorization": true, "institution_uuid": NEQUI,
                   "account_number": "1234567894", "existing_end_user_id": EUR}),
        )
        .await;
    assert_eq!(
        (s, e["code"].as_str()),
        (StatusCode::BAD_REQUEST, Some("NOT_A_MOBILE_NUMBER"))
    );
    let (s, v) = t
        .post(
            "/accounts/validate",
            json!({"user_authorization": true, "institution_uuid": NEQUI,
                   "account_number": "3109876543", "existing_end_user_id": EUR}),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(v["account"]["subtype"], "SAVINGS");
    assert_eq!(v["account"]["last_4"], "6543");
    t.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn the_same_account_is_not_created_twice_for_an_end_user() {
    let t = T::new().await;
    let first = eur_connect_slug(&t).await;
    let (_, a) = submit(&t, &first, "d1", bank("1234567894")).await;
    // Another link of the same end user, the same number: the same account,
    // and the link still completes with it.
    let second = eur_connect_slug(&t).await;
    let (s, b) = submit(&t, &second, "d2", bank("1234567894")).await;
    assert_eq!(s, StatusCode::CREATED, "{b}");
    assert_eq!(b["uuid"], a["uuid"]);
    let v = view(&t, &format!("/connect-links/{second}")).await;
    assert_eq!(v["state"], "COMPLETED");
    assert_eq!(v["outcome"]["uuid"], a["uuid"]);
    // The second link's page may read and re-check the account it got.
    let uuid = a["uuid"].as_str().unwrap();
    expect(t.connect_page(&second).account(uuid).await, StatusCode::OK);

    // Another subtype, or another number, is another account.
    let third = eur_connect_slug(&t).await;
    let mut checking = bank("1234567894");
    checking["subtype"] = json!("CHECKING");
    let (_, c) = submit(&t, &third, "d3", checking).await;
    assert_ne!(c["uuid"], a["uuid"]);
    let fourth = eur_connect_slug(&t).await;
    let (_, d) = submit(&t, &fourth, "d4", bank("1234567884")).await;
    assert_eq!(d["current_status"], "CONNECTED");
    assert_ne!(d["uuid"], a["uuid"]);
    assert_eq!(d["last_4"], "7884");

    // Another end user with the same number gets an account of their own.
    let other = connect_slug(&t, "Gabi").await;
    let (_, e) = submit(&t, &other, "d5", bank("1234567894")).await;
    assert_ne!(e["uuid"], a["uuid"]);

    // The payer's list holds the account once.
    let sl = checkout_slug(&t, 2_000_000).await;
    let list = t.checkout_page(&sl).accounts().await;
    let same = list["accounts"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|x| x["uuid"] == a["uuid"])
        .count();
    assert_eq!(same, 1);
    t.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn an_ended_attempt_is_not_reused() {
    let t = T::new().await;
    // Every ending of the connection table (failed, reconnection required,
    // disconnected, disabled) leaves the link open, and the same number
    // next time is a new attempt, never the ended account.
    for (number, status) in [
        ("1234560005", "CONNECTION_FAILED"),
        ("1234560006", "CONNECTION_FAILED"),
        ("1234560007", "RECONNECTION_REQUIRED"),
        ("1234560008", "DISCONNECTED"),
        ("1234560009", "DISCONNECTED"),
        ("1234560000", "DISABLED"),
    ] {
        let sl = eur_connect_slug(&t).await;
        let (_, a) = submit(&t, &sl, "r1", bank(number)).await;
        assert_eq!(a["current_status"], status, "{number}");
        let (s, b) = submit(&t, &sl, "r2", bank(number)).await;
        assert_eq!(s, StatusCode::CREATED, "{number}: {b}");
        assert_eq!(b["current_status"], status, "{number}");
        assert_ne!(b["uuid"], a["uuid"], "{number}");
        let v = view(&t, &format!("/connect-links/{sl}")).await;
        assert_eq!(v["state"], "OPEN", "{number}");
    }
    // A pending attempt has not ended: the same number is the same account.
    let sl = eur_connect_slug(&t).await;
    let (_, p) = submit(&t, &sl, "p1", bank("1234560002")).await;
    assert_eq!(p["current_status"], "VERIFICATION_PENDING");
    let (_, q) = submit(&t, &sl, "p2", bank("1234560002")).await;
    assert_eq!(q["uuid"], p["uuid"]);
    t.stop().await;
}
