//! The icon set: one stroke path per icon on a 24-unit grid, drawn inline
//! (no image requests) in `currentColor`, so each takes a theme colour
//! whose contrast core/ already checked (`--accent`, `--error`). Stroke
//! width, caps and joins live in the CSS, once. Decorative: the heading
//! beside an icon always says the same in words.

use leptos::prelude::*;

/// One icon of the set (docs/design.md shows them).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Icon {
    /// Connected, paid: a check that draws itself once.
    Done,
    /// Waiting for the bank's confirmation: a clock.
    Pending,
    /// Declined by the bank: a cross.
    Declined,
    /// The link expired: an hourglass.
    Expired,
    /// No such link: a magnifier.
    NotFound,
    /// The service failed: a warning triangle.
    Error,
    /// Trust line: a padlock.
    Lock,
}

impl Icon {
    /// The path, in 24×24 units.
    fn path(self) -> &'static str {
        match self {
            Icon::Done => "M6 12.5l4 4L18 8",
            Icon::Pending => "M12 3a9 9 0 100 18 9 9 0 100-18M12 7v5l3.5 2",
            Icon::Declined => "M7 7l10 10M17 7L7 17",
            Icon::Expired => "M7 3h10M7 21h10M8 3v3l4 6-4 6v3M16 3v3l-4 6 4 6v3",
            Icon::NotFound => "M10.5 4a6.5 6.5 0 100 13 6.5 6.5 0 100-13M15.5 15.5L20 20",
            Icon::Error => "M12 3.5L2.5 20h19zM12 10v4.5M12 17.5v.01",
            Icon::Lock => "M6 11h12v9H6zM8.5 11V8a3.5 3.5 0 017 0v3",
        }
    }

    /// Red for what went wrong, the merchant's accent for the rest; the
    /// check draws itself.
    fn tone(self) -> &'static str {
        match self {
            Icon::Declined | Icon::Error => "icon-badge bad",
            Icon::Done => "icon-badge draw",
            _ => "icon-badge",
        }
    }
}

/// A bare icon (the trust line's padlock). Icons are plain functions,
/// not components: no props builder in the wasm for one argument.
pub fn glyph(icon: Icon) -> impl IntoView {
    view! {
        <svg class="icon" viewBox="0 0 24 24" aria-hidden="true">
            <path d=icon.path()/>
        </svg>
    }
}

/// The icon of a moment (an outcome), in its ring above the heading.
pub fn moment(icon: Icon) -> impl IntoView {
    view! {
        <div class=icon.tone()>
            {glyph(icon)}
        </div>
    }
}
