//! Browser tests of the connect page's components in headless Chromium:
//! the institution picker (search, keyboard selection) and the account
//! form (validation states, submit), mounted as the pages mount them.

#![cfg(target_arch = "wasm32")]

use druo_core::dto::{AccountHolder, AccountSubtype, ConnectSubmit, Institution, InstitutionKind};
use druo_core::form::{Field, Problem};
use druo_core::i18n::Msg;
use druo_core::Lang;
use druo_link::components::account_form::{AccountForm, FormState};
use druo_link::components::institution_picker::InstitutionPicker;
use leptos::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

mod common;

use common::{container, settle};

wasm_bindgen_test_configure!(run_in_browser);

fn inst(uuid: &str, name: &str, subtypes: &[AccountSubtype]) -> Institution {
    Institution {
        uuid: uuid.into(),
        name: name.into(),
        kind: InstitutionKind::Bank,
        subtypes: subtypes.to_vec(),
        popularity: None,
        // No brand: the marks fall back to a neutral colour and the initial.
        brand_color: String::new(),
        mark: String::new(),
        number_lengths: vec![],
    }
}

fn catalog() -> Vec<Institution> {
    use AccountSubtype::*;
    vec![
        inst("ins_1", "Bancolombia", &[Savings, Checking]),
        inst("ins_2", "Nequi", &[Savings]),
        inst("ins_3", "Davivienda", &[Savings, Checking]),
        inst("ins_4", "Banco de Bogotá", &[Savings, Checking]),
        inst("ins_5", "Itaú", &[Savings, Checking]),
    ]
}

/// The catalog with two ranked institutions (tiles) and one brand.
fn ranked_catalog() -> Vec<Institution> {
    let mut c = catalog();
    c[2].popularity = Some(1);
    c[0].popularity = Some(2);
    c[0].brand_color = "#FDDA24".into();
    c[0].mark = "BC".into();
    c
}

fn input(root: &web_sys::HtmlElement, sel: &str) -> web_sys::HtmlInputElement {
    root.query_selector(sel)
        .unwrap()
        .unwrap_or_else(|| panic!("{sel}"))
        .dyn_into()
        .unwrap()
}

fn type_into(el: &web_sys::HtmlInputElement, text: &str) {
    el.set_value(text);
    el.dispatch_event(&web_sys::Event::new("input").unwrap())
        .unwrap();
}

fn key(el: &web_sys::HtmlInputElement, k: &str) {
    let init = web_sys::KeyboardEventInit::new();
    init.set_key(k);
    init.set_bubbles(true);
    init.set_cancelable(true);
    let ev = web_sys::KeyboardEvent::new_with_keyboard_event_init_dict("keydown", &init).unwrap();
    el.dispatch_event(&ev).unwrap();
}

fn options(root: &web_sys::HtmlElement) -> Vec<String> {
    common::texts(root, "[role=option]")
}

fn mount_picker(
    root: &web_sys::HtmlElement,
) -> (
    RwSignal<String>,
    RwSignal<Option<Institution>>,
    RwSignal<Option<Institution>>,
    impl Drop,
) {
    mount_picker_with(root, catalog())
}

fn mount_picker_with(
    root: &web_sys::HtmlElement,
    institutions: Vec<Institution>,
) -> (
    RwSignal<String>,
    RwSignal<Option<Institution>>,
    RwSignal<Option<Institution>>,
    impl Drop,
) {
    let query = RwSignal::new(String::new());
    let selected = RwSignal::new(None::<Institution>);
    let picked = RwSignal::new(None::<Institution>);
    let handle = leptos::mount::mount_to(root.clone(), move || {
        view! {
            <InstitutionPicker
                institutions=institutions.clone()
                query
                selected
                autofocus=false
                on_pick=move |i| picked.set(Some(i))
            />
        }
    });
    (query, selected, picked, handle)
}

