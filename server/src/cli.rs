//! The command line: serving is the default; `merchant add|list|rotate|rotate-secret`
//! and `merchant tenant add` manage merchants and their tenants in the
//! database without starting the service, so a fresh installation has a
//! way in without the demo seed. Adding a merchant and rotating a token
//! are written to the security log (`--security-log`).

use crate::clock::now_ms;
use crate::seclog::{Event, SecurityLog};
use crate::secrets::Secrets;
use crate::store::error::StoreError;
use crate::store::{merchants, webhooks};
use crate::Config;
use clap::{Parser, Subcommand};
use std::io::Write;

/// `link-server [FLAGS] [merchant …]`.
#[derive(Debug, Parser)]
#[command(name = "link-server", about = "DRUO Link reference service")]
pub struct Cli {
    /// The service's flags (`--db` also applies to the merchant commands).
    #[command(flatten)]
    pub config: Config,
    /// What to do instead of serving.
    #[command(subcommand)]
    pub command: Option<Command>,
}

/// A command other than serving.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Manage the merchants that may call the merchant API.
    #[command(subcommand)]
    Merchant(MerchantCommand),
    /// Manage a merchant's webhook endpoints (as `POST /webhooks/create`
    /// and `GET /webhooks/list` do).
    #[command(subcommand)]
    Webhook(WebhookCommand),
    /// Copy the SQLite database, consistent even while link-servers run
    /// on it, to a new file (restore: stop the service, put the copy in
    /// the database's place, start). PostgreSQL: use pg_dump or
    /// continuous archiving (docs/deploy.md).
    Backup {
        /// The new file; it must not exist.
        #[arg(long)]
        to: std::path::PathBuf,
    },
    /// Print the pages' locale catalog as JSON, `{catalog: {message:
    /// {en_US, es_CO}}}`: the words the e2e suites look for
    /// (tests/e2e/words.mjs), so a reworded message changes one place.
    Catalog,
}

/// `link-server merchant …`.
#[derive(Debug, Subcommand)]
pub enum MerchantCommand {
    /// Add a merchant and its first tenant (named after it); print its new
    /// API token (shown once; only its SHA-256 is stored), its signing
    /// secret (the key of its signed redirects; shown once) and the
    /// tenant's uuid.
    Add {
        /// Business name shown on link pages; unique.
        name: String,
    },
    /// List merchants, one a line, tab-separated: name; when it was added;
    /// when its token was last used (`never` if not yet); until when the
    /// token replaced by `rotate --grace` still works, and when that one
    /// was last used (both `-` outside a grace period); its tenants' uuids,
    /// comma-separated. Times are ISO-8601 UTC. A last use is kept to 5
    /// minutes: uses within 5 minutes of the recorded one are not written.
    /// Never tokens.
    List,
    /// Replace a merchant's token and print the new one. The old one stops
    /// working at once, or after `--grace`.
    Rotate {
        /// The merchant's business name.
        name: String,
        /// Keep the old token working this long, so clients can move to
        /// the new one without downtime: `30m`, `24h`, `7d` or seconds; at
        /// most 7 days. A later rotation ends it (and starts its own).
        #[arg(long, value_parser = parse_grace, default_value = "0")]
        grace: Grace,
    },
    /// Replace a merchant's signing secret and print the new one. Redirects
    /// are signed with it at once; a way back signed before, still open on
    /// a page, no longer verifies.
    RotateSecret {
        /// The merchant's business name.
        name: String,
    },
    /// Manage a merchant's tenants.
    #[command(subcommand)]
    Tenant(TenantCommand),
}

/// `link-server webhook …`.
#[derive(Debug, Subcommand)]
pub enum WebhookCommand {
    /// Register an endpoint for a merchant and print its uuid and secret.
    /// https only; plain http to a loopback address with `--dev-webhooks`
    /// before the command.
    Add {
        /// The merchant's business name.
        name: String,
        /// Where deliveries go.
        url: String,
        /// Only these events, comma-separated (docs/api.md, "Webhooks")
        /// [default: every event].
        #[arg(long, value_delimiter = ',')]
        events: Vec<String>,
        /// A label for people.
        #[arg(long)]
        description: Option<String>,
    },
    /// List a merchant's endpoints, one a line, tab-separated: uuid, url,
    /// `enabled` or `disabled`, events (`*` for every event). Never secrets.
    List {
        /// The merchant's business name.
        name: String,
    },
}

