//! Merchant API request bodies, validated into typed values. Every rule from
//! the reference pages lives here, so the service stays a thin shell and each
//! rule has a native test with a refused and an accepted case.

use crate::dto::{AccountSubtype, Institution, InstitutionKind, IntroText};
use crate::input::*;
use crate::status::FieldCode;
use crate::theme::{CheckoutTheme, ConnectTheme, Theme, ThemeKind};
use crate::time::Millis;
use crate::{FieldError, Lang};
use serde::{Deserialize, Serialize};
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

crate::status::status_enum! {
    /// An end user's `type`: a person or a company, as DRUO's End User page
    /// spells it (its example is `COMPANY`). Older integrations send
    /// `ORGANIZATION`; [`EndUserType::read`] takes it as `COMPANY`, which
    /// is what is stored and answered.
    EndUserType {
        /// A person; `first_name` is required.
        Individual = "INDIVIDUAL",
        /// A company; `organization` is required.
        Company = "COMPANY",
    }
}

impl EndUserType {
    /// The older spelling of [`EndUserType::Company`], still accepted.
    pub const LEGACY_COMPANY: &'static str = "ORGANIZATION";

    /// Reads a sent or stored `type` in any case, `ORGANIZATION` as
    /// `COMPANY`.
    pub fn read(s: &str) -> Option<Self> {
        let up = s.trim().to_ascii_uppercase();
        if up == Self::LEGACY_COMPANY {
            return Some(EndUserType::Company);
        }
        Self::parse(&up)
    }

    /// The name field this type requires.
    pub fn required_name(self) -> &'static str {
        match self {
            EndUserType::Individual => "first_name",
            EndUserType::Company => "organization",
        }
    }
}

/// Fewest digits in a phone number's national `number`.
pub const PHONE_NUMBER_MIN: usize = 4;
/// Most digits in a phone number's national `number` (E.164's maximum).
pub const PHONE_NUMBER_MAX: usize = 15;
/// Most digits in a phone `country_code`.
pub const COUNTRY_CODE_MAX: usize = 3;
/// Longest phone number accepted in the older text form.
pub const PHONE_TEXT_MAX: usize = 32;

/// What the older text form of a phone number may hold besides digits and
/// a leading `+`.
const PHONE_SEPARATORS: &[char] = &[' ', '-', '.', '(', ')'];

/// A phone number in DRUO's object form.
///
/// Canonical form (stored and answered): both parts as digit strings,
/// `{"country_code": "57", "number": "3001234567"}`, the country code
/// without `+`. Strings keep it lossless (a `number` sent as a string keeps
/// its leading zeros) and follow DRUO's attribute list, which types
/// `country_code` as a string; requests may send either part as an integer,
/// as DRUO's example `{"country_code": 1, "number": 2025550198}` does.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PhoneNumber {
    /// ITU calling code, 1 to 3 digits, not starting with 0 (`57`, `1`).
    pub country_code: String,
    /// The national number, 4 to 15 digits.
    pub number: String,
}

impl PhoneNumber {
    /// Reads DRUO's object `{country_code, number}`. Each part is a string
    /// or a non-negative integer; `country_code` may carry a leading `+`.
    /// Errors name the part (`country_code`, `number`, or an unknown key);
    /// the caller prefixes them with `phone_number`.
    pub fn from_object(m: &Obj) -> Result<PhoneNumber, FieldError> {
        if let Some(k) = m
            .keys()
            .find(|k| k.as_str() != "country_code" && k.as_str() != "number")
        {
            return Err(FieldError::new(
                k.as_str(),
                "UNKNOWN_FIELD",
                format!("`{k}` is not a phone number field (send `country_code` and `number`)"),
            ));
        }
        let country_code = match m.get("country_code") {
            None | Some(Value::Null) => None,
            Some(Value::String(s)) => Some(s.trim().to_string()),
            Some(Value::Number(n)) if n.is_u64() => Some(n.to_string()),
            Some(_) => {
                return Err(FieldError::new(
                    "country_code",
                    "INVALID_TYPE",
                    "`country_code` must be a string or an integer such as 57",
                ))
            }
        }
        .filter(|s| !s.is_empty())
        .ok_or_else(|| {
            FieldError::new(
                "country_code",
                "REQUIRED",
                "`country_code` is required (e.g. 57)",
            )
        })?;
        let country_code = check_country_code(&country_code)?;
        let number = digits(m, "number", PHONE_NUMBER_MIN, PHONE_NUMBER_MAX)?.ok_or_else(|| {
            FieldError::new(
                "number",
                "REQUIRED",
                "`number` is required (e.g. 3001234567)",
            )
        })?;
        Ok(PhoneNumber {
            country_code,
            number,
        })
    }

