//! Reusable pieces of the link pages.

pub mod account_connector;
pub mod account_form;
pub mod institution_picker;
pub mod lang_switch;
pub mod layout;
pub mod message;
pub mod money;
pub mod step_heading;
pub mod theme;
