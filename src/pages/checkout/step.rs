//! The checkout's own steps, named apart so the flow and the payment
//! both use them without depending on each other.

/// The checkout's own steps (its ends are `link_flow::End`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Checkout {
    /// Choosing the paying account, authorizing, paying.
    Choose,
    /// Connecting a new account (the connector).
    NewAccount,
    /// The bank declined the payment.
    Declined,
}
