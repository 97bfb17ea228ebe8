//! The Colombian institution catalog the service seeds: the banks and
//! wallets a Colombian user expects, each with the subtypes it supports,
//! its rank among the most used, and the brand colour and short mark the
//! picker draws it with. Ids are fixed so links and tests can name them
//! across databases (Davivienda's is the reference pages' id).

use druo_core::dto::{AccountSubtype, InstitutionKind};

/// One catalog row.
pub struct Entry {
    /// `ins_…`
    pub uuid: &'static str,
    /// Display name.
    pub name: &'static str,
    /// Bank or wallet.
    pub kind: InstitutionKind,
    /// Supported subtypes, in display order.
    pub subtypes: &'static [AccountSubtype],
    /// Rank among the most used (1 = most used), if any.
    pub popularity: Option<u32>,
    /// The brand's primary colour, `#RRGGBB`.
    pub brand_color: &'static str,
    /// The short mark drawn on it (1–4 characters).
    pub mark: &'static str,
    /// The digit counts of its account numbers, from public sources
    /// (docs/api.md, "Account numbers by institution"); empty when none
    /// is known or the sources disagree (then 6 to 20, or a wallet's
    /// mobile number).
    pub number_lengths: &'static [u8],
}

const BOTH: &[AccountSubtype] = &[AccountSubtype::Savings, AccountSubtype::Checking];
const SAVINGS: &[AccountSubtype] = &[AccountSubtype::Savings];
// "Up to n digits" in the sources, from our floor of 6.
const UP_TO_9: &[u8] = &[6, 7, 8, 9];
const UP_TO_11: &[u8] = &[6, 7, 8, 9, 10, 11];
const UP_TO_12: &[u8] = &[6, 7, 8, 9, 10, 11, 12];

