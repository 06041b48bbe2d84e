//! One account's budget: everything the scheduler knows about its rate limits, when the
//! request at the head of the queue may go, and what each answer teaches.
//!
//! Three limits are combined, and a request goes only when all of them allow it:
//!
//! * **Own spend** (`credits`): this client's credits never exceed the profile's limit (or
//!   the limit learned from a 429) in any rolling window, or, once answers show which server
//!   window a request was counted in, in that window. Alone, this is what keeps it at zero
//!   429s; headers can only shorten a hold to the end of a window the server model believes
//!   in (see `server_view` for what it believes).
//! * **The server's count** (`server`): what the headers say is left in the server's window,
//!   minus this client's requests the server may not have counted yet, minus the share others
//!   are expected to spend. This is what adapts to others spending the account.
//! * **Burst** (`burst`): request starts per rolling second.
//!
//! Lower lanes leave headroom in the first two and in the burst for higher lanes (see
//! [`Lane`]), and a 429 holds every lane (see `retry_wait`).

use std::collections::BTreeMap;
use std::time::Duration;

use crate::budget_status::BudgetStatus;
use crate::feedback::Feedback;
use crate::lane::Lane;
use crate::lane_queue::{LaneQueue, Ticket};
use crate::profile::RateProfile;
use crate::retry_wait::RetryWait;
use crate::server_view::{Observation, ServerView};
use crate::spend_log::SpendLog;

/// How long before budget comes back a lower lane starts spending the headroom it keeps for
/// higher lanes. It spends it gradually, all of it by half a second before the
/// budget returns, so headroom that would otherwise sit unused until the window turns is
/// spent; a higher-lane request arriving meanwhile waits at most this long (in practice, for
/// a request costing `c` out of a headroom of `h`, about `c / h` of it plus half a second).
pub const RESERVE_RELEASE_LEAD: Duration = Duration::from_millis(2500);

/// The headroom is all released this long before budget comes back, leaving time to send.
const RELEASE_DONE_BEFORE: Duration = Duration::from_millis(500);

/// The span of the burst limit.
const BURST_SPAN: Duration = Duration::from_secs(1);

/// Others never get more than this share of a window reserved for them.
const MAX_FOREIGN_RESERVE: f64 = 0.75;

/// While others spend the account, a count older than this is stale: one request at a time
/// until a fresh one arrives.
const STALE_AFTER: Duration = Duration::from_secs(1);

/// Paced spending aims to be done with its share this early (as a fraction of the time left).
const PACE_SLACK: f64 = 0.8;

/// A request that has been granted and whose credits the server may count.
#[derive(Clone, Copy, Debug)]
struct Outstanding {
    cost: u32,
    sent_at: Duration,
    generation: u64,
    phase: Phase,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Phase {
    /// No answer yet.
    InFlight,
    /// Ended without a count from the server (dropped, or answered without headers): the
    /// server may or may not have counted it, until a count from a request sent after
    /// `since` settles it, or a window has passed.
    Unconfirmed { since: Duration },
}

/// A grant made by [`Budget::try_grant`].
#[derive(Clone, Copy, Debug)]
pub(crate) struct Grant {
    pub id: u64,
    pub at: Duration,
}

#[derive(Clone, Debug)]
pub(crate) struct Budget {
    profile: RateProfile,
    pub(crate) queue: LaneQueue,
    credits: SpendLog,
    burst: SpendLog,
    server: ServerView,
    outstanding: BTreeMap<u64, Outstanding>,
    next_permit: u64,
    last_grant_at: Option<Duration>,
    learned_limit: Option<u32>,
    /// Burst share after a burst refusal (halved each time), and when it was last cut.
    burst_cut: Option<(u32, Duration)>,
    retry: RetryWait,
    answers: u64,
    credits_spent: u64,
    requests_sent: u64,
    rate_limited: u64,
}

impl Budget {
    pub(crate) fn new(profile: RateProfile) -> Self {
        let window = profile.span();
        Self {
            profile,
            queue: LaneQueue::default(),
            credits: SpendLog::new(window),
            burst: SpendLog::new(BURST_SPAN),
            server: ServerView::new(window, profile.credits_per_window),
            outstanding: BTreeMap::new(),
            next_permit: 0,
            last_grant_at: None,
            learned_limit: None,
            burst_cut: None,
            retry: RetryWait::default(),
            answers: 0,
            credits_spent: 0,
            requests_sent: 0,
            rate_limited: 0,
        }
    }

