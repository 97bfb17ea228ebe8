//! GMT timestamps as milliseconds since the Unix epoch: the lenient ISO-8601
//! parsing the reference pages need, the one canonical output form, and
//! expiry. No clock here: callers pass `now`.

/// Milliseconds since 1970-01-01T00:00:00Z.
pub type Millis = i64;

/// Days from 1970-01-01 to the civil date (Howard Hinnant's algorithm).
fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = if y >= 0 { y } else { y - 399 } / 400;
    let yoe = y - era * 400;
    let mp = (m as i64 + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d as i64 - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The civil date of a day count from 1970-01-01.
fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = if z >= 0 { z } else { z - 146_096 } / 146_097;
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
}

fn days_in_month(y: i64, m: u32) -> u32 {
    match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        _ if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 => 29,
        _ => 28,
    }
}

fn num(s: &str) -> Option<u32> {
    if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse().ok()
}

/// Parses ISO-8601 as the pages use it: `YYYY-MM-DD`, optionally
/// `THH:MM[:SS[.fraction]]`, optionally `Z` or `±HH:MM`. No zone means GMT,
/// as the reference says of `expiration_date`.
pub fn parse_iso8601(s: &str) -> Option<Millis> {
    let s = s.trim();
    let (date, rest) = match s.find(['T', 't', ' ']) {
        Some(i) => (&s[..i], Some(&s[i + 1..])),
        None => (s, None),
    };
    let mut dp = date.split('-');
    let (y, m, d) = (dp.next()?, dp.next()?, dp.next()?);
    if dp.next().is_some() || y.len() != 4 || m.len() != 2 || d.len() != 2 {
        return None;
    }
    let (y, m, d) = (num(y)? as i64, num(m)?, num(d)?);
    if !(1..=12).contains(&m) || d == 0 || d > days_in_month(y, m) {
        return None;
    }
    let mut ms = days_from_civil(y, m, d) * 86_400_000;
    let Some(rest) = rest else {
        return Some(ms);
    };
    // Split off the zone designator.
    let (clock, offset_min) = if let Some(c) = rest.strip_suffix(['Z', 'z']) {
        (c, 0i64)
    } else if let Some(i) = rest.rfind(['+', '-']) {
        let (c, z) = (&rest[..i], &rest[i..]);
        let sign = if z.starts_with('-') { -1 } else { 1 };
        let z = &z[1..];
        let (hh, mm) = match z.split_once(':') {
            Some((h, m)) => (h, m),
            None if z.len() == 4 => (&z[..2], &z[2..]),
            None => return None,
        };
        if hh.len() != 2 || mm.len() != 2 {
            return None;
        }
        let (hh, mm) = (num(hh)?, num(mm)?);
        if hh > 23 || mm > 59 {
            return None;
        }
        (c, sign * (hh as i64 * 60 + mm as i64))
    } else {
        (rest, 0)
    };
    let (hms, frac) = match clock.split_once('.') {
        Some((a, f)) => (a, Some(f)),
        None => (clock, None),
    };
    let mut hp = hms.split(':');
    let (h, mi) = (hp.next()?, hp.next()?);
    let sec = hp.next();
    if hp.next().is_some() || h.len() != 2 || mi.len() != 2 {
        return None;
    }
    let (h, mi) = (num(h)?, num(mi)?);
    let sec = match sec {
        Some(sv) if sv.len() == 2 => num(sv)?,
        Some(_) => return None,
        None if frac.is_some() => return None,
        None => 0,
    };
    if h > 23 || mi > 59 || sec > 59 {
        return None;
    }
    let frac_ms = match frac {
        Some(f) if !f.is_empty() && f.len() <= 9 && f.bytes().all(|b| b.is_ascii_digit()) => {
            let padded = format!("{f:0<3}");
            num(&padded[..3])? as i64
        }
        Some(_) => return None,
        None => 0,
    };
    ms += (h as i64 * 3600 + mi as i64 * 60 + sec as i64) * 1000 + frac_ms;
    Some(ms - offset_min * 60_000)
}

/// Formats the canonical output form, `2023-10-14T03:32:21.198Z`.
pub fn format_iso8601(ms: Millis) -> String {
    let days = ms.div_euclid(86_400_000);
    let rem = ms.rem_euclid(86_400_000);
    let (y, m, d) = civil_from_days(days);
    let (h, rem) = (rem / 3_600_000, rem % 3_600_000);
    let (mi, rem) = (rem / 60_000, rem % 60_000);
    let (s, frac) = (rem / 1000, rem % 1000);
    format!("{y:04}-{m:02}-{d:02}T{h:02}:{mi:02}:{s:02}.{frac:03}Z")
}

