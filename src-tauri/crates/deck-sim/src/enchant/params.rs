//! Query parameters and JSON bodies, parsed the way the doc describes them; anything
//! unparsable is a 400 ("Could not parse request").

use axum::extract::Query;
use axum::http::Uri;
use serde_json::{Map, Value};

use super::errors::{ApiError, Validation};
use super::timestamps::normalize_query;

/// Default and maximum of `per_page`.
pub const DEFAULT_PER_PAGE: usize = 10;
pub const MAX_PER_PAGE: usize = 100;
/// Results reachable through `page`; beyond this clients must iterate with `since_created_at`.
pub const PAGE_DEPTH_LIMIT: usize = 10_000;

/// The decoded query string. A repeated parameter takes its last value.
#[derive(Debug, Default, Clone)]
pub struct Params {
    pairs: Vec<(String, String)>,
}

/// The window of results a paginated request asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PageWindow {
    pub offset: usize,
    pub per_page: usize,
}

impl Params {
    pub fn from_uri(uri: &Uri) -> Result<Self, ApiError> {
        let Query(pairs) = Query::<Vec<(String, String)>>::try_from_uri(uri)
            .map_err(|_| ApiError::bad_request("Could not parse query string"))?;
        Ok(Self { pairs })
    }

    /// The raw value, `None` when absent or empty.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.pairs
            .iter()
            .rev()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
            .filter(|v| !v.is_empty())
    }

    /// A comma separated list; `None` when absent or empty.
    pub fn list(&self, name: &str) -> Option<Vec<String>> {
        let items: Vec<String> = self
            .get(name)?
            .split(',')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_string)
            .collect();
        (!items.is_empty()).then_some(items)
    }

    /// `true` / `false`; anything else is a 400.
    pub fn flag(&self, name: &str) -> Result<Option<bool>, ApiError> {
        match self.get(name) {
            None => Ok(None),
            Some("true") => Ok(Some(true)),
            Some("false") => Ok(Some(false)),
            Some(_) => Err(ApiError::bad_request(format!(
                "Invalid value for {name}: expected true or false"
            ))),
        }
    }

    /// Whether `count=true` was asked (lenient: used to price the request before parsing).
    pub fn wants_count(&self) -> bool {
        self.get("count") == Some("true")
    }

    /// A UTC ISO8601 timestamp, normalized to the stored shape.
    pub fn timestamp(&self, name: &str) -> Result<Option<String>, ApiError> {
        match self.get(name) {
            None => Ok(None),
            Some(raw) => normalize_query(raw).map(Some).ok_or_else(|| {
                ApiError::bad_request(format!(
                    "Invalid value for {name}: expected a UTC ISO8601 timestamp such as 2023-08-02T13:41:10Z"
                ))
            }),
        }
    }

    fn integer(&self, name: &str) -> Result<Option<usize>, ApiError> {
        match self.get(name) {
            None => Ok(None),
            Some(raw) => raw.trim().parse::<usize>().map(Some).map_err(|_| {
                ApiError::bad_request(format!("Invalid value for {name}: expected an integer"))
            }),
        }
    }

    /// `page` (from 1) and `per_page` (0..=100, default 10), refusing pages that reach past
    /// the first 10,000 results.
    pub fn page_window(&self) -> Result<PageWindow, ApiError> {
        let page = self.integer("page")?.unwrap_or(1);
        if page == 0 {
            return Err(ApiError::bad_request(
                "Invalid value for page: pages start at 1",
            ));
        }
        let per_page = self.integer("per_page")?.unwrap_or(DEFAULT_PER_PAGE);
        if per_page > MAX_PER_PAGE {
            return Err(ApiError::bad_request(
                "Invalid value for per_page: must be between 0 and 100",
            ));
        }
        let offset = (page - 1).saturating_mul(per_page);
        // The doc only says "when retrieving more than 10000 total results, iterate using
        // since_created_at instead of page" without stating the response; the tolerant
        // reading enforced here: a page reaching past the first 10,000 results is a 400.
        if offset.saturating_add(per_page) > PAGE_DEPTH_LIMIT {
            return Err(ApiError::bad_request(
                "Pagination is limited to the first 10000 results: iterate using since_created_at instead of page",
            ));
        }
        Ok(PageWindow { offset, per_page })
    }

    /// The `fields` list, if any.
    pub fn fields(&self) -> Option<Vec<String>> {
        self.list("fields")
    }
}

