//! Webhooks (issue 26): a merchant's endpoints, the events its changes
//! cause, and one delivery per event and endpoint. An event is written in
//! the same transaction as the change that causes it (an outbox), so a
//! change that committed has its deliveries committed with it, whatever
//! happens to the process after; the sender (the `webhooks` module) sends
//! them.
//!
//! Fan-out happens when the event is written: an endpoint gets the events
//! of changes made while it was enabled, never older ones. A merchant
//! without endpoints pays one indexed read per change.

use crate::ids;
use crate::sealed::{context, Sealer};
use crate::store::error::{StoreError, StoreResult};
use crate::store::sql::{params, Conn, Lease, OptionalExt, Queue, Row};
use druo_core::webhook::{subscribes, EventType};
use serde::Serialize;
use serde_json::{json, Map, Value};

/// Where an endpoint's secret and headers are sealed: bound to its row.
fn place(column: &str, uuid: &str) -> String {
    context(&[column, uuid])
}

/// A new endpoint, checked (`druo_core::request::webhook_create`).
#[derive(Debug, Clone)]
pub struct NewEndpoint<'a> {
    /// The merchant it belongs to.
    pub merchant_id: i64,
    /// Where deliveries go.
    pub url: &'a str,
    /// A label for people.
    pub description: Option<&'a str>,
    /// The events it gets; `None`: every event.
    pub events: Option<&'a [EventType]>,
    /// The key of its signatures.
    pub secret: &'a str,
    /// Headers sent with every delivery.
    pub headers: &'a Map<String, Value>,
}

/// An endpoint as stored, its secret and headers opened.
#[derive(Debug, Clone, PartialEq)]
pub struct Endpoint {
    /// `whk_…`
    pub uuid: String,
    /// The merchant it belongs to.
    pub merchant_id: i64,
    /// Where deliveries go.
    pub url: String,
    /// A label for people.
    pub description: Option<String>,
    /// The events it gets; `None`: every event.
    pub events: Option<Vec<EventType>>,
    /// The key of its signatures.
    pub secret: String,
    /// Headers sent with every delivery.
    pub headers: Map<String, Value>,
    /// When it was disabled; `None` while enabled.
    pub disabled_ms: Option<i64>,
    /// When it was made.
    pub created_ms: i64,
}

fn events_of(text: Option<String>) -> StoreResult<Option<Vec<EventType>>> {
    text.map(|t| {
        let names: Vec<String> = serde_json::from_str(&t)?;
        names
            .iter()
            .map(|n| {
                EventType::parse(n).ok_or_else(|| StoreError::Unreadable("webhooks.events".into()))
            })
            .collect()
    })
    .transpose()
}

fn read_endpoint(r: &Row, sealer: &Sealer) -> StoreResult<Endpoint> {
    let uuid: String = r.get("uuid")?;
    let open = |column: &str, v: &str| {
        sealer
            .open_in(&place(column, &uuid), v)
            .map_err(|e| StoreError::Unreadable(format!("webhooks.{column}: {e}")))
    };
    let secret = open("webhooks.secret", &r.get::<String>("secret")?)?;
    let headers = match r.get::<Option<String>>("headers")? {
        Some(v) => serde_json::from_str(&open("webhooks.headers", &v)?)?,
        None => Map::new(),
    };
    Ok(Endpoint {
        merchant_id: r.get("merchant_id")?,
        url: r.get("url")?,
        description: r.get("description")?,
        events: events_of(r.get("events")?)?,
        secret,
        headers,
        disabled_ms: r.get("disabled_ms")?,
        created_ms: r.get("created_ms")?,
        uuid,
    })
}

