//! Writes: validated and completed from the cache, stored in the outbox (shown in the cache at
//! once), then sent on the scheduler's outbox lane, exactly once. A write whose answer was lost
//! is looked for on the helpdesk before it is sent again; an update is checked against the
//! helpdesk's current version, and fields someone else changed meanwhile become a conflict for
//! the user to settle.

use crate::views::{AccountId, ConflictChoice, OutboxItem};
use crate::{Deck, errors};
use deck_model::write::{FieldConflict, FieldPatch, entry_of_local_id};
use deck_model::{
    Contact, ContactInput, ErrorCode, Identity, Record, Resource, Ticket, TicketPatch,
    UnifiedError, Write,
};
use deck_providers::{AnyProvider, Lane, Provider, ProviderError};
use deck_store::{Lease, OutboxEntry, OutboxState};
use serde_json::Value;
use std::time::Duration;

/// How long a sender holds an entry before another may take it over: longer than a request can
/// last (a rate-limit wait of at most two minutes, then the 60 s HTTP timeout). A sender that
/// died is noticed at once where the OS tells (Linux), else when its lease runs out.
const LEASE: Duration = Duration::from_secs(300);
/// The longest wait between attempts of a write that keeps failing in a way that may pass.
const MAX_BACKOFF_SECS: i64 = 60;
/// Done entries are kept this long, as a record of what was sent.
const KEEP_DONE: Duration = Duration::from_secs(7 * 24 * 3600);

/// What one pass over an account's outbox did.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FlushReport {
    pub sent: u32,
    pub failed: u32,
    pub conflicts: u32,
    /// Entries still waiting (helpdesk unreachable, rate limited, or behind one of those).
    pub waiting: u32,
}

impl Deck {
    /// Validates `write`, completes it from the cache (who a note is written as, where a reply
    /// goes, the values the user saw) and stores it in the outbox; the cache shows it at once.
    /// Nothing is sent here: see [`Deck::flush_outbox`].
    pub fn enqueue(&self, account_id: AccountId, write: Write) -> Result<OutboxItem, UnifiedError> {
        self.account_row(account_id)?;
        let write = self.complete_write(account_id, write)?;
        write.validate().map_err(validation_error)?;
        self.check_references(account_id, &write)?;
        let summary = self.summary_of(account_id, &write);
        let id = self
            .store
            .outbox_push(account_id, &write, &summary)
            .map_err(errors::store)?;
        self.outbox_wake.notify_one();
        self.outbox_item(id)
    }

    /// One entry as the UI shows it.
    pub fn outbox_item(&self, id: i64) -> Result<OutboxItem, UnifiedError> {
        self.store
            .outbox_entry(id)
            .map_err(errors::store)?
            .map(|e| item(&e))
            .ok_or_else(|| errors::not_found(format!("outbox entry {id} does not exist")))
    }

    /// The outbox of one account or all, newest first; done entries only when asked.
    pub fn list_outbox(
        &self,
        account_id: Option<AccountId>,
        with_done: bool,
    ) -> Result<Vec<OutboxItem>, UnifiedError> {
        Ok(self
            .store
            .outbox_entries(account_id, with_done)
            .map_err(errors::store)?
            .iter()
            .map(item)
            .collect())
    }

    /// Sends a failed or conflicting write again (or a pending one now).
    pub fn retry_outbox(&self, id: i64) -> Result<OutboxItem, UnifiedError> {
        if !self.store.outbox_requeue(id, None).map_err(errors::store)? {
            let e = self.outbox_item(id)?;
            return Err(UnifiedError::new(
                ErrorCode::Conflict,
                format!("outbox entry {id} is {}: nothing to retry", e.state),
            ));
        }
        self.outbox_wake.notify_one();
        self.outbox_item(id)
    }

