//! The picker without its app and before a search (issue 24): the search
//! box is a GET form the server answers with the same search (`q`), and
//! before a search only the most used institutions show (the tiles), with
//! a link to the whole catalog (`all`): a shorter first screen with less
//! to make live.

use super::options::is_tile;
use crate::components::dom::focus_first;
use crate::components::move_link::MoveLink;
use crate::i18n::tr;
use druo_core::dto::Institution;
use druo_core::i18n::Msg;
use druo_core::search::SearchIndex;
use leptos::prelude::*;

/// What the list is drawn from.
#[derive(Clone, Copy)]
pub struct Listing {
    /// The catalog's folded names.
    pub index: StoredValue<SearchIndex>,
    /// The catalog, most used first.
    pub catalog: StoredValue<Vec<Institution>>,
    /// The whole catalog was asked for.
    pub all: RwSignal<bool>,
}

impl Listing {
    /// The catalog positions shown for `query`, best first: before a
    /// search the tiles only, unless the whole catalog was asked for (or
    /// nothing is a tile). Names are folded once; a keystroke folds the
    /// query and yields positions, so no institution is cloned per key.
    pub fn results(self, query: RwSignal<String>) -> Memo<Vec<usize>> {
        let has_tiles = self.has_tiles();
        Memo::new(move |_| {
            query.with(|q| {
                let mut found = self.index.with_value(|x| x.find(q));
                if q.trim().is_empty() && has_tiles && !self.all.get() {
                    self.catalog
                        .with_value(|c| found.retain(|at| is_tile(&c[*at])));
                }
                found
            })
        })
    }

    /// Whether any institution is a tile.
    pub fn has_tiles(self) -> bool {
        self.catalog.with_value(|c| c.iter().any(is_tile))
    }
}

/// Whether the page's URL asks for the whole catalog.
pub fn all_asked() -> bool {
    crate::location::current().get("all").is_some()
}

/// The parameters the search form sends besides `q`: the page's own (the
/// link, its language), on the bank step.
pub fn carried() -> Vec<(String, String)> {
    crate::location::current()
        .query
        .into_iter()
        .filter(|(k, _)| !matches!(k.as_str(), "q" | "step" | "inst" | "type" | "all"))
        .chain([("step".to_string(), "bank".to_string())])
        .collect()
}

/// "See all banks and wallets" while `offered`: a link to the bank step
/// with the whole catalog; live, the rest shows in place and focus goes
/// to the first of it.
pub fn show_all(
    all: RwSignal<bool>,
    offered: impl Fn() -> bool + Send + Sync + 'static,
) -> impl IntoView {
    let href = crate::location::current().href_with(&[
        ("step", Some("bank")),
        ("all", Some("1")),
        ("q", None),
    ]);
    let open = move |()| {
        all.set(true);
        set_timeout(
            || focus_first(".bank-list li:not(.tile) > .bank-option"),
            std::time::Duration::ZERO,
        );
    };
    move || {
        offered().then(|| {
            view! { <MoveLink class="link-button show-all" href=href.clone() on_move=open>{tr(Msg::ShowAllBanks)}</MoveLink> }
        })
    }
}
