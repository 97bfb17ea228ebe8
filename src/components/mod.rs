//! Reusable pieces of the link pages. This module only declares them:
//! what several of them share lives in a leaf module of its own (`dom`,
//! `account_step`), so every import points one way.

pub mod account_choice;
pub mod account_connector;
pub mod account_form;
pub mod account_step;
pub mod dates;
pub mod dom;
pub mod handoff;
pub mod icon;
pub mod institution_picker;
pub mod lang_switch;
pub mod layout;
pub mod link_flow;
pub mod message;
pub mod money;
pub mod move_link;
pub mod offline;
pub mod slow;
pub mod step_heading;
pub mod step_read;
pub mod theme;
