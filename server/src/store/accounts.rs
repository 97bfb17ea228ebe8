//! Bank and wallet accounts: created with their sandbox outcome (or found
//! again when the end user already has the same one), re-checked with the
//! institution, and read for both APIs. The full number is never stored:
//! only its last four digits and a keyed fingerprint.

use crate::ids;
use crate::store::error::{StoreError, StoreResult};
use crate::store::row::{self, Provenance};
use crate::store::sql::{params, Conn, OptionalExt, Row};
use crate::store::webhooks::{self, Change};
use druo_core::dto::{
    AccountSubtype, Institution, InstitutionRef, PendingValidation, PublicAccount,
};
use druo_core::input::Obj;
use druo_core::sandbox::{self, account_outcome, CodeCheck, Flow};
use druo_core::status::{AccountRemark, AccountStatus, CreationSource, PendingAction};
use druo_core::time::format_iso8601;
use druo_core::webhook::EventType;
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
    /// DRUO's account status.
    pub current_status: AccountStatus,
    /// True while steps are pending.
    pub requires_account_validation: bool,
    /// Steps left.
    pub pending_account_validations: Option<Vec<PendingStep>>,
    /// Why it ended as it did.
    pub remarks: Option<AccountRemark>,
    /// Wrong deposit codes so far (`CONFIRM_OTP_VIA_MICRODEPOSIT`).
    pub otp_wrong: u32,
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
    /// The pending validation the person must finish, if any.
    pub fn pending(&self) -> Option<&PendingStep> {
        self.pending_account_validations.iter().flatten().next()
    }

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
                .map(|p| PendingValidation {
                    action: p.action,
                    attempts_left: (p.action == PendingAction::ConfirmOtpViaMicrodeposit)
                        .then(|| sandbox::DEPOSIT_CODE_ATTEMPTS.saturating_sub(self.otp_wrong)),
                })
                .collect(),
            remarks: self.remarks,
            institution: self.institution.clone(),
            last_4: self.last_4.clone(),
            subtype: self.subtype,
            date_created: Some(format_iso8601(self.provenance.created_ms)),
            return_url: None,
        }
    }
}

fn read(r: &Row) -> StoreResult<AccountRow> {
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
        otp_wrong: r.get("otp_wrong")?,
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
    /// Which sandbox table chooses its outcome.
    pub flow: Flow,
    /// Merchant reference.
    pub primary_reference: Option<&'a str>,
    /// Merchant reference.
    pub secondary_reference: Option<&'a str>,
    /// Key-value pairs.
    pub metadata: &'a Obj,
    /// The key of account-number fingerprints (the service's `secrets`).
    pub number_key: &'a str,
}

/// The sandbox's answer for a number under `flow`: status, the pending
/// step (with a slug of its own) and the remark.
fn outcome(
    flow: Flow,
    number: &str,
) -> (
    AccountStatus,
    Option<Vec<PendingStep>>,
    Option<AccountRemark>,
) {
    let o = account_outcome(flow, number);
    let pending = o.action.map(|action| {
        vec![PendingStep {
            slug: ids::slug(),
            action,
        }]
    });
    (o.status, pending, o.remark)
}

/// The statuses that ended an attempt, as SQL's `IN (…)` list: such an
/// account is no account to reuse.
fn ended_list() -> String {
    AccountStatus::ALL
        .iter()
        .filter(|s| s.ended())
        .map(|s| format!("'{}'", s.as_str()))
        .collect::<Vec<_>>()
        .join(",")
}

/// The keyed fingerprint of an account number: equal numbers match, and
/// the secret keeps it from being reversed by trying every number.
fn fingerprint(key: &str, number: &str) -> String {
    ids::hmac_sha256_hex(key.as_bytes(), number.as_bytes())
}

/// The end user's account at the same institution, of the same subtype and
/// number, unless its attempt ended (failed, disconnected or disabled).
fn same_account(conn: &Conn, a: &NewAccount<'_>, fingerprint: &str) -> StoreResult<Option<String>> {
    let sql = format!(
        "SELECT uuid FROM accounts WHERE end_user_uuid = ?1 AND institution_uuid = ?2
           AND subtype = ?3 AND number_fingerprint = ?4 AND current_status NOT IN ({})
         ORDER BY created_ms DESC, rowid DESC LIMIT 1",
        ended_list()
    );
    conn.query_row(
        &sql,
        params![
            a.end_user_uuid,
            a.institution.uuid,
            a.subtype.code(),
            fingerprint
        ],
        |r| r.get(0),
    )
    .optional()
}

