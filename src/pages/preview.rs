//! The studio's hook into the live flows: which state to show and the
//! sample data it needs. Tiny and always compiled, so the flows build with
//! or without the `studio` feature.

use druo_core::dto::{PaymentResult, PublicAccount};
use druo_core::studio::PreviewState;

/// What a flow needs to render a studio state instead of a live one.
#[derive(Debug, Clone, PartialEq)]
pub struct Preview {
    /// The state to show.
    pub state: PreviewState,
    /// The account shown by pending, rejection and confirmation states.
    pub account: PublicAccount,
    /// The payment shown by the checkout confirmation.
    pub payment: PaymentResult,
    /// Whether the frame is wide (the checkout summary starts open).
    pub wide: bool,
}
