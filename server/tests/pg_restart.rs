//! PostgreSQL restarts under a running `link-server`: a writer loop of
//! connect submits keeps going while the database is stopped (`pg_ctl
//! -m immediate`, as a crash would) and started again. While it is down,
//! submits fail (a 5xx or no answer) and none is acknowledged wrongly;
//! after it is back, the same process, not restarted, answers writes again
//! by itself within 30 s; and every submit acknowledged before, during or
//! after the outage is in the database and replays to the same bytes.
//!
//! Its own test binary, because it stops the cluster every other test of
//! the suite shares. Runs under `scripts/with-postgres` (as `scripts/test`
//! does); on SQLite it is skipped.

mod common;

use common::binary::spawn;
use common::writes::{
    account, completed_with, create_link, http_client, orphans, submit, Acked, Answer, TOKEN,
    UNLIMITED,
};
use reqwest::StatusCode;
use std::path::PathBuf;
use std::process::{Command, Output};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// The longest the service may take to answer writes again once the
/// database is back.
const RECOVERY: Duration = Duration::from_secs(30);
/// Acknowledged submits sent after the restart that end the loop.
const AFTER: usize = 20;
/// At most this many submits per writer, whatever happens.
const WRITES_EACH: usize = 2_000;
const WRITERS: usize = 2;

/// The suite's PostgreSQL cluster (`scripts/with-postgres`), stopped and
/// started with `pg_ctl`. Dropped while stopped (a failed assertion in
/// the outage), it starts the cluster again, so the suite's other tests
/// still find it.
struct Cluster {
    /// The folder with `pg_ctl`.
    bin: PathBuf,
    data: PathBuf,
    /// The server's options as it was started, for `pg_ctl start -o`.
    options: String,
    log: PathBuf,
    stopped: bool,
}

impl Cluster {
    /// The cluster of `LINK_TEST_POSTGRES_BIN` and `…_DATA`, with the
    /// options it runs with now.
    fn running() -> Cluster {
        let bin = PathBuf::from(std::env::var("LINK_TEST_POSTGRES_BIN").unwrap());
        let data = PathBuf::from(std::env::var("LINK_TEST_POSTGRES_DATA").unwrap());
        let opts = std::fs::read_to_string(data.join("postmaster.opts")).unwrap();
        let options = start_options(&opts);
        assert!(options.contains("-p"), "no port in {opts}");
        // Next to the data folder, where scripts/with-postgres logs (and
        // which the cluster's owner may write).
        let log = data.parent().unwrap().join("server.log");
        Cluster {
            bin,
            data,
            options,
            log,
            stopped: false,
        }
    }

    /// Runs `pg_ctl -D DATA ARGS…`, as the cluster's owner `postgres`
    /// when we are root (PostgreSQL refuses to run as root).
    fn pg_ctl(&self, args: &[&str]) -> Output {
        let pg_ctl = self.bin.join("pg_ctl");
        let mut cmd = if is_root() {
            let mut c = Command::new("runuser");
            c.args(["-u", "postgres", "--"]).arg(pg_ctl);
            c
        } else {
            Command::new(pg_ctl)
        };
        cmd.arg("-D").arg(&self.data).args(args).output().unwrap()
    }

    /// Stops the server at once, without a checkpoint, as a crash would.
    fn stop(&mut self) {
        self.stopped = true;
        let out = self.pg_ctl(&["-m", "immediate", "-w", "stop"]);
        assert!(out.status.success(), "pg_ctl stop: {out:?}");
    }

    fn start(&mut self) -> Result<(), String> {
        let log = self.log.to_str().unwrap().to_string();
        let out = self.pg_ctl(&["-l", &log, "-w", "-t", "60", "start", "-o", &self.options]);
        if !out.status.success() {
            let tail = std::fs::read_to_string(&self.log).unwrap_or_default();
            let tail = &tail[tail.len().saturating_sub(2_000)..];
            return Err(format!("pg_ctl start: {out:?}\n{tail}"));
        }
        self.stopped = false;
        Ok(())
    }
}

