//! What the connect and checkout page APIs share: the link kind as a page
//! serves it ([`PageLink`]) with the handlers generic over it (the view,
//! the "I have confirmed" refresh, the submit to an open link), the slug
//! and open-link checks, the checks every public write passes first (same
//! origin, JSON, rate limits: [`check_write`], [`charge_each`]), the
//! idempotent submit, creating an account from a page, and the JSON
//! answer.

use crate::body::{json_object, require_json};
use crate::clock::now_ms;
use crate::error::{ApiError, ApiResult};
use crate::ids;
use crate::public::returns::Signing;
use crate::rate::{client_addr, client_bucket, Family, Limited, Write};
use crate::sealed::Sealer;
use crate::seclog::Event;
use crate::state::AppState;
use crate::store::accounts::{self, AccountRow, NewAccount};
use crate::store::error::StoreError;
use crate::store::idempotency;
use crate::store::institutions;
use crate::store::links::{self, LinkRow, StoredLink};
use crate::store::sql::Conn;
use crate::visit::{self, Asked, Target, Visit};
use axum::body::Bytes;
use axum::extract::{ConnectInfo, FromRequest, Path, Request, State};
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use druo_core::dto::{AccountHolder, LinkState, PublicAccount};
use druo_core::holder::Registered;
use druo_core::input::Obj;
use druo_core::request::account_core;
use druo_core::sandbox::Flow;
use druo_core::status::{CreationSource, DeliveryStatus};
use serde::Serialize;
use std::net::{IpAddr, SocketAddr};

/// A page's view of a link (`$view`, a `druo_core::dto` struct): the
/// fields both kinds take from the [`LinkRow`] `$l`, the service's keys
/// and clock (`$how`, a [`Signing`]), plus the kind's own `field: value`s.
/// Uses `?` on reads through `$c`.
macro_rules! link_view {
    ($view:ident, $c:expr, $l:expr, $how:expr, { $($field:ident: $value:expr),* $(,)? }) => {{
        // One read of the end user feeds the greeting and the holder line.
        let person = $crate::public::common::person($c, $how.sealer, &$l.end_user_uuid)?;
        $view {
            uuid: $l.uuid.clone(),
            merchant_name: $crate::store::merchants::get($c, $l.merchant_id)?.business_name,
            end_user_first_name: person.first_name,
            account_holder: person.holder,
            default_language: druo_core::Lang::parse(&$l.default_language).unwrap_or_default(),
            default_institution: $l.default_institution.clone(),
            redirect_url: $l.redirect_url.clone(),
            custom_confirmation_page: $l.custom_confirmation_page,
            expiration_date: $l.expiration_ms.map(druo_core::time::format_iso8601),
            state: $l.state($how.now),
            server_time: druo_core::time::format_iso8601($how.now),
            $($field: $value),*
        }
    }};
}
pub(crate) use link_view;

/// What a link's pages say of its end user.
pub struct Person {
    /// The first name, for the greeting.
    pub first_name: Option<String>,
    /// Whose account the pages expect, masked.
    pub holder: Option<AccountHolder>,
}

/// The link's end user as its pages name them: the first name, and the
/// holder masked by `druo_core::holder` before anything leaves the
/// service; one read of the row.
pub fn person(c: &Conn, sealer: &Sealer, end_user: &str) -> ApiResult<Person> {
    let u = crate::store::end_users::shown(c, sealer, end_user)?;
    let id = u.identity;
    let holder = druo_core::holder::masked(&Registered {
        company: u.company,
        first_name: id.first_name.as_deref(),
        last_name: id.last_name.as_deref(),
        organization: id.organization.as_deref(),
        local_id: id.local_id.as_deref(),
        local_id_type: id.local_id_type.as_deref(),
        local_id_country: id.local_id_country.as_deref(),
    });
    Ok(Person {
        first_name: id.first_name,
        holder,
    })
}