/// Adds an endpoint; returns its uuid.
pub fn insert(conn: &Conn, sealer: &Sealer, e: &NewEndpoint<'_>, now: i64) -> StoreResult<String> {
    let uuid = ids::prefixed_uuid("whk");
    let events = e
        .events
        .map(|list| serde_json::to_string(&list.iter().map(|e| e.as_str()).collect::<Vec<_>>()))
        .transpose()?;
    let headers = (!e.headers.is_empty())
        .then(|| serde_json::to_string(e.headers))
        .transpose()?
        .map(|h| sealer.seal_in(&place("webhooks.headers", &uuid), &h));
    conn.execute(
        "INSERT INTO webhooks (uuid, merchant_id, url, description, events, secret, headers, created_ms)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        params![
            uuid,
            e.merchant_id,
            e.url,
            e.description,
            events,
            sealer.seal_in(&place("webhooks.secret", &uuid), e.secret),
            headers,
            now
        ],
    )?;
    Ok(uuid)
}

/// Endpoint `uuid` of `merchant_id`; not found when it is another
/// merchant's, as when it does not exist.
pub fn get(conn: &Conn, sealer: &Sealer, merchant_id: i64, uuid: &str) -> StoreResult<Endpoint> {
    conn.query_row(
        "SELECT * FROM webhooks WHERE uuid = ?1 AND merchant_id = ?2",
        params![uuid, merchant_id],
        |r| read_endpoint(r, sealer),
    )
    .optional()?
    .ok_or(StoreError::NotFound("webhook"))
}

/// The merchant's endpoints, oldest first.
pub fn list(conn: &Conn, sealer: &Sealer, merchant_id: i64) -> StoreResult<Vec<Endpoint>> {
    conn.query_map(
        "SELECT * FROM webhooks WHERE merchant_id = ?1 ORDER BY created_ms, uuid",
        params![merchant_id],
        |r| read_endpoint(r, sealer),
    )
}

/// Disables (`enabled` false) or enables endpoint `uuid`: a disabled one
/// gets no new events, and its pending deliveries wait until it is
/// enabled again.
pub fn set_enabled(
    conn: &Conn,
    merchant_id: i64,
    uuid: &str,
    enabled: bool,
    now: i64,
) -> StoreResult<()> {
    let changed = conn.execute(
        "UPDATE webhooks SET disabled_ms = CASE WHEN ?3 = 1 THEN NULL ELSE COALESCE(disabled_ms, ?4) END
         WHERE uuid = ?1 AND merchant_id = ?2",
        params![uuid, merchant_id, enabled, now],
    )?;
    if changed == 0 {
        return Err(StoreError::NotFound("webhook"));
    }
    Ok(())
}

/// Removes endpoint `uuid` with its deliveries.
pub fn delete(conn: &Conn, merchant_id: i64, uuid: &str) -> StoreResult<()> {
    conn.execute(
        "DELETE FROM webhook_deliveries WHERE webhook_uuid = ?1
           AND webhook_uuid IN (SELECT uuid FROM webhooks WHERE merchant_id = ?2)",
        params![uuid, merchant_id],
    )?;
    let changed = conn.execute(
        "DELETE FROM webhooks WHERE uuid = ?1 AND merchant_id = ?2",
        params![uuid, merchant_id],
    )?;
    if changed == 0 {
        return Err(StoreError::NotFound("webhook"));
    }
    Ok(())
}

/// A change, as an event tells it.
#[derive(Debug, Clone, Copy)]
pub struct Change<'a> {
    /// The merchant whose object changed.
    pub merchant_id: i64,
    /// What happened.
    pub event: EventType,
    /// The object's uuid (`clk_…`, `chk_…`, `acc_…`, `trx_…`).
    pub object: &'a str,
    /// Its status before (`None`: it is new).
    pub from: Option<&'a str>,
    /// Its status after.
    pub to: &'a str,
    /// When it happened, when that was before it is written (a link's
    /// expiry, announced by the sender's sweep); `None`: now. Only
    /// endpoints registered by then get it.
    pub at: Option<i64>,
}

