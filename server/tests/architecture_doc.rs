//! docs/architecture.md stays true where a name can be checked (issue 28):
//! every source file of the service's and the app's top level, every
//! module folder, every file of the service's `merchant/`, `public/` and
//! `store/`, and every test file beside `tests/e2e/` is named on it. A new
//! file without a line there fails here. Run alone with
//! `cargo test -p link-server --test architecture_doc`.

use std::path::Path;

/// The names of the `.rs` files (without the extension) and folders in
/// `dir`, `mod` aside.
fn entries(dir: &Path) -> Vec<String> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).expect("a source folder is readable") {
        let path = entry.expect("entry").path();
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        if path.is_dir() {
            out.push(format!("{name}/"));
        } else if name.ends_with(".rs") && name != "mod.rs" {
            out.push(name);
        }
    }
    out.sort();
    out
}

#[test]
fn every_source_file_and_folder_is_named_in_the_architecture_page() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let doc = std::fs::read_to_string(root.join("docs/architecture.md"))
        .expect("docs/architecture.md is readable");
    // The store's files are listed by entity: "one file per entity (…)".
    let entities: Vec<&str> = doc
        .split_once("one file per entity (")
        .and_then(|(_, rest)| rest.split_once(')'))
        .map(|(list, _)| {
            list.split(|c: char| c == ',' || c.is_whitespace())
                .filter(|w| !w.is_empty())
                .collect()
        })
        .unwrap_or_default();
    let mut missing = Vec::new();
    let mut check = |place: &str, names: Vec<String>, by_entity: bool| {
        for n in names {
            let entity = n.strip_suffix(".rs").filter(|_| by_entity);
            let named = doc.contains(&n) || entity.is_some_and(|e| entities.contains(&e));
            if !named {
                missing.push(format!("{place}{n}"));
            }
        }
    };
    check("server/src/", entries(&root.join("server/src")), false);
    check(
        "server/src/merchant/",
        entries(&root.join("server/src/merchant")),
        false,
    );
    check(
        "server/src/public/",
        entries(&root.join("server/src/public")),
        false,
    );
    check(
        "server/src/store/",
        entries(&root.join("server/src/store")),
        true,
    );
    check("src/", entries(&root.join("src")), false);
    let tests: Vec<String> = entries(&root.join("tests"))
        .into_iter()
        .filter(|n| n.ends_with(".rs"))
        .collect();
    check("tests/", tests, false);
    assert!(
        missing.is_empty(),
        "not named in docs/architecture.md (give each a line): {missing:?}"
    );
}
