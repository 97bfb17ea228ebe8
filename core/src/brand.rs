//! Institution marks: the brand colour an institution is drawn in, the
//! short mark on it, and the mark's text colour. The colours come from the
//! service's data, so they are validated here like a merchant's: anything
//! that is not a `#rgb`/`#rrggbb` colour becomes a neutral grey, and the
//! text is black or white, whichever reads at 4.5:1 or better.

use crate::color::{readable_on, HexColor};
use crate::dto::Institution;

/// The colour of a mark whose brand colour is missing or invalid: a
/// neutral slate that white text reads on (7.6:1).
pub const NEUTRAL_MARK: HexColor = HexColor {
    r: 0x4b,
    g: 0x55,
    b: 0x63,
};

/// The longest mark, in characters ("BBVA", "citi").
pub const MARK_MAX_CHARS: usize = 4;

/// True for a mark that fits a circle: 1 to 4 characters, none of them
/// blank or a control character.
pub fn valid_mark(mark: &str) -> bool {
    let n = mark.chars().count();
    (1..=MARK_MAX_CHARS).contains(&n) && !mark.chars().any(|c| c.is_whitespace() || c.is_control())
}

impl Institution {
    /// The validated brand colour, or [`NEUTRAL_MARK`].
    pub fn mark_color(&self) -> HexColor {
        HexColor::parse(&self.brand_color).unwrap_or(NEUTRAL_MARK)
    }

    /// Black or white, whichever reads on [`Institution::mark_color`]; one
    /// of them always reaches 4.5:1 on any colour.
    pub fn mark_text_color(&self) -> HexColor {
        readable_on(self.mark_color())
    }

    /// The mark to draw: the catalog's when valid, else the name's first
    /// character (the picker's former initial), else nothing.
    pub fn mark_text(&self) -> &str {
        if valid_mark(&self.mark) {
            return &self.mark;
        }
        let first = self.name.chars().next().map_or(0, char::len_utf8);
        &self.name[..first]
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::color::{contrast_ratio, AA_TEXT};
    use crate::dto::{AccountSubtype, InstitutionKind};

    fn inst(color: &str, mark: &str) -> Institution {
        Institution {
            uuid: "ins_x".into(),
            name: "Ñandú Banco".into(),
            kind: InstitutionKind::Bank,
            subtypes: vec![AccountSubtype::Savings],
            popularity: None,
            brand_color: color.into(),
            mark: mark.into(),
            number_lengths: vec![],
        }
    }

    #[test]
    fn a_valid_colour_is_used_and_its_text_reads() {
        let yellow = inst("#FDDA24", "BC");
        assert_eq!(yellow.mark_color().to_string(), "#fdda24");
        assert_eq!(yellow.mark_text_color(), HexColor::BLACK);
        let navy = inst("#004481", "BBVA");
        assert_eq!(navy.mark_text_color(), HexColor::WHITE);
        assert_eq!(navy.mark_text(), "BBVA");
    }

    #[test]
    fn a_missing_or_invalid_colour_falls_back_to_neutral() {
        for bad in ["", "red", "#12345", "#fdda24;x", "url(x)", "＃fff"] {
            let i = inst(bad, "N");
            assert_eq!(i.mark_color(), NEUTRAL_MARK, "{bad}");
            assert_eq!(i.mark_text_color(), HexColor::WHITE);
        }
        assert!(contrast_ratio(NEUTRAL_MARK, HexColor::WHITE) >= 7.0);
    }

    #[test]
    fn every_colour_gets_readable_text() {
        for v in (0..=255u8).step_by(15) {
            for c in [
                HexColor { r: v, g: v, b: v },
                HexColor {
                    r: v,
                    g: 0,
                    b: 255 - v,
                },
                HexColor { r: 255, g: v, b: 0 },
            ] {
                let i = inst(&c.to_string(), "X");
                assert!(contrast_ratio(i.mark_text_color(), c) >= AA_TEXT, "{c}");
            }
        }
    }

    #[test]
    fn an_unusable_mark_falls_back_to_the_initial() {
        for bad in ["", "BANCO", "B C", "\u{7}"] {
            assert_eq!(inst("#000", bad).mark_text(), "Ñ", "{bad:?}");
        }
        assert_eq!(inst("#000", "Dv!").mark_text(), "Dv!");
        let mut nameless = inst("#000", "");
        nameless.name.clear();
        assert_eq!(nameless.mark_text(), "");
        assert!(valid_mark("itaú") && !valid_mark("itaú!"));
    }
}
