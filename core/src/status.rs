//! Every status the service stores and the pages read, as enums that
//! serialize to the documented strings. Compare these, never their
//! spellings: a typo in a string compiles, a typo in a variant does not.

use serde::{Deserialize, Serialize};

/// Declares a status enum with its documented spellings, once: serde,
/// `as_str` (for SQL and URLs) and `parse` all follow the same table.
macro_rules! status_enum {
    ($(#[$m:meta])* $name:ident { $($(#[$vm:meta])* $v:ident = $s:literal,)+ }) => {
        $(#[$m])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum $name {
            $($(#[$vm])* $v,)+
        }

        // By hand rather than derived: one string match, the table's own,
        // instead of serde's per-enum visitors (bytes, indices), which the
        // link pages' wasm would carry for every list DRUO publishes.
        impl Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }

        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let text = std::borrow::Cow::<'de, str>::deserialize(d)?;
                $name::parse(&text).ok_or_else(|| {
                    serde::de::Error::unknown_variant(&text, &[$($s),+])
                })
            }
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
    /// An account's `current_status` (the redirect's `as` parameter), as
    /// DRUO's Account Status list spells it
    /// (developer.druo.com/enums-and-lists/account-status). A connection
    /// (a link, `POST /accounts/connect`) moves through the `VERIFICATION_*`
    /// values to `CONNECTED`; a validation (`POST /accounts/validate`)
    /// through the `VALIDATION_*` values to `VALIDATED`.
    AccountStatus {
        /// The account exists; nothing is connecting or validating it yet.
        Created = "CREATED",
        /// A connection was asked for; its verification has not started.
        VerificationPending = "VERIFICATION_PENDING",
        /// Queued for validation; it has not started.
        ValidationPending = "VALIDATION_PENDING",
        /// The connection's verification is under way.
        VerificationInProgress = "VERIFICATION_IN_PROGRESS",
        /// The existence check is under way.
        ValidationInProgress = "VALIDATION_IN_PROGRESS",
        /// It exists, and must still be connected before money can move.
        Validated = "VALIDATED",
        /// Connected: it can pay.
        Connected = "CONNECTED",
        /// The existence check failed. Terminal.
        ValidationFailed = "VALIDATION_FAILED",
        /// The connection's verification failed. Terminal.
        ConnectionFailed = "CONNECTION_FAILED",
        /// Disconnected on purpose; it must be reconnected to pay again.
        Disconnected = "DISCONNECTED",
        /// Off for good; it can never be reconnected.
        Disabled = "DISABLED",
        /// The institution asks for the account to be connected again (in
        /// DRUO's sandbox table, not in its list).
        ReconnectionRequired = "RECONNECTION_REQUIRED",
    }
}

/// What an account's status means for the person and the link: DRUO's
/// meanings, decided once for the service and the page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AccountStage {
    /// Usable: it can pay (`CONNECTED`).
    Usable,
    /// Still settling: the person may have something to do, or only wait
    /// (`CREATED`, the `*_PENDING`, `*_IN_PROGRESS` and `VALIDATED`).
    Settling,
    /// This attempt ended without a usable account; another account (or
    /// the same one, connected again) is the way on.
    Ended,
}

impl AccountStatus {
    /// What the status means for the person and the link.
    pub fn stage(self) -> AccountStage {
        use AccountStatus::*;
        match self {
            Connected => AccountStage::Usable,
            Created
            | VerificationPending
            | ValidationPending
            | VerificationInProgress
            | ValidationInProgress
            | Validated => AccountStage::Settling,
            ValidationFailed | ConnectionFailed | Disconnected | Disabled
            | ReconnectionRequired => AccountStage::Ended,
        }
    }

    /// The account can pay.
    pub fn usable(self) -> bool {
        self.stage() == AccountStage::Usable
    }

    /// The attempt ended: the same number makes a new account next time,
    /// and a link stays open for another.
    pub fn ended(self) -> bool {
        self.stage() == AccountStage::Ended
    }

    /// The status an account of this flow reaches when its pending
    /// validation is finished: `CONNECTED` for a connection, `VALIDATED`
    /// for a validation.
    pub fn finished(self) -> AccountStatus {
        match self {
            AccountStatus::ValidationPending | AccountStatus::ValidationInProgress => {
                AccountStatus::Validated
            }
            _ => AccountStatus::Connected,
        }
    }

    /// The status an account of this flow ends with when its pending
    /// validation fails: `CONNECTION_FAILED` or `VALIDATION_FAILED`.
    pub fn failed(self) -> AccountStatus {
        match self {
            AccountStatus::ValidationPending | AccountStatus::ValidationInProgress => {
                AccountStatus::ValidationFailed
            }
            _ => AccountStatus::ConnectionFailed,
        }
    }

    /// DRUO's `capabilities` for an account with this status: a connected
    /// account can pay; any other has none yet.
    pub fn capabilities(self) -> &'static [Capability] {
        if self.usable() {
            &[Capability::Payments]
        } else {
            &[]
        }
    }
}

