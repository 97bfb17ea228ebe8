//! The receipt sender (issue 27): with `--smtp-url`, a payment of a
//! transaction with `auto_send_receipt` queues its comprobante in the pay
//! call's own transaction (`store::receipts`), and this task claims,
//! renders and sends it through SMTP (lettre), retrying with backoff for a
//! day. Nobody waits for it: the person's page has its answer at once and
//! says the receipt is on its way, then that it was sent. Without
//! `--smtp-url` nothing is queued and the page promises nothing.

use crate::clock::now_ms;
use crate::secrets::Secrets;
use crate::store::db::Db;
use crate::store::error::{StoreError, StoreResult};
use crate::store::receipts::{self, Claimed, Outcome};
use crate::store::sql::Lease;
use crate::store::{accounts, checkout_links, end_users, merchants, payments};
use druo_core::i18n::masked_account;
use druo_core::money::format_fallback;
use druo_core::receipt::{email_subject, email_text, ReceiptFacts};
use druo_core::status::PaymentStatus;
use druo_core::webhook::backoff_ms;
use druo_core::Lang;
use lettre::message::{header::ContentType, Mailbox};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;
use tokio::task::JoinHandle;

/// How receipts are sent: `--smtp-url`, `--smtp-from`, and a hidden test
/// timing.
#[derive(Debug, Clone, clap::Args)]
// Its own group name: clap names a flattened struct's group after the
// struct, and the webhooks' flags are `Flags` too.
#[group(id = "receipt_flags")]
pub struct Flags {
    /// Email receipts (`auto_send_receipt`) through this SMTP server:
    /// `smtps://host:465` (TLS), `smtp://host:587?tls=required`
    /// (STARTTLS), with `user:password@` when it asks; plain `smtp://`
    /// (unencrypted) only to this machine. Unset: receipts are not emailed.
    #[arg(long, env = "LINK_SMTP_URL")]
    pub smtp_url: Option<String>,
    /// The receipts' sender.
    #[arg(
        long,
        env = "LINK_SMTP_FROM",
        default_value = "DRUO <receipts@link.druo.localhost>"
    )]
    pub smtp_from: String,
    /// The first retry's wait, doubled each time (tests shorten it).
    #[arg(long, default_value_t = 10_000, hide = true)]
    pub smtp_backoff_base_ms: i64,
}

impl Default for Flags {
    fn default() -> Self {
        Flags {
            smtp_url: None,
            smtp_from: "DRUO <receipts@link.druo.localhost>".into(),
            smtp_backoff_base_ms: 10_000,
        }
    }
}

/// How often the sender looks for receipts due.
const POLL: Duration = Duration::from_millis(500);
/// A whole send, connection to reply, gives up after this…
const SEND_TIMEOUT: Duration = Duration::from_secs(60);
/// …well inside its claim, so no other instance takes a receipt still
/// being sent. One receipt is claimed at a time for the same reason.
const LEASE_MS: i64 = 90_000;
/// A receipt not sent within a day is given up: it would arrive too late
/// to help, and the page still shows it.
const WINDOW_MS: i64 = 24 * 3_600_000;

/// Whether `url` keeps a receipt (and the server's password) off the
/// network in clear: TLS (`smtps://`), STARTTLS required
/// (`?tls=required`), or plain SMTP to this machine only.
pub fn protected(url: &str) -> bool {
    let Some(rest) = url.strip_prefix("smtp://") else {
        return url.starts_with("smtps://");
    };
    if url.contains("tls=required") {
        return true;
    }
    let authority = rest.split(['/', '?']).next().unwrap_or_default();
    let host = authority.rsplit('@').next().unwrap_or_default();
    let host = match host.strip_prefix('[') {
        Some(v6) => v6.split(']').next().unwrap_or_default(),
        None => host.split(':').next().unwrap_or_default(),
    };
    matches!(host, "localhost" | "127.0.0.1" | "::1")
}

/// Starts the sender when `--smtp-url` is set and usable; `None`
/// otherwise (then payments queue nothing and pages promise nothing).
pub fn spawn(db: Db, secrets: Arc<Secrets>, flags: &Flags) -> Option<JoinHandle<()>> {
    let url = flags.smtp_url.clone()?;
    if !protected(&url) {
        eprintln!(
            "link-server: receipts: --smtp-url would send in clear to another machine; \
             use smtps:// or smtp://…?tls=required. None will be sent"
        );
        return None;
    }
    let transport = match AsyncSmtpTransport::<Tokio1Executor>::from_url(&url) {
        Ok(t) => t.timeout(Some(SEND_TIMEOUT)).build(),
        Err(e) => {
            eprintln!("link-server: receipts: --smtp-url is not usable ({e}); none will be sent");
            return None;
        }
    };
    let from: Mailbox = match flags.smtp_from.parse() {
        Ok(m) => m,
        Err(e) => {
            eprintln!(
                "link-server: receipts: --smtp-from is not an address ({e}); none will be sent"
            );
            return None;
        }
    };
    let sender = Sender {
        db,
        secrets,
        transport,
        from,
        backoff_base_ms: flags.smtp_backoff_base_ms,
        instance: crate::ids::prefixed_uuid("rcs"),
        claims: Arc::new(AtomicU64::new(0)),
    };
    Some(tokio::spawn(async move {
        loop {
            tokio::time::sleep(POLL).await;
            if let Err(e) = sender.round().await {
                eprintln!("link-server: receipts: {e}");
            }
        }
    }))
}

