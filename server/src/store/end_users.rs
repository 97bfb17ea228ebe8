//! End users: the people links are made for and accounts belong to.
//!
//! Their personal fields (`local_id`, `date_of_birth`, `email`,
//! `phone_number`, `address`) are stored sealed (`crate::sealed`), each
//! bound to its column and its row ([`place`]: a ciphertext copied into
//! another end user's row does not open, and reading that row fails with
//! `StoreError::Unreadable`, a 500, rather than answer another person's
//! data), and `sealed_key` names the key; `email_index` and
//! `local_id_index` are their keyed blind indexes, which the list filters
//! compare. A row with `sealed_key` NULL was written before sealing: it
//! reads as stored until `reseal` seals it (at start and in `upkeep`).

use crate::ids;
use crate::sealed::Sealer;
use crate::store::error::{StoreError, StoreResult};
use crate::store::row::{self, Provenance};
use crate::store::sql::{params, Conn, OptionalExt, Row, ToValue};
use druo_core::request::{Address, EndUserInput, EndUserRef, EndUserType, PhoneNumber};
use druo_core::status::CreationSource;
use druo_core::FieldError;
use serde_json::Value;

/// An end user as stored.
#[derive(Debug, Clone)]
pub struct EndUserRow {
    /// `eur_…`
    pub uuid: String,
    /// Short locator.
    pub code: String,
    /// `INDIVIDUAL` or `COMPANY` (rows stored as `ORGANIZATION` read as
    /// `COMPANY`).
    pub kind: EndUserType,
    /// The names and the document.
    pub identity: Identity,
    /// `YYYY-MM-DD`.
    pub date_of_birth: Option<String>,
    /// Contact email.
    pub email: Option<String>,
    /// Contact phone, canonical; see [`read_phone`].
    pub phone_number: Option<PhoneNumber>,
    /// Postal address, canonical; see [`read_address`].
    pub address: Option<Address>,
    /// Language code.
    pub preferred_language: Option<String>,
    /// Merchant note.
    pub note: Option<String>,
    /// References, metadata, source and times.
    pub provenance: Provenance,
}

/// Who an end user is: the names and the document, as both the whole row
/// ([`EndUserRow`]) and what the link pages show ([`Shown`]) carry them.
#[derive(Debug, Clone, Default)]
pub struct Identity {
    /// Given name.
    pub first_name: Option<String>,
    /// Family name.
    pub last_name: Option<String>,
    /// Organization name.
    pub organization: Option<String>,
    /// National id or similar, opened.
    pub local_id: Option<String>,
    /// Kind of `local_id`.
    pub local_id_type: Option<String>,
    /// Country of `local_id`.
    pub local_id_country: Option<String>,
}

impl Identity {
    /// Reads it from a row, `local_id` opened already: the caller decides
    /// what a sealed value that does not open reads as.
    fn read(r: &Row, local_id: Option<String>) -> StoreResult<Identity> {
        Ok(Identity {
            first_name: r.get("first_name")?,
            last_name: r.get("last_name")?,
            organization: r.get("organization")?,
            local_id,
            local_id_type: r.get("local_id_type")?,
            local_id_country: r.get("local_id_country")?,
        })
    }
}

/// The `phone_number` column: the canonical object as JSON text, or, in a
/// row written before it, the text as sent, converted on read
/// ([`PhoneNumber::from_stored`]). An old text that cannot be converted
/// reads as unset; the row keeps it.
fn read_phone(text: Option<String>) -> Option<PhoneNumber> {
    text.as_deref().and_then(PhoneNumber::from_stored)
}

/// The `address` column: JSON text of the canonical object, or, in a row
/// written before it, of the string or object sent, converted on read
/// ([`Address::from_stored`]). Text that is not JSON is taken as a
/// free-form address.
fn read_address(text: Option<String>) -> Option<Address> {
    text.and_then(|t| {
        let v = serde_json::from_str(&t).unwrap_or(Value::String(t));
        Address::from_stored(&v)
    })
}

