//! User preferences.

use crate::views::{AccountId, Settings};
use crate::{Deck, errors};
use deck_model::UnifiedError;

const SYNC_INTERVAL: &str = "sync_interval_minutes";
const ATTACHMENT_LIMIT: &str = "attachment_limit_mb";
/// Files up to 25 MiB unless the user says otherwise.
const DEFAULT_ATTACHMENT_LIMIT: u32 = 25;
/// A base64 body four thirds of the file must still fit in memory comfortably.
const MAX_ATTACHMENT_LIMIT: u32 = 200;
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
        let attachment_limit = self
            .store
            .setting(ATTACHMENT_LIMIT)
            .map_err(errors::store)?
            .and_then(|v| v.parse().ok())
            .unwrap_or(DEFAULT_ATTACHMENT_LIMIT);
        Ok(Settings {
            sync_interval_minutes: interval,
            attachment_limit_mb: attachment_limit,
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

impl Deck {
    /// Sets the largest file that can be attached (MiB).
    pub fn set_attachment_limit(&self, mb: u32) -> Result<Settings, UnifiedError> {
        if mb == 0 || mb > MAX_ATTACHMENT_LIMIT {
            return Err(errors::validation(
                "attachment_limit_mb",
                format!("between 1 and {MAX_ATTACHMENT_LIMIT} MiB"),
            ));
        }
        self.store
            .set_setting(ATTACHMENT_LIMIT, &mb.to_string())
            .map_err(errors::store)?;
        self.settings()
    }

    /// The agent notes and replies on an account are written as, unless a write names one.
    pub fn reply_as(&self, account_id: AccountId) -> Result<Option<String>, UnifiedError> {
        self.store
            .setting(&format!("reply_as.{account_id}"))
            .map_err(errors::store)
    }

    /// Sets the agent notes and replies on an account are written as.
    pub fn set_reply_as(&self, account_id: AccountId, user_id: &str) -> Result<(), UnifiedError> {
        let known = self
            .store
            .ids(account_id, deck_model::Resource::Users)
            .map_err(errors::store)?;
        if !known.is_empty() && !known.contains(user_id) {
            return Err(errors::validation(
                "user_id",
                format!("`{user_id}` is not an agent of this account"),
            ));
        }
        self.store
            .set_setting(&format!("reply_as.{account_id}"), user_id)
            .map_err(errors::store)
    }
}