#[wasm_bindgen_test]
async fn picker_search_ignores_accents_and_case() {
    let root = container();
    let (_q, _s, _p, _h) = mount_picker(&root);
    settle().await;
    assert_eq!(
        options(&root).len(),
        5,
        "empty search lists the whole catalog"
    );
    let search = input(&root, "#bank-search");
    assert_eq!(search.get_attribute("role").as_deref(), Some("combobox"));
    type_into(&search, "bogota");
    settle().await;
    assert_eq!(options(&root), vec!["BBanco de Bogotá"]);
    type_into(&search, "ITAU");
    settle().await;
    assert_eq!(options(&root), vec!["IItaú"]);
    type_into(&search, "zzz");
    settle().await;
    assert!(options(&root).is_empty());
    let status = root
        .query_selector("[role=status]")
        .unwrap()
        .unwrap()
        .text_content()
        .unwrap();
    assert!(status.contains("zzz"), "{status}");
    assert!(status.contains("Check the spelling"), "{status}");
    assert_eq!(
        search.get_attribute("aria-expanded").as_deref(),
        Some("false")
    );
}

#[wasm_bindgen_test]
async fn picker_is_operable_by_keyboard_alone() {
    let root = container();
    let (query, selected, picked, _h) = mount_picker(&root);
    settle().await;
    let search = input(&root, "#bank-search");
    key(&search, "ArrowDown");
    key(&search, "ArrowDown");
    settle().await;
    assert_eq!(
        search.get_attribute("aria-activedescendant").as_deref(),
        Some("opt-2")
    );
    key(&search, "ArrowUp");
    settle().await;
    assert_eq!(
        search.get_attribute("aria-activedescendant").as_deref(),
        Some("opt-1")
    );
    key(&search, "Enter");
    settle().await;
    assert_eq!(picked.get_untracked().map(|i| i.name), Some("Nequi".into()));
    assert_eq!(
        selected.get_untracked().map(|i| i.uuid),
        Some("ins_2".into())
    );
    let chosen = root.query_selector("#opt-1").unwrap().unwrap();
    assert_eq!(
        chosen.get_attribute("aria-selected").as_deref(),
        Some("true")
    );
    // Filter, then End/Home and Enter choose among the results only.
    type_into(&search, "banco");
    settle().await;
    key(&search, "End");
    key(&search, "Enter");
    settle().await;
    assert_eq!(
        picked.get_untracked().map(|i| i.name),
        Some("Banco de Bogotá".into())
    );
    key(&search, "Escape");
    settle().await;
    assert_eq!(query.get_untracked(), "");
    assert_eq!(options(&root).len(), 5);
}

#[wasm_bindgen_test]
async fn picker_shows_popular_tiles_until_a_search_and_forgives_a_typo() {
    let root = container();
    let (query, _s, picked, _h) = mount_picker_with(&root, ranked_catalog());
    settle().await;
    // The ranked institutions are tiles: options of the one listbox (so
    // nothing is listed twice), in catalog order, named by the institution
    // (the mark is decorative).
    assert!(root.query_selector(".picker.browsing").unwrap().is_some());
    assert_eq!(
        common::texts(&root, ".bank-option.tile .bank-name"),
        ["Bancolombia", "Davivienda"]
    );
    let tile = root.query_selector(".bank-option.tile").unwrap().unwrap();
    assert_eq!(tile.get_attribute("role").as_deref(), Some("option"));
    let mark: web_sys::HtmlElement = root
        .query_selector("#opt-0 .mark")
        .unwrap()
        .unwrap()
        .dyn_into()
        .unwrap();
    assert_eq!(mark.text_content().as_deref(), Some("BC"));
    assert_eq!(mark.get_attribute("aria-hidden").as_deref(), Some("true"));
    assert_eq!(
        mark.style().get_property_value("--mark-bg").unwrap(),
        "#fdda24"
    );
    assert_eq!(
        mark.style().get_property_value("--mark-fg").unwrap(),
        "#000000"
    );
    // Before a search, the tiles only and a link to the whole catalog
    // (issue 24), where every institution is an option once, tiles first.
    assert_eq!(options(&root).len(), 2);
    let all: web_sys::HtmlElement = root
        .query_selector(".show-all")
        .unwrap()
        .unwrap()
        .dyn_into()
        .unwrap();
    all.click();
    settle().await;
    assert_eq!(options(&root).len(), 5);
    assert!(root.query_selector(".show-all").unwrap().is_none());
    tile.dyn_ref::<web_sys::HtmlElement>().unwrap().click();
    settle().await;
    assert_eq!(
        picked.get_untracked().map(|i| i.name),
        Some("Bancolombia".into())
    );
    // A search turns the tiles back into a list; a typo still finds the bank.
    type_into(&input(&root, "#bank-search"), "bancolmbia");
    settle().await;
    assert!(root.query_selector(".picker.browsing").unwrap().is_none());
    assert_eq!(options(&root), ["BCBancolombia"]);
    query.set(String::new());
    settle().await;
    assert!(root.query_selector(".picker.browsing").unwrap().is_some());
}