    /// Converts the older text form: `+CC` then the number (`"+57 300 123
    /// 4567"`, `"+1 (202) 555-0198"`), or a bare 10-digit Colombian mobile
    /// number starting with 3 (`"3001234567"`, country code 57). Spaces,
    /// `-`, `.` and parentheses are dropped. Without a separator after the
    /// code only `+1`, `+7` and `+57` can be split (calling codes are
    /// prefix-free, so these three are unambiguous). `None` when the text
    /// is none of these.
    pub fn from_text(s: &str) -> Option<PhoneNumber> {
        let s = s.trim();
        if s.chars().count() > PHONE_TEXT_MAX
            || !s
                .chars()
                .all(|c| c.is_ascii_digit() || c == '+' || PHONE_SEPARATORS.contains(&c))
        {
            return None;
        }
        let digits_of = |t: &str| t.chars().filter(char::is_ascii_digit).collect::<String>();
        let (country_code, number) = match s.strip_prefix('+') {
            Some(rest) if !rest.contains('+') => {
                let all = digits_of(rest);
                let code = match ["57", "1", "7"].into_iter().find(|c| all.starts_with(c)) {
                    Some(c) => c.to_string(),
                    None => {
                        // The first group, when a separator ends it.
                        let first = rest.split(PHONE_SEPARATORS).next().unwrap_or_default();
                        if first.len() == all.len() {
                            return None;
                        }
                        first.to_string()
                    }
                };
                let number = all.get(code.len()..).unwrap_or_default().to_string();
                (code, number)
            }
            Some(_) => return None,
            None if s.contains('+') => return None,
            None => {
                let all = digits_of(s);
                if all.len() != MOBILE_NUMBER_LEN || !all.starts_with('3') {
                    return None;
                }
                ("57".to_string(), all)
            }
        };
        let country_code = check_country_code(&country_code).ok()?;
        if !(PHONE_NUMBER_MIN..=PHONE_NUMBER_MAX).contains(&number.len()) {
            return None;
        }
        Some(PhoneNumber {
            country_code,
            number,
        })
    }

    /// Reads a stored `phone_number` column: the canonical JSON object, or
    /// the text an older row kept as sent, converted as
    /// [`PhoneNumber::from_text`] does. `None` when an old text cannot be
    /// converted (the row itself is left as it is).
    pub fn from_stored(text: &str) -> Option<PhoneNumber> {
        match serde_json::from_str::<Value>(text) {
            Ok(Value::Object(m)) => PhoneNumber::from_object(&m).ok(),
            _ => PhoneNumber::from_text(text),
        }
    }
}

/// A calling code: 1 to 3 digits after an optional `+`, not starting with
/// 0 (no ITU code does). Returns it without the `+`.
fn check_country_code(s: &str) -> Result<String, FieldError> {
    const F: &str = "country_code";
    let code = s.strip_prefix('+').unwrap_or(s);
    if code.is_empty() || !code.bytes().all(|b| b.is_ascii_digit()) {
        return Err(FieldError::new(
            F,
            "INVALID_FORMAT",
            "`country_code` must be 1 to 3 digits, with an optional leading +",
        ));
    }
    if code.len() > COUNTRY_CODE_MAX {
        return Err(FieldError::new(
            F,
            "INVALID_LENGTH",
            format!("`country_code` must have 1 to {COUNTRY_CODE_MAX} digits"),
        ));
    }
    if code.starts_with('0') {
        return Err(FieldError::new(
            F,
            "INVALID_FORMAT",
            "`country_code` cannot start with 0 (send 57, not 057)",
        ));
    }
    Ok(code.to_string())
}

