//! Personal data sealed at rest (issue 25): an end user's document
//! number, date of birth, email, phone and address are stored as
//! XChaCha20-Poly1305 ciphertext under a key derived from the service's
//! `personal-data` secret (see the `secrets` module), which never lives in the
//! database. A copy of the database alone gives them back to no one.
//!
//! A sealed value is text: `s1.<key id>.<base64url(nonce ‖ ciphertext)>`.
//! The key id (8 hex characters of the SHA-256 of the derived key) says
//! which key sealed it, so during a rotation values sealed under the
//! previous key still open while `upkeep` re-seals them under the current
//! one. The nonce is 24 random bytes from the OS: with XChaCha20 random
//! nonces never collide in practice, so no counter has to be shared by
//! the instances on one database.
//!
//! The associated data binds a value to its place (`seal_in`/`open_in`):
//! its column and its row ([`context`]: `email\0eur_…` for an end user's
//! email, `idempotency.body\0scope\0key` for a kept answer), so a
//! ciphertext copied into another column or another person's row does not
//! open. `seal`/`open` bind to nothing, for values that have no place.
//!
//! An explicit key file's derived `personal-data` key (`secrets`) stays
//! loaded as a fallback: it opens what was sealed under it, like a
//! previous key, but is not one the operator can remove, so it is not
//! listed among [`Sealer::previous_ids`].
//!
//! The documented list filters (`end_user_email`, `end_user_local_id`)
//! cannot compare ciphertexts, so each filtered field also gets a keyed
//! blind index (`blind`): HMAC-SHA256 under the separate `blind-index`
//! key, equal for equal inputs, useless without the key.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use hmac::{Hmac, Mac};
use rand::rngs::OsRng;
use rand::RngCore;
use sha2::Sha256;

/// The version prefix of a sealed value.
const VERSION: &str = "s1";
/// The label the sealing key is derived under (HMAC-SHA256 of it keyed
/// by the secret): changing it would make every sealed value unreadable.
const SEAL_LABEL: &[u8] = b"link-server personal-data seal v1";
/// The label the blind-index key is derived under.
const BLIND_LABEL: &[u8] = b"link-server personal-data blind index v1";
/// XChaCha20's nonce length.
const NONCE_LEN: usize = 24;

/// Why a stored value did not open.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum SealError {
    /// The text is not `s1.<key id>.<base64url>`.
    #[error("not a sealed value")]
    Format,
    /// No loaded key has this id (a previous key was removed too early?).
    #[error("sealed under unknown key `{0}`")]
    UnknownKey(String),
    /// Authentication failed: tampered, truncated, or another column's.
    #[error("sealed value does not authenticate")]
    Invalid,
    /// The plaintext is not UTF-8 (cannot happen for values we sealed).
    #[error("sealed value is not text")]
    NotText,
}

/// One sealing key and its short id.
#[derive(Clone)]
struct SealKey {
    id: String,
    cipher: XChaCha20Poly1305,
}

impl SealKey {
    fn derive(secret: &str) -> SealKey {
        let key = hmac(secret.trim().as_bytes(), SEAL_LABEL);
        let id = crate::ids::sha256_hex(&key)[..8].to_string();
        SealKey {
            id,
            cipher: XChaCha20Poly1305::new(&key.into()),
        }
    }
}

/// Seals and opens personal fields; computes their blind indexes.
#[derive(Clone)]
pub struct Sealer {
    /// The key new values are sealed under.
    current: SealKey,
    /// Keys that still open older values (rotation), never used to seal.
    previous: Vec<SealKey>,
    /// Keys that open but were never named in the key file (the derived
    /// fallback, [`Sealer::with_fallback`]).
    fallback: Vec<SealKey>,
    /// The blind-index key.
    blind: [u8; 32],
}

impl std::fmt::Debug for Sealer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Sealer(current {}, …)", self.current.id)
    }
}

impl Sealer {
    /// A sealer whose keys derive from the `personal-data` secret
    /// (`current`), any `personal-data-previous` secrets, and the
    /// `blind-index` secret.
    pub fn new(current: &str, previous: &[&str], blind: &str) -> Sealer {
        let current = SealKey::derive(current);
        let previous = previous
            .iter()
            .map(|s| SealKey::derive(s))
            .filter(|k| k.id != current.id)
            .collect();
        Sealer {
            current,
            previous,
            fallback: Vec::new(),
            blind: hmac(blind.trim().as_bytes(), BLIND_LABEL),
        }
    }

