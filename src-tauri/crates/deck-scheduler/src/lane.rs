//! Priority lanes, and the share of the budget a lower lane must leave free for higher ones.

use std::fmt;

/// Why a request is being made, in priority order: a waiting request of an earlier lane
/// always goes before any request of a later lane; within a lane requests go first in, first
/// out.
///
/// Besides queue order, the lower lanes leave a little of the budget unused (a few credits
/// and burst slots, see [`Lane::credit_headroom`] and [`Lane::burst_allowance`]) so that
/// a higher-lane request arriving in the middle of a background flood finds budget waiting
/// for it instead of a queue: at most the one lower-lane request already being sent is ahead
/// of it. The credit reserve is not wasted: a lower lane spends it gradually over the
/// [`RESERVE_RELEASE_LEAD`](crate::RESERVE_RELEASE_LEAD) before budget comes back anyway.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Lane {
    /// What the user is looking at or just clicked.
    Interactive,
    /// Writes the user already made, replayed from the outbox.
    Outbox,
    /// Background sync.
    Background,
    /// The periodic sweep that re-lists what has no change filter, to find changes and
    /// deletions: the least urgent work there is.
    Sweep,
}

impl Lane {
    /// Every lane, highest priority first.
    pub const ALL: [Lane; 4] = [
        Lane::Interactive,
        Lane::Outbox,
        Lane::Background,
        Lane::Sweep,
    ];

    /// Credits this lane leaves free for the lanes above it, out of a window of `limit`.
    ///
    /// One "unit" is about 3% of the window (at least one credit): enough for a typical
    /// interactive request (1 credit plus an embed or a count). Outbox leaves one unit for
    /// interactive requests; background leaves two, for both.
    pub fn credit_headroom(self, limit: u32) -> u32 {
        let unit = (limit / 32).max(1);
        let units = match self {
            Lane::Interactive => 0,
            Lane::Outbox => 1,
            Lane::Background => 2,
            Lane::Sweep => 3,
        };
        // Never so much that the lane could not send at all.
        (unit * units).min(limit.saturating_sub(1))
    }

    /// Requests per rolling second this lane may start, out of a burst limit of `burst`:
    /// outbox leaves one slot for interactive requests, background leaves two. Every lane
    /// keeps at least one slot.
    pub fn burst_allowance(self, burst: u32) -> u32 {
        let reserved = match self {
            Lane::Interactive => 0,
            Lane::Outbox => 1,
            Lane::Background => 2,
            Lane::Sweep => 3,
        };
        burst.saturating_sub(reserved).max(1)
    }

    /// A stable lowercase name (`interactive`, `outbox`, `background`, `sweep`).
    pub fn as_str(self) -> &'static str {
        match self {
            Lane::Interactive => "interactive",
            Lane::Outbox => "outbox",
            Lane::Background => "background",
            Lane::Sweep => "sweep",
        }
    }
}

impl fmt::Display for Lane {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn order_is_priority() {
        assert!(Lane::Interactive < Lane::Outbox);
        assert!(Lane::Outbox < Lane::Background);
        assert!(Lane::Background < Lane::Sweep);
    }

    #[test]
    fn headroom_grows_down_the_lanes_and_never_blocks_a_lane() {
        assert_eq!(Lane::Interactive.credit_headroom(100), 0);
        assert_eq!(Lane::Outbox.credit_headroom(100), 3);
        assert_eq!(Lane::Background.credit_headroom(100), 6);
        assert_eq!(Lane::Background.credit_headroom(1), 0);
        assert_eq!(Lane::Background.credit_headroom(2), 1);
        assert_eq!(Lane::Background.burst_allowance(6), 4);
        assert_eq!(Lane::Outbox.burst_allowance(6), 5);
        assert_eq!(Lane::Interactive.burst_allowance(6), 6);
        assert_eq!(Lane::Background.burst_allowance(1), 1);
    }
}