/// Writes the event of `change` and a delivery to each enabled endpoint
/// of its merchant that listens to it, in the caller's transaction;
/// nothing when none listens. Returns how many deliveries it wrote.
pub fn emit(conn: &Conn, change: &Change<'_>, now: i64) -> StoreResult<usize> {
    let endpoints: Vec<(String, Option<String>)> = conn.query_map(
        "SELECT uuid, events FROM webhooks
         WHERE merchant_id = ?1 AND disabled_ms IS NULL AND created_ms <= ?2",
        params![change.merchant_id, change.at.unwrap_or(now)],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    let mut listening = Vec::new();
    for (uuid, events) in endpoints {
        if subscribes(events_of(events)?.as_deref(), change.event) {
            listening.push(uuid);
        }
    }
    if listening.is_empty() {
        return Ok(0);
    }
    let fact = json!({ "from": change.from, "to": change.to }).to_string();
    let seq: i64 = conn.query_row(
        "INSERT INTO webhook_events (uuid, merchant_id, type, object_uuid, change, created_ms)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6) RETURNING seq",
        params![
            ids::prefixed_uuid("evt"),
            change.merchant_id,
            change.event.as_str(),
            change.object,
            fact,
            now
        ],
        |r| r.get(0),
    )?;
    for webhook in &listening {
        conn.execute(
            "INSERT INTO webhook_deliveries (event_seq, webhook_uuid, object_uuid, state, next_ms,
                window_start_ms, created_ms)
             VALUES (?1, ?2, ?3, 'PENDING', ?4, ?4, ?4)",
            params![seq, webhook, change.object, now],
        )?;
    }
    Ok(listening.len())
}

/// [`emit`] for an object of the merchant that owns row `uuid` of
/// `table` (a link, an account, a payment).
pub fn emit_for(
    conn: &Conn,
    table: &'static str,
    change: Change<'_>,
    now: i64,
) -> StoreResult<usize> {
    let merchant_id: i64 = conn.query_row(
        &format!("SELECT merchant_id FROM {table} WHERE uuid = ?1"),
        params![change.object],
        |r| r.get(0),
    )?;
    emit(
        conn,
        &Change {
            merchant_id,
            ..change
        },
        now,
    )
}

/// A delivery, as the merchant's log shows it: what it answers as
/// stored (serialized as the log's object) and the times, which it
/// formats ([`DeliveryRow`]).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Delivery {
    /// Its id in the log, for `redeliver` and `starting_after`.
    pub id: i64,
    /// The event's `evt_…`: a receiver de-duplicates by it.
    pub event: String,
    /// The event's type.
    #[serde(rename = "type")]
    pub event_type: String,
    /// The object's uuid.
    pub object: String,
    /// `PENDING`, `DELIVERED` or `FAILED` (given up after three days).
    pub state: String,
    /// Tries so far.
    pub attempts: i64,
    /// The last try's HTTP status, if it got one.
    pub last_status: Option<i64>,
    /// Why the last try failed without a status (a timeout, a refused
    /// address, a redirect).
    pub last_error: Option<String>,
}

/// A delivery as stored: what the log shows, and its times.
#[derive(Debug, Clone, PartialEq)]
pub struct DeliveryRow {
    /// What the log answers as stored.
    pub delivery: Delivery,
    /// When it was last tried.
    pub last_ms: Option<i64>,
    /// When it will be tried next, while pending.
    pub next_ms: i64,
    /// When it was delivered.
    pub delivered_ms: Option<i64>,
    /// When it was written.
    pub created_ms: i64,
}

