//! Merchant themes: which colours reach the page, and the WCAG 2.2 AA
//! adjustments made where a merchant's pair fails. The page writes exactly
//! the variables returned here as CSS custom properties; the studio shows
//! the same checks to designers.
//!
//! # Colour fixes: one rule for the live page and the studio
//!
//! A failing pair is fixed by what its foreground *is* ([`Fix`]):
//!
//! - **Text on its own background** (box text, sidebar text, button text
//!   on the button) is shown in black or white, whichever reads better
//!   ([`Fix::ReplaceForeground`]). A text colour says "readable text";
//!   black or white says that best, whatever the background.
//! - **A brand colour used as a component** (the button against the box
//!   it sits on, 3:1) becomes the nearest darker or lighter shade of
//!   itself that passes, in its own hue ([`crate::color::brand_shade`]),
//!   so the page still looks like the merchant's. Only when no shade keeps
//!   the hue (it would fade to grey or black) is the merchant's colour
//!   kept and outlined in black or white ([`Fix::ShadeOrOutline`]).
//!   Pairs are checked in table order with the fixes made so far, so the
//!   button text is checked against the button the page really shows.
//! - **Derived colours** are always the nearest passing shade: the error
//!   colour (DRUO's red, 4.5:1 on the box) and `--accent` (the button
//!   colour, 3:1 on the box, for icons, links and focus of tiles).

use crate::color::{contrast_ratio, nearest_passing, readable_on, HexColor, AA_TEXT, AA_UI};
use serde::ser::SerializeMap;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::collections::BTreeMap;
use std::marker::PhantomData;

/// One colour field of a link kind: its API name, its CSS variable and its
/// default.
#[derive(Debug, Clone, Copy)]
pub struct Slot {
    /// API field, e.g. `button_color`.
    pub field: &'static str,
    /// CSS custom property, e.g. `--button-bg`.
    pub var: &'static str,
    /// Used when the merchant sent nothing (or something invalid).
    pub default: HexColor,
}

const fn hex(r: u8, g: u8, b: u8) -> HexColor {
    HexColor { r, g, b }
}

/// Default page background.
pub const DEFAULT_PAGE_BG: HexColor = hex(0xee, 0xf1, 0xf6);
/// Default content-box text (also the default body text).
pub const DEFAULT_TEXT: HexColor = hex(0x1f, 0x29, 0x33);
/// Default button colour.
pub const DEFAULT_BUTTON: HexColor = hex(0x1b, 0x2a, 0x4a);
/// The error red, used where it passes on the box.
pub const ERROR_RED: HexColor = hex(0xb4, 0x23, 0x18);

/// The button's colour: the same slot, and the same variable, on both
/// pages.
const BUTTON: Slot = Slot {
    field: "button_color",
    var: "--button-bg",
    default: DEFAULT_BUTTON,
};

/// The button's text colour, likewise.
const BUTTON_TEXT: Slot = Slot {
    field: "button_text_color",
    var: "--button-text",
    default: HexColor::WHITE,
};

/// The connect link's five colours.
pub const CONNECT_SLOTS: &[Slot] = &[
    Slot {
        field: "background_color",
        var: "--page-bg",
        default: DEFAULT_PAGE_BG,
    },
    Slot {
        field: "content_background_color",
        var: "--box-bg",
        default: HexColor::WHITE,
    },
    Slot {
        field: "content_box_text_color",
        var: "--box-text",
        default: DEFAULT_TEXT,
    },
    BUTTON,
    BUTTON_TEXT,
];

/// The checkout link's seven colours; the box and button share the
/// connect page's variables so the same components style both pages.
pub const CHECKOUT_SLOTS: &[Slot] = &[
    Slot {
        field: "background_color",
        var: "--page-bg",
        default: DEFAULT_PAGE_BG,
    },
    Slot {
        field: "sidebar_background_color",
        var: "--sidebar-bg",
        default: hex(0xf2, 0xf2, 0xf2),
    },
    Slot {
        field: "sidebar_text_color",
        var: "--sidebar-text",
        default: hex(0x33, 0x33, 0x33),
    },
    Slot {
        field: "main_content_box_background_color",
        var: "--box-bg",
        default: HexColor::WHITE,
    },
    Slot {
        field: "main_content_box_text_color",
        var: "--box-text",
        default: hex(0x33, 0x33, 0x33),
    },
    BUTTON,
    BUTTON_TEXT,
];

