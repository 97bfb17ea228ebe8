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
        0.2126 * linear(self.r) + 0.7152 * linear(self.g) + 0.0722 * linear(self.b)
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

/// Below this OKLCH chroma a colour reads as grey: its "hue" is noise.
const GREY_CHROMA: f64 = 0.03;

/// sRGB channel (0–255) to linear light.
fn linear(c: u8) -> f64 {
    let s = c as f64 / 255.0;
    if s <= 0.04045 {
        s / 12.92
    } else {
        ((s + 0.055) / 1.055).powf(2.4)
    }
}

/// Linear light to an sRGB channel; `None` outside the gamut (with a
/// little slack for rounding), so a shade is never clipped into a
/// different hue.
fn encode(x: f64) -> Option<u8> {
    if !(-1e-4..=1.0 + 1e-4).contains(&x) {
        return None;
    }
    let x = x.clamp(0.0, 1.0);
    let s = if x <= 0.003_130_8 {
        12.92 * x
    } else {
        1.055 * x.powf(1.0 / 2.4) - 0.055
    };
    Some((s * 255.0).round() as u8)
}

/// OKLab `[L, a, b]` of a colour (Björn Ottosson's matrices). OKLab is
/// used, not HSL, because its L moves lightness without moving the hue a
/// person sees (HSL darkens yellow into olive-green and blue into violet).
pub fn oklab(c: HexColor) -> [f64; 3] {
    let (r, g, b) = (linear(c.r), linear(c.g), linear(c.b));
    // `powf` rather than `cbrt`: the page already links it, and the cone
    // responses of an sRGB colour are never negative.
    let cbrt = |x: f64| x.powf(1.0 / 3.0);
    let l = cbrt(0.412_221_470_8 * r + 0.536_332_536_3 * g + 0.051_445_992_9 * b);
    let m = cbrt(0.211_903_498_2 * r + 0.680_699_545_1 * g + 0.107_396_956_6 * b);
    let s = cbrt(0.088_302_461_9 * r + 0.281_718_837_6 * g + 0.629_978_700_5 * b);
    [
        0.210_454_255_3 * l + 0.793_617_785 * m - 0.004_072_046_8 * s,
        1.977_998_495_1 * l - 2.428_592_205 * m + 0.450_593_709_9 * s,
        0.025_904_037_1 * l + 0.782_771_766_2 * m - 0.808_675_766 * s,
    ]
}

/// The sRGB colour at OKLab `[L, a, b]`, or `None` outside the gamut.
fn from_oklab([l, a, b]: [f64; 3]) -> Option<HexColor> {
    let l_ = (l + 0.396_337_777_4 * a + 0.215_803_757_3 * b).powi(3);
    let m_ = (l - 0.105_561_345_8 * a - 0.063_854_172_8 * b).powi(3);
    let s_ = (l - 0.089_484_177_5 * a - 1.291_485_548 * b).powi(3);
    Some(HexColor {
        r: encode(4.076_741_662_1 * l_ - 3.307_711_591_3 * m_ + 0.230_969_929_2 * s_)?,
        g: encode(-1.268_438_004_6 * l_ + 2.609_757_401_1 * m_ - 0.341_319_396_5 * s_)?,
        b: encode(-0.004_196_086_3 * l_ - 0.703_418_614_7 * m_ + 1.707_614_701 * s_)?,
    })
}

/// OKLCH chroma: how far from grey a colour is.
pub fn chroma(c: HexColor) -> f64 {
    let [_, a, b] = oklab(c);
    (a * a + b * b).sqrt()
}

/// The colour at lightness `l` with the hue of `(a, b)` and as much of its
/// chroma as sRGB can show there (a bisection on the chroma: grey, its
/// zero, is always inside the gamut).
fn at_lightness(l: f64, a: f64, b: f64) -> HexColor {
    let l = l.clamp(0.0, 1.0);
    if let Some(c) = from_oklab([l, a, b]) {
        return c;
    }
    let (mut lo, mut hi) = (0.0, 1.0);
    for _ in 0..16 {
        let k = (lo + hi) / 2.0;
        if from_oklab([l, a * k, b * k]).is_some() {
            lo = k;
        } else {
            hi = k;
        }
    }
    from_oklab([l, a * lo, b * lo]).unwrap_or(if l < 0.5 {
        HexColor::BLACK
    } else {
        HexColor::WHITE
    })
}

/// The passing shades of `color` against `against`, nearest first (darker
/// first on a tie): its OKLab lightness moved darker and lighter, 1/256 at
/// a time, keeping its hue and as much chroma as sRGB allows, to the first
/// that reaches `min`. The ends are black and white, one of which passes
/// any `min` up to 4.5, so at least one is found.
fn passing_shades(color: HexColor, against: HexColor, min: f64) -> [Option<HexColor>; 2] {
    const STEPS: i32 = 256;
    let [l, a, b] = oklab(color);
    let first = |dir: i32| {
        (1..=STEPS).find_map(|i| {
            let c = at_lightness(l + f64::from(dir * i) / f64::from(STEPS), a, b);
            (contrast_ratio(c, against) >= min).then_some((i, c))
        })
    };
    match (first(-1), first(1)) {
        (Some((d, dark)), Some((u, light))) if u < d => [Some(light), Some(dark)],
        (dark, light) => [dark.map(|x| x.1), light.map(|x| x.1)],
    }
}

