//! One adapter per helpdesk, each mapping its wire format to the unified model behind the
//! `Provider` trait. Provider quirks stay in each adapter's `wire.rs`; `map.rs` turns wire
//! records into unified ones and keeps the raw record in `remote_data`.

pub mod enchant;
mod error;
mod http;
pub mod sanitize;

pub use deck_scheduler::{
    BudgetStatus, HISTORY_BUCKET, HistoryBucket, Lane, RateProfile, Scheduler, TokioClock,
};
pub use error::ProviderError;
pub use http::{Credentials, validate_base_url};

use deck_model::{ProviderKind, Record, Resource};
use std::collections::HashSet;
use std::future::Future;

/// One page of a listing.
#[derive(Clone, Debug, Default)]
pub struct Page {
    /// The records of this page, and any related records that came with them.
    pub records: Vec<Record>,
    /// The opaque cursor of the next page; `None` at the end.
    pub next_cursor: Option<String>,
    /// On the last page: where the next sync picks up changes (e.g. tickets updated since this
    /// listing). `None` where the provider has no change filter: the next sync lists it again.
    pub resume: Option<String>,
    /// True when the helpdesk has no way to list this resource (e.g. an undocumented endpoint
    /// answered 404). Nothing is wrong; the records arrive some other way.
    pub unsupported: bool,
    /// True when the listing stopped short of the end (a page limit of the helpdesk): what it
    /// lacks says nothing about what was deleted.
    pub partial: bool,
}

/// How a provider can list a resource.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Listing {
    /// Listed on its own, page by page.
    Global,
    /// Arrives with each ticket's thread (see [`Provider::thread`]).
    PerTicket,
}

/// What the cache already knows, so a thread fetch asks only for what is missing.
#[derive(Clone, Debug, Default)]
pub struct Known {
    pub tags: HashSet<String>,
    pub collections: HashSet<String>,
    pub contacts: HashSet<String>,
}

/// A ticket's thread: the ticket as it is now, its comments (oldest first) and the records
/// that came along (attachments, and tags, collections or contacts the cache lacked).
#[derive(Clone, Debug)]
pub struct Thread {
    pub ticket: deck_model::Ticket,
    pub comments: Vec<deck_model::Comment>,
    pub related: Vec<Record>,
}

/// What the helpdesk holds after a write: the records it answered with (or that were fetched
/// after it), and the id of a created record.
#[derive(Clone, Debug, Default)]
pub struct Written {
    pub records: Vec<Record>,
    pub created_id: Option<String>,
}

/// A helpdesk adapter. Ids are strings whatever the helpdesk uses (hex, slugs, integers).
pub trait Provider: Send + Sync {
    fn kind(&self) -> ProviderKind;

    /// The resources this provider fills, in the order a sync should fetch them.
    fn resources(&self) -> &'static [(Resource, Listing)];

    /// The same provider sending on `lane` (sharing the account's scheduler).
    fn with_lane(&self, lane: Lane) -> Self
    where
        Self: Sized;

    /// Checks that the helpdesk answers and accepts the credentials.
    fn verify(&self) -> impl Future<Output = Result<(), ProviderError>> + Send;

    /// One page of a `Listing::Global` resource; `cursor` is `None` for the first page.
    fn list_page(
        &self,
        resource: Resource,
        cursor: Option<&str>,
    ) -> impl Future<Output = Result<Page, ProviderError>> + Send;

    /// A ticket with its whole thread. `ticket` is the cached version, which says what the
    /// thread fetch must bring along (tags, collections, contacts the cache lacks).
    fn thread(
        &self,
        ticket: &deck_model::Ticket,
        known: &Known,
    ) -> impl Future<Output = Result<Thread, ProviderError>> + Send;

    /// Sends one write (ids already the helpdesk's own). Never repeats a request whose answer
    /// was lost: that is `ProviderError::AnswerLost`.
    fn write(
        &self,
        write: &deck_model::Write,
    ) -> impl Future<Output = Result<Written, ProviderError>> + Send;

    /// The helpdesk's current version of the record an update changes (`None` for other
    /// writes), to find fields changed by someone else meanwhile.
    fn current(
        &self,
        write: &deck_model::Write,
    ) -> impl Future<Output = Result<Option<Record>, ProviderError>> + Send;

    /// Whether `write`, first sent at `since` (RFC 3339) with its answer lost, reached the
    /// helpdesk; `None` when it did not (or when sending it again does no harm).
    fn find_written(
        &self,
        write: &deck_model::Write,
        since: &str,
    ) -> impl Future<Output = Result<Option<Written>, ProviderError>> + Send;
}

/// Any provider, for code that picks one at run time.
pub enum AnyProvider {
    Enchant(enchant::EnchantClient),
}

impl AnyProvider {
    /// The same provider, sending on `lane` (sharing the account's scheduler).
    pub fn on_lane(&self, lane: Lane) -> Self {
        match self {
            AnyProvider::Enchant(p) => AnyProvider::Enchant(p.on_lane(lane)),
        }
    }
}

impl Provider for AnyProvider {
    fn with_lane(&self, lane: Lane) -> Self {
        self.on_lane(lane)
    }

    fn kind(&self) -> ProviderKind {
        match self {
            AnyProvider::Enchant(p) => p.kind(),
        }
    }

    fn resources(&self) -> &'static [(Resource, Listing)] {
        match self {
            AnyProvider::Enchant(p) => p.resources(),
        }
    }

    async fn verify(&self) -> Result<(), ProviderError> {
        match self {
            AnyProvider::Enchant(p) => p.verify().await,
        }
    }

    async fn list_page(
        &self,
        resource: Resource,
        cursor: Option<&str>,
    ) -> Result<Page, ProviderError> {
        match self {
            AnyProvider::Enchant(p) => p.list_page(resource, cursor).await,
        }
    }

    async fn thread(
        &self,
        ticket: &deck_model::Ticket,
        known: &Known,
    ) -> Result<Thread, ProviderError> {
        match self {
            AnyProvider::Enchant(p) => p.thread(ticket, known).await,
        }
    }

    async fn write(&self, write: &deck_model::Write) -> Result<Written, ProviderError> {
        match self {
            AnyProvider::Enchant(p) => p.write(write).await,
        }
    }

    async fn current(&self, write: &deck_model::Write) -> Result<Option<Record>, ProviderError> {
        match self {
            AnyProvider::Enchant(p) => p.current(write).await,
        }
    }

    async fn find_written(
        &self,
        write: &deck_model::Write,
        since: &str,
    ) -> Result<Option<Written>, ProviderError> {
        match self {
            AnyProvider::Enchant(p) => p.find_written(write, since).await,
        }
    }
}
