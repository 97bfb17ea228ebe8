//! The security log: one JSON line per event an operator or an auditor
//! looks for (ASVS 16, PCI DSS 10): failed authentication, refused
//! origins, rate limits, idempotency errors, token rotation, merchants
//! added, CSP reports. Lines go to `--security-log PATH` (appended) or,
//! without it, to standard error.
//!
//! Never a token, an account number, a document number or any other
//! personal field: callers pass only what the [`Event`] names, and the
//! value of every field is cut to [`FIELD_MAX`] characters with control
//! characters dropped, so a hostile value cannot forge a line.

use crate::clock::now_ms;
use serde_json::{Map, Value};
use std::fs::{File, OpenOptions};
use std::io::Write;
use std::path::Path;
use std::sync::{Arc, Mutex};

/// Longest value a field keeps.
pub const FIELD_MAX: usize = 200;

/// What happened.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Event {
    /// A merchant API request with no token or an unknown one.
    AuthFailed,
    /// A write or form from another origin, refused.
    OriginRefused,
    /// A request answered `429`.
    RateLimited,
    /// An `Idempotency-Key` reused with another request, or still running.
    IdempotencyError,
    /// A merchant's token was rotated.
    TokenRotated,
    /// A merchant was added.
    MerchantAdded,
    /// A merchant's signing secret was replaced.
    SigningSecretRotated,
    /// A webhook endpoint was registered.
    WebhookAdded,
    /// A webhook endpoint was removed.
    WebhookRemoved,
    /// A browser reported a Content-Security-Policy violation.
    CspReport,
}

impl Event {
    /// The `event` field's value.
    pub fn name(self) -> &'static str {
        match self {
            Event::AuthFailed => "auth_failed",
            Event::OriginRefused => "origin_refused",
            Event::RateLimited => "rate_limited",
            Event::IdempotencyError => "idempotency_error",
            Event::TokenRotated => "token_rotated",
            Event::MerchantAdded => "merchant_added",
            Event::SigningSecretRotated => "signing_secret_rotated",
            Event::WebhookAdded => "webhook_added",
            Event::WebhookRemoved => "webhook_removed",
            Event::CspReport => "csp_report",
        }
    }
}

/// Where security lines go; cheap to clone.
#[derive(Clone)]
pub struct SecurityLog {
    file: Option<Arc<Mutex<File>>>,
}

impl std::fmt::Debug for SecurityLog {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SecurityLog")
    }
}

impl SecurityLog {
    /// Lines to standard error.
    pub fn stderr() -> Self {
        SecurityLog { file: None }
    }

    /// Lines appended to `path` (created 0600 when new), or to standard
    /// error when `path` is `None`.
    pub fn open(path: Option<&Path>) -> std::io::Result<Self> {
        let Some(path) = path else {
            return Ok(Self::stderr());
        };
        let mut opts = OpenOptions::new();
        opts.create(true).append(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            opts.mode(0o600);
        }
        Ok(SecurityLog {
            file: Some(Arc::new(Mutex::new(opts.open(path)?))),
        })
    }

    /// Records `event` with `fields` (names and values the caller chose:
    /// never a secret or a personal field).
    pub fn record(&self, event: Event, fields: &[(&str, &str)]) {
        let line = line(event, fields, now_ms());
        match &self.file {
            Some(f) => {
                // A poisoned lock only means another writer panicked
                // mid-line; the file is still appendable.
                let mut f = f.lock().unwrap_or_else(|p| p.into_inner());
                let _ = writeln!(f, "{line}");
            }
            None => eprintln!("{line}"),
        }
    }
}

/// One line: `{"ts":…,"event":…,fields…}`.
fn line(event: Event, fields: &[(&str, &str)], now: i64) -> String {
    let mut m = Map::new();
    m.insert(
        "ts".into(),
        Value::String(druo_core::time::format_iso8601(now)),
    );
    m.insert("event".into(), Value::String(event.name().into()));
    for (k, v) in fields {
        let clean: String = v
            .chars()
            .filter(|c| !c.is_control())
            .take(FIELD_MAX)
            .collect();
        m.insert((*k).to_string(), Value::String(clean));
    }
    Value::Object(m).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_line_is_one_json_object_whatever_the_values() {
        let long = "x".repeat(1000);
        let l = line(
            Event::CspReport,
            &[
                ("directive", "script-src\n{\"event\":\"forged\"}"),
                ("uri", &long),
            ],
            0,
        );
        assert!(!l.contains('\n'), "{l}");
        let v: Value = serde_json::from_str(&l).unwrap();
        assert_eq!(v["event"], "csp_report");
        assert_eq!(v["ts"], "1970-01-01T00:00:00.000Z");
        assert_eq!(v["uri"].as_str().unwrap().len(), FIELD_MAX);
    }
}