/// Every seeded institution.
pub const INSTITUTIONS: &[Entry] = &[
    Entry {
        uuid: "ins_47eaa099-2cb6-416d-86dc-283cf0480ff9",
        name: "Bancolombia",
        kind: InstitutionKind::Bank,
        subtypes: BOTH,
        popularity: Some(1),
        brand_color: "#FDDA24",
        mark: "BC",
        number_lengths: &[11],
    },
    Entry {
        uuid: "ins_1509bb0a-9bf1-4331-8a11-8783593942a4",
        name: "Nequi",
        kind: InstitutionKind::Wallet,
        subtypes: SAVINGS,
        popularity: Some(2),
        brand_color: "#DA0081",
        mark: "N",
        number_lengths: &[],
    },
    Entry {
        uuid: "ins_9082d56c-4e1d-4967-a828-b7001755e88e",
        name: "Davivienda",
        kind: InstitutionKind::Bank,
        subtypes: BOTH,
        popularity: Some(3),
        brand_color: "#E1251B",
        mark: "DV",
        number_lengths: &[],
    },
    Entry {
        uuid: "ins_f5ec52ed-0108-4475-92e1-bc7656670b14",
        name: "Daviplata",
        kind: InstitutionKind::Wallet,
        subtypes: SAVINGS,
        popularity: Some(4),
        brand_color: "#ED1C24",
        mark: "DP",
        number_lengths: &[],
    },
    Entry {
        uuid: "ins_59ba1b0d-5c90-4158-a909-406c2e416788",
        name: "Banco de Bogotá",
        kind: InstitutionKind::Bank,
        subtypes: BOTH,
        popularity: Some(5),
        brand_color: "#003B7A",
        mark: "BB",
        number_lengths: UP_TO_9,
    },
    Entry {
        uuid: "ins_5d32fe61-985f-44e7-aa09-5ee82bb29976",
        name: "BBVA Colombia",
        kind: InstitutionKind::Bank,
        subtypes: BOTH,
        popularity: Some(6),
        brand_color: "#004481",
        mark: "BBVA",
        number_lengths: &[9, 10, 16, 20],
    },
    Entry {
        uuid: "ins_9a1e40b4-5815-4a99-99e2-d15364c7a500",
        name: "Nu Colombia",
        kind: InstitutionKind::Bank,
        subtypes: SAVINGS,
        popularity: Some(7),
        brand_color: "#820AD1",
        mark: "Nu",
        number_lengths: &[],
    },
    Entry {
        uuid: "ins_68b4aef7-3eaa-4e17-9d8a-4eace693ae2d",
        name: "Banco de Occidente",
        kind: InstitutionKind::Bank,
        subtypes: BOTH,
        popularity: Some(8),
        brand_color: "#0054A6",
        mark: "BO",
        number_lengths: UP_TO_9,
    },
    Entry {
        uuid: "ins_142c8364-7806-4577-93e7-83e7eb04b39b",
        name: "Banco AV Villas",
        kind: InstitutionKind::Bank,
        subtypes: BOTH,
        popularity: Some(9),
        brand_color: "#1D4F91",
        mark: "AV",
        number_lengths: &[],
    },
    Entry {
        uuid: "ins_3b041641-1788-44f2-a60d-f25453fe2e85",
        name: "Banco Popular",
        kind: InstitutionKind::Bank,
        subtypes: BOTH,
        popularity: Some(10),
        brand_color: "#00833E",
        mark: "BP",
        number_lengths: UP_TO_12,
    },
    Entry {
        uuid: "ins_00a154d8-5ed8-4bcc-b5c7-19c2add9ca88",
        name: "Banco Caja Social",
        kind: InstitutionKind::Bank,
        subtypes: BOTH,
        popularity: Some(11),
        brand_color: "#003DA5",
        mark: "CS",
        number_lengths: &[],
    },
    Entry {
        uuid: "ins_c0290103-855d-4f55-99ec-8712e8e3574f",
        name: "Scotiabank Colpatria",
        kind: InstitutionKind::Bank,
        subtypes: BOTH,
        popularity: Some(12),
        brand_color: "#EC111A",
        mark: "SC",
        number_lengths: &[10],
    },
    Entry {
        uuid: "ins_6e704245-a4ff-41e3-a794-9b80dcb0b82e",
        name: "Banco Agrario de Colombia",
        kind: InstitutionKind::Bank,
        subtypes: BOTH,
        popularity: None,
        brand_color: "#007A3D",
        mark: "BA",
        number_lengths: &[11],
    },
    Entry {
        uuid: "ins_de1b1471-320a-48ea-b7a7-88d106762832",
        name: "Itaú",
        kind: InstitutionKind::Bank,
        subtypes: BOTH,
        popularity: None,
        brand_color: "#EC7000",
        mark: "IT",
        number_lengths: &[9],
    },
    Entry {
        uuid: "ins_4350cc17-21e5-4f21-acd5-52a09ddbef12",
        name: "Banco GNB Sudameris",
        kind: InstitutionKind::Bank,
        subtypes: BOTH,
        popularity: None,
        brand_color: "#002B5C",
        mark: "GNB",
        number_lengths: UP_TO_11,
    },
    Entry {
        uuid: "ins_9ed89edd-d684-4325-b600-e6129ec04ece",
        name: "Banco Falabella",
        kind: InstitutionKind::Bank,
        subtypes: SAVINGS,
        popularity: None,
        brand_color: "#007937",
        mark: "BF",
        number_lengths: &[],
    },
    Entry {
        uuid: "ins_627bf322-5fac-4cb6-a34a-cb115ee347dd",
        name: "Banco Pichincha",
        kind: InstitutionKind::Bank,
        subtypes: BOTH,
        popularity: None,
        brand_color: "#FFDD00",
        mark: "PI",
        number_lengths: &[],
    },
    Entry {
        uuid: "ins_a930d55d-9545-40f3-ae88-9fe46f2c7a8c",
        name: "Bancoomeva",
        kind: InstitutionKind::Bank,
        subtypes: BOTH,
        popularity: None,
        brand_color: "#009A44",
        mark: "CO",
        number_lengths: &[],
    },
    Entry {
        uuid: "ins_43f2f193-6e85-4f08-b592-7b0fe339d309",
        name: "Banco Finandina",
        kind: InstitutionKind::Bank,
        subtypes: BOTH,
        popularity: None,
        brand_color: "#0072CE",
        mark: "FI",
        number_lengths: &[],
    },
    Entry {
        uuid: "ins_990d3cd8-381d-422f-850c-86bd84e0164b",
        name: "Banco Serfinanza",
        kind: InstitutionKind::Bank,
        subtypes: BOTH,
        popularity: None,
        brand_color: "#E4032E",
        mark: "SF",
        number_lengths: &[],
    },
    Entry {
        uuid: "ins_e07cb579-3e7f-497b-bcc1-c0c8b0cdf20a",
        name: "Lulo Bank",
        kind: InstitutionKind::Bank,
        subtypes: SAVINGS,
        popularity: None,
        brand_color: "#CCFF00",
        mark: "L",
        number_lengths: &[],
    },
    Entry {
        uuid: "ins_78f6d824-86ea-4214-b5c3-4e7e77ca4499",
        name: "Banco W",
        kind: InstitutionKind::Bank,
        subtypes: SAVINGS,
        popularity: None,
        brand_color: "#F39200",
        mark: "W",
        number_lengths: &[],
    },
    Entry {
        uuid: "ins_1dcd327f-761e-47cb-bb7e-8913655c1d15",
        name: "Bancamía",
        kind: InstitutionKind::Bank,
        subtypes: SAVINGS,
        popularity: None,
        brand_color: "#6B2C91",
        mark: "BM",
        number_lengths: &[],
    },
    Entry {
        uuid: "ins_9672be1a-7fed-4bb9-a92f-a271dbc52933",
        name: "Banco Mundo Mujer",
        kind: InstitutionKind::Bank,
        subtypes: SAVINGS,
        popularity: None,
        brand_color: "#E6007E",
        mark: "MM",
        number_lengths: &[11],
    },
    Entry {
        uuid: "ins_c44a66f4-cf25-4346-9cbe-4f50bdbcda98",
        name: "Banco Contactar",
        kind: InstitutionKind::Bank,
        subtypes: SAVINGS,
        popularity: None,
        brand_color: "#009FE3",
        mark: "CT",
        number_lengths: &[],
    },
    Entry {
        uuid: "ins_1e2ed6cb-6470-4f1f-934b-8db4b18fbdb1",
        name: "Banco Cooperativo Coopcentral",
        kind: InstitutionKind::Bank,
        subtypes: BOTH,
        popularity: None,
        brand_color: "#00843D",
        mark: "CC",
        number_lengths: &[],
    },
    Entry {
        uuid: "ins_4f859933-fdf0-445f-97e4-85b6761978dd",
        name: "Banco Santander de Negocios Colombia",
        kind: InstitutionKind::Bank,
        subtypes: BOTH,
        popularity: None,
        brand_color: "#EC0000",
        mark: "S",
        number_lengths: &[],
    },
    Entry {
        uuid: "ins_2e460a96-1894-4a23-9985-5162fd0b00ea",
        name: "Citibank Colombia",
        kind: InstitutionKind::Bank,
        subtypes: BOTH,
        popularity: None,
        brand_color: "#056DAE",
        mark: "citi",
        number_lengths: &[10],
    },
    Entry {
        uuid: "ins_310a853e-ec9a-42f2-8ea9-877af376bc25",
        name: "Banco Unión",
        kind: InstitutionKind::Bank,
        subtypes: SAVINGS,
        popularity: None,
        brand_color: "#0072BB",
        mark: "BU",
        number_lengths: &[],
    },
    Entry {
        uuid: "ins_64e752cc-93a9-48b6-81f7-2b0a43c20f56",
        name: "Mibanco",
        kind: InstitutionKind::Bank,
        subtypes: SAVINGS,
        popularity: None,
        brand_color: "#00A650",
        mark: "MB",
        number_lengths: &[],
    },
    Entry {
        uuid: "ins_bbb3a32a-cf00-477c-ba67-4d0a5fd11a32",
        name: "Confiar Cooperativa Financiera",
        kind: InstitutionKind::Bank,
        subtypes: SAVINGS,
        popularity: None,
        brand_color: "#F18A00",
        mark: "CF",
        number_lengths: &[],
    },
    Entry {
        uuid: "ins_79ded9f2-07d3-436c-905b-dd8f4ed3d99e",
        name: "Coltefinanciera",
        kind: InstitutionKind::Bank,
        subtypes: SAVINGS,
        popularity: None,
        brand_color: "#00529B",
        mark: "CL",
        number_lengths: &[],
    },
    Entry {
        uuid: "ins_8a9e1df7-e771-476e-ad78-3715ee6f7a8f",
        name: "Ualá",
        kind: InstitutionKind::Wallet,
        subtypes: SAVINGS,
        popularity: None,
        brand_color: "#3564FD",
        mark: "U",
        number_lengths: &[],
    },
    Entry {
        uuid: "ins_9e180bf5-c37e-41e2-a9fa-541c228a3129",
        name: "RappiPay",
        kind: InstitutionKind::Wallet,
        subtypes: SAVINGS,
        popularity: None,
        brand_color: "#FF441F",
        mark: "RP",
        number_lengths: &[],
    },
    Entry {
        uuid: "ins_20b81d7f-8e9e-4bb8-b4a3-7b2b926271f2",
        name: "MOVii",
        kind: InstitutionKind::Wallet,
        subtypes: SAVINGS,
        popularity: None,
        brand_color: "#6A1B9A",
        mark: "MV",
        number_lengths: &[],
    },
    Entry {
        uuid: "ins_aafaf84b-afd8-48d3-87f3-36da84c6a400",
        name: "Dale!",
        kind: InstitutionKind::Wallet,
        subtypes: SAVINGS,
        popularity: None,
        brand_color: "#00B2A9",
        mark: "D!",
        number_lengths: &[],
    },
    Entry {
        uuid: "ins_38bf8cc2-79b5-4a73-838e-4a118913c782",
        name: "Iris",
        kind: InstitutionKind::Bank,
        subtypes: SAVINGS,
        popularity: None,
        brand_color: "#5A2D82",
        mark: "IR",
        number_lengths: &[],
    },
];

