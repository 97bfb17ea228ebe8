//! One SQL interface over both backends. Every statement of the store is
//! written once, in the SQL SQLite and PostgreSQL share, with `?N` (or
//! bare `?`) placeholders; [`Conn`] runs it on either. For PostgreSQL the
//! text is translated on the way (`?N` → `$N`, `instr(` → `strpos(`),
//! values are bound leniently by the column's type, and rows come back
//! owned, read by column name or position. The work queues' claim under
//! a lease ([`Queue`]) is written here once for both of its tables.
//!
//! Booleans are stored as integers on both backends (`0`/`1`), so a row
//! reads the same from either.

use crate::store::error::{sqlite_failed, StoreError, StoreResult};
use std::cell::RefCell;
use std::collections::HashMap;
use std::sync::Arc;

/// Which SQL engine a connection speaks, for the few statements that are
/// not the same on both (row locks).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dialect {
    /// SQLite: one writer at a time (`BEGIN IMMEDIATE`), so a row read in
    /// a write transaction is already locked.
    Sqlite,
    /// PostgreSQL: rows are locked with `FOR UPDATE`.
    Postgres,
}

/// A value bound to, or read from, a statement.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// SQL `NULL`.
    Null,
    /// An integer (booleans too).
    Int(i64),
    /// A float.
    Real(f64),
    /// Text.
    Text(String),
}

/// A Rust value that binds as a [`Value`].
pub trait ToValue {
    /// The value to bind.
    fn to_value(&self) -> Value;
}

impl ToValue for Value {
    fn to_value(&self) -> Value {
        self.clone()
    }
}
impl ToValue for i64 {
    fn to_value(&self) -> Value {
        Value::Int(*self)
    }
}
impl ToValue for i32 {
    fn to_value(&self) -> Value {
        Value::Int(i64::from(*self))
    }
}
impl ToValue for u16 {
    fn to_value(&self) -> Value {
        Value::Int(i64::from(*self))
    }
}
impl ToValue for u32 {
    fn to_value(&self) -> Value {
        Value::Int(i64::from(*self))
    }
}
impl ToValue for usize {
    fn to_value(&self) -> Value {
        Value::Int(i64::try_from(*self).unwrap_or(i64::MAX))
    }
}
impl ToValue for bool {
    fn to_value(&self) -> Value {
        Value::Int(i64::from(*self))
    }
}
impl ToValue for f64 {
    fn to_value(&self) -> Value {
        Value::Real(*self)
    }
}
impl ToValue for str {
    fn to_value(&self) -> Value {
        Value::Text(self.to_string())
    }
}
impl ToValue for String {
    fn to_value(&self) -> Value {
        Value::Text(self.clone())
    }
}
impl<T: ToValue + ?Sized> ToValue for &T {
    fn to_value(&self) -> Value {
        (**self).to_value()
    }
}
impl<T: ToValue> ToValue for Option<T> {
    fn to_value(&self) -> Value {
        self.as_ref().map_or(Value::Null, ToValue::to_value)
    }
}

macro_rules! value_from {
    ($($t:ty),*) => {$(
        impl From<$t> for Value {
            fn from(v: $t) -> Value {
                v.to_value()
            }
        }
    )*};
}
value_from!(
    i64,
    bool,
    &str,
    String,
    Option<i64>,
    Option<String>,
    Option<&str>
);

/// The values of a statement's placeholders, in order:
/// `params![uuid, now]`.
#[macro_export]
macro_rules! params {
    ($($x:expr),* $(,)?) => {
        &[$($crate::store::sql::ToValue::to_value(&$x)),*][..]
    };
}
pub use params;

/// A Rust value read out of a column.
pub trait FromValue: Sized {
    /// The value, or `None` when the column holds another type.
    fn from_value(v: &Value) -> Option<Self>;
}

