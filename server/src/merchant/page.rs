//! A list endpoint's answer: one page of objects under the list's
//! documented key, and its `page_info`.

use crate::error::{ApiError, ApiResult};
use crate::merchant::answer::ok;
use crate::merchant::objects::PageInfo;
use crate::store::links::ListPage;
use axum::response::Response;
use serde::Serialize;
use serde_json::{Map, Value};

/// One page of a list, read: its objects and where it stands.
#[derive(Debug, Clone)]
pub struct Page<T> {
    /// The page's objects, newest first.
    pub items: Vec<T>,
    /// Its `page_info`.
    pub info: PageInfo,
}

impl<T> Page<T> {
    /// The page `p` (of `page_size` asked for), each uuid read by `read`.
    pub fn read<E>(
        p: ListPage,
        page_size: usize,
        read: impl FnMut(&String) -> Result<T, E>,
    ) -> Result<Self, E> {
        let items = p.uuids.iter().map(read).collect::<Result<Vec<T>, E>>()?;
        Ok(Page {
            items,
            info: PageInfo {
                has_next_page: p.has_next,
                page_size,
                next_starting_after: p.next_starting_after,
            },
        })
    }
}

/// A 200 answer `{ key: [objects], "page_info": … }`.
pub fn answer<T: Serialize>(key: &str, page: &Page<T>) -> ApiResult<Response> {
    let mut m = Map::new();
    let items = serde_json::to_value(&page.items).map_err(ApiError::internal)?;
    m.insert(key.to_string(), items);
    let info = serde_json::to_value(&page.info).map_err(ApiError::internal)?;
    m.insert("page_info".to_string(), info);
    ok(&Value::Object(m))
}
