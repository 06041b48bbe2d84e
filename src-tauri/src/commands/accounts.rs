//! The accounts screen.

use crate::AppState;
use deck_core::UnifiedError;
use deck_core::views::{AccountId, AccountView, NewAccount};
use tauri::State;

#[tauri::command]
pub fn list_accounts(state: State<'_, AppState>) -> Result<Vec<AccountView>, UnifiedError> {
    state.deck.list_accounts()
}

/// Tests the token first; on success stores the account and starts its first sync.
#[tauri::command]
pub async fn add_account(
    state: State<'_, AppState>,
    input: NewAccount,
) -> Result<AccountView, UnifiedError> {
    let account = state.deck.add_account(input).await?;
    let deck = state.deck.clone();
    tauri::async_runtime::spawn(async move { deck.sync(Some(account.id)).await });
    Ok(account)
}

#[tauri::command]
pub async fn remove_account(
    state: State<'_, AppState>,
    account_id: AccountId,
) -> Result<(), UnifiedError> {
    state.deck.remove_account(account_id).await
}

#[tauri::command]
pub async fn test_account(
    state: State<'_, AppState>,
    account_id: AccountId,
) -> Result<(), UnifiedError> {
    state.deck.test_account(account_id).await
}

/// Starts the built-in demo helpdesk, adds its account and syncs it.
#[tauri::command]
pub async fn open_demo(state: State<'_, AppState>) -> Result<AccountView, UnifiedError> {
    let account = state.deck.open_demo().await?;
    let deck = state.deck.clone();
    tauri::async_runtime::spawn(async move { deck.sync(Some(account.id)).await });
    Ok(account)
}
