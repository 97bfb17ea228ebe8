//! The merchant API over HTTP: authentication, versioning, one 400 per
//! validation rule, malformed bodies, merchant isolation, the list
//! endpoint's filters and pagination, and the sandbox outcomes.

mod common;

use common::page::{refused, refused_field};
use common::writes::{DAVIVIENDA, END_USER as EUR, TENANT};
use common::{Ask, Side, T};
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

#[tokio::test(flavor = "multi_thread")]
async fn requests_without_a_valid_bearer_token_are_401() {
    let t = T::new().await;
    let list = || Ask::new(Method::GET, Side::Api, "/connect/link/list");
    for auth in [
        None,
        Some("Bearer wrong-token"),
        Some("Basic abc"),
        Some("Bearer "),
    ] {
        let mut ask = list().header("DRUO-Version", "2021-11-22");
        if let Some(a) = auth {
            ask = ask.header("Authorization", a);
        }
        let (s, v) = t.send(ask).await.parsed();
        assert_eq!(s, StatusCode::UNAUTHORIZED, "{auth:?}");
        assert_eq!(v["code"], "UNAUTHORIZED");
        assert!(v["message"].as_str().unwrap().contains("Bearer"));
    }
    t.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn druo_version_is_required_and_checked() {
    let t = T::new().await;
    let list = || Ask::new(Method::GET, Side::Api, "/connect/link/list").bearer(&t.token);
    let (s, v) = t.send(list()).await.parsed();
    assert_eq!(s, StatusCode::BAD_REQUEST);
    assert_eq!(v["code"], "VERSION_REQUIRED");
    assert!(v["message"].as_str().unwrap().contains("2021-11-22"));

    let old = list().header("DRUO-Version", "2020-01-01");
    let (s, v) = t.send(old).await.parsed();
    assert_eq!(s, StatusCode::BAD_REQUEST);
    assert_eq!(v["code"], "UNKNOWN_VERSION");
    assert!(v["message"].as_str().unwrap().contains("2021-11-22"));

    // Header names in any case (the checkout reference sends `DRUO-version`).
    for name in ["druo-version", "DRUO-version", "Druo-Version"] {
        let status = t.send(list().header(name, "2021-11-22")).await.status;
        assert_eq!(status, StatusCode::OK, "{name}");
    }
    t.stop().await;
}

/// One request per rule: the refused body, and the field the 400 must name.
#[tokio::test(flavor = "multi_thread")]
async fn each_validation_rule_is_a_400_naming_the_field() {
    let t = T::new().await;
    let base = json!({"existing_end_user_id": EUR, "intro_text": "Connect your account using DRUO to receive or make payments"});
    let with = |extra: Value| {
        let mut b = base.clone();
        b.as_object_mut()
            .unwrap()
            .extend(extra.as_object().unwrap().clone());
        b
    };
    let cases: Vec<(&str, Value, &str)> = vec![
        (
            "/connect/link/create",
            with(json!({"intro_text": "Too short DRUO"})),
            "intro_text",
        ),
        (
            "/connect/link/create",
            with(json!({"intro_text": format!("DRUO {}", "x".repeat(70))})),
            "intro_text",
        ),
        (
            "/connect/link/create",
            with(json!({"intro_text": "Connect your account to receive or make payments with us"})),
            "intro_text",
        ),
        (
            "/connect/link/create",
            json!({"intro_text": "Connect your account using DRUO to receive or make payments"}),
            "existing_end_user_id",
        ),
        (
            "/connect/link/create",
            with(json!({"existing_end_user_id": "eur_00000000-0000-4000-8000-000000000000"})),
            "existing_end_user_id",
        ),
        (
            "/connect/link/create",
            with(json!({"button_color": "red;background:url(//x)"})),
            "button_color",
        ),
        (
            "/connect/link/create",
            with(json!({"background_color": "#ffff"})),
            "background_color",
        ),
        (
            "/connect/link/create",
            with(json!({"default_language": "fr_FR"})),
            "default_language",
        ),
        (
            "/connect/link/create",
            with(json!({"expiration_date": "next tuesday"})),
            "expiration_date",
        ),
        (
            "/connect/link/create",
            with(
                json!({"metadata": (0..51).map(|i| (format!("k{i}"), json!("v"))).collect::<serde_json::Map<_, _>>()}),
            ),
            "metadata",
        ),
        (
            "/connect/link/create",
            with(json!({"metadata": {"k".repeat(41): "v"}})),
            "metadata",
        ),
        (
            "/connect/link/create",
            with(json!({"metadata": {"k": "v".repeat(501)}})),
            "metadata",
        ),
        (
            "/connect/link/create",
            with(json!({"redirect_url": "javascript:alert(1)"})),
            "redirect_url",
        ),
        (
            "/connect/link/create",
            with(json!({"redirect_url": "/relative"})),
            "redirect_url",
        ),
        (
            "/connect/link/create",
            with(json!({"custom_confirmation_page": "maybe"})),
            "custom_confirmation_page",
        ),
        (
            "/connect/link/create",
            with(json!({"default_institution": "ins_nope"})),
            "default_institution",
        ),
        (
            "/checkout/link/create",
            json!({"existing_end_user_id": EUR, "link_name": "X", "transaction": {"tenant_id": TENANT, "amount": 0}}),
            "transaction.amount",
        ),
        (
            "/checkout/link/create",
            json!({"existing_end_user_id": EUR, "link_name": "X", "transaction": {"tenant_id": TENANT, "amount": 99.5}}),
            "transaction.amount",
        ),
        (
            "/checkout/link/create",
            json!({"existing_end_user_id": EUR, "link_name": "X", "transaction": {"tenant_id": "22637d15-0000-0000-0000-000000000000", "amount": 100}}),
            "transaction.tenant_id",
        ),
        (
            "/checkout/link/create",
            json!({"existing_end_user_id": EUR, "transaction": {"tenant_id": TENANT, "amount": 100}}),
            "link_name",
        ),
        (
            "/accounts/validate",
            json!({"user_authorization": false, "institution_uuid": DAVIVIENDA, "type": "DEPOSITORY", "subtype": "SAVINGS", "account_number": "1234567894", "existing_end_user_id": EUR}),
            "user_authorization",
        ),
        (
            "/accounts/validate",
            json!({"user_authorization": true, "institution_uuid": DAVIVIENDA, "type": "DEPOSITORY", "subtype": "SAVINGS", "account_number": "12-34", "existing_end_user_id": EUR}),
            "account_number",
        ),
        (
            "/accounts/validate",
            json!({"user_authorization": true, "institution_uuid": "ins_x", "type": "DEPOSITORY", "subtype": "SAVINGS", "account_number": "1234567894", "existing_end_user_id": EUR}),
            "institution_uuid",
        ),
        (
            "/end-users/create",
            json!({"type": "INDIVIDUAL", "first_name": "Ana", "email": "no-at-sign"}),
            "email",
        ),
    ];
    for (path, body, field) in cases {
        let (s, v) = t.post(path, body.clone()).await;
        assert_eq!(s, StatusCode::BAD_REQUEST, "{path} {body}: {v}");
        assert_eq!(v["field"], field, "{path} {body}: {v}");
        assert!(!v["message"].as_str().unwrap_or("").is_empty(), "{v}");
    }
    // Nothing was created by any refused request.
    let (_, list) = t.get("/connect/link/list?page_size=100").await;
    assert_eq!(
        list["connect_links"].as_array().unwrap().len(),
        3,
        "only the demo links"
    );
    t.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn every_documented_inconsistency_is_accepted_and_canonicalized() {
    let t = T::new().await;
    let l = t
        .connect_link(json!({
            "default_language": "es-co",
            "custom_confirmation_page": "FALSE",
            "expiration_date": "2099-11-16T23:23:38",
            "metadata": "{\"order_id\": \"6735\"}",
            "button_color": "#FFF",
            "intro_text": {"en-us": "NOVO uses DRUO to connect to your bank account.", "es_CO": "NOVO utiliza a DRUO para conectarse con tu cuenta bancaria."},
            "redirect_url": "https://example.com/done?x=1",
            "unknown_field": [1, 2, 3]
        }))
        .await;
    assert_eq!(l["default_language"], "es_CO");
    assert_eq!(l["custom_confirmation_page"], false);
    assert_eq!(l["expiration_date"], "2099-11-16T23:23:38.000Z");
    assert_eq!(l["metadata"]["order_id"], "6735");
    assert_eq!(l["button_color"], "#ffffff");
    assert_eq!(
        l["intro_text"]["en_US"],
        "NOVO uses DRUO to connect to your bank account."
    );
    assert!(l.get("unknown_field").is_none());
    for lang in [json!("en-us"), json!("en_US"), json!({"code": "es_CO"})] {
        let l = t.connect_link(json!({"default_language": lang})).await;
        assert!(l["default_language"] == "en_US" || l["default_language"] == "es_CO");
    }
    let l = t
        .connect_link(json!({"expiration_date": "2023-10-14T03:32:21.198Z"}))
        .await;
    assert_eq!(l["expired"], true);

    let (s, v) = t
        .post("/checkout/link/create", json!({
            "existing_end_user_id": EUR, "link_name": "L", "default_language": {"code": "en_US"},
            "custom_confirmation_page": "true",
            "transaction": {"tenant_id": TENANT, "amount": 2000000, "auto_send_receipt": "false"}
        }))
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(v["checkout_link"]["default_language"], "en_US");
    assert_eq!(v["checkout_link"]["custom_confirmation_page"], true);
    assert_eq!(
        v["checkout_link"]["transaction"]["auto_send_receipt"],
        false
    );
    assert_eq!(v["checkout_link"]["sidebar_background_color"], Value::Null);

    let (s, v) = t
        .post("/accounts/validate", json!({
            "user_authorization": "TRUE", "institution_uuid": DAVIVIENDA, "type": "DEPOSITORY",
            "subtype": "SAVINGS", "account_number": "0012345678", "routing_number": 324937448, "existing_end_user_id": EUR
        }))
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(v["account"]["last_4"], "5678");
    t.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn malformed_bodies_are_400_never_500() {
    let t = T::new().await;
    let url = format!("{}/connect/link/create", t.api);
    let cases: [(&str, &str); 5] = [
        ("application/json", "{\"intro_text\": "),
        ("application/json", "[1,2]"),
        ("application/json", ""),
        ("text/plain", "{}"),
        ("application/x-www-form-urlencoded", "intro_text=x"),
    ];
    for (ct, body) in cases {
        let res = t
            .http
            .post(&url)
            .bearer_auth(&t.token)
            .header("DRUO-Version", "2021-11-22")
            .header("Content-Type", ct)
            .body(body)
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), StatusCode::BAD_REQUEST, "{ct} {body}");
        let v: Value = res.json().await.unwrap();
        assert!(
            v["code"] == "INVALID_JSON" || v["code"] == "INVALID_CONTENT_TYPE",
            "{v}"
        );
    }
    t.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn merchants_never_see_each_others_data() {
    let t = T::new().await;
    let other = t.other_merchant();
    let (s, v) = t.get_as(&other, "/connect/link/list").await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(v["connect_links"], json!([]));
    let body = json!({"existing_end_user_id": EUR, "intro_text": "Connect your account using DRUO to receive or make payments"});
    let (s, v) = t.post_as(&other, "/connect/link/create", body).await;
    refused_field(&(s, v), StatusCode::BAD_REQUEST, "existing_end_user_id");
    let body = json!({"existing_end_user_id": EUR, "link_name": "x", "transaction": {"tenant_id": TENANT, "amount": 5}});
    let (s, v) = t.post_as(&other, "/checkout/link/create", body).await;
    refused_field(&(s, v), StatusCode::BAD_REQUEST, "transaction.tenant_id");
    // Its own end user and link work, and NOVO does not see them.
    let (s, eu) = t
        .post_as(
            &other,
            "/end-users/create",
            json!({"first_name": "Ana", "email": "ana@otra.co"}),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{eu}");
    let id = eu["end_user"]["uuid"].as_str().unwrap().to_string();
    let body = json!({"existing_end_user_id": id, "intro_text": "Connect your account using DRUO to receive or make payments"});
    let (s, _) = t.post_as(&other, "/connect/link/create", body).await;
    assert_eq!(s, StatusCode::OK);
    let (_, mine) = t
        .get(&format!("/connect/link/list?end_user_uuid={id}"))
        .await;
    assert_eq!(mine["connect_links"], json!([]));
    let (_, v) = t.get("/connect/link/list?end_user_email=ana@otra.co").await;
    assert_eq!(v["connect_links"], json!([]));
    t.stop().await;
}

fn uuids(v: &Value) -> Vec<String> {
    v["connect_links"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["uuid"].as_str().unwrap().to_string())
        .collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn list_filters_order_and_pagination() {
    let t = T::new().await;
    let a = t
        .connect_link(json!({"primary_reference": "ORDER-1", "secondary_reference": "abc-XYZ-def"}))
        .await;
    let b = t
        .connect_link(json!({"existing_end_user_id": null, "new_end_user_details": {"first_name": "Ana", "email": "Ana@Example.co", "local_id": "1020304050"}}))
        .await;
    let c = t.connect_link(json!({})).await;
    let id = |l: &Value| l["uuid"].as_str().unwrap().to_string();

    // Newest first.
    let (_, all) = t.get("/connect/link/list?page_size=100").await;
    let all_ids = uuids(&all);
    assert_eq!(all_ids.len(), 6);
    assert_eq!(&all_ids[..3], &[id(&c), id(&b), id(&a)]);

    let one = |q: String, want: Vec<String>| {
        let t = &t;
        async move {
            let (s, v) = t.get(&format!("/connect/link/list?{q}")).await;
            assert_eq!(s, StatusCode::OK, "{q}: {v}");
            assert_eq!(uuids(&v), want, "{q}");
        }
    };
    one(format!("uuid={}", id(&a)), vec![id(&a)]).await;
    one(
        format!("code={}", a["code"].as_str().unwrap()),
        vec![id(&a)],
    )
    .await;
    one("primary_reference=ORDER-1".into(), vec![id(&a)]).await;
    one("secondary_reference=XYZ".into(), vec![id(&a)]).await;
    one(
        format!("end_user_uuid={}", b["end_user"]["uuid"].as_str().unwrap()),
        vec![id(&b)],
    )
    .await;
    one(
        format!("end_user_code={}", b["end_user"]["code"].as_str().unwrap()),
        vec![id(&b)],
    )
    .await;
    one("end_user_email=ana%40example.co".into(), vec![id(&b)]).await;
    one("end_user_local_id=1020304050".into(), vec![id(&b)]).await;
    one("date_from=2099-01-01".into(), vec![]).await;
    one("date_to=2000-01-01T00:00:00Z".into(), vec![]).await;

    // Lifecycle filter: open one link publicly.
    t.public(
        Method::GET,
        &format!("/connect-links/{}", common::slug(&c["url"])),
        None,
        None,
    )
    .await;
    one("delivery_status=opened".into(), vec![id(&c)]).await;

    // Pages of two, following next_starting_after, cover everything once.
    let mut seen = Vec::new();
    let mut q = "page_size=2".to_string();
    loop {
        let (_, v) = t.get(&format!("/connect/link/list?{q}")).await;
        assert_eq!(v["page_info"]["page_size"], 2);
        seen.extend(uuids(&v));
        if v["page_info"]["has_next_page"] == false {
            assert_eq!(v["page_info"]["next_starting_after"], Value::Null);
            break;
        }
        q = format!(
            "page_size=2&starting_after={}",
            v["page_info"]["next_starting_after"].as_str().unwrap()
        );
    }
    assert_eq!(seen, all_ids);

    for bad in [
        "page_size=0",
        "page_size=101",
        "page_size=x",
        "date_from=yesterday",
        "delivery_status=LOST",
        "starting_after=clk_nope",
    ] {
        let (s, v) = t.get(&format!("/connect/link/list?{bad}")).await;
        assert_eq!(s, StatusCode::BAD_REQUEST, "{bad}: {v}");
        assert_eq!(v["field"], bad.split('=').next().unwrap(), "{bad}");
    }
    t.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn sandbox_outcomes_by_account_number() {
    let t = T::new().await;
    let validate = |number: &str| {
        json!({"user_authorization": true, "institution_uuid": DAVIVIENDA, "type": "DEPOSITORY",
               "subtype": "CHECKING", "account_number": number, "existing_end_user_id": EUR})
    };
    // The validation table, by the last digit: 5 cannot be found.
    let (_, v) = t.post("/accounts/validate", validate("1234560005")).await;
    assert_eq!(v["account"]["current_status"], "VALIDATION_FAILED");
    assert_eq!(v["account"]["remarks"], "UNABLE_TO_LOCATE_ACCOUNT");
    assert_eq!(v["account"]["requires_account_validation"], "FALSE");
    assert_eq!(v["account"]["capabilities"], json!([]));
    // 2 waits for the institution.
    let (_, v) = t.post("/accounts/validate", validate("1234561112")).await;
    assert_eq!(v["account"]["current_status"], "VALIDATION_PENDING");
    assert_eq!(v["account"]["remarks"], Value::Null);
    assert_eq!(v["account"]["requires_account_validation"], "TRUE");
    assert_eq!(
        v["account"]["pending_account_validations"][0]["action"],
        "CONFIRM_REQUEST_WITH_INSTITUTION"
    );
    assert!(
        v["account"]["pending_account_validations"][0]["slug"]
            .as_str()
            .unwrap()
            .len()
            > 30
    );
    assert_eq!(v["account"]["capabilities"], json!([]));
    // 4 exists: validated, and still to be connected before it can pay.
    let (_, v) = t.post("/accounts/validate", validate("1234567894")).await;
    assert_eq!(v["account"]["current_status"], "VALIDATED");
    assert_eq!(v["account"]["requires_account_validation"], "FALSE");
    assert_eq!(v["account"]["pending_account_validations"], Value::Null);
    assert_eq!(v["account"]["capabilities"], json!([]));
    assert_eq!(v["account"]["remarks"], Value::Null);
    // Nequi offers no checking accounts.
    let nequi = "ins_1509bb0a-9bf1-4331-8a11-8783593942a4";
    let mut body = validate("1234567894");
    body["institution_uuid"] = json!(nequi);
    let (s, v) = t.post("/accounts/validate", body).await;
    refused(&(s, v), StatusCode::BAD_REQUEST, "UNSUPPORTED_SUBTYPE");
    t.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn institution_catalog_is_colombian_and_ordered_by_use() {
    let t = T::new().await;
    let (s, v) = t.get("/institutions").await;
    assert_eq!(s, StatusCode::OK);
    let list = v["institutions"].as_array().unwrap();
    let names: Vec<&str> = list.iter().map(|i| i["name"].as_str().unwrap()).collect();
    // The reference's banks and wallets, one string: the list is data.
    let wanted = "Bancolombia, Banco de Bogotá, Davivienda, BBVA Colombia, Banco de Occidente, Banco Popular, Banco AV Villas, Banco Caja Social, Scotiabank Colpatria, Itaú, Banco GNB Sudameris, Banco Falabella, Banco Pichincha, Bancoomeva, Banco Finandina, Banco Serfinanza, Lulo Bank, Nu Colombia, Nequi, Daviplata";
    for want in wanted.split(", ") {
        assert!(names.contains(&want), "{want} missing");
    }
    assert!(names.iter().any(|n| n.starts_with("Banco Agrario")));
    assert_eq!(names[0], "Bancolombia");
    let dav = list.iter().find(|i| i["uuid"] == DAVIVIENDA).unwrap();
    assert_eq!(dav["subtypes"], json!(["SAVINGS", "CHECKING"]));
    // Beyond the reference: each institution's brand colour and mark.
    assert_eq!(
        (&dav["brand_color"], &dav["mark"]),
        (&json!("#E1251B"), &json!("DV"))
    );
    for i in list {
        assert!(
            i["brand_color"].as_str().is_some_and(|c| c.len() == 7),
            "{i}"
        );
        assert!(i["mark"].as_str().is_some_and(|m| !m.is_empty()), "{i}");
    }
    t.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn unknown_endpoints_are_json_404() {
    let t = T::new().await;
    let (s, v) = t.get("/connect/link/nope").await;
    refused(&(s, v), StatusCode::NOT_FOUND, "NOT_FOUND");
    t.stop().await;
}

/// What the studio's "Copy JSON" gives creates a link with that theme.
#[tokio::test(flavor = "multi_thread")]
async fn the_studio_json_creates_links_with_its_theme() {
    use druo_core::studio::{Kind, StudioState};
    let t = T::new().await;
    let mut s = StudioState::default();
    s.set_color("button_color", "#0B5CAD");
    s.set_color("background_color", "not-a-colour");
    let mut body = s.request_body();
    body["existing_end_user_id"] = json!(EUR);
    let (st, v) = t.post("/connect/link/create", body).await;
    assert_eq!(st, StatusCode::OK, "{v}");
    assert_eq!(v["connect_link"]["button_color"], "#0b5cad");
    assert_eq!(v["connect_link"]["background_color"], Value::Null);
    assert_eq!(v["connect_link"]["intro_text"]["es_CO"], s.intro_es);

    s.kind = Kind::Checkout;
    s.set_color("sidebar_background_color", "#222");
    let mut body = s.request_body();
    body["existing_end_user_id"] = json!(EUR);
    body["transaction"]["tenant_id"] = json!(TENANT);
    let (st, v) = t.post("/checkout/link/create", body).await;
    assert_eq!(st, StatusCode::OK, "{v}");
    assert_eq!(v["checkout_link"]["sidebar_background_color"], "#222222");
    // The studio's sample amount is in centavos: COP 20.000.
    assert_eq!(v["checkout_link"]["transaction"]["amount"], 2_000_000);
    t.stop().await;
}

/// Every `redirect_url` attack form is refused at create time, for both
/// link kinds, naming the field.
#[tokio::test(flavor = "multi_thread")]
async fn redirect_url_attacks_are_refused_at_create_time() {
    let t = T::new().await;
    let attacks = [
        "javascript:alert(1)",
        "JAVASCRIPT:alert(1)",
        "JaVaScRiPt:alert(1)",
        "java\tscript:alert(1)",
        "java\nscript:alert(1)",
        " javascript:alert(1)",
        "\u{1}javascript:alert(1)",
        "javascript://host/%0aalert(1)",
        "data:text/html,<script>alert(1)</script>",
        "vbscript:msgbox(1)",
        "//evil.example",
        "/\\evil.example",
        "https:evil.example",
        "https://user:pass@evil.example",
        "https://example.com@evil.example",
        "https:///evil.example",
    ];
    for evil in attacks {
        let (s, v) = t
            .post("/connect/link/create", json!({"existing_end_user_id": EUR, "intro_text": "Connect your account using DRUO to receive or make payments", "redirect_url": evil}))
            .await;
        assert_eq!(
            (s, v["field"].clone()),
            (StatusCode::BAD_REQUEST, json!("redirect_url")),
            "{evil:?}"
        );
        let (s, v) = t
            .post("/checkout/link/create", json!({"existing_end_user_id": EUR, "link_name": "x", "redirect_url": evil, "transaction": {"tenant_id": TENANT, "amount": 5}}))
            .await;
        assert_eq!(
            (s, v["field"].clone()),
            (StatusCode::BAD_REQUEST, json!("redirect_url")),
            "{evil:?}"
        );
    }
    for colour in [
        "red;background:url(//x)",
        "#fff;}",
        "#ffff",
        "＃fff",
        "#fff\n",
    ] {
        let (s, v) = t
            .post("/connect/link/create", json!({"existing_end_user_id": EUR, "intro_text": "Connect your account using DRUO to receive or make payments", "button_color": colour}))
            .await;
        assert_eq!(
            (s, v["field"].clone()),
            (StatusCode::BAD_REQUEST, json!("button_color")),
            "{colour:?}"
        );
    }
    t.stop().await;
}
