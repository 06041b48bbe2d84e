//! The shapes the UI reads: rows, details and events made from cached unified records. They
//! cross IPC, so their TypeScript twins are generated (see `bindings`).

use deck_model::{IdName, ProviderKind};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// Local id of a connected helpdesk account.
pub type AccountId = i64;

/// Where an account's API token comes from. The token itself is never stored by Ticketdeck.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum TokenSource {
    /// The OS keychain (Secret Service on Linux).
    Keychain,
    /// An environment variable the user named, for scripts.
    Env { var: String },
    /// The built-in demo helpdesk, whose token is public.
    Demo,
}

/// A connected helpdesk account, without its secret.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, TS)]
pub struct AccountView {
    pub id: AccountId,
    pub name: String,
    pub provider: ProviderKind,
    pub site: Option<String>,
    pub base_url: String,
    pub token_source: TokenSource,
    pub is_demo: bool,
    pub created_at: String,
    pub last_synced_at: Option<String>,
    pub ticket_count: u64,
    /// The account's own rate limit; `null`: the provider's published one.
    pub rate_limit: Option<RateLimit>,
}

/// A helpdesk account's rate limit, where it differs from what the provider publishes.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct RateLimit {
    pub credits_per_window: u32,
    pub window_secs: u32,
    pub burst_per_second: Option<u32>,
}

/// What the user fills in to connect a helpdesk.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, TS)]
pub struct NewAccount {
    pub provider: ProviderKind,
    pub name: String,
    /// The helpdesk identifier, e.g. `acme` for `https://acme.enchant.com`.
    pub site: Option<String>,
    /// Overrides the URL derived from `site` (plain `http://` only for loopback).
    pub base_url: Option<String>,
    /// The API token, stored in the OS keychain. Exactly one of `token` and `token_env`.
    pub token: Option<String>,
    /// The name of an environment variable that holds the token.
    pub token_env: Option<String>,
    /// The account's own rate limit, if it differs from the provider's published one.
    #[serde(default)]
    #[ts(optional)]
    pub rate_limit: Option<RateLimit>,
}

/// Which tickets the list shows. Every filter is optional; `offset`/`limit` window the result
/// for the virtualized list.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, TS)]
#[serde(default)]
pub struct TicketQuery {
    pub account_id: Option<AccountId>,
    /// A unified status name (`open`, `pending`, `closed`, ...).
    pub status: Option<String>,
    /// A user id, or `"none"` for unassigned tickets.
    pub assignee_id: Option<String>,
    pub tag_id: Option<String>,
    pub collection_id: Option<String>,
    /// Words to find in subjects.
    pub search: Option<String>,
    pub offset: u32,
    pub limit: u32,
}

/// One line in the tickets list.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, TS)]
pub struct TicketRow {
    pub account_id: AccountId,
    pub id: String,
    pub number: Option<String>,
    pub subject: String,
    /// Unified status name.
    pub status: String,
    pub assignee: Option<IdName>,
    pub contact: Option<IdName>,
    pub collection: Option<IdName>,
    pub tags: Vec<IdName>,
    pub channel: Option<String>,
    pub preview: Option<String>,
    pub created_at: Option<String>,
    pub updated_at: Option<String>,
}

/// A window of the filtered tickets list and how many match in all.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, TS)]
pub struct TicketPage {
    pub rows: Vec<TicketRow>,
    pub total: u64,
    pub offset: u32,
}

/// A file on a comment.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, TS)]
pub struct AttachmentView {
    pub id: String,
    pub file_name: String,
    pub size: Option<u64>,
    pub content_type: Option<String>,
    /// True when this machine has the file (it was sent from here) so it can be opened or
    /// saved; the helpdesk's API hands out no attachment content.
    pub available: bool,
}

/// One message of a thread. `html_body` is sanitized in Rust; the UI may render it as HTML.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, TS)]
pub struct CommentView {
    pub id: String,
    pub author_name: String,
    /// `user` (an agent), `contact` (the customer) or `system`.
    pub author_type: String,
    pub is_internal: bool,
    pub html_body: Option<String>,
    pub body: Option<String>,
    pub created_at: Option<String>,
    pub attachments: Vec<AttachmentView>,
    /// Set while the comment waits in the outbox (`pending` or `sending`).
    pub outbox_state: Option<String>,
}

