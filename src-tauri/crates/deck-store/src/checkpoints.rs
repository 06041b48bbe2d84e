//! The `checkpoints` and `threads` tables: where each resource's sync stands, and which
//! tickets have their thread cached.

use crate::{Result, Store, now};
use rusqlite::{OptionalExtension, params};

/// Where a resource's sync stands for one account.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Checkpoint {
    /// The provider's opaque cursor: the next page of an unfinished listing, or where changes
    /// start after a finished one; `None` to start over.
    pub cursor: Option<String>,
    /// True when the last run reached the end.
    pub complete: bool,
    /// When it was written (RFC 3339); ignored when writing.
    pub written_at: Option<String>,
    /// When the listing in progress began, if it began from the start (a sweep): at its end,
    /// records not seen since are tombstoned.
    pub sweep_started_at: Option<String>,
}

impl Store {
    pub fn checkpoint(&self, account_id: i64, resource: &str) -> Result<Option<Checkpoint>> {
        let conn = self.conn();
        let row = conn
            .query_row(
                "SELECT cursor, complete, updated_at, sweep_started_at FROM checkpoints
                 WHERE account_id = ?1 AND resource = ?2",
                params![account_id, resource],
                |r| {
                    Ok(Checkpoint {
                        cursor: r.get(0)?,
                        complete: r.get(1)?,
                        written_at: r.get(2)?,
                        sweep_started_at: r.get(3)?,
                    })
                },
            )
            .optional()?;
        Ok(row)
    }

    pub fn set_checkpoint(&self, account_id: i64, resource: &str, cp: &Checkpoint) -> Result<()> {
        let conn = self.conn();
        checkpoints_put(&conn, account_id, resource, cp)?;
        Ok(())
    }

    /// Tickets whose cached thread is missing or older than the cached ticket, newest first.
    pub fn stale_threads(&self, account_id: i64) -> Result<Vec<String>> {
        let conn = self.conn();
        let mut stmt = conn.prepare(
            "SELECT t.id FROM tickets t
             LEFT JOIN threads h ON h.account_id = t.account_id AND h.ticket_id = t.id
             WHERE t.account_id = ?1
               AND (h.ticket_id IS NULL OR h.ticket_updated_at IS NOT t.updated_at)
             ORDER BY t.updated_at DESC, t.id",
        )?;
        let ids = stmt
            .query_map([account_id], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        Ok(ids)
    }

    /// True when the ticket's thread has been cached at least once.
    pub fn thread_cached(&self, account_id: i64, ticket_id: &str) -> Result<bool> {
        let conn = self.conn();
        Ok(conn
            .query_row(
                "SELECT 1 FROM threads WHERE account_id = ?1 AND ticket_id = ?2",
                params![account_id, ticket_id],
                |_| Ok(()),
            )
            .optional()?
            .is_some())
    }
}

pub(crate) fn checkpoints_put(
    conn: &rusqlite::Connection,
    account_id: i64,
    resource: &str,
    cp: &Checkpoint,
) -> rusqlite::Result<()> {
    conn.execute(
        "INSERT INTO checkpoints (account_id, resource, cursor, complete, updated_at, sweep_started_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)
         ON CONFLICT (account_id, resource) DO UPDATE
         SET cursor = excluded.cursor, complete = excluded.complete,
             updated_at = excluded.updated_at, sweep_started_at = excluded.sweep_started_at",
        params![account_id, resource, cp.cursor, cp.complete, now(), cp.sweep_started_at],
    )?;
    Ok(())
}
