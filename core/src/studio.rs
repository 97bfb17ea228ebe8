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

    /// The states this kind's page can be in, in menu order: every
    /// state, but a payment's (declined, in process) only on a checkout.
    pub fn states(self) -> impl Iterator<Item = PreviewState> {
        PreviewState::ALL
            .into_iter()
            .filter(move |s| self == Kind::Checkout || !s.payment_only())
    }
}

/// The page state to show ([`Kind::states`]: which kind has which).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PreviewState {
    /// Intro (connect) or the choice of existing accounts (checkout).
    Intro,
    /// The institution picker (checkout: of a new account).
    Picker,
    /// The account form (checkout: of a new account).
    Form,
    /// The account form with errors.
    FormErrors,
    /// Pending validation of the account.
    Pending,
    /// Rejected account.
    Rejected,
    /// Checkout: the bank declined the payment.
    Declined,
    /// Checkout: paid, but the bank has not settled it yet.
    PaymentPending,
    /// Confirmation page (connected, or paid).
    Confirmation,
    /// The link was already used (connected, or already paid).
    Used,
    /// Expired link.
    Expired,
    /// Unknown link.
    NotFound,
    /// Service error.
    ServiceError,
}

impl PreviewState {
    /// A state only a payment has.
    fn payment_only(self) -> bool {
        matches!(self, PreviewState::Declined | PreviewState::PaymentPending)
    }

    /// Every state of either kind.
    pub const ALL: [PreviewState; 13] = [
        PreviewState::Intro,
        PreviewState::Picker,
        PreviewState::Form,
        PreviewState::FormErrors,
        PreviewState::Pending,
        PreviewState::Rejected,
        PreviewState::Declined,
        PreviewState::PaymentPending,
        PreviewState::Confirmation,
        PreviewState::Used,
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
            PreviewState::Declined => "declined",
            PreviewState::PaymentPending => "payment-pending",
            PreviewState::Confirmation => "confirmation",
            PreviewState::Used => "used",
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
    /// The studio's own language (`lang=`); `None`: the browser's.
    pub lang: Option<Lang>,
    /// The previewed page's language (`plang=`), also the link's
    /// `default_language` in the JSON.
    pub plang: Lang,
    /// Page state, one of the kind's ([`Kind::states`]).
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
            lang: None,
            plang: Lang::EnUs,
            state: PreviewState::Intro,
            colors: Vec::new(),
            intro_en: "NOVO uses DRUO to connect to your bank account.".into(),
            intro_es: "NOVO usa DRUO para conectarse con tu cuenta bancaria.".into(),
            link_name: SAMPLES[0].link_name.into(),
            link_description: SAMPLES[0].link_description.into(),
            amount: "2000000".into(),
            description: SAMPLES[0].description.into(),
            statement_descriptor: SAMPLES[0].statement_descriptor.into(),
        }
    }
}

/// A checkout's sample texts in one language.
struct Sample {
    link_name: &'static str,
    link_description: &'static str,
    description: &'static str,
    statement_descriptor: &'static str,
}

/// The checkout's sample texts, English then Spanish: a Spanish preview
/// shows Spanish sample data (issue 29), as a Colombian merchant's link
/// would.
const SAMPLES: [Sample; 2] = [
    Sample {
        link_name: "Order #1234",
        link_description: "Insurance policy renewal",
        description: "Insurance policy renewal - INV12324",
        statement_descriptor: "NOVO BILLING* INV12324",
    },
    Sample {
        link_name: "Pedido #1234",
        link_description: "Renovación de póliza de seguro",
        description: "Renovación de póliza de seguro - INV12324",
        statement_descriptor: "NOVO COBRO* INV12324",
    },
];

/// The samples of `lang`.
fn sample(lang: Lang) -> &'static Sample {
    match lang {
        Lang::EnUs => &SAMPLES[0],
        Lang::EsCo => &SAMPLES[1],
    }
}

