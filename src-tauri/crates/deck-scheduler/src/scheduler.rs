//! The per-account scheduler that every request goes through, and the permits it hands out.

use std::fmt;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use tokio::sync::Notify;

use crate::budget::Budget;
use crate::budget_status::BudgetStatus;
use crate::clock::Clock;
use crate::feedback::Feedback;
use crate::history::{History, HistoryBucket};
use crate::lane::Lane;
use crate::lane_queue::Ticket;
use crate::profile::RateProfile;

/// The rate-limit scheduler of one account. Cheap to clone; clones share the budget, so
/// every task talking to the same account must use clones of the same scheduler.
///
/// Every request is bracketed: [`Scheduler::acquire`] before sending, then
/// [`Scheduler::complete`] with what the server answered (or drop the [`Permit`] if no
/// answer came, or [`Scheduler::return_unsent`] if the request certainly never left).
///
/// Invariants:
/// * Its own spending never exceeds the profile's credits per window (per rolling window, or
///   per server window once the headers show them, each starting after the last ended), nor
///   the burst limit in any rolling second, whatever the server's headers say.
/// * It never grants a request the budget cannot pay for, as far as it knows: its own
///   unanswered requests, the server's last count, and others' estimated spending.
/// * After a 429 no lane gets a permit before the wait is over.
/// * A waiting request of a higher [`Lane`] is always granted before any of a lower lane;
///   within a lane, first come first served.
/// * Nothing busy-waits: waiting is a clock sleep or a wake-up from another task.
#[derive(Clone)]
pub struct Scheduler {
    shared: Arc<Shared>,
}

struct Shared {
    clock: Arc<dyn Clock>,
    budget: Mutex<Budget>,
    history: Mutex<History>,
    /// Woken whenever the budget changes in a way that may let a waiter go.
    changed: Notify,
}

impl Shared {
    fn lock(&self) -> MutexGuard<'_, Budget> {
        self.budget.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn history(&self) -> MutexGuard<'_, History> {
        self.history.lock().unwrap_or_else(|e| e.into_inner())
    }
}

impl Scheduler {
    /// A scheduler for one account, starting from a full budget.
    pub fn new(profile: RateProfile, clock: Arc<dyn Clock>) -> Self {
        Self {
            shared: Arc::new(Shared {
                clock,
                budget: Mutex::new(Budget::new(profile)),
                history: Mutex::new(History::default()),
                changed: Notify::new(),
            }),
        }
    }

    /// The profile the scheduler was created with.
    pub fn profile(&self) -> RateProfile {
        self.shared.lock().profile()
    }

    /// Waits until a request of `lane` costing `cost` credits may be sent, and books it.
    ///
    /// Returns when this request is the first waiting one of the highest waiting lane and the
    /// budget can pay `cost` now. A request costing more than a whole window waits for a
    /// whole window to be free. Cancel-safe: dropping the future gives up the place in the
    /// queue.
    pub async fn acquire(&self, lane: Lane, cost: u32) -> Permit {
        let shared = &self.shared;
        let ticket = shared.lock().queue.enqueue(lane);
        let mut place = QueuePlace {
            shared,
            ticket: Some(ticket),
        };
        loop {
            let notified = shared.changed.notified();
            tokio::pin!(notified);
            notified.as_mut().enable();
            let now = shared.clock.now();
            let outcome = shared.lock().try_grant(ticket, lane, cost, now);
            match outcome {
                Ok(grant) => {
                    place.ticket = None;
                    shared.history().granted(lane, cost, grant.at);
                    shared.changed.notify_waiters();
                    return Permit {
                        id: grant.id,
                        lane,
                        cost,
                        granted_at: grant.at,
                        owner: Some(Arc::clone(shared)),
                    };
                }
                Err(Some(until)) => {
                    let sleep = shared.clock.sleep_until(until);
                    tokio::select! {
                        () = sleep => {}
                        () = &mut notified => {}
                    }
                }
                Err(None) => notified.await,
            }
        }
    }

