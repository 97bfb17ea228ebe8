//! The list endpoints' query string, validated into a storage filter: the
//! connect and checkout lists' here, and the pieces (the shared filters,
//! the end user's, the page) the other lists build theirs from.

use crate::error::{ApiError, ApiResult};
use crate::store::links::ListFilter;
use druo_core::status::DeliveryStatus;
use druo_core::time::parse_iso8601;

/// Page size when none is asked for.
const DEFAULT_PAGE_SIZE: usize = 25;

/// Reads the connect and checkout lists' filters; each bad one is a 400
/// naming it. Unknown parameters are ignored, like unknown body fields.
pub fn parse(raw: Option<String>) -> ApiResult<ListFilter> {
    let mut f = new_filter();
    each(raw, |key, v| {
        if key == "delivery_status" {
            f.delivery_status = Some(one_of(key, v, DeliveryStatus::ALL)?);
        } else if !shared(&mut f, key, v)? {
            end_user(&mut f, key, v)?;
        }
        Ok(())
    })?;
    Ok(f)
}

/// An empty filter with the default page size: where every list's query
/// starts.
pub fn new_filter() -> ListFilter {
    ListFilter {
        page_size: DEFAULT_PAGE_SIZE,
        ..Default::default()
    }
}

/// Hands each non-blank parameter of a list's query string, trimmed, to
/// `apply`, which ignores the keys it does not know.
pub fn each(
    raw: Option<String>,
    mut apply: impl FnMut(&str, &str) -> ApiResult<()>,
) -> ApiResult<()> {
    for (k, v) in form_urlencoded::parse(raw.unwrap_or_default().as_bytes()) {
        let v = v.trim();
        if !v.is_empty() {
            apply(&k, v)?;
        }
    }
    Ok(())
}

/// Applies one of the filters every list takes of its own rows (`code`,
/// `uuid`, the references, `date_from`, `date_to`) or the page
/// (`page_size`, `starting_after`); false when `key` is none of them.
pub fn shared(f: &mut ListFilter, key: &str, v: &str) -> ApiResult<bool> {
    let text = Some(v.to_string());
    match key {
        "code" => f.code = text,
        "uuid" => f.uuid = text,
        "primary_reference" => f.primary_reference = text,
        "secondary_reference" => f.secondary_reference = text,
        "date_from" => f.date_from = Some(date(key, v, false)?),
        "date_to" => f.date_to = Some(date(key, v, true)?),
        "starting_after" => f.starting_after = text,
        "page_size" => f.page_size = page_size(v)?,
        _ => return Ok(false),
    }
    Ok(true)
}

/// Applies one of the filters on a row's end user (`end_user_uuid`,
/// `end_user_code`, `end_user_email`, `end_user_local_id`); false when
/// `key` is none of them.
pub fn end_user(f: &mut ListFilter, key: &str, v: &str) -> ApiResult<bool> {
    let text = Some(v.to_string());
    match key {
        "end_user_uuid" => f.end_user_uuid = text,
        "end_user_code" => f.end_user_code = text,
        "end_user_email" => f.end_user_email = text,
        "end_user_local_id" => f.end_user_local_id = text,
        _ => return Ok(false),
    }
    Ok(true)
}

/// The value of `all` spelled `v` in any case; otherwise a 400 naming
/// `field` and listing the values.
pub fn one_of<T: Copy + std::fmt::Display>(field: &str, v: &str, all: &[T]) -> ApiResult<T> {
    let up = v.to_ascii_uppercase();
    all.iter()
        .copied()
        .find(|s| s.to_string() == up)
        .ok_or_else(|| {
            let names: Vec<String> = all.iter().map(T::to_string).collect();
            ApiError::field(
                field,
                "INVALID_VALUE",
                format!("`{field}` must be one of {}", names.join(", ")),
            )
        })
}

/// A date or date-time; a bare date in `date_to` includes that whole day.
fn date(field: &str, v: &str, end_of_day: bool) -> ApiResult<i64> {
    let ms = parse_iso8601(v).ok_or_else(|| {
        ApiError::field(
            field,
            "INVALID_DATE",
            format!("`{field}` must be an ISO-8601 date or date-time"),
        )
    })?;
    Ok(if end_of_day && v.len() == 10 {
        ms + 86_399_999
    } else {
        ms
    })
}

fn page_size(v: &str) -> ApiResult<usize> {
    v.parse()
        .ok()
        .filter(|n| (1..=100).contains(n))
        .ok_or_else(|| {
            ApiError::field(
                "page_size",
                "INVALID_PAGE_SIZE",
                "`page_size` must be a whole number from 1 to 100",
            )
        })
}
