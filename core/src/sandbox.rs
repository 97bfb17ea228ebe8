//! DRUO's sandbox: the outcome an account number chooses, by its last
//! digits, as DRUO's Account Status and Transaction Status pages tabulate
//! them, and the two pending validations a person (and a test) finishes:
//! the institution's approval, and the micro-deposit's code. One rule for
//! the service's store, its merchant API and the pages.

use crate::status::{
    AccountRemark, AccountStatus, PaymentStatus, PendingAction, TransactionRemark,
};
use crate::time::Millis;

/// Which of DRUO's sandbox tables an account is created under.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Flow {
    /// A connect link and `POST /accounts/connect`: the "Account
    /// Connection" table, in full.
    Connection,
    /// A checkout link's new account, which then pays: the connection
    /// table only for the last digits 2 (the live wait), 3 (the deposit
    /// code) and 5 (connection failed); any other number connects, so every
    /// row of the transaction table stays walkable.
    CheckoutConnection,
    /// `POST /accounts/validate`: the "Account Validation" table.
    Validation,
}

/// What the sandbox answers for an account number.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AccountOutcome {
    /// `current_status`.
    pub status: AccountStatus,
    /// `remarks`.
    pub remark: Option<AccountRemark>,
    /// The pending validation the person must finish, if any.
    pub action: Option<PendingAction>,
}

const fn outcome(
    status: AccountStatus,
    remark: Option<AccountRemark>,
    action: Option<PendingAction>,
) -> AccountOutcome {
    AccountOutcome {
        status,
        remark,
        action,
    }
}

/// The last `n` ASCII digits of `number` as a number (0 when it has none).
fn last_digits(number: &str, n: usize) -> u32 {
    let digits: Vec<u32> = number.chars().filter_map(|c| c.to_digit(10)).collect();
    digits[digits.len().saturating_sub(n)..]
        .iter()
        .fold(0, |acc, d| acc * 10 + d)
}

/// The account outcome of `number` under `flow`'s table.
pub fn account_outcome(flow: Flow, number: &str) -> AccountOutcome {
    use AccountRemark as R;
    use AccountStatus as S;
    use PendingAction as A;
    let digit = last_digits(number, 1);
    match flow {
        Flow::Connection => match digit {
            1 => outcome(S::Created, None, None),
            2 => outcome(
                S::VerificationPending,
                None,
                Some(A::ConfirmRequestWithInstitution),
            ),
            3 => outcome(
                S::VerificationInProgress,
                None,
                Some(A::ConfirmOtpViaMicrodeposit),
            ),
            4 => outcome(S::Connected, None, None),
            5 => outcome(S::ConnectionFailed, Some(R::UnableToLocateAccount), None),
            6 => outcome(S::ConnectionFailed, Some(R::AccountClosed), None),
            7 => outcome(S::ReconnectionRequired, None, None),
            8 => outcome(
                S::Disconnected,
                Some(R::AuthorizationRevokedByEndUser),
                None,
            ),
            9 => outcome(S::Disconnected, Some(R::AccountClosed), None),
            _ => outcome(S::Disabled, Some(R::AccountBlocked), None),
        },
        Flow::CheckoutConnection => match digit {
            2 | 3 | 5 => account_outcome(Flow::Connection, number),
            _ => outcome(S::Connected, None, None),
        },
        // Rows 2 to 0 of DRUO's validation table were not recovered; these
        // mirror the connection table with the validation statuses
        // (docs/api.md, "Sandbox").
        Flow::Validation => match digit {
            1 => outcome(S::Created, None, None),
            2 => outcome(
                S::ValidationPending,
                None,
                Some(A::ConfirmRequestWithInstitution),
            ),
            3 => outcome(
                S::ValidationInProgress,
                None,
                Some(A::ConfirmOtpViaMicrodeposit),
            ),
            4 => outcome(S::Validated, None, None),
            5 => outcome(S::ValidationFailed, Some(R::UnableToLocateAccount), None),
            6 => outcome(S::ValidationFailed, Some(R::AccountClosed), None),
            7 => outcome(S::ValidationFailed, Some(R::AccountInactive), None),
            8 => outcome(S::ValidationFailed, Some(R::AccountDoesNotExist), None),
            9 => outcome(S::ValidationFailed, Some(R::InvalidAccountNumber), None),
            _ => outcome(S::Disabled, Some(R::AccountBlocked), None),
        },
    }
}