    /// Records the server's answer to a permit's request: what it cost and what the headers
    /// say about the budget. A 429 holds every lane for the wait it imposes.
    ///
    /// A permit from another scheduler is treated as dropped on its own scheduler.
    pub fn complete(&self, mut permit: Permit, feedback: Feedback) {
        let Some(owner) = permit.owner.take() else {
            return;
        };
        if !Arc::ptr_eq(&owner, &self.shared) {
            permit.owner = Some(owner);
            return;
        }
        let now = owner.clock.now();
        if feedback.status == 429 {
            owner.history().rate_limited(now);
        }
        owner.lock().complete(permit.id, &feedback, now);
        owner.changed.notify_waiters();
    }

    /// Gives back everything a permit holds: for a request that certainly never reached the
    /// server (cancelled before sending, connection refused, DNS failure). When unsure, drop
    /// the permit instead.
    pub fn return_unsent(&self, mut permit: Permit) {
        let Some(owner) = permit.owner.take() else {
            return;
        };
        if !Arc::ptr_eq(&owner, &self.shared) {
            permit.owner = Some(owner);
            return;
        }
        let now = owner.clock.now();
        owner.lock().unsent(permit.id, now);
        owner.changed.notify_waiters();
    }

    /// A snapshot of the budget for the UI.
    pub fn status(&self) -> BudgetStatus {
        let now = self.shared.clock.now();
        let mut status = self.shared.lock().status(now);
        status.now = now;
        status
    }

    /// Credits granted per lane and 429s received over the last ten minutes, in five-second
    /// buckets, oldest first.
    pub fn history(&self) -> Vec<HistoryBucket> {
        let now = self.shared.clock.now();
        self.shared.history().snapshot(now)
    }

    /// The time now on the scheduler's clock.
    pub fn now(&self) -> Duration {
        self.shared.clock.now()
    }
}

impl fmt::Debug for Scheduler {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Scheduler")
            .field("profile", &self.profile())
            .finish_non_exhaustive()
    }
}

/// A place in the queue, given up if the waiting future is dropped.
struct QueuePlace<'a> {
    shared: &'a Arc<Shared>,
    ticket: Option<Ticket>,
}

impl Drop for QueuePlace<'_> {
    fn drop(&mut self) {
        if let Some(ticket) = self.ticket.take() {
            self.shared.lock().queue.remove(ticket);
            self.shared.changed.notify_waiters();
        }
    }
}

/// The right to send one request, holding its cost in the budget.
///
/// Hand it back with [`Scheduler::complete`] once the server answered. Dropping it instead
/// means "no answer": the request may or may not have reached the server, so the scheduler
/// stays conservative: its credits stay spent for a window (or until a later answer's count
/// shows whether the server counted it) and it keeps its burst slot for a second. For a
/// request that certainly never left, use [`Scheduler::return_unsent`] to get it all back.
#[must_use = "a permit holds budget until it is completed or dropped"]
pub struct Permit {
    id: u64,
    lane: Lane,
    cost: u32,
    granted_at: Duration,
    owner: Option<Arc<Shared>>,
}

impl Permit {
    /// The lane it was granted in.
    pub fn lane(&self) -> Lane {
        self.lane
    }

    /// The credits it was granted for.
    pub fn cost(&self) -> u32 {
        self.cost
    }

    /// When it was granted, on the scheduler's clock.
    pub fn granted_at(&self) -> Duration {
        self.granted_at
    }
}

impl fmt::Debug for Permit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Permit")
            .field("id", &self.id)
            .field("lane", &self.lane)
            .field("cost", &self.cost)
            .field("granted_at", &self.granted_at)
            .finish()
    }
}

impl Drop for Permit {
    fn drop(&mut self) {
        if let Some(owner) = self.owner.take() {
            let now = owner.clock.now();
            owner.lock().abandon(self.id, now);
            owner.changed.notify_waiters();
        }
    }
}
