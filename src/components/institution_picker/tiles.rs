//! The most used institutions as large tiles, shown before any search so
//! most people choose with one tap (the list below still has them all).

use crate::components::institution_picker::mark::mark;
use crate::i18n::tr;
use druo_core::dto::Institution;
use druo_core::i18n::Msg;
use druo_core::search::popular;
use leptos::prelude::*;

/// Tiles shown: three rows of three on a phone; wider boxes show two
/// rows of four (the CSS hides the ninth).
const TILES: usize = 9;

/// The popular institutions, by rank, as buttons named by the institution.
/// `catalog` is most used first; `on_choose` gets a catalog position.
pub fn popular_tiles(
    catalog: StoredValue<Vec<Institution>>,
    on_choose: Callback<usize>,
) -> impl IntoView {
    let ranked = catalog.with_value(|c| popular(c, TILES));
    // A catalog without ranks gets no heading over an empty grid.
    if ranked.is_empty() {
        return None;
    }
    let tiles = catalog.with_value(|c| {
        ranked
            .into_iter()
            .map(|at| {
                let i = &c[at];
                view! {
                    <li>
                        <button type="button" class="bank-tile" on:click=move |_| on_choose.run(at)>
                            {mark(i)}
                            <span class="bank-tile-name">{i.name.clone()}</span>
                        </button>
                    </li>
                }
            })
            .collect_view()
    });
    Some(view! {
        <h2 id="popular-title" class="field-label popular-title">{tr(Msg::PopularTitle)}</h2>
        <ul class="bank-tiles" aria-labelledby="popular-title">{tiles}</ul>
    })
}
