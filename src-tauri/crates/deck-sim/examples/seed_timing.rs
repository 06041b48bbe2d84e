//! Prints how long seeding and serving take at benchmark size:
//! `cargo run --release -p deck-sim --example seed_timing -- 100000`.

use std::time::Instant;

fn main() -> std::io::Result<()> {
    let tickets = std::env::args()
        .nth(1)
        .and_then(|n| n.parse().ok())
        .unwrap_or(100_000);
    let runtime = tokio::runtime::Runtime::new()?;
    runtime.block_on(async {
        let config = deck_sim::SimConfig {
            tickets,
            credits_per_window: u32::MAX,
            burst_per_second: u32::MAX,
            ..deck_sim::SimConfig::default()
        };
        let started = Instant::now();
        let sim = deck_sim::start(config, "127.0.0.1:0".parse().expect("address")).await?;
        println!("seeded and listening: {:?}", started.elapsed());
        let cloned = Instant::now();
        let data = sim.dataset();
        println!(
            "dataset clone: {:?} ({} tickets, {} messages, {} customers)",
            cloned.elapsed(),
            data.tickets.len(),
            data.message_count(),
            data.customers.len()
        );
        sim.shutdown().await;
        Ok(())
    })
}
