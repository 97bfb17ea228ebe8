//! Issue 25's controls, proven black-box against a running link-server
//! (docs/security.md maps each to its ASVS / PCI DSS item and its test
//! here).

#[path = "../common/mod.rs"]
mod common;

mod at_rest;
mod headers;
mod idempotency;
mod pages;
mod tokens;
mod writes;
