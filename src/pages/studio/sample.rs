//! Built-in sample data for the studio: a link of each kind built from the
//! designer's texts, a small catalog, and sample accounts and a payment.
//! Used only by `/preview` (see docs/performance.md for its size).

use druo_core::dto::*;
use druo_core::status::{
    AccountRemark, AccountStatus, PaymentStatus, PendingAction, TransactionRemark,
};
use druo_core::studio::{PreviewState, StudioState};
use std::collections::BTreeMap;

/// The sample institution (Banco de Bogotá), the links' default.
pub const BOGOTA: &str = "ins_59ba1b0d-5c90-4158-a909-406c2e416788";

/// A handful of institutions, most used first.
pub fn institutions() -> InstitutionList {
    use AccountSubtype::*;
    let i = |uuid: &str, name: &str, kind, subtypes: &[AccountSubtype], popularity| Institution {
        uuid: uuid.into(),
        name: name.into(),
        kind,
        subtypes: subtypes.to_vec(),
        popularity,
        brand_color: String::new(),
        mark: String::new(),
        number_lengths: vec![],
    };
    let mut list = InstitutionList {
        institutions: vec![
            i(
                "ins_s1",
                "Bancolombia",
                InstitutionKind::Bank,
                &[Savings, Checking],
                Some(1),
            ),
            i(
                "ins_s2",
                "Nequi",
                InstitutionKind::Wallet,
                &[Savings],
                Some(2),
            ),
            i(
                "ins_s3",
                "Davivienda",
                InstitutionKind::Bank,
                &[Savings, Checking],
                Some(3),
            ),
            i(
                BOGOTA,
                "Banco de Bogotá",
                InstitutionKind::Bank,
                &[Savings, Checking],
                Some(5),
            ),
            i(
                "ins_s5",
                "BBVA Colombia",
                InstitutionKind::Bank,
                &[Savings, Checking],
                Some(6),
            ),
        ],
    };
    // The real catalog's rules for the two that have them, so the studio
    // shows the hint and the error a person sees (server/src/catalog.rs).
    for inst in &mut list.institutions {
        inst.number_lengths = match inst.name.as_str() {
            "Bancolombia" => vec![11],
            "Banco de Bogotá" => vec![6, 7, 8, 9],
            _ => vec![],
        };
    }
    list
}

/// The sample account for a state.
pub fn account(state: PreviewState) -> PublicAccount {
    let (status, pending, remarks) = match state {
        PreviewState::Pending => (
            AccountStatus::VerificationPending,
            vec![PendingValidation {
                action: PendingAction::ConfirmRequestWithInstitution,
                attempts_left: None,
            }],
            None,
        ),
        PreviewState::Rejected => (
            AccountStatus::ConnectionFailed,
            vec![],
            Some(AccountRemark::UnableToLocateAccount),
        ),
        _ => (AccountStatus::Connected, vec![], None),
    };
    PublicAccount {
        uuid: "acc_sample".into(),
        code: "ASAMPLE2345".into(),
        current_status: status,
        requires_account_validation: !pending.is_empty(),
        pending_account_validations: pending,
        remarks,
        institution: InstitutionRef {
            uuid: BOGOTA.into(),
            name: "Banco de Bogotá".into(),
        },
        last_4: "5678".into(),
        subtype: AccountSubtype::Savings,
        date_created: None,
        return_url: Some(RETURN_URL.into()),
    }
}

/// The sample payment as the state shows it: failed (for lack of
/// funds), not settled yet, or successful.
pub fn payment(state: PreviewState) -> PaymentResult {
    let (status, remarks) = match state {
        PreviewState::Declined => (
            PaymentStatus::Failed,
            Some(TransactionRemark::InsufficientFunds),
        ),
        PreviewState::PaymentPending => (PaymentStatus::Pending, None),
        _ => (PaymentStatus::Successful, None),
    };
    PaymentResult {
        transaction_uuid: "trx_sample".into(),
        transaction_code: "TSAMPLE234".into(),
        status,
        remarks,
        account_code: "ASAMPLE2345".into(),
        reference: None,
        date_updated: Some("2030-01-01T12:31:00.000Z".into()),
        receipt_email: None,
        return_url: Some(RETURN_URL.into()),
    }
}

const SAMPLE_TIME: &str = "2030-01-01T00:00:00.000Z";
/// Where the sample links return to.
pub const RETURN_URL: &str = "https://example.com/return";

/// A sample link of type `$link`: the fields both kinds share (NOVO,
/// for John, open, returning to the sample URL), then the kind's own.
macro_rules! sample_link {
    ($link:ident, $s:expr, { $($field:ident: $value:expr),* $(,)? }) => {
        $link {
            merchant_name: "NOVO".into(),
            end_user_first_name: Some("John".into()),
            account_holder: Some(AccountHolder {
                name: "J\u{2022}\u{2022}\u{2022} D\u{2022}\u{2022}\u{2022}".into(),
                id_type: Some("NATIONAL_ID".into()),
                id_last_4: Some("4321".into()),
            }),
            default_language: $s.plang,
            default_institution: Some(BOGOTA.into()),
            theme: Default::default(),
            // The studio themes its frames itself (studio/mod.rs).
            theme_vars: Vec::new(),
            redirect_url: Some(RETURN_URL.into()),
            custom_confirmation_page: false,
            expiration_date: None,
            state: LinkState::Open,
            server_time: SAMPLE_TIME.into(),
            outcome: None,
            $($field: $value),*
        }
    };
}

/// A connect link with the designer's texts.
pub fn connect_link(s: &StudioState) -> PublicConnectLink {
    let mut intro = BTreeMap::new();
    intro.insert("en_US".to_string(), s.intro_en.clone());
    intro.insert("es_CO".to_string(), s.intro_es.clone());
    sample_link!(PublicConnectLink, s, {
        uuid: "clk_sample".into(),
        intro_text: IntroText::ByLang(intro),
    })
}

/// A checkout link with the designer's texts.
pub fn checkout_link(s: &StudioState) -> PublicCheckoutLink {
    let opt = |v: &str| (!v.trim().is_empty()).then(|| v.to_string());
    sample_link!(PublicCheckoutLink, s, {
        uuid: "chk_sample".into(),
        link_name: s.link_name.clone(),
        link_description: opt(&s.link_description),
        pending_account: None,
        reference: None,
        transaction: PublicTransaction {
            amount: s.amount_value().unwrap_or(0),
            currency: "COP".into(),
            description: opt(&s.description),
            statement_descriptor: opt(&s.statement_descriptor),
            status: PaymentStatus::Pending,
            code: "TSAMPLE234".into(),
        },
    })
}

/// The payer's sample accounts: the bank account, and a Nequi wallet so
/// the choice has something to choose between.
pub fn accounts() -> AccountList {
    let wallet = PublicAccount {
        uuid: "acc_sample_wallet".into(),
        code: "ASAMPLE6789".into(),
        institution: InstitutionRef {
            uuid: "ins_s2".into(),
            name: "Nequi".into(),
        },
        last_4: "4321".into(),
        ..account(PreviewState::Confirmation)
    };
    AccountList {
        accounts: vec![account(PreviewState::Confirmation), wallet],
    }
}
