//! Making a link: its default institution checked, its end user resolved
//! (or made from the details given inline), then its row, for either kind.
//! Above both `links` (the shared columns) and `end_users`, which lists
//! end users through `links`' list query.

use crate::ids;
use crate::sealed::Sealer;
use crate::store::end_users;
use crate::store::error::StoreResult;
use crate::store::institutions;
use crate::store::links::{self, LinkKind};
use crate::store::sql::{Conn, Value as SqlValue};
use druo_core::request::LinkCommon;

/// Who makes a new link, and when.
#[derive(Clone, Copy)]
pub struct Maker<'a> {
    /// Seals the personal fields of an end user given inline.
    pub sealer: &'a Sealer,
    /// The owner merchant.
    pub merchant_id: i64,
    /// The time of the making, ms since the epoch.
    pub now: i64,
}

/// Makes a link of `kind` from the shared part `c` of its request: checks
/// the default institution, resolves (or makes) its end user, then
/// inserts the [`COLS`](links::COLS) (a fresh uuid, code and slug, status CREATED) and
/// the kind's own columns, which `own` gives once the end user is known
/// (a checkout link inserts its transaction there). Returns its uuid.
pub(super) fn make(
    conn: &Conn,
    kind: LinkKind,
    by: &Maker<'_>,
    c: &LinkCommon,
    own: impl FnOnce() -> StoreResult<links::Own>,
) -> StoreResult<String> {
    institutions::check_default(conn, c.default_institution.as_deref())?;
    let end_user = end_users::resolve(
        conn,
        by.sealer,
        by.merchant_id,
        &c.end_user,
        kind.source(),
        by.now,
    )?;
    let extra = own()?;
    let (uuid_prefix, code_prefix) = kind.prefixes();
    let uuid = ids::prefixed_uuid(uuid_prefix);
    let new = links::NewLink {
        uuid: &uuid,
        merchant_id: by.merchant_id,
        code: ids::code(code_prefix),
        end_user_uuid: &end_user,
    };
    let shared = links::shared_values(&new, c, by.now)?;
    let named = shared.iter().chain(&extra);
    let cols: Vec<&str> = named.clone().map(|(col, _)| *col).collect();
    let args: Vec<SqlValue> = named.map(|(_, v)| v.clone()).collect();
    let cols = cols.join(", ");
    let marks = vec!["?"; args.len()].join(",");
    conn.execute(
        &format!("INSERT INTO {} ({cols}) VALUES ({marks})", kind.table()),
        &args[..],
    )?;
    Ok(uuid)
}
