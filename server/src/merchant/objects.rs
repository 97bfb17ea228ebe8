//! The merchant API's documented objects (EndUser, ConnectLink,
//! CheckoutLink, Payment, Account): every documented field, `null` where
//! unset, built from typed rows. Colours follow the kind's slot table.

use crate::store::accounts::{self, AccountRow, PendingStep};
use crate::store::checkout_links::{self, CheckoutLinkRow};
use crate::store::connect_links::{self, ConnectLinkRow};
use crate::store::end_users::{self, EndUserRow};
use crate::store::error::StoreResult;
use crate::store::links::LinkRow;
use crate::store::payments::{self, TransactionRow};
use crate::store::row::Provenance;
use crate::store::sql::Conn;
use druo_core::dto::{AccountSubtype, CheckoutTheme, ConnectTheme, InstitutionRef, IntroText};
use druo_core::request::{Address, EndUserType, PhoneNumber};
use druo_core::route::Route;
use druo_core::status::{
    AccountRemark, AccountStatus, Capability, CreationSource, DeliveryStatus, PaymentStatus,
    TransactionRemark,
};
use druo_core::time::format_iso8601;
use serde::Serialize;
use serde_json::Value;

/// The documented EndUser object.
#[derive(Debug, Clone, Serialize)]
pub struct EndUserObject {
    uuid: String,
    code: String,
    #[serde(rename = "type")]
    kind: EndUserType,
    first_name: Option<String>,
    last_name: Option<String>,
    organization: Option<String>,
    local_id: Option<String>,
    local_id_type: Option<String>,
    local_id_country: Option<String>,
    date_of_birth: Option<String>,
    email: Option<String>,
    /// `{"country_code": "57", "number": "3001234567"}`: both strings.
    phone_number: Option<PhoneNumber>,
    /// Every address key, `null` where unset.
    address: Option<Address>,
    preferred_language: Option<String>,
    note: Option<String>,
    #[serde(flatten)]
    provenance: ProvenanceFields,
}

/// The fields an end user and an account show of their [`Provenance`],
/// last in both objects.
#[derive(Debug, Clone, Serialize)]
struct ProvenanceFields {
    primary_reference: Option<String>,
    secondary_reference: Option<String>,
    metadata: Value,
    creation_source: CreationSource,
    date_created_gmt: String,
    date_updated_gmt: String,
}

impl From<Provenance> for ProvenanceFields {
    fn from(p: Provenance) -> Self {
        ProvenanceFields {
            primary_reference: p.primary_reference,
            secondary_reference: p.secondary_reference,
            metadata: p.metadata,
            creation_source: p.creation_source,
            date_created_gmt: format_iso8601(p.created_ms),
            date_updated_gmt: format_iso8601(p.updated_ms),
        }
    }
}

impl From<EndUserRow> for EndUserObject {
    fn from(u: EndUserRow) -> Self {
        let id = u.identity;
        EndUserObject {
            uuid: u.uuid,
            code: u.code,
            kind: u.kind,
            first_name: id.first_name,
            last_name: id.last_name,
            organization: id.organization,
            local_id: id.local_id,
            local_id_type: id.local_id_type,
            local_id_country: id.local_id_country,
            date_of_birth: u.date_of_birth,
            email: u.email,
            phone_number: u.phone_number,
            address: u.address,
            preferred_language: u.preferred_language,
            note: u.note,
            provenance: u.provenance.into(),
        }
    }
}

/// End user `uuid` as the merchant API shows it (its personal fields
/// opened by `sealer`).
pub fn end_user(
    conn: &Conn,
    sealer: &crate::sealed::Sealer,
    uuid: &str,
) -> StoreResult<EndUserObject> {
    end_users::get(conn, sealer, uuid).map(EndUserObject::from)
}

/// The fields both link objects take from [`LinkRow`] unchanged.
#[derive(Debug, Clone, Serialize)]
pub struct LinkFields {
    default_institution: Option<String>,
    primary_reference: Option<String>,
    secondary_reference: Option<String>,
    default_language: String,
    redirect_url: Option<String>,
    expiration_date: Option<String>,
    expired: bool,
    custom_confirmation_page: bool,
    metadata: Value,
    date_created_gmt: String,
    date_updated_gmt: String,
}

