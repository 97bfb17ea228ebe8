//! The views of the ends every link page shares. Only the words differ
//! between pages (connected or paid, used or already paid), and what the
//! confirmation lists (the account, or the payment).

use super::state::End;
use crate::components::icon::{moment, Icon};
use crate::components::message::NotFound;
use crate::components::step_heading::StepHeading;
use crate::i18n::use_fill;
use druo_core::i18n::Msg;
use leptos::prelude::*;

/// A page's words for its ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Words {
    /// The confirmation's heading and body (named merchant).
    pub done: (Msg, Msg),
    /// The heading while leaving for the merchant.
    pub leaving: Msg,
    /// The heading and body (named merchant) of a link already used.
    pub used: (Msg, Msg),
    /// The confirmation's icon: a check once done, a clock while the
    /// institution settles, a cross for money that went back.
    pub icon: Icon,
}

impl Words {
    /// The words of a page whose outcome may still be settling: the
    /// `pending` confirmation or the `done` one; leaving names `done`.
    pub fn settled(
        pending: bool,
        pending_done: (Msg, Msg),
        done: (Msg, Msg),
        used: (Msg, Msg),
    ) -> Words {
        Words {
            done: if pending { pending_done } else { done },
            leaving: done.0,
            used,
            icon: if pending { Icon::Pending } else { Icon::Done },
        }
    }
}

/// One end of a link page. `children` are the confirmation's details (the
/// account, or the payment's receipt), shown between its text and the
/// "Return to" button. A link reopened after it ended is a confirmation
/// too (`End::reopened`); "used" is a submit refused because another tab
/// ended the link, whose page may hold an older attempt, so it lists none.
#[component]
pub fn Ending(
    /// Which end.
    end: End,
    /// The page's words for it.
    words: Words,
    /// The merchant, named in the texts.
    merchant: String,
    /// Whether the heading takes focus.
    focus: bool,
    #[prop(optional)] children: Option<Children>,
) -> impl IntoView {
    let fill = use_fill();
    let m = StoredValue::new(merchant);
    let says = move |msg: Msg| move || fill(msg, &[("merchant", &m.get_value())]);
    match end {
        End::Done(ret) => view! {
            {moment(words.icon)}
            <StepHeading title=words.done.0 focus/>
            <p class="moment-text">{says(words.done.1)}</p>
            {children.map(|c| c())}
            {ret.map(|url| view! { <a class="button primary" href=url>{says(Msg::ReturnTo)}</a> })}
        }
        .into_any(),
        End::Redirecting => view! {
            {moment(Icon::Done)}
            <StepHeading title=words.leaving focus/>
            <p class="moment-text" role="status">{says(Msg::Redirecting)}</p>
        }
        .into_any(),
        End::Expired => view! {
            {moment(Icon::Expired)}
            <StepHeading title=Msg::ExpiredTitle focus/>
            <p class="moment-text">{says(Msg::ExpiredBody)}</p>
        }
        .into_any(),
        End::Used => view! {
            {moment(Icon::Done)}
            <StepHeading title=words.used.0 focus/>
            <p class="moment-text">{says(words.used.1)}</p>
        }
        .into_any(),
        End::Gone => view! { <NotFound/> }.into_any(),
    }
}
