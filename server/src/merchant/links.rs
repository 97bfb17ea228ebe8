//! Creating and listing connect and checkout links.

use crate::auth::Merchant;
use crate::body::json_object;
use crate::clock::now_ms;
use crate::error::{ApiError, ApiResult};
use crate::merchant::answer::{ok, ok_under};
use crate::merchant::list_query;
use crate::merchant::objects::{self, CheckoutLinkPage, ConnectLinkPage, PageInfo};
use crate::state::AppState;
use crate::store::links::{self, LinkKind, ListPage};
use crate::store::{checkout_links, connect_links};
use axum::body::Bytes;
use axum::extract::{RawQuery, State};
use axum::http::HeaderMap;
use axum::response::Response;
use druo_core::request;

/// `POST /connect/link/create`.
pub async fn create_connect(
    State(s): State<AppState>,
    m: Merchant,
    headers: HeaderMap,
    body: Bytes,
) -> ApiResult<Response> {
    let req = request::connect_link_create(&json_object(&headers, &body)?)?;
    let base = s.public_base.clone();
    let link =
        s.db.write(move |tx| {
            let now = now_ms();
            let uuid = connect_links::insert(tx, m.id, &req, now)?;
            Ok::<_, ApiError>(objects::connect_link(tx, &uuid, &base, now)?)
        })
        .await?;
    ok_under("connect_link", &link)
}

/// `POST /checkout/link/create`.
pub async fn create_checkout(
    State(s): State<AppState>,
    m: Merchant,
    headers: HeaderMap,
    body: Bytes,
) -> ApiResult<Response> {
    let req = request::checkout_link_create(&json_object(&headers, &body)?)?;
    let base = s.public_base.clone();
    let link =
        s.db.write(move |tx| {
            let now = now_ms();
            let uuid = checkout_links::insert(tx, m.id, &req, now)?;
            Ok::<_, ApiError>(objects::checkout_link(tx, &uuid, &base, now)?)
        })
        .await?;
    ok_under("checkout_link", &link)
}

fn page_info(p: &ListPage, page_size: usize) -> PageInfo {
    PageInfo {
        has_next_page: p.has_next,
        page_size,
        next_starting_after: p.next_starting_after.clone(),
    }
}

/// `GET /connect/link/list`: the merchant's connect links, newest first,
/// filtered and paged.
pub async fn list_connect(
    State(s): State<AppState>,
    m: Merchant,
    RawQuery(q): RawQuery,
) -> ApiResult<Response> {
    let f = list_query::parse(q)?;
    let base = s.public_base.clone();
    let page =
        s.db.call(move |c| {
            let now = now_ms();
            let p = links::list(c, m.id, LinkKind::Connect, &f)?;
            let connect_links = p
                .uuids
                .iter()
                .map(|u| objects::connect_link(c, u, &base, now))
                .collect::<Result<_, _>>()?;
            Ok::<_, ApiError>(ConnectLinkPage {
                connect_links,
                page_info: page_info(&p, f.page_size),
            })
        })
        .await?;
    ok(&page)
}

/// `GET /checkout/link/list`: not in the reference pages; the connect
/// list's filters and paging for checkout links, so a merchant can see each
/// payment's current state (`checkout_link.transaction`).
pub async fn list_checkout(
    State(s): State<AppState>,
    m: Merchant,
    RawQuery(q): RawQuery,
) -> ApiResult<Response> {
    let f = list_query::parse(q)?;
    let base = s.public_base.clone();
    let page =
        s.db.call(move |c| {
            let now = now_ms();
            let p = links::list(c, m.id, LinkKind::Checkout, &f)?;
            let checkout_links = p
                .uuids
                .iter()
                .map(|u| objects::checkout_link(c, u, &base, now))
                .collect::<Result<_, _>>()?;
            Ok::<_, ApiError>(CheckoutLinkPage {
                checkout_links,
                page_info: page_info(&p, f.page_size),
            })
        })
        .await?;
    ok(&page)
}
