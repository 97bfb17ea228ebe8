//! Absolute http(s) URLs for `redirect_url`: a strict parser (the merchant
//! API refuses anything else, and the page checks again before navigating)
//! and the builder that appends the completion parameters.
//!
//! Strict on purpose: browsers repair many malformed URLs (stripping tabs and
//! newlines, reading `\` as `/`, treating `https:evil.example` as a host), and
//! each repair is a way to smuggle `javascript:` or another host past a check.
//! So anything a browser would have to repair is refused here.

/// Why a URL was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum UrlError {
    /// Longer than [`MAX_URL_LEN`].
    #[error("the URL is longer than 2048 characters")]
    TooLong,
    /// Contains whitespace, a control character, a backslash, a character
    /// browsers percent-encode (`"`, `<`, `>`, `` ` ``, `{`, `}`, `'`) or a
    /// non-ASCII character (which must be percent-encoded).
    #[error("the URL contains whitespace, control, backslash, quote, <, >, `, {{, }} or non-ASCII characters: percent-encode them")]
    BadCharacter,
    /// Not `http://` or `https://` followed by a host.
    #[error("the URL must be absolute and start with http:// or https://")]
    NotHttp,
    /// Carries `user:password@` before the host.
    #[error("the URL must not contain user information (user@host)")]
    UserInfo,
    /// The host or port is empty or malformed.
    #[error("the URL's host or port is not valid")]
    BadHost,
}

/// ASCII characters a browser percent-encodes in a URL's path or query
/// (WHATWG's percent-encode sets), besides the space, and the backslash it
/// reads as `/`: the URL the merchant receives would not be the one it
/// gave, so its own query would no longer match what it verifies.
const REPAIRED: &str = " \\\"<>`{}'";

/// Longest accepted URL, in bytes.
pub const MAX_URL_LEN: usize = 2048;

/// A URL that passed [`parse_http_url`]. Its parts are kept verbatim except
/// the scheme and host, which are lower-cased.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HttpUrl {
    /// `http` or `https`.
    pub scheme: &'static str,
    /// Host, lower-case; IPv6 literals keep their brackets.
    pub host: String,
    /// Port, when given.
    pub port: Option<u16>,
    /// Path, starting with `/` or empty.
    pub path: String,
    /// Query without its `?`, when present (possibly empty).
    pub query: Option<String>,
    /// Fragment without its `#`, when present.
    pub fragment: Option<String>,
}

impl HttpUrl {
    /// The URL's origin: scheme, host and port as given (what a
    /// Content-Security-Policy source names).
    pub fn origin(&self) -> String {
        match self.port {
            Some(p) => format!("{}://{}:{p}", self.scheme, self.host),
            None => format!("{}://{}", self.scheme, self.host),
        }
    }

    /// Serializes back to a string.
    pub fn as_string(&self) -> String {
        let mut s = self.origin();
        s.push_str(&self.path);
        if let Some(q) = &self.query {
            s.push('?');
            s.push_str(q);
        }
        if let Some(f) = &self.fragment {
            s.push('#');
            s.push_str(f);
        }
        s
    }
}

/// Parses an absolute `http://` or `https://` URL, refusing anything a
/// browser would have to repair. See the module docs for why.
pub fn parse_http_url(input: &str) -> Result<HttpUrl, UrlError> {
    parse_within(input, MAX_URL_LEN)
}

/// [`parse_http_url`] for a way back the service built from a
/// `redirect_url` ([`append_signed`]): the same rules, up to the length
/// the builder allows.
pub fn parse_returned_url(input: &str) -> Result<HttpUrl, UrlError> {
    parse_within(input, MAX_URL_LEN * 2)
}

