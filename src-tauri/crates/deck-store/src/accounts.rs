//! The `accounts` table: which helpdesks are connected, and where each token comes from
//! (never the token itself).

use crate::{Result, Store, StoreError, now};
use rusqlite::{OptionalExtension, Row, params};

/// An account as stored.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AccountRow {
    pub id: i64,
    pub name: String,
    pub provider: String,
    pub site: Option<String>,
    pub base_url: String,
    /// JSON describing the token's source (keychain, environment variable, demo).
    pub token_source: String,
    pub is_demo: bool,
    pub created_at: String,
    pub last_synced_at: Option<String>,
    /// JSON of the account's own rate limit, if it has one.
    pub rate_limit: Option<String>,
}

/// The fields of a new account.
#[derive(Clone, Debug)]
pub struct NewAccountRow<'a> {
    pub name: &'a str,
    pub provider: &'a str,
    pub site: Option<&'a str>,
    pub base_url: &'a str,
    pub token_source: &'a str,
    pub is_demo: bool,
    pub rate_limit: Option<&'a str>,
}

const COLUMNS: &str = "id, name, provider, site, base_url, token_source, is_demo, created_at, last_synced_at, rate_limit";

fn from_row(r: &Row<'_>) -> rusqlite::Result<AccountRow> {
    Ok(AccountRow {
        id: r.get(0)?,
        name: r.get(1)?,
        provider: r.get(2)?,
        site: r.get(3)?,
        base_url: r.get(4)?,
        token_source: r.get(5)?,
        is_demo: r.get(6)?,
        created_at: r.get(7)?,
        last_synced_at: r.get(8)?,
        rate_limit: r.get(9)?,
    })
}

impl Store {
    /// Adds an account. Fails with `Constraint` when the name is taken.
    pub fn insert_account(&self, new: &NewAccountRow<'_>) -> Result<AccountRow> {
        let conn = self.conn();
        let inserted = conn.execute(
            "INSERT INTO accounts (name, provider, site, base_url, token_source, is_demo, created_at,
                                   rate_limit)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            params![
                new.name,
                new.provider,
                new.site,
                new.base_url,
                new.token_source,
                new.is_demo,
                now(),
                new.rate_limit
            ],
        );
        match inserted {
            Err(rusqlite::Error::SqliteFailure(e, _))
                if e.code == rusqlite::ErrorCode::ConstraintViolation =>
            {
                return Err(StoreError::Constraint(format!(
                    "an account named `{}` already exists",
                    new.name
                )));
            }
            other => other?,
        };
        let id = conn.last_insert_rowid();
        drop(conn);
        Ok(self.account(id)?.expect("just inserted"))
    }

    pub fn accounts(&self) -> Result<Vec<AccountRow>> {
        let conn = self.conn();
        let mut stmt = conn.prepare(&format!("SELECT {COLUMNS} FROM accounts ORDER BY id"))?;
        let rows = stmt
            .query_map([], from_row)?
            .collect::<rusqlite::Result<_>>()?;
        Ok(rows)
    }

    pub fn account(&self, id: i64) -> Result<Option<AccountRow>> {
        let conn = self.conn();
        let row = conn
            .query_row(
                &format!("SELECT {COLUMNS} FROM accounts WHERE id = ?1"),
                [id],
                from_row,
            )
            .optional()?;
        Ok(row)
    }

    pub fn account_by_name(&self, name: &str) -> Result<Option<AccountRow>> {
        let conn = self.conn();
        let row = conn
            .query_row(
                &format!("SELECT {COLUMNS} FROM accounts WHERE name = ?1"),
                [name],
                from_row,
            )
            .optional()?;
        Ok(row)
    }

    /// Removes an account and everything cached for it.
    pub fn delete_account(&self, id: i64) -> Result<bool> {
        Ok(self
            .conn()
            .execute("DELETE FROM accounts WHERE id = ?1", [id])?
            > 0)
    }

    /// Points an account at a new base URL (the demo helpdesk listens on a new port each run).
    pub fn set_base_url(&self, id: i64, base_url: &str) -> Result<()> {
        self.conn().execute(
            "UPDATE accounts SET base_url = ?2 WHERE id = ?1",
            params![id, base_url],
        )?;
        Ok(())
    }

    pub fn mark_synced(&self, id: i64) -> Result<()> {
        self.conn().execute(
            "UPDATE accounts SET last_synced_at = ?2 WHERE id = ?1",
            params![id, now()],
        )?;
        Ok(())
    }

    /// How many tickets are cached for the account.
    pub fn ticket_count(&self, id: i64) -> Result<u64> {
        Ok(self.conn().query_row(
            "SELECT count(*) FROM tickets WHERE account_id = ?1",
            [id],
            |r| r.get(0),
        )?)
    }
}
