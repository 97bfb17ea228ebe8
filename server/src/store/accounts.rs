//! Bank accounts: created with their sandbox outcome, re-checked with the
//! institution, and read for both APIs. The full number is never stored.

use crate::ids;
use crate::store::error::{StoreError, StoreResult};
use crate::store::row;
use druo_core::dto::{
    AccountSubtype, Institution, InstitutionRef, PendingValidation, PublicAccount,
};
use druo_core::input::Obj;
use druo_core::request::{sandbox_outcome, SandboxOutcome};
use druo_core::status::{AccountRemark, AccountStatus, CreationSource, PendingAction};
use rusqlite::{params, Connection, OptionalExtension, Row};
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// A step the end user must still take, as stored and as the merchant API
/// shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PendingStep {
    /// Identifies the step.
    pub slug: String,
    /// What to do.
    pub action: PendingAction,
}

/// An account as stored, with its institution's name.
#[derive(Debug, Clone)]
pub struct AccountRow {
    /// `acc_…`
    pub uuid: String,
    /// Short locator.
    pub code: String,
    /// Owner end user.
    pub end_user_uuid: String,
    /// Where it is held.
    pub institution: InstitutionRef,
    /// The connect link it came from.
    pub source_connect_link: Option<String>,
    /// Verified, pending or rejected.
    pub current_status: AccountStatus,
    /// True while steps are pending.
    pub requires_account_validation: bool,
    /// Steps left.
    pub pending_account_validations: Option<Vec<PendingStep>>,
    /// Why it was rejected.
    pub remarks: Option<AccountRemark>,
    /// Last four digits.
    pub last_4: String,
    /// `DEPOSITORY`.
    pub kind: String,
    /// Savings or checking.
    pub subtype: AccountSubtype,
    /// Routing number, when sent.
    pub routing_number: Option<String>,
    /// Merchant reference.
    pub primary_reference: Option<String>,
    /// Merchant reference.
    pub secondary_reference: Option<String>,
    /// Key-value pairs.
    pub metadata: Value,
    /// Where it was created.
    pub creation_source: CreationSource,
    /// Created, ms since the epoch.
    pub created_ms: i64,
    /// Last changed, ms since the epoch.
    pub updated_ms: i64,
}

impl AccountRow {
    /// What a link page may show of the account, nothing more.
    pub fn public(&self) -> PublicAccount {
        PublicAccount {
            uuid: self.uuid.clone(),
            code: self.code.clone(),
            current_status: self.current_status,
            requires_account_validation: self.requires_account_validation,
            pending_account_validations: self
                .pending_account_validations
                .iter()
                .flatten()
                .map(|p| PendingValidation { action: p.action })
                .collect(),
            remarks: self.remarks,
            institution: self.institution.clone(),
            last_4: self.last_4.clone(),
            subtype: self.subtype,
        }
    }
}

fn read(r: &Row<'_>) -> rusqlite::Result<AccountRow> {
    Ok(AccountRow {
        uuid: r.get("uuid")?,
        code: r.get("code")?,
        end_user_uuid: r.get("end_user_uuid")?,
        institution: InstitutionRef {
            uuid: r.get("institution_uuid")?,
            name: r.get("institution_name")?,
        },
        source_connect_link: r.get("source_connect_link")?,
        current_status: row::spelled(r, "current_status", AccountStatus::parse)?,
        requires_account_validation: r.get("requires_account_validation")?,
        pending_account_validations: row::opt_json(r, "pending_account_validations")?,
        remarks: row::opt_spelled(r, "remarks", AccountRemark::parse)?,
        last_4: r.get("last_4")?,
        kind: r.get("type")?,
        subtype: row::spelled(r, "subtype", AccountSubtype::parse)?,
        routing_number: r.get("routing_number")?,
        primary_reference: r.get("primary_reference")?,
        secondary_reference: r.get("secondary_reference")?,
        metadata: row::json(r, "metadata")?,
        creation_source: row::spelled(r, "creation_source", CreationSource::parse)?,
        created_ms: r.get("created_ms")?,
        updated_ms: r.get("updated_ms")?,
    })
}

const SELECT: &str = "SELECT a.*, i.name AS institution_name FROM accounts a
    JOIN institutions i ON i.uuid = a.institution_uuid";

