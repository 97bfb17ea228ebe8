//! The service's keys, which never live in the database: the key of the
//! account-number fingerprints (equal numbers match, and a stolen database
//! cannot be searched by trying every number), the key of the stored
//! idempotency and rate-limit request hashes, and (issue 25) the keys
//! that seal the end user's personal fields and key their blind indexes
//! (`crate::sealed`). Every instance on one database must use the same
//! keys.
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
//!
//! A file names each key once: a name on two lines is refused, so a key
//! appended below an old line of the same name cannot be silently ignored.
//! `personal-data`, `personal-data-previous` and `blind-index` must be at
//! least [`MIN_KEY_LEN`] characters (an empty or short one would make a
//! key anyone can compute); the older two keys keep any non-empty value.
//!
//! A file written before issue 25 has no `personal-data` or `blind-index`
//! key. The SQLite default file gets fresh random ones appended, under the
//! database's write lock (`Db::blocking` is `BEGIN IMMEDIATE`) and only
//! if the file, read again under it, still lacks them: instances that
//! start at once append once. An explicit `--secret-file` is never
//! written to: a missing key is derived as HMAC-SHA256 of its name under
//! the file's `account-number` key, the same on every instance that shares
//! the file. Adding the keys to the file later would change them: keep it
//! as it is, or rotate (below) to explicit keys.
//!
//! Rotating the sealing key (docs/deploy.md, "Secrets"): rename
//! `personal-data` to `personal-data-previous`, add a new `personal-data`,
//! restart every instance. Values sealed under either key open; `upkeep`
//! re-seals the old ones in batches and logs when none is left, after
//! which `personal-data-previous` can be removed. An explicit file's
//! derived key keeps opening what it sealed once the file names its own
//! `personal-data` (`Sealer::with_fallback`), without being reported as
//! a previous key to remove. With `LINK_SECRET_KEY`
//! the sealing key cannot be rotated alone (a new master key changes the
//! fingerprint key too): rotate with a secret file.

use crate::ids;
use crate::store::db::{Db, Location};
use crate::store::error::StoreError;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The key of account-number fingerprints.
pub const ACCOUNT_NUMBER: &str = "account-number";
/// The key of stored request hashes (idempotency, rate-limit retries).
pub const IDEMPOTENCY: &str = "idempotency";
/// The key the end user's personal fields are sealed under.
pub const PERSONAL_DATA: &str = "personal-data";
/// The sealing key being rotated out: still opens, never seals.
pub const PERSONAL_DATA_PREVIOUS: &str = "personal-data-previous";
/// The key of the personal fields' blind indexes (the list filters).
pub const BLIND_INDEX: &str = "blind-index";
/// The keys every file has.
const NAMES: [&str; 2] = [ACCOUNT_NUMBER, IDEMPOTENCY];
/// The keys added by issue 25, which older files lack.
const ADDED: [&str; 2] = [PERSONAL_DATA, BLIND_INDEX];
/// The shortest value accepted for the keys of [`LONG`]: 32 characters,
/// what `openssl rand -hex 16` gives; generated ones (`ids::token`) have 72.
pub const MIN_KEY_LEN: usize = 32;
/// The keys that must be at least [`MIN_KEY_LEN`] long when a file names
/// them.
const LONG: [&str; 3] = [PERSONAL_DATA, PERSONAL_DATA_PREVIOUS, BLIND_INDEX];

/// The keys, loaded once at start.
#[derive(Clone)]
pub struct Secrets {
    /// Keys the account-number fingerprints.
    pub account_number: String,
    /// Keys stored request hashes.
    pub idempotency: String,
    /// Seals the personal fields (`personal-data`, `blind-index`).
    sealer: crate::sealed::Sealer,
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
    /// A key is missing from the file, named twice or too short, or a
    /// line is not `name=value`.
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
        // An explicit file that names its own `personal-data`: the key it
        // derived before it did (if it ever did) keeps opening.
        let mut fallback = None;
        let keys = if let Some(master) = env_key {
            NAMES
                .iter()
                .chain(&ADDED)
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
                let keys = read_file(&path)?;
                if ADDED.iter().all(|n| keys.contains_key(*n)) {
                    keys
                } else if file.is_none() {
                    // Under SQLite's write lock, shared by every instance
                    // on this data folder's database: one appends.
                    db.blocking(|_| append_added(&path))?
                } else {
                    if keys.contains_key(PERSONAL_DATA) {
                        fallback = Some(derived(&keys, PERSONAL_DATA));
                    }
                    derive_added(keys)
                }
            } else if file.is_some() && matches!(at, Location::Postgres(_)) {
                return Err(SecretError::File {
                    path,
                    cause: std::io::ErrorKind::NotFound.into(),
                });
            } else {
                let keys: BTreeMap<String, String> = NAMES
                    .iter()
                    .chain(&ADDED)
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
        let previous: Vec<&str> = keys
            .get(PERSONAL_DATA_PREVIOUS)
            .map(String::as_str)
            .into_iter()
            .collect();
        let mut sealer =
            crate::sealed::Sealer::new(&get(PERSONAL_DATA), &previous, &get(BLIND_INDEX));
        if let Some(f) = fallback {
            // A file that once had no `personal-data` line sealed under the
            // derived key: it keeps opening, so rotating away from it is
            // just adding the line.
            sealer = sealer.with_fallback(&f);
        }
        Ok(Secrets {
            account_number: get(ACCOUNT_NUMBER),
            idempotency: get(IDEMPOTENCY),
            sealer,
        })
    }

    /// Seals, opens and blind-indexes the end user's personal fields.
    pub fn sealer(&self) -> &crate::sealed::Sealer {
        &self.sealer
    }
}

