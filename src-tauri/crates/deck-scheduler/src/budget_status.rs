//! A snapshot of one account's budget, for the UI.

use std::time::Duration;

/// What the scheduler believes about an account's budget at one moment.
///
/// Times are on the scheduler's clock (the same scale as `now`); to show a wall-clock time,
/// add `t - now` to the current wall time.
#[derive(Clone, Debug, PartialEq)]
pub struct BudgetStatus {
    /// When this snapshot was taken.
    pub now: Duration,
    /// Credits per window as currently believed: the profile's (or learned) limit, lowered by
    /// what the server reports. `None` while nothing is known (an unpublished limit before
    /// the first 429).
    pub limit: Option<u32>,
    /// Credits an interactive request could spend right now, per the model.
    pub remaining: Option<u32>,
    /// When the server's current window ends (its later bound), or, when the server reports
    /// nothing, when this client's oldest spent credit comes back.
    pub window_resets_at: Option<Duration>,
    /// `Some` while requests are held: by a 429 (see `rate_limited_wait`) or because the
    /// budget is spent; the time sending can resume.
    pub waiting_until: Option<Duration>,
    /// `waiting_until` comes from a 429.
    pub rate_limited_wait: bool,
    /// 429 answers seen.
    pub rate_limited_count: u64,
    /// Credits spent by answered requests (refused and free requests cost nothing).
    pub credits_spent: u64,
    /// Requests granted (minus those returned unsent).
    pub requests_sent: u64,
    /// Requests granted and not yet answered or dropped.
    pub in_flight: u32,
    /// Requests waiting for budget.
    pub queued: usize,
    /// Estimated credits others spend per window on the same account.
    pub others_per_window: f64,
}
