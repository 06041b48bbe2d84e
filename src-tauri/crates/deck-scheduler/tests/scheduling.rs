//! The scheduler against a strict simulated server, on a fake clock: long simulated runs take
//! milliseconds and give the same result every time.

mod support;

use std::sync::{Arc, Mutex};
use std::time::Duration;

use deck_scheduler::{
    Clock, FakeClock, Feedback, Lane, RESERVE_RELEASE_LEAD, RateProfile, Scheduler, enchant_cost,
};
use support::strict_server::{Headers, Lie, StrictServer};
use support::{Latency, Sim, drive, endless, secs, workload};

/// What a run looked like, for failure messages.
fn summary(sim: &Sim) -> String {
    let server = sim.server.lock().unwrap();
    let status = sim.scheduler.status();
    let text = format!(
        "t={:.1}s ours={} others={} refused ours={} (credits {}, burst {}) others={} 429s seen={} windows (start s, ours, others)={:?}",
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
            .map(|w| (w.start.as_secs(), w.ours, w.others))
            .collect::<Vec<_>>()
    );
    eprintln!("{text}");
    text
}

/// Runs `credits` of background work with `workers` tasks to the end.
async fn run_alone(sim: &Sim, credits: u32, workers: u64, latency: fn(u64) -> Latency) {
    let work = workload(credits);
    let handles = sim.spawn_workers(Lane::Background, workers, &work, latency);
    sim.join(handles).await;
    sim.server.lock().unwrap().finish();
}

fn budget_bound(credits: u32, per_window: u32, window: Duration) -> f64 {
    f64::from(credits) / f64::from(per_window) * window.as_secs_f64()
}

#[tokio::test(start_paused = true)]
async fn alone_it_never_exceeds_credits_or_burst_and_spends_the_whole_budget() {
    let sim = Sim::new(RateProfile::enchant(), StrictServer::enchant());
    run_alone(&sim, 1000, 4, Latency::new).await;
    let why = summary(&sim);
    let server = sim.server.lock().unwrap();
    assert_eq!(server.refused_ours(), 0, "{why}");
    assert_eq!(sim.scheduler.status().rate_limited_count, 0, "{why}");
    assert_eq!(server.credits_ours, 1000, "no credit spent twice: {why}");
    // Every window but the last is spent to the last credit.
    let windows = &server.windows[..server.windows.len() - 1];
    assert!(windows.iter().all(|w| w.ours == 100), "{why}");
    let bound = budget_bound(1000, 100, Duration::from_secs(60));
    assert!(sim.now().as_secs_f64() <= 1.10 * bound, "{why}");
    // The burst limit held in every rolling second (the server refused nothing, and checks).
    let starts: Vec<Duration> = server.admissions.iter().map(|(t, _)| *t).collect();
    assert!(starts.windows(7).all(|w| w[6] - w[0] >= secs(1.0)), "{why}");
}

#[tokio::test(start_paused = true)]
async fn alone_on_clock_aligned_windows_over_a_slow_network() {
    let mut server = StrictServer::enchant();
    server.aligned = true;
    let sim = Sim::new(RateProfile::enchant(), server);
    // Start in the middle of a window, with 8 tasks and round trips of 0.3 to 2.7 s.
    sim.clock.advance(secs(37.3));
    run_alone(&sim, 700, 8, Latency::slow).await;
    let why = summary(&sim);
    assert_eq!(sim.server.lock().unwrap().refused_ours(), 0, "{why}");
    let elapsed = sim.now().as_secs_f64() - 37.3;
    assert!(
        elapsed <= 1.10 * budget_bound(700, 100, Duration::from_secs(60)),
        "{why}"
    );
}