impl Drop for Cluster {
    fn drop(&mut self) {
        if self.stopped {
            if let Err(e) = self.start() {
                eprintln!("the cluster did not start again: {e}");
            }
        }
    }
}

/// The options of a `postmaster.opts` (the server's command line, each
/// argument after the program in double quotes), without `-D` and its
/// folder (`pg_ctl -D` passes it), quoted for the shell `pg_ctl` runs
/// the server with.
fn start_options(opts: &str) -> String {
    let args: Vec<&str> = opts.split('"').skip(1).step_by(2).collect();
    let mut kept = Vec::new();
    let mut i = 0;
    while i < args.len() {
        if args[i] == "-D" {
            i += 2;
            continue;
        }
        kept.push(format!("\"{}\"", args[i]));
        i += 1;
    }
    kept.join(" ")
}

fn is_root() -> bool {
    let out = Command::new("id").arg("-u").output().unwrap();
    String::from_utf8_lossy(&out.stdout).trim() == "0"
}

/// An acknowledged submit, and when it was sent and answered (from the
/// test's start).
#[derive(Debug)]
struct Timed {
    acked: Acked,
    sent: Duration,
    answered: Duration,
}

/// A request that failed: when, and how (a status, or no answer).
#[derive(Debug)]
struct Failed {
    sent: Duration,
    answered: Duration,
    how: String,
}

/// What the writers saw, shared with the test, which watches it.
#[derive(Default)]
struct Seen {
    acked: Vec<Timed>,
    failed: Vec<Failed>,
}

/// Where the writers send, and what they share with the test.
#[derive(Clone)]
struct Writing {
    api: String,
    link: String,
    t0: Instant,
    seen: Arc<Mutex<Seen>>,
    done: Arc<AtomicBool>,
}

