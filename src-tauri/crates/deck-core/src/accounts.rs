//! Adding, listing, testing and removing helpdesk accounts. An account is made whole or not at
//! all: the token is checked against the helpdesk first, and a keychain failure undoes the row.

use crate::views::{AccountId, AccountView, ConnectivityEvent, NewAccount, RateLimit, TokenSource};
use crate::{Deck, errors, secrets};
use deck_model::{ErrorCode, ProviderKind, UnifiedError};
use deck_providers::enchant::{EnchantClient, EnchantConfig};
use deck_providers::{
    AnyProvider, Provider, RateProfile, Scheduler, TokioClock, validate_base_url,
};
use deck_store::{AccountRow, NewAccountRow};
use std::sync::Arc;

/// The demo helpdesk's limits (a short window, so the demo syncs in seconds).
fn demo_profile() -> RateProfile {
    let sim = deck_sim::SimConfig::demo();
    RateProfile {
        credits_per_window: Some(sim.credits_per_window),
        window: sim.window,
        burst_per_second: Some(sim.burst_per_second),
        ..RateProfile::enchant()
    }
}

pub(crate) fn view(row: &AccountRow, ticket_count: u64) -> AccountView {
    AccountView {
        id: row.id,
        name: row.name.clone(),
        provider: row.provider.parse().unwrap_or(ProviderKind::Enchant),
        site: row.site.clone(),
        base_url: row.base_url.clone(),
        token_source: serde_json::from_str(&row.token_source).unwrap_or(TokenSource::Keychain),
        is_demo: row.is_demo,
        created_at: row.created_at.clone(),
        last_synced_at: row.last_synced_at.clone(),
        ticket_count,
        rate_limit: rate_limit_of(row),
    }
}

fn rate_limit_of(row: &AccountRow) -> Option<RateLimit> {
    serde_json::from_str(row.rate_limit.as_deref()?).ok()
}

/// The limits the account's scheduler works to: the account's own, the demo's, or the
/// provider's published ones.
fn profile_of(row: &AccountRow) -> RateProfile {
    match rate_limit_of(row) {
        Some(limit) => RateProfile {
            credits_per_window: Some(limit.credits_per_window),
            window: std::time::Duration::from_secs(u64::from(limit.window_secs)),
            burst_per_second: limit.burst_per_second,
            ..RateProfile::enchant()
        },
        None if row.is_demo => demo_profile(),
        None => RateProfile::enchant(),
    }
}

/// A client for a helpdesk at `base_url` with `token`, whose requests go through `scheduler`.
pub(crate) fn client(
    provider: ProviderKind,
    base_url: &str,
    token: String,
    scheduler: Scheduler,
) -> Result<AnyProvider, UnifiedError> {
    match provider {
        ProviderKind::Enchant => Ok(AnyProvider::Enchant(
            EnchantClient::new(EnchantConfig {
                base_url: base_url.to_string(),
                token,
                scheduler,
            })
            .map_err(UnifiedError::from)?,
        )),
        other => Err(UnifiedError::new(
            ErrorCode::Refused,
            format!("{other} accounts are not supported yet"),
        )),
    }
}

impl Deck {
    pub fn list_accounts(&self) -> Result<Vec<AccountView>, UnifiedError> {
        self.store
            .accounts()
            .map_err(errors::store)?
            .iter()
            .map(|a| {
                Ok(view(
                    a,
                    self.store.ticket_count(a.id).map_err(errors::store)?,
                ))
            })
            .collect()
    }

    pub fn account(&self, id: AccountId) -> Result<AccountView, UnifiedError> {
        let row = self.account_row(id)?;
        Ok(view(
            &row,
            self.store.ticket_count(id).map_err(errors::store)?,
        ))
    }

    /// The given account (checked to exist), or every account.
    pub(crate) fn account_ids(
        &self,
        account: Option<AccountId>,
    ) -> Result<Vec<AccountId>, UnifiedError> {
        match account {
            Some(id) => Ok(vec![self.account_row(id)?.id]),
            None => Ok(self
                .store
                .accounts()
                .map_err(errors::store)?
                .iter()
                .map(|a| a.id)
                .collect()),
        }
    }

    pub(crate) fn account_row(&self, id: AccountId) -> Result<AccountRow, UnifiedError> {
        self.store
            .account(id)
            .map_err(errors::store)?
            .ok_or_else(|| errors::not_found(format!("no account with id {id}")))
    }

    /// The account called `name`.
    pub fn account_named(&self, name: &str) -> Result<AccountView, UnifiedError> {
        let row = self
            .store
            .account_by_name(name)
            .map_err(errors::store)?
            .ok_or_else(|| {
                errors::not_found(format!(
                    "no account named `{name}` (see `ticketdeck accounts list`)"
                ))
            })?;
        self.account(row.id)
    }

