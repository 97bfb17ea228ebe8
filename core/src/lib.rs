//! Pure logic shared by the DRUO Link app (wasm) and the reference link
//! service: DTOs, validation, theme colours and contrast, redirect building,
//! timestamps and expiry, and the locale catalog.
//!
//! Nothing here touches the network, the DOM or the clock: callers pass
//! `now` in, so every rule has plain native tests.

pub mod brand;
pub mod color;
pub mod dto;
pub mod error;
pub mod finish;
pub mod form;
pub mod holder;
pub mod i18n;
pub mod input;
pub mod lang;
pub mod money;
pub mod receipt;
pub mod request;
pub mod route;
pub mod sandbox;
pub mod search;
pub mod shell;
pub mod status;
pub mod studio;
pub mod studio_import;
pub mod theme;
pub mod time;
pub mod url;
pub mod wait;
pub mod webhook;

pub use error::FieldError;
pub use lang::Lang;
