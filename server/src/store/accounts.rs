//! Bank and wallet accounts: created with their sandbox outcome (or found
//! again when the end user already has the same one), re-checked with the
//! institution, and read for both APIs. The full number is never stored:
//! only its last four digits and a keyed fingerprint.

use crate::ids;
use crate::store::error::{StoreError, StoreResult};
use crate::store::row::{self, Provenance};
use crate::store::secrets;
use druo_core::dto::{
    AccountSubtype, Institution, InstitutionRef, PendingValidation, PublicAccount,
};
use druo_core::input::Obj;
use druo_core::request::{sandbox_outcome, SandboxOutcome};
use druo_core::status::{AccountRemark, AccountStatus, CreationSource, PendingAction};
use druo_core::time::format_iso8601;
use rusqlite::{params, Connection, OptionalExtension, Row};
use serde::{Deserialize, Serialize};

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
    /// References, metadata, source and times.
    pub provenance: Provenance,
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
            date_created: Some(format_iso8601(self.provenance.created_ms)),
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
        provenance: Provenance::read(r)?,
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
    /// Full number (already checked by the institution's kind): only its
    /// last four digits and its keyed fingerprint are stored.
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

/// The keyed fingerprint of an account number: equal numbers match, and
/// the secret keeps it from being reversed by trying every number.
fn fingerprint(conn: &Connection, number: &str) -> StoreResult<String> {
    let secret = secrets::get_or_create(conn, "account-number")?;
    Ok(ids::hmac_sha256_hex(secret.as_bytes(), number.as_bytes()))
}

/// The end user's account at the same institution, of the same subtype and
/// number, unless rejected (a rejected one is no account to reuse).
fn same_account(
    conn: &Connection,
    a: &NewAccount<'_>,
    fingerprint: &str,
) -> StoreResult<Option<String>> {
    Ok(conn
        .query_row(
            "SELECT uuid FROM accounts WHERE end_user_uuid = ?1 AND institution_uuid = ?2
               AND subtype = ?3 AND number_fingerprint = ?4 AND current_status != ?5
             ORDER BY created_ms DESC, rowid DESC LIMIT 1",
            params![
                a.end_user_uuid,
                a.institution.uuid,
                a.subtype.code(),
                fingerprint,
                AccountStatus::Rejected.as_str()
            ],
            |r| r.get(0),
        )
        .optional()?)
}

/// Creates an account with its sandbox outcome and returns its uuid; when
/// the end user already has the same account (institution, subtype and
/// number, not rejected), returns that one's uuid instead: one account,
/// never a duplicate.
pub fn create(conn: &Connection, a: &NewAccount<'_>, now: i64) -> StoreResult<String> {
    let fingerprint = fingerprint(conn, a.account_number)?;
    if let Some(existing) = same_account(conn, a, &fingerprint)? {
        return Ok(existing);
    }
    let (status, requires, pending, remarks) = outcome(a.account_number);
    let pending = pending.map(|p| serde_json::to_string(&p)).transpose()?;
    let last_4 = &a.account_number[a.account_number.len().saturating_sub(4)..];
    let uuid = ids::prefixed_uuid("acc");
    conn.execute(
        "INSERT INTO accounts (uuid, merchant_id, code, end_user_uuid, institution_uuid, source_connect_link,
            current_status, requires_account_validation, pending_account_validations, remarks, last_4, type,
            subtype, routing_number, primary_reference, secondary_reference, metadata, creation_source,
            created_ms, updated_ms, number_fingerprint)
         VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,'DEPOSITORY',?12,?13,?14,?15,?16,?17,?18,?18,?19)",
        params![
            uuid, a.merchant_id, ids::code("A"), a.end_user_uuid, a.institution.uuid, a.source_connect_link,
            status.as_str(), requires, pending, remarks.map(AccountRemark::as_str), last_4,
            a.subtype.code(), a.routing_number, a.primary_reference, a.secondary_reference,
            serde_json::to_string(a.metadata)?, a.creation_source.as_str(), now, fingerprint
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
