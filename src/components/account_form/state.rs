//! What the account form holds, and its rules: every one comes from
//! `druo_core::form`; a field shows its problem once it has been touched.

use crate::components::step_read::PageRead;
use druo_core::dto::{
    AccountSubtype, ConnectSubmit, Institution, InstitutionKind, InstitutionList,
};
use druo_core::form::{problem_of, validate, AccountForm as Form, Field, Problem};
use leptos::prelude::*;
use std::collections::HashSet;

/// Everything the user typed or chose. Owned by the page, above anything
/// that can re-render, so a reload of data or a failed submit loses nothing.
#[derive(Clone, Copy, Default)]
pub struct FormState {
    /// Text in the bank search box.
    pub query: RwSignal<String>,
    /// Chosen institution.
    pub institution: RwSignal<Option<Institution>>,
    /// Chosen subtype.
    pub subtype: RwSignal<Option<AccountSubtype>>,
    /// Account number.
    pub number: RwSignal<String>,
    /// Account number, again.
    pub confirm: RwSignal<String>,
    /// Authorization ticked.
    pub authorized: RwSignal<bool>,
    /// Fields the user has left, or all after a submit attempt.
    pub touched: RwSignal<HashSet<Field>>,
    /// A refusal from the service, shown on its field until it changes.
    pub server_error: RwSignal<Option<(Field, Problem)>>,
    /// The key of the current logical submit; a retry reuses it.
    pub idempotency_key: RwSignal<Option<String>>,
    /// A field that takes focus as soon as the form shows it ("Fix the
    /// number"), instead of the step's heading.
    pub focus: RwSignal<Option<Field>>,
}

impl FormState {
    /// An empty form.
    pub fn new() -> Self {
        Self::default()
    }

    /// Chooses an institution, keeping the subtype only if it offers it
    /// (and preselecting the only one when there is one).
    pub fn choose_institution(&self, i: Institution) {
        let keep = self
            .subtype
            .get_untracked()
            .filter(|s| i.subtypes.contains(s));
        let only = (i.subtypes.len() == 1).then(|| i.subtypes[0]);
        self.subtype.set(keep.or(only));
        self.institution.set(Some(i));
        self.changed(Field::Institution);
    }

    /// Preselects an institution by uuid (the one a reloaded URL names,
    /// else the link's `default_institution`) as soon as the catalog is
    /// there, unless the user already chose one: at once when the page
    /// carried the catalog (its first screen shows the choice), else when
    /// it arrives.
    pub fn preselect(
        &self,
        institutions: PageRead<InstitutionList>,
        default_institution: Option<String>,
    ) {
        let form = *self;
        let choose = move |list: InstitutionList| {
            let id = default_institution.as_ref()?;
            let i = list.institutions.into_iter().find(|i| &i.uuid == id)?;
            form.institution
                .with_untracked(Option::is_none)
                .then(|| form.choose_institution(i))
        };
        if let Some(list) = institutions.ready() {
            choose(list);
            return;
        }
        Effect::new(move |_| {
            if let Some(Ok(list)) = institutions.get() {
                choose(list);
            }
        });
    }

    /// Puts back a form posted without the app (the server's render of
    /// its answer), every field touched, as a press of the button leaves
    /// it: the institution by uuid from `list`, and all that was typed.
    pub fn restore(&self, sent: &crate::posted::SentAccount, list: Option<InstitutionList>) {
        let chosen = sent
            .institution
            .as_ref()
            .and_then(|id| list?.institutions.into_iter().find(|i| &i.uuid == id));
        if let Some(i) = chosen {
            self.institution.set(Some(i));
        }
        self.subtype.set(sent.subtype);
        self.number.set(sent.number.clone());
        self.confirm.set(sent.confirm.clone());
        self.authorized.set(sent.authorized);
        self.touch_all();
    }

    /// Whether the chosen institution is a bank or a wallet (a bank until
    /// one is chosen); it picks the number's rule and the wording (tracked).
    pub fn kind(&self) -> InstitutionKind {
        self.institution
            .with(|i| i.as_ref().map_or(InstitutionKind::Bank, |i| i.kind))
    }

