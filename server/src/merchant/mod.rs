//! The merchant API (the api.druo.com paths): every handler takes the
//! authenticated [`Merchant`] (bearer token and `DRUO-Version`; only `PUT
//! /accounts/authenticate` may leave the version out, see
//! [`accounts::default_version`]), and every answer carries the documented
//! top-level key (Authenticate Account's flat answer is DRUO's own).
//! Every `POST` honours `Idempotency-Key` ([`idempotent`]) and every
//! answer carries the security headers of [`baseline`].

pub mod accounts;
pub mod answer;
pub mod baseline;
pub mod idempotent;
pub mod links;
pub mod list_query;
pub mod objects;
pub mod page;
pub mod reads;
pub mod webhooks;

use crate::auth::Merchant;
use crate::body::JsonObject;
use crate::clock::now_ms;
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;
use crate::store::{end_users, institutions};
use answer::{ok, ok_under};
use axum::extract::State;
use axum::middleware::{from_fn_with_state, map_request};
use axum::response::Response;
use axum::routing::{delete, get, post, put};
use axum::Router;
use druo_core::dto::InstitutionList;
use druo_core::request;
use druo_core::status::CreationSource;
use objects::{CheckoutLinkObject, ConnectLinkObject};

/// The merchant API router.
pub fn router(state: AppState, limits: &crate::limits::Limits) -> Router {
    use druo_core::route::merchant_path as path;
    let slash = |p: &str| format!("{p}/");
    let router = Router::new()
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
        .route(path::CONNECT_LINK, get(reads::link::<ConnectLinkObject>))
        .route(
            path::CONNECT_LINK_EXPIRE,
            put(reads::expire::<ConnectLinkObject>),
        )
        .route(path::CHECKOUT_LINK, get(reads::link::<CheckoutLinkObject>))
        .route(path::PAYMENT, get(reads::payment))
        .route(path::END_USER, get(reads::end_user))
        .route(path::END_USERS_LIST, get(reads::end_user_list))
        .route(&slash(path::END_USERS_LIST), get(reads::end_user_list))
        .route(path::ACCOUNTS_VALIDATE, post(accounts::validate))
        .route(path::ACCOUNTS_CONNECT, post(accounts::connect))
        .route(&slash(path::ACCOUNTS_CONNECT), post(accounts::connect))
        .route(path::ACCOUNTS_LIST, get(accounts::list))
        .route(&slash(path::ACCOUNTS_LIST), get(accounts::list))
        .route(path::ACCOUNT, get(accounts::get))
        .route(path::ACCOUNT_DISCONNECT, put(accounts::disconnect))
        .route(path::WEBHOOK_CREATE, post(webhooks::create))
        .route(path::WEBHOOK_LIST, get(webhooks::list))
        .route(path::WEBHOOK, delete(webhooks::delete))
        .route(path::WEBHOOK_DISABLE, put(webhooks::set_enabled::<false>))
        .route(path::WEBHOOK_ENABLE, put(webhooks::set_enabled::<true>))
        .route(path::WEBHOOK_DELIVERIES, get(webhooks::deliveries))
        .route(path::WEBHOOK_REDELIVER, post(webhooks::redeliver))
        // DRUO documents this one call without `DRUO-Version`
        // (`accounts::default_version`).
        .route(
            path::ACCOUNTS_AUTHENTICATE,
            put(accounts::authenticate).layer(map_request(accounts::default_version)),
        )
        // Every `POST` above honours `Idempotency-Key` (`idempotent`);
        // a route layer, so an unknown path is not claimed.
        .route_layer(from_fn_with_state(state.clone(), idempotent::layer))
        .merge(crate::probes::router())
        .fallback(|| async { ApiError::not_found("endpoint") });
    // Outermost, outside the size and time limits too: the fallback,
    // refusals, replays and a 408 or 413 all carry the headers.
    crate::limits::guard(router, limits)
        .layer(from_fn_with_state(state.clone(), baseline::headers))
        .with_state(state)
}

/// `POST /end-users/create`.
async fn create_end_user(
    State(s): State<AppState>,
    m: Merchant,
    JsonObject(o): JsonObject,
) -> ApiResult<Response> {
    let input = request::end_user(&o)?;
    let secrets = s.secrets.clone();
    let user =
        s.db.write(move |tx| {
            let source = CreationSource::MerchantApi;
            let sealer = secrets.sealer();
            let uuid = end_users::insert(tx, sealer, m.id, &input, source, None, now_ms())?;
            Ok::<_, ApiError>(objects::end_user(tx, sealer, &uuid)?)
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
