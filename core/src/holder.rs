//! The account holder as a link page shows it. DRUO refuses an account
//! that is not the end user's (`ACCOUNT_DOES_NOT_BELONG_TO_END_USER`), so
//! the details step says whose account is expected before anything is
//! submitted; the service masks the name and document here, so nothing a
//! passer-by could use reaches the page.

use crate::dto::AccountHolder;

/// What the merchant registered about the end user, as stored.
#[derive(Debug, Clone, Copy, Default)]
pub struct Registered<'a> {
    /// A company: its name is `organization`.
    pub company: bool,
    /// Given name.
    pub first_name: Option<&'a str>,
    /// Family name.
    pub last_name: Option<&'a str>,
    /// A company's name.
    pub organization: Option<&'a str>,
    /// The document's number.
    pub local_id: Option<&'a str>,
    /// DRUO's kind of document (`NATIONAL_ID`…).
    pub local_id_type: Option<&'a str>,
    /// The document's country, ISO 3166 alpha-3.
    pub local_id_country: Option<&'a str>,
}

/// At most this many words of a name are shown.
const MAX_WORDS: usize = 4;
/// A document number shorter than this shows no digits: its last four
/// would be most of it.
const MIN_ID_LEN: usize = 6;

/// The initial of `word` and three dots ("Juan" → "J•••").
fn mask_word(word: &str) -> Option<String> {
    let initial = word.chars().find(|c| c.is_alphanumeric())?;
    Some(format!(
        "{}\u{2022}\u{2022}\u{2022}",
        initial.to_uppercase()
    ))
}

/// The masked holder, or `None` when no name was registered (the page
/// then says nothing rather than guess).
pub fn masked(r: &Registered<'_>) -> Option<AccountHolder> {
    let words: Vec<&str> = if r.company {
        r.organization.into_iter().collect()
    } else {
        [r.first_name, r.last_name].into_iter().flatten().collect()
    };
    let name: Vec<String> = words
        .iter()
        .flat_map(|w| w.split_whitespace())
        .filter_map(mask_word)
        .take(MAX_WORDS)
        .collect();
    if name.is_empty() {
        return None;
    }
    let id: Vec<char> = r
        .local_id
        .unwrap_or_default()
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .collect();
    let id_last_4 = (id.len() >= MIN_ID_LEN).then(|| id[id.len() - 4..].iter().collect::<String>());
    // A national document of another country is not a Colombian
    // cédula: the page calls it a document, not "CC".
    let kind = match (r.local_id_type, r.local_id_country) {
        (Some("NATIONAL_ID" | "NATIONAL_IDENTITY_CARD"), Some(c)) if c != "COL" => "OTHER",
        (Some(k), _) => k,
        (None, _) => "OTHER",
    };
    Some(AccountHolder {
        name: name.join(" "),
        id_type: id_last_4.as_ref().map(|_| kind.to_string()),
        id_last_4,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn person<'a>(first: &'a str, last: Option<&'a str>, id: Option<&'a str>) -> Registered<'a> {
        Registered {
            first_name: Some(first),
            last_name: last,
            local_id: id,
            local_id_type: Some("NATIONAL_ID"),
            ..Registered::default()
        }
    }

    #[test]
    fn a_person_shows_initials_and_the_documents_last_four() {
        let h = masked(&person("John", Some("Doe"), Some("1.023.454.321"))).unwrap();
        assert_eq!(
            h.name,
            "J\u{2022}\u{2022}\u{2022} D\u{2022}\u{2022}\u{2022}"
        );
        assert_eq!(h.id_last_4.as_deref(), Some("4321"));
        assert_eq!(h.id_type.as_deref(), Some("NATIONAL_ID"));
    }

    #[test]
    fn nothing_unmasked_is_kept() {
        let r = person("María José", Some("Gómez  Ruiz"), Some("52987654"));
        let h = masked(&r).unwrap();
        let shown = format!("{h:?}");
        for secret in ["aría", "osé", "ómez", "uiz", "5298765"] {
            assert!(!shown.contains(secret), "{secret} in {shown}");
        }
        assert_eq!(
            h.name.matches('\u{2022}').count(),
            12,
            "four words, three dots each"
        );
        assert!(h.name.starts_with("M\u{2022}"));
    }

    #[test]
    fn another_countrys_national_id_is_a_document() {
        let r = Registered {
            local_id_country: Some("USA"),
            ..person("John", Some("Doe"), Some("123456789"))
        };
        assert_eq!(masked(&r).unwrap().id_type.as_deref(), Some("OTHER"));
        let r = Registered {
            local_id_country: Some("COL"),
            ..person("John", Some("Doe"), Some("123456789"))
        };
        assert_eq!(masked(&r).unwrap().id_type.as_deref(), Some("NATIONAL_ID"));
    }

    #[test]
    fn a_short_document_shows_no_digits_and_no_kind() {
        let h = masked(&person("Ana", None, Some("12345"))).unwrap();
        assert_eq!((h.id_type, h.id_last_4), (None, None));
        let h = masked(&person("Ana", None, None)).unwrap();
        assert_eq!(h.name, "A\u{2022}\u{2022}\u{2022}");
    }

    #[test]
    fn a_company_shows_its_name_and_nothing_without_one() {
        let co = Registered {
            company: true,
            first_name: Some("Ana"),
            organization: Some("Ferretería El Tornillo S.A.S."),
            local_id: Some("900123456-7"),
            local_id_type: Some("TAX_ID"),
            ..Registered::default()
        };
        let h = masked(&co).unwrap();
        assert!(h
            .name
            .starts_with("F\u{2022}\u{2022}\u{2022} E\u{2022}\u{2022}\u{2022}"));
        assert_eq!(h.id_last_4.as_deref(), Some("4567"));
        assert_eq!(masked(&Registered::default()), None);
        assert_eq!(masked(&person("  ", None, Some("123456789"))), None);
    }
}