/// Endpoint `uuid`'s deliveries, newest first: at most `limit`, those
/// older than delivery `before` when given.
pub fn deliveries(
    conn: &Conn,
    uuid: &str,
    before: Option<i64>,
    limit: usize,
) -> StoreResult<Vec<DeliveryRow>> {
    conn.query_map(
        "SELECT d.id, e.uuid AS event, e.type AS event_type, d.object_uuid, d.state, d.attempts,
                d.last_status, d.last_error, d.last_ms, d.next_ms, d.delivered_ms, d.created_ms
         FROM webhook_deliveries d JOIN webhook_events e ON e.seq = d.event_seq
         WHERE d.webhook_uuid = ?1 AND d.id < ?2
         ORDER BY d.id DESC LIMIT ?3",
        params![uuid, before.unwrap_or(i64::MAX), limit as i64],
        |r| {
            Ok(DeliveryRow {
                delivery: Delivery {
                    id: r.get("id")?,
                    event: r.get("event")?,
                    event_type: r.get("event_type")?,
                    object: r.get("object_uuid")?,
                    state: r.get("state")?,
                    attempts: r.get("attempts")?,
                    last_status: r.get("last_status")?,
                    last_error: r.get("last_error")?,
                },
                last_ms: r.get("last_ms")?,
                next_ms: r.get("next_ms")?,
                delivered_ms: r.get("delivered_ms")?,
                created_ms: r.get("created_ms")?,
            })
        },
    )
}

/// Sends delivery `id` of endpoint `uuid` again, now: pending, with a new
/// three-day window, whatever it ended as. `false` while a sender is
/// trying it (its lease runs): it is not sent twice at once.
pub fn redeliver(conn: &Conn, uuid: &str, id: i64, now: i64) -> StoreResult<bool> {
    let exists = conn
        .query_row(
            "SELECT 1 FROM webhook_deliveries WHERE id = ?2 AND webhook_uuid = ?1",
            params![uuid, id],
            |_| Ok(()),
        )
        .optional()?;
    if exists.is_none() {
        return Err(StoreError::NotFound("delivery"));
    }
    let changed = conn.execute(
        "UPDATE webhook_deliveries SET state = 'PENDING', next_ms = ?3, window_start_ms = ?3,
            claimed_by = NULL, claimed_until_ms = NULL, delivered_ms = NULL
         WHERE id = ?2 AND webhook_uuid = ?1
           AND (claimed_until_ms IS NULL OR claimed_until_ms < ?3)",
        params![uuid, id, now],
    )?;
    Ok(changed == 1)
}

/// A delivery claimed for sending.
#[derive(Debug, Clone)]
pub struct Claimed {
    /// Its id.
    pub id: i64,
    /// Its event.
    pub event_seq: i64,
    /// Its endpoint.
    pub webhook_uuid: String,
    /// Tries so far, this one included.
    pub attempts: i64,
    /// When its retry window started.
    pub window_start_ms: i64,
    /// The claim's own name, which [`finish`] must give: a try whose lease
    /// ran out and was claimed again cannot finish the new claim.
    pub by: String,
}

/// The deliveries to send: [`claim`] takes those pending and due, not
/// under a running lease, of an enabled endpoint, and the oldest pending
/// one of their endpoint and object (so one object's events arrive in
/// order), oldest first.
const QUEUE: Queue = Queue {
    table: "webhook_deliveries",
    alias: "d",
    claimable: "d.state = 'PENDING' AND d.next_ms <= ?1
        AND (d.claimed_until_ms IS NULL OR d.claimed_until_ms < ?1)
        AND d.webhook_uuid IN (SELECT uuid FROM webhooks WHERE disabled_ms IS NULL)
        AND NOT EXISTS (
          SELECT 1 FROM webhook_deliveries e
          WHERE e.webhook_uuid = d.webhook_uuid AND e.object_uuid = d.object_uuid
            AND e.state = 'PENDING' AND e.event_seq < d.event_seq)",
    order: "d.event_seq",
    returning: "id, event_seq, webhook_uuid, attempts, window_start_ms, claimed_by",
};