/// A contrast requirement between two fields of a theme.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Pair {
    /// Foreground field (text or component).
    pub fg: &'static str,
    /// Background field it sits on.
    pub bg: &'static str,
    /// Required ratio: 4.5 for text, 3 for a component's boundary.
    pub min: f64,
    /// What the page does when it fails.
    pub fix: Fix,
}

/// The page's remedy for a failing pair (the rule: the module docs).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fix {
    /// Text: replace the foreground with black or white, whichever passes.
    ReplaceForeground,
    /// A brand colour: its nearest passing shade in its own hue; when no
    /// shade keeps the hue, keep the colour and outline the component in
    /// black or white (`var`, which otherwise carries the colour used).
    ShadeOrOutline(&'static str),
}

/// The last pair of both pages: the button's text on the (possibly
/// shaded) button.
const BUTTON_TEXT_ON_BUTTON: Pair = Pair {
    fg: "button_text_color",
    bg: "button_color",
    min: AA_TEXT,
    fix: Fix::ReplaceForeground,
};

/// The connect page's pairs: box text on the box, the button against the
/// box it sits on, then button text on the (possibly shaded) button.
pub const CONNECT_PAIRS: &[Pair] = &[
    Pair {
        fg: "content_box_text_color",
        bg: "content_background_color",
        min: AA_TEXT,
        fix: Fix::ReplaceForeground,
    },
    Pair {
        fg: "button_color",
        bg: "content_background_color",
        min: AA_UI,
        fix: Fix::ShadeOrOutline("--button-border"),
    },
    BUTTON_TEXT_ON_BUTTON,
];

/// The checkout page's pairs: sidebar text, box text, the button against
/// the box, then button text on the (possibly shaded) button.
pub const CHECKOUT_PAIRS: &[Pair] = &[
    Pair {
        fg: "sidebar_text_color",
        bg: "sidebar_background_color",
        min: AA_TEXT,
        fix: Fix::ReplaceForeground,
    },
    Pair {
        fg: "main_content_box_text_color",
        bg: "main_content_box_background_color",
        min: AA_TEXT,
        fix: Fix::ReplaceForeground,
    },
    Pair {
        fg: "button_color",
        bg: "main_content_box_background_color",
        min: AA_UI,
        fix: Fix::ShadeOrOutline("--button-border"),
    },
    BUTTON_TEXT_ON_BUTTON,
];

/// What the page did about a failing pair.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Remedy {
    /// The text is shown in this colour (black or white) instead.
    Readable(HexColor),
    /// The brand colour is replaced by this shade of it (darker or
    /// lighter), which the studio offers to the designer.
    Shade(HexColor),
    /// The colour is kept and the component outlined in this colour.
    Outline(HexColor),
}

/// The result of checking one pair.
#[derive(Debug, Clone, PartialEq)]
pub struct Check {
    /// The pair checked: its fields, the required ratio and the fix.
    pub pair: Pair,
    /// The foreground as given (after defaults).
    pub given: HexColor,
    /// The background as the page shows it (after earlier fixes).
    pub against: HexColor,
    /// The ratio of `given` on `against`.
    pub ratio: f64,
    /// Whether the given colours pass.
    pub passes: bool,
    /// What the page does instead, when they fail.
    pub remedy: Option<Remedy>,
}

