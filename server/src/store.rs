//! Every read and write of the service's entities, and the JSON shapes the
//! merchant API documents (every documented field, `null` where unset).
//! Functions take a connection or transaction; callers own the transaction.

use crate::db::row_to_map;
use crate::error::{ApiError, ApiResult};
use crate::ids;
use druo_core::dto::{
    AccountSubtype, Institution, InstitutionKind, InstitutionRef, PendingValidation, PublicAccount,
};
use druo_core::input::Obj;
use druo_core::request::{
    sandbox_outcome, CheckoutLinkCreate, ConnectLinkCreate, EndUserInput, EndUserRef,
    SandboxOutcome, CHECKOUT_COLOR_FIELDS, CONNECT_COLOR_FIELDS,
};
use druo_core::time::{format_iso8601, is_expired};
use rusqlite::{params, Connection, OptionalExtension};
use serde_json::{json, Map, Value};

/// A merchant, as the API authenticates it.
#[derive(Debug, Clone)]
pub struct Merchant {
    /// Row id; every entity carries it.
    pub id: i64,
    /// Business name shown on link pages.
    pub business_name: String,
}

/// Creates the merchant or replaces its token; returns its id.
pub fn upsert_merchant(
    conn: &Connection,
    name: &str,
    token: &str,
    now: i64,
) -> rusqlite::Result<i64> {
    conn.execute(
        "INSERT INTO merchants (business_name, token_hash, created_ms) VALUES (?1, ?2, ?3)
         ON CONFLICT(business_name) DO UPDATE SET token_hash = excluded.token_hash",
        params![name, ids::sha256_hex(token.as_bytes()), now],
    )?;
    conn.query_row(
        "SELECT id FROM merchants WHERE business_name = ?1",
        [name],
        |r| r.get(0),
    )
}

/// The merchant owning `token`, if any.
pub fn merchant_by_token(conn: &Connection, token: &str) -> rusqlite::Result<Option<Merchant>> {
    conn.query_row(
        "SELECT id, business_name FROM merchants WHERE token_hash = ?1",
        [ids::sha256_hex(token.as_bytes())],
        |r| {
            Ok(Merchant {
                id: r.get(0)?,
                business_name: r.get(1)?,
            })
        },
    )
    .optional()
}

/// A server-side secret, created on first use (keys idempotency hashes).
pub fn secret(conn: &Connection, name: &str) -> rusqlite::Result<String> {
    if let Some(v) = conn
        .query_row("SELECT value FROM secrets WHERE name = ?1", [name], |r| {
            r.get(0)
        })
        .optional()?
    {
        return Ok(v);
    }
    let v = ids::token();
    conn.execute(
        "INSERT INTO secrets (name, value) VALUES (?1, ?2)",
        params![name, v],
    )?;
    Ok(v)
}

fn ts(v: Option<&Value>) -> Value {
    v.and_then(Value::as_i64)
        .map_or(Value::Null, |ms| Value::String(format_iso8601(ms)))
}

fn take(m: &mut Map<String, Value>, k: &str) -> Value {
    m.remove(k).unwrap_or(Value::Null)
}

// ---------------------------------------------------------------- catalog

fn subtypes_text(s: &[AccountSubtype]) -> String {
    s.iter().map(|s| s.code()).collect::<Vec<_>>().join(",")
}

/// Seeds (or refreshes) the institution catalog.
pub fn seed_catalog(conn: &Connection) -> rusqlite::Result<()> {
    for (uuid, name, kind, subtypes, pop) in crate::catalog::INSTITUTIONS {
        let kind = match kind {
            InstitutionKind::Bank => "BANK",
            InstitutionKind::Wallet => "WALLET",
        };
        conn.execute(
            "INSERT INTO institutions (uuid, name, kind, subtypes, popularity) VALUES (?1, ?2, ?3, ?4, ?5)
             ON CONFLICT(uuid) DO UPDATE SET name = excluded.name, kind = excluded.kind,
               subtypes = excluded.subtypes, popularity = excluded.popularity",
            params![uuid, name, kind, subtypes_text(subtypes), pop],
        )?;
    }
    Ok(())
}

fn institution_from_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Institution> {
    let kind: String = r.get(2)?;
    let subtypes: String = r.get(3)?;
    Ok(Institution {
        uuid: r.get(0)?,
        name: r.get(1)?,
        kind: if kind == "WALLET" {
            InstitutionKind::Wallet
        } else {
            InstitutionKind::Bank
        },
        subtypes: subtypes
            .split(',')
            .filter_map(AccountSubtype::parse)
            .collect(),
        popularity: r.get(4)?,
    })
}

/// The catalog, most used first, then by name.
pub fn institutions(conn: &Connection) -> rusqlite::Result<Vec<Institution>> {
    let mut stmt = conn.prepare(
        "SELECT uuid, name, kind, subtypes, popularity FROM institutions
         ORDER BY popularity IS NULL, popularity, name COLLATE NOCASE",
    )?;
    let rows = stmt.query_map([], institution_from_row)?;
    rows.collect()
}

