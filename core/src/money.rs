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
    /// Decimals shown: none for a whole amount (`$ 20.000`), the
    /// currency's minor digits when it has a part (`$ 20.000,50`).
    pub fraction_digits: u8,
}

/// The currency's minor digits in ISO 4217: DRUO's `amount` is in the
/// currency's smallest unit ("when currency is USD, amount is in cents"),
/// and COP has two, so `2000000` is $ 20.000.
pub fn minor_digits(currency: &str) -> u8 {
    match currency {
        "CLP" | "JPY" | "KRW" | "PYG" | "VND" => 0,
        _ => 2,
    }
}

/// An amount in the currency's smallest unit, split into its whole units
/// and the rest.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Amount {
    /// Whole units (pesos).
    pub whole: u64,
    /// The minor part (centavos), `0..10^digits`.
    pub minor: u64,
    /// The currency's minor digits.
    pub digits: u8,
}

impl Amount {
    /// `amount` of `currency`, in its smallest unit.
    pub fn of(amount: u64, currency: &str) -> Amount {
        let digits = minor_digits(currency);
        let unit = 10u64.pow(u32::from(digits));
        Amount {
            whole: amount / unit,
            minor: amount % unit,
            digits,
        }
    }

    /// The value in whole units, for `Intl` (exact for any amount a
    /// checkout can hold: below 2^53 minor units).
    pub fn as_f64(self) -> f64 {
        self.whole as f64 + self.minor as f64 / 10f64.powi(i32::from(self.digits))
    }
}

/// Colombian readers expect `$ 20.000`; English readers need the currency
/// named, since `$` reads as dollars: `COP 20,000`. Centavos show only
/// when they are not zero.
pub fn money_format(lang: Lang, amount: Amount) -> MoneyFormat {
    let fraction_digits = if amount.minor == 0 { 0 } else { amount.digits };
    match lang {
        Lang::EsCo => MoneyFormat {
            locale: "es-CO",
            currency_display: "symbol",
            fraction_digits,
        },
        Lang::EnUs => MoneyFormat {
            locale: "en-US",
            currency_display: "code",
            fraction_digits,
        },
    }
}

/// Formats like `Intl` would for these options (`$ 20.000`,
/// `$ 20.000,50`, `COP 20,000`, with a no-break space), for browsers
/// without `Intl` and the server's render. `amount` is in the currency's
/// smallest unit.
pub fn format_fallback(amount: u64, currency: &str, lang: Lang) -> String {
    let a = Amount::of(amount, currency);
    let f = money_format(lang, a);
    let digits = a.whole.to_string();
    let (sep, point) = if lang == Lang::EsCo {
        ('.', ',')
    } else {
        (',', '.')
    };
    let mut grouped = String::new();
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            grouped.push(sep);
        }
        grouped.push(ch);
    }
    if f.fraction_digits > 0 {
        let width = usize::from(a.digits);
        grouped.push(point);
        grouped.push_str(&format!("{:0width$}", a.minor));
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
    fn amounts_are_in_centavos_and_whole_pesos_show_no_decimals() {
        use Lang::{EnUs, EsCo};
        for (centavos, lang, shown) in [
            (2_000_000, EsCo, "$\u{a0}20.000"),
            (2_000_000, EnUs, "COP\u{a0}20,000"),
            (2_000_050, EsCo, "$\u{a0}20.000,50"),
            (2_000_050, EnUs, "COP\u{a0}20,000.50"),
            // The seed curl's 20000 is $ 200.
            (20_000, EsCo, "$\u{a0}200"),
            (123_456_705, EsCo, "$\u{a0}1.234.567,05"),
            (99, EnUs, "COP\u{a0}0.99"),
            (0, EnUs, "COP\u{a0}0"),
            (10_000_000_000_000, EsCo, "$\u{a0}100.000.000.000"),
        ] {
            assert_eq!(format_fallback(centavos, "COP", lang), shown, "{centavos}");
        }
    }

    #[test]
    fn intl_inputs_per_language() {
        let whole = Amount::of(2_000_000, "COP");
        assert_eq!(
            whole,
            Amount {
                whole: 20_000,
                minor: 0,
                digits: 2
            }
        );
        assert_eq!(money_format(Lang::EsCo, whole).locale, "es-CO");
        assert_eq!(money_format(Lang::EsCo, whole).currency_display, "symbol");
        assert_eq!(money_format(Lang::EnUs, whole).currency_display, "code");
        assert_eq!(money_format(Lang::EnUs, whole).fraction_digits, 0);
        let cents = Amount::of(2_000_050, "COP");
        assert_eq!(money_format(Lang::EnUs, cents).fraction_digits, 2);
        assert_eq!(cents.as_f64(), 20_000.5);
    }
}
