//! The server's credit window as pieced together from response headers: how much of it is
//! used, when it ends, and how fast others (other devices, scripts, colleagues sharing the
//! account) spend it.
//!
//! # Believing the server
//!
//! * `Remaining` lower than expected is believed: the window's used count is the highest
//!   `limit - remaining` seen in it. `Remaining` going back up within a window is not
//!   believed (a refund or a lie); only a fresh window brings credits back.
//! * `Limit` is capped by the profile's limit, `Remaining` is clamped to `0..=limit`, a
//!   negative `Reset` is ignored and a `Reset` longer than the window is cut to the window.
//!   A later end alone (a huge `Reset` without credits coming back) is not a fresh window.
//! * Each new window starts only once the last one has ended, and, after the first, the
//!   model never lets one end sooner than a window after the previous one could have ended.
//!   So however the headers lie, they cannot give this client more than the limit per
//!   window, as a fixed-window server would; its own spending is separately capped by the
//!   profile (see `spend_log`).
//!
//! # When the window ends
//!
//! `Reset` is whole seconds, rounded up, computed at some moment between sending and
//! receiving, so one response says the window ends in `(sent + reset - 1 s, received +
//! reset]`. Every response in the same window narrows this by intersection, and any response
//! also bounds the end by `received + window` (the window contains the request). The
//! scheduler treats the window as ending at the *later* bound: never early, so the first
//! request of the next window cannot land in this one; and after a few responses sent at
//! different sub-second phases that bound is within about one request spacing of the truth
//! (~170 ms at Enchant's 6 requests per second), not a whole second, so little is wasted.
//! A response whose own interval lies entirely after that bound, with credits back, shows a
//! fresh window and is adopted at once. Providers that send no `Reset` on success (Trengo)
//! fall back to `received + window` of the earliest response in the window, and a 429's
//! `Retry-After`.
//!
//! Alone, the window's end matters little: the own-spend log (see `spend_log`) frees each
//! credit a window after its answer at the latest, which is exact to a round trip whether the
//! server's windows start at its first request or on the clock.
//!
//! # Others' spending
//!
//! In a window, `used - own credits that may be in it` is a lower bound of what others spent.
//! What others spent in the last window that was reported on is what they are expected to
//! spend in this one (or at least what they already did; before any whole window was seen,
//! the rate seen so far). The model keeps what others are still expected to spend in this
//! window out of what this client may spend, so it slows down to what is left instead of
//! racing others to zero and collecting 429s; the scheduler also spreads its own share over
//! the window while others are active (see `budget`), which keeps the count fresh and
//! measures others over the whole window, bursty or steady. The reserve is capped at three
//! quarters of the window, so a wrong estimate can never starve this client, and it fades
//! as soon as a window is seen in which others spent less.

use std::collections::VecDeque;
use std::time::Duration;

const SECOND: Duration = Duration::from_secs(1);

/// How far back "others' spend rate just now" looks.
const RECENT: Duration = Duration::from_secs(2);

/// What one response said, with when it was sent and received.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Observation {
    pub sent_at: Duration,
    pub received_at: Duration,
    /// The window generation current when the request was granted.
    pub generation: u64,
    pub limit: Option<i64>,
    pub remaining: Option<i64>,
    pub reset_secs: Option<i64>,
}

/// Which window a response describes, relative to the one the model holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Placement {
    Current,
    Newer,
    Stale,
}

#[derive(Clone, Debug)]
pub(crate) struct ServerView {
    window: Duration,
    profile_limit: Option<u32>,
    /// A response with a remaining count has been seen.
    active: bool,
    limit: Option<u32>,
    /// Bumped at every new window.
    generation: u64,
    /// The window ends strictly after this.
    ends_after: Option<Duration>,
    /// The window ends at or before this (the bound the scheduler goes by).
    ends_by: Option<Duration>,
    /// Highest credits used in this window per the server.
    used: Option<u32>,
    /// When the request that reported `used` was sent.
    anchor_sent: Duration,
    /// Own credits answered in this window (all of them counted in `used`).
    own_settled: u32,
    /// Others' spend seen in this window so far.
    foreign_seen: u32,
    /// Up to when others' spend in this window is accounted for.
    foreign_until: Option<Duration>,
    /// Others' spend seen in the last window that was reported on.
    foreign_last_window: Option<u32>,
    /// Others' spend seen at each observation, with the time it covers.
    foreign_log: VecDeque<ForeignSpend>,
}

