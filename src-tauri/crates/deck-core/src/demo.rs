//! The built-in demo helpdesk: the simulated Enchant, run in-process on a loopback port, and an
//! account pointing at it. Its token is public; it guards only generated data.

use crate::views::{AccountView, TokenSource};
use crate::{Deck, accounts, errors};
use deck_model::{ErrorCode, ProviderKind, UnifiedError};
use deck_sim::SimConfig;
use deck_store::NewAccountRow;

/// The demo account's name.
pub const DEMO_ACCOUNT: &str = "Demo helpdesk";

impl Deck {
    /// Starts the demo helpdesk if it is not running, and adds or repoints its account.
    pub async fn open_demo(&self) -> Result<AccountView, UnifiedError> {
        self.open_demo_at(0).await
    }

    /// Like `open_demo`, with the demo helpdesk on a chosen loopback port (0: any free port).
    pub async fn open_demo_at(&self, port: u16) -> Result<AccountView, UnifiedError> {
        let base_url = self.start_demo_helpdesk(port).await?;
        let existing = self
            .store
            .accounts()
            .map_err(errors::store)?
            .into_iter()
            .find(|a| a.is_demo);
        let row = match existing {
            Some(row) => {
                self.store
                    .set_base_url(row.id, &base_url)
                    .map_err(errors::store)?;
                self.account_row(row.id)?
            }
            None => self
                .store
                .insert_account(&NewAccountRow {
                    name: DEMO_ACCOUNT,
                    provider: ProviderKind::Enchant.as_str(),
                    site: Some("demo"),
                    base_url: &base_url,
                    token_source: &serde_json::to_string(&TokenSource::Demo).expect("serializes"),
                    is_demo: true,
                    rate_limit: None,
                })
                .map_err(errors::store)?,
        };
        Ok(accounts::view(
            &row,
            self.store.ticket_count(row.id).map_err(errors::store)?,
        ))
    }

    /// The account's row, ready to talk to: for the demo account, its helpdesk is started first
    /// (it listens on a new port each run, so the row is read again after).
    pub(crate) async fn reachable_account_row(
        &self,
        id: crate::views::AccountId,
    ) -> Result<deck_store::AccountRow, UnifiedError> {
        let row = self.account_row(id)?;
        if !row.is_demo {
            return Ok(row);
        }
        self.open_demo().await?;
        self.account_row(id)
    }

    /// True when a demo account exists (its helpdesk must be started before syncing it).
    pub fn has_demo_account(&self) -> Result<bool, UnifiedError> {
        Ok(self
            .store
            .accounts()
            .map_err(errors::store)?
            .iter()
            .any(|a| a.is_demo))
    }

    async fn start_demo_helpdesk(&self, port: u16) -> Result<String, UnifiedError> {
        let mut demo = self.demo.lock().await;
        if let Some(sim) = demo.as_ref() {
            return Ok(sim.base_url());
        }
        let sim = deck_sim::start(SimConfig::demo(), ([127, 0, 0, 1], port).into())
            .await
            .map_err(|e| {
                UnifiedError::new(
                    ErrorCode::Internal,
                    format!("cannot start the demo helpdesk: {e}"),
                )
            })?;
        let url = sim.base_url();
        *demo = Some(sim);
        Ok(url)
    }

    /// Stops the demo helpdesk if it runs.
    pub async fn stop_demo(&self) {
        if let Some(sim) = self.demo.lock().await.take() {
            sim.shutdown().await;
        }
    }
}
