//! What the account's requests spent over the last minutes, per lane, in fixed buckets: the
//! data behind the sync screen's requests-over-time chart.

use std::collections::VecDeque;
use std::time::Duration;

use crate::lane::Lane;

/// The length of one bucket.
pub const BUCKET: Duration = Duration::from_secs(5);
/// How far back the history reaches.
pub const SPAN: Duration = Duration::from_secs(600);

/// Credits granted per lane, and 429s answered, in one bucket.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct HistoryBucket {
    /// Where the bucket starts, on the scheduler's clock.
    pub start: Duration,
    pub interactive: u32,
    pub outbox: u32,
    pub background: u32,
    pub rate_limited: u32,
}

#[derive(Debug, Default)]
pub(crate) struct History {
    buckets: VecDeque<HistoryBucket>,
}

impl History {
    fn bucket(&mut self, now: Duration) -> &mut HistoryBucket {
        let start = Duration::from_secs(now.as_secs() / BUCKET.as_secs() * BUCKET.as_secs());
        while self
            .buckets
            .front()
            .is_some_and(|b| b.start + SPAN <= start)
        {
            self.buckets.pop_front();
        }
        if self.buckets.back().is_none_or(|b| b.start != start) {
            self.buckets.push_back(HistoryBucket {
                start,
                ..HistoryBucket::default()
            });
        }
        self.buckets.back_mut().expect("pushed above")
    }

    pub(crate) fn granted(&mut self, lane: Lane, cost: u32, now: Duration) {
        let b = self.bucket(now);
        match lane {
            Lane::Interactive => b.interactive += cost,
            Lane::Outbox => b.outbox += cost,
            // The chart shows all sync work together.
            Lane::Background | Lane::Sweep => b.background += cost,
        }
    }

    pub(crate) fn rate_limited(&mut self, now: Duration) {
        self.bucket(now).rate_limited += 1;
    }

    /// Every bucket of the span up to `now`, oldest first, empty ones included.
    pub(crate) fn snapshot(&mut self, now: Duration) -> Vec<HistoryBucket> {
        self.bucket(now);
        let last = self.buckets.back().map(|b| b.start).unwrap_or_default();
        let first = last.saturating_sub(SPAN - BUCKET);
        let mut out = Vec::new();
        let mut at = first;
        let mut stored = self.buckets.iter().peekable();
        while at <= last {
            while stored.peek().is_some_and(|b| b.start < at) {
                stored.next();
            }
            match stored.peek() {
                Some(b) if b.start == at => out.push(**b),
                _ => out.push(HistoryBucket {
                    start: at,
                    ..HistoryBucket::default()
                }),
            }
            at += BUCKET;
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn buckets_fill_gaps_and_forget_old_ones() {
        let mut h = History::default();
        h.granted(Lane::Background, 2, Duration::from_secs(3));
        h.granted(Lane::Interactive, 1, Duration::from_secs(12));
        h.rate_limited(Duration::from_secs(14));
        let snap = h.snapshot(Duration::from_secs(20));
        assert_eq!(snap.len(), 5);
        assert_eq!(snap[0].background, 2);
        assert_eq!(
            snap[1],
            HistoryBucket {
                start: Duration::from_secs(5),
                ..Default::default()
            }
        );
        assert_eq!(snap[2].interactive, 1);
        assert_eq!(snap[2].rate_limited, 1);
        let later = h.snapshot(Duration::from_secs(700));
        assert_eq!(later.len(), (SPAN.as_secs() / BUCKET.as_secs()) as usize);
        assert!(later.iter().all(|b| b.background == 0));
    }
}
