//! DRUO's sandbox over HTTP, every row of its three tables
//! (/work/shared/reference/druo-documented.md sections 1, 3 and 4;
//! core/src/sandbox.rs), each checked where it is stored, in the answer the
//! person's page gets, and in the merchant's view of it:
//!
//! - the Account Connection table, last digits 0 to 9, through a connect
//!   link's public submit, with what each does to the link (completed for 1
//!   and 4, held open for 2 and 3, open for the ended ones);
//! - the Account Validation table, 0 to 9, through `POST /accounts/validate`;
//! - the transaction tables, every row, through checkout links: a new
//!   account of that number, then the payment, whose status and remarks the
//!   paying account's last digits choose; paid links take no second payment;
//! - the two pending validations finished: the deposit code (`72`; three
//!   wrong codes end the account) and the institution's approval 10 s after
//!   the request, the only test of the suite that waits for the real clock,
//!   once, with everything that waits checked in parallel.
//!
//! The expected rows are written out here, from DRUO's tables, never read
//! back from `druo_core::sandbox`.

mod common;

use common::page::{expect, pay_from, refused, refused_at};
use common::writes::{account as bank, DAVIVIENDA, END_USER as EUR, TENANT};
use common::{slug, T};
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};
use std::time::Duration;

/// The one real wait: the sandbox's institution approves 10 s after the
/// request.
const PAST_THE_APPROVAL: Duration = Duration::from_millis(10_500);

/// The pending step of a number ending in 2.
const INSTITUTION: &str = "CONFIRM_REQUEST_WITH_INSTITUTION";
/// The pending step of a number ending in 3.
const MICRODEPOSIT: &str = "CONFIRM_OTP_VIA_MICRODEPOSIT";

/// A merchant validation of savings account `number` at Davivienda for
/// the seeded end user.
fn validation(number: &str) -> Value {
    json!({"user_authorization": true, "institution_uuid": DAVIVIENDA,
           "type": "DEPOSITORY", "subtype": "SAVINGS",
           "account_number": number, "existing_end_user_id": EUR})
}

/// Whether the page's list of accounts `list` holds account `uuid`.
fn listed(list: &Value, uuid: &str) -> bool {
    list["accounts"]
        .as_array()
        .unwrap()
        .iter()
        .any(|a| a["uuid"] == uuid)
}

/// A connect link for a new end user (so no row shares an account with
/// another), opened once as the person's page would; its uuid and slug.
async fn new_connect_link(t: &T) -> (String, String) {
    let l = t
        .connect_link(json!({"existing_end_user_id": null,
                             "new_end_user_details": {"first_name": "Ana"}}))
        .await;
    let sl = slug(&l["url"]);
    t.connect_page(&sl).view().await;
    (l["uuid"].as_str().unwrap().to_string(), sl)
}

/// A checkout link of the seeded end user for `amount` centavos, opened
/// once; its uuid and slug.
async fn new_checkout_link(t: &T, amount: u64) -> (String, String) {
    let l = t
        .checkout_link(
            json!({"existing_end_user_id": EUR, "link_name": "Order #42",
                              "transaction": {"tenant_id": TENANT, "amount": amount}}),
        )
        .await;
    let sl = slug(&l["url"]);
    t.checkout_page(&sl).view().await;
    (l["uuid"].as_str().unwrap().to_string(), sl)
}

/// The merchant's view of a link: `GET /{kind}/link/list?uuid=…`.
async fn merchant_link(t: &T, kind: &str, uuid: &str) -> Value {
    let v = t.get_ok(&format!("/{kind}/link/list?uuid={uuid}")).await;
    let list = v[format!("{kind}_links")].as_array().unwrap().clone();
    assert_eq!(list.len(), 1, "{v}");
    list[0].clone()
}

/// The merchant's Account object, `GET /accounts/{uuid}` (a read: it
/// stores a sandbox approval that is due).
async fn merchant_account(t: &T, uuid: &str) -> Value {
    let v = t.get_ok(&format!("/accounts/{uuid}")).await;
    assert_eq!(v["account"]["uuid"], uuid, "{v}");
    v["account"].clone()
}

/// What an account must say: its status, remark and pending action.
#[derive(Clone, Copy)]
struct Expect<'a> {
    status: &'a str,
    remark: Option<&'a str>,
    action: Option<&'a str>,
}

