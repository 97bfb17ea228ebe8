//! Identifiers: prefixed uuids, short upper-case codes, unguessable slugs
//! and merchant API tokens. All randomness comes from the OS CSPRNG.

use hmac::{Hmac, Mac};
use rand::rngs::OsRng;
use rand::Rng;
use sha2::{Digest, Sha256};

/// `prefix_<uuid v4>`, e.g. `clk_aee571f2-…`.
pub fn prefixed_uuid(prefix: &str) -> String {
    format!("{prefix}_{}", uuid::Uuid::new_v4())
}

/// Crockford-like alphabet without look-alikes (no 0/O, 1/I).
const CODE_ALPHABET: &[u8] = b"ABCDEFGHJKLMNPQRSTUVWXYZ23456789";

/// A short record locator: `prefix` plus nine random characters, e.g.
/// `CLR33JXMNXU`. Uniqueness is enforced by the database.
pub fn code(prefix: &str) -> String {
    let mut rng = OsRng;
    let tail: String = (0..9)
        .map(|_| CODE_ALPHABET[rng.gen_range(0..CODE_ALPHABET.len())] as char)
        .collect();
    format!("{prefix}{tail}")
}

/// A link slug: two v4 uuids (244 random bits), the reference pages' shape.
pub fn slug() -> String {
    format!("{}-{}", uuid::Uuid::new_v4(), uuid::Uuid::new_v4())
}

/// A new merchant API token (256 random bits).
pub fn token() -> String {
    let bytes: [u8; 32] = OsRng.gen();
    format!("druo_sk_{}", hex(&bytes))
}

/// A new signing secret (256 random bits): the HMAC key of a merchant's
/// signed redirects, used as the text printed.
pub fn signing_secret() -> String {
    let bytes: [u8; 32] = OsRng.gen();
    format!("druo_sig_{}", hex(&bytes))
}

/// A new webhook endpoint secret (256 random bits), when the merchant
/// sends none.
pub fn webhook_secret() -> String {
    let bytes: [u8; 32] = OsRng.gen();
    format!("druo_whsec_{}", hex(&bytes))
}

/// Lower-case hex of bytes.
pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// SHA-256 hex of `data`: tokens are stored only as this.
pub fn sha256_hex(data: &[u8]) -> String {
    hex(&Sha256::digest(data))
}

/// HMAC-SHA256 hex of `data` under `key`: a fingerprint that matches the
/// same input again but, without the key, cannot be reversed by trying
/// every account number.
pub fn hmac_sha256_hex(key: &[u8], data: &[u8]) -> String {
    // HMAC takes keys of any length, so `new_from_slice` cannot fail.
    let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(key)
        .unwrap_or_else(|_| unreachable!("HMAC accepts any key length"));
    mac.update(data);
    hex(&mac.finalize().into_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shapes() {
        assert!(prefixed_uuid("clk").starts_with("clk_"));
        assert_eq!(prefixed_uuid("clk").len(), 40);
        let c = code("CL");
        assert_eq!(c.len(), 11);
        assert!(c
            .bytes()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit()));
        let s = slug();
        assert_eq!(s.len(), 73);
        assert_ne!(slug(), slug());
        assert_eq!(token().len(), 8 + 64);
        assert_eq!(
            sha256_hex(b"abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        // RFC 4231, test case 2.
        assert_eq!(
            hmac_sha256_hex(b"Jefe", b"what do ya want for nothing?"),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        );
    }
}