/// Others' spend seen by one observation: `credits` over the `span` before `at`.
#[derive(Clone, Copy, Debug)]
struct ForeignSpend {
    at: Duration,
    span: Duration,
    credits: u32,
}

impl ServerView {
    pub(crate) fn new(window: Duration, profile_limit: Option<u32>) -> Self {
        Self {
            window,
            profile_limit,
            active: false,
            limit: None,
            generation: 0,
            ends_after: None,
            ends_by: None,
            used: None,
            anchor_sent: Duration::ZERO,
            own_settled: 0,
            foreign_seen: 0,
            foreign_until: None,
            foreign_last_window: None,
            foreign_log: VecDeque::new(),
        }
    }

    pub(crate) fn generation(&self) -> u64 {
        self.generation
    }

    /// The server reports remaining credits at all.
    pub(crate) fn is_active(&self) -> bool {
        self.active
    }

    /// The current window has been reported on.
    pub(crate) fn is_observed(&self) -> bool {
        self.used.is_some()
    }

    /// The window's size per the server (capped by the profile), once it has said.
    pub(crate) fn limit(&self) -> Option<u32> {
        self.limit.filter(|_| self.active)
    }

    /// The later bound of the current window's end, when known.
    pub(crate) fn ends_by(&self) -> Option<Duration> {
        self.ends_by
    }

    /// Moves to the next window once the current one has surely ended, and forgets others'
    /// spend older than a window.
    pub(crate) fn tick(&mut self, now: Duration) {
        if self.ends_by.is_some_and(|end| now >= end) {
            self.close_window();
            self.generation += 1;
            // The next window ends at least a window after this one could have.
            self.ends_after = self.ends_after.map(|lo| lo.saturating_add(self.window));
            self.ends_by = None;
            self.used = None;
            self.anchor_sent = now;
            self.own_settled = 0;
            self.foreign_seen = 0;
            self.foreign_until = None;
        }
        let horizon = now.saturating_sub(self.window);
        while self.foreign_log.front().is_some_and(|f| f.at <= horizon) {
            self.foreign_log.pop_front();
        }
    }