/// Claims the deliveries due for `lease` (its name unique to this claim:
/// an instance and a count). On PostgreSQL rows another instance is
/// claiming are skipped (`SKIP LOCKED`); on SQLite the write transaction
/// is the only writer.
pub fn claim(conn: &Conn, lease: &Lease<'_>) -> StoreResult<Vec<Claimed>> {
    QUEUE.claim(conn, lease, |r| {
        Ok(Claimed {
            id: r.get("id")?,
            event_seq: r.get("event_seq")?,
            webhook_uuid: r.get("webhook_uuid")?,
            attempts: r.get("attempts")?,
            window_start_ms: r.get("window_start_ms")?,
            by: r.get("claimed_by")?,
        })
    })
}

/// Whether [`claim`] would take anything at `now`: a read, so an idle
/// sender (or one whose only pending deliveries wait behind others, or on
/// a disabled endpoint) costs the writer nothing.
pub fn any_due(conn: &Conn, now: i64) -> StoreResult<bool> {
    QUEUE.any_due(conn, now)
}

/// An event as its deliveries need it.
#[derive(Debug, Clone)]
pub struct EventRow {
    /// `seq`.
    pub seq: i64,
    /// `evt_…`
    pub uuid: String,
    /// The merchant.
    pub merchant_id: i64,
    /// What happened.
    pub event: EventType,
    /// The object.
    pub object: String,
    /// `{"from","to"}`.
    pub change: Value,
    /// The body every delivery sends, once rendered.
    pub payload: Option<String>,
    /// When it happened.
    pub created_ms: i64,
}

/// Event `seq`, its payload opened.
pub fn event(conn: &Conn, sealer: &Sealer, seq: i64) -> StoreResult<EventRow> {
    conn.query_row(
        "SELECT * FROM webhook_events WHERE seq = ?1",
        params![seq],
        |r| {
            let uuid: String = r.get("uuid")?;
            let payload = r
                .get::<Option<String>>("payload")?
                .map(|p| {
                    sealer
                        .open_in(&place("webhook_events.payload", &uuid), &p)
                        .map_err(|e| StoreError::Unreadable(format!("webhook_events.payload: {e}")))
                })
                .transpose()?;
            let kind: String = r.get("type")?;
            Ok(EventRow {
                seq,
                merchant_id: r.get("merchant_id")?,
                event: EventType::parse(&kind)
                    .ok_or_else(|| StoreError::Unreadable("webhook_events.type".into()))?,
                object: r.get("object_uuid")?,
                change: serde_json::from_str(&r.get::<String>("change")?)?,
                payload,
                created_ms: r.get("created_ms")?,
                uuid,
            })
        },
    )
}

/// Keeps `payload` as event `seq`'s body unless one is kept already (two
/// instances render the same event: the first one kept wins); returns
/// the body kept.
pub fn keep_payload(
    conn: &Conn,
    sealer: &Sealer,
    seq: i64,
    uuid: &str,
    payload: &str,
) -> StoreResult<String> {
    conn.execute(
        "UPDATE webhook_events SET payload = ?2 WHERE seq = ?1 AND payload IS NULL",
        params![
            seq,
            sealer.seal_in(&place("webhook_events.payload", uuid), payload)
        ],
    )?;
    event(conn, sealer, seq)?
        .payload
        .ok_or_else(|| StoreError::Unreadable("webhook_events.payload".into()))
}

/// How a try ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// The endpoint answered 2xx.
    Delivered {
        /// Its status.
        status: u16,
    },
    /// Anything else: tried again at `next_ms`, or given up when `None`.
    Failed {
        /// Its status, when it answered.
        status: Option<u16>,
        /// Why, when it did not.
        error: Option<String>,
        /// The next try; `None`: the window is over.
        next_ms: Option<i64>,
    },
}