/// The associated data of end user `uuid`'s personal column `column`.
fn place(column: &str, uuid: &str) -> String {
    crate::sealed::context(&[column, uuid])
}

/// The personal columns, sealed each bound to its name and row.
const SEALED: [&str; 5] = [
    "local_id",
    "date_of_birth",
    "email",
    "phone_number",
    "address",
];

/// The text of personal column `column` of `r`: opened when the row is
/// sealed (`sealed_key` set), as stored when it is an older row.
fn personal(r: &Row, sealer: &Sealer, column: &str) -> StoreResult<Option<String>> {
    let sealed_key: Option<String> = r.get("sealed_key")?;
    let stored: Option<String> = r.get(column)?;
    match (sealed_key, stored) {
        (Some(_), Some(v)) => sealer
            .open_in(&place(column, &r.get::<String>("uuid")?), &v)
            .map(Some)
            .map_err(|e| StoreError::Unreadable(format!("end_users.{column}: {e}"))),
        (_, v) => Ok(v),
    }
}

/// The normalised email the `email` blind index is made of: the filter
/// has always been case-insensitive.
fn email_key(email: &str) -> String {
    email.trim().to_lowercase()
}

/// The blind index of an email, as stored in `email_index`.
pub fn email_index(sealer: &Sealer, email: &str) -> String {
    sealer.blind("email", &email_key(email))
}

/// The blind index of a local id (exact), as stored in `local_id_index`.
pub fn local_id_index(sealer: &Sealer, local_id: &str) -> String {
    sealer.blind("local_id", local_id)
}

/// Turns a list filter's `end_user_email` and `end_user_local_id` into
/// their blind indexes, which is what `links::page` compares (the
/// columns themselves are sealed). Every list handler calls it once on
/// its parsed filter.
pub fn blind_filter(f: &mut crate::store::links::ListFilter, sealer: &Sealer) {
    if let Some(e) = f.end_user_email.as_mut() {
        *e = email_index(sealer, e);
    }
    if let Some(l) = f.end_user_local_id.as_mut() {
        *l = local_id_index(sealer, l);
    }
}

fn read(r: &Row, sealer: &Sealer) -> StoreResult<EndUserRow> {
    Ok(EndUserRow {
        uuid: r.get("uuid")?,
        code: r.get("code")?,
        kind: row::spelled(r, "type", EndUserType::read)?,
        identity: Identity::read(r, personal(r, sealer, "local_id")?)?,
        date_of_birth: personal(r, sealer, "date_of_birth")?,
        email: personal(r, sealer, "email")?,
        phone_number: read_phone(personal(r, sealer, "phone_number")?),
        address: read_address(personal(r, sealer, "address")?),
        preferred_language: r.get("preferred_language")?,
        note: r.get("note")?,
        provenance: Provenance::read(r)?,
    })
}

