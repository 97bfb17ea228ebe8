//! The Accounts API: creating an account (`POST /accounts/validate` and
//! `POST /accounts/connect`, one handler under two sandbox tables), reading
//! and listing accounts, disconnecting one, and finishing a pending
//! validation (`PUT /accounts/authenticate`). Every account is the
//! merchant's own: another merchant's uuid answers like an unknown one.

use crate::auth::{Merchant, VERSIONS};
use crate::body::JsonObject;
use crate::clock::now_ms;
use crate::error::{ApiError, ApiResult};
use crate::merchant::answer::{ok, ok_under};
use crate::merchant::list_query;
use crate::merchant::objects;
use crate::merchant::page::{self, Page};
use crate::secrets::Secrets;
use crate::state::AppState;
use crate::store::accounts::{self, AccountFilter, AccountRow, DisconnectRefusal, NewAccount};
use crate::store::sql::Conn;
use crate::store::{end_users, institutions};
use axum::extract::{Path, RawQuery, Request, State};
use axum::http::{HeaderName, HeaderValue, StatusCode};
use axum::response::Response;
use druo_core::dto::AccountSubtype;
use druo_core::input::{opt_string, req_string};
use druo_core::request;
use druo_core::sandbox::Flow;
use druo_core::status::{AccountRemark, AccountStatus, CreationSource, PendingAction};
use serde::Serialize;

/// `POST /accounts/validate`: an account checked under DRUO's "Account
/// Validation" sandbox table.
pub async fn validate(s: State<AppState>, m: Merchant, o: JsonObject) -> ApiResult<Response> {
    create(s, m, o, Flow::Validation).await
}

/// `POST /accounts/connect`: the same body as validate, connected under
/// DRUO's "Account Connection" sandbox table.
pub async fn connect(s: State<AppState>, m: Merchant, o: JsonObject) -> ApiResult<Response> {
    create(s, m, o, Flow::Connection).await
}

/// Creates an account for an end user from a validate/connect body, with
/// `flow`'s sandbox outcome; answers `{ "account" }`.
async fn create(
    State(s): State<AppState>,
    m: Merchant,
    JsonObject(o): JsonObject,
    flow: Flow,
) -> ApiResult<Response> {
    let req = request::account_validate(&o)?;
    answer_account(&s, move |tx, secrets, now| {
        let source = CreationSource::MerchantApi;
        // The institution's kind chooses the number rule, so it is
        // looked up before the number is judged.
        let inst = institutions::require(tx, &req.account.institution_uuid)?;
        let checked = req.account.check(&inst)?;
        let end_user = end_users::resolve(tx, secrets.sealer(), m.id, &req.end_user, source, now)?;
        let new = NewAccount {
            merchant_id: m.id,
            end_user_uuid: &end_user,
            institution: &inst,
            subtype: checked.subtype,
            account_number: &checked.account_number,
            routing_number: req.routing_number.as_deref(),
            source_connect_link: None,
            creation_source: source,
            flow,
            primary_reference: req.primary_reference.as_deref(),
            secondary_reference: req.secondary_reference.as_deref(),
            metadata: &req.metadata,
            number_key: &secrets.account_number,
        };
        Ok(accounts::create(tx, &new, now)?)
    })
    .await
}

/// Runs `work` in one write, with the service's keys and the time; the
/// account it names is answered as it then stands, under `account`.
async fn answer_account<F>(s: &AppState, work: F) -> ApiResult<Response>
where
    F: FnOnce(&Conn, &Secrets, i64) -> ApiResult<String> + Send + 'static,
{
    let secrets = s.secrets.clone();
    let account =
        s.db.write(move |tx| {
            let now = now_ms();
            let uuid = work(tx, &secrets, now)?;
            Ok::<_, ApiError>(objects::account(tx, secrets.sealer(), &uuid, now)?)
        })
        .await?;
    ok_under("account", &account)
}

/// `GET /accounts/{uuid}`: the account as it stands now (a due sandbox
/// approval is stored on this read, hence the write).
pub async fn get(
    State(s): State<AppState>,
    m: Merchant,
    Path(uuid): Path<String>,
) -> ApiResult<Response> {
    answer_account(&s, move |tx, _, _| {
        accounts::require_owned(tx, m.id, &uuid)?;
        Ok(uuid)
    })
    .await
}

/// `GET /accounts/list`: the merchant's accounts as they stand now,
/// newest first, with DRUO's filters and the connect list's paging.
pub async fn list(
    State(s): State<AppState>,
    m: Merchant,
    RawQuery(q): RawQuery,
) -> ApiResult<Response> {
    let mut f = filter(q)?;
    end_users::blind_filter(&mut f.common, s.secrets.sealer());
    let secrets = s.secrets.clone();
    let listed =
        s.db.write(move |tx| {
            let now = now_ms();
            let p = accounts::list(tx, m.id, &f, now)?;
            Ok::<_, ApiError>(Page::read(p, f.common.page_size, |u| {
                objects::account(tx, secrets.sealer(), u, now)
            })?)
        })
        .await?;
    page::answer("accounts", &listed)
}

