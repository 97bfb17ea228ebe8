//! Merchant API request bodies, validated into typed values. Every rule from
//! the reference pages lives here, so the service stays a thin shell and each
//! rule has a native test with a refused and an accepted case.

use crate::dto::{AccountSubtype, Institution, InstitutionKind, IntroText};
use crate::input::*;
use crate::status::FieldCode;
use crate::theme::{CheckoutTheme, ConnectTheme, Theme, ThemeKind};
use crate::time::Millis;
use crate::{FieldError, Lang};
use serde_json::Value;
use std::collections::BTreeMap;

/// Shortest accepted intro text, in characters.
pub const INTRO_MIN: usize = 40;
/// Longest accepted intro text, in characters.
pub const INTRO_MAX: usize = 70;
/// Longest free-text reference or name field.
pub const SHORT_TEXT_MAX: usize = 500;

/// Checks one intro text: 40 to 70 characters and containing "DRUO".
pub fn check_intro(field: &str, s: &str) -> Result<(), FieldError> {
    let n = s.chars().count();
    if !(INTRO_MIN..=INTRO_MAX).contains(&n) {
        return Err(FieldError::new(
            field,
            "INVALID_LENGTH",
            format!("`{field}` must be {INTRO_MIN} to {INTRO_MAX} characters long (got {n})"),
        ));
    }
    if !s.contains("DRUO") {
        return Err(FieldError::new(
            field,
            "MISSING_DRUO",
            format!("`{field}` must contain the text \"DRUO\""),
        ));
    }
    Ok(())
}

/// Reads `intro_text`: a string, or a map of language to text (keys in any
/// documented form, stored canonically).
pub fn intro_text(o: &Obj) -> Result<IntroText, FieldError> {
    const F: &str = "intro_text";
    match o.get(F) {
        Some(Value::String(s)) => {
            check_intro(F, s)?;
            Ok(IntroText::Text(s.clone()))
        }
        Some(Value::Object(m)) => {
            let mut out = BTreeMap::new();
            for (k, v) in m {
                let field = format!("{F}.{k}");
                let lang = Lang::parse(k).ok_or_else(|| {
                    FieldError::new(
                        &field,
                        "INVALID_LANGUAGE",
                        "intro_text keys must be en_US or es_CO",
                    )
                })?;
                let Value::String(s) = v else {
                    return Err(FieldError::new(
                        &field,
                        "INVALID_TYPE",
                        format!("`{field}` must be a string"),
                    ));
                };
                check_intro(&field, s)?;
                out.insert(lang.code().to_string(), s.clone());
            }
            if out.is_empty() {
                return Err(FieldError::new(F, "REQUIRED", "`intro_text` is required"));
            }
            Ok(IntroText::ByLang(out))
        }
        None | Some(Value::Null) => Err(FieldError::new(F, "REQUIRED", "`intro_text` is required")),
        Some(_) => Err(FieldError::new(
            F,
            "INVALID_TYPE",
            "`intro_text` must be a string",
        )),
    }
}

/// `POST /end-users/create` body, and `new_end_user_details`.
#[derive(Debug, Clone, PartialEq)]
pub struct EndUserInput {
    /// `INDIVIDUAL` (default) or `ORGANIZATION`.
    pub kind: &'static str,
    /// Required for individuals.
    pub first_name: Option<String>,
    /// Family name.
    pub last_name: Option<String>,
    /// Required for organizations.
    pub organization: Option<String>,
    /// National id or similar; never shown on public pages.
    pub local_id: Option<String>,
    /// e.g. `NATIONAL_IDENTITY_CARD`.
    pub local_id_type: Option<&'static str>,
    /// ISO 3166 alpha-3, upper-case.
    pub local_id_country: Option<String>,
    /// `YYYY-MM-DD`.
    pub date_of_birth: Option<String>,
    /// Contact email.
    pub email: Option<String>,
    /// Contact phone.
    pub phone_number: Option<String>,
    /// Free-form address (string or object), stored as sent.
    pub address: Option<Value>,
    /// Preferred language, canonical.
    pub preferred_language: Option<Lang>,
    /// Merchant note.
    pub note: Option<String>,
    /// Merchant reference.
    pub primary_reference: Option<String>,
    /// Merchant reference.
    pub secondary_reference: Option<String>,
    /// Key-value pairs.
    pub metadata: Obj,
}

