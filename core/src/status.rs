//! Every status the service stores and the pages read, as enums that
//! serialize to the documented strings. Compare these, never their
//! spellings: a typo in a string compiles, a typo in a variant does not.

use serde::{Deserialize, Serialize};

/// Declares a status enum with its documented spellings, once: serde,
/// `as_str` (for SQL and URLs) and `parse` all follow the same table.
macro_rules! status_enum {
    ($(#[$m:meta])* $name:ident { $($(#[$vm:meta])* $v:ident = $s:literal,)+ }) => {
        $(#[$m])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
        pub enum $name {
            $($(#[$vm])* #[serde(rename = $s)] $v,)+
        }

        impl $name {
            /// Every value, in declaration order.
            pub const ALL: &'static [$name] = &[$($name::$v),+];

            /// The documented spelling.
            pub fn as_str(self) -> &'static str {
                match self { $($name::$v => $s,)+ }
            }

            /// The value spelled `s` exactly, if any.
            pub fn parse(s: &str) -> Option<Self> {
                match s { $($s => Some($name::$v),)+ _ => None }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

// Other modules declare their spelled enums (e.g. `dto::InstitutionKind`)
// with the same table, so serde, SQL and `parse` cannot drift apart.
pub(crate) use status_enum;

status_enum! {
    /// An account's `current_status` (the redirect's `as` parameter).
    AccountStatus {
        /// The institution confirmed the account; it can pay.
        Verified = "VERIFIED",
        /// The institution has yet to confirm it.
        ValidationPending = "VALIDATION_PENDING",
        /// The institution refused it.
        Rejected = "REJECTED",
    }
}

status_enum! {
    /// A transaction's `status` (the checkout redirect's `status`).
    PaymentStatus {
        /// Paid.
        Completed = "COMPLETED",
        /// Not paid yet, or the bank has yet to answer.
        Pending = "PENDING",
        /// The bank refused it; the link stays open.
        Declined = "DECLINED",
    }
}

status_enum! {
    /// A link's `delivery_status`: its life as the merchant API lists it.
    DeliveryStatus {
        /// Made, never opened.
        Created = "CREATED",
        /// Opened by the end user at least once.
        Opened = "OPENED",
        /// Used: an account connected or a payment made.
        Completed = "COMPLETED",
    }
}

status_enum! {
    /// What the end user must still do for an account to be validated.
    PendingAction {
        /// Approve the request in the institution's app or branch.
        ConfirmRequestWithInstitution = "CONFIRM_REQUEST_WITH_INSTITUTION",
        /// An action this page does not know yet: it says so generically.
        #[serde(other)]
        Other = "OTHER",
    }
}

status_enum! {
    /// Why a payment was declined.
    DeclineReason {
        /// The account does not hold the amount.
        InsufficientFunds = "INSUFFICIENT_FUNDS",
        /// The institution gave no reason the page can explain.
        #[serde(other)]
        Other = "OTHER",
    }
}

status_enum! {
    /// Why an account was rejected (its `remarks`).
    AccountRemark {
        /// The institution has no such account.
        AccountDoesNotExist = "ACCOUNT_DOES_NOT_EXIST",
        /// Any other reason.
        #[serde(other)]
        Other = "OTHER",
    }
}

status_enum! {
    /// Where an end user or account was created (`creation_source`).
    CreationSource {
        /// By the merchant through the merchant API.
        MerchantApi = "MERCHANT_API",
        /// By the end user on a connect link.
        ConnectLink = "CONNECT_LINK",
        /// By the end user on a checkout link.
        CheckoutLink = "CHECKOUT_LINK",
    }
}

status_enum! {
    /// Why an account number is refused (`core::input::number_rule`); the
    /// spelling is the API's error `code` for `account_number`.
    NumberProblem {
        /// Nothing typed.
        Required = "REQUIRED",
        /// Something other than ASCII digits.
        DigitsOnly = "DIGITS_ONLY",
        /// A bank account number that is too short or too long.
        InvalidLength = "INVALID_LENGTH",
        /// A wallet's number that is not a Colombian mobile number (10
        /// digits starting with 3).
        NotAMobileNumber = "NOT_A_MOBILE_NUMBER",
    }
}

status_enum! {
    /// The other field-error codes of an account submit that the page
    /// reads back (`core::form::service_error`); the service builds its
    /// errors with these, so both sides share one spelling.
    FieldCode {
        /// The institution does not offer the subtype (`subtype`).
        UnsupportedSubtype = "UNSUPPORTED_SUBTYPE",
        /// The authorization box was not ticked (`user_authorization`).
        UserAuthorizationRequired = "USER_AUTHORIZATION_REQUIRED",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Each spelling round-trips through serde, `as_str` and `parse`, so
    /// the JSON, the SQL and the URL parameters agree.
    fn round_trips<T>(
        all: &[T],
        as_str: impl Fn(T) -> &'static str,
        parse: impl Fn(&str) -> Option<T>,
    ) where
        T: Copy + PartialEq + std::fmt::Debug + Serialize + for<'de> Deserialize<'de>,
    {
        for v in all {
            let s = as_str(*v);
            assert_eq!(serde_json::to_string(v).unwrap(), format!("\"{s}\""));
            assert_eq!(serde_json::from_str::<T>(&format!("\"{s}\"")).unwrap(), *v);
            assert_eq!(parse(s), Some(*v));
            assert_eq!(parse(&s.to_lowercase()), None, "spellings are exact");
        }
    }

    #[test]
    fn every_status_serializes_to_its_documented_spelling() {
        round_trips(
            AccountStatus::ALL,
            AccountStatus::as_str,
            AccountStatus::parse,
        );
        round_trips(
            PaymentStatus::ALL,
            PaymentStatus::as_str,
            PaymentStatus::parse,
        );
        round_trips(
            DeliveryStatus::ALL,
            DeliveryStatus::as_str,
            DeliveryStatus::parse,
        );
        round_trips(
            PendingAction::ALL,
            PendingAction::as_str,
            PendingAction::parse,
        );
        round_trips(
            DeclineReason::ALL,
            DeclineReason::as_str,
            DeclineReason::parse,
        );
        round_trips(
            AccountRemark::ALL,
            AccountRemark::as_str,
            AccountRemark::parse,
        );
        round_trips(
            CreationSource::ALL,
            CreationSource::as_str,
            CreationSource::parse,
        );
        round_trips(
            NumberProblem::ALL,
            NumberProblem::as_str,
            NumberProblem::parse,
        );
        round_trips(FieldCode::ALL, FieldCode::as_str, FieldCode::parse);
        round_trips(
            crate::dto::InstitutionKind::ALL,
            crate::dto::InstitutionKind::as_str,
            crate::dto::InstitutionKind::parse,
        );
        assert_eq!(
            AccountStatus::ValidationPending.as_str(),
            "VALIDATION_PENDING"
        );
        // Reasons the page cannot explain still parse, as `Other`.
        assert_eq!(
            serde_json::from_str::<DeclineReason>("\"BANK_SAID_NO\"").unwrap(),
            DeclineReason::Other
        );
        assert_eq!(
            serde_json::from_str::<PendingAction>("\"SIGN\"").unwrap(),
            PendingAction::Other
        );
        assert!(serde_json::from_str::<AccountStatus>("\"verified\"").is_err());
        assert_eq!(
            PendingAction::ConfirmRequestWithInstitution.to_string(),
            "CONFIRM_REQUEST_WITH_INSTITUTION"
        );
    }
}