    pub(crate) fn profile(&self) -> RateProfile {
        self.profile
    }

    /// Grants the request holding `ticket` if it is at the head of the queue and the budget
    /// pays for it now. Otherwise says until when to wait: `Err(None)` means only a change
    /// (a grant, an answer, a dropped permit) can help.
    pub(crate) fn try_grant(
        &mut self,
        ticket: Ticket,
        lane: Lane,
        cost: u32,
        now: Duration,
    ) -> Result<Grant, Option<Duration>> {
        self.tick(now);
        if self.queue.head() != Some(ticket) {
            return Err(None);
        }
        match self.ready_at(lane, cost, now) {
            Some(at) if at <= now => Ok(self.grant(ticket, cost, now)),
            Some(at) => Err(Some(at)),
            // Waiting for an answer; the fallback re-check is only a safety net.
            None => Err(Some(now.saturating_add(self.profile.span()))),
        }
    }

    /// Takes in the server's answer to a granted request.
    pub(crate) fn complete(&mut self, id: u64, feedback: &Feedback, now: Duration) {
        self.tick(now);
        let Some(out) = self.outstanding.remove(&id) else {
            return;
        };
        self.answers += 1;
        let charged = self.charged(out.cost, feedback);
        self.credits.settle(id, charged, now);
        self.burst.settle(id, 1, now);
        self.credits_spent += u64::from(charged);

        let observation = Observation {
            sent_at: out.sent_at,
            received_at: now,
            generation: out.generation,
            limit: feedback.limit,
            remaining: feedback.remaining,
            // A 429 without Reset (Trengo) says when the window resets through Retry-After.
            reset_secs: feedback.reset_secs.or(if feedback.is_rate_limited() {
                feedback.retry_after_secs
            } else {
                None
            }),
        };
        let possibly_counted = self.pending_at(now);
        if self.server.observe(&observation, charged, possibly_counted) {
            self.settle_unconfirmed(out.sent_at);
            if let Some(end) = self.server.ends_by() {
                let window = self.server.generation();
                self.credits.counted_in(id, window, end);
                self.credits.window_ends(window, end);
            }
        } else if self.server.is_active() && charged > 0 && feedback.remaining.is_none() {
            self.outstanding.insert(
                id,
                Outstanding {
                    cost: charged,
                    phase: Phase::Unconfirmed { since: now },
                    ..out
                },
            );
        }

        if feedback.is_rate_limited() {
            self.rate_limited(&out, feedback, now);
        } else {
            self.retry.answered();
        }
    }

    /// The permit was dropped without an answer: the request may have reached the server, so
    /// its cost stays counted (see [`Phase::Unconfirmed`]).
    pub(crate) fn abandon(&mut self, id: u64, now: Duration) {
        self.tick(now);
        let Some(out) = self.outstanding.get_mut(&id) else {
            return;
        };
        self.credits.settle(id, out.cost, now);
        self.burst.settle(id, 1, now);
        if self.server.is_active() && out.cost > 0 {
            out.phase = Phase::Unconfirmed { since: now };
        } else {
            self.outstanding.remove(&id);
        }
    }

    /// The request certainly never left: everything it held is given back.
    pub(crate) fn unsent(&mut self, id: u64, now: Duration) {
        self.tick(now);
        if self.outstanding.remove(&id).is_some() {
            self.credits.release(id);
            self.burst.release(id);
            self.requests_sent = self.requests_sent.saturating_sub(1);
        }
    }

