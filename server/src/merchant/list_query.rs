//! The list endpoints' query string, validated into a storage filter.

use crate::error::{ApiError, ApiResult};
use crate::store::links::ListFilter;
use druo_core::status::DeliveryStatus;
use druo_core::time::parse_iso8601;

/// Page size when none is asked for.
const DEFAULT_PAGE_SIZE: usize = 25;

/// Reads the list filters; each bad one is a 400 naming it. Unknown
/// parameters are ignored, like unknown body fields.
pub fn parse(raw: Option<String>) -> ApiResult<ListFilter> {
    let mut f = ListFilter {
        page_size: DEFAULT_PAGE_SIZE,
        ..Default::default()
    };
    for (k, v) in form_urlencoded::parse(raw.unwrap_or_default().as_bytes()) {
        let v = v.trim().to_string();
        if !v.is_empty() {
            apply(&mut f, &k, v)?;
        }
    }
    Ok(f)
}

fn apply(f: &mut ListFilter, key: &str, v: String) -> ApiResult<()> {
    match key {
        "delivery_status" => f.delivery_status = Some(delivery_status(&v)?),
        "code" => f.code = Some(v),
        "uuid" => f.uuid = Some(v),
        "primary_reference" => f.primary_reference = Some(v),
        "secondary_reference" => f.secondary_reference = Some(v),
        "date_from" => f.date_from = Some(date("date_from", &v, false)?),
        "date_to" => f.date_to = Some(date("date_to", &v, true)?),
        "end_user_uuid" => f.end_user_uuid = Some(v),
        "end_user_code" => f.end_user_code = Some(v),
        "end_user_email" => f.end_user_email = Some(v),
        "end_user_local_id" => f.end_user_local_id = Some(v),
        "starting_after" => f.starting_after = Some(v),
        "page_size" => f.page_size = page_size(&v)?,
        _ => {}
    }
    Ok(())
}

/// A status in any case.
fn delivery_status(v: &str) -> ApiResult<DeliveryStatus> {
    DeliveryStatus::parse(&v.to_ascii_uppercase()).ok_or_else(|| {
        let all: Vec<&str> = DeliveryStatus::ALL.iter().map(|s| s.as_str()).collect();
        ApiError::field(
            "delivery_status",
            "INVALID_VALUE",
            format!("`delivery_status` must be one of {}", all.join(", ")),
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
