//! The connect page's API: the link view, the account submit, and reading
//! or re-checking an account the link may use (the handlers shared with
//! checkout are in `common`, generic over [`PageLink`]).

use crate::clock::now_ms;
use crate::error::ApiResult;
use crate::public::common::{account_of, check_slug, json_answer, link_view, PageLink};
use crate::public::returns::{account_return, Signing};
use crate::state::AppState;
use crate::store::accounts::{self, AccountRow};
use crate::store::connect_links::{self, ConnectLinkRow};
use crate::store::error::expect_one;
use crate::store::sql::Conn;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use druo_core::dto::{PublicAccount, PublicConnectLink};
use druo_core::sandbox::Flow;
use druo_core::status::{AccountStage, CreationSource};

impl PageLink for ConnectLinkRow {
    type View = PublicConnectLink;

    /// What the page shows of the link: no metadata, references or ids;
    /// the account it was completed with (or is held for), as it stands
    /// now. Reading it may connect a held account, which completes the
    /// link, so the link is read again after it.
    fn view(self, c: &Conn, how: &Signing) -> ApiResult<PublicConnectLink> {
        let now = how.now;
        let held = self.account_uuid.as_deref();
        let outcome = held.map(|u| accounts::current(c, u, now)).transpose()?;
        let row = connect_links::get(c, &self.link.uuid)?;
        let outcome = outcome
            .map(|a| account_return(c, how, &row.link, a.public()))
            .transpose()?;
        let l = &row.link;
        Ok(link_view!(PublicConnectLink, c, l, how, {
            intro_text: row.intro_text,
            theme_vars: druo_core::theme::resolve_connect(&row.colors).theme_vars(),
            theme: row.colors,
            outcome: outcome,
        }))
    }

    /// With the link's way back, signed.
    fn returning(
        &self,
        c: &Conn,
        how: &Signing,
        account: PublicAccount,
    ) -> ApiResult<PublicAccount> {
        Ok(account_return(c, how, &self.link, account)?)
    }

    /// An account made through this link, or the end user's existing
    /// account the link was completed with.
    fn may_use(&self, a: &AccountRow) -> bool {
        a.source_connect_link.as_deref() == Some(self.link.uuid.as_str())
            || self.account_uuid.as_deref() == Some(a.uuid.as_str())
    }

    const ACCOUNT_SCOPE: &'static str = "connect";
    const FLOW: Flow = Flow::Connection;
    const SOURCE: CreationSource = CreationSource::ConnectLink;

    fn source_connect_link(&self) -> Option<&str> {
        Some(&self.link.uuid)
    }

    /// The link completes with a connected account, or one with nothing
    /// left for the person to do (`CREATED`); it is held for an account
    /// whose pending validation the person is finishing (it completes when
    /// that account connects); an attempt that ended leaves it open for
    /// another account.
    fn connected(&self, tx: &Conn, account: &PublicAccount, now: i64) -> ApiResult<()> {
        let uuid = &self.link.uuid;
        match account.current_status.stage() {
            AccountStage::Ended => {}
            // Under the link's lock, checked open: each changes its one row.
            AccountStage::Settling if account.requires_account_validation => expect_one(
                connect_links::hold(tx, uuid, &account.uuid, now)?,
                "held link",
            )?,
            _ => expect_one(
                connect_links::complete(tx, uuid, &account.uuid, now)?,
                "completed link",
            )?,
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
    let secrets = s.secrets.clone();
    let acc =
        s.db.call(move |c| {
            let (link, _) = account_of::<ConnectLinkRow>(c, &slug, &uuid)?;
            let how = Signing {
                sealer: secrets.sealer(),
                now: now_ms(),
            };
            let acc = accounts::current(c, &uuid, how.now)?.public();
            link.returning(c, &how, acc)
        })
        .await?;
    json_answer(StatusCode::OK, &acc)
}
