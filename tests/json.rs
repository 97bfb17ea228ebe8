//! The page's JSON goes through the browser (`JSON.parse`,
//! `JSON.stringify`) and serde-wasm-bindgen, not serde_json
//! (docs/performance.md). These browser tests hold it to serde_json's
//! answers on every DTO the pages read or send, and pin down where the two
//! differ.

#![cfg(target_arch = "wasm32")]

use druo_core::dto::*;
use druo_core::status::{AccountRemark, PaymentStatus, PendingAction, TransactionRemark};
use druo_core::Lang;
use druo_link::api::{parse_json, to_json, ApiError};
use serde::de::DeserializeOwned;
use serde::Serialize;
use std::fmt::Debug;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

/// `text` reads as serde_json reads it, and prints back as serde_json
/// prints it.
fn same_as_serde_json<T>(text: &str) -> T
where
    T: DeserializeOwned + Serialize + PartialEq + Debug,
{
    let ours: T = parse_json(text).unwrap_or_else(|e| panic!("{e}: {text}"));
    let theirs: T = serde_json::from_str(text).unwrap();
    assert_eq!(ours, theirs, "{text}");
    assert_eq!(
        to_json(&ours).unwrap(),
        serde_json::to_string(&theirs).unwrap(),
        "{text}"
    );
    ours
}

fn malformed<T: DeserializeOwned + Debug>(text: &str) {
    match parse_json::<T>(text) {
        Err(ApiError::Malformed(_)) => {}
        other => panic!("{text}: {other:?}"),
    }
}

const ACCOUNT: &str = r#"{"uuid":"acc_1","code":"A1B2","current_status":"VERIFICATION_PENDING",
  "requires_account_validation":true,
  "pending_account_validations":[{"action":"CONFIRM_REQUEST_WITH_INSTITUTION"}],
  "remarks":null,"institution":{"uuid":"ins_1","name":"Banco de Bogotá"},"last_4":"6789",
  "subtype":"SAVINGS","date_created":"2026-11-23T10:00:00Z"}"#;

#[wasm_bindgen_test]
fn connect_link_both_intro_forms_theme_and_outcome() {
    let plain = format!(
        r##"{{"uuid":"clk_1","merchant_name":"NOVO","intro_text":"NOVO uses DRUO",
        "end_user_first_name":"Ana","default_language":"es_CO","default_institution":null,
        "theme":{{"background_color":"#123456","button_color":null,"retired_slot":"#fff"}},
        "redirect_url":"https://novo.example/back?x=1","custom_confirmation_page":false,
        "expiration_date":null,"state":"COMPLETED","server_time":"2026-11-23T10:00:00Z",
        "outcome":{ACCOUNT}}}"##
    );
    let link: PublicConnectLink = same_as_serde_json(&plain);
    assert_eq!(link.default_language, Lang::EsCo);
    assert_eq!(link.theme.get("background_color"), Some("#123456"));
    assert!(link.outcome.is_some());

    // Per-language intro text; `outcome` missing and `end_user_first_name`
    // missing are both `None`, as with serde_json.
    let by_lang = r#"{"uuid":"clk_2","merchant_name":"NOVO \"Ñ\" \u00e9 😀",
        "intro_text":{"en_US":"NOVO uses DRUO","es_CO":"NOVO utiliza a DRUO"},
        "default_language":"en_US","theme":{},"redirect_url":null,
        "custom_confirmation_page":true,"state":"OPEN","server_time":"t"}"#;
    let link: PublicConnectLink = same_as_serde_json(by_lang);
    assert_eq!(link.intro_text.resolve(Lang::EsCo), "NOVO utiliza a DRUO");
    assert_eq!(link.merchant_name, "NOVO \"Ñ\" é 😀");
    assert_eq!((link.outcome, link.end_user_first_name), (None, None));
}