    /// Takes in one response. `charged` is what the request cost this client;
    /// `own_possibly_counted` is the cost of this client's other requests that the server may
    /// already have counted (in flight or unconfirmed). Returns whether the response describes
    /// the current (possibly fresh) window, i.e. its count includes every request of this
    /// client that ended before it was sent.
    pub(crate) fn observe(
        &mut self,
        obs: &Observation,
        charged: u32,
        own_possibly_counted: u64,
    ) -> bool {
        let Some(remaining) = obs.remaining else {
            return false;
        };
        let reported = obs
            .limit
            .filter(|l| *l > 0)
            .map(|l| u32::try_from(l).unwrap_or(u32::MAX));
        let Some(limit) = reported
            .map(|l| self.profile_limit.map_or(l, |p| l.min(p)))
            .or(self.limit)
            .or(self.profile_limit)
        else {
            return false;
        };
        self.active = true;
        self.limit = Some(limit);
        let used = limit - u32::try_from(remaining.clamp(0, i64::from(limit))).unwrap_or(0);
        let interval = obs.reset_secs.filter(|s| *s >= 0).map(|s| {
            let reset = Duration::from_secs(s.unsigned_abs()).min(self.window);
            (
                obs.sent_at.saturating_add(reset).saturating_sub(SECOND),
                obs.received_at.saturating_add(reset),
            )
        });
        let latest_end = obs.received_at.saturating_add(self.window);

        match self.place(obs, interval, used) {
            Placement::Stale => return false,
            Placement::Newer => {
                let (after, by) = interval.unwrap_or((obs.sent_at, latest_end));
                self.close_window();
                self.generation += 1;
                self.ends_after = Some(after);
                self.ends_by = Some(by.min(latest_end));
                self.used = Some(used);
                self.anchor_sent = obs.sent_at;
                self.own_settled = charged;
                self.foreign_seen = 0;
                self.foreign_until = None;
            }
            Placement::Current => {
                if let Some((after, by)) = interval {
                    let consistent = self.ends_after.is_none_or(|lo| by > lo)
                        && self.ends_by.is_none_or(|hi| after < hi);
                    if consistent {
                        self.ends_after = Some(self.ends_after.map_or(after, |lo| lo.max(after)));
                        self.ends_by = Some(self.ends_by.map_or(by, |hi| hi.min(by)));
                    }
                }
                self.ends_by = Some(self.ends_by.map_or(latest_end, |hi| hi.min(latest_end)));
                // Bounds that cross can only come from lies: go by the later end.
                if let Some(lo) = self.ends_after
                    && Some(lo) >= self.ends_by
                {
                    self.ends_by = Some(lo.saturating_add(Duration::from_millis(1)));
                }
                if self.used.is_none_or(|u| used > u) {
                    self.used = Some(used);
                    self.anchor_sent = obs.sent_at;
                }
                self.own_settled = self.own_settled.saturating_add(charged);
            }
        }
        self.note_foreign(obs.received_at, own_possibly_counted);
        true
    }

    /// Own credits confirmed in the current window after the fact (a request whose answer
    /// carried no count, now covered by a later count).
    pub(crate) fn add_own(&mut self, credits: u32) {
        self.own_settled = self.own_settled.saturating_add(credits);
    }

    fn place(
        &self,
        obs: &Observation,
        interval: Option<(Duration, Duration)>,
        used: u32,
    ) -> Placement {
        // A fresh window shows both: an end past what this one could have, and credits back.
        // A later end alone is a lie or a longer window than the profile says; either way
        // the current window's end (bounded by the window length) stands. And a fresh window
        // lasts a whole window: one ending sooner after this one is a lie too.
        if let (Some((after, by)), Some(hi)) = (interval, self.ends_by)
            && after >= hi
            && self.used.is_none_or(|u| used < u)
            && self
                .ends_after
                .is_none_or(|lo| by > lo.saturating_add(self.window))
        {
            return Placement::Newer;
        }
        if obs.generation == self.generation {
            return Placement::Current;
        }
        // Sent before the model moved to this window: it counts only if its Reset places it
        // here.
        match (interval, self.ends_after) {
            (Some((_, by)), Some(lo)) if by > lo => Placement::Current,
            _ => Placement::Stale,
        }
    }

    /// Logs what others spent since the last observation in this window (or since the
    /// window began), with the time that covers, even when it is nothing.
    fn note_foreign(&mut self, now: Duration, own_possibly_counted: u64) {
        let Some(used) = self.used else { return };
        let own = u64::from(self.own_settled).saturating_add(own_possibly_counted);
        let foreign = u32::try_from(u64::from(used).saturating_sub(own)).unwrap_or(u32::MAX);
        let began = self
            .ends_by
            .map_or(now, |end| end.saturating_sub(self.window));
        let since = self.foreign_until.unwrap_or(began).min(now);
        self.foreign_log.push_back(ForeignSpend {
            at: now,
            span: now - since,
            credits: foreign.saturating_sub(self.foreign_seen),
        });
        self.foreign_seen = self.foreign_seen.max(foreign);
        self.foreign_until = Some(now);
    }

    /// Remembers what others spent in the window being left, if it was reported on.
    fn close_window(&mut self) {
        if self.foreign_until.is_some() {
            self.foreign_last_window = Some(self.foreign_seen);
        }
    }

