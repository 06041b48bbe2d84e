//! The offline cache: one SQLite file (WAL) holding accounts, unified records, sync
//! checkpoints and ticket search. Accounts are kept apart by `account_id` on every row.
//! A page of records and its checkpoint are written in one transaction, so an interrupted sync
//! leaves a consistent cache and a rerun goes on from the last stored page.

mod accounts;
mod checkpoints;
pub mod migrations;
mod outbox;
mod records;
mod settings;
mod tickets;

pub use accounts::{AccountRow, NewAccountRow};
pub use checkpoints::Checkpoint;
pub use outbox::{Lease, OutboxEntry, OutboxState};
pub use records::{Batch, Page};
pub use tickets::{TicketFilter, TicketHit};

use rusqlite::Connection;
use std::path::Path;
use std::sync::{Arc, Mutex, MutexGuard};

/// Errors from the cache.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("cache database error: {0}")]
    Sqlite(#[from] rusqlite::Error),
    #[error("cached record is not valid JSON: {0}")]
    Json(#[from] serde_json::Error),
    #[error("invalid list cursor")]
    BadCursor,
    #[error("{0}")]
    Constraint(String),
}

pub type Result<T, E = StoreError> = std::result::Result<T, E>;

/// What one committed write changed: the ids of one resource for one account.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Change {
    pub account_id: i64,
    pub resource: deck_model::Resource,
    pub ids: Vec<String>,
}

type Observer = Arc<dyn Fn(&Change) + Send + Sync>;

/// A handle on the cache; clones share one connection.
#[derive(Clone)]
pub struct Store {
    conn: Arc<Mutex<Connection>>,
    observer: Arc<Mutex<Option<Observer>>>,
}

impl Store {
    /// Opens (creating if needed) the cache at `path` and migrates it.
    pub fn open(path: &Path) -> Result<Store> {
        let conn = Connection::open(path)?;
        Store::init(conn)
    }

    /// An in-memory cache, for tests.
    pub fn open_in_memory() -> Result<Store> {
        Store::init(Connection::open_in_memory()?)
    }

    fn init(mut conn: Connection) -> Result<Store> {
        conn.pragma_update(None, "journal_mode", "WAL")?;
        conn.pragma_update(None, "synchronous", "NORMAL")?;
        conn.pragma_update(None, "foreign_keys", "ON")?;
        conn.busy_timeout(std::time::Duration::from_secs(10))?;
        migrations::apply(&mut conn)?;
        Ok(Store {
            conn: Arc::new(Mutex::new(conn)),
            observer: Arc::new(Mutex::new(None)),
        })
    }

    /// Calls `f` once per resource after every committed write, with the ids it wrote.
    pub fn set_observer(&self, f: impl Fn(&Change) + Send + Sync + 'static) {
        *self.observer.lock().unwrap_or_else(|e| e.into_inner()) = Some(Arc::new(f));
    }

    pub(crate) fn notify(&self, changes: Vec<Change>) {
        let observer = self
            .observer
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone();
        if let Some(f) = observer {
            for c in &changes {
                f(c);
            }
        }
    }

    fn conn(&self) -> MutexGuard<'_, Connection> {
        // A panic while holding the lock cannot leave SQLite half-written (transactions roll
        // back on drop), so a poisoned lock is still safe to use.
        self.conn.lock().unwrap_or_else(|e| e.into_inner())
    }
}

pub(crate) fn now() -> String {
    chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}
