//! The studio reading a create request: a designer pastes or drops the
//! JSON of `POST /connect/link/create` or `POST /checkout/link/create` (a
//! curl body from the docs, or what "Copy JSON" gave) and the studio takes
//! its colours, texts, language and amount. Anything it cannot read is
//! refused whole, naming the line and the field, so nothing changes.

use crate::studio::{Kind, StudioState};
use crate::Lang;
use serde_json::{Map, Value};

/// Why a pasted request was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImportProblem {
    /// Not JSON at all.
    NotJson,
    /// JSON, but not an object (a request body is one).
    NotAnObject,
    /// A field no create request has.
    UnknownField,
    /// A known field with a value of the wrong kind: what it takes.
    WrongType(Expected),
}

/// What a field takes, named in a wrong-type refusal so the designer
/// knows what to write.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Expected {
    /// Text in quotes (a name, a description).
    Text,
    /// A colour in quotes (`#RGB` or `#RRGGBB`).
    Color,
    /// `"en_US"` or `"es_CO"`.
    Language,
    /// Text, or an object of texts by language (`intro_text`).
    TextByLanguage,
    /// A whole number of centavos above 0, without quotes.
    Amount,
    /// An object (`transaction`).
    Object,
}

/// A refused paste: the problem, the 1-based line it is on, and the field
/// (dotted within `transaction` or `intro_text`; empty for JSON errors).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportError {
    /// What is wrong.
    pub problem: ImportProblem,
    /// Where, counted as the designer's editor counts lines.
    pub line: usize,
    /// Which field.
    pub field: String,
}

/// Fields every create request may carry, which the studio reads past:
/// who the link is for, where it returns, its expiry, references.
const COMMON: &[&str] = &[
    "existing_end_user_id",
    "new_end_user_details",
    "default_institution",
    "primary_reference",
    "secondary_reference",
    "default_language",
    "redirect_url",
    "expiration_date",
    "metadata",
    "custom_confirmation_page",
];

/// The fields of a checkout request's `transaction`.
const TRANSACTION: &[&str] = &[
    "tenant_id",
    "amount",
    "description",
    "statement_descriptor",
    "auto_send_receipt",
    "primary_reference",
    "secondary_reference",
    "metadata",
];

/// The 1-based line of the first `"key"` used as a key at or after byte
/// `from` of `text` (1 when it cannot be found).
fn line_of(text: &str, key: &str, from: usize) -> usize {
    let quoted = format!("\"{key}\"");
    let mut at = from.min(text.len());
    while let Some(i) = text.get(at..).and_then(|t| t.find(&quoted)) {
        let end = at + i + quoted.len();
        if text[end..].trim_start().starts_with(':') {
            return text[..at + i].matches('\n').count() + 1;
        }
        at = end;
    }
    text[..from.min(text.len())].matches('\n').count() + 1
}

/// Byte offset of `"key":` in `text`, to look for nested fields after it.
fn offset_of(text: &str, key: &str) -> usize {
    let quoted = format!("\"{key}\"");
    text.find(&quoted).unwrap_or(0)
}

/// The link kind a request is for: its checkout-only or connect-only
/// fields say; with neither, the studio's current kind.
fn kind_of(o: &Map<String, Value>, current: Kind) -> Kind {
    let has = |k: &str| o.contains_key(k);
    if has("transaction") || has("link_name") || has("link_description") {
        Kind::Checkout
    } else if has("intro_text") {
        Kind::Connect
    } else {
        current
    }
}

