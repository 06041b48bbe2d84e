//! What a helpdesk publishes about its rate limits, as the scheduler's starting point.

use std::time::Duration;

/// A provider's published rate limits for one account.
///
/// The scheduler never lets its own spending exceed `credits_per_window` in any rolling
/// `window`, whatever the server's headers say; the headers can only make it slower.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RateProfile {
    /// Credits the account may spend per window, or `None` when the provider publishes no
    /// number (the scheduler then learns one from the first 429).
    pub credits_per_window: Option<u32>,
    /// Length of the credit window. Must not be zero (zero is treated as one millisecond).
    pub window: Duration,
    /// Requests per rolling second for the whole account, if the provider has such a limit.
    pub burst_per_second: Option<u32>,
    /// The longest the scheduler waits after a 429, whatever the server asks.
    pub max_retry_wait: Duration,
}

impl RateProfile {
    /// Enchant: 100 credits per minute per account (a request costs 1, plus 1 per embed and 1
    /// for a count: see [`enchant_cost`]), and at most 6 requests per second.
    pub fn enchant() -> Self {
        Self {
            credits_per_window: Some(100),
            window: Duration::from_secs(60),
            burst_per_second: Some(6),
            max_retry_wait: Duration::from_secs(120),
        }
    }

    /// Trengo: 120 requests per minute per token; no separate burst limit.
    pub fn trengo() -> Self {
        Self {
            credits_per_window: Some(120),
            window: Duration::from_secs(60),
            burst_per_second: None,
            max_retry_wait: Duration::from_secs(120),
        }
    }

    /// A provider that publishes no number (Re:amaze: "a certain number per minute per API
    /// token"): a one-minute window whose size is learned from 429s.
    pub fn unpublished() -> Self {
        Self {
            credits_per_window: None,
            window: Duration::from_secs(60),
            burst_per_second: None,
            max_retry_wait: Duration::from_secs(120),
        }
    }

    /// The window, never zero.
    pub(crate) fn span(&self) -> Duration {
        self.window.max(Duration::from_millis(1))
    }

    /// The retry cap, at least one second.
    pub(crate) fn retry_cap(&self) -> Duration {
        self.max_retry_wait.max(Duration::from_secs(1))
    }
}

/// What an Enchant request costs: 1 credit, plus 1 per embedded type, plus 1 when it asks for
/// a count.
pub fn enchant_cost(embeds: usize, count: bool) -> u32 {
    let embeds = u32::try_from(embeds).unwrap_or(u32::MAX);
    1u32.saturating_add(embeds).saturating_add(u32::from(count))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn enchant_costs_follow_the_doc() {
        assert_eq!(enchant_cost(0, false), 1);
        assert_eq!(enchant_cost(1, false), 2);
        assert_eq!(enchant_cost(0, true), 2);
        assert_eq!(enchant_cost(2, true), 4);
    }
}