#[tokio::test(start_paused = true)]
async fn throughput_stays_close_to_the_credit_rate_over_many_windows() {
    let sim = Sim::new(RateProfile::enchant(), StrictServer::enchant());
    let work = endless();
    let handles = sim.spawn_workers(Lane::Background, 6, &work, Latency::new);
    let horizon = secs(600.0);
    sim.run_until(horizon).await;
    handles.iter().for_each(|h| h.abort());
    let why = summary(&sim);
    let server = sim.server.lock().unwrap();
    let spent: u32 = server
        .admissions
        .iter()
        .filter(|(t, _)| *t < horizon)
        .map(|(_, c)| c)
        .sum();
    assert_eq!(server.refused_ours(), 0, "{why}");
    // 10 windows of 100 credits.
    assert!(f64::from(spent) >= 0.95 * 1000.0, "spent {spent}: {why}");
}

#[tokio::test(start_paused = true)]
async fn trengo_alone_never_gets_a_429() {
    let server = StrictServer::new(120, Duration::from_secs(60), None, Headers::Trengo);
    let sim = Sim::new(RateProfile::trengo(), server);
    run_alone(&sim, 600, 6, Latency::new).await;
    let why = summary(&sim);
    assert_eq!(sim.server.lock().unwrap().refused_ours(), 0, "{why}");
    assert!(
        sim.now().as_secs_f64() <= 1.10 * budget_bound(600, 120, Duration::from_secs(60)),
        "{why}"
    );
}

#[tokio::test(start_paused = true)]
async fn an_unpublished_limit_is_learned_from_the_first_429() {
    // Re:amaze-like: 60 per minute, no headers at all, not even Retry-After.
    let server = StrictServer::new(60, Duration::from_secs(60), None, Headers::Silent);
    let sim = Sim::new(RateProfile::unpublished(), server);
    run_alone(&sim, 400, 4, Latency::new).await;
    let why = summary(&sim);
    let refused = sim.server.lock().unwrap().refused_ours();
    // The first 429 teaches the limit; requests already in flight may collect one each.
    assert!((1..=4).contains(&refused), "{why}");
    assert!(
        sim.scheduler.status().limit.is_some_and(|l| l <= 60),
        "{why}"
    );
    assert!(
        sim.now().as_secs_f64() <= 1.25 * budget_bound(400, 60, Duration::from_secs(60)),
        "{why}"
    );
}

#[tokio::test(start_paused = true)]
async fn an_interactive_request_overtakes_a_background_flood() {
    let sim = Sim::new(RateProfile::enchant(), StrictServer::enchant());
    let flood = endless();
    let workers = sim.spawn_workers(Lane::Background, 6, &flood, Latency::new);
    // Clicks while credits are plenty, after background used its share, right before and
    // after the window turns, and later.
    let clicks = [2.0, 20.0, 45.0, 59.4, 60.2, 75.0, 130.0];
    let waits = Arc::new(Mutex::new(Vec::new()));
    for at in clicks {
        let sim = sim.clone();
        let waits = Arc::clone(&waits);
        tokio::spawn(async move {
            sim.clock.sleep_until(secs(at)).await;
            let arrived = sim.now();
            let mut latency = Latency::new(99);
            sim.request(Lane::Interactive, enchant_cost(1, false), &mut latency)
                .await;
            waits.lock().unwrap().push(arrived);
        });
    }
    sim.run_until(secs(180.0)).await;
    workers.iter().for_each(|h| h.abort());
    let why = summary(&sim);
    assert_eq!(sim.server.lock().unwrap().refused_ours(), 0, "{why}");
    let grants = sim.granted();
    let arrivals = waits.lock().unwrap().clone();
    assert_eq!(arrivals.len(), clicks.len());
    for arrived in arrivals {
        let (pos, granted) = grants
            .iter()
            .enumerate()
            .find(|(_, g)| g.lane == Lane::Interactive && g.at >= arrived)
            .unwrap();
        let waited = granted.at - arrived;
        let background_between = grants[..pos]
            .iter()
            .filter(|g| g.lane == Lane::Background && g.at >= arrived)
            .count();
        assert!(
            background_between <= 1,
            "{background_between} background requests went first at {arrived:?}"
        );
        assert!(
            waited <= RESERVE_RELEASE_LEAD,
            "interactive request at {arrived:?} waited {waited:?}"
        );
    }
}