impl FromValue for i64 {
    fn from_value(v: &Value) -> Option<Self> {
        match v {
            Value::Int(i) => Some(*i),
            _ => None,
        }
    }
}
impl FromValue for u16 {
    fn from_value(v: &Value) -> Option<Self> {
        i64::from_value(v).and_then(|i| u16::try_from(i).ok())
    }
}
impl FromValue for u32 {
    fn from_value(v: &Value) -> Option<Self> {
        i64::from_value(v).and_then(|i| u32::try_from(i).ok())
    }
}
impl FromValue for usize {
    fn from_value(v: &Value) -> Option<Self> {
        i64::from_value(v).and_then(|i| usize::try_from(i).ok())
    }
}
impl FromValue for bool {
    fn from_value(v: &Value) -> Option<Self> {
        i64::from_value(v).map(|i| i != 0)
    }
}
impl FromValue for f64 {
    fn from_value(v: &Value) -> Option<Self> {
        match v {
            Value::Real(f) => Some(*f),
            Value::Int(i) => Some(*i as f64),
            _ => None,
        }
    }
}
impl FromValue for String {
    fn from_value(v: &Value) -> Option<Self> {
        match v {
            Value::Text(s) => Some(s.clone()),
            _ => None,
        }
    }
}
impl<T: FromValue> FromValue for Option<T> {
    fn from_value(v: &Value) -> Option<Self> {
        match v {
            Value::Null => Some(None),
            other => T::from_value(other).map(Some),
        }
    }
}

/// A column, by name or by position.
pub trait Column {
    /// Its position in `row`, if it has one.
    fn index(&self, row: &Row) -> Option<usize>;
    /// How an error names it.
    fn name(&self) -> String;
}
impl Column for usize {
    fn index(&self, row: &Row) -> Option<usize> {
        (*self < row.values.len()).then_some(*self)
    }
    fn name(&self) -> String {
        format!("#{self}")
    }
}
impl Column for &str {
    fn index(&self, row: &Row) -> Option<usize> {
        row.names.get(*self).copied()
    }
    fn name(&self) -> String {
        (*self).to_string()
    }
}

/// One row of a result, owned.
#[derive(Debug, Clone)]
pub struct Row {
    names: Arc<HashMap<String, usize>>,
    values: Vec<Value>,
}

impl Row {
    /// The column `col` as a `T`; a missing column or another type is a
    /// storage error, never a panic.
    pub fn get<T: FromValue>(&self, col: impl Column) -> StoreResult<T> {
        col.index(self)
            .and_then(|i| T::from_value(&self.values[i]))
            .ok_or_else(|| StoreError::Unreadable(col.name()))
    }
}

fn names(cols: impl IntoIterator<Item = String>) -> Arc<HashMap<String, usize>> {
    Arc::new(cols.into_iter().enumerate().map(|(i, n)| (n, i)).collect())
}

/// A connection or transaction of either backend, as the store's
/// functions take it (`&Conn`).
pub type Conn = dyn SqlConn;

/// What each backend provides: run a statement, return its rows.
pub trait SqlConn {
    /// The engine.
    fn dialect(&self) -> Dialect;
    /// Runs a statement; the number of rows it changed.
    fn exec(&self, sql: &str, args: &[Value]) -> StoreResult<usize>;
    /// Runs a query; its rows.
    fn rows(&self, sql: &str, args: &[Value]) -> StoreResult<Vec<Row>>;
    /// Runs several statements with no values (migrations).
    fn batch(&self, sql: &str) -> StoreResult<()>;
}

impl dyn SqlConn {
    /// The locking clause of a claim that takes rows of `alias` no other
    /// transaction is claiming: `FOR UPDATE OF alias SKIP LOCKED` on
    /// PostgreSQL, where instances claim at once; nothing on SQLite,
    /// whose write transaction is the only writer.
    pub fn skip_locked(&self, alias: &str) -> String {
        match self.dialect() {
            Dialect::Postgres => format!("FOR UPDATE OF {alias} SKIP LOCKED"),
            Dialect::Sqlite => String::new(),
        }
    }

