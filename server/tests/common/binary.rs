//! The real `link-server` binary: one-shot commands, and a serving process
//! on ephemeral loopback ports read up to its `ready` line.

use std::io::{BufRead, BufReader, Lines};
use std::path::Path;
use std::process::{Child, ChildStdout, Command, Output, Stdio};

pub const BIN: &str = env!("CARGO_BIN_EXE_link-server");

/// The demo merchant's signing secret in every spawned server.
pub const SIGNING_SECRET: &str = "druo_sig_spawned_by_the_tests_0123456789abcdef";

/// The key every spawned server derives its keys from (`LINK_SECRET_KEY`).
pub const SECRET_KEY: &str = "test-secret-key";

/// Runs `link-server --db DB ARGS…` to completion.
pub fn run(db: impl AsRef<std::ffi::OsStr>, args: &[&str]) -> Output {
    Command::new(BIN)
        .env("LINK_SECRET_KEY", SECRET_KEY)
        .arg("--db")
        .arg(db)
        .args(args)
        .output()
        .unwrap()
}

/// The `token …` line of `merchant add|rotate`.
pub fn printed_token(out: &Output) -> String {
    printed(out, "token ")
}

/// The `signing-secret …` line of `merchant add|rotate-secret`.
pub fn printed_signing_secret(out: &Output) -> String {
    printed(out, "signing-secret ")
}

/// The `tenant …` line of `merchant add` or `merchant tenant add`.
pub fn printed_tenant(out: &Output) -> String {
    printed(out, "tenant ")
}

/// What follows `prefix` on its line of a successful command's output.
fn printed(out: &Output, prefix: &str) -> String {
    assert!(out.status.success(), "{out:?}");
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .find_map(|l| l.strip_prefix(prefix))
        .unwrap_or_else(|| panic!("no `{prefix}` line in {out:?}"))
        .to_string()
}

/// A serving `link-server`.
pub struct Running {
    pub child: Child,
    pub api: String,
    pub link: String,
    pub stdout: Lines<BufReader<ChildStdout>>,
}

/// Starts `link-server` on `db` with the demo seed (token `token`) and
/// `extra` flags, and waits for `ready`.
pub fn spawn(dir: &Path, db: impl AsRef<std::ffi::OsStr>, token: &str, extra: &[&str]) -> Running {
    spawn_with(dir, db, token, extra, &[])
}

/// [`spawn`] with environment variables `env` set too.
pub fn spawn_with(
    dir: &Path,
    db: impl AsRef<std::ffi::OsStr>,
    token: &str,
    extra: &[&str],
    env: &[(&str, &str)],
) -> Running {
    let dist = super::dist(dir);
    let mut child = Command::new(BIN)
        .args(["--api-addr", "127.0.0.1:0", "--link-addr", "127.0.0.1:0"])
        .args(["--seed-demo"])
        .arg("--db")
        .arg(db)
        .arg("--dist")
        .arg(&dist)
        .args(extra)
        .env("DRUO_API_TOKEN", token)
        // Kept in the environment, as the token is: otherwise the demo's
        // secret is written to a file in the working folder.
        .env("DRUO_SIGNING_SECRET", SIGNING_SECRET)
        // Instances on one database share their keys.
        .env("LINK_SECRET_KEY", SECRET_KEY)
        .envs(env.iter().copied())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdout = BufReader::new(child.stdout.take().unwrap()).lines();
    let (mut api, mut link) = (String::new(), String::new());
    for line in stdout.by_ref() {
        let line = line.unwrap();
        if let Some(a) = line.strip_prefix("merchant API   ") {
            api = a.to_string();
        }
        if let Some(l) = line.strip_prefix("hosted links   ") {
            link = l.split_whitespace().next().unwrap().to_string();
        }
        if line == "ready" {
            break;
        }
    }
    assert!(!api.is_empty() && !link.is_empty(), "no addresses printed");
    Running {
        child,
        api,
        link,
        stdout,
    }
}

/// Sends `signal` (`-TERM`, `-KILL`) to the process.
pub fn signal(child: &Child, signal: &str) {
    let ok = Command::new("kill")
        .arg(signal)
        .arg(child.id().to_string())
        .status()
        .unwrap();
    assert!(ok.success());
}

impl Drop for Running {
    /// A failed test must not leave a server behind.
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
