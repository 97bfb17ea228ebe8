//! End users: the people links are made for and accounts belong to.

use crate::ids;
use crate::store::error::{StoreError, StoreResult};
use crate::store::row::{self, Provenance};
use crate::store::sql::{params, Conn, OptionalExt, Row};
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
    /// Given name.
    pub first_name: Option<String>,
    /// Family name.
    pub last_name: Option<String>,
    /// Organization name.
    pub organization: Option<String>,
    /// National id or similar.
    pub local_id: Option<String>,
    /// Kind of `local_id`.
    pub local_id_type: Option<String>,
    /// Country of `local_id`.
    pub local_id_country: Option<String>,
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

/// The `phone_number` column: the canonical object as JSON text, or, in a
/// row written before it, the text as sent, converted on read
/// ([`PhoneNumber::from_stored`]). An old text that cannot be converted
/// reads as unset; the row keeps it.
fn read_phone(r: &Row) -> StoreResult<Option<PhoneNumber>> {
    let text: Option<String> = r.get("phone_number")?;
    Ok(text.as_deref().and_then(PhoneNumber::from_stored))
}

/// The `address` column: JSON text of the canonical object, or, in a row
/// written before it, of the string or object sent, converted on read
/// ([`Address::from_stored`]). Text that is not JSON is taken as a
/// free-form address.
fn read_address(r: &Row) -> StoreResult<Option<Address>> {
    let text: Option<String> = r.get("address")?;
    Ok(text.and_then(|t| {
        let v = serde_json::from_str(&t).unwrap_or(Value::String(t));
        Address::from_stored(&v)
    }))
}

fn read(r: &Row) -> StoreResult<EndUserRow> {
    Ok(EndUserRow {
        uuid: r.get("uuid")?,
        code: r.get("code")?,
        kind: row::spelled(r, "type", EndUserType::read)?,
        first_name: r.get("first_name")?,
        last_name: r.get("last_name")?,
        organization: r.get("organization")?,
        local_id: r.get("local_id")?,
        local_id_type: r.get("local_id_type")?,
        local_id_country: r.get("local_id_country")?,
        date_of_birth: r.get("date_of_birth")?,
        email: r.get("email")?,
        phone_number: read_phone(r)?,
        address: read_address(r)?,
        preferred_language: r.get("preferred_language")?,
        note: r.get("note")?,
        provenance: Provenance::read(r)?,
    })
}

/// Inserts an end user; `fixed` gives the uuid and code (demo seed only).
pub fn insert(
    conn: &Conn,
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
            u.kind.as_str(),
            u.first_name,
            u.last_name,
            u.organization,
            u.local_id,
            u.local_id_type,
            u.local_id_country,
            u.date_of_birth,
            u.email,
            phone_number,
            address,
            u.preferred_language.map(|l| l.code()),
            u.note,
            u.primary_reference,
            u.secondary_reference,
            Value::Object(u.metadata.clone()).to_string(),
            source.as_str(),
            now
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
        EndUserRef::New(u) => insert(conn, merchant_id, u, source, None, now),
    }
}

/// End user `uuid`; its absence means a row points at nothing.
pub fn get(conn: &Conn, uuid: &str) -> StoreResult<EndUserRow> {
    conn.query_row(
        "SELECT * FROM end_users WHERE uuid = ?1",
        params![uuid],
        read,
    )
    .optional()?
    .ok_or_else(|| StoreError::Dangling(format!("end user {uuid}")))
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
        let mid = merchants::upsert(&*conn, "NOVO", "tok", 0).unwrap();
        (dir, conn, mid)
    }

    fn answered(conn: &Conn, uuid: &str) -> Value {
        serde_json::to_value(objects::end_user(conn, uuid).unwrap()).unwrap()
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
        let uuid = insert(&*conn, mid, &input, CreationSource::MerchantApi, None, 0).unwrap();
        let stored: (String, String) = conn
            .query_row(
                "SELECT type, phone_number FROM end_users WHERE uuid = ?1",
                params![&uuid],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .unwrap();
        assert_eq!(stored.0, "COMPANY");
        assert_eq!(
            serde_json::from_str::<Value>(&stored.1).unwrap(),
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
}