/// One institution.
pub fn institution(conn: &Connection, uuid: &str) -> rusqlite::Result<Option<Institution>> {
    conn.query_row(
        "SELECT uuid, name, kind, subtypes, popularity FROM institutions WHERE uuid = ?1",
        [uuid],
        institution_from_row,
    )
    .optional()
}

/// Checks an optional `default_institution` against the catalog.
pub fn check_default_institution(conn: &Connection, id: Option<&str>) -> ApiResult<()> {
    match id {
        Some(id) if institution(conn, id)?.is_none() => Err(ApiError::field(
            "default_institution",
            "UNKNOWN_INSTITUTION",
            "`default_institution` is not an institution of the catalog (GET /institutions)",
        )),
        _ => Ok(()),
    }
}

// --------------------------------------------------------------- end users

/// Inserts an end user; `fixed` gives the uuid and code (demo seed only).
pub fn insert_end_user(
    conn: &Connection,
    merchant_id: i64,
    u: &EndUserInput,
    source: &str,
    fixed: Option<(&str, &str)>,
    now: i64,
) -> ApiResult<String> {
    let (uuid, code) = match fixed {
        Some((u, c)) => (u.to_string(), c.to_string()),
        None => (ids::prefixed_uuid("eur"), ids::code("EU")),
    };
    conn.execute(
        "INSERT INTO end_users (uuid, merchant_id, code, type, first_name, last_name, organization,
            local_id, local_id_type, local_id_country, date_of_birth, email, phone_number, address,
            preferred_language, note, primary_reference, secondary_reference, metadata,
            creation_source, created_ms, updated_ms)
         VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13,?14,?15,?16,?17,?18,?19,?20,?21,?21)",
        params![
            uuid,
            merchant_id,
            code,
            u.kind,
            u.first_name,
            u.last_name,
            u.organization,
            u.local_id,
            u.local_id_type,
            u.local_id_country,
            u.date_of_birth,
            u.email,
            u.phone_number,
            u.address.as_ref().map(Value::to_string),
            u.preferred_language.map(|l| l.code()),
            u.note,
            u.primary_reference,
            u.secondary_reference,
            Value::Object(u.metadata.clone()).to_string(),
            source,
            now
        ],
    )?;
    Ok(uuid)
}

/// Resolves a request's end user: checks an existing id belongs to the
/// merchant, or creates the new one. Returns the uuid.
pub fn resolve_end_user(
    conn: &Connection,
    merchant_id: i64,
    r: &EndUserRef,
    source: &str,
    now: i64,
) -> ApiResult<String> {
    match r {
        EndUserRef::Existing(id) => {
            let found: Option<String> = conn
                .query_row(
                    "SELECT uuid FROM end_users WHERE uuid = ?1 AND merchant_id = ?2",
                    params![id, merchant_id],
                    |r| r.get(0),
                )
                .optional()?;
            found.ok_or_else(|| {
                ApiError::field(
                    "existing_end_user_id",
                    "UNKNOWN_END_USER",
                    "`existing_end_user_id` names no end user of yours",
                )
            })
        }
        EndUserRef::New(u) => insert_end_user(conn, merchant_id, u, source, None, now),
    }
}

/// The documented EndUser object.
pub fn end_user_json(conn: &Connection, uuid: &str) -> ApiResult<Value> {
    let mut m = conn
        .query_row("SELECT * FROM end_users WHERE uuid = ?1", [uuid], |r| {
            row_to_map(r, &["metadata", "address"])
        })
        .optional()?
        .ok_or_else(|| ApiError::internal(format!("end user {uuid} missing")))?;
    Ok(json!({
        "uuid": take(&mut m, "uuid"),
        "code": take(&mut m, "code"),
        "type": take(&mut m, "type"),
        "first_name": take(&mut m, "first_name"),
        "last_name": take(&mut m, "last_name"),
        "organization": take(&mut m, "organization"),
        "local_id": take(&mut m, "local_id"),
        "local_id_type": take(&mut m, "local_id_type"),
        "local_id_country": take(&mut m, "local_id_country"),
        "date_of_birth": take(&mut m, "date_of_birth"),
        "email": take(&mut m, "email"),
        "phone_number": take(&mut m, "phone_number"),
        "address": take(&mut m, "address"),
        "preferred_language": take(&mut m, "preferred_language"),
        "note": take(&mut m, "note"),
        "primary_reference": take(&mut m, "primary_reference"),
        "secondary_reference": take(&mut m, "secondary_reference"),
        "metadata": take(&mut m, "metadata"),
        "creation_source": take(&mut m, "creation_source"),
        "date_created_gmt": ts(m.get("created_ms")),
        "date_updated_gmt": ts(m.get("updated_ms")),
    }))
}

// ----------------------------------------------------------- connect links

fn colors_json(c: &druo_core::request::Colors) -> String {
    let m: Map<String, Value> = c
        .iter()
        .map(|(k, v)| (k.to_string(), Value::String(v.to_string())))
        .collect();
    Value::Object(m).to_string()
}