    /// Runs a statement; the number of rows it changed.
    pub fn execute(&self, sql: &str, args: &[Value]) -> StoreResult<usize> {
        self.exec(sql, args)
    }

    /// Inserts the row `args` under `cols` (`a, b, …`) into `table` unless
    /// it clashes with one there (`ON CONFLICT DO NOTHING`, which both
    /// engines take); 1 when it went in, else 0. `table` and `cols` are
    /// literals, never input.
    pub fn insert_new(&self, table: &str, cols: &str, args: &[Value]) -> StoreResult<usize> {
        let marks: Vec<String> = (1..=args.len()).map(|i| format!("?{i}")).collect();
        let marks = marks.join(", ");
        self.exec(
            &format!("INSERT INTO {table} ({cols}) VALUES ({marks}) ON CONFLICT DO NOTHING"),
            args,
        )
    }

    /// The first row, read by `f`; [`StoreError::NoRow`] when there is
    /// none (`.optional()` turns that into `None`).
    pub fn query_row<T>(
        &self,
        sql: &str,
        args: &[Value],
        f: impl FnOnce(&Row) -> StoreResult<T>,
    ) -> StoreResult<T> {
        match self.rows(sql, args)?.first() {
            Some(r) => f(r),
            None => Err(StoreError::NoRow),
        }
    }

    /// Every row, each read by `f`.
    pub fn query_map<T>(
        &self,
        sql: &str,
        args: &[Value],
        f: impl FnMut(&Row) -> StoreResult<T>,
    ) -> StoreResult<Vec<T>> {
        self.rows(sql, args)?.iter().map(f).collect()
    }

    /// Runs `f` atomically inside whatever transaction is open (a
    /// savepoint), or as its own transaction in autocommit mode: the
    /// several writes of one change land together or not at all.
    pub fn atomic<T>(&self, f: impl FnOnce(&Conn) -> StoreResult<T>) -> StoreResult<T> {
        self.batch("SAVEPOINT atomic")?;
        match f(self) {
            Ok(v) => {
                self.batch("RELEASE SAVEPOINT atomic")?;
                Ok(v)
            }
            Err(e) => {
                let _ = self.batch("ROLLBACK TO SAVEPOINT atomic; RELEASE SAVEPOINT atomic");
                Err(e)
            }
        }
    }

    /// Locks the row of `table` whose `column` is `key` until the
    /// transaction ends, before anything is read of it, and says whether
    /// it exists. PostgreSQL locks the row (`FOR UPDATE`): a second
    /// transaction on it waits, then reads what the first committed.
    /// SQLite takes the database's write lock with a write that changes
    /// nothing (already held in a `BEGIN IMMEDIATE` transaction; taken
    /// first, before any read, inside a `Conn::atomic`), so no read
    /// snapshot ever has to be upgraded. `table` and `column` are the
    /// store's literals, never input.
    pub fn lock_row(&self, table: &str, column: &str, key: &str) -> StoreResult<bool> {
        let found = match self.dialect() {
            Dialect::Postgres => !self
                .rows(
                    &format!("SELECT 1 FROM {table} WHERE {column} = ?1 FOR UPDATE"),
                    &[Value::Text(key.to_string())],
                )?
                .is_empty(),
            Dialect::Sqlite => {
                self.exec(
                    &format!("UPDATE {table} SET {column} = {column} WHERE {column} = ?1"),
                    &[Value::Text(key.to_string())],
                )? > 0
            }
        };
        Ok(found)
    }
}

// Work queues whose due rows a sender claims for a while (a lease): the
// webhook deliveries and the receipt emails. Several senders (of one
// instance or of several on one PostgreSQL database) take turns: a row
// under a running lease is nobody else's, and one whose lease ran out
// (its sender died or stalled) is taken again.

