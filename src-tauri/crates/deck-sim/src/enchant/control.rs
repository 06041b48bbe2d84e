//! The simulator's own control endpoint, opt-in through [`super::SimConfig::control_endpoint`]: for
//! end-to-end tests that drive the real app against a `deck-sim` process and cannot call
//! [`super::RunningSim`]'s knobs. It lives outside `/api/v1`: no token, no credits, no
//! faults, and it keeps answering while the help desk is down.

use std::sync::Arc;

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde_json::json;

use super::server::{Shared, lock};

/// `POST` here with the body `on` takes the help desk down (see
/// [`super::RunningSim::set_unavailable`]); `off` brings it back.
pub const UNAVAILABLE_PATH: &str = "/_sim/unavailable";

/// `POST` here with `COUNT SECONDS` answers the next COUNT API requests 429 with that
/// `Retry-After` (see [`super::RunningSim::inject_rate_limits`]).
pub const RATE_LIMIT_PATH: &str = "/_sim/rate-limit";

/// `POST` here with `COUNT` changes the subject of COUNT tickets (see
/// [`super::RunningSim::change_tickets`]); answers `{"changed": [ids]}`.
pub const CHANGE_TICKETS_PATH: &str = "/_sim/change-tickets";

fn bad_request(message: &str) -> Response {
    (StatusCode::BAD_REQUEST, Json(json!({ "message": message }))).into_response()
}

/// `POST /_sim/rate-limit`.
pub async fn inject_rate_limits(State(shared): State<Arc<Shared>>, body: String) -> Response {
    let numbers: Vec<u32> = body
        .split_whitespace()
        .filter_map(|n| n.parse().ok())
        .collect();
    let [count, secs] = numbers[..] else {
        return bad_request("The body must be COUNT SECONDS, e.g. `1 8`");
    };
    let mut faults = lock(&shared.faults);
    faults.rate_limits = count;
    faults.retry_after = Some(secs);
    Json(json!({ "rate_limits": count, "retry_after": secs })).into_response()
}

/// `POST /_sim/change-tickets`.
pub async fn change_tickets(State(shared): State<Arc<Shared>>, body: String) -> Response {
    let Ok(count) = body.trim().parse::<usize>() else {
        return bad_request("The body must be a number of tickets");
    };
    Json(json!({ "changed": super::change_tickets(&shared, count) })).into_response()
}

/// `POST /_sim/unavailable`: answers `{"unavailable": bool}`, or 400 for a body other than
/// `on` / `off`.
pub async fn set_unavailable(State(shared): State<Arc<Shared>>, body: String) -> Response {
    let on = match body.trim().to_ascii_lowercase().as_str() {
        "on" => true,
        "off" => false,
        _ => return bad_request("The body must be on or off"),
    };
    lock(&shared.faults).unavailable = on;
    Json(json!({ "unavailable": on })).into_response()
}