/// Accepted `local_id_type` values.
pub const LOCAL_ID_TYPES: &[&str] = &[
    "NATIONAL_IDENTITY_CARD",
    "DRIVERS_LICENSE",
    "PASSPORT",
    "FOREIGNER_ID",
    "TAX_ID",
    "OTHER",
];

fn looks_like_email(s: &str) -> bool {
    match s.split_once('@') {
        Some((local, domain)) => {
            !local.is_empty()
                && domain.contains('.')
                && !domain.starts_with('.')
                && !domain.ends_with('.')
                && !s.chars().any(|c| c.is_whitespace() || c.is_control())
                && !domain.contains('@')
        }
        None => false,
    }
}

/// `type` with the name it requires: `first_name` for an individual,
/// `organization` for an organization.
fn end_user_names(o: &Obj) -> Result<(&'static str, Option<String>, Option<String>), FieldError> {
    let kind = opt_enum(o, "type", &["INDIVIDUAL", "ORGANIZATION"])?.unwrap_or("INDIVIDUAL");
    let first_name = opt_string(o, "first_name", 100)?.filter(|s| !s.trim().is_empty());
    let organization = opt_string(o, "organization", 200)?.filter(|s| !s.trim().is_empty());
    let missing = match kind {
        "INDIVIDUAL" if first_name.is_none() => Some("first_name"),
        "ORGANIZATION" if organization.is_none() => Some("organization"),
        _ => None,
    };
    if let Some(field) = missing {
        return Err(FieldError::new(
            field,
            "REQUIRED",
            format!("`{field}` is required for an {kind}"),
        ));
    }
    Ok((kind, first_name, organization))
}

/// An optional, non-empty text field that must pass `ok`, else `code`.
fn opt_checked(
    o: &Obj,
    field: &str,
    max: usize,
    ok: impl Fn(&str) -> bool,
    code: &str,
    message: &str,
) -> Result<Option<String>, FieldError> {
    match opt_string(o, field, max)?.filter(|s| !s.is_empty()) {
        Some(v) if !ok(&v) => Err(FieldError::new(field, code, message)),
        v => Ok(v),
    }
}

/// `address`: free-form, a string or an object, stored as sent.
fn opt_address(o: &Obj) -> Result<Option<Value>, FieldError> {
    match o.get("address") {
        None | Some(Value::Null) => Ok(None),
        Some(v @ (Value::String(_) | Value::Object(_))) => Ok(Some(v.clone())),
        Some(_) => Err(FieldError::new(
            "address",
            "INVALID_TYPE",
            "`address` must be a string or an object",
        )),
    }
}

/// Validates an end user object.
pub fn end_user(o: &Obj) -> Result<EndUserInput, FieldError> {
    let (kind, first_name, organization) = end_user_names(o)?;
    let email = opt_checked(
        o,
        "email",
        254,
        looks_like_email,
        "INVALID_EMAIL",
        "`email` must be an email address",
    )?;
    let local_id_country = opt_checked(
        o,
        "local_id_country",
        3,
        |c| c.len() == 3 && c.bytes().all(|b| b.is_ascii_alphabetic()),
        "INVALID_COUNTRY",
        "`local_id_country` must be an ISO 3166 alpha-3 code such as COL",
    )?
    .map(|s| s.to_ascii_uppercase());
    let date_of_birth = opt_checked(
        o,
        "date_of_birth",
        10,
        |d| d.len() == 10 && crate::time::parse_iso8601(d).is_some(),
        "INVALID_DATE",
        "`date_of_birth` must be YYYY-MM-DD",
    )?;
    Ok(EndUserInput {
        kind,
        first_name,
        last_name: opt_string(o, "last_name", 100)?,
        organization,
        local_id: opt_string(o, "local_id", 64)?,
        local_id_type: opt_enum(o, "local_id_type", LOCAL_ID_TYPES)?,
        local_id_country,
        date_of_birth,
        email,
        phone_number: opt_string(o, "phone_number", 32)?,
        address: opt_address(o)?,
        preferred_language: opt_lang(o, "preferred_language")?,
        note: opt_string(o, "note", SHORT_TEXT_MAX)?,
        primary_reference: opt_string(o, "primary_reference", SHORT_TEXT_MAX)?,
        secondary_reference: opt_string(o, "secondary_reference", SHORT_TEXT_MAX)?,
        metadata: metadata(o, "metadata")?,
    })
}

/// Who a link or account is for: an existing end user, or a new one.
#[derive(Debug, Clone, PartialEq)]
pub enum EndUserRef {
    /// `existing_end_user_id`; the service checks it exists for the merchant.
    Existing(String),
    /// `new_end_user_details`, created with the link.
    New(Box<EndUserInput>),
}

