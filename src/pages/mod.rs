//! One module per destination.

#[cfg(feature = "checkout")]
pub mod checkout;
#[cfg(feature = "connect")]
pub mod connect;
pub mod link_loader;
#[cfg(feature = "studio")]
pub mod studio;
