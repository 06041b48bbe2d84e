//! User preferences.

use crate::views::Settings;
use crate::{Deck, errors};
use deck_model::UnifiedError;

const SYNC_INTERVAL: &str = "sync_interval_minutes";
/// Background sync every 5 minutes unless the user says otherwise.
const DEFAULT_SYNC_INTERVAL: u32 = 5;
/// At most once a day; 0 turns background sync off.
const MAX_SYNC_INTERVAL: u32 = 24 * 60;

impl Deck {
    pub fn settings(&self) -> Result<Settings, UnifiedError> {
        let interval = self
            .store
            .setting(SYNC_INTERVAL)
            .map_err(errors::store)?
            .and_then(|v| v.parse().ok())
            .unwrap_or(DEFAULT_SYNC_INTERVAL);
        Ok(Settings {
            sync_interval_minutes: interval,
        })
    }

    /// Sets how often the app syncs in the background (minutes; 0 = never).
    pub fn set_sync_interval(&self, minutes: u32) -> Result<Settings, UnifiedError> {
        if minutes > MAX_SYNC_INTERVAL {
            return Err(errors::validation(
                "sync_interval_minutes",
                format!("at most {MAX_SYNC_INTERVAL} minutes (once a day); 0 turns it off"),
            ));
        }
        self.store
            .set_setting(SYNC_INTERVAL, &minutes.to_string())
            .map_err(errors::store)?;
        self.settings()
    }
}