/// A link kind as its page's API serves it.
pub trait PageLink: StoredLink + Send + 'static {
    /// What the page shows of the link.
    type View: Serialize + Send + 'static;
    /// The page's view of the link at `how.now`, its ways back signed.
    fn view(self, c: &Conn, how: &Signing) -> ApiResult<Self::View>;
    /// `account` as this page answers it: on a connect page with the
    /// link's signed way back for it; as it is on a checkout page, whose
    /// way back is the payment's.
    fn returning(
        &self,
        c: &Conn,
        how: &Signing,
        account: PublicAccount,
    ) -> ApiResult<PublicAccount>;
    /// Whether this link's page may read and re-check account `a`.
    fn may_use(&self, a: &AccountRow) -> bool;
    /// The idempotency scope of the page's account submit.
    const ACCOUNT_SCOPE: &'static str;
    /// Where accounts connected on this page are created.
    const SOURCE: CreationSource;
    /// Which sandbox table chooses their outcome.
    const FLOW: Flow;
    /// The connect link an account made here comes from, if any.
    fn source_connect_link(&self) -> Option<&str>;
    /// What connecting `account` does to the link.
    fn connected(&self, tx: &Conn, account: &PublicAccount, now: i64) -> ApiResult<()>;
}

/// What a submit handler receives: the client's address (for the rate
/// limits; absent when the service is driven without a connection), the
/// headers and the body.
pub struct Received {
    /// The client's IP address.
    pub client: Option<IpAddr>,
    /// The request headers.
    pub headers: HeaderMap,
    /// The raw body (refused with 413 over the body limit).
    pub body: Bytes,
}

impl FromRequest<AppState> for Received {
    type Rejection = Response;

    async fn from_request(req: Request, state: &AppState) -> Result<Self, Response> {
        let peer = req.extensions().get::<ConnectInfo<SocketAddr>>();
        let headers = req.headers().clone();
        let client = client_addr(peer.map(|c| c.0.ip()), &headers, &state.trusted_proxies);
        let body = Bytes::from_request(req, state)
            .await
            .map_err(IntoResponse::into_response)?;
        Ok(Received {
            client,
            headers,
            body,
        })
    }
}

/// `POST …/accounts`: connects an account on the link's page, idempotent
/// on its `Idempotency-Key` (the kind says what that does to the link).
pub async fn submit_account<L: PageLink>(
    State(s): State<AppState>,
    Path(slug): Path<String>,
    received: Received,
) -> ApiResult<Response> {
    let read = |o: &Obj| Ok(o.clone());
    let secrets = s.secrets.clone();
    submit_to_open(
        &s,
        slug,
        WriteKind::Submit,
        L::ACCOUNT_SCOPE,
        received,
        read,
        move |tx, row: &L, obj, now| {
            let source_link = row.source_connect_link();
            let made = Made {
                source_connect_link: source_link,
                creation_source: L::SOURCE,
                flow: L::FLOW,
                number_key: &secrets.account_number,
            };
            let public = create_link_account(tx, row.link(), &obj, made, now)?;
            row.connected(tx, &public, now)?;
            let how = Signing {
                sealer: secrets.sealer(),
                now,
            };
            // Kept with the answer: a replay answers the same signed URL.
            let public = row.returning(tx, &how, public)?;
            Ok((StatusCode::CREATED, to_json(&public)?))
        },
    )
    .await
}

/// The link at `slug`, or not found.
pub fn load<L: PageLink>(c: &Conn, slug: &str) -> ApiResult<L> {
    L::by_slug(c, slug)?.ok_or_else(|| ApiError::not_found("link"))
}

/// The link at `slug` and its account `uuid`, when the link may use it
/// (else not found, as for an account that does not exist).
pub fn account_of<L: PageLink>(c: &Conn, slug: &str, uuid: &str) -> ApiResult<(L, AccountRow)> {
    let link: L = load(c, slug)?;
    let account = accounts::get(c, uuid)?;
    if !link.may_use(&account) {
        return Err(ApiError::not_found("account"));
    }
    Ok((link, account))
}

/// `GET /{connect,checkout}-links/{slug}`: the link view. The first fetch
/// that is a view (`crate::visit::visit`: not a `HEAD`, a prefetch or a
/// crawler) moves the link from CREATED to OPENED.
pub async fn view<L: PageLink>(
    State(s): State<AppState>,
    method: Method,
    headers: HeaderMap,
    Path(slug): Path<String>,
) -> ApiResult<Response> {
    let visit = visit::visit(&Asked::from_request(&method, &headers), Target::Api);
    Ok(raw_json(
        StatusCode::OK,
        read_view::<L>(&s, slug, visit).await?,
    ))
}

