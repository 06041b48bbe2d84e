//! Forwards application events to the webview as Tauri events.

use deck_core::Events;
use deck_core::views::{ChangeEvent, ConnectivityEvent, SyncProgress};
use tauri::{AppHandle, Emitter};

pub struct TauriEvents {
    app: AppHandle,
}

impl TauriEvents {
    pub fn new(app: AppHandle) -> Self {
        TauriEvents { app }
    }
}

impl Events for TauriEvents {
    fn sync_progress(&self, p: &SyncProgress) {
        let _ = self.app.emit("sync-progress", p);
    }

    fn cache_changed(&self, c: &ChangeEvent) {
        let _ = self.app.emit("cache-changed", c);
    }

    fn connectivity(&self, e: &ConnectivityEvent) {
        let _ = self.app.emit("connectivity", e);
    }
}