struct FormHarness {
    root: web_sys::HtmlElement,
    form: FormState,
    submitted: RwSignal<Option<ConnectSubmit>>,
    _handle: Box<dyn std::any::Any>,
}

fn mount_form(institution: Institution) -> FormHarness {
    mount_form_for(institution, None)
}

fn mount_form_for(institution: Institution, holder: Option<AccountHolder>) -> FormHarness {
    let root = container();
    let form = FormState::new();
    form.choose_institution(institution);
    let submitted = RwSignal::new(None::<ConnectSubmit>);
    let handle = leptos::mount::mount_to(root.clone(), move || {
        view! {
            <AccountForm
                form
                merchant="NOVO".to_string()
                holder=holder.clone()
                pending=Signal::stored(false)
                notice=Signal::stored(None)
                on_submit=move |s| submitted.set(Some(s))
                on_change_bank=|_| {}
            />
        }
    });
    FormHarness {
        root,
        form,
        submitted,
        _handle: Box::new(handle),
    }
}

fn submit_button(root: &web_sys::HtmlElement) -> web_sys::HtmlButtonElement {
    root.query_selector("button[type=submit]")
        .unwrap()
        .unwrap()
        .dyn_into()
        .unwrap()
}

fn error_text(root: &web_sys::HtmlElement, id: &str) -> String {
    root.query_selector(&format!("#{id}"))
        .unwrap()
        .unwrap()
        .text_content()
        .unwrap_or_default()
}

fn blur(el: &web_sys::HtmlInputElement) {
    el.dispatch_event(&web_sys::Event::new("blur").unwrap())
        .unwrap();
}

#[wasm_bindgen_test]
async fn form_names_the_holder_and_holds_the_banks_own_digit_count() {
    let bancolombia = Institution {
        number_lengths: vec![11],
        ..inst("ins_bc", "Bancolombia", &[AccountSubtype::Savings])
    };
    let holder = AccountHolder {
        name: "J\u{2022}\u{2022}\u{2022} D\u{2022}\u{2022}\u{2022}".into(),
        id_type: Some("NATIONAL_ID".into()),
        id_last_4: Some("4321".into()),
    };
    let h = mount_form_for(bancolombia, Some(holder));
    settle().await;
    let root = &h.root;
    let text = |sel: &str| {
        root.query_selector(sel)
            .ok()
            .flatten()
            .and_then(|e| e.text_content())
            .unwrap_or_default()
            .replace('\u{a0}', " ")
    };
    assert_eq!(
        text(".holder"),
        "The account must be in the name of J\u{2022}\u{2022}\u{2022} D\u{2022}\u{2022}\u{2022}, ID \u{2022}\u{2022}\u{2022}\u{2022} 4321."
    );
    assert!(text("#account-number-hint").starts_with("Numbers only, 11 digits."));
    let number = input(root, "#account-number");
    type_into(&number, "1687366004");
    blur(&number);
    settle().await;
    assert_eq!(
        error_text(root, "account-number-error"),
        "Bancolombia account numbers have 11 digits."
    );
    type_into(&number, "01687366004");
    settle().await;
    assert_eq!(error_text(root, "account-number-error"), "");
}

