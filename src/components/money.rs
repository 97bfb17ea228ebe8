//! Amounts formatted by the browser's `Intl.NumberFormat` with the inputs
//! `druo_core::money` chooses per language, so no ICU data ships in the
//! wasm. Falls back to core's formatter when `Intl` is unavailable.

use druo_core::money::{format_fallback, money_format, Amount};
use druo_core::Lang;
use wasm_bindgen::JsValue;

/// `$ 20.000` (es_CO) or `COP 20,000` (en_US), from an amount in the
/// currency's smallest unit (centavos).
pub fn format_money(amount: u64, currency: &str, lang: Lang) -> String {
    // `Intl` throws on a malformed currency code; never hand it one.
    let valid = currency.len() == 3 && currency.bytes().all(|b| b.is_ascii_uppercase());
    let currency = if valid { currency } else { "COP" };
    // The server renders with core's formatter, which writes what `Intl`
    // writes for these options (an e2e test compares the two pages).
    let intl = if crate::browser::LIVE {
        intl(amount, currency, lang)
    } else {
        None
    };
    intl.unwrap_or_else(|| format_fallback(amount, currency, lang))
}

fn intl(amount: u64, currency: &str, lang: Lang) -> Option<String> {
    let a = Amount::of(amount, currency);
    let f = money_format(lang, a);
    let opts = js_sys::Object::new();
    let set = |k: &str, v: JsValue| js_sys::Reflect::set(&opts, &JsValue::from_str(k), &v).ok();
    set("style", "currency".into())?;
    set("currency", currency.into())?;
    set("currencyDisplay", f.currency_display.into())?;
    set("minimumFractionDigits", f.fraction_digits.into())?;
    set("maximumFractionDigits", f.fraction_digits.into())?;
    let locales = js_sys::Array::of1(&JsValue::from_str(f.locale));
    let nf = js_sys::Intl::NumberFormat::new(&locales, &opts);
    nf.format()
        .call1(&JsValue::NULL, &JsValue::from_f64(a.as_f64()))
        .ok()?
        .as_string()
}