/// The account list's query: its own filters, then the ones it shares
/// with the connect list (codes, references, dates, the end user's,
/// paging). Unknown parameters are ignored; a bad value is a 400 naming
/// it.
fn filter(q: Option<String>) -> ApiResult<AccountFilter> {
    let mut f = AccountFilter {
        common: list_query::new_filter(),
        ..Default::default()
    };
    list_query::each(q, |key, v| {
        let text = || Some(v.to_string());
        match key {
            "type" => f.kind = Some(v.to_ascii_uppercase()),
            "subtype" => f.subtype = Some(subtype(v)?),
            "current_status" => {
                f.current_status = Some(list_query::one_of(key, v, AccountStatus::ALL)?)
            }
            "institution_uuid" => f.institution_uuid = text(),
            "last_4" => f.last_4 = text(),
            _ => {
                if !list_query::shared(&mut f.common, key, v)? {
                    list_query::end_user(&mut f.common, key, v)?;
                }
            }
        }
        Ok(())
    })?;
    Ok(f)
}

/// A subtype in any case.
fn subtype(v: &str) -> ApiResult<AccountSubtype> {
    AccountSubtype::parse(v).ok_or_else(|| {
        let all = [AccountSubtype::Savings, AccountSubtype::Checking].map(AccountSubtype::code);
        ApiError::field(
            "subtype",
            "INVALID_VALUE",
            format!("`subtype` must be one of {}", all.join(", ")),
        )
    })
}

/// `PUT /accounts/{uuid}/disconnect`: `DISCONNECTED` with
/// `REQUESTED_BY_MERCHANT`, nothing pending any more; answers `{ "account"
/// }`. Disconnecting a `DISABLED` account is `409 ACCOUNT_DISABLED`.
pub async fn disconnect(
    State(s): State<AppState>,
    m: Merchant,
    Path(uuid): Path<String>,
) -> ApiResult<Response> {
    answer_account(&s, move |tx, _, now| {
        accounts::require_owned(tx, m.id, &uuid)?;
        match accounts::disconnect(tx, &uuid, now)? {
            Ok(_) => Ok(uuid),
            Err(DisconnectRefusal::Disabled) => Err(ApiError::new(
                StatusCode::CONFLICT,
                "ACCOUNT_DISABLED",
                "the account is DISABLED: it is off for good and cannot be disconnected",
            )),
        }
    })
    .await
}

/// The Authenticate Account answer, as DRUO documents it.
#[derive(Debug, Clone, Serialize)]
struct Authenticated {
    /// The account's `current_status` afterwards.
    status: AccountStatus,
    /// The pending validation the slug named: finished now, or still
    /// pending (a request the institution has not approved yet).
    action: Option<PendingAction>,
    /// The account's `remarks` afterwards.
    remarks: Option<AccountRemark>,
}

/// `PUT /accounts/authenticate`, body `{ account_uuid, slug, otp? }`:
/// finishes the pending validation `slug` of the account with the store's
/// rule (`accounts::authenticate`). An unknown slug is `404
/// UNKNOWN_SLUG`; a `CONFIRM_OTP_VIA_MICRODEPOSIT` without `otp` is `400
/// OTP_REQUIRED` and with a wrong one `422 WRONG_CODE` (the count of
/// wrong codes is kept: the third ends the account, answered as it
/// stands).
pub async fn authenticate(
    State(s): State<AppState>,
    m: Merchant,
    JsonObject(o): JsonObject,
) -> ApiResult<Response> {
    let uuid = req_string(&o, "account_uuid", 100)?;
    let slug = req_string(&o, "slug", 100)?;
    let otp = opt_string(&o, "otp", 20)?;
    // The closure answers the refusal as a value: a wrong code's count
    // must be committed, and an error would roll it back.
    let outcome =
        s.db.write(move |tx| {
            let now = now_ms();
            accounts::require_owned(tx, m.id, &uuid)?;
            let action = pending_action(&accounts::get(tx, &uuid)?, &slug);
            let done = accounts::authenticate(tx, &uuid, Some(&slug), otp.as_deref(), now)?;
            Ok::<_, ApiError>(match done {
                Ok(a) => Ok(authenticated(&a, action)),
                // The institution approved the request on this very
                // read: the slug named it, and it is finished.
                Err(accounts::AuthRefusal::UnknownSlug) if action.is_some() => {
                    Ok(authenticated(&accounts::get(tx, &uuid)?, action))
                }
                Err(refusal) => Err(refusal),
            })
        })
        .await?;
    match outcome {
        Ok(answer) => ok(&answer),
        Err(refusal) => Err(ApiError::auth_refused(refusal)),
    }
}

/// The action of `a`'s pending validation `slug`, if it has one.
fn pending_action(a: &AccountRow, slug: &str) -> Option<PendingAction> {
    a.pending_account_validations
        .iter()
        .flatten()
        .find(|p| p.slug == slug)
        .map(|p| p.action)
}

fn authenticated(a: &AccountRow, action: Option<PendingAction>) -> Authenticated {
    Authenticated {
        status: a.current_status,
        action,
        remarks: a.remarks,
    }
}

/// Gives a request without `DRUO-Version` the service's version, so
/// [`Merchant`] accepts it; a version that is sent is left for
/// [`Merchant`] to check (an unknown one is still `400 UNKNOWN_VERSION`).
/// Layered on `PUT /accounts/authenticate` only: DRUO's own curl example
/// for that call sends no `DRUO-Version`, so an integration copied from it
/// must work, while every other call keeps requiring the header.
pub async fn default_version(mut req: Request) -> Request {
    let name = HeaderName::from_static("druo-version");
    if !req.headers().contains_key(&name) {
        if let Some(v) = VERSIONS.first() {
            req.headers_mut().insert(name, HeaderValue::from_static(v));
        }
    }
    req
}
