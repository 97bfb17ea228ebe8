//! Hostile clients: oversized bodies (413), headers or bodies sent byte by
//! byte (cut off by the header timeout, or 408), and too many writes (429
//! with Retry-After) — while other clients and reads are still served; a
//! refusal reaches a client that keeps sending its body, without a reset.
//! And a busy database: a write that outlasts the request timeout answers
//! what it did (never 408), and writes past what the service runs at once
//! are shed with 503 and change nothing.

mod common;

use common::{slug, T};
use link_server::limits::Limits;
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};
use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

const DAVIVIENDA: &str = "ins_9082d56c-4e1d-4967-a828-b7001755e88e";

fn account(number: &str) -> Value {
    json!({"institution_uuid": DAVIVIENDA, "type": "DEPOSITORY", "subtype": "SAVINGS",
           "account_number": number, "user_authorization": true})
}

/// Short timeouts so the tests take a second, not minutes.
async fn impatient() -> T {
    T::with_limits(Limits {
        header_timeout_ms: 500,
        request_timeout_ms: 1_000,
        ..Limits::default()
    })
    .await
}

fn addr(url: &str) -> String {
    url.trim_start_matches("http://").to_string()
}

/// Writes `bytes` one at a time every 50 ms on a blocking thread until the
/// server closes the connection; answers what it answered and how long
/// the connection lasted.
async fn dribble(addr: String, head: String, bytes: Vec<u8>) -> (String, Duration) {
    tokio::task::spawn_blocking(move || {
        let start = Instant::now();
        let mut s = TcpStream::connect(addr).unwrap();
        s.set_read_timeout(Some(Duration::from_millis(50))).unwrap();
        s.write_all(head.as_bytes()).unwrap();
        let mut answer = Vec::new();
        for b in bytes.iter().cycle().take(400) {
            let mut buf = [0u8; 4096];
            match s.read(&mut buf) {
                Ok(0) => break,
                Ok(n) => answer.extend_from_slice(&buf[..n]),
                Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => {}
                Err(_) => break,
            }
            if s.write_all(&[*b]).is_err() {
                break;
            }
        }
        (
            String::from_utf8_lossy(&answer).into_owned(),
            start.elapsed(),
        )
    })
    .await
    .unwrap()
}

async fn institutions_answer(t: &T) -> StatusCode {
    t.public(Method::GET, "/institutions", None, None).await.0
}

/// Sends `request` whole on a fresh connection and reads the answer until
/// the server closes it.
async fn raw(addr: String, request: String) -> String {
    tokio::task::spawn_blocking(move || {
        let mut s = TcpStream::connect(addr).unwrap();
        s.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
        s.write_all(request.as_bytes()).unwrap();
        let mut out = Vec::new();
        let _ = s.read_to_end(&mut out);
        String::from_utf8_lossy(&out).into_owned()
    })
    .await
    .unwrap()
}

