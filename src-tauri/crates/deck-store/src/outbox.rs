//! The outbox: writes stored before they are sent, shown in the cache at once, and kept until
//! the helpdesk has them. A record that pending writes change keeps the helpdesk's own version
//! in `outbox_shadows`; the cached row is that version with the pending writes laid on top, so
//! a sync that fetches the record again never hides a pending change, and a discarded or failed
//! write leaves the helpdesk's version behind.

use crate::records::{delete_record, read_record, upsert};
use crate::{Result, Store, StoreError, now};
use deck_model::{FieldConflict, Record, Resource, UnifiedError, Write};
use rusqlite::{Connection, OptionalExtension, params};
use serde::Serialize;
use std::time::Duration;

/// Where an outbox entry stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum OutboxState {
    /// Waiting to be sent (or to be sent again after a failure that may pass).
    Pending,
    /// A sender holds it and may be talking to the helpdesk.
    Sending,
    /// The helpdesk refused it; it waits for the user to retry, edit or discard it.
    Failed,
    /// The helpdesk changed a field this write changes; the user picks a value.
    Conflict,
    /// The helpdesk has it.
    Done,
}

impl OutboxState {
    pub fn as_str(self) -> &'static str {
        match self {
            OutboxState::Pending => "pending",
            OutboxState::Sending => "sending",
            OutboxState::Failed => "failed",
            OutboxState::Conflict => "conflict",
            OutboxState::Done => "done",
        }
    }

    fn parse(s: &str) -> OutboxState {
        match s {
            "sending" => OutboxState::Sending,
            "failed" => OutboxState::Failed,
            "conflict" => OutboxState::Conflict,
            "done" => OutboxState::Done,
            _ => OutboxState::Pending,
        }
    }
}

/// One stored write.
#[derive(Clone, Debug, PartialEq)]
pub struct OutboxEntry {
    pub id: i64,
    pub account_id: i64,
    pub write: Write,
    pub resource: Resource,
    pub target_id: String,
    pub summary: String,
    pub state: OutboxState,
    pub attempts: u32,
    /// An earlier attempt may have reached the helpdesk without its answer arriving: the
    /// sender checks whether the write happened before sending it again.
    pub in_doubt: bool,
    /// When the first attempt that may have reached the helpdesk began.
    pub sent_at: Option<String>,
    pub next_try_at: Option<String>,
    pub error: Option<UnifiedError>,
    pub conflicts: Vec<FieldConflict>,
    /// The helpdesk's id of the record a create made.
    pub result_id: Option<String>,
    pub created_at: String,
    pub updated_at: String,
}

const COLUMNS: &str = "id, account_id, write, resource, target_id, summary, state, attempts, \
                       in_doubt, sent_at, next_try_at, error, conflicts, result_id, created_at, \
                       updated_at";

fn entry_of(r: &rusqlite::Row<'_>) -> rusqlite::Result<OutboxEntry> {
    let json_err = |i: usize, e: serde_json::Error| {
        rusqlite::Error::FromSqlConversionFailure(i, rusqlite::types::Type::Text, Box::new(e))
    };
    let write: String = r.get(2)?;
    let resource: String = r.get(3)?;
    let error: Option<String> = r.get(11)?;
    let conflicts: Option<String> = r.get(12)?;
    Ok(OutboxEntry {
        id: r.get(0)?,
        account_id: r.get(1)?,
        write: serde_json::from_str(&write).map_err(|e| json_err(2, e))?,
        resource: resource.parse().unwrap_or(Resource::Tickets),
        target_id: r.get(4)?,
        summary: r.get(5)?,
        state: OutboxState::parse(&r.get::<_, String>(6)?),
        attempts: r.get(7)?,
        in_doubt: r.get(8)?,
        sent_at: r.get(9)?,
        next_try_at: r.get(10)?,
        error: error
            .map(|e| serde_json::from_str(&e))
            .transpose()
            .map_err(|e| json_err(11, e))?,
        conflicts: conflicts
            .map(|c| serde_json::from_str(&c))
            .transpose()
            .map_err(|e| json_err(12, e))?
            .unwrap_or_default(),
        result_id: r.get(13)?,
        created_at: r.get(14)?,
        updated_at: r.get(15)?,
    })
}

/// A claim on an entry: who sends it and until when others keep off it.
#[derive(Clone, Debug)]
pub struct Lease<'a> {
    pub owner: &'a str,
    pub length: Duration,
}

