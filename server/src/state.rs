//! What every handler sees.

use crate::rate::RateLimiter;
use crate::store::db::Db;
use std::path::PathBuf;
use std::sync::Arc;

/// What every handler sees.
#[derive(Clone)]
pub struct AppState {
    /// The database.
    pub db: Db,
    /// Origin written into each link's `url`, without a trailing slash.
    pub public_base: Arc<str>,
    /// The built app.
    pub dist: Arc<PathBuf>,
    /// Render a link page's first screen into its response.
    pub render_pages: bool,
    /// The service's keys.
    pub secrets: Arc<crate::secrets::Secrets>,
    /// The public API's write limits.
    pub rate: Arc<RateLimiter>,
    /// The security log (`crate::seclog`).
    pub seclog: crate::seclog::SecurityLog,
    /// Proxies whose `X-Forwarded-For` names the client (`--trusted-proxy`).
    pub trusted_proxies: Arc<[crate::rate::Cidr]>,
    /// Which webhook endpoint addresses may be registered
    /// (`--dev-webhooks`, `--webhook-allow-private`).
    pub webhook_allow: druo_core::webhook::Allow,
    /// Whether payments queue their receipt email (`--smtp-url`).
    pub email_receipts: bool,
}
