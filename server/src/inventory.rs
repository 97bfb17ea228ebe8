//! The inline scripts a page's build may run: the inventory the build
//! writes beside each `index.html` (`scripts/assets.mjs inventory`, the last
//! step of `scripts/build`), read here for the page's CSP. The policy's
//! script hashes come from this list, made when the app was built and
//! reviewed (each script an entry of `INLINE_SCRIPTS` there, PCI DSS 4.0
//! 6.4.3), never from whatever inline script the served file holds: a
//! script added to a served `index.html` after the build does not run.
//!
//! The file, `<build>/.script-inventory.json`:
//! `{ "file": "index.html", "scripts": [{ "purpose": "loader",
//! "sha256": "<base64>", "bytes": 2256 }, …] }`.

use base64::Engine;
use serde::Deserialize;
use sha2::{Digest, Sha256};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

/// The inventory's file name in a build's directory (beside its
/// `index.html`). A dot file: build metadata, not one of the page's assets.
pub const FILE: &str = ".script-inventory.json";

/// Why a build's inventory gives no hashes.
#[derive(Debug, thiserror::Error)]
pub enum InventoryError {
    /// The file is missing or unreadable (a build from before the
    /// inventory, or `trunk serve`'s, which does not write one).
    #[error("cannot read {0}: {1}")]
    Read(PathBuf, std::io::Error),
    /// The file is not an inventory.
    #[error("{0} is not a script inventory: {1}")]
    Parse(PathBuf, serde_json::Error),
    /// An entry's `sha256` is not the base64 of 32 bytes: the whole file
    /// is refused, so nothing but a hash can reach the policy.
    #[error("{0}: the script {1:?} has no valid sha256")]
    Hash(PathBuf, String),
}

#[derive(Deserialize)]
struct Inventory {
    scripts: Vec<Entry>,
}

#[derive(Deserialize)]
struct Entry {
    sha256: String,
    #[serde(default)]
    purpose: String,
}

/// The CSP sources (`'sha256-…'`) of the inline scripts the build in
/// `page_dir` (the directory of the `index.html` being served) lists in its
/// inventory, in its order. Read on each call, like the page itself, so a
/// rebuild under a running server is followed at once. A missing,
/// unreadable or malformed inventory gives none (fail closed: no inline
/// script runs, and a page link-server rendered still works as HTML) and
/// one line on standard error, once per directory.
pub fn script_hashes(page_dir: &Path) -> Vec<String> {
    match read(page_dir) {
        Ok(hashes) => hashes,
        Err(e) => {
            warn_once(page_dir, &e);
            Vec::new()
        }
    }
}

/// The inventory of the build in `page_dir` as CSP sources, or why not.
pub fn read(page_dir: &Path) -> Result<Vec<String>, InventoryError> {
    let path = page_dir.join(FILE);
    let text = std::fs::read_to_string(&path).map_err(|e| InventoryError::Read(path.clone(), e))?;
    let inventory: Inventory =
        serde_json::from_str(&text).map_err(|e| InventoryError::Parse(path.clone(), e))?;
    inventory
        .scripts
        .into_iter()
        .map(|s| match is_sha256(&s.sha256) {
            true => Ok(format!("'sha256-{}'", s.sha256)),
            false => Err(InventoryError::Hash(path.clone(), s.purpose)),
        })
        .collect()
}

/// Writes the inventory of `scripts` (each a purpose and the script's text
/// exactly as in `index.html`) into `page_dir`, as the build does: for
/// the fake builds of tests and tools; the real one is scripts/assets.mjs's.
pub fn write(page_dir: &Path, scripts: &[(&str, &str)]) -> std::io::Result<()> {
    let scripts: Vec<serde_json::Value> = scripts
        .iter()
        .map(|(purpose, body)| {
            serde_json::json!({
                "purpose": purpose,
                "sha256": base64::engine::general_purpose::STANDARD.encode(Sha256::digest(body)),
                "bytes": body.len(),
            })
        })
        .collect();
    let json = serde_json::json!({ "file": "index.html", "scripts": scripts });
    std::fs::write(page_dir.join(FILE), format!("{json:#}\n"))
}

/// True for the standard base64 of exactly 32 bytes, written canonically:
/// no quote, space or other source can ride in with it.
fn is_sha256(b64: &str) -> bool {
    let engine = base64::engine::general_purpose::STANDARD;
    engine
        .decode(b64)
        .is_ok_and(|bytes| bytes.len() == 32 && engine.encode(&bytes) == b64)
}

