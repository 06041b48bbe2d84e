//! Sync against the simulated Enchant when it misbehaves: pages that repeat, headers that lie,
//! connections dropped mid-answer, server errors. Each run stays within bounds, finishes or
//! stops with a clear error, and loses nothing.

use deck_model::{ErrorCode, Resource};
use deck_providers::enchant::{EnchantClient, EnchantConfig};
use deck_providers::{RateProfile, Scheduler, TokioClock};
use deck_sim::{HeaderLies, RunningSim, SimConfig};
use deck_store::{NewAccountRow, Store};
use deck_sync::{SweepPolicy, SyncReport, sync_account};
use std::collections::BTreeSet;
use std::sync::Arc;
use std::time::Duration;

const WINDOW: Duration = Duration::from_secs(1);

async fn sim(tickets: usize) -> RunningSim {
    let config = SimConfig {
        seed: 8,
        tickets,
        token: "tok".into(),
        window: WINDOW,
        credits_per_window: 200,
        burst_per_second: 100,
        ..SimConfig::default()
    };
    deck_sim::start(config, ([127, 0, 0, 1], 0).into())
        .await
        .unwrap()
}

async fn sync(sim: &RunningSim, store: &Store, account: i64) -> SyncReport {
    sync_at(sim, store, account, chrono::Utc::now()).await
}

/// A sync as if run at `now` (sweeps fall due an hour after the last).
async fn sync_at(
    sim: &RunningSim,
    store: &Store,
    account: i64,
    now: chrono::DateTime<chrono::Utc>,
) -> SyncReport {
    let scheduler = Scheduler::new(
        RateProfile {
            credits_per_window: Some(200),
            window: WINDOW,
            burst_per_second: Some(100),
            max_retry_wait: Duration::from_secs(5),
        },
        Arc::new(TokioClock::new()),
    );
    let client = EnchantClient::new(EnchantConfig {
        base_url: sim.base_url(),
        token: "tok".into(),
        scheduler,
    })
    .unwrap();
    let sweep = SweepPolicy::hourly(now);
    sync_account(store, &client, account, "acme", &sweep, &|_| {}).await
}

fn store() -> (Store, i64) {
    let store = Store::open_in_memory().unwrap();
    let account = store
        .insert_account(&NewAccountRow {
            name: "acme",
            provider: "enchant",
            site: None,
            base_url: "http://127.0.0.1:1/api/v1",
            token_source: r#"{"kind":"demo"}"#,
            is_demo: false,
            rate_limit: None,
        })
        .unwrap()
        .id;
    (store, account)
}

/// The cache holds exactly the helpdesk's tickets, each with all its comments.
fn assert_complete(sim: &RunningSim, store: &Store, account: i64) {
    let cached: BTreeSet<String> = store
        .list(account, Resource::Tickets, &[], 1000, None)
        .unwrap()
        .items
        .iter()
        .map(|t| t["id"].as_str().unwrap().to_string())
        .collect();
    sim.with_dataset(|d| {
        let truth: BTreeSet<String> = d.tickets.iter().map(|t| t.id.clone()).collect();
        assert_eq!(cached, truth);
        for t in &d.tickets {
            assert_eq!(
                store.comments(account, &t.id).unwrap().len(),
                d.messages[&t.id].len()
            );
        }
    });
}

