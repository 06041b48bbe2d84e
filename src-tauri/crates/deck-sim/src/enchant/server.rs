//! The request pipeline around every endpoint: verb override, authentication, rate limits,
//! content type, field filtering, `Rate-Limit-*` / `Total-Count` / `Location` headers and
//! enveloping.

use std::future::poll_fn;
use std::pin::Pin;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::Instant;

use axum::Router;
use axum::body::{Body, Bytes, HttpBody};
use axum::extract::{ConnectInfo, Request, State};
use axum::http::header::{CONTENT_TYPE, LOCATION};
use axum::http::{HeaderMap, HeaderName, HeaderValue, Method, StatusCode, Uri};
use axum::response::Response;
use axum::routing::post;
use serde_json::{Map, Value, json};

use super::auth::is_authorized;
use super::conn::Conn;
use super::control;
use super::credit_log::CreditLog;
use super::errors::{ApiError, Reply};
use super::faults::{DropMode, Faults};
use super::params::{Params, is_json_content_type};
use super::rate_limit::RateLimiter;
use super::routes::Endpoint;
use super::store::SimState;

const METHOD_OVERRIDE: &str = "x-http-method-override";

/// Counters the tests and benchmarks read.
#[derive(Debug, Default)]
pub struct Counters {
    pub requests: AtomicU64,
    pub credits: AtomicU64,
    pub rate_limited: AtomicU64,
}

/// Everything the handler shares between requests.
#[derive(Debug)]
pub struct Shared {
    pub state: Mutex<SimState>,
    pub limiter: Mutex<RateLimiter>,
    pub token: String,
    pub counters: Counters,
    pub faults: Mutex<Faults>,
    pub credit_log: Mutex<CreditLog>,
}

/// Locks a mutex, carrying on after a panic elsewhere (the state stays usable for a sim).
pub fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

/// The largest request body accepted: a 20 MB file base64-encoded (about 27 MB of JSON)
/// fits, with room to spare. Larger bodies answer 413 `{"message": ...}`.
pub const MAX_BODY_BYTES: usize = 40 << 20;

/// The axum app: one fallback handler, so that every path (documented or not) goes through
/// the same pipeline and gets the same headers and JSON errors; plus, when `control` is on,
/// the simulator's own control endpoint (see [`control`]).
pub fn router(shared: Arc<Shared>, control: bool) -> Router {
    let router = if control {
        Router::new()
            .route(control::UNAVAILABLE_PATH, post(control::set_unavailable))
            .route(control::RATE_LIMIT_PATH, post(control::inject_rate_limits))
            .route(control::CHANGE_TICKETS_PATH, post(control::change_tickets))
    } else {
        Router::new()
    };
    router.fallback(handle).with_state(shared)
}

async fn handle(
    State(shared): State<Arc<Shared>>,
    ConnectInfo(conn): ConnectInfo<Conn>,
    request: Request,
) -> Response {
    let down = || lock(&shared.faults).unavailable;
    if down() {
        return shared.lose(&conn);
    }
    let (parts, body) = request.into_parts();
    let (delay, drop) = {
        let mut faults = lock(&shared.faults);
        (faults.delay, faults.take_drop())
    };
    if !delay.is_zero() {
        tokio::time::sleep(delay).await;
    }
    if drop == Some(DropMode::Before) || down() {
        return shared.lose(&conn);
    }
    let body = read_body(body).await;
    let write = is_write(&parts.method, &parts.headers);
    let response = shared.process(parts.method, &parts.uri, &parts.headers, body);
    let stall = if write {
        lock(&shared.faults).take_stall()
    } else {
        None
    };
    if let Some(stall) = stall {
        tokio::time::sleep(stall).await;
    }
    // A help desk going down while an answer is on its way loses that answer too.
    if drop == Some(DropMode::AfterWork) || down() {
        conn.0.kill();
    }
    response
}

/// Reads the whole request body. One over [`MAX_BODY_BYTES`] is still read to its end
/// (and thrown away), so that the client, busy sending, gets to read the 413.
async fn read_body(mut body: Body) -> Result<Bytes, ApiError> {
    let mut data = Vec::new();
    let mut too_large = false;
    while let Some(frame) = poll_fn(|cx| Pin::new(&mut body).poll_frame(cx)).await {
        let frame = frame.map_err(|_| ApiError::bad_request("Could not read the request body"))?;
        let Ok(chunk) = frame.into_data() else {
            continue;
        };
        too_large = too_large || data.len() + chunk.len() > MAX_BODY_BYTES;
        if too_large {
            data = Vec::new();
        } else {
            data.extend_from_slice(&chunk);
        }
    }
    if too_large {
        Err(ApiError::payload_too_large(MAX_BODY_BYTES))
    } else {
        Ok(Bytes::from(data))
    }
}