/// What the sandbox answers for a payment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PaymentOutcome {
    /// The transaction's `status`.
    pub status: PaymentStatus,
    /// Its `remarks`.
    pub remark: Option<TransactionRemark>,
}

/// The payment outcome of paying from an account whose number ends in
/// `last_4` (the service keeps only those): DRUO's transaction tables, the
/// last two digits first for numbers ending in 3 or 6. The amount chooses
/// nothing.
pub fn payment_outcome(last_4: &str) -> PaymentOutcome {
    use PaymentStatus as S;
    use TransactionRemark as R;
    let paid = |status, remark| PaymentOutcome { status, remark };
    match last_digits(last_4, 2) {
        13 => paid(S::Canceled, Some(R::AuthorizationRevokedByCustomer)),
        23 => paid(S::Canceled, Some(R::AccountNotConnected)),
        33 => paid(S::Canceled, Some(R::UnauthorizedOrNotKnownToReceiver)),
        43 => paid(S::Canceled, Some(R::InstitutionNotSupported)),
        53 => paid(S::Canceled, Some(R::BillingSuspension)),
        63 => paid(S::Canceled, Some(R::CountryNotEnabled)),
        // 03, and the 73, 83 and 93 DRUO's table skips.
        3 | 73 | 83 | 93 => paid(S::Canceled, Some(R::RequestedByMerchant)),
        16 => paid(S::Failed, Some(R::ExceedsAccountLimit)),
        26 => paid(S::Failed, Some(R::AccountNotConnected)),
        36 => paid(S::Failed, Some(R::AccountBlocked)),
        46 => paid(S::Failed, Some(R::AccountClosed)),
        56 => paid(S::Failed, Some(R::UnableToLocateAccount)),
        66 => paid(S::Failed, Some(R::UnableToLocateCustomer)),
        76 => paid(S::Failed, Some(R::AccountDoesNotBelongToCustomer)),
        86 => paid(S::Failed, Some(R::InvalidAccountNumber)),
        // 96 and 06 were not recovered.
        96 | 6 => paid(S::Failed, Some(R::InsufficientFunds)),
        n => match n % 10 {
            1 => paid(S::Created, None),
            2 => paid(S::Pending, None),
            5 => paid(S::Processing, Some(R::UnableToLocateAccount)),
            7 => paid(S::Refunding, None),
            8 => paid(S::Refunded, None),
            9 => paid(
                S::Disputed,
                Some(R::NotInAccordanceWithTermsOfAuthorization),
            ),
            0 => paid(S::Reversed, Some(R::UnauthorizedOrNotKnownToReceiver)),
            _ => paid(S::Successful, None),
        },
    }
}

/// How long the sandbox's institution takes to approve a
/// `CONFIRM_REQUEST_WITH_INSTITUTION` request.
pub const INSTITUTION_APPROVES_AFTER_MS: Millis = 10_000;

/// The sandbox's micro-deposit code (the value in DRUO's own example).
pub const DEPOSIT_CODE: &str = "72";

/// Wrong deposit codes allowed before the account fails.
pub const DEPOSIT_CODE_ATTEMPTS: u32 = 3;

/// The status a pending account has at `now`: the sandbox's institution
/// approves a `CONFIRM_REQUEST_WITH_INSTITUTION` request
/// [`INSTITUTION_APPROVES_AFTER_MS`] after it was made (`requested_ms`).
/// `None` while nothing changes.
pub fn approved(
    status: AccountStatus,
    action: Option<PendingAction>,
    requested_ms: Millis,
    now: Millis,
) -> Option<AccountStatus> {
    let waiting = action == Some(PendingAction::ConfirmRequestWithInstitution)
        && status.stage() == crate::status::AccountStage::Settling;
    (waiting && now >= requested_ms + INSTITUTION_APPROVES_AFTER_MS).then(|| status.finished())
}

