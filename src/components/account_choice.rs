//! Choosing the paying account and authorizing the debit: the payer's
//! connected accounts as radio buttons, and a checkbox whose text names the
//! merchant, the amount and the chosen account.

use crate::i18n::{tr, use_lang};
use druo_core::dto::{AccountSubtype, PublicAccount};
use druo_core::i18n::{fill, masked_account, Msg};
use druo_core::Lang;
use leptos::prelude::*;

/// The payment choices, owned by the page so a retry keeps them.
#[derive(Clone, Copy, Default)]
pub struct PayState {
    /// The paying account's uuid.
    pub chosen: RwSignal<Option<String>>,
    /// The debit authorization is ticked.
    pub authorized: RwSignal<bool>,
    /// The key of the current logical payment; a retry reuses it.
    pub key: RwSignal<Option<String>>,
    /// The account the bank just declined, marked and never preselected.
    pub declined: RwSignal<Option<String>>,
    /// Pay was pressed without the authorization: the box is marked.
    pub flagged: RwSignal<bool>,
}

impl PayState {
    /// Nothing chosen yet.
    pub fn new() -> Self {
        Self::default()
    }

    /// The chosen account among `accounts` (tracked).
    pub fn chosen_in(&self, accounts: RwSignal<Vec<PublicAccount>>) -> Option<PublicAccount> {
        let id = self.chosen.get()?;
        accounts.with(|k| k.iter().find(|a| a.uuid == id).cloned())
    }

    /// Chooses an account: a new choice needs a new authorization and key.
    pub fn choose(&self, uuid: String) {
        if self.chosen.get_untracked().as_deref() != Some(uuid.as_str()) {
            self.chosen.set(Some(uuid));
            self.authorized.set(false);
            self.key.set(None);
        }
    }
}

/// The accounts to pay with and the debit authorization.
#[component]
pub fn AccountChoice(
    /// The payer's usable accounts, newest first.
    accounts: RwSignal<Vec<PublicAccount>>,
    /// The choices.
    pay: PayState,
    /// The merchant, named in the authorization.
    merchant: String,
    /// The formatted amount, named in the authorization.
    #[prop(into)]
    amount: Signal<String>,
    /// Shown between the accounts and the authorization (e.g. "connect a
    /// new account").
    #[prop(optional)]
    children: Option<Children>,
) -> impl IntoView {
    let lang = use_lang();
    let merchant = StoredValue::new(merchant);
    view! {
        <Show when=move || !accounts.with(Vec::is_empty) fallback=|| view! { <p>{tr(Msg::NoAccountsYet)}</p> }>
            <fieldset class="accounts">
                <legend class="field-label">{tr(Msg::YourAccounts)}</legend>
                <For each=move || accounts.get() key=|a| a.uuid.clone() let(a)>
                    {
                        let (id, id2) = (a.uuid.clone(), a.uuid.clone());
                        view! {
                            <label class="choice account-choice">
                                <input
                                    type="radio"
                                    // One group per form (the studio's frames are forms of their own).
                                    name="account"
                                    value=a.uuid.clone()
                                    // In the served HTML too (a property is not), so
                                    // the first paint shows the choice.
                                    checked=pay.chosen.with_untracked(|c| c.as_deref() == Some(a.uuid.as_str()))
                                    prop:checked=move || pay.chosen.get().as_deref() == Some(id.as_str())
                                    on:change=move |_| pay.choose(id2.clone())
                                />
                                <span>{account_line(&a, accounts, pay.declined, lang)}</span>
                            </label>
                        }
                    }
                </For>
            </fieldset>
        </Show>
        {children.map(|c| c())}
        {move || pay.chosen_in(accounts).map(|a| view! {
            <label class="choice authorization">
                <input
                    id="debit-authorization"
                    type="checkbox"
                    name="authorization"
                    value="yes"
                    checked=pay.authorized.get_untracked()
                    prop:checked=move || pay.authorized.get()
                    aria-invalid=move || pay.flagged.get().to_string()
                    on:change=move |ev| {
                        pay.authorized.set(event_target_checked(&ev));
                        pay.flagged.set(false);
                        pay.key.set(None);
                    }
                />
                <span>
                    {move || fill(Msg::DebitAuthorization.text(lang.get()), &[
                        ("merchant", &merchant.get_value()), ("amount", &amount.get()),
                        ("bank", &a.institution.name), ("last4", &a.last_4),
                    ])}
                </span>
            </label>
        })}
    }
}

/// An account as the list names it: institution, last four and type;
/// the date it was connected when another account has the same
/// institution and last four; "declined just now" after a decline.
fn account_line(
    a: &PublicAccount,
    accounts: RwSignal<Vec<PublicAccount>>,
    declined: RwSignal<Option<String>>,
    lang: RwSignal<Lang>,
) -> impl Fn() -> String + Send + Sync + 'static {
    let a = a.clone();
    move || {
        let l = lang.get();
        let kind = match a.subtype {
            AccountSubtype::Savings => Msg::SubtypeSavings,
            AccountSubtype::Checking => Msg::SubtypeChecking,
        };
        let mut line = format!(
            "{} · {}",
            masked_account(&a.institution.name, &a.last_4),
            kind.text(l)
        );
        let twin = accounts.with(|k| {
            k.iter().any(|o| {
                o.uuid != a.uuid && o.institution.uuid == a.institution.uuid && o.last_4 == a.last_4
            })
        });
        if let (true, Some(date)) = (twin, a.date_created.as_deref()) {
            let day = crate::components::dates::format_date(date, l);
            line = [line, fill(Msg::ConnectedOn.text(l), &[("date", &day)])].join(" · ");
        }
        if declined.with(|d| d.as_deref() == Some(a.uuid.as_str())) {
            line = [line, Msg::DeclinedMark.text(l).to_string()].join(" · ");
        }
        line
    }
}