impl Store {
    /// Stores `write` (with the one line that describes it) and shows it in the cache, in one
    /// transaction. Returns the entry's id.
    pub fn outbox_push(&self, account_id: i64, write: &Write, summary: &str) -> Result<i64> {
        let mut conn = self.conn();
        let tx = conn.transaction()?;
        let at = now();
        tx.execute(
            "INSERT INTO outbox (account_id, write, resource, target_id, summary, created_at, updated_at)
             VALUES (?1, ?2, '', '', ?3, ?4, ?4)",
            params![account_id, serde_json::to_string(write)?, summary, at],
        )?;
        let id = tx.last_insert_rowid();
        let (resource, target) = write.target(id);
        tx.execute(
            "UPDATE outbox SET resource = ?1, target_id = ?2 WHERE id = ?3",
            params![resource, target, id],
        )?;
        let resource: Resource = resource.parse().map_err(StoreError::Constraint)?;
        relayer(&tx, account_id, resource, &target)?;
        tx.commit()?;
        drop(conn);
        self.notify_target(account_id, resource, &target);
        Ok(id)
    }

    /// Entries of one account (or all), newest first; `done` ones only when asked.
    pub fn outbox_entries(
        &self,
        account_id: Option<i64>,
        with_done: bool,
    ) -> Result<Vec<OutboxEntry>> {
        let conn = self.conn();
        let mut stmt = conn.prepare(&format!(
            "SELECT {COLUMNS} FROM outbox
             WHERE (?1 IS NULL OR account_id = ?1) AND (?2 OR state != 'done')
             ORDER BY id DESC"
        ))?;
        let rows = stmt
            .query_map(params![account_id, with_done], entry_of)?
            .collect::<rusqlite::Result<_>>()?;
        Ok(rows)
    }

    pub fn outbox_entry(&self, id: i64) -> Result<Option<OutboxEntry>> {
        let conn = self.conn();
        Ok(conn
            .query_row(
                &format!("SELECT {COLUMNS} FROM outbox WHERE id = ?1"),
                [id],
                entry_of,
            )
            .optional()?)
    }

    /// Entries that are not done yet, per account: `(account_id, count)`.
    pub fn outbox_open_counts(&self) -> Result<Vec<(i64, u32)>> {
        let conn = self.conn();
        let mut stmt = conn.prepare(
            "SELECT account_id, count(*) FROM outbox WHERE state != 'done' GROUP BY account_id",
        )?;
        let rows = stmt
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<rusqlite::Result<_>>()?;
        Ok(rows)
    }

    /// Takes the oldest entry of `account_id` that is due: pending (and its retry time passed),
    /// or sending under a lease that ran out (its sender died: the entry becomes in doubt).
    /// Entries wait while an earlier entry on the same record is on its way, so writes reach
    /// the helpdesk in the order they were made; one that waits for the user (failed, in
    /// conflict) holds nothing up.
    pub fn outbox_claim(&self, account_id: i64, lease: &Lease<'_>) -> Result<Option<OutboxEntry>> {
        let mut conn = self.conn();
        // Another process (the app, the CLI) may claim at the same moment: take the write lock
        // up front so exactly one of them gets the entry.
        let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        // Lease and retry times carry milliseconds; compare them with a time that does too.
        let at = chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, true);
        let until = (chrono::Utc::now()
            + chrono::Duration::from_std(lease.length).unwrap_or(chrono::Duration::seconds(60)))
        .to_rfc3339_opts(chrono::SecondsFormat::Millis, true);
        let candidate: Option<(i64, String)> = tx
            .query_row(
                "SELECT o.id, o.state FROM outbox o
                 WHERE o.account_id = ?1
                   AND ((o.state = 'pending' AND (o.next_try_at IS NULL OR o.next_try_at <= ?2))
                        OR (o.state = 'sending' AND o.lease_until < ?2))
                   AND NOT EXISTS (
                     SELECT 1 FROM outbox e
                     WHERE e.account_id = o.account_id AND e.resource = o.resource
                       AND e.target_id = o.target_id AND e.id < o.id
                       AND e.state IN ('pending', 'sending'))
                 ORDER BY o.id LIMIT 1",
                params![account_id, at],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?;
        let Some((id, state)) = candidate else {
            return Ok(None);
        };
        tx.execute(
            "UPDATE outbox SET state = 'sending', lease_owner = ?2, lease_until = ?3,
                    attempts = attempts + 1, in_doubt = in_doubt OR ?4,
                    sent_at = coalesce(sent_at, ?5), updated_at = ?5
             WHERE id = ?1",
            params![id, lease.owner, until, state == "sending", at],
        )?;
        let entry = tx.query_row(
            &format!("SELECT {COLUMNS} FROM outbox WHERE id = ?1"),
            [id],
            entry_of,
        )?;
        tx.commit()?;
        Ok(Some(entry))
    }