    /// The first field with a problem, in display order (untracked).
    pub fn first_problem(&self) -> Option<Field> {
        untrack(|| self.problems().first().map(|(f, _)| *f))
    }

    /// Records a change: the service's error on that field is stale, and a
    /// changed form is a new logical submit with a new key.
    pub fn changed(&self, field: Field) {
        if self
            .server_error
            .get_untracked()
            .is_some_and(|(f, _)| f == field)
        {
            self.server_error.set(None);
        }
        self.idempotency_key.set(None);
    }

    /// Every problem of the form now (tracked).
    pub fn problems(&self) -> Vec<(Field, Problem)> {
        let inst = self.institution.get();
        let number = self.number.get();
        let confirm = self.confirm.get();
        let mut p = validate(&Form {
            institution: inst.as_ref(),
            subtype: self.subtype.get(),
            number: &number,
            confirm: &confirm,
            authorized: self.authorized.get(),
        });
        if let Some(se) = self.server_error.get() {
            if !p.iter().any(|(f, _)| *f == se.0) {
                p.push(se);
            }
        }
        p
    }

    /// The problem to show on `field`: only once it was touched, or when
    /// the service refused it.
    pub fn shown_problem(&self, field: Field) -> Option<Problem> {
        let server = self
            .server_error
            .get()
            .filter(|(f, _)| *f == field)
            .map(|(_, p)| p);
        server.or_else(|| {
            self.touched
                .with(|t| t.contains(&field))
                .then(|| problem_of(&self.problems(), field))
                .flatten()
        })
    }

    /// Marks a field as left by the user.
    pub fn touch(&self, field: Field) {
        self.touched.update(|t| {
            t.insert(field);
        });
    }

    /// Marks every field as touched: a submit attempt shows every problem.
    pub fn touch_all(&self) {
        self.touched.update(|t| {
            t.extend([
                Field::Institution,
                Field::Subtype,
                Field::Number,
                Field::Confirm,
                Field::Authorization,
            ]);
        });
    }

    /// The request body, when the form is valid.
    pub fn submission(&self) -> Option<ConnectSubmit> {
        if !self.problems().is_empty() {
            return None;
        }
        Some(ConnectSubmit {
            institution_uuid: self.institution.get()?.uuid,
            account_type: "DEPOSITORY".into(),
            subtype: self.subtype.get()?,
            account_number: self.number.get(),
            user_authorization: self.authorized.get(),
        })
    }
}

/// Native tests of the form's rules, as leptos-use tests its reactive
/// helpers (`Owner::new().set()`): no browser, no DOM. The same rules seen
/// through the rendered form are in tests/components.rs.
#[cfg(test)]
mod tests {
    use super::*;
    use druo_core::dto::InstitutionKind;

    fn institution(uuid: &str, kind: InstitutionKind, subtypes: &[AccountSubtype]) -> Institution {
        Institution {
            uuid: uuid.into(),
            name: uuid.into(),
            kind,
            subtypes: subtypes.to_vec(),
            popularity: None,
            brand_color: String::new(),
            mark: String::new(),
            number_lengths: vec![],
        }
    }

    fn bank() -> Institution {
        let both = [AccountSubtype::Savings, AccountSubtype::Checking];
        institution("ins_bank", InstitutionKind::Bank, &both)
    }

    /// A form filled in full and valid at `bank()`.
    fn filled() -> FormState {
        let form = FormState::new();
        form.choose_institution(bank());
        form.subtype.set(Some(AccountSubtype::Checking));
        form.number.set("1234567890".into());
        form.confirm.set("1234567890".into());
        form.authorized.set(true);
        form
    }

