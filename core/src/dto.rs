//! Data shapes shared by the app and the service: the public API the link
//! pages call (`/api/v1/…`, see docs/api.md) and its error body.
//!
//! The public API exposes only what the pages show: no metadata, no
//! references, no end-user ids or local ids.

use crate::status::{
    status_enum, AccountRemark, AccountStatus, PaymentStatus, PendingAction, TransactionRemark,
};
use crate::Lang;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// `intro_text`: a plain string, or one text per language
/// (`{ "en_US": …, "es_CO": … }`), as the reference documents both.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(untagged)]
pub enum IntroText {
    /// One text for every language.
    Text(String),
    /// One text per language code (`en_US`, `es_CO`).
    ByLang(BTreeMap<String, String>),
}

/// Reads what `#[serde(untagged)]` would, without buffering the value
/// first: a string, or an object of strings. Anything else is refused at
/// its first level, so a deeply nested value cannot exhaust the stack
/// (the page reads JSON through the browser, whose parser has no depth
/// limit), and the page's wasm carries no untagged-enum machinery.
impl<'de> Deserialize<'de> for IntroText {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct TextOrTexts;
        impl<'de> serde::de::Visitor<'de> for TextOrTexts {
            type Value = IntroText;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a text, or one text per language")
            }
            fn visit_str<E: serde::de::Error>(self, s: &str) -> Result<IntroText, E> {
                Ok(IntroText::Text(s.to_owned()))
            }
            fn visit_string<E: serde::de::Error>(self, s: String) -> Result<IntroText, E> {
                Ok(IntroText::Text(s))
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                mut map: A,
            ) -> Result<IntroText, A::Error> {
                let mut texts = BTreeMap::new();
                while let Some((lang, text)) = map.next_entry::<String, String>()? {
                    texts.insert(lang, text);
                }
                Ok(IntroText::ByLang(texts))
            }
        }
        d.deserialize_any(TextOrTexts)
    }
}

impl IntroText {
    /// The text for `lang`: that language's, else the other language's,
    /// else the plain string. Empty only if the merchant sent nothing.
    pub fn resolve(&self, lang: Lang) -> &str {
        match self {
            IntroText::Text(s) => s,
            IntroText::ByLang(m) => m
                .get(lang.code())
                .or_else(|| m.get(lang.other().code()))
                .map(String::as_str)
                .unwrap_or(""),
        }
    }
}

/// The connect and checkout colours: map-backed, one entry per slot of
/// [`crate::theme::CONNECT_SLOTS`] / [`crate::theme::CHECKOUT_SLOTS`].
pub use crate::theme::{CheckoutTheme, ConnectTheme, ThemeVar};

/// Where a link is in its life, as the page needs to know it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum LinkState {
    /// Can be used.
    Open,
    /// Already used to connect an account or pay; cannot be used again.
    Completed,
    /// Past its `expiration_date`.
    Expired,
}

impl LinkState {
    /// The HTTP status, code and message that refuse a submit to a link in
    /// this state; `None` while it is open. The service answers with it and
    /// the page reads it back with [`LinkState::refused_by`]: one mapping.
    pub fn refusal(self) -> Option<(u16, &'static str, &'static str)> {
        match self {
            LinkState::Open => None,
            LinkState::Completed => Some((409, "LINK_COMPLETED", "this link was already used")),
            LinkState::Expired => Some((410, "LINK_EXPIRED", "this link has expired")),
        }
    }

    /// The state a refusal with HTTP `status` speaks of, if it is one.
    pub fn refused_by(status: u16) -> Option<LinkState> {
        [LinkState::Completed, LinkState::Expired]
            .into_iter()
            .find(|s| s.refusal().map(|r| r.0) == Some(status))
    }
}

/// `GET /api/v1/connect-links/{slug}`: what the connect page renders.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PublicConnectLink {
    /// The link's uuid (`clk_…`): the `clid` redirect parameter.
    pub uuid: String,
    /// The merchant's business name, shown to the user.
    pub merchant_name: String,
    /// The intro text, plain or per language.
    pub intro_text: IntroText,
    /// First name of the person the link was made for.
    pub end_user_first_name: Option<String>,
    /// Whose account the link expects, masked; `None` when the merchant
    /// registered no name.
    #[serde(default)]
    pub account_holder: Option<AccountHolder>,
    /// The link's language when the URL names none.
    pub default_language: Lang,
    /// Institution to preselect (`ins_…`).
    pub default_institution: Option<String>,
    /// Merchant colours.
    pub theme: ConnectTheme,
    /// The colours as the page writes them, resolved by the service
    /// (contrast checks and shades): `theme` applied, so a page needs
    /// no colour engine of its own.
    #[serde(default)]
    pub theme_vars: Vec<ThemeVar>,
    /// Where to send the user when done (validated absolute http(s)).
    pub redirect_url: Option<String>,
    /// Skip the DRUO confirmation page and redirect at once.
    pub custom_confirmation_page: bool,
    /// Canonical ISO-8601 expiry, when set.
    pub expiration_date: Option<String>,
    /// Open, completed or expired, by the service's clock.
    pub state: LinkState,
    /// The service's clock when it answered, so the page can judge expiry
    /// without trusting the phone's clock.
    pub server_time: String,
    /// The account the link was completed with, or is held for while the
    /// person finishes its pending validation, as it stands now: a
    /// reopened link shows its outcome (or resumes the wait) and the way
    /// back to the merchant. `None` while no account was submitted.
    #[serde(default)]
    pub outcome: Option<PublicAccount>,
}