/// `link-server merchant tenant …`.
#[derive(Debug, Subcommand)]
pub enum TenantCommand {
    /// Add a tenant to a merchant and print its uuid.
    Add {
        /// The merchant's business name.
        name: String,
        /// The tenant's name.
        tenant: String,
    },
}

/// Why a command failed.
#[derive(Debug, thiserror::Error)]
pub enum CliError {
    /// The database could not be opened or migrated.
    #[error("cannot open the database: {0}")]
    Open(StoreError),
    /// The name is already taken.
    #[error("a merchant named `{0}` exists already; use `merchant rotate` for a new token")]
    Exists(String),
    /// No merchant has this name.
    #[error("no merchant named `{0}`; see `merchant list`")]
    Unknown(String),
    /// The name is empty or only spaces.
    #[error("the merchant name must not be empty")]
    EmptyName,
    /// The tenant name is empty or only spaces.
    #[error("the tenant name must not be empty")]
    EmptyTenantName,
    /// `--grace` is not a duration.
    #[error("`{0}` is not a grace period: use 30m, 24h, 7d or a number of seconds")]
    BadGrace(String),
    /// `--grace` is over the maximum.
    #[error("the grace period is at most 7 days")]
    GraceTooLong,
    /// The security log could not be opened; nothing was changed.
    #[error("cannot open the security log: {0}")]
    SecurityLog(std::io::Error),
    /// The service's keys could not be loaded (the signing secret is
    /// sealed with them).
    #[error("cannot load the service's keys: {0}")]
    Secrets(#[from] crate::secrets::SecretError),
    /// A webhook endpoint was refused (the API's own rules).
    #[error("{0}")]
    Webhook(String),
    /// Storage failed.
    #[error(transparent)]
    Store(StoreError),
    /// Printing failed.
    #[error("cannot print: {0}")]
    Print(#[from] std::io::Error),
}

impl From<StoreError> for CliError {
    fn from(e: StoreError) -> Self {
        CliError::Store(e)
    }
}

/// Runs a webhook command against the database at `cfg.db`, printing to
/// `out`.
pub fn run_webhook(
    cfg: &Config,
    cmd: &WebhookCommand,
    out: &mut impl Write,
) -> Result<(), CliError> {
    let db = crate::store::db::Db::open(&cfg.db).map_err(CliError::Open)?;
    let seclog = SecurityLog::open(cfg.security_log.as_deref()).map_err(CliError::SecurityLog)?;
    let secrets = Secrets::load(&db, &cfg.db, cfg.secret_file.as_deref(), &cfg.data_folder())?;
    let sealer = secrets.sealer();
    match cmd {
        WebhookCommand::Add {
            name,
            url,
            events,
            description,
        } => {
            let name = checked_name(name)?;
            let mut body = serde_json::json!({ "url": url, "description": description });
            if !events.is_empty() {
                body["events"] = serde_json::json!(events);
            }
            let obj = body.as_object().cloned().unwrap_or_default();
            let req = druo_core::webhook::create_request(&obj, cfg.webhooks.allow())
                .map_err(|e| CliError::Webhook(e.message))?;
            let secret = crate::ids::webhook_secret();
            let (merchant, uuid) = db.blocking(|tx| {
                let id = merchants::id_by_name(tx, name).map_err(|e| named(e, name))?;
                let new = webhooks::NewEndpoint {
                    merchant_id: id,
                    url: &req.url,
                    description: req.description.as_deref(),
                    events: req.events.as_deref(),
                    secret: &secret,
                    headers: &req.headers,
                };
                Ok::<_, CliError>((id, webhooks::insert(tx, sealer, &new, now_ms())?))
            })?;
            seclog.record(
                Event::WebhookAdded,
                &[("merchant_id", &merchant.to_string()), ("webhook", &uuid)],
            );
            writeln!(out, "webhook {uuid}")?;
            writeln!(out, "secret {secret}")?;
            writeln!(
                out,
                "(the key of X-DRUO-Webhook-Event-Signature: docs/api.md, \"Verifying a webhook\")"
            )?;
            Ok(())
        }
        WebhookCommand::List { name } => {
            let name = checked_name(name)?;
            let all = db.blocking(|c| {
                let id = merchants::id_by_name(c, name).map_err(|e| named(e, name))?;
                webhooks::list(c, sealer, id).map_err(CliError::Store)
            })?;
            for e in all {
                let state = if e.disabled_ms.is_none() {
                    "enabled"
                } else {
                    "disabled"
                };
                let events = match &e.events {
                    None => "*".to_string(),
                    Some(l) => l.iter().map(|e| e.as_str()).collect::<Vec<_>>().join(","),
                };
                writeln!(out, "{}\t{}\t{state}\t{events}", e.uuid, e.url)?;
            }
            Ok(())
        }
    }
}

/// Runs a merchant command against the database at `cfg.db`, printing
/// to `out`.
pub fn run_merchant(
    cfg: &Config,
    cmd: &MerchantCommand,
    out: &mut impl Write,
) -> Result<(), CliError> {
    let db = crate::store::db::Db::open(&cfg.db).map_err(CliError::Open)?;
    // Opened first: a change that cannot be logged is not made.
    let seclog = SecurityLog::open(cfg.security_log.as_deref()).map_err(CliError::SecurityLog)?;
    match cmd {
        MerchantCommand::Add { name } => {
            let name = checked_name(name)?;
            let secrets =
                Secrets::load(&db, &cfg.db, cfg.secret_file.as_deref(), &cfg.data_folder())?;
            let sealer = secrets.sealer();
            let token = crate::ids::token();
            // The merchant and its first tenant, or neither.
            let (tenant, secret) = db.blocking(|tx| {
                let id = merchants::insert(tx, sealer, name, &token, now_ms())
                    .map_err(|e| named(e, name))?;
                let secret = merchants::signing_secret(tx, sealer, id)?;
                Ok::<_, CliError>((merchants::add_tenant(tx, id, name)?, secret))
            })?;
            seclog.record(Event::MerchantAdded, &[("merchant", name)]);
            print_token(out, "added", name, &token)?;
            print_signing_secret(out, secret.as_deref().unwrap_or_default())?;
            print_tenant(out, &tenant)
        }
        MerchantCommand::RotateSecret { name } => {
            let name = checked_name(name)?;
            let secrets =
                Secrets::load(&db, &cfg.db, cfg.secret_file.as_deref(), &cfg.data_folder())?;
            let secret = crate::ids::signing_secret();
            db.blocking(|c| {
                let id = merchants::id_by_name(c, name).map_err(|e| named(e, name))?;
                merchants::set_signing_secret(c, secrets.sealer(), id, &secret)
                    .map_err(CliError::Store)
            })?;
            seclog.record(Event::SigningSecretRotated, &[("merchant", name)]);
            writeln!(out, "new signing secret for {name}")?;
            print_signing_secret(out, &secret)
        }
        MerchantCommand::Tenant(TenantCommand::Add { name, tenant }) => {
            let name = checked_name(name)?;
            let tenant = tenant.trim();
            if tenant.is_empty() {
                return Err(CliError::EmptyTenantName);
            }
            let uuid = db.blocking(|c| {
                let id = merchants::id_by_name(c, name).map_err(|e| named(e, name))?;
                merchants::add_tenant(c, id, tenant).map_err(CliError::Store)
            })?;
            print_tenant(out, &uuid)
        }
        MerchantCommand::Rotate { name, grace } => {
            let name = checked_name(name)?;
            let token = crate::ids::token();
            let now = now_ms();
            db.blocking(|c| {
                merchants::rotate(c, name, &token, grace.ms(), now).map_err(|e| named(e, name))
            })?;
            seclog.record(
                Event::TokenRotated,
                &[("merchant", name), ("grace", &grace.to_string())],
            );
            print_token(out, "new token for", name, &token)?;
            if grace.ms() > 0 {
                let until = druo_core::time::format_iso8601(now.saturating_add(grace.ms()));
                writeln!(out, "the old token works until {until}")?;
            }
            Ok(())
        }
        MerchantCommand::List => {
            let now = now_ms();
            let all = db.blocking(|c| merchants::list(c, now).map_err(CliError::Store))?;
            for m in all {
                let added = druo_core::time::format_iso8601(m.created_ms);
                let used = last_use(m.last_used_ms);
                let (until, old_used) = match &m.previous {
                    Some(p) => (
                        druo_core::time::format_iso8601(p.until_ms),
                        last_use(p.last_used_ms),
                    ),
                    None => ("-".to_string(), "-".to_string()),
                };
                let tenants = m.tenants.join(",");
                writeln!(
                    out,
                    "{}\t{added}\t{used}\t{until}\t{old_used}\t{tenants}",
                    m.business_name
                )?;
            }
            Ok(())
        }
    }
}

/// `link-server backup --to PATH`.
pub fn run_backup(
    cfg: &Config,
    to: &std::path::Path,
    out: &mut impl Write,
) -> Result<(), CliError> {
    let db = crate::store::db::Db::open(&cfg.db).map_err(CliError::Open)?;
    db.backup_to(to)?;
    writeln!(out, "backup {}", to.display())?;
    Ok(())
}

/// A recorded last use, or `never`.
fn last_use(at: Option<i64>) -> String {
    at.map_or_else(|| "never".to_string(), druo_core::time::format_iso8601)
}

/// How long a rotated token keeps working (`merchant rotate --grace`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Grace {
    secs: u32,
}

impl Grace {
    /// The period in milliseconds (0: none).
    pub fn ms(self) -> i64 {
        i64::from(self.secs) * 1000
    }
}

impl std::fmt::Display for Grace {
    /// Seconds, as the security log keeps it (`none` for no grace).
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.secs {
            0 => f.write_str("none"),
            s => write!(f, "{s}s"),
        }
    }
}