/// A documented link object (ConnectLink or CheckoutLink): what both kinds
/// show, plus the kind's own fields `E`.
#[derive(Debug, Clone, Serialize)]
pub struct LinkObject<E> {
    uuid: String,
    code: String,
    url: String,
    delivery_status: DeliveryStatus,
    end_user: EndUserObject,
    #[serde(flatten)]
    own: E,
    #[serde(flatten)]
    common: LinkFields,
}

/// The ConnectLink object's own fields.
#[derive(Debug, Clone, Serialize)]
pub struct ConnectFields {
    /// One field per connect slot, `null` when unset.
    #[serde(flatten)]
    colors: ConnectTheme,
    intro_text: IntroText,
}

/// The CheckoutLink object's own fields.
#[derive(Debug, Clone, Serialize)]
pub struct CheckoutFields {
    link_name: String,
    link_description: Option<String>,
    /// One field per checkout slot, `null` when unset.
    #[serde(flatten)]
    colors: CheckoutTheme,
    transaction: TransactionObject,
}

/// The documented ConnectLink object.
pub type ConnectLinkObject = LinkObject<ConnectFields>;

/// The documented CheckoutLink object.
pub type CheckoutLinkObject = LinkObject<CheckoutFields>;

/// A link object from its row and the kind's own fields; `route` and
/// `base` make its page's url.
fn link_object<E>(
    conn: &Conn,
    sealer: &crate::sealed::Sealer,
    l: LinkRow,
    route: Route,
    base: &str,
    now: i64,
    own: E,
) -> StoreResult<LinkObject<E>> {
    Ok(LinkObject {
        end_user: end_user(conn, sealer, &l.end_user_uuid)?,
        url: route.link_url(base, &l.slug),
        delivery_status: l.delivery_status,
        common: LinkFields {
            expired: l.expired(now),
            default_institution: l.default_institution,
            primary_reference: l.primary_reference,
            secondary_reference: l.secondary_reference,
            default_language: l.default_language,
            redirect_url: l.redirect_url,
            expiration_date: l.expiration_ms.map(format_iso8601),
            custom_confirmation_page: l.custom_confirmation_page,
            metadata: l.metadata,
            date_created_gmt: format_iso8601(l.created_ms),
            date_updated_gmt: format_iso8601(l.updated_ms),
        },
        uuid: l.uuid,
        code: l.code,
        own,
    })
}

/// Connect link `uuid` as the merchant API shows it; `base` is the origin
/// of its page.
pub fn connect_link(
    conn: &Conn,
    sealer: &crate::sealed::Sealer,
    uuid: &str,
    base: &str,
    now: i64,
) -> StoreResult<ConnectLinkObject> {
    let ConnectLinkRow {
        link,
        intro_text,
        colors,
        ..
    } = connect_links::get(conn, uuid)?;
    let own = ConnectFields { colors, intro_text };
    link_object(conn, sealer, link, Route::Connect, base, now, own)
}

/// Checkout link `uuid` as the merchant API shows it; `base` is the origin
/// of its page.
pub fn checkout_link(
    conn: &Conn,
    sealer: &crate::sealed::Sealer,
    uuid: &str,
    base: &str,
    now: i64,
) -> StoreResult<CheckoutLinkObject> {
    let CheckoutLinkRow {
        link,
        transaction_uuid,
        link_name,
        link_description,
        colors,
        ..
    } = checkout_links::get(conn, uuid)?;
    let own = CheckoutFields {
        link_name,
        link_description,
        colors,
        transaction: payments::get(conn, &transaction_uuid)?.into(),
    };
    link_object(conn, sealer, link, Route::Checkout, base, now, own)
}

/// `{ "uuid" }` of the tenant a payment goes to.
#[derive(Debug, Clone, Serialize)]
struct TenantRef {
    uuid: String,
}

/// `{ "code" }` of a payment's currency.
#[derive(Debug, Clone, Serialize)]
struct CurrencyRef {
    code: String,
}

