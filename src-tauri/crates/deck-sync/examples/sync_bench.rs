//! Sync benchmark: Ticketdeck's scheduler and sync plan against a simulated Enchant, beside a
//! naive client, with Enchant's limits scaled to a one-second window (100 credits per window,
//! burst scaled by the same factor). Prints figures; asserts nothing.
//!
//!     cargo run --release -p deck-sync --example sync_bench [-- TICKETS]

use deck_providers::enchant::{EnchantClient, EnchantConfig};
use deck_providers::{Known, Lane, Provider, RateProfile, Scheduler, TokioClock};
use deck_sim::SimConfig;
use deck_store::{NewAccountRow, Store};
use deck_sync::{SweepPolicy, sync_account};
use std::sync::Arc;
use std::time::{Duration, Instant};

const WINDOW: Duration = Duration::from_secs(1);
const CREDITS: u32 = 100;
/// Enchant allows 6 requests a second with a 60-second window; scaled to a 1-second window.
const BURST: u32 = 6 * 60;

fn sim_config(tickets: usize) -> SimConfig {
    SimConfig {
        seed: 42,
        tickets,
        token: "bench-token".into(),
        window: WINDOW,
        credits_per_window: CREDITS,
        burst_per_second: BURST,
        ..SimConfig::default()
    }
}

fn profile() -> RateProfile {
    RateProfile {
        credits_per_window: Some(CREDITS),
        window: WINDOW,
        burst_per_second: Some(BURST),
        max_retry_wait: Duration::from_secs(10),
    }
}

struct Figures {
    credits: u64,
    wall: Duration,
    rate_limited: u64,
    requests: u64,
}

fn print(label: &str, f: &Figures, minimum: u64) {
    let bound = minimum as f64 / f64::from(CREDITS) * WINDOW.as_secs_f64();
    println!(
        "{label:<34} credits {:>6} ({:.3}x min {minimum})  wall {:>7.1} s ({:.3}x bound {bound:.1} s)  429s {:>3}  requests {}",
        f.credits,
        f.credits as f64 / minimum as f64,
        f.wall.as_secs_f64(),
        f.wall.as_secs_f64() / bound,
        f.rate_limited,
        f.requests,
    );
}

async fn measure<F: std::future::Future<Output = ()>>(
    sim: &deck_sim::RunningSim,
    run: F,
) -> Figures {
    let (c0, r0, q0) = (
        sim.credits_spent(),
        sim.rate_limited_count(),
        sim.requests_served(),
    );
    let start = Instant::now();
    run.await;
    Figures {
        credits: sim.credits_spent() - c0,
        wall: start.elapsed(),
        rate_limited: sim.rate_limited_count() - r0,
        requests: sim.requests_served() - q0,
    }
}

fn client(sim: &deck_sim::RunningSim, scheduler: &Scheduler) -> EnchantClient {
    EnchantClient::new(EnchantConfig {
        base_url: sim.base_url(),
        token: sim.token().to_string(),
        scheduler: scheduler.clone(),
    })
    .unwrap()
}

/// Page by page, one request at a time, sleeping out every 429 for `Rate-Limit-Reset`.
async fn naive_sync(sim: &deck_sim::RunningSim) {
    let http = reqwest::Client::new();
    let get = |url: String| {
        let http = http.clone();
        async move {
            loop {
                let resp = http
                    .get(&url)
                    .bearer_auth("bench-token")
                    .send()
                    .await
                    .unwrap();
                if resp.status().as_u16() == 429 {
                    let reset: u64 = resp
                        .headers()
                        .get("rate-limit-reset")
                        .and_then(|v| v.to_str().ok()?.parse().ok())
                        .unwrap_or(1);
                    tokio::time::sleep(Duration::from_secs(reset)).await;
                    continue;
                }
                return resp.json::<serde_json::Value>().await.unwrap();
            }
        }
    };
    let base = sim.base_url();
    get(format!("{base}/users")).await;
    for page in 1.. {
        let list = get(format!("{base}/customers?per_page=100&page={page}")).await;
        if list.as_array().unwrap().len() < 100 {
            break;
        }
    }
    let mut ids = Vec::new();
    for page in 1.. {
        let list = get(format!("{base}/tickets?per_page=100&page={page}")).await;
        let items = list.as_array().unwrap();
        ids.extend(items.iter().map(|t| t["id"].as_str().unwrap().to_string()));
        if items.len() < 100 {
            break;
        }
    }
    for id in ids {
        get(format!("{base}/tickets/{id}?embed=messages,labels,inbox")).await;
    }
}

fn new_store() -> (Store, i64) {
    let store = Store::open_in_memory().unwrap();
    let id = store
        .insert_account(&NewAccountRow {
            name: "bench",
            provider: "enchant",
            site: None,
            base_url: "http://127.0.0.1/",
            token_source: r#"{"kind":"demo"}"#,
            is_demo: false,
            rate_limit: None,
        })
        .unwrap()
        .id;
    (store, id)
}

