//! Reusable pieces of the link pages.

pub mod layout;
pub mod message;