/// Inserts a validated connect link; returns its uuid.
pub fn insert_connect_link(
    conn: &Connection,
    merchant_id: i64,
    req: &ConnectLinkCreate,
    now: i64,
) -> ApiResult<String> {
    let c = &req.common;
    check_default_institution(conn, c.default_institution.as_deref())?;
    let end_user = resolve_end_user(conn, merchant_id, &c.end_user, "CONNECT_LINK", now)?;
    let uuid = ids::prefixed_uuid("clk");
    conn.execute(
        "INSERT INTO connect_links (uuid, merchant_id, code, slug, end_user_uuid, intro_text, colors,
            default_institution, primary_reference, secondary_reference, default_language, redirect_url,
            expiration_ms, custom_confirmation_page, metadata, delivery_status, created_ms, updated_ms)
         VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13,?14,?15,'CREATED',?16,?16)",
        params![
            uuid, merchant_id, ids::code("CL"), ids::slug(), end_user,
            serde_json::to_string(&req.intro_text).map_err(ApiError::internal)?,
            colors_json(&req.colors), c.default_institution, c.primary_reference, c.secondary_reference,
            c.default_language.code(), c.redirect_url, c.expiration_date, c.custom_confirmation_page,
            Value::Object(c.metadata.clone()).to_string(), now
        ],
    )?;
    Ok(uuid)
}

const CONNECT_JSON_COLS: &[&str] = &["intro_text", "colors", "metadata"];

/// The documented ConnectLink object for a row map.
fn connect_link_object(
    conn: &Connection,
    mut m: Map<String, Value>,
    base: &str,
    now: i64,
) -> ApiResult<Value> {
    let end_user = end_user_json(
        conn,
        m.get("end_user_uuid")
            .and_then(Value::as_str)
            .unwrap_or_default(),
    )?;
    let colors = take(&mut m, "colors");
    let color = |f: &str| colors.get(f).cloned().unwrap_or(Value::Null);
    let exp = m.get("expiration_ms").and_then(Value::as_i64);
    let slug = m
        .get("slug")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_string();
    let mut out = Map::new();
    out.insert("uuid".into(), take(&mut m, "uuid"));
    out.insert("code".into(), take(&mut m, "code"));
    out.insert(
        "url".into(),
        json!(format!("{base}/connect/secure?sl={slug}")),
    );
    out.insert("expired".into(), json!(is_expired(exp, now)));
    for f in CONNECT_COLOR_FIELDS {
        out.insert(f.into(), color(f));
    }
    out.insert("intro_text".into(), take(&mut m, "intro_text"));
    out.insert("delivery_status".into(), take(&mut m, "delivery_status"));
    out.insert("end_user".into(), end_user);
    for f in [
        "default_institution",
        "primary_reference",
        "secondary_reference",
        "default_language",
        "redirect_url",
    ] {
        out.insert(f.into(), take(&mut m, f));
    }
    out.insert("expiration_date".into(), ts(m.get("expiration_ms")));
    out.insert(
        "custom_confirmation_page".into(),
        json!(m.get("custom_confirmation_page").and_then(Value::as_i64) == Some(1)),
    );
    out.insert("metadata".into(), take(&mut m, "metadata"));
    out.insert("date_created_gmt".into(), ts(m.get("created_ms")));
    out.insert("date_updated_gmt".into(), ts(m.get("updated_ms")));
    Ok(Value::Object(out))
}

/// One connect link by uuid, as the merchant API shows it.
pub fn connect_link_json(conn: &Connection, uuid: &str, base: &str, now: i64) -> ApiResult<Value> {
    let m = conn
        .query_row("SELECT * FROM connect_links WHERE uuid = ?1", [uuid], |r| {
            row_to_map(r, CONNECT_JSON_COLS)
        })
        .optional()?
        .ok_or_else(|| ApiError::not_found("connect link"))?;
    connect_link_object(conn, m, base, now)
}

/// Filters of `GET /connect/link/list`, already validated.
#[derive(Debug, Default, Clone)]
pub struct ConnectListFilter {
    /// Exact status.
    pub delivery_status: Option<String>,
    /// Exact code.
    pub code: Option<String>,
    /// Exact uuid.
    pub uuid: Option<String>,
    /// Exact primary reference.
    pub primary_reference: Option<String>,
    /// Substring of the secondary reference.
    pub secondary_reference: Option<String>,
    /// Created at or after.
    pub date_from: Option<i64>,
    /// Created at or before.
    pub date_to: Option<i64>,
    /// End user's uuid.
    pub end_user_uuid: Option<String>,
    /// End user's code.
    pub end_user_code: Option<String>,
    /// End user's email (case-insensitive).
    pub end_user_email: Option<String>,
    /// End user's local id.
    pub end_user_local_id: Option<String>,
    /// Page size, 1 to 100.
    pub page_size: usize,
    /// Continue after this link uuid (the previous page's last).
    pub starting_after: Option<String>,
}

/// The two kinds of link the list endpoints serve.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LinkKind {
    /// `connect_links`, answered as `connect_links`.
    Connect,
    /// `checkout_links`, answered as `checkout_links`.
    Checkout,
}

