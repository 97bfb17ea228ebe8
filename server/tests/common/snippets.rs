//! docs/api.md's verification snippets, run as a merchant would run them:
//! each block under `<!-- verify: KIND LANG -->` (Python, Node, shell).

use std::path::Path;
use std::process::Command;

/// The snippets of `kind` (`redirect`, `webhook`), by language.
pub fn snippets(kind: &str) -> Vec<(&'static str, String)> {
    let doc =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../docs/api.md")).unwrap();
    ["python", "node", "shell"]
        .into_iter()
        .map(|lang| {
            let marker = format!("<!-- verify: {kind} {lang} -->");
            let after = doc.split_once(&marker).expect(&marker).1;
            let body = after.split_once("```").unwrap().1;
            let body = body.split_once('\n').unwrap().1;
            (lang, body.split_once("```").unwrap().0.to_string())
        })
        .collect()
}

/// Each snippet of `kind`'s verdict, run in `dir` with `env`: true when
/// it exits 0 (verifies), false when it exits 1; anything else fails.
pub fn verdicts(dir: &Path, kind: &str, env: &[(&str, &str)]) -> Vec<(&'static str, bool)> {
    snippets(kind)
        .into_iter()
        .map(|(lang, code)| {
            let (file, program) = match lang {
                "python" => ("verify.py", "python3"),
                "node" => ("verify.cjs", "node"),
                _ => ("verify.sh", "sh"),
            };
            let path = dir.join(file);
            std::fs::write(&path, code).unwrap();
            let out = Command::new(program)
                .arg(&path)
                .envs(env.iter().copied())
                .output()
                .unwrap();
            // A refusal is a plain exit 1; a crash (a traceback, an
            // exception) would exit 1 too, so it must say nothing.
            assert!(
                matches!(out.status.code(), Some(0 | 1)) && out.stderr.is_empty(),
                "{lang} failed to run: {out:?}"
            );
            (lang, out.status.success())
        })
        .collect()
}
