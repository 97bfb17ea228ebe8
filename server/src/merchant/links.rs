//! Creating and listing connect and checkout links: one handler each,
//! generic over the kind ([`MerchantLink`]).

use crate::auth::Merchant;
use crate::body::JsonObject;
use crate::clock::now_ms;
use crate::error::{ApiError, ApiResult};
use crate::merchant::answer::{ok, ok_under};
use crate::merchant::list_query;
use crate::merchant::objects::{self, CheckoutLinkObject, ConnectLinkObject, PageInfo};
use crate::sealed::Sealer;
use crate::state::AppState;
use crate::store::error::StoreResult;
use crate::store::links::{self, LinkKind};
use crate::store::making::Maker;
use crate::store::sql::Conn;
use crate::store::{accounts, checkout_links, connect_links};
use axum::extract::{RawQuery, State};
use axum::response::Response;
use druo_core::input::Obj;
use druo_core::request::{self, CheckoutLinkCreate, ConnectLinkCreate};
use druo_core::FieldError;
use serde::Serialize;
use serde_json::{Map, Value};

/// What the create and list calls need of a link kind: its object (the
/// implementing type), request, table and the answer's top-level keys.
pub trait MerchantLink: Serialize + Send + Sized + 'static {
    /// The validated create request.
    type Create: Send + 'static;
    /// Its table.
    const KIND: LinkKind;
    /// The create answer's top-level key.
    const KEY: &'static str;
    /// The list answer's top-level key.
    const LIST_KEY: &'static str;
    /// Validates a create body.
    fn parse(o: &Obj) -> Result<Self::Create, FieldError>;
    /// Stores a validated link for `by`'s merchant (an inline end user
    /// sealed by its sealer); returns its uuid.
    fn insert(c: &Conn, by: &Maker<'_>, req: &Self::Create) -> StoreResult<String>;
    /// Link `uuid` as the merchant API shows it.
    fn object(c: &Conn, sealer: &Sealer, uuid: &str, base: &str, now: i64) -> StoreResult<Self>;
}

/// Implements [`MerchantLink`] for a kind from its parts.
macro_rules! merchant_link {
    ($object:ty, $create:ty, $kind:ident, $key:literal, $list_key:literal,
     $parse:path, $insert:path, $read:path) => {
        impl MerchantLink for $object {
            type Create = $create;
            const KIND: LinkKind = LinkKind::$kind;
            const KEY: &'static str = $key;
            const LIST_KEY: &'static str = $list_key;

            fn parse(o: &Obj) -> Result<$create, FieldError> {
                $parse(o)
            }

            fn insert(c: &Conn, by: &Maker<'_>, req: &$create) -> StoreResult<String> {
                $insert(c, by, req)
            }

            fn object(
                c: &Conn,
                sealer: &Sealer,
                uuid: &str,
                base: &str,
                now: i64,
            ) -> StoreResult<Self> {
                $read(c, sealer, uuid, base, now)
            }
        }
    };
}

merchant_link!(
    ConnectLinkObject,
    ConnectLinkCreate,
    Connect,
    "connect_link",
    "connect_links",
    request::connect_link_create,
    connect_links::insert,
    objects::connect_link
);

merchant_link!(
    CheckoutLinkObject,
    CheckoutLinkCreate,
    Checkout,
    "checkout_link",
    "checkout_links",
    request::checkout_link_create,
    checkout_links::insert,
    objects::checkout_link
);

/// `POST /connect/link/create` and `POST /checkout/link/create`.
pub async fn create<L: MerchantLink>(
    State(s): State<AppState>,
    m: Merchant,
    JsonObject(o): JsonObject,
) -> ApiResult<Response> {
    let req = L::parse(&o)?;
    let base = s.public_base.clone();
    let secrets = s.secrets.clone();
    let link =
        s.db.write(move |tx| {
            let now = now_ms();
            let by = Maker {
                sealer: secrets.sealer(),
                merchant_id: m.id,
                now,
            };
            let uuid = L::insert(tx, &by, &req)?;
            Ok::<_, ApiError>(L::object(tx, secrets.sealer(), &uuid, &base, now)?)
        })
        .await?;
    ok_under(L::KEY, &link)
}

/// `GET /connect/link/list` and `GET /checkout/link/list`: the merchant's
/// links, newest first, filtered and paged. The checkout list is not in the
/// reference pages: it takes the connect list's filters and paging, so a
/// merchant can see each payment's current state
/// (`checkout_link.transaction`).
pub async fn list<L: MerchantLink>(
    State(s): State<AppState>,
    m: Merchant,
    RawQuery(q): RawQuery,
) -> ApiResult<Response> {
    let mut f = list_query::parse(q)?;
    crate::store::end_users::blind_filter(&mut f, s.secrets.sealer());
    let base = s.public_base.clone();
    let secrets = s.secrets.clone();
    let (items, page_info) =
        s.db.write(move |c| {
            let now = now_ms();
            // A held link completes when its account's approval is due.
            accounts::settle_due(c, m.id, now)?;
            let p = links::list(c, m.id, L::KIND, &f)?;
            let items = p
                .uuids
                .iter()
                .map(|u| L::object(c, secrets.sealer(), u, &base, now))
                .collect::<Result<Vec<L>, _>>()?;
            let info = PageInfo {
                has_next_page: p.has_next,
                page_size: f.page_size,
                next_starting_after: p.next_starting_after,
            };
            Ok::<_, ApiError>((items, info))
        })
        .await?;
    let mut page = Map::new();
    let items = serde_json::to_value(items).map_err(ApiError::internal)?;
    page.insert(L::LIST_KEY.to_string(), items);
    let info = serde_json::to_value(page_info).map_err(ApiError::internal)?;
    page.insert("page_info".to_string(), info);
    ok(&Value::Object(page))
}
