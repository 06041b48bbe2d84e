//! A simulated Enchant help desk: a real HTTP server on 127.0.0.1 speaking Enchant's REST API
//! (`/api/v1`) exactly as its documentation states, over deterministic seeded data.

mod auth;
mod dataset;
mod errors;
mod ids;
mod params;
mod prng;
mod rate_limit;
mod routes;
mod seed;
mod server;
mod store;
mod timestamps;
pub mod wire;

use std::io;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::sync::atomic::Ordering;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::net::TcpListener;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

pub use dataset::{Dataset, HOSTILE_HTML};
pub use params::{MAX_PER_PAGE, PAGE_DEPTH_LIMIT};
pub use rate_limit::{RateLimiter, RateStatus, Refusal};
pub use routes::BASE_PATH;
pub use timestamps::REFERENCE_EPOCH;
pub use wire::{
    Attachment, Contact, ContactType, Customer, Direction, Inbox, Label, Message, MessageType,
    Ticket, TicketState, TicketType, User,
};

use server::{Counters, Faults, Shared, lock};
use store::SimState;

/// How the simulated help desk is seeded and rate limited.
#[derive(Clone, Debug)]
pub struct SimConfig {
    /// Seed of the deterministic data: the same seed and size give the same dataset.
    pub seed: u64,
    /// Number of tickets: a few hundred for the demo, up to 100,000 for benchmarks.
    pub tickets: usize,
    /// The accepted API token.
    pub token: String,
    /// Help desk identifier (the `site` of `https://site.enchant.com`), used in addresses.
    pub site: String,
    /// Credits per window for the whole account (Enchant: 100).
    pub credits_per_window: u32,
    /// Length of the fixed credit window (Enchant: one minute).
    pub window: Duration,
    /// Requests per rolling second for the whole account (Enchant: 6).
    pub burst_per_second: u32,
}

impl Default for SimConfig {
    fn default() -> Self {
        Self {
            seed: 1,
            tickets: 300,
            token: "sim-token".to_string(),
            site: "demo".to_string(),
            credits_per_window: 100,
            window: Duration::from_secs(60),
            burst_per_second: 6,
        }
    }
}

impl SimConfig {
    /// The app's built-in demo help desk: 300 tickets, and limits loose enough that a full
    /// sync takes seconds.
    pub fn demo() -> Self {
        Self {
            seed: 7,
            tickets: 300,
            token: "ticketdeck-demo".to_string(),
            site: "demo".to_string(),
            credits_per_window: 100,
            window: Duration::from_secs(1),
            burst_per_second: 50,
        }
    }
}

/// A simulator serving in the background; stops on [`RunningSim::shutdown`] or when dropped.
#[derive(Debug)]
pub struct RunningSim {
    addr: SocketAddr,
    token: String,
    site: String,
    shared: Arc<Shared>,
    stop: Option<oneshot::Sender<()>>,
    task: Option<JoinHandle<()>>,
}

/// Seeds the data and starts serving on `addr` (port 0 picks a free port).
///
/// # Errors
/// When the address cannot be bound, or seeding panicked.
pub async fn start(config: SimConfig, addr: SocketAddr) -> io::Result<RunningSim> {
    let listener = TcpListener::bind(addr).await?;
    let addr = listener.local_addr()?;
    let base_url = base_url_of(addr);
    let seed_config = config.clone();
    let (data, ids) = tokio::task::spawn_blocking(move || {
        seed::build(seed_config.seed, seed_config.tickets, &seed_config.site)
    })
    .await
    .map_err(io::Error::other)?;
    let shared = Arc::new(Shared {
        state: Mutex::new(SimState::new(data, ids, base_url)),
        limiter: Mutex::new(RateLimiter::new(
            config.credits_per_window,
            config.window,
            config.burst_per_second,
        )),
        token: config.token.clone(),
        counters: Counters::default(),
        faults: Mutex::new(Faults::default()),
    });
    let app = server::router(Arc::clone(&shared));
    let (stop, stopped) = oneshot::channel::<()>();
    let task = tokio::spawn(async move {
        let shutdown = async {
            let _ = stopped.await;
        };
        let _ = axum::serve(listener, app)
            .with_graceful_shutdown(shutdown)
            .await;
    });
    Ok(RunningSim {
        addr,
        token: config.token,
        site: config.site,
        shared,
        stop: Some(stop),
        task: Some(task),
    })
}

fn base_url_of(addr: SocketAddr) -> String {
    let ip = if addr.ip().is_unspecified() {
        IpAddr::V4(Ipv4Addr::LOCALHOST)
    } else {
        addr.ip()
    };
    format!("http://{}{BASE_PATH}", SocketAddr::new(ip, addr.port()))
}

impl RunningSim {
    /// `http://127.0.0.1:PORT/api/v1`.
    pub fn base_url(&self) -> String {
        base_url_of(self.addr)
    }

    /// The accepted API token.
    pub fn token(&self) -> &str {
        &self.token
    }

    /// The help desk identifier.
    pub fn site(&self) -> &str {
        &self.site
    }

    /// The bound address.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// A copy of the current ground truth (seeded data plus every write since).
    pub fn dataset(&self) -> Dataset {
        lock(&self.shared.state).data.clone()
    }

    /// Runs `read` on the current ground truth without copying it (handy at 100,000
    /// tickets); requests wait while it runs.
    pub fn with_dataset<R>(&self, read: impl FnOnce(&Dataset) -> R) -> R {
        read(&lock(&self.shared.state).data)
    }

    /// Every HTTP request answered, whatever the status.
    pub fn requests_served(&self) -> u64 {
        self.shared.counters.requests.load(Ordering::Relaxed)
    }

    /// Credits spent by successful requests.
    pub fn credits_spent(&self) -> u64 {
        self.shared.counters.credits.load(Ordering::Relaxed)
    }

    /// Requests answered 429.
    pub fn rate_limited_count(&self) -> u64 {
        self.shared.counters.rate_limited.load(Ordering::Relaxed)
    }

    /// Makes the next `count` authenticated, admitted requests answer `status` (a 5xx,
    /// otherwise 500) with no body, as Enchant's server errors have none.
    pub fn inject_server_errors(&self, count: u32, status: u16) {
        let mut faults = lock(&self.shared.faults);
        faults.server_errors = count;
        faults.server_error_status = status;
    }

    /// Delays every answer by `delay` (zero to stop).
    pub fn set_response_delay(&self, delay: Duration) {
        lock(&self.shared.faults).delay = delay;
    }

    /// Changes the subject of `count` tickets spread evenly over the helpdesk (as agents
    /// elsewhere would), bumping their `updated_at`; returns their ids. For incremental syncs.
    pub fn change_tickets(&self, count: usize) -> Vec<String> {
        let mut state = lock(&self.shared.state);
        let total = state.data.tickets.len();
        let count = count.min(total);
        let mut ids = Vec::with_capacity(count);
        for i in 0..count {
            let pos = i * total / count.max(1);
            let ticket =
                state.update_ticket(pos, |t| t.subject = format!("{} (edited)", t.subject));
            ids.push(ticket.id.clone());
        }
        ids
    }

    /// Stops accepting requests and waits (at most a few seconds) for the server to end.
    pub async fn shutdown(mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(task) = self.task.take() {
            let abort = task.abort_handle();
            if tokio::time::timeout(Duration::from_secs(5), task)
                .await
                .is_err()
            {
                abort.abort();
            }
        }
    }
}

impl Drop for RunningSim {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(task) = self.task.take() {
            task.abort();
        }
    }
}
