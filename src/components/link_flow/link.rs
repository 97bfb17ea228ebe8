//! What every public link (connect or checkout) tells its page, read the
//! same way from either, so the loader and the flows are written once.

use super::clock::{ExpiryClock, FlowLink};
use super::state::{Start, Step};
use super::steps::Steps;
use crate::api::{self, ApiError};
use druo_core::dto::{AccountHolder, LinkState, PublicCheckoutLink, PublicConnectLink, ThemeVar};
use druo_core::Lang;
use leptos::prelude::*;
use std::future::Future;

/// A public link as its page uses it.
pub trait PublicLink: Clone + Send + Sync + serde::de::DeserializeOwned + 'static {
    /// The read of the link behind `slug`.
    fn read(slug: String) -> impl Future<Output = Result<Self, ApiError>> + 'static;
    /// The language the link asks for, unless the URL says otherwise.
    fn language(&self) -> Lang;
    /// The merchant's colours as the service resolved them.
    fn theme_vars(&self) -> &[ThemeVar];
    /// The institution the link suggests (`default_institution`).
    fn suggested_institution(&self) -> Option<String>;
    /// Where the merchant wants the person back (`redirect_url`).
    fn redirect_url(&self) -> Option<&str>;
    /// Whose account the link expects, masked (`account_holder`).
    fn holder(&self) -> Option<AccountHolder>;
    /// The link's state, the merchant, its expiry and the service's time
    /// when it was read.
    fn facts(&self) -> (LinkState, String, Option<String>, String);
}

/// `PublicLink` for a link type whose fields have the shared names.
macro_rules! public_link {
    ($link:ty, $read:path) => {
        impl PublicLink for $link {
            async fn read(slug: String) -> Result<Self, ApiError> {
                $read(&slug).await
            }
            fn language(&self) -> Lang {
                self.default_language
            }
            fn theme_vars(&self) -> &[ThemeVar] {
                &self.theme_vars
            }
            fn suggested_institution(&self) -> Option<String> {
                self.default_institution.clone()
            }
            fn redirect_url(&self) -> Option<&str> {
                self.redirect_url.as_deref()
            }
            fn holder(&self) -> Option<AccountHolder> {
                self.account_holder.clone()
            }
            fn facts(&self) -> (LinkState, String, Option<String>, String) {
                let (exp, now) = (self.expiration_date.clone(), self.server_time.clone());
                (self.state, self.merchant_name.clone(), exp, now)
            }
        }
    };
}

public_link!(PublicConnectLink, api::connect_link);
public_link!(PublicCheckoutLink, api::checkout_link);

impl FlowLink {
    /// A flow for `link` just read (its clock starts now): its steps at
    /// `start` when given (the studio), else at the end the link's state
    /// (or the clock) calls for, else at the page's `first` step.
    pub fn open<L: PublicLink, P: Clone + Send + Sync + 'static>(
        link: &L,
        slug: String,
        first: P,
        start: &Start<P>,
    ) -> (FlowLink, Steps<Step<P>>) {
        let (state, merchant, expiration_date, server_time) = link.facts();
        let clock = ExpiryClock {
            loaded_at: crate::browser::now_ms(),
            times: StoredValue::new((expiration_date, server_time)),
        };
        let steps = Steps::open(state, clock, first, start.step.clone(), start.focus);
        let link = FlowLink {
            slug: StoredValue::new(slug),
            merchant: StoredValue::new(merchant),
            holder: StoredValue::new(link.holder()),
            clock,
        };
        (link, steps)
    }
}
