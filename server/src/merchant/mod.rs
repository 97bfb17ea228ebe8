//! The merchant API (the api.druo.com paths): every handler takes the
//! authenticated [`Merchant`] (bearer token and `DRUO-Version`), and every
//! answer carries the documented top-level key.

pub mod answer;
pub mod links;
pub mod list_query;
pub mod objects;

use crate::auth::Merchant;
use crate::body::json_object;
use crate::clock::now_ms;
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;
use crate::store::accounts::{self, NewAccount};
use crate::store::{end_users, institutions};
use answer::{ok, ok_under};
use axum::body::Bytes;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::Response;
use axum::routing::{get, post};
use axum::Router;
use druo_core::dto::InstitutionList;
use druo_core::request;
use druo_core::status::CreationSource;
use objects::{CheckoutLinkObject, ConnectLinkObject};

/// The merchant API router.
pub fn router(state: AppState) -> Router {
    use druo_core::route::merchant_path as path;
    let slash = |p: &str| format!("{p}/");
    Router::new()
        .route(path::END_USER_CREATE, post(create_end_user))
        .route(path::INSTITUTIONS, get(list_institutions))
        .route(
            path::CONNECT_LINK_CREATE,
            post(links::create::<ConnectLinkObject>),
        )
        .route(
            path::CONNECT_LINK_LIST,
            get(links::list::<ConnectLinkObject>),
        )
        .route(
            &slash(path::CONNECT_LINK_LIST),
            get(links::list::<ConnectLinkObject>),
        )
        .route(
            path::CHECKOUT_LINK_CREATE,
            post(links::create::<CheckoutLinkObject>),
        )
        .route(
            path::CHECKOUT_LINK_LIST,
            get(links::list::<CheckoutLinkObject>),
        )
        .route(
            &slash(path::CHECKOUT_LINK_LIST),
            get(links::list::<CheckoutLinkObject>),
        )
        .route(path::ACCOUNTS_VALIDATE, post(validate_account))
        .fallback(|| async { ApiError::not_found("endpoint") })
        .with_state(state)
}

/// `POST /end-users/create`.
async fn create_end_user(
    State(s): State<AppState>,
    m: Merchant,
    headers: HeaderMap,
    body: Bytes,
) -> ApiResult<Response> {
    let input = request::end_user(&json_object(&headers, &body)?)?;
    let user =
        s.db.write(move |tx| {
            let source = CreationSource::MerchantApi;
            let uuid = end_users::insert(tx, m.id, &input, source, None, now_ms())?;
            Ok::<_, ApiError>(objects::end_user(tx, &uuid)?)
        })
        .await?;
    ok_under("end_user", &user)
}

/// `GET /institutions`.
async fn list_institutions(State(s): State<AppState>, _m: Merchant) -> ApiResult<Response> {
    let institutions =
        s.db.call(|c| Ok::<_, ApiError>(institutions::list(c)?))
            .await?;
    ok(&InstitutionList { institutions })
}

/// `POST /accounts/validate`: creates an account for an end user, with the
/// sandbox's outcome.
async fn validate_account(
    State(s): State<AppState>,
    m: Merchant,
    headers: HeaderMap,
    body: Bytes,
) -> ApiResult<Response> {
    let req = request::account_validate(&json_object(&headers, &body)?)?;
    let account =
        s.db.write(move |tx| {
            let now = now_ms();
            let source = CreationSource::MerchantApi;
            // The institution's kind chooses the number rule, so it is
            // looked up before the number is judged.
            let inst = institutions::require(tx, &req.account.institution_uuid)?;
            let checked = req.account.check(&inst)?;
            let end_user = end_users::resolve(tx, m.id, &req.end_user, source, now)?;
            let new = NewAccount {
                merchant_id: m.id,
                end_user_uuid: &end_user,
                institution: &inst,
                subtype: checked.subtype,
                account_number: &checked.account_number,
                routing_number: req.routing_number.as_deref(),
                source_connect_link: None,
                creation_source: source,
                primary_reference: req.primary_reference.as_deref(),
                secondary_reference: req.secondary_reference.as_deref(),
                metadata: &req.metadata,
            };
            let uuid = accounts::create(tx, &new, now)?;
            Ok::<_, ApiError>(objects::account(tx, &uuid)?)
        })
        .await?;
    ok_under("account", &account)
}
