//! The documented endpoints: which (verb, path) pairs exist, what each costs in rate-limit
//! credits, and the handlers, one module per resource.

mod attachments;
mod customers;
mod messages;
mod tickets;
mod users;

use axum::http::Method;

use super::errors::{ApiError, ApiResult};
use super::params::Params;
use super::store::SimState;

/// One documented endpoint, with its path parameters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Endpoint {
    ListTickets,
    CreateTicket,
    GetTicket(String),
    UpdateTicket(String),
    AddTicketLabels(String, Vec<String>),
    RemoveTicketLabels(String, Vec<String>),
    CreateMessage(String),
    ListUsers,
    GetUser(String),
    ListCustomers,
    CreateCustomer,
    GetCustomer(String),
    UpdateCustomer(String),
    CreateContact(String),
    DeleteContact(String, String),
    CreateAttachment,
    GetAttachment(String),
}

/// The API's base path.
pub const BASE_PATH: &str = "/api/v1";

impl Endpoint {
    /// The endpoint for a verb and a request path, `None` for anything undocumented (404).
    ///
    /// There is no `/inboxes` or `/labels`: Enchant documents no such endpoints; inboxes and
    /// labels are only reachable embedded on a ticket.
    pub fn resolve(method: &Method, path: &str) -> Option<Endpoint> {
        let rest = path.strip_prefix(BASE_PATH)?;
        let decoded: Vec<String> = rest
            .trim_end_matches('/')
            .split('/')
            .skip(1)
            .map(percent_decode)
            .collect();
        if !rest.starts_with('/') || decoded.iter().any(String::is_empty) {
            return None;
        }
        let segments: Vec<&str> = decoded.iter().map(String::as_str).collect();
        let m = method.clone();
        let own = |s: &str| s.to_string();
        let list = |s: &str| -> Vec<String> {
            s.split(',')
                .filter(|x| !x.is_empty())
                .map(str::to_string)
                .collect()
        };
        let endpoint = match (segments.as_slice(), m) {
            (["tickets"], Method::GET) => Endpoint::ListTickets,
            (["tickets"], Method::POST) => Endpoint::CreateTicket,
            (["tickets", id], Method::GET) => Endpoint::GetTicket(own(id)),
            (["tickets", id], Method::PATCH) => Endpoint::UpdateTicket(own(id)),
            (["tickets", id, "labels", ids], Method::PUT) => {
                Endpoint::AddTicketLabels(own(id), list(ids))
            }
            (["tickets", id, "labels", ids], Method::DELETE) => {
                Endpoint::RemoveTicketLabels(own(id), list(ids))
            }
            (["tickets", id, "messages"], Method::POST) => Endpoint::CreateMessage(own(id)),
            (["users"], Method::GET) => Endpoint::ListUsers,
            // Not listed as an endpoint, but the doc's enveloping sample requests
            // GET /users/{id}, so single users can be fetched.
            (["users", id], Method::GET) => Endpoint::GetUser(own(id)),
            (["customers"], Method::GET) => Endpoint::ListCustomers,
            (["customers"], Method::POST) => Endpoint::CreateCustomer,
            (["customers", id], Method::GET) => Endpoint::GetCustomer(own(id)),
            (["customers", id], Method::PATCH) => Endpoint::UpdateCustomer(own(id)),
            (["customers", id, "contacts"], Method::POST) => Endpoint::CreateContact(own(id)),
            (["customers", id, "contacts", cid], Method::DELETE) => {
                Endpoint::DeleteContact(own(id), own(cid))
            }
            (["attachments"], Method::POST) => Endpoint::CreateAttachment,
            (["attachments", id], Method::GET) => Endpoint::GetAttachment(own(id)),
            _ => return None,
        };
        Some(endpoint)
    }

    /// Credits the request costs: 1, plus 1 per embedded type, plus 1 for `count=true` on a
    /// collection.
    pub fn cost(&self, params: &Params) -> u32 {
        let extra = match self {
            Endpoint::GetTicket(_) => embeds(params).len() as u32,
            Endpoint::ListTickets | Endpoint::ListUsers | Endpoint::ListCustomers => {
                u32::from(params.wants_count())
            }
            _ => 0,
        };
        1 + extra
    }