impl StudioState {
    /// Reads the state from URL query pairs; anything missing or unknown
    /// keeps its default. Without `plang`, the preview follows `lang` (the
    /// one language of addresses shared before the two were split); a
    /// state the kind does not have is its first.
    pub fn from_query<'a>(pairs: impl IntoIterator<Item = (&'a str, &'a str)>) -> Self {
        let mut s = StudioState::default();
        let mut plang = None;
        for (k, v) in pairs {
            match k {
                "kind" => {
                    s.kind = if v == "checkout" {
                        Kind::Checkout
                    } else {
                        Kind::Connect
                    }
                }
                "lang" => s.lang = Lang::parse(v).or(s.lang),
                "plang" => plang = Lang::parse(v).or(plang),
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
        s.set_plang(plang.or(s.lang).unwrap_or(s.plang));
        s.set_kind(s.kind);
        s
    }

    /// Switches the previewed language; a checkout text still at the
    /// other language's sample becomes this language's sample, and one the
    /// designer typed is kept.
    pub fn set_plang(&mut self, lang: Lang) {
        let (from, to) = (sample(self.plang), sample(lang));
        let swap = |text: &mut String, old: &str, new: &str| {
            if text == old {
                *text = new.to_string();
            }
        };
        swap(&mut self.link_name, from.link_name, to.link_name);
        swap(
            &mut self.link_description,
            from.link_description,
            to.link_description,
        );
        swap(&mut self.description, from.description, to.description);
        swap(
            &mut self.statement_descriptor,
            from.statement_descriptor,
            to.statement_descriptor,
        );
        self.plang = lang;
    }

    /// Switches the kind; a state the new kind does not have becomes its
    /// first.
    pub fn set_kind(&mut self, kind: Kind) {
        self.kind = kind;
        if !kind.states().any(|s| s == self.state) {
            self.state = PreviewState::Intro;
        }
    }

    /// The query string (without `?`) that restores this state.
    pub fn to_query(&self) -> String {
        let mut parts = vec![format!("kind={}", self.kind.code())];
        if let Some(l) = self.lang {
            parts.push(format!("lang={}", l.code()));
        }
        parts.push(format!("plang={}", self.plang.code()));
        parts.push(format!("state={}", self.state.code()));
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
        body.insert("default_language".into(), json!(self.plang.code()));
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
    fn a_spanish_preview_shows_spanish_samples_and_keeps_what_was_typed() {
        let mut s = StudioState {
            description: "Mensualidad de diciembre".into(),
            ..Default::default()
        };
        s.set_plang(Lang::EsCo);
        assert_eq!(s.link_name, "Pedido #1234");
        assert_eq!(s.link_description, "Renovación de póliza de seguro");
        assert_eq!(s.statement_descriptor, "NOVO COBRO* INV12324");
        assert_eq!(s.description, "Mensualidad de diciembre", "typed: kept");
        s.set_plang(Lang::EnUs);
        assert_eq!(s.link_name, "Order #1234");
        // A studio opened in Spanish starts with the Spanish samples; an
        // address that carries its texts keeps them.
        let es = StudioState::from_query([("plang", "es_CO")]);
        assert_eq!(es.link_name, "Pedido #1234");
        let shared = StudioState::from_query([("plang", "es_CO"), ("link_name", "Order #9")]);
        assert_eq!(shared.link_name, "Order #9");
    }

    #[test]
    fn the_url_round_trips_every_field() {
        let mut s = StudioState {
            kind: Kind::Checkout,
            lang: Some(Lang::EsCo),
            plang: Lang::EnUs,
            state: PreviewState::Declined,
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

    /// The query as `from_query` reads it.
    fn read(q: &str) -> StudioState {
        let pairs: Vec<(String, String)> = q
            .split('&')
            .filter_map(|p| p.split_once('='))
            .map(|(k, v)| {
                (
                    k.to_string(),
                    crate::url::percent_decode(v).unwrap_or_default(),
                )
            })
            .collect();
        StudioState::from_query(pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())))
    }

    #[test]
    fn the_preview_language_is_separate_from_the_studio_language() {
        // A Spanish-speaking designer previews the English page.
        let s = read("lang=es_CO&plang=en_US");
        assert_eq!((s.lang, s.plang), (Some(Lang::EsCo), Lang::EnUs));
        assert_eq!(read(&s.to_query()), s);
        assert_eq!(s.request_body()["default_language"], "en_US");
        // No studio language: the browser's; nothing written for it.
        let s = read("plang=es_CO");
        assert_eq!((s.lang, s.plang), (None, Lang::EsCo));
        assert!(!s.to_query().split('&').any(|p| p.starts_with("lang=")));
        assert_eq!(read(&s.to_query()), s);
        // An address from before the split: one language for both.
        let s = read("lang=es_CO");
        assert_eq!((s.lang, s.plang), (Some(Lang::EsCo), Lang::EsCo));
    }

    #[test]
    fn each_kind_has_its_states_and_keeps_only_those() {
        for kind in [Kind::Connect, Kind::Checkout] {
            for state in kind.states() {
                let s = StudioState {
                    kind,
                    state,
                    ..Default::default()
                };
                assert_eq!(read(&s.to_query()), s, "{state:?}");
            }
        }
        for code in [
            "declined",
            "payment-pending",
            "used",
            "confirmation",
            "intro",
        ] {
            let s = read(&format!("kind=checkout&state={code}"));
            assert_eq!(s.state.code(), code);
        }
        // A connect link has no payment to decline.
        assert_eq!(
            read("kind=connect&state=declined").state,
            PreviewState::Intro
        );
        assert_eq!(
            read("state=declined&kind=connect").state,
            PreviewState::Intro
        );
        let mut s = read("kind=checkout&state=payment-pending");
        s.set_kind(Kind::Connect);
        assert_eq!(s.state, PreviewState::Intro);
        let mut s = read("kind=connect&state=rejected");
        s.set_kind(Kind::Checkout);
        assert_eq!(s.state, PreviewState::Rejected);
    }

    #[test]
    fn the_json_has_only_the_colours_the_designer_changed() {
        let mut s = StudioState::default();
        assert!(s
            .kind
            .slots()
            .iter()
            .all(|slot| s.request_body().get(slot.field).is_none()));
        s.set_color("button_color", "#0b5cad");
        s.set_color("button_color", "");
        assert!(
            s.request_body().get("button_color").is_none(),
            "reset to default"
        );
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
        s.amount = "2000000".into();
        let b = s.request_body();
        assert_eq!(b["transaction"]["amount"], 2000000);
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
