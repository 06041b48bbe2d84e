//! A simulated Enchant help desk: a real HTTP server on 127.0.0.1 speaking Enchant's REST API
//! (`/api/v1`) exactly as its documentation states, over deterministic seeded data.
//!
//! For testing clients, [`RunningSim`] also misbehaves on demand: another program spending the
//! same account's credits ([`RunningSim::start_other_client`]), injected 429s, 5xx, slow
//! answers, dropped connections, writes whose answer stalls, a help desk that is down,
//! malformed bodies, repeating pages and lying `Rate-Limit-*` headers; it changes and deletes
//! tickets behind the client's back ([`RunningSim::change_tickets`],
//! [`RunningSim::delete_ticket`]) and keeps a per-request [`RunningSim::credit_log`] for
//! benchmarks.

mod auth;
mod conn;
mod control;
mod credit_log;
mod dataset;
mod errors;
mod faults;
mod ids;
mod other_client;
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

pub use control::{CHANGE_TICKETS_PATH, RATE_LIMIT_PATH, UNAVAILABLE_PATH};
pub use credit_log::CreditRecord;
pub use dataset::{Dataset, HOSTILE_HTML};
pub use faults::HeaderLies;
pub use other_client::OtherClient;
pub use params::{MAX_PER_PAGE, PAGE_DEPTH_LIMIT};
pub use rate_limit::{RateLimiter, RateStatus, Refusal};
pub use routes::BASE_PATH;
pub use server::MAX_BODY_BYTES;
pub use timestamps::REFERENCE_EPOCH;
pub use wire::{
    Attachment, Contact, ContactType, Customer, Direction, Inbox, Label, Message, MessageType,
    Ticket, TicketState, TicketType, User,
};

