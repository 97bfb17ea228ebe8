//! Dates formatted by the browser's `Intl` in the page's language.

use druo_core::Lang;
use wasm_bindgen::JsValue;

/// `12 may 2026` (es_CO) or `May 12, 2026` (en_US) for an ISO 8601 date;
/// the date part as written when the browser cannot read it.
pub fn format_date(iso: &str, lang: Lang) -> String {
    // The server never renders a date (the saved accounts load in the
    // browser); it would write the date as the service sent it.
    if !crate::browser::LIVE {
        return iso.chars().take(10).collect();
    }
    let d = js_sys::Date::new(&JsValue::from_str(iso));
    if d.get_time().is_nan() {
        return iso.chars().take(10).collect();
    }
    let opts = js_sys::Object::new();
    for (k, v) in [("day", "numeric"), ("month", "short"), ("year", "numeric")] {
        let _ = js_sys::Reflect::set(&opts, &JsValue::from_str(k), &JsValue::from_str(v));
    }
    d.to_locale_date_string(lang.bcp47(), &opts).into()
}