/// The nearest colour to `color` in its hue that reaches `min` against
/// `against` (`color` itself when it passes); deterministic and pure.
pub fn nearest_passing(color: HexColor, against: HexColor, min: f64) -> HexColor {
    if contrast_ratio(color, against) >= min {
        return color;
    }
    let [a, b] = passing_shades(color, against, min);
    a.or(b).unwrap_or_else(|| readable_on(against))
}

/// Whether `shade` still shows the hue of `original`: a grey stays a
/// grey, and a colour must keep a visible chroma (the hue itself never
/// moves in [`nearest_passing`], but at the ends it fades to grey).
pub fn keeps_hue(original: HexColor, shade: HexColor) -> bool {
    chroma(original) < GREY_CHROMA || chroma(shade) >= GREY_CHROMA
}

/// The nearest shade of a brand colour that passes and still looks like
/// the brand's colour ([`keeps_hue`]): `color` itself when it passes; the
/// darker or the lighter shade, nearest first; `None` when both fade.
pub fn brand_shade(color: HexColor, against: HexColor, min: f64) -> Option<HexColor> {
    if contrast_ratio(color, against) >= min {
        return Some(color);
    }
    passing_shades(color, against, min)
        .into_iter()
        .flatten()
        .find(|s| keeps_hue(color, *s))
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

    /// The hue angle in degrees.
    fn hue(x: HexColor) -> f64 {
        let [_, a, b] = oklab(x);
        b.atan2(a).to_degrees()
    }

    #[test]
    fn oklab_round_trips_every_grid_colour() {
        let steps = [0u8, 1, 0x33, 0x80, 0xcc, 0xfe, 0xff];
        for r in steps {
            for g in steps {
                for b in steps {
                    let x = HexColor { r, g, b };
                    assert_eq!(from_oklab(oklab(x)), Some(x));
                }
            }
        }
        let [l, _, _] = oklab(HexColor::WHITE);
        assert!((l - 1.0).abs() < 1e-6);
    }

    #[test]
    fn a_passing_colour_is_kept() {
        assert_eq!(
            nearest_passing(c("#1b2a4a"), HexColor::WHITE, AA_UI),
            c("#1b2a4a")
        );
    }

    #[test]
    fn a_light_brand_colour_is_darkened_just_enough_in_its_own_hue() {
        let sky = c("#4da3ff"); // 2.6:1 on white
        assert!(contrast_ratio(sky, HexColor::WHITE) < AA_UI);
        let shade = nearest_passing(sky, HexColor::WHITE, AA_UI);
        let ratio = contrast_ratio(shade, HexColor::WHITE);
        assert!((AA_UI..AA_UI + 0.15).contains(&ratio), "{shade} {ratio}");
        assert!(shade.relative_luminance() < sky.relative_luminance());
        assert!((hue(shade) - hue(sky)).abs() < 3.0, "{shade}");
        assert_eq!(brand_shade(sky, HexColor::WHITE, AA_UI), Some(shade));
    }

    #[test]
    fn a_dark_colour_on_a_dark_box_is_lightened() {
        let navy = c("#1b2a4a");
        let bx = c("#111111");
        let shade = nearest_passing(navy, bx, AA_UI);
        assert!(contrast_ratio(shade, bx) >= AA_UI);
        assert!(shade.relative_luminance() > navy.relative_luminance());
        assert!((hue(shade) - hue(navy)).abs() < 5.0, "{shade}");
        assert!(keeps_hue(navy, shade));
    }

    #[test]
    fn every_colour_finds_a_passing_shade_on_every_box_deterministically() {
        let steps = [0u8, 0x40, 0x77, 0x80, 0xb0, 0xff];
        let mut grid = Vec::new();
        for r in steps {
            for g in steps {
                for b in steps {
                    grid.push(HexColor { r, g, b });
                }
            }
        }
        for &fg in grid.iter().step_by(5) {
            for &bg in grid.iter().step_by(3) {
                for min in [AA_UI, AA_TEXT] {
                    let shade = nearest_passing(fg, bg, min);
                    assert!(contrast_ratio(shade, bg) >= min, "{fg} on {bg}: {shade}");
                    assert_eq!(shade, nearest_passing(fg, bg, min));
                }
            }
        }
    }

    #[test]
    fn a_shade_faded_to_grey_does_not_keep_the_hue_but_a_grey_does() {
        // Mid-grey box: a yellow can only pass at near-black.
        let yellow = c("#ffdd00");
        let bx = c("#777777");
        let shade = nearest_passing(yellow, bx, AA_TEXT);
        assert!(contrast_ratio(shade, bx) >= AA_TEXT);
        assert!(!keeps_hue(yellow, shade), "{shade}");
        assert_eq!(brand_shade(yellow, bx, AA_TEXT), None);
        let grey = c("#aaaaaa");
        assert!(brand_shade(grey, HexColor::WHITE, AA_UI).is_some());
    }
}
