//! The webhook sender (issue 26): claims the deliveries that are due
//! (`store::webhooks::claim`), renders each event's body once, signs and
//! posts it (`send`), and records how it went, retrying with backoff and
//! jitter for three days. It never holds a database connection while it
//! sends, and a person's request never waits for it. Several instances on
//! one PostgreSQL database share the work: a claim is a lease, so a
//! delivery goes out once, or again after a crash (at least once, with the
//! event id for de-duplication).

pub mod send;

use crate::clock::now_ms;
use crate::merchant::objects::{self, TransactionObject};
use crate::secrets::Secrets;
use crate::store::db::Db;
use crate::store::error::{StoreError, StoreResult};
use crate::store::links::{self, LinkKind};
use crate::store::sql::Conn;
use crate::store::sql::Lease;
use crate::store::webhooks::{self, Claimed, Endpoint, EventRow, Outcome};
use crate::store::{accounts, payments};
use druo_core::time::format_iso8601;
use druo_core::webhook::{backoff_ms, Allow, EventType, RETRY_WINDOW_MS};
use serde_json::{json, Value};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;
use tokio::task::JoinHandle;

/// How the sender behaves: the flags `--dev-webhooks`,
/// `--webhook-allow-private` and the hidden test timings.
#[derive(Debug, Clone, clap::Args)]
pub struct Flags {
    /// Development: webhook endpoints may be plain http to a loopback
    /// address (`http://127.0.0.1:9000/hook`).
    #[arg(long, env = "LINK_DEV_WEBHOOKS")]
    pub dev_webhooks: bool,
    /// Let webhook endpoints be private, shared or link-local addresses
    /// (a merchant's own network); loopback stays refused.
    #[arg(long, env = "LINK_WEBHOOK_ALLOW_PRIVATE")]
    pub webhook_allow_private: bool,
    /// The first retry's wait, doubled each time (tests shorten it).
    #[arg(long, default_value_t = 10_000, hide = true)]
    pub webhook_backoff_base_ms: i64,
    /// How long a claimed delivery is an instance's before another may
    /// take it (more than the send's timeout).
    #[arg(long, default_value_t = 60_000, hide = true)]
    pub webhook_lease_ms: i64,
}

impl Default for Flags {
    fn default() -> Self {
        Flags {
            dev_webhooks: false,
            webhook_allow_private: false,
            webhook_backoff_base_ms: 10_000,
            webhook_lease_ms: 60_000,
        }
    }
}

impl Flags {
    /// The address rule these flags give.
    pub fn allow(&self) -> Allow {
        Allow {
            loopback: self.dev_webhooks,
            private: self.webhook_allow_private,
        }
    }
}

/// How often the sender looks for due deliveries.
const POLL: Duration = Duration::from_millis(250);

/// Deliveries in flight at once, per instance.
const BATCH: usize = 16;

/// Expired links announced in one write.
const SWEEP_BATCH: usize = 200;

/// Starts the sender; it runs until the handle is aborted.
pub fn spawn(db: Db, secrets: Arc<Secrets>, public_base: String, flags: Flags) -> JoinHandle<()> {
    let instance = crate::ids::prefixed_uuid("ins");
    tokio::spawn(async move {
        let client = match send::Client::new(flags.allow()) {
            Ok(c) => Arc::new(c),
            Err(e) => {
                eprintln!("link-server: webhooks: no HTTP client ({e}); nothing will be sent");
                return;
            }
        };
        let sender = Sender {
            db,
            secrets,
            public_base,
            flags,
            instance,
            claims: Arc::new(AtomicU64::new(0)),
            client,
        };
        // Sends run beside the loop: a slow endpoint holds its own
        // deliveries, not the next claims (at most BATCH in flight).
        let mut in_flight = tokio::task::JoinSet::new();
        loop {
            tokio::time::sleep(POLL).await;
            while let Some(done) = in_flight.try_join_next() {
                if let Ok(Err(e)) = done {
                    eprintln!("link-server: webhooks: {e}");
                }
            }
            // The clock's changes first; a failure there never holds
            // back what is already due.
            if let Err(e) = sender.sweep().await {
                eprintln!("link-server: webhooks: sweep: {e}");
            }
            let room = BATCH.saturating_sub(in_flight.len());
            match sender.claim(room).await {
                Ok(claimed) => {
                    for c in claimed {
                        let this = sender.clone();
                        in_flight.spawn(async move { this.deliver(c).await });
                    }
                }
                Err(e) => eprintln!("link-server: webhooks: {e}"),
            }
        }
    })
}

#[derive(Clone)]
struct Sender {
    db: Db,
    secrets: Arc<Secrets>,
    public_base: String,
    flags: Flags,
    instance: String,
    claims: Arc<AtomicU64>,
    client: Arc<send::Client>,
}

impl Sender {
    /// What the clock alone changes, stored so its events go out: links
    /// that expired, and the sandbox institution's approvals that are due
    /// (only for merchants with an endpoint). Reads first; a write only
    /// when something is due.
    async fn sweep(&self) -> StoreResult<()> {
        let now = now_ms();
        let (expired, approvals) = self
            .db
            .call(move |c| {
                let expired = links::any_unannounced(c, LinkKind::Connect, now)?
                    || links::any_unannounced(c, LinkKind::Checkout, now)?;
                Ok::<_, StoreError>((expired, accounts::due_for_webhooks(c, now)?))
            })
            .await?;
        if !expired && approvals.is_empty() {
            return Ok(());
        }
        self.db
            .write(move |tx| {
                let now = now_ms();
                for kind in [LinkKind::Connect, LinkKind::Checkout] {
                    links::announce_expired(tx, kind, now, SWEEP_BATCH)?;
                }
                for merchant in approvals {
                    accounts::settle_due(tx, merchant, now)?;
                }
                Ok::<_, StoreError>(())
            })
            .await
    }