fn parse_within(input: &str, max: usize) -> Result<HttpUrl, UrlError> {
    if input.len() > max {
        return Err(UrlError::TooLong);
    }
    if input
        .chars()
        .any(|c| !c.is_ascii() || c.is_ascii_control() || REPAIRED.contains(c))
    {
        return Err(UrlError::BadCharacter);
    }
    let (scheme, rest) = input.split_once("://").ok_or(UrlError::NotHttp)?;
    let scheme = match scheme.to_ascii_lowercase().as_str() {
        "http" => "http",
        "https" => "https",
        _ => return Err(UrlError::NotHttp),
    };
    let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let (authority, tail) = rest.split_at(end);
    if authority.contains('@') {
        return Err(UrlError::UserInfo);
    }
    let (host, port) = split_host_port(authority)?;
    let (before_frag, fragment) = match tail.split_once('#') {
        Some((a, f)) => (a, Some(f.to_string())),
        None => (tail, None),
    };
    let (path, query) = match before_frag.split_once('?') {
        Some((p, q)) => (p, Some(q.to_string())),
        None => (before_frag, None),
    };
    // `https://host//evil` is a valid path, but a leading `//` in a path is a
    // classic open-redirect confusion for downstream code; refuse it.
    if path.starts_with("//") {
        return Err(UrlError::BadHost);
    }
    Ok(HttpUrl {
        scheme,
        host,
        port,
        path: path.to_string(),
        query,
        fragment,
    })
}

fn split_host_port(authority: &str) -> Result<(String, Option<u16>), UrlError> {
    let (host, port) = if let Some(rest) = authority.strip_prefix('[') {
        let (v6, after) = rest.split_once(']').ok_or(UrlError::BadHost)?;
        if v6.is_empty()
            || !v6
                .chars()
                .all(|c| c.is_ascii_hexdigit() || c == ':' || c == '.')
        {
            return Err(UrlError::BadHost);
        }
        let port = match after {
            "" => None,
            p => Some(p.strip_prefix(':').ok_or(UrlError::BadHost)?),
        };
        (format!("[{}]", v6.to_ascii_lowercase()), port)
    } else {
        let (h, p) = match authority.split_once(':') {
            Some((h, p)) => (h, Some(p)),
            None => (authority, None),
        };
        let label_ok = |l: &str| {
            !l.is_empty()
                && l.len() <= 63
                && !l.starts_with('-')
                && !l.ends_with('-')
                && l.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
        };
        let trimmed = h.strip_suffix('.').unwrap_or(h);
        if trimmed.is_empty() || h.len() > 253 || !trimmed.split('.').all(label_ok) {
            return Err(UrlError::BadHost);
        }
        (h.to_ascii_lowercase(), p)
    };
    let port = match port {
        None => None,
        Some(p) if !p.is_empty() && p.len() <= 5 && p.bytes().all(|b| b.is_ascii_digit()) => {
            match p.parse::<u16>() {
                Ok(n) if n > 0 => Some(n),
                _ => return Err(UrlError::BadHost),
            }
        }
        Some(_) => return Err(UrlError::BadHost),
    };
    Ok((host, port))
}

/// Percent-encodes everything but RFC 3986's unreserved characters, so a
/// value can never close the query or open a fragment.
pub fn percent_encode(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for b in value.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(b as char);
        } else {
            const HEX: &[u8; 16] = b"0123456789ABCDEF";
            out.push('%');
            out.push(HEX[usize::from(b >> 4)] as char);
            out.push(HEX[usize::from(b & 15)] as char);
        }
    }
    out
}

/// Decodes `%XX` escapes (the inverse of [`percent_encode`]). `None` when
/// an escape is malformed or the bytes are not UTF-8.
pub fn percent_decode(s: &str) -> Option<String> {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' {
            let hex = s.get(i + 1..i + 3)?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

/// The pairs of a URL query (`?a=1&b=x%20y`), in order, as the browser's
/// `URLSearchParams` reads them: `+` is a space, a pair without `=` has an
/// empty value, empty pairs are skipped, and a malformed escape is kept as
/// typed rather than dropping the pair.
pub fn parse_query(query: &str) -> Vec<(String, String)> {
    let decode = |s: &str| {
        let s = s.replace('+', " ");
        percent_decode(&s).unwrap_or(s)
    };
    query
        .strip_prefix('?')
        .unwrap_or(query)
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let (k, v) = p.split_once('=').unwrap_or((p, ""));
            (decode(k), decode(v))
        })
        .collect()
}

