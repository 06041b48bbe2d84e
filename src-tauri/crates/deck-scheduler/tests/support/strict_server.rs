//! A strict in-test helpdesk rate limiter: credits per fixed window and requests per rolling
//! second, refusing with 429 whatever goes over, and answering with the headers of the chosen
//! provider (or lies).

use std::collections::VecDeque;
use std::time::Duration;

use deck_scheduler::Feedback;

/// Who sent a request.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Who {
    Us,
    Other,
}

/// Which headers the server sends.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Headers {
    /// `Rate-Limit-Limit/Remaining/Used/Reset` on every answer (Reset: whole seconds, rounded
    /// up, at least 1).
    Enchant,
    /// `x-ratelimit-limit/remaining` on every answer; `Retry-After` on a 429.
    Trengo,
    /// Nothing at all, 429 included.
    Silent,
}

/// How the server lies in its headers (the limits it enforces stay true).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Lie {
    /// Remaining 50x the limit, limit 10,000.
    RemainingAboveLimit,
    /// Reset alternating between negative and 10^9, Remaining jumping up every other answer.
    AbsurdResets,
}

/// One window as the server saw it.
#[derive(Clone, Copy, Debug)]
pub struct WindowRecord {
    pub start: Duration,
    pub ours: u32,
    pub others: u32,
}

#[derive(Debug)]
pub struct StrictServer {
    pub limit: u32,
    pub window: Duration,
    pub burst: Option<u32>,
    /// Windows start at multiples of `window` instead of at the first admitted request.
    pub aligned: bool,
    pub headers: Headers,
    pub lie: Option<Lie>,
    window_start: Option<Duration>,
    ours: u32,
    others: u32,
    recent: VecDeque<Duration>,
    answers: u64,
    pub windows: Vec<WindowRecord>,
    pub credits_ours: u64,
    pub credits_others: u64,
    pub refused_ours_credits: u64,
    pub refused_ours_burst: u64,
    pub refused_others: u64,
    /// Admission times and costs of our requests.
    pub admissions: Vec<(Duration, u32)>,
}

impl StrictServer {
    pub fn new(limit: u32, window: Duration, burst: Option<u32>, headers: Headers) -> Self {
        Self {
            limit,
            window,
            burst,
            aligned: false,
            headers,
            lie: None,
            window_start: None,
            ours: 0,
            others: 0,
            recent: VecDeque::new(),
            answers: 0,
            windows: Vec::new(),
            credits_ours: 0,
            credits_others: 0,
            refused_ours_credits: 0,
            refused_ours_burst: 0,
            refused_others: 0,
            admissions: Vec::new(),
        }
    }

    pub fn enchant() -> Self {
        Self::new(100, Duration::from_secs(60), Some(6), Headers::Enchant)
    }

    pub fn refused_ours(&self) -> u64 {
        self.refused_ours_credits + self.refused_ours_burst
    }

    /// Handles one request costing `cost` at `now`.
    pub fn handle(&mut self, now: Duration, cost: u32, who: Who) -> Feedback {
        self.answers += 1;
        self.roll(now);
        while self
            .recent
            .front()
            .is_some_and(|t| now.saturating_sub(*t) >= Duration::from_secs(1))
        {
            self.recent.pop_front();
        }
        let burst_full = self.burst.is_some_and(|b| self.recent.len() >= b as usize);
        let credits_short = self.ours + self.others + cost > self.limit;
        if burst_full || credits_short {
            match who {
                Who::Us if burst_full => self.refused_ours_burst += 1,
                Who::Us => self.refused_ours_credits += 1,
                Who::Other => self.refused_others += 1,
            }
            return self.answer(429, 0, now);
        }
        if self.window_start.is_none() {
            self.window_start = Some(if self.aligned {
                let n = now.as_nanos() / self.window.as_nanos();
                self.window * u32::try_from(n).unwrap()
            } else {
                now
            });
        }
        match who {
            Who::Us => {
                self.ours += cost;
                self.credits_ours += u64::from(cost);
                self.admissions.push((now, cost));
            }
            Who::Other => {
                self.others += cost;
                self.credits_others += u64::from(cost);
            }
        }
        self.recent.push_back(now);
        self.answer(200, cost, now)
    }

    /// Closes the windows still open (for the final records).
    pub fn finish(&mut self) {
        self.roll(Duration::MAX);
    }

    fn roll(&mut self, now: Duration) {
        if let Some(start) = self.window_start
            && now >= start + self.window
        {
            self.windows.push(WindowRecord {
                start,
                ours: self.ours,
                others: self.others,
            });
            self.window_start = None;
            self.ours = 0;
            self.others = 0;
        }
    }

    fn answer(&self, status: u16, used: u32, now: Duration) -> Feedback {
        let remaining = self.limit - (self.ours + self.others).min(self.limit);
        let until_reset = match self.window_start {
            Some(start) => (start + self.window).saturating_sub(now),
            None => self.window,
        };
        let reset = (until_reset.as_secs() + u64::from(until_reset.subsec_nanos() > 0)).max(1);
        let reset = i64::try_from(reset).unwrap();
        let mut fb = Feedback::bare(status);
        match self.headers {
            Headers::Enchant => {
                fb.limit = Some(i64::from(self.limit));
                fb.remaining = Some(i64::from(remaining));
                fb.used = Some(i64::from(used));
                fb.reset_secs = Some(reset);
            }
            Headers::Trengo => {
                fb.limit = Some(i64::from(self.limit));
                fb.remaining = Some(i64::from(remaining));
                if status == 429 {
                    fb.retry_after_secs = Some(reset);
                }
            }
            Headers::Silent => {}
        }
        match self.lie {
            None => {}
            Some(Lie::RemainingAboveLimit) => {
                fb.limit = Some(10_000);
                fb.remaining = Some(i64::from(self.limit) * 50);
            }
            Some(Lie::AbsurdResets) => {
                fb.reset_secs = Some(if self.answers.is_multiple_of(2) {
                    -5
                } else {
                    1_000_000_000
                });
                if self.answers.is_multiple_of(2) {
                    fb.remaining = Some(i64::from(self.limit));
                }
                if status == 429 {
                    fb.retry_after_secs = Some(1_000_000_000);
                }
            }
        }
        fb
    }
}