#[tokio::test(flavor = "multi_thread")]
async fn a_megabyte_body_is_refused_with_413_on_both_apis() {
    let t = T::new().await;
    let l = t.connect_link(json!({})).await;
    let submit = format!("/api/v1/connect-links/{}/accounts", slug(&l["url"]));
    // A declared megabyte is refused before a byte of it is read (the
    // client may stop sending: the answer comes first).
    for (host, path) in [(&t.link, submit.as_str()), (&t.api, "/connect/link/create")] {
        let head = format!(
            "POST {path} HTTP/1.1\r\nHost: x\r\nIdempotency-Key: big\r\n\
             Authorization: Bearer {}\r\nDRUO-Version: 2021-11-22\r\n\
             Content-Type: application/json\r\nContent-Length: {}\r\n\r\n",
            t.token,
            1 << 20
        );
        let answer = raw(addr(host), head).await;
        assert!(answer.starts_with("HTTP/1.1 413"), "{path}: {answer}");
        assert!(answer.contains("PAYLOAD_TOO_LARGE"), "{answer}");
    }
    // A chunked body declares no length: it is cut once it passes 64 KiB.
    let chunk = "y".repeat(70_000);
    let request = format!(
        "POST {submit} HTTP/1.1\r\nHost: x\r\nIdempotency-Key: c\r\n\
         Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n\
         {:x}\r\n{chunk}\r\n0\r\n\r\n",
        chunk.len()
    );
    let answer = raw(addr(&t.link), request).await;
    assert!(answer.starts_with("HTTP/1.1 413"), "{answer}");
    assert_eq!(institutions_answer(&t).await, StatusCode::OK);
    t.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn headers_sent_byte_by_byte_are_cut_off_while_others_are_served() {
    let t = impatient().await;
    let head = "GET /api/v1/institutions HTTP/1.1\r\nHost: x\r\nX-Slow: ".to_string();
    let slow = tokio::spawn(dribble(addr(&t.link), head, b"abcdefgh".to_vec()));
    // Meanwhile, everyone else is served.
    for _ in 0..5 {
        assert_eq!(institutions_answer(&t).await, StatusCode::OK);
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let (answer, lasted) = slow.await.unwrap();
    assert!(!answer.contains("200 OK"), "{answer}");
    assert!(
        lasted >= Duration::from_millis(450) && lasted < Duration::from_millis(2_500),
        "{lasted:?}"
    );
    // A connection that says nothing is closed too.
    let (_, lasted) = dribble(addr(&t.link), String::new(), Vec::new()).await;
    assert!(lasted < Duration::from_millis(2_500), "{lasted:?}");
    t.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_body_sent_byte_by_byte_gets_408() {
    let t = impatient().await;
    let l = t.connect_link(json!({})).await;
    let head = format!(
        "POST /api/v1/connect-links/{}/accounts HTTP/1.1\r\nHost: x\r\nIdempotency-Key: s\r\n\
         Content-Type: application/json\r\nContent-Length: 1000\r\n\r\n",
        slug(&l["url"])
    );
    let slow = tokio::spawn(dribble(addr(&t.link), head, b"{\"a\":1".to_vec()));
    assert_eq!(institutions_answer(&t).await, StatusCode::OK);
    let (answer, lasted) = slow.await.unwrap();
    assert!(answer.starts_with("HTTP/1.1 408"), "{answer}");
    assert!(answer.contains("REQUEST_TIMEOUT"), "{answer}");
    assert!(lasted < Duration::from_millis(2_500), "{lasted:?}");
    t.stop().await;
}

async fn submit(t: &T, sl: &str, key: &str, number: &str) -> reqwest::Response {
    t.http
        .post(format!("{}/api/v1/connect-links/{sl}/accounts", t.link))
        .header("Origin", &t.link)
        .header("Idempotency-Key", key)
        .json(&account(number))
        .send()
        .await
        .unwrap()
}

#[tokio::test(flavor = "multi_thread")]
async fn a_link_takes_ten_wrong_numbers_a_minute_then_429_with_retry_after() {
    let t = T::new().await;
    let l = t.connect_link(json!({})).await;
    let sl = slug(&l["url"]);
    // Numbers whose connection fails (sandbox last digit 5) leave the
    // link open.
    for i in 0..10 {
        let r = submit(&t, &sl, &format!("k{i}"), &format!("99{i}0005")).await;
        assert_eq!(r.status(), StatusCode::CREATED, "attempt {i}");
    }
    let r = submit(&t, &sl, "k10", "9910005").await;
    assert_eq!(r.status(), StatusCode::TOO_MANY_REQUESTS);
    let wait: u64 = r.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((1..=6).contains(&wait), "Retry-After {wait}");
    assert_eq!(r.json::<Value>().await.unwrap()["code"], "RATE_LIMITED");

    // A retry of an acknowledged submit is not punished again.
    let again = submit(&t, &sl, "k3", "9930005").await;
    assert_eq!(again.status(), StatusCode::CREATED);
    // Reads still answer, and another link is not affected.
    let view = t
        .public(Method::GET, &format!("/connect-links/{sl}"), None, None)
        .await;
    assert_eq!(view.0, StatusCode::OK);
    assert_eq!(institutions_answer(&t).await, StatusCode::OK);
    let other = t.connect_link(json!({})).await;
    let r = submit(&t, &slug(&other["url"]), "o1", "12345674").await;
    assert_eq!(r.status(), StatusCode::CREATED);
    t.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_client_is_limited_over_all_links() {
    let t = T::with_limits(Limits {
        client_writes_per_minute: 3,
        ..Limits::default()
    })
    .await;
    for i in 0..4 {
        let l = t.connect_link(json!({})).await;
        let r = submit(&t, &slug(&l["url"]), "k", "12345674").await;
        let expected = if i < 3 {
            StatusCode::CREATED
        } else {
            StatusCode::TOO_MANY_REQUESTS
        };
        assert_eq!(r.status(), expected, "link {i}");
    }
    t.stop().await;
}

/// What [`hold_the_link`] holds: one link's row, or every link.
#[derive(Clone, Copy)]
enum Hold {
    /// PostgreSQL: the link's row; SQLite: the write lock.
    Row,
    /// PostgreSQL: the whole table; SQLite: the write lock.
    Table,
}

/// Holds the database's lock on the link at `slug` (or on every link,
/// `Hold::Table`) on a thread of its own until `release` is sent; says
/// when it has the lock, and when it let go.
fn hold_the_link(
    t: &T,
    slug: &str,
    hold: Hold,
    release: std::sync::mpsc::Receiver<()>,
) -> (
    std::sync::mpsc::Receiver<()>,
    std::thread::JoinHandle<Instant>,
) {
    let (locked, has_lock) = std::sync::mpsc::channel();
    let db = common::database(t.dir.path());
    let slug = slug.to_string();
    let holder = std::thread::spawn(move || match db {
        link_server::store::db::Location::Sqlite(path) => {
            let c = rusqlite::Connection::open(path).unwrap();
            c.execute_batch("BEGIN IMMEDIATE").unwrap();
            locked.send(()).unwrap();
            release.recv().unwrap();
            let at = Instant::now();
            c.execute_batch("COMMIT").unwrap();
            at
        }
        link_server::store::db::Location::Postgres(url) => {
            let mut c = postgres::Client::connect(&url, postgres::NoTls).unwrap();
            let mut tx = c.transaction().unwrap();
            match hold {
                Hold::Row => {
                    tx.query(
                        "SELECT 1 FROM connect_links WHERE slug = $1 FOR UPDATE",
                        &[&slug],
                    )
                    .unwrap();
                }
                Hold::Table => tx
                    .batch_execute("LOCK TABLE connect_links IN EXCLUSIVE MODE")
                    .unwrap(),
            }
            locked.send(()).unwrap();
            release.recv().unwrap();
            let at = Instant::now();
            tx.commit().unwrap();
            at
        }
    });
    (has_lock, holder)
}

/// A write whose work outlasts the request timeout (it waits on the
/// database's lock) is answered with what it did, never a 408 for work
/// that then commits: the timeout bounds only the request's arrival.
#[tokio::test(flavor = "multi_thread")]
async fn a_write_slower_than_the_request_timeout_answers_its_outcome_not_408() {
    let t = T::with_limits(Limits {
        request_timeout_ms: 1_000,
        link_writes_per_minute: 0,
        client_writes_per_minute: 0,
        ..Limits::default()
    })
    .await;
    let l = t.connect_link(json!({})).await;
    let s = slug(&l["url"]);
    let (release, released) = std::sync::mpsc::channel();
    let (has_lock, holder) = hold_the_link(&t, &s, Hold::Row, released);
    has_lock.recv().unwrap();
    let submit = {
        let (link, s) = (t.link.clone(), s.clone());
        tokio::spawn(async move {
            let r = reqwest::Client::new()
                .post(format!("{link}/api/v1/connect-links/{s}/accounts"))
                .header("Origin", &link)
                .header("Idempotency-Key", "slow-1")
                .json(&account("1234567894"))
                .send()
                .await
                .unwrap();
            (Instant::now(), r.status(), r.text().await.unwrap())
        })
    };
    // Past the request timeout while the submit waits on the lock.
    tokio::time::sleep(Duration::from_millis(1_500)).await;
    release.send(()).unwrap();
    let released_at = holder.join().unwrap();
    let (answered_at, status, body) = submit.await.unwrap();
    assert!(
        answered_at > released_at,
        "answered before its work could run"
    );
    assert_eq!(status, StatusCode::CREATED, "{body}");
    // And what it answered is what is stored: the link holds that account.
    let (st, v) = t
        .public(Method::GET, &format!("/connect-links/{s}"), None, None)
        .await;
    assert_eq!(st, StatusCode::OK, "{v}");
    let answered: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(v["outcome"]["uuid"], answered["uuid"], "{v}");
    assert_eq!(v["state"], "COMPLETED");
    t.stop().await;
}

/// Overload sheds instead of queueing without bound: with the database
/// held, writes past what the service runs at once wait their turn two
/// seconds at most, then are refused with 503 and `Retry-After`, having
/// changed nothing; the ones let in finish once the database is free.
#[tokio::test(flavor = "multi_thread")]
async fn writes_past_the_service_capacity_are_shed_with_503_and_change_nothing() {
    let t = T::with_limits(Limits {
        link_writes_per_minute: 0,
        client_writes_per_minute: 0,
        ..Limits::default()
    })
    .await;
    const WRITES: usize = 90;
    let mut slugs = Vec::new();
    for _ in 0..WRITES {
        slugs.push(slug(&t.connect_link(json!({})).await["url"]));
    }
    let (release, released) = std::sync::mpsc::channel();
    let (has_lock, holder) = hold_the_link(&t, &slugs[0], Hold::Table, released);
    has_lock.recv().unwrap();
    let sends: Vec<_> = slugs
        .iter()
        .enumerate()
        .map(|(i, s)| {
            let url = format!("{}/api/v1/connect-links/{s}/accounts", t.link);
            tokio::spawn(async move {
                let r = reqwest::Client::new()
                    .post(url)
                    .header("Sec-Fetch-Site", "same-origin")
                    .header("Idempotency-Key", format!("shed-{i}"))
                    // A number each: one end user's same number is one account.
                    .json(&account(&format!("1234{i:04}4")))
                    .send()
                    .await
                    .unwrap();
                let retry = r.headers().get("retry-after").is_some();
                (r.status(), retry)
            })
        })
        .collect();
    // Longer than a write waits for its turn, shorter than the database's
    // own waits.
    tokio::time::sleep(Duration::from_millis(3_000)).await;
    release.send(()).unwrap();
    holder.join().unwrap();
    let mut answers = Vec::new();
    for s in sends {
        answers.push(s.await.unwrap());
    }
    let shed = answers
        .iter()
        .filter(|(st, retry)| *st == StatusCode::SERVICE_UNAVAILABLE && *retry)
        .count();
    let created = answers
        .iter()
        .filter(|(st, _)| *st == StatusCode::CREATED)
        .count();
    assert!(shed > 0, "nothing was shed: {answers:?}");
    assert_eq!(shed + created, WRITES, "{answers:?}");
    let stored: i64 = t.db(|c| {
        c.query_row(
            "SELECT COUNT(*) FROM accounts WHERE source_connect_link IS NOT NULL",
            link_server::params![],
            |r| r.get(0),
        )
        .unwrap()
    });
    assert_eq!(stored as usize, created, "a shed write left something");
    t.stop().await;
}

/// Sends `head` and `body` on a fresh connection while reading the answer,
/// as a client that does not stop sending when the answer comes (Node's):
/// the writer sends `head` and `body[..early]`, waits for the answer to
/// begin, sends the rest and closes its side. Answers what was read, or
/// the first error of either side (a reset).
async fn answer_while_sending(
    addr: String,
    head: String,
    body: Vec<u8>,
    early: usize,
) -> Result<String, String> {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let stream = tokio::net::TcpStream::connect(addr)
        .await
        .map_err(|e| e.to_string())?;
    let (mut rd, mut wr) = stream.into_split();
    let (began, answer_began) = tokio::sync::oneshot::channel::<()>();
    let writer = tokio::spawn(async move {
        wr.write_all(head.as_bytes()).await?;
        wr.write_all(&body[..early]).await?;
        if early < body.len() {
            let _ = answer_began.await;
            wr.write_all(&body[early..]).await?;
        }
        wr.shutdown().await
    });
    let reader = async move {
        let mut began = Some(began);
        let mut out = Vec::new();
        let mut buf = [0u8; 8192];
        loop {
            match rd.read(&mut buf).await {
                Ok(0) => return Ok(out),
                Ok(n) => {
                    out.extend_from_slice(&buf[..n]);
                    if let Some(b) = began.take() {
                        let _ = b.send(());
                    }
                }
                Err(e) => {
                    return Err(format!(
                        "read: {e} after {:?}",
                        String::from_utf8_lossy(&out)
                    ))
                }
            }
        }
    };
    let read = tokio::time::timeout(Duration::from_secs(20), reader)
        .await
        .map_err(|_| "no end of the answer in 20 s".to_string())??;
    tokio::time::timeout(Duration::from_secs(20), writer)
        .await
        .map_err(|_| "the body could not be sent in 20 s".to_string())?
        .map_err(|e| e.to_string())?
        .map_err(|e| format!("write: {e}"))?;
    Ok(String::from_utf8_lossy(&read).into_owned())
}

/// A body of `n` bytes in 64 KiB chunks, and its end.
fn chunked(n: usize) -> Vec<u8> {
    let chunk = vec![b'y'; 64 * 1024];
    let mut out = Vec::new();
    for _ in 0..n / chunk.len() {
        out.extend_from_slice(format!("{:x}\r\n", chunk.len()).as_bytes());
        out.extend_from_slice(&chunk);
        out.extend_from_slice(b"\r\n");
    }
    out.extend_from_slice(b"0\r\n\r\n");
    out
}

/// A refusal reaches a client still sending: the 413 of a 2 MiB body
/// (declared, or chunked and cut while read) and the 408 of a body that
/// came too slowly are read whole, and neither side of the connection
/// sees a reset (the service reads and discards what still comes, a
/// bounded while, before closing).
#[tokio::test(flavor = "multi_thread")]
async fn a_refused_body_gets_its_answer_to_a_client_still_sending_it() {
    const BIG: usize = 2 << 20;
    let t = impatient().await;
    let l = t.connect_link(json!({})).await;
    let submit = format!("/api/v1/connect-links/{}/accounts", slug(&l["url"]));
    let head = |path: &str, framing: String| {
        format!(
            "POST {path} HTTP/1.1\r\nHost: x\r\nIdempotency-Key: big\r\n\
             Authorization: Bearer {}\r\nDRUO-Version: 2021-11-22\r\n\
             Content-Type: application/json\r\n{framing}\r\n",
            t.token
        )
    };
    let declared = format!("Content-Length: {BIG}\r\n");
    let streamed = "Transfer-Encoding: chunked\r\n".to_string();
    for round in 0..20 {
        for (host, path, framing, body) in [
            (&t.link, submit.as_str(), &declared, vec![b'x'; BIG]),
            (&t.api, "/connect/link/create", &declared, vec![b'x'; BIG]),
            (&t.link, submit.as_str(), &streamed, chunked(BIG)),
        ] {
            let len = body.len();
            let answer = answer_while_sending(addr(host), head(path, framing.clone()), body, len)
                .await
                .unwrap_or_else(|e| panic!("round {round}, {path} {framing:?}: {e}"));
            assert!(answer.starts_with("HTTP/1.1 413"), "{answer}");
            assert!(answer.contains("PAYLOAD_TOO_LARGE"), "{answer}");
        }
    }
    // A body that stops coming gets 408 after the request timeout; the
    // client sends the rest only once the answer has begun.
    const UNDER: usize = 60_000;
    let slow: Vec<_> = (0..10)
        .map(|_| {
            let h = head(&submit, format!("Content-Length: {UNDER}\r\n"));
            tokio::spawn(answer_while_sending(
                addr(&t.link),
                h,
                vec![b'x'; UNDER],
                1024,
            ))
        })
        .collect();
    for s in slow {
        let answer = s.await.unwrap().unwrap();
        assert!(answer.starts_with("HTTP/1.1 408"), "{answer}");
        assert!(answer.contains("REQUEST_TIMEOUT"), "{answer}");
    }
    assert_eq!(institutions_answer(&t).await, StatusCode::OK);
    t.stop().await;
}