/// Records how delivery `id`'s try by `by` ended at `now`; nothing when
/// its claim was lost meanwhile (its lease ran out and another instance
/// took it).
pub fn finish(conn: &Conn, id: i64, by: &str, outcome: &Outcome, now: i64) -> StoreResult<bool> {
    let changed = match outcome {
        Outcome::Delivered { status } => conn.execute(
            "UPDATE webhook_deliveries SET state = 'DELIVERED', last_status = ?3, last_error = NULL,
                last_ms = ?4, delivered_ms = ?4, claimed_by = NULL, claimed_until_ms = NULL
             WHERE id = ?1 AND claimed_by = ?2",
            params![id, by, i64::from(*status), now],
        )?,
        Outcome::Failed { status, error, next_ms } => conn.execute(
            "UPDATE webhook_deliveries SET state = ?3, last_status = ?4, last_error = ?5, last_ms = ?6,
                next_ms = COALESCE(?7, next_ms), claimed_by = NULL, claimed_until_ms = NULL
             WHERE id = ?1 AND claimed_by = ?2",
            params![
                id,
                by,
                if next_ms.is_some() { "PENDING" } else { "FAILED" },
                status.map(i64::from),
                error.as_deref(),
                now,
                *next_ms
            ],
        )?,
    };
    Ok(changed == 1)
}

/// Deletes deliveries that ended (delivered or given up) before
/// `before`, and the events no delivery needs any more; returns how many
/// rows it deleted.
pub fn prune(conn: &Conn, before: i64) -> StoreResult<usize> {
    let deliveries = conn.execute(
        "DELETE FROM webhook_deliveries WHERE state != 'PENDING' AND created_ms < ?1",
        params![before],
    )?;
    let events = conn.execute(
        "DELETE FROM webhook_events WHERE created_ms < ?1
           AND NOT EXISTS (SELECT 1 FROM webhook_deliveries d WHERE d.event_seq = webhook_events.seq)",
        params![before],
    )?;
    Ok(deliveries + events)
}