/// A resolved theme: the CSS variables to write, the checks, and the fields
/// whose values were invalid and ignored.
#[derive(Debug, Clone, PartialEq)]
pub struct Resolved {
    /// CSS custom properties and values, in a stable order.
    pub vars: Vec<(&'static str, HexColor)>,
    /// One entry per pair.
    pub checks: Vec<Check>,
    /// Fields whose values were not `#RGB`/`#RRGGBB` (defaults used).
    pub invalid: Vec<&'static str>,
}

impl Resolved {
    /// The colour finally used for a CSS variable.
    pub fn var(&self, name: &str) -> Option<HexColor> {
        self.vars.iter().find(|(n, _)| *n == name).map(|(_, c)| *c)
    }

    /// The variables as a link's public view carries them.
    pub fn theme_vars(&self) -> Vec<ThemeVar> {
        self.vars
            .iter()
            .map(|(name, color)| ThemeVar {
                name: (*name).to_string(),
                value: color.to_string(),
            })
            .collect()
    }

    /// The theme as one CSS rule on `:root` ([`css_rule`]).
    pub fn css_rule(&self) -> Option<String> {
        css_rule(&self.theme_vars())
    }
}

/// One CSS variable of a resolved theme, as a link's public view carries
/// it: the service resolves the merchant's colours once (contrast checks
/// and shades), and a link page only writes them, so the colour engine
/// stays out of its wasm (docs/performance.md, Issue 27).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ThemeVar {
    /// The CSS custom property (`--button-bg`).
    pub name: String,
    /// Its colour (`#rrggbb`).
    pub value: String,
}

/// The variables of `vars` that are safe to write anywhere: a name of
/// `--` and lowercase letters, digits and hyphens, and a `#RGB`/`#RRGGBB`
/// colour. Anything else is skipped, so no value can break out of a rule.
pub fn checked_vars(vars: &[ThemeVar]) -> impl Iterator<Item = (&str, HexColor)> {
    vars.iter().filter_map(|v| {
        let name_ok = v.name.strip_prefix("--").is_some_and(|rest| {
            !rest.is_empty()
                && rest
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        });
        let color = HexColor::parse(&v.value)?;
        name_ok.then_some((v.name.as_str(), color))
    })
}

/// The theme as one CSS rule on `:root` (what link-server writes into a
/// rendered page's `<style>`; the browser sets the same variables through
/// the CSSOM). Only [`checked_vars`] reach it. `None` when there is
/// nothing to set.
pub fn css_rule(vars: &[ThemeVar]) -> Option<String> {
    let vars: Vec<String> = checked_vars(vars)
        .map(|(var, color)| format!("{var}:{color}"))
        .collect();
    (!vars.is_empty()).then(|| format!(":root{{{}}}", vars.join(";")))
}

/// A slot's field, CSS variable and the colour it currently resolves to.
type SlotColor = (&'static str, &'static str, HexColor);

/// Each slot's colour: the merchant's when `HexColor` accepts it, else the
/// default; the fields with unacceptable values are reported.
fn slot_colors(
    slots: &[Slot],
    value: impl Fn(&str) -> Option<String>,
) -> (Vec<SlotColor>, Vec<&'static str>) {
    let mut invalid = Vec::new();
    let colors = slots
        .iter()
        .map(|s| {
            let c = match value(s.field) {
                Some(v) if !v.is_empty() => HexColor::parse(&v).unwrap_or_else(|| {
                    invalid.push(s.field);
                    s.default
                }),
                _ => s.default,
            };
            (s.field, s.var, c)
        })
        .collect();
    (colors, invalid)
}