/// Appends `params` to `base`'s query, keeping its existing query and its
/// fragment, with every key and value percent-encoded. Fails when `base` is
/// not a safe absolute http(s) URL, so the caller never navigates to one.
pub fn append_query(base: &str, params: &[(&str, &str)]) -> Result<String, UrlError> {
    append_text(base, &encode_pairs(params))
}

/// [`append_query`] with a signature: after `params` come `ts` (Unix
/// seconds) and last `sig`, which is `sign` of exactly the text appended
/// from the first parameter through `ts=…`, as it stands in the URL
/// (percent-encoded; without the `&` that joins it to `base`'s own query,
/// and without `&sig=…`). `base`'s own query stays first and is not signed.
pub fn append_signed(
    base: &str,
    params: &[(&str, &str)],
    ts: i64,
    sign: impl FnOnce(&str) -> String,
) -> Result<String, UrlError> {
    let mut signed = encode_pairs(params);
    if !signed.is_empty() {
        signed.push('&');
    }
    signed.push_str(&format!("ts={ts}"));
    let sig = sign(&signed);
    append_text(base, &format!("{signed}&sig={}", percent_encode(&sig)))
}

/// What a merchant checks in a URL [`append_signed`] made from
/// `redirect_url`: the signed text, `ts` and `sig`. `None` when `returned`
/// does not start with `redirect_url`'s scheme, host, path and query, or
/// does not end its query with `ts` and `sig`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignedPart {
    /// The text the signature covers.
    pub signed: String,
    /// `ts`, Unix seconds.
    pub ts: i64,
    /// `sig`, as it stands.
    pub sig: String,
}

/// Reads back what [`append_signed`] appended to `redirect_url` in
/// `returned` (see [`SignedPart`]).
pub fn signed_part(returned: &str, redirect_url: &str) -> Option<SignedPart> {
    let base = parse_http_url(redirect_url).ok()?;
    let got = parse_http_url(returned).ok()?;
    if (got.origin(), &got.path) != (base.origin(), &base.path) {
        return None;
    }
    let query = got.query?;
    // The merchant's own query, with the `&` `append_text` joined on.
    let own = base.query.unwrap_or_default();
    let own = if own.is_empty() || own.ends_with('&') {
        own
    } else {
        format!("{own}&")
    };
    let rest = query.strip_prefix(own.as_str())?;
    let (signed, sig) = rest.rsplit_once("&sig=")?;
    let ts_text = match signed.rsplit_once('&') {
        Some((_, last)) => last,
        None => signed,
    };
    let ts = ts_text.strip_prefix("ts=")?.parse().ok()?;
    Some(SignedPart {
        signed: signed.to_string(),
        ts,
        sig: sig.to_string(),
    })
}

/// `k=v&k=v`, every key and value percent-encoded.
fn encode_pairs(params: &[(&str, &str)]) -> String {
    params
        .iter()
        .map(|(k, v)| format!("{}={}", percent_encode(k), percent_encode(v)))
        .collect::<Vec<_>>()
        .join("&")
}

