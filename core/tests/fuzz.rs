//! Property-based fuzzing of everything that reads outside data: the
//! service answers the page parses, merchant request bodies, URLs, the
//! redirect builders and the theme. None may panic (a panic kills the wasm
//! page); outputs must keep their guarantees.
//!
//! `scripts/test` runs the default 256 cases per property. The long run
//! (see docs/security.md):
//! `PROPTEST_CASES=200000 cargo test -p druo-core --release --test fuzz`

use druo_core::dto::*;
use druo_core::finish::{checkout_params, connect_params};
use druo_core::request::{account_validate, checkout_link_create, connect_link_create, end_user};
use druo_core::theme::{resolve, CHECKOUT_PAIRS, CHECKOUT_SLOTS};
use druo_core::url::{append_query, append_signed, parse_http_url};
use proptest::prelude::*;
use serde_json::{json, Value};

/// Arbitrary JSON, a few levels deep.
fn any_json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        any::<f64>()
            .prop_filter("finite", |f| f.is_finite())
            .prop_map(Value::from),
        "\\PC{0,30}".prop_map(Value::from),
        Just(json!("#fff")),
        Just(json!("https://example.com")),
        Just(json!("2021-11-16T23:23:38")),
    ];
    leaf.prop_recursive(3, 32, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            prop::collection::btree_map("[a-z_]{1,12}", inner, 0..6)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

/// A valid connect link answer, to mutate.
fn valid_link() -> Value {
    json!({
        "uuid": "clk_1", "merchant_name": "NOVO", "intro_text": {"en_US": "a", "es_CO": "b"},
        "end_user_first_name": "John", "default_language": "es_CO", "default_institution": null,
        "theme": {"button_color": "#112233"}, "redirect_url": "https://e.com", "custom_confirmation_page": false,
        "expiration_date": null, "state": "OPEN", "server_time": "2030-01-01T00:00:00.000Z"
    })
}

const KEYS: &[&str] = &[
    "uuid",
    "merchant_name",
    "intro_text",
    "end_user_first_name",
    "default_language",
    "theme",
    "redirect_url",
    "custom_confirmation_page",
    "expiration_date",
    "state",
    "server_time",
];

fn parse_all(text: &str) {
    let _ = serde_json::from_str::<PublicConnectLink>(text);
    let _ = serde_json::from_str::<PublicCheckoutLink>(text);
    let _ = serde_json::from_str::<PublicAccount>(text);
    let _ = serde_json::from_str::<PaymentResult>(text);
    let _ = serde_json::from_str::<InstitutionList>(text);
    let _ = serde_json::from_str::<AccountList>(text);
    let _ = serde_json::from_str::<ApiErrorBody>(text);
}

proptest! {
    #[test]
    fn service_answers_never_panic_as_text(text in "\\PC{0,200}") {
        parse_all(&text);
    }

    #[test]
    fn service_answers_never_panic_as_json(v in any_json()) {
        parse_all(&v.to_string());
    }

    #[test]
    fn mutated_and_truncated_link_answers_never_panic(key in 0..KEYS.len(), replacement in any_json(), cut in 0usize..400) {
        let mut v = valid_link();
        v[KEYS[key]] = replacement;
        let text = v.to_string();
        parse_all(&text);
        let cut = text.char_indices().map(|(i, _)| i).nth(cut).unwrap_or(text.len());
        parse_all(&text[..cut]);
        // Whatever parses, its intro resolves without panicking.
        if let Ok(link) = serde_json::from_str::<PublicConnectLink>(&text) {
            let _ = link.intro_text.resolve(druo_core::Lang::EsCo);
        }
    }

    #[test]
    fn request_validators_never_panic(v in any_json()) {
        if let Value::Object(o) = &v {
            let _ = connect_link_create(o);
            let _ = checkout_link_create(o);
            let _ = account_validate(o);
            let _ = end_user(o);
        }
    }

    #[test]
    fn accepted_urls_reparse_to_themselves(s in "\\PC{0,80}") {
        if let Ok(u) = parse_http_url(&s) {
            let again = parse_http_url(&u.as_string()).expect("a parsed URL re-parses");
            prop_assert_eq!(again, u);
        }
    }

    #[test]
    fn built_redirects_are_always_safe(base in "(https?://[a-z]{1,8}\\.[a-z]{2,3}(/[a-z%0-9]{0,6}){0,2}(\\?[a-z=&]{0,8})?(#[a-z]{0,4})?)|\\PC{0,30}",
                                       code in "\\PC{0,20}", last4 in "\\PC{0,6}", name in "\\PC{0,30}") {
        let account = PublicAccount {
            uuid: "acc_1".into(), code: code.clone(), current_status: druo_core::status::AccountStatus::Connected,
            requires_account_validation: false, pending_account_validations: vec![], remarks: None,
            institution: InstitutionRef { uuid: "ins".into(), name }, last_4: last4, subtype: AccountSubtype::Savings, date_created: None,
            return_url: None,
        };
        if let Ok(u) = append_signed(&base, &connect_params(&account, "clk_1"), 1, |t| t.to_string()) {
            prop_assert!(parse_http_url(&u).is_ok(), "{}", u);
        }
        let p = PaymentResult { transaction_uuid: "trx".into(), transaction_code: "T".into(), status: druo_core::status::PaymentStatus::Successful,
            remarks: None, account_code: code, reference: Some("r e f".into()), date_updated: None, receipt_email: None, return_url: None };
        if let Ok(u) = append_signed(&base, &checkout_params(&p, "chk"), 1, |t| t.to_string()) {
            prop_assert!(parse_http_url(&u).is_ok(), "{}", u);
        }
        let _ = append_query(&base, &[("k", "v")]);
    }

    #[test]
    fn themes_only_ever_write_hex_colours(values in prop::collection::vec("\\PC{0,12}", 7)) {
        let r = resolve(CHECKOUT_SLOTS, CHECKOUT_PAIRS, |f| {
            CHECKOUT_SLOTS.iter().position(|s| s.field == f).map(|i| values[i].clone())
        });
        for (var, c) in &r.vars {
            let s = c.to_string();
            prop_assert!(var.starts_with("--"));
            prop_assert!(s.len() == 7 && s.starts_with('#') && s[1..].bytes().all(|b| b.is_ascii_hexdigit()), "{}", s);
        }
    }
}
