//! Scale-out on PostgreSQL: two `link-server` processes (the real binary)
//! on one database are one service. The same submit (same
//! `Idempotency-Key`, same body) sent to both at once makes one account,
//! and both answer the same bytes; four tabs split over the two complete a
//! connect link, or pay a checkout link, exactly once; `kill -9` of one
//! instance under a writer loses no submit that either acknowledged, and
//! leaves no link COMPLETED without its account; a link's write limit is
//! one budget over both instances.
//!
//! Runs under `scripts/with-postgres` (as `scripts/test` does); on SQLite
//! every test here is skipped.

mod common;

use common::binary::{signal, spawn, Running};
use common::writes::{
    account, accounts_path, completed_with, count, http_client, new_link, orphans, post, Acked,
    Answer, ACCOUNTS_OF_LINK, END_USER, TENANT, TOKEN, UNLIMITED,
};
use rand::Rng;
use reqwest::{Client, StatusCode};
use serde_json::{json, Value};
use std::time::{Duration, Instant};

const ROUNDS: usize = 20;
const TABS: usize = 4;

/// Two instances on one fresh database, both taking the merchant token
/// `TOKEN`.
struct Pair {
    a: Running,
    b: Running,
    /// The database both use.
    url: String,
    http: Client,
    _dir: tempfile::TempDir,
}

impl Pair {
    fn start(extra: &[&str]) -> Pair {
        let base = std::env::var("LINK_TEST_POSTGRES").unwrap();
        let url = common::fresh_postgres(&base);
        let dir = tempfile::tempdir().unwrap();
        // One after the other: the second finds the schema and the demo
        // seed the first made.
        let a = spawn(&dir.path().join("a"), &url, TOKEN, extra);
        let b = spawn(&dir.path().join("b"), &url, TOKEN, extra);
        Pair {
            a,
            b,
            url,
            http: http_client(),
            _dir: dir,
        }
    }

    /// Instance `i % 2` (0 is `a`).
    fn instance(&self, i: usize) -> &Running {
        [&self.a, &self.b][i % 2]
    }
}

/// Creates a checkout link of COP 20,000 for the demo end user.
async fn new_checkout(http: &Client, api: &str) -> String {
    let r = http
        .post(format!("{api}/checkout/link/create"))
        .bearer_auth(TOKEN)
        .header("DRUO-Version", "2021-11-22")
        .json(&json!({
            "existing_end_user_id": END_USER,
            "link_name": "Order",
            "transaction": {"tenant_id": TENANT, "amount": 2000000, "description": "Order"}
        }))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let v: Value = r.json().await.unwrap();
    common::slug(&v["checkout_link"]["url"])
}

/// Sends `TABS` posts to `path` at once, tabs 0 and 1 to instance `a`,
/// 2 and 3 to `b`; tab `i` with key `k{i}` and body `body(i)`. Answers in
/// tab order.
async fn tabs(p: &Pair, path: &str, body: impl Fn(usize) -> Value) -> Vec<Answer> {
    // Everyone waits at the barrier, so the posts leave together.
    let start = std::sync::Arc::new(tokio::sync::Barrier::new(TABS));
    let tasks: Vec<_> = (0..TABS)
        .map(|i| {
            let link = p.instance(i / 2).link.clone();
            let (http, path, b, start) = (p.http.clone(), path.to_string(), body(i), start.clone());
            tokio::spawn(async move {
                start.wait().await;
                post(&http, &link, &path, &format!("k{i}"), &b)
                    .await
                    .unwrap()
            })
        })
        .collect();
    let mut out = Vec::new();
    for task in tasks {
        out.push(task.await.unwrap());
    }
    out
}