/// Reads `existing_end_user_id` or `new_end_user_details` (the id wins when
/// both are sent, as the reference makes the details required only without
/// an id).
pub fn end_user_ref(o: &Obj) -> Result<EndUserRef, FieldError> {
    if let Some(id) = opt_string(o, "existing_end_user_id", 100)?.filter(|s| !s.trim().is_empty()) {
        return Ok(EndUserRef::Existing(id));
    }
    match opt_object(o, "new_end_user_details")? {
        Some(d) => Ok(EndUserRef::New(Box::new(
            end_user(d).map_err(|e| e.within("new_end_user_details"))?,
        ))),
        None => Err(FieldError::new(
            "existing_end_user_id",
            "END_USER_REQUIRED",
            "send `existing_end_user_id` or `new_end_user_details`",
        )),
    }
}

/// Fields every link shares.
#[derive(Debug, Clone, PartialEq)]
pub struct LinkCommon {
    /// Who the link is for.
    pub end_user: EndUserRef,
    /// `ins_…` to preselect; checked against the catalog by the service.
    pub default_institution: Option<String>,
    /// Merchant reference.
    pub primary_reference: Option<String>,
    /// Merchant reference.
    pub secondary_reference: Option<String>,
    /// Canonical language; English when unset.
    pub default_language: Lang,
    /// Validated absolute http(s) URL.
    pub redirect_url: Option<String>,
    /// GMT instant.
    pub expiration_date: Option<Millis>,
    /// Key-value pairs.
    pub metadata: Obj,
    /// Redirect at once instead of showing the DRUO page.
    pub custom_confirmation_page: bool,
}

fn link_common(o: &Obj) -> Result<LinkCommon, FieldError> {
    Ok(LinkCommon {
        end_user: end_user_ref(o)?,
        default_institution: opt_string(o, "default_institution", 100)?.filter(|s| !s.is_empty()),
        primary_reference: opt_string(o, "primary_reference", SHORT_TEXT_MAX)?,
        secondary_reference: opt_string(o, "secondary_reference", SHORT_TEXT_MAX)?,
        default_language: opt_lang(o, "default_language")?.unwrap_or_default(),
        redirect_url: opt_http_url(o, "redirect_url")?,
        expiration_date: opt_timestamp(o, "expiration_date")?,
        metadata: metadata(o, "metadata")?,
        custom_confirmation_page: opt_bool(o, "custom_confirmation_page", false)?,
    })
}

/// Reads the colours of a link kind: one optional `#RGB`/`#RRGGBB` per
/// slot of its table, stored as canonical `#rrggbb`.
fn colors<K: ThemeKind>(o: &Obj) -> Result<Theme<K>, FieldError> {
    let mut out = Theme::default();
    for slot in K::SLOTS {
        if let Some(c) = opt_color(o, slot.field)? {
            out.set(slot.field, c.to_string());
        }
    }
    Ok(out)
}

/// `POST /connect/link/create`, validated.
#[derive(Debug, Clone, PartialEq)]
pub struct ConnectLinkCreate {
    /// Plain or per-language intro.
    pub intro_text: IntroText,
    /// Validated colours.
    pub colors: ConnectTheme,
    /// Everything links share.
    pub common: LinkCommon,
}

/// Validates a connect link request body.
pub fn connect_link_create(o: &Obj) -> Result<ConnectLinkCreate, FieldError> {
    Ok(ConnectLinkCreate {
        intro_text: intro_text(o)?,
        colors: colors(o)?,
        common: link_common(o)?,
    })
}

/// The `transaction` of a checkout link request.
#[derive(Debug, Clone, PartialEq)]
pub struct TransactionInput {
    /// Tenant uuid; the service checks it is the merchant's.
    pub tenant_id: String,
    /// Whole pesos, positive.
    pub amount: u64,
    /// What is being paid.
    pub description: Option<String>,
    /// What the user's statement will show.
    pub statement_descriptor: Option<String>,
    /// Email a receipt when paid.
    pub auto_send_receipt: bool,
    /// Merchant reference.
    pub primary_reference: Option<String>,
    /// Merchant reference.
    pub secondary_reference: Option<String>,
    /// Key-value pairs.
    pub metadata: Obj,
}