/// `phone_number`: DRUO's object, or the older text (or integer) form,
/// converted (see [`PhoneNumber`]). Blank text is unset.
fn opt_phone(o: &Obj) -> Result<Option<PhoneNumber>, FieldError> {
    const F: &str = "phone_number";
    let text =
        match o.get(F) {
            None | Some(Value::Null) => return Ok(None),
            Some(Value::Object(m)) => {
                return PhoneNumber::from_object(m)
                    .map(Some)
                    .map_err(|e| e.within(F))
            }
            Some(Value::String(s)) if s.trim().is_empty() => return Ok(None),
            Some(Value::String(s)) => s.clone(),
            Some(Value::Number(n)) if n.is_u64() => n.to_string(),
            Some(_) => return Err(FieldError::new(
                F,
                "INVALID_TYPE",
                "`phone_number` must be an object {\"country_code\": 57, \"number\": 3001234567}",
            )),
        };
    if text.chars().count() > PHONE_TEXT_MAX {
        return Err(FieldError::new(
            F,
            "TOO_LONG",
            format!("`phone_number` must be at most {PHONE_TEXT_MAX} characters"),
        ));
    }
    PhoneNumber::from_text(&text).map(Some).ok_or_else(|| {
        FieldError::new(
            F,
            "INVALID_FORMAT",
            "`phone_number` must be an object {\"country_code\": 57, \"number\": 3001234567}; \
             as text it needs a leading +country code (\"+57 300 123 4567\") unless it is a \
             10-digit Colombian mobile number",
        )
    })
}

/// A postal address in DRUO's object form, stored and answered with every
/// key below (`null` where unset). Requests may also use the attribute
/// list's spellings (`address_line1/2/3`, `adminisrative_district` *sic*)
/// or the older free-form text, kept as `address_line_1`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Address {
    /// First line (street and number).
    pub address_line_1: Option<String>,
    /// Second line.
    pub address_line_2: Option<String>,
    /// Third line.
    pub address_line_3: Option<String>,
    /// City or town.
    pub locality: Option<String>,
    /// Neighbourhood or district within the locality.
    pub sublocality: Option<String>,
    /// State, department or province.
    pub administrative_district: Option<String>,
    /// Postal code, as text.
    pub postal_code: Option<String>,
    /// ISO 3166 alpha-3, upper-case (`USA`, `COL`).
    pub country: Option<String>,
}

/// Every accepted address key and the canonical key it fills.
const ADDRESS_KEYS: &[(&str, &str)] = &[
    ("address_line_1", "address_line_1"),
    ("address_line_2", "address_line_2"),
    ("address_line_3", "address_line_3"),
    ("locality", "locality"),
    ("sublocality", "sublocality"),
    ("administrative_district", "administrative_district"),
    ("postal_code", "postal_code"),
    ("country", "country"),
    ("address_line1", "address_line_1"),
    ("address_line2", "address_line_2"),
    ("address_line3", "address_line_3"),
    ("adminisrative_district", "administrative_district"),
];

impl Address {
    /// The field a canonical key names.
    fn slot(&mut self, canonical: &str) -> Option<&mut Option<String>> {
        Some(match canonical {
            "address_line_1" => &mut self.address_line_1,
            "address_line_2" => &mut self.address_line_2,
            "address_line_3" => &mut self.address_line_3,
            "locality" => &mut self.locality,
            "sublocality" => &mut self.sublocality,
            "administrative_district" => &mut self.administrative_district,
            "postal_code" => &mut self.postal_code,
            "country" => &mut self.country,
            _ => return None,
        })
    }

    /// Whether no field is set.
    pub fn is_empty(&self) -> bool {
        *self == Address::default()
    }

    /// Reads DRUO's address object. Values are strings (numbers are kept
    /// as their text) of at most [`SHORT_TEXT_MAX`] characters; blank or
    /// `null` is unset. An unknown key is refused, named; a key and its
    /// attribute-list spelling may both be sent only with the same value.
    /// `country` must be ISO alpha-3. Errors name the key; the caller
    /// prefixes them with `address`.
    pub fn from_object(m: &Obj) -> Result<Address, FieldError> {
        let mut out = Address::default();
        for k in m.keys() {
            let Some(&(_, canonical)) = ADDRESS_KEYS.iter().find(|(key, _)| key == k) else {
                return Err(FieldError::new(
                    k.as_str(),
                    "UNKNOWN_FIELD",
                    format!(
                        "`{k}` is not an address field (address_line_1, address_line_2, \
                         address_line_3, locality, sublocality, administrative_district, \
                         postal_code, country)"
                    ),
                ));
            };
            let Some(v) = opt_string(m, k, SHORT_TEXT_MAX)?.filter(|s| !s.trim().is_empty()) else {
                continue;
            };
            let Some(slot) = out.slot(canonical) else {
                continue;
            };
            match slot {
                Some(prev) if *prev != v => {
                    return Err(FieldError::new(
                        k.as_str(),
                        "DUPLICATE_FIELD",
                        format!("`{k}` and `{canonical}` are the same field; send one"),
                    ))
                }
                _ => *slot = Some(v),
            }
        }
        if let Some(c) = &out.country {
            if !is_alpha3(c) {
                return Err(FieldError::new(
                    "country",
                    "INVALID_COUNTRY",
                    "`country` must be an ISO 3166 alpha-3 code such as USA",
                ));
            }
            out.country = Some(c.to_ascii_uppercase());
        }
        Ok(out)
    }

