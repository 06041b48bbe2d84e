//! The tickets list and the ticket view, read from the cache.

use crate::AppState;
use deck_core::UnifiedError;
use deck_core::views::{AccountId, Facets, TicketDetail, TicketPage, TicketQuery};
use tauri::State;

#[tauri::command]
pub fn list_tickets(
    state: State<'_, AppState>,
    query: TicketQuery,
) -> Result<TicketPage, UnifiedError> {
    state.deck.list_tickets(&query)
}

#[tauri::command]
pub fn get_ticket(
    state: State<'_, AppState>,
    account_id: AccountId,
    ticket_id: String,
) -> Result<TicketDetail, UnifiedError> {
    state.deck.get_ticket(account_id, &ticket_id)
}

#[tauri::command]
pub fn ticket_facets(
    state: State<'_, AppState>,
    account_id: Option<AccountId>,
) -> Result<Facets, UnifiedError> {
    state.deck.ticket_facets(account_id)
}

/// Fetches the ticket's thread from the helpdesk now, then returns it from the cache.
#[tauri::command]
pub async fn refresh_ticket(
    state: State<'_, AppState>,
    account_id: AccountId,
    ticket_id: String,
) -> Result<TicketDetail, UnifiedError> {
    state.deck.refresh_ticket(account_id, &ticket_id).await
}
