//! Lenient readers for merchant JSON fields. The reference pages disagree
//! with themselves (booleans as `"FALSE"`, numbers as strings, `metadata` as
//! a string, `default_language` wrapped in `{ "code" }`): each reader accepts
//! every documented form and yields one canonical value, or a [`FieldError`]
//! that names the field.

use crate::color::HexColor;
use crate::dto::{AccountSubtype, Institution, InstitutionKind};
use crate::status::NumberProblem;
use crate::time::{parse_iso8601, Millis};
use crate::url::parse_http_url;
use crate::{FieldError, Lang};
use serde_json::{Map, Value};

/// A JSON object as received.
pub type Obj = Map<String, Value>;

fn type_err(field: &str, want: &str) -> FieldError {
    FieldError::new(field, "INVALID_TYPE", format!("`{field}` must be {want}"))
}

/// Reads an optional string; numbers are accepted and kept as their decimal
/// text (references are often sent as numbers). Longer than `max`
/// characters is an error.
pub fn opt_string(o: &Obj, field: &str, max: usize) -> Result<Option<String>, FieldError> {
    let s = match o.get(field) {
        None | Some(Value::Null) => return Ok(None),
        Some(Value::String(s)) => s.clone(),
        Some(Value::Number(n)) => n.to_string(),
        Some(_) => return Err(type_err(field, "a string")),
    };
    if s.chars().count() > max {
        return Err(FieldError::new(
            field,
            "TOO_LONG",
            format!("`{field}` must be at most {max} characters"),
        ));
    }
    Ok(Some(s))
}

/// Reads a string that must be present and not blank.
pub fn req_string(o: &Obj, field: &str, max: usize) -> Result<String, FieldError> {
    match opt_string(o, field, max)? {
        Some(s) if !s.trim().is_empty() => Ok(s),
        _ => Err(FieldError::new(
            field,
            "REQUIRED",
            format!("`{field}` is required"),
        )),
    }
}

/// Reads a boolean sent as `true`/`false` or as the strings `"true"`,
/// `"FALSE"` (any case). Missing or null gives `default`.
pub fn opt_bool(o: &Obj, field: &str, default: bool) -> Result<bool, FieldError> {
    match o.get(field) {
        None | Some(Value::Null) => Ok(default),
        Some(Value::Bool(b)) => Ok(*b),
        Some(Value::String(s)) if s.trim().eq_ignore_ascii_case("true") => Ok(true),
        Some(Value::String(s)) if s.trim().eq_ignore_ascii_case("false") => Ok(false),
        Some(_) => Err(type_err(field, "true or false")),
    }
}

/// Parses a language value: a string (`en_US`, `es-co`, …) or the checkout
/// response's `{ "code": "en_US" }`. Empty means unset.
pub fn lang_value(v: &Value, field: &str) -> Result<Option<Lang>, FieldError> {
    let s = match v {
        Value::Null => return Ok(None),
        Value::String(s) => s.as_str(),
        Value::Object(m) => match m.get("code") {
            Some(Value::String(s)) => s.as_str(),
            _ => return Err(type_err(field, "a language code such as en_US")),
        },
        _ => return Err(type_err(field, "a language code such as en_US")),
    };
    if s.trim().is_empty() {
        return Ok(None);
    }
    Lang::parse(s).map(Some).ok_or_else(|| {
        FieldError::new(
            field,
            "INVALID_LANGUAGE",
            format!("`{field}` must be one of en_US, es_CO (also accepted: en-us, es-co)"),
        )
    })
}

/// Reads an optional language field; see [`lang_value`].
pub fn opt_lang(o: &Obj, field: &str) -> Result<Option<Lang>, FieldError> {
    o.get(field).map_or(Ok(None), |v| lang_value(v, field))
}

/// Reads an optional colour: exactly `#RGB` or `#RRGGBB`. An empty string
/// means "use the default", as the checkout reference describes.
pub fn opt_color(o: &Obj, field: &str) -> Result<Option<HexColor>, FieldError> {
    match o.get(field) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) if s.is_empty() => Ok(None),
        Some(Value::String(s)) => HexColor::parse(s).map(Some).ok_or_else(|| {
            FieldError::new(
                field,
                "INVALID_COLOR",
                format!("`{field}` must be a hex colour such as #333 or #333333"),
            )
        }),
        Some(_) => Err(type_err(field, "a hex colour string such as #333333")),
    }
}

