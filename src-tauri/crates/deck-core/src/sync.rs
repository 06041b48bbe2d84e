//! Running syncs: one at a time per account, progress kept for late listeners and forwarded to
//! the event sink.

use crate::Deck;
use crate::views::{AccountId, SyncPhase, SyncProgress};
use deck_model::{ErrorCode, UnifiedError};

/// How often a running sync checks whether it is waiting on the rate limit.
const WAIT_CHECK: std::time::Duration = std::time::Duration::from_millis(500);
/// Waits shorter than this are ordinary pacing, not worth showing.
const WAIT_WORTH_SHOWING: std::time::Duration = std::time::Duration::from_secs(2);

/// When the scheduler's current wait ends (RFC 3339, to the second), if it is long enough to
/// tell the user about.
fn waiting_until(status: &deck_providers::BudgetStatus) -> Option<String> {
    let until = status.waiting_until?;
    let left = until.checked_sub(status.now)?;
    (left >= WAIT_WORTH_SHOWING).then(|| {
        let at = chrono::Utc::now() + chrono::Duration::from_std(left).unwrap_or_default();
        at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
    })
}

/// Credits one thread costs at the least (the ticket with its messages embedded).
const THREAD_CREDITS: u64 = 2;

/// Adds the budget to a progress report, and for threads, how long the rest takes at the rate
/// the budget allows (this account's share, less what others are seen to spend).
fn with_budget(
    p: &mut SyncProgress,
    status: &deck_providers::BudgetStatus,
    window: std::time::Duration,
) {
    p.budget_remaining = status.remaining;
    p.budget_limit = status.limit;
    if p.resource != "comments" || p.phase != SyncPhase::Running {
        return;
    }
    let (Some(total), Some(limit)) = (p.total, status.limit) else {
        return;
    };
    let share = (f64::from(limit) - status.others_per_window).max(1.0);
    let credits_per_sec = share / window.as_secs_f64().max(0.001);
    let left = total.saturating_sub(p.done) * THREAD_CREDITS;
    p.eta_seconds = Some((left as f64 / credits_per_sec).ceil() as u64);
}

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
        let row = self.reachable_account_row(id).await?;
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
        let scheduler = self.scheduler(&row);
        let emit = |mut p: SyncProgress| {
            with_budget(&mut p, &scheduler.status(), scheduler.profile().window);
            self.progress
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .insert((p.account_id, p.resource.clone()), p.clone());
            self.events.sync_progress(&p);
        };
        let sweep = deck_sync::SweepPolicy::hourly(chrono::Utc::now());
        let run = deck_sync::sync_account(&self.store, &provider, id, &row.name, &sweep, &emit);
        tokio::pin!(run);
        // While the sync runs, a wait on the rate limit is shown with the time it ends.
        let mut watch = tokio::time::interval(WAIT_CHECK);
        let mut shown_wait: Option<String> = None;
        let report = loop {
            tokio::select! {
                report = &mut run => break report,
                _ = watch.tick() => {
                    let wait = waiting_until(&scheduler.status());
                    if wait != shown_wait {
                        emit(SyncProgress {
                            account_id: id,
                            account_name: row.name.clone(),
                            resource: "all".into(),
                            phase: if wait.is_some() { SyncPhase::Waiting } else { SyncPhase::Running },
                            done: 0,
                            total: None,
                            message: wait.clone(),
                            error_code: None,
                            eta_seconds: None,
                            budget_remaining: None,
                            budget_limit: None,
                        });
                        shown_wait = wait;
                    }
                }
            }
        };
        let connectivity = match &report.aborted {
            Some(e) => Err(e.clone()),
            None => Ok(()),
        };
        self.report_connectivity(id, &connectivity);
        Ok(SyncOutcome {
            account_id: id,
            account_name: row.name.clone(),
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
        let row = self.reachable_account_row(account_id).await?;
        // The user is waiting: the interactive lane goes ahead of any background sync.
        let provider = self
            .provider(&row)
            .await?
            .on_lane(deck_providers::Lane::Interactive);
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

    /// What the account's requests spent over the last ten minutes, per lane.
    pub fn request_history(
        &self,
        account_id: AccountId,
    ) -> Result<crate::views::RequestHistory, UnifiedError> {
        let row = self.account_row(account_id)?;
        let scheduler = self.scheduler(&row);
        let profile = scheduler.profile();
        let status = scheduler.status();
        let now = scheduler.now();
        let wall = chrono::Utc::now();
        let buckets = scheduler
            .history()
            .into_iter()
            .map(|b| {
                let ago =
                    chrono::Duration::from_std(now.saturating_sub(b.start)).unwrap_or_default();
                crate::views::RequestBucket {
                    at: (wall - ago).to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
                    interactive: b.interactive,
                    outbox: b.outbox,
                    background: b.background,
                    rate_limited: b.rate_limited,
                }
            })
            .collect();
        Ok(crate::views::RequestHistory {
            account_id,
            bucket_secs: deck_providers::HISTORY_BUCKET.as_secs() as u32,
            limit: status
                .limit
                .or(profile.credits_per_window)
                .unwrap_or_default(),
            window_secs: profile.window.as_secs() as u32,
            buckets,
        })
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

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    fn status(limit: u32, others: f64) -> deck_providers::BudgetStatus {
        deck_providers::BudgetStatus {
            now: Duration::from_secs(100),
            limit: Some(limit),
            remaining: Some(40),
            window_resets_at: None,
            waiting_until: Some(Duration::from_secs(130)),
            rate_limited_wait: true,
            rate_limited_count: 1,
            credits_spent: 0,
            requests_sent: 0,
            in_flight: 0,
            queued: 0,
            others_per_window: others,
        }
    }

    fn threads(done: u64, total: u64) -> SyncProgress {
        SyncProgress {
            account_id: 1,
            account_name: "acme".into(),
            resource: "comments".into(),
            phase: SyncPhase::Running,
            done,
            total: Some(total),
            message: None,
            error_code: None,
            eta_seconds: None,
            budget_remaining: None,
            budget_limit: None,
        }
    }

    #[test]
    fn time_left_follows_the_budget_and_what_others_spend() {
        let minute = Duration::from_secs(60);
        let mut p = threads(1000, 2000);
        with_budget(&mut p, &status(100, 0.0), minute);
        // 1,000 threads x 2 credits at 100 credits a minute.
        assert_eq!(p.eta_seconds, Some(1200));
        assert_eq!((p.budget_remaining, p.budget_limit), (Some(40), Some(100)));
        let mut shared = threads(1000, 2000);
        with_budget(&mut shared, &status(100, 50.0), minute);
        assert_eq!(
            shared.eta_seconds,
            Some(2400),
            "half the budget, twice the time"
        );
    }

    #[test]
    fn a_long_wait_is_reported_with_its_end() {
        let until = waiting_until(&status(100, 0.0)).unwrap();
        let at = chrono::DateTime::parse_from_rfc3339(&until).unwrap();
        let ahead = at.signed_duration_since(chrono::Utc::now()).num_seconds();
        assert!((28..=31).contains(&ahead), "{ahead}");
        let mut short = status(100, 0.0);
        short.waiting_until = Some(Duration::from_millis(100_500));
        assert_eq!(waiting_until(&short), None, "ordinary pacing is not shown");
    }
}