#[tokio::test(start_paused = true)]
async fn waiting_requests_go_by_lane_then_arrival() {
    let clock = FakeClock::new();
    let scheduler = Scheduler::new(RateProfile::trengo(), Arc::new(clock.clone()));
    let first = scheduler.acquire(Lane::Background, 1).await;
    clock.advance(secs(0.05));
    let mut refused = Feedback::bare(429);
    refused.retry_after_secs = Some(5);
    scheduler.complete(first, refused);

    let order = Arc::new(Mutex::new(Vec::new()));
    let arrivals = [
        (Lane::Background, "b1"),
        (Lane::Outbox, "o1"),
        (Lane::Background, "b2"),
        (Lane::Interactive, "i1"),
        (Lane::Outbox, "o2"),
        (Lane::Background, "b3"),
        (Lane::Interactive, "i2"),
    ];
    let mut tasks = Vec::new();
    for (i, (lane, name)) in arrivals.into_iter().enumerate() {
        let scheduler = scheduler.clone();
        let order = Arc::clone(&order);
        let clock2 = clock.clone();
        tasks.push(tokio::spawn(async move {
            // Arrive one after the other while the 429 holds everything.
            clock2.sleep_until(secs(1.0 + i as f64 * 0.1)).await;
            let permit = scheduler.acquire(lane, 1).await;
            order.lock().unwrap().push((name, permit.granted_at()));
            scheduler.complete(permit, Feedback::bare(200));
        }));
    }
    drive(&clock, async {
        for t in tasks {
            t.await.unwrap();
        }
    })
    .await;
    let order = order.lock().unwrap().clone();
    let names: Vec<&str> = order.iter().map(|(n, _)| *n).collect();
    assert_eq!(names, ["i1", "i2", "o1", "o2", "b1", "b2", "b3"]);
    assert!(order.iter().all(|(_, at)| *at >= secs(5.05)));
}

#[tokio::test(start_paused = true)]
async fn a_second_client_spending_half_the_budget_slows_it_down_without_429s() {
    let sim = Sim::new(RateProfile::enchant(), StrictServer::enchant());
    // Someone else spends one credit every 1.2 s: half of Enchant's 100 per minute.
    let other = sim.spawn_other(secs(0.3), secs(1.2), 1, secs(10_000.0));
    run_alone(&sim, 600, 4, Latency::new).await;
    other.abort();
    let why = summary(&sim);
    let server = sim.server.lock().unwrap();
    assert!(server.refused_ours() <= 3, "{why}");
    // It left the other client its half: the other was hardly ever refused.
    assert!(server.refused_others <= 5, "{why}");
    let full = &server.windows[1..server.windows.len() - 1];
    assert!(full.iter().all(|w| w.ours <= 55), "{why}");
    // And still used the rest: about 12 windows for 600 credits at ~50 per window.
    assert!(
        sim.now().as_secs_f64() <= 1.15 * budget_bound(600, 50, Duration::from_secs(60)),
        "{why}"
    );
}

#[tokio::test(start_paused = true)]
async fn a_second_client_spending_in_bursts_is_tolerated() {
    let sim = Sim::new(RateProfile::enchant(), StrictServer::enchant());
    // Someone else sends 50 requests at 4 per second at the start of every minute.
    let other = sim.spawn_bursty_other(secs(60.0), 50, secs(0.25), secs(10_000.0));
    run_alone(&sim, 600, 4, Latency::new).await;
    other.abort();
    let why = summary(&sim);
    let server = sim.server.lock().unwrap();
    assert!(server.refused_ours() <= 3, "{why}");
    assert!(
        sim.now().as_secs_f64() <= 1.25 * budget_bound(600, 50, Duration::from_secs(60)),
        "{why}"
    );
}

