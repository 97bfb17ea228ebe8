//! The checkout page's public API over HTTP: the view, the payer's
//! accounts, connecting a new one, paying (idempotent), the sandbox
//! payment outcomes (chosen by the paying account's number, never by the
//! amount), and what the merchant API then shows. Amounts are in centavos.

mod common;

use common::page::{expect, pay_from, refused, refused_at};
use common::writes::{END_USER as EUR, TENANT};
use common::{slug, T};
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

async fn checkout(t: &T, amount: u64, extra: Value) -> Value {
    let mut body = json!({
        "existing_end_user_id": EUR, "link_name": "Order #42", "primary_reference": "ORDER-42",
        "secondary_reference": "SECOND-42", "metadata": {"internal": "merchant-only"},
        "transaction": {"tenant_id": TENANT, "amount": amount, "description": "Policy renewal",
                        "statement_descriptor": "NOVO* POLICY"}
    });
    body.as_object_mut()
        .unwrap()
        .extend(extra.as_object().unwrap().clone());
    t.checkout_link(body).await
}

async fn merchant_view(t: &T, uuid: &str) -> Value {
    // The reference has no checkout read call; read the link in the merchant
    // API's documented shape straight from the store.
    let db = t.srv.as_ref().unwrap().db.clone();
    let secrets = t.srv.as_ref().unwrap().secrets.clone();
    let uuid = uuid.to_string();
    let link = db
        .blocking(move |c| {
            let sealer = secrets.sealer();
            link_server::merchant::objects::checkout_link(c, sealer, &uuid, "http://x", 0)
        })
        .unwrap();
    serde_json::to_value(link).unwrap()
}