/// The contact a ticket is with.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, TS)]
pub struct ContactView {
    pub id: String,
    pub name: String,
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    pub emails: Vec<String>,
    pub phones: Vec<String>,
    pub handles: Vec<String>,
    pub details: Option<String>,
}

/// A ticket with its thread, all from the cache.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, TS)]
pub struct TicketDetail {
    pub ticket: TicketRow,
    pub contact: Option<ContactView>,
    pub comments: Vec<CommentView>,
    /// False until the thread has been synced once.
    pub thread_cached: bool,
    /// Writes on this ticket and its thread that the helpdesk does not have yet.
    pub outbox: Vec<OutboxItem>,
}

/// One write in the outbox.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, TS)]
pub struct OutboxItem {
    pub id: i64,
    pub account_id: AccountId,
    pub summary: String,
    /// `pending`, `sending`, `failed`, `conflict` or `done`.
    pub state: String,
    /// The unified resource the write changes or creates, and its id (a `local-N` id until
    /// the helpdesk gives it one).
    pub resource: String,
    pub target_id: String,
    /// The ticket it belongs to, for writes on a ticket or its thread.
    pub ticket_id: Option<String>,
    /// The fields an update changes.
    pub fields: Vec<String>,
    pub attempts: u32,
    /// Why the last attempt did not land (the reason a failed write stays).
    pub error: Option<deck_model::UnifiedError>,
    pub conflicts: Vec<deck_model::FieldConflict>,
    /// When the next attempt is due, while pending after a failure that may pass.
    pub next_try_at: Option<String>,
    /// The id the helpdesk gave to what it created.
    pub result_id: Option<String>,
    /// The write itself, for editing a failed one.
    pub write: deck_model::Write,
    pub created_at: String,
    pub updated_at: String,
}

/// A user's choice for one conflicting field.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, TS)]
pub struct ConflictChoice {
    pub field: String,
    /// True keeps the user's value; false takes the helpdesk's.
    pub keep_mine: bool,
}

/// A window of the contacts list.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, TS)]
pub struct ContactPage {
    pub rows: Vec<ContactView>,
    pub total: u64,
    pub offset: u32,
}

/// A contact with its tickets and pending writes.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, TS)]
pub struct ContactDetail {
    pub contact: ContactView,
    pub tickets: Vec<TicketRow>,
    pub outbox: Vec<OutboxItem>,
}

/// A file staged for an attachment: copied into the outbox, ready to send.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, TS)]
pub struct StagedFile {
    /// Where the copy is; pass it as the attachment's `path`.
    pub path: String,
    pub file_name: String,
    pub content_type: String,
    #[ts(type = "number")]
    pub size: u64,
}

/// The values the list filters offer for an account (or all accounts).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, TS)]
pub struct Facets {
    pub statuses: Vec<IdName>,
    pub assignees: Vec<IdName>,
    pub tags: Vec<IdName>,
    pub collections: Vec<IdName>,
}

pub use deck_sync::{SyncPhase, SyncProgress};

/// Emitted as `cache-changed` after every cache write, so the UI refreshes without polling.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, TS)]
pub struct ChangeEvent {
    pub account_id: AccountId,
    /// A unified resource name.
    pub entity: String,
    pub ids: Vec<String>,
    /// `sync` or `user`.
    pub source: String,
}

/// Emitted as `connectivity` whenever an account's reachability is learned.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, TS)]
pub struct ConnectivityEvent {
    pub account_id: AccountId,
    pub online: bool,
    pub message: Option<String>,
}

/// User preferences.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Settings {
    /// How often the app syncs in the background; 0 = never.
    pub sync_interval_minutes: u32,
    /// The largest file that can be attached, in MiB.
    pub attachment_limit_mb: u32,
}

/// Credits an account's requests spent over the last minutes, per lane, for the sync screen's
/// chart.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, TS)]
pub struct RequestHistory {
    pub account_id: AccountId,
    /// The length of one bucket.
    pub bucket_secs: u32,
    /// The helpdesk's credits per window, and the window's length.
    pub limit: u32,
    pub window_secs: u32,
    /// Oldest first.
    pub buckets: Vec<RequestBucket>,
}

/// Credits spent in one bucket of time, per lane, and the 429s answered.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, TS)]
pub struct RequestBucket {
    /// Where the bucket starts (RFC 3339).
    pub at: String,
    pub interactive: u32,
    pub outbox: u32,
    pub background: u32,
    pub rate_limited: u32,
}
