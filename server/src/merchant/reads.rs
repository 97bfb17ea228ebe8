//! Reading outcomes: one connect or checkout link, one payment, one end
//! user, the end-user list, and expiring a connect link. Every read is of
//! the merchant's own: another merchant's uuid answers like an unknown
//! one (`404 NOT_FOUND`).

use crate::auth::Merchant;
use crate::clock::now_ms;
use crate::error::{ApiError, ApiResult};
use crate::merchant::answer::ok_under;
use crate::merchant::links::MerchantLink;
use crate::merchant::list_query;
use crate::merchant::objects::{self, TransactionObject};
use crate::merchant::page::{self, Page};
use crate::state::AppState;
use crate::store::end_users::{self, EndUserFilter};
use crate::store::error::StoreResult;
use crate::store::sql::Conn;
use crate::store::{accounts, links, payments};
use axum::extract::{Path, RawQuery, State};
use axum::response::Response;
use druo_core::request::EndUserType;

/// `GET /connect/link/{uuid}` and `GET /checkout/link/{uuid}`: the link
/// object create and list answer, under the same key as create.
pub async fn link<L: MerchantLink>(
    State(s): State<AppState>,
    m: Merchant,
    Path(uuid): Path<String>,
) -> ApiResult<Response> {
    let merchant_id = m.id;
    // A held link completes when its account's approval is due.
    on_owned::<L, _>(&s, m, uuid, move |c, _, now| {
        accounts::settle_due(c, merchant_id, now)
    })
    .await
}

/// `PUT /connect/link/{uuid}/expire`: the link expires now (`expired`
/// reads true, its page shows it expired, submits are `410
/// LINK_EXPIRED`), stored so every later read agrees; answers the link
/// object. A link that had already expired keeps its expiration.
pub async fn expire<L: MerchantLink>(
    State(s): State<AppState>,
    m: Merchant,
    Path(uuid): Path<String>,
) -> ApiResult<Response> {
    on_owned::<L, _>(&s, m, uuid, |tx, uuid, now| {
        links::expire(tx, L::KIND, uuid, now)
    })
    .await
}

/// The merchant's link `uuid` of kind `L` after `act` (on it, at a time),
/// in one write, answered as its link object; another merchant's is a 404
/// and `act` does not run.
async fn on_owned<L, F>(s: &AppState, m: Merchant, uuid: String, act: F) -> ApiResult<Response>
where
    L: MerchantLink,
    F: FnOnce(&Conn, &str, i64) -> StoreResult<()> + Send + 'static,
{
    let base = s.public_base.clone();
    let secrets = s.secrets.clone();
    let link =
        s.db.write(move |tx| {
            links::require_owned(tx, L::KIND, m.id, &uuid)?;
            let now = now_ms();
            act(tx, &uuid, now)?;
            Ok::<_, ApiError>(L::object(tx, secrets.sealer(), &uuid, &base, now)?)
        })
        .await?;
    ok_under(L::KEY, &link)
}

/// `GET /payments/{uuid}`: the Payment object a checkout link shows as
/// its `transaction`, under `payment`.
pub async fn payment(
    State(s): State<AppState>,
    m: Merchant,
    Path(uuid): Path<String>,
) -> ApiResult<Response> {
    let payment =
        s.db.call(move |c| {
            payments::require_owned(c, m.id, &uuid)?;
            Ok::<_, ApiError>(TransactionObject::from(payments::get(c, &uuid)?))
        })
        .await?;
    ok_under("payment", &payment)
}

/// `GET /end-users/{uuid}`: the End User object, under `end_user`.
pub async fn end_user(
    State(s): State<AppState>,
    m: Merchant,
    Path(uuid): Path<String>,
) -> ApiResult<Response> {
    let secrets = s.secrets.clone();
    let user =
        s.db.call(move |c| {
            if !end_users::exists(c, &uuid, Some(m.id))? {
                return Err(ApiError::not_found("end user"));
            }
            Ok(objects::end_user(c, secrets.sealer(), &uuid)?)
        })
        .await?;
    ok_under("end_user", &user)
}

/// `GET /end-users/list`: the merchant's end users, newest first, with
/// DRUO's filters and the connect list's paging.
pub async fn end_user_list(
    State(s): State<AppState>,
    m: Merchant,
    RawQuery(q): RawQuery,
) -> ApiResult<Response> {
    let mut f = end_user_filter(q)?;
    end_users::blind_filter(&mut f.common, s.secrets.sealer());
    let secrets = s.secrets.clone();
    let listed =
        s.db.call(move |c| {
            let p = end_users::list(c, m.id, &f)?;
            Ok::<_, ApiError>(Page::read(p, f.common.page_size, |u| {
                objects::end_user(c, secrets.sealer(), u)
            })?)
        })
        .await?;
    page::answer("end_users", &listed)
}

/// The end-user list's query: `type`, `first_name`, `last_name`,
/// `organization`, `email` and `local_id`, then the filters every list
/// shares (codes, references, dates, paging). `merchant_id` is ignored
/// with the other unknown parameters: the token names the merchant.
fn end_user_filter(q: Option<String>) -> ApiResult<EndUserFilter> {
    let mut f = EndUserFilter {
        common: list_query::new_filter(),
        ..Default::default()
    };
    list_query::each(q, |key, v| {
        let text = || Some(v.to_string());
        match key {
            "type" => {
                f.kind = Some(match EndUserType::read(v) {
                    Some(kind) => kind,
                    None => list_query::one_of(key, v, EndUserType::ALL)?,
                })
            }
            "first_name" => f.first_name = text(),
            "last_name" => f.last_name = text(),
            "organization" => f.organization = text(),
            // A row of this list is its own end user.
            "email" => f.common.end_user_email = text(),
            "local_id" => f.common.end_user_local_id = text(),
            _ => {
                list_query::shared(&mut f.common, key, v)?;
            }
        }
        Ok(())
    })?;
    Ok(f)
}
