//! The service's keys, which never live in the database: the key of the
//! account-number fingerprints (equal numbers match, and a stolen database
//! cannot be searched by trying every number) and the key of the stored
//! idempotency and rate-limit request hashes. Every instance on one
//! database must use the same keys.
//!
//! Where they come from, first match wins:
//! - `LINK_SECRET_KEY` (environment only, never a flag, so it is not in
//!   the process list): each key is HMAC-SHA256 of its name under it;
//! - `--secret-file PATH` (`LINK_SECRET_FILE`): `name=value` lines, mode
//!   0600;
//! - with SQLite only, the file `secrets` in the data folder, created on
//!   first start (0600). A database from before keys left it has them in
//!   its `secrets` table: they are written to the file and then removed
//!   from the table, so no stored fingerprint changes.
//!
//! With PostgreSQL one of the first two is required.

use crate::ids;
use crate::store::db::{Db, Location};
use crate::store::error::StoreError;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The key of account-number fingerprints.
pub const ACCOUNT_NUMBER: &str = "account-number";
/// The key of stored request hashes (idempotency, rate-limit retries).
pub const IDEMPOTENCY: &str = "idempotency";
const NAMES: [&str; 2] = [ACCOUNT_NUMBER, IDEMPOTENCY];

/// The keys, loaded once at start.
#[derive(Clone)]
pub struct Secrets {
    /// Keys the account-number fingerprints.
    pub account_number: String,
    /// Keys stored request hashes.
    pub idempotency: String,
}

impl std::fmt::Debug for Secrets {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Secrets(…)")
    }
}

/// Why the keys could not be had.
#[derive(Debug, thiserror::Error)]
pub enum SecretError {
    /// PostgreSQL with no shared key.
    #[error("with PostgreSQL every instance must share its keys: set LINK_SECRET_KEY or --secret-file (LINK_SECRET_FILE)")]
    Required,
    /// The file could not be read or written.
    #[error("secret file {path}: {cause}")]
    File {
        /// The file.
        path: PathBuf,
        /// What failed.
        cause: std::io::Error,
    },
    /// The file is readable by others.
    #[error("secret file {0} must be readable by its owner only (chmod 600)")]
    Exposed(PathBuf),
    /// A key is missing from the file, or a line is not `name=value`.
    #[error("secret file {path}: {what}")]
    Malformed {
        /// The file.
        path: PathBuf,
        /// What is wrong.
        what: String,
    },
    /// The database still holds keys that differ from the ones given:
    /// using the given ones would change every stored fingerprint.
    #[error("the database holds its own `{0}` key, which differs from the one given; start once with the SQLite default (it moves the keys to the data folder's `secrets` file) and use that file")]
    Differs(String),
    /// Storage failed.
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl Secrets {
    /// Loads the keys for the database at `db` (see the module's doc),
    /// and removes any the database still holds once they are safe in
    /// the file.
    pub fn load(
        db: &Db,
        at: &Location,
        file: Option<&Path>,
        data_folder: &Path,
    ) -> Result<Secrets, SecretError> {
        let stored: BTreeMap<String, String> = db
            .blocking(crate::store::secrets::all)?
            .into_iter()
            .collect();
        let env_key = std::env::var("LINK_SECRET_KEY")
            .ok()
            .filter(|k| !k.trim().is_empty());
        let keys = if let Some(master) = env_key {
            NAMES
                .iter()
                .map(|n| {
                    let v = ids::hmac_sha256_hex(master.trim().as_bytes(), n.as_bytes());
                    (n.to_string(), v)
                })
                .collect()
        } else {
            let path = match (file, at) {
                (Some(p), _) => p.to_path_buf(),
                (None, Location::Sqlite(_)) => data_folder.join("secrets"),
                (None, Location::Postgres(_)) => return Err(SecretError::Required),
            };
            if path.exists() {
                read_file(&path)?
            } else if file.is_some() && matches!(at, Location::Postgres(_)) {
                return Err(SecretError::File {
                    path,
                    cause: std::io::ErrorKind::NotFound.into(),
                });
            } else {
                let keys: BTreeMap<String, String> = NAMES
                    .iter()
                    .map(|n| {
                        let v = stored.get(*n).cloned().unwrap_or_else(ids::token);
                        (n.to_string(), v)
                    })
                    .collect();
                write_file(&path, &keys)?
            }
        };
        for (name, value) in &stored {
            if keys.get(name) != Some(value) {
                return Err(SecretError::Differs(name.clone()));
            }
        }
        if !stored.is_empty() {
            db.blocking(crate::store::secrets::clear)?;
        }
        let get = |name: &str| keys.get(name).cloned().unwrap_or_default();
        Ok(Secrets {
            account_number: get(ACCOUNT_NUMBER),
            idempotency: get(IDEMPOTENCY),
        })
    }
}

fn read_file(path: &Path) -> Result<BTreeMap<String, String>, SecretError> {
    let io = |cause| SecretError::File {
        path: path.to_path_buf(),
        cause,
    };
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(path).map_err(io)?.permissions().mode();
        if mode & 0o077 != 0 {
            return Err(SecretError::Exposed(path.to_path_buf()));
        }
    }
    let text = std::fs::read_to_string(path).map_err(io)?;
    let malformed = |what: String| SecretError::Malformed {
        path: path.to_path_buf(),
        what,
    };
    let mut keys = BTreeMap::new();
    for line in text.lines().map(str::trim) {
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let (name, value) = line
            .split_once('=')
            .ok_or_else(|| malformed("a line is not `name=value`".into()))?;
        keys.insert(name.trim().to_string(), value.trim().to_string());
    }
    for name in NAMES {
        if keys.get(name).is_none_or(|v| v.is_empty()) {
            return Err(malformed(format!("no `{name}` key")));
        }
    }
    Ok(keys)
}

/// Writes the keys to the new file `path` (`files::create_private`):
/// when another instance wrote it first, its keys are the ones.
fn write_file(
    path: &Path,
    keys: &BTreeMap<String, String>,
) -> Result<BTreeMap<String, String>, SecretError> {
    let mut text = String::from(
        "# link-server's keys: every instance on this database needs the same file.\n",
    );
    for (name, value) in keys {
        text.push_str(&format!("{name}={value}\n"));
    }
    crate::files::create_private(path, &text).map_err(|cause| SecretError::File {
        path: path.to_path_buf(),
        cause,
    })?;
    read_file(path)
}
