//! Another program using the same Enchant account: it spends a share of the account's
//! credits through the same limiter as the HTTP requests, so real clients see
//! `Rate-Limit-Remaining` fall faster than their own spending.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Weak};
use std::time::{Duration, Instant};

use tokio::task::JoinHandle;
use tokio::time::MissedTickBehavior;

use super::rate_limit::Refusal;
use super::server::{Shared, lock};

/// What the other client did so far.
#[derive(Debug, Default)]
struct Tally {
    spent: AtomicU64,
    refused: AtomicU64,
}

/// A running other client (see [`super::RunningSim::start_other_client`]); stops when dropped
/// or on [`OtherClient::stop`].
#[derive(Debug)]
pub struct OtherClient {
    share: f64,
    period: Option<Duration>,
    tally: Arc<Tally>,
    task: Option<JoinHandle<()>>,
}

impl OtherClient {
    /// Starts spending `share` of the limits of `shared` (clamped to 0..=1).
    pub(crate) fn start(shared: &Arc<Shared>, share: f64) -> Self {
        let share = if share.is_nan() {
            0.0
        } else {
            share.clamp(0.0, 1.0)
        };
        let (limit, window, burst) = lock(&shared.limiter).limits();
        let period = pace(share, limit, window, burst);
        let tally = Arc::new(Tally::default());
        let task = period
            .map(|period| tokio::spawn(spend(Arc::downgrade(shared), period, Arc::clone(&tally))));
        Self {
            share,
            period,
            tally,
            task,
        }
    }

    /// The share of the account it spends, after clamping to 0..=1.
    pub fn share(&self) -> f64 {
        self.share
    }

    /// Time between two of its credits (`None` when the share is 0: it spends nothing).
    pub fn period(&self) -> Option<Duration> {
        self.period
    }

    /// Credits it spent so far.
    pub fn credits_spent(&self) -> u64 {
        self.tally.spent.load(Ordering::Relaxed)
    }

    /// Credits it tried to spend and the limiter refused (a 429 for that other program): for
    /// lack of credits, or because the burst limit stayed full until the next was due.
    pub fn refused(&self) -> u64 {
        self.tally.refused.load(Ordering::Relaxed)
    }

    /// Stops spending (the same as dropping it).
    pub fn stop(self) {}
}

impl Drop for OtherClient {
    fn drop(&mut self) {
        if let Some(task) = self.task.take() {
            task.abort();
        }
    }
}

/// Time between two credits: `share` of the credits per window, and never more than `share`
/// of the burst per second, one credit at a time.
fn pace(share: f64, limit: u32, window: Duration, burst: u32) -> Option<Duration> {
    let per_window = share * f64::from(limit);
    let per_second = share * f64::from(burst);
    if per_window <= 0.0 || per_second <= 0.0 {
        return None;
    }
    let period = (window.as_secs_f64() / per_window).max(1.0 / per_second);
    Some(Duration::from_secs_f64(period.min(1e9)))
}

/// How long to wait before asking again when the burst limit refused a credit.
const BURST_RETRY: Duration = Duration::from_millis(10);

/// One credit each `period` until stopped or the simulator is gone.
async fn spend(shared: Weak<Shared>, period: Duration, tally: Arc<Tally>) {
    let mut ticks = tokio::time::interval(period);
    ticks.set_missed_tick_behavior(MissedTickBehavior::Delay);
    loop {
        ticks.tick().await;
        let mut waited = Duration::ZERO;
        let admitted = loop {
            let Some(shared) = shared.upgrade() else {
                return;
            };
            let outcome = lock(&shared.limiter).admit(1, Instant::now());
            match outcome {
                // Over the burst (often because of the HTTP clients): wait for it to pass,
                // at most until the next credit is due.
                Err(Refusal::Burst) if waited < period => {}
                outcome => {
                    let admitted = outcome.is_ok();
                    let (credits, status) = if admitted { (1, 200) } else { (0, 429) };
                    lock(&shared.credit_log).push(credits, true, Some(status));
                    break admitted;
                }
            }
            drop(shared);
            tokio::time::sleep(BURST_RETRY).await;
            waited += BURST_RETRY;
        };
        let counter = if admitted {
            &tally.spent
        } else {
            &tally.refused
        };
        counter.fetch_add(1, Ordering::Relaxed);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paces_a_share_of_credits_and_of_the_burst() {
        let minute = Duration::from_secs(60);
        // Half of 100 credits a minute: one every 1.2 s.
        assert_eq!(pace(0.5, 100, minute, 6), Some(Duration::from_millis(1200)));
        // Half of 100 credits a second would be 50 per second; half the burst of 6 caps it.
        assert_eq!(
            pace(0.5, 100, Duration::from_secs(1), 6),
            Some(Duration::from_secs_f64(1.0 / 3.0))
        );
        assert_eq!(pace(0.0, 100, minute, 6), None);
        assert_eq!(pace(1.0, 0, minute, 6), None);
    }
}
