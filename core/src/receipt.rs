//! The comprobante: what a person keeps after a payment, whatever its
//! outcome. The page lists it, prints it as one clean page, and shares its
//! words; the service will email the same lines. The account is masked on
//! the page and left out of what is shared.

use crate::i18n::{fill, transaction_status_msg, Msg};
use crate::status::PaymentStatus;
use crate::time::{colombia_time, Millis};
use crate::Lang;

/// What a receipt says, gathered by its caller.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReceiptFacts {
    /// Whom the payment is to.
    pub merchant: String,
    /// The amount, formatted for the reader (`core::money`).
    pub amount: String,
    /// What it is for: the transaction's description, else the link's.
    pub concept: Option<String>,
    /// The merchant's reference.
    pub reference: Option<String>,
    /// The transaction's code.
    pub code: String,
    /// When the payment last changed (it was made, or settled).
    pub date: Option<Millis>,
    /// The paying account, masked ("Banco de Bogotá •••• 5678").
    pub account: Option<String>,
    /// The payment's status.
    pub status: PaymentStatus,
}

/// One line of a receipt: its label and its value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Line {
    /// The label.
    pub label: Msg,
    /// The value, in the reader's words.
    pub value: String,
    /// Whether the line may be shared (the account may not).
    pub shared: bool,
}

/// The month names, January first.
const MONTHS: [Msg; 12] = [
    Msg::MonthJan,
    Msg::MonthFeb,
    Msg::MonthMar,
    Msg::MonthApr,
    Msg::MonthMay,
    Msg::MonthJun,
    Msg::MonthJul,
    Msg::MonthAug,
    Msg::MonthSep,
    Msg::MonthOct,
    Msg::MonthNov,
    Msg::MonthDec,
];

/// `ms` as people in Colombia write a date and time, in Colombia's time:
/// "6 de diciembre de 2026, 7:31\u{a0}a.\u{a0}m. (hora de Colombia)" /
/// "December 6, 2026, 7:31\u{a0}AM (Colombia time)".
pub fn colombia_datetime(ms: Millis, lang: Lang) -> String {
    let w = colombia_time(ms);
    let month = MONTHS[(w.month.clamp(1, 12) - 1) as usize].text(lang);
    let (hour12, clock) = match w.hour {
        0 => (12, Msg::TimeAm),
        h @ 1..=11 => (h, Msg::TimeAm),
        12 => (12, Msg::TimePm),
        h => (h - 12, Msg::TimePm),
    };
    let time = fill(
        clock.text(lang),
        &[
            ("h", &hour12.to_string()),
            ("m", &format!("{:02}", w.minute)),
        ],
    );
    fill(
        Msg::DateTimeColombia.text(lang),
        &[
            ("day", &w.day.to_string()),
            ("month", month),
            ("year", &w.year.to_string()),
            ("time", &time),
        ],
    )
}

/// The receipt's lines, in the order it shows them.
pub fn lines(f: &ReceiptFacts, lang: Lang) -> Vec<Line> {
    let line = |label, value: String, shared| Line {
        label,
        value,
        shared,
    };
    let mut out = vec![
        line(Msg::MerchantLabel, f.merchant.clone(), true),
        line(Msg::AmountLabel, f.amount.clone(), true),
    ];
    if let Some(c) = &f.concept {
        out.push(line(Msg::ConceptLabel, c.clone(), true));
    }
    if let Some(r) = &f.reference {
        out.push(line(Msg::ReferenceLabel, r.clone(), true));
    }
    out.push(line(Msg::TransactionCodeLabel, f.code.clone(), true));
    if let Some(ms) = f.date {
        out.push(line(Msg::DateLabel, colombia_datetime(ms, lang), true));
    }
    if let Some(a) = &f.account {
        out.push(line(Msg::AccountLabel, a.clone(), false));
    }
    out.push(line(
        Msg::StatusLabel,
        transaction_status_msg(f.status).text(lang).to_string(),
        true,
    ));
    out
}

/// The receipt's words to share: its title and every line but the
/// account's, one per line.
pub fn share_text(f: &ReceiptFacts, lang: Lang) -> String {
    let mut out = vec![Msg::ReceiptTitle.text(lang).to_string()];
    out.extend(
        lines(f, lang)
            .into_iter()
            .filter(|l| l.shared)
            .map(|l| format!("{}: {}", l.label.text(lang), l.value)),
    );
    out.join("\n")
}