/// A table of claimable rows, as the statements of [`Queue::claim`] and
/// [`Queue::any_due`] name it. Every part is a literal, never input.
pub(super) struct Queue {
    /// The table.
    pub table: &'static str,
    /// Its alias in `claimable`.
    pub alias: &'static str,
    /// Which rows a claim may take at `?1` (the time).
    pub claimable: &'static str,
    /// The order they are taken in.
    pub order: &'static str,
    /// The columns a claim answers.
    pub returning: &'static str,
}

/// One claim: whose, when, for how long, and how many rows at most.
#[derive(Debug, Clone, Copy)]
pub struct Lease<'a> {
    /// The claim's own name, which finishing a row must give: a try that
    /// outlived its lease cannot finish the claim that took the row again.
    pub by: &'a str,
    /// The time of the claim, ms since the epoch.
    pub now: i64,
    /// How long the rows are the claim's.
    pub lease_ms: i64,
    /// The most rows it takes.
    pub limit: usize,
}

impl Queue {
    /// Whether a claim at `now` would take anything: a read, so an idle
    /// sender costs the writer nothing.
    pub(super) fn any_due(&self, conn: &Conn, now: i64) -> StoreResult<bool> {
        let Queue {
            table,
            alias,
            claimable,
            ..
        } = self;
        Ok(conn
            .query_row(
                &format!("SELECT 1 FROM {table} {alias} WHERE {claimable} LIMIT 1"),
                params![now],
                |_| Ok(()),
            )
            .optional()?
            .is_some())
    }

    /// Claims rows for `lease`, each read by `read` from the `returning`
    /// columns, and counts a try on each. On PostgreSQL rows another
    /// instance is claiming are skipped (`SKIP LOCKED`), so instances never
    /// take the same one; on SQLite the write transaction is the only
    /// writer.
    pub(super) fn claim<T>(
        &self,
        conn: &Conn,
        lease: &Lease<'_>,
        read: impl FnMut(&Row) -> StoreResult<T>,
    ) -> StoreResult<Vec<T>> {
        let Queue {
            table,
            alias,
            claimable,
            order,
            returning,
        } = self;
        let lock = conn.skip_locked(alias);
        conn.query_map(
            &format!(
                "UPDATE {table} SET claimed_by = ?2, claimed_until_ms = ?3, attempts = attempts + 1
                 WHERE id IN (
                   SELECT {alias}.id FROM {table} {alias} WHERE {claimable}
                   ORDER BY {order} LIMIT ?4 {lock})
                 RETURNING {returning}"
            ),
            params![
                lease.now,
                lease.by,
                lease.now.saturating_add(lease.lease_ms),
                lease.limit as i64
            ],
            read,
        )
    }
}

/// `.optional()` on a single-row result, as rusqlite spells it.
pub trait OptionalExt<T> {
    /// `Ok(None)` for no row; other errors stay errors.
    fn optional(self) -> StoreResult<Option<T>>;
}

impl<T> OptionalExt<T> for StoreResult<T> {
    fn optional(self) -> StoreResult<Option<T>> {
        match self {
            Ok(v) => Ok(Some(v)),
            Err(StoreError::NoRow) => Ok(None),
            Err(e) => Err(e),
        }
    }
}

// SQLite.

impl rusqlite::ToSql for Value {
    fn to_sql(&self) -> rusqlite::Result<rusqlite::types::ToSqlOutput<'_>> {
        use rusqlite::types::{ToSqlOutput, Value as V};
        Ok(ToSqlOutput::Owned(match self {
            Value::Null => V::Null,
            Value::Int(i) => V::Integer(*i),
            Value::Real(f) => V::Real(*f),
            Value::Text(s) => V::Text(s.clone()),
        }))
    }
}

impl SqlConn for rusqlite::Connection {
    fn dialect(&self) -> Dialect {
        Dialect::Sqlite
    }

    fn exec(&self, sql: &str, args: &[Value]) -> StoreResult<usize> {
        let mut stmt = self.prepare_cached(sql).map_err(sqlite_failed)?;
        stmt.execute(rusqlite::params_from_iter(args))
            .map_err(sqlite_failed)
    }