/// Parses `30m`, `24h`, `7d` or a number of seconds (`0`: no grace), at
/// most [`merchants::MAX_GRACE_MS`].
pub fn parse_grace(text: &str) -> Result<Grace, CliError> {
    let text = text.trim();
    let bad = || CliError::BadGrace(text.to_string());
    let (digits, unit) = match text.char_indices().last() {
        Some((i, c)) if c.is_ascii_alphabetic() => (&text[..i], c.to_ascii_lowercase()),
        _ => (text, 's'),
    };
    let per: u64 = match unit {
        's' => 1,
        'm' => 60,
        'h' => 3_600,
        'd' => 86_400,
        _ => return Err(bad()),
    };
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err(bad());
    }
    // Too many digits for a number is too long a grace too.
    let n: u64 = digits.parse().map_err(|_| CliError::GraceTooLong)?;
    let secs = n.checked_mul(per).ok_or(CliError::GraceTooLong)?;
    if secs.saturating_mul(1000) > merchants::MAX_GRACE_MS as u64 {
        return Err(CliError::GraceTooLong);
    }
    let secs = u32::try_from(secs).map_err(|_| CliError::GraceTooLong)?;
    Ok(Grace { secs })
}

fn checked_name(name: &str) -> Result<&str, CliError> {
    let name = name.trim();
    if name.is_empty() {
        return Err(CliError::EmptyName);
    }
    Ok(name)
}