/// The page's view of the link at `slug` as JSON, exactly as the API
/// answers it: read by the API and by the server's render of the page
/// (`web`), and either first read that is a `visit` moves the link from
/// CREATED to OPENED.
pub async fn read_view<L: PageLink>(s: &AppState, slug: String, visit: Visit) -> ApiResult<String> {
    to_json(&read_view_visit::<L>(s, slug, visit).await?)
}

/// [`read_view`]'s view before it is written as JSON, read as a person's
/// view (the forms a person posts read it so).
pub async fn read_view_typed<L: PageLink>(s: &AppState, slug: String) -> ApiResult<L::View> {
    read_view_visit::<L>(s, slug, Visit::View).await
}

/// [`read_view_typed`] for a request [`visit::visit`] judged: only a
/// [`Visit::View`] moves a CREATED link to OPENED; a `HEAD`, a prefetch or
/// a crawler reads it as it stands. A read; only a link's first view
/// (CREATED → OPENED) is a write, and it goes through the writer's queue:
/// on SQLite a write from a read connection would wait in SQLite's busy
/// handler, which sleeps and retries (measured: docs/reliability.md).
pub async fn read_view_visit<L: PageLink>(
    s: &AppState,
    slug: String,
    visit: Visit,
) -> ApiResult<L::View> {
    check_slug(&slug)?;
    let read = slug.clone();
    let opens = visit.marks_opened();
    let secrets = s.secrets.clone();
    let seen =
        s.db.call(move |c| {
            let row: L = load(c, &read)?;
            let how = Signing {
                sealer: secrets.sealer(),
                now: now_ms(),
            };
            // An expired link is not opened by a view: it was never used.
            let expired = row.link().state(how.now) == LinkState::Expired;
            match row.link().delivery_status {
                DeliveryStatus::Created if opens && !expired => Ok::<_, ApiError>(None),
                _ => row.view(c, &how).map(Some),
            }
        })
        .await?;
    if let Some(view) = seen {
        return Ok(view);
    }
    let secrets = s.secrets.clone();
    s.db.write(move |tx| {
        let now = now_ms();
        let row: L = load(tx, &slug)?;
        // Expired meanwhile (the merchant's expire): not opened either.
        if row.link().state(now) != LinkState::Expired {
            links::advance_delivery(tx, L::KIND, &row.link().uuid, DeliveryStatus::Opened, now)?;
        }
        let how = Signing {
            sealer: secrets.sealer(),
            now,
        };
        row.view(tx, &how)
    })
    .await
}

/// `POST …/accounts/{uuid}/refresh`: the page's live wait asks for an
/// account the link may use as it stands now (the sandbox's institution
/// approves a pending request 10 s after it was made). A write like the
/// others: same origin, JSON (the page sends `{}`; the body is not read),
/// and its own rate limits ([`Family::Refresh`]). Asking the sandbox's
/// institution is a comparison with the clock, so the limits are all that
/// stands between a script and the database; a real institution's check
/// would also be spaced per account.
pub async fn refresh<L: PageLink>(
    State(s): State<AppState>,
    Path((slug, uuid)): Path<(String, String)>,
    received: Received,
) -> ApiResult<Response> {
    let at = AccountAt { slug, uuid };
    let read = |_: &Received| Ok(());
    let acc = on_account(
        &s,
        WriteKind::Refresh,
        at,
        received,
        read,
        |tx, at, how, ()| {
            let (link, _) = account_of::<L>(tx, &at.slug, &at.uuid)?;
            // Each answer signed afresh, with the account's status now.
            let acc = accounts::current(tx, &at.uuid, how.now)?.public();
            link.returning(tx, how, acc)
        },
    )
    .await?;
    json_answer(StatusCode::OK, &acc)
}