#[tokio::test(flavor = "multi_thread")]
async fn a_page_that_repeats_stops_the_tickets_sync_with_a_clear_error() {
    let sim = sim(250).await;
    let (store, account) = store();
    sim.repeat_pages(true);
    let before = sim.requests_served();
    let report = sync(&sim, &store, account).await;
    let (resource, err) = report
        .failures
        .iter()
        .find(|(r, _)| r == "tickets")
        .expect("tickets failed");
    assert_eq!(resource, "tickets");
    assert_eq!(err.code, ErrorCode::Malformed);
    assert!(err.message.contains("same page twice"), "{}", err.message);
    assert!(
        sim.requests_served() - before < 150,
        "it stopped rather than looping"
    );
    assert_eq!(
        store.ticket_count(account).unwrap(),
        100,
        "the first page is kept, once"
    );

    // Once the helpdesk behaves, a rerun goes on and completes.
    sim.repeat_pages(false);
    let report = sync(&sim, &store, account).await;
    assert!(report.ok(), "{:?}", report.failures);
    assert_complete(&sim, &store, account);
    sim.shutdown().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn lying_rate_limit_headers_do_not_make_it_trip_or_stall() {
    for lie in [
        HeaderLies::RemainingJumpsUp,
        HeaderLies::NegativeReset,
        HeaderLies::HugeReset,
        HeaderLies::Garbage,
    ] {
        let sim = sim(60).await;
        let (store, account) = store();
        sim.set_header_lies(lie);
        let report = tokio::time::timeout(Duration::from_secs(60), sync(&sim, &store, account))
            .await
            .unwrap_or_else(|_| panic!("{lie:?}: the sync stalled"));
        assert!(report.ok(), "{lie:?}: {:?}", report.failures);
        assert!(
            sim.rate_limited_count() <= 3,
            "{lie:?}: {} 429s",
            sim.rate_limited_count()
        );
        assert_complete(&sim, &store, account);
        sim.shutdown().await;
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn dropped_answers_and_server_errors_are_retried_once_and_nothing_is_lost() {
    let sim = sim(40).await;
    let (store, account) = store();
    sim.drop_connections(1, true);
    let report = sync(&sim, &store, account).await;
    assert!(report.ok(), "{:?}", report.failures);
    sim.inject_server_errors(1, 503);
    sim.change_tickets(5);
    let report = sync(&sim, &store, account).await;
    assert!(report.ok(), "{:?}", report.failures);
    assert_complete(&sim, &store, account);

    // A helpdesk that keeps failing: the sync reports it, keeps what it stored, and a rerun
    // after it recovers completes.
    sim.change_tickets(8);
    sim.inject_server_errors(1000, 500);
    let report = sync(&sim, &store, account).await;
    assert!(!report.ok());
    assert!(
        report
            .failures
            .iter()
            .all(|(_, e)| e.code == ErrorCode::Upstream),
        "{:?}",
        report.failures
    );
    sim.inject_server_errors(0, 500);
    let report = sync(&sim, &store, account).await;
    assert!(report.ok(), "{:?}", report.failures);
    assert_complete(&sim, &store, account);
    sim.shutdown().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_429_without_retry_after_is_waited_out_not_hammered() {
    let sim = sim(30).await;
    let (store, account) = store();
    sim.inject_rate_limits(2, None);
    let report = sync(&sim, &store, account).await;
    assert!(report.ok(), "{:?}", report.failures);
    assert_eq!(
        sim.rate_limited_count(),
        2,
        "no request beyond the injected 429s was refused"
    );
    assert_complete(&sim, &store, account);
    sim.shutdown().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn the_hourly_sweep_tombstones_customers_deleted_on_the_helpdesk() {
    let sim = sim(12).await;
    let (store, account) = store();
    assert!(sync(&sim, &store, account).await.ok());
    let before = store.ids(account, Resource::Contacts).unwrap();
    let gone = sim.dataset().customers[0].id.clone();
    assert!(before.contains(&gone));
    assert!(sim.delete_customer(&gone));

    // Within the hour nothing is listed again: the contact stays.
    assert!(sync(&sim, &store, account).await.ok());
    assert!(
        store
            .ids(account, Resource::Contacts)
            .unwrap()
            .contains(&gone)
    );

    // Once the sweep is due it lists customers again and marks the missing one deleted.
    tokio::time::sleep(Duration::from_millis(1100)).await;
    let later = chrono::Utc::now() + chrono::Duration::hours(2);
    assert!(sync_at(&sim, &store, account, later).await.ok());
    let after = store.ids(account, Resource::Contacts).unwrap();
    assert!(!after.contains(&gone), "tombstoned");
    assert_eq!(after.len(), before.len() - 1, "nothing else");
    sim.shutdown().await;
}