#[cfg(test)]
mod tests {
    use super::*;
    use druo_core::brand::valid_mark;
    use druo_core::color::{contrast_ratio, HexColor, AA_TEXT};
    use druo_core::dto::Institution;
    use std::collections::HashSet;

    fn institution(e: &Entry) -> Institution {
        Institution {
            uuid: e.uuid.into(),
            name: e.name.into(),
            kind: e.kind,
            subtypes: e.subtypes.to_vec(),
            popularity: e.popularity,
            brand_color: e.brand_color.into(),
            mark: e.mark.into(),
            number_lengths: e.number_lengths.to_vec(),
        }
    }

    #[test]
    fn every_institution_has_a_colour_and_a_mark_that_reads_on_it() {
        for e in INSTITUTIONS {
            let colour = HexColor::parse(e.brand_color);
            assert!(
                colour.is_some() && e.brand_color.len() == 7,
                "{}: {}",
                e.name,
                e.brand_color
            );
            assert!(valid_mark(e.mark), "{}: {:?}", e.name, e.mark);
            let i = institution(e);
            assert_eq!(i.mark_text(), e.mark);
            let ratio = contrast_ratio(i.mark_text_color(), i.mark_color());
            assert!(ratio >= AA_TEXT, "{}: {ratio:.2}", e.name);
        }
    }

