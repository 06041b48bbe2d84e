//! This client's own requests over a trailing span: credits per window, or request starts
//! per second for the burst limit.
//!
//! An entry is held from the moment its permit is granted until `span` after its response
//! arrived. The server admitted the request somewhere between grant and response, so counting
//! from the response is never early: whatever the server's window or rolling second, a credit
//! this log says is free is free on the server too (when nobody else spends the account).
//! The cost is one round trip per credit per window, instead of up to a second of guessing
//! from a whole-second `Reset` header.
//!
//! When the server's count shows which fixed window a request was counted in, its entry is
//! also freed when that window ends (its later bound), if that is sooner: credits come back
//! all at once, as on the server, instead of one by one a window after each was spent.

use std::time::Duration;

#[derive(Clone, Copy, Debug)]
struct Entry {
    permit: u64,
    amount: u32,
    /// `None` while the request is in flight: it may be admitted at any moment.
    frees_at: Option<Duration>,
    /// The server window (generation) it was counted in, when known.
    window: Option<u64>,
}

/// Amounts held per permit, each freed `span` after its request ended.
#[derive(Clone, Debug)]
pub(crate) struct SpendLog {
    span: Duration,
    entries: Vec<Entry>,
}

impl SpendLog {
    pub(crate) fn new(span: Duration) -> Self {
        Self {
            span,
            entries: Vec::new(),
        }
    }

    /// Holds `amount` for an in-flight permit.
    pub(crate) fn book(&mut self, permit: u64, amount: u32) {
        self.entries.push(Entry {
            permit,
            amount,
            frees_at: None,
            window: None,
        });
    }

    /// The permit's request ended at `ended_at` having cost `amount`: hold that until
    /// `ended_at + span` (an amount of zero frees it now).
    pub(crate) fn settle(&mut self, permit: u64, amount: u32, ended_at: Duration) {
        if amount == 0 {
            self.release(permit);
            return;
        }
        let frees_at = ended_at.saturating_add(self.span);
        if let Some(entry) = self.entries.iter_mut().find(|e| e.permit == permit) {
            entry.amount = amount;
            entry.frees_at = Some(frees_at);
        }
    }

    /// The permit's request was counted in server window `window`, which ends by `end`.
    pub(crate) fn counted_in(&mut self, permit: u64, window: u64, end: Duration) {
        if let Some(entry) = self.entries.iter_mut().find(|e| e.permit == permit) {
            entry.window = Some(window);
            entry.frees_at = entry.frees_at.map(|t| t.min(end));
        }
    }

    /// Server window `window` ends by `end`: what was counted in it is free then.
    pub(crate) fn window_ends(&mut self, window: u64, end: Duration) {
        for entry in self.entries.iter_mut().filter(|e| e.window == Some(window)) {
            entry.frees_at = entry.frees_at.map(|t| t.min(end));
        }
    }

    /// Frees the permit's amount at once (its request never reached the server).
    pub(crate) fn release(&mut self, permit: u64) {
        self.entries.retain(|e| e.permit != permit);
    }

    /// Drops entries that are free at `now`.
    pub(crate) fn prune(&mut self, now: Duration) {
        self.entries
            .retain(|e| e.frees_at.is_none_or(|frees| frees > now));
    }

    /// The total held at time `t` (entries in flight are held at every time).
    pub(crate) fn held_at(&self, t: Duration) -> u64 {
        self.entries
            .iter()
            .filter(|e| e.frees_at.is_none_or(|frees| frees > t))
            .map(|e| u64::from(e.amount))
            .sum()
    }

    /// Times after `t` at which something is freed, in no particular order.
    pub(crate) fn frees_after(&self, t: Duration) -> impl Iterator<Item = Duration> + '_ {
        self.entries
            .iter()
            .filter_map(|e| e.frees_at)
            .filter(move |frees| *frees > t)
    }

    /// The earliest time at or after `now` when at most `allowed - 1` units are held, i.e.
    /// one more may start; `None` while entries in flight alone fill `allowed`.
    pub(crate) fn room_at(&self, now: Duration, allowed: u64) -> Option<Duration> {
        let in_flight: u64 = self
            .entries
            .iter()
            .filter(|e| e.frees_at.is_none())
            .map(|e| u64::from(e.amount))
            .sum();
        if in_flight >= allowed {
            return None;
        }
        let mut frees: Vec<(Duration, u64)> = self
            .entries
            .iter()
            .filter_map(|e| e.frees_at.map(|t| (t, u64::from(e.amount))))
            .filter(|(t, _)| *t > now)
            .collect();
        frees.sort_unstable();
        let mut held = in_flight + frees.iter().map(|(_, a)| a).sum::<u64>();
        let mut at = now;
        for (t, amount) in frees {
            if held < allowed {
                break;
            }
            held -= amount;
            at = t;
        }
        Some(at)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ms(n: u64) -> Duration {
        Duration::from_millis(n)
    }

    #[test]
    fn holds_from_grant_until_a_span_after_the_response() {
        let mut log = SpendLog::new(ms(1000));
        log.book(1, 3);
        assert_eq!(log.held_at(ms(999_999)), 3, "in flight: held forever");
        log.settle(1, 2, ms(250));
        assert_eq!(log.held_at(ms(1249)), 2);
        assert_eq!(log.held_at(ms(1250)), 0);
        log.book(2, 1);
        log.settle(2, 0, ms(300));
        assert_eq!(log.held_at(ms(300)), 2, "a zero cost frees at once");
        log.prune(ms(1250));
        assert_eq!(log.frees_after(Duration::ZERO).count(), 0);
    }

    #[test]
    fn room_is_found_at_the_right_release() {
        let mut log = SpendLog::new(ms(1000));
        for (permit, end) in [(1, 0), (2, 100), (3, 200)] {
            log.book(permit, 1);
            log.settle(permit, 1, ms(end));
        }
        assert_eq!(log.room_at(ms(300), 4), Some(ms(300)));
        assert_eq!(log.room_at(ms(300), 3), Some(ms(1000)));
        assert_eq!(log.room_at(ms(300), 2), Some(ms(1100)));
        log.book(4, 1);
        log.book(5, 1);
        assert_eq!(log.room_at(ms(300), 2), None, "only a response can help");
        log.release(5);
        assert_eq!(log.room_at(ms(300), 2), Some(ms(1200)));
    }

    #[test]
    fn what_a_server_window_counted_is_free_when_it_ends() {
        let mut log = SpendLog::new(ms(60_000));
        for permit in 1..=3 {
            log.book(permit, 1);
            log.settle(permit, 1, ms(permit * 100));
        }
        log.counted_in(1, 7, ms(50_000));
        log.counted_in(2, 7, ms(50_000));
        assert_eq!(log.held_at(ms(50_000)), 1);
        log.window_ends(7, ms(40_000));
        assert_eq!(log.held_at(ms(40_000)), 1);
        assert_eq!(log.held_at(ms(39_999)), 3);
        log.counted_in(3, 8, ms(90_000));
        assert_eq!(
            log.held_at(ms(60_300)),
            0,
            "never later than a span after the answer"
        );
    }
}