impl LinkKind {
    /// The table, which is also the answer's top-level key.
    fn table(self) -> &'static str {
        match self {
            LinkKind::Connect => "connect_links",
            LinkKind::Checkout => "checkout_links",
        }
    }
}

/// Lists the merchant's links of `kind`, newest first, one page, with the
/// documented filters and `starting_after` pagination.
pub fn list_links(
    conn: &Connection,
    merchant_id: i64,
    kind: LinkKind,
    f: &ConnectListFilter,
    base: &str,
    now: i64,
) -> ApiResult<Value> {
    let table = kind.table();
    let mut sql = format!(
        "SELECT l.uuid FROM {table} l JOIN end_users e ON e.uuid = l.end_user_uuid WHERE l.merchant_id = ?"
    );
    let mut args: Vec<rusqlite::types::Value> = vec![merchant_id.into()];
    let mut add = |clause: &str, v: rusqlite::types::Value| {
        sql.push_str(" AND ");
        sql.push_str(clause);
        args.push(v);
    };
    let s = |v: &Option<String>| v.clone().map(rusqlite::types::Value::from);
    if let Some(v) = s(&f.delivery_status) {
        add("l.delivery_status = ?", v)
    }
    if let Some(v) = s(&f.code) {
        add("l.code = ?", v)
    }
    if let Some(v) = s(&f.uuid) {
        add("l.uuid = ?", v)
    }
    if let Some(v) = s(&f.primary_reference) {
        add("l.primary_reference = ?", v)
    }
    if let Some(v) = &f.secondary_reference {
        add("instr(l.secondary_reference, ?) > 0", v.clone().into())
    }
    if let Some(v) = f.date_from {
        add("l.created_ms >= ?", v.into())
    }
    if let Some(v) = f.date_to {
        add("l.created_ms <= ?", v.into())
    }
    if let Some(v) = s(&f.end_user_uuid) {
        add("e.uuid = ?", v)
    }
    if let Some(v) = s(&f.end_user_code) {
        add("e.code = ?", v)
    }
    if let Some(v) = &f.end_user_email {
        add("lower(e.email) = lower(?)", v.clone().into())
    }
    if let Some(v) = s(&f.end_user_local_id) {
        add("e.local_id = ?", v)
    }
    if let Some(after) = &f.starting_after {
        // `table` is one of two literals, never input.
        let anchor: Option<(i64, i64)> = conn
            .query_row(
                &format!(
                    "SELECT created_ms, rowid FROM {table} WHERE uuid = ?1 AND merchant_id = ?2"
                ),
                params![after, merchant_id],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?;
        let (c, rid) = anchor.ok_or_else(|| {
            ApiError::field(
                "starting_after",
                "UNKNOWN_CURSOR",
                "`starting_after` names no link of yours",
            )
        })?;
        sql.push_str(" AND (l.created_ms, l.rowid) < (?, ?)");
        args.push(c.into());
        args.push(rid.into());
    }
    sql.push_str(" ORDER BY l.created_ms DESC, l.rowid DESC LIMIT ?");
    args.push(((f.page_size + 1) as i64).into());
    let mut stmt = conn.prepare(&sql)?;
    let ids: Vec<String> = stmt
        .query_map(rusqlite::params_from_iter(args), |r| r.get(0))?
        .collect::<Result<_, _>>()?;
    let has_next = ids.len() > f.page_size;
    let mut links = Vec::new();
    for id in ids.iter().take(f.page_size) {
        links.push(match kind {
            LinkKind::Connect => connect_link_json(conn, id, base, now)?,
            LinkKind::Checkout => checkout_link_json(conn, id, base, now)?,
        });
    }
    let next = if has_next {
        ids.get(f.page_size - 1).cloned()
    } else {
        None
    };
    let mut out = Map::new();
    out.insert(table.into(), Value::Array(links));
    out.insert(
        "page_info".into(),
        json!({ "has_next_page": has_next, "page_size": f.page_size, "next_starting_after": next }),
    );
    Ok(Value::Object(out))
}

/// A connect link row by slug, for the public API.
pub fn connect_link_by_slug(
    conn: &Connection,
    slug: &str,
) -> rusqlite::Result<Option<Map<String, Value>>> {
    conn.query_row(
        "SELECT l.*, m.business_name AS merchant_name, e.first_name AS end_user_first_name
         FROM connect_links l JOIN merchants m ON m.id = l.merchant_id
         JOIN end_users e ON e.uuid = l.end_user_uuid WHERE l.slug = ?1",
        [slug],
        |r| row_to_map(r, CONNECT_JSON_COLS),
    )
    .optional()
}

/// Moves a link's `delivery_status` forward (CREATED → OPENED → COMPLETED),
/// never back.
pub fn advance_delivery(
    conn: &Connection,
    table: &str,
    uuid: &str,
    to: &str,
    now: i64,
) -> rusqlite::Result<()> {
    let from: &[&str] = match to {
        "OPENED" => &["CREATED"],
        _ => &["CREATED", "OPENED"],
    };
    let placeholders = from
        .iter()
        .map(|s| format!("'{s}'"))
        .collect::<Vec<_>>()
        .join(",");
    // `table` is one of two literals chosen by the caller, never input.
    conn.execute(
        &format!("UPDATE {table} SET delivery_status = ?1, updated_ms = ?2 WHERE uuid = ?3 AND delivery_status IN ({placeholders})"),
        params![to, now, uuid],
    )?;
    Ok(())
}

// ---------------------------------------------------------- checkout links

/// Inserts a validated checkout link and its transaction; returns its uuid.
pub fn insert_checkout_link(
    conn: &Connection,
    merchant_id: i64,
    req: &CheckoutLinkCreate,
    now: i64,
) -> ApiResult<String> {
    let c = &req.common;
    let t = &req.transaction;
    let tenant_ok: Option<String> = conn
        .query_row(
            "SELECT uuid FROM tenants WHERE uuid = ?1 AND merchant_id = ?2",
            params![t.tenant_id, merchant_id],
            |r| r.get(0),
        )
        .optional()?;
    if tenant_ok.is_none() {
        return Err(ApiError::field(
            "transaction.tenant_id",
            "UNKNOWN_TENANT",
            "`transaction.tenant_id` names no tenant of yours",
        ));
    }
    check_default_institution(conn, c.default_institution.as_deref())?;
    let end_user = resolve_end_user(conn, merchant_id, &c.end_user, "CHECKOUT_LINK", now)?;
    let trx = ids::prefixed_uuid("trx");
    conn.execute(
        "INSERT INTO transactions (uuid, merchant_id, code, tenant_uuid, status, amount, currency, description,
            statement_descriptor, auto_send_receipt, primary_reference, secondary_reference, metadata,
            created_ms, updated_ms)
         VALUES (?1,?2,?3,?4,'PENDING',?5,'COP',?6,?7,?8,?9,?10,?11,?12,?12)",
        params![
            trx, merchant_id, ids::code("T"), t.tenant_id, t.amount as i64, t.description,
            t.statement_descriptor, t.auto_send_receipt, t.primary_reference, t.secondary_reference,
            Value::Object(t.metadata.clone()).to_string(), now
        ],
    )?;
    let uuid = ids::prefixed_uuid("chk");
    conn.execute(
        "INSERT INTO checkout_links (uuid, merchant_id, code, slug, end_user_uuid, transaction_uuid, link_name,
            link_description, colors, default_institution, primary_reference, secondary_reference,
            default_language, redirect_url, expiration_ms, custom_confirmation_page, metadata,
            delivery_status, created_ms, updated_ms)
         VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13,?14,?15,?16,?17,'CREATED',?18,?18)",
        params![
            uuid, merchant_id, ids::code("CH"), ids::slug(), end_user, trx, req.link_name,
            req.link_description, colors_json(&req.colors), c.default_institution, c.primary_reference,
            c.secondary_reference, c.default_language.code(), c.redirect_url, c.expiration_date,
            c.custom_confirmation_page, Value::Object(c.metadata.clone()).to_string(), now
        ],
    )?;
    Ok(uuid)
}

