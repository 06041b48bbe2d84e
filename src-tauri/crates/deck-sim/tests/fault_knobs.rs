//! The knobs the rate-limit scheduler's tests and benchmark turn: another client spending
//! the same account's credits, injected 429s, dropped connections, malformed bodies, broken
//! paging, lying headers, and the per-request credit log.

use std::time::Duration;

use deck_sim::{CreditRecord, HeaderLies, RunningSim, SimConfig, start};
use reqwest::header::{CONTENT_TYPE, HeaderMap, RETRY_AFTER};
use reqwest::{Client, StatusCode};
use serde_json::{Value, json};

fn config(credits: u32, window: Duration, burst: u32) -> SimConfig {
    SimConfig {
        tickets: 40,
        credits_per_window: credits,
        window,
        burst_per_second: burst,
        ..SimConfig::default()
    }
}

/// Limits that never get in the way.
fn roomy() -> SimConfig {
    config(1_000_000, Duration::from_secs(60), 1_000_000)
}

async fn sim(config: SimConfig) -> RunningSim {
    start(config, "127.0.0.1:0".parse().unwrap()).await.unwrap()
}

/// A client that fails a hung request instead of hanging the test.
fn client() -> Client {
    Client::builder()
        .timeout(Duration::from_secs(20))
        .build()
        .unwrap()
}

struct Answer {
    status: StatusCode,
    headers: HeaderMap,
    raw: String,
}

impl Answer {
    fn text(&self, name: &str) -> Option<String> {
        Some(self.headers.get(name)?.to_str().ok()?.to_string())
    }

    fn number(&self, name: &str) -> i64 {
        self.text(name)
            .and_then(|v| v.parse().ok())
            .unwrap_or_else(|| panic!("no numeric {name} on {}", self.status))
    }

    fn remaining(&self) -> i64 {
        self.number("Rate-Limit-Remaining")
    }

    fn json(&self) -> Value {
        serde_json::from_str(&self.raw).unwrap_or_else(|e| panic!("bad JSON {:?}: {e}", self.raw))
    }

    fn ids(&self) -> Vec<String> {
        self.json()
            .as_array()
            .unwrap()
            .iter()
            .map(|t| t["id"].as_str().unwrap().to_string())
            .collect()
    }
}

async fn answer(request: reqwest::RequestBuilder) -> Answer {
    let r = request.send().await.expect("an HTTP answer");
    Answer {
        status: r.status(),
        headers: r.headers().clone(),
        raw: r.text().await.unwrap(),
    }
}

async fn get(sim: &RunningSim, path: &str, query: &[(&str, &str)]) -> Answer {
    answer(
        client()
            .get(format!("{}{path}", sim.base_url()))
            .bearer_auth(sim.token())
            .query(query),
    )
    .await
}

fn note_request(sim: &RunningSim, ticket: &str, user: &str, body: &str) -> reqwest::RequestBuilder {
    client()
        .post(format!("{}/tickets/{ticket}/messages", sim.base_url()))
        .bearer_auth(sim.token())
        .json(&json!({"type": "note", "body": body, "user_id": user}))
}

fn has_note(sim: &RunningSim, ticket: &str, body: &str) -> bool {
    sim.with_dataset(|d| d.messages[ticket].iter().any(|m| m.body == body))
}

#[tokio::test]
async fn other_client_spends_its_share_through_the_same_limiter() {
    // 250 credits per 5 s window; half of it is 25 credits a second, one every 40 ms.
    let sim = sim(config(250, Duration::from_secs(5), 1000)).await;
    let first = get(&sim, "/users", &[]).await;
    assert_eq!(first.status, StatusCode::OK);
    assert_eq!(first.remaining(), 249);

    let other = sim.start_other_client(0.5);
    assert_eq!(other.period(), Some(Duration::from_millis(40)));
    tokio::time::sleep(Duration::from_millis(800)).await;
    let spent = other.credits_spent();
    let second = get(&sim, "/users", &[]).await;
    assert_eq!(second.status, StatusCode::OK);
    let mine = 2;
    assert!(
        second.remaining() <= 250 - mine - 10,
        "remaining {} fell by no more than our own spending",
        second.remaining()
    );
    // Even pace: never more than one credit per 40 ms since it started.
    assert!((10..=22).contains(&spent), "spent {spent} in 0.8 s");
    assert_eq!(
        sim.credits_spent(),
        2,
        "its credits are not the HTTP clients'"
    );
    let log = sim.credit_log();
    let theirs: u32 = log
        .iter()
        .filter(|r| r.other_client)
        .map(|r| r.credits)
        .sum();
    assert!(u64::from(theirs) >= spent);

    other.stop();
    let stopped_at = sim.credit_log().iter().filter(|r| r.other_client).count();
    tokio::time::sleep(Duration::from_millis(300)).await;
    let after = sim.credit_log().iter().filter(|r| r.other_client).count();
    assert_eq!(stopped_at, after, "a stopped other client spends nothing");
    sim.shutdown().await;
}

