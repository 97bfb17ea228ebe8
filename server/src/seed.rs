//! Start-up data: the institution catalog always; with `--seed-demo`, the
//! demo merchant NOVO and the reference pages' fixtures (end user John Doe,
//! the tenant) under their documented ids, plus demo links to open.

use crate::db::{now_ms, Db};
use crate::error::ApiResult;
use crate::store;
use druo_core::input::Obj;
use druo_core::request;
use rusqlite::OptionalExtension;
use serde_json::{json, Value};
use std::path::Path;

/// The demo merchant's business name.
pub const DEMO_MERCHANT: &str = "NOVO";
/// The reference pages' end user.
pub const DEMO_END_USER: &str = "eur_868d99a5-6578-40cf-8aec-e7a48085fa37";
/// The reference pages' tenant.
pub const DEMO_TENANT: &str = "22637d15-5b37-4fb2-90e5-aa8751970469";

/// A demo link to print: what it shows, and its url.
#[derive(Debug, Clone)]
pub struct DemoLink {
    /// Human description.
    pub label: &'static str,
    /// Ready to open.
    pub url: String,
}

/// Chooses the demo token: `DRUO_API_TOKEN` when set, else the one kept in
/// `merchant-token.txt` beside the database, else a new one written there.
pub fn demo_token(db_path: &Path, env_token: Option<String>) -> std::io::Result<String> {
    if let Some(t) = env_token.filter(|t| !t.trim().is_empty()) {
        return Ok(t.trim().to_string());
    }
    let file = db_path.with_file_name("merchant-token.txt");
    if let Ok(t) = std::fs::read_to_string(&file) {
        if !t.trim().is_empty() {
            return Ok(t.trim().to_string());
        }
    }
    let t = crate::ids::token();
    std::fs::write(&file, format!("{t}\n"))?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let _ = std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o600));
    }
    Ok(t)
}

/// Seeds the demo merchant with `token`, its fixtures and demo links;
/// idempotent across restarts. Returns the merchant id and the links.
pub fn demo(db: &Db, token: &str, base: &str) -> ApiResult<(i64, Vec<DemoLink>)> {
    db.blocking(|c| {
        let now = now_ms();
        let tx = c.transaction()?;
        let mid = store::upsert_merchant(&tx, DEMO_MERCHANT, token, now)?;
        tx.execute(
            "INSERT OR IGNORE INTO tenants (uuid, merchant_id, name) VALUES (?1, ?2, 'NOVO Colombia')",
            rusqlite::params![DEMO_TENANT, mid],
        )?;
        let exists: Option<String> = tx
            .query_row("SELECT uuid FROM end_users WHERE uuid = ?1", [DEMO_END_USER], |r| r.get(0))
            .optional()?;
        if exists.is_none() {
            let john = request::end_user(&obj(json!({
                "type": "INDIVIDUAL", "first_name": "John", "last_name": "Doe",
                "local_id": "987654321", "local_id_type": "DRIVERS_LICENSE", "local_id_country": "USA",
                "email": "john.doe@example.com", "preferred_language": "en_US"
            })))?;
            store::insert_end_user(&tx, mid, &john, "MERCHANT_API", Some((DEMO_END_USER, "EUJXRKMEPER")), now)?;
        }
        let links = demo_links(&tx, mid, base, now)?;
        tx.commit()?;
        Ok((mid, links))
    })
}

fn obj(v: Value) -> Obj {
    v.as_object().cloned().unwrap_or_default()
}

/// Finds the demo link tagged `reference`, or creates it from `body`.
fn ensure_link(
    c: &rusqlite::Connection,
    mid: i64,
    reference: &str,
    body: Value,
    now: i64,
) -> ApiResult<(String, bool)> {
    let connect: Option<String> = c
        .query_row(
            "SELECT uuid FROM connect_links WHERE merchant_id = ?1 AND primary_reference = ?2",
            rusqlite::params![mid, reference],
            |r| r.get(0),
        )
        .optional()?;
    let checkout: Option<String> = c
        .query_row(
            "SELECT uuid FROM checkout_links WHERE merchant_id = ?1 AND primary_reference = ?2",
            rusqlite::params![mid, reference],
            |r| r.get(0),
        )
        .optional()?;
    if let Some(u) = connect {
        return Ok((u, false));
    }
    if let Some(u) = checkout {
        return Ok((u, true));
    }
    let mut o = obj(body);
    o.insert("primary_reference".into(), json!(reference));
    o.insert("existing_end_user_id".into(), json!(DEMO_END_USER));
    if o.contains_key("transaction") {
        let req = request::checkout_link_create(&o)?;
        Ok((store::insert_checkout_link(c, mid, &req, now)?, true))
    } else {
        let req = request::connect_link_create(&o)?;
        Ok((store::insert_connect_link(c, mid, &req, now)?, false))
    }
}

fn demo_links(
    c: &rusqlite::Connection,
    mid: i64,
    base: &str,
    now: i64,
) -> ApiResult<Vec<DemoLink>> {
    let specs: [(&str, &str, Value); 4] = [
        (
            "connect link, English",
            "DEMO-CONNECT-EN",
            json!({
                "intro_text": "NOVO uses DRUO to connect to your bank account.",
                "default_language": "en_US",
                "redirect_url": "https://example.com/account-registration-complete"
            }),
        ),
        (
            "connect link, Spanish, custom colours",
            "DEMO-CONNECT-ES",
            json!({
                "intro_text": {
                    "en_US": "NOVO uses DRUO to connect to your bank account.",
                    "es_CO": "NOVO utiliza a DRUO para conectarse con tu cuenta bancaria."
                },
                "default_language": "es-co",
                "background_color": "#0b3d2e", "content_background_color": "#f4fbf7",
                "content_box_text_color": "#10261d", "button_color": "#17704a", "button_text_color": "#ffffff",
                "default_institution": "ins_9082d56c-4e1d-4967-a828-b7001755e88e",
                "redirect_url": "https://example.com/cuenta-conectada?origen=demo"
            }),
        ),
        (
            "checkout link",
            "DEMO-CHECKOUT",
            json!({
                "link_name": "Checkout Link #1234556",
                "link_description": "Insurance policy renewal",
                "redirect_url": "https://example.com/order-complete",
                "transaction": {
                    "tenant_id": DEMO_TENANT, "amount": 20000,
                    "description": "Insurance policy renewal - INV12324",
                    "statement_descriptor": "NOVO BILLING* INV12324", "auto_send_receipt": false
                }
            }),
        ),
        (
            "expired connect link",
            "DEMO-EXPIRED",
            json!({
                "intro_text": "NOVO uses DRUO to connect to your bank account.",
                "expiration_date": "2021-11-16T23:23:38"
            }),
        ),
    ];
    let mut out = Vec::new();
    for (label, reference, body) in specs {
        let (uuid, is_checkout) = ensure_link(c, mid, reference, body, now)?;
        let (table, path) = if is_checkout {
            ("checkout_links", "checkout/")
        } else {
            ("connect_links", "connect/secure")
        };
        let slug: String = c.query_row(
            &format!("SELECT slug FROM {table} WHERE uuid = ?1"),
            [&uuid],
            |r| r.get(0),
        )?;
        out.push(DemoLink {
            label,
            url: format!("{base}/{path}?sl={slug}"),
        });
    }
    Ok(out)
}