/// What a deposit code does to a pending `CONFIRM_OTP_VIA_MICRODEPOSIT`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CodeCheck {
    /// The right code: the account reaches this status.
    Accepted(AccountStatus),
    /// A wrong code, with this many attempts left.
    Refused {
        /// Attempts left (at least 1).
        left: u32,
    },
    /// The last attempt was wrong: the account ends with this status and
    /// `AUTHENTICATION_FAILED`.
    Exhausted(AccountStatus),
}

/// Checks `otp` for an account at `status` that has already had
/// `wrong_so_far` wrong codes. Spaces around the code are forgiven (a
/// pasted code); anything else must match exactly.
pub fn check_code(status: AccountStatus, otp: &str, wrong_so_far: u32) -> CodeCheck {
    if otp.trim() == DEPOSIT_CODE {
        return CodeCheck::Accepted(status.finished());
    }
    let wrong = wrong_so_far + 1;
    if wrong >= DEPOSIT_CODE_ATTEMPTS {
        CodeCheck::Exhausted(status.failed())
    } else {
        CodeCheck::Refused {
            left: DEPOSIT_CODE_ATTEMPTS - wrong,
        }
    }
}

/// One example number per row of the connection table, for README, the
/// docs and the demo: a 10-digit bank number ending in the row's digit.
pub fn example_number(last_digit: u32) -> String {
    format!("100200300{}", last_digit % 10)
}

#[cfg(test)]
mod tests {
    use super::*;
    use AccountRemark as R;
    use AccountStatus as S;

    #[test]
    fn the_connection_table_by_last_digit() {
        let expect = [
            (1, S::Created, None),
            (2, S::VerificationPending, None),
            (3, S::VerificationInProgress, None),
            (4, S::Connected, None),
            (5, S::ConnectionFailed, Some(R::UnableToLocateAccount)),
            (6, S::ConnectionFailed, Some(R::AccountClosed)),
            (7, S::ReconnectionRequired, None),
            (8, S::Disconnected, Some(R::AuthorizationRevokedByEndUser)),
            (9, S::Disconnected, Some(R::AccountClosed)),
            (0, S::Disabled, Some(R::AccountBlocked)),
        ];
        for (d, status, remark) in expect {
            let o = account_outcome(Flow::Connection, &example_number(d));
            assert_eq!((o.status, o.remark), (status, remark), "digit {d}");
        }
        assert_eq!(
            account_outcome(Flow::Connection, "1002003002").action,
            Some(PendingAction::ConfirmRequestWithInstitution)
        );
        assert_eq!(
            account_outcome(Flow::Connection, "1002003003").action,
            Some(PendingAction::ConfirmOtpViaMicrodeposit)
        );
        assert_eq!(account_outcome(Flow::Connection, "1002003004").action, None);
    }

    #[test]
    fn a_checkout_connects_every_number_but_2_3_and_5() {
        for d in 0..10 {
            let n = example_number(d);
            let o = account_outcome(Flow::CheckoutConnection, &n);
            match d {
                2 | 3 | 5 => assert_eq!(o, account_outcome(Flow::Connection, &n)),
                _ => assert_eq!(o.status, S::Connected, "digit {d}"),
            }
        }
        // …16 connects, and then fails for the account limit.
        assert_eq!(
            account_outcome(Flow::CheckoutConnection, "4000000016").status,
            S::Connected
        );
        assert_eq!(payment_outcome("0016").status, PaymentStatus::Failed);
    }

    #[test]
    fn the_validation_table_uses_the_validation_statuses() {
        for d in 0..10 {
            let o = account_outcome(Flow::Validation, &example_number(d));
            assert!(
                !matches!(
                    o.status,
                    S::VerificationPending
                        | S::VerificationInProgress
                        | S::Connected
                        | S::ConnectionFailed
                ),
                "digit {d}: {}",
                o.status
            );
        }
        assert_eq!(
            account_outcome(Flow::Validation, "1234567894").status,
            S::Validated
        );
        assert_eq!(
            account_outcome(Flow::Validation, "1234567892").status,
            S::ValidationPending
        );
    }