    #[test]
    fn choosing_an_institution_keeps_a_type_it_offers_and_preselects_an_only_one() {
        Owner::new().set();
        let form = filled();
        let savings_only = institution("ins_s", InstitutionKind::Bank, &[AccountSubtype::Savings]);
        form.choose_institution(bank());
        assert_eq!(form.subtype.get_untracked(), Some(AccountSubtype::Checking));
        form.choose_institution(savings_only);
        assert_eq!(form.subtype.get_untracked(), Some(AccountSubtype::Savings));
        let both = bank();
        form.subtype.set(None);
        form.choose_institution(both);
        assert_eq!(
            form.subtype.get_untracked(),
            None,
            "two types: the person chooses"
        );
        let wallet = institution("ins_w", InstitutionKind::Wallet, &[AccountSubtype::Savings]);
        form.choose_institution(wallet);
        assert_eq!(form.kind(), InstitutionKind::Wallet);
        assert_eq!(form.subtype.get_untracked(), Some(AccountSubtype::Savings));
    }

    #[test]
    fn a_field_shows_its_problem_once_left_and_a_press_of_the_button_shows_all() {
        Owner::new().set();
        let form = FormState::new();
        form.number.set("12a".into());
        assert_eq!(form.shown_problem(Field::Number), None, "not yet left");
        form.touch(Field::Number);
        assert_eq!(form.shown_problem(Field::Number), Some(Problem::DigitsOnly));
        assert_eq!(form.shown_problem(Field::Authorization), None);
        form.touch_all();
        assert_eq!(
            form.shown_problem(Field::Institution),
            Some(Problem::Required)
        );
        assert_eq!(
            form.shown_problem(Field::Authorization),
            Some(Problem::NotAuthorized)
        );
        assert_eq!(
            form.first_problem(),
            Some(Field::Institution),
            "display order"
        );
        assert!(form.submission().is_none());
    }

    #[test]
    fn a_change_drops_the_services_refusal_of_that_field_and_the_retry_key() {
        Owner::new().set();
        let form = filled();
        form.server_error
            .set(Some((Field::Number, Problem::Refused)));
        form.idempotency_key.set(Some("key-1".into()));
        assert_eq!(
            form.shown_problem(Field::Number),
            Some(Problem::Refused),
            "shown untouched"
        );
        assert!(
            form.submission().is_none(),
            "a refused form is not sent again as it is"
        );
        form.changed(Field::Confirm);
        assert_eq!(
            form.server_error.get_untracked(),
            Some((Field::Number, Problem::Refused))
        );
        assert_eq!(
            form.idempotency_key.get_untracked(),
            None,
            "a changed form is a new submit"
        );
        form.changed(Field::Number);
        assert_eq!(form.server_error.get_untracked(), None);
        assert!(form.submission().is_some());
    }

    #[test]
    fn the_submission_carries_what_was_typed_and_a_mismatch_holds_it_back() {
        Owner::new().set();
        let form = filled();
        let sent = form.submission().expect("a valid form is sent");
        assert_eq!(sent.institution_uuid, "ins_bank");
        assert_eq!(sent.subtype, AccountSubtype::Checking);
        assert_eq!(sent.account_number, "1234567890");
        assert!(sent.user_authorization);
        form.confirm.set("1234567899".into());
        assert!(form.submission().is_none());
        form.touch(Field::Confirm);
        assert_eq!(form.shown_problem(Field::Confirm), Some(Problem::Mismatch));
    }

    #[test]
    fn a_form_posted_without_the_app_comes_back_as_sent_with_every_field_shown() {
        Owner::new().set();
        let form = FormState::new();
        let sent = crate::posted::SentAccount {
            institution: Some("ins_bank".into()),
            subtype: Some(AccountSubtype::Savings),
            number: "123".into(),
            confirm: "123".into(),
            authorized: false,
        };
        let list = InstitutionList {
            institutions: vec![bank()],
        };
        form.restore(&sent, Some(list));
        assert_eq!(
            form.institution.get_untracked().map(|i| i.uuid),
            Some("ins_bank".into())
        );
        assert_eq!(form.number.get_untracked(), "123");
        assert_eq!(form.shown_problem(Field::Number), Some(Problem::Length));
        assert_eq!(
            form.shown_problem(Field::Authorization),
            Some(Problem::NotAuthorized)
        );
    }
}
