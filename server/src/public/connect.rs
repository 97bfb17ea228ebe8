//! The connect page's API: the link view, the account submit, and reading
//! or re-checking an account the link may use (the handlers shared with
//! checkout are in `common`, generic over [`PageLink`]).

use crate::error::{ApiError, ApiResult};
use crate::public::common::{account_of, check_slug, json_answer, link_view, PageLink};
use crate::state::AppState;
use crate::store::accounts::{self, AccountRow};
use crate::store::connect_links::{self, ConnectLinkRow};
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use druo_core::dto::{PublicAccount, PublicConnectLink};
use druo_core::status::{AccountStatus, CreationSource};
use rusqlite::{Connection, Transaction};

impl PageLink for ConnectLinkRow {
    type View = PublicConnectLink;

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

    const ACCOUNT_SCOPE: &'static str = "connect";
    const SOURCE: CreationSource = CreationSource::ConnectLink;

    fn source_connect_link(&self) -> Option<&str> {
        Some(&self.link.uuid)
    }

    /// The link completes with the account unless it is rejected (a
    /// rejected number leaves the link open so the user can fix it; a
    /// pending account finishes the link like a verified one).
    fn connected(&self, tx: &Transaction<'_>, account: &PublicAccount, now: i64) -> ApiResult<()> {
        if account.current_status != AccountStatus::Rejected {
            connect_links::complete(tx, &self.link.uuid, &account.uuid, now)?;
        }
        Ok(())
    }
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