    /// What others are expected to spend in the whole current window (credits): what they
    /// spent in the last window reported on, or at least what they already spent in this one.
    /// Before any window has been reported on, the rate seen so far, over at least a quarter
    /// window (a few credits seen over a moment are not a rate).
    pub(crate) fn foreign_per_window(&self) -> f64 {
        let expected = match self.foreign_last_window {
            Some(credits) => f64::from(credits),
            None => {
                let credits: u64 = self.foreign_log.iter().map(|f| u64::from(f.credits)).sum();
                let span: Duration = self.foreign_log.iter().map(|f| f.span).sum();
                let window = self.window.as_secs_f64();
                credits as f64 / span.as_secs_f64().max(window / 4.0) * window
            }
        };
        let cap = self.limit.map_or(f64::INFINITY, f64::from);
        expected.max(f64::from(self.foreign_seen)).min(cap)
    }

    /// Others' spend rate just now (credits per second, over the last couple of seconds
    /// observed): what they take of the burst limit.
    pub(crate) fn foreign_rate_now(&self, now: Duration) -> f64 {
        let recent = now.saturating_sub(RECENT);
        let (credits, span) = self
            .foreign_log
            .iter()
            .filter(|f| f.at > recent)
            .fold((0u64, Duration::ZERO), |(c, s), f| {
                (c + u64::from(f.credits), s + f.span)
            });
        credits as f64 / span.max(SECOND).as_secs_f64()
    }

    /// When the current window was last reported on.
    pub(crate) fn observed_at(&self) -> Option<Duration> {
        self.foreign_until
    }