/// The sender's parts: the database, the keys (the address is sealed),
/// the SMTP transport and this instance's claim names.
struct Sender {
    db: Db,
    secrets: Arc<Secrets>,
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
    backoff_base_ms: i64,
    instance: String,
    claims: Arc<AtomicU64>,
}

impl Sender {
    /// Sends what is due, one claim at a time (a read first).
    async fn round(&self) -> StoreResult<()> {
        loop {
            let now = now_ms();
            if !self.db.call(move |c| receipts::any_due(c, now)).await? {
                return Ok(());
            }
            let n = self.claims.fetch_add(1, Ordering::Relaxed);
            let by = format!("{}:{n}", self.instance);
            let claimed = self
                .db
                .write(move |tx| {
                    let lease = Lease {
                        by: &by,
                        now: now_ms(),
                        lease_ms: LEASE_MS,
                        limit: 1,
                    };
                    receipts::claim(tx, &lease)
                })
                .await?;
            let Some(c) = claimed.into_iter().next() else {
                return Ok(());
            };
            self.send(c).await?;
        }
    }

    /// One try of one receipt, recorded. A receipt that cannot be made
    /// (no address, or not an address) is given up at once; a mail
    /// server's refusal or silence is tried again.
    async fn send(&self, c: Claimed) -> StoreResult<()> {
        let sent = match self.message(&c).await {
            Ok(Some(m)) => match tokio::time::timeout(SEND_TIMEOUT, self.transport.send(m)).await {
                Ok(Ok(_)) => Ok(()),
                Ok(Err(e)) => Err((e.to_string(), true)),
                Err(_) => Err(("no answer from the mail server".into(), true)),
            },
            Ok(None) => Err(("the payer has no email address".into(), false)),
            Err(e) => Err((format!("not prepared: {e}"), false)),
        };
        let now = now_ms();
        let outcome = match sent {
            Ok(()) => Outcome::Sent,
            Err((error, again)) => {
                eprintln!("link-server: receipts: receipt {} not sent: {error}", c.id);
                let wait = backoff_ms(
                    u32::try_from(c.attempts).unwrap_or(u32::MAX),
                    self.backoff_base_ms,
                    rand::random::<f64>(),
                );
                let next = now.saturating_add(wait);
                Outcome::Failed {
                    error,
                    next_ms: (again && next - c.paid_ms <= WINDOW_MS).then_some(next),
                }
            }
        };
        let id = c.id;
        let kept = self
            .db
            .write(move |tx| receipts::finish(tx, c.id, &c.by, &outcome, now))
            .await?;
        if !kept {
            eprintln!("link-server: receipts: receipt {id}: its claim ran out during the send");
        }
        Ok(())
    }

    /// The email of receipt `c`, or `None` when its payer has no email.
    async fn message(
        &self,
        c: &Claimed,
    ) -> Result<Option<Message>, Box<dyn std::error::Error + Send + Sync>> {
        let (secrets, c2) = (self.secrets.clone(), c.clone());
        let found = self
            .db
            .call(move |tx| {
                let link = checkout_links::get(tx, &c2.link_uuid)?;
                let t = payments::get(tx, &c2.transaction_uuid)?;
                let account = accounts::get(tx, &c2.account_uuid)?;
                let merchant = merchants::get(tx, link.link.merchant_id)?.business_name;
                let to = end_users::shown(tx, secrets.sealer(), &c2.end_user_uuid)?.email;
                let lang = Lang::parse(&c2.lang).unwrap_or_default();
                let facts = ReceiptFacts {
                    merchant,
                    amount: format_fallback(
                        u64::try_from(t.amount).unwrap_or_default(),
                        &t.currency,
                        lang,
                    ),
                    concept: t
                        .description
                        .clone()
                        .or(link.link_description.clone())
                        .filter(|s| !s.trim().is_empty()),
                    reference: link
                        .link
                        .primary_reference
                        .clone()
                        .or(Some(link.link_name.clone())),
                    code: t.code.clone(),
                    date: Some(c2.paid_ms),
                    account: Some(masked_account(&account.institution.name, &account.last_4)),
                    status: PaymentStatus::parse(&c2.status).unwrap_or(t.status),
                };
                Ok::<_, StoreError>(to.map(|to| (to, facts, lang)))
            })
            .await?;
        let Some((to, facts, lang)) = found else {
            return Ok(None);
        };
        let message = Message::builder()
            .from(self.from.clone())
            .to(to.parse()?)
            .subject(email_subject(&facts, lang))
            .header(ContentType::TEXT_PLAIN)
            .body(email_text(&facts, lang))?;
        Ok(Some(message))
    }
}

#[cfg(test)]
mod tests {
    use super::protected;

    #[test]
    fn receipts_never_cross_the_network_in_clear() {
        for ok in [
            "smtps://mail.example.co:465",
            "smtp://user:pw@mail.example.co:587?tls=required",
            "smtp://127.0.0.1:2525",
            "smtp://localhost:25",
            "smtp://[::1]:2525",
        ] {
            assert!(protected(ok), "{ok}");
        }
        for refused in [
            "smtp://mail.example.co:587",
            "smtp://127.0.0.1.evil.example:25",
            "smtp://user:pw@mail.example.co",
            "smtp://mail.example.co?tls=opportunistic",
            "http://127.0.0.1:25",
        ] {
            assert!(!protected(refused), "{refused}");
        }
    }
}
