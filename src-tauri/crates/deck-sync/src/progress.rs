//! Progress of a sync, as the UI's status bar and `ticketdeck sync --json` show it.

use deck_model::ErrorCode;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// Where a sync step stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum SyncPhase {
    Started,
    Running,
    Waiting,
    Done,
    Failed,
}

/// Progress of one account's sync of one resource: emitted as the `sync-progress` event and
/// printed by `ticketdeck sync --json`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, TS)]
pub struct SyncProgress {
    #[ts(type = "number")]
    pub account_id: i64,
    pub account_name: String,
    /// The unified resource (`tickets`, `comments`, ...), or `all` for the whole run.
    pub resource: String,
    pub phase: SyncPhase,
    #[ts(type = "number")]
    pub done: u64,
    #[ts(type = "number | null")]
    pub total: Option<u64>,
    /// Set for `failed` (the error) and `waiting` (until when).
    pub message: Option<String>,
    pub error_code: Option<ErrorCode>,
    /// Seconds left at the rate the helpdesk's budget allows, where the work left is known.
    #[ts(type = "number | null")]
    pub eta_seconds: Option<u64>,
    /// The account's rate budget now: credits left in the window, and the window's limit.
    pub budget_remaining: Option<u32>,
    pub budget_limit: Option<u32>,
}