/// `POST /checkout/link/create`, validated.
#[derive(Debug, Clone, PartialEq)]
pub struct CheckoutLinkCreate {
    /// Shown as the sidebar title.
    pub link_name: String,
    /// Shown under it.
    pub link_description: Option<String>,
    /// Validated colours.
    pub colors: CheckoutTheme,
    /// The payment.
    pub transaction: TransactionInput,
    /// Everything links share.
    pub common: LinkCommon,
}

/// Validates a checkout link request body.
pub fn checkout_link_create(o: &Obj) -> Result<CheckoutLinkCreate, FieldError> {
    let link_name = req_string(o, "link_name", 200)?;
    let link_description = opt_string(o, "link_description", 1000)?;
    let colors = colors(o)?;
    let t = opt_object(o, "transaction")?
        .ok_or_else(|| FieldError::new("transaction", "REQUIRED", "`transaction` is required"))?;
    let transaction = (|| {
        Ok::<_, FieldError>(TransactionInput {
            tenant_id: req_string(t, "tenant_id", 100)?,
            amount: positive_amount(t, "amount")?,
            description: opt_string(t, "description", 1000)?,
            statement_descriptor: opt_string(t, "statement_descriptor", 100)?,
            auto_send_receipt: opt_bool(t, "auto_send_receipt", false)?,
            primary_reference: opt_string(t, "primary_reference", SHORT_TEXT_MAX)?,
            secondary_reference: opt_string(t, "secondary_reference", SHORT_TEXT_MAX)?,
            metadata: metadata(t, "metadata")?,
        })
    })()
    .map_err(|e| e.within("transaction"))?;
    Ok(CheckoutLinkCreate {
        link_name,
        link_description,
        colors,
        transaction,
        common: link_common(o)?,
    })
}

/// The account fields shared by the merchant call and the page's submit
/// (authorization, institution, type, subtype and number), as far as they
/// can be checked before the institution is known.
#[derive(Debug, Clone, PartialEq)]
pub struct AccountCore {
    /// `ins_…`; the service looks it up and calls [`AccountCore::check`].
    pub institution_uuid: String,
    /// Whether `type` (`DEPOSITORY`) was sent: a bank requires it.
    pub has_type: bool,
    /// `SAVINGS` or `CHECKING`, when sent.
    pub subtype: Option<AccountSubtype>,
    /// The number as sent (string or integer), not yet checked: its rule
    /// depends on the institution's kind.
    pub account_number: String,
}

/// An account submit checked against its institution.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckedAccount {
    /// The subtype sent, or a wallet's single subtype.
    pub subtype: AccountSubtype,
    /// Digits, kept verbatim (leading zeros too).
    pub account_number: String,
}

impl AccountCore {
    /// The institution-dependent rules, in the order a form shows them:
    /// a bank needs `type` and `subtype` (a wallet may omit both), the
    /// subtype must be offered, and the number follows the kind's rule
    /// ([`number_rule`]).
    pub fn check(&self, inst: &Institution) -> Result<CheckedAccount, FieldError> {
        if inst.kind == InstitutionKind::Bank && !self.has_type {
            return Err(FieldError::new(
                "type",
                "REQUIRED",
                "`type` is required (DEPOSITORY)",
            ));
        }
        let subtype = subtype_rule(inst, self.subtype).map_err(|p| match p {
            SubtypeProblem::Required => FieldError::new(
                "subtype",
                "REQUIRED",
                "`subtype` is required (SAVINGS or CHECKING)",
            ),
            SubtypeProblem::Unsupported => FieldError::new(
                "subtype",
                FieldCode::UnsupportedSubtype.as_str(),
                format!(
                    "{} does not offer {} accounts",
                    inst.name,
                    self.subtype.map_or("such", AccountSubtype::code)
                ),
            ),
        })?;
        const F: &str = "account_number";
        number_rule(inst.kind, &self.account_number)
            .map_err(|p| FieldError::new(F, p.as_str(), number_message(F, p)))?;
        Ok(CheckedAccount {
            subtype,
            account_number: self.account_number.clone(),
        })
    }
}

/// Reads the account fields of a submit; see [`AccountCore`].
pub fn account_core(o: &Obj) -> Result<AccountCore, FieldError> {
    if !opt_bool(o, "user_authorization", false)? {
        return Err(FieldError::new(
            "user_authorization",
            FieldCode::UserAuthorizationRequired.as_str(),
            "`user_authorization` must be true: the end user must authorize the validation",
        ));
    }
    let institution_uuid = req_string(o, "institution_uuid", 100)?;
    let has_type = opt_enum(o, "type", &["DEPOSITORY"])?.is_some();
    let subtype = opt_enum(o, "subtype", &["SAVINGS", "CHECKING"])?.and_then(AccountSubtype::parse);
    let account_number = number_text(o, "account_number")?.ok_or_else(|| {
        FieldError::new("account_number", "REQUIRED", "`account_number` is required")
    })?;
    Ok(AccountCore {
        institution_uuid,
        has_type,
        subtype,
        account_number,
    })
}