    /// Replaces a failed or conflicting write with an edited one (same kind, same record) and
    /// sends it again.
    pub fn edit_outbox(&self, id: i64, write: Write) -> Result<OutboxItem, UnifiedError> {
        let entry = self
            .store
            .outbox_entry(id)
            .map_err(errors::store)?
            .ok_or_else(|| errors::not_found(format!("outbox entry {id} does not exist")))?;
        let ticket_of = |w: &Write| match w {
            Write::CreateComment { comment } => Some(comment.ticket.id.clone()),
            _ => None,
        };
        if std::mem::discriminant(&entry.write) != std::mem::discriminant(&write)
            || entry.write.target(id) != write.target(id)
            || ticket_of(&entry.write) != ticket_of(&write)
        {
            return Err(errors::validation(
                "write",
                "an edit changes the values of a write, not what it does or to which record",
            ));
        }
        let write = self.complete_write(entry.account_id, write)?;
        write.validate().map_err(validation_error)?;
        let summary = self.summary_of(entry.account_id, &write);
        if !self
            .store
            .outbox_requeue(id, Some((&write, &summary)))
            .map_err(errors::store)?
        {
            return Err(UnifiedError::new(
                ErrorCode::Conflict,
                format!(
                    "outbox entry {id} is {}: only a failed or conflicting write can be edited",
                    entry.state.as_str()
                ),
            ));
        }
        self.outbox_wake.notify_one();
        self.outbox_item(id)
    }

    /// Drops a write the user gave up on; the cache shows the helpdesk's version again.
    pub fn discard_outbox(&self, id: i64) -> Result<(), UnifiedError> {
        let entry = self
            .store
            .outbox_discard(id)
            .map_err(errors::store)?
            .ok_or_else(|| errors::not_found(format!("outbox entry {id} does not exist")))?;
        self.remove_staged(&entry.write);
        Ok(())
    }

    /// Settles a conflict: per field, the user's value or the helpdesk's. Fields the user gives
    /// up are dropped from the write; a write left with nothing to change is discarded.
    pub fn resolve_conflict(
        &self,
        id: i64,
        choices: &[ConflictChoice],
    ) -> Result<Option<OutboxItem>, UnifiedError> {
        let entry = self
            .store
            .outbox_entry(id)
            .map_err(errors::store)?
            .ok_or_else(|| errors::not_found(format!("outbox entry {id} does not exist")))?;
        if entry.state != OutboxState::Conflict {
            return Err(UnifiedError::new(
                ErrorCode::Conflict,
                format!("outbox entry {id} has no conflict to settle"),
            ));
        }
        let keep_mine = |field: &str| {
            choices
                .iter()
                .find(|c| c.field == field)
                .map(|c| c.keep_mine)
        };
        for c in &entry.conflicts {
            if keep_mine(&c.field).is_none() {
                return Err(errors::validation(
                    &c.field,
                    "choose your value or the helpdesk's",
                ));
            }
        }
        let write = match entry.write.clone() {
            Write::UpdateTicket {
                ticket_id,
                patch,
                base,
            } => settle(patch, base, &entry.conflicts, keep_mine).map(|(patch, base)| {
                Write::UpdateTicket {
                    ticket_id,
                    patch,
                    base,
                }
            }),
            Write::UpdateContact {
                contact_id,
                patch,
                base,
            } => settle(patch, base, &entry.conflicts, keep_mine).map(|(patch, base)| {
                Write::UpdateContact {
                    contact_id,
                    patch,
                    base,
                }
            }),
            _ => None,
        };
        match write {
            Some(w) => {
                let summary = self.summary_of(entry.account_id, &w);
                self.store
                    .outbox_requeue(id, Some((&w, &summary)))
                    .map_err(errors::store)?;
                self.outbox_wake.notify_one();
                Ok(Some(self.outbox_item(id)?))
            }
            None => {
                self.store.outbox_discard(id).map_err(errors::store)?;
                Ok(None)
            }
        }
    }

