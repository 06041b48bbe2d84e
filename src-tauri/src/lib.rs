//! The desktop app: builds the Tauri window, holds the application state and forwards
//! application events to the webview. Commands are thin adapters over `deck-core`.

mod background;
mod commands;
mod events;

use deck_core::Deck;
use std::sync::Arc;
use tauri::Manager;

/// What every command can reach.
pub struct AppState {
    pub deck: Arc<Deck>,
    /// Wakes the background sync loop when its interval changes.
    pub interval_changed: Arc<tokio::sync::Notify>,
}

/// Starts the app: opens the cache, and on first launch (no accounts) the demo helpdesk;
/// then syncs in the background.
pub fn run() {
    tauri::Builder::default()
        .setup(|app| {
            let data_dir = deck_core::paths::default_data_dir();
            let events = Arc::new(events::TauriEvents::new(app.handle().clone()));
            let deck = Arc::new(Deck::open(&data_dir, events).map_err(|e| e.message)?);
            let interval_changed = Arc::new(tokio::sync::Notify::new());
            app.manage(AppState {
                deck: deck.clone(),
                interval_changed: interval_changed.clone(),
            });
            let sender = deck.clone();
            tauri::async_runtime::spawn(async move { sender.run_outbox().await });
            tauri::async_runtime::spawn(background::run(deck, interval_changed));
            Ok(())
        })
        .invoke_handler(tauri::generate_handler![
            commands::accounts::list_accounts,
            commands::accounts::add_account,
            commands::accounts::remove_account,
            commands::accounts::test_account,
            commands::accounts::open_demo,
            commands::tickets::list_tickets,
            commands::tickets::get_ticket,
            commands::tickets::refresh_ticket,
            commands::tickets::ticket_facets,
            commands::sync::sync_now,
            commands::sync::sync_state,
            commands::sync::get_settings,
            commands::sync::set_sync_interval,
            commands::writes::update_ticket,
            commands::writes::add_tags,
            commands::writes::remove_tags,
            commands::writes::create_comment,
            commands::writes::create_ticket,
            commands::writes::stage_attachment,
            commands::contacts::list_contacts,
            commands::contacts::get_contact,
            commands::contacts::create_contact,
            commands::contacts::update_contact,
            commands::outbox::list_outbox,
            commands::outbox::retry_outbox,
            commands::outbox::discard_outbox,
            commands::outbox::resolve_conflict,
            commands::outbox::set_attachment_limit,
            commands::outbox::get_reply_as,
            commands::outbox::set_reply_as,
            commands::sync::request_history,
            commands::outbox::edit_outbox,
            commands::writes::open_attachment,
            commands::writes::save_attachment,
            commands::writes::unstage_attachment,
        ])
        .run(tauri::generate_context!())
        .expect("the Ticketdeck window could not start");
}