/// Reads an optional ISO-8601 instant (GMT when no zone is given).
pub fn opt_timestamp(o: &Obj, field: &str) -> Result<Option<Millis>, FieldError> {
    match opt_string(o, field, 64)? {
        None => Ok(None),
        Some(s) if s.is_empty() => Ok(None),
        Some(s) => parse_iso8601(&s).map(Some).ok_or_else(|| {
            FieldError::new(
                field,
                "INVALID_DATE",
                format!("`{field}` must be an ISO-8601 date-time such as 2021-11-16T23:23:38 or 2023-10-14T03:32:21.198Z"),
            )
        }),
    }
}

/// Reads an optional absolute http(s) URL; see [`parse_http_url`].
pub fn opt_http_url(o: &Obj, field: &str) -> Result<Option<String>, FieldError> {
    match opt_string(o, field, crate::url::MAX_URL_LEN)? {
        None => Ok(None),
        Some(s) if s.is_empty() => Ok(None),
        Some(s) => parse_http_url(&s)
            .map(|u| Some(u.as_string()))
            .map_err(|e| FieldError::new(field, "INVALID_URL", format!("`{field}`: {e}"))),
    }
}

/// Most keys `metadata` may have.
pub const METADATA_MAX_KEYS: usize = 50;
/// Longest metadata key, in characters.
pub const METADATA_MAX_KEY_LEN: usize = 40;
/// Longest metadata value, in characters (non-strings count as JSON text).
pub const METADATA_MAX_VALUE_LEN: usize = 500;

/// Reads `metadata`: a JSON object, or a string holding one (as documented).
/// At most 50 keys, keys at most 40 characters, values at most 500.
pub fn metadata(o: &Obj, field: &str) -> Result<Obj, FieldError> {
    let map = match o.get(field) {
        None | Some(Value::Null) => return Ok(Obj::new()),
        Some(Value::Object(m)) => m.clone(),
        Some(Value::String(s)) if s.trim().is_empty() => return Ok(Obj::new()),
        Some(Value::String(s)) => match serde_json::from_str::<Value>(s) {
            Ok(Value::Object(m)) => m,
            _ => return Err(type_err(field, "an object of key-value pairs")),
        },
        Some(_) => return Err(type_err(field, "an object of key-value pairs")),
    };
    if map.len() > METADATA_MAX_KEYS {
        return Err(FieldError::new(
            field,
            "METADATA_TOO_MANY_KEYS",
            format!("`{field}` may have at most {METADATA_MAX_KEYS} keys"),
        ));
    }
    for (k, v) in &map {
        if k.chars().count() > METADATA_MAX_KEY_LEN {
            return Err(FieldError::new(
                field,
                "METADATA_KEY_TOO_LONG",
                format!("`{field}` keys must be at most {METADATA_MAX_KEY_LEN} characters"),
            ));
        }
        let len = match v {
            Value::String(s) => s.chars().count(),
            other => other.to_string().chars().count(),
        };
        if len > METADATA_MAX_VALUE_LEN {
            return Err(FieldError::new(
                field,
                "METADATA_VALUE_TOO_LONG",
                format!("`{field}` values must be at most {METADATA_MAX_VALUE_LEN} characters"),
            ));
        }
    }
    Ok(map)
}

/// Reads a number sent as a string or a non-negative integer, as text
/// (leading zeros only survive as strings, so strings are kept verbatim).
/// Which digits are acceptable is the caller's rule.
pub fn number_text(o: &Obj, field: &str) -> Result<Option<String>, FieldError> {
    match o.get(field) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.clone())),
        Some(Value::Number(n)) if n.is_u64() => Ok(Some(n.to_string())),
        Some(_) => Err(type_err(field, "a string of digits")),
    }
}

