//! Reusable pieces of the link pages.

/// A name unique to one component instance, for radio groups: two
/// instances on one page (the studio's frames) must not share a group.
pub fn unique_name(prefix: &str) -> String {
    use std::sync::atomic::{AtomicUsize, Ordering};
    static NEXT: AtomicUsize = AtomicUsize::new(0);
    format!("{prefix}-{}", NEXT.fetch_add(1, Ordering::Relaxed))
}

pub mod account_choice;
pub mod account_connector;
pub mod account_form;
pub mod institution_picker;
pub mod lang_switch;
pub mod layout;
pub mod link_flow;
pub mod message;
pub mod money;
pub mod offline;
pub mod step_heading;
pub mod step_read;
pub mod theme;

/// `elementtiming="meaningful"` (spread it onto an element: `{..meaningful()}`):
/// marks the text whose paint is the page's meaningful render, which
/// `scripts/bench` reads through the Element Timing API. The view macro has
/// no name for this attribute, hence the spread.
pub fn meaningful(
) -> leptos::tachys::html::attribute::custom::CustomAttr<&'static str, &'static str> {
    leptos::tachys::html::attribute::custom::custom_attribute("elementtiming", "meaningful")
}
