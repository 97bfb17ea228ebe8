//! Start-up data: the institution catalog always; with `--seed-demo`, the
//! demo merchant NOVO and the reference pages' fixtures (end user John Doe,
//! the tenant) under their documented ids, plus demo links to open.

use crate::clock::now_ms;
use crate::store::db::Db;
use crate::store::error::StoreError;
use crate::store::links::{self, LinkKind};
use crate::store::making::Maker;
use crate::store::sql::Conn;
use crate::store::{checkout_links, connect_links, end_users, merchants};
use druo_core::input::Obj;
use druo_core::request;
use druo_core::route::Route;
use druo_core::status::CreationSource;
use druo_core::FieldError;
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
/// `merchant-token.txt` in `folder` (beside a SQLite database), else a new
/// one written there.
pub fn demo_token(folder: &Path, env_token: Option<String>) -> std::io::Result<String> {
    kept(folder, "merchant-token.txt", env_token, crate::ids::token)
}

/// Chooses the demo merchant's signing secret as [`demo_token`] chooses
/// its token: `DRUO_SIGNING_SECRET` when set, else the one kept in
/// `merchant-signing-secret.txt`, else a new one written there.
pub fn demo_signing_secret(folder: &Path, env_secret: Option<String>) -> std::io::Result<String> {
    kept(
        folder,
        "merchant-signing-secret.txt",
        env_secret,
        crate::ids::signing_secret,
    )
}

/// `env` when set, else the value kept in `folder/file`, else a new one
/// from `make` written there (readable by its owner only).
fn kept(
    folder: &Path,
    file: &str,
    env: Option<String>,
    make: fn() -> String,
) -> std::io::Result<String> {
    if let Some(t) = env.filter(|t| !t.trim().is_empty()) {
        return Ok(t.trim().to_string());
    }
    let file = folder.join(file);
    if let Ok(t) = std::fs::read_to_string(&file) {
        if !t.trim().is_empty() {
            return Ok(t.trim().to_string());
        }
        // An empty file (hand-made) is replaced.
        std::fs::remove_file(&file)?;
    }
    // Instances starting at once agree on the first one written.
    crate::files::create_private(&file, &format!("{}\n", make()))?;
    Ok(std::fs::read_to_string(&file)?.trim().to_string())
}

/// Why seeding failed.
#[derive(Debug, thiserror::Error)]
pub enum SeedError {
    /// A fixture broke a request rule (a bug in the fixtures).
    #[error("demo fixture: {0}")]
    Fixture(#[from] FieldError),
    /// Storage failed.
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// The demo merchant's keys.
#[derive(Debug, Clone)]
pub struct DemoKeys {
    /// Its merchant API token.
    pub token: String,
    /// Its signing secret.
    pub signing_secret: String,
}

/// Seeds the demo merchant with its `keys`, its fixtures and demo links;
/// idempotent across restarts. Returns the merchant id and the links.
pub fn demo(
    db: &Db,
    sealer: &crate::sealed::Sealer,
    keys: &DemoKeys,
    base: &str,
) -> Result<(i64, Vec<DemoLink>), SeedError> {
    db.blocking(|tx| {
        let now = now_ms();
        let mid = merchants::upsert(tx, sealer, DEMO_MERCHANT, &keys.token, now)?;
        merchants::set_signing_secret(tx, sealer, mid, &keys.signing_secret)?;
        merchants::ensure_tenant(tx, mid, DEMO_TENANT, "NOVO Colombia")?;
        if !end_users::exists(tx, DEMO_END_USER, None)? {
            let john = request::end_user(&obj(json!({
                "type": "INDIVIDUAL", "first_name": "John", "last_name": "Doe",
                "local_id": "987654321", "local_id_type": "DRIVERS_LICENSE", "local_id_country": "USA",
                "email": "john.doe@example.com", "preferred_language": "en_US"
            })))?;
            let fixed = Some((DEMO_END_USER, "EUJXRKMEPER"));
            end_users::insert(tx, sealer, mid, &john, CreationSource::MerchantApi, fixed, now)?;
        }
        let by = Maker {
            sealer,
            merchant_id: mid,
            now,
        };
        let links = demo_links(tx, &by, base)?;
        Ok((mid, links))
    })
}

fn obj(v: Value) -> Obj {
    v.as_object().cloned().unwrap_or_default()
}

/// Finds the demo link tagged `reference`, or creates it from `body`;
/// returns its page and slug.
fn ensure_link(
    c: &Conn,
    by: &Maker<'_>,
    reference: &str,
    body: Value,
) -> Result<(Route, String), SeedError> {
    let mid = by.merchant_id;
    let slug_of_connect =
        |uuid: &str| Ok::<_, SeedError>((Route::Connect, connect_links::get(c, uuid)?.link.slug));
    let slug_of_checkout =
        |uuid: &str| Ok::<_, SeedError>((Route::Checkout, checkout_links::get(c, uuid)?.link.slug));
    if let Some(u) = links::uuid_by_reference(c, LinkKind::Connect, mid, reference)? {
        return slug_of_connect(&u);
    }
    if let Some(u) = links::uuid_by_reference(c, LinkKind::Checkout, mid, reference)? {
        return slug_of_checkout(&u);
    }
    let mut o = obj(body);
    o.insert("primary_reference".into(), json!(reference));
    o.insert("existing_end_user_id".into(), json!(DEMO_END_USER));
    if o.contains_key("transaction") {
        let req = request::checkout_link_create(&o)?;
        slug_of_checkout(&checkout_links::insert(c, by, &req)?)
    } else {
        let req = request::connect_link_create(&o)?;
        slug_of_connect(&connect_links::insert(c, by, &req)?)
    }
}

/// The demo links: label, reference tag and creation body.
fn demo_specs() -> [(&'static str, &'static str, Value); 4] {
    [
        (
            "connect link, English",
            "DEMO-CONNECT-EN",
            json!({
                "intro_text": "NOVO uses DRUO to connect your bank account or wallet.",
                "default_language": "en_US",
                "redirect_url": "https://example.com/account-registration-complete"
            }),
        ),
        (
            "connect link, Spanish, custom colours",
            "DEMO-CONNECT-ES",
            json!({
                "intro_text": {
                    "en_US": "NOVO uses DRUO to connect your bank account or wallet.",
                    "es_CO": "NOVO usa DRUO para conectar tu cuenta bancaria o billetera."
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
                    "tenant_id": DEMO_TENANT, "amount": 2000000,
                    "description": "Insurance policy renewal - INV12324",
                    "statement_descriptor": "NOVO BILLING* INV12324", "auto_send_receipt": false
                }
            }),
        ),
        (
            "expired connect link",
            "DEMO-EXPIRED",
            json!({
                "intro_text": "NOVO uses DRUO to connect your bank account or wallet.",
                "expiration_date": "2021-11-16T23:23:38"
            }),
        ),
    ]
}

fn demo_links(c: &Conn, by: &Maker<'_>, base: &str) -> Result<Vec<DemoLink>, SeedError> {
    let mut out = Vec::new();
    for (label, reference, body) in demo_specs() {
        let (page, slug) = ensure_link(c, by, reference, body)?;
        out.push(DemoLink {
            label,
            url: page.link_url(base, &slug),
        });
    }
    Ok(out)
}
