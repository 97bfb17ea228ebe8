//! The listbox of search results: one option per institution, with its
//! mark, keyed by institution so a keystroke moves and removes options
//! instead of rebuilding every one.

use crate::components::institution_picker::mark::mark;
use crate::i18n::tr;
use druo_core::dto::Institution;
use druo_core::i18n::Msg;
use leptos::prelude::*;

/// The ranks shown as tiles before a search: three rows of three.
const TILES: u32 = 9;

/// DOM id of the option for the institution at catalog position `at`.
pub fn option_id(at: usize) -> String {
    format!("opt-{at}")
}

/// The result list; the combobox owns the keyboard and `active`.
/// `catalog` is most used first; `results` are catalog positions, best
/// first; `active` indexes `results`; `on_choose` gets a catalog position.
pub fn option_list(
    catalog: StoredValue<Vec<Institution>>,
    results: Memo<Vec<usize>>,
    active: RwSignal<usize>,
    selected: RwSignal<Option<Institution>>,
    on_choose: Callback<usize>,
) -> impl IntoView {
    view! {
        <ul
            id="bank-list"
            class="bank-list"
            class:empty=move || results.with(Vec::is_empty)
            role="listbox"
            aria-label=tr(Msg::BankListLabel)
        >
            <For
                each=move || results.get()
                // Keyed by uuid, like the accounts list: one copy of the
                // keyed diff in the wasm for both (a usize key made another).
                key=move |at| catalog.with_value(|c| c[*at].uuid.clone())
                children=move |at| {
                    let idx = move || results.with(|r| r.iter().position(|i| *i == at));
                    let (view, uuid) = catalog.with_value(|c| (mark(&c[at]), c[at].uuid.clone()));
                    let (name, tile) = catalog.with_value(|c| (c[at].name.clone(), c[at].popularity.is_some_and(|r| r <= TILES)));
                    let is_selected = move || selected.with(|s| s.as_ref().is_some_and(|s| s.uuid == uuid));
                    view! {
                        <li
                            id=option_id(at)
                            role="option"
                            class="bank-option"
                            class:tile=tile
                            class:active=move || idx() == Some(active.get())
                            aria-selected=move || if is_selected() { "true" } else { "false" }
                            on:click=move |_| on_choose.run(at)
                            on:mousemove=move |_| {
                                if let Some(i) = idx() {
                                    active.set(i);
                                }
                            }
                        >
                            {view}
                            <span class="bank-name">{name}</span>
                        </li>
                    }
                }
            />
        </ul>
    }
}
