//! Running syncs: one at a time per account, progress kept for late listeners and forwarded to
//! the event sink.

use crate::Deck;
use crate::views::{AccountId, SyncProgress};
use deck_model::{ErrorCode, UnifiedError};

/// How one account's sync ended.
#[derive(Debug)]
pub struct SyncOutcome {
    pub account_id: AccountId,
    pub account_name: String,
    /// Each resource that failed, with why. Empty when everything synced.
    pub failures: Vec<(String, UnifiedError)>,
}

/// Removes the account from the running set when the sync ends, however it ends.
struct Running<'a>(&'a Deck, AccountId);

impl Drop for Running<'_> {
    fn drop(&mut self) {
        self.0
            .syncing
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .retain(|id| *id != self.1);
    }
}

impl Deck {
    /// Syncs one account, or every account, one after another.
    pub async fn sync(&self, account: Option<AccountId>) -> Result<Vec<SyncOutcome>, UnifiedError> {
        let mut outcomes = Vec::new();
        for id in self.account_ids(account)? {
            outcomes.push(self.sync_one(id).await?);
        }
        Ok(outcomes)
    }

    async fn sync_one(&self, id: AccountId) -> Result<SyncOutcome, UnifiedError> {
        {
            let mut running = self.syncing.lock().unwrap_or_else(|e| e.into_inner());
            if running.contains(&id) {
                return Err(UnifiedError::new(
                    ErrorCode::Conflict,
                    "this account is already syncing",
                ));
            }
            running.push(id);
        }
        let _running = Running(self, id);
        let mut row = self.account_row(id)?;
        if row.is_demo {
            self.open_demo().await?;
            row = self.account_row(id)?;
        }
        let provider = match self.provider(&row).await {
            Ok(p) => p,
            Err(e) => {
                self.report_connectivity(id, &Err(e.clone()));
                return Ok(SyncOutcome {
                    account_id: id,
                    account_name: row.name,
                    failures: vec![("all".into(), e)],
                });
            }
        };
        let emit = |p: SyncProgress| {
            self.progress
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .insert((p.account_id, p.resource.clone()), p.clone());
            self.events.sync_progress(&p);
        };
        let sweep = deck_sync::SweepPolicy::hourly(chrono::Utc::now());
        let report =
            deck_sync::sync_account(&self.store, &provider, id, &row.name, &sweep, &emit).await;
        let connectivity = match &report.aborted {
            Some(e) => Err(e.clone()),
            None => Ok(()),
        };
        self.report_connectivity(id, &connectivity);
        Ok(SyncOutcome {
            account_id: id,
            account_name: row.name,
            failures: report.failures,
        })
    }

    /// Fetches a ticket's thread now (the user opened it, or asked for a refresh) and returns
    /// it as the ticket view shows it.
    pub async fn refresh_ticket(
        &self,
        account_id: AccountId,
        ticket_id: &str,
    ) -> Result<crate::views::TicketDetail, UnifiedError> {
        let mut row = self.account_row(account_id)?;
        if row.is_demo {
            self.open_demo().await?;
            row = self.account_row(account_id)?;
        }
        let provider = self.provider(&row).await?;
        let mut known = deck_sync::known(&self.store, account_id).map_err(crate::errors::store)?;
        let result =
            deck_sync::sync_thread(&self.store, &provider, account_id, ticket_id, &mut known).await;
        if let Err(e) = &result
            && e.code == deck_model::ErrorCode::Offline
        {
            self.report_connectivity(account_id, &result);
        }
        result?;
        self.get_ticket(account_id, ticket_id)
    }

    /// The latest progress of every account and resource.
    pub fn sync_state(&self) -> Vec<SyncProgress> {
        let mut all: Vec<SyncProgress> = self
            .progress
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .values()
            .cloned()
            .collect();
        all.sort_by(|a, b| (a.account_id, &a.resource).cmp(&(b.account_id, &b.resource)));
        all
    }
}
