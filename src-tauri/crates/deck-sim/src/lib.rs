//! Simulated helpdesks served over real HTTP on 127.0.0.1: the app's demo mode and the
//! backend of every adapter, sync and end-to-end test. One module per provider.

pub mod enchant;

pub use enchant::{Dataset, RunningSim, SimConfig, start};
