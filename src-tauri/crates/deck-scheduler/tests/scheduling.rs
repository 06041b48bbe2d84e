//! The scheduler against a strict simulated server, on a fake clock.

mod support;

use std::time::Duration;

use deck_scheduler::{Lane, RateProfile};
use support::strict_server::StrictServer;
use support::{Latency, Sim, secs, workload};

fn report(name: &str, sim: &Sim) {
    let server = sim.server.lock().unwrap();
    let status = sim.scheduler.status();
    eprintln!(
        "{name}: t={:.1}s ours={} others={} refused_ours={} (credits {}, burst {}) refused_others={} 429s_seen={} windows={:?}",
        sim.now().as_secs_f64(),
        server.credits_ours,
        server.credits_others,
        server.refused_ours(),
        server.refused_ours_credits,
        server.refused_ours_burst,
        server.refused_others,
        status.rate_limited_count,
        server
            .windows
            .iter()
            .map(|w| (w.start.as_secs_f64().round() as u64, w.ours, w.others))
            .collect::<Vec<_>>()
    );
}

#[tokio::test(start_paused = true)]
async fn alone_it_never_exceeds_credits_or_burst() {
    let sim = Sim::new(RateProfile::enchant(), StrictServer::enchant());
    let work = workload(700);
    let handles = sim.spawn_workers(Lane::Background, 4, &work, Latency::new);
    sim.join(handles).await;
    sim.server.lock().unwrap().finish();
    report("alone", &sim);
    let server = sim.server.lock().unwrap();
    assert_eq!(server.refused_ours(), 0);
    assert_eq!(server.credits_ours, 700);
    let bound = 700.0 / 100.0 * 60.0;
    assert!(sim.now().as_secs_f64() <= 1.10 * bound);
}

#[tokio::test(start_paused = true)]
async fn explore_foreign_steady() {
    let sim = Sim::new(RateProfile::enchant(), StrictServer::enchant());
    let work = workload(600);
    let other = sim.spawn_other(secs(0.3), secs(1.2), 1, secs(900.0));
    let handles = sim.spawn_workers(Lane::Background, 4, &work, Latency::new);
    sim.join(handles).await;
    other.abort();
    sim.server.lock().unwrap().finish();
    report("foreign steady", &sim);
    eprintln!("{:?}", sim.scheduler.status());
}

#[tokio::test(start_paused = true)]
async fn explore_foreign_bursty() {
    let sim = Sim::new(RateProfile::enchant(), StrictServer::enchant());
    let work = workload(600);
    let other = sim.spawn_bursty_other(secs(60.0), 50, secs(0.25), secs(900.0));
    let handles = sim.spawn_workers(Lane::Background, 4, &work, Latency::new);
    sim.join(handles).await;
    other.abort();
    sim.server.lock().unwrap().finish();
    report("foreign bursty", &sim);
    eprintln!("{:?}", sim.scheduler.status());
}

#[tokio::test(start_paused = true)]
async fn explore_aligned_late_start() {
    let mut server = StrictServer::enchant();
    server.aligned = true;
    let sim = Sim::new(RateProfile::enchant(), server);
    sim.clock.advance(secs(37.3));
    let work = workload(700);
    let handles = sim.spawn_workers(Lane::Background, 4, &work, Latency::slow);
    sim.join(handles).await;
    sim.server.lock().unwrap().finish();
    report("aligned slow", &sim);
}
