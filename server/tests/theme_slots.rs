//! One declaration per colour: for every slot of `core::theme`'s connect
//! and checkout tables, a link created through the merchant API with that
//! colour carries it in the merchant answer, in the public API's `theme`,
//! and in the CSS variable its page writes. A layer that misses a slot
//! (parsing, storage, either API, resolution) fails here.

mod common;

use common::{slug, T};
use druo_core::color::HexColor;
use druo_core::dto::{PublicCheckoutLink, PublicConnectLink};
use druo_core::theme::{resolve_checkout, resolve_connect, Slot, CHECKOUT_SLOTS, CONNECT_SLOTS};
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

const TENANT: &str = "22637d15-5b37-4fb2-90e5-aa8751970469";

/// The slot's default with one channel moved by 1: distinguishable from
/// the default, yet close enough that no contrast rule replaces it.
fn nudged(slot: &Slot) -> HexColor {
    let d = slot.default;
    HexColor {
        r: if d.r == 255 { 254 } else { d.r + 1 },
        ..d
    }
}

/// The public view of the link at `url`.
async fn public_view(t: &T, route: &str, url: &Value) -> Value {
    let (s, v) = t
        .public(Method::GET, &format!("/{route}/{}", slug(url)), None, None)
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    v
}

#[tokio::test(flavor = "multi_thread")]
async fn every_connect_slot_reaches_the_merchant_answer_the_public_theme_and_its_css_variable() {
    let t = T::new().await;
    for slot in CONNECT_SLOTS {
        let color = nudged(slot);
        let link = t
            .connect_link(json!({ slot.field: color.to_string() }))
            .await;
        assert_eq!(link[slot.field], json!(color.to_string()), "{}", slot.field);
        let v = public_view(&t, "connect-links", &link["url"]).await;
        assert_eq!(
            v["theme"][slot.field],
            json!(color.to_string()),
            "{}",
            slot.field
        );
        let page: PublicConnectLink = serde_json::from_value(v).unwrap();
        let resolved = resolve_connect(&page.theme);
        assert_eq!(resolved.var(slot.var), Some(color), "{}", slot.field);
    }
    t.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn every_checkout_slot_reaches_the_merchant_answer_the_public_theme_and_its_css_variable() {
    let t = T::new().await;
    for slot in CHECKOUT_SLOTS {
        let color = nudged(slot);
        let body = json!({
            "existing_end_user_id": "eur_868d99a5-6578-40cf-8aec-e7a48085fa37",
            "link_name": "Order #42",
            "transaction": {"tenant_id": TENANT, "amount": 2000000},
            slot.field: color.to_string(),
        });
        let (s, v) = t.post("/checkout/link/create", body).await;
        assert_eq!(s, StatusCode::OK, "{v}");
        let link = &v["checkout_link"];
        assert_eq!(link[slot.field], json!(color.to_string()), "{}", slot.field);
        let v = public_view(&t, "checkout-links", &link["url"]).await;
        assert_eq!(
            v["theme"][slot.field],
            json!(color.to_string()),
            "{}",
            slot.field
        );
        let page: PublicCheckoutLink = serde_json::from_value(v).unwrap();
        let resolved = resolve_checkout(&page.theme);
        assert_eq!(resolved.var(slot.var), Some(color), "{}", slot.field);
    }
    t.stop().await;
}

/// Every slot field is in both answers even when unset (`null`), and no
/// other colour field is.
#[tokio::test(flavor = "multi_thread")]
async fn unset_slots_are_null_in_both_answers() {
    let t = T::new().await;
    let link = t.connect_link(json!({})).await;
    let v = public_view(&t, "connect-links", &link["url"]).await;
    let theme = v["theme"].as_object().unwrap();
    assert_eq!(theme.len(), CONNECT_SLOTS.len());
    for slot in CONNECT_SLOTS {
        assert_eq!(link[slot.field], Value::Null, "{}", slot.field);
        assert_eq!(theme[slot.field], Value::Null, "{}", slot.field);
    }
    t.stop().await;
}