/// Checks each pair in order, fixing failing ones as their `Fix` says: a
/// replaced or shaded foreground changes `colors` (so later pairs see it),
/// an outline variable goes to `extra`.
fn apply_pairs(
    pairs: &[Pair],
    colors: &mut [SlotColor],
    extra: &mut Vec<(&'static str, HexColor)>,
) -> Vec<Check> {
    let get =
        |colors: &[SlotColor], f: &str| colors.iter().find(|(n, _, _)| *n == f).map(|(_, _, c)| *c);
    let mut checks = Vec::new();
    for p in pairs {
        let (Some(fg), Some(bg)) = (get(colors, p.fg), get(colors, p.bg)) else {
            continue;
        };
        let ratio = contrast_ratio(fg, bg);
        let passes = ratio >= p.min;
        let remedy = (!passes).then(|| match p.fix {
            Fix::ReplaceForeground => Remedy::Readable(readable_on(bg)),
            Fix::ShadeOrOutline(_) => match crate::color::brand_shade(fg, bg, p.min) {
                Some(shade) => Remedy::Shade(shade),
                None => Remedy::Outline(readable_on(bg)),
            },
        });
        let used = match remedy {
            Some(Remedy::Readable(c) | Remedy::Shade(c)) => c,
            _ => fg,
        };
        if let Some(e) = colors.iter_mut().find(|(n, _, _)| *n == p.fg) {
            e.2 = used;
        }
        if let Fix::ShadeOrOutline(var) = p.fix {
            let border = match remedy {
                Some(Remedy::Outline(c)) => c,
                _ => used,
            };
            extra.push((var, border));
        }
        checks.push(Check {
            pair: *p,
            given: fg,
            against: bg,
            ratio,
            passes,
            remedy,
        });
    }
    checks
}

/// Derived variables: text drawn straight on the page, the error colour
/// and the focus ring, each readable on what it sits on, and the accent.
fn derived(vars: &[(&'static str, HexColor)]) -> Vec<(&'static str, HexColor)> {
    let var = |name: &str| vars.iter().find(|(n, _)| *n == name).map(|(_, c)| *c);
    let mut out = Vec::new();
    if let Some(page) = var("--page-bg") {
        let page_text = if contrast_ratio(DEFAULT_TEXT, page) >= AA_TEXT {
            DEFAULT_TEXT
        } else {
            readable_on(page)
        };
        out.push(("--page-text", page_text));
    }
    if let (Some(bx), Some(text)) = (var("--box-bg"), var("--box-text")) {
        // Error text must pass 4.5:1 on the box (so the invalid field's
        // border passes 3:1): DRUO's red, or its nearest shade that does,
        // so an error still looks like an error on a dark box.
        out.push(("--error", nearest_passing(ERROR_RED, bx, AA_TEXT)));
        out.push(("--focus", text));
        if let Some(button) = var("--button-bg") {
            // The merchant's colour for small marks on the box (icons,
            // links, a chosen tile's focus): 3:1 like any component.
            out.push(("--accent", nearest_passing(button, bx, AA_UI)));
        }
    }
    out
}

/// Resolves a theme: each slot takes the merchant's value when `core`
/// accepts it, else its default; failing pairs are fixed as their `Fix`
/// says; derived variables keep page text, errors and focus readable.
pub fn resolve(slots: &[Slot], pairs: &[Pair], value: impl Fn(&str) -> Option<String>) -> Resolved {
    let (mut colors, invalid) = slot_colors(slots, value);
    let mut extra = Vec::new();
    let checks = apply_pairs(pairs, &mut colors, &mut extra);
    let mut vars: Vec<(&'static str, HexColor)> = colors.iter().map(|(_, v, c)| (*v, *c)).collect();
    vars.extend(extra);
    let more = derived(&vars);
    vars.extend(more);
    Resolved {
        vars,
        checks,
        invalid,
    }
}

/// A link kind's colour table: the one declaration every layer follows
/// (request parsing, storage, both APIs, contrast and the CSS variables).
pub trait ThemeKind {
    /// The kind's colours, in answer order.
    const SLOTS: &'static [Slot];
    /// The kind's contrast requirements.
    const PAIRS: &'static [Pair];
}

/// The connect link's colours ([`CONNECT_SLOTS`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ConnectKind;

impl ThemeKind for ConnectKind {
    const SLOTS: &'static [Slot] = CONNECT_SLOTS;
    const PAIRS: &'static [Pair] = CONNECT_PAIRS;
}

/// The checkout link's colours ([`CHECKOUT_SLOTS`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CheckoutKind;

impl ThemeKind for CheckoutKind {
    const SLOTS: &'static [Slot] = CHECKOUT_SLOTS;
    const PAIRS: &'static [Pair] = CHECKOUT_PAIRS;
}

/// A merchant's colours for one link kind, keyed by slot field. Only the
/// kind's slot fields can be held, so a new slot needs no new field here;
/// it serializes as an object with every slot field (`null` when unset).
pub struct Theme<K> {
    values: BTreeMap<&'static str, String>,
    kind: PhantomData<K>,
}

/// A connect link's colours.
pub type ConnectTheme = Theme<ConnectKind>;
/// A checkout link's colours.
pub type CheckoutTheme = Theme<CheckoutKind>;

impl<K: ThemeKind> Theme<K> {
    /// The slot of `field`, if the kind has one.
    pub fn slot(field: &str) -> Option<&'static Slot> {
        K::SLOTS.iter().find(|s| s.field == field)
    }

    /// The merchant's value for `field`, when set.
    pub fn get(&self, field: &str) -> Option<&str> {
        self.values.get(field).map(String::as_str)
    }

    /// Sets `field`; returns false (and changes nothing) when the kind has
    /// no such slot.
    pub fn set(&mut self, field: &str, value: impl Into<String>) -> bool {
        match Self::slot(field) {
            Some(slot) => {
                self.values.insert(slot.field, value.into());
                true
            }
            None => false,
        }
    }

    /// `self` with `field` set (ignored when the kind has no such slot).
    pub fn with(mut self, field: &str, value: impl Into<String>) -> Self {
        self.set(field, value);
        self
    }

    /// Whether no colour is set.
    pub fn is_empty(&self) -> bool {
        self.values.is_empty()
    }

    /// Every slot with the merchant's value, in slot order.
    pub fn entries(&self) -> impl Iterator<Item = (&'static Slot, Option<&str>)> + '_ {
        K::SLOTS.iter().map(|s| (s, self.get(s.field)))
    }

    /// The CSS variables and contrast checks for these colours.
    pub fn resolve(&self) -> Resolved {
        resolve(K::SLOTS, K::PAIRS, |f| self.get(f).map(str::to_string))
    }
}

// Written by hand: derives would demand the marker type implement them too.
impl<K> Default for Theme<K> {
    fn default() -> Self {
        Theme {
            values: BTreeMap::new(),
            kind: PhantomData,
        }
    }
}

impl<K> Clone for Theme<K> {
    fn clone(&self) -> Self {
        Theme {
            values: self.values.clone(),
            kind: PhantomData,
        }
    }
}

impl<K> PartialEq for Theme<K> {
    fn eq(&self, other: &Self) -> bool {
        self.values == other.values
    }
}

impl<K> Eq for Theme<K> {}

impl<K> std::fmt::Debug for Theme<K> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_map().entries(self.values.iter()).finish()
    }
}

impl<K: ThemeKind> Serialize for Theme<K> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(Some(K::SLOTS.len()))?;
        for (slot, value) in self.entries() {
            map.serialize_entry(slot.field, &value)?;
        }
        map.end()
    }
}

