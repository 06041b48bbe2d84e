//! The host-agnostic application API that both the desktop app and the `ticketdeck` CLI call:
//! accounts and their secrets, the demo helpdesk, sync, and reads from the cache shaped for the
//! UI. Every error is a `UnifiedError` (`{code, message}`) whose message never holds a secret.

mod accounts;
mod attachments;
pub mod bindings;
mod contacts;
mod demo;
mod errors;
mod events;
mod outbox;
pub mod paths;
mod reads;
mod secrets;
mod settings;
mod sync;
pub mod views;

pub use attachments::{detect_type, human_size};
pub use deck_model::{ErrorCode, UnifiedError};
pub use demo::DEMO_ACCOUNT;
pub use events::{Events, NoEvents};
pub use outbox::FlushReport;
pub use sync::SyncOutcome;

use deck_store::Store;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use views::{AccountId, ChangeEvent, SyncProgress};

/// The application: the cache under a data directory, the event sink, and what runs.
pub struct Deck {
    store: Store,
    data_dir: PathBuf,
    events: Arc<dyn Events>,
    demo: tokio::sync::Mutex<Option<deck_sim::RunningSim>>,
    /// The latest progress per (account, resource), for a UI that starts mid-sync.
    progress: Mutex<HashMap<(AccountId, String), SyncProgress>>,
    /// Accounts with a sync running.
    syncing: Mutex<Vec<AccountId>>,
    /// Each account's rate-limit scheduler, shared by all its tasks.
    schedulers: Mutex<HashMap<AccountId, deck_providers::Scheduler>>,
    /// Who this process is when it holds an outbox entry (`pid:nonce`).
    instance: String,
    /// Woken when a write is stored, so the outbox sender goes at once.
    outbox_wake: tokio::sync::Notify,
    /// This cache's name in the keychain (see `secrets`).
    keychain_scope: String,
}

impl Deck {
    /// Opens the cache in `data_dir` (created if missing). Cache writes are reported to
    /// `events` as `cache-changed`.
    pub fn open(data_dir: &Path, events: Arc<dyn Events>) -> Result<Deck, UnifiedError> {
        std::fs::create_dir_all(data_dir).map_err(|e| {
            UnifiedError::new(
                ErrorCode::Internal,
                format!(
                    "cannot create the data directory {}: {e}",
                    data_dir.display()
                ),
            )
        })?;
        let store = Store::open(&data_dir.join("cache.sqlite3")).map_err(errors::store)?;
        let keychain_scope = keychain_scope(&store)?;
        let sink = events.clone();
        store.set_observer(move |c| {
            sink.cache_changed(&ChangeEvent {
                account_id: c.account_id,
                entity: c.resource.as_str().to_string(),
                ids: c.ids.clone(),
                source: "sync".into(),
            })
        });
        Ok(Deck {
            store,
            data_dir: data_dir.to_path_buf(),
            events,
            demo: tokio::sync::Mutex::new(None),
            progress: Mutex::new(HashMap::new()),
            syncing: Mutex::new(Vec::new()),
            schedulers: Mutex::new(HashMap::new()),
            instance: format!(
                "{}:{}",
                std::process::id(),
                chrono::Utc::now().timestamp_nanos_opt().unwrap_or_default()
            ),
            outbox_wake: tokio::sync::Notify::new(),
            keychain_scope,
        })
    }

    pub fn data_dir(&self) -> &Path {
        &self.data_dir
    }
}

/// The random name this cache goes by in the keychain, made on first open.
fn keychain_scope(store: &Store) -> Result<String, UnifiedError> {
    const KEY: &str = "keychain_scope";
    if let Some(scope) = store.setting(KEY).map_err(errors::store)? {
        return Ok(scope);
    }
    // std's hasher keys are random per process: enough to tell caches apart.
    use std::hash::{BuildHasher, Hasher};
    let mut h = std::collections::hash_map::RandomState::new().build_hasher();
    h.write_i64(chrono::Utc::now().timestamp_nanos_opt().unwrap_or_default());
    let scope = format!("cache-{:016x}", h.finish());
    store.set_setting(KEY, &scope).map_err(errors::store)?;
    Ok(scope)
}