/// The directories whose inventory failed, already said: one line each,
/// not one per page view.
static WARNED: Mutex<BTreeSet<PathBuf>> = Mutex::new(BTreeSet::new());

fn warn_once(page_dir: &Path, e: &InventoryError) {
    let first = WARNED
        .lock()
        .map(|mut w| w.insert(page_dir.to_path_buf()))
        .unwrap_or(true);
    if first {
        eprintln!(
            "link-server: {e}; no inline script of {} may run (run scripts/build)",
            page_dir.display()
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn source(body: &str) -> String {
        let digest = Sha256::digest(body);
        format!(
            "'sha256-{}'",
            base64::engine::general_purpose::STANDARD.encode(digest)
        )
    }

    #[test]
    fn the_listed_hashes_are_the_sources_in_order() {
        let dir = tempfile::tempdir().unwrap();
        write(dir.path(), &[("loader", "start()"), ("helpers", "help()")]).unwrap();
        assert_eq!(
            script_hashes(dir.path()),
            vec![source("start()"), source("help()")]
        );
        // The build's own format (scripts/assets.mjs), extra fields and all.
        std::fs::write(
            dir.path().join(FILE),
            r#"{ "file": "index.html", "scripts": [
                { "purpose": "loader", "sha256": "ZMifoA6zb8OX5t+CXYjZtBSFtw2ShTkDmTtVJOQbeHU=", "bytes": 2256 }
            ] }"#,
        )
        .unwrap();
        assert_eq!(
            script_hashes(dir.path()),
            vec!["'sha256-ZMifoA6zb8OX5t+CXYjZtBSFtw2ShTkDmTtVJOQbeHU='".to_string()]
        );
        // An empty list allows no script.
        write(dir.path(), &[]).unwrap();
        assert!(script_hashes(dir.path()).is_empty());
    }

    #[test]
    fn a_rebuild_is_followed_at_once() {
        let dir = tempfile::tempdir().unwrap();
        write(dir.path(), &[("loader", "old()")]).unwrap();
        assert_eq!(script_hashes(dir.path()), vec![source("old()")]);
        write(dir.path(), &[("loader", "new()")]).unwrap();
        assert_eq!(script_hashes(dir.path()), vec![source("new()")]);
    }

    #[test]
    fn no_inventory_allows_no_script() {
        let dir = tempfile::tempdir().unwrap();
        assert!(matches!(read(dir.path()), Err(InventoryError::Read(..))));
        assert!(script_hashes(dir.path()).is_empty());
        std::fs::write(dir.path().join(FILE), "{\"scripts\": [").unwrap();
        assert!(matches!(read(dir.path()), Err(InventoryError::Parse(..))));
        assert!(script_hashes(dir.path()).is_empty());
        std::fs::write(dir.path().join(FILE), "[]").unwrap();
        assert!(script_hashes(dir.path()).is_empty());
    }

    #[test]
    fn only_a_hash_reaches_the_policy() {
        let dir = tempfile::tempdir().unwrap();
        let good = "ZMifoA6zb8OX5t+CXYjZtBSFtw2ShTkDmTtVJOQbeHU=";
        for bad in [
            "ZMifoA6zb8OX5t+CXYjZtBSFtw2ShTkDmTtVJOQbeHU=' 'unsafe-inline",
            "x' 'unsafe-inline' 'sha256-ZMifoA6zb8OX5t+CXYjZtBSFtw2ShTkDmTtVJOQbeHU=",
            // 16 bytes: not a SHA-256.
            "AAAAAAAAAAAAAAAAAAAAAA==",
            // Not canonical (trailing bits set).
            "ZMifoA6zb8OX5t+CXYjZtBSFtw2ShTkDmTtVJOQbeHV=",
            "ZMifoA6zb8OX5t-CXYjZtBSFtw2ShTkDmTtVJOQbeHU=",
            "",
        ] {
            let json = serde_json::json!({ "scripts": [
                { "purpose": "loader", "sha256": good },
                { "purpose": "other", "sha256": bad },
            ] });
            std::fs::write(dir.path().join(FILE), json.to_string()).unwrap();
            assert!(
                matches!(read(dir.path()), Err(InventoryError::Hash(_, ref p)) if p == "other"),
                "{bad}"
            );
            // The whole file is refused, not just the bad entry.
            assert!(script_hashes(dir.path()).is_empty(), "{bad}");
        }
    }
}
