//! The account form's rules, shared by the connect and checkout pages: what
//! is wrong with each field, and which field a service error belongs to.

use crate::dto::{AccountSubtype, Institution};
use crate::input::{number_rule, subtype_rule, SubtypeProblem};
use crate::status::{FieldCode, NumberProblem};

/// A field of the account form.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Field {
    /// The institution picker.
    Institution,
    /// Savings or checking.
    Subtype,
    /// The account number.
    Number,
    /// The account number, typed again.
    Confirm,
    /// The legal authorization checkbox.
    Authorization,
}

/// What is wrong with a field.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Problem {
    /// Nothing entered or chosen.
    Required,
    /// Something other than ASCII digits.
    DigitsOnly,
    /// Too few or too many digits.
    Length,
    /// The two numbers differ.
    Mismatch,
    /// The institution does not offer the chosen subtype.
    Unsupported,
    /// The box is not ticked.
    NotAuthorized,
    /// A wallet's number that is not a Colombian mobile number.
    NotAMobileNumber,
    /// The service refused the value for a reason the form cannot check.
    Refused,
}

/// The form as typed.
#[derive(Debug, Clone, Copy)]
pub struct AccountForm<'a> {
    /// Chosen institution.
    pub institution: Option<&'a Institution>,
    /// Chosen subtype.
    pub subtype: Option<AccountSubtype>,
    /// Account number as typed.
    pub number: &'a str,
    /// Account number typed again.
    pub confirm: &'a str,
    /// Authorization ticked.
    pub authorized: bool,
}

/// Every problem of the form, field by field, in display order. Empty means
/// the form may be submitted. The subtype and number rules are the
/// service's own (`core::input::subtype_rule`, `core::input::number_rule`),
/// chosen by the institution: a wallet needs no subtype and takes its
/// mobile number, a bank its own digit counts; with no institution chosen
/// yet, a bank's rule.
pub fn validate(f: &AccountForm<'_>) -> Vec<(Field, Problem)> {
    let mut out = Vec::new();
    match f.institution {
        None => out.push((Field::Institution, Problem::Required)),
        Some(inst) => match subtype_rule(inst, f.subtype) {
            Ok(_) => {}
            Err(SubtypeProblem::Required) => out.push((Field::Subtype, Problem::Required)),
            Err(SubtypeProblem::Unsupported) => out.push((Field::Subtype, Problem::Unsupported)),
        },
    }
    if let Err(n) = number_rule(f.institution, f.number) {
        out.push((Field::Number, number_problem(n)));
    }
    if f.confirm.is_empty() {
        out.push((Field::Confirm, Problem::Required));
    } else if f.confirm != f.number {
        out.push((Field::Confirm, Problem::Mismatch));
    }
    if !f.authorized {
        out.push((Field::Authorization, Problem::NotAuthorized));
    }
    out
}

/// How the form words a refused account number.
fn number_problem(n: NumberProblem) -> Problem {
    match n {
        NumberProblem::Required => Problem::Required,
        NumberProblem::DigitsOnly => Problem::DigitsOnly,
        NumberProblem::InvalidLength => Problem::Length,
        NumberProblem::NotAMobileNumber => Problem::NotAMobileNumber,
    }
}

/// The first problem of `field`, if any.
pub fn problem_of(problems: &[(Field, Problem)], field: Field) -> Option<Problem> {
    problems.iter().find(|(f, _)| *f == field).map(|(_, p)| *p)
}

