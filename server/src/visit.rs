//! Who asks for a link page, decided in one place ([`visit`]): only a
//! person's view may move a link from CREATED to OPENED. The merchant
//! reads `delivery_status` OPENED as "the person opened it"; a `HEAD`, a
//! browser's prefetch or prerender, the page loaded into a frame or
//! fetched by a script, and a messaging app's preview crawler are not
//! views (docs/security.md, "Only a real view opens a link"). The
//! crawler's own page is made by the `preview` module.

use axum::http::{HeaderMap, Method};

/// What a request for a link page (or for the API's read of its link) is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Visit {
    /// A person's view: the first moves the link from CREATED to OPENED.
    View,
    /// Answered as a view would be, but not one: the link is left as it
    /// stands (a `HEAD`, a prefetch or prerender, a frame, a script).
    Peek,
    /// A link-preview crawler: it gets the preview module's page, and the link is
    /// left as it stands.
    Preview,
}

impl Visit {
    /// Whether this request moves a CREATED link to OPENED.
    pub fn marks_opened(self) -> bool {
        self == Visit::View
    }
}

/// What a request asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    /// A link page: a person's view of one is a top-level navigation.
    Page,
    /// The public API's read of a link: the page's own `fetch`, which is
    /// never a navigation.
    Api,
}

/// The parts of a request [`visit`] decides from, as sent.
#[derive(Debug, Clone, Copy)]
pub struct Asked<'a> {
    /// The request's method.
    pub method: &'a Method,
    /// `Sec-Fetch-Mode`.
    pub fetch_mode: Option<&'a str>,
    /// `Sec-Fetch-Dest`.
    pub fetch_dest: Option<&'a str>,
    /// Whether any `Sec-Fetch-*` header came: every current browser sends
    /// them on every request; the preview crawlers send none.
    pub fetch_metadata: bool,
    /// `Sec-Purpose`, or else the older `Purpose`, `X-Purpose` or `X-Moz`
    /// (Chrome's `<link rel=prefetch>`, Safari, older Firefox).
    pub purpose: Option<&'a str>,
    /// `User-Agent` (empty when none came).
    pub user_agent: &'a str,
}

impl<'a> Asked<'a> {
    /// The parts of a request with `method` and `headers`.
    pub fn from_request(method: &'a Method, headers: &'a HeaderMap) -> Asked<'a> {
        let text = |name: &str| headers.get(name).and_then(|v| v.to_str().ok());
        Asked {
            method,
            fetch_mode: text("sec-fetch-mode"),
            fetch_dest: text("sec-fetch-dest"),
            fetch_metadata: headers.keys().any(|k| k.as_str().starts_with("sec-fetch-")),
            purpose: ["sec-purpose", "purpose", "x-purpose", "x-moz"]
                .into_iter()
                .find_map(text),
            user_agent: text("user-agent").unwrap_or(""),
        }
    }
}

/// `User-Agent` tokens (lower case) of the crawlers that fetch a shared
/// link to build its preview card, and of the search engines' crawlers
/// (the pages are `noindex`, but a crawler is never a person either).
/// iMessage's fetch names `facebookexternalhit` and `Twitterbot`; Signal's
/// names `WhatsApp`; Teams and Skype name `SkypeUriPreview`. Only a request
/// without any `Sec-Fetch-*` header is taken for one: a browser whose
/// user agent happens to hold a token still gets its page.
pub const CRAWLERS: &[&str] = &[
    "whatsapp",
    "telegrambot",
    "facebookexternalhit",
    "facebot",
    "meta-externalagent",
    "twitterbot",
    "slackbot",
    "slack-imgproxy",
    "linkedinbot",
    "discordbot",
    "skypeuripreview",
    "microsoftpreview",
    "pinterestbot",
    "redditbot",
    "embedly",
    "iframely",
    "cardyb",
    "vkshare",
    "googlebot",
    "bingbot",
    "applebot",
];

/// What the request `a` for `target` is. The one place this is decided:
/// - a known crawler (a [`CRAWLERS`] token and no `Sec-Fetch-*` header)
///   gets the preview page, or for the API, a read that changes nothing;
/// - anything but a `GET` (a `HEAD`) is not a view;
/// - a prefetch or prerender (`Sec-Purpose: prefetch`, `prefetch;prerender`,
///   `Purpose: prefetch` …) is not a view: a person may never see it;
/// - a page the browser fetches other than as a top-level document
///   (`Sec-Fetch-Mode` other than `navigate`, `Sec-Fetch-Dest` other than
///   `document`: a frame, an `<object>`, a script's `fetch`) is not a view;
/// - every other `GET` is one (a client without fetch metadata, such as an
///   older browser, is taken at its word).
pub fn visit(a: &Asked<'_>, target: Target) -> Visit {
    let agent = a.user_agent.to_ascii_lowercase();
    if !a.fetch_metadata && CRAWLERS.iter().any(|c| agent.contains(c)) {
        return match target {
            Target::Page => Visit::Preview,
            Target::Api => Visit::Peek,
        };
    }
    if *a.method != Method::GET || a.purpose.is_some_and(speculative) {
        return Visit::Peek;
    }
    let is = |v: Option<&str>, want: &str| v.is_none_or(|v| v.trim().eq_ignore_ascii_case(want));
    match target {
        Target::Page if !is(a.fetch_mode, "navigate") || !is(a.fetch_dest, "document") => {
            Visit::Peek
        }
        Target::Page | Target::Api => Visit::View,
    }
}

/// Whether a purpose header's value speaks of a fetch ahead of use: any of
/// its tokens (`prefetch;prerender`, `prefetch;anonymous-client-ip`) is
/// `prefetch`, `prerender` or `preview`.
fn speculative(purpose: &str) -> bool {
    purpose.split([';', ',']).any(|t| {
        let t = t.trim();
        ["prefetch", "prerender", "preview"]
            .iter()
            .any(|p| t.eq_ignore_ascii_case(p))
    })
}