#[tokio::main]
async fn main() {
    let tickets: usize = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(2000);
    let sim = deck_sim::start(sim_config(tickets), ([127, 0, 0, 1], 0).into())
        .await
        .unwrap();
    let (customers, labels, inboxes) =
        sim.with_dataset(|d| (d.customers.len(), d.labels.len(), d.inboxes.len()));
    // What the data needs at the least: one page per 100 tickets and per 100 customers, the
    // users call, and each thread (the ticket with its messages embedded: 2 credits).
    let pages = |n: usize| n.div_ceil(100) as u64;
    let minimum = pages(tickets) + pages(customers) + 1 + 2 * tickets as u64;
    println!(
        "simulated Enchant: {tickets} tickets, {customers} customers, {labels} labels, {inboxes} inboxes; \
         {CREDITS} credits per {WINDOW:?} window, burst {BURST}/s (Enchant's limits scaled 60x)"
    );
    println!("minimum credits for this data: {minimum}; budget bound = minimum / credit rate\n");

    // 1. Ticketdeck, alone on the account; a user opens an uncached ticket 5 s in.
    let scheduler = Scheduler::new(profile(), Arc::new(TokioClock::new()));
    let (store, account) = new_store();
    let provider = client(&sim, &scheduler);
    let interactive = provider.on_lane(Lane::Interactive);
    let opened = sim.with_dataset(|d| d.tickets[0].id.clone());
    let sweep = SweepPolicy::hourly(chrono::Utc::now());
    let mut click_latency = None;
    let full = measure(&sim, async {
        let sync = sync_account(&store, &provider, account, "bench", &sweep, &|_| {});
        let click = async {
            tokio::time::sleep(Duration::from_secs(5)).await;
            // The ticket's own record comes from the listing; wait until it is cached.
            while store.ticket(account, &opened).unwrap().is_none() {
                tokio::time::sleep(Duration::from_millis(20)).await;
            }
            let cached = store.ticket(account, &opened).unwrap().unwrap();
            let t0 = Instant::now();
            interactive
                .thread(&cached, &Known::default())
                .await
                .unwrap();
            click_latency = Some(t0.elapsed());
        };
        let (_, ()) = tokio::join!(sync, click);
    })
    .await;
    print("ticketdeck full sync (alone)", &full, minimum + 2);
    let one_request = Duration::from_secs_f64(WINDOW.as_secs_f64() * 2.0 / f64::from(CREDITS));
    println!(
        "  opening an uncached ticket during the sync: thread in {:.0} ms (one 2-credit request's share of the budget: {:.0} ms)",
        click_latency.unwrap().as_secs_f64() * 1000.0,
        one_request.as_secs_f64() * 1000.0
    );

    // 2. Incremental after 1% of tickets changed.
    let changed = (tickets / 100).max(1);
    sim.change_tickets(changed);
    let sweep = SweepPolicy::hourly(chrono::Utc::now());
    let incr = measure(&sim, async {
        sync_account(&store, &provider, account, "bench", &sweep, &|_| {}).await;
    })
    .await;
    println!(
        "{:<34} credits {:>6} (goal: at most {} for {changed} changed threads + 5)  wall {:.1} s  429s {}",
        "ticketdeck incremental (1% changed)",
        incr.credits,
        2 * changed as u64 + 5,
        incr.wall.as_secs_f64(),
        incr.rate_limited
    );

    // 3. Sharing the account: another program spends half the budget the whole time.
    sim.shutdown().await;
    let sim = deck_sim::start(sim_config(tickets), ([127, 0, 0, 1], 0).into())
        .await
        .unwrap();
    let other = sim.start_other_client(0.5);
    let scheduler = Scheduler::new(profile(), Arc::new(TokioClock::new()));
    let (store, account) = new_store();
    let provider = client(&sim, &scheduler);
    let sweep = SweepPolicy::hourly(chrono::Utc::now());
    let shared = measure(&sim, async {
        sync_account(&store, &provider, account, "bench", &sweep, &|_| {}).await;
    })
    .await;
    let other_spent = other.credits_spent();
    other.stop();
    let (threads_expected, comments_expected) =
        sim.with_dataset(|d| (d.tickets.len(), d.message_count()));
    let cached_threads = tickets - store.stale_threads(account).unwrap().len();
    let cached_comments: usize = sim.with_dataset(|d| {
        d.tickets
            .iter()
            .map(|t| store.comments(account, &t.id).unwrap().len())
            .sum()
    });
    println!(
        "{:<34} credits {:>6}  wall {:>7.1} s ({:.3}x the half-budget bound {:.1} s)  429s {:>3}  other client spent {other_spent}",
        "ticketdeck, other client at 50%",
        shared.credits,
        shared.wall.as_secs_f64(),
        shared.wall.as_secs_f64() / (2.0 * minimum as f64 / f64::from(CREDITS)),
        2.0 * minimum as f64 / f64::from(CREDITS),
        shared.rate_limited,
    );
    println!(
        "  nothing lost: {cached_threads}/{threads_expected} threads, {cached_comments}/{comments_expected} comments cached"
    );

    // 4. The naive client, on a fresh helpdesk.
    sim.shutdown().await;
    let sim = deck_sim::start(sim_config(tickets), ([127, 0, 0, 1], 0).into())
        .await
        .unwrap();
    let naive = measure(&sim, naive_sync(&sim)).await;
    print("naive client (page by page, sleep on 429)", &naive, minimum);
    sim.shutdown().await;
}
