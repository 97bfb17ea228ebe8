//! Receipt emails (issue 27): a checkout link with `auto_send_receipt`,
//! paid while link-server has `--smtp-url`, emails the comprobante to the
//! payer, in the link's language, through a real SMTP server the test
//! starts (`common::smtp`); the page's answer says it is on its way, then
//! sent. A mail server that refuses service gets it later, once. Without
//! `--smtp-url`, or without `auto_send_receipt`, nothing is queued or
//! promised.

mod common;

use common::smtp::Sink;
use common::{slug, T};
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};
use std::sync::atomic::Ordering;

const EUR: &str = "eur_868d99a5-6578-40cf-8aec-e7a48085fa37";
const TENANT: &str = "22637d15-5b37-4fb2-90e5-aa8751970469";
const DAVIVIENDA: &str = "ins_9082d56c-4e1d-4967-a828-b7001755e88e";

/// A checkout for John Doe (john.doe@example.com), paid from a connected
/// Davivienda account ending in 0544 (a successful payment): the pay
/// answer and the link's slug.
async fn pay(t: &T, receipt: bool, lang: &str) -> (Value, String) {
    let (s, l) = t
        .post(
            "/checkout/link/create",
            json!({
                "existing_end_user_id": EUR, "link_name": "Pedido 77", "primary_reference": "REF-77",
                "default_language": lang,
                "transaction": {"tenant_id": TENANT, "amount": 4990000, "description": "Póliza 77",
                                "statement_descriptor": "NOVO*77", "auto_send_receipt": receipt}
            }),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{l}");
    let sl = slug(&l["checkout_link"]["url"]);
    let (s, acc) = t
        .public(
            Method::POST,
            &format!("/checkout-links/{sl}/accounts"),
            Some("acc"),
            Some(
                json!({"institution_uuid": DAVIVIENDA, "type": "DEPOSITORY", "subtype": "SAVINGS",
                        "account_number": "4003260544", "user_authorization": true}),
            ),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{acc}");
    let (s, r) = t
        .public(
            Method::POST,
            &format!("/checkout-links/{sl}/pay"),
            Some("pay"),
            Some(json!({"account_uuid": acc["uuid"], "user_authorization": true})),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{r}");
    (r, sl)
}

/// The reopened link's word on the receipt email, once it says `sent`.
async fn outcome_email(t: &T, sl: &str) -> Value {
    let mut last = Value::Null;
    for _ in 0..100 {
        let (_, v) = t
            .public(Method::GET, &format!("/checkout-links/{sl}"), None, None)
            .await;
        last = v["outcome"]["receipt_email"].clone();
        if last["sent"] == true {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    last
}

#[tokio::test(flavor = "multi_thread")]
async fn a_paid_checkout_emails_its_comprobante_in_the_links_language() {
    let sink = Sink::start().await;
    let t = T::with_receipts(&sink.url()).await.over_sockets();
    let (r, sl) = pay(&t, true, "es_CO").await;
    // Answered at once: on its way, to the payer's address masked.
    assert_eq!(
        r["receipt_email"],
        json!({"to": "j\u{2022}\u{2022}\u{2022}@example.com", "sent": false})
    );
    let mail = sink.wait_for(1, 15).await;
    assert_eq!(mail.len(), 1);
    let m = &mail[0];
    assert_eq!(m.to, ["john.doe@example.com"]);
    let subject = m.header("Subject").unwrap_or_default();
    assert!(subject.contains("NOVO"), "{subject}");
    let body = m.body();
    let code = r["transaction_code"].as_str().unwrap();
    for said in [
        "Comprobante de pago\r\n",
        "Comercio: NOVO\r\n",
        "Concepto: Póliza 77\r\n",
        "Referencia: REF-77\r\n",
        &format!("Código del pago: {code}\r\n"),
        "(hora de Colombia)\r\n",
        "Cuenta: Davivienda \u{a0}\u{2022}\u{2022}\u{2022}\u{2022}\u{a0}0544\r\n",
        "Estado: Aprobado\r\n",
        "en nombre de NOVO.",
    ] {
        let plain = said.replace(" \u{a0}", "\u{a0}");
        assert!(body.contains(&plain), "{plain:?} not in {body}");
    }
    assert!(body.contains("49.900"), "{body}");
    assert!(!body.contains("4003260544"), "never the account number");
    // The reopened link says it was sent.
    let e = outcome_email(&t, &sl).await;
    assert_eq!(
        e,
        json!({"to": "j\u{2022}\u{2022}\u{2022}@example.com", "sent": true})
    );
    // Exactly once.
    tokio::time::sleep(std::time::Duration::from_millis(1500)).await;
    assert_eq!(sink.received().len(), 1);
    t.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_mail_server_refusing_service_gets_it_later_once() {
    let sink = Sink::start().await;
    sink.refuse.store(true, Ordering::SeqCst);
    let t = T::with_receipts(&sink.url()).await.over_sockets();
    let (r, sl) = pay(&t, true, "en_US").await;
    assert_eq!(r["receipt_email"]["sent"], false);
    tokio::time::sleep(std::time::Duration::from_millis(1500)).await;
    assert_eq!(sink.received().len(), 0);
    let (_, v) = t
        .public(Method::GET, &format!("/checkout-links/{sl}"), None, None)
        .await;
    assert_eq!(
        v["outcome"]["receipt_email"]["sent"], false,
        "not claimed as sent"
    );
    sink.refuse.store(false, Ordering::SeqCst);
    let mail = sink.wait_for(1, 20).await;
    assert_eq!(mail.len(), 1);
    assert!(
        mail[0].body().starts_with("Payment receipt\r\n"),
        "{}",
        mail[0].body()
    );
    assert!(mail[0].body().contains("(Colombia time)"));
    assert_eq!(outcome_email(&t, &sl).await["sent"], true);
    tokio::time::sleep(std::time::Duration::from_millis(1500)).await;
    assert_eq!(sink.received().len(), 1, "once");
    t.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn nothing_is_promised_without_smtp_or_without_auto_send_receipt() {
    let sink = Sink::start().await;
    let t = T::with_receipts(&sink.url()).await.over_sockets();
    let (r, sl) = pay(&t, false, "es_CO").await;
    assert!(r.get("receipt_email").is_none(), "{r}");
    let (_, v) = t
        .public(Method::GET, &format!("/checkout-links/{sl}"), None, None)
        .await;
    assert!(v["outcome"].get("receipt_email").is_none(), "{v}");
    t.stop().await;
    let plain = T::new().await.over_sockets();
    let (r, _) = pay(&plain, true, "es_CO").await;
    assert!(r.get("receipt_email").is_none(), "no --smtp-url: {r}");
    plain.stop().await;
    tokio::time::sleep(std::time::Duration::from_millis(1000)).await;
    assert_eq!(sink.received().len(), 0);
}