/// Account subtypes a Colombian deposit account can have.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum AccountSubtype {
    /// Cuenta de ahorros.
    Savings,
    /// Cuenta corriente.
    Checking,
}

impl AccountSubtype {
    /// The wire code, `SAVINGS` or `CHECKING`.
    pub fn code(self) -> &'static str {
        match self {
            AccountSubtype::Savings => "SAVINGS",
            AccountSubtype::Checking => "CHECKING",
        }
    }

    /// Parses the wire code in any case.
    pub fn parse(s: &str) -> Option<Self> {
        match s.trim().to_ascii_uppercase().as_str() {
            "SAVINGS" => Some(Self::Savings),
            "CHECKING" => Some(Self::Checking),
            _ => None,
        }
    }
}

status_enum! {
    /// Whether an institution is a bank or a mobile wallet: it chooses the
    /// account-number rule (`core::input::number_rule`) and the wording.
    InstitutionKind {
        /// A bank: an account number of the institution's own digit
        /// counts (6 to 20 when none is known) and a subtype.
        Bank = "BANK",
        /// A mobile wallet (Nequi, Daviplata…): the wallet's mobile number,
        /// and the institution's single subtype.
        Wallet = "WALLET",
    }
}

/// One entry of the institution catalog.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Institution {
    /// `ins_…`
    pub uuid: String,
    /// Display name, e.g. "Banco de Bogotá".
    pub name: String,
    /// Bank or wallet.
    pub kind: InstitutionKind,
    /// Subtypes it supports, in display order.
    pub subtypes: Vec<AccountSubtype>,
    /// Position among the most used institutions (1 = most used), if any.
    pub popularity: Option<u32>,
    /// The brand's primary colour as `#rrggbb`. Read it through
    /// `Institution::mark_color` (core::brand): a missing or invalid value
    /// there becomes a neutral colour, never a crash.
    #[serde(default)]
    pub brand_color: String,
    /// The short mark (1–4 characters) drawn on the brand colour, e.g.
    /// "BC" for Bancolombia; `Institution::mark_text` falls back to the
    /// name's initial.
    #[serde(default)]
    pub mark: String,
    /// The digit counts its account numbers have, from public sources
    /// (docs/api.md, "Account numbers by institution"); empty when none
    /// is known, and then a bank's number has 6 to 20. Read it through
    /// `core::input::number_lengths`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub number_lengths: Vec<u8>,
}

/// The person whose account a link expects, as the merchant registered
/// them, masked by the service (`core::holder`) so that the page shows
/// whose account is asked for and nothing a passer-by could use.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccountHolder {
    /// Each word of the name as its initial and dots: "J••• D•••".
    pub name: String,
    /// DRUO's `local_id_type` of the registered document (e.g.
    /// `NATIONAL_ID`), when its last four are shown.
    #[serde(default)]
    pub id_type: Option<String>,
    /// The document number's last four characters.
    #[serde(default)]
    pub id_last_4: Option<String>,
}

/// `GET /api/v1/institutions` and the merchant `GET /institutions`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InstitutionList {
    /// Most used first, then alphabetical.
    pub institutions: Vec<Institution>,
}

/// `POST /api/v1/connect-links/{slug}/accounts` body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConnectSubmit {
    /// Chosen institution (`ins_…`).
    pub institution_uuid: String,
    /// Always `DEPOSITORY` today.
    #[serde(rename = "type")]
    pub account_type: String,
    /// `SAVINGS` or `CHECKING`, among the institution's subtypes.
    pub subtype: AccountSubtype,
    /// Digits only; never logged, never in a URL.
    pub account_number: String,
    /// The user ticked the legal authorization.
    pub user_authorization: bool,
}