/// A wall-clock time: date, hour (0–23) and minute.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WallClock {
    /// Year.
    pub year: i64,
    /// Month, 1–12.
    pub month: u32,
    /// Day of the month.
    pub day: u32,
    /// Hour, 0–23.
    pub hour: u32,
    /// Minute.
    pub minute: u32,
}

/// Colombia's offset from GMT: five hours behind, all year (no daylight
/// saving since 1993), so America/Bogota needs no zone database.
const COLOMBIA_OFFSET_MS: Millis = -5 * 3_600_000;

/// The instant `ms` on a clock in Colombia (America/Bogota).
pub fn colombia_time(ms: Millis) -> WallClock {
    let local = ms + COLOMBIA_OFFSET_MS;
    let (year, month, day) = civil_from_days(local.div_euclid(86_400_000));
    let rem = local.rem_euclid(86_400_000);
    WallClock {
        year,
        month,
        day,
        hour: (rem / 3_600_000) as u32,
        minute: (rem % 3_600_000 / 60_000) as u32,
    }
}

/// A link is expired from its expiration instant on.
pub fn is_expired(expiration: Option<Millis>, now: Millis) -> bool {
    expiration.is_some_and(|e| now >= e)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn parses_both_documented_forms_as_gmt() {
        let a = parse_iso8601("2021-11-16T23:23:38").unwrap();
        let b = parse_iso8601("2021-11-16T23:23:38Z").unwrap();
        let c = parse_iso8601("2021-11-16T23:23:38.000Z").unwrap();
        assert_eq!(a, b);
        assert_eq!(b, c);
        assert_eq!(format_iso8601(a), "2021-11-16T23:23:38.000Z");
        let d = parse_iso8601("2023-10-14T03:32:21.198Z").unwrap();
        assert_eq!(format_iso8601(d), "2023-10-14T03:32:21.198Z");
    }

    #[test]
    fn honours_offsets_and_dates() {
        let z = parse_iso8601("2024-02-29T05:00:00Z").unwrap();
        assert_eq!(parse_iso8601("2024-02-29T00:00:00-05:00"), Some(z));
        assert_eq!(parse_iso8601("2024-02-29T10:30:00+0530"), Some(z));
        assert_eq!(
            parse_iso8601("2024-02-29"),
            parse_iso8601("2024-02-29T00:00:00Z")
        );
        assert_eq!(parse_iso8601("1970-01-01T00:00:00Z"), Some(0));
    }

    #[test]
    fn refuses_malformed_dates() {
        for s in [
            "",
            "yesterday",
            "2021-13-01",
            "2021-02-29",
            "2021-11-16T24:00:00",
            "2021-11-16T23:60:00",
            "21-11-16",
            "2021-11-16T23:23:38+5",
            "2021/11/16",
            "2021-11-16T23:23:38.Z",
            "2021-11-16T23:23.5Z",
            "2021-11-16T2:23:38",
        ] {
            assert_eq!(parse_iso8601(s), None, "{s:?}");
        }
    }

    #[test]
    fn colombia_is_five_hours_behind_all_year() {
        let at = |s| colombia_time(parse_iso8601(s).unwrap());
        let w = at("2026-12-06T03:30:00Z");
        assert_eq!(
            (w.year, w.month, w.day, w.hour, w.minute),
            (2026, 12, 5, 22, 30)
        );
        let w = at("2027-01-01T04:59:00Z");
        assert_eq!((w.year, w.month, w.day, w.hour), (2026, 12, 31, 23));
        let w = at("2026-07-01T17:05:00Z");
        assert_eq!((w.month, w.day, w.hour, w.minute), (7, 1, 12, 5));
    }

    #[test]
    fn expiry_is_inclusive_of_the_instant() {
        assert!(!is_expired(None, 0));
        assert!(!is_expired(Some(1000), 999));
        assert!(is_expired(Some(1000), 1000));
        assert!(is_expired(Some(1000), 5000));
    }

    proptest! {
        #[test]
        fn format_then_parse_round_trips(ms in -62_135_596_800_000i64..253_402_300_799_999i64) {
            prop_assert_eq!(parse_iso8601(&format_iso8601(ms)), Some(ms));
        }
    }
}
