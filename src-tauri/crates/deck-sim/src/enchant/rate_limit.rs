//! Enchant's account-wide rate limits: credits per fixed window and a burst limit of
//! requests per rolling second. Time is passed in, so the rules are tested without sleeping.

use std::collections::VecDeque;
use std::time::{Duration, Instant};

const BURST_SPAN: Duration = Duration::from_secs(1);

/// Why a request was refused with 429.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Refusal {
    /// Not enough credits left in the current window.
    Credits,
    /// Too many requests within the last second.
    Burst,
}

/// Credits reserved by an admitted request, to be refunded when it fails.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Reservation {
    pub cost: u32,
    generation: u64,
}

/// Values of the `Rate-Limit-*` headers apart from `Rate-Limit-Used`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RateStatus {
    pub limit: u32,
    pub remaining: u32,
    /// Whole seconds until the credits reset, rounded up, at least 1.
    pub reset_secs: u64,
}

/// The limiter state for the whole (single) account.
///
/// The credit window is fixed: it opens at the first admitted request and lasts `window`;
/// the first request after it ends opens the next one with all credits available again.
#[derive(Debug)]
pub struct RateLimiter {
    limit: u32,
    window: Duration,
    burst: u32,
    window_start: Option<Instant>,
    generation: u64,
    used: u32,
    recent: VecDeque<Instant>,
}

impl RateLimiter {
    pub fn new(limit: u32, window: Duration, burst: u32) -> Self {
        Self {
            limit,
            window: window.max(Duration::from_millis(1)),
            burst,
            window_start: None,
            generation: 0,
            used: 0,
            recent: VecDeque::new(),
        }
    }

    /// The configured credits per window, window length and requests per rolling second.
    pub fn limits(&self) -> (u32, Duration, u32) {
        (self.limit, self.window, self.burst)
    }

    /// Admits a request costing `cost` credits at `now`, or says why it must get a 429
    /// (a refused request costs nothing and does not count toward the burst).
    pub fn admit(&mut self, cost: u32, now: Instant) -> Result<Reservation, Refusal> {
        self.roll(now);
        while self
            .recent
            .front()
            .is_some_and(|t| now.saturating_duration_since(*t) >= BURST_SPAN)
        {
            self.recent.pop_front();
        }
        if self.recent.len() >= self.burst as usize {
            return Err(Refusal::Burst);
        }
        if self.used.saturating_add(cost) > self.limit {
            return Err(Refusal::Credits);
        }
        if self.window_start.is_none() {
            self.window_start = Some(now);
            self.generation += 1;
        }
        self.used += cost;
        self.recent.push_back(now);
        Ok(Reservation {
            cost,
            generation: self.generation,
        })
    }

    /// Gives back the credits of an admitted request that failed, if its window is still on.
    pub fn refund(&mut self, reservation: Reservation) {
        if self.window_start.is_some() && reservation.generation == self.generation {
            self.used = self.used.saturating_sub(reservation.cost);
        }
    }

    /// The header values as of `now`.
    pub fn status(&mut self, now: Instant) -> RateStatus {
        self.roll(now);
        let until_reset = match self.window_start {
            Some(start) => (start + self.window).saturating_duration_since(now),
            // No window open yet (or the last one ended): the next request opens a full one.
            None => self.window,
        };
        let rounded_up = until_reset.as_secs() + u64::from(until_reset.subsec_nanos() > 0);
        RateStatus {
            limit: self.limit,
            remaining: self.limit.saturating_sub(self.used),
            reset_secs: rounded_up.max(1),
        }
    }

    fn roll(&mut self, now: Instant) {
        if let Some(start) = self.window_start
            && now >= start + self.window
        {
            self.window_start = None;
            self.used = 0;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ms(n: u64) -> Duration {
        Duration::from_millis(n)
    }

    #[test]
    fn credits_run_out_and_come_back_after_the_window() {
        let t0 = Instant::now();
        let mut rl = RateLimiter::new(5, Duration::from_secs(60), 100);
        assert!(rl.admit(3, t0).is_ok());
        assert_eq!(rl.status(t0).remaining, 2);
        assert_eq!(rl.admit(3, t0 + ms(10)), Err(Refusal::Credits));
        assert!(rl.admit(2, t0 + ms(20)).is_ok());
        assert_eq!(rl.status(t0 + ms(20)).reset_secs, 60);
        assert_eq!(rl.status(t0 + Duration::from_millis(59_500)).reset_secs, 1);
        let later = t0 + Duration::from_secs(60);
        assert_eq!(rl.status(later).remaining, 5);
        assert!(rl.admit(5, later).is_ok());
    }

    #[test]
    fn burst_counts_requests_in_a_rolling_second() {
        let t0 = Instant::now();
        let mut rl = RateLimiter::new(1000, Duration::from_secs(60), 3);
        for i in 0..3 {
            assert!(rl.admit(1, t0 + ms(i * 100)).is_ok());
        }
        assert_eq!(rl.admit(1, t0 + ms(500)), Err(Refusal::Burst));
        assert!(rl.admit(1, t0 + ms(1000)).is_ok());
        assert_eq!(rl.admit(1, t0 + ms(1050)), Err(Refusal::Burst));
        assert!(rl.admit(1, t0 + ms(1100)).is_ok());
    }

    #[test]
    fn refunds_only_within_the_same_window() {
        let t0 = Instant::now();
        let mut rl = RateLimiter::new(10, Duration::from_secs(1), 100);
        let r = rl.admit(4, t0).unwrap();
        rl.refund(r);
        assert_eq!(rl.status(t0).remaining, 10);
        let r = rl.admit(4, t0).unwrap();
        let t1 = t0 + Duration::from_secs(2);
        rl.admit(1, t1).unwrap();
        rl.refund(r);
        assert_eq!(rl.status(t1).remaining, 9);
    }
}