status_enum! {
    /// What an account can do (`capabilities`), with the values of the
    /// Validate Account page's example.
    Capability {
        /// Payments can be drawn from it.
        Payments = "PAYMENTS",
        /// Its balance can be read.
        Balance = "BALANCE",
        /// Its holder's identity can be read.
        Identity = "IDENTITY",
        /// It can authenticate its holder.
        Authentication = "AUTHENTICATION",
        /// Transfers can be made to it.
        Transfers = "TRANSFERS",
    }
}

status_enum! {
    /// A transaction's `status` (the checkout redirect's `status`), as
    /// DRUO's Transaction Status list spells it
    /// (developer.druo.com/enums-and-lists/transaction-status).
    PaymentStatus {
        /// A draft: it will not be processed.
        Created = "CREATED",
        /// Waiting for the payer's approval or an account's connection.
        Pending = "PENDING",
        /// In flight at the payer's bank.
        Processing = "PROCESSING",
        /// The bank approved and processed it.
        Successful = "SUCCESSFUL",
        /// A refund is under way.
        Refunding = "REFUNDING",
        /// Refunded.
        Refunded = "REFUNDED",
        /// The payer disputed it.
        Disputed = "DISPUTED",
        /// Processed, and it failed.
        Failed = "FAILED",
        /// Stopped before it reached the bank.
        Canceled = "CANCELED",
        /// Reversed.
        Reversed = "REVERSED",
    }
}

impl PaymentStatus {
    /// The payment went through, or is on its way through, the bank: the
    /// link is paid and takes no other payment. `CREATED` (never sent),
    /// `FAILED` and `CANCELED` leave the link open for another try.
    pub fn pays_link(self) -> bool {
        !matches!(
            self,
            PaymentStatus::Created | PaymentStatus::Failed | PaymentStatus::Canceled
        )
    }
}

status_enum! {
    /// A link's `delivery_status`: its life as the merchant API lists it.
    /// DRUO publishes no list of these (docs/api.md, "Documented gaps").
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
    /// What the end user must still do for an account's pending validation
    /// (`pending_account_validations[].action`), as DRUO's Get Account and
    /// Authenticate Account pages spell them.
    PendingAction {
        /// Approve the request in the institution's app.
        ConfirmRequestWithInstitution = "CONFIRM_REQUEST_WITH_INSTITUTION",
        /// Type the code of the small deposit the institution received.
        ConfirmOtpViaMicrodeposit = "CONFIRM_OTP_VIA_MICRODEPOSIT",
    }
}