    pub(crate) fn status(&mut self, now: Duration) -> BudgetStatus {
        self.tick(now);
        let limit = self.credit_cap();
        let remaining = limit.map(|cap| {
            let reserve_cap = f64::from(cap) * MAX_FOREIGN_RESERVE;
            let avail = self.available_at(now, reserve_cap).floor().max(0.0);
            if avail.is_finite() {
                avail.min(f64::from(u32::MAX)) as u32
            } else {
                cap
            }
        });
        let window_resets_at = self
            .server
            .ends_by()
            .filter(|_| self.server.is_active())
            .or_else(|| self.credits.frees_after(now).min());
        let blocked = self.retry.blocked_until(now);
        let waiting_until = blocked.or_else(|| {
            self.credits_ready_at(Lane::Interactive, 1, now)
                .filter(|t| *t > now)
        });
        BudgetStatus {
            now,
            limit,
            remaining,
            window_resets_at,
            waiting_until,
            rate_limited_wait: blocked.is_some(),
            rate_limited_count: self.rate_limited,
            credits_spent: self.credits_spent,
            requests_sent: self.requests_sent,
            in_flight: self.in_flight(),
            queued: self.queue.len(),
            others_per_window: self.server.foreign_per_window(),
        }
    }

    fn tick(&mut self, now: Duration) {
        self.credits.prune(now);
        self.burst.prune(now);
        self.server.tick(now);
        let window = self.profile.span();
        self.outstanding.retain(|_, o| match o.phase {
            Phase::InFlight => true,
            Phase::Unconfirmed { since } => since.saturating_add(window) > now,
        });
        if self
            .burst_cut
            .is_some_and(|(_, at)| now >= at.saturating_add(window))
        {
            self.burst_cut = None;
        }
    }

    fn grant(&mut self, ticket: Ticket, cost: u32, now: Duration) -> Grant {
        self.queue.remove(ticket);
        self.next_permit += 1;
        let id = self.next_permit;
        self.credits.book(id, cost);
        self.burst.book(id, 1);
        self.outstanding.insert(
            id,
            Outstanding {
                cost,
                sent_at: now,
                generation: self.server.generation(),
                phase: Phase::InFlight,
            },
        );
        self.requests_sent += 1;
        self.last_grant_at = Some(now);
        Grant { id, at: now }
    }

    /// When the request can go, or `None` if only an answer can make room.
    fn ready_at(&self, lane: Lane, cost: u32, now: Duration) -> Option<Duration> {
        if self.in_flight() > 0 && self.must_probe(now) {
            return None;
        }
        let blocked = self.retry.blocked_until(now).unwrap_or(now);
        let burst = self.burst_ready_at(lane, now)?;
        let credits = self.credits_ready_at(lane, cost, now)?;
        let paced = self.paced_at(lane, cost, now);
        Some(blocked.max(burst).max(credits).max(paced))
    }

    /// One request at a time while the server's count is unknown (no answer yet, or a
    /// window not reported on) or stale while others spend the account: if the budget is
    /// gone, one 429 teaches that rather than a volley of them.
    fn must_probe(&self, now: Duration) -> bool {
        if self.answers == 0 {
            return true;
        }
        if !self.server.is_active() {
            return false;
        }
        if !self.server.is_observed() {
            return true;
        }
        self.server.foreign_per_window() > 0.0
            && self
                .server
                .observed_at()
                .is_none_or(|t| now.saturating_sub(t) > STALE_AFTER)
    }

    /// Request starts per second left to this lane: the burst limit, less what others seem
    /// to be using of it right now, less any cut after a burst refusal, less the lane's
    /// reserve for higher lanes.
    fn burst_ready_at(&self, lane: Lane, now: Duration) -> Option<Duration> {
        let Some(limit) = self.profile.burst_per_second else {
            return Some(now);
        };
        let others = self.server.foreign_rate_now(now).ceil();
        let others = if others.is_finite() && others > 0.0 {
            others.min(f64::from(limit)) as u32
        } else {
            0
        };
        let ours = self
            .burst_cut
            .map_or(limit, |(share, _)| share.min(limit))
            .min(limit - others)
            .max(1);
        self.burst
            .room_at(now, u64::from(lane.burst_allowance(ours)))
    }

