//! What runs while the app is open: on first launch the demo helpdesk, then a sync of every
//! account at start and again every interval the user set (0 = never).

use deck_core::Deck;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::Notify;

pub async fn run(deck: Arc<Deck>, interval_changed: Arc<Notify>) {
    let first_launch = deck.list_accounts().map(|a| a.is_empty()).unwrap_or(false);
    let has_demo = deck.has_demo_account().unwrap_or(false);
    if (first_launch || has_demo)
        && let Err(e) = deck.open_demo().await
    {
        eprintln!("ticketdeck: {e}");
    }
    loop {
        // An account already syncing (the user pressed Sync) answers `conflict`: nothing to do.
        let _ = deck.sync(None).await;
        loop {
            let minutes = deck
                .settings()
                .map(|s| s.sync_interval_minutes)
                .unwrap_or(5);
            let wait = if minutes == 0 {
                Duration::MAX
            } else {
                Duration::from_secs(u64::from(minutes) * 60)
            };
            tokio::select! {
                _ = tokio::time::sleep(wait.min(Duration::from_secs(86_400 * 365))) => break,
                _ = interval_changed.notified() => continue,
            }
        }
    }
}