    fn rows(&self, sql: &str, args: &[Value]) -> StoreResult<Vec<Row>> {
        use rusqlite::types::ValueRef;
        let mut stmt = self.prepare_cached(sql).map_err(sqlite_failed)?;
        let cols = names(stmt.column_names().into_iter().map(str::to_string));
        let n = stmt.column_count();
        let mut rows = stmt
            .query(rusqlite::params_from_iter(args))
            .map_err(sqlite_failed)?;
        let mut out = Vec::new();
        while let Some(r) = rows.next().map_err(sqlite_failed)? {
            let mut values = Vec::with_capacity(n);
            for i in 0..n {
                values.push(match r.get_ref(i)? {
                    ValueRef::Null => Value::Null,
                    ValueRef::Integer(v) => Value::Int(v),
                    ValueRef::Real(v) => Value::Real(v),
                    ValueRef::Text(t) => Value::Text(String::from_utf8_lossy(t).into_owned()),
                    ValueRef::Blob(_) => return Err(StoreError::Unreadable(format!("#{i}"))),
                });
            }
            out.push(Row {
                names: cols.clone(),
                values,
            });
        }
        Ok(out)
    }

    fn batch(&self, sql: &str) -> StoreResult<()> {
        self.execute_batch(sql).map_err(sqlite_failed)
    }
}

// PostgreSQL.

impl postgres::types::ToSql for Value {
    fn to_sql(
        &self,
        ty: &postgres::types::Type,
        out: &mut postgres::types::private::BytesMut,
    ) -> Result<postgres::types::IsNull, Box<dyn std::error::Error + Sync + Send>> {
        use postgres::types::{IsNull, Type};
        match self {
            Value::Null => Ok(IsNull::Yes),
            Value::Int(i) => match *ty {
                Type::INT2 => i16::try_from(*i)?.to_sql(ty, out),
                Type::INT4 => i32::try_from(*i)?.to_sql(ty, out),
                Type::BOOL => (*i != 0).to_sql(ty, out),
                Type::FLOAT8 => (*i as f64).to_sql(ty, out),
                Type::TEXT | Type::VARCHAR | Type::UNKNOWN => i.to_string().to_sql(ty, out),
                _ => i.to_sql(ty, out),
            },
            Value::Real(f) => match *ty {
                Type::FLOAT4 => (*f as f32).to_sql(ty, out),
                _ => f.to_sql(ty, out),
            },
            Value::Text(s) => s.as_str().to_sql(ty, out),
        }
    }

    fn accepts(_: &postgres::types::Type) -> bool {
        true
    }

    postgres::types::to_sql_checked!();
}

/// `?N` → `$N` and bare `?` → the next number (SQLite's own numbering:
/// one more than the largest so far), outside quoted text; `instr(` →
/// `strpos(` (the same arguments in the same order).
pub fn to_postgres(sql: &str) -> String {
    let mut out = String::with_capacity(sql.len() + 8);
    let mut chars = sql.chars().peekable();
    let mut quoted = false;
    let mut max = 0u32;
    while let Some(c) = chars.next() {
        if c == '\'' {
            quoted = !quoted;
            out.push(c);
        } else if c == '?' && !quoted {
            let mut digits = String::new();
            while let Some(d) = chars.peek().filter(|d| d.is_ascii_digit()) {
                digits.push(*d);
                chars.next();
            }
            let n = digits.parse().unwrap_or(max + 1);
            max = max.max(n);
            out.push('$');
            out.push_str(&n.to_string());
        } else {
            out.push(c);
        }
    }
    out.replace("instr(", "strpos(")
}

/// A PostgreSQL connection from the pool, inside the transaction that
/// `store::db::Db` opened on it.
pub struct PgConn {
    client:
        RefCell<r2d2::PooledConnection<r2d2_postgres::PostgresConnectionManager<postgres::NoTls>>>,
}

