//! The institution picker: a search box over the catalog following the
//! ARIA combobox + listbox pattern. Type to filter (accents and case do
//! not matter), arrows to move, Enter to choose, Escape to clear; or tap.

use crate::i18n::{tr, use_lang};
use druo_core::dto::Institution;
use druo_core::i18n::{fill, Msg};
use druo_core::search::filter;
use leptos::prelude::*;

/// DOM id of an option.
fn option_id(i: &Institution) -> String {
    format!("opt-{}", i.uuid)
}

/// Search box and result list; calls `on_pick` with the chosen institution.
#[component]
pub fn InstitutionPicker(
    /// The catalog, most used first.
    institutions: Vec<Institution>,
    /// The search text (owned by the page so it survives re-renders).
    query: RwSignal<String>,
    /// The current choice, highlighted in the list.
    selected: RwSignal<Option<Institution>>,
    /// Called when the user chooses an institution.
    #[prop(into)]
    on_pick: Callback<Institution>,
) -> impl IntoView {
    let lang = use_lang();
    let catalog = StoredValue::new(institutions);
    let results = Memo::new(move |_| {
        let q = query.get();
        catalog.with_value(|c| filter(c, &q).into_iter().cloned().collect::<Vec<_>>())
    });
    let active = RwSignal::new(0usize);
    // A new result list starts at the chosen institution, else the first.
    Effect::new(move |_| {
        let r = results.get();
        let sel = selected.get_untracked();
        let at = sel
            .and_then(|s| r.iter().position(|i| i.uuid == s.uuid))
            .unwrap_or(0);
        active.set(at);
    });
    // Keep the active option visible while moving with the keyboard. Only
    // then: scrolling forces a layout, which typing must not pay for.
    let reveal_active = move || {
        let id = results.with_untracked(|r| r.get(active.get_untracked()).map(option_id));
        if let Some(el) = id.and_then(|id| document().get_element_by_id(&id)) {
            let opts = web_sys::ScrollIntoViewOptions::new();
            opts.set_block(web_sys::ScrollLogicalPosition::Nearest);
            el.scroll_into_view_with_scroll_into_view_options(&opts);
        }
    };
    let choose = move |i: Institution| {
        selected.set(Some(i.clone()));
        on_pick.run(i);
    };
    let on_key = move |ev: web_sys::KeyboardEvent| {
        let len = results.with_untracked(Vec::len);
        match ev.key().as_str() {
            "ArrowDown" if len > 0 => {
                ev.prevent_default();
                active.update(|a| *a = (*a + 1).min(len - 1));
                reveal_active();
            }
            "ArrowUp" if len > 0 => {
                ev.prevent_default();
                active.update(|a| *a = a.saturating_sub(1));
                reveal_active();
            }
            "Home" if len > 0 => {
                ev.prevent_default();
                active.set(0);
                reveal_active();
            }
            "End" if len > 0 => {
                ev.prevent_default();
                active.set(len - 1);
                reveal_active();
            }
            "Enter" => {
                ev.prevent_default();
                if let Some(i) = results.with_untracked(|r| r.get(active.get_untracked()).cloned())
                {
                    choose(i);
                }
            }
            "Escape" => query.set(String::new()),
            _ => {}
        }
    };
    view! {
        <div class="picker">
            <label for="bank-search" class="field-label">{tr(Msg::SearchBankLabel)}</label>
            <p id="bank-search-hint" class="hint">{tr(Msg::SearchBankHint)}</p>
            <input
                id="bank-search"
                class="text-input"
                type="text"
                role="combobox"
                aria-autocomplete="list"
                aria-expanded="true"
                aria-controls="bank-list"
                aria-describedby="bank-search-hint"
                aria-activedescendant=move || results.with(|r| r.get(active.get()).map(option_id))
                autocomplete="off"
                autocapitalize="off"
                spellcheck="false"
                enterkeyhint="search"
                prop:value=move || query.get()
                on:input=move |ev| query.set(event_target_value(&ev))
                on:keydown=on_key
            />
            <ul id="bank-list" class="bank-list" role="listbox" aria-label=tr(Msg::BankListLabel)>
                // Keyed by institution only, so a keystroke moves and
                // removes options instead of rebuilding every one.
                <For
                    each=move || results.get()
                    key=|i| i.uuid.clone()
                    children=move |inst| {
                        let uuid = StoredValue::new(inst.uuid.clone());
                        let idx = move || results.with(|r| uuid.with_value(|u| r.iter().position(|i| &i.uuid == u)));
                        let is_selected = move || selected.with(|s| s.as_ref().is_some_and(|s| uuid.with_value(|u| &s.uuid == u)));
                        let pick = inst.clone();
                        view! {
                            <li
                                id=option_id(&inst)
                                role="option"
                                class="bank-option"
                                class:active=move || idx() == Some(active.get())
                                aria-selected=move || if is_selected() { "true" } else { "false" }
                                on:click=move |_| choose(pick.clone())
                                on:mousemove=move |_| {
                                    if let Some(i) = idx() {
                                        active.set(i);
                                    }
                                }
                            >
                                <span class="bank-initial" aria-hidden="true">
                                    {inst.name.chars().next().map(String::from).unwrap_or_default()}
                                </span>
                                <span class="bank-name">{inst.name.clone()}</span>
                            </li>
                        }
                    }
                />
            </ul>
            <Show when=move || results.with(Vec::is_empty)>
                <p class="hint" role="status">
                    {move || fill(Msg::NoBankMatches.text(lang.get()), &[("query", &query.get())])}
                </p>
            </Show>
        </div>
    }
}
