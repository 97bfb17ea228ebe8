//! One module per destination.

#[cfg(feature = "checkout")]
pub mod checkout;
#[cfg(feature = "connect")]
pub mod connect;
pub mod link_loader;
pub mod not_found;
#[cfg(feature = "studio")]
pub mod studio;