impl PgConn {
    /// Wraps a pooled connection.
    pub fn new(
        client: r2d2::PooledConnection<r2d2_postgres::PostgresConnectionManager<postgres::NoTls>>,
    ) -> Self {
        PgConn {
            client: RefCell::new(client),
        }
    }

    fn params(args: &[Value]) -> Vec<&(dyn postgres::types::ToSql + Sync)> {
        args.iter()
            .map(|a| a as &(dyn postgres::types::ToSql + Sync))
            .collect()
    }
}

impl SqlConn for PgConn {
    fn dialect(&self) -> Dialect {
        Dialect::Postgres
    }

    fn exec(&self, sql: &str, args: &[Value]) -> StoreResult<usize> {
        let sql = to_postgres(sql);
        let n = self
            .client
            .borrow_mut()
            .execute(sql.as_str(), &Self::params(args))
            .map_err(|cause| StoreError::Statement { sql, cause })?;
        Ok(usize::try_from(n).unwrap_or(usize::MAX))
    }

    fn rows(&self, sql: &str, args: &[Value]) -> StoreResult<Vec<Row>> {
        use postgres::types::Type;
        let sql = to_postgres(sql);
        let found = self
            .client
            .borrow_mut()
            .query(sql.as_str(), &Self::params(args))
            .map_err(|cause| StoreError::Statement { sql, cause })?;
        let Some(first) = found.first() else {
            return Ok(Vec::new());
        };
        let cols = names(first.columns().iter().map(|c| c.name().to_string()));
        let mut out = Vec::with_capacity(found.len());
        for r in &found {
            let mut values = Vec::with_capacity(r.len());
            for (i, col) in r.columns().iter().enumerate() {
                let v = match *col.type_() {
                    Type::INT8 => r.try_get::<_, Option<i64>>(i)?.map(Value::Int),
                    Type::INT4 => r
                        .try_get::<_, Option<i32>>(i)?
                        .map(|v| Value::Int(v.into())),
                    Type::INT2 => r
                        .try_get::<_, Option<i16>>(i)?
                        .map(|v| Value::Int(v.into())),
                    Type::BOOL => r
                        .try_get::<_, Option<bool>>(i)?
                        .map(|v| Value::Int(v.into())),
                    Type::FLOAT8 => r.try_get::<_, Option<f64>>(i)?.map(Value::Real),
                    Type::FLOAT4 => r
                        .try_get::<_, Option<f32>>(i)?
                        .map(|v| Value::Real(v.into())),
                    Type::TEXT | Type::VARCHAR | Type::NAME | Type::BPCHAR => {
                        r.try_get::<_, Option<String>>(i)?.map(Value::Text)
                    }
                    _ => return Err(StoreError::Unreadable(col.name().to_string())),
                };
                values.push(v.unwrap_or(Value::Null));
            }
            out.push(Row {
                names: cols.clone(),
                values,
            });
        }
        Ok(out)
    }

    fn batch(&self, sql: &str) -> StoreResult<()> {
        Ok(self.client.borrow_mut().batch_execute(sql)?)
    }
}

#[cfg(test)]
mod tests {
    use super::to_postgres;

    #[test]
    fn placeholders_follow_sqlite_numbering() {
        assert_eq!(
            to_postgres("SELECT a FROM t WHERE b = ?2 AND c = ?1"),
            "SELECT a FROM t WHERE b = $2 AND c = $1"
        );
        assert_eq!(
            to_postgres("WHERE a = ? AND b = ? LIMIT ?"),
            "WHERE a = $1 AND b = $2 LIMIT $3"
        );
        assert_eq!(
            to_postgres("WHERE a = ?3 AND b = ?"),
            "WHERE a = $3 AND b = $4"
        );
        assert_eq!(
            to_postgres("WHERE a = '?' AND b = ?1"),
            "WHERE a = '?' AND b = $1"
        );
        assert_eq!(
            to_postgres("WHERE instr(a, ?1) > 0"),
            "WHERE strpos(a, $1) > 0"
        );
    }
}
