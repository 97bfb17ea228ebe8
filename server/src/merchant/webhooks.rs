//! The merchant's webhook endpoints (issue 26): register one, list them,
//! disable, enable or remove one, read its delivery log, and send a
//! delivery again. DRUO sets endpoints up in its portal; the form's
//! fields (URL, description, events, an optional secret, custom headers)
//! are this API's body (docs/api.md, "Webhooks").

use crate::auth::Merchant;
use crate::body::JsonObject;
use crate::clock::now_ms;
use crate::error::{ApiError, ApiResult};
use crate::merchant::answer::{ok, ok_under};
use crate::seclog::Event;
use crate::state::AppState;
use crate::store::webhooks::{self, Delivery, DeliveryRow, Endpoint, NewEndpoint};
use axum::extract::{Path, RawQuery, State};
use axum::http::StatusCode;
use axum::response::Response;
use druo_core::time::format_iso8601;
use druo_core::webhook::create_request;
use serde::Serialize;
use serde_json::{json, Map, Value};

/// An endpoint as the API answers it. Its secret is answered once, when
/// it is registered.
#[derive(Debug, Clone, Serialize)]
pub struct WebhookObject {
    /// `whk_…`
    pub uuid: String,
    /// Where deliveries go.
    pub url: String,
    /// A label for people.
    pub description: Option<String>,
    /// The events it gets; `null`: every event.
    pub events: Option<Vec<&'static str>>,
    /// The key of its signatures: only in the answer that registers it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub secret: Option<String>,
    /// The names of the headers sent with each delivery (their values
    /// are not answered again).
    pub headers: Vec<String>,
    /// Whether it gets new events.
    pub enabled: bool,
    /// When it was registered, ISO-8601.
    pub date_created: String,
}

impl WebhookObject {
    fn from(e: Endpoint, with_secret: bool) -> Self {
        WebhookObject {
            uuid: e.uuid,
            url: e.url,
            description: e.description,
            events: e.events.map(|l| l.iter().map(|e| e.as_str()).collect()),
            secret: with_secret.then_some(e.secret),
            headers: e.headers.keys().cloned().collect(),
            enabled: e.disabled_ms.is_none(),
            date_created: format_iso8601(e.created_ms),
        }
    }
}

/// `POST /webhooks/create`: body `{ "url", "description"?, "events"?,
/// "secret"?, "headers"? }`; answers `{ "webhook" }` with its secret (the
/// one sent, or one made here).
pub async fn create(
    State(s): State<AppState>,
    m: Merchant,
    JsonObject(o): JsonObject,
) -> ApiResult<Response> {
    let req = create_request(&o, s.webhook_allow)?;
    let secret = req
        .secret
        .clone()
        .unwrap_or_else(crate::ids::webhook_secret);
    let secrets = s.secrets.clone();
    let endpoint =
        s.db.write(move |tx| {
            let sealer = secrets.sealer();
            let new = NewEndpoint {
                merchant_id: m.id,
                url: &req.url,
                description: req.description.as_deref(),
                events: req.events.as_deref(),
                secret: &secret,
                headers: &req.headers,
            };
            let uuid = webhooks::insert(tx, sealer, &new, now_ms())?;
            Ok::<_, ApiError>(webhooks::get(tx, sealer, m.id, &uuid)?)
        })
        .await?;
    s.seclog.record(
        Event::WebhookAdded,
        &[
            ("merchant_id", &m.id.to_string()),
            ("webhook", &endpoint.uuid),
        ],
    );
    ok_under("webhook", &WebhookObject::from(endpoint, true))
}

/// `GET /webhooks/list`: every endpoint of the merchant, oldest first,
/// under `webhooks` (without secrets).
pub async fn list(State(s): State<AppState>, m: Merchant) -> ApiResult<Response> {
    let secrets = s.secrets.clone();
    let all =
        s.db.call(move |c| Ok::<_, ApiError>(webhooks::list(c, secrets.sealer(), m.id)?))
            .await?;
    let objects: Vec<_> = all
        .into_iter()
        .map(|e| WebhookObject::from(e, false))
        .collect();
    ok_under("webhooks", &objects)
}

/// `PUT /webhooks/{uuid}/disable` and `/enable`: answers `{ "webhook" }`.
pub async fn set_enabled<const ENABLED: bool>(
    State(s): State<AppState>,
    m: Merchant,
    Path(uuid): Path<String>,
) -> ApiResult<Response> {
    let secrets = s.secrets.clone();
    let endpoint =
        s.db.write(move |tx| {
            webhooks::set_enabled(tx, m.id, &uuid, ENABLED, now_ms())?;
            Ok::<_, ApiError>(webhooks::get(tx, secrets.sealer(), m.id, &uuid)?)
        })
        .await?;
    ok_under("webhook", &WebhookObject::from(endpoint, false))
}