/// Reads a digit string of `min..=max` digits (see [`number_text`]).
pub fn digits(o: &Obj, field: &str, min: usize, max: usize) -> Result<Option<String>, FieldError> {
    let Some(s) = number_text(o, field)? else {
        return Ok(None);
    };
    if !all_digits(&s) {
        return Err(FieldError::new(
            field,
            NumberProblem::DigitsOnly.as_str(),
            format!("`{field}` must contain digits only"),
        ));
    }
    if s.len() < min || s.len() > max {
        return Err(FieldError::new(
            field,
            NumberProblem::InvalidLength.as_str(),
            format!("`{field}` must have {min} to {max} digits"),
        ));
    }
    Ok(Some(s))
}

fn all_digits(s: &str) -> bool {
    s.bytes().all(|b| b.is_ascii_digit())
}

/// Fewest digits in a bank account number.
pub const ACCOUNT_NUMBER_MIN: usize = 6;
/// Most digits in a bank account number.
pub const ACCOUNT_NUMBER_MAX: usize = 20;
/// Digits in a Colombian mobile number (a wallet's account number).
pub const MOBILE_NUMBER_LEN: usize = 10;

/// The digit counts `inst`'s account numbers may have, ascending: a
/// wallet's mobile number; a bank's own (`Institution::number_lengths`,
/// from public sources); 6 to 20 when the bank has none, or none is chosen.
pub fn number_lengths(inst: Option<&Institution>) -> Vec<usize> {
    match inst {
        Some(i) if i.kind == InstitutionKind::Wallet => vec![MOBILE_NUMBER_LEN],
        // Ascending as the catalog declares them (its test holds that):
        // sorting here would cost the page's wasm a sort.
        Some(i) if !i.number_lengths.is_empty() => {
            i.number_lengths.iter().map(|&n| usize::from(n)).collect()
        }
        _ => (ACCOUNT_NUMBER_MIN..=ACCOUNT_NUMBER_MAX).collect(),
    }
}

/// Digit counts as people say them: a run of three or more is a range
/// ("6 to 20"), anything else a list ("12 or 16").
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Lengths {
    /// From the first to the second, inclusive.
    Range(usize, usize),
    /// One of these, ascending.
    OneOf(Vec<usize>),
}

impl Lengths {
    /// `lengths` (ascending, as [`number_lengths`] gives them) as said.
    pub fn of(lengths: &[usize]) -> Lengths {
        match (lengths.first(), lengths.last()) {
            (Some(&a), Some(&b)) if lengths.len() > 2 && b - a + 1 == lengths.len() => {
                Lengths::Range(a, b)
            }
            _ => Lengths::OneOf(lengths.to_vec()),
        }
    }

    /// In words, with `to` and `or` in the reader's language ("6 to 20",
    /// "9, 10, 16 or 20").
    pub fn words(&self, to: &str, or: &str) -> String {
        match self {
            Lengths::Range(a, b) => to
                .replace("{min}", &a.to_string())
                .replace("{max}", &b.to_string()),
            Lengths::OneOf(v) => match v.split_last() {
                Some((last, [])) => last.to_string(),
                Some((last, rest)) => {
                    let list: Vec<String> = rest.iter().map(usize::to_string).collect();
                    or.replace("{list}", &list.join(", "))
                        .replace("{last}", &last.to_string())
                }
                None => String::new(),
            },
        }
    }
}

/// The account-number rule shared by the service and the page's form,
/// chosen by the institution (a bank's when none is chosen yet): ASCII
/// digits only; a bank's number has one of its [`number_lengths`]; a
/// wallet's is the owner's Colombian mobile number, 10 digits starting
/// with 3. Returns the problem (its `as_str()` is the API's error code).
pub fn number_rule(inst: Option<&Institution>, s: &str) -> Result<(), NumberProblem> {
    if s.is_empty() {
        return Err(NumberProblem::Required);
    }
    if !all_digits(s) {
        return Err(NumberProblem::DigitsOnly);
    }
    match inst.map_or(InstitutionKind::Bank, |i| i.kind) {
        InstitutionKind::Bank if !number_lengths(inst).contains(&s.len()) => {
            Err(NumberProblem::InvalidLength)
        }
        InstitutionKind::Wallet if s.len() != MOBILE_NUMBER_LEN || !s.starts_with('3') => {
            Err(NumberProblem::NotAMobileNumber)
        }
        _ => Ok(()),
    }
}

