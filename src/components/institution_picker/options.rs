//! The listbox of search results: one option per institution, with its
//! mark, keyed by institution so a keystroke moves and removes options
//! instead of rebuilding every one.

use crate::components::account_step::AccountStep;
use crate::components::dom::{take_click, use_live};
use crate::components::institution_picker::mark::mark;
use crate::components::link_flow::Place;
use crate::i18n::tr;
use druo_core::dto::Institution;
use druo_core::i18n::Msg;
use leptos::prelude::*;

/// The ranks shown as tiles before a search: three rows of three.
const TILES: u32 = 9;

/// Whether `i` is one of the most used institutions, shown as a tile
/// before a search.
pub fn is_tile(i: &Institution) -> bool {
    i.popularity.is_some_and(|r| r <= TILES)
}

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
    // Each option is a link to the details step with its institution, so
    // a tap chooses without the app too. Live, the search box's arrows
    // walk the options, so they leave the tab order.
    let here = StoredValue::new(crate::location::current());
    let live = use_live();
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
                    let (name, tile) = catalog.with_value(|c| (c[at].name.clone(), is_tile(&c[at])));
                    let href = here.with_value(|u| {
                        Place { step: Some(AccountStep::Details), institution: Some(uuid.clone()), subtype: None }.href_on(u)
                    });
                    let is_selected = move || selected.with(|s| s.as_ref().is_some_and(|s| s.uuid == uuid));
                    view! {
                        <li role="none" class:tile=tile>
                            <a
                                id=option_id(at)
                                href=href
                                role="option"
                                class="bank-option"
                                class:tile=tile
                                class:active=move || idx() == Some(active.get())
                                tabindex=move || live.get().then_some("-1")
                                aria-selected=move || if is_selected() { "true" } else { "false" }
                                on:click=move |ev| {
                                    if take_click(&ev) {
                                        on_choose.run(at);
                                    }
                                }
                                on:mousemove=move |_| {
                                    if let Some(i) = idx() {
                                        active.set(i);
                                    }
                                }
                            >
                                {view}
                                <span class="bank-name">{name}</span>
                            </a>
                        </li>
                    }
                }
            />
        </ul>
    }
}