    /// Sends every due write of an account, oldest first, until none is left that can go now.
    pub async fn flush_outbox(&self, account_id: AccountId) -> Result<FlushReport, UnifiedError> {
        self.recover_orphans(account_id)?;
        let mut report = FlushReport::default();
        let mut provider: Option<AnyProvider> = None;
        let lease = Lease {
            owner: &self.instance,
            length: LEASE,
        };
        while let Some(entry) = self
            .store
            .outbox_claim(account_id, &lease)
            .map_err(errors::store)?
        {
            if provider.is_none() {
                let account = self.reachable_account_row(account_id).await?;
                match self.provider(&account).await {
                    Ok(p) => provider = Some(p.on_lane(Lane::Outbox)),
                    Err(e) => {
                        self.retry_later(&entry, &e, false)?;
                        report.waiting += 1;
                        break;
                    }
                }
            }
            let p = provider.as_ref().expect("set above");
            let sent = self.send_entry(p, entry.clone()).await?;
            // What the outbox learns about reachability shows like what sync learns.
            let unreachable = self
                .store
                .outbox_entry(entry.id)
                .map_err(errors::store)?
                .and_then(|e| e.error)
                .filter(|e| e.code == ErrorCode::Offline && matches!(sent, Sent::Waiting));
            self.report_connectivity(account_id, &unreachable.map_or(Ok(()), Err));
            match sent {
                Sent::Done => report.sent += 1,
                Sent::Failed => report.failed += 1,
                Sent::Conflict => report.conflicts += 1,
                Sent::Waiting => {
                    report.waiting += 1;
                    // The helpdesk is unreachable or rate limited: the next entries would fare
                    // no better now.
                    break;
                }
            }
        }
        report.waiting = report.waiting.max(self.waiting_count(account_id)?);
        let _ = self.store.outbox_prune(KEEP_DONE);
        Ok(report)
    }

    /// Sends pending writes of every account whenever one is made and while any waits: the
    /// app runs this for as long as it runs.
    pub async fn run_outbox(&self) {
        loop {
            let accounts = self.store.outbox_open_counts().unwrap_or_default();
            let mut soonest: Option<Duration> = None;
            for (account_id, _) in accounts {
                if let Err(e) = self.flush_outbox(account_id).await {
                    eprintln!("ticketdeck: outbox of account {account_id}: {e}");
                }
                if let Some(wait) = self.next_due(account_id) {
                    soonest = Some(soonest.map_or(wait, |s| s.min(wait)));
                }
            }
            let idle = soonest.unwrap_or(Duration::from_secs(60));
            let _ = tokio::time::timeout(idle, self.outbox_wake.notified()).await;
        }
    }

    /// How long until the account's next waiting entry is due.
    fn next_due(&self, account_id: AccountId) -> Option<Duration> {
        let mut entries = self.store.outbox_entries(Some(account_id), false).ok()?;
        entries.retain(|e| matches!(e.state, OutboxState::Pending | OutboxState::Sending));
        // Only the oldest entry on each record can go; the ones behind it wait for it.
        entries.sort_by_key(|e| e.id);
        let mut heads = std::collections::HashSet::new();
        entries.retain(|e| heads.insert((e.resource, e.target_id.clone())));
        let now = chrono::Utc::now();
        entries
            .iter()
            .map(|e| {
                // One another process is sending is looked at again every few seconds (its
                // lease may run out if that process died).
                let due = if e.state == OutboxState::Sending {
                    now + chrono::Duration::seconds(5)
                } else {
                    e.next_try_at
                        .as_deref()
                        .and_then(|t| chrono::DateTime::parse_from_rfc3339(t).ok())
                        .map(|t| t.with_timezone(&chrono::Utc))
                        .unwrap_or(now)
                };
                (due - now).to_std().unwrap_or(Duration::ZERO) + Duration::from_millis(200)
            })
            .min()
    }

    fn waiting_count(&self, account_id: AccountId) -> Result<u32, UnifiedError> {
        Ok(self
            .store
            .outbox_entries(Some(account_id), false)
            .map_err(errors::store)?
            .iter()
            .filter(|e| matches!(e.state, OutboxState::Pending | OutboxState::Sending))
            .count() as u32)
    }

    /// Entries a dead process was sending: their lease is cut short so they are taken over
    /// (and checked on the helpdesk before being sent again).
    fn recover_orphans(&self, account_id: AccountId) -> Result<(), UnifiedError> {
        self.store
            .outbox_release_dead_leases(account_id, &self.instance, process_alive)
            .map_err(errors::store)
    }

