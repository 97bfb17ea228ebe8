//! The connect page's own steps, named apart so the flow and its
//! outcome both use them without depending on each other.

/// The connect page's own steps (its ends are `link_flow::End`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Connect {
    /// Who asks, for whom, and what happens to the data.
    Intro,
    /// Choosing the institution and entering the account (the connector).
    Account,
}