/// Whether a `Content-Type` value is JSON (parameters such as charset allowed).
pub fn is_json_content_type(value: Option<&str>) -> bool {
    value.is_some_and(|v| {
        v.split(';')
            .next()
            .is_some_and(|m| m.trim().eq_ignore_ascii_case("application/json"))
    })
}

/// The JSON object of a write request; an empty body counts as `{}`.
pub fn json_object(body: &[u8]) -> Result<Map<String, Value>, ApiError> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return Ok(Map::new());
    }
    match serde_json::from_slice::<Value>(body) {
        Ok(Value::Object(map)) => Ok(map),
        Ok(_) => Err(ApiError::bad_request("Body should be a JSON object")),
        Err(_) => Err(ApiError::bad_request("Problems parsing JSON")),
    }
}

/// Typed reads of body fields that record a validation failure on a wrong type.
pub trait BodyFields {
    /// `Some(Some(s))` for a string, `Some(None)` for an explicit null, `None` when absent.
    fn nullable_string(&self, key: &str, v: &mut Validation) -> Option<Option<String>>;
    /// A string value; null or absent are `None`.
    fn string(&self, key: &str, v: &mut Validation) -> Option<String>;
    /// A required non-empty string.
    fn required_string(&self, key: &str, v: &mut Validation) -> Option<String>;
    fn boolean(&self, key: &str, v: &mut Validation) -> Option<bool>;
    fn string_array(&self, key: &str, v: &mut Validation) -> Option<Vec<String>>;
}

impl BodyFields for Map<String, Value> {
    fn nullable_string(&self, key: &str, v: &mut Validation) -> Option<Option<String>> {
        match self.get(key)? {
            Value::Null => Some(None),
            Value::String(s) => Some(Some(s.clone())),
            _ => {
                v.fail(format!("{key} is not valid"));
                None
            }
        }
    }

    fn string(&self, key: &str, v: &mut Validation) -> Option<String> {
        self.nullable_string(key, v).flatten()
    }

    fn required_string(&self, key: &str, v: &mut Validation) -> Option<String> {
        match self.get(key) {
            Some(Value::String(s)) if !s.trim().is_empty() => Some(s.clone()),
            None | Some(Value::Null | Value::String(_)) => {
                v.fail(format!("{key} is required"));
                None
            }
            Some(_) => {
                v.fail(format!("{key} is not valid"));
                None
            }
        }
    }

    fn boolean(&self, key: &str, v: &mut Validation) -> Option<bool> {
        match self.get(key)? {
            Value::Bool(b) => Some(*b),
            _ => {
                v.fail(format!("{key} is not valid"));
                None
            }
        }
    }

    fn string_array(&self, key: &str, v: &mut Validation) -> Option<Vec<String>> {
        match self.get(key)? {
            Value::Array(items) if items.iter().all(Value::is_string) => Some(
                items
                    .iter()
                    .filter_map(|i| i.as_str().map(str::to_string))
                    .collect(),
            ),
            _ => {
                v.fail(format!("{key} is not valid"));
                None
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn params(q: &str) -> Params {
        Params::from_uri(&format!("/x?{q}").parse().unwrap()).unwrap()
    }

    #[test]
    fn page_window_bounds() {
        assert_eq!(
            params("").page_window().unwrap(),
            PageWindow {
                offset: 0,
                per_page: 10
            }
        );
        assert_eq!(
            params("page=3&per_page=15").page_window().unwrap(),
            PageWindow {
                offset: 30,
                per_page: 15
            }
        );
        assert!(params("per_page=0").page_window().is_ok());
        assert!(params("per_page=100&page=100").page_window().is_ok());
        assert!(params("per_page=100&page=101").page_window().is_err());
        assert!(params("per_page=101").page_window().is_err());
        assert!(params("per_page=-1").page_window().is_err());
        assert!(params("page=0").page_window().is_err());
        assert!(params("page=abc").page_window().is_err());
    }

    #[test]
    fn lists_and_flags() {
        let p = params("state=open,%20closed,&spam=true&trash=maybe&user_id=");
        assert_eq!(p.list("state").unwrap(), vec!["open", "closed"]);
        assert_eq!(p.flag("spam").unwrap(), Some(true));
        assert!(p.flag("trash").is_err());
        assert_eq!(p.list("user_id"), None);
    }

    #[test]
    fn json_content_types() {
        assert!(is_json_content_type(Some("application/json")));
        assert!(is_json_content_type(Some(
            "Application/JSON; charset=utf-8"
        )));
        assert!(!is_json_content_type(Some("text/plain")));
        assert!(!is_json_content_type(None));
    }
}
