//! The contacts screen.

use crate::AppState;
use deck_core::UnifiedError;
use deck_core::views::{AccountId, ContactDetail, ContactPage, OutboxItem};
use deck_model::ContactInput;
use tauri::State;

#[tauri::command]
pub fn list_contacts(
    state: State<'_, AppState>,
    account_id: AccountId,
    search: Option<String>,
    offset: u32,
    limit: u32,
) -> Result<ContactPage, UnifiedError> {
    state
        .deck
        .list_contacts(account_id, search.as_deref(), offset, limit)
}

#[tauri::command]
pub fn get_contact(
    state: State<'_, AppState>,
    account_id: AccountId,
    contact_id: String,
) -> Result<ContactDetail, UnifiedError> {
    state.deck.get_contact(account_id, &contact_id)
}

#[tauri::command]
pub fn create_contact(
    state: State<'_, AppState>,
    account_id: AccountId,
    contact: ContactInput,
) -> Result<OutboxItem, UnifiedError> {
    state.deck.create_contact(account_id, contact)
}

#[tauri::command]
pub fn update_contact(
    state: State<'_, AppState>,
    account_id: AccountId,
    contact_id: String,
    contact: ContactInput,
) -> Result<Vec<OutboxItem>, UnifiedError> {
    state.deck.update_contact(account_id, &contact_id, contact)
}