#[tokio::test(start_paused = true)]
async fn two_devices_on_one_account_share_it_with_few_429s() {
    let sim = Sim::new(RateProfile::enchant(), StrictServer::enchant());
    let device = sim.other_client(RateProfile::enchant());
    let work = workload(600);
    let other_work = workload(600);
    let mut handles = sim.spawn_workers(Lane::Background, 4, &work, Latency::new);
    handles.extend(device.spawn_workers(Lane::Background, 4, &other_work, Latency::new));
    sim.join(handles).await;
    sim.server.lock().unwrap().finish();
    let why = summary(&sim);
    assert!(sim.scheduler.status().rate_limited_count <= 5, "{why}");
    assert!(device.scheduler.status().rate_limited_count <= 5, "{why}");
    // Together they still used the account well.
    assert!(
        sim.now().as_secs_f64() <= 1.15 * budget_bound(1200, 100, Duration::from_secs(60)),
        "{why}"
    );
}

#[tokio::test(start_paused = true)]
async fn when_the_other_client_stops_it_speeds_up_again() {
    let sim = Sim::new(RateProfile::enchant(), StrictServer::enchant());
    let other = sim.spawn_other(secs(0.3), secs(1.2), 1, secs(300.0));
    run_alone(&sim, 900, 4, Latency::new).await;
    other.await.unwrap();
    let why = summary(&sim);
    let server = sim.server.lock().unwrap();
    assert!(server.refused_ours() <= 3, "{why}");
    let after: Vec<u32> = server
        .windows
        .iter()
        .filter(|w| w.start > secs(420.0))
        .map(|w| w.ours)
        .collect();
    let full = &after[..after.len() - 1];
    assert!(!full.is_empty() && full.iter().all(|n| *n >= 98), "{why}");
}

#[tokio::test(start_paused = true)]
async fn a_429_holds_every_lane_for_what_retry_after_asks_and_status_shows_it() {
    let clock = FakeClock::new();
    let scheduler = Scheduler::new(RateProfile::trengo(), Arc::new(clock.clone()));
    let permit = scheduler.acquire(Lane::Background, 1).await;
    clock.advance(secs(0.1));
    let refused = Feedback::from_header_pairs(
        429,
        [
            ("X-RateLimit-Limit", "120"),
            ("X-RateLimit-Remaining", "0"),
            ("Retry-After", "7"),
        ],
    );
    scheduler.complete(permit, refused);

    let status = scheduler.status();
    assert_eq!(status.waiting_until, Some(secs(7.1)));
    assert!(status.rate_limited_wait);
    assert_eq!(status.rate_limited_count, 1);

    clock.advance(secs(3.0));
    let status = scheduler.status();
    assert_eq!(
        status.waiting_until,
        Some(secs(7.1)),
        "still waiting at 3.1 s"
    );

    let permit = drive(&clock, scheduler.acquire(Lane::Interactive, 1)).await;
    assert_eq!(permit.granted_at(), secs(7.1));
    assert_eq!(scheduler.status().waiting_until, None);
    // The window that 429 spoke of is over: budget is back (less a share for whoever
    // emptied the last one).
    assert!(scheduler.status().remaining.is_some_and(|r| r > 0));
    scheduler.complete(permit, Feedback::bare(200));
}

#[tokio::test(start_paused = true)]
async fn a_429_with_reset_and_no_retry_after_waits_for_the_reset() {
    let clock = FakeClock::new();
    let scheduler = Scheduler::new(RateProfile::enchant(), Arc::new(clock.clone()));
    let permit = scheduler.acquire(Lane::Background, 1).await;
    clock.advance(secs(0.1));
    let refused = Feedback::from_header_pairs(
        429,
        [
            ("Rate-Limit-Limit", "100"),
            ("Rate-Limit-Remaining", "0"),
            ("Rate-Limit-Used", "0"),
            ("Rate-Limit-Reset", "25"),
        ],
    );
    scheduler.complete(permit, refused);
    assert_eq!(scheduler.status().waiting_until, Some(secs(25.1)));
    let permit = drive(&clock, scheduler.acquire(Lane::Background, 1)).await;
    assert_eq!(permit.granted_at(), secs(25.1));
    drop(permit);
}