#[wasm_bindgen_test]
fn checkout_link_amounts_and_payment() {
    let text = r##"{"uuid":"chk_1","merchant_name":"NOVO","link_name":"Order 7",
        "link_description":null,"end_user_first_name":null,"default_language":"en_US",
        "default_institution":"ins_1","theme":{"sidebar_text_color":"#000000"},
        "redirect_url":null,"custom_confirmation_page":false,"expiration_date":"2026-12-01T00:00:00Z",
        "state":"OPEN","server_time":"t",
        "transaction":{"amount":100000000000,"currency":"COP","description":null,
          "statement_descriptor":"NOVO","status":"PENDING","code":"T1"},
        "outcome":{"transaction_uuid":"trx_1","transaction_code":"T1","status":"FAILED",
          "remarks":"INSUFFICIENT_FUNDS","account_code":"A1","reference":null}}"##;
    let link: PublicCheckoutLink = same_as_serde_json(text);
    assert_eq!(link.transaction.amount, 100_000_000_000);
    assert_eq!(
        link.outcome.unwrap().remarks,
        Some(TransactionRemark::InsufficientFunds)
    );
    // The largest integer a JS number holds exactly still reads exactly.
    let max = text.replace("100000000000", "9007199254740991");
    let link: PublicCheckoutLink = same_as_serde_json(&max);
    assert_eq!(link.transaction.amount, 9_007_199_254_740_991);
}