/// `POST /accounts/validate`, validated as far as it can be without the
/// catalog.
#[derive(Debug, Clone, PartialEq)]
pub struct AccountValidate {
    /// Institution, type, subtype and number.
    pub account: AccountCore,
    /// Digits, when sent.
    pub routing_number: Option<String>,
    /// Who owns the account.
    pub end_user: EndUserRef,
    /// Merchant reference.
    pub primary_reference: Option<String>,
    /// Merchant reference.
    pub secondary_reference: Option<String>,
    /// Key-value pairs.
    pub metadata: Obj,
}

/// Validates an account validation request body.
pub fn account_validate(o: &Obj) -> Result<AccountValidate, FieldError> {
    Ok(AccountValidate {
        account: account_core(o)?,
        routing_number: digits(o, "routing_number", 1, 20)?,
        end_user: end_user_ref(o)?,
        primary_reference: opt_string(o, "primary_reference", SHORT_TEXT_MAX)?,
        secondary_reference: opt_string(o, "secondary_reference", SHORT_TEXT_MAX)?,
        metadata: metadata(o, "metadata")?,
    })
}

/// What the sandbox does with an account number, documented like test card
/// numbers in docs/api.md.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SandboxOutcome {
    /// Ends in `0000`: rejected, `ACCOUNT_DOES_NOT_EXIST`.
    DoesNotExist,
    /// Ends in `1111`: the user must confirm with the institution.
    NeedsInstitutionConfirmation,
    /// Anything else: created and verified.
    Verified,
}