/// An explicit file without the issue-25 keys: each is HMAC-SHA256 of its
/// name under the file's `account-number` key, so every instance sharing
/// the file derives the same one without writing to it.
fn derive_added(mut keys: BTreeMap<String, String>) -> BTreeMap<String, String> {
    for name in ADDED {
        let value = derived(&keys, name);
        keys.entry(name.to_string()).or_insert(value);
    }
    keys
}

/// The key `name` derived from the file's `account-number` key.
fn derived(keys: &BTreeMap<String, String>, name: &str) -> String {
    let base = keys.get(ACCOUNT_NUMBER).map(String::as_str).unwrap_or("");
    ids::hmac_sha256_hex(base.as_bytes(), name.as_bytes())
}

/// The SQLite default file without the issue-25 keys: reads it again and,
/// if they are still missing, appends fresh ones in one write and reads
/// the file again. The caller holds the database's write lock, so another
/// instance starting at the same moment appends nothing: it reads these.
fn append_added(path: &Path) -> Result<BTreeMap<String, String>, SecretError> {
    use std::io::Write;
    let io = |cause| SecretError::File {
        path: path.to_path_buf(),
        cause,
    };
    let keys = read_file(path)?;
    if ADDED.iter().all(|n| keys.contains_key(*n)) {
        return Ok(keys);
    }
    let existing = std::fs::read(path).map_err(io)?;
    let mut text = String::new();
    if existing.last().is_some_and(|b| *b != b'\n') {
        text.push('\n');
    }
    text.push_str("# added for sealing personal data (issue 25)\n");
    for name in ADDED {
        if !keys.contains_key(name) {
            text.push_str(&format!("{name}={}\n", ids::token()));
        }
    }
    let mut f = std::fs::OpenOptions::new()
        .append(true)
        .open(path)
        .map_err(io)?;
    f.write_all(text.as_bytes()).map_err(io)?;
    f.sync_all().map_err(io)?;
    read_file(path)
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
        let name = name.trim();
        // Which of two lines is meant cannot be known (an old key left
        // above its replacement would stay in use): refused.
        if keys
            .insert(name.to_string(), value.trim().to_string())
            .is_some()
        {
            return Err(malformed(format!(
                "the key `{name}` is named twice; keep one line of it"
            )));
        }
    }
    for name in NAMES {
        if keys.get(name).is_none_or(|v| v.is_empty()) {
            return Err(malformed(format!("no `{name}` key")));
        }
    }
    for name in LONG {
        // Characters, not bytes: the message counts what the operator sees.
        if let Some(len) = keys.get(name).map(|v| v.chars().count()) {
            if len < MIN_KEY_LEN {
                return Err(malformed(format!(
                    "the `{name}` key has {len} characters; it needs at least {MIN_KEY_LEN} (e.g. `openssl rand -hex 32`)"
                )));
            }
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

#[cfg(test)]
mod tests {
    use super::*;

    /// `text` as a private key file in a fresh folder, and what reading
    /// it gives.
    fn read(text: &str) -> Result<BTreeMap<String, String>, SecretError> {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("secrets");
        crate::files::create_private(&path, text).unwrap();
        read_file(&path)
    }

    fn refusal(text: &str) -> String {
        match read(text) {
            Err(e @ SecretError::Malformed { .. }) => e.to_string(),
            other => panic!("not refused as malformed: {other:?}"),
        }
    }

    const OLD: &str = "account-number=a\nidempotency=i\n";

    #[test]
    fn short_or_empty_sealing_keys_are_refused() {
        let long = "k".repeat(MIN_KEY_LEN);
        for name in LONG {
            for value in ["", "   ", "short", &"k".repeat(MIN_KEY_LEN - 1)] {
                let e = refusal(&format!("{OLD}{name}={value}\n"));
                assert!(e.contains(&format!("`{name}`")), "{e}");
                if value.len() > 3 {
                    assert!(!e.contains(value), "the value is not echoed: {e}");
                }
            }
            assert!(read(&format!("{OLD}{name}={long}\n")).is_ok());
        }
        // Generated keys pass, and the older keys keep any non-empty value.
        let generated = format!(
            "{OLD}personal-data={}\nblind-index={}\n",
            ids::token(),
            ids::token()
        );
        assert!(ids::token().len() >= MIN_KEY_LEN);
        assert_eq!(read(&generated).unwrap()["account-number"], "a");
        assert!(refusal("account-number=\nidempotency=i\n").contains("no `account-number`"));
    }

    #[test]
    fn a_name_on_two_lines_is_refused() {
        let key = "k".repeat(MIN_KEY_LEN);
        let e = refusal(&format!("{OLD}personal-data={key}\npersonal-data={key}x\n"));
        assert!(e.contains("`personal-data` is named twice"), "{e}");
        let e = refusal("account-number=a\nidempotency=i\naccount-number=b\n");
        assert!(e.contains("`account-number` is named twice"), "{e}");
    }

    /// The append re-reads under the caller's lock: a second call (another
    /// instance that read the file before the first appended) adds nothing.
    #[test]
    fn the_append_never_names_a_key_twice() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("secrets");
        crate::files::create_private(&path, "account-number=a\nidempotency=i").unwrap();
        let first = append_added(&path).unwrap();
        let second = append_added(&path).unwrap();
        assert_eq!(first, second);
        assert!(ADDED.iter().all(|n| first[*n].len() >= MIN_KEY_LEN));
        let text = std::fs::read_to_string(&path).unwrap();
        assert_eq!(text.matches("personal-data=").count(), 1, "{text}");
        assert!(
            text.starts_with("account-number=a\nidempotency=i\n#"),
            "{text}"
        );
    }
}
