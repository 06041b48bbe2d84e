//! `deck-sim`: runs the simulated Enchant help desk until Ctrl-C.

use std::net::{Ipv4Addr, SocketAddr};
use std::time::Duration;

use clap::Parser;
use deck_sim::enchant::UNAVAILABLE_PATH;
use deck_sim::{HeaderLies, SimConfig};

/// Serve a simulated Enchant help desk on 127.0.0.1.
#[derive(Parser, Debug)]
#[command(name = "deck-sim", version, about)]
struct Args {
    /// Port to listen on (0 picks a free one).
    #[arg(long, default_value_t = 8080)]
    port: u16,
    /// Seed of the deterministic data.
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Number of tickets to seed.
    #[arg(long, default_value_t = 300)]
    tickets: usize,
    /// Accepted API token.
    #[arg(long, default_value = "sim-token")]
    token: String,
    /// Help desk identifier.
    #[arg(long, default_value = "demo")]
    site: String,
    /// Length of the credit window in seconds.
    #[arg(long, default_value_t = 60)]
    window_secs: u64,
    /// Credits per window.
    #[arg(long, default_value_t = 100)]
    credits: u32,
    /// Requests per second (burst limit).
    #[arg(long, default_value_t = 6)]
    burst: u32,
    /// Share (0 to 1) of the account's credits another program spends in the background.
    #[arg(long, default_value_t = 0.0)]
    other_client_share: f64,
    /// Delay before every answer, in milliseconds.
    #[arg(long, default_value_t = 0)]
    response_delay_ms: u64,
    /// Corrupt the Rate-Limit-* headers: none, remaining-jumps-up, negative-reset,
    /// huge-reset, missing or garbage (the real limits are still enforced).
    #[arg(long, default_value_t = HeaderLies::None)]
    header_lies: HeaderLies,
    /// Break paging: every tickets list answers the page it answered the previous time.
    #[arg(long)]
    repeat_pages: bool,
    /// Also serve a control endpoint outside the API, for end-to-end tests: `POST
    /// /_sim/unavailable` with the body `on` takes the help desk down (every API request
    /// loses its connection unanswered), `off` brings it back; `POST /_sim/rate-limit` with
    /// `COUNT SECONDS` answers the next COUNT requests 429 with that Retry-After; `POST
    /// /_sim/change-tickets` with `COUNT` edits that many tickets' subjects. No token needed;
    /// the first URL is printed as `control=...`.
    #[arg(long)]
    control: bool,
}

#[tokio::main]
async fn main() -> std::io::Result<()> {
    let args = Args::parse();
    let config = SimConfig {
        seed: args.seed,
        tickets: args.tickets,
        token: args.token,
        site: args.site,
        credits_per_window: args.credits,
        window: Duration::from_secs(args.window_secs.max(1)),
        burst_per_second: args.burst,
        control_endpoint: args.control,
    };
    let addr = SocketAddr::from((Ipv4Addr::LOCALHOST, args.port));
    let sim = deck_sim::start(config, addr).await?;
    sim.set_response_delay(Duration::from_millis(args.response_delay_ms));
    sim.set_header_lies(args.header_lies);
    sim.repeat_pages(args.repeat_pages);
    let other = sim.start_other_client(args.other_client_share);
    println!("base_url={}", sim.base_url());
    println!("token={}", sim.token());
    println!("site={}", sim.site());
    if args.control {
        println!("control=http://{}{UNAVAILABLE_PATH}", sim.addr());
    }
    let summary = sim.with_dataset(|data| {
        format!(
            "{} tickets, {} messages, {} customers, {} users",
            data.tickets.len(),
            data.message_count(),
            data.customers.len(),
            data.users.len()
        )
    });
    eprintln!("deck-sim: {summary}; Ctrl-C to stop");
    tokio::signal::ctrl_c().await?;
    if other.period().is_some() {
        eprintln!(
            "deck-sim: the other client spent {} credits ({} refused)",
            other.credits_spent(),
            other.refused()
        );
    }
    other.stop();
    sim.shutdown().await;
    Ok(())
}