use conn::{Conn, SimListener};
use credit_log::CreditLog;
use faults::Faults;
use server::{Counters, Shared, lock};
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
    /// Also serve the simulator's control endpoint, `POST /_sim/unavailable` with the body
    /// `on` or `off` ([`RunningSim::set_unavailable`] over HTTP, no token needed), for
    /// end-to-end tests driving a separate `deck-sim` process. Off by default.
    pub control_endpoint: bool,
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
            control_endpoint: false,
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
            control_endpoint: false,
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
        credit_log: Mutex::new(CreditLog::new()),
    });
    let app = server::router(Arc::clone(&shared), config.control_endpoint)
        .into_make_service_with_connect_info::<Conn>();
    let listener = SimListener(listener);
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

    /// The thread of a ticket, oldest message first (empty for an unknown ticket): e.g. to
    /// count the messages with a given body after a retried write.
    pub fn messages_of(&self, ticket_id: &str) -> Vec<Message> {
        lock(&self.shared.state)
            .data
            .messages
            .get(ticket_id)
            .cloned()
            .unwrap_or_default()
    }

    /// Every HTTP request answered, whatever the status (including those whose answer was
    /// dropped after the work, see [`RunningSim::drop_connections`]).
    pub fn requests_served(&self) -> u64 {
        self.shared.counters.requests.load(Ordering::Relaxed)
    }

    /// Credits spent by successful HTTP requests (not by the other client, see
    /// [`OtherClient::credits_spent`]).
    pub fn credits_spent(&self) -> u64 {
        self.shared.counters.credits.load(Ordering::Relaxed)
    }

    /// HTTP requests answered 429, injected ones included.
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

    /// Simulates another program using the same account: a background task spending `share`
    /// (clamped to 0..=1) of the account's credits per window through the same limiter as the
    /// HTTP requests, so that clients see `Rate-Limit-Remaining` fall faster than their own
    /// spending (and may get 429s they did not cause).
    ///
    /// It books one credit at a time at an even pace (tokio time): every
    /// `window / (share × credits_per_window)`, and never more often than `share` of the burst
    /// limit allows (`1 s / (share × burst_per_second)`). Each credit also counts toward the
    /// burst like a request: one refused by the burst limit is retried every 10 ms until the
    /// next is due; one refused for lack of credits is skipped (the other program got its own
    /// 429). Its credits are not in [`RunningSim::credits_spent`] nor its
    /// refusals in [`RunningSim::rate_limited_count`]; both are in
    /// [`RunningSim::credit_log`] and on the returned [`OtherClient`], which stops spending
    /// when dropped or on [`OtherClient::stop`] (or when the simulator is gone). Several may
    /// run at once.
    ///
    /// It is paced by tokio time while the limiter (like every request) runs on the real
    /// clock, so use it under real time: under a paused tokio clock it would spend far faster.
    ///
    /// # Panics
    /// Outside a Tokio runtime.
    pub fn start_other_client(&self, share: f64) -> OtherClient {
        OtherClient::start(&self.shared, share)
    }

    /// Makes the next `count` authenticated requests answer 429 `{"message":"Too Many
    /// Requests"}` with the usual `Rate-Limit-*` headers (`Rate-Limit-Used: 0`), whatever the
    /// limiter says: they are not admitted, spend nothing and do not count toward the burst.
    /// `Retry-After: n` is added only when `retry_after` is given; Enchant documents no such
    /// header, so `None` is the realistic case. They count in
    /// [`RunningSim::rate_limited_count`]. Replaces any count still pending (0 to disarm).
    pub fn inject_rate_limits(&self, count: u32, retry_after: Option<u32>) {
        let mut faults = lock(&self.shared.faults);
        faults.rate_limits = count;
        faults.retry_after = retry_after;
    }

    /// Makes the next `count` requests (any, authenticated or not) lose their TCP connection
    /// instead of getting an answer: the socket is closed with no HTTP response byte written,
    /// so the client sees a connection error. With `after_work` false the request is not
    /// processed at all (not counted in [`RunningSim::requests_served`], nothing spent,
    /// nothing written). With `after_work` true it is fully processed first (a write commits,
    /// credits are spent, it is counted) and only its answer is lost, like a server that
    /// commits and then drops the connection. A response delay still applies before.
    /// Replaces any count still pending (0 to disarm).
    pub fn drop_connections(&self, count: u32, after_work: bool) {
        let mut faults = lock(&self.shared.faults);
        faults.drops = count;
        faults.drop_after_work = after_work;
    }

    /// Makes the next `count` write requests (POST, PUT, PATCH or DELETE after any
    /// `X-HTTP-Method-Override`, whatever their outcome) do their work as usual (a write
    /// commits and is visible in [`RunningSim::dataset`], credits are spent, it is counted)
    /// and then wait `delay` before answering: for killing a client while its answer is in
    /// flight. Reads are untouched and do not use up the count. Replaces any count still
    /// pending (0 to disarm).
    pub fn stall_after_work(&self, count: u32, delay: Duration) {
        let mut faults = lock(&self.shared.faults);
        faults.stalls = count;
        faults.stall = delay;
    }

    /// While `on`, the help desk is down: every request, on a new or a pooled connection,
    /// loses its connection at once, with no HTTP response byte written and nothing
    /// processed (not counted in [`RunningSim::requests_served`], nothing spent; logged in
    /// [`RunningSim::credit_log`] like a dropped connection). Answers still on their way
    /// when it is turned on are lost too. `false` restores service. Over HTTP, see
    /// [`SimConfig::control_endpoint`].
    pub fn set_unavailable(&self, on: bool) {
        lock(&self.shared.faults).unavailable = on;
    }

    /// Makes the next `count` successful GETs (after any `X-HTTP-Method-Override`) answer
    /// 200 with exactly `body` (`Content-Type: application/json`, whatever it holds) instead
    /// of the real answer, enveloped or not; headers and credits are those of the real
    /// request. Failed GETs and other verbs are untouched and do not use up the count.
    /// Replaces any count still pending (0 to disarm).
    pub fn serve_malformed(&self, count: u32, body: &str) {
        let mut faults = lock(&self.shared.faults);
        faults.malformed = count;
        faults.malformed_body = body.to_string();
    }

    /// While `on`, paging of the tickets list is broken: the first successful
    /// `GET /tickets` after turning it on answers normally, and every later one answers that
    /// same page again, whatever its `page`, filters or sort (headers such as `Total-Count`
    /// and the credits stay those of the actual request). Turning it on or off forgets the
    /// remembered page.
    pub fn repeat_pages(&self, on: bool) {
        let mut faults = lock(&self.shared.faults);
        faults.repeat_pages = on;
        faults.last_page = None;
    }

    /// Corrupts the `Rate-Limit-*` headers of every response from now on (also inside
    /// envelopes) as `lies` says; [`HeaderLies::None`] restores the truth. The limiter keeps
    /// enforcing the real limits.
    pub fn set_header_lies(&self, lies: HeaderLies) {
        lock(&self.shared.faults).header_lies = lies;
    }

    /// One record per HTTP request (answered or dropped) and per credit the other clients
    /// tried to spend, oldest first, since the start or the last
    /// [`RunningSim::reset_counters`]: for charting requests over time and measuring spend.
    pub fn credit_log(&self) -> Vec<CreditRecord> {
        lock(&self.shared.credit_log).records()
    }

    /// Zeroes [`RunningSim::requests_served`], [`RunningSim::credits_spent`] and
    /// [`RunningSim::rate_limited_count`], empties the [`RunningSim::credit_log`] and restarts
    /// its clock. The limiter's state, the data and armed faults are untouched.
    pub fn reset_counters(&self) {
        let counters = &self.shared.counters;
        counters.requests.store(0, Ordering::Relaxed);
        counters.credits.store(0, Ordering::Relaxed);
        counters.rate_limited.store(0, Ordering::Relaxed);
        lock(&self.shared.credit_log).reset();
    }

    /// Changes the subject of `count` tickets spread evenly over the helpdesk (as agents
    /// elsewhere would), bumping their `updated_at`; returns their ids. For incremental syncs.
    pub fn change_tickets(&self, count: usize) -> Vec<String> {
        change_tickets(&self.shared, count)
    }

    /// Deletes a ticket and its thread, as an agent elsewhere would ("deleted meanwhile"):
    /// from now on it is in no list, and reads and writes of it answer 404. Its number is
    /// never reused. Returns whether the ticket existed.
    pub fn delete_ticket(&self, id: &str) -> bool {
        lock(&self.shared.state).remove_ticket(id)
    }

    /// Deletes a customer, as an agent merging or removing it would: from now on it is in no
    /// list and reads of it answer 404. Returns whether it existed.
    pub fn delete_customer(&self, id: &str) -> bool {
        lock(&self.shared.state).remove_customer(id)
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

/// See [`RunningSim::change_tickets`].
pub(crate) fn change_tickets(shared: &Shared, count: usize) -> Vec<String> {
    let mut state = lock(&shared.state);
    let total = state.data.tickets.len();
    let count = count.min(total);
    let mut ids = Vec::with_capacity(count);
    for i in 0..count {
        let pos = i * total / count.max(1);
        let ticket = state.update_ticket(pos, |t| t.subject = format!("{} (edited)", t.subject));
        ids.push(ticket.id.clone());
    }
    ids
}