/// The sandbox outcome for an account number.
pub fn sandbox_outcome(account_number: &str) -> SandboxOutcome {
    if account_number.ends_with("0000") {
        SandboxOutcome::DoesNotExist
    } else if account_number.ends_with("1111") {
        SandboxOutcome::NeedsInstitutionConfirmation
    } else {
        SandboxOutcome::Verified
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn obj(v: Value) -> Obj {
        v.as_object().unwrap().clone()
    }

    const EUR: &str = "eur_868d99a5-6578-40cf-8aec-e7a48085fa37";

    fn connect(extra: Value) -> Result<ConnectLinkCreate, FieldError> {
        let mut o = obj(json!({
            "existing_end_user_id": EUR,
            "intro_text": "Connect your account using DRUO to receive or make payments"
        }));
        o.extend(obj(extra));
        connect_link_create(&o)
    }

    #[test]
    fn the_reference_connect_request_is_accepted() {
        let c = connect(json!({})).unwrap();
        assert_eq!(c.common.end_user, EndUserRef::Existing(EUR.into()));
        assert_eq!(c.common.default_language, Lang::EnUs);
        assert!(!c.common.custom_confirmation_page);
        assert!(c.colors.is_empty());
    }

    #[test]
    fn intro_text_length_bounds() {
        let s40 = format!("DRUO{}", "x".repeat(36));
        let s70 = format!("DRUO{}", "x".repeat(66));
        assert!(connect(json!({"intro_text": s40})).is_ok());
        assert!(connect(json!({"intro_text": s70})).is_ok());
        let e = connect(json!({"intro_text": format!("DRUO{}", "x".repeat(35))})).unwrap_err();
        assert_eq!(
            (e.field.as_str(), e.code.as_str()),
            ("intro_text", "INVALID_LENGTH")
        );
        let e = connect(json!({"intro_text": format!("DRUO{}", "x".repeat(67))})).unwrap_err();
        assert_eq!(e.code, "INVALID_LENGTH");
        // Characters, not bytes: 40 accented characters are 80 bytes.
        assert!(connect(json!({"intro_text": format!("DRUO{}", "é".repeat(36))})).is_ok());
    }

    #[test]
    fn intro_text_must_name_druo() {
        let e =
            connect(json!({"intro_text": "Connect your account to receive or make payments now"}))
                .unwrap_err();
        assert_eq!(e.code, "MISSING_DRUO");
        let e = connect(
            json!({"intro_text": "Connect your account using druo to receive or make payments"}),
        )
        .unwrap_err();
        assert_eq!(e.code, "MISSING_DRUO");
        assert!(connect(json!({"intro_text": null})).is_err());
    }

    #[test]
    fn intro_text_per_language_map() {
        let c = connect(json!({"intro_text": {
            "en-us": "NOVO uses DRUO to connect to your bank account.",
            "es_CO": "NOVO utiliza a DRUO para conectarse con tu cuenta bancaria."
        }}))
        .unwrap();
        assert_eq!(
            c.intro_text.resolve(Lang::EnUs),
            "NOVO uses DRUO to connect to your bank account."
        );
        let e = connect(json!({"intro_text": {"en_US": "too short DRUO"}})).unwrap_err();
        assert_eq!(e.field, "intro_text.en_US");
        let e = connect(
            json!({"intro_text": {"fr": "NOVO uses DRUO to connect to your bank account."}}),
        )
        .unwrap_err();
        assert_eq!(e.code, "INVALID_LANGUAGE");
        assert!(connect(json!({"intro_text": {}})).is_err());
    }

    #[test]
    fn an_end_user_is_required() {
        let o = obj(
            json!({"intro_text": "Connect your account using DRUO to receive or make payments"}),
        );
        let e = connect_link_create(&o).unwrap_err();
        assert_eq!(e.code, "END_USER_REQUIRED");
        let c = connect(
            json!({"existing_end_user_id": null, "new_end_user_details": {
                "type": "INDIVIDUAL", "first_name": "Ana", "last_name": "Gómez",
                "email": "ana@example.co", "local_id_country": "col"
            }}),
        )
        .unwrap();
        let EndUserRef::New(u) = c.common.end_user else {
            panic!("expected new end user")
        };
        assert_eq!(u.local_id_country.as_deref(), Some("COL"));
        let e = connect(
            json!({"existing_end_user_id": "", "new_end_user_details": {"type": "INDIVIDUAL"}}),
        )
        .unwrap_err();
        assert_eq!(e.field, "new_end_user_details.first_name");
    }

    #[test]
    fn end_user_fields() {
        assert!(end_user(&obj(json!({"first_name": "A", "email": "a@b.co"}))).is_ok());
        assert_eq!(
            end_user(&obj(json!({"first_name": "A", "email": "not-an-email"})))
                .unwrap_err()
                .code,
            "INVALID_EMAIL"
        );
        assert_eq!(
            end_user(&obj(json!({"first_name": "A", "local_id_country": "CO"})))
                .unwrap_err()
                .code,
            "INVALID_COUNTRY"
        );
        assert_eq!(
            end_user(&obj(json!({"first_name": "A", "type": "ROBOT"})))
                .unwrap_err()
                .code,
            "INVALID_VALUE"
        );
        assert_eq!(
            end_user(&obj(json!({"type": "ORGANIZATION"})))
                .unwrap_err()
                .field,
            "organization"
        );
        assert!(end_user(&obj(
            json!({"type": "ORGANIZATION", "organization": "NOVO SAS"})
        ))
        .is_ok());
        assert_eq!(
            end_user(&obj(
                json!({"first_name": "A", "date_of_birth": "1990-02-30"})
            ))
            .unwrap_err()
            .code,
            "INVALID_DATE"
        );
        assert_eq!(
            end_user(&obj(
                json!({"first_name": "A", "local_id_type": "DRIVERS_LICENSE"})
            ))
            .unwrap()
            .local_id_type,
            Some("DRIVERS_LICENSE")
        );
    }

    #[test]
    fn colours_are_checked_per_field() {
        let c = connect(json!({"background_color": "#333333", "button_color": "#fff"})).unwrap();
        assert_eq!(c.colors.get("button_color"), Some("#ffffff"));
        for bad in [
            "red;background:url(//x)",
            "#fff;}",
            "#ffff",
            "＃fff",
            "#fff\n",
        ] {
            let e = connect(json!({"content_background_color": bad})).unwrap_err();
            assert_eq!(
                (e.field.as_str(), e.code.as_str()),
                ("content_background_color", "INVALID_COLOR"),
                "{bad:?}"
            );
        }
    }

    #[test]
    fn default_language_forms_are_canonicalized() {
        for (v, want) in [
            (json!("es-co"), Lang::EsCo),
            (json!("en_US"), Lang::EnUs),
            (json!({"code": "es_CO"}), Lang::EsCo),
            (json!(null), Lang::EnUs),
        ] {
            assert_eq!(
                connect(json!({"default_language": v}))
                    .unwrap()
                    .common
                    .default_language,
                want
            );
        }
        assert_eq!(
            connect(json!({"default_language": "de"}))
                .unwrap_err()
                .field,
            "default_language"
        );
    }

    #[test]
    fn expiration_date_with_or_without_zone() {
        let a = connect(json!({"expiration_date": "2021-11-16T23:23:38"})).unwrap();
        let b = connect(json!({"expiration_date": "2021-11-16T23:23:38Z"})).unwrap();
        assert_eq!(a.common.expiration_date, b.common.expiration_date);
        assert_eq!(
            connect(json!({"expiration_date": "16/11/2021"}))
                .unwrap_err()
                .field,
            "expiration_date"
        );
    }

    #[test]
    fn redirect_url_must_be_absolute_http() {
        assert!(connect(json!({"redirect_url": "https://example.com/done?x=1"})).is_ok());
        for bad in [
            "javascript:alert(1)",
            "//evil.example",
            "example.com",
            "https:evil.example",
            "data:text/html,x",
        ] {
            assert_eq!(
                connect(json!({"redirect_url": bad})).unwrap_err().field,
                "redirect_url",
                "{bad}"
            );
        }
    }

    #[test]
    fn booleans_and_metadata_inconsistencies() {
        assert!(
            connect(json!({"custom_confirmation_page": "TRUE"}))
                .unwrap()
                .common
                .custom_confirmation_page
        );
        assert!(
            !connect(json!({"custom_confirmation_page": "FALSE"}))
                .unwrap()
                .common
                .custom_confirmation_page
        );
        assert_eq!(
            connect(json!({"metadata": "{\"order_id\": \"6735\"}"}))
                .unwrap()
                .common
                .metadata["order_id"],
            "6735"
        );
        assert_eq!(
            connect(json!({"metadata": {"k": "v".repeat(501)}}))
                .unwrap_err()
                .field,
            "metadata"
        );
    }

    fn checkout(extra: Value, tx: Value) -> Result<CheckoutLinkCreate, FieldError> {
        let mut t = obj(json!({
            "tenant_id": "22637d15-5b37-4fb2-90e5-aa8751970469", "amount": 20000,
            "description": "Insurance policy renewal - INV12324",
            "statement_descriptor": "NOVO BILLING* INV12324", "auto_send_receipt": false
        }));
        t.extend(obj(tx));
        let mut o =
            obj(json!({"existing_end_user_id": EUR, "link_name": "Checkout Link #1234556"}));
        o.insert("transaction".into(), Value::Object(t));
        o.extend(obj(extra));
        checkout_link_create(&o)
    }

    #[test]
    fn the_reference_checkout_request_is_accepted() {
        let c = checkout(json!({}), json!({})).unwrap();
        assert_eq!(c.transaction.amount, 20000);
        assert!(!c.transaction.auto_send_receipt);
        assert!(checkout(json!({}), json!({"auto_send_receipt": "false"})).is_ok());
    }

    #[test]
    fn checkout_amount_tenant_and_name() {
        for bad in [
            json!(0),
            json!(-1),
            json!(10.5),
            json!("20000"),
            json!(null),
        ] {
            let e = checkout(json!({}), json!({"amount": bad})).unwrap_err();
            assert_eq!(e.field, "transaction.amount");
        }
        assert_eq!(
            checkout(json!({}), json!({"tenant_id": null}))
                .unwrap_err()
                .field,
            "transaction.tenant_id"
        );
        assert_eq!(
            checkout(json!({"link_name": ""}), json!({}))
                .unwrap_err()
                .field,
            "link_name"
        );
        assert_eq!(
            checkout(json!({"transaction": null}), json!({}))
                .unwrap_err()
                .field,
            "transaction"
        );
        assert_eq!(
            checkout(json!({"sidebar_text_color": "#12"}), json!({}))
                .unwrap_err()
                .field,
            "sidebar_text_color"
        );
        assert!(checkout(
            json!({"sidebar_text_color": "#222222", "main_content_box_background_color": ""}),
            json!({})
        )
        .is_ok());
    }

    fn institution(kind: InstitutionKind, subtypes: Vec<AccountSubtype>) -> Institution {
        Institution {
            uuid: "ins_x".into(),
            name: "X".into(),
            kind,
            subtypes,
            popularity: None,
            brand_color: String::new(),
            mark: String::new(),
        }
    }

    fn davivienda() -> Institution {
        institution(
            InstitutionKind::Bank,
            vec![AccountSubtype::Savings, AccountSubtype::Checking],
        )
    }

    fn nequi() -> Institution {
        institution(InstitutionKind::Wallet, vec![AccountSubtype::Savings])
    }

    fn validate(extra: Value) -> Result<AccountValidate, FieldError> {
        let mut o = obj(json!({
            "user_authorization": true, "institution_uuid": "ins_9082d56c-4e1d-4967-a828-b7001755e88e",
            "type": "DEPOSITORY", "subtype": "SAVINGS", "account_number": "1234567894",
            "new_end_user_details": {"type": "INDIVIDUAL", "email": "j.doe@example.com", "first_name": "John",
                "last_name": "Doe", "local_id": "123456789", "local_id_type": "NATIONAL_IDENTITY_CARD", "local_id_country": "USA"}
        }));
        o.extend(obj(extra));
        account_validate(&o)
    }

    #[test]
    fn the_reference_validate_request_is_accepted() {
        let a = validate(json!({})).unwrap();
        assert_eq!(a.account.account_number, "1234567894");
        assert_eq!(a.account.subtype, Some(AccountSubtype::Savings));
        let checked = a.account.check(&davivienda()).unwrap();
        assert_eq!(checked.account_number, "1234567894");
        assert_eq!(checked.subtype, AccountSubtype::Savings);
        assert!(
            validate(json!({"user_authorization": "TRUE", "account_number": 400326054})).is_ok()
        );
    }

    #[test]
    fn account_validation_rules() {
        assert_eq!(
            validate(json!({"user_authorization": false}))
                .unwrap_err()
                .code,
            "USER_AUTHORIZATION_REQUIRED"
        );
        assert_eq!(
            validate(json!({"user_authorization": null}))
                .unwrap_err()
                .field,
            "user_authorization"
        );
        assert_eq!(
            validate(json!({"type": "CREDIT"})).unwrap_err().field,
            "type"
        );
        assert_eq!(
            validate(json!({"subtype": "BROKERAGE"})).unwrap_err().field,
            "subtype"
        );
        let checked =
            |extra: Value, inst: &Institution| validate(extra).and_then(|a| a.account.check(inst));
        let (bank, wallet) = (davivienda(), nequi());
        assert_eq!(
            checked(json!({"account_number": "12a4567"}), &bank)
                .unwrap_err()
                .code,
            "DIGITS_ONLY"
        );
        assert!(validate(json!({"account_number": null})).is_err());
        assert!(validate(json!({"account_number": true})).is_err());
        let e = checked(json!({"subtype": "CHECKING"}), &wallet).unwrap_err();
        assert_eq!(
            (e.field.as_str(), e.code.as_str()),
            ("subtype", "UNSUPPORTED_SUBTYPE")
        );
        let e = checked(json!({"subtype": null}), &bank).unwrap_err();
        assert_eq!((e.field.as_str(), e.code.as_str()), ("subtype", "REQUIRED"));
        let e = checked(json!({"type": null}), &bank).unwrap_err();
        assert_eq!((e.field.as_str(), e.code.as_str()), ("type", "REQUIRED"));
        let e = checked(json!({}), &wallet).unwrap_err();
        assert_eq!(
            (e.field.as_str(), e.code.as_str()),
            ("account_number", "NOT_A_MOBILE_NUMBER")
        );
        // A wallet needs neither type nor subtype: its single subtype is used.
        let ok = checked(
            json!({"type": null, "subtype": null, "account_number": "3001234567"}),
            &wallet,
        )
        .unwrap();
        assert_eq!(ok.subtype, AccountSubtype::Savings);
        let e = checked(json!({"account_number": "12345"}), &bank).unwrap_err();
        assert_eq!(e.code, "INVALID_LENGTH");
        assert_eq!(
            validate(json!({"institution_uuid": ""})).unwrap_err().field,
            "institution_uuid"
        );
        assert_eq!(
            validate(json!({"routing_number": "x"})).unwrap_err().field,
            "routing_number"
        );
    }

    #[test]
    fn sandbox_outcomes_by_suffix() {
        assert_eq!(sandbox_outcome("1234560000"), SandboxOutcome::DoesNotExist);
        assert_eq!(
            sandbox_outcome("1234561111"),
            SandboxOutcome::NeedsInstitutionConfirmation
        );
        assert_eq!(sandbox_outcome("1234567894"), SandboxOutcome::Verified);
    }
}