#[tokio::test(start_paused = true)]
async fn a_bare_429_backs_off_exponentially_up_to_the_cap() {
    let clock = FakeClock::new();
    let mut profile = RateProfile::unpublished();
    profile.max_retry_wait = secs(5.0);
    let scheduler = Scheduler::new(profile, Arc::new(clock.clone()));
    let mut granted = Vec::new();
    for _ in 0..5 {
        let permit = drive(&clock, scheduler.acquire(Lane::Background, 1)).await;
        granted.push(permit.granted_at());
        clock.advance(secs(0.1));
        scheduler.complete(permit, Feedback::bare(429));
    }
    let gaps: Vec<f64> = granted
        .windows(2)
        .map(|w| (w[1] - w[0]).as_secs_f64() - 0.1)
        .collect();
    for (gap, expected) in gaps.iter().zip([1.0, 2.0, 4.0, 5.0]) {
        assert!(*gap >= expected - 1e-9, "gaps {gaps:?}");
    }
    assert_eq!(scheduler.status().rate_limited_count, 5);
}

#[tokio::test(start_paused = true)]
async fn an_absurd_retry_after_is_capped() {
    let clock = FakeClock::new();
    let scheduler = Scheduler::new(RateProfile::enchant(), Arc::new(clock.clone()));
    let permit = scheduler.acquire(Lane::Background, 1).await;
    let mut refused = Feedback::bare(429);
    refused.retry_after_secs = Some(1_000_000_000);
    scheduler.complete(permit, refused);
    let cap = RateProfile::enchant().max_retry_wait;
    assert_eq!(scheduler.status().waiting_until, Some(cap));
    let permit = drive(&clock, scheduler.acquire(Lane::Background, 1)).await;
    assert_eq!(permit.granted_at(), cap);
    drop(permit);
}

#[tokio::test(start_paused = true)]
async fn lying_remaining_cannot_push_it_past_the_profile() {
    let mut server = StrictServer::enchant();
    server.lie = Some(Lie::RemainingAboveLimit);
    let sim = Sim::new(RateProfile::enchant(), server);
    run_alone(&sim, 500, 6, Latency::new).await;
    let why = summary(&sim);
    assert_eq!(sim.server.lock().unwrap().refused_ours(), 0, "{why}");
    assert_eq!(sim.scheduler.status().limit, Some(100), "{why}");
    assert!(
        sim.now().as_secs_f64() <= 1.10 * budget_bound(500, 100, Duration::from_secs(60)),
        "{why}"
    );
}

#[tokio::test(start_paused = true)]
async fn absurd_resets_stay_within_bounds() {
    let mut server = StrictServer::enchant();
    server.lie = Some(Lie::AbsurdResets);
    let sim = Sim::new(RateProfile::enchant(), server);
    run_alone(&sim, 500, 6, Latency::new).await;
    let why = summary(&sim);
    assert_eq!(sim.server.lock().unwrap().refused_ours(), 0, "{why}");
    let grants = sim.granted();
    let longest = grants.windows(2).map(|w| w[1].at - w[0].at).max().unwrap();
    assert!(longest <= secs(61.0), "longest gap {longest:?}: {why}");
    assert!(
        sim.now().as_secs_f64() <= 1.25 * budget_bound(500, 100, Duration::from_secs(60)),
        "{why}"
    );
}