/// Connected, with nothing pending.
const CONNECTED: Expect<'static> = Expect {
    status: "CONNECTED",
    remark: None,
    action: None,
};

/// Waiting for its deposit code.
const DEPOSIT: Expect<'static> = Expect {
    status: "VERIFICATION_IN_PROGRESS",
    remark: None,
    action: Some(MICRODEPOSIT),
};

/// Waiting for the institution's approval.
const WAITING: Expect<'static> = Expect {
    status: "VERIFICATION_PENDING",
    remark: None,
    action: Some(INSTITUTION),
};

/// Checks account `uuid`'s stored status and remark.
fn check_stored(t: &T, uuid: &str, e: Expect<'_>, case: &str) {
    let stored = t.stored_account(uuid);
    assert_eq!(
        (stored.0.as_str(), stored.1.as_deref()),
        (e.status, e.remark),
        "{case}"
    );
}

/// Checks the page's view of an account (`PublicAccount`).
fn check_public(a: &Value, e: Expect<'_>, attempts_left: Option<u32>, case: &str) {
    assert_eq!(a["current_status"], e.status, "{case}: {a}");
    assert_eq!(a["remarks"], json!(e.remark), "{case}: {a}");
    assert_eq!(
        a["requires_account_validation"],
        e.action.is_some(),
        "{case}: {a}"
    );
    let pending = match e.action {
        Some(action) => json!([{"action": action, "attempts_left": attempts_left}]),
        None => json!([]),
    };
    assert_eq!(a["pending_account_validations"], pending, "{case}: {a}");
}

/// Checks the merchant's Account object: DRUO's string-typed
/// `requires_account_validation`, the pending step with its slug, and
/// `capabilities` (`["PAYMENTS"]` only when connected).
fn check_merchant(m: &Value, e: Expect<'_>, source: &str, case: &str) {
    assert_eq!(m["current_status"], e.status, "{case}: {m}");
    assert_eq!(m["remarks"], json!(e.remark), "{case}: {m}");
    let requires = if e.action.is_some() { "TRUE" } else { "FALSE" };
    assert_eq!(m["requires_account_validation"], requires, "{case}: {m}");
    match e.action {
        Some(action) => {
            let steps = m["pending_account_validations"].as_array().unwrap();
            assert_eq!(steps.len(), 1, "{case}: {m}");
            assert_eq!(steps[0]["action"], action, "{case}: {m}");
            assert!(
                steps[0]["slug"].as_str().is_some_and(|s| s.len() > 30),
                "{case}: {m}"
            );
        }
        None => assert_eq!(m["pending_account_validations"], Value::Null, "{case}: {m}"),
    }
    let capabilities = if e.status == "CONNECTED" {
        json!(["PAYMENTS"])
    } else {
        json!([])
    };
    assert_eq!(m["capabilities"], capabilities, "{case}: {m}");
    assert_eq!(m["creation_source"], source, "{case}: {m}");
}

/// What a connection row does to its connect link.
#[derive(Clone, Copy, PartialEq, Debug)]
enum LinkAfter {
    /// Used up with the account.
    Completed,
    /// Open, and held for the account while the person finishes it.
    Held,
    /// Open for another account, showing no outcome.
    Open,
}

