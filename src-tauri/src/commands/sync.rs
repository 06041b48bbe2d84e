//! The sync button and the status bar.

use crate::AppState;
use deck_core::UnifiedError;
use deck_core::views::{AccountId, SyncProgress};
use tauri::State;

/// Starts a sync in the background; progress arrives as `sync-progress` events.
#[tauri::command]
pub fn sync_now(
    state: State<'_, AppState>,
    account_id: Option<AccountId>,
) -> Result<(), UnifiedError> {
    let deck = state.deck.clone();
    tauri::async_runtime::spawn(async move { deck.sync(account_id).await });
    Ok(())
}

#[tauri::command]
pub fn sync_state(state: State<'_, AppState>) -> Vec<SyncProgress> {
    state.deck.sync_state()
}
