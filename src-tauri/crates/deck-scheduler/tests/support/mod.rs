//! A simulated account for the scheduler's tests: a strict server, tasks sending requests
//! through the scheduler with network latency, and a driver that moves the fake clock
//! whenever every task is waiting.

#![allow(dead_code)]

pub mod strict_server;

use std::collections::VecDeque;
use std::future::Future;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use deck_scheduler::{Clock, FakeClock, Lane, RateProfile, Scheduler};
use tokio::task::JoinHandle;

use strict_server::{StrictServer, Who};

pub fn secs(n: f64) -> Duration {
    Duration::from_secs_f64(n)
}

/// Runs `fut` to completion. Whenever every task is waiting (tokio's paused clock reaches the
/// driver's timer only when the runtime is idle), moves the fake clock to its next deadline.
pub async fn drive<F: Future>(clock: &FakeClock, fut: F) -> F::Output {
    tokio::pin!(fut);
    let mut idle = 0;
    loop {
        tokio::select! {
            biased;
            out = &mut fut => return out,
            () = tokio::time::sleep(Duration::from_millis(1)) => {
                match clock.next_deadline() {
                    Some(t) => {
                        clock.advance_to(t);
                        idle = 0;
                    }
                    None => {
                        idle += 1;
                        assert!(idle < 100, "stalled at {:?}: nobody is waiting for time", clock.now());
                    }
                }
            }
        }
    }
}

/// Deterministic one-way network latency between 5 and 45 ms.
#[derive(Clone, Copy, Debug)]
pub struct Latency {
    state: u64,
    pub base_ms: u64,
    pub spread_ms: u64,
}

impl Latency {
    pub fn new(seed: u64) -> Self {
        Self {
            state: seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1),
            base_ms: 5,
            spread_ms: 40,
        }
    }

    /// Loopback: 1 to 4 ms each way.
    pub fn loopback(seed: u64) -> Self {
        Self {
            base_ms: 1,
            spread_ms: 3,
            ..Self::new(seed)
        }
    }

    pub fn slow(seed: u64) -> Self {
        Self {
            base_ms: 150,
            spread_ms: 1200,
            ..Self::new(seed)
        }
    }

    pub fn next(&mut self) -> Duration {
        self.state = self
            .state
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        let r = (self.state >> 33) % self.spread_ms.max(1);
        Duration::from_millis(self.base_ms + r)
    }
}

/// Request costs adding up to `credits`: mostly 1, some with an embed or a count.
pub fn workload(credits: u32) -> Arc<Mutex<VecDeque<u32>>> {
    let pattern = [1, 2, 1, 1, 3, 1, 1, 2];
    let mut left = credits;
    let mut costs = VecDeque::new();
    for cost in pattern.iter().cycle() {
        if left == 0 {
            break;
        }
        let cost = (*cost).min(left);
        costs.push_back(cost);
        left -= cost;
    }
    Arc::new(Mutex::new(costs))
}

/// An endless workload of 1-credit requests.
pub fn endless() -> Arc<Mutex<VecDeque<u32>>> {
    Arc::new(Mutex::new(VecDeque::from(vec![1; 1_000_000])))
}

/// A grant as the test saw it.
#[derive(Clone, Copy, Debug)]
pub struct Granted {
    pub lane: Lane,
    pub at: Duration,
    pub cost: u32,
}

#[derive(Clone)]
pub struct Sim {
    pub clock: FakeClock,
    pub scheduler: Scheduler,
    pub server: Arc<Mutex<StrictServer>>,
    pub grants: Arc<Mutex<Vec<Granted>>>,
    /// How the server books this client's requests.
    pub who: Who,
}

impl Sim {
    pub fn new(profile: RateProfile, server: StrictServer) -> Self {
        let clock = FakeClock::new();
        Self {
            scheduler: Scheduler::new(profile, Arc::new(clock.clone())),
            clock,
            server: Arc::new(Mutex::new(server)),
            grants: Arc::new(Mutex::new(Vec::new())),
            who: Who::Us,
        }
    }

