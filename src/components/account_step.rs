//! The account connector's steps, named apart from the connector so a
//! flow can say where its connector starts without depending on it.

/// Where the user is inside the connector.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum AccountStep {
    /// Choosing the institution.
    #[default]
    Bank,
    /// The account form.
    Details,
    /// Waiting for the user to confirm with the bank.
    Pending,
    /// The bank refused the account.
    Rejected,
}