    /// Credits the server model lets this client spend at time `t` (not before now), with
    /// `pending` of its own requests possibly not yet in the server's count, keeping at most
    /// `reserve_cap` for others. Infinite while the server reports nothing.
    pub(crate) fn available_at(&self, t: Duration, pending: f64, reserve_cap: f64) -> f64 {
        let Some(limit) = self.limit() else {
            return f64::INFINITY;
        };
        let limit = f64::from(limit);
        let expected = self.foreign_per_window();
        let fresh = limit - pending - expected.min(reserve_cap);
        match (self.used, self.ends_by) {
            (_, Some(end)) if t >= end => fresh,
            (Some(used), Some(_)) => {
                let still_to_come = (expected - f64::from(self.foreign_seen)).max(0.0);
                limit - f64::from(used) - pending - still_to_come.min(reserve_cap)
            }
            _ => fresh,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(n: f64) -> Duration {
        Duration::from_secs_f64(n)
    }

    fn obs(sent: f64, received: f64, remaining: i64, reset: Option<i64>) -> Observation {
        Observation {
            sent_at: s(sent),
            received_at: s(received),
            generation: 0,
            limit: Some(100),
            remaining: Some(remaining),
            reset_secs: reset,
        }
    }

    #[test]
    fn reset_intervals_narrow_the_end_of_the_window() {
        let mut view = ServerView::new(s(60.0), Some(100));
        // True end at 60.4: a request processed at 0.5 sees ceil(59.9) = 60.
        assert!(view.observe(&obs(0.49, 0.51, 99, Some(60)), 1, 0));
        assert_eq!(view.ends_by(), Some(s(60.51)));
        // Processed at 0.66: ceil(59.74) = 60, so the end is in (59.65, 60.67]; no better.
        view.observe(&obs(0.65, 0.67, 98, Some(60)), 1, 0);
        // Processed at 1.0: ceil(59.4) = 60, so the end is after 59.99.
        view.observe(&obs(0.99, 1.01, 97, Some(60)), 1, 0);
        // Processed at 1.4: ceil(59.0) = 59, so the end is by 1.41 + 59 = 60.41.
        view.observe(&obs(1.39, 1.41, 96, Some(59)), 1, 0);
        let end = view.ends_by().unwrap();
        assert!(end >= s(60.4) && end <= s(60.42), "{end:?}");
    }

    #[test]
    fn remaining_going_up_in_a_window_is_not_believed() {
        let mut view = ServerView::new(s(60.0), Some(100));
        view.observe(&obs(0.0, 0.1, 40, Some(50)), 1, 0);
        view.observe(&obs(1.0, 1.1, 90, Some(49)), 1, 0);
        assert_eq!(view.used, Some(60));
        assert!(view.available_at(s(2.0), 0.0, 75.0) <= 40.0);
    }

    #[test]
    fn lying_limits_and_resets_are_bounded() {
        let mut view = ServerView::new(s(60.0), Some(100));
        let mut lie = obs(0.0, 0.1, 5_000, Some(1_000_000_000));
        lie.limit = Some(10_000);
        view.observe(&lie, 1, 0);
        assert_eq!(view.limit(), Some(100));
        assert_eq!(view.used, Some(0));
        assert!(view.ends_by().unwrap() <= s(60.1));
        let negative = obs(1.0, 1.1, 50, Some(-30));
        view.observe(&negative, 1, 0);
        assert!(view.ends_by().unwrap() <= s(60.1));
    }

    #[test]
    fn a_fresh_window_is_adopted_and_a_stale_answer_ignored() {
        let mut view = ServerView::new(s(60.0), Some(100));
        view.observe(&obs(0.0, 0.1, 0, Some(10)), 1, 0);
        assert_eq!(view.ends_by(), Some(s(10.1)));
        // Sent at 11: the server says 60 more seconds, 99 left: a new window.
        view.observe(&obs(11.0, 11.1, 99, Some(60)), 1, 0);
        assert_eq!(view.used, Some(1));
        assert_eq!(view.generation(), 1);
        // A slow answer from the old window, sent before the model moved on.
        let mut old = obs(9.0, 11.2, 0, Some(1));
        old.generation = 0;
        assert!(!view.observe(&old, 1, 0));
        assert_eq!(view.used, Some(1));
    }

    #[test]
    fn a_later_reset_without_credits_back_is_not_a_fresh_window() {
        let mut view = ServerView::new(s(60.0), Some(100));
        view.observe(&obs(0.0, 0.1, 90, Some(60)), 1, 0);
        // Two seconds later the server claims 60 more seconds but nothing came back.
        view.observe(&obs(2.0, 2.1, 89, Some(1_000_000_000)), 1, 0);
        assert_eq!(view.generation(), 0);
        assert_eq!(view.ends_by(), Some(s(60.1)));
        assert_eq!(view.used, Some(11));
        assert_eq!(view.foreign_seen, 9);
    }

    #[test]
    fn a_fresh_window_shorter_than_a_window_is_not_believed() {
        let mut view = ServerView::new(s(60.0), Some(100));
        view.observe(&obs(0.0, 0.1, 50, Some(60)), 1, 0);
        // Just before the end: "everything is back, and the next window ends in 2 s".
        view.observe(&obs(59.5, 59.6, 99, Some(2)), 1, 0);
        assert_eq!(view.generation(), 0);
        assert_eq!(view.used, Some(50));
        assert_eq!(view.ends_by(), Some(s(60.1)));
    }

    #[test]
    fn others_spend_is_estimated_and_reserved() {
        let mut view = ServerView::new(s(60.0), Some(100));
        view.observe(&obs(0.0, 0.1, 99, Some(60)), 1, 0);
        // 10 s later: we spent 2 in total, the server says 12 are gone.
        view.observe(&obs(10.0, 10.1, 88, Some(50)), 1, 0);
        // No window seen whole yet: 10 credits over 10 s observed, taken over at least 15 s.
        assert!((view.foreign_per_window() - 40.0).abs() < 1e-9);
        // 30 more are expected from others in this window.
        let avail = view.available_at(s(10.2), 0.0, 75.0);
        assert!((avail - (88.0 - 30.0)).abs() < 1e-9, "{avail}");
        // Next window: what others spent in this one is expected again.
        view.tick(s(71.0));
        assert_eq!(view.foreign_per_window(), 10.0);
        assert!((view.available_at(s(71.0), 1.0, 75.0) - 89.0).abs() < 1e-9);
        assert_eq!(view.foreign_rate_now(s(71.0)), 0.0);
    }
}