    /// While others spend the account, spreads this lane's share of the rest of the window
    /// over the time left (finishing a little early) instead of spending it at once: the
    /// server's count then stays fresh, others' rate is measured over the whole window, and
    /// the two clients do not collide on the burst limit. Interactive requests are not paced.
    fn paced_at(&self, lane: Lane, cost: u32, now: Duration) -> Duration {
        if lane == Lane::Interactive || self.server.foreign_per_window() <= 0.0 {
            return now;
        }
        let (Some(last), Some(end), Some(cap)) = (
            self.last_grant_at,
            self.server.ends_by().filter(|end| *end > now),
            self.credit_cap(),
        ) else {
            return now;
        };
        let need = f64::from(cost.min(cap));
        let headroom = f64::from(lane.credit_headroom(cap));
        let share = self.available_at(now, f64::from(cap) * MAX_FOREIGN_RESERVE) - headroom;
        if share < need {
            // Nothing to spread: the credit check decides.
            return now;
        }
        let spacing = (end - now).as_secs_f64() * PACE_SLACK * need / share;
        last.saturating_add(Duration::from_secs_f64(spacing))
    }

    /// The earliest time the lane can pay `cost`: enough credits, and the headroom it keeps
    /// for higher lanes, released gradually in the [`RESERVE_RELEASE_LEAD`] before the budget
    /// comes back.
    fn credits_ready_at(&self, lane: Lane, cost: u32, now: Duration) -> Option<Duration> {
        let Some(cap) = self.credit_cap() else {
            return Some(now);
        };
        // A request costing more than a whole window could never be paid; it waits for a
        // full window instead.
        let need = cost.min(cap);
        let headroom = lane.credit_headroom(cap).min(cap - need);
        let reserve_cap =
            f64::from(cap - need - headroom).min(f64::from(cap) * MAX_FOREIGN_RESERVE);

        let mut times = vec![now];
        times.extend(self.credits.frees_after(now));
        times.extend(self.server.ends_by().filter(|t| *t > now));
        let window = self.profile.span();
        times.extend(self.outstanding.values().filter_map(|o| match o.phase {
            Phase::Unconfirmed { since } => Some(since.saturating_add(window)),
            Phase::InFlight => None,
        }));
        times.retain(|t| *t >= now);
        times.sort_unstable();
        times.dedup();

        let first_with = |amount: u32| {
            times
                .iter()
                .copied()
                .find(|t| self.available_at(*t, reserve_cap) >= f64::from(amount))
        };
        let enough = first_with(need)?;
        if headroom == 0 {
            return Some(enough);
        }
        let full = first_with(need + headroom)?;
        // Before `full` the headroom kept shrinks linearly, to nothing at `done`: with `a`
        // available, the lane may go once `a - need >= headroom * (done - t) / span`.
        let done = full.saturating_sub(RELEASE_DONE_BEFORE);
        let span = (RESERVE_RELEASE_LEAD - RELEASE_DONE_BEFORE).as_secs_f64();
        let headroom = f64::from(headroom);
        for (i, t) in times
            .iter()
            .copied()
            .enumerate()
            .filter(|(_, t)| *t >= enough)
        {
            let spare = self.available_at(t, reserve_cap) - f64::from(need);
            if spare < 0.0 {
                continue;
            }
            let at = if spare >= headroom {
                t
            } else {
                done.saturating_sub(Duration::from_secs_f64(span * spare / headroom))
                    .max(t)
            };
            if times.get(i + 1).is_none_or(|next| at < *next) {
                return Some(at);
            }
        }
        Some(full)
    }

    /// Credits spendable at `t` (not before now) as far as is known now.
    fn available_at(&self, t: Duration, reserve_cap: f64) -> f64 {
        let own = match self.own_limit() {
            Some(limit) => f64::from(limit) - self.credits.held_at(t) as f64,
            None => f64::INFINITY,
        };
        let pending = self.pending_at(t) as f64;
        own.min(self.server.available_at(t, pending, reserve_cap))
    }

