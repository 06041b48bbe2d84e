//! The per-account rate-limit scheduler every request to a helpdesk goes through.
//!
//! One [`Scheduler`] per account, shared (cloned) by every task that talks to that account.
//! It keeps a budget seeded from a [`RateProfile`] (credits per window, burst limit) and
//! corrected from what the server says on every answer ([`Feedback`]: `Rate-Limit-*`,
//! `X-RateLimit-*`, `Retry-After`, and the 429s themselves). It never grants a request the
//! budget cannot pay for, holds every lane after a 429 for what the server asked (capped),
//! serves [`Lane`]s in strict priority, and slows down when others spend the same account.
//!
//! It does no I/O: time comes from an injected [`Clock`] ([`TokioClock`] in the app,
//! [`FakeClock`] in tests), and the caller sends the requests.
//!
//! Where things are decided:
//!
//! * `budget`: the three limits a request must pass (own spending, the server's count,
//!   burst), lane headroom, pacing while others spend, what an answer teaches.
//! * `spend_log`: own spending, held until a window after each answer (exact to a round trip
//!   without trusting any header), or until the server window it was counted in ends.
//! * `server_view`: the server's window from the headers: when it ends despite whole-second
//!   `Reset`s, what to believe of lying headers, and what others spend.
//! * `retry_wait`: the wait after a 429. `lane_queue`: strict priority, FIFO within a lane.
//!
//! ```
//! use std::sync::Arc;
//! use std::time::Duration;
//! use deck_scheduler::{enchant_cost, FakeClock, Feedback, Lane, RateProfile, Scheduler};
//!
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() {
//! let clock = FakeClock::new();
//! let scheduler = Scheduler::new(RateProfile::enchant(), Arc::new(clock.clone()));
//!
//! // GET /tickets/51e6e9?embed=customer costs two credits.
//! let permit = scheduler.acquire(Lane::Interactive, enchant_cost(1, false)).await;
//! clock.advance(Duration::from_millis(80)); // ... the request is sent and answered ...
//! let headers = [
//!     ("Rate-Limit-Limit", "100"),
//!     ("Rate-Limit-Remaining", "98"),
//!     ("Rate-Limit-Used", "2"),
//!     ("Rate-Limit-Reset", "60"),
//! ];
//! scheduler.complete(permit, Feedback::from_header_pairs(200, headers));
//!
//! let status = scheduler.status();
//! assert_eq!(status.credits_spent, 2);
//! assert_eq!(status.limit, Some(100));
//! assert_eq!(status.waiting_until, None);
//! # }
//! ```

mod budget;
mod budget_status;
mod clock;
mod feedback;
mod history;
mod lane;
mod lane_queue;
mod profile;
mod retry_wait;
mod scheduler;
mod server_view;
mod spend_log;

pub use budget::RESERVE_RELEASE_LEAD;
pub use budget_status::BudgetStatus;
pub use clock::{Clock, FakeClock, TokioClock};
pub use feedback::Feedback;
pub use history::{BUCKET as HISTORY_BUCKET, HistoryBucket};
pub use lane::Lane;
pub use profile::{RateProfile, enchant_cost};
pub use scheduler::{Permit, Scheduler};