/// Inserts an end user, its personal fields sealed by `sealer`; `fixed`
/// gives the uuid and code (demo seed only).
pub fn insert(
    conn: &Conn,
    sealer: &Sealer,
    merchant_id: i64,
    u: &EndUserInput,
    source: CreationSource,
    fixed: Option<(&str, &str)>,
    now: i64,
) -> StoreResult<String> {
    let phone_number = u
        .phone_number
        .as_ref()
        .map(serde_json::to_string)
        .transpose()?;
    let address = u.address.as_ref().map(serde_json::to_string).transpose()?;
    let (uuid, code) = match fixed {
        Some((u, c)) => (u.to_string(), c.to_string()),
        None => (ids::prefixed_uuid("eur"), ids::code("EU")),
    };
    let seal = |column: &str, v: Option<&str>| v.map(|v| sealer.seal_in(&place(column, &uuid), v));
    conn.execute(
        "INSERT INTO end_users (uuid, merchant_id, code, type, first_name, last_name, organization,
            local_id, local_id_type, local_id_country, date_of_birth, email, phone_number, address,
            preferred_language, note, primary_reference, secondary_reference, metadata,
            creation_source, created_ms, updated_ms, sealed_key, email_index, local_id_index)
         VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13,?14,?15,?16,?17,?18,?19,?20,?21,?21,
            ?22,?23,?24)",
        params![
            uuid,
            merchant_id,
            code,
            u.kind.as_str(),
            u.first_name,
            u.last_name,
            u.organization,
            seal("local_id", u.local_id.as_deref()),
            u.local_id_type,
            u.local_id_country,
            seal("date_of_birth", u.date_of_birth.as_deref()),
            seal("email", u.email.as_deref()),
            seal("phone_number", phone_number.as_deref()),
            seal("address", address.as_deref()),
            u.preferred_language.map(|l| l.code()),
            u.note,
            u.primary_reference,
            u.secondary_reference,
            Value::Object(u.metadata.clone()).to_string(),
            source.as_str(),
            now,
            sealer.current_id(),
            u.email.as_deref().map(|e| email_index(sealer, e)),
            u.local_id.as_deref().map(|l| local_id_index(sealer, l))
        ],
    )?;
    Ok(uuid)
}

/// Whether end user `uuid` exists, for `merchant_id` when given.
pub fn exists(conn: &Conn, uuid: &str, merchant_id: Option<i64>) -> StoreResult<bool> {
    let found: Option<String> = conn
        .query_row(
            "SELECT uuid FROM end_users WHERE uuid = ?1 AND (CAST(?2 AS BIGINT) IS NULL OR merchant_id = ?2)",
            params![uuid, merchant_id],
            |r| r.get(0),
        )
        .optional()?;
    Ok(found.is_some())
}

/// Resolves a request's end user: checks an existing id belongs to the
/// merchant, or creates the new one. Returns the uuid.
pub fn resolve(
    conn: &Conn,
    sealer: &Sealer,
    merchant_id: i64,
    r: &EndUserRef,
    source: CreationSource,
    now: i64,
) -> StoreResult<String> {
    match r {
        EndUserRef::Existing(id) if exists(conn, id, Some(merchant_id))? => Ok(id.clone()),
        EndUserRef::Existing(_) => Err(StoreError::Refused(FieldError::new(
            "existing_end_user_id",
            "UNKNOWN_END_USER",
            "`existing_end_user_id` names no end user of yours",
        ))),
        EndUserRef::New(u) => insert(conn, sealer, merchant_id, u, source, None, now),
    }
}

/// End user `uuid`, its personal fields opened; its absence means a row
/// points at nothing.
pub fn get(conn: &Conn, sealer: &Sealer, uuid: &str) -> StoreResult<EndUserRow> {
    conn.query_row(
        "SELECT * FROM end_users WHERE uuid = ?1",
        params![uuid],
        |r| read(r, sealer),
    )
    .optional()?
    .ok_or_else(|| StoreError::Dangling(format!("end user {uuid}")))
}

/// What a link's pages show of its end user (issue 27): the names and
/// the document, to name the account holder masked, and the email a
/// receipt goes to. Only these columns are read and opened; a sealed value
/// that cannot be opened (a key no longer loaded) reads as absent, so a
/// page or a payment never fails for it.
#[derive(Debug, Clone, Default)]
pub struct Shown {
    /// `COMPANY`: the name is `organization`.
    pub company: bool,
    /// The names and the document.
    pub identity: Identity,
    /// The contact email, opened.
    pub email: Option<String>,
}

/// End user `uuid` as its link pages may show it ([`Shown`]).
pub fn shown(conn: &Conn, sealer: &Sealer, uuid: &str) -> StoreResult<Shown> {
    conn.query_row(
        "SELECT uuid, type, first_name, last_name, organization, local_id, local_id_type,
                local_id_country, email, sealed_key
         FROM end_users WHERE uuid = ?1",
        params![uuid],
        |r| {
            Ok(Shown {
                company: row::spelled(r, "type", EndUserType::read)? == EndUserType::Company,
                identity: Identity::read(r, personal(r, sealer, "local_id").ok().flatten())?,
                email: personal(r, sealer, "email").ok().flatten(),
            })
        },
    )
    .optional()?
    .ok_or_else(|| StoreError::Dangling(format!("end user {uuid}")))
}