    /// Keys the endpoint adds by embedding, which `fields` filtering leaves in place.
    pub fn embedded_keys(&self, params: &Params) -> Vec<String> {
        match self {
            Endpoint::GetTicket(_) => embeds(params),
            _ => Vec::new(),
        }
    }

    /// Whether the request carries a JSON body (and so needs `Content-Type: application/json`).
    pub fn takes_body(method: &Method) -> bool {
        matches!(*method, Method::POST | Method::PUT | Method::PATCH)
    }

    /// Runs the endpoint against the state.
    pub fn handle(&self, state: &mut SimState, params: &Params, body: &[u8]) -> ApiResult {
        match self {
            Endpoint::ListTickets => tickets::list(state, params),
            Endpoint::CreateTicket => tickets::create(state, body),
            Endpoint::GetTicket(id) => tickets::get(state, id, params),
            Endpoint::UpdateTicket(id) => tickets::update(state, id, body),
            Endpoint::AddTicketLabels(id, labels) => tickets::add_labels(state, id, labels),
            Endpoint::RemoveTicketLabels(id, labels) => tickets::remove_labels(state, id, labels),
            Endpoint::CreateMessage(id) => messages::create(state, id, body),
            Endpoint::ListUsers => users::list(state, params),
            Endpoint::GetUser(id) => users::get(state, id),
            Endpoint::ListCustomers => customers::list(state, params),
            Endpoint::CreateCustomer => customers::create(state, body),
            Endpoint::GetCustomer(id) => customers::get(state, id),
            Endpoint::UpdateCustomer(id) => customers::update(state, id, body),
            Endpoint::CreateContact(id) => customers::create_contact(state, id, body),
            Endpoint::DeleteContact(id, cid) => customers::delete_contact(state, id, cid),
            Endpoint::CreateAttachment => attachments::create(state, body),
            Endpoint::GetAttachment(id) => attachments::get(state, id),
        }
    }
}

/// Decodes `%XX` escapes of a path segment (e.g. an encoded comma between label ids).
fn percent_decode(segment: &str) -> String {
    let bytes = segment.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| char::from(b).to_digit(16);
        if bytes[i] == b'%'
            && let (Some(hi), Some(lo)) = (
                bytes.get(i + 1).copied().and_then(hex),
                bytes.get(i + 2).copied().and_then(hex),
            )
        {
            out.push((hi * 16 + lo) as u8);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// The distinct names of the `embed` list.
fn embeds(params: &Params) -> Vec<String> {
    let mut names = params.list("embed").unwrap_or_default();
    let mut seen = std::collections::HashSet::new();
    names.retain(|n| seen.insert(n.clone()));
    names
}

/// Serializes a wire record (never fails for the simulator's own types).
fn to_json<T: serde::Serialize>(value: &T) -> serde_json::Value {
    serde_json::to_value(value).unwrap_or(serde_json::Value::Null)
}

fn not_found<T>() -> Result<T, ApiError> {
    Err(ApiError::not_found())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resolves_documented_paths_only() {
        let r = |m: Method, p: &str| Endpoint::resolve(&m, p);
        assert_eq!(
            r(Method::GET, "/api/v1/tickets"),
            Some(Endpoint::ListTickets)
        );
        assert_eq!(
            r(Method::GET, "/api/v1/tickets/"),
            Some(Endpoint::ListTickets)
        );
        assert_eq!(
            r(Method::PUT, "/api/v1/tickets/abc/labels/a,b"),
            Some(Endpoint::AddTicketLabels(
                "abc".into(),
                vec!["a".into(), "b".into()]
            ))
        );
        assert_eq!(
            r(Method::DELETE, "/api/v1/tickets/abc/labels/a%2Cb"),
            Some(Endpoint::RemoveTicketLabels(
                "abc".into(),
                vec!["a".into(), "b".into()]
            ))
        );
        assert_eq!(r(Method::GET, "/api/v1/labels"), None);
        assert_eq!(r(Method::GET, "/api/v1/inboxes"), None);
        assert_eq!(r(Method::DELETE, "/api/v1/tickets/abc"), None);
        assert_eq!(r(Method::GET, "/api/v1//tickets"), None);
        assert_eq!(r(Method::GET, "/api/v2/tickets"), None);
        assert_eq!(r(Method::GET, "/api/v1tickets"), None);
    }
}