/// Exactly one `won` answer; every other one is 409 LINK_COMPLETED.
fn one_winner(answers: &[Answer], won: StatusCode) -> Value {
    let winners: Vec<_> = answers.iter().filter(|a| a.status == won).collect();
    assert_eq!(winners.len(), 1, "{answers:#?}");
    for a in answers.iter().filter(|a| a.status != won) {
        assert_eq!(
            (a.status, a.json()["code"].as_str()),
            (StatusCode::CONFLICT, Some("LINK_COMPLETED")),
            "{answers:#?}"
        );
    }
    winners[0].json()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn the_same_submit_to_both_instances_at_once_makes_one_account_and_one_answer() {
    if common::skipped_without_postgres() {
        return;
    }
    let p = Pair::start(UNLIMITED);
    for round in 0..ROUNDS {
        // Links made on either instance are the same links on the other.
        let link = new_link(&p.http, &p.instance(round).api).await.unwrap();
        let body = account(&format!("6{round:03}0004"));
        let key = format!("same-{round}");
        let path = accounts_path(&link.slug);
        let (x, y) = tokio::join!(
            post(&p.http, &p.a.link, &path, &key, &body),
            post(&p.http, &p.b.link, &path, &key, &body)
        );
        let (x, y) = (x.unwrap(), y.unwrap());
        assert_eq!(x.status, StatusCode::CREATED, "round {round}: {x:?}");
        assert_eq!(x.json()["current_status"], "CONNECTED", "round {round}");
        assert_eq!(
            (x.status, &x.body),
            (y.status, &y.body),
            "round {round}: both instances answer the same bytes"
        );
        assert_eq!(
            count(&p.url, ACCOUNTS_OF_LINK, &[&link.uuid]),
            1,
            "round {round}"
        );
        let uuid = x.json()["uuid"].as_str().unwrap().to_string();
        assert!(completed_with(&p.url, &link, &uuid), "round {round}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn tabs_on_both_instances_complete_a_connect_link_once() {
    if common::skipped_without_postgres() {
        return;
    }
    let p = Pair::start(UNLIMITED);
    for round in 0..ROUNDS {
        let link = new_link(&p.http, &p.instance(round).api).await.unwrap();
        let answers = tabs(&p, &accounts_path(&link.slug), |i| {
            account(&format!("5{round:03}{i:03}4"))
        })
        .await;
        let won = one_winner(&answers, StatusCode::CREATED);
        assert_eq!(won["current_status"], "CONNECTED", "round {round}");
        assert_eq!(
            count(&p.url, ACCOUNTS_OF_LINK, &[&link.uuid]),
            1,
            "round {round}"
        );
        let uuid = won["uuid"].as_str().unwrap();
        assert!(completed_with(&p.url, &link, uuid), "round {round}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn tabs_on_both_instances_pay_a_checkout_link_once() {
    if common::skipped_without_postgres() {
        return;
    }
    let p = Pair::start(UNLIMITED);
    let mut account_uuid = Value::Null;
    for round in 0..ROUNDS {
        let sl = new_checkout(&p.http, &p.instance(round).api).await;
        if round == 0 {
            let connected = post(
                &p.http,
                &p.a.link,
                &format!("/checkout-links/{sl}/accounts"),
                "a",
                &account("12345674"),
            )
            .await
            .unwrap();
            assert_eq!(connected.status, StatusCode::CREATED, "{connected:?}");
            assert_eq!(connected.json()["current_status"], "CONNECTED");
            account_uuid = connected.json()["uuid"].clone();
        }
        let pay = json!({"account_uuid": account_uuid, "user_authorization": true});
        let answers = tabs(&p, &format!("/checkout-links/{sl}/pay"), |_| pay.clone()).await;
        let won = one_winner(&answers, StatusCode::OK);
        assert_eq!(won["status"], "SUCCESSFUL", "round {round}");
        let paid = "SELECT COUNT(*) FROM idempotency WHERE scope = 'pay:' || $1";
        assert_eq!(count(&p.url, paid, &[&sl]), 1, "round {round}");
    }
}

/// An acknowledged submit, which instance acknowledged it, and when.
#[derive(Debug)]
struct TakenBy {
    acked: Acked,
    /// Which instance acknowledged it (0 is `a`).
    by: usize,
    /// Whether it was sent again to `by` after the other gave no answer.
    retried: bool,
    /// When, after the writers started.
    at: Duration,
}

/// The two instances' hosted-links and merchant API addresses.
#[derive(Clone)]
struct Targets {
    link: [String; 2],
    api: [String; 2],
}

/// How long the writers write, and at most how many submits each.
const WRITING: Duration = Duration::from_secs(3);
const WRITES_EACH: usize = 400;

/// Writer `w`: makes a link on one instance and submits to it on the
/// other, alternating, as a load balancer would spread them; a request
/// the chosen instance cannot take (connection refused after the kill) is
/// sent to the other, with the same key and body. Records every 2xx.
async fn writer(w: usize, to: Targets, started: Instant) -> Vec<TakenBy> {
    let http = http_client();
    let mut acked = Vec::new();
    for i in 0..WRITES_EACH {
        if started.elapsed() > WRITING {
            break;
        }
        let first = (i + w) % 2;
        let link = match new_link(&http, &to.api[first]).await {
            Ok(l) => l,
            Err(_) => match new_link(&http, &to.api[1 - first]).await {
                Ok(l) => l,
                Err(e) => panic!("no instance makes a link: {e}"),
            },
        };
        let key = format!("w{w}-{i}");
        let body = account(&format!("7{w}{i:04}4"));
        let path = accounts_path(&link.slug);
        // Submitted to the instance that did not make the link.
        let (mut by, mut retried) = (1 - first, false);
        let answer = match post(&http, &to.link[by], &path, &key, &body).await {
            Ok(a) => a,
            Err(_) => {
                (by, retried) = (first, true);
                post(&http, &to.link[by], &path, &key, &body)
                    .await
                    .unwrap_or_else(|e| panic!("no instance takes the submit: {e}"))
            }
        };
        // A fresh link and a fresh key: created, or a failure that is no
        // answer at all (the kill), never a refusal or a 5xx.
        assert_eq!(answer.status, StatusCode::CREATED, "{key}: {answer:?}");
        acked.push(TakenBy {
            acked: Acked {
                link,
                key,
                body,
                answer,
            },
            by,
            retried,
            at: started.elapsed(),
        });
    }
    acked
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn kill_9_of_one_instance_loses_no_submit_either_acknowledged() {
    if common::skipped_without_postgres() {
        return;
    }
    let mut p = Pair::start(UNLIMITED);
    let to = Targets {
        link: [p.a.link.clone(), p.b.link.clone()],
        api: [p.a.api.clone(), p.b.api.clone()],
    };
    let started = Instant::now();
    let writers: Vec<_> = (0..2)
        .map(|w| tokio::spawn(writer(w, to.clone(), started)))
        .collect();
    let wait = Duration::from_millis(rand::thread_rng().gen_range(300..1_200));
    tokio::time::sleep(wait).await;
    signal(&p.a.child, "-KILL");
    let killed_at = started.elapsed();
    p.a.child.wait().unwrap();
    let mut acked = Vec::new();
    for w in writers {
        acked.extend(w.await.unwrap());
    }
    let after = acked
        .iter()
        .filter(|a| a.at > killed_at && a.by == 1)
        .count();
    let by_a = acked.iter().filter(|a| a.by == 0).count();
    let retried = acked.iter().filter(|a| a.retried).count();
    eprintln!(
        "kill -9 of a after {killed_at:?}: {} acknowledged ({by_a} by a), {after} after the \
         kill, {retried} by b after a gave no answer",
        acked.len()
    );
    assert!(by_a > 0, "a acknowledged nothing before its kill");
    assert!(after > 0, "b acknowledged nothing after the kill");

    // Each replays on the survivor to the same bytes, and its account is
    // the link's one account.
    for TakenBy { acked: a, .. } in &acked {
        a.replays(&p.http, &p.b.link).await;
        assert!(
            completed_with(&p.url, &a.link, &a.account()),
            "{} is not in the database",
            a.key
        );
        assert_eq!(
            count(&p.url, ACCOUNTS_OF_LINK, &[&a.link.uuid]),
            1,
            "{}",
            a.key
        );
    }
    assert_eq!(orphans(&p.url), 0, "COMPLETED links without their account");
    let twice = "SELECT COUNT(*) FROM (SELECT source_connect_link FROM accounts
                 WHERE source_connect_link IS NOT NULL
                 GROUP BY source_connect_link HAVING COUNT(*) > 1) AS t";
    assert_eq!(count(&p.url, twice, &[]), 0, "a link with two accounts");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_links_write_limit_is_one_budget_over_both_instances() {
    if common::skipped_without_postgres() {
        return;
    }
    const PER_MINUTE: usize = 3;
    let p = Pair::start(&[
        "--link-writes-per-minute",
        "3",
        "--client-writes-per-minute",
        "0",
    ]);
    let link = new_link(&p.http, &p.a.api).await.unwrap();
    let path = accounts_path(&link.slug);
    // Numbers whose connection fails (sandbox last digit 5): each is a
    // charged write answered 201, and the link stays open for the next.
    let body = |i: usize| account(&format!("9{i:02}0005"));
    let mut answers = Vec::new();
    for i in 0..4 * PER_MINUTE {
        let to = p.instance(i);
        let a = post(&p.http, &to.link, &path, &format!("d{i}"), &body(i))
            .await
            .unwrap();
        answers.push(a);
    }
    let seen: Vec<String> = answers
        .iter()
        .enumerate()
        .map(|(i, a)| format!("{}:{}", ["a", "b"][i % 2], a.status.as_u16()))
        .collect();
    let before_429 = answers
        .iter()
        .take_while(|a| a.status != StatusCode::TOO_MANY_REQUESTS)
        .count();
    assert!(
        before_429 <= PER_MINUTE,
        "{before_429} writes accepted over both instances before a 429 (limit {PER_MINUTE}): {seen:?}"
    );
    // A fresh link has its whole burst, whichever instance is asked.
    for (i, a) in answers.iter().take(PER_MINUTE).enumerate() {
        assert_eq!(a.status, StatusCode::CREATED, "write {i}: {seen:?}");
    }
    // Then both refuse, saying when to come back (one write every 20 s).
    for a in &answers[PER_MINUTE..] {
        assert_eq!(a.status, StatusCode::TOO_MANY_REQUESTS, "{seen:?}");
        assert_eq!(a.json()["code"], "RATE_LIMITED");
        let wait: u64 = a
            .retry_after
            .as_deref()
            .expect("a 429 has Retry-After")
            .parse()
            .unwrap();
        assert!((1..=20).contains(&wait), "Retry-After {wait}");
    }
    // A retry of a write a charged on a is free on b too: a load
    // balancer may send the retry anywhere.
    let again = post(&p.http, &p.b.link, &path, "d0", &body(0))
        .await
        .unwrap();
    assert_eq!(
        (again.status, &again.body),
        (answers[0].status, &answers[0].body)
    );
}