/// Everything needed to create an account.
pub struct NewAccount<'a> {
    /// Owner merchant.
    pub merchant_id: i64,
    /// Owner end user.
    pub end_user_uuid: &'a str,
    /// Institution (already checked).
    pub institution: &'a Institution,
    /// Subtype (already checked against the institution).
    pub subtype: AccountSubtype,
    /// Full number: only its last four digits are stored.
    pub account_number: &'a str,
    /// Routing number, when sent.
    pub routing_number: Option<&'a str>,
    /// Connect link it came from.
    pub source_connect_link: Option<&'a str>,
    /// Where it is created.
    pub creation_source: CreationSource,
    /// Merchant reference.
    pub primary_reference: Option<&'a str>,
    /// Merchant reference.
    pub secondary_reference: Option<&'a str>,
    /// Key-value pairs.
    pub metadata: &'a Obj,
}

/// The sandbox's answer for a number: status, whether validation is
/// required, the pending steps and the remark.
type Outcome = (
    AccountStatus,
    bool,
    Option<Vec<PendingStep>>,
    Option<AccountRemark>,
);

fn outcome(number: &str) -> Outcome {
    match sandbox_outcome(number) {
        SandboxOutcome::DoesNotExist => (
            AccountStatus::Rejected,
            false,
            None,
            Some(AccountRemark::AccountDoesNotExist),
        ),
        SandboxOutcome::NeedsInstitutionConfirmation => (
            AccountStatus::ValidationPending,
            true,
            Some(vec![PendingStep {
                slug: ids::slug(),
                action: PendingAction::ConfirmRequestWithInstitution,
            }]),
            None,
        ),
        SandboxOutcome::Verified => (AccountStatus::Verified, false, None, None),
    }
}

/// Creates an account with its sandbox outcome; returns its uuid.
pub fn insert(conn: &Connection, a: &NewAccount<'_>, now: i64) -> StoreResult<String> {
    let (status, requires, pending, remarks) = outcome(a.account_number);
    let pending = pending.map(|p| serde_json::to_string(&p)).transpose()?;
    let last_4 = &a.account_number[a.account_number.len().saturating_sub(4)..];
    let uuid = ids::prefixed_uuid("acc");
    conn.execute(
        "INSERT INTO accounts (uuid, merchant_id, code, end_user_uuid, institution_uuid, source_connect_link,
            current_status, requires_account_validation, pending_account_validations, remarks, last_4, type,
            subtype, routing_number, primary_reference, secondary_reference, metadata, creation_source,
            created_ms, updated_ms)
         VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,'DEPOSITORY',?12,?13,?14,?15,?16,?17,?18,?18)",
        params![
            uuid, a.merchant_id, ids::code("A"), a.end_user_uuid, a.institution.uuid, a.source_connect_link,
            status.as_str(), requires, pending, remarks.map(AccountRemark::as_str), last_4,
            a.subtype.code(), a.routing_number, a.primary_reference, a.secondary_reference,
            serde_json::to_string(a.metadata)?, a.creation_source.as_str(), now
        ],
    )?;
    Ok(uuid)
}

/// Account `uuid`.
pub fn get(conn: &Connection, uuid: &str) -> StoreResult<AccountRow> {
    conn.query_row(&format!("{SELECT} WHERE a.uuid = ?1"), [uuid], read)
        .optional()?
        .ok_or(StoreError::NotFound("account"))
}

/// Asks the institution for the account's status now. In the sandbox the
/// institution confirms a pending request at the first such re-check (the
/// user has said they approved it), so `VALIDATION_PENDING` becomes
/// `VERIFIED`; other statuses are final.
pub fn refresh(conn: &Connection, uuid: &str, now: i64) -> StoreResult<()> {
    conn.execute(
        "UPDATE accounts SET current_status = ?3, requires_account_validation = 0,
            pending_account_validations = NULL, updated_ms = ?2
         WHERE uuid = ?1 AND current_status = ?4",
        params![
            uuid,
            now,
            AccountStatus::Verified.as_str(),
            AccountStatus::ValidationPending.as_str()
        ],
    )?;
    Ok(())
}

/// The end user's verified accounts, newest first.
pub fn verified_of(conn: &Connection, end_user_uuid: &str) -> StoreResult<Vec<AccountRow>> {
    let mut stmt = conn.prepare(&format!(
        "{SELECT} WHERE a.end_user_uuid = ?1 AND a.current_status = ?2
         ORDER BY a.created_ms DESC, a.rowid DESC"
    ))?;
    let rows = stmt.query_map(
        params![end_user_uuid, AccountStatus::Verified.as_str()],
        read,
    )?;
    Ok(rows.collect::<Result<_, _>>()?)
}