/// `POST …/accounts/{uuid}/authenticate`: the page's deposit code for an
/// account the link may use (body `{ "otp" }`), with the merchant API's
/// rule (`accounts::authenticate`). A wrong code is `422 WRONG_CODE`,
/// naming the attempts left; the third ends the account, which is
/// answered as it stands. Same origin, JSON and its own rate limits
/// ([`Family::Code`]) first.
pub async fn authenticate<L: PageLink>(
    State(s): State<AppState>,
    Path((slug, uuid)): Path<(String, String)>,
    received: Received,
) -> ApiResult<Response> {
    let at = AccountAt { slug, uuid };
    let read = |r: &Received| json_object(&r.headers, &r.body);
    let acc = on_account(
        &s,
        WriteKind::Code,
        at,
        received,
        read,
        |tx, at, how, obj| {
            // After the charge: a malformed `otp` is charged like a wrong one.
            let otp = druo_core::input::opt_string(&obj, "otp", 20)?;
            let (link, _) = account_of::<L>(tx, &at.slug, &at.uuid)?;
            match accounts::authenticate(tx, &at.uuid, None, otp.as_deref(), how.now)? {
                Ok(a) => Ok(Ok(link.returning(tx, how, a.public())?)),
                // Answered as a value: the count of wrong codes must be
                // committed, and an error would roll it back.
                Err(refusal) => Ok(Err(refusal)),
            }
        },
    )
    .await?;
    match acc {
        Ok(a) => json_answer(StatusCode::OK, &a),
        Err(refusal) => Err(ApiError::auth_refused(refusal)),
    }
}

/// The path of a page's write to an account of its link.
#[derive(Debug)]
struct AccountAt {
    /// The link's slug.
    slug: String,
    /// The account's uuid.
    uuid: String,
}

/// A page's write of `kind` to an account of its link (the live wait's
/// refresh, a deposit code): the origin and content type
/// ([`check_write`]) and the slug are checked, `read` takes what it needs
/// from the body, the write is charged to its own rate limits (see
/// [`charge_each`]), and then `work` runs in one transaction, with the
/// time to sign its answer at.
async fn on_account<V, T, F>(
    s: &AppState,
    kind: WriteKind,
    at: AccountAt,
    received: Received,
    read: impl FnOnce(&Received) -> ApiResult<V>,
    work: F,
) -> ApiResult<T>
where
    V: Send + 'static,
    T: Send + 'static,
    F: FnOnce(&Conn, &AccountAt, &Signing, V) -> ApiResult<T> + Send + 'static,
{
    check_write(s, &received.headers, kind)?;
    check_slug(&at.slug)?;
    let input = read(&received)?;
    charge_each(s, kind, &at.slug, received.client).await?;
    let secrets = s.secrets.clone();
    s.db.write(move |tx| {
        let how = Signing {
            sealer: secrets.sealer(),
            now: now_ms(),
        };
        work(tx, &at, &how, input)
    })
    .await
}

/// A submit to an open link of kind `L` (a `kind` write: an account or a
/// payment): the origin and content type ([`check_write`]), the slug, the
/// `Idempotency-Key` and the body are checked, `read` takes what it needs
/// from the body before any work, the write is charged to the link's and
/// the client's rate limits (see `crate::rate`), and then, in one
/// transaction and once per key (see [`run_idempotent`], scoped by `scope`
/// and the slug), the link is loaded and checked open and `work` runs.
pub async fn submit_to_open<L, V, F>(
    s: &AppState,
    slug: String,
    kind: WriteKind,
    scope: &str,
    received: Received,
    read: impl FnOnce(&Obj) -> ApiResult<V>,
    work: F,
) -> ApiResult<Response>
where
    L: PageLink,
    V: Send + 'static,
    F: FnOnce(&Conn, &L, V, i64) -> ApiResult<(StatusCode, String)> + Send + 'static,
{
    check_write(s, &received.headers, kind)?;
    check_slug(&slug)?;
    let submit = Submit::read(&received.headers, received.body)?;
    let input = read(&submit.obj)?;
    let write = Write {
        slug: &slug,
        client: received.client,
        scope,
        key: &submit.key,
        body: &submit.body,
    };
    let charged = s
        .rate
        .check(&s.db, &s.secrets.idempotency, write, now_ms())
        .await?;
    charged.map_err(|l| rate_limited(s, kind, received.client, l))?;
    let scope = format!("{scope}:{slug}");
    run_idempotent(s, scope, submit, move |tx, now| {
        // The link is checked and completed under its lock: two tabs (on
        // two instances) submitting at once complete it once.
        tx.lock_row(L::KIND.table(), "slug", &slug)?;
        let row: L = load(tx, &slug)?;
        check_open(row.link(), now)?;
        work(tx, &row, input, now)
    })
    .await
}

