//! Sync: a pure plan says which resources to fetch from where, then `apply` runs it through the
//! provider, writing each page and its checkpoint in one transaction, so a sync killed at any
//! point resumes from the last stored page with no duplicates.

mod plan;
mod progress;
mod run;

pub use plan::{Step, SweepPolicy, plan};
pub use progress::{SyncPhase, SyncProgress};
pub use run::{SyncReport, known, sync_account, sync_thread};
