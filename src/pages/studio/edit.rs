//! What the studio's panel and report share: how an edit reaches the
//! state, and a colour's name (a leaf, so neither depends on the other).

use druo_core::i18n::slot_msg;
use druo_core::studio::StudioState;
use druo_core::Lang;

/// Applies an edit to the studio's state (by moving the URL).
pub trait Edit: Fn(&dyn Fn(&mut StudioState)) + Copy + Send + Sync + 'static {}

impl<F: Fn(&dyn Fn(&mut StudioState)) + Copy + Send + Sync + 'static> Edit for F {}

/// A colour field's name in the studio's language (the field itself when
/// it has none, which a core test rules out).
pub fn slot_name(field: &'static str, lang: Lang) -> &'static str {
    slot_msg(field).map_or(field, |m| m.text(lang))
}