    async fn send_entry(&self, p: &AnyProvider, entry: OutboxEntry) -> Result<Sent, UnifiedError> {
        let mut write = entry.write.clone();
        // Records other entries created get their helpdesk ids.
        for dep in write.depends_on() {
            match self.store.outbox_entry(dep).map_err(errors::store)? {
                Some(d) if d.state == OutboxState::Done => {}
                Some(d) if matches!(d.state, OutboxState::Pending | OutboxState::Sending) => {
                    let e = UnifiedError::new(
                        ErrorCode::Conflict,
                        format!("waits for outbox entry {dep} ({})", d.summary),
                    );
                    self.retry_later(&entry, &e, false)?;
                    return Ok(Sent::Waiting);
                }
                _ => {
                    let e = UnifiedError::new(
                        ErrorCode::NotFound,
                        format!(
                            "it belongs to a record that was never created (outbox entry {dep} failed or was discarded)"
                        ),
                    );
                    self.store
                        .outbox_fail(entry.id, &e)
                        .map_err(errors::store)?;
                    return Ok(Sent::Failed);
                }
            }
        }
        let store = &self.store;
        write.resolve_ids(|id| {
            entry_of_local_id(id).and_then(|e| store.outbox_result_id(e).ok().flatten())
        });

        if entry.in_doubt
            && !write.is_idempotent()
            && let Some(since) = entry.sent_at.as_deref()
        {
            match p.find_written(&write, since).await {
                Ok(Some(written)) => {
                    self.finish(&entry, written)?;
                    return Ok(Sent::Done);
                }
                Ok(None) => {}
                Err(e) => return self.after_error(&entry, &write, e),
            }
        }

        if let Some(sent) = self.check_conflicts(p, &entry, &mut write).await? {
            return Ok(sent);
        }

        let lease = Lease {
            owner: &self.instance,
            length: LEASE,
        };
        if !self
            .store
            .outbox_renew_lease(entry.id, &lease)
            .map_err(errors::store)?
        {
            // Another sender took it over; it checks the helpdesk before sending.
            return Ok(Sent::Waiting);
        }
        match p.write(&write).await {
            Ok(written) => {
                self.finish(&entry, written)?;
                Ok(Sent::Done)
            }
            Err(e) => self.after_error(&entry, &write, e),
        }
    }

