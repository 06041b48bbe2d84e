//! The desktop app: builds the Tauri window, holds the application state and forwards
//! application events to the webview. Commands are thin adapters over `deck-core`.

mod commands;
mod events;

use deck_core::Deck;
use std::sync::Arc;
use tauri::Manager;

/// What every command can reach.
pub struct AppState {
    pub deck: Arc<Deck>,
}

/// Starts the app: opens the cache, and on first launch (no accounts) the demo helpdesk;
/// then syncs in the background.
pub fn run() {
    tauri::Builder::default()
        .setup(|app| {
            let data_dir = deck_core::paths::default_data_dir();
            let events = Arc::new(events::TauriEvents::new(app.handle().clone()));
            let deck = Arc::new(Deck::open(&data_dir, events).map_err(|e| e.message)?);
            app.manage(AppState { deck: deck.clone() });
            tauri::async_runtime::spawn(async move {
                let first_launch = deck.list_accounts().map(|a| a.is_empty()).unwrap_or(false);
                let has_demo = deck.has_demo_account().unwrap_or(false);
                if (first_launch || has_demo)
                    && let Err(e) = deck.open_demo().await
                {
                    eprintln!("ticketdeck: {e}");
                }
                if let Err(e) = deck.sync(None).await {
                    eprintln!("ticketdeck: {e}");
                }
            });
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
            commands::tickets::ticket_facets,
            commands::sync::sync_now,
            commands::sync::sync_state,
        ])
        .run(tauri::generate_context!())
        .expect("the Ticketdeck window could not start");
}
