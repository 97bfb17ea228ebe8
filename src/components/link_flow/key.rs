//! The idempotency key a submit is sent under.

use crate::api;
use leptos::prelude::*;

/// The idempotency key of a submit: the one kept from a try that got no
/// answer (so a retry is the same logical submit), else a new one, kept
/// until the answer arrives.
pub fn submit_key(kept: RwSignal<Option<String>>) -> String {
    let key = kept
        .get_untracked()
        .unwrap_or_else(api::new_idempotency_key);
    kept.set(Some(key.clone()));
    key
}
