//! The public API the link pages call, mounted at `core::route::API_PREFIX`
//! on the hosted-link origin. It exposes only what the pages show (see
//! docs/api.md): no metadata, no references, no end-user ids or local ids.
//! Every path is a template of `core::route::api_path`, so the app and the
//! service cannot disagree on one.

pub mod checkout;
pub mod common;
pub mod connect;
pub mod qr;
pub mod returns;

use crate::error::{ApiError, ApiResult};
use crate::state::AppState;
use crate::store::checkout_links::CheckoutLinkRow;
use crate::store::connect_links::ConnectLinkRow;
use crate::store::institutions;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{get, post};
use axum::Router;
use druo_core::dto::InstitutionList;
use druo_core::route::api_path;

/// The whole public API, in one place.
pub fn router() -> Router<AppState> {
    Router::new()
        .route(api_path::INSTITUTIONS, get(list_institutions))
        .route(api_path::CONNECT_LINK, get(common::view::<ConnectLinkRow>))
        .route(
            api_path::CONNECT_ACCOUNTS,
            post(common::submit_account::<ConnectLinkRow>),
        )
        .route(api_path::CONNECT_ACCOUNT, get(connect::account))
        .route(
            api_path::CONNECT_ACCOUNT_REFRESH,
            post(common::refresh::<ConnectLinkRow>),
        )
        .route(
            api_path::CONNECT_ACCOUNT_AUTHENTICATE,
            post(common::authenticate::<ConnectLinkRow>),
        )
        .route(
            api_path::CHECKOUT_LINK,
            get(common::view::<CheckoutLinkRow>),
        )
        .route(
            api_path::CHECKOUT_ACCOUNTS,
            get(checkout::accounts).post(common::submit_account::<CheckoutLinkRow>),
        )
        .route(
            api_path::CHECKOUT_ACCOUNT_REFRESH,
            post(common::refresh::<CheckoutLinkRow>),
        )
        .route(
            api_path::CHECKOUT_ACCOUNT_AUTHENTICATE,
            post(common::authenticate::<CheckoutLinkRow>),
        )
        .route(api_path::CHECKOUT_PAY, post(checkout::pay))
        .route(api_path::QR_CODE, get(qr::qr_svg))
        .fallback(|| async { ApiError::not_found("endpoint") })
}

/// `GET /institutions`: the catalog, most used first.
async fn list_institutions(State(s): State<AppState>) -> ApiResult<Response> {
    common::json_answer(StatusCode::OK, &read_institutions(&s).await?)
}

/// The catalog, as [`list_institutions`] answers it (and a server-rendered
/// page carries it).
pub async fn read_institutions(s: &AppState) -> ApiResult<InstitutionList> {
    let institutions =
        s.db.call(|c| Ok::<_, ApiError>(institutions::list(c)?))
            .await?;
    Ok(InstitutionList { institutions })
}
