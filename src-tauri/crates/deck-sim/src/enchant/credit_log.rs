//! A cheap record of every request and of every credit the other client spent, so that
//! benchmarks can chart requests over time and measure spend.

use std::time::{Duration, Instant};

/// One entry of [`super::RunningSim::credit_log`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CreditRecord {
    /// When it was answered, since the simulator started or since the last
    /// [`super::RunningSim::reset_counters`].
    pub at: Duration,
    /// Credits it spent: its cost when successful, 0 otherwise.
    pub credits: u32,
    /// Whether it is the other client's credit ([`super::RunningSim::start_other_client`])
    /// rather than an HTTP request.
    pub other_client: bool,
    /// The API status (the inner one when enveloped; the other client's attempts read 200
    /// when admitted and 429 when refused). `None` when the connection was dropped before
    /// any work; a request dropped after its work keeps the status it would have answered.
    pub status: Option<u16>,
}

/// The records since `origin`.
#[derive(Debug)]
pub struct CreditLog {
    origin: Instant,
    records: Vec<CreditRecord>,
}

impl CreditLog {
    pub fn new() -> Self {
        Self {
            origin: Instant::now(),
            records: Vec::new(),
        }
    }

    pub fn push(&mut self, credits: u32, other_client: bool, status: Option<u16>) {
        self.records.push(CreditRecord {
            at: self.origin.elapsed(),
            credits,
            other_client,
            status,
        });
    }

    pub fn records(&self) -> Vec<CreditRecord> {
        self.records.clone()
    }

    /// Forgets every record and restarts the clock.
    pub fn reset(&mut self) {
        self.origin = Instant::now();
        self.records.clear();
    }
}