/// A pending validation the person must finish for the account to be
/// connected (the page never sees its slug: the service knows it).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PendingValidation {
    /// `CONFIRM_REQUEST_WITH_INSTITUTION` or `CONFIRM_OTP_VIA_MICRODEPOSIT`.
    pub action: PendingAction,
    /// Deposit codes the person may still try (only for
    /// `CONFIRM_OTP_VIA_MICRODEPOSIT`), so a reload says the same.
    #[serde(default)]
    pub attempts_left: Option<u32>,
}

/// The page's deposit code for `CONFIRM_OTP_VIA_MICRODEPOSIT`:
/// `POST …/accounts/{uuid}/authenticate`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CodeSubmit {
    /// The code as typed (spaces around it are forgiven).
    pub otp: String,
}

/// An institution as embedded in an account: uuid and name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InstitutionRef {
    /// `ins_…`
    pub uuid: String,
    /// Display name.
    pub name: String,
}

/// The public view of an account after a connect submit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PublicAccount {
    /// `acc_…`: the `aid` redirect parameter.
    pub uuid: String,
    /// Short locator: the `ac` redirect parameter.
    pub code: String,
    /// DRUO's account status: the `as` parameter.
    pub current_status: AccountStatus,
    /// True when `pending_account_validations` must be completed.
    pub requires_account_validation: bool,
    /// Steps left for the user.
    pub pending_account_validations: Vec<PendingValidation>,
    /// Why an attempt ended as it did, e.g. `UNABLE_TO_LOCATE_ACCOUNT`.
    pub remarks: Option<AccountRemark>,
    /// Where the account is held: the `ain` parameter.
    pub institution: InstitutionRef,
    /// Last four digits: the `al4` parameter.
    pub last_4: String,
    /// `SAVINGS` or `CHECKING`.
    pub subtype: AccountSubtype,
    /// When the account was connected (ISO 8601), so two accounts with
    /// the same institution and last four can be told apart.
    #[serde(default)]
    pub date_created: Option<String>,
    /// The way back to the merchant with this account's parameters, signed
    /// by the service (`ts`, `sig`), when the connect link has a
    /// `redirect_url`. Absent elsewhere: the page never builds it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub return_url: Option<String>,
}

/// What is being paid, as the checkout page shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PublicTransaction {
    /// In the currency's smallest unit: centavos (`2000000` is $ 20.000).
    pub amount: u64,
    /// ISO 4217 code, `COP`.
    pub currency: String,
    /// What is being paid.
    pub description: Option<String>,
    /// What the user's statement will show.
    pub statement_descriptor: Option<String>,
    /// `PENDING` until paid, then the payment's outcome.
    pub status: PaymentStatus,
    /// Short locator of the transaction.
    pub code: String,
}

/// `GET /api/v1/checkout-links/{slug}`: what the checkout page renders.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PublicCheckoutLink {
    /// The link's uuid (`chk_…`): the `chid` redirect parameter.
    pub uuid: String,
    /// The merchant's business name.
    pub merchant_name: String,
    /// Sidebar title.
    pub link_name: String,
    /// Sidebar subtitle.
    pub link_description: Option<String>,
    /// First name of the payer.
    pub end_user_first_name: Option<String>,
    /// Whose account the link expects, masked; `None` when the merchant
    /// registered no name.
    #[serde(default)]
    pub account_holder: Option<AccountHolder>,
    /// The link's language when the URL names none.
    pub default_language: Lang,
    /// Institution to preselect when connecting a new account.
    pub default_institution: Option<String>,
    /// Merchant colours.
    pub theme: CheckoutTheme,
    /// The colours as the page writes them, resolved by the service
    /// (contrast checks and shades): `theme` applied, so a page needs
    /// no colour engine of its own.
    #[serde(default)]
    pub theme_vars: Vec<ThemeVar>,
    /// Where to send the user when done (validated absolute http(s)).
    pub redirect_url: Option<String>,
    /// Skip the DRUO confirmation page and redirect at once.
    pub custom_confirmation_page: bool,
    /// Canonical ISO-8601 expiry, when set.
    pub expiration_date: Option<String>,
    /// Open, completed (paid) or expired, by the service's clock.
    pub state: LinkState,
    /// The service's clock when it answered.
    pub server_time: String,
    /// A new account of the payer whose pending validation is being
    /// finished on this page (the live wait or the deposit code), as it
    /// stands, so a reload resumes it; `None` otherwise.
    #[serde(default)]
    pub pending_account: Option<PublicAccount>,
    /// The payment.
    pub transaction: PublicTransaction,
    /// The payment that paid the link (`PaymentStatus::pays_link`), so a
    /// reopened link shows its outcome and the way back to the merchant.
    /// `None` while the link is unpaid (or its payment did not go through).
    #[serde(default)]
    pub outcome: Option<PaymentResult>,
    /// The merchant's `primary_reference` (an order or invoice number),
    /// which the receipt shows too; `None` when it gave none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reference: Option<String>,
}

