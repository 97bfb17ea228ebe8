//! What only a browser has, and what stands in for it while link-server
//! renders a page's first screen with these same components (natively,
//! where calling into JavaScript would panic).

/// True in the browser (the wasm build); false in link-server's render.
pub const LIVE: bool = cfg!(target_arch = "wasm32");

/// Milliseconds since the Unix epoch, by the device's clock.
pub fn now_ms() -> f64 {
    if LIVE {
        return js_sys::Date::now();
    }
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0.0, |d| d.as_millis() as f64)
}