    /// For an update: compares what the user saw with what the helpdesk holds now. Fields only
    /// the user changed go ahead; fields both changed become a conflict. Answers `Some` when the
    /// entry is settled here (a conflict, nothing left to send, or an error).
    async fn check_conflicts(
        &self,
        p: &AnyProvider,
        entry: &OutboxEntry,
        write: &mut Write,
    ) -> Result<Option<Sent>, UnifiedError> {
        let (fields, base_json, patch_json): (Vec<&str>, Value, Value) = match &*write {
            Write::UpdateTicket { patch, base, .. } => (
                deck_model::write::TICKET_FIELDS.to_vec(),
                serde_json::to_value(base).unwrap_or_default(),
                serde_json::to_value(patch).unwrap_or_default(),
            ),
            Write::UpdateContact { patch, base, .. } => (
                vec!["first_name", "last_name", "details"],
                serde_json::to_value(base).unwrap_or_default(),
                serde_json::to_value(patch).unwrap_or_default(),
            ),
            _ => return Ok(None),
        };
        let current = match p.current(write).await {
            Ok(Some(c)) => c,
            Ok(None) => return Ok(None),
            Err(e) => return self.after_error(entry, write, e).map(Some),
        };
        let theirs_json = match (&current, &*write) {
            (Record::Ticket(t), Write::UpdateTicket { patch, .. }) => {
                serde_json::to_value(patch.base_from(t)).unwrap_or_default()
            }
            (Record::Contact(c), Write::UpdateContact { patch, .. }) => {
                serde_json::to_value(patch.base_from(c)).unwrap_or_default()
            }
            _ => return Ok(None),
        };
        let mut conflicts = Vec::new();
        let mut already = Vec::new();
        for field in fields {
            let Some(yours) = patch_json.get(field) else {
                continue;
            };
            let theirs = theirs_json.get(field).cloned().unwrap_or(Value::Null);
            if same(field, yours, &theirs) {
                already.push(field);
                continue;
            }
            if let Some(base) = base_json.get(field)
                && !same(field, base, &theirs)
            {
                conflicts.push(FieldConflict {
                    field: field.to_string(),
                    base: base.clone(),
                    yours: yours.clone(),
                    theirs,
                });
            }
        }
        // The helpdesk's version is worth keeping whatever happens next.
        self.store
            .apply(
                entry.account_id,
                &deck_store::Batch {
                    records: vec![current.clone()],
                    ..deck_store::Batch::default()
                },
            )
            .map_err(errors::store)?;
        if !conflicts.is_empty() {
            self.store
                .outbox_conflict(entry.id, &conflicts)
                .map_err(errors::store)?;
            return Ok(Some(Sent::Conflict));
        }
        // Fields the helpdesk already holds need no request.
        let nothing_left = match write {
            Write::UpdateTicket { patch, .. } => {
                for f in already {
                    *patch = std::mem::take(patch).without(f);
                }
                patch.is_empty()
            }
            Write::UpdateContact { patch, .. } => {
                for f in already {
                    *patch = std::mem::take(patch).without(f);
                }
                patch.is_empty()
            }
            _ => false,
        };
        if nothing_left {
            self.finish(
                entry,
                deck_providers::Written {
                    records: vec![current],
                    created_id: None,
                },
            )?;
            return Ok(Some(Sent::Done));
        }
        Ok(None)
    }

    fn finish(
        &self,
        entry: &OutboxEntry,
        written: deck_providers::Written,
    ) -> Result<(), UnifiedError> {
        self.store
            .outbox_done(entry.id, written.created_id.as_deref(), &written.records)
            .map_err(errors::store)?;
        self.keep_sent_files(entry.account_id, &entry.write, &written.records);
        Ok(())
    }

    /// Files an error: kept for a later attempt when it may pass, failed when the helpdesk
    /// refused the write.
    fn after_error(
        &self,
        entry: &OutboxEntry,
        write: &Write,
        e: ProviderError,
    ) -> Result<Sent, UnifiedError> {
        let in_doubt = match &e {
            ProviderError::AnswerLost { .. } => true,
            // A 5xx may come after the work was done.
            ProviderError::Upstream { .. } => true,
            _ => false,
        } && !write.is_idempotent();
        let passing = matches!(
            e,
            ProviderError::Offline { .. }
                | ProviderError::AnswerLost { .. }
                | ProviderError::RateLimited { .. }
                | ProviderError::Upstream { .. }
                | ProviderError::Auth { .. }
        );
        let mut unified: UnifiedError = e.clone().into();
        if let ProviderError::NotFound { .. } = e {
            unified.message = format!(
                "{} was not found on the helpdesk (deleted meanwhile?): {}",
                write_target_name(write),
                unified.message
            );
        }
        if passing {
            self.retry_later(entry, &unified, in_doubt)?;
            Ok(Sent::Waiting)
        } else {
            self.store
                .outbox_fail(entry.id, &unified)
                .map_err(errors::store)?;
            Ok(Sent::Failed)
        }
    }

    fn retry_later(
        &self,
        entry: &OutboxEntry,
        e: &UnifiedError,
        in_doubt: bool,
    ) -> Result<(), UnifiedError> {
        let secs = (5i64 << entry.attempts.min(6)).min(MAX_BACKOFF_SECS);
        let mut at = chrono::Utc::now() + chrono::Duration::seconds(secs);
        if let Some(retry) = e
            .retry_at
            .as_deref()
            .and_then(|t| chrono::DateTime::parse_from_rfc3339(t).ok())
        {
            at = at.max(retry.with_timezone(&chrono::Utc));
        }
        let at = at.to_rfc3339_opts(chrono::SecondsFormat::Millis, true);
        self.store
            .outbox_retry_later(entry.id, e, &at, in_doubt)
            .map_err(errors::store)
    }

