//! The studio reading a create request: pasted into the box, or its file
//! dropped on it, and applied with one button (`druo_core::studio_import`).
//! A refusal names the line and the field, and changes nothing.

use super::edit::Edit;
use crate::i18n::{tr, use_fill};
use druo_core::i18n::StudioMsg;
use druo_core::studio::StudioState;
use druo_core::studio_import::{
    apply_request, names_language, Expected, ImportError, ImportProblem,
};
use leptos::prelude::*;

/// What the last apply said.
#[derive(Clone, PartialEq)]
enum Said {
    /// Applied; whether the request named its language (one that did not
    /// is previewed in English, and the studio says why).
    Applied(bool),
    Refused(ImportError),
}

/// The message for a refusal.
fn refusal_msg(p: ImportProblem) -> StudioMsg {
    match p {
        ImportProblem::NotJson => StudioMsg::StudioImportNotJson,
        ImportProblem::NotAnObject => StudioMsg::StudioImportNotObject,
        ImportProblem::UnknownField => StudioMsg::StudioImportUnknown,
        ImportProblem::WrongType(_) => StudioMsg::StudioImportWrongType,
    }
}

/// What a field takes, in words.
fn expected_msg(e: Expected) -> StudioMsg {
    match e {
        Expected::Text => StudioMsg::StudioExpectText,
        Expected::Color => StudioMsg::StudioExpectColor,
        Expected::Language => StudioMsg::StudioExpectLanguage,
        Expected::TextByLanguage => StudioMsg::StudioExpectTextByLanguage,
        Expected::Amount => StudioMsg::StudioExpectAmount,
        Expected::Object => StudioMsg::StudioExpectObject,
    }
}

/// The box, its button, and what the last apply said (announced).
pub fn import(state: Memo<StudioState>, set: impl Edit) -> impl IntoView {
    let fill = use_fill();
    let text = RwSignal::new(String::new());
    let said = RwSignal::new(None::<Said>);
    let apply = move || match state.with_untracked(|s| apply_request(s, &text.get_untracked())) {
        Ok(next) => {
            set(&|s| *s = next.clone());
            said.set(Some(Said::Applied(
                text.with_untracked(|t| names_language(t)),
            )));
        }
        Err(e) => said.set(Some(Said::Refused(e))),
    };
    // A dropped file is read and applied as if pasted; dropped text the
    // browser inserts itself.
    let on_drop = move |ev: leptos::ev::DragEvent| {
        let file = ev
            .data_transfer()
            .and_then(|d| d.files())
            .and_then(|f| f.get(0));
        let Some(file) = file else { return };
        ev.prevent_default();
        let read = wasm_bindgen_futures::JsFuture::from(file.text());
        wasm_bindgen_futures::spawn_local(async move {
            if let Ok(v) = read.await {
                text.set(v.as_string().unwrap_or_default());
                apply();
            }
        });
    };
    let words = move || {
        said.get().map(|s| match s {
            Said::Applied(true) => tr(StudioMsg::StudioImportApplied)().to_string(),
            Said::Applied(false) => tr(StudioMsg::StudioImportAppliedEnglish)().to_string(),
            Said::Refused(e) => {
                let expected = match e.problem {
                    ImportProblem::WrongType(x) => fill(expected_msg(x), &[]),
                    _ => String::new(),
                };
                fill(
                    refusal_msg(e.problem),
                    &[
                        ("line", &e.line.to_string()),
                        ("field", &e.field),
                        ("expected", &expected),
                    ],
                )
            }
        })
    };
    let refused = move || matches!(said.get(), Some(Said::Refused(_)));
    view! {
        <h2 class="subheading">{tr(StudioMsg::StudioImportTitle)}</h2>
        <label class="field-label" for="studio-import">{tr(StudioMsg::StudioImportLabel)}</label>
        <textarea
            id="studio-import"
            class="text-input studio-import"
            rows="6"
            spellcheck="false"
            autocomplete="off"
            aria-describedby="studio-import-said"
            aria-invalid=move || refused().to_string()
            prop:value=move || text.get()
            on:input=move |ev| text.set(event_target_value(&ev))
            // A file dropped is only delivered to a drop target that took
            // the drag over it; else the browser opens the file.
            on:dragover=|ev: leptos::ev::DragEvent| ev.prevent_default()
            on:drop=on_drop
        ></textarea>
        <p id="studio-import-said" class=move || if refused() { "field-error" } else { "hint" } aria-live="polite">
            {words}
        </p>
        <button type="button" id="studio-import-apply" class="secondary" on:click=move |_| apply()>
            {tr(StudioMsg::StudioImportApply)}
        </button>
    }
}
