//! After a 429: how long every lane waits, and until when.
//!
//! The wait is what the server asked for (`Retry-After`, else `Reset` when the refusal was
//! about credits), never less than an exponential backoff floor (1 s, 2 s, 4 s, … for
//! consecutive 429s) so a server that asks for nothing is not hammered, and never more than
//! the profile's `max_retry_wait`, so a server asking for 10⁹ seconds does not stop the app.

use std::time::Duration;

use crate::feedback::Feedback;

#[derive(Clone, Debug, Default)]
pub(crate) struct RetryWait {
    /// No request goes before this.
    blocked_until: Option<Duration>,
    /// 429s since the last other answer.
    consecutive: u32,
}

impl RetryWait {
    /// Until when every lane is held, if that is still ahead of `now`.
    pub(crate) fn blocked_until(&self, now: Duration) -> Option<Duration> {
        self.blocked_until.filter(|t| *t > now)
    }

    /// A non-429 answer: the backoff starts again from one second.
    pub(crate) fn answered(&mut self) {
        self.consecutive = 0;
    }

    /// Records a 429 at `now` and returns the wait it imposes. `credits_left` says the
    /// server's count still had room, so the refusal was about something else (the burst
    /// limit) and its `Reset`, which is about credits, is not what to wait for.
    pub(crate) fn rate_limited(
        &mut self,
        feedback: &Feedback,
        credits_left: bool,
        now: Duration,
        cap: Duration,
    ) -> Duration {
        self.consecutive = self.consecutive.saturating_add(1);
        let exponent = (self.consecutive - 1).min(20);
        let floor = Duration::from_secs(1u64 << exponent).min(cap);
        let asked = feedback
            .retry_after_secs
            .or(if credits_left {
                None
            } else {
                feedback.reset_secs
            })
            .filter(|s| *s >= 0)
            .map(|s| Duration::from_secs(s.unsigned_abs()).min(cap));
        let wait = asked.unwrap_or(Duration::ZERO).max(floor).min(cap);
        let until = now.saturating_add(wait);
        self.blocked_until = Some(self.blocked_until.map_or(until, |t| t.max(until)));
        wait
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn secs(n: u64) -> Duration {
        Duration::from_secs(n)
    }

    fn refused(retry_after: Option<i64>, reset: Option<i64>) -> Feedback {
        Feedback {
            status: 429,
            retry_after_secs: retry_after,
            reset_secs: reset,
            ..Feedback::default()
        }
    }

    #[test]
    fn waits_what_the_server_asks_within_the_cap() {
        let mut retry = RetryWait::default();
        let cap = secs(120);
        assert_eq!(
            retry.rate_limited(&refused(Some(7), Some(40)), false, secs(10), cap),
            secs(7)
        );
        assert_eq!(retry.blocked_until(secs(10)), Some(secs(17)));
        assert_eq!(retry.blocked_until(secs(17)), None);
        retry.answered();
        assert_eq!(
            retry.rate_limited(&refused(None, Some(40)), false, secs(20), cap),
            secs(40)
        );
        retry.answered();
        assert_eq!(
            retry.rate_limited(&refused(None, Some(1_000_000_000)), false, secs(100), cap),
            cap
        );
    }

    #[test]
    fn backs_off_exponentially_when_nothing_is_asked() {
        let mut retry = RetryWait::default();
        let cap = secs(10);
        let waits: Vec<u64> = (0..6)
            .map(|_| {
                retry
                    .rate_limited(&refused(None, Some(-3)), false, secs(0), cap)
                    .as_secs()
            })
            .collect();
        assert_eq!(waits, [1, 2, 4, 8, 10, 10]);
        retry.answered();
        assert_eq!(
            retry.rate_limited(&refused(Some(0), None), false, secs(0), cap),
            secs(1),
            "never less than a second"
        );
    }

    #[test]
    fn a_burst_refusal_ignores_the_credit_reset() {
        let mut retry = RetryWait::default();
        assert_eq!(
            retry.rate_limited(&refused(None, Some(45)), true, secs(0), secs(120)),
            secs(1)
        );
    }
}