    /// Fills in what the user need not type: the values they saw (for conflicts), the agent a
    /// note or reply is written as, the address a reply goes to, names for ids, and the staged
    /// copy of each attachment.
    fn complete_write(&self, account_id: AccountId, write: Write) -> Result<Write, UnifiedError> {
        Ok(match write {
            Write::UpdateTicket {
                ticket_id, patch, ..
            } => {
                let base = match self.cached_ticket(account_id, &ticket_id)? {
                    Some(t) => patch.base_from(&t),
                    // Not cached: nothing to compare with, the patch goes as it is.
                    None => TicketPatch::default(),
                };
                Write::UpdateTicket {
                    ticket_id,
                    patch: self.name_refs(account_id, patch)?,
                    base,
                }
            }
            Write::UpdateContact {
                contact_id, patch, ..
            } => {
                let base = match self.cached_contact(account_id, &contact_id)? {
                    Some(c) => patch.base_from(&c),
                    None => ContactInput::default(),
                };
                Write::UpdateContact {
                    contact_id,
                    patch,
                    base,
                }
            }
            Write::CreateComment { mut comment } => {
                let ticket = self.cached_ticket(account_id, &comment.ticket.id)?;
                if comment.ticket.name.is_none() {
                    comment.ticket.name = ticket.as_ref().and_then(|t| t.name.clone());
                }
                let contact = ticket
                    .as_ref()
                    .and_then(|t| t.contact.as_ref())
                    .map(|c| self.cached_contact(account_id, &c.id))
                    .transpose()?
                    .flatten();
                let contact_email = contact
                    .as_ref()
                    .and_then(|c| c.emails.first().map(|e| e.email.clone()))
                    .or_else(|| {
                        ticket
                            .as_ref()
                            .and_then(|t| t.contact.as_ref())
                            .and_then(|c| c.emails.first().map(|e| e.email.clone()))
                    });
                let inbound = comment.is_inbound();
                let mut author = comment.author.take().unwrap_or_default();
                if inbound {
                    author.id = author.id.or(contact.as_ref().map(|c| c.id.clone()));
                    author.username = author.username.or(contact_email.clone());
                    author.name = author
                        .name
                        .or(contact.as_ref().and_then(|c| c.name.clone()));
                } else {
                    author.kind = Some("user".into());
                    if author.id.is_none() {
                        author.id = self.reply_as(account_id)?;
                    }
                    if author.name.is_none()
                        && let Some(id) = &author.id
                    {
                        author.name = self.user_name(account_id, id)?;
                    }
                    if !comment.is_internal && comment.receiver.is_none() {
                        comment.receiver = contact_email.map(|email| deck_model::Email {
                            email,
                            kind: Some("email".into()),
                        });
                    }
                }
                comment.author = Some(author);
                for a in &mut comment.attachments {
                    *a = self.stage_for_write(a)?;
                }
                Write::CreateComment { comment }
            }
            other => other,
        })
    }

    /// The helpdesk's id for a `local-N` id whose record has since been created there; any
    /// other id as it is.
    pub(crate) fn resolve_local(&self, id: &str) -> String {
        entry_of_local_id(id)
            .and_then(|e| self.store.outbox_result_id(e).ok().flatten())
            .unwrap_or_else(|| id.to_string())
    }

    /// The write's one line, naming tickets, tags and contacts as the user knows them.
    fn summary_of(&self, account_id: AccountId, write: &Write) -> String {
        write.summary_with(&|resource, id| {
            let record = self
                .store
                .get(account_id, resource.parse().ok()?, id)
                .ok()??;
            let text = |key: &str| record.get(key).and_then(Value::as_str).map(str::to_string);
            match resource {
                "tickets" => {
                    let subject = text("name").unwrap_or_default();
                    Some(match text("number") {
                        Some(n) => format!("#{n} “{subject}”"),
                        None => format!("“{subject}”"),
                    })
                }
                _ => text("name"),
            }
        })
    }