    /// Reads a stored `address` column's JSON: the canonical object; the
    /// free-form text an older row kept (as `address_line_1`); or an older
    /// free-form object, of which the address keys above (any spelling,
    /// strings or numbers) are kept and anything else is left out of the
    /// answer (the row itself is left as it is). `None` when nothing is set.
    pub fn from_stored(v: &Value) -> Option<Address> {
        let out = match v {
            Value::String(s) if s.trim().is_empty() => return None,
            Value::String(s) => Address {
                address_line_1: Some(s.clone()),
                ..Address::default()
            },
            Value::Object(m) => Address::from_object(m).unwrap_or_else(|_| {
                let mut out = Address::default();
                for (k, v) in m {
                    let text = match v {
                        Value::String(s) if !s.trim().is_empty() => s.clone(),
                        Value::Number(n) => n.to_string(),
                        _ => continue,
                    };
                    let canonical = ADDRESS_KEYS.iter().find(|(key, _)| key == k);
                    if let Some(slot) = canonical.and_then(|&(_, c)| out.slot(c)) {
                        slot.get_or_insert(text);
                    }
                }
                if let Some(c) = out.country.as_mut().filter(|c| is_alpha3(c)) {
                    *c = c.to_ascii_uppercase();
                }
                out
            }),
            _ => return None,
        };
        (!out.is_empty()).then_some(out)
    }
}

/// An ISO 3166 alpha-3 code in any case (`COL`, `usa`).
fn is_alpha3(c: &str) -> bool {
    c.len() == 3 && c.bytes().all(|b| b.is_ascii_alphabetic())
}

