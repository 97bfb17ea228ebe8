//! The account connector's steps, named apart from the connector so a
//! flow can say where its connector starts without depending on it.

use druo_core::dto::PublicAccount;
use druo_core::status::{AccountStage, PendingAction};

/// Where the user is inside the connector.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum AccountStep {
    /// Choosing the institution.
    #[default]
    Bank,
    /// The account form.
    Details,
    /// Waiting, live, for the institution to approve the request
    /// (`CONFIRM_REQUEST_WITH_INSTITUTION`).
    Pending,
    /// Typing the small deposit's code (`CONFIRM_OTP_VIA_MICRODEPOSIT`).
    Code,
    /// The attempt ended without a usable account (failed, disconnected,
    /// disabled, or to be connected again).
    Rejected,
}

impl AccountStep {
    /// The step an answered account calls for: the live wait or the
    /// deposit code while the person has a pending validation to finish,
    /// the rejected step when the attempt ended, and `None` when the
    /// account is the connector's outcome (connected, or received with
    /// nothing for the person to do).
    pub fn after(account: &PublicAccount) -> Option<AccountStep> {
        let action = account
            .pending_account_validations
            .first()
            .map(|p| p.action);
        match (account.current_status.stage(), action) {
            (AccountStage::Ended, _) => Some(AccountStep::Rejected),
            (AccountStage::Settling, Some(PendingAction::ConfirmRequestWithInstitution)) => {
                Some(AccountStep::Pending)
            }
            (AccountStage::Settling, Some(PendingAction::ConfirmOtpViaMicrodeposit)) => {
                Some(AccountStep::Code)
            }
            _ => None,
        }
    }
}
