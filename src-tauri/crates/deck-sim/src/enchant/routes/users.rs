//! `/users`: the agents. The list is not paginated.

use serde_json::Value;

use super::super::errors::{ApiResult, Reply};
use super::super::params::Params;
use super::super::store::SimState;
use super::{not_found, to_json};

/// `GET /users`: every user (the doc documents no pagination here), with `count`.
pub fn list(state: &mut SimState, params: &Params) -> ApiResult {
    let want_count = params.flag("count")?.unwrap_or(false);
    let users: Vec<Value> = state.data.users.iter().map(to_json).collect();
    let total = users.len() as u64;
    Ok(Reply::ok(Value::Array(users)).with_total(want_count.then_some(total)))
}

/// `GET /users/{id}`.
pub fn get(state: &mut SimState, id: &str) -> ApiResult {
    match state.user(id) {
        Some(u) => Ok(Reply::ok(to_json(u))),
        None => not_found(),
    }
}