/// A public write, as the security log names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WriteKind {
    /// An account submit.
    Submit,
    /// A payment.
    Pay,
    /// The live wait's refresh.
    Refresh,
    /// A deposit code.
    Code,
}

impl WriteKind {
    /// The `path` field of its security-log lines.
    pub fn name(self) -> &'static str {
        match self {
            WriteKind::Submit => "submit",
            WriteKind::Pay => "pay",
            WriteKind::Refresh => "refresh",
            WriteKind::Code => "code",
        }
    }
}

/// Where a request says it was sent from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Site {
    /// A page of this origin (`Sec-Fetch-Site: same-origin`, or an
    /// `Origin` that is ours).
    Same,
    /// Anywhere else: another site, the same site on another origin, an
    /// address typed by the user (`Sec-Fetch-Site: none`), an opaque
    /// `Origin: null`.
    Other,
    /// Neither header: not a browser's fetch (every current browser sends
    /// `Origin` on a POST), or a very old browser.
    Unsaid,
}

/// Where the request with headers `h` says it was sent from: its
/// `Sec-Fetch-Site` when it has one (the browser's own word), else its
/// `Origin` against the link origin `public_base` or against the `Host`
/// it asked (`http` or `https`: behind a proxy the origin the browser saw
/// may not be the one configured). One judgment for the public API's
/// writes ([`check_write`]) and the pages' forms (`forms`), which differ
/// only in what they do with [`Site::Unsaid`].
pub fn request_site(h: &HeaderMap, public_base: &str) -> Site {
    if let Some(site) = h.get("sec-fetch-site") {
        return match site.to_str() {
            Ok("same-origin") => Site::Same,
            _ => Site::Other,
        };
    }
    let Some(origin) = h.get(header::ORIGIN) else {
        return Site::Unsaid;
    };
    let Ok(origin) = origin.to_str().map(str::trim) else {
        return Site::Other;
    };
    let ours = origin.eq_ignore_ascii_case(public_base.trim_end_matches('/'));
    let host = h.get(header::HOST).and_then(|v| v.to_str().ok());
    let asked = host.is_some_and(|host| {
        origin.split_once("://").is_some_and(|(scheme, authority)| {
            matches!(scheme.to_ascii_lowercase().as_str(), "http" | "https")
                && authority.eq_ignore_ascii_case(host.trim())
        })
    });
    if ours || asked {
        Site::Same
    } else {
        Site::Other
    }
}

/// The host an `Origin` names, for the security log (no scheme, port or
/// anything a hostile value could add).
fn origin_host(h: &HeaderMap) -> String {
    let origin = h
        .get(header::ORIGIN)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let authority = origin.split_once("://").map_or(origin, |(_, a)| a);
    let host = authority.split(['/', '?', '#']).next().unwrap_or("");
    // `[::1]:8080` keeps its brackets; `example.com:8080` loses its port.
    match host.rsplit_once(':') {
        Some((name, port)) if !name.is_empty() && port.bytes().all(|b| b.is_ascii_digit()) => {
            name.to_string()
        }
        _ => host.to_string(),
    }
}

/// Logs a refused cross-origin write or form (`what`: the write's kind,
/// or `form`): the `Sec-Fetch-Site` it sent and its origin's host only.
pub fn log_origin_refused(s: &AppState, h: &HeaderMap, what: &str) {
    let site = h
        .get("sec-fetch-site")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let host = origin_host(h);
    s.seclog.record(
        Event::OriginRefused,
        &[("path", what), ("sec_fetch_site", site), ("origin", &host)],
    );
}