    /// Own credits the server may not have in its count at `t`.
    fn pending_at(&self, t: Duration) -> u64 {
        let window = self.profile.span();
        self.outstanding
            .values()
            .filter(|o| match o.phase {
                Phase::InFlight => true,
                Phase::Unconfirmed { since } => since.saturating_add(window) > t,
            })
            .map(|o| u64::from(o.cost))
            .sum()
    }

    /// A count from a request sent at `sent_at` includes every request that ended before.
    ///
    /// Such a request was counted in this server window or an earlier one, or not at all, so
    /// its own-spend entry is free when this window ends.
    fn settle_unconfirmed(&mut self, sent_at: Duration) {
        let generation = self.server.generation();
        let end = self.server.ends_by();
        let mut confirmed = 0u32;
        let mut settled = Vec::new();
        self.outstanding.retain(|id, o| match o.phase {
            Phase::Unconfirmed { since } if since <= sent_at => {
                if o.generation == generation {
                    confirmed = confirmed.saturating_add(o.cost);
                }
                settled.push(*id);
                false
            }
            _ => true,
        });
        self.server.add_own(confirmed);
        if let Some(end) = end {
            for id in settled {
                self.credits.counted_in(id, generation, end);
            }
        }
    }

    fn rate_limited(&mut self, out: &Outstanding, feedback: &Feedback, now: Duration) {
        self.rate_limited += 1;
        let limit = self.server.limit().or(self.profile.credits_per_window);
        let credits_left = match (feedback.remaining, limit) {
            (Some(remaining), Some(limit)) => {
                remaining.clamp(0, i64::from(limit)) >= i64::from(out.cost.max(1))
            }
            _ => false,
        };
        self.retry
            .rate_limited(feedback, credits_left, now, self.profile.retry_cap());
        if credits_left {
            if let Some(burst) = self.profile.burst_per_second {
                let share = self.burst_cut.map_or(burst, |(share, _)| share);
                self.burst_cut = Some(((share / 2).max(1), now));
            }
        } else if self.profile.credits_per_window.is_none() && self.server.limit().is_none() {
            // Nothing published: what got through in the last window is the limit.
            let got_through = u32::try_from(self.credits.held_at(now)).unwrap_or(u32::MAX);
            let learned = got_through.max(1);
            self.learned_limit = Some(self.learned_limit.map_or(learned, |l| l.min(learned)));
        }
    }

    /// What the request cost: a refused request costs what the server says it used (0 if it
    /// says nothing); a successful one at least its cost (a higher `Used` is believed, a lower
    /// one is not); a failed one what the server says, else its cost.
    fn charged(&self, cost: u32, feedback: &Feedback) -> u32 {
        let cap = self.credit_cap().unwrap_or(u32::MAX);
        let used = feedback
            .used
            .filter(|u| *u >= 0)
            .map(|u| u32::try_from(u).unwrap_or(u32::MAX).min(cap.max(cost)));
        if feedback.is_rate_limited() {
            used.unwrap_or(0)
        } else if feedback.is_success() {
            used.map_or(cost, |u| u.max(cost))
        } else {
            used.unwrap_or(cost)
        }
    }

    /// The limit on own spending: published, else learned.
    fn own_limit(&self) -> Option<u32> {
        self.profile.credits_per_window.or(self.learned_limit)
    }

    /// The window size the lanes' headroom and a request's cost are measured against.
    fn credit_cap(&self) -> Option<u32> {
        match (self.own_limit(), self.server.limit()) {
            (Some(own), Some(server)) => Some(own.min(server)),
            (own, server) => own.or(server),
        }
        .map(|cap| cap.max(1))
    }

    fn in_flight(&self) -> u32 {
        let n = self
            .outstanding
            .values()
            .filter(|o| o.phase == Phase::InFlight)
            .count();
        u32::try_from(n).unwrap_or(u32::MAX)
    }
}