/// Creates an account with its sandbox outcome and returns its uuid; when
/// the end user already has the same account (institution, subtype and
/// number, not ended), returns that one's uuid instead: one account, never
/// a duplicate.
pub fn create(conn: &Conn, a: &NewAccount<'_>, now: i64) -> StoreResult<String> {
    // One end user's accounts are made one at a time, so two submits of
    // the same number (two links, two instances) find each other.
    conn.lock_row("end_users", "uuid", a.end_user_uuid)?;
    let fingerprint = fingerprint(a.number_key, a.account_number);
    if let Some(existing) = same_account(conn, a, &fingerprint)? {
        return Ok(existing);
    }
    let (status, pending, remarks) = outcome(a.flow, a.account_number);
    let requires = pending.is_some();
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
    // A new account is a status change from nothing: the merchant learns
    // of a pending one too.
    let change = Change {
        merchant_id: a.merchant_id,
        event: EventType::AccountStatusChanged,
        object: &uuid,
        from: None,
        to: status.as_str(),
        at: None,
    };
    webhooks::emit(conn, &change, now)?;
    Ok(uuid)
}

/// Account `a`'s status change to `to`, as a webhook event.
fn emit_status(conn: &Conn, a: &AccountRow, to: AccountStatus, now: i64) -> StoreResult<()> {
    if a.current_status == to {
        return Ok(());
    }
    let change = Change {
        merchant_id: 0,
        event: EventType::AccountStatusChanged,
        object: &a.uuid,
        from: Some(a.current_status.as_str()),
        to: to.as_str(),
        at: None,
    };
    webhooks::emit_for(conn, "accounts", change, now)?;
    Ok(())
}

/// Account `uuid`.
pub fn get(conn: &Conn, uuid: &str) -> StoreResult<AccountRow> {
    conn.query_row(&format!("{SELECT} WHERE a.uuid = ?1"), params![uuid], read)
        .optional()?
        .ok_or(StoreError::NotFound("account"))
}

/// Account `uuid` as it stands at `now`: the sandbox's institution
/// approves a `CONFIRM_REQUEST_WITH_INSTITUTION` request 10 s after it
/// was made (`druo_core::sandbox::approved`), and the approval is stored
/// the first time anyone reads the account after that.
pub fn current(conn: &Conn, uuid: &str, now: i64) -> StoreResult<AccountRow> {
    let a = get(conn, uuid)?;
    let action = a.pending().map(|p| p.action);
    match sandbox::approved(a.current_status, action, a.provenance.created_ms, now) {
        // Due: lock the account and decide again on what is committed
        // now, so two readers (two instances) settle it once.
        Some(_) => conn.atomic(|c| {
            c.lock_row("accounts", "uuid", uuid)?;
            let a = get(c, uuid)?;
            let action = a.pending().map(|p| p.action);
            if let Some(status) =
                sandbox::approved(a.current_status, action, a.provenance.created_ms, now)
            {
                settle(c, &a, status, None, now)?;
            }
            get(c, uuid)
        }),
        None => Ok(a),
    }
}

/// Ends `a`'s pending validation with `status` (and `remark`): nothing is
/// pending any more, and a connect link held for it completes with it
/// once it is usable.
fn settle(
    conn: &Conn,
    a: &AccountRow,
    status: AccountStatus,
    remark: Option<AccountRemark>,
    now: i64,
) -> StoreResult<()> {
    conn.execute(
        "UPDATE accounts SET current_status = ?2, requires_account_validation = 0,
            pending_account_validations = NULL, remarks = ?3, updated_ms = ?4
         WHERE uuid = ?1",
        params![
            a.uuid,
            status.as_str(),
            remark.map(AccountRemark::as_str),
            now
        ],
    )?;
    emit_status(conn, a, status, now)?;
    if let (true, Some(link)) = (status.usable(), &a.source_connect_link) {
        crate::store::connect_links::complete_held(conn, link, &a.uuid, now)?;
    }
    Ok(())
}

/// Why an authentication was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AuthRefusal {
    /// No pending validation has that slug.
    UnknownSlug,
    /// The pending validation needs a deposit code and none was sent.
    CodeRequired,
    /// A wrong deposit code, with attempts left.
    WrongCode {
        /// Attempts left.
        left: u32,
    },
}

