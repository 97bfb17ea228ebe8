//! The connect page's API: the link view, the account submit, and reading
//! or re-checking an account made through the link.

use crate::clock::now_ms;
use crate::error::{ApiError, ApiResult};
use crate::public::common::{
    check_open, check_slug, create_link_account, json_answer, run_idempotent, to_json, Submit,
};
use crate::state::AppState;
use crate::store::connect_links::{self, ConnectLinkRow};
use crate::store::links::{self, LinkKind};
use crate::store::{accounts, end_users, merchants};
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use druo_core::dto::PublicConnectLink;
use druo_core::status::{AccountStatus, CreationSource, DeliveryStatus};
use druo_core::time::format_iso8601;
use druo_core::Lang;
use rusqlite::Connection;

fn load(c: &Connection, slug: &str) -> ApiResult<ConnectLinkRow> {
    connect_links::by_slug(c, slug)?.ok_or_else(|| ApiError::not_found("link"))
}

/// What the page shows of the link: no metadata, references or ids.
fn public_view(c: &Connection, row: ConnectLinkRow, now: i64) -> ApiResult<PublicConnectLink> {
    let l = &row.link;
    Ok(PublicConnectLink {
        uuid: l.uuid.clone(),
        merchant_name: merchants::get(c, l.merchant_id)?.business_name,
        intro_text: row.intro_text,
        end_user_first_name: end_users::get(c, &l.end_user_uuid)?.first_name,
        default_language: Lang::parse(&l.default_language).unwrap_or_default(),
        default_institution: l.default_institution.clone(),
        theme: row.colors,
        redirect_url: l.redirect_url.clone(),
        custom_confirmation_page: l.custom_confirmation_page,
        expiration_date: l.expiration_ms.map(format_iso8601),
        state: l.state(now),
        server_time: format_iso8601(now),
    })
}

/// `GET /connect-links/{slug}`. The first fetch moves the link from
/// CREATED to OPENED.
pub async fn view(State(s): State<AppState>, Path(slug): Path<String>) -> ApiResult<Response> {
    check_slug(&slug)?;
    let view =
        s.db.write(move |tx| {
            let now = now_ms();
            let row = load(tx, &slug)?;
            let uuid = row.link.uuid.clone();
            links::advance_delivery(tx, LinkKind::Connect, &uuid, DeliveryStatus::Opened, now)?;
            public_view(tx, row, now)
        })
        .await?;
    json_answer(StatusCode::OK, &view)
}

/// `POST /connect-links/{slug}/accounts`: the page's submit, idempotent
/// on its `Idempotency-Key`.
pub async fn submit(
    State(s): State<AppState>,
    Path(slug): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> ApiResult<Response> {
    check_slug(&slug)?;
    let submit = Submit::read(&headers, body)?;
    let obj = submit.obj.clone();
    run_idempotent(&s, format!("connect:{slug}"), submit, move |tx, now| {
        let link = load(tx, &slug)?.link;
        check_open(&link, now)?;
        let source = CreationSource::ConnectLink;
        let public = create_link_account(tx, &link, &obj, Some(&link.uuid), source, now)?;
        // A rejected number leaves the link open so the user can fix it.
        if public.current_status != AccountStatus::Rejected {
            links::advance_delivery(
                tx,
                LinkKind::Connect,
                &link.uuid,
                DeliveryStatus::Completed,
                now,
            )?;
        }
        Ok((StatusCode::CREATED, to_json(&public)?))
    })
    .await
}

/// Account `uuid`, when it was made through the link `slug`.
fn account_of_link(c: &Connection, slug: &str, uuid: &str) -> ApiResult<accounts::AccountRow> {
    let link = load(c, slug)?.link;
    let account = accounts::get(c, uuid)?;
    if account.source_connect_link.as_deref() != Some(link.uuid.as_str()) {
        return Err(ApiError::not_found("account"));
    }
    Ok(account)
}

/// `GET /connect-links/{slug}/accounts/{uuid}`: an account made through
/// this link, as it stands.
pub async fn account(
    State(s): State<AppState>,
    Path((slug, uuid)): Path<(String, String)>,
) -> ApiResult<Response> {
    check_slug(&slug)?;
    let acc =
        s.db.call(move |c| Ok::<_, ApiError>(account_of_link(c, &slug, &uuid)?.public()))
            .await?;
    json_answer(StatusCode::OK, &acc)
}

/// `POST /connect-links/{slug}/accounts/{uuid}/refresh`: the "I have
/// confirmed" action: asks the institution again and answers the account.
pub async fn refresh(
    State(s): State<AppState>,
    Path((slug, uuid)): Path<(String, String)>,
) -> ApiResult<Response> {
    check_slug(&slug)?;
    let acc =
        s.db.write(move |tx| {
            account_of_link(tx, &slug, &uuid)?;
            accounts::refresh(tx, &uuid, now_ms())?;
            Ok::<_, ApiError>(accounts::get(tx, &uuid)?.public())
        })
        .await?;
    json_answer(StatusCode::OK, &acc)
}