#[tokio::test]
async fn other_client_makes_real_requests_run_out_and_stops_when_dropped() {
    // 60 credits per 3 s window, all of them spent by the other client: one every 50 ms.
    let sim = sim(config(60, Duration::from_secs(3), 1000)).await;
    let http = client();
    let users = || {
        http.get(format!("{}/users", sim.base_url()))
            .bearer_auth(sim.token())
    };
    {
        let other = sim.start_other_client(1.0);
        assert_eq!(other.period(), Some(Duration::from_millis(50)));
        tokio::time::sleep(Duration::from_millis(300)).await;
        // Keep asking until the shared budget is gone: before our own 60 credits are.
        let mut ours = 0;
        let refused = loop {
            let a = answer(users()).await;
            if a.status == StatusCode::TOO_MANY_REQUESTS {
                break a;
            }
            ours += 1;
            assert!(
                ours < 60,
                "never limited although the other client spends too"
            );
        };
        assert_eq!(refused.remaining(), 0);
        assert!(other.credits_spent() >= 3);
        assert_eq!(sim.rate_limited_count(), 1);
    }
    let count = || sim.credit_log().iter().filter(|r| r.other_client).count();
    let dropped_at = count();
    tokio::time::sleep(Duration::from_millis(250)).await;
    assert_eq!(count(), dropped_at, "a dropped other client spends nothing");

    // A zero share spends nothing at all.
    let idle = sim.start_other_client(0.0);
    assert_eq!(idle.period(), None);
    tokio::time::sleep(Duration::from_millis(100)).await;
    assert_eq!(idle.credits_spent(), 0);
    sim.shutdown().await;
}

#[tokio::test]
async fn other_client_respects_the_burst_limit() {
    // A share of 1 of 1000 credits per second would be 1000 a second; the burst of 10 per
    // second caps it at 10 per second.
    let sim = sim(config(1000, Duration::from_secs(1), 10)).await;
    let other = sim.start_other_client(1.0);
    assert_eq!(other.period(), Some(Duration::from_millis(100)));
    tokio::time::sleep(Duration::from_millis(1050)).await;
    let spent = other.credits_spent();
    assert!((5..=12).contains(&spent), "spent {spent} in about a second");
    assert_eq!(other.refused(), 0);
    drop(other);
    sim.shutdown().await;
}