    /// Checks the input, tests the token against the helpdesk, then stores the account and
    /// puts the token in the keychain (or remembers the environment variable's name).
    pub async fn add_account(&self, input: NewAccount) -> Result<AccountView, UnifiedError> {
        let name = input.name.trim().to_string();
        if name.is_empty() {
            return Err(errors::validation("name", "give the account a name"));
        }
        if self
            .store
            .account_by_name(&name)
            .map_err(errors::store)?
            .is_some()
        {
            return Err(errors::validation(
                "name",
                format!("an account named `{name}` already exists"),
            ));
        }
        let site = input
            .site
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty());
        let base_url = match (
            input
                .base_url
                .as_deref()
                .map(str::trim)
                .filter(|s| !s.is_empty()),
            site,
        ) {
            (Some(url), _) => url.trim_end_matches('/').to_string(),
            (None, Some(site)) => {
                if !site.chars().all(|c| c.is_ascii_alphanumeric() || c == '-') {
                    return Err(errors::validation(
                        "site",
                        "the site is the help desk identifier, e.g. `acme` for acme.enchant.com",
                    ));
                }
                EnchantConfig::base_url_for_site(site)
            }
            (None, None) => {
                return Err(errors::validation(
                    "site",
                    "give the help desk's site (e.g. `acme`)",
                ));
            }
        };
        validate_base_url(&base_url).map_err(UnifiedError::from)?;
        if let Some(limit) = &input.rate_limit
            && (limit.credits_per_window == 0
                || limit.window_secs == 0
                || limit.burst_per_second == Some(0))
        {
            return Err(errors::validation(
                "rate_limit",
                "credits, window and burst must all be above zero",
            ));
        }
        let rate_limit = input
            .rate_limit
            .as_ref()
            .map(|l| serde_json::to_string(l).expect("rate limits serialize"));
        let (token, source) = match (input.token, input.token_env) {
            (Some(t), None) if !t.trim().is_empty() => {
                (t.trim().to_string(), TokenSource::Keychain)
            }
            (None, Some(var)) if !var.trim().is_empty() => {
                let source = TokenSource::Env {
                    var: var.trim().to_string(),
                };
                (secrets::token(&self.keychain_scope, 0, &source)?, source)
            }
            (Some(_), Some(_)) => {
                return Err(errors::validation(
                    "token",
                    "give either a token or an environment variable, not both",
                ));
            }
            _ => return Err(errors::validation("token", "give the API token")),
        };
        let probe = Scheduler::new(RateProfile::enchant(), Arc::new(TokioClock::new()));
        let provider = client(input.provider, &base_url, token.clone(), probe)?;
        provider.verify().await.map_err(UnifiedError::from)?;

        let row = self
            .store
            .insert_account(&NewAccountRow {
                name: &name,
                provider: input.provider.as_str(),
                site,
                base_url: &base_url,
                token_source: &serde_json::to_string(&source).expect("token sources serialize"),
                is_demo: false,
                rate_limit: rate_limit.as_deref(),
            })
            .map_err(errors::store)?;
        if source == TokenSource::Keychain {
            let id = row.id;
            let scope = self.keychain_scope.clone();
            let stored =
                tokio::task::spawn_blocking(move || secrets::store_token(&scope, id, &token))
                    .await
                    .unwrap_or_else(|e| Err(UnifiedError::new(ErrorCode::Internal, e.to_string())));
            if let Err(e) = stored {
                self.store.delete_account(row.id).map_err(errors::store)?;
                return Err(e);
            }
        }
        Ok(view(&row, 0))
    }

    /// Removes an account, its cache and its keychain entry.
    pub async fn remove_account(&self, id: AccountId) -> Result<(), UnifiedError> {
        let row = self.account_row(id)?;
        let source: TokenSource =
            serde_json::from_str(&row.token_source).unwrap_or(TokenSource::Keychain);
        if source == TokenSource::Keychain {
            let scope = self.keychain_scope.clone();
            tokio::task::spawn_blocking(move || secrets::forget_token(&scope, id))
                .await
                .unwrap_or_else(|e| Err(UnifiedError::new(ErrorCode::Internal, e.to_string())))?;
        }
        self.store.delete_account(id).map_err(errors::store)?;
        self.schedulers
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .remove(&id);
        Ok(())
    }

    /// A client for a stored account, with its token.
    pub(crate) async fn provider(&self, row: &AccountRow) -> Result<AnyProvider, UnifiedError> {
        let source: TokenSource =
            serde_json::from_str(&row.token_source).unwrap_or(TokenSource::Keychain);
        let id = row.id;
        let scope = self.keychain_scope.clone();
        let token = tokio::task::spawn_blocking(move || secrets::token(&scope, id, &source))
            .await
            .unwrap_or_else(|e| Err(UnifiedError::new(ErrorCode::Internal, e.to_string())))?;
        let kind = row
            .provider
            .parse()
            .map_err(|e: String| UnifiedError::new(ErrorCode::Internal, e))?;
        client(kind, &row.base_url, token, self.scheduler(row))
    }

    /// The account's scheduler: one per account, shared by every task that talks to it.
    pub(crate) fn scheduler(&self, row: &AccountRow) -> Scheduler {
        let mut all = self.schedulers.lock().unwrap_or_else(|e| e.into_inner());
        all.entry(row.id)
            .or_insert_with(|| Scheduler::new(profile_of(row), Arc::new(TokioClock::new())))
            .clone()
    }

    /// Tests that the account's helpdesk answers and accepts its token.
    pub async fn test_account(&self, id: AccountId) -> Result<(), UnifiedError> {
        let row = self.account_row(id)?;
        let result = async {
            self.provider(&row)
                .await?
                .on_lane(deck_providers::Lane::Interactive)
                .verify()
                .await
                .map_err(UnifiedError::from)
        }
        .await;
        self.report_connectivity(id, &result);
        result
    }

    pub(crate) fn report_connectivity(
        &self,
        account_id: AccountId,
        result: &Result<(), UnifiedError>,
    ) {
        let offline = matches!(result, Err(e) if e.code == ErrorCode::Offline);
        self.events.connectivity(&ConnectivityEvent {
            account_id,
            online: !offline,
            message: result.as_ref().err().map(|e| e.message.clone()),
        });
    }
}