/// `state` with the request in `text` applied, or why it cannot be: the
/// kind (from its fields), every colour slot (one the request leaves out
/// is the default, as the link it creates would have), the language
/// (English when unset, as the service), and the texts and amount it
/// carries (texts it leaves out are kept).
pub fn apply_request(state: &StudioState, text: &str) -> Result<StudioState, ImportError> {
    let err = |problem, line, field: &str| ImportError {
        problem,
        line,
        field: field.to_string(),
    };
    let value: Value =
        serde_json::from_str(text).map_err(|e| err(ImportProblem::NotJson, e.line().max(1), ""))?;
    let Value::Object(o) = value else {
        return Err(err(ImportProblem::NotAnObject, 1, ""));
    };
    let kind = kind_of(&o, state.kind);
    let mut next = state.clone();
    next.set_kind(kind);
    // The service's language when the request names none.
    next.plang = Lang::default();
    let wrong = |field: &str, expected| {
        err(
            ImportProblem::WrongType(expected),
            line_of(text, field, 0),
            field,
        )
    };
    let string = |field: &str, v: &Value| {
        v.as_str()
            .map(str::to_string)
            .ok_or_else(|| wrong(field, Expected::Text))
    };
    for slot in kind.slots() {
        let typed = match o.get(slot.field) {
            None | Some(Value::Null) => String::new(),
            Some(Value::String(s)) => s.clone(),
            Some(_) => return Err(wrong(slot.field, Expected::Color)),
        };
        // A colour the service would refuse is kept as typed: the studio
        // flags it, as it does one typed by hand.
        next.set_color(slot.field, &typed);
    }
    for (key, v) in &o {
        let line = line_of(text, key, 0);
        match (kind, key.as_str()) {
            (_, k) if kind.slots().iter().any(|s| s.field == k) => {}
            (_, "default_language") => match v {
                Value::Null => {}
                Value::String(s) => {
                    next.plang = Lang::parse(s).ok_or_else(|| wrong(key, Expected::Language))?
                }
                _ => return Err(wrong(key, Expected::Language)),
            },
            (_, k) if COMMON.contains(&k) => {}
            (Kind::Connect, "intro_text") => match v {
                Value::String(s) => {
                    next.intro_en = s.clone();
                    next.intro_es = s.clone();
                }
                Value::Object(by_lang) => {
                    let from = offset_of(text, key);
                    for (l, t) in by_lang {
                        let field = format!("intro_text.{l}");
                        let t = t.as_str().ok_or_else(|| {
                            err(
                                ImportProblem::WrongType(Expected::Text),
                                line_of(text, l, from),
                                &field,
                            )
                        })?;
                        match Lang::parse(l) {
                            Some(Lang::EnUs) => next.intro_en = t.to_string(),
                            Some(Lang::EsCo) => next.intro_es = t.to_string(),
                            None => {
                                return Err(err(
                                    ImportProblem::UnknownField,
                                    line_of(text, l, from),
                                    &field,
                                ))
                            }
                        }
                    }
                }
                _ => return Err(wrong(key, Expected::TextByLanguage)),
            },
            (Kind::Checkout, "link_name") => next.link_name = string(key, v)?,
            (Kind::Checkout, "link_description") => {
                next.link_description = match v {
                    Value::Null => String::new(),
                    _ => string(key, v)?,
                }
            }
            (Kind::Checkout, "transaction") => transaction(text, v, &mut next)?,
            _ => return Err(err(ImportProblem::UnknownField, line, key)),
        }
    }
    Ok(next)
}

/// Whether a request `text` names its `default_language`: one that does
/// not is previewed in English, the service's default, and the studio
/// says so rather than switch language silently.
pub fn names_language(text: &str) -> bool {
    serde_json::from_str::<Value>(text)
        .ok()
        .and_then(|v| v.get("default_language").map(|l| !l.is_null()))
        .unwrap_or(false)
}