/// `DELETE /webhooks/{uuid}`: removes it and its delivery log; answers
/// `{ "webhook": { "uuid", "deleted": true } }`.
pub async fn delete(
    State(s): State<AppState>,
    m: Merchant,
    Path(uuid): Path<String>,
) -> ApiResult<Response> {
    let gone = uuid.clone();
    s.db.write(move |tx| Ok::<_, ApiError>(webhooks::delete(tx, m.id, &gone)?))
        .await?;
    s.seclog.record(
        Event::WebhookRemoved,
        &[("merchant_id", &m.id.to_string()), ("webhook", &uuid)],
    );
    ok_under("webhook", &json!({ "uuid": uuid, "deleted": true }))
}

/// A delivery as the log answers it.
#[derive(Debug, Clone, Serialize)]
pub struct DeliveryObject {
    /// Its fields as stored.
    #[serde(flatten)]
    pub delivery: Delivery,
    /// When it was last tried.
    pub last_attempt: Option<String>,
    /// When it will be tried next, while pending.
    pub next_attempt: Option<String>,
    /// When the endpoint took it.
    pub delivered: Option<String>,
    /// When the event happened.
    pub date_created: String,
}

impl From<DeliveryRow> for DeliveryObject {
    fn from(d: DeliveryRow) -> Self {
        let pending = d.delivery.state == "PENDING";
        DeliveryObject {
            delivery: d.delivery,
            last_attempt: d.last_ms.map(format_iso8601),
            next_attempt: pending.then(|| format_iso8601(d.next_ms)),
            delivered: d.delivered_ms.map(format_iso8601),
            date_created: format_iso8601(d.created_ms),
        }
    }
}

/// `GET /webhooks/{uuid}/deliveries`: the endpoint's log, newest first,
/// `page_size` (1 to 100, 25) at a time after `starting_after` (an id).
pub async fn deliveries(
    State(s): State<AppState>,
    m: Merchant,
    Path(uuid): Path<String>,
    RawQuery(query): RawQuery,
) -> ApiResult<Response> {
    let (page_size, after) = page_of(query.as_deref().unwrap_or(""))?;
    let secrets = s.secrets.clone();
    let mut rows =
        s.db.call(move |c| {
            webhooks::get(c, secrets.sealer(), m.id, &uuid)?;
            Ok::<_, ApiError>(webhooks::deliveries(c, &uuid, after, page_size + 1)?)
        })
        .await?;
    let has_next_page = rows.len() > page_size;
    rows.truncate(page_size);
    let next = rows
        .last()
        .filter(|_| has_next_page)
        .map(|d| d.delivery.id.to_string());
    let items: Vec<DeliveryObject> = rows.into_iter().map(DeliveryObject::from).collect();
    let mut m = Map::new();
    m.insert(
        "deliveries".into(),
        serde_json::to_value(items).map_err(ApiError::internal)?,
    );
    m.insert(
        "page_info".into(),
        json!({ "has_next_page": has_next_page, "page_size": page_size, "next_starting_after": next }),
    );
    ok(&Value::Object(m))
}

/// `page_size` and `starting_after` of a log query.
fn page_of(query: &str) -> ApiResult<(usize, Option<i64>)> {
    let mut size = 25;
    let mut after = None;
    for (k, v) in druo_core::url::parse_query(query) {
        match k.as_str() {
            "page_size" => {
                size = v
                    .parse()
                    .ok()
                    .filter(|n| (1..=100).contains(n))
                    .ok_or_else(|| {
                        ApiError::field(
                            "page_size",
                            "INVALID_VALUE",
                            "`page_size` must be a whole number from 1 to 100",
                        )
                    })?
            }
            "starting_after" => {
                after = Some(v.parse().map_err(|_| {
                    ApiError::field(
                        "starting_after",
                        "UNKNOWN_CURSOR",
                        "`starting_after` must be a delivery id",
                    )
                })?)
            }
            _ => {}
        }
    }
    Ok((size, after))
}

/// `POST /webhooks/{uuid}/deliveries/{id}/redeliver`: sends it again now,
/// with a new three-day window; answers `{ "delivery" }`, or `409
/// DELIVERY_IN_FLIGHT` while a sender is trying it.
pub async fn redeliver(
    State(s): State<AppState>,
    m: Merchant,
    Path((uuid, id)): Path<(String, i64)>,
) -> ApiResult<Response> {
    let secrets = s.secrets.clone();
    let row =
        s.db.write(move |tx| {
            webhooks::get(tx, secrets.sealer(), m.id, &uuid)?;
            if !webhooks::redeliver(tx, &uuid, id, now_ms())? {
                return Err(ApiError::new(
                    StatusCode::CONFLICT,
                    "DELIVERY_IN_FLIGHT",
                    "the delivery is being sent now; ask again once it is tried",
                ));
            }
            let all = webhooks::deliveries(tx, &uuid, Some(id + 1), 1)?;
            all.into_iter()
                .next()
                .ok_or_else(|| ApiError::not_found("delivery"))
        })
        .await?;
    ok_under("delivery", &DeliveryObject::from(row))
}
