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
    /// The blocking worker running the query stopped.
    #[error("database worker: {0}")]
    Worker(String),
}

/// Result of a storage call.
pub type StoreResult<T> = Result<T, StoreError>;
