//! The way back to the merchant, signed by the service: the documented
//! parameters, then `ts` (Unix seconds) and last `sig`, the hex
//! HMAC-SHA256 of the appended text under the merchant's signing secret
//! (`druo_core::url::append_signed`; docs/api.md, "Verifying a redirect").
//! The page only carries the URL it is given: the secret never leaves the
//! service, and a person who edits `as` in the URL breaks `sig`.

use crate::ids;
use crate::sealed::Sealer;
use crate::store::error::{StoreError, StoreResult};
use crate::store::links::LinkRow;
use crate::store::merchants;
use crate::store::sql::Conn;
use druo_core::dto::{PaymentResult, PublicAccount};
use druo_core::finish::{checkout_params, connect_params};
use druo_core::url::append_signed;

/// What a return is signed with, read once per answer.
pub struct Signing<'a> {
    /// The service's keys, to open the merchant's secret.
    pub sealer: &'a Sealer,
    /// The service's clock, milliseconds since the epoch.
    pub now: i64,
}

/// `link`'s `redirect_url` with `params`, signed: `None` when the link has
/// no redirect URL (or one that no longer passes the URL check), or its
/// merchant no signing secret that opens (every merchant gets one when
/// the service starts).
fn signed(
    c: &Conn,
    how: &Signing,
    link: &LinkRow,
    params: &[(&str, &str)],
) -> StoreResult<Option<String>> {
    let Some(url) = link.redirect_url.as_deref() else {
        return Ok(None);
    };
    let secret = match merchants::signing_secret(c, how.sealer, link.merchant_id) {
        Ok(Some(secret)) => secret,
        Ok(None) => return Ok(None),
        // Sealed under keys this instance does not have (a command line
        // run with other keys, a key removed too early): the person still
        // finishes, on DRUO's confirmation without a way back, and the
        // operator is told. Never an unsigned way back.
        Err(e @ StoreError::Unreadable(_)) => {
            eprintln!(
                "link-server: merchant {}'s signing secret does not open ({e}); run `merchant rotate-secret`",
                link.merchant_id
            );
            return Ok(None);
        }
        Err(e) => return Err(e),
    };
    let ts = how.now.div_euclid(1000);
    let sign = |text: &str| ids::hmac_sha256_hex(secret.as_bytes(), text.as_bytes());
    Ok(append_signed(url, params, ts, sign).ok())
}

/// `account` with the connect link `link`'s way back for it.
pub fn account_return(
    c: &Conn,
    how: &Signing,
    link: &LinkRow,
    mut account: PublicAccount,
) -> StoreResult<PublicAccount> {
    account.return_url = signed(c, how, link, &connect_params(&account, &link.uuid))?;
    Ok(account)
}

/// `payment` with the checkout link `link`'s way back for it.
pub fn payment_return(
    c: &Conn,
    how: &Signing,
    link: &LinkRow,
    mut payment: PaymentResult,
) -> StoreResult<PaymentResult> {
    payment.return_url = signed(c, how, link, &checkout_params(&payment, &link.uuid))?;
    Ok(payment)
}
