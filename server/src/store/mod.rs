//! Storage: every SQL statement of the service, one file per entity, each
//! returning typed rows. Functions take a connection or a transaction and
//! callers own the transaction; errors are [`error::StoreError`], which
//! knows nothing of HTTP.
//!
//! Submodules use each other only downwards (links → end users,
//! institutions; checkout links → payments, merchants; payments →
//! accounts), never back.

pub mod accounts;
pub mod checkout_links;
pub mod connect_links;
pub mod db;
pub mod end_users;
pub mod error;
pub mod idempotency;
pub mod institutions;
pub mod links;
pub mod making;
pub mod merchants;
pub mod payments;
pub mod rate_limits;
pub mod receipts;
pub mod row;
pub mod secrets;
pub mod sql;
pub mod webhooks;
