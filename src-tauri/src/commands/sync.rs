//! The sync button and the status bar.

use crate::AppState;
use deck_core::UnifiedError;
use deck_core::views::{AccountId, Settings, SyncProgress};
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

#[tauri::command]
pub fn get_settings(state: State<'_, AppState>) -> Result<Settings, UnifiedError> {
    state.deck.settings()
}

/// Sets the background sync interval (minutes; 0 = off); the loop picks it up at once.
#[tauri::command]
pub fn set_sync_interval(
    state: State<'_, AppState>,
    minutes: u32,
) -> Result<Settings, UnifiedError> {
    let settings = state.deck.set_sync_interval(minutes)?;
    state.interval_changed.notify_one();
    Ok(settings)
}

/// Credits spent per lane over the last minutes, for the requests chart.
#[tauri::command]
pub fn request_history(
    state: State<'_, AppState>,
    account_id: AccountId,
) -> Result<deck_core::views::RequestHistory, UnifiedError> {
    state.deck.request_history(account_id)
}