/// A checkout request's `transaction`: its amount (a positive whole
/// number of centavos, as the service takes it) and its texts.
fn transaction(text: &str, v: &Value, next: &mut StudioState) -> Result<(), ImportError> {
    let from = offset_of(text, "transaction");
    let err = |problem, key: &str| ImportError {
        problem,
        line: line_of(text, key, from),
        field: format!("transaction.{key}"),
    };
    let Value::Object(t) = v else {
        return Err(ImportError {
            problem: ImportProblem::WrongType(Expected::Object),
            line: line_of(text, "transaction", 0),
            field: "transaction".into(),
        });
    };
    for (key, v) in t {
        let text_of = |v: &Value| match v {
            Value::Null => Ok(String::new()),
            Value::String(s) => Ok(s.clone()),
            _ => Err(err(ImportProblem::WrongType(Expected::Text), key)),
        };
        match key.as_str() {
            "amount" => {
                let whole = v
                    .as_u64()
                    .or_else(|| {
                        v.as_f64()
                            .filter(|f| f.fract() == 0.0 && *f > 0.0)
                            .map(|f| f as u64)
                    })
                    .filter(|a| *a > 0)
                    .ok_or_else(|| err(ImportProblem::WrongType(Expected::Amount), key))?;
                next.amount = whole.to_string();
            }
            "description" => next.description = text_of(v)?,
            "statement_descriptor" => next.statement_descriptor = text_of(v)?,
            k if TRANSACTION.contains(&k) => {}
            _ => return Err(err(ImportProblem::UnknownField, key)),
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::studio::Kind;

    fn copied(s: &StudioState) -> String {
        serde_json::to_string_pretty(&s.request_body()).unwrap()
    }

    #[test]
    fn copy_json_comes_back_as_the_same_request() {
        let mut connect = StudioState::default();
        connect.set_color("button_color", "#0a7");
        connect.plang = Lang::EsCo;
        connect.intro_es = "Hola".into();
        let mut checkout = StudioState::default();
        checkout.set_kind(Kind::Checkout);
        checkout.set_color("sidebar_background_color", "#112233");
        checkout.amount = "4990000".into();
        checkout.link_name = "Pedido 77".into();
        for designed in [connect, checkout] {
            // Read into a studio showing the other kind, with other colours.
            let mut elsewhere = StudioState::default();
            elsewhere.set_kind(match designed.kind {
                Kind::Connect => Kind::Checkout,
                Kind::Checkout => Kind::Connect,
            });
            elsewhere.set_color("background_color", "#ffffff");
            let read = apply_request(&elsewhere, &copied(&designed)).unwrap();
            assert_eq!(read.kind, designed.kind);
            assert_eq!(read.request_body(), designed.request_body());
            assert_eq!(read.color("background_color"), "", "left out: the default");
        }
    }

    #[test]
    fn the_reference_curl_bodies_are_read() {
        let checkout = r#"{ "existing_end_user_id": "eur_868d99a5-6578-40cf-8aec-e7a48085fa37", "link_name": "Checkout Link #1234556", "transaction": { "tenant_id": "22637d15-5b37-4fb2-90e5-aa8751970469", "amount":20000, "description": "Insurance policy renewal - INV12324", "statement_descriptor": "NOVO BILLING* INV12324", "auto_send_receipt": false } }"#;
        let s = apply_request(&StudioState::default(), checkout).unwrap();
        assert_eq!(
            (s.kind, s.amount.as_str(), s.link_name.as_str()),
            (Kind::Checkout, "20000", "Checkout Link #1234556")
        );
        assert_eq!(s.statement_descriptor, "NOVO BILLING* INV12324");
        let connect = "{\n    \"existing_end_user_id\": \"eur_1\",\n    \"intro_text\": \"Connect your account\",\n    \"redirect_url\": \"https://example.com/done\"\n}";
        let s = apply_request(&s, connect).unwrap();
        assert_eq!(
            (s.kind, s.intro_en.as_str(), s.intro_es.as_str()),
            (
                Kind::Connect,
                "Connect your account",
                "Connect your account"
            )
        );
        assert_eq!(s.plang, Lang::EnUs);
        // Read into a Spanish studio, a body naming no language is English.
        let spanish = StudioState {
            plang: Lang::EsCo,
            ..StudioState::default()
        };
        assert_eq!(apply_request(&spanish, connect).unwrap().plang, Lang::EnUs);
        // ...which the studio says, since the body names none.
        assert!(!names_language(connect));
        assert!(names_language(r#"{"default_language": "es_CO"}"#));
        assert!(!names_language(r#"{"default_language": null}"#));
    }

    #[test]
    fn a_refusal_names_the_line_and_field() {
        let s = StudioState::default();
        let refused = |text: &str| apply_request(&s, text).unwrap_err();
        let e = refused("{\n  \"intro_text\": \"Hi\",\n  \"buton_color\": \"#fff\"\n}");
        assert_eq!(
            (e.problem, e.line, e.field.as_str()),
            (ImportProblem::UnknownField, 3, "buton_color")
        );
        let e = refused(
            "{\n  \"link_name\": \"A\",\n  \"transaction\": {\n    \"amount\": \"20000\"\n  }\n}",
        );
        assert_eq!(
            (e.problem, e.line, e.field.as_str()),
            (
                ImportProblem::WrongType(Expected::Amount),
                4,
                "transaction.amount"
            )
        );
        let e = refused("{\n  \"link_name\": \"A\",\n  \"transaction\": {\n    \"amount\": 5,\n    \"currency\": \"COP\"\n  }\n}");
        assert_eq!(
            (e.problem, e.line, e.field.as_str()),
            (ImportProblem::UnknownField, 5, "transaction.currency")
        );
        let e = refused("{\n  \"intro_text\": {\"en_US\": \"Hi\",\n \"fr_FR\": \"Salut\"}\n}");
        assert_eq!(
            (e.problem, e.line, e.field.as_str()),
            (ImportProblem::UnknownField, 3, "intro_text.fr_FR")
        );
        let e = refused("{\n  \"default_language\": \"de\"\n}");
        assert_eq!(
            (e.problem, e.line),
            (ImportProblem::WrongType(Expected::Language), 2)
        );
        let e = refused("{\n  \"intro_text\": \"Hi\",\n  \"button_color\": 12\n}");
        assert_eq!(
            (e.problem, e.line, e.field.as_str()),
            (ImportProblem::WrongType(Expected::Color), 3, "button_color")
        );
        let e = refused("{\n  \"intro_text\": \"Hi\"\n  \"x\": 1\n}");
        assert_eq!((e.problem, e.line), (ImportProblem::NotJson, 3));
        assert_eq!(refused("[1, 2]").problem, ImportProblem::NotAnObject);
        assert_eq!(refused("").problem, ImportProblem::NotJson);
        // A checkout field in a connect request is not a connect field.
        let e = refused("{\n  \"intro_text\": \"Hi\",\n  \"link_name\": \"A\"\n}");
        assert_eq!(
            e.field, "intro_text",
            "link_name makes it a checkout, which has no intro"
        );
    }
}