/// The documented Payment object.
pub fn transaction_json(conn: &Connection, uuid: &str) -> ApiResult<Value> {
    let mut m = conn
        .query_row("SELECT * FROM transactions WHERE uuid = ?1", [uuid], |r| {
            row_to_map(r, &["metadata"])
        })
        .optional()?
        .ok_or_else(|| ApiError::internal(format!("transaction {uuid} missing")))?;
    Ok(json!({
        "uuid": take(&mut m, "uuid"),
        "code": take(&mut m, "code"),
        "status": take(&mut m, "status"),
        "tenant": { "uuid": take(&mut m, "tenant_uuid") },
        "type": "PAYMENT",
        "creation_source": "CHECKOUT_LINK",
        "amount": take(&mut m, "amount"),
        "variable_fee": null,
        "fixed_fee": null,
        "total_fee": null,
        "net_amount": null,
        "currency": { "code": take(&mut m, "currency") },
        "description": take(&mut m, "description"),
        "remarks": null,
        "funding_source": take(&mut m, "account_uuid"),
        "statement_descriptor": take(&mut m, "statement_descriptor"),
        "primary_reference": take(&mut m, "primary_reference"),
        "secondary_reference": take(&mut m, "secondary_reference"),
        "metadata": take(&mut m, "metadata"),
        "decline_reason": take(&mut m, "decline_reason"),
        "auto_send_receipt": m.get("auto_send_receipt").and_then(Value::as_i64) == Some(1),
        "date_created_gmt": ts(m.get("created_ms")),
        "date_updated_gmt": ts(m.get("updated_ms")),
        "additional_recipients": null,
    }))
}

