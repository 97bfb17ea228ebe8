//! Merchant colours: strict `#RGB`/`#RRGGBB` parsing (nothing else may reach
//! a CSS custom property) and WCAG 2.2 contrast.

use std::fmt;

/// A validated sRGB colour. Its `Display` is always `#rrggbb`, so only
/// these seven characters are ever written into a style.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct HexColor {
    /// Red channel.
    pub r: u8,
    /// Green channel.
    pub g: u8,
    /// Blue channel.
    pub b: u8,
}

impl HexColor {
    /// Parses exactly `#RGB` or `#RRGGBB` (ASCII hex, any case). Anything
    /// else — whitespace, `;`, a fourth digit, a full-width `＃` — is refused.
    pub fn parse(s: &str) -> Option<HexColor> {
        let hex = s.strip_prefix('#')?;
        if !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
            return None;
        }
        let digit = |b: u8| (b as char).to_digit(16).map(|d| d as u8);
        let bytes = hex.as_bytes();
        match bytes.len() {
            3 => {
                let c = |i: usize| digit(bytes[i]).map(|d| d * 17);
                Some(HexColor {
                    r: c(0)?,
                    g: c(1)?,
                    b: c(2)?,
                })
            }
            6 => {
                let c = |i: usize| Some(digit(bytes[i])? * 16 + digit(bytes[i + 1])?);
                Some(HexColor {
                    r: c(0)?,
                    g: c(2)?,
                    b: c(4)?,
                })
            }
            _ => None,
        }
    }

    /// Pure black.
    pub const BLACK: HexColor = HexColor { r: 0, g: 0, b: 0 };
    /// Pure white.
    pub const WHITE: HexColor = HexColor {
        r: 255,
        g: 255,
        b: 255,
    };

    /// WCAG 2.2 relative luminance (sRGB linearised, Rec. 709 weights).
    pub fn relative_luminance(self) -> f64 {
        fn lin(c: u8) -> f64 {
            let s = c as f64 / 255.0;
            if s <= 0.04045 {
                s / 12.92
            } else {
                ((s + 0.055) / 1.055).powf(2.4)
            }
        }
        0.2126 * lin(self.r) + 0.7152 * lin(self.g) + 0.0722 * lin(self.b)
    }
}

impl fmt::Display for HexColor {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "#{:02x}{:02x}{:02x}", self.r, self.g, self.b)
    }
}

/// WCAG contrast ratio between two colours, from 1.0 to 21.0.
pub fn contrast_ratio(a: HexColor, b: HexColor) -> f64 {
    let (la, lb) = (a.relative_luminance(), b.relative_luminance());
    let (hi, lo) = if la >= lb { (la, lb) } else { (lb, la) };
    (hi + 0.05) / (lo + 0.05)
}

/// WCAG 2.2 AA minimum for normal text.
pub const AA_TEXT: f64 = 4.5;
/// WCAG 2.2 AA minimum for user-interface components (the button).
pub const AA_UI: f64 = 3.0;

/// Black or white, whichever contrasts more with `background`; used where a
/// merchant's text colour fails AA.
pub fn readable_on(background: HexColor) -> HexColor {
    if contrast_ratio(HexColor::BLACK, background) >= contrast_ratio(HexColor::WHITE, background) {
        HexColor::BLACK
    } else {
        HexColor::WHITE
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn c(s: &str) -> HexColor {
        HexColor::parse(s).unwrap()
    }

    #[test]
    fn accepts_short_and_long_forms() {
        assert_eq!(c("#fff"), HexColor::WHITE);
        assert_eq!(c("#FFFFFF"), HexColor::WHITE);
        assert_eq!(c("#1a2B3c").to_string(), "#1a2b3c");
        assert_eq!(c("#abc").to_string(), "#aabbcc");
    }

    #[test]
    fn refuses_everything_else() {
        for s in [
            "",
            "#",
            "fff",
            "#ff",
            "#ffff",
            "#fffff",
            "#fffffff",
            "#ggg",
            "red",
            "red;background:url(//x)",
            "#fff;}",
            "＃fff",
            "#fff\n",
            " #fff",
            "#fff ",
            "#+ff",
            "#ff\u{0}",
        ] {
            assert_eq!(HexColor::parse(s), None, "{s:?}");
        }
    }

    #[test]
    fn contrast_matches_known_wcag_pairs() {
        let r = contrast_ratio(c("#777777"), HexColor::WHITE);
        assert!((r - 4.48).abs() < 0.005, "{r}");
        let r = contrast_ratio(HexColor::BLACK, HexColor::WHITE);
        assert!((r - 21.0).abs() < 1e-9);
        assert!((contrast_ratio(c("#333"), c("#333")) - 1.0).abs() < 1e-9);
        // Order does not matter.
        assert_eq!(
            contrast_ratio(c("#123456"), c("#fedcba")),
            contrast_ratio(c("#fedcba"), c("#123456"))
        );
    }

    #[test]
    fn readable_on_picks_the_passing_extreme() {
        assert_eq!(readable_on(c("#ffff00")), HexColor::BLACK);
        assert_eq!(readable_on(c("#000080")), HexColor::WHITE);
        for bg in ["#777", "#808080", "#0a7", "#f00", "#00f"] {
            let bg = c(bg);
            assert!(contrast_ratio(readable_on(bg), bg) >= AA_TEXT, "{bg}");
        }
    }
}