/// Whether the request writes: POST, PUT, PATCH or DELETE after any
/// `X-HTTP-Method-Override`.
fn is_write(method: &Method, headers: &HeaderMap) -> bool {
    let method = effective_method(method.clone(), headers).unwrap_or_else(|_| method.clone());
    matches!(
        method,
        Method::POST | Method::PUT | Method::PATCH | Method::DELETE
    )
}

impl Shared {
    /// Closes the connection without an answer (an injected drop, or the help desk down):
    /// logged, but neither served nor charged.
    fn lose(&self, conn: &Conn) -> Response {
        lock(&self.credit_log).push(0, false, None);
        conn.0.kill();
        // Never written: the connection fails before hyper can send it.
        Response::default()
    }

    fn process(
        &self,
        method: Method,
        uri: &Uri,
        headers: &HeaderMap,
        body: Result<Bytes, ApiError>,
    ) -> Response {
        self.counters.requests.fetch_add(1, Ordering::Relaxed);
        let params = match Params::from_uri(uri) {
            Ok(p) => p,
            Err(e) => return self.finish(e.into(), 0, false),
        };
        let envelope = match params.flag("envelope") {
            Ok(e) => e.unwrap_or(false),
            Err(e) => return self.finish(e.into(), 0, false),
        };
        // A body too large (or unreadable) is refused before anything else, as a front
        // server would.
        let body = match body {
            Ok(b) => b,
            Err(e) => return self.finish(e.into(), 0, envelope),
        };
        let method = match effective_method(method, headers) {
            Ok(m) => m,
            Err(e) => return self.finish(e.into(), 0, envelope),
        };
        // Unauthenticated requests are not attributed to the account: they neither spend
        // credits nor count toward the burst limit.
        if !is_authorized(headers, &self.token) {
            return self.finish(ApiError::unauthorized().into(), 0, envelope);
        }
        let endpoint = Endpoint::resolve(&method, uri.path());
        let cost = endpoint.as_ref().map_or(1, |e| e.cost(&params));
        let injected_429 = lock(&self.faults).take_rate_limit();
        if let Some(retry_after) = injected_429 {
            self.counters.rate_limited.fetch_add(1, Ordering::Relaxed);
            let mut reply = Reply::from(ApiError::too_many_requests());
            reply.retry_after = retry_after;
            return self.finish(reply, 0, envelope);
        }
        let admitted = lock(&self.limiter).admit(cost, Instant::now());
        let Ok(reservation) = admitted else {
            self.counters.rate_limited.fetch_add(1, Ordering::Relaxed);
            return self.finish(ApiError::too_many_requests().into(), 0, envelope);
        };
        let mut reply = match self.injected_fault() {
            Some(fault) => fault,
            None => self.run(endpoint.as_ref(), &method, &params, headers, &body),
        };
        // Only successful requests spend credits: the doc's own enveloped 404 sample reports
        // "Rate-Limit-Used": 0.
        let used = if reply.status.is_success() {
            self.counters
                .credits
                .fetch_add(u64::from(cost), Ordering::Relaxed);
            cost
        } else {
            lock(&self.limiter).refund(reservation);
            0
        };
        if reply.status.is_success() && matches!(endpoint, Some(Endpoint::ListTickets)) {
            self.repeat_page(&mut reply);
        }
        if reply.status.is_success()
            && let (Some(fields), Some(value)) = (params.fields(), reply.body.as_mut())
        {
            let mut keep = fields;
            // Embedded resources are kept whatever `fields` says: the doc does not combine
            // the two, and dropping what the client paid a credit for would be pointless.
            if let Some(e) = &endpoint {
                keep.extend(e.embedded_keys(&params));
            }
            filter_fields(value, &keep);
        }
        let malformed = if reply.status.is_success() && method == Method::GET {
            lock(&self.faults).take_malformed()
        } else {
            None
        };
        let mut response = self.finish(reply, used, envelope);
        if let Some(body) = malformed {
            *response.status_mut() = StatusCode::OK;
            *response.body_mut() = Body::from(body);
            response
                .headers_mut()
                .insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
        }
        response
    }

    /// While pages repeat, answers the tickets page answered the previous time (the first
    /// page asked after turning it on is the real one).
    fn repeat_page(&self, reply: &mut Reply) {
        let mut faults = lock(&self.faults);
        if !faults.repeat_pages {
            return;
        }
        match &faults.last_page {
            Some(previous) => reply.body = Some(previous.clone()),
            None => faults.last_page.clone_from(&reply.body),
        }
    }

    fn injected_fault(&self) -> Option<Reply> {
        let mut faults = lock(&self.faults);
        if faults.server_errors == 0 {
            return None;
        }
        faults.server_errors -= 1;
        let status = StatusCode::from_u16(faults.server_error_status)
            .ok()
            .filter(StatusCode::is_server_error)
            .unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        Some(Reply::server_error(status))
    }

