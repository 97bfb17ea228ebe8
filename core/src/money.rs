//! Money on the checkout page. The page formats with the browser's
//! `Intl.NumberFormat` (no ICU data in the wasm); this module decides the
//! inputs per language and gives the same output when `Intl` is missing.

use crate::Lang;

/// Options for `Intl.NumberFormat`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MoneyFormat {
    /// BCP 47 locale.
    pub locale: &'static str,
    /// `symbol` (`$ 20.000`) or `code` (`COP 20,000`).
    pub currency_display: &'static str,
    /// Pesos have no minor unit in practice: no decimals.
    pub fraction_digits: u8,
}

/// Colombian readers expect `$ 20.000`; English readers need the currency
/// named, since `$` reads as dollars: `COP 20,000`.
pub fn money_format(lang: Lang) -> MoneyFormat {
    match lang {
        Lang::EsCo => MoneyFormat {
            locale: "es-CO",
            currency_display: "symbol",
            fraction_digits: 0,
        },
        Lang::EnUs => MoneyFormat {
            locale: "en-US",
            currency_display: "code",
            fraction_digits: 0,
        },
    }
}

/// Formats like `Intl` would for these options (`$ 20.000`, `COP 20,000`,
/// with a no-break space), for browsers without `Intl`.
pub fn format_fallback(amount: u64, currency: &str, lang: Lang) -> String {
    let digits = amount.to_string();
    let sep = if lang == Lang::EsCo { '.' } else { ',' };
    let mut grouped = String::new();
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            grouped.push(sep);
        }
        grouped.push(ch);
    }
    match (lang, currency) {
        (Lang::EsCo, "COP") => format!("$\u{a0}{grouped}"),
        _ => format!("{currency}\u{a0}{grouped}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pesos_in_both_languages() {
        assert_eq!(format_fallback(20000, "COP", Lang::EsCo), "$\u{a0}20.000");
        assert_eq!(format_fallback(20000, "COP", Lang::EnUs), "COP\u{a0}20,000");
        assert_eq!(
            format_fallback(1234567, "COP", Lang::EsCo),
            "$\u{a0}1.234.567"
        );
        assert_eq!(format_fallback(999, "COP", Lang::EnUs), "COP\u{a0}999");
        assert_eq!(format_fallback(0, "COP", Lang::EnUs), "COP\u{a0}0");
        assert_eq!(
            format_fallback(100_000_000_000, "COP", Lang::EsCo),
            "$\u{a0}100.000.000.000"
        );
    }

    #[test]
    fn intl_inputs_per_language() {
        assert_eq!(money_format(Lang::EsCo).locale, "es-CO");
        assert_eq!(money_format(Lang::EsCo).currency_display, "symbol");
        assert_eq!(money_format(Lang::EnUs).currency_display, "code");
        assert_eq!(money_format(Lang::EnUs).fraction_digits, 0);
    }
}