/// Places a service field error (`field` and `code` of the error body) on
/// the form field it belongs to, with the problem to show. `None` when the
/// error names no form field.
pub fn service_error(field: Option<&str>, code: &str) -> Option<(Field, Problem)> {
    let f = match field? {
        "institution_uuid" => Field::Institution,
        "subtype" | "type" => Field::Subtype,
        "account_number" => Field::Number,
        "user_authorization" => Field::Authorization,
        _ => return None,
    };
    // The number codes are `NumberProblem`'s spellings (REQUIRED is also
    // what any missing field answers).
    let p = match (NumberProblem::parse(code), FieldCode::parse(code)) {
        (Some(n), _) => number_problem(n),
        (None, Some(FieldCode::UnsupportedSubtype)) => Problem::Unsupported,
        (None, Some(FieldCode::UserAuthorizationRequired)) => Problem::NotAuthorized,
        (None, None) => Problem::Refused,
    };
    Some((f, p))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dto::InstitutionKind;

    fn nequi() -> Institution {
        Institution {
            uuid: "ins_n".into(),
            name: "Nequi".into(),
            kind: InstitutionKind::Wallet,
            subtypes: vec![AccountSubtype::Savings],
            popularity: Some(2),
            brand_color: String::new(),
            mark: String::new(),
            number_lengths: vec![],
        }
    }

    fn form<'a>(
        i: Option<&'a Institution>,
        s: Option<AccountSubtype>,
        n: &'a str,
        c: &'a str,
        a: bool,
    ) -> AccountForm<'a> {
        AccountForm {
            institution: i,
            subtype: s,
            number: n,
            confirm: c,
            authorized: a,
        }
    }

    fn bank() -> Institution {
        Institution {
            uuid: "ins_b".into(),
            name: "Davivienda".into(),
            kind: InstitutionKind::Bank,
            subtypes: vec![AccountSubtype::Savings, AccountSubtype::Checking],
            popularity: Some(3),
            brand_color: String::new(),
            mark: String::new(),
            number_lengths: vec![],
        }
    }

    #[test]
    fn a_complete_form_is_valid() {
        let n = nequi();
        assert!(validate(&form(
            Some(&n),
            Some(AccountSubtype::Savings),
            "3001234567",
            "3001234567",
            true
        ))
        .is_empty());
    }

    #[test]
    fn each_field_says_why() {
        let n = nequi();
        let p = validate(&form(None, None, "", "", false));
        assert_eq!(
            p,
            vec![
                (Field::Institution, Problem::Required),
                (Field::Number, Problem::Required),
                (Field::Confirm, Problem::Required),
                (Field::Authorization, Problem::NotAuthorized)
            ]
        );
        let p = validate(&form(
            Some(&n),
            Some(AccountSubtype::Checking),
            "12a456",
            "12a457",
            true,
        ));
        assert_eq!(problem_of(&p, Field::Subtype), Some(Problem::Unsupported));
        assert_eq!(problem_of(&p, Field::Number), Some(Problem::DigitsOnly));
        assert_eq!(problem_of(&p, Field::Confirm), Some(Problem::Mismatch));
        let b = bank();
        let p = validate(&form(Some(&b), None, "12345", "12345", true));
        assert_eq!(problem_of(&p, Field::Subtype), Some(Problem::Required));
        assert_eq!(problem_of(&p, Field::Number), Some(Problem::Length));
        assert_eq!(problem_of(&p, Field::Confirm), None);
        let p = validate(&form(
            Some(&b),
            Some(AccountSubtype::Savings),
            &"9".repeat(21),
            &"9".repeat(21),
            true,
        ));
        assert_eq!(p, vec![(Field::Number, Problem::Length)]);
    }

    #[test]
    fn a_wallet_takes_a_mobile_number_and_no_subtype() {
        let n = nequi();
        assert!(validate(&form(Some(&n), None, "3001234567", "3001234567", true)).is_empty());
        // The service's rule: ten digits starting with 3.
        for number in ["123456", "30012345678", "4001234567"] {
            let p = validate(&form(Some(&n), None, number, number, true));
            assert_eq!(
                p,
                vec![(Field::Number, Problem::NotAMobileNumber)],
                "{number}"
            );
        }
        // A bank still takes 6 to 20 digits and needs a subtype.
        let b = bank();
        let p = validate(&form(Some(&b), None, "123456", "123456", true));
        assert_eq!(p, vec![(Field::Subtype, Problem::Required)]);
    }

    #[test]
    fn service_errors_land_on_their_field() {
        assert_eq!(
            service_error(Some("account_number"), "DIGITS_ONLY"),
            Some((Field::Number, Problem::DigitsOnly))
        );
        assert_eq!(
            service_error(Some("subtype"), "UNSUPPORTED_SUBTYPE"),
            Some((Field::Subtype, Problem::Unsupported))
        );
        assert_eq!(
            service_error(Some("institution_uuid"), "UNKNOWN_INSTITUTION"),
            Some((Field::Institution, Problem::Refused))
        );
        assert_eq!(
            service_error(Some("user_authorization"), "USER_AUTHORIZATION_REQUIRED"),
            Some((Field::Authorization, Problem::NotAuthorized))
        );
        assert_eq!(
            service_error(Some("account_number"), "NOT_A_MOBILE_NUMBER"),
            Some((Field::Number, Problem::NotAMobileNumber))
        );
        assert_eq!(service_error(None, "INTERNAL"), None);
        assert_eq!(service_error(Some("metadata"), "X"), None);
    }
}