/// What every public write checks before anything else: it comes from a
/// page of this origin ([`request_site`]; a write that says nothing is
/// refused too: a browser always says) or `403 CROSS_ORIGIN_WRITE`, and
/// its body is declared JSON or `415 UNSUPPORTED_MEDIA_TYPE` (another site
/// can only post JSON after a CORS preflight, which this origin never
/// grants). The pages' forms reach the handlers with a request of their
/// own that passes both (`forms`, which checks the real request itself).
pub fn check_write(s: &AppState, h: &HeaderMap, kind: WriteKind) -> ApiResult<()> {
    if request_site(h, &s.public_base) != Site::Same {
        log_origin_refused(s, h, kind.name());
        return Err(ApiError::new(
            StatusCode::FORBIDDEN,
            "CROSS_ORIGIN_WRITE",
            "writes are accepted only from the link's own page (`Origin` or `Sec-Fetch-Site`)",
        ));
    }
    require_json(h)
}

/// The `429` of a write refused by its rate limits, logged with the bucket
/// that refused it and a keyed hash of the client (an address is personal
/// data; the hash still tells one client's repeats apart).
fn rate_limited(s: &AppState, kind: WriteKind, client: Option<IpAddr>, l: Limited) -> ApiError {
    let who = ids::hmac_sha256_hex(
        s.secrets.idempotency.as_bytes(),
        format!("seclog\0{}", client_bucket(client)).as_bytes(),
    );
    s.seclog.record(
        Event::RateLimited,
        &[
            ("bucket", &l.bucket()),
            ("path", kind.name()),
            ("client", &who[..12]),
        ],
    );
    ApiError::rate_limited(l.wait)
}

/// Charges a refresh or a code (`kind`) posted to `slug` from `client` to
/// its family's buckets, or answers `429` with `Retry-After`.
pub async fn charge_each(
    s: &AppState,
    kind: WriteKind,
    slug: &str,
    client: Option<IpAddr>,
) -> ApiResult<()> {
    let family = match kind {
        WriteKind::Refresh => Family::Refresh,
        WriteKind::Code => Family::Code,
        WriteKind::Submit | WriteKind::Pay => Family::Write,
    };
    let charged = s
        .rate
        .check_each(&s.db, family, slug, client, now_ms())
        .await?;
    charged.map_err(|l| rate_limited(s, kind, client, l))
}

/// Longest slug we ever make, with room to spare.
const SLUG_MAX: usize = 100;

/// A JSON answer with `status`, never cached.
pub fn json_answer<T: Serialize>(status: StatusCode, v: &T) -> ApiResult<Response> {
    Ok(raw_json(status, to_json(v)?))
}

/// Serializes an answer body.
pub fn to_json<T: Serialize>(v: &T) -> ApiResult<String> {
    serde_json::to_string(v).map_err(ApiError::internal)
}

/// A JSON answer `body` with `status`, never cached (both APIs).
pub fn raw_json(status: StatusCode, body: String) -> Response {
    let mut r = (status, body).into_response();
    let h = r.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    r
}

/// Slugs are ours: anything else is not found without touching the database.
pub fn check_slug(slug: &str) -> ApiResult<()> {
    if slug.is_empty()
        || slug.len() > SLUG_MAX
        || !slug.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
    {
        return Err(ApiError::not_found("link"));
    }
    Ok(())
}

/// Refuses a submit to a link that is not open, with the one mapping of
/// `LinkState::refusal` the page reads back.
pub fn check_open(link: &LinkRow, now: i64) -> ApiResult<()> {
    match link.state(now).refusal() {
        None => Ok(()),
        Some((status, code, message)) => Err(ApiError::new(
            StatusCode::from_u16(status).unwrap_or(StatusCode::CONFLICT),
            code,
            message,
        )),
    }
}

fn idempotency_key(headers: &HeaderMap) -> ApiResult<String> {
    idempotency::valid_key(headers.get("idempotency-key")).ok_or_else(|| {
        ApiError::new(
            StatusCode::BAD_REQUEST,
            "IDEMPOTENCY_KEY_REQUIRED",
            "send an `Idempotency-Key` header (1 to 200 characters) and reuse it when retrying",
        )
    })
}

/// What makes a submit the same as another: its scope and key, and the
/// body, hashed under the service's key.
#[derive(Clone, Copy)]
struct Once<'a> {
    scope: &'a str,
    key: &'a str,
    body: &'a [u8],
    secret: &'a str,
}

