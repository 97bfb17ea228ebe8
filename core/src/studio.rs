//! The theme studio's state: what a designer is previewing, kept entirely
//! in the URL so a preview can be shared, and the request body it copies
//! for `POST /connect/link/create` or `POST /checkout/link/create`.

use crate::color::HexColor;
use crate::theme::{
    resolve, Resolved, Slot, CHECKOUT_PAIRS, CHECKOUT_SLOTS, CONNECT_PAIRS, CONNECT_SLOTS,
};
use crate::url::percent_encode;
use crate::Lang;
use serde_json::{json, Map, Value};

/// Which link kind is previewed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A connect link (five colours).
    Connect,
    /// A checkout link (seven colours).
    Checkout,
}

impl Kind {
    /// The URL code.
    pub fn code(self) -> &'static str {
        match self {
            Kind::Connect => "connect",
            Kind::Checkout => "checkout",
        }
    }

    /// The colour fields of this kind, with their defaults.
    pub fn slots(self) -> &'static [Slot] {
        match self {
            Kind::Connect => CONNECT_SLOTS,
            Kind::Checkout => CHECKOUT_SLOTS,
        }
    }
}

/// The page state to show.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PreviewState {
    /// Intro (connect) or account choice (checkout).
    Intro,
    /// The institution picker.
    Picker,
    /// The account form.
    Form,
    /// The account form with errors.
    FormErrors,
    /// Pending validation.
    Pending,
    /// Rejected account.
    Rejected,
    /// Confirmation page.
    Confirmation,
    /// Expired link.
    Expired,
    /// Unknown link.
    NotFound,
    /// Service error.
    ServiceError,
}

impl PreviewState {
    /// Every state, in menu order.
    pub const ALL: [PreviewState; 10] = [
        PreviewState::Intro,
        PreviewState::Picker,
        PreviewState::Form,
        PreviewState::FormErrors,
        PreviewState::Pending,
        PreviewState::Rejected,
        PreviewState::Confirmation,
        PreviewState::Expired,
        PreviewState::NotFound,
        PreviewState::ServiceError,
    ];

    /// The URL code.
    pub fn code(self) -> &'static str {
        match self {
            PreviewState::Intro => "intro",
            PreviewState::Picker => "picker",
            PreviewState::Form => "form",
            PreviewState::FormErrors => "form-errors",
            PreviewState::Pending => "pending",
            PreviewState::Rejected => "rejected",
            PreviewState::Confirmation => "confirmation",
            PreviewState::Expired => "expired",
            PreviewState::NotFound => "not-found",
            PreviewState::ServiceError => "service-error",
        }
    }

    /// Parses a URL code.
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|p| p.code() == s)
    }
}

/// Everything the studio shows, as the designer typed it (colours may be
/// invalid: they are flagged and not applied).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StudioState {
    /// Link kind.
    pub kind: Kind,
    /// Preview language.
    pub lang: Lang,
    /// Page state.
    pub state: PreviewState,
    /// Colour text per field, as typed; absent means the default.
    pub colors: Vec<(String, String)>,
    /// English intro text.
    pub intro_en: String,
    /// Spanish intro text.
    pub intro_es: String,
    /// Checkout link name.
    pub link_name: String,
    /// Checkout link description.
    pub link_description: String,
    /// Checkout amount, as typed.
    pub amount: String,
    /// Checkout transaction description.
    pub description: String,
    /// Checkout statement descriptor.
    pub statement_descriptor: String,
}

impl Default for StudioState {
    fn default() -> Self {
        StudioState {
            kind: Kind::Connect,
            lang: Lang::EnUs,
            state: PreviewState::Intro,
            colors: Vec::new(),
            intro_en: "NOVO uses DRUO to connect to your bank account.".into(),
            intro_es: "NOVO usa DRUO para conectarse con tu cuenta bancaria.".into(),
            link_name: "Order #1234".into(),
            link_description: "Insurance policy renewal".into(),
            amount: "20000".into(),
            description: "Insurance policy renewal - INV12324".into(),
            statement_descriptor: "NOVO BILLING* INV12324".into(),
        }
    }
}

