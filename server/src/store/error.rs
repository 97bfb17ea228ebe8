//! The storage layer's error: what went wrong reading or writing, with no
//! HTTP in it (the web layer maps it, `ApiError: From<StoreError>`).

use druo_core::FieldError;

/// A storage failure.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// SQLite failed, or a stored value could not be read back (an unknown
    /// status spelling, malformed JSON): a fault of ours, not the caller's.
    #[error("database: {0}")]
    Sqlite(#[from] rusqlite::Error),
    /// PostgreSQL failed (a statement, or the connection under it).
    #[error("database: {0}")]
    Postgres(#[from] postgres::Error),
    /// A PostgreSQL statement failed.
    #[error("database: {cause} in `{sql}`")]
    Statement {
        /// The statement, as sent.
        sql: String,
        /// What PostgreSQL said.
        cause: postgres::Error,
    },
    /// No connection could be had from the pool in time: the database is
    /// unreachable or every connection is busy.
    #[error("database unavailable: {0}")]
    Unavailable(String),
    /// A query that must return a row returned none.
    #[error("query returned no row")]
    NoRow,
    /// A stored value does not read back as its type (a missing column,
    /// another type, an unknown status spelling, malformed JSON).
    #[error("column `{0}` holds an unreadable value")]
    Unreadable(String),
    /// SQLite's quick check found the file damaged.
    #[error("the database file is damaged: {0}")]
    Damaged(String),
    /// The database's schema is newer than this binary knows.
    #[error("the database's schema is version {found}; this link-server knows up to {known}")]
    SchemaTooNew {
        /// Stored version.
        found: i64,
        /// Newest this binary migrates to.
        known: i64,
    },
    /// A value could not be encoded for storage.
    #[error("cannot encode a stored value: {0}")]
    Encode(#[from] serde_json::Error),
    /// The entity asked for does not exist (or is not the caller's).
    #[error("{0} not found")]
    NotFound(&'static str),
    /// The entity to create exists already (a merchant name).
    #[error("{0} exists already")]
    Exists(&'static str),
    /// A row refers to another that is gone: the database is inconsistent.
    #[error("dangling reference: {0}")]
    Dangling(String),
    /// The request names something the database does not hold for this
    /// merchant (an unknown end user, tenant, institution…).
    #[error("refused: {0}")]
    Refused(#[from] FieldError),
    /// A conditional update changed another number of rows than the one
    /// it must change.
    #[error("{what}: {changed} rows changed where one must")]
    Changed {
        /// The row.
        what: &'static str,
        /// How many changed.
        changed: usize,
    },
    /// What was asked cannot be done on this engine.
    #[error("{0}")]
    Unsupported(&'static str),
    /// The blocking worker running the query stopped.
    #[error("database worker: {0}")]
    Worker(String),
}

impl StoreError {
    /// Whether the failure is the database's reachability or load, not
    /// the request or the data: no connection in time, a connection lost
    /// (PostgreSQL restarting or failing over), SQLite busy past its
    /// timeout, or a transaction the database chose to abort. Nothing was
    /// committed, and the request may be sent again.
    pub fn is_unavailable(&self) -> bool {
        use postgres::error::SqlState;
        let pg = |e: &postgres::Error| {
            let io = std::error::Error::source(e).is_some_and(|s| s.is::<std::io::Error>());
            e.is_closed()
                || io
                || e.code().is_some_and(|c| {
                    c.code().starts_with("08")
                        || [
                            SqlState::ADMIN_SHUTDOWN,
                            SqlState::CRASH_SHUTDOWN,
                            SqlState::CANNOT_CONNECT_NOW,
                            SqlState::T_R_SERIALIZATION_FAILURE,
                            SqlState::T_R_DEADLOCK_DETECTED,
                        ]
                        .contains(c)
                })
        };
        match self {
            StoreError::Unavailable(_) => true,
            StoreError::Postgres(e) => pg(e),
            StoreError::Statement { cause, .. } => pg(cause),
            StoreError::Sqlite(rusqlite::Error::SqliteFailure(e, _)) => matches!(
                e.code,
                rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked
            ),
            _ => false,
        }
    }
}

/// A SQLite error as the store's: one that says the file can no longer be
/// trusted (an I/O error, a failed fsync included, or corruption) stops
/// the process with a non-zero exit for its supervisor, before anything
/// is answered (so nothing is acknowledged); a restart runs SQLite's
/// recovery and the quick check. A full disk, or a busy database, only
/// fails the request.
pub fn sqlite_failed(e: rusqlite::Error) -> StoreError {
    if let rusqlite::Error::SqliteFailure(f, _) = &e {
        use rusqlite::ErrorCode as C;
        if matches!(
            f.code,
            C::SystemIoFailure | C::DatabaseCorrupt | C::NotADatabase
        ) {
            eprintln!("link-server: the database can no longer be trusted ({e}); stopping");
            std::process::exit(70);
        }
    }
    StoreError::Sqlite(e)
}

/// A conditional update's check: it must have changed exactly one row
/// (`what`); anything else means the row moved under us, and the
/// transaction is abandoned rather than half-applied.
pub fn expect_one(changed: usize, what: &'static str) -> StoreResult<()> {
    if changed == 1 {
        Ok(())
    } else {
        Err(StoreError::Changed { what, changed })
    }
}

/// Result of a storage call.
pub type StoreResult<T> = Result<T, StoreError>;
