//! Writes a merchant theme, as the service resolved it, as CSS custom
//! properties on `<html>`. Only what `druo_core::theme::checked_vars`
//! passes is written: custom property names (`--` and lowercase letters,
//! digits, hyphens) and `#rrggbb` colours; `style.setProperty` is CSSOM,
//! allowed by the CSP.

use druo_core::theme::{checked_vars, ThemeVar};
use leptos::prelude::*;
use wasm_bindgen::JsCast;

fn root_style() -> Option<web_sys::CssStyleDeclaration> {
    document()
        .document_element()
        .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
        .map(|e| e.style())
}

/// Applies `vars` now and removes them when the calling component unmounts.
pub fn apply_theme(vars: &[ThemeVar]) {
    // On the server the page's `<style>` carries the theme (link-server).
    if !crate::browser::LIVE {
        return;
    }
    let vars: Vec<(String, String)> = checked_vars(vars)
        .map(|(var, color)| (var.to_string(), color.to_string()))
        .collect();
    if let Some(style) = root_style() {
        for (var, color) in &vars {
            let _ = style.set_property(var, color);
        }
    }
    on_cleanup(move || {
        if let Some(style) = root_style() {
            for (v, _) in vars {
                let _ = style.remove_property(&v);
            }
        }
    });
}
