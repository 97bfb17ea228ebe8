//! Reading outcomes on the merchant API: one connect or checkout link, a
//! payment, an account, an end user, the account and end-user lists (their
//! filters and pages), expiring a link, disconnecting an account,
//! `POST /accounts/connect` and `PUT /accounts/authenticate`. Every read
//! is the merchant's own: another merchant's id answers like an unknown
//! one. Run alone with `cargo test -p link-server --test merchant_reads`.

mod common;

use common::page::{refused, refused_at, refused_field};
use common::writes::{account as submit, DAVIVIENDA, END_USER as EUR, TENANT};
use common::{slug, Ask, Side, T};
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};
use std::collections::BTreeSet;
const UNKNOWN_ACCOUNT: &str = "acc_00000000-0000-4000-8000-000000000000";

/// A validate/connect body for `number`, plus `extra`.
fn account_body(number: &str, extra: Value) -> Value {
    let mut b = json!({
        "user_authorization": true, "institution_uuid": DAVIVIENDA, "type": "DEPOSITORY",
        "subtype": "SAVINGS", "account_number": number, "existing_end_user_id": EUR
    });
    b.as_object_mut()
        .unwrap()
        .extend(extra.as_object().unwrap().clone());
    b
}

/// `POST /accounts/connect`'s account.
async fn connect(t: &T, number: &str, extra: Value) -> Value {
    let body = account_body(number, extra);
    t.post_ok("/accounts/connect", body).await["account"].clone()
}

async fn put(t: &T, path: &str, token: &str, body: Option<Value>) -> (StatusCode, Value) {
    t.merchant(Method::PUT, path, token, body).await
}

/// `PUT /accounts/authenticate` as DRUO's curl example sends it: bearer
/// token, JSON body, no `DRUO-Version`.
async fn authenticate(t: &T, token: &str, body: Value) -> (StatusCode, Value) {
    t.send(authenticating(token).json(body)).await.parsed()
}

/// `PUT /accounts/authenticate` with bearer `token`, and nothing more.
fn authenticating(token: &str) -> Ask {
    Ask::new(Method::PUT, Side::Api, "/accounts/authenticate").bearer(token)
}

fn s(v: &Value) -> String {
    v.as_str().unwrap().to_string()
}

/// `expired` as a truth value (DRUO spells it `"TRUE"`/`"FALSE"`).
fn expired(link: &Value) -> bool {
    match &link["expired"] {
        Value::Bool(b) => *b,
        Value::String(x) => x == "TRUE",
        other => panic!("expired is {other}"),
    }
}

fn uuids(list: &Value) -> Vec<String> {
    list.as_array()
        .unwrap()
        .iter()
        .map(|x| s(&x["uuid"]))
        .collect()
}

/// A 404 exactly like an unknown id's.
fn assert_not_found(got: (StatusCode, Value), unknown: (StatusCode, Value)) {
    assert_eq!(got.0, StatusCode::NOT_FOUND, "{}", got.1);
    assert_eq!(got.1["code"], "NOT_FOUND");
    assert_eq!(got, unknown);
}