/// What one `reseal` call did.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Resealed {
    /// Rows now sealed under the current key.
    pub sealed: usize,
    /// Rows that did not open (sealed under a key no longer loaded).
    pub unreadable: usize,
    /// The last uuid looked at: the next call's `after`.
    pub last: Option<String>,
}

/// Seals, under `sealer`'s current key, at most `limit` end users whose
/// personal fields are in plaintext (`sealed_key` NULL) or, unless
/// `plaintext_only`, sealed under another key, in uuid order after
/// `after`. Each row is rewritten only if no other instance did it first.
pub fn reseal(
    conn: &Conn,
    sealer: &Sealer,
    plaintext_only: bool,
    after: Option<&str>,
    limit: usize,
) -> StoreResult<Resealed> {
    let which = if plaintext_only {
        "sealed_key IS NULL"
    } else {
        "(sealed_key IS NULL OR sealed_key <> ?3)"
    };
    let sql = format!(
        "SELECT uuid, sealed_key, local_id, date_of_birth, email, phone_number, address
         FROM end_users WHERE uuid > ?1 AND {which} ORDER BY uuid LIMIT ?2"
    );
    let limit = i64::try_from(limit).unwrap_or(i64::MAX);
    let after = after.unwrap_or("");
    // A row that does not open is counted and left as it is: its read
    // fails too, and the log says which key is missing.
    let each = |r: &Row| {
        let fields: StoreResult<Vec<Option<String>>> = SEALED
            .iter()
            .map(|column| personal(r, sealer, column))
            .collect();
        Ok((
            r.get::<String>("uuid")?,
            r.get::<Option<String>>("sealed_key")?,
            fields,
        ))
    };
    let found = if plaintext_only {
        conn.query_map(&sql, params![after, limit], each)?
    } else {
        conn.query_map(&sql, params![after, limit, sealer.current_id()], each)?
    };
    let mut done = Resealed::default();
    for (uuid, key, fields) in found {
        match fields {
            Ok(fields) => {
                if reseal_row(conn, sealer, &uuid, key.as_deref(), &fields)? {
                    done.sealed += 1;
                }
            }
            Err(_) => done.unreadable += 1,
        }
        done.last = Some(uuid);
    }
    Ok(done)
}

/// Rewrites row `uuid`'s personal fields (`plain`, in [`SEALED`]'s order)
/// sealed under the current key, with fresh blind indexes, if the row is
/// still sealed under `was` (NULL: plaintext); whether it was rewritten.
fn reseal_row(
    conn: &Conn,
    sealer: &Sealer,
    uuid: &str,
    was: Option<&str>,
    plain: &[Option<String>],
) -> StoreResult<bool> {
    let field = |i: usize| plain.get(i).cloned().flatten();
    let sealed: Vec<Option<String>> = SEALED
        .iter()
        .enumerate()
        .map(|(i, column)| field(i).map(|v| sealer.seal_in(&place(column, uuid), &v)))
        .collect();
    let sealed_at = |i: usize| sealed.get(i).cloned().flatten();
    let email = field(2).map(|e| email_index(sealer, &e));
    let local_id = field(0).map(|l| local_id_index(sealer, &l));
    // Another instance may have sealed the row since it was read: the
    // guard on the key read makes the second write change nothing.
    let guard = if was.is_some() {
        "sealed_key = ?10"
    } else {
        "sealed_key IS NULL"
    };
    let sql = format!(
        "UPDATE end_users SET local_id = ?1, date_of_birth = ?2, email = ?3, phone_number = ?4,
            address = ?5, sealed_key = ?6, email_index = ?7, local_id_index = ?8
         WHERE uuid = ?9 AND {guard}"
    );
    let mut args = params![
        sealed_at(0),
        sealed_at(1),
        sealed_at(2),
        sealed_at(3),
        sealed_at(4),
        sealer.current_id(),
        email,
        local_id,
        uuid
    ]
    .to_vec();
    // `?10`, the key read, is bound only where the guard names it.
    if let Some(was) = was {
        args.push(was.to_value());
    }
    let changed = conn.execute(&sql, &args)?;
    Ok(changed > 0)
}