#[tokio::test(flavor = "multi_thread")]
async fn the_connection_table_by_last_digit() {
    use LinkAfter::*;
    // No rate limits: walking a table writes more than one person would.
    let t = T::unlimited().await;
    let (institution, deposit) = (Some(INSTITUTION), Some(MICRODEPOSIT));
    let rows = [
        (1, "CREATED", None, None, Completed),
        (2, "VERIFICATION_PENDING", None, institution, Held),
        (3, "VERIFICATION_IN_PROGRESS", None, deposit, Held),
        (4, "CONNECTED", None, None, Completed),
        (
            5,
            "CONNECTION_FAILED",
            Some("UNABLE_TO_LOCATE_ACCOUNT"),
            None,
            Open,
        ),
        (6, "CONNECTION_FAILED", Some("ACCOUNT_CLOSED"), None, Open),
        (7, "RECONNECTION_REQUIRED", None, None, Open),
        (
            8,
            "DISCONNECTED",
            Some("AUTHORIZATION_REVOKED_BY_END_USER"),
            None,
            Open,
        ),
        (9, "DISCONNECTED", Some("ACCOUNT_CLOSED"), None, Open),
        (0, "DISABLED", Some("ACCOUNT_BLOCKED"), None, Open),
    ];
    for (digit, status, remark, action, after) in rows {
        let case = format!("connection digit {digit}");
        let e = Expect {
            status,
            remark,
            action,
        };
        let (link_uuid, sl) = new_connect_link(&t).await;
        let page = t.connect_page(&sl);
        let a = page.connect("k", &format!("123456789{digit}")).await;
        let attempts = (action == deposit).then_some(3);
        check_public(&a, e, attempts, &case);
        assert_eq!(a["last_4"], format!("789{digit}"), "{case}");
        let uuid = a["uuid"].as_str().unwrap();
        // Stored, and read back as stored.
        check_stored(&t, uuid, e, &case);
        let again = expect(page.account(uuid).await, StatusCode::OK);
        check_public(&again, e, attempts, &case);
        // What it does to the link, for the page and for the merchant.
        let v = page.view().await;
        let (state, outcome, delivery) = match after {
            Completed => ("COMPLETED", json!(uuid), "COMPLETED"),
            Held => ("OPEN", json!(uuid), "OPENED"),
            Open => ("OPEN", Value::Null, "OPENED"),
        };
        assert_eq!(v["state"], state, "{case}: {v}");
        assert_eq!(v["outcome"]["uuid"], outcome, "{case}: {v}");
        if after != Open {
            check_public(&v["outcome"], e, attempts, &case);
        } else {
            assert_eq!(v["outcome"], Value::Null, "{case}: {v}");
        }
        let m = merchant_link(&t, "connect", &link_uuid).await;
        assert_eq!(m["delivery_status"], delivery, "{case}");
        let m = merchant_account(&t, uuid).await;
        check_merchant(&m, e, "CONNECT_LINK", &case);
        assert_eq!(m["source_connect_link"], link_uuid.as_str(), "{case}");
        assert_eq!(m["last_4"], format!("789{digit}"), "{case}");
        // A used link takes no other account; an open one does.
        let next = page.submit("k2", bank("9876543214")).await;
        if after == Completed {
            refused(&next, StatusCode::CONFLICT, "LINK_COMPLETED");
        } else {
            let next = expect(next, StatusCode::CREATED);
            if after == Open {
                assert_eq!(next["current_status"], "CONNECTED", "{case}");
                assert_eq!(page.view().await["state"], "COMPLETED", "{case}");
            }
        }
    }
    t.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn the_validation_table_by_last_digit() {
    // No rate limits: walking a table writes more than one person would.
    let t = T::unlimited().await;
    let (institution, deposit) = (Some(INSTITUTION), Some(MICRODEPOSIT));
    // Rows 2 to 0 of DRUO's validation table were not recovered; the
    // service's choice (docs/api.md, "Sandbox") mirrors the connection
    // table with the validation statuses.
    let rows = [
        (1, "CREATED", None, None),
        (2, "VALIDATION_PENDING", None, institution),
        (3, "VALIDATION_IN_PROGRESS", None, deposit),
        (4, "VALIDATED", None, None),
        (
            5,
            "VALIDATION_FAILED",
            Some("UNABLE_TO_LOCATE_ACCOUNT"),
            None,
        ),
        (6, "VALIDATION_FAILED", Some("ACCOUNT_CLOSED"), None),
        (7, "VALIDATION_FAILED", Some("ACCOUNT_INACTIVE"), None),
        (8, "VALIDATION_FAILED", Some("ACCOUNT_DOES_NOT_EXIST"), None),
        (9, "VALIDATION_FAILED", Some("INVALID_ACCOUNT_NUMBER"), None),
        (0, "DISABLED", Some("ACCOUNT_BLOCKED"), None),
    ];
    for (digit, status, remark, action) in rows {
        let case = format!("validation digit {digit}");
        let e = Expect {
            status,
            remark,
            action,
        };
        let number = format!("123456789{digit}");
        let v = t.post_ok("/accounts/validate", validation(&number)).await;
        let a = &v["account"];
        check_merchant(a, e, "MERCHANT_API", &case);
        assert_eq!(a["source_connect_link"], Value::Null, "{case}");
        assert_eq!(a["last_4"], format!("789{digit}"), "{case}");
        let uuid = a["uuid"].as_str().unwrap();
        check_stored(&t, uuid, e, &case);
        check_merchant(&merchant_account(&t, uuid).await, e, "MERCHANT_API", &case);
    }
    t.stop().await;
}

/// The payment a row expects: status, remark, and whether it pays the
/// link (`PaymentStatus::pays_link`: all but CREATED, FAILED, CANCELED).
struct Payment<'a> {
    status: &'a str,
    remark: Option<&'a str>,
    pays: bool,
}