status_enum! {
    /// Why an account ended as it did (its `remarks`), as DRUO's Account
    /// Remarks list spells them
    /// (developer.druo.com/enums-and-lists/account-remarks).
    AccountRemark {
        /// No such account exists.
        AccountDoesNotExist = "ACCOUNT_DOES_NOT_EXIST",
        /// The data sent was not valid.
        InvalidDetails = "INVALID_DETAILS",
        /// The user may not do this.
        UserIneligible = "USER_INELIGIBLE",
        /// The merchant asked for it.
        RequestedByMerchant = "REQUESTED_BY_MERCHANT",
        /// The account could not be found.
        UnableToLocateAccount = "UNABLE_TO_LOCATE_ACCOUNT",
        /// The account's end user could not be found.
        UnableToLocateEndUser = "UNABLE_TO_LOCATE_END_USER",
        /// The account is closed.
        AccountClosed = "ACCOUNT_CLOSED",
        /// The account is blocked.
        AccountBlocked = "ACCOUNT_BLOCKED",
        /// The account is dormant.
        AccountInactive = "ACCOUNT_INACTIVE",
        /// Someone other than the end user holds it.
        AccountDoesNotBelongToEndUser = "ACCOUNT_DOES_NOT_BELONG_TO_END_USER",
        /// The number is malformed or wrong.
        InvalidAccountNumber = "INVALID_ACCOUNT_NUMBER",
        /// The authorization was refused or not recognised.
        UnauthorizedOrNotRecognized = "UNAUTHORIZED_OR_NOT_RECOGNIZED",
        /// The institution is not supported.
        InstitutionNotSupported = "INSTITUTION_NOT_SUPPORTED",
        /// The country is not enabled.
        CountryNotEnabled = "COUNTRY_NOT_ENABLED",
        /// The end user withdrew consent.
        AuthorizationRevokedByEndUser = "AUTHORIZATION_REVOKED_BY_END_USER",
        /// The holder could not be found.
        UnableToLocateAccountHolder = "UNABLE_TO_LOCATE_ACCOUNT_HOLDER",
        /// The user did not finish authenticating in time.
        AuthenticationTimedOut = "AUTHENTICATION_TIMED_OUT",
        /// The user gave wrong data while authenticating.
        AuthenticationFailed = "AUTHENTICATION_FAILED",
    }
}