#[tokio::test(start_paused = true)]
async fn a_dropped_permit_stays_spent_and_an_unsent_one_is_refunded() {
    let clock = FakeClock::new();
    let scheduler = Scheduler::new(RateProfile::enchant(), Arc::new(clock.clone()));
    let probe = scheduler.acquire(Lane::Interactive, 1).await;
    clock.advance(secs(0.05));
    let answer = |remaining: &str| {
        Feedback::from_header_pairs(
            200,
            [
                ("Rate-Limit-Limit", "100"),
                ("Rate-Limit-Remaining", remaining),
                ("Rate-Limit-Used", "1"),
                ("Rate-Limit-Reset", "60"),
            ],
        )
    };
    scheduler.complete(probe, answer("99"));
    assert_eq!(scheduler.status().remaining, Some(99));

    let lost = scheduler.acquire(Lane::Interactive, 3).await;
    assert_eq!(scheduler.status().in_flight, 1);
    drop(lost);
    let status = scheduler.status();
    assert_eq!(status.in_flight, 0);
    assert_eq!(status.remaining, Some(96), "maybe the server counted it");

    // A count sent after the drop covers it: the server never saw it. Own spending stays
    // conservative until that server window is over.
    let next = scheduler.acquire(Lane::Interactive, 1).await;
    clock.advance(secs(0.05));
    scheduler.complete(next, answer("98"));
    assert_eq!(scheduler.status().remaining, Some(95));

    let unsent = scheduler.acquire(Lane::Interactive, 2).await;
    scheduler.return_unsent(unsent);
    let status = scheduler.status();
    assert_eq!(status.remaining, Some(95), "all given back");
    assert_eq!(
        status.requests_sent, 3,
        "probe, lost, next; not the unsent one"
    );

    clock.advance(secs(60.0));
    assert_eq!(scheduler.status().remaining, Some(100));
}

#[tokio::test(start_paused = true)]
async fn a_cancelled_wait_leaves_the_queue() {
    let clock = FakeClock::new();
    let scheduler = Scheduler::new(RateProfile::enchant(), Arc::new(clock.clone()));
    let permit = scheduler.acquire(Lane::Background, 1).await;
    let mut refused = Feedback::bare(429);
    refused.retry_after_secs = Some(30);
    scheduler.complete(permit, refused);
    let waiting = {
        let scheduler = scheduler.clone();
        tokio::spawn(async move { scheduler.acquire(Lane::Interactive, 1).await })
    };
    tokio::task::yield_now().await;
    assert_eq!(scheduler.status().queued, 1);
    waiting.abort();
    let _ = waiting.await;
    assert_eq!(scheduler.status().queued, 0);
    let permit = drive(&clock, scheduler.acquire(Lane::Background, 1)).await;
    assert_eq!(permit.granted_at(), secs(30.0));
    drop(permit);
}

#[tokio::test(start_paused = true)]
async fn a_request_costing_more_than_a_window_waits_for_a_whole_window() {
    let sim = Sim::new(RateProfile::enchant(), StrictServer::enchant());
    let mut latency = Latency::new(1);
    let first = drive(&sim.clock, sim.request(Lane::Background, 30, &mut latency)).await;
    assert_eq!(first, 200);
    let huge = drive(&sim.clock, sim.scheduler.acquire(Lane::Background, 250)).await;
    assert!(huge.granted_at() >= secs(60.0), "{:?}", huge.granted_at());
    drop(huge);
}

#[tokio::test(start_paused = true)]
async fn short_windows_like_the_demo_helpdesk_work_too() {
    // deck-sim's demo: 100 credits per second, 50 requests per second, over loopback.
    let profile = RateProfile {
        credits_per_window: Some(100),
        window: Duration::from_secs(1),
        burst_per_second: Some(50),
        max_retry_wait: Duration::from_secs(10),
    };
    let server = StrictServer::new(100, Duration::from_secs(1), Some(50), Headers::Enchant);
    let sim = Sim::new(profile, server);
    let work = workload(3000);
    let requests = work.lock().unwrap().len() as f64;
    let handles = sim.spawn_workers(Lane::Background, 8, &work, Latency::loopback);
    sim.join(handles).await;
    sim.server.lock().unwrap().finish();
    let why = summary(&sim);
    assert_eq!(sim.server.lock().unwrap().refused_ours(), 0, "{why}");
    // Here the burst limit binds, not the credits.
    let bound = (3000.0 / 100.0_f64).max(requests / 50.0);
    assert!(sim.now().as_secs_f64() <= 1.10 * bound, "{why}");
}