#[tokio::test(flavor = "multi_thread")]
async fn checkout_links_are_listed_newest_first_with_filters_and_pages() {
    let t = T::new().await;
    let a = checkout(&t, 100, json!({"primary_reference": "A"})).await;
    let b = checkout(&t, 200, json!({"primary_reference": "B"})).await;
    let (_, v) = t.get("/checkout/link/list?page_size=1").await;
    assert_eq!(v["checkout_links"][0]["uuid"], b["uuid"]);
    assert_eq!(v["page_info"]["has_next_page"], true);
    let next = v["page_info"]["next_starting_after"]
        .as_str()
        .unwrap()
        .to_string();
    let (_, v) = t
        .get(&format!(
            "/checkout/link/list?page_size=1&starting_after={next}"
        ))
        .await;
    assert_eq!(v["checkout_links"][0]["uuid"], a["uuid"]);
    let (_, v) = t.get("/checkout/link/list?primary_reference=A").await;
    assert_eq!(v["checkout_links"].as_array().unwrap().len(), 1);
    assert_eq!(v["checkout_links"][0]["transaction"]["amount"], 100);
    // Another merchant sees none of them.
    let other = t.other_merchant();
    let (_, v) = t.get_as(&other, "/checkout/link/list").await;
    assert_eq!(v["checkout_links"], json!([]));
    t.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn the_view_shows_the_payment_and_hides_merchant_data() {
    let t = T::new().await;
    let l = checkout(
        &t,
        2_000_000,
        json!({"sidebar_background_color": "#eeeeee", "default_language": "es-co"}),
    )
    .await;
    let v = t.checkout_page(&slug(&l["url"])).view().await;
    assert_eq!(v["merchant_name"], "NOVO");
    assert_eq!(v["link_name"], "Order #42");
    assert_eq!(v["transaction"]["amount"], 2_000_000);
    assert_eq!(v["transaction"]["currency"], "COP");
    assert_eq!(v["transaction"]["statement_descriptor"], "NOVO* POLICY");
    assert_eq!(v["theme"]["sidebar_background_color"], "#eeeeee");
    // As the page writes it: resolved by the service.
    assert!(
        v["theme_vars"]
            .as_array()
            .is_some_and(|a| a.contains(&json!({"name": "--sidebar-bg", "value": "#eeeeee"}))),
        "{v}"
    );
    assert_eq!(v["default_language"], "es_CO");
    assert_eq!(v["state"], "OPEN");
    // The order's reference, which the payer reads in the summary and on
    // the receipt alike (issue 29); nothing else of the merchant's.
    assert_eq!(v["reference"], "ORDER-42");
    let text = v.to_string();
    for hidden in [
        "SECOND-42",
        "merchant-only",
        "987654321",
        "john.doe@example.com",
    ] {
        assert!(!text.contains(hidden), "{hidden} leaked");
    }
    assert_eq!(
        merchant_view(&t, l["uuid"].as_str().unwrap()).await["delivery_status"],
        "OPENED"
    );
    t.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn connect_a_new_account_then_pay_with_it() {
    let t = T::new().await;
    let l = checkout(&t, 2_000_000, json!({})).await;
    let page = t.checkout_page(&slug(&l["url"]));
    let before = page.accounts().await["accounts"].as_array().unwrap().len();
    // An account whose connection failed (sandbox last digit 5) is not
    // offered for paying.
    let failed = page.connect("a0", "9990005").await;
    assert_eq!(
        (failed["current_status"].clone(), failed["remarks"].clone()),
        (
            json!("CONNECTION_FAILED"),
            json!("UNABLE_TO_LOCATE_ACCOUNT")
        )
    );
    let acc = page.connect("a1", "12345674").await;
    assert_eq!(acc["current_status"], "CONNECTED");
    let v = page.accounts().await;
    let list = v["accounts"].as_array().unwrap();
    assert_eq!(list.len(), before + 1);
    assert_eq!(list[0]["uuid"], acc["uuid"], "newest first");
    assert!(list.iter().all(|a| a["uuid"] != failed["uuid"]));

    let r = page.paid("p1", &acc["uuid"]).await;
    // Paid from an account ending in 4: SUCCESSFUL.
    assert_eq!(r["status"], "SUCCESSFUL");
    assert_eq!(r["remarks"], Value::Null);
    assert!(r.get("decline_reason").is_none(), "{r}");
    assert_eq!(r["account_code"], acc["code"]);
    assert_eq!(r["reference"], "ORDER-42");
    assert!(r["transaction_uuid"].as_str().unwrap().starts_with("trx_"));
    // A retry with the same key answers the same payment.
    assert_eq!(page.paid("p1", &acc["uuid"]).await, r);
    // A second payment is refused: the link is completed.
    let second = page.pay("p2", pay_from(&acc["uuid"])).await;
    refused(&second, StatusCode::CONFLICT, "LINK_COMPLETED");
    let m = merchant_view(&t, l["uuid"].as_str().unwrap()).await;
    assert_eq!(m["delivery_status"], "COMPLETED");
    assert_eq!(m["transaction"]["status"], "SUCCESSFUL");
    assert_eq!(m["transaction"]["remarks"], Value::Null);
    assert_eq!(m["transaction"]["funding_source"], acc["uuid"]);
    assert_eq!(page.view().await["state"], "COMPLETED");
    t.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn sandbox_payment_outcomes_by_the_paying_account() {
    let t = T::new().await;
    // Give John three connected accounts through a first link: the last
    // digits of the paying account choose the outcome.
    let first = checkout(&t, 100, json!({})).await;
    let first = t.checkout_page(&slug(&first["url"]));
    let mut accounts = Vec::new();
    for number in ["12345616", "12345672", "12345674"] {
        accounts.push(first.connect(number, number).await);
    }
    // …72 waits for the institution's approval (10 s) before it can pay.
    assert_eq!(accounts[1]["current_status"], "VERIFICATION_PENDING");
    let pending = accounts[1]["uuid"].as_str().unwrap().to_string();
    t.let_the_institution_approve(&pending);
    let (_, ready) = first.refresh(&pending).await;
    assert_eq!(ready["current_status"], "CONNECTED", "{ready}");
    let cases = [
        // (account, amount, status, remarks, link state)
        (
            &accounts[0],
            2_000_000u64,
            "FAILED",
            json!("EXCEEDS_ACCOUNT_LIMIT"),
            "OPEN",
        ),
        (&accounts[1], 2_001_100, "PENDING", json!(null), "COMPLETED"),
        (
            &accounts[2],
            2_001_300,
            "SUCCESSFUL",
            json!(null),
            "COMPLETED",
        ),
        // The amount chooses nothing: the old magic amounts do not matter.
        (&accounts[2], 20013, "SUCCESSFUL", json!(null), "COMPLETED"),
        (
            &accounts[0],
            20011,
            "FAILED",
            json!("EXCEEDS_ACCOUNT_LIMIT"),
            "OPEN",
        ),
    ];
    for (acc, amount, status, remarks, link_state) in cases {
        let l = checkout(&t, amount, json!({})).await;
        let page = t.checkout_page(&slug(&l["url"]));
        let r = page.paid("k", &acc["uuid"]).await;
        let case = format!("{} {amount}", acc["last_4"]);
        assert_eq!(
            (r["status"].clone(), r["remarks"].clone()),
            (json!(status), remarks.clone()),
            "{case}"
        );
        let m = merchant_view(&t, l["uuid"].as_str().unwrap()).await;
        assert_eq!(m["transaction"]["status"], status, "{case}");
        assert_eq!(m["transaction"]["remarks"], remarks, "{case}");
        assert_eq!(m["transaction"]["amount"], amount, "{case}");
        assert_eq!(page.view().await["state"], link_state, "{case}");
        // An unpaid link takes another try; a paid one takes none.
        let again = page.pay("k2", pay_from(&acc["uuid"])).await;
        if link_state == "OPEN" {
            assert_eq!(expect(again, StatusCode::OK)["status"], status, "{case}");
        } else {
            refused(&again, StatusCode::CONFLICT, "LINK_COMPLETED");
        }
    }
    t.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn payment_refusals_name_their_field() {
    let t = T::new().await;
    let l = checkout(&t, 2_000_000, json!({})).await;
    let page = t.checkout_page(&slug(&l["url"]));
    // Sandbox last digit 2: pending the institution's approval.
    let pending = page.connect("a", "55551112").await;
    assert_eq!(
        pending["current_status"], "VERIFICATION_PENDING",
        "{pending}"
    );
    // Sandbox last digit 3: pending the deposit's code.
    let deposit = page.connect("b", "55551113").await;
    assert_eq!(
        deposit["current_status"], "VERIFICATION_IN_PROGRESS",
        "{deposit}"
    );
    let cases = [
        (
            json!({"account_uuid": "acc_nope", "user_authorization": true}),
            "account_uuid",
            "UNKNOWN_ACCOUNT",
        ),
        (
            json!({"account_uuid": pending["uuid"], "user_authorization": true}),
            "account_uuid",
            "ACCOUNT_NOT_CONNECTED",
        ),
        (
            json!({"account_uuid": deposit["uuid"], "user_authorization": true}),
            "account_uuid",
            "ACCOUNT_NOT_CONNECTED",
        ),
        (
            json!({"account_uuid": pending["uuid"], "user_authorization": false}),
            "user_authorization",
            "USER_AUTHORIZATION_REQUIRED",
        ),
    ];
    for (i, (body, field, code)) in cases.into_iter().enumerate() {
        let answer = page.pay(&format!("k{i}"), body).await;
        refused_at(&answer, StatusCode::BAD_REQUEST, code, field);
    }
    // Nothing was paid: the link is still open.
    let m = merchant_view(&t, l["uuid"].as_str().unwrap()).await;
    assert_eq!(m["transaction"]["status"], "PENDING");
    assert_eq!(m["transaction"]["funding_source"], Value::Null);
    // The refresh alone does not connect it; the institution's approval,
    // 10 s after the request, does.
    let pending_uuid = pending["uuid"].as_str().unwrap();
    let (_, still) = page.refresh(pending_uuid).await;
    assert_eq!(still["current_status"], "VERIFICATION_PENDING");
    t.let_the_institution_approve(pending_uuid);
    let (_, ok) = page.refresh(pending_uuid).await;
    assert_eq!(ok["current_status"], "CONNECTED");
    let expired = checkout(
        &t,
        2_000_000,
        json!({"expiration_date": "2021-11-16T23:23:38"}),
    )
    .await;
    let expired = t.checkout_page(&slug(&expired["url"]));
    let late = expired.pay("x", pay_from(&ok["uuid"])).await;
    refused(&late, StatusCode::GONE, "LINK_EXPIRED");
    let (s, _) = t
        .public(Method::GET, "/checkout-links/nope", None, None)
        .await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    t.stop().await;
}