/// `base` with `added` joined to its query.
fn append_text(base: &str, added: &str) -> Result<String, UrlError> {
    let mut url = parse_http_url(base)?;
    url.query = Some(match url.query.take() {
        Some(q) if q.is_empty() || q.ends_with('&') => format!("{q}{added}"),
        Some(q) => format!("{q}&{added}"),
        None => added.to_string(),
    });
    let out = url.as_string();
    // What parse_returned_url accepts: a long redirect_url keeps its way back.
    if out.len() > MAX_URL_LEN * 2 {
        return Err(UrlError::TooLong);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    #[test]
    fn parse_query_reads_like_url_search_params() {
        let q = super::parse_query("?sl=abc&lang=es_CO&x=a+b%20c&flag&&bad=%zz&sl=second");
        let want: Vec<(String, String)> = [
            ("sl", "abc"),
            ("lang", "es_CO"),
            ("x", "a b c"),
            ("flag", ""),
            ("bad", "%zz"),
            ("sl", "second"),
        ]
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
        assert_eq!(q, want);
        assert!(super::parse_query("").is_empty());
        assert!(super::parse_query("?").is_empty());
    }

    #[test]
    fn parse_query_inverts_percent_encode() {
        let v = "ñ &=?#+%/é";
        let q = super::parse_query(&format!("k={}", super::percent_encode(v)));
        assert_eq!(q, vec![("k".to_string(), v.to_string())]);
    }

    use super::*;
    use proptest::prelude::*;

    #[test]
    fn accepts_ordinary_merchant_urls() {
        for s in [
            "https://example.com",
            "http://www.example.com/account-registration-complete",
            "https://shop.example.co/return?order=6735&x=1#done",
            "HTTPS://Example.COM:8443/a/b",
            "http://127.0.0.1:9000/cb",
            "http://[::1]:8080/cb",
            "https://example.com/path%20with%20spaces",
        ] {
            assert!(parse_http_url(s).is_ok(), "{s}");
        }
        let u = parse_http_url("HTTPS://Example.COM:8443/A?b#C").unwrap();
        assert_eq!(u.as_string(), "https://example.com:8443/A?b#C");
    }

    #[test]
    fn refuses_every_attack_form() {
        let attacks = [
            "javascript:alert(1)",
            "JaVaScRiPt:alert(1)",
            "java\tscript:alert(1)",
            "javascript\n:alert(1)",
            " javascript:alert(1)",
            "\u{1}javascript:alert(1)",
            "javascript://example.com/%0aalert(1)",
            "data:text/html,<script>alert(1)</script>",
            "vbscript:msgbox(1)",
            "//evil.example",
            "/\\evil.example",
            "https:evil.example",
            "https:/evil.example",
            "https://user:pass@evil.example",
            "https://example.com@evil.example",
            "https://example.com\\@evil.example",
            "https:///evil.example",
            "https://evil.example//x",
            "ftp://example.com",
            "https://",
            "https://exa mple.com",
            "https://ex_ample.com",
            "https://exámple.com",
            "https://example.com:0",
            "https://example.com:99999",
            "https://example.com:",
            "https://-example.com",
            // Characters a browser would percent-encode on the way.
            "https://example.com/done?q=\"x\"",
            "https://example.com/done?q=<x>",
            "https://example.com/done?q='x'",
            "https://example.com/{x}",
            "https://example.com/`x`",
            "",
            "/relative/path",
        ];
        for s in attacks {
            assert!(parse_http_url(s).is_err(), "{s:?}");
        }
        assert_eq!(
            parse_http_url(&format!("https://e.com/{}", "a".repeat(2100))),
            Err(UrlError::TooLong)
        );
    }

    #[test]
    fn appends_parameters_keeping_query_and_fragment() {
        let p = [("ac", "A3S2GYU46FA"), ("al4", "5345")];
        assert_eq!(
            append_query("http://www.example.com/done", &p).unwrap(),
            "http://www.example.com/done?ac=A3S2GYU46FA&al4=5345"
        );
        assert_eq!(
            append_query("https://e.com/done?order=1#top", &p).unwrap(),
            "https://e.com/done?order=1&ac=A3S2GYU46FA&al4=5345#top"
        );
        assert_eq!(
            append_query("https://e.com/?", &p).unwrap(),
            "https://e.com/?ac=A3S2GYU46FA&al4=5345"
        );
        assert_eq!(
            append_query("https://e.com", &[("ain", "Banco de Bogotá & Co#1")]).unwrap(),
            "https://e.com?ain=Banco%20de%20Bogot%C3%A1%20%26%20Co%231"
        );
        assert!(append_query("javascript:alert(1)", &p).is_err());
    }

    #[test]
    fn the_signature_covers_exactly_the_appended_text_through_ts() {
        let mut seen = String::new();
        let out = append_signed(
            "https://shop.example/done?order=7#thanks",
            &[("as", "CONNECTED"), ("ain", "Banco de Bogotá")],
            1_700_000_000,
            |t| {
                seen = t.to_string();
                "abc123".into()
            },
        )
        .unwrap();
        assert_eq!(
            seen,
            "as=CONNECTED&ain=Banco%20de%20Bogot%C3%A1&ts=1700000000"
        );
        assert_eq!(
            out,
            "https://shop.example/done?order=7&as=CONNECTED&ain=Banco%20de%20Bogot%C3%A1&ts=1700000000&sig=abc123#thanks"
        );
        let part = signed_part(&out, "https://shop.example/done?order=7#thanks").unwrap();
        assert_eq!(part.signed, seen);
        assert_eq!((part.ts, part.sig.as_str()), (1_700_000_000, "abc123"));
        // A query ending in `&`, an empty one and none: nothing is doubled.
        for (base, want) in [
            ("https://e.com/?a=1&", "https://e.com/?a=1&k=v&ts=5&sig=s"),
            ("https://e.com/?", "https://e.com/?k=v&ts=5&sig=s"),
            ("https://e.com", "https://e.com?k=v&ts=5&sig=s"),
        ] {
            let out = append_signed(base, &[("k", "v")], 5, |_| "s".into()).unwrap();
            assert_eq!(out, want);
            assert_eq!(signed_part(&out, base).unwrap().signed, "k=v&ts=5");
        }
        // Another merchant URL, or a query the merchant's does not start.
        assert!(signed_part(&out_of("https://e.com/a"), "https://e.com/b").is_none());
        assert!(signed_part(&out_of("https://e.com/a?x=1"), "https://e.com/a?x=2").is_none());
        assert!(signed_part("https://e.com/a?k=v", "https://e.com/a").is_none());
        assert!(append_signed("javascript:x", &[], 1, |_| String::new()).is_err());
    }

    fn out_of(base: &str) -> String {
        append_signed(base, &[("k", "v")], 1, |_| "s".into()).unwrap()
    }

    proptest! {
        #[test]
        fn signed_part_reads_back_what_append_signed_wrote(
            own in "[a-z0-9=&]{0,12}", v in "\\PC{0,20}", ts in 0i64..4_000_000_000
        ) {
            let base = format!("https://e.com/p?{own}#f");
            let mut text = String::new();
            let out = append_signed(&base, &[("as", &v)], ts, |t| { text = t.to_string(); "f00".into() }).unwrap();
            let part = signed_part(&out, &base).unwrap();
            prop_assert_eq!(part.signed, text);
            prop_assert_eq!(part.ts, ts);
            prop_assert_eq!(part.sig, "f00");
        }
    }

    #[test]
    fn decoding_refuses_malformed_escapes() {
        assert_eq!(percent_decode("a%20b%C3%A1"), Some("a bá".into()));
        assert_eq!(percent_decode("%2"), None);
        assert_eq!(percent_decode("%zz"), None);
        assert_eq!(percent_decode("%FF"), None);
    }

    proptest! {
        #[test]
        fn appended_values_decode_back_and_cannot_escape(v in "\\PC{0,40}") {
            let out = append_query("https://e.com/p?x=1#f", &[("ain", &v)]).unwrap();
            prop_assert!(out.starts_with("https://e.com/p?x=1&ain="));
            prop_assert!(out.ends_with("#f"));
            let enc = &out["https://e.com/p?x=1&ain=".len()..out.len() - 2];
            prop_assert!(!enc.contains(['&', '#', '?', '=', ' ']));
            prop_assert_eq!(percent_decode(enc), Some(v));
        }

        #[test]
        fn never_accepts_a_non_http_scheme(s in "[a-zA-Z][a-zA-Z0-9+.-]{0,10}", rest in "\\PC{0,30}") {
            let url = format!("{s}:{rest}");
            if let Ok(u) = parse_http_url(&url) {
                prop_assert!(u.scheme == "http" || u.scheme == "https");
                let lower = url.to_ascii_lowercase();
                prop_assert!(lower.starts_with("http://") || lower.starts_with("https://"));
            }
        }
    }
}