impl Writing {
    /// Records a failed request, then waits a moment: not a busy loop
    /// while the database is down.
    async fn failed(&self, failed: Failed) {
        self.seen.lock().unwrap().failed.push(failed);
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// How a request failed, if it is a failure a database outage may cause
/// (a 5xx, or no answer); anything else is no failure of the database
/// but a wrong answer, and fails the test.
fn outage_failure(what: &str, answer: &reqwest::Result<Answer>) -> String {
    match answer {
        Err(e) => format!("{what}: no answer ({e})"),
        Ok(a) if a.status.is_server_error() => format!("{what}: {}", a.status.as_u16()),
        Ok(a) => panic!("{what}: {} {}", a.status, a.body),
    }
}

/// Writer `w`: a new link and a submit to it, over and over, until told
/// to stop (or `WRITES_EACH`). Records each acknowledged submit and each
/// failed request.
async fn writer(w: usize, to: Writing) {
    let http = http_client();
    for i in 0..WRITES_EACH {
        if to.done.load(Ordering::Relaxed) {
            return;
        }
        let sent = to.t0.elapsed();
        let link = match create_link(&http, &to.api).await {
            Ok(Ok(link)) => link,
            made => {
                let how = outage_failure("link create", &made.map(|m| m.unwrap_err()));
                let answered = to.t0.elapsed();
                to.failed(Failed {
                    sent,
                    answered,
                    how,
                })
                .await;
                continue;
            }
        };
        let key = format!("w{w}-{i}");
        let body = account(&format!("7{w}{i:04}4"));
        let sent = to.t0.elapsed();
        let answer = submit(&http, &to.link, &link.slug, &key, &body).await;
        let answered = to.t0.elapsed();
        match answer {
            Ok(a) if a.status == StatusCode::CREATED => {
                let acked = Timed {
                    acked: Acked {
                        link,
                        key,
                        body,
                        answer: a,
                    },
                    sent,
                    answered,
                };
                to.seen.lock().unwrap().acked.push(acked);
            }
            other => {
                let how = outage_failure(&format!("submit {key}"), &other);
                to.failed(Failed {
                    sent,
                    answered,
                    how,
                })
                .await;
            }
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_postgres_restart_under_writes_loses_nothing_and_the_service_recovers_by_itself() {
    if common::skipped_without_postgres() {
        return;
    }
    let mut cluster = Cluster::running();
    let url = common::fresh_postgres(&std::env::var("LINK_TEST_POSTGRES").unwrap());
    let dir = tempfile::tempdir().unwrap();
    let mut srv = spawn(dir.path(), &url, TOKEN, UNLIMITED);
    let to = Writing {
        api: srv.api.clone(),
        link: srv.link.clone(),
        t0: Instant::now(),
        seen: Arc::default(),
        done: Arc::default(),
    };
    let writers: Vec<_> = (0..WRITERS)
        .map(|w| tokio::spawn(writer(w, to.clone())))
        .collect();

    tokio::time::sleep(Duration::from_millis(700)).await;
    let stopping = to.t0.elapsed();
    cluster.stop();
    let stopped = to.t0.elapsed();
    tokio::time::sleep(Duration::from_secs(1)).await;
    let starting = to.t0.elapsed();
    cluster.start().unwrap();
    let started = to.t0.elapsed();

    // The writers go on until AFTER submits sent after the restart are
    // acknowledged, or the recovery time is over.
    let deadline = Instant::now() + RECOVERY;
    let recovered = loop {
        let after = {
            let seen = to.seen.lock().unwrap();
            seen.acked.iter().filter(|a| a.sent >= started).count()
        };
        if after >= AFTER {
            break true;
        }
        if Instant::now() > deadline {
            break false;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    to.done.store(true, Ordering::Relaxed);
    for w in writers {
        w.await.unwrap();
    }
    let seen = std::mem::take(&mut *to.seen.lock().unwrap());
    assert!(
        srv.child.try_wait().unwrap().is_none(),
        "link-server exited"
    );

    let first_after = seen
        .acked
        .iter()
        .filter(|a| a.sent >= started)
        .map(|a| a.answered)
        .min();
    let before = seen.acked.iter().filter(|a| a.answered < stopping).count();
    let during = seen
        .acked
        .iter()
        .filter(|a| a.answered >= stopping && a.sent < started)
        .count();
    let after = seen.acked.iter().filter(|a| a.sent >= started).count();
    let failures: Vec<String> = seen
        .failed
        .iter()
        .map(|f| format!("{:.2?}..{:.2?} {}", f.sent, f.answered, f.how))
        .collect();
    eprintln!(
        "stopped {stopping:?}..{stopped:?}, started {starting:?}..{started:?}; \
         acknowledged {before} before, {during} across the outage, {after} after \
         (first {:?} after the start); {} failed: {failures:?}",
        first_after.map(|t| t - started),
        seen.failed.len()
    );
    assert!(before > 0, "nothing acknowledged before the outage");
    assert!(
        recovered,
        "{after} of {AFTER} writes acknowledged within {RECOVERY:?} of the restart"
    );
    // Before the outage, nothing failed.
    let early: Vec<_> = seen
        .failed
        .iter()
        .filter(|f| f.answered < stopping)
        .collect();
    assert!(early.is_empty(), "failed before the outage: {early:?}");
    // Nothing sent and answered while the database was down was
    // acknowledged: it cannot have been stored.
    let impossible: Vec<_> = seen
        .acked
        .iter()
        .filter(|a| a.sent >= stopped && a.answered <= starting)
        .map(|a| &a.acked.key)
        .collect();
    assert!(
        impossible.is_empty(),
        "acknowledged while the database was down: {impossible:?}"
    );

    // Every acknowledged submit is stored and replays to the same bytes,
    // from the same process.
    let http = http_client();
    for Timed { acked: a, .. } in &seen.acked {
        a.replays(&http, &srv.link).await;
        assert!(
            completed_with(&url, &a.link, &a.account()),
            "{} is not in the database",
            a.key
        );
    }
    assert_eq!(orphans(&url), 0, "COMPLETED links without their account");
    srv.child.kill().unwrap();
    srv.child.wait().unwrap();
}
