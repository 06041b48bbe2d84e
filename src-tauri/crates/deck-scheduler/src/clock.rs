//! Time as a dependency: the scheduler reads the time and sleeps only through [`Clock`], so
//! tests run on a [`FakeClock`] that moves only when told to.

use std::collections::BTreeMap;
use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex, MutexGuard};
use std::task::{Context, Poll, Waker};
use std::time::Duration;

/// A source of time and of sleeps.
///
/// Times are [`Duration`]s since an arbitrary epoch fixed by the clock; they never go
/// backwards.
pub trait Clock: Send + Sync + 'static {
    /// The time now, since the clock's epoch.
    fn now(&self) -> Duration;

    /// A future that completes once [`Clock::now`] has reached `deadline` (at once if it
    /// already has). Dropping it cancels the sleep.
    fn sleep_until(&self, deadline: Duration) -> Pin<Box<dyn Future<Output = ()> + Send>>;
}

/// Real time, through `tokio::time` (so a paused tokio runtime pauses it too).
///
/// The epoch is the moment the clock was created.
#[derive(Clone, Copy, Debug)]
pub struct TokioClock {
    epoch: tokio::time::Instant,
}

impl TokioClock {
    /// A clock whose epoch is now.
    pub fn new() -> Self {
        Self {
            epoch: tokio::time::Instant::now(),
        }
    }
}

impl Default for TokioClock {
    fn default() -> Self {
        Self::new()
    }
}

impl Clock for TokioClock {
    fn now(&self) -> Duration {
        self.epoch.elapsed()
    }

    fn sleep_until(&self, deadline: Duration) -> Pin<Box<dyn Future<Output = ()> + Send>> {
        // A deadline past what an Instant can hold is "never" in practice: a year away.
        let at = self
            .epoch
            .checked_add(deadline)
            .unwrap_or_else(|| tokio::time::Instant::now() + Duration::from_secs(365 * 86_400));
        Box::pin(tokio::time::sleep_until(at))
    }
}

/// A manual clock for tests: [`FakeClock::now`] moves only through [`FakeClock::advance`] or
/// [`FakeClock::advance_to`], which wake every sleeper whose deadline has passed.
///
/// Cheap to clone; clones share the same time.
#[derive(Clone, Default)]
pub struct FakeClock {
    shared: Arc<Mutex<FakeTime>>,
}

#[derive(Default)]
struct FakeTime {
    now: Duration,
    next_id: u64,
    /// Pending sleeps, by (deadline, id).
    sleepers: BTreeMap<(Duration, u64), Waker>,
}

impl FakeClock {
    /// A clock at time zero.
    pub fn new() -> Self {
        Self::default()
    }

    /// Moves time forward by `by` and wakes the sleepers that are due.
    pub fn advance(&self, by: Duration) {
        let target = self.now().saturating_add(by);
        self.advance_to(target);
    }

    /// Moves time forward to `t` (never backwards) and wakes the sleepers that are due.
    pub fn advance_to(&self, t: Duration) {
        let due: Vec<Waker> = {
            let mut time = self.lock();
            time.now = time.now.max(t);
            let now = time.now;
            let later = time.sleepers.split_off(&(now, u64::MAX));
            std::mem::replace(&mut time.sleepers, later)
                .into_values()
                .collect()
        };
        for waker in due {
            waker.wake();
        }
    }

    /// The earliest deadline among the sleeps currently pending, if any (what a test driver
    /// advances to when everything else is idle).
    pub fn next_deadline(&self) -> Option<Duration> {
        self.lock().sleepers.keys().next().map(|(t, _)| *t)
    }

    /// How many sleeps are pending.
    pub fn sleepers(&self) -> usize {
        self.lock().sleepers.len()
    }

    fn lock(&self) -> MutexGuard<'_, FakeTime> {
        self.shared.lock().unwrap_or_else(|e| e.into_inner())
    }
}

impl fmt::Debug for FakeClock {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let time = self.lock();
        f.debug_struct("FakeClock")
            .field("now", &time.now)
            .field("sleepers", &time.sleepers.len())
            .finish()
    }
}