/// Re-seals the endpoints' secrets and headers not sealed under the
/// current key (they are few: run at start, with the merchants' signing
/// secrets); returns how many endpoints it re-sealed. One that does not
/// open is left as it is (its merchant registers it again).
pub fn reseal_endpoints(conn: &Conn, sealer: &Sealer) -> StoreResult<usize> {
    let rows: Vec<(String, String)> =
        conn.query_map("SELECT uuid, secret FROM webhooks", params![], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })?;
    let mut done = 0;
    for (uuid, stored) in rows {
        if crate::sealed::key_id(&stored) == Some(sealer.current_id()) {
            continue;
        }
        let Ok(e) = conn.query_row(
            "SELECT * FROM webhooks WHERE uuid = ?1",
            params![uuid],
            |r| read_endpoint(r, sealer),
        ) else {
            continue;
        };
        let headers = (!e.headers.is_empty())
            .then(|| serde_json::to_string(&e.headers))
            .transpose()?
            .map(|h| sealer.seal_in(&place("webhooks.headers", &uuid), &h));
        conn.execute(
            "UPDATE webhooks SET secret = ?2, headers = ?3 WHERE uuid = ?1",
            params![
                uuid,
                sealer.seal_in(&place("webhooks.secret", &uuid), &e.secret),
                headers
            ],
        )?;
        done += 1;
    }
    Ok(done)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::{db, merchants};

    fn sealer() -> Sealer {
        Sealer::new("test personal-data", &[], "test blind-index")
    }

    fn setup(events: Option<&[EventType]>) -> (tempfile::TempDir, Box<Conn>, i64, String) {
        let dir = tempfile::tempdir().unwrap();
        let conn: Box<Conn> = Box::new(db::open(&dir.path().join("t.db")).unwrap());
        let mid = merchants::insert(&*conn, &sealer(), "ACME", "tok", 0).unwrap();
        let new = NewEndpoint {
            merchant_id: mid,
            url: "https://hooks.example.com/d",
            description: None,
            events,
            secret: "whsec_0123456789abcdef",
            headers: &Map::new(),
        };
        let hook = insert(&*conn, &sealer(), &new, 10).unwrap();
        (dir, conn, mid, hook)
    }

    fn change<'a>(mid: i64, object: &'a str, to: &'a str) -> Change<'a> {
        Change {
            merchant_id: mid,
            event: EventType::AccountStatusChanged,
            object,
            from: None,
            to,
            at: None,
        }
    }

    #[test]
    fn an_event_fans_out_to_the_endpoints_that_listen_when_it_happens() {
        let (_dir, conn, mid, _) = setup(Some(&[EventType::AccountStatusChanged]));
        assert_eq!(
            emit(&*conn, &change(mid, "acc_1", "CONNECTED"), 20).unwrap(),
            1
        );
        let other = Change {
            event: EventType::ConnectLinkOpened,
            ..change(mid, "clk_1", "OPENED")
        };
        assert_eq!(
            emit(&*conn, &other, 20).unwrap(),
            0,
            "not listened to: nothing written"
        );
        // Another merchant's change, and a change from before the endpoint.
        let acme2 = merchants::insert(&*conn, &sealer(), "OTRA", "tok2", 0).unwrap();
        assert_eq!(
            emit(&*conn, &change(acme2, "acc_2", "CONNECTED"), 20).unwrap(),
            0
        );
        let earlier = Change {
            at: Some(5),
            ..change(mid, "clk_2", "EXPIRED")
        };
        assert_eq!(emit(&*conn, &earlier, 20).unwrap(), 0);
        let events: i64 = conn
            .query_row("SELECT COUNT(*) FROM webhook_events", params![], |r| {
                r.get(0)
            })
            .unwrap();
        assert_eq!(events, 1);
    }

    /// What claim `by` takes at `now`: up to 16, for a second.
    fn take(conn: &Conn, by: &str, now: i64) -> Vec<Claimed> {
        let lease = Lease {
            by,
            now,
            lease_ms: 1_000,
            limit: 16,
        };
        claim(conn, &lease).unwrap()
    }

    #[test]
    fn one_objects_deliveries_are_claimed_in_order_and_a_lease_runs_out() {
        let (_dir, conn, mid, _) = setup(None);
        for (object, to) in [
            ("acc_1", "VERIFICATION_PENDING"),
            ("acc_1", "CONNECTED"),
            ("acc_2", "CONNECTED"),
        ] {
            emit(&*conn, &change(mid, object, to), 100).unwrap();
        }
        let first = take(&*conn, "a", 100);
        assert_eq!(first.len(), 2, "the oldest of each object: {first:?}");
        assert!(
            take(&*conn, "b", 200).is_empty(),
            "claimed or waiting behind"
        );
        let acc_1 = first.iter().min_by_key(|c| c.event_seq).unwrap();
        assert!(finish(
            &*conn,
            acc_1.id,
            "a",
            &Outcome::Delivered { status: 200 },
            300
        )
        .unwrap());
        let next = take(&*conn, "b", 300);
        assert_eq!(next.len(), 1);
        assert!(next[0].event_seq > acc_1.event_seq);
        // `a` dies holding acc_2's: after its lease, `b` takes it, and a
        // late finish by `a` changes nothing.
        let late = take(&*conn, "b", 1_101);
        assert_eq!(late.len(), 1);
        assert_eq!(late[0].attempts, 2);
        let acc_2 = first.iter().max_by_key(|c| c.event_seq).unwrap();
        assert!(!finish(
            &*conn,
            acc_2.id,
            "a",
            &Outcome::Delivered { status: 200 },
            1_200
        )
        .unwrap());
        let retry = Outcome::Failed {
            status: Some(503),
            error: None,
            next_ms: Some(5_000),
        };
        assert!(finish(&*conn, acc_2.id, "b", &retry, 1_200).unwrap());
        assert!(take(&*conn, "b", 4_999).iter().all(|c| c.id != acc_2.id));
        let log = deliveries(&*conn, &first[0].webhook_uuid, None, 10).unwrap();
        assert_eq!(log.len(), 3);
        assert_eq!(
            log.iter()
                .find(|d| d.delivery.id == acc_2.id)
                .unwrap()
                .delivery
                .last_status,
            Some(503)
        );
    }
}
