//! The keys a database made before they moved to a file (the service's
//! `secrets` module moves them out): read once, then removed.

use crate::store::error::StoreResult;
use crate::store::sql::{params, Conn};

/// Every key the database still holds, by name.
pub fn all(conn: &Conn) -> StoreResult<Vec<(String, String)>> {
    conn.query_map("SELECT name, value FROM secrets", params![], |r| {
        Ok((r.get(0)?, r.get(1)?))
    })
}

/// Removes them (once they are safe in the file).
pub fn clear(conn: &Conn) -> StoreResult<()> {
    conn.execute("DELETE FROM secrets", params![])?;
    Ok(())
}
