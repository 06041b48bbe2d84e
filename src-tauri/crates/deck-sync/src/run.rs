//! Applies a sync plan for one account through its provider.

use crate::plan::{Step, SweepPolicy, plan};
use crate::progress::{SyncPhase, SyncProgress};
use deck_model::{ErrorCode, Record, Resource, UnifiedError};
use deck_providers::{Known, Provider, ProviderError};
use deck_store::{Batch, Checkpoint, Store};

/// How a sync ended: the resources that failed, each with its error. Other resources still
/// synced; the cache holds every page stored before a failure.
#[derive(Debug, Default)]
pub struct SyncReport {
    pub failures: Vec<(String, UnifiedError)>,
    /// Set when the whole run stopped early (credentials refused, helpdesk unreachable).
    pub aborted: Option<UnifiedError>,
}

impl SyncReport {
    pub fn ok(&self) -> bool {
        self.failures.is_empty() && self.aborted.is_none()
    }
}

struct Reporter<'a> {
    account_id: i64,
    account_name: &'a str,
    emit: &'a (dyn Fn(SyncProgress) + Send + Sync),
}

impl Reporter<'_> {
    fn send(
        &self,
        resource: &str,
        phase: SyncPhase,
        done: u64,
        total: Option<u64>,
        err: Option<&UnifiedError>,
    ) {
        (self.emit)(SyncProgress {
            account_id: self.account_id,
            account_name: self.account_name.to_string(),
            resource: resource.to_string(),
            phase,
            done,
            total,
            message: err.map(|e| e.message.clone()),
            error_code: err.map(|e| e.code),
            eta_seconds: None,
            budget_remaining: None,
            budget_limit: None,
        });
    }
}

fn store_err(e: deck_store::StoreError) -> UnifiedError {
    UnifiedError::new(ErrorCode::Internal, format!("cannot write the cache: {e}"))
}

/// Errors after which no other request can succeed either.
fn is_fatal(e: &UnifiedError) -> bool {
    matches!(
        e.code,
        ErrorCode::AuthFailed | ErrorCode::Offline | ErrorCode::Internal
    )
}

/// Syncs one account: every listed resource, then stale threads. Progress goes to `emit`.
pub async fn sync_account<P: Provider>(
    store: &Store,
    provider: &P,
    account_id: i64,
    account_name: &str,
    sweep: &SweepPolicy,
    emit: &(dyn Fn(SyncProgress) + Send + Sync),
) -> SyncReport {
    let r = Reporter {
        account_id,
        account_name,
        emit,
    };
    let mut report = SyncReport::default();
    r.send("all", SyncPhase::Started, 0, None, None);
    let steps = plan(
        provider.resources(),
        |res| store.checkpoint(account_id, res.as_str()).ok().flatten(),
        sweep,
    );
    for step in steps {
        let result = match step {
            Step::List {
                resource,
                cursor,
                sweep,
            } => {
                if sweep {
                    let low = provider.with_lane(deck_providers::Lane::Sweep);
                    list(store, &low, &r, resource, cursor).await
                } else {
                    list(store, provider, &r, resource, cursor).await
                }
            }
            Step::Threads => threads(store, provider, &r).await,
        };
        if let Err((resource, e)) = result {
            r.send(&resource, SyncPhase::Failed, 0, None, Some(&e));
            let fatal = is_fatal(&e);
            report.failures.push((resource, e.clone()));
            if fatal {
                report.aborted = Some(e);
                break;
            }
        }
    }
    if report.aborted.is_none()
        && let Err(e) = store.mark_synced(account_id)
    {
        report.aborted = Some(store_err(e));
    }
    match &report.aborted {
        Some(e) => r.send("all", SyncPhase::Failed, 0, None, Some(e)),
        None => r.send("all", SyncPhase::Done, 0, None, None),
    }
    report
}

