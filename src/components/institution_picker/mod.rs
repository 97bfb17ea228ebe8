//! The institution picker: a search box over the catalog following the
//! ARIA combobox and listbox pattern. Before any search the most used
//! institutions (first in the catalog) show as tiles: the same options of
//! the one listbox, laid out as a grid by the CSS, so nothing is listed
//! twice and the keyboard walks tiles and rows alike, and a link shows the
//! rest. Type to filter (accents, case and a typo per word do not matter),
//! arrows to move, Enter to choose, Escape to clear; or tap. Each option
//! is a link, and the search a form, so it all works without the app too
//! (`whole`).

mod mark;
mod memory;
mod no_match;
mod options;
mod whole;

use crate::i18n::tr;
use druo_core::dto::Institution;
use druo_core::i18n::Msg;
use druo_core::search::SearchIndex;
use leptos::html;
use leptos::prelude::*;
use memory::remember_search;
use no_match::no_match;
use options::{option_id, option_list};
use whole::Listing;

/// True where the main pointer is precise (a mouse), so focusing the
/// search box will not pop up a phone's keyboard unasked.
fn fine_pointer() -> bool {
    window()
        .match_media("(pointer: fine)")
        .ok()
        .flatten()
        .is_some_and(|m| m.matches())
}

/// Tiles, search box and result list; calls `on_pick` with the choice.
#[component]
pub fn InstitutionPicker(
    /// The catalog, most used first.
    institutions: Vec<Institution>,
    /// The search text (owned by the page so it survives re-renders).
    query: RwSignal<String>,
    /// The current choice, highlighted in the list.
    selected: RwSignal<Option<Institution>>,
    /// The search box takes focus on mount (with a fine pointer only).
    autofocus: bool,
    /// Called when the user chooses an institution.
    #[prop(into)]
    on_pick: Callback<Institution>,
) -> impl IntoView {
    let listing = Listing {
        index: StoredValue::new(SearchIndex::new(&institutions)),
        catalog: StoredValue::new(institutions),
        all: RwSignal::new(whole::all_asked()),
    };
    let (catalog, all, has_tiles) = (listing.catalog, listing.all, listing.has_tiles());
    let results = listing.results(query);
    let browsing = move || query.with(|q| q.trim().is_empty());
    remember_search(query);
    let active = RwSignal::new(0usize);
    // A new result list starts at the chosen institution, else the first.
    Effect::new(move |_| {
        let at = results.with(|r| {
            selected.with_untracked(|s| {
                let chosen = s.as_ref().map(|s| s.uuid.as_str());
                catalog.with_value(|c| r.iter().position(|i| Some(c[*i].uuid.as_str()) == chosen))
            })
        });
        active.set(at.unwrap_or(0));
    });
    let input = NodeRef::<html::Input>::new();
    Effect::new(move |_| {
        if let Some(el) = input.get() {
            if autofocus && fine_pointer() {
                let _ = el.focus();
            }
        }
    });
    let active_id = move || results.with(|r| r.get(active.get()).copied().map(option_id));
    // Keep the active option visible while moving with the keyboard. Only
    // then: scrolling forces a layout, which typing must not pay for.
    let reveal_active = move || {
        let id = results.with_untracked(|r| r.get(active.get_untracked()).copied().map(option_id));
        if let Some(el) = id.and_then(|id| document().get_element_by_id(&id)) {
            let opts = web_sys::ScrollIntoViewOptions::new();
            opts.set_block(web_sys::ScrollLogicalPosition::Nearest);
            el.scroll_into_view_with_scroll_into_view_options(&opts);
        }
    };
    let choose = Callback::new(move |at: usize| {
        if let Some(i) = catalog.with_value(|c| c.get(at).cloned()) {
            selected.set(Some(i.clone()));
            on_pick.run(i);
        }
    });
    let on_key = move |ev: web_sys::KeyboardEvent| {
        let len = results.with_untracked(Vec::len);
        let to = match ev.key().as_str() {
            "ArrowDown" => (active.get_untracked() + 1).min(len.saturating_sub(1)),
            "ArrowUp" => active.get_untracked().saturating_sub(1),
            "Home" => 0,
            "End" => len.saturating_sub(1),
            "Enter" => {
                ev.prevent_default();
                if let Some(at) = results.with_untracked(|r| r.get(active.get_untracked()).copied())
                {
                    choose.run(at);
                }
                return;
            }
            "Escape" => return query.set(String::new()),
            _ => return,
        };
        if len > 0 {
            ev.prevent_default();
            active.set(to);
            reveal_active();
        }
    };
    view! {
        <form
            class="picker"
            class:browsing=browsing
            method="get"
            role="search"
            on:submit=|ev| ev.prevent_default()
        >
            {whole::carried().into_iter().map(|(k, v)| view! { <input type="hidden" name=k value=v/> }).collect_view()}
            <label for="bank-search" class="field-label">{tr(Msg::SearchBankLabel)}</label>
            <p id="bank-search-hint" class="hint">{tr(Msg::SearchBankHint)}</p>
            <input
                id="bank-search"
                class="text-input"
                type="text"
                role="combobox"
                aria-autocomplete="list"
                aria-expanded=move || if results.with(Vec::is_empty) { "false" } else { "true" }
                aria-controls="bank-list"
                aria-describedby="bank-search-hint"
                aria-activedescendant=active_id
                autocomplete="off"
                autocapitalize="off"
                spellcheck="false"
                enterkeyhint="search"
                name="q"
                // In the served HTML too: the search a page without its
                // app sent shows in the box it came from.
                value=query.get_untracked()
                node_ref=input
                prop:value=move || query.get()
                on:input=move |ev| query.set(event_target_value(&ev))
                on:keydown=on_key
            />
            // Over the tiles only (the CSS hides it without any); hidden for
            // screen readers: the listbox has its own name.
            <p class="popular-title" aria-hidden="true">{tr(Msg::PopularTitle)}</p>
            {option_list(catalog, results, active, selected, choose)}
            {whole::show_all(all, move || has_tiles && browsing() && !all.get())}
            {no_match(query, results)}
        </form>
    }
}