#[wasm_bindgen_test]
async fn form_shows_why_each_field_is_invalid_and_only_submits_when_valid() {
    let h = mount_form(catalog()[0].clone());
    settle().await;
    let root = &h.root;
    assert!(!submit_button(root).disabled(), "the button is never grey");
    assert_eq!(
        error_text(root, "account-number-error"),
        "",
        "no error before the field is touched"
    );
    let number = input(root, "#account-number");
    assert_eq!(
        number.get_attribute("inputmode").as_deref(),
        Some("numeric")
    );
    assert_eq!(number.get_attribute("autocomplete").as_deref(), Some("off"));

    // Letters are refused as typed; pasted spaces and dashes go.
    type_into(&number, "1a2-3 4");
    blur(&number);
    settle().await;
    assert_eq!(number.value(), "1234");
    assert_eq!(
        number.get_attribute("aria-invalid").as_deref(),
        Some("true")
    );
    type_into(&number, "12345");
    settle().await;
    assert_eq!(
        error_text(root, "account-number-error"),
        "The account number must have 6 to 20 digits."
    );
    type_into(&number, "1234567894");
    settle().await;
    assert_eq!(error_text(root, "account-number-error"), "");

    let confirm = input(root, "#account-confirm");
    type_into(&confirm, "1234567890");
    blur(&confirm);
    settle().await;
    assert_eq!(
        error_text(root, "account-confirm-error"),
        Msg::ErrMismatch.text(Lang::EnUs)
    );
    type_into(&confirm, "1234567894");
    settle().await;
    assert_eq!(error_text(root, "account-confirm-error"), "");
    // Pressed with the subtype and authorization missing: nothing is
    // sent, and each missing field says why.
    submit_button(root).click();
    settle().await;
    assert!(h.submitted.get_untracked().is_none(), "nothing sent");
    assert_eq!(
        error_text(root, "subtype-error"),
        "Choose the account type."
    );

    let radios = root.query_selector_all("input[type=radio]").unwrap();
    assert_eq!(
        radios.length(),
        2,
        "Bancolombia offers savings and checking"
    );
    let checking: web_sys::HtmlInputElement = radios.item(1).unwrap().dyn_into().unwrap();
    checking.click();
    let auth = input(root, "#authorization");
    auth.click();
    settle().await;
    let button = submit_button(root);
    assert!(!button.disabled());
    button.click();
    settle().await;
    let sent = h.submitted.get_untracked().expect("submitted");
    assert_eq!(sent.account_number, "1234567894");
    assert_eq!(sent.subtype, AccountSubtype::Checking);
    assert_eq!(sent.institution_uuid, "ins_1");
    assert!(sent.user_authorization);
    // The authorization names the merchant and the bank.
    assert!(root
        .text_content()
        .unwrap()
        .contains("verify it with Bancolombia and to share"));
}

#[wasm_bindgen_test]
async fn a_single_subtype_is_preselected_and_service_errors_show_on_their_field() {
    let h = mount_form(catalog()[1].clone());
    settle().await;
    let radios = h.root.query_selector_all("input[type=radio]").unwrap();
    assert_eq!(radios.length(), 1, "Nequi offers savings only");
    let only: web_sys::HtmlInputElement = radios.item(0).unwrap().dyn_into().unwrap();
    assert!(only.checked());
    h.form
        .server_error
        .set(Some((Field::Number, Problem::Refused)));
    settle().await;
    assert_eq!(
        error_text(&h.root, "account-number-error"),
        Msg::ErrRefused.text(Lang::EnUs)
    );
    type_into(&input(&h.root, "#account-number"), "9");
    settle().await;
    assert!(
        h.form.server_error.get_untracked().is_none(),
        "editing the field clears the service's error"
    );
}