    /// The same sealer, also opening values sealed under `secret` without
    /// listing it among [`Sealer::previous_ids`]: an explicit key file's
    /// derived key, which opens rows sealed before the file named its own.
    pub fn with_fallback(mut self, secret: &str) -> Sealer {
        let key = SealKey::derive(secret);
        let known = std::iter::once(&self.current)
            .chain(&self.previous)
            .chain(&self.fallback)
            .any(|k| k.id == key.id);
        if !known {
            self.fallback.push(key);
        }
        self
    }

    /// The id of the key new values are sealed under.
    pub fn current_id(&self) -> &str {
        &self.current.id
    }

    /// The ids of the previous keys (`personal-data-previous`) still
    /// accepted when opening; not the derived fallback.
    pub fn previous_ids(&self) -> Vec<&str> {
        self.previous.iter().map(|k| k.id.as_str()).collect()
    }

    /// Seals `plain` bound to no place.
    pub fn seal(&self, plain: &str) -> String {
        self.seal_in("", plain)
    }

    /// Opens a value sealed by `seal`.
    pub fn open(&self, stored: &str) -> Result<String, SealError> {
        self.open_in("", stored)
    }

    /// Seals `plain` for the place `context` (its associated data, made by
    /// [`context`]): it opens only with the same context.
    pub fn seal_in(&self, context: &str, plain: &str) -> String {
        let mut nonce = [0u8; NONCE_LEN];
        OsRng.fill_bytes(&mut nonce);
        let payload = Payload {
            msg: plain.as_bytes(),
            aad: context.as_bytes(),
        };
        // Encryption fails only for messages beyond 256 GiB.
        let sealed = self
            .current
            .cipher
            .encrypt(XNonce::from_slice(&nonce), payload)
            .unwrap_or_else(|_| unreachable!("XChaCha20-Poly1305 seals any field-sized text"));
        let mut body = nonce.to_vec();
        body.extend_from_slice(&sealed);
        format!(
            "{VERSION}.{}.{}",
            self.current.id,
            URL_SAFE_NO_PAD.encode(body)
        )
    }

    /// Opens a value sealed by `seal_in` for `context`, under any loaded
    /// key.
    pub fn open_in(&self, context: &str, stored: &str) -> Result<String, SealError> {
        let id = key_id(stored).ok_or(SealError::Format)?;
        let key = std::iter::once(&self.current)
            .chain(&self.previous)
            .chain(&self.fallback)
            .find(|k| k.id == id)
            .ok_or_else(|| SealError::UnknownKey(id.to_string()))?;
        let body = stored
            .rsplit_once('.')
            .map(|(_, b)| b)
            .ok_or(SealError::Format)?;
        let body = URL_SAFE_NO_PAD
            .decode(body)
            .map_err(|_| SealError::Format)?;
        if body.len() < NONCE_LEN {
            return Err(SealError::Format);
        }
        let (nonce, sealed) = body.split_at(NONCE_LEN);
        let plain = key
            .cipher
            .decrypt(
                XNonce::from_slice(nonce),
                Payload {
                    msg: sealed,
                    aad: context.as_bytes(),
                },
            )
            .map_err(|_| SealError::Invalid)?;
        String::from_utf8(plain).map_err(|_| SealError::NotText)
    }

    /// The keyed blind index of `normalized` for the field `field`: equal
    /// inputs give equal hex, and without the key it cannot be searched.
    /// Callers normalise (the email lower-cased and trimmed).
    pub fn blind(&self, field: &str, normalized: &str) -> String {
        let mut data = Vec::with_capacity(field.len() + 1 + normalized.len());
        data.extend_from_slice(field.as_bytes());
        // The separator keeps ("ab","c") and ("a","bc") apart.
        data.push(0);
        data.extend_from_slice(normalized.as_bytes());
        crate::ids::hmac_sha256_hex(&self.blind, &data)
    }
}

/// The associated data of a sealed value's place: its parts (a column,
/// then what names the row) joined by NUL, which none of them holds (a
/// column name, a uuid, an idempotency scope, an `Idempotency-Key`, which
/// HTTP forbids to carry NUL), so two places never share one context.
pub fn context(parts: &[&str]) -> String {
    parts.join("\0")
}

/// The key id of a sealed value, or `None` when `stored` is not one.
pub fn key_id(stored: &str) -> Option<&str> {
    let mut parts = stored.splitn(3, '.');
    let (v, id, body) = (parts.next()?, parts.next()?, parts.next()?);
    (v == VERSION && !id.is_empty() && !body.is_empty()).then_some(id)
}