#[wasm_bindgen_test]
fn accounts_institutions_payments_and_errors() {
    let list: AccountList = same_as_serde_json(&format!(r#"{{"accounts":[{ACCOUNT}]}}"#));
    assert_eq!(
        list.accounts[0].pending_account_validations[0].action,
        PendingAction::ConfirmRequestWithInstitution
    );
    // `date_created`, `brand_color` and `mark` may be missing.
    let a: PublicAccount = same_as_serde_json(
        r#"{"uuid":"acc_2","code":"C","current_status":"CONNECTION_FAILED","requires_account_validation":false,
        "pending_account_validations":[],"remarks":"ACCOUNT_DOES_NOT_EXIST",
        "institution":{"uuid":"ins_1","name":"B"},"last_4":"0000","subtype":"CHECKING"}"#,
    );
    assert_eq!(a.remarks, Some(AccountRemark::AccountDoesNotExist));
    assert_eq!(a.date_created, None);
    let cat: InstitutionList = same_as_serde_json(
        r##"{"institutions":[{"uuid":"ins_1","name":"Nequi","kind":"WALLET","subtypes":["SAVINGS"],
        "popularity":2,"brand_color":"#da0081","mark":"N"},
        {"uuid":"ins_2","name":"Banco W","kind":"BANK","subtypes":["SAVINGS","CHECKING"],"popularity":null}]}"##,
    );
    assert_eq!(cat.institutions[0].popularity, Some(2));
    assert_eq!(cat.institutions[1].mark, "");
    let paid: PaymentResult = same_as_serde_json(
        r#"{"transaction_uuid":"trx_1","transaction_code":"T1","status":"SUCCESSFUL",
        "remarks":null,"account_code":"A1","reference":"ref-9"}"#,
    );
    assert_eq!(paid.status, PaymentStatus::Successful);
    let err: ApiErrorBody =
        same_as_serde_json(r#"{"message":"bad number","code":"INVALID_ACCOUNT_NUMBER"}"#);
    assert_eq!(err.field, None);
    same_as_serde_json::<ApiErrorBody>(r#"{"message":"m","code":"C","field":"account_number"}"#);
}

#[wasm_bindgen_test]
fn request_bodies_print_as_serde_json_prints_them() {
    let submit = ConnectSubmit {
        institution_uuid: "ins_1".into(),
        account_type: "DEPOSITORY".into(),
        subtype: AccountSubtype::Checking,
        account_number: "0123456789".into(),
        user_authorization: true,
    };
    let text = to_json(&submit).unwrap();
    assert_eq!(text, serde_json::to_string(&submit).unwrap());
    assert_eq!(
        text,
        r#"{"institution_uuid":"ins_1","type":"DEPOSITORY","subtype":"CHECKING","account_number":"0123456789","user_authorization":true}"#
    );
    let pay = PayRequest {
        account_uuid: "acc_\"1\"\n".into(),
        user_authorization: false,
    };
    assert_eq!(to_json(&pay).unwrap(), serde_json::to_string(&pay).unwrap());
}

#[wasm_bindgen_test]
fn spellings_druo_does_not_use_are_malformed() {
    // DRUO's lists are closed: an unknown status, remark or action is a
    // malformed answer (an error view), never a guess.
    malformed::<PaymentResult>(
        r#"{"transaction_uuid":"t","transaction_code":"T","status":"DECLINED",
        "remarks":null,"account_code":"A","reference":null}"#,
    );
    malformed::<PendingValidation>(r#"{"action":"SIGN"}"#);
    let v: PendingValidation =
        parse_json(r#"{"action":"CONFIRM_OTP_VIA_MICRODEPOSIT","attempts_left":2}"#).unwrap();
    assert_eq!(v.attempts_left, Some(2));
    malformed::<LinkState>(r#""SOMETHING_NEW""#);
    malformed::<PaymentStatus>(r#""verified""#);
}

#[wasm_bindgen_test]
fn malformed_answers_are_malformed() {
    // The answers tests/e2e/hardening.test.mjs serves the page.
    for text in [
        "{}",
        r#"{"uuid": null, "merchant_name": null, "intro_text": null}"#,
        r#"{"uuid": 5, "merchant_name": [], "intro_text": 7, "state": true}"#,
        r#"{"uuid": "clk_1", "merchant_na"#,
        "<html><body>502 Bad Gateway</body></html>",
        "",
        "null",
        "[]",
        "{} trailing",
    ] {
        malformed::<PublicConnectLink>(text);
        assert!(serde_json::from_str::<PublicConnectLink>(text).is_err());
    }
    malformed::<ApiErrorBody>(r#"{"message":"m"}"#);
    malformed::<InstitutionList>(r#"{"institutions":[{"uuid":1}]}"#);
    malformed::<IntroText>("7");
    malformed::<ConnectTheme>(r##"{"background_color":7}"##);
    // The browser's parser has no depth limit (serde_json's stops at 128):
    // deep nesting is refused at its first level, never by running out of
    // stack, which would kill the page.
    let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
    malformed::<IntroText>(&deep);
    malformed::<PublicConnectLink>(&format!(r#"{{"uuid":"clk_1","intro_text":{deep}}}"#));
    malformed::<InstitutionList>(&format!(r#"{{"institutions":{deep}}}"#));
    let nested_object = format!("{}{}", r#"{"en_US":"#.repeat(100_000), "}".repeat(100_000));
    malformed::<IntroText>(&nested_object);
}

#[wasm_bindgen_test]
fn integers_follow_js_numbers() {
    let tx = |amount: &str| {
        format!(
            r#"{{"amount":{amount},"currency":"COP","description":null,
            "statement_descriptor":null,"status":"PENDING","code":"T"}}"#
        )
    };
    // Above 2^53 − 1 a JS number is no longer exact: refused, where
    // serde_json read it exactly. (Amounts are capped at 10^11.)
    malformed::<PublicTransaction>(&tx("9007199254740993"));
    assert!(serde_json::from_str::<PublicTransaction>(&tx("9007199254740993")).is_ok());
    // A whole number written with a fraction is the same JS number: read,
    // where serde_json refused it.
    let t: PublicTransaction = parse_json(&tx("20000.0")).unwrap();
    assert_eq!(t.amount, 20_000);
    assert!(serde_json::from_str::<PublicTransaction>(&tx("20000.0")).is_err());
    // Negative, fractional and string amounts are refused by both.
    for bad in ["-1", "1.5", "\"20000\"", "1e400"] {
        malformed::<PublicTransaction>(&tx(bad));
        assert!(serde_json::from_str::<PublicTransaction>(&tx(bad)).is_err());
    }
}

#[wasm_bindgen_test]
fn repeated_keys_and_lone_surrogates_read_as_the_browser_reads_them() {
    // A repeated key: the last wins, where serde_json refused the field.
    let text = r#"{"message":"first","code":"C","message":"last"}"#;
    let body: ApiErrorBody = parse_json(text).unwrap();
    assert_eq!(body.message, "last");
    assert!(serde_json::from_str::<ApiErrorBody>(text).is_err());
    // An unpaired surrogate becomes U+FFFD, where serde_json refused it.
    let text = r#"{"message":"a\ud800b","code":"C"}"#;
    let body: ApiErrorBody = parse_json(text).unwrap();
    assert_eq!(body.message, "a\u{FFFD}b");
    assert!(serde_json::from_str::<ApiErrorBody>(text).is_err());
}
