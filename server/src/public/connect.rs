//! The connect page's API: the link view, the account submit, and reading
//! or re-checking an account the link may use (the handlers shared with
//! checkout are in `common`, generic over [`PageLink`]).

use crate::error::{ApiError, ApiResult};
use crate::public::common::{
    account_of, check_slug, create_link_account, json_answer, link_view, submit_to_open, to_json,
    PageLink,
};
use crate::state::AppState;
use crate::store::accounts::{self, AccountRow};
use crate::store::connect_links::{self, ConnectLinkRow};
use crate::store::error::StoreResult;
use crate::store::links::{LinkKind, LinkRow};
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use druo_core::dto::PublicConnectLink;
use druo_core::input::Obj;
use druo_core::status::{AccountStatus, CreationSource};
use rusqlite::Connection;

impl PageLink for ConnectLinkRow {
    type View = PublicConnectLink;
    const KIND: LinkKind = LinkKind::Connect;

    fn by_slug(c: &Connection, slug: &str) -> StoreResult<Option<Self>> {
        connect_links::by_slug(c, slug)
    }

    fn link(&self) -> &LinkRow {
        &self.link
    }

    /// What the page shows of the link: no metadata, references or ids;
    /// once completed, the account it was completed with, as it stands.
    fn view(self, c: &Connection, now: i64) -> ApiResult<PublicConnectLink> {
        let l = &self.link;
        let completed_with = self.account_uuid.as_deref();
        Ok(link_view!(PublicConnectLink, c, l, now, {
            intro_text: self.intro_text,
            theme: self.colors,
            outcome: completed_with.map(|u| accounts::get(c, u)).transpose()?.map(|a| a.public()),
        }))
    }

    /// An account made through this link, or the end user's existing
    /// account the link was completed with.
    fn may_use(&self, a: &AccountRow) -> bool {
        a.source_connect_link.as_deref() == Some(self.link.uuid.as_str())
            || self.account_uuid.as_deref() == Some(a.uuid.as_str())
    }
}

/// `POST /connect-links/{slug}/accounts`: the page's submit, idempotent
/// on its `Idempotency-Key`. The link completes with the account unless it
/// is rejected (a pending account finishes the link like a verified one).
pub async fn submit(
    State(s): State<AppState>,
    Path(slug): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> ApiResult<Response> {
    let read = |o: &Obj| Ok(o.clone());
    submit_to_open(
        &s,
        slug,
        "connect",
        (headers, body),
        read,
        |tx, row: &ConnectLinkRow, obj, now| {
            let link = &row.link;
            let source = CreationSource::ConnectLink;
            let public = create_link_account(tx, link, &obj, Some(&link.uuid), source, now)?;
            // A rejected number leaves the link open so the user can fix it.
            if public.current_status != AccountStatus::Rejected {
                connect_links::complete(tx, &link.uuid, &public.uuid, now)?;
            }
            Ok((StatusCode::CREATED, to_json(&public)?))
        },
    )
    .await
}

/// `GET /connect-links/{slug}/accounts/{uuid}`: an account the link may
/// use, as it stands.
pub async fn account(
    State(s): State<AppState>,
    Path((slug, uuid)): Path<(String, String)>,
) -> ApiResult<Response> {
    check_slug(&slug)?;
    let acc = s
        .db
        .call(move |c| Ok::<_, ApiError>(account_of::<ConnectLinkRow>(c, &slug, &uuid)?.public()))
        .await?;
    json_answer(StatusCode::OK, &acc)
}