/// The documented CheckoutLink object.
pub fn checkout_link_json(conn: &Connection, uuid: &str, base: &str, now: i64) -> ApiResult<Value> {
    let mut m = conn
        .query_row(
            "SELECT * FROM checkout_links WHERE uuid = ?1",
            [uuid],
            |r| row_to_map(r, &["colors", "metadata"]),
        )
        .optional()?
        .ok_or_else(|| ApiError::not_found("checkout link"))?;
    let end_user = end_user_json(
        conn,
        m.get("end_user_uuid")
            .and_then(Value::as_str)
            .unwrap_or_default(),
    )?;
    let transaction = transaction_json(
        conn,
        m.get("transaction_uuid")
            .and_then(Value::as_str)
            .unwrap_or_default(),
    )?;
    let colors = take(&mut m, "colors");
    let exp = m.get("expiration_ms").and_then(Value::as_i64);
    let slug = m
        .get("slug")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_string();
    let mut out = Map::new();
    out.insert("uuid".into(), take(&mut m, "uuid"));
    out.insert("code".into(), take(&mut m, "code"));
    out.insert("url".into(), json!(format!("{base}/checkout/?sl={slug}")));
    out.insert("delivery_status".into(), take(&mut m, "delivery_status"));
    out.insert("link_name".into(), take(&mut m, "link_name"));
    out.insert("link_description".into(), take(&mut m, "link_description"));
    for f in CHECKOUT_COLOR_FIELDS {
        out.insert(f.into(), colors.get(f).cloned().unwrap_or(Value::Null));
    }
    out.insert("end_user".into(), end_user);
    out.insert("transaction".into(), transaction);
    for f in [
        "default_institution",
        "primary_reference",
        "secondary_reference",
        "default_language",
        "redirect_url",
    ] {
        out.insert(f.into(), take(&mut m, f));
    }
    out.insert("expiration_date".into(), ts(m.get("expiration_ms")));
    out.insert("expired".into(), json!(is_expired(exp, now)));
    out.insert(
        "custom_confirmation_page".into(),
        json!(m.get("custom_confirmation_page").and_then(Value::as_i64) == Some(1)),
    );
    out.insert("metadata".into(), take(&mut m, "metadata"));
    out.insert("date_created_gmt".into(), ts(m.get("created_ms")));
    out.insert("date_updated_gmt".into(), ts(m.get("updated_ms")));
    Ok(Value::Object(out))
}

// ---------------------------------------------------------------- accounts

/// Everything needed to create an account.
pub struct NewAccount<'a> {
    /// Owner merchant.
    pub merchant_id: i64,
    /// Owner end user.
    pub end_user_uuid: &'a str,
    /// Institution uuid (already checked).
    pub institution: &'a Institution,
    /// Subtype (already checked against the institution).
    pub subtype: AccountSubtype,
    /// Full number: only its last four digits are stored.
    pub account_number: &'a str,
    /// Routing number, when sent.
    pub routing_number: Option<&'a str>,
    /// Connect link it came from.
    pub source_connect_link: Option<&'a str>,
    /// `MERCHANT_API` or `CONNECT_LINK`.
    pub creation_source: &'a str,
    /// Merchant reference.
    pub primary_reference: Option<&'a str>,
    /// Merchant reference.
    pub secondary_reference: Option<&'a str>,
    /// Key-value pairs.
    pub metadata: &'a Obj,
}

/// Checks that the institution exists and supports the subtype.
pub fn check_institution_subtype(
    conn: &Connection,
    uuid: &str,
    subtype: AccountSubtype,
) -> ApiResult<Institution> {
    let inst = institution(conn, uuid)?.ok_or_else(|| {
        ApiError::field(
            "institution_uuid",
            "UNKNOWN_INSTITUTION",
            "`institution_uuid` is not an institution of the catalog",
        )
    })?;
    if !inst.subtypes.contains(&subtype) {
        return Err(ApiError::field(
            "subtype",
            "UNSUPPORTED_SUBTYPE",
            format!("{} does not offer {} accounts", inst.name, subtype.code()),
        ));
    }
    Ok(inst)
}

/// Creates an account with its sandbox outcome; returns its uuid. The full
/// account number is never stored: only its last four digits.
pub fn insert_account(conn: &Connection, a: &NewAccount<'_>, now: i64) -> ApiResult<String> {
    let (status, requires, pending, remarks) = match sandbox_outcome(a.account_number) {
        SandboxOutcome::DoesNotExist => ("REJECTED", false, None, Some("ACCOUNT_DOES_NOT_EXIST")),
        SandboxOutcome::NeedsInstitutionConfirmation => (
            "VALIDATION_PENDING",
            true,
            Some(
                json!([{ "slug": ids::slug(), "action": "CONFIRM_REQUEST_WITH_INSTITUTION" }])
                    .to_string(),
            ),
            None,
        ),
        SandboxOutcome::Verified => ("VERIFIED", false, None, None),
    };
    let last_4 = &a.account_number[a.account_number.len().saturating_sub(4)..];
    let uuid = ids::prefixed_uuid("acc");
    conn.execute(
        "INSERT INTO accounts (uuid, merchant_id, code, end_user_uuid, institution_uuid, source_connect_link,
            current_status, requires_account_validation, pending_account_validations, remarks, last_4, type,
            subtype, routing_number, primary_reference, secondary_reference, metadata, creation_source,
            created_ms, updated_ms)
         VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,'DEPOSITORY',?12,?13,?14,?15,?16,?17,?18,?18)",
        params![
            uuid, a.merchant_id, ids::code("A"), a.end_user_uuid, a.institution.uuid, a.source_connect_link,
            status, requires, pending, remarks, last_4, a.subtype.code(), a.routing_number,
            a.primary_reference, a.secondary_reference, Value::Object(a.metadata.clone()).to_string(),
            a.creation_source, now
        ],
    )?;
    Ok(uuid)
}

