//! Writing unified records (one transaction per batch, with its checkpoint) and reading them
//! back as Truto-shaped JSON with keyset pagination.

use crate::checkpoints::checkpoints_put;
use crate::outbox::store_from_helpdesk;
use crate::{Checkpoint, Result, Store, StoreError, now};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use deck_model::{Comment, Record, Resource, Ticket};
use rusqlite::{Connection, OptionalExtension, params, params_from_iter};
use serde_json::Value;

/// What one cache write holds: records, the thread they complete and the checkpoint they reach.
#[derive(Clone, Debug, Default)]
pub struct Batch {
    pub records: Vec<Record>,
    /// Set when `records` hold a ticket's whole thread: comments of that ticket not in the batch
    /// are removed, and the thread is marked cached at the ticket's `updated_at`.
    pub thread_of: Option<(String, Option<String>)>,
    pub checkpoint: Option<(String, Checkpoint)>,
    /// Set on the last page of a sweep that began at the given time: records of the resource
    /// not stored since are marked deleted (tombstones).
    pub tombstone: Option<(Resource, String)>,
}

/// One page of cached records and the cursor of the next.
#[derive(Clone, Debug, PartialEq)]
pub struct Page {
    pub items: Vec<Value>,
    pub next_cursor: Option<String>,
}

impl Store {
    /// Writes a batch in one transaction: either all of it lands or none.
    pub fn apply(&self, account_id: i64, batch: &Batch) -> Result<()> {
        let mut conn = self.conn();
        let tx = conn.transaction()?;
        for record in &batch.records {
            store_from_helpdesk(&tx, account_id, record)?;
        }
        if let Some((ticket_id, ticket_updated_at)) = &batch.thread_of {
            let keep: Vec<&str> = batch
                .records
                .iter()
                .filter_map(|r| match r {
                    Record::Comment(c) => Some(c.id.as_str()),
                    _ => None,
                })
                .collect();
            let mut stmt = tx.prepare_cached(
                "SELECT id FROM comments WHERE account_id = ?1 AND ticket_id = ?2 AND id NOT LIKE 'local-%'",
            )?;
            let cached: Vec<String> = stmt
                .query_map(params![account_id, ticket_id], |r| r.get(0))?
                .collect::<rusqlite::Result<_>>()?;
            drop(stmt);
            for id in cached.iter().filter(|id| !keep.contains(&id.as_str())) {
                tx.execute(
                    "DELETE FROM comments WHERE account_id = ?1 AND id = ?2",
                    params![account_id, id],
                )?;
            }
            tx.execute(
                "INSERT INTO threads (account_id, ticket_id, ticket_updated_at, synced_at)
                 VALUES (?1, ?2, ?3, ?4)
                 ON CONFLICT (account_id, ticket_id) DO UPDATE
                 SET ticket_updated_at = excluded.ticket_updated_at, synced_at = excluded.synced_at",
                params![account_id, ticket_id, ticket_updated_at, now()],
            )?;
        }
        if let Some((resource, cp)) = &batch.checkpoint {
            checkpoints_put(&tx, account_id, resource, cp)?;
        }
        let mut gone: Vec<String> = Vec::new();
        if let Some((resource, since)) = &batch.tombstone {
            let mut stmt = tx.prepare(
                "UPDATE records SET deleted_at = ?4
                 WHERE account_id = ?1 AND resource = ?2 AND deleted_at IS NULL
                   AND (seen_at IS NULL OR seen_at < ?3)
                 RETURNING id",
            )?;
            gone = stmt
                .query_map(params![account_id, resource.as_str(), since, now()], |r| {
                    r.get(0)
                })?
                .collect::<rusqlite::Result<_>>()?;
        }
        tx.commit()?;
        drop(conn);
        let mut changes: Vec<crate::Change> = Vec::new();
        if let Some((resource, _)) = &batch.tombstone
            && !gone.is_empty()
        {
            changes.push(crate::Change {
                account_id,
                resource: *resource,
                ids: gone,
            });
        }
        for record in &batch.records {
            let resource = record.resource();
            match changes.iter_mut().find(|c| c.resource == resource) {
                Some(c) => c.ids.push(record.id().to_string()),
                None => changes.push(crate::Change {
                    account_id,
                    resource,
                    ids: vec![record.id().to_string()],
                }),
            }
        }
        self.notify(changes);
        Ok(())
    }