    /// Ends the leases of entries being sent by processes that are gone (`alive` tells from
    /// the lease owner), so they are taken over at once rather than when the lease runs out.
    pub fn outbox_release_dead_leases(
        &self,
        account_id: i64,
        own: &str,
        alive: impl Fn(&str) -> bool,
    ) -> Result<()> {
        let conn = self.conn();
        let mut stmt = conn.prepare(
            "SELECT id, lease_owner FROM outbox
             WHERE account_id = ?1 AND state = 'sending' AND lease_owner IS NOT NULL",
        )?;
        let held: Vec<(i64, String)> = stmt
            .query_map([account_id], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<rusqlite::Result<_>>()?;
        drop(stmt);
        for (id, owner) in held {
            if owner != own && !alive(&owner) {
                conn.execute(
                    "UPDATE outbox SET lease_until = '0000' WHERE id = ?1 AND lease_owner = ?2",
                    params![id, owner],
                )?;
            }
        }
        Ok(())
    }

    /// Renews the lease of a claimed entry just before its request goes out, so the request
    /// has the whole lease. False when the entry is no longer this sender's (another sender
    /// took it over after the lease ran out): it must not be sent from here.
    pub fn outbox_renew_lease(&self, id: i64, lease: &Lease<'_>) -> Result<bool> {
        let until = (chrono::Utc::now()
            + chrono::Duration::from_std(lease.length).unwrap_or(chrono::Duration::seconds(60)))
        .to_rfc3339_opts(chrono::SecondsFormat::Millis, true);
        let renewed = self.conn().execute(
            "UPDATE outbox SET lease_until = ?3
             WHERE id = ?1 AND state = 'sending' AND lease_owner = ?2",
            params![id, lease.owner, until],
        )?;
        Ok(renewed == 1)
    }

    /// The helpdesk has the write: stores what it answered (`records`, replacing the local
    /// placeholder of a created record) and marks the entry done, in one transaction.
    pub fn outbox_done(&self, id: i64, result_id: Option<&str>, records: &[Record]) -> Result<()> {
        let Some(entry) = self.outbox_entry(id)? else {
            return Ok(());
        };
        let mut conn = self.conn();
        let tx = conn.transaction()?;
        tx.execute(
            "UPDATE outbox SET state = 'done', result_id = ?2, error = NULL, conflicts = NULL,
                    lease_owner = NULL, lease_until = NULL, in_doubt = 0, updated_at = ?3
             WHERE id = ?1",
            params![id, result_id, now()],
        )?;
        let created_local = deck_model::write::entry_of_local_id(&entry.target_id) == Some(id);
        if created_local {
            // The placeholder goes; writes made on it since now point at the helpdesk's id.
            tx.execute(
                "DELETE FROM outbox_shadows WHERE account_id = ?1 AND resource = ?2 AND id = ?3",
                params![entry.account_id, entry.resource.as_str(), entry.target_id],
            )?;
            delete_record(&tx, entry.account_id, entry.resource, &entry.target_id)?;
            if let Some(real) = result_id {
                tx.execute(
                    "UPDATE outbox SET target_id = ?3
                     WHERE account_id = ?1 AND target_id = ?2 AND state != 'done'",
                    params![entry.account_id, entry.target_id, real],
                )?;
                if entry.resource == Resource::Tickets {
                    tx.execute(
                        "UPDATE comments SET ticket_id = ?3 WHERE account_id = ?1 AND ticket_id = ?2",
                        params![entry.account_id, entry.target_id, real],
                    )?;
                }
            }
        }
        for record in records {
            store_from_helpdesk(&tx, entry.account_id, record)?;
        }
        relayer(&tx, entry.account_id, entry.resource, &entry.target_id)?;
        if let Some(real) = result_id.filter(|_| created_local) {
            relayer(&tx, entry.account_id, entry.resource, real)?;
        }
        tx.commit()?;
        drop(conn);
        self.notify_target(entry.account_id, entry.resource, &entry.target_id);
        for r in records {
            self.notify_target(entry.account_id, r.resource(), r.id());
        }
        Ok(())
    }

    /// The attempt failed in a way that may pass (offline, rate limit, 5xx): back to pending,
    /// tried again from `next_try_at`. `in_doubt` records that the helpdesk may have done it.
    pub fn outbox_retry_later(
        &self,
        id: i64,
        error: &UnifiedError,
        next_try_at: &str,
        in_doubt: bool,
    ) -> Result<()> {
        self.conn().execute(
            "UPDATE outbox SET state = 'pending', error = ?2, next_try_at = ?3,
                    in_doubt = in_doubt OR ?4, lease_owner = NULL, lease_until = NULL,
                    updated_at = ?5
             WHERE id = ?1",
            params![
                id,
                serde_json::to_string(error)?,
                next_try_at,
                in_doubt,
                now()
            ],
        )?;
        self.notify_entry(id)
    }

    /// The helpdesk refused the write: it stays, failed with the reason, for the user to retry,
    /// edit or discard; the cache shows the helpdesk's version again.
    pub fn outbox_fail(&self, id: i64, error: &UnifiedError) -> Result<()> {
        self.set_final_state(id, "failed", Some(serde_json::to_string(error)?), None)
    }

    /// The helpdesk changed fields this write changes: the user chooses.
    pub fn outbox_conflict(&self, id: i64, conflicts: &[FieldConflict]) -> Result<()> {
        self.set_final_state(
            id,
            "conflict",
            None,
            Some(serde_json::to_string(conflicts)?),
        )
    }

    fn set_final_state(
        &self,
        id: i64,
        state: &str,
        error: Option<String>,
        conflicts: Option<String>,
    ) -> Result<()> {
        let Some(entry) = self.outbox_entry(id)? else {
            return Ok(());
        };
        let mut conn = self.conn();
        let tx = conn.transaction()?;
        tx.execute(
            "UPDATE outbox SET state = ?2, error = ?3, conflicts = ?4, lease_owner = NULL,
                    lease_until = NULL, updated_at = ?5
             WHERE id = ?1",
            params![id, state, error, conflicts, now()],
        )?;
        relayer(&tx, entry.account_id, entry.resource, &entry.target_id)?;
        tx.commit()?;
        drop(conn);
        self.notify_target(entry.account_id, entry.resource, &entry.target_id);
        Ok(())
    }

    /// Sends a failed or conflicting entry again, optionally with a changed write and its
    /// summary (an edit, or the user's choice in a conflict). Returns false if the entry is not
    /// waiting for the user.
    pub fn outbox_requeue(&self, id: i64, write: Option<(&Write, &str)>) -> Result<bool> {
        let Some(entry) = self.outbox_entry(id)? else {
            return Ok(false);
        };
        let waits_for_user = matches!(entry.state, OutboxState::Failed | OutboxState::Conflict);
        let retry_now = entry.state == OutboxState::Pending && write.is_none();
        if !(waits_for_user || retry_now) {
            return Ok(false);
        }
        let mut conn = self.conn();
        let tx = conn.transaction()?;
        let (write, summary) = write.unwrap_or((&entry.write, &entry.summary));
        tx.execute(
            "UPDATE outbox SET state = 'pending', write = ?2, summary = ?3, error = NULL,
                    conflicts = NULL, next_try_at = NULL, updated_at = ?4
             WHERE id = ?1",
            params![id, serde_json::to_string(write)?, summary, now()],
        )?;
        relayer(&tx, entry.account_id, entry.resource, &entry.target_id)?;
        tx.commit()?;
        drop(conn);
        self.notify_target(entry.account_id, entry.resource, &entry.target_id);
        Ok(true)
    }

    /// Drops an entry the user gave up on (not while it is being sent, nor once done). The
    /// cache shows the helpdesk's version again. Returns the dropped entry.
    pub fn outbox_discard(&self, id: i64) -> Result<Option<OutboxEntry>> {
        let Some(entry) = self.outbox_entry(id)? else {
            return Ok(None);
        };
        if matches!(entry.state, OutboxState::Sending | OutboxState::Done) {
            return Err(StoreError::Constraint(format!(
                "outbox entry {id} is {}: it cannot be discarded now",
                entry.state.as_str()
            )));
        }
        let mut conn = self.conn();
        let tx = conn.transaction()?;
        tx.execute("DELETE FROM outbox WHERE id = ?1", [id])?;
        relayer(&tx, entry.account_id, entry.resource, &entry.target_id)?;
        tx.commit()?;
        drop(conn);
        self.notify_target(entry.account_id, entry.resource, &entry.target_id);
        Ok(Some(entry))
    }

    /// The real id the helpdesk gave to what entry `id` created, once it has.
    pub fn outbox_result_id(&self, id: i64) -> Result<Option<String>> {
        Ok(self
            .conn()
            .query_row(
                "SELECT result_id FROM outbox WHERE id = ?1 AND state = 'done'",
                [id],
                |r| r.get(0),
            )
            .optional()?
            .flatten())
    }

    /// Forgets done entries older than `keep`.
    pub fn outbox_prune(&self, keep: Duration) -> Result<usize> {
        let before = (chrono::Utc::now()
            - chrono::Duration::from_std(keep).unwrap_or(chrono::Duration::days(7)))
        .to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
        Ok(self.conn().execute(
            "DELETE FROM outbox WHERE state = 'done' AND updated_at < ?1",
            [before],
        )?)
    }

    fn notify_entry(&self, id: i64) -> Result<()> {
        if let Some(e) = self.outbox_entry(id)? {
            self.notify_target(e.account_id, e.resource, &e.target_id);
        }
        Ok(())
    }

    fn notify_target(&self, account_id: i64, resource: Resource, id: &str) {
        self.notify(vec![crate::Change {
            account_id,
            resource,
            ids: vec![id.to_string()],
        }]);
    }
}

/// Stores a record the helpdesk sent. Where pending writes change it, the helpdesk's version
/// becomes the shadow and the pending writes are laid on top again.
pub(crate) fn store_from_helpdesk(tx: &Connection, account_id: i64, record: &Record) -> Result<()> {
    let resource = record.resource();
    if !matches!(resource, Resource::Tickets | Resource::Contacts) {
        return upsert(tx, account_id, record);
    }
    let shadowed = tx
        .prepare_cached(
            "UPDATE outbox_shadows SET data = ?4 WHERE account_id = ?1 AND resource = ?2 AND id = ?3",
        )?
        .execute(params![
            account_id,
            resource.as_str(),
            record.id(),
            serde_json::to_string(&record.to_json())?
        ])?;
    if shadowed == 0 {
        return upsert(tx, account_id, record);
    }
    relayer(tx, account_id, resource, record.id())
}

/// Rebuilds the cached `id` from the helpdesk's version (the shadow) and the writes on it that
/// are not settled (pending or sending), in the order they were made.
fn relayer(tx: &Connection, account_id: i64, resource: Resource, id: &str) -> Result<()> {
    let mut stmt = tx.prepare_cached(
        "SELECT id, write, created_at FROM outbox
         WHERE account_id = ?1 AND resource = ?2 AND target_id = ?3
           AND state IN ('pending', 'sending')
         ORDER BY id",
    )?;
    let active: Vec<(i64, String, String)> = stmt
        .query_map(params![account_id, resource.as_str(), id], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?))
        })?
        .collect::<rusqlite::Result<_>>()?;
    drop(stmt);
    let shadow: Option<Option<String>> = tx
        .query_row(
            "SELECT data FROM outbox_shadows WHERE account_id = ?1 AND resource = ?2 AND id = ?3",
            params![account_id, resource.as_str(), id],
            |r| r.get(0),
        )
        .optional()?;
    if active.is_empty() {
        if let Some(data) = shadow {
            tx.execute(
                "DELETE FROM outbox_shadows WHERE account_id = ?1 AND resource = ?2 AND id = ?3",
                params![account_id, resource.as_str(), id],
            )?;
            match data {
                Some(d) => upsert(tx, account_id, &parse_record(resource, &d)?)?,
                None => delete_record(tx, account_id, resource, id)?,
            }
        }
        return Ok(());
    }
    let base = match shadow {
        Some(data) => data,
        None => {
            let current = read_record(tx, account_id, resource, id)?;
            tx.execute(
                "INSERT INTO outbox_shadows (account_id, resource, id, data) VALUES (?1, ?2, ?3, ?4)",
                params![account_id, resource.as_str(), id, current],
            )?;
            current
        }
    };
    let mut record = base.map(|d| parse_record(resource, &d)).transpose()?;
    for (entry, write, at) in active {
        let write: Write = serde_json::from_str(&write)?;
        record = write.overlay(record, entry, &at);
    }
    match record {
        Some(r) => upsert(tx, account_id, &r)?,
        None => delete_record(tx, account_id, resource, id)?,
    }
    Ok(())
}

fn parse_record(resource: Resource, data: &str) -> Result<Record> {
    Ok(match resource {
        Resource::Tickets => Record::Ticket(serde_json::from_str(data)?),
        Resource::Comments => Record::Comment(serde_json::from_str(data)?),
        Resource::Contacts => Record::Contact(serde_json::from_str(data)?),
        other => {
            return Err(StoreError::Constraint(format!(
                "the outbox does not change {other}"
            )));
        }
    })
}
