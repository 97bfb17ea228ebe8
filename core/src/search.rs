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

/// The catalog's names folded once, so a keystroke folds only the query.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SearchIndex {
    names: Vec<String>,
}

impl SearchIndex {
    /// Indexes `list`; positions in the answers are positions in `list`.
    pub fn new(list: &[Institution]) -> Self {
        SearchIndex {
            names: list.iter().map(|i| fold(&i.name)).collect(),
        }
    }

    /// Positions of the institutions matching `query`, best first. Names
    /// containing every word come first (those starting with the query
    /// before the rest, else in catalog order); only when there are none,
    /// names within a typo of every word (`typo_distance`), closest first.
    /// An empty query matches everything, in catalog order.
    pub fn find(&self, query: &str) -> Vec<usize> {
        let q = fold(query.trim());
        let words = || q.split_whitespace();
        let mut starts = Vec::new();
        let mut rest = Vec::new();
        for (i, name) in self.names.iter().enumerate() {
            if words().all(|w| name.contains(w)) {
                if name.starts_with(q.as_str()) && !q.is_empty() {
                    starts.push(i);
                } else {
                    rest.push(i);
                }
            }
        }
        if !starts.is_empty() || !rest.is_empty() {
            starts.append(&mut rest);
            return starts;
        }
        let close: Vec<(usize, usize)> = self
            .names
            .iter()
            .enumerate()
            .filter_map(|(i, name)| {
                words()
                    .try_fold(0, |sum, w| Some(sum + typo_distance(w, name)?))
                    .map(|d| (d, i))
            })
            .collect();
        // Closest first, catalog order among equals. Distances are a few
        // edits, so one pass per distance beats pulling a sort into the wasm.
        let worst = close.iter().map(|c| c.0).max().unwrap_or(0);
        (0..=worst)
            .flat_map(|d| close.iter().filter(move |c| c.0 == d).map(|c| c.1))
            .collect()
    }
}

/// How far a folded query word is from the closest word of a folded
/// name, or from the start of one (so "nequ" still finds "nequi"), when
/// that is within what a typo explains: one edit (a wrong, missing, extra
/// or swapped letter) for words of 4 to 7 letters, two from 8. Shorter
/// words must match exactly, or "xq" would find anything. Folded names
/// are ASCII, so bytes are letters (and the wasm carries no char decoding).
pub fn typo_distance(word: &str, name: &str) -> Option<usize> {
    let q = word.as_bytes();
    let allowed = match q.len() {
        0..=3 => return None,
        4..=7 => 1,
        // No name has a longer word; a pasted essay must not cost a
        // table per keystroke.
        8..=32 => 2,
        _ => return None,
    };
    name.split_whitespace()
        .map(|w| prefix_distance(q, w.as_bytes()))
        .min()
        .filter(|d| *d <= allowed)
}

/// Optimal-string-alignment distance (Damerau–Levenshtein without
/// repeated edits of one substring) from `q` to the closest prefix of `w`,
/// the whole word included: the minimum of the table's last row. Runs only
/// when nothing matched exactly, on a few dozen names.
fn prefix_distance(q: &[u8], w: &[u8]) -> usize {
    let mut before: Vec<usize> = Vec::new();
    let mut prev: Vec<usize> = (0..=w.len()).collect();
    for i in 1..=q.len() {
        let mut cur = vec![i; w.len() + 1];
        for j in 1..=w.len() {
            let cost = usize::from(q[i - 1] != w[j - 1]);
            let mut d = (prev[j] + 1).min(cur[j - 1] + 1).min(prev[j - 1] + cost);
            if i > 1 && j > 1 && q[i - 1] == w[j - 2] && q[i - 2] == w[j - 1] {
                d = d.min(before[j - 2] + 1);
            }
            cur[j] = d;
        }
        before = std::mem::replace(&mut prev, cur);
    }
    prev.into_iter().min().unwrap_or(q.len())
}