/// A storage error about merchant `name`, in the command's words.
fn named(e: StoreError, name: &str) -> CliError {
    match e {
        StoreError::Exists(_) => CliError::Exists(name.to_string()),
        StoreError::NotFound(_) => CliError::Unknown(name.to_string()),
        other => CliError::Store(other),
    }
}

fn print_token(out: &mut impl Write, what: &str, name: &str, token: &str) -> Result<(), CliError> {
    writeln!(out, "merchant {what} {name}")?;
    writeln!(out, "token {token}")?;
    writeln!(
        out,
        "(shown once: only its hash is stored; send it as `Authorization: Bearer <token>`)"
    )?;
    Ok(())
}

fn print_signing_secret(out: &mut impl Write, secret: &str) -> Result<(), CliError> {
    writeln!(out, "signing-secret {secret}")?;
    writeln!(
        out,
        "(the key of the `sig` on your redirects: docs/api.md, \"Verifying a redirect\")"
    )?;
    Ok(())
}

fn print_tenant(out: &mut impl Write, uuid: &str) -> Result<(), CliError> {
    writeln!(out, "tenant {uuid}")?;
    writeln!(
        out,
        "(send it as `transaction.tenant_id` when creating a checkout link)"
    )?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_grace_is_minutes_hours_days_or_seconds_up_to_seven_days() {
        for (text, secs) in [
            ("0", 0),
            ("90", 90),
            ("30m", 1_800),
            ("24h", 86_400),
            ("24H", 86_400),
            ("7d", 604_800),
            ("604800", 604_800),
            ("45s", 45),
        ] {
            assert_eq!(parse_grace(text).unwrap().secs, secs, "{text}");
        }
        for text in ["", "h", "-1h", "1.5h", "1w", "1 h", "24hh", "１h"] {
            assert!(
                matches!(parse_grace(text), Err(CliError::BadGrace(_))),
                "{text}"
            );
        }
        for text in ["8d", "169h", "604801", "99999999999999999999999d"] {
            assert!(
                matches!(parse_grace(text), Err(CliError::GraceTooLong)),
                "{text}"
            );
        }
        assert_eq!(parse_grace("24h").unwrap().to_string(), "86400s");
        assert_eq!(parse_grace("0").unwrap().to_string(), "none");
    }
}
