//! Writes a resolved merchant theme as CSS custom properties on `<html>`.
//! Only `druo_core::theme` output reaches here, so every value is a
//! validated `#rrggbb`; `style.setProperty` is CSSOM, allowed by the CSP.

use druo_core::theme::Resolved;
use leptos::prelude::*;
use wasm_bindgen::JsCast;

fn root_style() -> Option<web_sys::CssStyleDeclaration> {
    document()
        .document_element()
        .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
        .map(|e| e.style())
}

/// Applies `theme` now and removes it when the calling component unmounts.
pub fn apply_theme(theme: &Resolved) {
    // On the server the page's `<style>` carries the theme (link-server).
    if !crate::browser::LIVE {
        return;
    }
    if let Some(style) = root_style() {
        for (var, color) in &theme.vars {
            let _ = style.set_property(var, &color.to_string());
        }
    }
    let vars: Vec<&'static str> = theme.vars.iter().map(|(v, _)| *v).collect();
    on_cleanup(move || {
        if let Some(style) = root_style() {
            for v in vars {
                let _ = style.remove_property(v);
            }
        }
    });
}