impl StudioState {
    /// Reads the state from URL query pairs; anything missing or unknown
    /// keeps its default.
    pub fn from_query<'a>(pairs: impl IntoIterator<Item = (&'a str, &'a str)>) -> Self {
        let mut s = StudioState::default();
        for (k, v) in pairs {
            match k {
                "kind" => {
                    s.kind = if v == "checkout" {
                        Kind::Checkout
                    } else {
                        Kind::Connect
                    }
                }
                "lang" => s.lang = Lang::parse(v).unwrap_or(s.lang),
                "state" => s.state = PreviewState::parse(v).unwrap_or(s.state),
                "intro_en" => s.intro_en = v.to_string(),
                "intro_es" => s.intro_es = v.to_string(),
                "link_name" => s.link_name = v.to_string(),
                "link_description" => s.link_description = v.to_string(),
                "amount" => s.amount = v.to_string(),
                "description" => s.description = v.to_string(),
                "statement_descriptor" => s.statement_descriptor = v.to_string(),
                f if CHECKOUT_SLOTS
                    .iter()
                    .chain(CONNECT_SLOTS)
                    .any(|slot| slot.field == f) =>
                {
                    s.set_color(f, v);
                }
                _ => {}
            }
        }
        s
    }

    /// The query string (without `?`) that restores this state.
    pub fn to_query(&self) -> String {
        let mut parts = vec![
            format!("kind={}", self.kind.code()),
            format!("lang={}", self.lang.code()),
            format!("state={}", self.state.code()),
        ];
        for (k, v) in &self.colors {
            parts.push(format!("{}={}", percent_encode(k), percent_encode(v)));
        }
        let texts = [
            ("intro_en", &self.intro_en),
            ("intro_es", &self.intro_es),
            ("link_name", &self.link_name),
            ("link_description", &self.link_description),
            ("amount", &self.amount),
            ("description", &self.description),
            ("statement_descriptor", &self.statement_descriptor),
        ];
        for (k, v) in texts {
            parts.push(format!("{k}={}", percent_encode(v)));
        }
        parts.join("&")
    }

    /// The colour text for `field`, as typed ("" when unset).
    pub fn color(&self, field: &str) -> String {
        self.colors
            .iter()
            .find(|(k, _)| k == field)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    }

    /// Sets (or, when blank, clears) a colour field.
    pub fn set_color(&mut self, field: &str, value: &str) {
        self.colors.retain(|(k, _)| k != field);
        if !value.trim().is_empty() {
            self.colors.push((field.to_string(), value.to_string()));
        }
    }

    /// The theme the live page would use for these colours.
    pub fn resolved(&self) -> Resolved {
        let pairs = match self.kind {
            Kind::Connect => CONNECT_PAIRS,
            Kind::Checkout => CHECKOUT_PAIRS,
        };
        resolve(self.kind.slots(), pairs, |f| Some(self.color(f)))
    }

    /// The amount, when it is a positive whole number.
    pub fn amount_value(&self) -> Option<u64> {
        self.amount.trim().parse::<u64>().ok().filter(|a| *a > 0)
    }

    /// The request-body fields that create a link with this theme: only
    /// valid colours (as `#rrggbb`), the intro per language, the language,
    /// and for checkout the name, description and transaction texts.
    pub fn request_body(&self) -> Value {
        let mut body = Map::new();
        for slot in self.kind.slots() {
            if let Some(c) = HexColor::parse(&self.color(slot.field)) {
                body.insert(slot.field.into(), json!(c.to_string()));
            }
        }
        body.insert("default_language".into(), json!(self.lang.code()));
        match self.kind {
            Kind::Connect => {
                body.insert(
                    "intro_text".into(),
                    json!({ "en_US": self.intro_en, "es_CO": self.intro_es }),
                );
            }
            Kind::Checkout => {
                body.insert("link_name".into(), json!(self.link_name));
                body.insert("link_description".into(), json!(self.link_description));
                let mut t = Map::new();
                if let Some(a) = self.amount_value() {
                    t.insert("amount".into(), json!(a));
                }
                t.insert("description".into(), json!(self.description));
                t.insert(
                    "statement_descriptor".into(),
                    json!(self.statement_descriptor),
                );
                body.insert("transaction".into(), Value::Object(t));
            }
        }
        Value::Object(body)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_url_round_trips_every_field() {
        let mut s = StudioState {
            kind: Kind::Checkout,
            lang: Lang::EsCo,
            state: PreviewState::FormErrors,
            ..Default::default()
        };
        s.set_color("sidebar_background_color", "#eee");
        s.set_color("button_color", "not a colour & #");
        s.link_name = "Pedido #7 & más".into();
        let q = s.to_query();
        let pairs: Vec<(String, String)> = q
            .split('&')
            .map(|p| {
                let (k, v) = p.split_once('=').unwrap();
                (k.to_string(), crate::url::percent_decode(v).unwrap())
            })
            .collect();
        let back = StudioState::from_query(pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())));
        assert_eq!(back, s);
    }

    #[test]
    fn unknown_or_missing_values_keep_defaults() {
        let s = StudioState::from_query([
            ("kind", "x"),
            ("state", "nope"),
            ("lang", "fr"),
            ("evil", "1"),
        ]);
        assert_eq!(s, StudioState::default());
    }

    #[test]
    fn json_has_only_valid_colours_and_the_kinds_fields() {
        let mut s = StudioState::default();
        s.set_color("button_color", "#ABC");
        s.set_color("background_color", "red;x");
        let b = s.request_body();
        assert_eq!(b["button_color"], "#aabbcc");
        assert!(
            b.get("background_color").is_none(),
            "invalid colour not copied"
        );
        assert_eq!(b["intro_text"]["es_CO"], s.intro_es);
        assert!(b.get("transaction").is_none());
        s.kind = Kind::Checkout;
        s.amount = "20000".into();
        let b = s.request_body();
        assert_eq!(b["transaction"]["amount"], 20000);
        assert_eq!(b["link_name"], "Order #1234");
        assert!(b.get("intro_text").is_none());
        s.amount = "12.5".into();
        assert!(s.request_body()["transaction"].get("amount").is_none());
    }

    #[test]
    fn resolved_theme_flags_invalid_values_and_applies_valid_ones() {
        let mut s = StudioState::default();
        s.set_color("content_background_color", "#ffff");
        s.set_color("button_color", "#0b5cad");
        let r = s.resolved();
        assert_eq!(r.invalid, vec!["content_background_color"]);
        assert_eq!(r.var("--button-bg"), HexColor::parse("#0b5cad"));
        assert_eq!(r.var("--box-bg"), Some(HexColor::WHITE));
        s.set_color("content_background_color", "");
        assert!(
            s.resolved().invalid.is_empty(),
            "a cleared field uses the default"
        );
    }
}
