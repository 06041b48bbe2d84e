//! Keeps requests within a helpdesk's published limits: a credit budget per window, corrected
//! from the server's `Rate-Limit-*` headers, and a minimum spacing for the burst limit.
//! (The full scheduler with priority lanes and an injected clock replaces this; see issue 3.)

use reqwest::header::HeaderMap;
use std::sync::Mutex;
use std::time::Duration;
use tokio::time::Instant;

/// A provider's published limits.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RateProfile {
    /// Requests per second the helpdesk accepts for the whole account.
    pub burst_per_second: u32,
}

#[derive(Debug)]
struct State {
    next_send: Instant,
    remaining: Option<u32>,
    reset_at: Option<Instant>,
}

#[derive(Debug)]
pub(crate) struct Pacer {
    spacing: Duration,
    state: Mutex<State>,
}

impl Pacer {
    pub fn new(profile: RateProfile) -> Self {
        Pacer {
            // A few milliseconds over the exact spacing, so clock jitter on either side never
            // puts one request too many into the server's rolling second.
            spacing: Duration::from_secs(1) / profile.burst_per_second.max(1)
                + Duration::from_millis(4),
            state: Mutex::new(State {
                next_send: Instant::now(),
                remaining: None,
                reset_at: None,
            }),
        }
    }

    /// Waits until a request costing `cost` credits may go, and books it.
    pub async fn before(&self, cost: u32) {
        loop {
            let wait = {
                let mut s = self.state.lock().unwrap_or_else(|e| e.into_inner());
                let now = Instant::now();
                if s.reset_at.is_some_and(|r| r <= now) {
                    s.remaining = None;
                    s.reset_at = None;
                }
                let mut until = s.next_send;
                if let (Some(rem), Some(reset)) = (s.remaining, s.reset_at)
                    && rem < cost
                {
                    until = until.max(reset);
                }
                if until <= now {
                    s.next_send = now + self.spacing;
                    if let Some(rem) = s.remaining.as_mut() {
                        *rem = rem.saturating_sub(cost);
                    }
                    return;
                }
                until - now
            };
            tokio::time::sleep(wait).await;
        }
    }

    /// Learns the budget from a response's headers.
    pub fn after(&self, headers: &HeaderMap) {
        let num = |name: &str| headers.get(name)?.to_str().ok()?.trim().parse::<i64>().ok();
        let mut s = self.state.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(rem) = num("rate-limit-remaining") {
            s.remaining = Some(rem.clamp(0, u32::MAX as i64) as u32);
        }
        if let Some(reset) = num("rate-limit-reset") {
            // A negative or absurd reset is clamped to something sane.
            let secs = reset.clamp(1, 3600) as u64;
            s.reset_at = Some(Instant::now() + Duration::from_secs(secs));
        }
    }

    /// After a 429: nothing goes out before `wait` has passed.
    pub fn blocked_for(&self, wait: Duration) {
        let mut s = self.state.lock().unwrap_or_else(|e| e.into_inner());
        let until = Instant::now() + wait;
        s.next_send = s.next_send.max(until);
        s.remaining = Some(0);
        s.reset_at = Some(until);
    }
}
