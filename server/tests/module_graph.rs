//! No import circles in any crate of the workspace: a module never depends,
//! directly or through others, on a module that depends on it. A parent
//! depends on the children it declares (`mod x;`), so a child that reaches
//! back into its parent is a circle too. Run alone with
//! `cargo test -p link-server --test module_graph`.
//!
//! The graph is read from the source text: every `crate::…` and `super::…`
//! path outside test code, resolved to the longest module it names.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// Module path (`a::b`, `crate` for the root) → its file.
fn modules(src: &Path) -> BTreeMap<String, PathBuf> {
    let mut out = BTreeMap::new();
    let mut stack = vec![src.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).expect("source folder is readable") {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                let rel = path
                    .strip_prefix(src)
                    .expect("under src")
                    .with_extension("");
                let mut name = rel.to_string_lossy().replace(['/', '\\'], "::");
                if let Some(parent) = name.strip_suffix("::mod") {
                    name = parent.to_string();
                }
                if matches!(name.as_str(), "lib" | "main") {
                    name = "crate".into();
                }
                out.insert(name, path);
            }
        }
    }
    out
}

/// The source without its test code (everything from the first
/// `#[cfg(test)]`, which by house style closes a file).
fn non_test(text: &str) -> &str {
    text.find("#[cfg(test)]").map_or(text, |i| &text[..i])
}

/// `crate::a::{b, c::d}` → `a::b`, `a::c::d`; likewise one level of braces.
fn paths_after(text: &str, prefix: &str) -> Vec<String> {
    let mut out = Vec::new();
    for (i, _) in text.match_indices(prefix) {
        let before = text[..i].chars().next_back();
        if before.is_some_and(|c| c.is_alphanumeric() || c == '_') {
            continue;
        }
        let rest = &text[i + prefix.len()..];
        let head: String = rest
            .chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_' || *c == ':')
            .collect();
        let head = head.trim_end_matches(':').to_string();
        let after = &rest[head.len()..];
        let braces = if head.is_empty() {
            after.strip_prefix('{')
        } else {
            after.strip_prefix("::{")
        };
        if let Some(inner) = braces {
            let inner = &inner[..inner.find('}').unwrap_or(inner.len())];
            for item in inner.split(',') {
                let item = item.trim().split([' ', ':']).next().unwrap_or("");
                if !item.is_empty() && item != "self" {
                    out.push(if head.is_empty() {
                        item.to_string()
                    } else {
                        format!("{head}::{item}")
                    });
                }
            }
        }
        if !head.is_empty() {
            out.push(head);
        }
    }
    out
}

/// The longest declared module a path names; an item the module merely
/// re-exports (`pub use inner::Item;`) resolves to where it is declared.
fn resolve(mods: &BTreeMap<String, PathBuf>, path: &str) -> Option<String> {
    let parts: Vec<&str> = path.split("::").collect();
    let (k, module) = (1..=parts.len())
        .rev()
        .map(|k| (k, parts[..k].join("::")))
        .find(|(_, m)| mods.contains_key(m))?;
    let item = parts.get(k).copied().unwrap_or("");
    let text = std::fs::read_to_string(&mods[&module]).unwrap_or_default();
    let reexport = text.lines().find_map(|l| {
        let from = l.trim().strip_prefix("pub use ")?.strip_suffix(';')?;
        let (from, name) = from.rsplit_once("::")?;
        (name == item && !item.is_empty()).then(|| from.trim_start_matches("self::").to_string())
    });
    match reexport {
        Some(from) if module == "crate" => resolve(mods, &from).or(Some(module)),
        Some(from) => resolve(mods, &format!("{module}::{from}")).or(Some(module)),
        None => Some(module),
    }
}

fn parent_of(module: &str) -> String {
    module
        .rsplit_once("::")
        .map_or("crate".to_string(), |(p, _)| p.to_string())
}

/// Every edge `a → b` (a depends on b).
fn edges(mods: &BTreeMap<String, PathBuf>) -> BTreeSet<(String, String)> {
    let mut out = BTreeSet::new();
    for (m, file) in mods {
        let text = std::fs::read_to_string(file).expect("source is readable");
        let code = non_test(&text);
        let mut targets = paths_after(code, "crate::");
        for p in paths_after(code, "super::") {
            let parent = parent_of(m);
            targets.push(if parent == "crate" {
                p
            } else {
                format!("{parent}::{p}")
            });
        }
        for t in targets {
            if let Some(r) = resolve(mods, &t) {
                if &r != m {
                    out.insert((m.clone(), r));
                }
            }
        }
        for line in code.lines() {
            let l = line
                .trim_start()
                .trim_start_matches("pub ")
                .trim_start_matches("pub(crate) ");
            if let Some(child) = l.strip_prefix("mod ").and_then(|c| c.strip_suffix(';')) {
                let child = if m == "crate" {
                    child.to_string()
                } else {
                    format!("{m}::{child}")
                };
                out.insert((m.clone(), child));
            }
        }
    }
    out
}

/// Each edge whose target reaches back to its source.
fn circles(edges: &BTreeSet<(String, String)>) -> Vec<(String, String)> {
    let mut next: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for (a, b) in edges {
        next.entry(a).or_default().push(b);
    }
    let reaches = |from: &str, to: &str| {
        let mut seen = BTreeSet::new();
        let mut stack = vec![from];
        while let Some(n) = stack.pop() {
            if n == to {
                return true;
            }
            if seen.insert(n) {
                stack.extend(next.get(n).into_iter().flatten().copied());
            }
        }
        false
    };
    edges
        .iter()
        .filter(|(a, b)| reaches(b, a))
        .cloned()
        .collect()
}

#[test]
fn no_crate_has_an_import_circle() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    for src in ["server/src", "core/src", "src"] {
        let mods = modules(&root.join(src));
        assert!(mods.len() > 3, "{src}: found no modules");
        let e = edges(&mods);
        let c = circles(&e);
        assert!(c.is_empty(), "{src}: import circles between {c:?}");
    }
}

#[test]
fn the_check_sees_a_circle() {
    let mods: BTreeMap<String, PathBuf> = ["crate", "a", "b"]
        .into_iter()
        .map(|m| (m.to_string(), PathBuf::new()))
        .collect();
    let e: BTreeSet<(String, String)> = [("a", "b"), ("b", "a"), ("crate", "a")]
        .into_iter()
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect();
    assert_eq!(circles(&e).len(), 2);
    assert_eq!(resolve(&mods, "a::thing"), Some("a".into()));
    assert_eq!(
        paths_after("use crate::a::{b, c::d};", "crate::"),
        ["a::b", "a::c", "a"]
    );
    assert_eq!(paths_after("use crate::{A, b::C};", "crate::"), ["A", "b"]);
}

/// The engines stay behind the store: no module outside `server/src/store/`
/// names a SQLite or PostgreSQL client type, so the service runs on
/// either without a change above the store.
#[test]
fn only_the_store_knows_the_database_engines() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mods = modules(&src);
    let mut offenders = Vec::new();
    for (name, path) in &mods {
        if name == "store" || name.starts_with("store::") {
            continue;
        }
        let text = std::fs::read_to_string(path).expect("source is readable");
        for engine in ["rusqlite", "postgres::", "r2d2"] {
            if non_test(&text).contains(engine) {
                offenders.push(format!("{name} names {engine}"));
            }
        }
    }
    assert!(offenders.is_empty(), "{offenders:?}");
    // And the check sees one: the store itself names both.
    let db = std::fs::read_to_string(src.join("store/db.rs")).expect("store/db.rs");
    assert!(db.contains("rusqlite") && db.contains("postgres::"));
}