/// Finishes account `uuid`'s pending validation (`PUT
/// /accounts/authenticate`, and the page's deposit code): `slug` names
/// it (the page, which never sees slugs, sends `None` for the account's
/// only one); a `CONFIRM_OTP_VIA_MICRODEPOSIT` takes `otp`
/// (`druo_core::sandbox::check_code`: three wrong codes end the account
/// with `AUTHENTICATION_FAILED`); a `CONFIRM_REQUEST_WITH_INSTITUTION` is
/// finished by the institution, so authenticating it only reads it as it
/// stands. Answers the account afterwards, or why it was refused.
pub fn authenticate(
    conn: &Conn,
    uuid: &str,
    slug: Option<&str>,
    otp: Option<&str>,
    now: i64,
) -> StoreResult<Result<AccountRow, AuthRefusal>> {
    // Codes for one account are judged one at a time: the count of wrong
    // ones is read and written under the account's lock.
    if !conn.lock_row("accounts", "uuid", uuid)? {
        return Err(StoreError::NotFound("account"));
    }
    let a = current(conn, uuid, now)?;
    let Some(step) = a
        .pending()
        .filter(|p| slug.is_none_or(|s| s == p.slug))
        .cloned()
    else {
        // Nothing pending (any more): a slug that named one is unknown.
        return Ok(match slug {
            Some(_) => Err(AuthRefusal::UnknownSlug),
            None => Ok(a),
        });
    };
    if step.action != PendingAction::ConfirmOtpViaMicrodeposit {
        return Ok(Ok(a));
    }
    let Some(otp) = otp.filter(|o| !o.trim().is_empty()) else {
        return Ok(Err(AuthRefusal::CodeRequired));
    };
    match sandbox::check_code(a.current_status, otp, a.otp_wrong) {
        CodeCheck::Accepted(status) => settle(conn, &a, status, None, now)?,
        CodeCheck::Exhausted(status) => settle(
            conn,
            &a,
            status,
            Some(AccountRemark::AuthenticationFailed),
            now,
        )?,
        CodeCheck::Refused { left } => {
            conn.execute(
                "UPDATE accounts SET otp_wrong = otp_wrong + 1, updated_ms = ?2 WHERE uuid = ?1",
                params![uuid, now],
            )?;
            return Ok(Err(AuthRefusal::WrongCode { left }));
        }
    }
    Ok(Ok(get(conn, uuid)?))
}

/// The end user's usable (connected) accounts, newest first.
pub fn usable_of(conn: &Conn, end_user_uuid: &str) -> StoreResult<Vec<AccountRow>> {
    conn.query_map(
        &format!(
            "{SELECT} WHERE a.end_user_uuid = ?1 AND a.current_status = ?2
             ORDER BY a.created_ms DESC, a.rowid DESC"
        ),
        params![end_user_uuid, AccountStatus::Connected.as_str()],
        read,
    )
}

/// Checks that account `uuid` belongs to `merchant_id`: not found when it
/// does not exist or is another merchant's, the same answer.
pub fn require_owned(conn: &Conn, merchant_id: i64, uuid: &str) -> StoreResult<()> {
    if crate::store::links::owns(conn, "accounts", merchant_id, uuid)? {
        Ok(())
    } else {
        Err(StoreError::NotFound("account"))
    }
}

/// Filters of `GET /accounts/list`, already validated: the filters it
/// shares with the connect list (code, uuid, references, dates, the end
/// user's, paging; `delivery_status` is never set) and the account's own.
#[derive(Debug, Default, Clone)]
pub struct AccountFilter {
    /// The shared filters and the page.
    pub common: crate::store::links::ListFilter,
    /// Exact `type`, upper-case (`DEPOSITORY`).
    pub kind: Option<String>,
    /// Exact subtype.
    pub subtype: Option<AccountSubtype>,
    /// Exact status, as the account stands at the time of the list.
    pub current_status: Option<AccountStatus>,
    /// Exact institution uuid.
    pub institution_uuid: Option<String>,
    /// Exact last four digits.
    pub last_4: Option<String>,
}