async fn list<P: Provider>(
    store: &Store,
    provider: &P,
    r: &Reporter<'_>,
    resource: Resource,
    mut cursor: Option<String>,
) -> Result<(), (String, UnifiedError)> {
    let name = resource.as_str().to_string();
    let fail = |e: UnifiedError| (name.clone(), e);
    r.send(&name, SyncPhase::Started, 0, None, None);
    let mut done = 0u64;
    // A listing from the start is a sweep: when it ends, what it did not see was deleted. One
    // resumed after an interruption keeps the start of the listing it continues.
    let sweep_started_at = match &cursor {
        None => Some(chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true)),
        Some(_) => store
            .checkpoint(r.account_id, &name)
            .map_err(|e| fail(store_err(e)))?
            .and_then(|c| c.sweep_started_at),
    };
    let mut partial = false;
    // A provider whose cursors never end is stopped: no listing has a million pages.
    for _ in 0..1_000_000u32 {
        let page = provider
            .list_page(resource, cursor.as_deref())
            .await
            .map_err(|e| fail(e.into()))?;
        if page.unsupported {
            break;
        }
        partial |= page.partial;
        if page.next_cursor.is_some() && page.next_cursor == cursor {
            return Err(fail(
                ProviderError::Malformed {
                    endpoint: name.clone(),
                    field: "(cursor)".into(),
                    detail: "the next page is the page just read".into(),
                }
                .into(),
            ));
        }
        done += page
            .records
            .iter()
            .filter(|x| x.resource() == resource)
            .count() as u64;
        // Tombstones only after a whole listing from the start, of a resource kept as plain
        // records (tickets have a change filter; comments come with threads).
        let tombstone = match (&page.next_cursor, &sweep_started_at) {
            (None, Some(since))
                if !partial && !matches!(resource, Resource::Tickets | Resource::Comments) =>
            {
                Some((resource, since.clone()))
            }
            _ => None,
        };
        let batch = Batch {
            records: page.records,
            thread_of: None,
            checkpoint: Some((
                name.clone(),
                match &page.next_cursor {
                    Some(next) => Checkpoint {
                        cursor: Some(next.clone()),
                        complete: false,
                        sweep_started_at: sweep_started_at.clone(),
                        ..Checkpoint::default()
                    },
                    // Finished: keep where the next sync picks up changes, if anywhere.
                    None => Checkpoint {
                        cursor: page.resume.clone(),
                        complete: true,
                        ..Checkpoint::default()
                    },
                },
            )),
            tombstone,
        };
        store
            .apply(r.account_id, &batch)
            .map_err(|e| fail(store_err(e)))?;
        r.send(&name, SyncPhase::Running, done, None, None);
        match page.next_cursor {
            Some(next) => cursor = Some(next),
            None => break,
        }
    }
    r.send(&name, SyncPhase::Done, done, Some(done), None);
    Ok(())
}

async fn threads<P: Provider>(
    store: &Store,
    provider: &P,
    r: &Reporter<'_>,
) -> Result<(), (String, UnifiedError)> {
    let name = Resource::Comments.as_str().to_string();
    let fail = |e: UnifiedError| (name.clone(), e);
    let stale = store
        .stale_threads(r.account_id)
        .map_err(|e| fail(store_err(e)))?;
    let total = stale.len() as u64;
    r.send(&name, SyncPhase::Started, 0, Some(total), None);
    let mut known = known(store, r.account_id).map_err(|e| fail(store_err(e)))?;
    let mut first_error: Option<UnifiedError> = None;
    for (i, ticket_id) in stale.iter().enumerate() {
        match sync_thread(store, provider, r.account_id, ticket_id, &mut known).await {
            Ok(()) => {}
            // Gone from the cache meanwhile (its account was removed): nothing to fetch.
            Err(e) if e.code == ErrorCode::NotFound => {}
            Err(e) if is_fatal(&e) => return Err(fail(e)),
            // One bad thread does not stop the others; the first error is reported.
            Err(e) => _ = first_error.get_or_insert(e),
        }
        r.send(&name, SyncPhase::Running, i as u64 + 1, Some(total), None);
    }
    if let Some(e) = first_error {
        return Err(fail(e));
    }
    r.send(&name, SyncPhase::Done, total, Some(total), None);
    Ok(())
}

/// Fetches one ticket's thread and stores it with the ticket and what came along, in one
/// transaction. A ticket deleted on the helpdesk since it was listed is left as it is.
pub async fn sync_thread<P: Provider>(
    store: &Store,
    provider: &P,
    account_id: i64,
    ticket_id: &str,
    known: &mut Known,
) -> Result<(), UnifiedError> {
    let Some(ticket) = store.ticket(account_id, ticket_id).map_err(store_err)? else {
        return Err(UnifiedError::new(
            ErrorCode::NotFound,
            format!("ticket {ticket_id} is not in the cache"),
        ));
    };
    let thread = match provider.thread(&ticket, known).await {
        Ok(thread) => thread,
        Err(ProviderError::NotFound { .. }) => return Ok(()),
        Err(e) => return Err(e.into()),
    };
    let mut records: Vec<Record> = thread.related;
    for rec in &records {
        match rec {
            Record::Tag(t) => _ = known.tags.insert(t.id.clone()),
            Record::Collection(c) => _ = known.collections.insert(c.id.clone()),
            Record::Contact(c) => _ = known.contacts.insert(c.id.clone()),
            _ => {}
        }
    }
    let updated_at = thread.ticket.updated_at.clone();
    records.push(Record::Ticket(thread.ticket));
    records.extend(thread.comments.into_iter().map(Record::Comment));
    let batch = Batch {
        records,
        thread_of: Some((ticket_id.to_string(), updated_at)),
        ..Batch::default()
    };
    store.apply(account_id, &batch).map_err(store_err)
}

/// What the cache already holds, so thread fetches embed only what is missing.
pub fn known(store: &Store, account_id: i64) -> Result<Known, deck_store::StoreError> {
    Ok(Known {
        tags: store.ids(account_id, Resource::Tags)?,
        collections: store.ids(account_id, Resource::Collections)?,
        contacts: store.ids(account_id, Resource::Contacts)?,
    })
}