/// How many end users are sealed under the current key, and how many are
/// not yet (plaintext, or under another key).
pub fn seal_counts(conn: &Conn, sealer: &Sealer) -> StoreResult<(i64, i64)> {
    conn.query_row(
        "SELECT
            COALESCE(SUM(CASE WHEN sealed_key = ?1 THEN 1 ELSE 0 END), 0),
            COALESCE(SUM(CASE WHEN sealed_key = ?1 THEN 0 ELSE 1 END), 0)
         FROM end_users",
        params![sealer.current_id()],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )
}

/// Filters of `GET /end-users/list`, already validated. `common` holds the
/// filters every list shares (code, uuid, references, dates, paging), and
/// this list's `email` and `local_id` as its `end_user_email` and
/// `end_user_local_id` (a row is its own end user); the rest are its own.
#[derive(Debug, Default, Clone)]
pub struct EndUserFilter {
    /// The shared filters and the page.
    pub common: crate::store::links::ListFilter,
    /// Exact type (a stored `ORGANIZATION` counts as `COMPANY`).
    pub kind: Option<EndUserType>,
    /// Given name, exact, in any case.
    pub first_name: Option<String>,
    /// Family name, exact, in any case.
    pub last_name: Option<String>,
    /// Organization name, exact, in any case.
    pub organization: Option<String>,
}

