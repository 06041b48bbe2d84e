//! The requests waiting for budget: strict priority by lane, first in first out within one.

use std::collections::BTreeSet;

use crate::lane::Lane;

/// One waiting request's place in the queue.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct Ticket {
    lane: Lane,
    seq: u64,
}

#[derive(Clone, Debug, Default)]
pub(crate) struct LaneQueue {
    next_seq: u64,
    waiting: BTreeSet<Ticket>,
}

impl LaneQueue {
    /// Puts a request of `lane` at the back of its lane.
    pub(crate) fn enqueue(&mut self, lane: Lane) -> Ticket {
        self.next_seq += 1;
        let ticket = Ticket {
            lane,
            seq: self.next_seq,
        };
        self.waiting.insert(ticket);
        ticket
    }

    /// Takes a request out (granted or given up).
    pub(crate) fn remove(&mut self, ticket: Ticket) {
        self.waiting.remove(&ticket);
    }

    /// The request that goes next: the oldest of the highest lane with anyone waiting.
    pub(crate) fn head(&self) -> Option<Ticket> {
        self.waiting.first().copied()
    }

    pub(crate) fn len(&self) -> usize {
        self.waiting.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn higher_lanes_first_then_first_come() {
        let mut queue = LaneQueue::default();
        let b1 = queue.enqueue(Lane::Background);
        let b2 = queue.enqueue(Lane::Background);
        assert_eq!(queue.head(), Some(b1));
        let o1 = queue.enqueue(Lane::Outbox);
        let i1 = queue.enqueue(Lane::Interactive);
        assert_eq!(queue.head(), Some(i1));
        queue.remove(i1);
        assert_eq!(queue.head(), Some(o1));
        queue.remove(o1);
        queue.remove(b1);
        assert_eq!(queue.head(), Some(b2));
        assert_eq!(queue.len(), 1);
    }
}
