//! The outbox view: writes waiting, failed or in conflict, and what the user does about them.

use crate::AppState;
use deck_core::UnifiedError;
use deck_core::views::{AccountId, ConflictChoice, OutboxItem, Settings};
use tauri::State;

#[tauri::command]
pub fn list_outbox(
    state: State<'_, AppState>,
    account_id: Option<AccountId>,
) -> Result<Vec<OutboxItem>, UnifiedError> {
    state.deck.list_outbox(account_id, false)
}

#[tauri::command]
pub fn retry_outbox(state: State<'_, AppState>, id: i64) -> Result<OutboxItem, UnifiedError> {
    state.deck.retry_outbox(id)
}

/// Sends a failed or conflicting write again with the user's edits.
#[tauri::command]
pub fn edit_outbox(
    state: State<'_, AppState>,
    id: i64,
    write: deck_model::Write,
) -> Result<OutboxItem, UnifiedError> {
    state.deck.edit_outbox(id, write)
}

#[tauri::command]
pub fn discard_outbox(state: State<'_, AppState>, id: i64) -> Result<(), UnifiedError> {
    state.deck.discard_outbox(id)
}

#[tauri::command]
pub fn resolve_conflict(
    state: State<'_, AppState>,
    id: i64,
    choices: Vec<ConflictChoice>,
) -> Result<Option<OutboxItem>, UnifiedError> {
    state.deck.resolve_conflict(id, &choices)
}

#[tauri::command]
pub fn set_attachment_limit(state: State<'_, AppState>, mb: u32) -> Result<Settings, UnifiedError> {
    state.deck.set_attachment_limit(mb)
}

/// The agent notes and replies are written as on an account.
#[tauri::command]
pub fn get_reply_as(
    state: State<'_, AppState>,
    account_id: AccountId,
) -> Result<Option<String>, UnifiedError> {
    state.deck.reply_as(account_id)
}

#[tauri::command]
pub fn set_reply_as(
    state: State<'_, AppState>,
    account_id: AccountId,
    user_id: String,
) -> Result<(), UnifiedError> {
    state.deck.set_reply_as(account_id, &user_id)
}