status_enum! {
    /// Why a transaction ended as it did (its `remarks`), as DRUO's
    /// Transaction Remarks list spells them
    /// (developer.druo.com/enums-and-lists/transaction-remarks).
    TransactionRemark {
        /// The balance does not cover the amount.
        InsufficientFunds = "INSUFFICIENT_FUNDS",
        /// The payer withdrew the authorization.
        AuthorizationRevokedByCustomer = "AUTHORIZATION_REVOKED_BY_CUSTOMER",
        /// Above the account's limit.
        ExceedsAccountLimit = "EXCEEDS_ACCOUNT_LIMIT",
        /// The account has no active connection.
        AccountNotConnected = "ACCOUNT_NOT_CONNECTED",
        /// The account is blocked.
        AccountBlocked = "ACCOUNT_BLOCKED",
        /// The account is closed.
        AccountClosed = "ACCOUNT_CLOSED",
        /// The account was not found.
        UnableToLocateAccount = "UNABLE_TO_LOCATE_ACCOUNT",
        /// The holder was not found.
        UnableToLocateCustomer = "UNABLE_TO_LOCATE_CUSTOMER",
        /// Someone other than the end user holds the account.
        AccountDoesNotBelongToCustomer = "ACCOUNT_DOES_NOT_BELONG_TO_CUSTOMER",
        /// The account number is bad.
        InvalidAccountNumber = "INVALID_ACCOUNT_NUMBER",
        /// The receiver says it was not authorized, or does not know it.
        UnauthorizedOrNotKnownToReceiver = "UNAUTHORIZED_OR_NOT_KNOWN_TO_RECEIVER",
        /// It broke the terms of the authorization.
        NotInAccordanceWithTermsOfAuthorization = "NOT_IN_ACCORDANCE_WITH_TERMS_OF_AUTHORIZATION",
        /// The institution is not supported.
        InstitutionNotSupported = "INSTITUTION_NOT_SUPPORTED",
        /// The merchant is suspended for billing.
        BillingSuspension = "BILLING_SUSPENSION",
        /// The country is not enabled.
        CountryNotEnabled = "COUNTRY_NOT_ENABLED",
        /// The end user withdrew the authorization.
        AuthorizationRevokedByEndUser = "AUTHORIZATION_REVOKED_BY_END_USER",
        /// The amount is under the minimum.
        BelowMinimumAmount = "BELOW_MINIMUM_AMOUNT",
        /// Flagged as a duplicate.
        DuplicateTransaction = "DUPLICATE_TRANSACTION",
        /// Above the limits for this kind of transaction.
        ExceedsLimits = "EXCEEDS_LIMITS",
        /// The institution cannot process it.
        InstitutionCannotProcessTransaction = "INSTITUTION_CANNOT_PROCESS_TRANSACTION",
        /// The holder stopped the payment.
        PaymentStopped = "PAYMENT_STOPPED",
        /// The merchant asked for it.
        RequestedByMerchant = "REQUESTED_BY_MERCHANT",
        /// Returned by the originator.
        ReturnedByOriginator = "RETURNED_BY_ORIGINATOR",
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

status_enum! {
    /// Why finishing a pending validation was refused (`PUT
    /// /accounts/authenticate` and the page's deposit code): the error
    /// `code` both sides read.
    AuthProblem {
        /// No pending validation of the account has that slug.
        UnknownSlug = "UNKNOWN_SLUG",
        /// A `CONFIRM_OTP_VIA_MICRODEPOSIT` needs `otp`.
        OtpRequired = "OTP_REQUIRED",
        /// The deposit code is wrong; attempts are left.
        WrongCode = "WRONG_CODE",
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
    fn stages_follow_druos_meanings() {
        use AccountStatus::*;
        assert!(Connected.usable());
        for s in [
            ConnectionFailed,
            ValidationFailed,
            Disconnected,
            Disabled,
            ReconnectionRequired,
        ] {
            assert!(s.ended(), "{s}");
        }
        for s in [
            Created,
            VerificationPending,
            VerificationInProgress,
            ValidationPending,
            Validated,
        ] {
            assert_eq!(s.stage(), AccountStage::Settling, "{s}");
        }
        assert_eq!(VerificationPending.finished(), Connected);
        assert_eq!(VerificationInProgress.failed(), ConnectionFailed);
        assert_eq!(ValidationInProgress.finished(), Validated);
        assert_eq!(ValidationPending.failed(), ValidationFailed);
        assert_eq!(Connected.capabilities(), &[Capability::Payments]);
        assert!(Validated.capabilities().is_empty());
        assert!(PaymentStatus::Successful.pays_link());
        assert!(PaymentStatus::Pending.pays_link());
        assert!(!PaymentStatus::Failed.pays_link());
        assert!(!PaymentStatus::Canceled.pays_link());
        assert!(!PaymentStatus::Created.pays_link());
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
            TransactionRemark::ALL,
            TransactionRemark::as_str,
            TransactionRemark::parse,
        );
        round_trips(Capability::ALL, Capability::as_str, Capability::parse);
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
        round_trips(AuthProblem::ALL, AuthProblem::as_str, AuthProblem::parse);
        round_trips(
            crate::dto::InstitutionKind::ALL,
            crate::dto::InstitutionKind::as_str,
            crate::dto::InstitutionKind::parse,
        );
        assert_eq!(
            AccountStatus::ValidationPending.as_str(),
            "VALIDATION_PENDING"
        );
        // DRUO's lists, counted: eleven statuses plus the sandbox's
        // RECONNECTION_REQUIRED, eighteen account remarks, ten transaction
        // statuses, two pending actions.
        assert_eq!(AccountStatus::ALL.len(), 12);
        assert_eq!(AccountRemark::ALL.len(), 18);
        assert_eq!(PaymentStatus::ALL.len(), 10);
        assert_eq!(PendingAction::ALL.len(), 2);
        // A spelling DRUO does not use is refused, not guessed.
        assert!(serde_json::from_str::<PendingAction>("\"SIGN\"").is_err());
        assert!(AccountStatus::parse("VERIFIED").is_none());
        assert!(PaymentStatus::parse("COMPLETED").is_none());
        assert!(serde_json::from_str::<AccountStatus>("\"connected\"").is_err());
        assert_eq!(
            PendingAction::ConfirmRequestWithInstitution.to_string(),
            "CONFIRM_REQUEST_WITH_INSTITUTION"
        );
    }
}