/// An email address as a page shows whom it wrote to: the first character
/// of the mailbox, dots, and the domain ("a•••@example.com").
pub fn masked_email(email: &str) -> String {
    let (local, domain) = email.rsplit_once('@').unwrap_or((email, ""));
    let first: String = local.chars().take(1).collect();
    format!("{first}\u{2022}\u{2022}\u{2022}@{domain}")
}

/// The receipt email's subject: "Comprobante de pago: NOVO, $ 20.000".
pub fn email_subject(f: &ReceiptFacts, lang: Lang) -> String {
    format!(
        "{}: {}, {}",
        Msg::ReceiptTitle.text(lang),
        f.merchant,
        f.amount
    )
}

/// The receipt email's text: the page's receipt, every line (the account
/// masked as on the page), and who sent it on whose behalf.
pub fn email_text(f: &ReceiptFacts, lang: Lang) -> String {
    let mut out = vec![Msg::ReceiptTitle.text(lang).to_string(), String::new()];
    out.extend(
        lines(f, lang)
            .into_iter()
            .map(|l| format!("{}: {}", l.label.text(lang), l.value)),
    );
    out.push(String::new());
    out.push(fill(
        Msg::ReceiptEmailFooter.text(lang),
        &[("merchant", &f.merchant)],
    ));
    out.join("\r\n")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::time::parse_iso8601;

    fn facts() -> ReceiptFacts {
        ReceiptFacts {
            merchant: "NOVO".into(),
            amount: "$ 49.900".into(),
            concept: Some("Póliza 77".into()),
            reference: Some("REF-1".into()),
            code: "TABC123".into(),
            date: parse_iso8601("2026-12-06T12:31:00Z"),
            account: Some("Banco de Bogotá •••• 5678".into()),
            status: PaymentStatus::Successful,
        }
    }

    #[test]
    fn dates_are_written_as_in_colombia_in_its_time() {
        use Lang::{EnUs, EsCo};
        for (at, lang, written) in [
            (
                "2026-12-06T12:31:00Z",
                EsCo,
                "6 de diciembre de 2026, 7:31\u{a0}a.\u{a0}m. (hora de Colombia)",
            ),
            (
                "2026-12-06T12:31:00Z",
                EnUs,
                "December 6, 2026, 7:31\u{a0}AM (Colombia time)",
            ),
            (
                "2026-01-01T04:05:00Z",
                EsCo,
                "31 de diciembre de 2025, 11:05\u{a0}p.\u{a0}m. (hora de Colombia)",
            ),
            (
                "2026-03-02T05:00:00Z",
                EnUs,
                "March 2, 2026, 12:00\u{a0}AM (Colombia time)",
            ),
            (
                "2026-03-02T17:00:00Z",
                EnUs,
                "March 2, 2026, 12:00\u{a0}PM (Colombia time)",
            ),
        ] {
            let ms = parse_iso8601(at).expect("a valid instant");
            assert_eq!(colombia_datetime(ms, lang), written, "{at}");
        }
    }

    #[test]
    fn the_receipt_lists_everything_and_shares_no_account() {
        let es = lines(&facts(), Lang::EsCo);
        let labels: Vec<Msg> = es.iter().map(|l| l.label).collect();
        assert_eq!(
            labels,
            [
                Msg::MerchantLabel,
                Msg::AmountLabel,
                Msg::ConceptLabel,
                Msg::ReferenceLabel,
                Msg::TransactionCodeLabel,
                Msg::DateLabel,
                Msg::AccountLabel,
                Msg::StatusLabel
            ]
        );
        let shared = share_text(&facts(), Lang::EsCo);
        assert!(shared.starts_with("Comprobante de pago\n"), "{shared}");
        assert!(
            shared.contains("TABC123") && shared.contains("7:31\u{a0}a.\u{a0}m."),
            "{shared}"
        );
        assert!(
            !shared.contains("5678") && !shared.contains("Bogotá"),
            "{shared}"
        );
        let bare = ReceiptFacts {
            concept: None,
            reference: None,
            date: None,
            account: None,
            status: PaymentStatus::Failed,
            ..facts()
        };
        assert_eq!(lines(&bare, Lang::EnUs).len(), 4);
        let mail = email_text(&facts(), Lang::EsCo);
        assert!(
            mail.contains("Cuenta: Banco de Bogotá •••• 5678\r\n"),
            "{mail}"
        );
        assert!(mail.ends_with("en nombre de NOVO."), "{mail}");
        assert_eq!(
            email_subject(&facts(), Lang::EnUs),
            "Payment receipt: NOVO, $ 49.900"
        );
        assert_eq!(masked_email("ana.gomez@example.co"), "a•••@example.co");
        assert!(share_text(&bare, Lang::EnUs).ends_with("Status: Failed"));
    }
}