    /// One cached record as Truto-shaped JSON.
    pub fn get(&self, account_id: i64, resource: Resource, id: &str) -> Result<Option<Value>> {
        let conn = self.conn();
        let (sql, args): (&str, Vec<String>) = match resource {
            Resource::Tickets => (
                "SELECT data FROM tickets WHERE account_id = ?1 AND id = ?2",
                vec![id.into()],
            ),
            Resource::Comments => (
                "SELECT data FROM comments WHERE account_id = ?1 AND id = ?2",
                vec![id.into()],
            ),
            other => (
                "SELECT data FROM records
                 WHERE account_id = ?1 AND id = ?2 AND resource = ?3 AND deleted_at IS NULL",
                vec![id.into(), other.as_str().into()],
            ),
        };
        let mut values: Vec<rusqlite::types::Value> = vec![account_id.into()];
        values.extend(args.into_iter().map(Into::into));
        let data: Option<String> = conn
            .query_row(sql, params_from_iter(values), |r| r.get(0))
            .optional()?;
        Ok(data.map(|d| serde_json::from_str(&d)).transpose()?)
    }

    /// A page of cached records of one resource, ordered by id. `filters` are `(field, value)`
    /// pairs the resource supports (e.g. `ticket_id` for comments); an unsupported one is an
    /// error naming the fields that are.
    pub fn list(
        &self,
        account_id: i64,
        resource: Resource,
        filters: &[(String, String)],
        limit: u32,
        cursor: Option<&str>,
    ) -> Result<Page> {
        let (table, allowed): (&str, &[(&str, &str)]) = match resource {
            Resource::Tickets => (
                "tickets",
                &[
                    ("status", "status = ?"),
                    ("assignee_id", "assignee_id = ?"),
                    ("contact_id", "contact_id = ?"),
                    ("collection_id", "collection_id = ?"),
                    (
                        "tag_id",
                        "id IN (SELECT ticket_id FROM ticket_tags WHERE account_id = tickets.account_id AND tag_id = ?)",
                    ),
                ],
            ),
            Resource::Comments => ("comments", &[("ticket_id", "ticket_id = ?")]),
            Resource::Attachments => ("records", &[("ticket_id", "parent_id = ?")]),
            _ => ("records", &[]),
        };
        let mut sql = format!("SELECT id, data FROM {table} WHERE account_id = ?");
        let mut args: Vec<rusqlite::types::Value> = vec![account_id.into()];
        if table == "records" {
            sql.push_str(" AND resource = ? AND deleted_at IS NULL");
            args.push(resource.as_str().to_string().into());
        }
        for (key, value) in filters {
            let Some((_, clause)) = allowed.iter().find(|(k, _)| k == key) else {
                let names: Vec<&str> = allowed.iter().map(|(k, _)| *k).collect();
                return Err(StoreError::Constraint(format!(
                    "{resource} cannot be filtered by `{key}`{}",
                    if names.is_empty() {
                        String::new()
                    } else {
                        format!(" (filters: {})", names.join(", "))
                    }
                )));
            };
            sql.push_str(" AND ");
            sql.push_str(clause);
            args.push(value.clone().into());
        }
        if let Some(c) = cursor {
            let bytes = URL_SAFE_NO_PAD
                .decode(c)
                .map_err(|_| StoreError::BadCursor)?;
            let after = String::from_utf8(bytes).map_err(|_| StoreError::BadCursor)?;
            sql.push_str(" AND id > ?");
            args.push(after.into());
        }
        sql.push_str(" ORDER BY id LIMIT ?");
        let limit = limit.clamp(1, 1000);
        args.push((i64::from(limit) + 1).into());

        let conn = self.conn();
        let mut stmt = conn.prepare(&sql)?;
        let mut rows: Vec<(String, String)> = stmt
            .query_map(params_from_iter(args), |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<rusqlite::Result<_>>()?;
        let next_cursor = if rows.len() > limit as usize {
            rows.truncate(limit as usize);
            rows.last().map(|(id, _)| URL_SAFE_NO_PAD.encode(id))
        } else {
            None
        };
        let items = rows
            .into_iter()
            .map(|(_, data)| serde_json::from_str(&data))
            .collect::<Result<_, _>>()?;
        Ok(Page { items, next_cursor })
    }

    /// Every cached record of a small resource (users, tags, collections, statuses).
    pub fn all<T: serde::de::DeserializeOwned>(
        &self,
        account_id: i64,
        resource: Resource,
    ) -> Result<Vec<T>> {
        let conn = self.conn();
        let mut stmt = conn.prepare_cached(
            "SELECT data FROM records
             WHERE account_id = ?1 AND resource = ?2 AND deleted_at IS NULL ORDER BY id",
        )?;
        let rows: Vec<String> = stmt
            .query_map(params![account_id, resource.as_str()], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        Ok(rows
            .iter()
            .map(|d| serde_json::from_str(d))
            .collect::<Result<_, _>>()?)
    }

    /// A ticket's cached comments, oldest first.
    pub fn comments(&self, account_id: i64, ticket_id: &str) -> Result<Vec<Comment>> {
        let conn = self.conn();
        let mut stmt = conn.prepare_cached(
            "SELECT data FROM comments WHERE account_id = ?1 AND ticket_id = ?2 ORDER BY created_at, id",
        )?;
        let rows: Vec<String> = stmt
            .query_map(params![account_id, ticket_id], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        Ok(rows
            .iter()
            .map(|d| serde_json::from_str(d))
            .collect::<Result<_, _>>()?)
    }

    /// A cached ticket.
    pub fn ticket(&self, account_id: i64, ticket_id: &str) -> Result<Option<Ticket>> {
        Ok(self
            .get(account_id, Resource::Tickets, ticket_id)?
            .map(serde_json::from_value)
            .transpose()?)
    }
}

pub(crate) fn upsert(conn: &Connection, account_id: i64, record: &Record) -> Result<()> {
    let data = serde_json::to_string(&record.to_json())?;
    match record {
        Record::Ticket(t) => {
            conn.prepare_cached(
                "INSERT INTO tickets (account_id, id, number, subject, status, assignee_id, contact_id,
                                      collection_id, created_at, updated_at, data)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)
                 ON CONFLICT (account_id, id) DO UPDATE SET
                   number = excluded.number, subject = excluded.subject, status = excluded.status,
                   assignee_id = excluded.assignee_id, contact_id = excluded.contact_id,
                   collection_id = excluded.collection_id, created_at = excluded.created_at,
                   updated_at = excluded.updated_at, data = excluded.data",
            )?
            .execute(params![
                account_id,
                t.id,
                t.number,
                t.name.as_deref().unwrap_or_default(),
                t.status.as_ref().and_then(|s| s.name.as_deref()),
                t.assignees.first().map(|a| &a.id),
                t.contact.as_ref().map(|c| &c.id),
                t.collections.first().map(|c| &c.id),
                t.created_at,
                t.updated_at,
                data
            ])?;
            conn.prepare_cached(
                "DELETE FROM ticket_tags WHERE account_id = ?1 AND ticket_id = ?2",
            )?
            .execute(params![account_id, t.id])?;
            let mut tag = conn.prepare_cached(
                "INSERT OR IGNORE INTO ticket_tags (account_id, ticket_id, tag_id) VALUES (?1, ?2, ?3)",
            )?;
            for tag_ref in &t.tags {
                tag.execute(params![account_id, t.id, tag_ref.id])?;
            }
        }
        Record::Comment(c) => {
            let ticket_id = c.ticket.as_ref().map(|t| t.id.as_str()).ok_or_else(|| {
                StoreError::Constraint(format!("comment {} names no ticket", c.id))
            })?;
            conn.prepare_cached(
                "INSERT INTO comments (account_id, id, ticket_id, created_at, is_internal, data)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)
                 ON CONFLICT (account_id, id) DO UPDATE SET
                   ticket_id = excluded.ticket_id, created_at = excluded.created_at,
                   is_internal = excluded.is_internal, data = excluded.data",
            )?
            .execute(params![
                account_id,
                c.id,
                ticket_id,
                c.created_at,
                c.is_internal,
                data
            ])?;
        }
        other => {
            let parent = match other {
                Record::Attachment(a) => a.ticket_id.clone(),
                _ => None,
            };
            conn.prepare_cached(
                "INSERT INTO records (account_id, resource, id, parent_id, data, seen_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)
                 ON CONFLICT (account_id, resource, id) DO UPDATE SET
                   parent_id = excluded.parent_id, data = excluded.data,
                   seen_at = excluded.seen_at, deleted_at = NULL",
            )?
            .execute(params![
                account_id,
                other.resource().as_str(),
                other.id(),
                parent,
                data,
                crate::now()
            ])?;
        }
    }
    Ok(())
}

impl Store {
    /// The ids of every cached record of a resource kept in `records`.
    pub fn ids(
        &self,
        account_id: i64,
        resource: Resource,
    ) -> Result<std::collections::HashSet<String>> {
        let conn = self.conn();
        let mut stmt = conn.prepare_cached(
            "SELECT id FROM records WHERE account_id = ?1 AND resource = ?2 AND deleted_at IS NULL",
        )?;
        let ids = stmt
            .query_map(params![account_id, resource.as_str()], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        Ok(ids)
    }
}

fn table_of(resource: Resource) -> &'static str {
    match resource {
        Resource::Tickets => "tickets",
        Resource::Comments => "comments",
        _ => "records",
    }
}

/// The stored JSON of one record, if cached.
pub(crate) fn read_record(
    conn: &Connection,
    account_id: i64,
    resource: Resource,
    id: &str,
) -> Result<Option<String>> {
    let table = table_of(resource);
    let sql = if table == "records" {
        "SELECT data FROM records WHERE account_id = ?1 AND id = ?2 AND resource = ?3".to_string()
    } else {
        format!("SELECT data FROM {table} WHERE account_id = ?1 AND id = ?2 AND ?3 = ?3")
    };
    Ok(conn
        .query_row(&sql, params![account_id, id, resource.as_str()], |r| {
            r.get(0)
        })
        .optional()?)
}

/// Removes one record (and a ticket's tag links).
pub(crate) fn delete_record(
    conn: &Connection,
    account_id: i64,
    resource: Resource,
    id: &str,
) -> Result<()> {
    match table_of(resource) {
        "tickets" => {
            conn.execute(
                "DELETE FROM tickets WHERE account_id = ?1 AND id = ?2",
                params![account_id, id],
            )?;
            conn.execute(
                "DELETE FROM ticket_tags WHERE account_id = ?1 AND ticket_id = ?2",
                params![account_id, id],
            )?;
        }
        "comments" => {
            conn.execute(
                "DELETE FROM comments WHERE account_id = ?1 AND id = ?2",
                params![account_id, id],
            )?;
        }
        _ => {
            conn.execute(
                "DELETE FROM records WHERE account_id = ?1 AND resource = ?2 AND id = ?3",
                params![account_id, resource.as_str(), id],
            )?;
        }
    }
    Ok(())
}