impl PublicCheckoutLink {
    /// The reference the payer reads, in the summary and on the receipt
    /// alike: the merchant's own, else the link's name.
    pub fn shown_reference(&self) -> &str {
        self.reference.as_deref().unwrap_or(&self.link_name)
    }
}

/// `GET /api/v1/checkout-links/{slug}/accounts`: the payer's verified
/// accounts, newest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccountList {
    /// Accounts that can pay.
    pub accounts: Vec<PublicAccount>,
}

/// `POST /api/v1/checkout-links/{slug}/pay` body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PayRequest {
    /// The paying account (`acc_…`), one of the payer's verified accounts.
    pub account_uuid: String,
    /// The user ticked the debit authorization.
    pub user_authorization: bool,
}

/// The answer to a payment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PaymentResult {
    /// `trx_…`: the `tid` redirect parameter.
    pub transaction_uuid: String,
    /// The transaction's locator, shown to the user.
    pub transaction_code: String,
    /// DRUO's transaction status: the `status` parameter.
    pub status: PaymentStatus,
    /// Why it ended as it did, e.g. `EXCEEDS_ACCOUNT_LIMIT`.
    pub remarks: Option<TransactionRemark>,
    /// The paying account's code: the `code` parameter.
    pub account_code: String,
    /// The link's `primary_reference`: the `reference` parameter.
    pub reference: Option<String>,
    /// When the payment last changed (made, or settled), ISO 8601: the
    /// receipt's date.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date_updated: Option<String>,
    /// The receipt emailed for this payment (`auto_send_receipt`), when
    /// the service sends receipts and the payer has an email.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub receipt_email: Option<ReceiptEmail>,
    /// The way back to the merchant with this payment's parameters,
    /// signed by the service (`ts`, `sig`), when the link has a
    /// `redirect_url`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub return_url: Option<String>,
}

/// A payment's receipt email, as the page may speak of it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReceiptEmail {
    /// The address, masked ("a•••@example.com").
    pub to: String,
    /// Whether the mail server took it (else it is on its way).
    pub sent: bool,
}

/// Every error answer of both APIs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApiErrorBody {
    /// Human-readable (English) explanation.
    pub message: String,
    /// Stable code, e.g. `INVALID_COLOR`, `NOT_FOUND`, `LINK_EXPIRED`.
    pub code: String,
    /// The request field at fault, when there is one.
    #[serde(default)]
    pub field: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refusals_map_both_ways() {
        assert_eq!(LinkState::Open.refusal(), None);
        assert_eq!(LinkState::Expired.refusal().map(|r| r.0), Some(410));
        assert_eq!(LinkState::Completed.refusal().map(|r| r.0), Some(409));
        for s in [LinkState::Completed, LinkState::Expired] {
            assert_eq!(LinkState::refused_by(s.refusal().unwrap().0), Some(s));
        }
        assert_eq!(LinkState::refused_by(404), None);
        assert_eq!(LinkState::refused_by(400), None);
    }

    #[test]
    fn intro_text_falls_back_across_languages() {
        let plain = IntroText::Text("NOVO uses DRUO".into());
        assert_eq!(plain.resolve(Lang::EsCo), "NOVO uses DRUO");
        let both: IntroText =
            serde_json::from_str(r#"{"en_US":"NOVO uses DRUO","es_CO":"NOVO utiliza a DRUO"}"#)
                .unwrap();
        assert_eq!(both.resolve(Lang::EnUs), "NOVO uses DRUO");
        assert_eq!(both.resolve(Lang::EsCo), "NOVO utiliza a DRUO");
        let only_es: IntroText =
            serde_json::from_str(r#"{"es_CO":"NOVO utiliza a DRUO"}"#).unwrap();
        assert_eq!(only_es.resolve(Lang::EnUs), "NOVO utiliza a DRUO");
    }

    #[test]
    fn intro_text_round_trips_both_forms() {
        for s in [
            r#""Hello DRUO""#,
            r#"{"en_US":"a","es_CO":"b"}"#,
            "{}",
            r#""""#,
        ] {
            let t: IntroText = serde_json::from_str(s).unwrap();
            assert_eq!(serde_json::to_string(&t).unwrap(), s);
        }
    }

    #[test]
    fn intro_text_refuses_everything_else() {
        for s in [
            "7",
            "null",
            "true",
            r#"["a"]"#,
            r#"{"en_US":7}"#,
            r#"{"en_US":{"es_CO":"b"}}"#,
            r#"{"en_US":null}"#,
        ] {
            assert!(serde_json::from_str::<IntroText>(s).is_err(), "{s}");
        }
        let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
        assert!(serde_json::from_str::<IntroText>(&deep).is_err());
    }
}
