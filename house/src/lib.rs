//! Checks over the whole workspace's source, read as text: the module
//! graph of each crate (`tests/module_graph.rs`: no import circle in
//! `core/src`, `src` or `server/src`) and what may name what. Every
//! `crate::…` and `super::…` path outside test code, resolved to the
//! longest module it names, is an edge; a parent depends on the children
//! it declares (`mod x;`), so a child that reaches back into its parent
//! is a circle too.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// The workspace's root folder.
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// Module path (`a::b`, `crate` for the root) → its file.
pub fn modules(src: &Path) -> BTreeMap<String, PathBuf> {
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

/// The source without its test code: every item marked `#[cfg(test)]`
/// (a test module, a helper, an import), wherever it stands in the file,
/// through the end of its braces or its `;`. Braces in strings, raw
/// strings, characters and comments do not count.
pub fn non_test(text: &str) -> String {
    const MARK: &str = "#[cfg(test)]";
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find(MARK) {
        out.push_str(&rest[..at]);
        rest = &rest[at + MARK.len()..];
        rest = &rest[item_end(rest)..];
    }
    out.push_str(rest);
    out
}

/// Where the item at the start of `text` ends: after its first `;`
/// outside brackets of any kind, or after the braces it opens.
fn item_end(text: &str) -> usize {
    let b = text.as_bytes();
    // Open `(`, `[` and `{`; a `}` that closes the outermost `{` ends it.
    let (mut nest, mut braces) = (0usize, 0usize);
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'/' if b.get(i + 1) == Some(&b'/') => {
                i = text[i..].find('\n').map_or(b.len(), |n| i + n);
            }
            b'/' if b.get(i + 1) == Some(&b'*') => i = comment_end(b, i + 2),
            b'"' => i = string_end(b, i + 1, None),
            // A raw string, `r"…"`, `r#"…"#`, `br"…"` (not an identifier's `r`).
            b'r' if raw_string_at(b, i) => {
                let hashes = b[i + 1..].iter().take_while(|&&c| c == b'#').count();
                if b.get(i + 1 + hashes) == Some(&b'"') {
                    i = string_end(b, i + 2 + hashes, Some(hashes));
                }
            }
            // A character literal: '{', '\'', '\u{7b}' (a lifetime has no closing quote).
            b'\'' => {
                let close = if b.get(i + 1) == Some(&b'\\') {
                    text.get(i + 3..)
                        .and_then(|t| t.find('\''))
                        .map(|n| i + 3 + n)
                } else {
                    text[i + 1..]
                        .char_indices()
                        .nth(1)
                        .filter(|(_, c)| *c == '\'')
                        .map(|(n, _)| i + 1 + n)
                };
                if let Some(c) = close {
                    i = c;
                }
            }
            b'(' | b'[' => nest += 1,
            b')' | b']' => nest = nest.saturating_sub(1),
            b'{' => {
                nest += 1;
                braces += 1;
            }
            b'}' => {
                nest = nest.saturating_sub(1);
                braces = braces.saturating_sub(1);
                if braces == 0 && nest == 0 {
                    return i + 1;
                }
            }
            b';' if nest == 0 => return i + 1,
            _ => {}
        }
        i += 1;
    }
    b.len()
}

fn is_ident(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c == b'_'
}

/// Whether the `r` at `i` opens a raw string (`r"`, `r#`, `br"`), not
/// ends an identifier.
fn raw_string_at(b: &[u8], i: usize) -> bool {
    let opens = matches!(b.get(i + 1), Some(b'"' | b'#'));
    let before = |k: usize| i.checked_sub(k).map(|j| b[j]);
    let prefix_ok = match before(1) {
        Some(c) if is_ident(c) => c == b'b' && !before(2).is_some_and(is_ident),
        _ => true,
    };
    opens && prefix_ok
}

/// The index of the `/` that closes a block comment whose text starts at
/// `from` (block comments nest).
fn comment_end(b: &[u8], from: usize) -> usize {
    let (mut depth, mut i) = (1usize, from);
    while i + 1 < b.len() {
        match (b[i], b[i + 1]) {
            (b'/', b'*') => {
                depth += 1;
                i += 2;
            }
            (b'*', b'/') => {
                depth -= 1;
                if depth == 0 {
                    return i + 1;
                }
                i += 2;
            }
            _ => i += 1,
        }
    }
    b.len()
}

/// The index of the closing quote of a string whose text starts at
/// `from`: `raw` is a raw string's count of `#`s (and it has no escapes).
fn string_end(b: &[u8], from: usize, raw: Option<usize>) -> usize {
    let mut i = from;
    while i < b.len() {
        if raw.is_none() && b[i] == b'\\' {
            i += 2;
            continue;
        }
        let hashes = raw.unwrap_or(0);
        if b[i] == b'"'
            && b[i + 1..]
                .iter()
                .take(hashes)
                .filter(|&&c| c == b'#')
                .count()
                == hashes
        {
            return i + hashes;
        }
        i += 1;
    }
    b.len()
}

/// `crate::a::{b, c::d}` → `a::b`, `a::c::d`; likewise one level of braces.
pub fn paths_after(text: &str, prefix: &str) -> Vec<String> {
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
pub fn resolve(mods: &BTreeMap<String, PathBuf>, path: &str) -> Option<String> {
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
pub fn edges(mods: &BTreeMap<String, PathBuf>) -> BTreeSet<(String, String)> {
    let mut out = BTreeSet::new();
    for (m, file) in mods {
        let text = std::fs::read_to_string(file).expect("source is readable");
        let code = non_test(&text);
        let mut targets = paths_after(&code, "crate::");
        for p in paths_after(&code, "super::") {
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
pub fn circles(edges: &BTreeSet<(String, String)>) -> Vec<(String, String)> {
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
