//! Simulated helpdesks served over real HTTP on 127.0.0.1: the app's demo mode and the
//! backend of every adapter, sync and end-to-end test. One module per provider.
//!
//! ```no_run
//! # async fn demo() -> std::io::Result<()> {
//! let sim = deck_sim::start(deck_sim::SimConfig::demo(), "127.0.0.1:0".parse().unwrap()).await?;
//! println!("{} with token {}", sim.base_url(), sim.token());
//! let truth = sim.dataset();
//! assert_eq!(truth.tickets.len(), 300);
//! sim.shutdown().await;
//! # Ok(())
//! # }
//! ```

pub mod enchant;

pub use enchant::{CreditRecord, Dataset, HeaderLies, OtherClient, RunningSim, SimConfig, start};