fn hmac(key: &[u8], data: &[u8]) -> [u8; 32] {
    // HMAC takes keys of any length, so `new_from_slice` cannot fail.
    let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(key)
        .unwrap_or_else(|_| unreachable!("HMAC accepts any key length"));
    mac.update(data);
    mac.finalize().into_bytes().into()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sealer() -> Sealer {
        Sealer::new("k1", &[], "b1")
    }

    #[test]
    fn round_trip_and_fresh_nonce() {
        let s = sealer();
        let a = s.seal_in("email", "ana@example.com");
        let b = s.seal_in("email", "ana@example.com");
        assert_ne!(a, b, "a fresh nonce every time");
        assert!(a.starts_with(&format!("s1.{}.", s.current_id())));
        assert!(!a.contains("ana"));
        assert_eq!(s.open_in("email", &a).as_deref(), Ok("ana@example.com"));
        assert_eq!(s.open(&s.seal("x")).as_deref(), Ok("x"));
        assert_eq!(
            s.open_in("email", &s.seal_in("email", "")).as_deref(),
            Ok("")
        );
        assert_eq!(key_id(&a), Some(s.current_id()));
        assert_eq!(key_id("ana@example.com"), None);
    }

    #[test]
    fn tampered_wrong_column_and_unknown_key_fail() {
        let s = sealer();
        let a = s.seal_in("email", "ana@example.com");
        assert_eq!(s.open_in("phone_number", &a), Err(SealError::Invalid));
        assert_eq!(s.open(&a), Err(SealError::Invalid));
        // Flip one character of the body.
        let mut t: Vec<char> = a.chars().collect();
        let last = t.len() - 3;
        t[last] = if t[last] == 'A' { 'B' } else { 'A' };
        let t: String = t.into_iter().collect();
        assert_eq!(s.open_in("email", &t), Err(SealError::Invalid));
        // Truncated.
        assert!(s.open_in("email", &a[..a.len() - 4]).is_err());
        assert_eq!(
            s.open_in("email", "s1.abcd.AAAA"),
            Err(SealError::UnknownKey("abcd".into()))
        );
        let other = Sealer::new("k2", &[], "b1");
        assert!(matches!(
            other.open_in("email", &a),
            Err(SealError::UnknownKey(_))
        ));
        assert_eq!(s.open_in("email", "plain"), Err(SealError::Format));
        let short = format!("s1.{}.AAAA", s.current_id());
        assert_eq!(s.open_in("email", &short), Err(SealError::Format));
    }

    #[test]
    fn rotation_opens_previous_and_seals_current() {
        let old = Sealer::new("k1", &[], "b1");
        let a = old.seal_in("email", "ana@example.com");
        let new = Sealer::new("k2", &["k1"], "b1");
        assert_ne!(new.current_id(), old.current_id());
        assert_eq!(new.previous_ids(), vec![old.current_id()]);
        assert_eq!(new.open_in("email", &a).as_deref(), Ok("ana@example.com"));
        assert_eq!(key_id(&new.seal_in("email", "x")), Some(new.current_id()));
        // The blind index depends on its own key only.
        assert_eq!(old.blind("email", "a"), new.blind("email", "a"));
    }

    #[test]
    fn a_value_opens_only_in_its_own_row() {
        let s = sealer();
        let ana = context(&["email", "eur_ana"]);
        let a = s.seal_in(&ana, "ana@example.com");
        assert_eq!(s.open_in(&ana, &a).as_deref(), Ok("ana@example.com"));
        assert_eq!(
            s.open_in(&context(&["email", "eur_bob"]), &a),
            Err(SealError::Invalid)
        );
        assert_eq!(s.open_in("email", &a), Err(SealError::Invalid));
    }

    #[test]
    fn a_fallback_key_opens_but_is_not_a_previous_key() {
        let derived = Sealer::new("derived", &[], "b1");
        let a = derived.seal_in("email", "x");
        let s = Sealer::new("explicit", &[], "b1").with_fallback("derived");
        assert!(s.previous_ids().is_empty());
        assert_eq!(s.open_in("email", &a).as_deref(), Ok("x"));
        // The current key as its own fallback adds nothing.
        let same = Sealer::new("derived", &[], "b1").with_fallback("derived");
        assert!(same.fallback.is_empty());
    }

    #[test]
    fn blind_index_is_keyed_and_field_separated() {
        let s = sealer();
        assert_eq!(s.blind("email", "a@b.c"), s.blind("email", "a@b.c"));
        assert_ne!(s.blind("email", "a@b.c"), s.blind("local_id", "a@b.c"));
        assert_ne!(
            s.blind("email", "a@b.c"),
            Sealer::new("k1", &[], "b2").blind("email", "a@b.c")
        );
        assert_eq!(s.blind("email", "x").len(), 64);
    }
}