/// The English message of a refused account number at `inst`, for
/// integrators.
pub fn number_message(field: &str, problem: NumberProblem, inst: Option<&Institution>) -> String {
    match problem {
        NumberProblem::Required => format!("`{field}` is required"),
        NumberProblem::DigitsOnly => format!("`{field}` must contain digits only"),
        NumberProblem::InvalidLength => {
            let digits = Lengths::of(&number_lengths(inst)).words("{min} to {max}", "{list} or {last}");
            match inst.filter(|i| !i.number_lengths.is_empty()) {
                Some(i) => format!("`{field}` must have {digits} digits at {}", i.name),
                None => format!("`{field}` must have {digits} digits"),
            }
        }
        NumberProblem::NotAMobileNumber => format!(
            "`{field}` must be the wallet's Colombian mobile number: {MOBILE_NUMBER_LEN} digits starting with 3"
        ),
    }
}

/// Why a subtype cannot be used at an institution.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SubtypeProblem {
    /// None chosen, and the institution does not imply one.
    Required,
    /// The institution does not offer it (`UNSUPPORTED_SUBTYPE`).
    Unsupported,
}

/// The subtype an account at `inst` gets, shared by the service and the
/// page's form: the chosen one when the institution offers it; with none
/// chosen, a wallet's single subtype (a wallet has no account type to ask
/// for).
pub fn subtype_rule(
    inst: &Institution,
    chosen: Option<AccountSubtype>,
) -> Result<AccountSubtype, SubtypeProblem> {
    match (chosen, inst.kind, inst.subtypes.as_slice()) {
        (Some(s), _, offered) if offered.contains(&s) => Ok(s),
        (Some(_), _, _) => Err(SubtypeProblem::Unsupported),
        (None, InstitutionKind::Wallet, [only]) => Ok(*only),
        (None, _, _) => Err(SubtypeProblem::Required),
    }
}

/// Reads a positive whole amount of pesos: a JSON integer, or a number with
/// no fractional part (`20000.0`). Strings, zero, negatives and fractions
/// are refused: money must not be guessed.
pub fn positive_amount(o: &Obj, field: &str) -> Result<u64, FieldError> {
    let bad = || {
        FieldError::new(
            field,
            "INVALID_AMOUNT",
            format!("`{field}` must be a positive whole number of pesos"),
        )
    };
    match o.get(field) {
        None | Some(Value::Null) => Err(FieldError::new(
            field,
            "REQUIRED",
            format!("`{field}` is required"),
        )),
        Some(Value::Number(n)) => {
            if let Some(u) = n.as_u64() {
                return if u > 0 && u <= MAX_AMOUNT {
                    Ok(u)
                } else {
                    Err(bad())
                };
            }
            match n.as_f64() {
                Some(f) if f > 0.0 && f.fract() == 0.0 && f <= MAX_AMOUNT as f64 => Ok(f as u64),
                _ => Err(bad()),
            }
        }
        Some(_) => Err(bad()),
    }
}

/// Largest accepted amount: one hundred billion pesos, far above any real
/// checkout and far below where floating-point JSON loses integers.
pub const MAX_AMOUNT: u64 = 100_000_000_000;

/// Reads a nested object field; missing or null gives `None`.
pub fn opt_object<'a>(o: &'a Obj, field: &str) -> Result<Option<&'a Obj>, FieldError> {
    match o.get(field) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Object(m)) => Ok(Some(m)),
        Some(_) => Err(type_err(field, "an object")),
    }
}

