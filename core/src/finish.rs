//! How a completed flow ends: straight to the merchant, or the DRUO
//! confirmation page with an optional "Return to" link. Only URLs that pass
//! [`crate::url::parse_http_url`] are ever returned.

use crate::dto::{PaymentResult, PublicAccount};
use crate::time::{parse_iso8601, Millis};
use crate::url::parse_returned_url;

/// What the page does once the account is connected.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Finish {
    /// Navigate to this URL at once (`custom_confirmation_page`).
    Redirect(String),
    /// Show the DRUO confirmation page; offer "Return to" when `Some`.
    Confirmation(Option<String>),
}

/// The parameters the connect redirect appends, in the reference's
/// order: `ac`, `al4`, `ain`, `as`, `aid` and `clid` (the service appends
/// `ts` and `sig` after them: [`crate::url::append_signed`]).
pub fn connect_params<'a>(
    account: &'a PublicAccount,
    link_uuid: &'a str,
) -> Vec<(&'static str, &'a str)> {
    vec![
        ("ac", &account.code),
        ("al4", &account.last_4),
        ("ain", &account.institution.name),
        ("as", account.current_status.as_str()),
        ("aid", &account.uuid),
        ("clid", link_uuid),
    ]
}

/// The parameters the checkout redirect appends: `reference` (left out
/// when the link has none), `status`, `code` (the paying account's code),
/// `tid` and `chid`.
pub fn checkout_params<'a>(
    p: &'a PaymentResult,
    checkout_uuid: &'a str,
) -> Vec<(&'static str, &'a str)> {
    let mut params: Vec<(&str, &str)> = Vec::new();
    if let Some(r) = &p.reference {
        params.push(("reference", r));
    }
    params.extend([
        ("status", p.status.as_str()),
        ("code", p.account_code.as_str()),
        ("tid", p.transaction_uuid.as_str()),
        ("chid", checkout_uuid),
    ]);
    params
}

/// `url` when it is a way back the page may follow: an absolute http(s)
/// URL with nothing a browser would have to repair
/// ([`parse_returned_url`]).
pub fn safe_return(url: &str) -> Option<String> {
    parse_returned_url(url).ok().map(|_| url.to_string())
}

/// Decides the end of a flow from the way back the service signed
/// (`return_url` of the account or payment). A URL that fails the URL
/// check is treated as absent: the person stays on the DRUO page.
pub fn finish(return_url: Option<&str>, custom_confirmation_page: bool) -> Finish {
    let url = return_url.and_then(safe_return);
    match url {
        Some(u) if custom_confirmation_page => Finish::Redirect(u),
        other => Finish::Confirmation(other),
    }
}