    #[test]
    fn the_transaction_tables_by_last_digits() {
        use PaymentStatus as P;
        use TransactionRemark as T;
        let expect = [
            ("0001", P::Created, None),
            ("0002", P::Pending, None),
            ("0004", P::Successful, None),
            ("0005", P::Processing, Some(T::UnableToLocateAccount)),
            ("0007", P::Refunding, None),
            ("0008", P::Refunded, None),
            (
                "0009",
                P::Disputed,
                Some(T::NotInAccordanceWithTermsOfAuthorization),
            ),
            (
                "0000",
                P::Reversed,
                Some(T::UnauthorizedOrNotKnownToReceiver),
            ),
            ("0013", P::Canceled, Some(T::AuthorizationRevokedByCustomer)),
            ("0023", P::Canceled, Some(T::AccountNotConnected)),
            (
                "0033",
                P::Canceled,
                Some(T::UnauthorizedOrNotKnownToReceiver),
            ),
            ("0043", P::Canceled, Some(T::InstitutionNotSupported)),
            ("0053", P::Canceled, Some(T::BillingSuspension)),
            ("0063", P::Canceled, Some(T::CountryNotEnabled)),
            ("0003", P::Canceled, Some(T::RequestedByMerchant)),
            ("0016", P::Failed, Some(T::ExceedsAccountLimit)),
            ("0026", P::Failed, Some(T::AccountNotConnected)),
            ("0036", P::Failed, Some(T::AccountBlocked)),
            ("0046", P::Failed, Some(T::AccountClosed)),
            ("0056", P::Failed, Some(T::UnableToLocateAccount)),
            ("0066", P::Failed, Some(T::UnableToLocateCustomer)),
            ("0076", P::Failed, Some(T::AccountDoesNotBelongToCustomer)),
            ("0086", P::Failed, Some(T::InvalidAccountNumber)),
        ];
        for (l4, status, remark) in expect {
            assert_eq!(
                payment_outcome(l4),
                PaymentOutcome { status, remark },
                "{l4}"
            );
        }
        // The amount is not an input at all; a short or odd last_4 is safe.
        assert_eq!(payment_outcome("4").status, P::Successful);
        assert_eq!(payment_outcome("").status, P::Reversed);
    }

    #[test]
    fn the_institution_approves_ten_seconds_after_the_request() {
        let a = Some(PendingAction::ConfirmRequestWithInstitution);
        assert_eq!(approved(S::VerificationPending, a, 1_000, 10_999), None);
        assert_eq!(
            approved(S::VerificationPending, a, 1_000, 11_000),
            Some(S::Connected)
        );
        assert_eq!(
            approved(S::ValidationPending, a, 0, 10_000),
            Some(S::Validated)
        );
        // A deposit code is never approved by waiting; a failed one never moves.
        let otp = Some(PendingAction::ConfirmOtpViaMicrodeposit);
        assert_eq!(approved(S::VerificationInProgress, otp, 0, 1_000_000), None);
        assert_eq!(approved(S::ConnectionFailed, a, 0, 1_000_000), None);
    }

    #[test]
    fn the_deposit_code_is_72_with_three_attempts() {
        let s = S::VerificationInProgress;
        assert_eq!(check_code(s, "72", 0), CodeCheck::Accepted(S::Connected));
        assert_eq!(check_code(s, " 72 ", 2), CodeCheck::Accepted(S::Connected));
        assert_eq!(check_code(s, "27", 0), CodeCheck::Refused { left: 2 });
        assert_eq!(check_code(s, "", 1), CodeCheck::Refused { left: 1 });
        assert_eq!(
            check_code(s, "7 2", 2),
            CodeCheck::Exhausted(S::ConnectionFailed)
        );
        assert_eq!(
            check_code(S::ValidationInProgress, "72", 0),
            CodeCheck::Accepted(S::Validated)
        );
    }
}
