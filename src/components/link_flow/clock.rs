//! The loaded link as a flow uses it, with its expiry clock.

use leptos::prelude::*;

/// A check of the link's expiry by the service's clock: `server_time`
/// when the link was fetched plus the time the page has been open, so a
/// phone with a wrong clock does not matter.
#[derive(Clone, Copy)]
pub struct ExpiryClock {
    pub(super) loaded_at: f64,
    pub(super) times: StoredValue<(Option<String>, String)>,
}

impl ExpiryClock {
    /// True once the link has expired.
    pub fn expired(&self) -> bool {
        let open_for = (crate::browser::now_ms() - self.loaded_at) as i64;
        self.times
            .with_value(|(exp, now)| druo_core::finish::expired_now(exp.as_deref(), now, open_for))
    }
}

/// The loaded link as a flow and its connector use it: the slug its calls
/// go to, the merchant the texts name, and its expiry clock.
#[derive(Clone, Copy)]
pub struct FlowLink {
    /// The link's slug.
    pub slug: StoredValue<String>,
    /// The merchant's name.
    pub merchant: StoredValue<String>,
    /// Whose account the link expects, masked.
    pub holder: StoredValue<Option<druo_core::dto::AccountHolder>>,
    /// The link's expiry, by the service's clock.
    pub clock: ExpiryClock,
}