impl Clock for FakeClock {
    fn now(&self) -> Duration {
        self.lock().now
    }

    fn sleep_until(&self, deadline: Duration) -> Pin<Box<dyn Future<Output = ()> + Send>> {
        Box::pin(FakeSleep {
            clock: self.clone(),
            deadline,
            key: None,
        })
    }
}

/// One pending sleep on a [`FakeClock`]; deregisters itself when dropped.
struct FakeSleep {
    clock: FakeClock,
    deadline: Duration,
    key: Option<(Duration, u64)>,
}

impl Future for FakeSleep {
    type Output = ();

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        let this = &mut *self;
        let mut time = this.clock.lock();
        if time.now >= this.deadline {
            if let Some(key) = this.key.take() {
                time.sleepers.remove(&key);
            }
            return Poll::Ready(());
        }
        let key = *this.key.get_or_insert_with(|| {
            time.next_id += 1;
            (this.deadline, time.next_id)
        });
        time.sleepers.insert(key, cx.waker().clone());
        Poll::Pending
    }
}

impl Drop for FakeSleep {
    fn drop(&mut self) {
        if let Some(key) = self.key.take() {
            self.clock.lock().sleepers.remove(&key);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicBool, Ordering};

    fn secs(n: u64) -> Duration {
        Duration::from_secs(n)
    }

    #[test]
    fn now_moves_only_when_advanced() {
        let clock = FakeClock::new();
        assert_eq!(clock.now(), Duration::ZERO);
        clock.advance(secs(3));
        assert_eq!(clock.now(), secs(3));
        clock.advance_to(secs(2));
        assert_eq!(clock.now(), secs(3), "never backwards");
        let twin = clock.clone();
        twin.advance(secs(1));
        assert_eq!(clock.now(), secs(4), "clones share the time");
    }

    #[tokio::test]
    async fn advance_wakes_exactly_the_due_sleepers() {
        let clock = FakeClock::new();
        let early = Arc::new(AtomicBool::new(false));
        let late = Arc::new(AtomicBool::new(false));
        let spawn = |deadline: Duration, flag: Arc<AtomicBool>| {
            let sleep = clock.sleep_until(deadline);
            tokio::spawn(async move {
                sleep.await;
                flag.store(true, Ordering::SeqCst);
            })
        };
        let a = spawn(secs(5), Arc::clone(&early));
        let b = spawn(secs(10), Arc::clone(&late));
        tokio::task::yield_now().await;
        assert_eq!(clock.sleepers(), 2);
        assert_eq!(clock.next_deadline(), Some(secs(5)));

        clock.advance(secs(5));
        a.await.unwrap();
        assert!(early.load(Ordering::SeqCst));
        assert!(!late.load(Ordering::SeqCst));
        assert_eq!(clock.next_deadline(), Some(secs(10)));

        clock.advance(secs(7));
        b.await.unwrap();
        assert!(late.load(Ordering::SeqCst));
        assert_eq!(clock.sleepers(), 0);
    }

    #[tokio::test]
    async fn a_past_deadline_is_ready_at_once_and_a_dropped_sleep_deregisters() {
        let clock = FakeClock::new();
        clock.advance(secs(2));
        clock.sleep_until(secs(1)).await;
        let mut pending = clock.sleep_until(secs(9));
        let waker = futures_waker();
        let mut cx = Context::from_waker(&waker);
        assert!(pending.as_mut().poll(&mut cx).is_pending());
        assert_eq!(clock.sleepers(), 1);
        drop(pending);
        assert_eq!(clock.sleepers(), 0);
    }

    #[tokio::test(start_paused = true)]
    async fn tokio_clock_runs_on_tokio_time() {
        let clock = TokioClock::new();
        assert!(clock.now() < Duration::from_millis(1));
        clock.sleep_until(secs(5)).await;
        assert!(clock.now() >= secs(5));
        clock.sleep_until(secs(1)).await;
        assert!(clock.now() < secs(6), "a past deadline does not sleep");
    }

    fn futures_waker() -> Waker {
        Waker::noop().clone()
    }
}