/// Whether a link is expired at the service's clock: `server_time` when the
/// link was fetched, plus the time the page has been open.
pub fn expired_now(expiration_date: Option<&str>, server_time: &str, elapsed_ms: Millis) -> bool {
    match (
        expiration_date.and_then(parse_iso8601),
        parse_iso8601(server_time),
    ) {
        (Some(exp), Some(now)) => crate::time::is_expired(Some(exp), now + elapsed_ms),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dto::{AccountSubtype, InstitutionRef};

    fn account() -> PublicAccount {
        PublicAccount {
            uuid: "acc_cb674e90-76c3-4fd1-b7ef-ef2188457ecc".into(),
            code: "A3S2GYU46FA".into(),
            current_status: crate::status::AccountStatus::Connected,
            requires_account_validation: false,
            pending_account_validations: vec![],
            remarks: None,
            institution: InstitutionRef {
                uuid: "ins_x".into(),
                name: "Banco de Bogotá".into(),
            },
            last_4: "5345".into(),
            subtype: AccountSubtype::Savings,
            date_created: None,
            return_url: None,
        }
    }

    fn query(params: &[(&str, &str)]) -> String {
        crate::url::append_query("https://e.com/done", params).unwrap()
    }

    /// `as` carries the account's `current_status` as DRUO spells it: a
    /// connection waiting for the institution leaves (by the way back to
    /// the merchant) with `VERIFICATION_PENDING`, the connect page
    /// example's own spelling.
    #[test]
    fn a_pending_account_redirects_with_verification_pending() {
        let pending = PublicAccount {
            current_status: crate::status::AccountStatus::VerificationPending,
            ..account()
        };
        let u = query(&connect_params(&pending, "clk_1"));
        assert!(u.contains("&as=VERIFICATION_PENDING&"), "{u}");
    }

    #[test]
    fn the_six_parameters_are_appended_in_order() {
        let u = crate::url::append_query(
            "http://www.example.com/account-registration-complete",
            &connect_params(&account(), "clk_1"),
        )
        .unwrap();
        assert_eq!(
            u,
            "http://www.example.com/account-registration-complete?ac=A3S2GYU46FA&al4=5345&ain=Banco%20de%20Bogot%C3%A1&as=CONNECTED&aid=acc_cb674e90-76c3-4fd1-b7ef-ef2188457ecc&clid=clk_1"
        );
    }

    #[test]
    fn custom_confirmation_redirects_at_once_only_with_a_safe_url() {
        assert_eq!(
            finish(Some("https://e.com?ac=1"), true),
            Finish::Redirect("https://e.com?ac=1".into())
        );
        assert_eq!(
            finish(Some("https://e.com?ac=1"), false),
            Finish::Confirmation(Some("https://e.com?ac=1".into()))
        );
        assert_eq!(finish(None, true), Finish::Confirmation(None));
        // A redirect_url at its longest keeps its way back, parameters
        // and signature appended.
        let long = format!("https://e.com/{}", "a".repeat(crate::url::MAX_URL_LEN - 14));
        let back =
            crate::url::append_signed(&long, &connect_params(&account(), "clk_1"), 1, |_| {
                "f".repeat(64)
            })
            .unwrap();
        assert!(back.len() > crate::url::MAX_URL_LEN);
        assert_eq!(finish(Some(&back), true), Finish::Redirect(back.clone()));
        for evil in [
            "javascript:alert(1)",
            "//evil.example",
            "https:evil.example",
            " https://e.com",
            "data:text/html,x",
        ] {
            assert_eq!(
                finish(Some(evil), true),
                Finish::Confirmation(None),
                "{evil}"
            );
        }
    }

    fn payment(reference: Option<&str>) -> PaymentResult {
        PaymentResult {
            transaction_uuid: "trx_1".into(),
            transaction_code: "TABC".into(),
            status: crate::status::PaymentStatus::Successful,
            remarks: None,
            account_code: "A3S2GYU46FA".into(),
            reference: reference.map(str::to_string),
            date_updated: None,
            receipt_email: None,
            return_url: None,
        }
    }

    #[test]
    fn checkout_redirect_parameters() {
        let u = crate::url::append_query(
            "http://www.example.com/order-complete",
            &checkout_params(&payment(Some("ORDER #7")), "chk_1"),
        )
        .unwrap();
        assert_eq!(
            u,
            "http://www.example.com/order-complete?reference=ORDER%20%237&status=SUCCESSFUL&code=A3S2GYU46FA&tid=trx_1&chid=chk_1"
        );
        let without = payment(None);
        let keys: Vec<_> = checkout_params(&without, "chk_1")
            .iter()
            .map(|p| p.0)
            .collect();
        assert_eq!(keys, ["status", "code", "tid", "chid"]);
    }

    #[test]
    fn expiry_uses_the_service_clock_plus_time_open() {
        let exp = Some("2030-01-01T00:00:10.000Z");
        assert!(!expired_now(exp, "2030-01-01T00:00:00.000Z", 9_999));
        assert!(expired_now(exp, "2030-01-01T00:00:00.000Z", 10_000));
        assert!(!expired_now(None, "2030-01-01T00:00:00.000Z", 1 << 40));
        assert!(!expired_now(exp, "garbage", 1 << 40));
    }
}