    fn run(
        &self,
        endpoint: Option<&Endpoint>,
        method: &Method,
        params: &Params,
        headers: &HeaderMap,
        body: &[u8],
    ) -> Reply {
        // Known paths with an undocumented verb are "not found" as well: the doc lists no
        // 405 among its status codes.
        let Some(endpoint) = endpoint else {
            return ApiError::not_found().into();
        };
        let content_type = headers.get(CONTENT_TYPE).and_then(|v| v.to_str().ok());
        if Endpoint::takes_body(method) && !is_json_content_type(content_type) {
            return ApiError::unsupported_media_type().into();
        }
        let mut state = lock(&self.state);
        endpoint
            .handle(&mut state, params, body)
            .unwrap_or_else(Reply::from)
    }

    /// Adds the rate-limit and other headers, envelopes when asked, and logs the request.
    fn finish(&self, reply: Reply, used: u32, envelope: bool) -> Response {
        lock(&self.credit_log).push(used, false, Some(reply.status.as_u16()));
        let status = lock(&self.limiter).status(Instant::now());
        let lies = lock(&self.faults).header_lies;
        let mut headers = lies.apply(status.limit, status.remaining, used, status.reset_secs);
        if let Some(total) = reply.total_count {
            headers.push(("Total-Count", json!(total)));
        }
        if let Some(seconds) = reply.retry_after {
            headers.push(("Retry-After", json!(seconds)));
        }
        let (http_status, body) = if envelope {
            let mut h: Map<String, Value> = headers
                .iter()
                .map(|(name, value)| ((*name).to_string(), value.clone()))
                .collect();
            if let Some(location) = &reply.location {
                h.insert("Location".to_string(), json!(location));
            }
            let wrapped = json!({
                "status": reply.status.as_u16(),
                "headers": h,
                "response": reply.body.clone().unwrap_or(Value::Null),
            });
            (StatusCode::OK, Some(wrapped))
        } else if reply.status.is_server_error() || reply.status == StatusCode::NO_CONTENT {
            (reply.status, None)
        } else {
            (reply.status, reply.body.clone())
        };
        let mut response = Response::new(match &body {
            Some(v) => Body::from(v.to_string()),
            None => Body::empty(),
        });
        *response.status_mut() = http_status;
        let out = response.headers_mut();
        for (name, value) in headers {
            let text = match value {
                Value::String(s) => s,
                other => other.to_string(),
            };
            if let (Ok(name), Ok(value)) = (
                HeaderName::from_bytes(name.as_bytes()),
                HeaderValue::from_str(&text),
            ) {
                out.insert(name, value);
            }
        }
        if let Some(location) = reply
            .location
            .as_deref()
            .and_then(|l| HeaderValue::from_str(l).ok())
        {
            out.insert(LOCATION, location);
        }
        if body.is_some() {
            out.insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
        }
        response
    }
}

/// The verb after `X-HTTP-Method-Override`, which only a POST may carry.
fn effective_method(method: Method, headers: &HeaderMap) -> Result<Method, ApiError> {
    if method != Method::POST {
        return Ok(method);
    }
    let Some(value) = headers.get(METHOD_OVERRIDE) else {
        return Ok(method);
    };
    let verb = value
        .to_str()
        .unwrap_or_default()
        .trim()
        .to_ascii_uppercase();
    match verb.as_str() {
        "GET" => Ok(Method::GET),
        "POST" => Ok(Method::POST),
        "PUT" => Ok(Method::PUT),
        "PATCH" => Ok(Method::PATCH),
        "DELETE" => Ok(Method::DELETE),
        _ => Err(ApiError::bad_request("Invalid X-HTTP-Method-Override")),
    }
}

/// Keeps only the listed keys in the returned object, or in each object of a collection.
fn filter_fields(value: &mut Value, keep: &[String]) {
    match value {
        Value::Array(items) => items.iter_mut().for_each(|i| filter_fields_of(i, keep)),
        other => filter_fields_of(other, keep),
    }
}

fn filter_fields_of(value: &mut Value, keep: &[String]) {
    if let Value::Object(map) = value {
        map.retain(|k, _| keep.iter().any(|f| f == k));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_filter_objects_and_collections() {
        let mut v = json!([{"id": "a", "x": 1, "y": 2}, {"id": "b", "x": 3}]);
        filter_fields(&mut v, &["id".to_string(), "y".to_string()]);
        assert_eq!(v, json!([{"id": "a", "y": 2}, {"id": "b"}]));
        let mut o = json!({"id": "a", "x": 1});
        filter_fields(&mut o, &["x".to_string()]);
        assert_eq!(o, json!({"x": 1}));
    }

    #[test]
    fn override_only_on_post() {
        let mut h = HeaderMap::new();
        h.insert(METHOD_OVERRIDE, HeaderValue::from_static("delete"));
        assert_eq!(effective_method(Method::POST, &h).unwrap(), Method::DELETE);
        assert_eq!(effective_method(Method::GET, &h).unwrap(), Method::GET);
        h.insert(METHOD_OVERRIDE, HeaderValue::from_static("BREW"));
        assert!(effective_method(Method::POST, &h).is_err());
    }
}