/// Lists the merchant's end users, newest first, one page, with DRUO's
/// filters and `starting_after` pagination.
pub fn list(
    conn: &Conn,
    merchant_id: i64,
    f: &EndUserFilter,
) -> StoreResult<crate::store::links::ListPage> {
    use crate::store::links::{self, Condition, Listed};
    use crate::store::sql::Value as SqlValue;
    let text = |v: &Option<String>| v.clone().map(SqlValue::from);
    let candidates: [(&'static str, Option<SqlValue>); 4] = [
        (
            "(CASE upper(l.type) WHEN 'ORGANIZATION' THEN 'COMPANY' ELSE upper(l.type) END) = ?",
            f.kind.map(|k| k.as_str().to_string().into()),
        ),
        ("lower(l.first_name) = lower(?)", text(&f.first_name)),
        ("lower(l.last_name) = lower(?)", text(&f.last_name)),
        ("lower(l.organization) = lower(?)", text(&f.organization)),
    ];
    let extra: Vec<Condition> = candidates
        .into_iter()
        .filter_map(|(clause, v)| v.map(|v| (clause, v)))
        .collect();
    let listed = Listed {
        table: "end_users",
        end_user_column: "uuid",
        noun: "end user",
    };
    links::page(conn, &listed, merchant_id, &f.common, extra)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::merchant::objects;
    use crate::store::{db, merchants};
    use serde_json::json;

    fn conn() -> (tempfile::TempDir, Box<Conn>, i64) {
        let dir = tempfile::tempdir().unwrap();
        let conn: Box<Conn> = Box::new(db::open(&dir.path().join("t.db")).unwrap());
        let mid = merchants::upsert(&*conn, &sealer(), "NOVO", "tok", 0).unwrap();
        (dir, conn, mid)
    }

    fn sealer() -> Sealer {
        Sealer::new("test personal-data", &[], "test blind-index")
    }

    fn answered(conn: &Conn, uuid: &str) -> Value {
        serde_json::to_value(objects::end_user(conn, &sealer(), uuid).unwrap()).unwrap()
    }

    #[test]
    fn stored_and_answered_canonically() {
        let (_dir, conn, mid) = conn();
        let input = druo_core::request::end_user(
            json!({
                "type": "ORGANIZATION", "organization": "NOVO SAS",
                "local_id_type": "NATIONAL_ID", "local_id_country": "col",
                "phone_number": "+57 300 123 4567",
                "address": {"address_line1": "Cra 7 # 12-34", "country": "col"}
            })
            .as_object()
            .unwrap(),
        )
        .unwrap();
        let s = sealer();
        let uuid = insert(
            &*conn,
            &s,
            mid,
            &input,
            CreationSource::MerchantApi,
            None,
            0,
        )
        .unwrap();
        let stored: (String, String, String) = conn
            .query_row(
                "SELECT type, phone_number, sealed_key FROM end_users WHERE uuid = ?1",
                params![&uuid],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )
            .unwrap();
        assert_eq!(stored.0, "COMPANY");
        assert_eq!(stored.2, s.current_id());
        assert!(!stored.1.contains("3001234567"), "sealed: {}", stored.1);
        assert_eq!(
            serde_json::from_str::<Value>(
                &s.open_in(&place("phone_number", &uuid), &stored.1).unwrap()
            )
            .unwrap(),
            json!({"country_code": "57", "number": "3001234567"})
        );
        let v = answered(&*conn, &uuid);
        assert_eq!(v["type"], "COMPANY");
        assert_eq!(v["local_id_type"], "NATIONAL_ID");
        assert_eq!(
            v["phone_number"],
            json!({"country_code": "57", "number": "3001234567"})
        );
        assert_eq!(
            v["address"],
            json!({
                "address_line_1": "Cra 7 # 12-34", "address_line_2": null, "address_line_3": null,
                "locality": null, "sublocality": null, "administrative_district": null,
                "postal_code": null, "country": "COL"
            })
        );
    }

    /// Rows written before the object forms: `ORGANIZATION`, the phone as
    /// sent, the address as sent (a string or any object).
    #[test]
    fn old_rows_are_converted_on_read() {
        let (_dir, conn, mid) = conn();
        let old = |uuid: &str, code: &str, phone: Option<&str>, address: Option<&str>| {
            conn.execute(
                "INSERT INTO end_users (uuid, merchant_id, code, type, organization, phone_number,
                    address, creation_source, created_ms, updated_ms)
                 VALUES (?1, ?2, ?3, 'ORGANIZATION', 'NOVO SAS', ?4, ?5, 'MERCHANT_API', 0, 0)",
                params![uuid, mid, code, phone, address],
            )
            .unwrap();
            answered(&*conn, uuid)
        };
        let v = old(
            "eur_a",
            "EUA",
            Some("+57 300 123 4567"),
            Some("\"Calle 1 # 2-3\""),
        );
        assert_eq!(v["type"], "COMPANY");
        assert_eq!(
            v["phone_number"],
            json!({"country_code": "57", "number": "3001234567"})
        );
        assert_eq!(v["address"]["address_line_1"], "Calle 1 # 2-3");
        assert_eq!(v["address"]["country"], Value::Null);
        let v = old(
            "eur_b",
            "EUB",
            Some("3001234567"),
            Some(r#"{"street": "Cra 7", "locality": "Bogotá"}"#),
        );
        assert_eq!(v["phone_number"]["number"], "3001234567");
        assert_eq!(v["address"]["locality"], "Bogotá");
        // An old phone with no country code to infer reads as unset.
        let v = old("eur_c", "EUC", Some("ext 12"), None);
        assert_eq!(v["phone_number"], Value::Null);
        assert_eq!(v["address"], Value::Null);
    }

    /// A plaintext row reads as stored, is sealed by `reseal` with its
    /// blind indexes, and reads the same after; a rotation re-seals it
    /// under the new key.
    #[test]
    fn old_rows_are_sealed_and_rotated() {
        let (_dir, conn, mid) = conn();
        conn.execute(
            "INSERT INTO end_users (uuid, merchant_id, code, type, first_name, local_id, email,
                date_of_birth, phone_number, creation_source, created_ms, updated_ms)
             VALUES ('eur_p', ?1, 'EUP', 'INDIVIDUAL', 'Ana', '123', 'Ana@Example.com',
                '1990-01-02', '+57 300 123 4567', 'MERCHANT_API', 0, 0)",
            params![mid],
        )
        .unwrap();
        let before = answered(&*conn, "eur_p");
        let s = sealer();
        let done = reseal(&*conn, &s, true, None, 10).unwrap();
        assert_eq!((done.sealed, done.unreadable), (1, 0));
        assert_eq!(reseal(&*conn, &s, true, None, 10).unwrap().sealed, 0);
        assert_eq!(answered(&*conn, "eur_p"), before);
        let raw: (String, String, String, String) = conn
            .query_row(
                "SELECT email, local_id, email_index, local_id_index FROM end_users WHERE uuid = 'eur_p'",
                params![],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
            )
            .unwrap();
        assert!(!raw.0.contains("Example") && !raw.1.contains("123"));
        assert_eq!(raw.2, email_index(&s, " ana@example.COM "));
        assert_eq!(raw.3, local_id_index(&s, "123"));
        assert_eq!(seal_counts(&*conn, &s).unwrap(), (1, 0));
        let next = Sealer::new("next", &["test personal-data"], "test blind-index");
        assert_eq!(seal_counts(&*conn, &next).unwrap(), (0, 1));
        assert_eq!(
            serde_json::to_value(objects::end_user(&*conn, &next, "eur_p").unwrap()).unwrap(),
            before
        );
        assert_eq!(reseal(&*conn, &next, true, None, 10).unwrap().sealed, 0);
        assert_eq!(reseal(&*conn, &next, false, None, 10).unwrap().sealed, 1);
        assert_eq!(seal_counts(&*conn, &next).unwrap(), (1, 0));
        // The old key alone no longer opens it.
        assert!(get(&*conn, &s, "eur_p").is_err());
        let alone = Sealer::new("next", &[], "test blind-index");
        assert_eq!(
            serde_json::to_value(objects::end_user(&*conn, &alone, "eur_p").unwrap()).unwrap(),
            before
        );
    }

    /// A sealed field copied into another end user's row does not open
    /// there: the read fails instead of answering another person's data.
    #[test]
    fn a_field_copied_to_another_row_does_not_open() {
        let (_dir, conn, mid) = conn();
        let s = sealer();
        let person = |email: &str| {
            druo_core::request::end_user(
                json!({"type": "INDIVIDUAL", "first_name": "Ana", "email": email})
                    .as_object()
                    .unwrap(),
            )
            .unwrap()
        };
        let new = |email: &str| {
            insert(
                &*conn,
                &s,
                mid,
                &person(email),
                CreationSource::MerchantApi,
                None,
                0,
            )
            .unwrap()
        };
        let (ana, bob) = (new("ana@example.com"), new("bob@example.com"));
        conn.execute(
            "UPDATE end_users SET email = (SELECT email FROM end_users WHERE uuid = ?1)
             WHERE uuid = ?2",
            params![&ana, &bob],
        )
        .unwrap();
        assert_eq!(
            get(&*conn, &s, &ana).unwrap().email.as_deref(),
            Some("ana@example.com")
        );
        assert!(matches!(
            get(&*conn, &s, &bob),
            Err(StoreError::Unreadable(what)) if what.starts_with("end_users.email")
        ));
        // The re-seal leaves it as it is and counts it.
        let next = Sealer::new("next", &["test personal-data"], "test blind-index");
        let done = reseal(&*conn, &next, false, None, 10).unwrap();
        assert_eq!((done.sealed, done.unreadable), (1, 1));
    }
}
