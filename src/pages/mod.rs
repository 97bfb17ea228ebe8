//! One module per destination.

pub mod checkout;
pub mod connect;
pub mod link_loader;
pub mod not_found;
#[cfg(feature = "studio")]
pub mod studio;