/// Connects a new account `number` on the checkout link `sl` (finishing
/// the deposit code of a number ending in 3, with one wrong code first when
/// `wrong_first`), pays the link with it, and checks the payment everywhere:
/// the pay answer, the stored transaction, the merchant's checkout link,
/// the reopened page, and a second payment (refused once paid, taken while
/// the link is open).
async fn connect_and_pay(
    t: &T,
    (link_uuid, sl): (&str, &str),
    number: &str,
    wrong_first: bool,
    p: Payment<'_>,
) {
    let case = format!("paying from …{}", &number[number.len() - 2..]);
    let page = t.checkout_page(sl);
    let mut acc = page.connect("a", number).await;
    let uuid = acc["uuid"].as_str().unwrap().to_string();
    if number.ends_with('3') {
        // A checkout's new account ending in 3 waits for its deposit code.
        check_public(&acc, DEPOSIT, Some(3), &case);
        if wrong_first {
            let wrong = page.authenticate(&uuid, "27").await;
            refused_at(
                &wrong,
                StatusCode::UNPROCESSABLE_ENTITY,
                "WRONG_CODE",
                "otp",
            );
        }
        acc = expect(page.authenticate(&uuid, "72").await, StatusCode::OK);
    }
    // Every other number connects in a checkout.
    check_public(&acc, CONNECTED, None, &case);
    let list = page.accounts().await;
    assert!(listed(&list, &uuid), "{case}: {list}");
    let pay = pay_from(&json!(uuid));
    let paid = expect(page.pay("p1", pay.clone()).await, StatusCode::OK);
    assert_eq!(
        (paid["status"].clone(), paid["remarks"].clone()),
        (json!(p.status), json!(p.remark)),
        "{case}: {paid}"
    );
    assert!(paid.get("decline_reason").is_none(), "{case}: {paid}");
    assert_eq!(paid["account_code"], acc["code"], "{case}");
    let trx = paid["transaction_uuid"].as_str().unwrap().to_string();
    let stored: (String, Option<String>, Option<String>) = t.db(|c| {
        c.query_row(
            "SELECT status, remarks, account_uuid FROM transactions WHERE uuid = ?1",
            link_server::params![&trx],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .unwrap()
    });
    assert_eq!(
        (stored.0.as_str(), stored.1.as_deref(), stored.2.as_deref()),
        (p.status, p.remark, Some(uuid.as_str())),
        "{case}"
    );
    let m = merchant_link(t, "checkout", link_uuid).await;
    let mt = &m["transaction"];
    assert_eq!(mt["uuid"], trx.as_str(), "{case}");
    assert_eq!(mt["status"], p.status, "{case}: {mt}");
    assert_eq!(mt["remarks"], json!(p.remark), "{case}: {mt}");
    assert_eq!(mt["funding_source"], uuid.as_str(), "{case}: {mt}");
    // The checkout page documents `decline_reason`: always null, the reason is `remarks`.
    assert_eq!(mt.get("decline_reason"), Some(&Value::Null), "{case}: {mt}");
    let (delivery, state, outcome) = if p.pays {
        ("COMPLETED", "COMPLETED", paid.clone())
    } else {
        ("OPENED", "OPEN", Value::Null)
    };
    assert_eq!(m["delivery_status"], delivery, "{case}");
    let v = page.view().await;
    assert_eq!(v["state"], state, "{case}");
    assert_eq!(v["outcome"], outcome, "{case}");
    assert_eq!(v["transaction"]["status"], p.status, "{case}");
    let (s, again) = page.pay("p2", pay).await;
    if p.pays {
        // A paid link takes no second payment.
        refused(&(s, again), StatusCode::CONFLICT, "LINK_COMPLETED");
    } else {
        assert_eq!(
            (s, again["status"].clone()),
            (StatusCode::OK, json!(p.status)),
            "{case}: an unpaid link takes another try"
        );
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn the_transaction_tables_by_the_paying_accounts_last_digits() {
    // No rate limits: walking a table writes more than one person would.
    let t = T::unlimited().await;
    // Every row but 2 (it waits for the institution: the approval test
    // below) and 5 (it cannot connect: the test after this one).
    let rows = [
        ("01", "CREATED", None, false),
        ("04", "SUCCESSFUL", None, true),
        ("07", "REFUNDING", None, true),
        ("08", "REFUNDED", None, true),
        (
            "09",
            "DISPUTED",
            Some("NOT_IN_ACCORDANCE_WITH_TERMS_OF_AUTHORIZATION"),
            true,
        ),
        (
            "00",
            "REVERSED",
            Some("UNAUTHORIZED_OR_NOT_KNOWN_TO_RECEIVER"),
            true,
        ),
        (
            "13",
            "CANCELED",
            Some("AUTHORIZATION_REVOKED_BY_CUSTOMER"),
            false,
        ),
        ("23", "CANCELED", Some("ACCOUNT_NOT_CONNECTED"), false),
        (
            "33",
            "CANCELED",
            Some("UNAUTHORIZED_OR_NOT_KNOWN_TO_RECEIVER"),
            false,
        ),
        ("43", "CANCELED", Some("INSTITUTION_NOT_SUPPORTED"), false),
        ("53", "CANCELED", Some("BILLING_SUSPENSION"), false),
        ("63", "CANCELED", Some("COUNTRY_NOT_ENABLED"), false),
        ("03", "CANCELED", Some("REQUESTED_BY_MERCHANT"), false),
        ("16", "FAILED", Some("EXCEEDS_ACCOUNT_LIMIT"), false),
        ("26", "FAILED", Some("ACCOUNT_NOT_CONNECTED"), false),
        ("36", "FAILED", Some("ACCOUNT_BLOCKED"), false),
        ("46", "FAILED", Some("ACCOUNT_CLOSED"), false),
        ("56", "FAILED", Some("UNABLE_TO_LOCATE_ACCOUNT"), false),
        ("66", "FAILED", Some("UNABLE_TO_LOCATE_CUSTOMER"), false),
        (
            "76",
            "FAILED",
            Some("ACCOUNT_DOES_NOT_BELONG_TO_CUSTOMER"),
            false,
        ),
        ("86", "FAILED", Some("INVALID_ACCOUNT_NUMBER"), false),
    ];
    for (i, (last, status, remark, pays)) in rows.into_iter().enumerate() {
        // The amount varies and chooses nothing.
        let (link_uuid, sl) = new_checkout_link(&t, 2_000_000 + 1_311 * i as u64).await;
        let number = format!("40000000{last}");
        let p = Payment {
            status,
            remark,
            pays,
        };
        connect_and_pay(&t, (&link_uuid, &sl), &number, last == "13", p).await;
    }
    t.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_number_ending_in_5_cannot_connect_in_a_checkout_and_pays_processing_once_connected() {
    use druo_core::status::{PaymentStatus, TransactionRemark};
    // No rate limits: walking a table writes more than one person would.
    let t = T::unlimited().await;
    let (link_uuid, sl) = new_checkout_link(&t, 2_000_000).await;
    let page = t.checkout_page(&sl);
    let a = page.connect("a", "4000000005").await;
    let failed = Expect {
        status: "CONNECTION_FAILED",
        remark: Some("UNABLE_TO_LOCATE_ACCOUNT"),
        action: None,
    };
    check_public(&a, failed, None, "…05 in a checkout");
    let uuid = a["uuid"].as_str().unwrap().to_string();
    assert!(!listed(&page.accounts().await, &uuid));
    let pay = pay_from(&json!(uuid));
    let early = page.pay("p", pay.clone()).await;
    let not_connected = "ACCOUNT_NOT_CONNECTED";
    refused_at(
        &early,
        StatusCode::BAD_REQUEST,
        not_connected,
        "account_uuid",
    );
    let m = merchant_link(&t, "checkout", &link_uuid).await;
    assert_eq!(m["transaction"]["status"], "PENDING");
    assert_eq!(m["transaction"]["funding_source"], Value::Null);
    assert_eq!(page.view().await["state"], "OPEN");

    // The PROCESSING row: no sandbox table connects a number ending in 5,
    // so the store is told it is connected (as an account connected
    // outside the sandbox would be) and pays through the store.
    let (trx, payer) = (
        m["transaction"]["uuid"].as_str().unwrap().to_string(),
        m["end_user"]["uuid"].as_str().unwrap().to_string(),
    );
    let now = link_server::clock::now_ms();
    let paid = {
        let uuid = uuid.clone();
        t.db(move |c| {
            c.execute(
                "UPDATE accounts SET current_status = 'CONNECTED', remarks = NULL WHERE uuid = ?1",
                link_server::params![&uuid],
            )
            .unwrap();
            link_server::store::payments::pay(c, &trx, &payer, &uuid, now).unwrap()
        })
    };
    assert_eq!(
        (paid.transaction.status, paid.transaction.remarks),
        (
            PaymentStatus::Processing,
            Some(TransactionRemark::UnableToLocateAccount)
        )
    );
    assert!(paid.transaction.status.pays_link());
    let m = merchant_link(&t, "checkout", &link_uuid).await;
    assert_eq!(m["transaction"]["status"], "PROCESSING");
    assert_eq!(m["transaction"]["remarks"], "UNABLE_TO_LOCATE_ACCOUNT");
    assert_eq!(m["transaction"]["funding_source"], uuid.as_str());

    // And over HTTP, on another link, from the account now connected: the
    // payment is in flight, so the link is paid.
    let (link_uuid, sl) = new_checkout_link(&t, 2_000_000).await;
    let page = t.checkout_page(&sl);
    let r = expect(page.pay("p", pay.clone()).await, StatusCode::OK);
    assert_eq!(
        (r["status"].clone(), r["remarks"].clone()),
        (json!("PROCESSING"), json!("UNABLE_TO_LOCATE_ACCOUNT"))
    );
    let m = merchant_link(&t, "checkout", &link_uuid).await;
    assert_eq!(m["delivery_status"], "COMPLETED");
    assert_eq!(m["transaction"]["status"], "PROCESSING");
    assert_eq!(m["transaction"]["remarks"], "UNABLE_TO_LOCATE_ACCOUNT");
    let v = page.view().await;
    assert_eq!(
        (v["state"].clone(), v["outcome"].clone()),
        (json!("COMPLETED"), r)
    );
    let again = page.pay("p2", pay).await;
    refused(&again, StatusCode::CONFLICT, "LINK_COMPLETED");
    t.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn the_deposit_code_is_72_and_the_third_wrong_code_ends_the_account() {
    // No rate limits: walking a table writes more than one person would.
    let t = T::unlimited().await;

    // Wrong, wrong, then 72: connected, and the held link completes.
    let (link_uuid, sl) = new_connect_link(&t).await;
    let page = t.connect_page(&sl);
    let a = page.connect("k", "1234567893").await;
    check_public(&a, DEPOSIT, Some(3), "deposit");
    let uuid = a["uuid"].as_str().unwrap().to_string();
    let v = page.view().await;
    assert_eq!(
        (v["state"].clone(), v["outcome"]["uuid"].clone()),
        (json!("OPEN"), json!(uuid))
    );
    check_merchant(
        &merchant_account(&t, &uuid).await,
        DEPOSIT,
        "CONNECT_LINK",
        "deposit",
    );
    let code = page.path(&format!("/accounts/{uuid}/authenticate"));
    // No code at all is not a wrong code.
    let none = t.public(Method::POST, &code, None, Some(json!({}))).await;
    refused_at(&none, StatusCode::BAD_REQUEST, "OTP_REQUIRED", "otp");
    let now = expect(page.account(&uuid).await, StatusCode::OK);
    check_public(&now, DEPOSIT, Some(3), "no code");
    for (wrong, left) in [("27", 2), ("7 2", 1)] {
        let e = page.authenticate(&uuid, wrong).await;
        refused_at(&e, StatusCode::UNPROCESSABLE_ENTITY, "WRONG_CODE", "otp");
        let now = expect(page.account(&uuid).await, StatusCode::OK);
        check_public(&now, DEPOSIT, Some(left), wrong);
        assert_eq!(t.stored_account(&uuid).0, "VERIFICATION_IN_PROGRESS");
    }
    let done = expect(page.authenticate(&uuid, "72").await, StatusCode::OK);
    check_public(&done, CONNECTED, None, "72");
    assert_eq!(t.stored_account(&uuid), ("CONNECTED".to_string(), None));
    let v = page.view().await;
    assert_eq!(v["state"], "COMPLETED");
    check_public(&v["outcome"], CONNECTED, None, "72, reopened");
    assert_eq!(
        merchant_link(&t, "connect", &link_uuid).await["delivery_status"],
        "COMPLETED"
    );
    check_merchant(
        &merchant_account(&t, &uuid).await,
        CONNECTED,
        "CONNECT_LINK",
        "72",
    );

    // Wrong three times: the account ends, and the link reopens.
    let (link_uuid, sl) = new_connect_link(&t).await;
    let page = t.connect_page(&sl);
    let a = page.connect("k", "1234567893").await;
    check_public(&a, DEPOSIT, Some(3), "three wrong codes");
    let uuid = a["uuid"].as_str().unwrap().to_string();
    for wrong in ["11", "22"] {
        let e = page.authenticate(&uuid, wrong).await;
        refused(&e, StatusCode::UNPROCESSABLE_ENTITY, "WRONG_CODE");
    }
    let ended = Expect {
        status: "CONNECTION_FAILED",
        remark: Some("AUTHENTICATION_FAILED"),
        action: None,
    };
    let last = expect(page.authenticate(&uuid, "33").await, StatusCode::OK);
    check_public(&last, ended, None, "third wrong code");
    check_stored(&t, &uuid, ended, "third wrong code");
    check_merchant(
        &merchant_account(&t, &uuid).await,
        ended,
        "CONNECT_LINK",
        "third wrong code",
    );
    // The right code comes too late.
    let late = expect(page.authenticate(&uuid, "72").await, StatusCode::OK);
    check_public(&late, ended, None, "72 after the end");
    let v = page.view().await;
    assert_eq!(v["state"], "OPEN", "{v}");
    // The page no longer waits for a code: it shows the ended attempt, if
    // anything.
    assert!(
        v["outcome"].is_null() || v["outcome"]["current_status"] == "CONNECTION_FAILED",
        "{v}"
    );
    assert_eq!(
        merchant_link(&t, "connect", &link_uuid).await["delivery_status"],
        "OPENED"
    );
    // The same number again is a new attempt, with three codes of its own.
    let b = page.connect("k2", "1234567893").await;
    assert_ne!(b["uuid"], a["uuid"]);
    check_public(&b, DEPOSIT, Some(3), "again");
    let b_uuid = b["uuid"].as_str().unwrap();
    let done = expect(page.authenticate(b_uuid, " 72 ").await, StatusCode::OK);
    check_public(&done, CONNECTED, None, "again, 72");
    let v = page.view().await;
    assert_eq!(
        (v["state"].clone(), v["outcome"]["uuid"].clone()),
        (json!("COMPLETED"), b["uuid"].clone())
    );
    t.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn the_institution_approves_ten_seconds_after_the_request() {
    // No rate limits: walking a table writes more than one person would.
    let t = T::unlimited().await;

    // A connect link's account ending in 2: held while the institution
    // has not approved; nothing the person sends approves it.
    let (link_uuid, sl) = new_connect_link(&t).await;
    let page = t.connect_page(&sl);
    let a = page.connect("k", "1234567892").await;
    check_public(&a, WAITING, None, "connect …2");
    let connect_uuid = a["uuid"].as_str().unwrap().to_string();
    for action in ["refresh", "authenticate"] {
        let path = page.path(&format!("/accounts/{connect_uuid}/{action}"));
        let still = t
            .public(Method::POST, &path, None, Some(json!({"otp": "72"})))
            .await;
        check_public(&expect(still, StatusCode::OK), WAITING, None, action);
    }
    let v = page.view().await;
    assert_eq!(
        (v["state"].clone(), v["outcome"]["uuid"].clone()),
        (json!("OPEN"), json!(connect_uuid))
    );
    assert_eq!(
        merchant_link(&t, "connect", &link_uuid).await["delivery_status"],
        "OPENED"
    );
    check_merchant(
        &merchant_account(&t, &connect_uuid).await,
        WAITING,
        "CONNECT_LINK",
        "connect …2",
    );

    // A checkout's new account ending in 2: it cannot pay yet.
    let (checkout_uuid, checkout_sl) = new_checkout_link(&t, 2_000_000).await;
    let payer_page = t.checkout_page(&checkout_sl);
    let p = payer_page.connect("a", "4000000002").await;
    check_public(&p, WAITING, None, "checkout …02");
    let payer_uuid = p["uuid"].as_str().unwrap().to_string();
    let pay = pay_from(&json!(payer_uuid));
    let early = payer_page.pay("early", pay.clone()).await;
    refused(&early, StatusCode::BAD_REQUEST, "ACCOUNT_NOT_CONNECTED");

    // A validation ending in 2.
    let validate = validation("1234567892");
    let v = t.post_ok("/accounts/validate", validate.clone()).await;
    let validation_pending = Expect {
        status: "VALIDATION_PENDING",
        remark: None,
        action: Some(INSTITUTION),
    };
    check_merchant(
        &v["account"],
        validation_pending,
        "MERCHANT_API",
        "validate …2",
    );
    let validated_uuid = v["account"]["uuid"].as_str().unwrap().to_string();

    // The one wait of the suite.
    tokio::time::sleep(PAST_THE_APPROVAL).await;

    let connect = async {
        // Reading the link reads its account: approved, it connects and
        // completes the link held for it.
        let v = page.view().await;
        assert_eq!(v["state"], "COMPLETED", "{v}");
        assert_eq!(v["outcome"]["uuid"], connect_uuid.as_str());
        check_public(&v["outcome"], CONNECTED, None, "connect …2, approved");
        assert_eq!(
            t.stored_account(&connect_uuid),
            ("CONNECTED".to_string(), None)
        );
        let m = merchant_link(&t, "connect", &link_uuid).await;
        assert_eq!(m["delivery_status"], "COMPLETED");
        check_merchant(
            &merchant_account(&t, &connect_uuid).await,
            CONNECTED,
            "CONNECT_LINK",
            "connect …2, approved",
        );
    };
    let checkout = async {
        let ready = expect(payer_page.refresh(&payer_uuid).await, StatusCode::OK);
        check_public(&ready, CONNECTED, None, "checkout …02, approved");
        assert!(listed(&payer_page.accounts().await, &payer_uuid));
        // The PENDING row: waiting on the payer's approval, and it pays
        // the link.
        let r = expect(payer_page.pay("p", pay.clone()).await, StatusCode::OK);
        assert_eq!(
            (r["status"].clone(), r["remarks"].clone()),
            (json!("PENDING"), Value::Null)
        );
        let m = merchant_link(&t, "checkout", &checkout_uuid).await;
        assert_eq!(m["delivery_status"], "COMPLETED");
        assert_eq!(m["transaction"]["status"], "PENDING");
        assert_eq!(m["transaction"]["remarks"], Value::Null);
        assert_eq!(m["transaction"]["funding_source"], payer_uuid.as_str());
        let v = payer_page.view().await;
        assert_eq!(
            (v["state"].clone(), v["outcome"].clone()),
            (json!("COMPLETED"), r)
        );
        let again = payer_page.pay("p2", pay.clone()).await;
        refused(&again, StatusCode::CONFLICT, "LINK_COMPLETED");
    };
    let validation = async {
        let validated = Expect {
            status: "VALIDATED",
            remark: None,
            action: None,
        };
        check_merchant(
            &merchant_account(&t, &validated_uuid).await,
            validated,
            "MERCHANT_API",
            "validate …2, approved",
        );
        // Validating the same number again answers the same account.
        let v = t.post_ok("/accounts/validate", validate.clone()).await;
        assert_eq!(v["account"]["uuid"], validated_uuid.as_str());
        check_merchant(
            &v["account"],
            validated,
            "MERCHANT_API",
            "validate …2 again",
        );
        assert_eq!(
            t.stored_account(&validated_uuid),
            ("VALIDATED".to_string(), None)
        );
    };
    tokio::join!(connect, checkout, validation);
    t.stop().await;
}