fn account_row(conn: &Connection, uuid: &str) -> ApiResult<Map<String, Value>> {
    conn.query_row(
        "SELECT a.*, i.name AS institution_name FROM accounts a JOIN institutions i ON i.uuid = a.institution_uuid
         WHERE a.uuid = ?1",
        [uuid],
        |r| row_to_map(r, &["metadata", "pending_account_validations"]),
    )
    .optional()?
    .ok_or_else(|| ApiError::not_found("account"))
}

/// The documented Account object.
pub fn account_json(conn: &Connection, uuid: &str) -> ApiResult<Value> {
    let mut m = account_row(conn, uuid)?;
    let end_user = end_user_json(
        conn,
        m.get("end_user_uuid")
            .and_then(Value::as_str)
            .unwrap_or_default(),
    )?;
    let verified = m.get("current_status").and_then(Value::as_str) == Some("VERIFIED");
    Ok(json!({
        "uuid": take(&mut m, "uuid"),
        "code": take(&mut m, "code"),
        "source_connect_link": take(&mut m, "source_connect_link"),
        "current_status": take(&mut m, "current_status"),
        "requires_account_validation": m.get("requires_account_validation").and_then(Value::as_i64) == Some(1),
        "pending_account_validations": take(&mut m, "pending_account_validations"),
        "remarks": take(&mut m, "remarks"),
        "institution": { "uuid": take(&mut m, "institution_uuid"), "name": take(&mut m, "institution_name") },
        "last_4": take(&mut m, "last_4"),
        "type": take(&mut m, "type"),
        "subtype": take(&mut m, "subtype"),
        "capabilities": if verified { json!(["PAYMENTS"]) } else { json!([]) },
        "end_user": end_user,
        "disconnection_reason": null,
        "disconnection_note": null,
        "primary_reference": take(&mut m, "primary_reference"),
        "secondary_reference": take(&mut m, "secondary_reference"),
        "metadata": take(&mut m, "metadata"),
        "creation_source": take(&mut m, "creation_source"),
        "date_created_gmt": ts(m.get("created_ms")),
        "date_updated_gmt": ts(m.get("updated_ms")),
    }))
}

/// Asks the institution for the account's status now. In the sandbox the
/// institution confirms a pending request at the first such re-check (the
/// user has said they approved it), so `VALIDATION_PENDING` becomes
/// `VERIFIED`; other statuses are final.
pub fn refresh_account(conn: &Connection, uuid: &str, now: i64) -> rusqlite::Result<()> {
    conn.execute(
        "UPDATE accounts SET current_status = 'VERIFIED', requires_account_validation = 0,
            pending_account_validations = NULL, updated_ms = ?2
         WHERE uuid = ?1 AND current_status = 'VALIDATION_PENDING'",
        params![uuid, now],
    )?;
    Ok(())
}

/// The public view of an account: what the page shows, nothing more.
pub fn public_account(conn: &Connection, uuid: &str) -> ApiResult<PublicAccount> {
    let m = account_row(conn, uuid)?;
    let s = |k: &str| {
        m.get(k)
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_string()
    };
    let pending = m
        .get("pending_account_validations")
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(|p| p.get("action").and_then(Value::as_str))
                .map(|action| PendingValidation {
                    action: druo_core::status::PendingAction::parse(action)
                        .unwrap_or(druo_core::status::PendingAction::Other),
                })
                .collect()
        })
        .unwrap_or_default();
    Ok(PublicAccount {
        uuid: s("uuid"),
        code: s("code"),
        current_status: druo_core::status::AccountStatus::parse(&s("current_status"))
            .unwrap_or(druo_core::status::AccountStatus::ValidationPending),
        requires_account_validation: m.get("requires_account_validation").and_then(Value::as_i64)
            == Some(1),
        pending_account_validations: pending,
        remarks: m.get("remarks").and_then(Value::as_str).map(|r| {
            druo_core::status::AccountRemark::parse(r)
                .unwrap_or(druo_core::status::AccountRemark::Other)
        }),
        institution: InstitutionRef {
            uuid: s("institution_uuid"),
            name: s("institution_name"),
        },
        last_4: s("last_4"),
        subtype: AccountSubtype::parse(&s("subtype")).unwrap_or(AccountSubtype::Savings),
    })
}

// ------------------------------------------------------------- idempotency

/// A stored answer for an idempotency key.
pub struct StoredAnswer {
    /// Hash of the request it answered.
    pub request_hash: String,
    /// HTTP status.
    pub status: u16,
    /// JSON body.
    pub body: String,
}