    /// Agents the cache knows not to exist are refused before anything is stored. (Tags and
    /// inboxes are not checked: Enchant lists neither, so the cache knows only those it has
    /// seen on tickets; the helpdesk refuses unknown ones.)
    fn check_references(&self, account_id: AccountId, write: &Write) -> Result<(), UnifiedError> {
        let Write::UpdateTicket { patch, .. } = write else {
            return Ok(());
        };
        let Some(assignees) = &patch.assignees else {
            return Ok(());
        };
        let known = self
            .store
            .ids(account_id, Resource::Users)
            .map_err(errors::store)?;
        // An empty cache (not synced yet) cannot tell: the helpdesk will.
        if known.is_empty() {
            return Ok(());
        }
        match assignees.iter().find(|a| !known.contains(&a.id)) {
            Some(bad) => Err(errors::validation(
                "assignees",
                format!("`{}` is not an agent of this account", bad.id),
            )),
            None => Ok(()),
        }
    }

    fn name_refs(
        &self,
        account_id: AccountId,
        mut patch: TicketPatch,
    ) -> Result<TicketPatch, UnifiedError> {
        if let Some(a) = &mut patch.assignees {
            for u in a.iter_mut() {
                if u.name.is_none() {
                    u.name = self.user_name(account_id, &u.id)?;
                }
            }
        }
        Ok(patch)
    }

    fn cached_ticket(
        &self,
        account_id: AccountId,
        id: &str,
    ) -> Result<Option<Ticket>, UnifiedError> {
        self.store.ticket(account_id, id).map_err(errors::store)
    }

    pub(crate) fn cached_contact(
        &self,
        account_id: AccountId,
        id: &str,
    ) -> Result<Option<Contact>, UnifiedError> {
        Ok(self
            .store
            .get(account_id, Resource::Contacts, id)
            .map_err(errors::store)?
            .and_then(|v| serde_json::from_value(v).ok()))
    }

    fn user_name(&self, account_id: AccountId, id: &str) -> Result<Option<String>, UnifiedError> {
        Ok(self
            .store
            .get(account_id, Resource::Users, id)
            .map_err(errors::store)?
            .and_then(|v| v.get("name").and_then(Value::as_str).map(str::to_string)))
    }

    /// The writes that turn a contact's identities into `wanted`.
    pub(crate) fn identity_changes(
        &self,
        account_id: AccountId,
        contact_id: &str,
        wanted: &[Identity],
    ) -> Result<Vec<Write>, UnifiedError> {
        let have = self
            .cached_contact(account_id, contact_id)?
            .map(|c| Identity::of_contact(&c))
            .unwrap_or_default();
        let same = |a: &Identity, b: &Identity| {
            a.kind == b.kind
                && if a.kind == "email" {
                    a.value.eq_ignore_ascii_case(&b.value)
                } else {
                    a.value == b.value
                }
        };
        let mut writes: Vec<Write> = have
            .iter()
            .filter(|h| !wanted.iter().any(|w| same(h, w)))
            .map(|h| Write::RemoveIdentity {
                contact_id: contact_id.to_string(),
                identity: h.clone(),
            })
            .collect();
        writes.extend(
            wanted
                .iter()
                .filter(|w| !have.iter().any(|h| same(h, w)))
                .map(|w| Write::AddIdentity {
                    contact_id: contact_id.to_string(),
                    identity: w.clone(),
                }),
        );
        Ok(writes)
    }
}

/// A patch after the user's choices: a field kept takes the helpdesk's value as the one decided
/// over (so it is not a conflict again); a field given up leaves the patch. `None` when nothing
/// is left to send.
fn settle<P: FieldPatch>(
    mut patch: P,
    mut base: P,
    conflicts: &[FieldConflict],
    keep_mine: impl Fn(&str) -> Option<bool>,
) -> Option<(P, P)> {
    for c in conflicts {
        if keep_mine(&c.field) == Some(true) {
            let theirs: P =
                serde_json::from_value(serde_json::json!({ c.field.as_str(): c.theirs }))
                    .unwrap_or_default();
            base = base.without(&c.field).with_field_from(&c.field, &theirs);
        } else {
            patch = patch.without(&c.field);
            base = base.without(&c.field);
        }
    }
    (!patch.is_empty()).then_some((patch, base))
}