/// Whether a bank search may be kept for the tab (so a reload keeps it).
/// Bank names carry no run of digits; a search with four or more digits
/// is an account or card number typed in the wrong box, and is never kept.
pub fn keepable_search(query: &str) -> bool {
    query.bytes().filter(u8::is_ascii_digit).count() < 4
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
            brand_color: String::new(),
            mark: String::new(),
            number_lengths: vec![],
        }
    }

    fn names(list: &[Institution], q: &str) -> Vec<String> {
        SearchIndex::new(list)
            .find(q)
            .into_iter()
            .map(|i| list[i].name.clone())
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

    /// The seeded catalog's names, most used first (server/src/catalog.rs).
    fn catalog() -> Vec<Institution> {
        [
            "Bancolombia",
            "Nequi",
            "Davivienda",
            "Daviplata",
            "Banco de Bogotá",
            "BBVA Colombia",
            "Nu Colombia",
            "Banco de Occidente",
            "Banco AV Villas",
            "Banco Popular",
            "Banco Caja Social",
            "Scotiabank Colpatria",
            "Banco Agrario de Colombia",
            "Itaú",
            "Banco GNB Sudameris",
            "Banco Falabella",
            "Banco Pichincha",
            "Bancoomeva",
            "Banco Finandina",
            "Banco Serfinanza",
            "Lulo Bank",
            "Banco W",
            "Bancamía",
            "Banco Mundo Mujer",
            "Banco Contactar",
            "Banco Cooperativo Coopcentral",
            "Banco Santander de Negocios Colombia",
            "Citibank Colombia",
            "Banco Unión",
            "Mibanco",
            "Confiar Cooperativa Financiera",
            "Coltefinanciera",
            "Ualá",
            "RappiPay",
            "MOVii",
            "Dale!",
            "Iris",
        ]
        .into_iter()
        .map(inst)
        .collect()
    }

    #[test]
    fn one_typo_per_word_still_finds_the_institution_first() {
        let list = catalog();
        for (typed, want) in [
            ("bancolmbia", "Bancolombia"),
            ("falabela", "Banco Falabella"),
            ("davivenda", "Davivienda"),
            ("nequ", "Nequi"),
            ("neqiu", "Nequi"),
            ("banco popluar", "Banco Popular"),
            ("bogta", "Banco de Bogotá"),
            ("DAVIPLATTA", "Daviplata"),
            ("scotibank", "Scotiabank Colpatria"),
        ] {
            assert_eq!(
                names(&list, typed).first().map(String::as_str),
                Some(want),
                "{typed}"
            );
        }
    }

    #[test]
    fn exact_matches_rank_above_typo_matches() {
        let list = catalog();
        // "banca" is in "Bancamía" as typed, so the typo match "Banco …"
        // (one letter off) is not offered.
        assert_eq!(names(&list, "banca"), ["Bancamía"]);
        assert_eq!(names(&list, "nequi"), ["Nequi"]);
        // Several typo matches: the closest first.
        let found = names(&list, "davivienxa");
        assert_eq!(found[0], "Davivienda");
    }

    #[test]
    fn nonsense_and_short_typos_find_nothing() {
        let list = catalog();
        for typed in ["zzzz", "xq", "qwerty", "nwq", "bancolombiaxyzw", "12345"] {
            assert!(
                names(&list, typed).is_empty(),
                "{typed}: {:?}",
                names(&list, typed)
            );
        }
    }

    #[test]
    fn typo_distance_counts_edits_to_a_word_or_its_start() {
        assert_eq!(typo_distance("nequ", "nequi"), Some(0));
        assert_eq!(typo_distance("neqiu", "nequi"), Some(1));
        assert_eq!(typo_distance("bancolmbia", "bancolombia"), Some(1));
        assert_eq!(typo_distance("bnacolmbia", "bancolombia"), Some(2));
        assert_eq!(typo_distance("bnacolmbai", "bancolombia"), None);
        assert_eq!(typo_distance("nqu", "nequi"), None);
        assert_eq!(typo_distance("popluar", "banco popular"), Some(1));
        assert_eq!(typo_distance(&"a".repeat(30), &"a".repeat(30)), Some(0));
        assert_eq!(typo_distance(&"a".repeat(33), &"a".repeat(33)), None);
    }

    #[test]
    fn fold_is_lowercase_without_marks() {
        assert_eq!(fold("ÑANDÚ Ça"), "nandu ca");
    }

    #[test]
    fn a_search_that_looks_like_a_number_is_never_kept() {
        assert!(keepable_search("davi"));
        assert!(keepable_search("banco 123"));
        assert!(keepable_search(""));
        assert!(!keepable_search("1234"));
        assert!(!keepable_search("0012 3456 7890"));
        assert!(!keepable_search("nequi 300 1234567"));
    }
}
