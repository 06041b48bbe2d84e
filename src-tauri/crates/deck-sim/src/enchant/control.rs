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

/// `POST /_sim/unavailable`: answers `{"unavailable": bool}`, or 400 for a body other than
/// `on` / `off`.
pub async fn set_unavailable(State(shared): State<Arc<Shared>>, body: String) -> Response {
    let on = match body.trim().to_ascii_lowercase().as_str() {
        "on" => true,
        "off" => false,
        _ => {
            let message = json!({"message": "The body must be on or off"});
            return (StatusCode::BAD_REQUEST, Json(message)).into_response();
        }
    };
    lock(&shared.faults).unavailable = on;
    Json(json!({ "unavailable": on })).into_response()
}