/// Runs `work` once per (`scope`, `key`): a repeat with the same body
/// answers the stored result without running it again; the same key with
/// another body is a 422. The stored request hash is keyed with a server
/// secret, because bodies hold account numbers.
fn idempotent(
    tx: &Conn,
    once: &Once<'_>,
    now: i64,
    work: impl FnOnce() -> ApiResult<(StatusCode, String)>,
) -> ApiResult<(StatusCode, String)> {
    let Once {
        scope,
        key,
        body,
        secret,
    } = *once;
    let request_hash = ids::sha256_hex(&[secret.as_bytes(), body].concat());
    if idempotency::claim(tx, scope, key, &request_hash, now)? {
        let (status, answer) = work()?;
        idempotency::answer(tx, scope, key, status.as_u16(), &answer)?;
        return Ok((status, answer));
    }
    if let Some(prev) = idempotency::get(tx, scope, key)? {
        if prev.request_hash != request_hash {
            return Err(ApiError::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "IDEMPOTENCY_KEY_REUSED",
                "this Idempotency-Key was used with a different request",
            ));
        }
        return Ok((
            StatusCode::from_u16(prev.status).unwrap_or(StatusCode::OK),
            prev.body,
        ));
    }
    Err(StoreError::Dangling(format!("idempotency record {scope}")).into())
}

/// A page submit: its `Idempotency-Key` and JSON object body, checked
/// before any work.
pub struct Submit {
    /// The key, scoped by the caller.
    pub key: String,
    /// The raw body (hashed for the idempotency check).
    pub body: Bytes,
    /// The body as a JSON object.
    pub obj: Obj,
}

impl Submit {
    /// Reads the key, then the body (a missing key is reported first).
    pub fn read(headers: &HeaderMap, body: Bytes) -> ApiResult<Submit> {
        let key = idempotency_key(headers)?;
        let obj = json_object(headers, &body)?;
        Ok(Submit { key, body, obj })
    }
}

/// Runs a page submit in one transaction, once per (`scope`, key) (see
/// [`idempotent`]), and answers its JSON. `work` gets the transaction and
/// the service's clock, and returns the status and the JSON body.
pub async fn run_idempotent<F>(
    s: &AppState,
    scope: String,
    submit: Submit,
    work: F,
) -> ApiResult<Response>
where
    F: FnOnce(&Conn, i64) -> ApiResult<(StatusCode, String)> + Send + 'static,
{
    let Submit { key, body, .. } = submit;
    let secrets = s.secrets.clone();
    let (status, answer) =
        s.db.write(move |tx| {
            let now = now_ms();
            let once = Once {
                scope: &scope,
                key: &key,
                body: &body,
                secret: &secrets.idempotency,
            };
            idempotent(tx, &once, now, || work(tx, now))
        })
        .await?;
    Ok(raw_json(status, answer))
}

/// Validates an account submit and creates the account for the link's end
/// user (or finds the same account it already has); returns its public
/// view.
pub fn create_link_account(
    tx: &Conn,
    link: &LinkRow,
    obj: &Obj,
    made: Made<'_>,
    now: i64,
) -> ApiResult<PublicAccount> {
    let submitted = account_core(obj)?;
    // The institution's kind chooses the number rule, so it is looked up
    // before the number is judged.
    let inst = institutions::require(tx, &submitted.institution_uuid)?;
    let checked = submitted.check(&inst)?;
    let new = NewAccount {
        merchant_id: link.merchant_id,
        end_user_uuid: &link.end_user_uuid,
        institution: &inst,
        subtype: checked.subtype,
        account_number: &checked.account_number,
        routing_number: None,
        source_connect_link: made.source_connect_link,
        creation_source: made.creation_source,
        flow: made.flow,
        primary_reference: None,
        secondary_reference: None,
        metadata: &Obj::new(),
        number_key: made.number_key,
    };
    let uuid = accounts::create(tx, &new, now)?;
    Ok(accounts::get(tx, &uuid)?.public())
}

/// Where a page's account is made: its link, its source and its sandbox
/// table.
pub struct Made<'a> {
    /// The connect link it comes from, if any.
    pub source_connect_link: Option<&'a str>,
    /// `creation_source`.
    pub creation_source: CreationSource,
    /// The sandbox table.
    pub flow: Flow,
    /// The key of account-number fingerprints.
    pub number_key: &'a str,
}
