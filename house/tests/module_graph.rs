//! No import circles in any crate of the workspace (core, the app, the
//! service): a module never depends, directly or through others, on a
//! module that depends on it. And the database engines stay behind the
//! service's store. The graph is read from the source text (`house`'s
//! library). Run alone with `cargo test -p house`.

use house::{circles, edges, modules, non_test, paths_after, resolve, root};
use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

#[test]
fn no_crate_has_an_import_circle() {
    let root = root();
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
    let src = root().join("server/src");
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

/// Test code is left out wherever it stands, not only at a file's end:
/// what follows a test module still counts, and braces in its strings,
/// characters and comments do not end it early.
#[test]
fn test_code_is_left_out_wherever_it_stands() {
    let text = r##"use crate::a::A;
#[cfg(test)]
use crate::b::B;
#[cfg(test)]
mod tests {
    // a brace in a comment: {
    const S: &str = "}{ \" }";
    const R: &str = r#"}"#;
    const C: char = '}';
    fn f<'a>(x: &'a str) -> &'a str { x }
    const RAW: &str = r"\";
    const BYTES: &[u8] = br"}";
    /* nested /* comment } */ still a comment } */
    use crate::c::C;
}
pub fn after() -> crate::d::D { todo!() }
#[cfg(test)]
fn helper() -> [u8; 2] { let _ = crate::e::E; [0; 2] }
#[cfg(test)]
const X: &str = r"\";
use crate::f::F;
"##;
    let code = non_test(text);
    assert_eq!(
        paths_after(&code, "crate::"),
        ["a::A", "d::D", "f::F"],
        "{code}"
    );
}