    /// Another client of the same account (another device): its own scheduler, the same
    /// server and clock; the server books it as someone else.
    pub fn other_client(&self, profile: RateProfile) -> Self {
        Self {
            clock: self.clock.clone(),
            scheduler: Scheduler::new(profile, Arc::new(self.clock.clone())),
            server: Arc::clone(&self.server),
            grants: Arc::new(Mutex::new(Vec::new())),
            who: Who::Other,
        }
    }

    pub fn now(&self) -> Duration {
        self.clock.now()
    }

    pub async fn sleep(&self, d: Duration) {
        self.clock.sleep_until(self.clock.now() + d).await;
    }

    /// One request through the scheduler; returns the HTTP status.
    pub async fn request(&self, lane: Lane, cost: u32, latency: &mut Latency) -> u16 {
        let permit = self.scheduler.acquire(lane, cost).await;
        self.grants.lock().unwrap().push(Granted {
            lane,
            at: self.now(),
            cost,
        });
        self.sleep(latency.next()).await;
        let feedback = self
            .server
            .lock()
            .unwrap()
            .handle(self.now(), cost, self.who);
        self.sleep(latency.next()).await;
        let status = feedback.status;
        self.scheduler.complete(permit, feedback);
        status
    }

    /// `n` tasks of `lane` taking costs from `work` until it is empty; a refused request is
    /// retried.
    pub fn spawn_workers(
        &self,
        lane: Lane,
        n: u64,
        work: &Arc<Mutex<VecDeque<u32>>>,
        latency: fn(u64) -> Latency,
    ) -> Vec<JoinHandle<()>> {
        (0..n)
            .map(|i| {
                let sim = self.clone();
                let work = Arc::clone(work);
                let mut latency = latency(i + 1);
                tokio::spawn(async move {
                    loop {
                        let Some(cost) = work.lock().unwrap().pop_front() else {
                            break;
                        };
                        if sim.request(lane, cost, &mut latency).await == 429 {
                            work.lock().unwrap().push_front(cost);
                        }
                    }
                })
            })
            .collect()
    }

    /// Someone else on the same account: `cost` credits every `every`, from `start` until
    /// `until`, straight to the server (429s ignored).
    pub fn spawn_other(
        &self,
        start: Duration,
        every: Duration,
        cost: u32,
        until: Duration,
    ) -> JoinHandle<()> {
        let sim = self.clone();
        tokio::spawn(async move {
            let mut next = start;
            while next < until {
                sim.clock.sleep_until(next).await;
                sim.server
                    .lock()
                    .unwrap()
                    .handle(sim.now(), cost, Who::Other);
                next += every;
            }
        })
    }

    /// Someone else spending in bursts: `count` requests `spacing` apart every `period`.
    pub fn spawn_bursty_other(
        &self,
        period: Duration,
        count: u32,
        spacing: Duration,
        until: Duration,
    ) -> JoinHandle<()> {
        let sim = self.clone();
        tokio::spawn(async move {
            let mut start = Duration::ZERO;
            while start < until {
                for i in 0..count {
                    sim.clock.sleep_until(start + spacing * i).await;
                    sim.server.lock().unwrap().handle(sim.now(), 1, Who::Other);
                }
                start += period;
            }
        })
    }

    /// Runs every task until `t` on the fake clock.
    pub async fn run_until(&self, t: Duration) {
        drive(&self.clock, self.clock.sleep_until(t)).await;
    }

    pub async fn join(&self, handles: Vec<JoinHandle<()>>) {
        drive(&self.clock, async {
            for h in handles {
                h.await.unwrap();
            }
        })
        .await;
    }

    pub fn granted(&self) -> Vec<Granted> {
        self.grants.lock().unwrap().clone()
    }
}
