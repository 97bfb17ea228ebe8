//! The command line: serving is the default; `merchant add|list|rotate`
//! and `merchant tenant add` manage merchants and their tenants in the
//! database without starting the service, so a fresh installation has a
//! way in without the demo seed.

use crate::clock::now_ms;
use crate::store::error::StoreError;
use crate::store::merchants;
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
    /// Copy the SQLite database, consistent even while link-servers run
    /// on it, to a new file (restore: stop the service, put the copy in
    /// the database's place, start). PostgreSQL: use pg_dump or
    /// continuous archiving (docs/deploy.md).
    Backup {
        /// The new file; it must not exist.
        #[arg(long)]
        to: std::path::PathBuf,
    },
}

/// `link-server merchant …`.
#[derive(Debug, Subcommand)]
pub enum MerchantCommand {
    /// Add a merchant and its first tenant (named after it); print its new
    /// API token (shown once; only its SHA-256 is stored) and the tenant's
    /// uuid.
    Add {
        /// Business name shown on link pages; unique.
        name: String,
    },
    /// List merchants (names, when they were added and their tenants'
    /// uuids; never tokens).
    List,
    /// Replace a merchant's token and print the new one; the old one stops
    /// working at once.
    Rotate {
        /// The merchant's business name.
        name: String,
    },
    /// Manage a merchant's tenants.
    #[command(subcommand)]
    Tenant(TenantCommand),
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

/// Runs a merchant command against the database at `cfg.db`, printing
/// to `out`.
pub fn run_merchant(
    cfg: &Config,
    cmd: &MerchantCommand,
    out: &mut impl Write,
) -> Result<(), CliError> {
    let db = crate::store::db::Db::open(&cfg.db).map_err(CliError::Open)?;
    match cmd {
        MerchantCommand::Add { name } => {
            let name = checked_name(name)?;
            let token = crate::ids::token();
            // The merchant and its first tenant, or neither.
            let tenant = db.blocking(|tx| {
                let id =
                    merchants::insert(tx, name, &token, now_ms()).map_err(|e| named(e, name))?;
                merchants::add_tenant(tx, id, name).map_err(CliError::Store)
            })?;
            print_token(out, "added", name, &token)?;
            print_tenant(out, &tenant)
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
        MerchantCommand::Rotate { name } => {
            let name = checked_name(name)?;
            let token = crate::ids::token();
            db.blocking(|c| merchants::rotate(c, name, &token).map_err(|e| named(e, name)))?;
            print_token(out, "new token for", name, &token)
        }
        MerchantCommand::List => {
            let all = db.blocking(|c| merchants::list(c).map_err(CliError::Store))?;
            for m in all {
                let added = druo_core::time::format_iso8601(m.created_ms);
                let tenants = m.tenants.join(",");
                writeln!(out, "{}\t{added}\t{tenants}", m.business_name)?;
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

fn print_tenant(out: &mut impl Write, uuid: &str) -> Result<(), CliError> {
    writeln!(out, "tenant {uuid}")?;
    writeln!(
        out,
        "(send it as `transaction.tenant_id` when creating a checkout link)"
    )?;
    Ok(())
}