/// The answer stored for (`scope`, `key`), if any.
pub fn idempotent_answer(
    conn: &Connection,
    scope: &str,
    key: &str,
) -> rusqlite::Result<Option<StoredAnswer>> {
    conn.query_row(
        "SELECT request_hash, status, body FROM idempotency WHERE scope = ?1 AND key = ?2",
        params![scope, key],
        |r| {
            Ok(StoredAnswer {
                request_hash: r.get(0)?,
                status: r.get(1)?,
                body: r.get(2)?,
            })
        },
    )
    .optional()
}

/// Stores the answer for (`scope`, `key`).
pub fn store_answer(
    conn: &Connection,
    scope: &str,
    key: &str,
    a: &StoredAnswer,
    now: i64,
) -> rusqlite::Result<()> {
    conn.execute(
        "INSERT INTO idempotency (scope, key, request_hash, status, body, created_ms) VALUES (?1,?2,?3,?4,?5,?6)",
        params![scope, key, a.request_hash, a.status, a.body, now],
    )?;
    Ok(())
}

// ------------------------------------------------------- checkout (public)

/// A checkout link row by slug with what its page shows: merchant, payer's
/// first name, and the transaction's fields (prefixed `t_`).
pub fn checkout_link_by_slug(
    conn: &Connection,
    slug: &str,
) -> rusqlite::Result<Option<Map<String, Value>>> {
    conn.query_row(
        "SELECT l.*, m.business_name AS merchant_name, e.first_name AS end_user_first_name,
                t.amount AS t_amount, t.currency AS t_currency, t.description AS t_description,
                t.statement_descriptor AS t_statement_descriptor, t.status AS t_status, t.code AS t_code
         FROM checkout_links l JOIN merchants m ON m.id = l.merchant_id
         JOIN end_users e ON e.uuid = l.end_user_uuid
         JOIN transactions t ON t.uuid = l.transaction_uuid WHERE l.slug = ?1",
        [slug],
        |r| row_to_map(r, &["colors", "metadata"]),
    )
    .optional()
}

/// The end user's verified accounts, newest first.
pub fn verified_accounts(conn: &Connection, end_user_uuid: &str) -> ApiResult<Vec<PublicAccount>> {
    let mut stmt = conn.prepare(
        "SELECT uuid FROM accounts WHERE end_user_uuid = ?1 AND current_status = 'VERIFIED'
         ORDER BY created_ms DESC, rowid DESC",
    )?;
    let ids: Vec<String> = stmt
        .query_map([end_user_uuid], |r| r.get(0))?
        .collect::<Result<_, _>>()?;
    ids.iter().map(|id| public_account(conn, id)).collect()
}

/// The sandbox outcome of paying `amount`, documented in docs/api.md:
/// ending in 13 is declined for insufficient funds, ending in 11 stays
/// pending with the bank, anything else completes.
pub fn sandbox_payment(amount: i64) -> (&'static str, Option<&'static str>) {
    match amount % 100 {
        13 => ("DECLINED", Some("INSUFFICIENT_FUNDS")),
        11 => ("PENDING", None),
        _ => ("COMPLETED", None),
    }
}

/// Pays the checkout link's transaction from `account_uuid`; records the
/// outcome on the transaction and completes the link unless declined.
pub fn pay(
    conn: &Connection,
    link: &Map<String, Value>,
    account_uuid: &str,
    now: i64,
) -> ApiResult<druo_core::dto::PaymentResult> {
    let s = |k: &str| {
        link.get(k)
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_string()
    };
    let account: Option<(String, String)> = conn
        .query_row(
            "SELECT code, current_status FROM accounts WHERE uuid = ?1 AND end_user_uuid = ?2",
            params![account_uuid, s("end_user_uuid")],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?;
    let Some((account_code, status)) = account else {
        return Err(ApiError::field(
            "account_uuid",
            "UNKNOWN_ACCOUNT",
            "`account_uuid` is not one of the payer's accounts",
        ));
    };
    if status != "VERIFIED" {
        return Err(ApiError::field(
            "account_uuid",
            "ACCOUNT_NOT_VERIFIED",
            "the account is not verified yet",
        ));
    }
    let amount = link
        .get("t_amount")
        .and_then(Value::as_i64)
        .unwrap_or_default();
    let (status, decline_reason) = sandbox_payment(amount);
    let trx = s("transaction_uuid");
    conn.execute(
        "UPDATE transactions SET status = ?1, decline_reason = ?2, account_uuid = ?3, updated_ms = ?4 WHERE uuid = ?5",
        params![status, decline_reason, account_uuid, now, trx],
    )?;
    if status != "DECLINED" {
        advance_delivery(conn, "checkout_links", &s("uuid"), "COMPLETED", now)?;
    }
    Ok(druo_core::dto::PaymentResult {
        transaction_uuid: trx,
        transaction_code: s("t_code"),
        status: druo_core::status::PaymentStatus::parse(status)
            .unwrap_or(druo_core::status::PaymentStatus::Pending),
        decline_reason: decline_reason.map(|d| {
            druo_core::status::DeclineReason::parse(d)
                .unwrap_or(druo_core::status::DeclineReason::Other)
        }),
        account_code,
        reference: link
            .get("primary_reference")
            .and_then(Value::as_str)
            .map(str::to_string),
    })
}