    #[test]
    fn the_most_used_institutions_look_different() {
        let mut ranked: Vec<&Entry> = INSTITUTIONS
            .iter()
            .filter(|e| e.popularity.is_some())
            .collect();
        ranked.sort_by_key(|e| e.popularity);
        assert!(ranked.len() >= 12);
        let top = &ranked[..12];
        let pairs: HashSet<_> = top
            .iter()
            .map(|e| (e.brand_color.to_ascii_lowercase(), e.mark))
            .collect();
        assert_eq!(
            pairs.len(),
            top.len(),
            "two popular institutions share a colour and mark"
        );
        // Stricter: no two popular marks read the same either.
        let marks: HashSet<_> = top.iter().map(|e| e.mark.to_ascii_lowercase()).collect();
        assert_eq!(marks.len(), top.len());
    }

    #[test]
    fn number_rules_are_real_bank_rules_and_respect_druos_example() {
        use druo_core::input::number_rule;
        for e in INSTITUTIONS {
            let i = institution(e);
            assert!(
                e.kind == InstitutionKind::Bank || e.number_lengths.is_empty(),
                "{}: a wallet's number is its mobile number",
                e.name
            );
            assert!(
                e.number_lengths.iter().all(|n| (6..=20).contains(n)),
                "{}: inside the 6 to 20 every bank allows",
                e.name
            );
            assert!(
                e.number_lengths.windows(2).all(|w| w[0] < w[1]),
                "{}: ascending, each once (the words \"6 to 9\" rely on it)",
                e.name
            );
            if e.name == "Davivienda" {
                // DRUO's own request example (accounts-validate) sends a
                // 10-digit Davivienda number: DRUO's documentation wins
                // over the third-party tables' 12 or 16.
                assert_eq!(number_rule(Some(&i), "1234567894"), Ok(()));
            }
        }
    }

    #[test]
    fn ids_names_and_ranks_are_unique() {
        let ids: HashSet<_> = INSTITUTIONS.iter().map(|e| e.uuid).collect();
        let names: HashSet<_> = INSTITUTIONS.iter().map(|e| e.name).collect();
        let ranks: Vec<_> = INSTITUTIONS.iter().filter_map(|e| e.popularity).collect();
        let unique_ranks: HashSet<_> = ranks.iter().collect();
        assert_eq!(ids.len(), INSTITUTIONS.len());
        assert_eq!(names.len(), INSTITUTIONS.len());
        assert_eq!(unique_ranks.len(), ranks.len());
    }
}
