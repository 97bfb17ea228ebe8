//! Institution search: accent- and case-insensitive, so "bogota" finds
//! "Banco de Bogotá" and "ITAU" finds "Itaú".

use crate::dto::Institution;

/// Lower-cases and strips the diacritics Spanish and Portuguese names use.
pub fn fold(s: &str) -> String {
    s.chars()
        .flat_map(char::to_lowercase)
        .map(|c| match c {
            'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' => 'a',
            'è' | 'é' | 'ê' | 'ë' => 'e',
            'ì' | 'í' | 'î' | 'ï' => 'i',
            'ò' | 'ó' | 'ô' | 'õ' | 'ö' => 'o',
            'ù' | 'ú' | 'û' | 'ü' => 'u',
            'ñ' => 'n',
            'ç' => 'c',
            'ý' | 'ÿ' => 'y',
            other => other,
        })
        .collect()
}

/// True when every word of `query` appears in `name`, ignoring case and
/// accents. An empty query matches everything.
pub fn matches(name: &str, query: &str) -> bool {
    let name = fold(name);
    fold(query).split_whitespace().all(|w| name.contains(w))
}

/// The institutions matching `query`, keeping the catalog's order (most
/// used first); names starting with the query come before the rest.
pub fn filter<'a>(list: &'a [Institution], query: &str) -> Vec<&'a Institution> {
    let q = fold(query.trim());
    let (mut starts, mut rest): (Vec<_>, Vec<_>) = list
        .iter()
        .filter(|i| matches(&i.name, &q))
        .partition(|i| !q.is_empty() && fold(&i.name).starts_with(&q));
    starts.append(&mut rest);
    starts
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dto::{AccountSubtype, InstitutionKind};

    fn inst(name: &str) -> Institution {
        Institution {
            uuid: format!("ins_{name}"),
            name: name.into(),
            kind: InstitutionKind::Bank,
            subtypes: vec![AccountSubtype::Savings],
            popularity: None,
        }
    }

    fn names(list: &[Institution], q: &str) -> Vec<String> {
        filter(list, q)
            .into_iter()
            .map(|i| i.name.clone())
            .collect()
    }

    #[test]
    fn accents_and_case_do_not_matter() {
        let list = vec![
            inst("Bancolombia"),
            inst("Banco de Bogotá"),
            inst("Itaú"),
            inst("Bancamía"),
        ];
        assert_eq!(names(&list, "bogota"), ["Banco de Bogotá"]);
        assert_eq!(names(&list, "BOGOTÁ"), ["Banco de Bogotá"]);
        assert_eq!(names(&list, "itau"), ["Itaú"]);
        assert_eq!(
            names(&list, "  "),
            ["Bancolombia", "Banco de Bogotá", "Itaú", "Bancamía"]
        );
        assert_eq!(names(&list, "de bog"), ["Banco de Bogotá"]);
        assert!(names(&list, "zzz").is_empty());
    }

    #[test]
    fn prefix_matches_come_first_otherwise_catalog_order() {
        let list = vec![
            inst("Banco Popular"),
            inst("Nu Colombia"),
            inst("Bancolombia"),
        ];
        assert_eq!(names(&list, "colombia"), ["Nu Colombia", "Bancolombia"]);
        assert_eq!(names(&list, "banco"), ["Banco Popular", "Bancolombia"]);
        assert_eq!(names(&list, "nu"), ["Nu Colombia"]);
    }

    #[test]
    fn fold_is_lowercase_without_marks() {
        assert_eq!(fold("ÑANDÚ Ça"), "nandu ca");
    }
}
