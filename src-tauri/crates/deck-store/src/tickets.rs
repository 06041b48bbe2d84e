//! The tickets list the UI shows: filtered, searched (FTS5 over subjects), newest update first,
//! windowed for a virtualized list.

use crate::{Result, Store};
use deck_model::Ticket;
use rusqlite::params_from_iter;
use rusqlite::types::Value as SqlValue;

/// Which tickets to show. Every field is optional.
#[derive(Clone, Debug, Default)]
pub struct TicketFilter {
    pub account_id: Option<i64>,
    pub status: Option<String>,
    /// A user id, or `"none"` for unassigned.
    pub assignee_id: Option<String>,
    pub tag_id: Option<String>,
    pub collection_id: Option<String>,
    pub search: Option<String>,
    pub offset: u32,
    pub limit: u32,
}

/// A ticket and the account it belongs to.
#[derive(Clone, Debug)]
pub struct TicketHit {
    pub account_id: i64,
    pub ticket: Ticket,
}

/// Turns what the user typed into an FTS5 query: every word must appear, as a prefix.
fn fts_query(search: &str) -> Option<String> {
    let terms: Vec<String> = search
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(|w| format!("\"{w}\"*"))
        .collect();
    (!terms.is_empty()).then(|| terms.join(" "))
}

impl Store {
    /// The window `[offset, offset+limit)` of matching tickets, and how many match in all.
    pub fn query_tickets(&self, f: &TicketFilter) -> Result<(Vec<TicketHit>, u64)> {
        let mut clauses: Vec<&str> = Vec::new();
        let mut args: Vec<SqlValue> = Vec::new();
        if let Some(a) = f.account_id {
            clauses.push("t.account_id = ?");
            args.push(a.into());
        }
        if let Some(s) = &f.status {
            clauses.push("t.status = ?");
            args.push(s.clone().into());
        }
        match f.assignee_id.as_deref() {
            Some("none") => clauses.push("t.assignee_id IS NULL"),
            Some(a) => {
                clauses.push("t.assignee_id = ?");
                args.push(a.to_string().into());
            }
            None => {}
        }
        if let Some(tag) = &f.tag_id {
            clauses.push(
                "EXISTS (SELECT 1 FROM ticket_tags g WHERE g.account_id = t.account_id AND g.ticket_id = t.id AND g.tag_id = ?)",
            );
            args.push(tag.clone().into());
        }
        if let Some(c) = &f.collection_id {
            clauses.push("t.collection_id = ?");
            args.push(c.clone().into());
        }
        if let Some(q) = f.search.as_deref().and_then(fts_query) {
            clauses.push("t.rowid IN (SELECT rowid FROM tickets_fts WHERE tickets_fts MATCH ?)");
            args.push(q.into());
        }
        let filter = if clauses.is_empty() {
            String::new()
        } else {
            format!("WHERE {}", clauses.join(" AND "))
        };

        let conn = self.conn();
        let total: u64 = conn.query_row(
            &format!("SELECT count(*) FROM tickets t {filter}"),
            params_from_iter(args.iter()),
            |r| r.get(0),
        )?;
        let mut page_args = args;
        page_args.push(i64::from(f.limit.clamp(1, 500)).into());
        page_args.push(i64::from(f.offset).into());
        let mut stmt = conn.prepare(&format!(
            "SELECT t.account_id, t.data FROM tickets t {filter}
             ORDER BY t.updated_at DESC, t.account_id, t.id LIMIT ? OFFSET ?"
        ))?;
        let rows: Vec<(i64, String)> = stmt
            .query_map(params_from_iter(page_args), |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<rusqlite::Result<_>>()?;
        let hits = rows
            .into_iter()
            .map(|(account_id, data)| {
                Ok(TicketHit {
                    account_id,
                    ticket: serde_json::from_str(&data)?,
                })
            })
            .collect::<Result<_>>()?;
        Ok((hits, total))
    }

    /// The distinct unified status names among an account's (or all) cached tickets.
    pub fn ticket_statuses(&self, account_id: Option<i64>) -> Result<Vec<String>> {
        let conn = self.conn();
        let mut stmt = conn.prepare(
            "SELECT DISTINCT status FROM tickets
             WHERE status IS NOT NULL AND (?1 IS NULL OR account_id = ?1) ORDER BY status",
        )?;
        let rows = stmt
            .query_map([account_id], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        Ok(rows)
    }
}

#[cfg(test)]
mod tests {
    use super::fts_query;

    #[test]
    fn search_words_become_prefix_terms_and_syntax_is_neutralized() {
        assert_eq!(fts_query("help it"), Some("\"help\"* \"it\"*".into()));
        assert_eq!(fts_query("\"OR* NEAR("), Some("\"OR\"* \"NEAR\"*".into()));
        assert_eq!(fts_query("  -- "), None);
    }
}