    /// Claims at most `room` due deliveries: a read first (`any_due`
    /// asks what the claim would take), a write only when one is due.
    async fn claim(&self, room: usize) -> StoreResult<Vec<Claimed>> {
        let now = now_ms();
        if room == 0 || !self.db.call(move |c| webhooks::any_due(c, now)).await? {
            return Ok(Vec::new());
        }
        // Each claim its own name: a try that outlived its lease cannot
        // finish the claim that took the delivery again.
        let n = self.claims.fetch_add(1, Ordering::Relaxed);
        let by = format!("{}:{n}", self.instance);
        let lease_ms = self.flags.webhook_lease_ms;
        self.db
            .write(move |tx| {
                let lease = Lease {
                    by: &by,
                    now: now_ms(),
                    lease_ms,
                    limit: room,
                };
                webhooks::claim(tx, &lease)
            })
            .await
    }

    /// One try of one delivery: the body (rendered once per event), the
    /// endpoint, the post, and its outcome recorded. A delivery that
    /// cannot be prepared (its body does not render or open, its endpoint
    /// does not open) is a failed try like any other: retried with
    /// backoff, given up after the window, so it never blocks its
    /// object's later events for good.
    async fn deliver(&self, c: Claimed) -> StoreResult<()> {
        let sent = match self.prepare(&c).await {
            Ok(Some((body, endpoint))) => self.client.post(&endpoint, body.as_bytes()).await,
            // The endpoint was removed, and its deliveries with it.
            Ok(None) => return Ok(()),
            // The merchant reads `last_error`: the cause goes to the log.
            Err(e) => {
                eprintln!("link-server: webhooks: delivery {} not prepared: {e}", c.id);
                send::Sent::Error("not sent: the event could not be prepared".into())
            }
        };
        let now = now_ms();
        let outcome = match sent {
            send::Sent::Status(status) if (200..300).contains(&status) => {
                Outcome::Delivered { status }
            }
            other => {
                let (status, error) = match other {
                    send::Sent::Status(s) => (Some(s), None),
                    send::Sent::Error(e) => (None, Some(e)),
                };
                let wait = backoff_ms(
                    u32::try_from(c.attempts).unwrap_or(u32::MAX),
                    self.flags.webhook_backoff_base_ms,
                    rand::random::<f64>(),
                );
                let next = now.saturating_add(wait);
                let next_ms = (next - c.window_start_ms <= RETRY_WINDOW_MS).then_some(next);
                Outcome::Failed {
                    status,
                    error,
                    next_ms,
                }
            }
        };
        self.db
            .write(move |tx| webhooks::finish(tx, c.id, &c.by, &outcome, now))
            .await?;
        Ok(())
    }

    /// The body delivery `c` sends and its endpoint; `None` when the
    /// endpoint was removed meanwhile (its deliveries went with it).
    async fn prepare(&self, c: &Claimed) -> StoreResult<Option<(String, Endpoint)>> {
        let (secrets, base, seq, hook) = (
            self.secrets.clone(),
            self.public_base.clone(),
            c.event_seq,
            c.webhook_uuid.clone(),
        );
        self.db
            .write(move |tx| {
                let sealer = secrets.sealer();
                let ev = webhooks::event(tx, sealer, seq)?;
                let endpoint = match webhooks::get(tx, sealer, ev.merchant_id, &hook) {
                    Ok(e) => e,
                    Err(StoreError::NotFound(_)) => return Ok(None),
                    Err(e) => return Err(e),
                };
                let body = match &ev.payload {
                    Some(p) => p.clone(),
                    None => {
                        let body = render(tx, &secrets, &base, &ev)?;
                        webhooks::keep_payload(tx, sealer, seq, &ev.uuid, &body)?
                    }
                };
                Ok::<_, StoreError>(Some((body, endpoint)))
            })
            .await
    }
}

/// The body every delivery of `ev` sends: `{ "id", "type", "created",
/// "change": { "from", "to" }, "data" }`, `data` being the object as the
/// merchant's `GET` answers it now (moments after the change: `change`
/// says what happened).
fn render(tx: &Conn, secrets: &Secrets, base: &str, ev: &EventRow) -> StoreResult<String> {
    let sealer = secrets.sealer();
    let now = now_ms();
    let data: Value = match ev.event {
        EventType::ConnectLinkOpened
        | EventType::ConnectLinkCompleted
        | EventType::ConnectLinkExpired => {
            serde_json::to_value(objects::connect_link(tx, sealer, &ev.object, base, now)?)?
        }
        EventType::CheckoutLinkOpened
        | EventType::CheckoutLinkCompleted
        | EventType::CheckoutLinkExpired => {
            serde_json::to_value(objects::checkout_link(tx, sealer, &ev.object, base, now)?)?
        }
        EventType::AccountStatusChanged => {
            serde_json::to_value(objects::account(tx, sealer, &ev.object, now)?)?
        }
        EventType::TransactionStatusChanged => {
            serde_json::to_value(TransactionObject::from(payments::get(tx, &ev.object)?))?
        }
    };
    Ok(json!({
        "id": ev.uuid,
        "type": ev.event.as_str(),
        "created": format_iso8601(ev.created_ms),
        "change": ev.change,
        "data": data,
    })
    .to_string())
}