/// Every page of `path` (which has a query) of `page_size`, in order.
async fn all_pages(t: &T, path: &str, key: &str, page_size: usize) -> Vec<String> {
    let mut out = Vec::new();
    let mut after: Option<String> = None;
    loop {
        let url = match &after {
            Some(a) => format!("{path}&page_size={page_size}&starting_after={a}"),
            None => format!("{path}&page_size={page_size}"),
        };
        let v = t.get_ok(&url).await;
        let page = uuids(&v[key]);
        assert!(page.len() <= page_size);
        assert_eq!(v["page_info"]["page_size"], page_size);
        out.extend(page);
        if v["page_info"]["has_next_page"] == true {
            after = Some(s(&v["page_info"]["next_starting_after"]));
        } else {
            assert_eq!(v["page_info"]["next_starting_after"], Value::Null);
            return out;
        }
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_connect_link_is_read_and_expired() {
    let t = T::new().await;
    let other = t.other_merchant();
    let l = t.connect_link(json!({"primary_reference": "READ-1"})).await;
    let uuid = s(&l["uuid"]);
    let v = t.get_ok(&format!("/connect/link/{uuid}")).await;
    assert_eq!(v.as_object().unwrap().len(), 1, "one top-level key: {v}");
    assert_eq!(v["connect_link"], l, "the object create answered");
    assert!(!expired(&v["connect_link"]));

    // Another merchant: as if it did not exist, and it cannot expire it.
    let unknown = t.get("/connect/link/clk_unknown").await;
    let theirs = t.get_as(&other, &format!("/connect/link/{uuid}")).await;
    assert_not_found(theirs, unknown.clone());
    let expire = format!("/connect/link/{uuid}/expire");
    let theirs = put(&t, &expire, &other, None).await;
    assert_eq!(theirs.0, StatusCode::NOT_FOUND);
    assert_eq!(theirs.1, unknown.1);
    assert_eq!(
        put(&t, "/connect/link/clk_unknown/expire", &t.token, None)
            .await
            .0,
        StatusCode::NOT_FOUND
    );
    let (_, v) = t.get(&format!("/connect/link/{uuid}")).await;
    assert!(!expired(&v["connect_link"]));

    let (st, v) = put(&t, &expire, &t.token, None).await;
    assert_eq!(st, StatusCode::OK, "{v}");
    let link = &v["connect_link"];
    assert_eq!(link["uuid"], l["uuid"]);
    assert!(expired(link), "{link}");
    assert_ne!(link["expiration_date"], Value::Null);
    // Stored: later reads agree, and expiring again changes nothing.
    let (_, again) = t.get(&format!("/connect/link/{uuid}")).await;
    assert!(expired(&again["connect_link"]));
    assert_eq!(
        again["connect_link"]["expiration_date"],
        link["expiration_date"]
    );
    let (st, twice) = put(&t, &expire, &t.token, None).await;
    assert_eq!(st, StatusCode::OK);
    assert_eq!(
        twice["connect_link"]["expiration_date"],
        link["expiration_date"]
    );
    let (_, listed) = t.get(&format!("/connect/link/list?uuid={uuid}")).await;
    assert!(expired(&listed["connect_links"][0]));

    // The page shows it expired and refuses a submit.
    let page = t.connect_page(&slug(&l["url"]));
    assert_eq!(page.view().await["state"], "EXPIRED");
    let late = page.submit("k1", submit("1002003004")).await;
    refused(&late, StatusCode::GONE, "LINK_EXPIRED");
    t.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_checkout_link_and_its_payment_are_read() {
    let t = T::new().await;
    let other = t.other_merchant();
    let l = t
        .checkout_link(
            json!({"existing_end_user_id": EUR, "link_name": "Order #7",
                   "transaction": {"tenant_id": TENANT, "amount": 150000, "description": "Renewal"}}),
        )
        .await;
    let uuid = s(&l["uuid"]);
    let v = t.get_ok(&format!("/checkout/link/{uuid}")).await;
    assert_eq!(v.as_object().unwrap().len(), 1);
    assert_eq!(v["checkout_link"], l);
    let unknown = t.get("/checkout/link/chk_unknown").await;
    let theirs = t.get_as(&other, &format!("/checkout/link/{uuid}")).await;
    assert_not_found(theirs, unknown);

    let trx = s(&l["transaction"]["uuid"]);
    let v = t.get_ok(&format!("/payments/{trx}")).await;
    assert_eq!(v.as_object().unwrap().len(), 1);
    let p = &v["payment"];
    assert_eq!(*p, l["transaction"], "the object the link shows");
    for field in [
        "uuid",
        "code",
        "status",
        "tenant",
        "type",
        "creation_source",
        "amount",
        "variable_fee",
        "fixed_fee",
        "total_fee",
        "net_amount",
        "currency",
        "description",
        "remarks",
        "funding_source",
        "statement_descriptor",
    ] {
        assert!(p.get(field).is_some(), "payment.{field}: {p}");
    }
    assert_eq!(p["status"], "PENDING");
    assert_eq!(p["type"], "PAYMENT");
    assert_eq!(p["amount"], 150000);
    assert_eq!(p["tenant"]["uuid"], TENANT);
    assert_eq!(p["currency"]["code"], "COP");
    for fee in ["variable_fee", "fixed_fee", "total_fee", "net_amount"] {
        assert_eq!(p[fee], Value::Null, "{fee}");
    }
    assert_eq!(p["remarks"], Value::Null);
    assert_eq!(p["funding_source"], Value::Null);

    // Paid on the page from an account ending in 16: FAILED, with the
    // remark and the paying account.
    let page = t.checkout_page(&slug(&l["url"]));
    let acc = page.connect("a1", "4000000016").await;
    page.paid("p1", &acc["uuid"]).await;
    let (_, v) = t.get(&format!("/payments/{trx}")).await;
    assert_eq!(v["payment"]["status"], "FAILED");
    assert_eq!(v["payment"]["remarks"], "EXCEEDS_ACCOUNT_LIMIT");
    assert_eq!(v["payment"]["funding_source"], acc["uuid"]);

    let unknown = t.get("/payments/trx_unknown").await;
    let theirs = t.get_as(&other, &format!("/payments/{trx}")).await;
    assert_not_found(theirs, unknown);
    t.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn accounts_connect_and_read_in_the_documented_shape() {
    let t = T::new().await;
    let other = t.other_merchant();
    let a = connect(&t, "1002003004", json!({"primary_reference": "ACC-1"})).await;
    assert_eq!(a["current_status"], "CONNECTED");
    assert_eq!(a["requires_account_validation"], "FALSE");
    assert_eq!(a["pending_account_validations"], Value::Null);
    assert_eq!(a["capabilities"], json!(["PAYMENTS"]));
    assert_eq!(a["creation_source"], "MERCHANT_API");
    let uuid = s(&a["uuid"]);
    let v = t.get_ok(&format!("/accounts/{uuid}")).await;
    assert_eq!(v.as_object().unwrap().len(), 1);
    let got = &v["account"];
    for field in [
        "uuid",
        "code",
        "current_status",
        "requires_account_validation",
        "pending_account_validations",
        "remarks",
        "institution",
        "last_4",
        "type",
        "subtype",
        "capabilities",
        "end_user",
        "primary_reference",
        "secondary_reference",
        "metadata",
    ] {
        assert!(got.get(field).is_some(), "account.{field}: {got}");
    }
    assert_eq!(got["institution"]["uuid"], DAVIVIENDA);
    assert!(got["institution"]["name"].is_string());
    assert_eq!(got["last_4"], "3004");
    assert_eq!(got["type"], "DEPOSITORY");
    assert_eq!(got["subtype"], "SAVINGS");
    assert_eq!(got["end_user"]["uuid"], EUR);
    assert_eq!(got["primary_reference"], "ACC-1");

    // The same body as validate, with a trailing slash too, under the
    // connection table: a number ending in 2 waits for the institution.
    let v = t
        .post_ok("/accounts/connect/", account_body("1002003002", json!({})))
        .await;
    assert_eq!(v["account"]["current_status"], "VERIFICATION_PENDING");
    assert_eq!(v["account"]["requires_account_validation"], "TRUE");
    assert_eq!(
        v["account"]["pending_account_validations"][0]["action"],
        "CONFIRM_REQUEST_WITH_INSTITUTION"
    );
    // Validate keeps the validation table.
    let v = t
        .post_ok("/accounts/validate", account_body("1002003114", json!({})))
        .await;
    assert_eq!(v["account"]["current_status"], "VALIDATED");
    // The body's rules are validate's.
    let (st, v) = t
        .post(
            "/accounts/connect",
            account_body("12-34", json!({"user_authorization": true})),
        )
        .await;
    refused_field(&(st, v), StatusCode::BAD_REQUEST, "account_number");

    let unknown = t.get(&format!("/accounts/{UNKNOWN_ACCOUNT}")).await;
    let theirs = t.get_as(&other, &format!("/accounts/{uuid}")).await;
    assert_not_found(theirs, unknown);
    // Another merchant cannot attach an account to this merchant's end user.
    let (st, v) = t
        .post_as(
            &other,
            "/accounts/connect",
            account_body("1002003004", json!({})),
        )
        .await;
    refused_field(&(st, v), StatusCode::BAD_REQUEST, "existing_end_user_id");
    t.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn accounts_are_listed_with_filters_and_pages() {
    let t = T::new().await;
    let other = t.other_merchant();
    let (_, eu) = t
        .post(
            "/end-users/create",
            json!({"first_name": "Lucía", "email": "Lucia.List@example.com", "local_id": "7788"}),
        )
        .await;
    let eu = eu["end_user"].clone();
    let mine = |n: &str, extra: Value| {
        let mut b = json!({"existing_end_user_id": eu["uuid"]});
        b.as_object_mut()
            .unwrap()
            .extend(extra.as_object().unwrap().clone());
        (n.to_string(), b)
    };
    let specs = [
        mine("1002003004", json!({"primary_reference": "P-1"})),
        mine(
            "1002003014",
            json!({"subtype": "CHECKING", "secondary_reference": "batch-42-x"}),
        ),
        mine("1002003005", json!({})),
        mine("1002003003", json!({})),
        mine("1002003024", json!({})),
    ];
    let mut made = Vec::new();
    for (n, extra) in specs {
        made.push(connect(&t, &n, extra).await);
    }
    let ids: Vec<String> = made.iter().map(|a| s(&a["uuid"])).collect();
    let by = format!("/accounts/list?end_user_uuid={}", s(&eu["uuid"]));

    let v = t.get_ok(&by).await;
    let mut keys: Vec<&str> = v.as_object().unwrap().keys().map(String::as_str).collect();
    keys.sort();
    assert_eq!(keys, ["accounts", "page_info"]);
    let newest_first: Vec<String> = ids.iter().rev().cloned().collect();
    assert_eq!(uuids(&v["accounts"]), newest_first);
    assert_eq!(v["page_info"]["page_size"], 25);
    assert_eq!(v["page_info"]["has_next_page"], false);
    assert_eq!(v["accounts"][0], made[4], "each item is the account object");

    let one = |q: &str| format!("{by}&{q}");
    let cases: Vec<(String, Vec<&String>)> = vec![
        (
            one("current_status=CONNECTED"),
            vec![&ids[4], &ids[1], &ids[0]],
        ),
        (one("current_status=connection_failed"), vec![&ids[2]]),
        (
            one("current_status=VERIFICATION_IN_PROGRESS"),
            vec![&ids[3]],
        ),
        (one("subtype=checking"), vec![&ids[1]]),
        (one("type=DEPOSITORY&last_4=3014"), vec![&ids[1]]),
        (one("last_4=3004"), vec![&ids[0]]),
        (one("primary_reference=P-1"), vec![&ids[0]]),
        (one("secondary_reference=42"), vec![&ids[1]]),
        (one(&format!("uuid={}", ids[2])), vec![&ids[2]]),
        (one(&format!("code={}", s(&made[3]["code"]))), vec![&ids[3]]),
        (
            one(&format!("institution_uuid={DAVIVIENDA}&last_4=3005")),
            vec![&ids[2]],
        ),
        (one("institution_uuid=ins_other"), vec![]),
        (one("date_from=2999-01-01"), vec![]),
        (one("date_to=2000-01-01"), vec![]),
        (one("date_from=2000-01-01&last_4=3004"), vec![&ids[0]]),
        (one("type=LOAN"), vec![]),
        (
            "/accounts/list?end_user_email=lucia.list@EXAMPLE.com&last_4=3004".into(),
            vec![&ids[0]],
        ),
        (
            format!(
                "/accounts/list?end_user_code={}&last_4=3005",
                s(&eu["code"])
            ),
            vec![&ids[2]],
        ),
        (
            "/accounts/list?end_user_local_id=7788&last_4=3024".into(),
            vec![&ids[4]],
        ),
    ];
    for (q, want) in cases {
        let (st, v) = t.get(&q).await;
        assert_eq!(st, StatusCode::OK, "{q}: {v}");
        let want: Vec<String> = want.into_iter().cloned().collect();
        assert_eq!(uuids(&v["accounts"]), want, "{q}");
    }

    // Pages of two: every account once, newest first.
    assert_eq!(all_pages(&t, &by, "accounts", 2).await, newest_first);
    assert_eq!(all_pages(&t, &by, "accounts", 5).await, newest_first);
    let (_, v) = t.get(&format!("{by}&page_size=5")).await;
    assert_eq!(v["page_info"]["has_next_page"], false);

    for (q, field) in [
        ("current_status=ACTIVE", "current_status"),
        ("subtype=LOAN", "subtype"),
        ("date_from=yesterday", "date_from"),
        ("page_size=0", "page_size"),
        ("page_size=101", "page_size"),
        ("starting_after=acc_nope", "starting_after"),
    ] {
        let (st, v) = t.get(&format!("/accounts/list?{q}")).await;
        assert_eq!(st, StatusCode::BAD_REQUEST, "{q}: {v}");
        assert_eq!(v["field"], field, "{q}");
    }
    let (_, v) = t.get("/accounts/list?current_status=ACTIVE").await;
    assert!(v["message"].as_str().unwrap().contains("CONNECTED"), "{v}");
    // Unknown parameters are ignored.
    let (_, v) = t.get(&format!("{by}&delivery_status=OPENED&x=1")).await;
    assert_eq!(uuids(&v["accounts"]).len(), 5);

    // Another merchant lists none of them and cannot page from them.
    let (st, v) = t.get_as(&other, "/accounts/list").await;
    assert_eq!(st, StatusCode::OK);
    assert_eq!(v["accounts"], json!([]));
    let (st, v) = t
        .get_as(&other, &format!("/accounts/list?starting_after={}", ids[0]))
        .await;
    refused_field(&(st, v), StatusCode::BAD_REQUEST, "starting_after");
    t.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn the_list_sees_the_institution_approve_a_request() {
    let t = T::new().await;
    let a = connect(&t, "1002003002", json!({})).await;
    let uuid = s(&a["uuid"]);
    let q = format!("/accounts/list?uuid={uuid}&current_status=CONNECTED");
    let (_, v) = t.get(&q).await;
    assert_eq!(v["accounts"], json!([]));
    // Eleven seconds later the sandbox's institution has approved it: the
    // list sees it connected without anyone reading it first.
    let moved = uuid.clone();
    t.db(move |c| {
        c.execute(
            "UPDATE accounts SET created_ms = created_ms - 11000 WHERE uuid = ?1",
            link_server::params![&moved],
        )
        .unwrap()
    });
    let (_, v) = t.get(&q).await;
    assert_eq!(uuids(&v["accounts"]), vec![uuid]);
    assert_eq!(v["accounts"][0]["requires_account_validation"], "FALSE");
    assert_eq!(v["accounts"][0]["pending_account_validations"], Value::Null);
    t.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn end_users_are_read_and_listed_with_filters_and_pages() {
    let t = T::new().await;
    let other = t.other_merchant();
    let bodies = [
        json!({"first_name": "Ana", "last_name": "Gómez", "email": "ana@example.com", "local_id": "111",
               "primary_reference": "EU-1"}),
        json!({"type": "COMPANY", "organization": "Acme SAS", "email": "ops@acme.example",
               "secondary_reference": "crm-900-b"}),
        json!({"first_name": "Bruno", "last_name": "Gómez", "local_id": "222"}),
        json!({"type": "ORGANIZATION", "organization": "Beta Ltda"}),
    ];
    let mut made = Vec::new();
    for b in bodies {
        made.push(t.post_ok("/end-users/create", b).await["end_user"].clone());
    }
    let ids: Vec<String> = made.iter().map(|u| s(&u["uuid"])).collect();

    let v = t.get_ok(&format!("/end-users/{}", ids[0])).await;
    assert_eq!(v.as_object().unwrap().len(), 1);
    assert_eq!(v["end_user"], made[0], "the object create answered");
    for field in [
        "uuid",
        "code",
        "type",
        "first_name",
        "last_name",
        "organization",
        "local_id",
        "local_id_type",
        "local_id_country",
        "date_of_birth",
        "email",
        "phone_number",
        "address",
    ] {
        assert!(v["end_user"].get(field).is_some(), "end_user.{field}");
    }
    // The seeded reference end user is readable too.
    let (st, v) = t.get(&format!("/end-users/{EUR}")).await;
    assert_eq!(
        (st, v["end_user"]["uuid"].clone()),
        (StatusCode::OK, json!(EUR))
    );

    let unknown = t.get("/end-users/eur_unknown").await;
    let theirs = t.get_as(&other, &format!("/end-users/{}", ids[0])).await;
    assert_not_found(theirs, unknown);

    // Created in this test: after the seed's end user.
    let since = format!(
        "/end-users/list?date_from={}",
        s(&made[0]["date_created_gmt"])
    );
    let v = t.get_ok(&since).await;
    let mut keys: Vec<&str> = v.as_object().unwrap().keys().map(String::as_str).collect();
    keys.sort();
    assert_eq!(keys, ["end_users", "page_info"]);
    let newest_first: Vec<String> = ids.iter().rev().cloned().collect();
    assert_eq!(uuids(&v["end_users"]), newest_first);
    assert_eq!(v["end_users"][3], made[0]);

    let one = |q: &str| format!("{since}&{q}");
    let cases: Vec<(String, Vec<&String>)> = vec![
        (one("type=COMPANY"), vec![&ids[3], &ids[1]]),
        (one("type=organization"), vec![&ids[3], &ids[1]]),
        (one("type=individual"), vec![&ids[2], &ids[0]]),
        (one("email=ANA@example.com"), vec![&ids[0]]),
        (one("local_id=222"), vec![&ids[2]]),
        (one("first_name=bruno"), vec![&ids[2]]),
        (one("last_name=Gómez"), vec![&ids[2], &ids[0]]),
        (one("organization=acme sas"), vec![&ids[1]]),
        (one("primary_reference=EU-1"), vec![&ids[0]]),
        (one("secondary_reference=900"), vec![&ids[1]]),
        (one(&format!("uuid={}", ids[3])), vec![&ids[3]]),
        (one(&format!("code={}", s(&made[2]["code"]))), vec![&ids[2]]),
        (one("date_to=2000-01-01"), vec![]),
        // The token names the merchant: `merchant_id` changes nothing.
        (one("merchant_id=999&local_id=111"), vec![&ids[0]]),
        // A list of end users takes no end-user-of filters.
        (
            one("end_user_email=nobody@example.com"),
            newest_first.iter().collect(),
        ),
    ];
    for (q, want) in cases {
        let (st, v) = t.get(&q).await;
        assert_eq!(st, StatusCode::OK, "{q}: {v}");
        let want: Vec<String> = want.into_iter().cloned().collect();
        assert_eq!(uuids(&v["end_users"]), want, "{q}");
    }
    assert_eq!(all_pages(&t, &since, "end_users", 3).await, newest_first);
    // The seed's end user is on the last page of the whole list.
    let (_, v) = t.get("/end-users/list/").await;
    let all = uuids(&v["end_users"]);
    assert_eq!(all.last(), Some(&EUR.to_string()));
    assert_eq!(all.len(), 5);

    for (q, field) in [
        ("type=PERSON", "type"),
        ("date_to=soon", "date_to"),
        ("page_size=x", "page_size"),
        ("starting_after=eur_nope", "starting_after"),
    ] {
        let (st, v) = t.get(&format!("/end-users/list?{q}")).await;
        assert_eq!(st, StatusCode::BAD_REQUEST, "{q}: {v}");
        assert_eq!(v["field"], field, "{q}");
    }
    let (_, v) = t.get_as(&other, "/end-users/list").await;
    assert_eq!(v["end_users"], json!([]));
    t.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn accounts_are_disconnected_at_the_merchants_request() {
    let t = T::new().await;
    let other = t.other_merchant();
    let connected = connect(&t, "1002003004", json!({})).await;
    let uuid = s(&connected["uuid"]);
    let path = format!("/accounts/{uuid}/disconnect");

    let unknown = put(
        &t,
        &format!("/accounts/{UNKNOWN_ACCOUNT}/disconnect"),
        &t.token,
        None,
    )
    .await;
    let theirs = put(&t, &path, &other, None).await;
    assert_not_found(theirs, unknown);
    let (_, v) = t.get(&format!("/accounts/{uuid}")).await;
    assert_eq!(v["account"]["current_status"], "CONNECTED");

    let (st, v) = put(&t, &path, &t.token, None).await;
    assert_eq!(st, StatusCode::OK, "{v}");
    assert_eq!(v.as_object().unwrap().len(), 1);
    let a = &v["account"];
    assert_eq!(a["uuid"], connected["uuid"]);
    assert_eq!(a["current_status"], "DISCONNECTED");
    assert_eq!(a["remarks"], "REQUESTED_BY_MERCHANT");
    assert_eq!(a["requires_account_validation"], "FALSE");
    assert_eq!(a["capabilities"], json!([]));
    let (_, v) = t.get(&format!("/accounts/{uuid}")).await;
    assert_eq!(v["account"], *a, "stored");
    // Again: nothing changes.
    let (st, v) = put(&t, &path, &t.token, None).await;
    assert_eq!((st, &v["account"]), (StatusCode::OK, a));

    // A pending validation is cleared.
    let pending = connect(&t, "1002003003", json!({})).await;
    assert_eq!(pending["requires_account_validation"], "TRUE");
    let (st, v) = put(
        &t,
        &format!("/accounts/{}/disconnect", s(&pending["uuid"])),
        &t.token,
        None,
    )
    .await;
    assert_eq!(st, StatusCode::OK, "{v}");
    assert_eq!(v["account"]["current_status"], "DISCONNECTED");
    assert_eq!(v["account"]["requires_account_validation"], "FALSE");
    assert_eq!(v["account"]["pending_account_validations"], Value::Null);
    let slug = s(&pending["pending_account_validations"][0]["slug"]);
    let (st, _) = authenticate(
        &t,
        &t.token,
        json!({"account_uuid": pending["uuid"], "slug": slug, "otp": "72"}),
    )
    .await;
    assert_eq!(st, StatusCode::NOT_FOUND, "nothing is pending any more");

    // A disabled account cannot be disconnected.
    let disabled = connect(&t, "1002003000", json!({})).await;
    assert_eq!(disabled["current_status"], "DISABLED");
    let (st, v) = put(
        &t,
        &format!("/accounts/{}/disconnect", s(&disabled["uuid"])),
        &t.token,
        None,
    )
    .await;
    refused(&(st, v.clone()), StatusCode::CONFLICT, "ACCOUNT_DISABLED");
    assert!(v["message"].as_str().unwrap().contains("DISABLED"), "{v}");
    let (_, v) = t.get(&format!("/accounts/{}", s(&disabled["uuid"]))).await;
    assert_eq!(v["account"]["current_status"], "DISABLED");
    assert_eq!(v["account"]["remarks"], "ACCOUNT_BLOCKED");
    t.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_deposit_code_is_authenticated_without_a_version_header() {
    let t = T::new().await;
    let other = t.other_merchant();
    let a = connect(&t, "1002003003", json!({})).await;
    assert_eq!(a["current_status"], "VERIFICATION_IN_PROGRESS");
    assert_eq!(a["requires_account_validation"], "TRUE");
    let step = &a["pending_account_validations"][0];
    assert_eq!(step["action"], "CONFIRM_OTP_VIA_MICRODEPOSIT");
    let slug = s(&step["slug"]);
    let uuid = s(&a["uuid"]);
    let body = |otp: Value| json!({"account_uuid": uuid, "slug": slug, "otp": otp});

    // Refusals: missing fields, an unknown slug, another merchant's account.
    let (st, v) = authenticate(&t, &t.token, json!({"account_uuid": uuid, "slug": slug})).await;
    refused_at(&(st, v), StatusCode::BAD_REQUEST, "OTP_REQUIRED", "otp");
    let (st, v) = authenticate(&t, &t.token, json!({"account_uuid": uuid, "otp": "72"})).await;
    refused_field(&(st, v), StatusCode::BAD_REQUEST, "slug");
    let (st, v) = authenticate(&t, &t.token, json!({"slug": slug, "otp": "72"})).await;
    refused_field(&(st, v), StatusCode::BAD_REQUEST, "account_uuid");
    let (st, v) = authenticate(
        &t,
        &t.token,
        json!({"account_uuid": uuid, "slug": "not-a-slug", "otp": "72"}),
    )
    .await;
    refused(&(st, v), StatusCode::NOT_FOUND, "UNKNOWN_SLUG");
    let unknown = authenticate(
        &t,
        &t.token,
        json!({"account_uuid": UNKNOWN_ACCOUNT, "slug": slug, "otp": "72"}),
    )
    .await;
    let theirs = authenticate(&t, &other, body(json!("72"))).await;
    assert_not_found(theirs, unknown);
    let (st, _) = authenticate(&t, "wrong-token", body(json!("72"))).await;
    assert_eq!(st, StatusCode::UNAUTHORIZED);
    // A version that is sent is still checked.
    let old = authenticating(&t.token)
        .header("DRUO-Version", "2020-01-01")
        .json(body(json!("72")));
    let (st, v) = t.send(old).await.parsed();
    assert_eq!(st, StatusCode::BAD_REQUEST);
    assert_eq!(v["code"], "UNKNOWN_VERSION");
    // Every other call still requires it.
    let read = Ask::new(Method::GET, Side::Api, &format!("/accounts/{uuid}")).bearer(&t.token);
    assert_eq!(t.send(read).await.status, StatusCode::BAD_REQUEST);

    // A wrong code is counted, and committed.
    let (st, v) = authenticate(&t, &t.token, body(json!("27"))).await;
    let wrong = (st, v.clone());
    refused_at(
        &wrong,
        StatusCode::UNPROCESSABLE_ENTITY,
        "WRONG_CODE",
        "otp",
    );
    assert!(v["message"].as_str().unwrap().contains("2 attempts"), "{v}");
    let (st, v) = authenticate(&t, &t.token, body(json!("00"))).await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(v["message"].as_str().unwrap().contains("1 attempts"), "{v}");

    // DRUO's example code, as a number, with the version header this time.
    let (st, v) = t
        .merchant(
            Method::PUT,
            "/accounts/authenticate",
            &t.token,
            Some(body(json!(72))),
        )
        .await;
    assert_eq!(st, StatusCode::OK, "{v}");
    assert_eq!(
        v,
        json!({"status": "CONNECTED", "action": "CONFIRM_OTP_VIA_MICRODEPOSIT", "remarks": null})
    );
    let (_, v) = t.get(&format!("/accounts/{uuid}")).await;
    assert_eq!(v["account"]["current_status"], "CONNECTED");
    assert_eq!(v["account"]["requires_account_validation"], "FALSE");
    assert_eq!(v["account"]["pending_account_validations"], Value::Null);
    // Finished: the slug names nothing any more.
    let (st, v) = authenticate(&t, &t.token, body(json!("72"))).await;
    refused(&(st, v), StatusCode::NOT_FOUND, "UNKNOWN_SLUG");
    t.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn three_wrong_codes_fail_the_account() {
    let t = T::new().await;
    let a = connect(&t, "1002003003", json!({})).await;
    let body = json!({"account_uuid": a["uuid"], "slug": a["pending_account_validations"][0]["slug"], "otp": "1"});
    for _ in 0..2 {
        let (st, _) = authenticate(&t, &t.token, body.clone()).await;
        assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY);
    }
    let (st, v) = authenticate(&t, &t.token, body).await;
    assert_eq!(st, StatusCode::OK, "{v}");
    assert_eq!(
        v,
        json!({"status": "CONNECTION_FAILED", "action": "CONFIRM_OTP_VIA_MICRODEPOSIT",
               "remarks": "AUTHENTICATION_FAILED"})
    );
    t.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn an_institution_request_is_answered_while_pending_and_once_approved() {
    let t = T::new().await;
    let a = connect(&t, "1002003002", json!({})).await;
    let step = &a["pending_account_validations"][0];
    assert_eq!(step["action"], "CONFIRM_REQUEST_WITH_INSTITUTION");
    let body = json!({"account_uuid": a["uuid"], "slug": step["slug"]});
    // No `otp` is needed; the institution has not approved yet.
    let (st, v) = authenticate(&t, &t.token, body.clone()).await;
    assert_eq!(st, StatusCode::OK, "{v}");
    assert_eq!(
        v,
        json!({"status": "VERIFICATION_PENDING", "action": "CONFIRM_REQUEST_WITH_INSTITUTION", "remarks": null})
    );
    // Eleven seconds later it has.
    let uuid = s(&a["uuid"]);
    t.db(move |c| {
        c.execute(
            "UPDATE accounts SET created_ms = created_ms - 11000 WHERE uuid = ?1",
            link_server::params![&uuid],
        )
        .unwrap()
    });
    let (st, v) = authenticate(&t, &t.token, body).await;
    assert_eq!(st, StatusCode::OK, "{v}");
    assert_eq!(
        v,
        json!({"status": "CONNECTED", "action": "CONFIRM_REQUEST_WITH_INSTITUTION", "remarks": null})
    );
    t.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn the_new_paths_are_routed_exactly() {
    let t = T::new().await;
    // Static segments win over `{uuid}`; each path takes its own method.
    for (method, path, want) in [
        (Method::GET, "/accounts/list", StatusCode::OK),
        (Method::GET, "/accounts/list/", StatusCode::OK),
        (Method::GET, "/end-users/list", StatusCode::OK),
        (
            Method::GET,
            "/accounts/authenticate",
            StatusCode::METHOD_NOT_ALLOWED,
        ),
        (
            Method::GET,
            "/accounts/connect",
            StatusCode::METHOD_NOT_ALLOWED,
        ),
        (
            Method::POST,
            "/accounts/acc_x/disconnect",
            StatusCode::METHOD_NOT_ALLOWED,
        ),
        (
            Method::PUT,
            "/connect/link/clk_x",
            StatusCode::METHOD_NOT_ALLOWED,
        ),
        (
            Method::GET,
            "/connect/link/clk_x/expire",
            StatusCode::METHOD_NOT_ALLOWED,
        ),
        (
            Method::GET,
            "/end-users/create",
            StatusCode::METHOD_NOT_ALLOWED,
        ),
        (
            Method::GET,
            "/checkout/link/chk_x/expire",
            StatusCode::NOT_FOUND,
        ),
    ] {
        let (st, v) = t
            .merchant(method.clone(), path, &t.token.clone(), None)
            .await;
        assert_eq!(st, want, "{method} {path}: {v}");
    }
    let seen: BTreeSet<String> = uuids(&t.get("/connect/link/list").await.1["connect_links"])
        .into_iter()
        .collect();
    for u in seen {
        let (st, v) = t.get(&format!("/connect/link/{u}")).await;
        assert_eq!(
            (st, v["connect_link"]["uuid"].clone()),
            (StatusCode::OK, json!(u))
        );
    }
    t.stop().await;
}