/// Reads an upper-case enum value (any case accepted) from `allowed`.
pub fn opt_enum(
    o: &Obj,
    field: &str,
    allowed: &[&'static str],
) -> Result<Option<&'static str>, FieldError> {
    match opt_string(o, field, 64)? {
        None => Ok(None),
        Some(s) => {
            let up = s.trim().to_ascii_uppercase();
            allowed
                .iter()
                .find(|a| **a == up)
                .copied()
                .map(Some)
                .ok_or_else(|| {
                    FieldError::new(
                        field,
                        "INVALID_VALUE",
                        format!("`{field}` must be one of {}", allowed.join(", ")),
                    )
                })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn obj(v: Value) -> Obj {
        v.as_object().unwrap().clone()
    }

    #[test]
    fn booleans_in_every_documented_form() {
        let o = obj(json!({"a": true, "b": "FALSE", "c": "false", "d": "True", "e": 1, "f": "no"}));
        assert_eq!(opt_bool(&o, "a", false), Ok(true));
        assert_eq!(opt_bool(&o, "b", true), Ok(false));
        assert_eq!(opt_bool(&o, "c", true), Ok(false));
        assert_eq!(opt_bool(&o, "d", false), Ok(true));
        assert_eq!(opt_bool(&o, "missing", true), Ok(true));
        assert_eq!(opt_bool(&o, "e", false).unwrap_err().field, "e");
        assert_eq!(opt_bool(&o, "f", false).unwrap_err().code, "INVALID_TYPE");
    }

    #[test]
    fn languages_in_every_documented_form() {
        let o = obj(json!({"a": "es-co", "b": {"code": "en_US"}, "c": "", "d": "pt_BR", "e": 3}));
        assert_eq!(opt_lang(&o, "a"), Ok(Some(Lang::EsCo)));
        assert_eq!(opt_lang(&o, "b"), Ok(Some(Lang::EnUs)));
        assert_eq!(opt_lang(&o, "c"), Ok(None));
        assert_eq!(opt_lang(&o, "x"), Ok(None));
        let e = opt_lang(&o, "d").unwrap_err();
        assert_eq!(
            (e.field.as_str(), e.code.as_str()),
            ("d", "INVALID_LANGUAGE")
        );
        assert!(e.message.contains("en_US") && e.message.contains("es_CO"));
        assert!(opt_lang(&o, "e").is_err());
    }

    #[test]
    fn colours_strict_but_empty_means_default() {
        let o = obj(
            json!({"a": "#333", "b": "#eaeaea", "c": "", "d": "red;background:url(//x)", "e": "#ffff", "f": 333}),
        );
        assert_eq!(opt_color(&o, "a").unwrap().unwrap().to_string(), "#333333");
        assert!(opt_color(&o, "b").unwrap().is_some());
        assert_eq!(opt_color(&o, "c"), Ok(None));
        assert_eq!(opt_color(&o, "d").unwrap_err().code, "INVALID_COLOR");
        assert_eq!(opt_color(&o, "e").unwrap_err().code, "INVALID_COLOR");
        assert!(opt_color(&o, "f").is_err());
    }

    #[test]
    fn metadata_as_object_or_string_within_limits() {
        let ok = obj(json!({"m": {"order_id": "6735", "n": 3}, "s": "{\"order_id\": \"6735\"}"}));
        assert_eq!(metadata(&ok, "m").unwrap().len(), 2);
        assert_eq!(metadata(&ok, "s").unwrap()["order_id"], "6735");
        assert!(metadata(&ok, "none").unwrap().is_empty());

        let fifty: Obj = (0..50).map(|i| (format!("k{i}"), json!("v"))).collect();
        let fifty_one: Obj = (0..51).map(|i| (format!("k{i}"), json!("v"))).collect();
        assert!(metadata(&obj(json!({"m": fifty})), "m").is_ok());
        assert_eq!(
            metadata(&obj(json!({"m": fifty_one})), "m")
                .unwrap_err()
                .code,
            "METADATA_TOO_MANY_KEYS"
        );

        let k40 = "k".repeat(40);
        let k41 = "k".repeat(41);
        assert!(metadata(&obj(json!({"m": {k40: "v"}})), "m").is_ok());
        assert_eq!(
            metadata(&obj(json!({"m": {k41: "v"}})), "m")
                .unwrap_err()
                .code,
            "METADATA_KEY_TOO_LONG"
        );

        let v500 = "é".repeat(500);
        let v501 = "é".repeat(501);
        assert!(metadata(&obj(json!({"m": {"k": v500}})), "m").is_ok());
        assert_eq!(
            metadata(&obj(json!({"m": {"k": v501}})), "m")
                .unwrap_err()
                .code,
            "METADATA_VALUE_TOO_LONG"
        );
        assert!(metadata(&obj(json!({"m": "not json"})), "m").is_err());
        assert!(metadata(&obj(json!({"m": [1]})), "m").is_err());
    }

    #[test]
    fn account_numbers_keep_leading_zeros() {
        let o = obj(
            json!({"a": "0012345678", "b": 400326054, "c": "12-34", "d": "123", "e": -5, "f": 1.5}),
        );
        assert_eq!(digits(&o, "a", 6, 20), Ok(Some("0012345678".into())));
        assert_eq!(digits(&o, "b", 6, 20), Ok(Some("400326054".into())));
        assert_eq!(digits(&o, "c", 6, 20).unwrap_err().code, "DIGITS_ONLY");
        assert_eq!(digits(&o, "d", 6, 20).unwrap_err().code, "INVALID_LENGTH");
        assert!(digits(&o, "e", 6, 20).is_err());
        assert!(digits(&o, "f", 6, 20).is_err());
        assert_eq!(digits(&o, "d", 1, 20), Ok(Some("123".into())));
    }

    fn inst(kind: InstitutionKind, subtypes: Vec<AccountSubtype>, lengths: &[u8]) -> Institution {
        Institution {
            uuid: "ins_x".into(),
            name: "Banco X".into(),
            kind,
            subtypes,
            popularity: None,
            brand_color: String::new(),
            mark: String::new(),
            number_lengths: lengths.to_vec(),
        }
    }

    #[test]
    fn bank_numbers_have_6_to_20_digits_unless_the_bank_says() {
        let unknown = inst(InstitutionKind::Bank, vec![], &[]);
        for bank in [None, Some(&unknown)] {
            let rule = |s: &str| number_rule(bank, s);
            assert_eq!(rule(""), Err(NumberProblem::Required));
            assert_eq!(rule("１２３４５６"), Err(NumberProblem::DigitsOnly));
            assert_eq!(rule("12345"), Err(NumberProblem::InvalidLength));
            assert_eq!(rule(&"1".repeat(21)), Err(NumberProblem::InvalidLength));
            assert_eq!(rule("123456"), Ok(()));
            assert_eq!(rule(&"1".repeat(20)), Ok(()));
            // A bank does not care whether the number looks like a phone.
            assert_eq!(rule("3001234567"), Ok(()));
        }
        assert_eq!(
            number_message("account_number", NumberProblem::InvalidLength, None),
            "`account_number` must have 6 to 20 digits"
        );
    }

    #[test]
    fn a_bank_with_known_lengths_takes_only_those() {
        let bbva = inst(InstitutionKind::Bank, vec![], &[9, 10, 16, 20]);
        let rule = |s: &str| number_rule(Some(&bbva), s);
        for ok in ["123456789", "0123456789", &"1".repeat(16), &"1".repeat(20)] {
            assert_eq!(rule(ok), Ok(()), "{ok}");
        }
        for refused in ["12345678", "12345678901", &"1".repeat(15)] {
            assert_eq!(
                rule(refused),
                Err(NumberProblem::InvalidLength),
                "{refused}"
            );
        }
        assert_eq!(number_lengths(Some(&bbva)), vec![9, 10, 16, 20]);
        assert_eq!(
            number_message("account_number", NumberProblem::InvalidLength, Some(&bbva)),
            "`account_number` must have 9, 10, 16 or 20 digits at Banco X"
        );
        let one = inst(InstitutionKind::Bank, vec![], &[11]);
        assert_eq!(number_rule(Some(&one), "01687366007"), Ok(()));
        assert_eq!(
            number_rule(Some(&one), "1687366007"),
            Err(NumberProblem::InvalidLength)
        );
    }

    #[test]
    fn lengths_read_as_people_say_them() {
        let said = |v: &[usize]| Lengths::of(v).words("{min} to {max}", "{list} or {last}");
        assert_eq!(said(&[11]), "11");
        assert_eq!(said(&[12, 16]), "12 or 16");
        assert_eq!(said(&[9, 10]), "9 or 10");
        assert_eq!(said(&[6, 7, 8, 9]), "6 to 9");
        assert_eq!(said(&[9, 10, 16, 20]), "9, 10, 16 or 20");
        assert_eq!(Lengths::of(&number_lengths(None)), Lengths::Range(6, 20));
    }

    #[test]
    fn wallet_numbers_are_colombian_mobile_numbers() {
        let nequi = inst(InstitutionKind::Wallet, vec![AccountSubtype::Savings], &[]);
        let wallet = |s: &str| number_rule(Some(&nequi), s);
        assert_eq!(wallet("3001234567"), Ok(()));
        assert_eq!(wallet("3209871111"), Ok(()));
        assert_eq!(wallet(""), Err(NumberProblem::Required));
        assert_eq!(wallet("300 123 4567"), Err(NumberProblem::DigitsOnly));
        assert_eq!(wallet("+573001234567"), Err(NumberProblem::DigitsOnly));
        for refused in [
            "300123456",
            "30012345678",
            "2001234567",
            "6012345678",
            "123456",
        ] {
            assert_eq!(
                wallet(refused),
                Err(NumberProblem::NotAMobileNumber),
                "{refused}"
            );
        }
        assert!(number_message(
            "account_number",
            NumberProblem::NotAMobileNumber,
            Some(&nequi)
        )
        .contains("10 digits starting with 3"));
    }

    #[test]
    fn a_wallet_implies_its_single_subtype() {
        use AccountSubtype::{Checking, Savings};
        let nequi = inst(InstitutionKind::Wallet, vec![Savings], &[]);
        let bank = inst(InstitutionKind::Bank, vec![Savings, Checking], &[]);
        let one_type_bank = inst(InstitutionKind::Bank, vec![Savings], &[]);
        assert_eq!(subtype_rule(&nequi, None), Ok(Savings));
        assert_eq!(subtype_rule(&nequi, Some(Savings)), Ok(Savings));
        assert_eq!(
            subtype_rule(&nequi, Some(Checking)),
            Err(SubtypeProblem::Unsupported)
        );
        assert_eq!(subtype_rule(&bank, None), Err(SubtypeProblem::Required));
        assert_eq!(
            subtype_rule(&one_type_bank, None),
            Err(SubtypeProblem::Required)
        );
        assert_eq!(subtype_rule(&bank, Some(Checking)), Ok(Checking));
    }

    #[test]
    fn amounts_are_positive_whole_pesos() {
        let o = obj(
            json!({"a": 20000, "b": 20000.0, "c": 0, "d": -5, "e": 20000.5, "f": "20000", "g": 1e15}),
        );
        assert_eq!(positive_amount(&o, "a"), Ok(20000));
        assert_eq!(positive_amount(&o, "b"), Ok(20000));
        for f in ["c", "d", "e", "f", "g"] {
            assert_eq!(
                positive_amount(&o, f).unwrap_err().code,
                "INVALID_AMOUNT",
                "{f}"
            );
        }
        assert_eq!(positive_amount(&o, "missing").unwrap_err().code, "REQUIRED");
    }

    #[test]
    fn timestamps_urls_strings_and_enums() {
        let o = obj(json!({
            "t1": "2021-11-16T23:23:38", "t2": "2023-10-14T03:32:21.198Z", "t3": "tomorrow",
            "u1": "https://example.com", "u2": "javascript:alert(1)", "u3": "//evil.example",
            "s": 23423524, "long": "x".repeat(11), "blank": "  ", "arr": [1],
            "sub": "savings", "badsub": "BROKERAGE"
        }));
        assert!(opt_timestamp(&o, "t1").unwrap().is_some());
        assert!(opt_timestamp(&o, "t2").unwrap().is_some());
        assert_eq!(opt_timestamp(&o, "t3").unwrap_err().code, "INVALID_DATE");
        assert_eq!(
            opt_http_url(&o, "u1"),
            Ok(Some("https://example.com".into()))
        );
        assert_eq!(opt_http_url(&o, "u2").unwrap_err().code, "INVALID_URL");
        assert_eq!(opt_http_url(&o, "u3").unwrap_err().code, "INVALID_URL");
        assert_eq!(opt_string(&o, "s", 10), Ok(Some("23423524".into())));
        assert_eq!(opt_string(&o, "long", 10).unwrap_err().code, "TOO_LONG");
        assert_eq!(req_string(&o, "blank", 10).unwrap_err().code, "REQUIRED");
        assert_eq!(opt_string(&o, "arr", 10).unwrap_err().code, "INVALID_TYPE");
        assert_eq!(
            opt_enum(&o, "sub", &["SAVINGS", "CHECKING"]),
            Ok(Some("SAVINGS"))
        );
        assert_eq!(
            opt_enum(&o, "badsub", &["SAVINGS", "CHECKING"])
                .unwrap_err()
                .code,
            "INVALID_VALUE"
        );
    }
}