#[tokio::test]
async fn injected_rate_limits_answer_429_with_headers_and_optional_retry_after() {
    let sim = sim(roomy()).await;
    sim.inject_rate_limits(2, None);
    for _ in 0..2 {
        let a = get(&sim, "/users", &[]).await;
        assert_eq!(a.status, StatusCode::TOO_MANY_REQUESTS);
        assert_eq!(a.json(), json!({"message": "Too Many Requests"}));
        assert_eq!(a.text("content-type").as_deref(), Some("application/json"));
        assert_eq!(a.number("Rate-Limit-Used"), 0);
        assert_eq!(a.number("Rate-Limit-Limit"), 1_000_000);
        assert_eq!(a.remaining(), 1_000_000);
        assert!(a.number("Rate-Limit-Reset") >= 1);
        assert!(a.headers.get(RETRY_AFTER).is_none());
    }
    assert_eq!(sim.rate_limited_count(), 2);
    assert_eq!(get(&sim, "/users", &[]).await.status, StatusCode::OK);

    // Unauthenticated requests do not use them up.
    sim.inject_rate_limits(1, Some(7));
    let anonymous = answer(client().get(format!("{}/users", sim.base_url()))).await;
    assert_eq!(anonymous.status, StatusCode::UNAUTHORIZED);
    let a = get(&sim, "/users", &[]).await;
    assert_eq!(a.status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(a.text("retry-after").as_deref(), Some("7"));
    assert_eq!(sim.rate_limited_count(), 3);

    // Enveloped: the 429 and Retry-After are inside.
    sim.inject_rate_limits(1, Some(3));
    let a = get(&sim, "/users", &[("envelope", "true")]).await;
    assert_eq!(a.status, StatusCode::OK);
    let body = a.json();
    assert_eq!(body["status"], 429);
    assert_eq!(body["headers"]["Retry-After"], 3);
    assert_eq!(body["response"], json!({"message": "Too Many Requests"}));
    assert_eq!(sim.credits_spent(), 1);
    sim.shutdown().await;
}

#[tokio::test]
async fn dropped_connections_close_without_an_answer_and_do_no_work() {
    let sim = sim(roomy()).await;
    let data = sim.dataset();
    let ticket = data.tickets[0].id.clone();
    let user = data.users[0].id.clone();

    sim.drop_connections(2, false);
    for i in 0..2 {
        let body = format!("lost note {i}");
        let error = note_request(&sim, &ticket, &user, &body)
            .send()
            .await
            .expect_err("a dropped connection, not an answer");
        assert!(!error.is_timeout(), "{error:?}");
        assert!(error.status().is_none(), "{error:?}");
        assert!(!has_note(&sim, &ticket, &body), "nothing was processed");
    }
    assert_eq!(sim.credits_spent(), 0);
    assert_eq!(sim.requests_served(), 0);
    let log = sim.credit_log();
    assert_eq!(log.len(), 2);
    assert!(log.iter().all(|r| r.status.is_none() && r.credits == 0));

    // The next request is answered, on a fresh connection.
    let a = answer(note_request(&sim, &ticket, &user, "kept note")).await;
    assert_eq!(a.status, StatusCode::CREATED, "{}", a.raw);
    assert!(has_note(&sim, &ticket, "kept note"));
    sim.shutdown().await;
}

#[tokio::test]
async fn connections_dropped_after_work_commit_the_write_first() {
    let sim = sim(roomy()).await;
    let data = sim.dataset();
    let ticket = data.tickets[3].id.clone();
    let user = data.users[0].id.clone();
    let before = data.messages[&ticket].len();

    sim.drop_connections(1, true);
    let error = note_request(&sim, &ticket, &user, "committed, answer lost")
        .send()
        .await
        .expect_err("a dropped connection, not an answer");
    assert!(error.is_request(), "{error:?}");
    assert!(!error.is_timeout(), "{error:?}");
    assert!(error.status().is_none(), "{error:?}");
    assert!(has_note(&sim, &ticket, "committed, answer lost"));
    assert_eq!(sim.with_dataset(|d| d.messages[&ticket].len()), before + 1);
    assert_eq!(sim.credits_spent(), 1);
    assert_eq!(sim.requests_served(), 1);
    assert_eq!(
        sim.credit_log(),
        vec![CreditRecord {
            at: sim.credit_log()[0].at,
            credits: 1,
            other_client: false,
            status: Some(201),
        }]
    );

    // A GET dropped after work spends its credit too; then answers resume.
    sim.drop_connections(1, true);
    let error = client()
        .get(format!("{}/users", sim.base_url()))
        .bearer_auth(sim.token())
        .send()
        .await
        .expect_err("a dropped connection");
    assert!(!error.is_timeout(), "{error:?}");
    assert_eq!(sim.credits_spent(), 2);
    assert_eq!(get(&sim, "/users", &[]).await.status, StatusCode::OK);
    sim.shutdown().await;
}

#[tokio::test]
async fn dropped_connections_apply_after_a_response_delay_and_spare_pooled_clients() {
    let sim = sim(roomy()).await;
    // One client, as an app has: its pooled keep-alive connection is the one dropped.
    let shared = client();
    let users = || {
        shared
            .get(format!("{}/users", sim.base_url()))
            .bearer_auth(sim.token())
    };
    assert_eq!(answer(users()).await.status, StatusCode::OK);
    sim.set_response_delay(Duration::from_millis(200));
    sim.drop_connections(1, false);
    let started = std::time::Instant::now();
    let error = users().send().await.expect_err("a dropped connection");
    assert!(!error.is_timeout(), "{error:?}");
    assert!(started.elapsed() >= Duration::from_millis(200));
    sim.set_response_delay(Duration::ZERO);
    for _ in 0..3 {
        assert_eq!(answer(users()).await.status, StatusCode::OK);
    }
    assert_eq!(sim.requests_served(), 4);
    sim.shutdown().await;
}

#[tokio::test]
async fn malformed_bodies_replace_the_next_successful_gets() {
    let sim = sim(roomy()).await;
    let data = sim.dataset();
    let ticket = data.tickets[0].id.clone();
    let user = data.users[0].id.clone();
    let broken = "{\"id\": \"abc\", \"subject\": [unterminated";
    sim.serve_malformed(2, broken);

    // Failed GETs and writes are untouched and do not use up the count.
    let missing = get(&sim, "/tickets/nope", &[]).await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    assert_eq!(missing.json(), json!({"message": "Not Found"}));
    let note = answer(note_request(&sim, &ticket, &user, "a note")).await;
    assert_eq!(note.status, StatusCode::CREATED);
    assert!(note.json()["id"].is_string());

    let a = get(&sim, "/tickets", &[]).await;
    assert_eq!((a.status, a.raw.as_str()), (StatusCode::OK, broken));
    assert_eq!(a.text("content-type").as_deref(), Some("application/json"));
    assert_eq!(a.number("Rate-Limit-Used"), 1);
    let a = get(&sim, &format!("/tickets/{ticket}"), &[("envelope", "true")]).await;
    assert_eq!((a.status, a.raw.as_str()), (StatusCode::OK, broken));

    let a = get(&sim, "/tickets", &[]).await;
    assert_eq!(a.status, StatusCode::OK);
    assert!(a.json().is_array());
    assert_eq!(sim.credits_spent(), 4);
    sim.shutdown().await;
}

#[tokio::test]
async fn repeated_pages_answer_the_previous_page_again() {
    let sim = sim(roomy()).await;
    let page = |n: u32| {
        let n = n.to_string();
        let sim = &sim;
        async move {
            let a = get(sim, "/tickets", &[("per_page", "5"), ("page", &n)]).await;
            assert_eq!(a.status, StatusCode::OK, "{}", a.raw);
            a.ids()
        }
    };
    let real: Vec<Vec<String>> = vec![page(1).await, page(2).await, page(3).await];
    assert_ne!(real[0], real[1]);

    sim.repeat_pages(true);
    assert_eq!(
        page(2).await,
        real[1],
        "the first page asked is the real one"
    );
    assert_eq!(page(3).await, real[1], "then it repeats");
    assert_eq!(page(1).await, real[1]);
    // Errors stay errors.
    let bad = get(&sim, "/tickets", &[("per_page", "5000")]).await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    // Other lists are not affected.
    assert!(get(&sim, "/users", &[]).await.json().is_array());

    sim.repeat_pages(false);
    assert_eq!(page(3).await, real[2]);
    sim.shutdown().await;
}

#[tokio::test]
async fn header_lies_corrupt_headers_but_not_enforcement() {
    let sim = sim(config(4, Duration::from_secs(30), 1000)).await;

    sim.set_header_lies(HeaderLies::RemainingJumpsUp);
    for _ in 0..4 {
        let a = get(&sim, "/users", &[]).await;
        assert_eq!(a.status, StatusCode::OK);
        assert_eq!(a.remaining(), 4, "claims the full budget");
        assert_eq!(a.number("Rate-Limit-Used"), 1);
    }
    let a = get(&sim, "/users", &[]).await;
    assert_eq!(
        a.status,
        StatusCode::TOO_MANY_REQUESTS,
        "the real limit holds"
    );
    assert_eq!(a.remaining(), 4);

    sim.set_header_lies(HeaderLies::NegativeReset);
    let a = get(&sim, "/users", &[]).await;
    assert!((-30..=-1).contains(&a.number("Rate-Limit-Reset")));
    assert_eq!(a.remaining(), 0);
    let enveloped = get(&sim, "/users", &[("envelope", "true")]).await.json();
    assert!(enveloped["headers"]["Rate-Limit-Reset"].as_i64().unwrap() < 0);

    sim.set_header_lies(HeaderLies::HugeReset);
    let a = get(&sim, "/users", &[]).await;
    assert_eq!(a.number("Rate-Limit-Reset"), HeaderLies::HUGE_RESET as i64);

    sim.set_header_lies(HeaderLies::Missing);
    let a = get(&sim, "/users", &[]).await;
    assert_eq!(a.status, StatusCode::TOO_MANY_REQUESTS);
    for name in [
        "Rate-Limit-Limit",
        "Rate-Limit-Remaining",
        "Rate-Limit-Used",
        "Rate-Limit-Reset",
    ] {
        assert!(a.headers.get(name).is_none(), "{name} present");
    }
    let enveloped = get(&sim, "/users", &[("envelope", "true")]).await.json();
    assert_eq!(enveloped["headers"], json!({}));

    sim.set_header_lies(HeaderLies::Garbage);
    let a = get(&sim, "/users", &[]).await;
    let reset = a.text("Rate-Limit-Reset").unwrap();
    assert!(reset.parse::<i64>().is_err(), "{reset}");
    assert!(
        a.text("Rate-Limit-Remaining")
            .unwrap()
            .parse::<i64>()
            .is_err()
    );

    sim.set_header_lies(HeaderLies::None);
    let a = get(&sim, "/users", &[]).await;
    assert_eq!(a.remaining(), 0);
    assert!((1..=30).contains(&a.number("Rate-Limit-Reset")));
    assert_eq!(a.headers.get(CONTENT_TYPE).unwrap(), "application/json");
    sim.shutdown().await;
}

#[tokio::test]
async fn credit_log_records_every_request_and_resets_with_the_counters() {
    let sim = sim(config(3, Duration::from_secs(30), 1000)).await;
    get(&sim, "/users", &[]).await;
    tokio::time::sleep(Duration::from_millis(30)).await;
    let ticket = sim.dataset().tickets[0].id.clone();
    get(
        &sim,
        &format!("/tickets/{ticket}"),
        &[("embed", "customer")],
    )
    .await;
    get(&sim, "/users", &[]).await; // 429: the three credits are spent
    get(&sim, "/users", &[]).await; // 429
    answer(client().get(format!("{}/users", sim.base_url()))).await; // 401

    let log = sim.credit_log();
    let summary: Vec<(u32, bool, Option<u16>)> = log
        .iter()
        .map(|r| (r.credits, r.other_client, r.status))
        .collect();
    assert_eq!(
        summary,
        vec![
            (1, false, Some(200)),
            (2, false, Some(200)),
            (0, false, Some(429)),
            (0, false, Some(429)),
            (0, false, Some(401)),
        ]
    );
    assert!(log.windows(2).all(|w| w[0].at <= w[1].at));
    assert!(log[1].at >= log[0].at + Duration::from_millis(30));
    assert_eq!(sim.credits_spent(), 3);
    assert_eq!(sim.rate_limited_count(), 2);
    assert_eq!(sim.requests_served(), 5);
    let spent: u32 = log.iter().map(|r| r.credits).sum();
    assert_eq!(u64::from(spent), sim.credits_spent());

    sim.reset_counters();
    assert_eq!(
        (
            sim.requests_served(),
            sim.credits_spent(),
            sim.rate_limited_count()
        ),
        (0, 0, 0)
    );
    assert!(sim.credit_log().is_empty());
    // The limiter is untouched: the window's credits are still spent.
    let a = get(&sim, "/users", &[]).await;
    assert_eq!(a.status, StatusCode::TOO_MANY_REQUESTS);
    let log = sim.credit_log();
    assert_eq!(log.len(), 1);
    assert!(log[0].at < Duration::from_secs(5));
    sim.shutdown().await;
}

#[tokio::test]
async fn the_binary_takes_the_knobs_as_flags() {
    use std::io::{BufRead, BufReader};
    use std::process::{Command, Stdio};
    let mut child = Command::new(env!("CARGO_BIN_EXE_deck-sim"))
        .args([
            "--port",
            "0",
            "--tickets",
            "30",
            "--credits",
            "1000",
            "--burst",
            "1000",
            "--other-client-share",
            "0.9",
            "--header-lies",
            "huge-reset",
            "--repeat-pages",
            "--response-delay-ms",
            "10",
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let base = lines.next().unwrap().unwrap();
    let base = base.strip_prefix("base_url=").unwrap().to_string();
    let ask = |page: &str| {
        client()
            .get(format!("{base}/tickets"))
            .bearer_auth("sim-token")
            .query(&[("per_page", "5"), ("page", page)])
    };
    let first = answer(ask("1")).await;
    assert_eq!(first.status, StatusCode::OK);
    assert_eq!(
        first.number("Rate-Limit-Reset"),
        HeaderLies::HUGE_RESET as i64
    );
    // 900 credits a minute: 15 a second.
    tokio::time::sleep(Duration::from_millis(700)).await;
    let second = answer(ask("2")).await;
    assert_eq!(second.ids(), first.ids(), "paging is broken");
    assert!(
        second.remaining() <= first.remaining() - 1 - 4,
        "{} then {}",
        first.remaining(),
        second.remaining()
    );
    child.kill().unwrap();
    child.wait().unwrap();
}