impl<'de, K: ThemeKind> Deserialize<'de> for Theme<K> {
    /// Reads an object of slot fields; `null`s and unknown fields are
    /// skipped, so stored themes survive slots being added.
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let raw = BTreeMap::<String, Option<String>>::deserialize(d)?;
        let mut theme = Theme::default();
        for (field, value) in raw {
            if let Some(v) = value {
                theme.set(&field, v);
            }
        }
        Ok(theme)
    }
}

/// Resolves a connect link's theme.
pub fn resolve_connect(t: &ConnectTheme) -> Resolved {
    t.resolve()
}

/// Resolves a checkout link's theme, with the same engine and rules as the
/// connect page.
pub fn resolve_checkout(t: &CheckoutTheme) -> Resolved {
    t.resolve()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn checkout_defaults_are_the_documented_ones_and_pass() {
        let r = resolve_checkout(&CheckoutTheme::default());
        assert_eq!(r.var("--sidebar-bg"), Some(c("#f2f2f2")));
        assert_eq!(r.var("--sidebar-text"), Some(c("#333333")));
        assert_eq!(r.var("--box-bg"), Some(c("#ffffff")));
        assert_eq!(r.var("--box-text"), Some(c("#333333")));
        assert!(r.checks.iter().all(|c| c.passes));
    }

    #[test]
    fn checkout_sidebar_uses_the_same_contrast_rules() {
        let t = CheckoutTheme::default()
            .with("sidebar_background_color", "#222")
            .with("sidebar_text_color", "#333")
            .with("main_content_box_background_color", "#fff")
            .with("main_content_box_text_color", "#aaa");
        let r = resolve_checkout(&t);
        assert_eq!(r.var("--sidebar-text"), Some(HexColor::WHITE));
        assert_eq!(r.var("--box-text"), Some(HexColor::BLACK));
        assert_eq!(r.checks.iter().filter(|c| !c.passes).count(), 2);
    }

    fn c(s: &str) -> HexColor {
        HexColor::parse(s).unwrap()
    }

    #[test]
    fn defaults_pass_every_check() {
        let r = resolve_connect(&ConnectTheme::default());
        assert!(r.checks.iter().all(|c| c.passes), "{:?}", r.checks);
        assert!(r.invalid.is_empty());
        assert_eq!(r.var("--box-bg"), Some(HexColor::WHITE));
        assert_eq!(r.var("--button-border"), Some(DEFAULT_BUTTON));
    }

    #[test]
    fn a_passing_merchant_theme_is_used_as_given() {
        let t = ConnectTheme::default()
            .with("background_color", "#0b3d2e")
            .with("content_background_color", "#f4fbf7")
            .with("content_box_text_color", "#10261d")
            .with("button_color", "#17704a")
            .with("button_text_color", "#fff");
        let r = resolve_connect(&t);
        assert_eq!(r.var("--page-bg"), Some(c("#0b3d2e")));
        assert_eq!(r.var("--box-text"), Some(c("#10261d")));
        assert_eq!(r.var("--button-text"), Some(HexColor::WHITE));
        // Dark page: text drawn on it turns white.
        assert_eq!(r.var("--page-text"), Some(HexColor::WHITE));
    }

    #[test]
    fn failing_text_is_replaced_by_black_or_white() {
        let t = ConnectTheme::default()
            .with("content_background_color", "#ffffff")
            .with("content_box_text_color", "#777777") // 4.48:1, just fails
            .with("button_color", "#ffff00")
            .with("button_text_color", "#ffffff"); // white on yellow
        let r = resolve_connect(&t);
        assert_eq!(r.var("--box-text"), Some(HexColor::BLACK));
        assert_eq!(r.var("--button-text"), Some(HexColor::BLACK));
        let text = &r.checks[0];
        assert!(!text.passes && (text.ratio - 4.48).abs() < 0.01);
        assert_eq!(text.remedy, Some(Remedy::Readable(HexColor::BLACK)));
        // Yellow button on white box fails 3:1: a darker yellow passes and
        // keeps the hue, so the page uses it (and its border).
        let shade = r.var("--button-bg").unwrap();
        assert_eq!(r.checks[1].remedy, Some(Remedy::Shade(shade)));
        assert!(contrast_ratio(shade, HexColor::WHITE) >= AA_UI, "{shade}");
        assert!(
            shade.r > shade.b && shade.g > shade.b,
            "still yellow: {shade}"
        );
        assert_eq!(r.var("--button-border"), Some(shade));
        assert_eq!(r.var("--accent"), Some(shade));
        for (fg, bg, min) in [
            ("--box-text", "--box-bg", AA_TEXT),
            ("--button-text", "--button-bg", AA_TEXT),
        ] {
            assert!(contrast_ratio(r.var(fg).unwrap(), r.var(bg).unwrap()) >= min);
        }
    }

    #[test]
    fn accent_is_the_button_colour_at_3_to_1_on_the_box_for_both_kinds() {
        let connect = resolve_connect(&ConnectTheme::default());
        let checkout = resolve_checkout(&CheckoutTheme::default());
        assert_eq!(connect.var("--accent"), Some(DEFAULT_BUTTON));
        assert_eq!(checkout.var("--accent"), Some(DEFAULT_BUTTON));
        // A light brand colour on white: its darker shade, and the button
        // text is checked against the button the page really shows.
        let t = ConnectTheme::default()
            .with("button_color", "#4da3ff")
            .with("button_text_color", "#ffffff");
        let r = resolve_connect(&t);
        let shade = r.var("--button-bg").unwrap();
        assert_ne!(shade, c("#4da3ff"));
        assert_eq!(r.var("--accent"), Some(shade));
        let text = r
            .checks
            .iter()
            .find(|c| c.pair.fg == "button_text_color")
            .unwrap();
        assert_eq!(text.against, shade);
        assert!(contrast_ratio(r.var("--button-text").unwrap(), shade) >= AA_TEXT);
        // The default navy on a near-black box: a lighter navy.
        let t = CheckoutTheme::default().with("main_content_box_background_color", "#111111");
        let r = resolve_checkout(&t);
        let accent = r.var("--accent").unwrap();
        assert!(contrast_ratio(accent, c("#111111")) >= AA_UI, "{accent}");
        assert!(accent.relative_luminance() > DEFAULT_BUTTON.relative_luminance());
        assert!(accent.b > accent.r, "still navy: {accent}");
    }

    #[test]
    fn a_brand_colour_no_shade_keeps_is_outlined_not_greyed() {
        // At 4.5:1 on mid-grey, a yellow passes only near black: no shade
        // looks yellow, so the colour is kept and outlined.
        let pairs = [Pair {
            fg: "button_color",
            bg: "content_background_color",
            min: AA_TEXT,
            fix: Fix::ShadeOrOutline("--button-border"),
        }];
        let t = ConnectTheme::default()
            .with("button_color", "#ffdd00")
            .with("content_background_color", "#777777");
        let r = resolve(CONNECT_SLOTS, &pairs, |f| t.get(f).map(str::to_string));
        assert_eq!(r.var("--button-bg"), Some(c("#ffdd00")));
        assert_eq!(r.checks[0].remedy, Some(Remedy::Outline(HexColor::BLACK)));
        assert_eq!(r.var("--button-border"), Some(HexColor::BLACK));
    }

    #[test]
    fn a_view_s_theme_vars_are_written_only_when_safe() {
        // What a page receives is written as the service resolved it...
        let r = resolve_checkout(&CheckoutTheme::default().with("button_color", "#123"));
        let vars = r.theme_vars();
        assert_eq!(css_rule(&vars), r.css_rule());
        assert!(vars
            .iter()
            .any(|v| v.name == "--button-bg" && v.value == "#112233"));
        // ...and a tampered or broken answer cannot leave the rule.
        let var = |name: &str, value: &str| ThemeVar {
            name: name.into(),
            value: value.into(),
        };
        let bad = [
            var("--a", "red;background:url(//x)"),
            var("--b}body{x", "#000000"),
            var("color", "#000000"),
            var("--", "#000000"),
            var("--ok-1", "#abc"),
        ];
        assert_eq!(css_rule(&bad).as_deref(), Some(":root{--ok-1:#aabbcc}"));
        assert_eq!(css_rule(&bad[..4]), None);
    }

    #[test]
    fn invalid_values_fall_back_to_defaults_and_are_reported() {
        let t = ConnectTheme::default()
            .with("background_color", "red;background:url(//x)")
            .with("button_color", "#ffff")
            .with("button_text_color", "＃fff");
        let r = resolve_connect(&t);
        assert_eq!(r.var("--page-bg"), Some(DEFAULT_PAGE_BG));
        assert_eq!(r.var("--button-bg"), Some(DEFAULT_BUTTON));
        assert_eq!(
            r.invalid,
            vec!["background_color", "button_color", "button_text_color"]
        );
        // Only seven-character hex strings can ever be written.
        for (_, v) in &r.vars {
            let s = v.to_string();
            assert!(s.len() == 7 && s.starts_with('#'));
        }
        // The same as the server's `<style>`: one rule, nothing injected.
        let css = r.css_rule().unwrap_or_default();
        assert!(css.starts_with(":root{--") && css.ends_with('}'), "{css}");
        assert!(
            css.contains(&format!("--page-bg:{DEFAULT_PAGE_BG}")),
            "{css}"
        );
        assert!(
            !css.contains("url") && css.matches('{').count() == 1,
            "{css}"
        );
    }

    #[test]
    fn error_colour_stays_readable_on_dark_boxes() {
        let t = ConnectTheme::default()
            .with("content_background_color", "#111111")
            .with("content_box_text_color", "#eeeeee");
        let r = resolve_connect(&t);
        let error = r.var("--error").unwrap();
        assert!(contrast_ratio(error, c("#111111")) >= AA_TEXT);
        assert!(error.r > error.g && error.r > error.b, "still red: {error}");
        let light = resolve_connect(&ConnectTheme::default());
        assert_eq!(light.var("--error"), Some(ERROR_RED));
    }

    /// Error text passes 4.5:1 and the invalid field's border 3:1 on the
    /// merchant's content box, for dark merchant colours, mid-tones and a
    /// sweep of every box colour on a grid, on both kinds of page; and the
    /// error stays red wherever a red can pass.
    #[test]
    fn error_colour_passes_on_every_content_box() {
        let named = [
            "#000000", "#111827", "#0b3d2e", "#1b2a4a", "#3b0a0a", "#777777", "#808080", "#6b7280",
            "#b42318", "#ff0000", "#2563eb", "#ffffff",
        ];
        let steps = [0u8, 0x33, 0x55, 0x77, 0x88, 0x99, 0xbb, 0xdd, 0xff];
        let mut boxes: Vec<HexColor> = named.iter().map(|s| c(s)).collect();
        for r in steps {
            for g in steps {
                for b in steps {
                    boxes.push(HexColor { r, g, b });
                }
            }
        }
        for bx in boxes {
            let box_hex = bx.to_string();
            let connect = resolve_connect(
                &ConnectTheme::default().with("content_background_color", box_hex.clone()),
            );
            let checkout = resolve_checkout(
                &CheckoutTheme::default().with("main_content_box_background_color", box_hex),
            );
            for r in [connect, checkout] {
                let error = r.var("--error").unwrap();
                let ratio = contrast_ratio(error, bx);
                assert!(ratio >= AA_TEXT, "error text {error} on {bx}: {ratio:.2}");
                assert!(ratio >= AA_UI, "invalid border {error} on {bx}: {ratio:.2}");
            }
        }
        // The dark boxes of the issue keep a red error colour.
        for dark in ["#000000", "#111827", "#0b3d2e", "#1b2a4a", "#3b0a0a"] {
            let r =
                resolve_connect(&ConnectTheme::default().with("content_background_color", dark));
            let e = r.var("--error").unwrap();
            assert!(e.r > e.g && e.r > e.b, "{e} on {dark} is not red");
            assert_ne!(e, HexColor::WHITE, "{dark}");
        }
    }

    #[test]
    fn themes_hold_only_slot_fields_and_serialize_every_slot() {
        let mut t = ConnectTheme::default().with("button_color", "#112233");
        assert!(
            !t.set("sidebar_text_color", "#000000"),
            "a checkout-only slot"
        );
        assert_eq!(t.get("button_color"), Some("#112233"));
        let json = serde_json::to_value(&t).unwrap();
        let obj = json.as_object().unwrap();
        assert_eq!(obj.len(), CONNECT_SLOTS.len());
        assert_eq!(obj["button_color"], "#112233");
        assert!(obj["background_color"].is_null());
        let back: ConnectTheme = serde_json::from_value(json).unwrap();
        assert_eq!(back, t);
        let stored: CheckoutTheme =
            serde_json::from_str(r##"{"sidebar_text_color":"#000000","gone":"#fff"}"##).unwrap();
        assert_eq!(stored.entries().filter(|(_, v)| v.is_some()).count(), 1);
    }
}