/// Per-field failures as one validation error.
pub(crate) fn validation_error(failures: Vec<deck_model::FieldFailure>) -> UnifiedError {
    let mut e = UnifiedError::new(
        ErrorCode::Validation,
        failures
            .iter()
            .map(|f| format!("{}: {}", f.field, f.message))
            .collect::<Vec<_>>()
            .join("; "),
    );
    e.failures = failures;
    e
}

enum Sent {
    Done,
    Failed,
    Conflict,
    Waiting,
}

/// Whether two values of a patch field mean the same (references compare by id; tags as a set).
fn same(field: &str, a: &Value, b: &Value) -> bool {
    let ids = |v: &Value| -> Option<Vec<String>> {
        let mut ids: Vec<String> = v
            .as_array()?
            .iter()
            .filter_map(|r| r.get("id")?.as_str().map(str::to_string))
            .collect();
        if field == "tags" {
            ids.sort();
        }
        Some(ids)
    };
    match (ids(a), ids(b)) {
        (Some(x), Some(y)) => x == y,
        _ => {
            let text = |v: &Value| v.as_str().unwrap_or_default().trim().to_string();
            if a.is_string() || b.is_string() {
                text(a) == text(b)
            } else {
                a == b
            }
        }
    }
}

fn write_target_name(w: &Write) -> String {
    let (resource, id) = w.target(0);
    let what = if resource == "tickets" {
        "the ticket"
    } else if resource == "contacts" {
        "the contact"
    } else {
        "the record"
    };
    match w {
        Write::CreateComment { comment } => format!("the ticket {}", comment.ticket.id),
        _ => format!("{what} {id}"),
    }
}

/// The UI's view of an entry.
pub(crate) fn item(e: &OutboxEntry) -> OutboxItem {
    let (ticket_id, fields) = match &e.write {
        Write::UpdateTicket {
            ticket_id, patch, ..
        } => (
            Some(ticket_id.clone()),
            deck_model::write::TICKET_FIELDS
                .iter()
                .filter(|f| patch.field(f).is_some())
                .map(|f| f.to_string())
                .collect(),
        ),
        Write::AddTags { ticket_id, .. } | Write::RemoveTags { ticket_id, .. } => {
            (Some(ticket_id.clone()), vec!["tags".into()])
        }
        Write::CreateComment { comment } => (Some(comment.ticket.id.clone()), vec![]),
        Write::CreateTicket { .. } => (Some(e.target_id.clone()), vec![]),
        Write::UpdateContact { patch, .. } => (
            None,
            ["first_name", "last_name", "details"]
                .iter()
                .filter(|f| patch.field(f).is_some())
                .map(|f| f.to_string())
                .collect(),
        ),
        _ => (None, vec![]),
    };
    OutboxItem {
        id: e.id,
        account_id: e.account_id,
        summary: e.summary.clone(),
        state: e.state.as_str().to_string(),
        resource: e.resource.as_str().to_string(),
        target_id: e.target_id.clone(),
        ticket_id,
        fields,
        attempts: e.attempts,
        error: e.error.clone(),
        conflicts: e.conflicts.clone(),
        next_try_at: e.next_try_at.clone(),
        result_id: e.result_id.clone(),
        write: e.write.clone(),
        created_at: e.created_at.clone(),
        updated_at: e.updated_at.clone(),
    }
}

/// Whether the process that took a lease (`pid:nonce`) still runs. Where that cannot be told,
/// the lease is left to run out.
fn process_alive(owner: &str) -> bool {
    let Some(pid) = owner.split(':').next().and_then(|p| p.parse::<u32>().ok()) else {
        return true;
    };
    if pid == std::process::id() {
        return true;
    }
    if cfg!(target_os = "linux") {
        std::path::Path::new(&format!("/proc/{pid}")).exists()
    } else {
        true
    }
}
