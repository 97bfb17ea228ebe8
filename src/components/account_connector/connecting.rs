//! What the connector is given: which link kind it connects through,
//! where it starts, and what its flow hands it.

use crate::api::ApiError;
use crate::components::account_form::FormState;
use crate::components::account_step::AccountStep;
use crate::components::link_flow::{End, FlowLink, Start, Step, Steps};
use druo_core::dto::{InstitutionList, PublicAccount};
use druo_core::route::api_path;
use leptos::prelude::*;

/// Which link the account is connected through.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    /// A connect link: the account completes the link.
    Connect,
    /// A checkout link: the account is then used to pay.
    Checkout,
}

impl Target {
    /// The API paths for submitting an account and re-checking it.
    pub(super) fn paths(self) -> (&'static str, &'static str) {
        match self {
            Target::Connect => (
                api_path::CONNECT_ACCOUNTS,
                api_path::CONNECT_ACCOUNT_REFRESH,
            ),
            Target::Checkout => (
                api_path::CHECKOUT_ACCOUNTS,
                api_path::CHECKOUT_ACCOUNT_REFRESH,
            ),
        }
    }
}

/// What a flow hands its account connector: the link, the catalog and
/// the form (owned by the page), where to start, and where its ends go.
#[derive(Clone, Copy)]
pub struct Connecting {
    pub(super) target: Target,
    pub(super) link: FlowLink,
    pub(super) institutions: LocalResource<Result<InstitutionList, ApiError>>,
    pub(super) form: FormState,
    pub(super) first: AccountStep,
    pub(super) account: StoredValue<Option<PublicAccount>>,
    pub(super) focus: bool,
    pub(super) on_end: Callback<End>,
}

impl Connecting {
    /// The connector of a flow at `steps`, started as `start` says; an
    /// answer that ends the page ends the flow.
    pub fn new<P: Clone + Send + Sync + 'static>(
        target: Target,
        link: FlowLink,
        institutions: LocalResource<Result<InstitutionList, ApiError>>,
        form: FormState,
        start: &Start<P>,
        steps: Steps<Step<P>>,
    ) -> Self {
        Connecting {
            target,
            link,
            institutions,
            form,
            first: start.account_step,
            account: StoredValue::new(start.account.clone()),
            focus: start.focus,
            on_end: Callback::new(move |end| steps.end(end)),
        }
    }
}