fn account(uuid: &str, bank: &str, last4: &str) -> druo_core::dto::PublicAccount {
    druo_core::dto::PublicAccount {
        uuid: uuid.into(),
        code: format!("A{last4}"),
        current_status: druo_core::status::AccountStatus::Connected,
        requires_account_validation: false,
        pending_account_validations: vec![],
        remarks: None,
        institution: druo_core::dto::InstitutionRef {
            uuid: "ins_x".into(),
            name: bank.into(),
        },
        last_4: last4.into(),
        subtype: AccountSubtype::Savings,
        date_created: None,
        return_url: None,
    }
}

#[wasm_bindgen_test]
async fn account_choice_names_the_chosen_account_and_resets_the_authorization() {
    use druo_link::components::account_choice::{AccountChoice, PayState};
    let root = container();
    let accounts = RwSignal::new(vec![
        account("acc_1", "Davivienda", "0544"),
        account("acc_2", "Nequi", "9876"),
    ]);
    let pay = PayState::new();
    pay.choose("acc_1".into());
    let _h = leptos::mount::mount_to(root.clone(), move || {
        view! { <AccountChoice accounts pay merchant="NOVO".to_string() amount=Signal::stored("COP 20,000".to_string())/> }
    });
    settle().await;
    let radios = root.query_selector_all("input[type=radio]").unwrap();
    assert_eq!(radios.length(), 2);
    let first: web_sys::HtmlInputElement = radios.item(0).unwrap().dyn_into().unwrap();
    assert!(first.checked(), "the chosen account is checked");
    let text = |root: &web_sys::HtmlElement| {
        root.query_selector("label.authorization")
            .unwrap()
            .unwrap()
            .text_content()
            .unwrap()
    };
    assert_eq!(text(&root), "I authorize NOVO to debit COP 20,000 from my Davivienda account ending in 0544, through DRUO.");
    let auth = input(&root, "#debit-authorization");
    auth.click();
    settle().await;
    assert!(pay.authorized.get_untracked());
    pay.key.set(Some("k".into()));

    let second: web_sys::HtmlInputElement = radios.item(1).unwrap().dyn_into().unwrap();
    second.click();
    settle().await;
    assert_eq!(pay.chosen.get_untracked().as_deref(), Some("acc_2"));
    assert!(
        !pay.authorized.get_untracked(),
        "another account needs a new authorization"
    );
    assert_eq!(pay.key.get_untracked(), None, "and is a new payment");
    assert!(text(&root).contains("Nequi account ending in 9876"));
    assert!(!input(&root, "#debit-authorization").checked());
}

#[wasm_bindgen_test]
async fn account_choice_without_accounts_says_so() {
    use druo_link::components::account_choice::{AccountChoice, PayState};
    let root = container();
    let accounts = RwSignal::new(Vec::new());
    let _h = leptos::mount::mount_to(root.clone(), move || {
        view! { <AccountChoice accounts pay=PayState::new() merchant="NOVO".to_string() amount=Signal::stored(String::new())/> }
    });
    settle().await;
    assert!(root
        .text_content()
        .unwrap()
        .contains("You have no connected account yet."));
    assert!(
        root.query_selector("#debit-authorization")
            .unwrap()
            .is_none(),
        "nothing to authorize"
    );
}

#[wasm_bindgen_test]
fn money_is_formatted_by_the_browsers_intl_per_language() {
    use druo_core::Lang;
    use druo_link::components::money::format_money;
    let plain = |s: String| s.replace('\u{a0}', " ");
    // Amounts are centavos: whole pesos show no decimals, centavos show
    // only when they are not zero.
    for (centavos, lang, shown) in [
        (2_000_000, Lang::EsCo, "$ 20.000"),
        (2_000_000, Lang::EnUs, "COP 20,000"),
        (2_000_050, Lang::EsCo, "$ 20.000,50"),
        (2_000_050, Lang::EnUs, "COP 20,000.50"),
        (123_456_700, Lang::EsCo, "$ 1.234.567"),
    ] {
        assert_eq!(plain(format_money(centavos, "COP", lang)), shown);
    }
    // A malformed currency from the service is never handed to Intl (which
    // would throw and kill the page).
    assert_eq!(plain(format_money(500, "<b>", Lang::EnUs)), "COP 5");
}
