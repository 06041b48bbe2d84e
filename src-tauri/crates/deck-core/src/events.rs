//! Where the application reports what happens: the desktop app forwards these as Tauri events,
//! the CLI prints progress.

use crate::views::{ChangeEvent, ConnectivityEvent, SyncProgress};

/// A sink for application events. Methods must return quickly.
pub trait Events: Send + Sync {
    fn sync_progress(&self, _progress: &SyncProgress) {}
    fn cache_changed(&self, _change: &ChangeEvent) {}
    fn connectivity(&self, _event: &ConnectivityEvent) {}
}

/// Ignores every event.
pub struct NoEvents;

impl Events for NoEvents {}