/// The documented Payment object. Fees and extra recipients are not
/// modelled by the sandbox: always `null`.
#[derive(Debug, Clone, Serialize)]
pub struct TransactionObject {
    uuid: String,
    code: String,
    status: PaymentStatus,
    tenant: TenantRef,
    #[serde(rename = "type")]
    kind: &'static str,
    creation_source: CreationSource,
    amount: i64,
    variable_fee: Option<i64>,
    fixed_fee: Option<i64>,
    total_fee: Option<i64>,
    net_amount: Option<i64>,
    currency: CurrencyRef,
    description: Option<String>,
    remarks: Option<TransactionRemark>,
    funding_source: Option<String>,
    statement_descriptor: Option<String>,
    primary_reference: Option<String>,
    secondary_reference: Option<String>,
    metadata: Value,
    /// Always `null`: the checkout page's example documents the field, but
    /// why a payment ended travels in `remarks`, DRUO's transaction remarks
    /// (DRUO fills `decline_reason` only on refunds).
    decline_reason: Option<()>,
    auto_send_receipt: bool,
    date_created_gmt: String,
    date_updated_gmt: String,
    additional_recipients: Option<Vec<Value>>,
}

impl From<TransactionRow> for TransactionObject {
    fn from(t: TransactionRow) -> Self {
        TransactionObject {
            uuid: t.uuid,
            code: t.code,
            status: t.status,
            tenant: TenantRef {
                uuid: t.tenant_uuid,
            },
            kind: "PAYMENT",
            // Payments are only made through checkout links today.
            creation_source: CreationSource::CheckoutLink,
            amount: t.amount,
            variable_fee: None,
            fixed_fee: None,
            total_fee: None,
            net_amount: None,
            currency: CurrencyRef { code: t.currency },
            description: t.description,
            remarks: t.remarks,
            funding_source: t.account_uuid,
            statement_descriptor: t.statement_descriptor,
            primary_reference: t.primary_reference,
            secondary_reference: t.secondary_reference,
            metadata: t.metadata,
            decline_reason: None,
            auto_send_receipt: t.auto_send_receipt,
            date_created_gmt: format_iso8601(t.created_ms),
            date_updated_gmt: format_iso8601(t.updated_ms),
            additional_recipients: None,
        }
    }
}

/// The documented Account object. Disconnection is not modelled by the
/// sandbox: always `null`.
#[derive(Debug, Clone, Serialize)]
pub struct AccountObject {
    uuid: String,
    code: String,
    source_connect_link: Option<String>,
    current_status: AccountStatus,
    /// `"TRUE"` or `"FALSE"`: DRUO types it as a string.
    requires_account_validation: &'static str,
    pending_account_validations: Option<Vec<PendingStep>>,
    remarks: Option<AccountRemark>,
    institution: InstitutionRef,
    last_4: String,
    #[serde(rename = "type")]
    kind: String,
    subtype: AccountSubtype,
    capabilities: &'static [Capability],
    end_user: EndUserObject,
    disconnection_reason: Option<String>,
    disconnection_note: Option<String>,
    #[serde(flatten)]
    provenance: ProvenanceFields,
}

/// Account `uuid` as the merchant API shows it at `now`.
pub fn account(
    conn: &Conn,
    sealer: &crate::sealed::Sealer,
    uuid: &str,
    now: i64,
) -> StoreResult<AccountObject> {
    let a: AccountRow = accounts::current(conn, uuid, now)?;
    let end_user = end_user(conn, sealer, &a.end_user_uuid)?;
    let capabilities = a.current_status.capabilities();
    Ok(AccountObject {
        uuid: a.uuid,
        code: a.code,
        source_connect_link: a.source_connect_link,
        current_status: a.current_status,
        requires_account_validation: if a.requires_account_validation {
            "TRUE"
        } else {
            "FALSE"
        },
        pending_account_validations: a.pending_account_validations,
        remarks: a.remarks,
        institution: a.institution,
        last_4: a.last_4,
        kind: a.kind,
        subtype: a.subtype,
        capabilities,
        end_user,
        disconnection_reason: None,
        disconnection_note: None,
        provenance: a.provenance.into(),
    })
}

/// A list page's `page_info`.
#[derive(Debug, Clone, Serialize)]
pub struct PageInfo {
    /// Whether another page follows.
    pub has_next_page: bool,
    /// The page size asked for.
    pub page_size: usize,
    /// The cursor for the next page.
    pub next_starting_after: Option<String>,
}