/// `POST /end-users/create` body, and `new_end_user_details`.
#[derive(Debug, Clone, PartialEq)]
pub struct EndUserInput {
    /// `INDIVIDUAL` (default) or `COMPANY` (also sent as `ORGANIZATION`).
    pub kind: EndUserType,
    /// Required for individuals.
    pub first_name: Option<String>,
    /// Family name.
    pub last_name: Option<String>,
    /// Required for companies.
    pub organization: Option<String>,
    /// National id or similar; never shown on public pages.
    pub local_id: Option<String>,
    /// One of [`LOCAL_ID_TYPES`], e.g. `NATIONAL_ID`.
    pub local_id_type: Option<&'static str>,
    /// ISO 3166 alpha-3, upper-case.
    pub local_id_country: Option<String>,
    /// `YYYY-MM-DD`.
    pub date_of_birth: Option<String>,
    /// Contact email.
    pub email: Option<String>,
    /// Contact phone, canonical (see [`PhoneNumber`]).
    pub phone_number: Option<PhoneNumber>,
    /// Postal address, canonical (see [`Address`]); `None` when no field
    /// is set.
    pub address: Option<Address>,
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

/// Accepted `local_id_type` values: DRUO's example `NATIONAL_ID`, and the
/// values older integrations send.
pub const LOCAL_ID_TYPES: &[&str] = &[
    "NATIONAL_ID",
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
/// `organization` for a company.
fn end_user_names(o: &Obj) -> Result<(EndUserType, Option<String>, Option<String>), FieldError> {
    let kind = match opt_string(o, "type", 64)? {
        None => EndUserType::Individual,
        Some(s) => EndUserType::read(&s).ok_or_else(|| {
            FieldError::new(
                "type",
                "INVALID_VALUE",
                "`type` must be one of INDIVIDUAL, COMPANY (ORGANIZATION is read as COMPANY)",
            )
        })?,
    };
    let first_name = opt_string(o, "first_name", 100)?.filter(|s| !s.trim().is_empty());
    let organization = opt_string(o, "organization", 200)?.filter(|s| !s.trim().is_empty());
    let missing = match kind {
        EndUserType::Individual => first_name.is_none(),
        EndUserType::Company => organization.is_none(),
    };
    if missing {
        let field = kind.required_name();
        return Err(FieldError::new(
            field,
            "REQUIRED",
            format!("`{field}` is required when `type` is {kind}"),
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

/// `address`: DRUO's object (see [`Address::from_object`]), or the older
/// free-form text, kept as `address_line_1`. Blank text or an object with
/// no field set is unset.
fn opt_address(o: &Obj) -> Result<Option<Address>, FieldError> {
    const F: &str = "address";
    let out = match o.get(F) {
        None | Some(Value::Null) => return Ok(None),
        Some(Value::Object(m)) => Address::from_object(m).map_err(|e| e.within(F))?,
        Some(Value::String(s)) if s.trim().is_empty() => return Ok(None),
        Some(Value::String(_)) => Address {
            address_line_1: opt_string(o, F, SHORT_TEXT_MAX)?,
            ..Address::default()
        },
        Some(_) => {
            return Err(FieldError::new(
                F,
                "INVALID_TYPE",
                "`address` must be an object (address_line_1 … country) or a string",
            ))
        }
    };
    Ok((!out.is_empty()).then_some(out))
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
        is_alpha3,
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
        phone_number: opt_phone(o)?,
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
        number_rule(Some(inst), &self.account_number)
            .map_err(|p| FieldError::new(F, p.as_str(), number_message(F, p, Some(inst))))?;
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

    fn eu(v: Value) -> Result<EndUserInput, FieldError> {
        end_user(&obj(v))
    }

    fn refused(v: Value) -> (String, String) {
        let e = eu(v).unwrap_err();
        (e.field, e.code)
    }

    fn pair(field: &str, code: &str) -> (String, String) {
        (field.to_string(), code.to_string())
    }

    #[test]
    fn end_user_type_individual_or_company() {
        // Default and explicit INDIVIDUAL need a first name.
        assert_eq!(
            eu(json!({"first_name": "Ana"})).unwrap().kind,
            EndUserType::Individual
        );
        assert_eq!(
            refused(json!({"type": "INDIVIDUAL", "organization": "NOVO SAS"})),
            pair("first_name", "REQUIRED")
        );
        // DRUO's COMPANY, in any case, needs an organization.
        let c = eu(json!({"type": "company", "organization": "NOVO SAS"})).unwrap();
        assert_eq!(c.kind, EndUserType::Company);
        assert_eq!(
            refused(json!({"type": "COMPANY", "first_name": "Ana"})),
            pair("organization", "REQUIRED")
        );
        // The older ORGANIZATION is the same type, stored as COMPANY.
        let o = eu(json!({"type": "ORGANIZATION", "organization": "NOVO SAS"})).unwrap();
        assert_eq!(o.kind, EndUserType::Company);
        assert_eq!(o.kind.as_str(), "COMPANY");
        assert_eq!(
            refused(json!({"type": "ORGANIZATION"})),
            pair("organization", "REQUIRED")
        );
        for bad in [json!("ROBOT"), json!(""), json!("PERSON")] {
            assert_eq!(
                refused(json!({"first_name": "A", "type": bad})),
                pair("type", "INVALID_VALUE")
            );
        }
        // Stored rows read both spellings too (`read`); serde, which only
        // ever sees what this service wrote, the canonical one.
        assert_eq!(
            EndUserType::read("ORGANIZATION"),
            Some(EndUserType::Company)
        );
        assert_eq!(
            serde_json::from_value::<EndUserType>(json!("COMPANY")).unwrap(),
            EndUserType::Company
        );
        assert_eq!(
            serde_json::to_value(EndUserType::Company).unwrap(),
            json!("COMPANY")
        );
        assert_eq!(EndUserType::read("VENDOR"), None);
    }

    #[test]
    fn local_id_type_includes_druos_national_id() {
        for (sent, want) in [
            ("NATIONAL_ID", "NATIONAL_ID"),
            ("national_id", "NATIONAL_ID"),
            ("NATIONAL_IDENTITY_CARD", "NATIONAL_IDENTITY_CARD"),
            ("PASSPORT", "PASSPORT"),
        ] {
            let u = eu(json!({"first_name": "A", "local_id_type": sent})).unwrap();
            assert_eq!(u.local_id_type, Some(want), "{sent}");
        }
        assert_eq!(
            refused(json!({"first_name": "A", "local_id_type": "CEDULA"})),
            pair("local_id_type", "INVALID_VALUE")
        );
    }

    fn phone(v: Value) -> Result<Option<PhoneNumber>, FieldError> {
        eu(json!({"first_name": "A", "phone_number": v})).map(|u| u.phone_number)
    }

    fn pn(cc: &str, n: &str) -> Option<PhoneNumber> {
        Some(PhoneNumber {
            country_code: cc.into(),
            number: n.into(),
        })
    }

    #[test]
    fn phone_number_object_form() {
        // DRUO's example: integers, answered as strings.
        assert_eq!(
            phone(json!({"country_code": 1, "number": 2025550198})).unwrap(),
            pn("1", "2025550198")
        );
        assert_eq!(
            phone(json!({"country_code": "+57", "number": "3001234567"})).unwrap(),
            pn("57", "3001234567")
        );
        // A string number keeps its leading zeros.
        assert_eq!(
            phone(json!({"country_code": "44", "number": "02079460958"})).unwrap(),
            pn("44", "02079460958")
        );
        assert_eq!(
            serde_json::to_value(pn("57", "3001234567")).unwrap(),
            json!({"country_code": "57", "number": "3001234567"})
        );
        let e = |v: Value| {
            let e = phone(v).unwrap_err();
            (e.field, e.code)
        };
        assert_eq!(
            e(json!({"number": 3001234567u64})),
            pair("phone_number.country_code", "REQUIRED")
        );
        assert_eq!(
            e(json!({"country_code": 57})),
            pair("phone_number.number", "REQUIRED")
        );
        assert_eq!(
            e(json!({"country_code": "5777", "number": "3001234567"})),
            pair("phone_number.country_code", "INVALID_LENGTH")
        );
        assert_eq!(
            e(json!({"country_code": "CO", "number": "3001234567"})),
            pair("phone_number.country_code", "INVALID_FORMAT")
        );
        assert_eq!(
            e(json!({"country_code": "057", "number": "3001234567"})),
            pair("phone_number.country_code", "INVALID_FORMAT")
        );
        assert_eq!(
            e(json!({"country_code": true, "number": "3001234567"})),
            pair("phone_number.country_code", "INVALID_TYPE")
        );
        assert_eq!(
            e(json!({"country_code": 57, "number": "123"})),
            pair("phone_number.number", "INVALID_LENGTH")
        );
        assert_eq!(
            e(json!({"country_code": 57, "number": "1234567890123456"})),
            pair("phone_number.number", "INVALID_LENGTH")
        );
        assert_eq!(
            e(json!({"country_code": 57, "number": "300 123 4567"})),
            pair("phone_number.number", "DIGITS_ONLY")
        );
        assert_eq!(
            e(json!({"country_code": 57, "number": -3001234567i64})),
            pair("phone_number.number", "INVALID_TYPE")
        );
        assert_eq!(
            e(json!({"country_code": 57, "number": 3001234567u64, "ext": "12"})),
            pair("phone_number.ext", "UNKNOWN_FIELD")
        );
        assert_eq!(e(json!([57])), pair("phone_number", "INVALID_TYPE"));
        // Inside new_end_user_details the path grows.
        let c = connect(
            json!({"existing_end_user_id": null, "new_end_user_details": {
                "first_name": "Ana", "phone_number": {"country_code": 57, "number": "12"}
            }}),
        )
        .unwrap_err();
        assert_eq!(c.field, "new_end_user_details.phone_number.number");
    }

    #[test]
    fn phone_number_older_text_form_is_converted() {
        for (sent, want) in [
            (json!("+57 300 123 4567"), pn("57", "3001234567")),
            (json!("+573001234567"), pn("57", "3001234567")),
            (json!("3001234567"), pn("57", "3001234567")),
            (json!("300-123-4567"), pn("57", "3001234567")),
            (json!(3001234567u64), pn("57", "3001234567")),
            (json!("+1 (202) 555-0198"), pn("1", "2025550198")),
            (json!("+12025550198"), pn("1", "2025550198")),
            (json!("+44 20 7946 0958"), pn("44", "2079460958")),
            (json!(""), None),
            (json!(null), None),
        ] {
            assert_eq!(phone(sent.clone()).unwrap(), want, "{sent}");
        }
        for bad in [
            "6015551234",      // a landline: no country code to infer
            "573001234567",    // no +
            "+442079460958",   // no separator after an ambiguous code
            "+57 12",          // too short
            "call 3001234567", // letters
            "+57 300 +1",
            "+0 3001234567",
        ] {
            let e = phone(json!(bad)).unwrap_err();
            assert_eq!(
                (e.field.as_str(), e.code.as_str()),
                ("phone_number", "INVALID_FORMAT"),
                "{bad}"
            );
        }
        assert_eq!(phone(json!("3".repeat(33))).unwrap_err().code, "TOO_LONG");
    }

    #[test]
    fn phone_number_stored_forms_read_back() {
        assert_eq!(
            PhoneNumber::from_stored(r#"{"country_code":"57","number":"3001234567"}"#),
            pn("57", "3001234567")
        );
        // Rows written before the object form kept the text as sent.
        assert_eq!(
            PhoneNumber::from_stored("+57 300 123 4567"),
            pn("57", "3001234567")
        );
        assert_eq!(
            PhoneNumber::from_stored("3001234567"),
            pn("57", "3001234567")
        );
        assert_eq!(PhoneNumber::from_stored("ext. 12"), None);
    }

    fn address(v: Value) -> Result<Option<Address>, FieldError> {
        eu(json!({"first_name": "A", "address": v})).map(|u| u.address)
    }

    #[test]
    fn address_object_form() {
        let a = address(json!({
            "address_line_1": "1600 Pennsylvania Avenue NW", "address_line_2": "Suite 1",
            "address_line_3": null, "locality": "Washington", "sublocality": "Downtown",
            "administrative_district": "DC", "postal_code": 20500, "country": "usa"
        }))
        .unwrap()
        .unwrap();
        assert_eq!(
            a.address_line_1.as_deref(),
            Some("1600 Pennsylvania Avenue NW")
        );
        assert_eq!(a.address_line_3, None);
        assert_eq!(a.postal_code.as_deref(), Some("20500"));
        assert_eq!(a.country.as_deref(), Some("USA"));
        let v = serde_json::to_value(&a).unwrap();
        assert_eq!(v["address_line_3"], Value::Null);
        assert_eq!(v.as_object().unwrap().len(), 8);
        // The attribute list's spellings fill the canonical fields.
        let b = address(json!({
            "address_line1": "Cra 7 # 12-34", "address_line2": "Apto 501",
            "address_line3": "Torre B", "adminisrative_district": "Cundinamarca",
            "country": "COL"
        }))
        .unwrap()
        .unwrap();
        assert_eq!(b.address_line_1.as_deref(), Some("Cra 7 # 12-34"));
        assert_eq!(b.address_line_2.as_deref(), Some("Apto 501"));
        assert_eq!(b.address_line_3.as_deref(), Some("Torre B"));
        assert_eq!(b.administrative_district.as_deref(), Some("Cundinamarca"));
        // Both spellings agree: fine; they disagree: refused.
        assert!(address(json!({"address_line1": "X", "address_line_1": "X"})).is_ok());
        let e = |v: Value| {
            let e = address(v).unwrap_err();
            (e.field, e.code)
        };
        let (field, code) = e(json!({"address_line1": "X", "address_line_1": "Y"}));
        assert!(field.starts_with("address.address_line"), "{field}");
        assert_eq!(code, "DUPLICATE_FIELD");
        assert_eq!(
            e(json!({"street": "Cra 7"})),
            pair("address.street", "UNKNOWN_FIELD")
        );
        assert_eq!(
            e(json!({"country": "CO"})),
            pair("address.country", "INVALID_COUNTRY")
        );
        assert_eq!(
            e(json!({"locality": "x".repeat(SHORT_TEXT_MAX + 1)})),
            pair("address.locality", "TOO_LONG")
        );
        assert!(address(json!({"locality": "x".repeat(SHORT_TEXT_MAX)})).is_ok());
        assert_eq!(
            e(json!({"locality": {"name": "Bogotá"}})),
            pair("address.locality", "INVALID_TYPE")
        );
        assert_eq!(e(json!(12)), pair("address", "INVALID_TYPE"));
        // Nothing set is no address.
        assert_eq!(
            address(json!({"locality": "", "country": null})).unwrap(),
            None
        );
    }

    #[test]
    fn address_older_text_form_is_converted() {
        let a = address(json!("Cra 7 # 12-34, Bogotá")).unwrap().unwrap();
        assert_eq!(
            a,
            Address {
                address_line_1: Some("Cra 7 # 12-34, Bogotá".into()),
                ..Address::default()
            }
        );
        assert_eq!(address(json!("  ")).unwrap(), None);
        assert_eq!(
            address(json!("x".repeat(SHORT_TEXT_MAX + 1)))
                .unwrap_err()
                .code,
            "TOO_LONG"
        );
    }

    #[test]
    fn address_stored_forms_read_back() {
        let canonical = Address {
            locality: Some("Bogotá".into()),
            country: Some("COL".into()),
            ..Address::default()
        };
        let stored = serde_json::to_value(&canonical).unwrap();
        assert_eq!(Address::from_stored(&stored), Some(canonical));
        assert_eq!(
            Address::from_stored(&json!("Calle 1")),
            Some(Address {
                address_line_1: Some("Calle 1".into()),
                ..Address::default()
            })
        );
        // An older free-form object: address keys kept, the rest left out.
        let old = Address::from_stored(&json!({
            "street": "Cra 7", "address_line1": "Cra 7 # 12-34", "postal_code": 110111,
            "country": "Colombia"
        }))
        .unwrap();
        assert_eq!(old.address_line_1.as_deref(), Some("Cra 7 # 12-34"));
        assert_eq!(old.postal_code.as_deref(), Some("110111"));
        assert_eq!(old.country.as_deref(), Some("Colombia"));
        assert_eq!(Address::from_stored(&json!({"street": "Cra 7"})), None);
        assert_eq!(Address::from_stored(&json!("")), None);
    }

    #[test]
    fn druos_documented_end_user_example_is_accepted() {
        let u = eu(json!({
            "type": "COMPANY", "first_name": "John", "last_name": "Smith",
            "organization": "ACME Corp", "local_id": "45235553",
            "local_id_type": "NATIONAL_ID", "local_id_country": "COL",
            "date_of_birth": "1990-01-31", "email": "john.smith@gmail.com",
            "phone_number": {"country_code": 1, "number": 2025550198u64},
            "address": {
                "address_line_1": "1600 Pennsylvania Avenue NW", "address_line_2": null,
                "address_line_3": null, "locality": "Washington", "sublocality": null,
                "administrative_district": "DC", "postal_code": "20500", "country": "USA"
            }
        }))
        .unwrap();
        assert_eq!(u.kind, EndUserType::Company);
        assert_eq!(u.local_id_type, Some("NATIONAL_ID"));
        assert_eq!(u.local_id_country.as_deref(), Some("COL"));
        assert_eq!(u.phone_number, pn("1", "2025550198"));
        assert_eq!(u.address.and_then(|a| a.country).as_deref(), Some("USA"));
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
            number_lengths: vec![],
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

    /// The page's submit body (`dto::ConnectSubmit`, as the page prints
    /// it) is what the service's parser reads, field for field: a renamed
    /// field on either side fails here, not in a browser.
    #[test]
    fn the_pages_submit_body_is_what_the_service_parses() {
        let submit = crate::dto::ConnectSubmit {
            institution_uuid: "ins_1".into(),
            account_type: "DEPOSITORY".into(),
            subtype: AccountSubtype::Checking,
            account_number: "0012345674".into(),
            user_authorization: true,
        };
        let v = serde_json::to_value(&submit).unwrap();
        let parsed = account_core(v.as_object().unwrap()).unwrap();
        assert_eq!(parsed.institution_uuid, "ins_1");
        assert!(parsed.has_type);
        assert_eq!(parsed.subtype, Some(AccountSubtype::Checking));
        assert_eq!(parsed.account_number, "0012345674", "leading zeros kept");
        let refused = crate::dto::ConnectSubmit {
            user_authorization: false,
            ..submit
        };
        let v = serde_json::to_value(&refused).unwrap();
        assert_eq!(
            account_core(v.as_object().unwrap()).unwrap_err().field,
            "user_authorization"
        );
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
}