/// Stores the sandbox institution's approval of every account of
/// `merchant_id` it has approved by `now` (see [`current`]), so a list
/// filtered by status sees each account as a read of it would, and a
/// connect link held for one reads completed.
pub fn settle_due(conn: &Conn, merchant_id: i64, now: i64) -> StoreResult<()> {
    // Only a request to the institution is approved by waiting.
    let due: Vec<String> = conn.query_map(
        "SELECT uuid FROM accounts
         WHERE merchant_id = ?1 AND requires_account_validation = 1 AND created_ms <= ?2
           AND instr(pending_account_validations, ?3) > 0",
        params![
            merchant_id,
            now - sandbox::INSTITUTION_APPROVES_AFTER_MS,
            PendingAction::ConfirmRequestWithInstitution.as_str()
        ],
        |r| r.get(0),
    )?;
    for uuid in due {
        current(conn, &uuid, now)?;
    }
    Ok(())
}

/// The merchants with an enabled webhook endpoint and an account whose
/// sandbox approval is due by `now`: a read, so the webhook sender asks
/// every second and writes ([`settle_due`]) only when one is due, and
/// the approval's event goes out without anyone reading the account.
pub fn due_for_webhooks(conn: &Conn, now: i64) -> StoreResult<Vec<i64>> {
    conn.query_map(
        "SELECT DISTINCT merchant_id FROM accounts
         WHERE merchant_id IN (SELECT merchant_id FROM webhooks WHERE disabled_ms IS NULL)
           AND requires_account_validation = 1 AND created_ms <= ?1
           AND instr(pending_account_validations, ?2) > 0",
        params![
            now - sandbox::INSTITUTION_APPROVES_AFTER_MS,
            PendingAction::ConfirmRequestWithInstitution.as_str()
        ],
        |r| r.get(0),
    )
}

/// Lists the merchant's accounts as they stand at `now`, newest first,
/// one page, with DRUO's filters and `starting_after` pagination. Writes
/// the approvals that are due first, so it needs a transaction.
pub fn list(
    conn: &Conn,
    merchant_id: i64,
    f: &AccountFilter,
    now: i64,
) -> StoreResult<crate::store::links::ListPage> {
    use crate::store::links::{self, Condition, Listed};
    use crate::store::sql::Value as SqlValue;
    settle_due(conn, merchant_id, now)?;
    let text = |v: &Option<String>| v.clone().map(SqlValue::from);
    let candidates: [(&'static str, Option<SqlValue>); 5] = [
        ("upper(l.type) = ?", text(&f.kind)),
        (
            "l.subtype = ?",
            f.subtype.map(|s| s.code().to_string().into()),
        ),
        (
            "l.current_status = ?",
            f.current_status.map(|s| s.as_str().to_string().into()),
        ),
        ("l.institution_uuid = ?", text(&f.institution_uuid)),
        ("l.last_4 = ?", text(&f.last_4)),
    ];
    let extra: Vec<Condition> = candidates
        .into_iter()
        .filter_map(|(clause, v)| v.map(|v| (clause, v)))
        .collect();
    let listed = Listed {
        table: "accounts",
        end_user_column: "end_user_uuid",
        noun: "account",
    };
    links::page(conn, &listed, merchant_id, &f.common, extra)
}

/// Why a merchant's disconnect was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DisconnectRefusal {
    /// The account is `DISABLED`: off for good, it cannot change.
    Disabled,
}

/// Disconnects account `uuid` at its merchant's request (`PUT
/// /accounts/{uuid}/disconnect`): `DISCONNECTED` with
/// `REQUESTED_BY_MERCHANT`, nothing pending any more. An account that is
/// already `DISCONNECTED` keeps the remark saying why; a `DISABLED` one is
/// refused. Answers the account afterwards.
pub fn disconnect(
    conn: &Conn,
    uuid: &str,
    now: i64,
) -> StoreResult<Result<AccountRow, DisconnectRefusal>> {
    let a = current(conn, uuid, now)?;
    match a.current_status {
        AccountStatus::Disabled => return Ok(Err(DisconnectRefusal::Disabled)),
        AccountStatus::Disconnected => return Ok(Ok(a)),
        _ => {}
    }
    conn.execute(
        "UPDATE accounts SET current_status = ?2, requires_account_validation = 0,
            pending_account_validations = NULL, remarks = ?3, updated_ms = ?4
         WHERE uuid = ?1",
        params![
            uuid,
            AccountStatus::Disconnected.as_str(),
            AccountRemark::RequestedByMerchant.as_str(),
            now
        ],
    )?;
    emit_status(conn, &a, AccountStatus::Disconnected, now)?;
    Ok(Ok(get(conn, uuid)?))
}
