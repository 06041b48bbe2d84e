//! `ticketdeck` end to end against the simulated Enchant: a real HTTP server, a real SQLite
//! file, the real binary. Keychain tests need a Secret Service (the test command runs one).

mod support;

use deck_sim::enchant::MessageType;
use serde_json::Value;
use std::collections::{BTreeSet, HashMap};
use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Command, Stdio};
use support::*;

/// The cache matches the helpdesk: the same tickets, and each ticket's comments are its
/// messages, notes internal and replies not.
fn assert_cache_matches(data: &Path, truth: &deck_sim::Dataset) {
    let tickets = list_all(data, "tickets", &[], 7);
    let ids: Vec<&str> = tickets.iter().map(|t| t["id"].as_str().unwrap()).collect();
    let unique: BTreeSet<&str> = ids.iter().copied().collect();
    assert_eq!(ids.len(), unique.len(), "no ticket twice");
    let expected: BTreeSet<&str> = truth.tickets.iter().map(|t| t.id.as_str()).collect();
    assert_eq!(unique, expected, "exactly the helpdesk's tickets");
    for t in &truth.tickets {
        let filter = format!("ticket_id={}", t.id);
        let comments = list_all(data, "comments", &["--filter", &filter], 50);
        let by_id: HashMap<&str, &Value> = comments
            .iter()
            .map(|c| (c["id"].as_str().unwrap(), c))
            .collect();
        let messages = &truth.messages[&t.id];
        assert_eq!(by_id.len(), messages.len(), "comments of ticket {}", t.id);
        for m in messages {
            let c = by_id[m.id.as_str()];
            assert_eq!(
                c["is_internal"].as_bool(),
                Some(m.kind == MessageType::Note),
                "message {}",
                m.id
            );
            assert_eq!(c["ticket"]["id"].as_str(), Some(t.id.as_str()));
        }
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn sync_then_list_pages_through_exactly_the_helpdesks_tickets() {
    let (sim, _dir, data) = helpdesk(45, "tok-list-3f9").await;
    add_account(&data, &sim.base_url(), sim.token());
    let out = ticketdeck(&data, sim.token(), &["sync", "--json"]);
    let lines = ok(out);
    let steps: Vec<Value> = lines
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert!(
        steps
            .iter()
            .any(|s| s["resource"] == "comments" && s["phase"] == "done")
    );
    assert_eq!(steps.last().unwrap()["phase"], "done");
    assert_cache_matches(&data, &sim.dataset());

    let one: Value = serde_json::from_str(&ok(ticketdeck(
        &data,
        "",
        &["get", "tickets", &sim.dataset().tickets[0].id],
    )))
    .unwrap();
    assert!(
        one["remote_data"]["state"].is_string(),
        "the raw record is kept"
    );
    let statuses = list_all(&data, "ticket_status", &[], 100);
    assert!(statuses.iter().any(|s| s["name"] == "pending"));
    let err = one_line_error(&ticketdeck(&data, "", &["get", "tickets", "nope"]));
    assert!(err.contains("not_found"), "{err}");
    let err = one_line_error(&ticketdeck(
        &data,
        "",
        &["list", "comments", "--filter", "colour=red"],
    ));
    assert!(err.contains("ticket_id"), "{err}");
    sim.shutdown().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_wrong_token_leaves_no_account_and_plain_http_is_refused() {
    let (sim, _dir, data) = helpdesk(5, "tok-right-88").await;
    let out = ticketdeck(
        &data,
        "tok-wrong-77",
        &[
            "accounts",
            "add",
            "enchant",
            "acme",
            "--base-url",
            &sim.base_url(),
            "--token-env",
            TOKEN_VAR,
        ],
    );
    let err = one_line_error(&out);
    assert!(
        err.contains("auth_failed") && !err.contains("tok-wrong-77"),
        "{err}"
    );
    assert_eq!(
        ok(ticketdeck(&data, "", &["accounts", "list"])).trim(),
        "[]"
    );

    let out = ticketdeck(
        &data,
        "x",
        &[
            "accounts",
            "add",
            "enchant",
            "far",
            "--base-url",
            "http://helpdesk.example.com/api/v1",
            "--token-env",
            TOKEN_VAR,
        ],
    );
    let err = one_line_error(&out);
    assert!(err.contains("refused") && err.contains("loopback"), "{err}");
    sim.shutdown().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn an_unreachable_helpdesk_fails_the_sync_and_the_cache_stays_browsable() {
    let (sim, _dir, data) = helpdesk(12, "tok-off-1").await;
    add_account(&data, &sim.base_url(), sim.token());
    ok(ticketdeck(&data, sim.token(), &["sync"]));
    let truth = sim.dataset();
    sim.shutdown().await;

    let err = one_line_error(&ticketdeck(&data, "tok-off-1", &["sync"]));
    assert!(err.contains("offline"), "{err}");
    let err = one_line_error(&ticketdeck(
        &data,
        "tok-off-1",
        &["accounts", "test", "acme"],
    ));
    assert!(err.contains("offline"), "{err}");
    assert_cache_matches(&data, &truth);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_sync_killed_midway_resumes_without_refetching_or_duplicating() {
    let tickets = 60;
    let (sim, _dir, data) = helpdesk(tickets, "tok-kill-5").await;
    add_account(&data, &sim.base_url(), sim.token());

    let mut child = Command::new(env!("CARGO_BIN_EXE_ticketdeck"))
        .arg("--data-dir")
        .arg(&data)
        .args(["sync", "--json"])
        .env(TOKEN_VAR, sim.token())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    for line in BufReader::new(stdout).lines() {
        let step: Value = serde_json::from_str(&line.unwrap()).unwrap();
        if step["resource"] == "comments" && step["done"].as_u64() >= Some(20) {
            break;
        }
    }
    child.kill().unwrap(); // SIGKILL: no chance to clean up.
    child.wait().unwrap();

    let before = sim.requests_served();
    ok(ticketdeck(&data, sim.token(), &["sync"]));
    let rerun = sim.requests_served() - before;
    // The rerun lists again (users, labels, inboxes, customers, one ticket page) and fetches
    // only the threads not stored before the kill.
    assert!(
        rerun <= (tickets as u64 - 20) + 8,
        "the rerun made {rerun} requests"
    );
    assert_cache_matches(&data, &sim.dataset());
    sim.shutdown().await;
}

/// Adding an account with a token puts it in the OS keychain: its text appears in no file under
/// the data dir (database, WAL, anything).
#[tokio::test(flavor = "multi_thread")]
async fn a_keychain_token_appears_nowhere_under_the_data_dir() {
    let token = "tok-secret-6c1d2e9a7b";
    let (sim, _dir, data) = helpdesk(8, token).await;
    let mut child = Command::new(env!("CARGO_BIN_EXE_ticketdeck"))
        .arg("--data-dir")
        .arg(&data)
        .args([
            "accounts",
            "add",
            "enchant",
            "vault",
            "--base-url",
            &sim.base_url(),
        ])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(format!("{token}\n").as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    ok(out);
    ok(ticketdeck(&data, "", &["sync"]));
    ok(ticketdeck(&data, "", &["accounts", "test", "vault"]));

    let mut files = 0;
    let mut stack = vec![data.clone()];
    while let Some(p) = stack.pop() {
        for entry in std::fs::read_dir(&p).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else {
                files += 1;
                let bytes = std::fs::read(&path).unwrap();
                assert!(
                    !bytes.windows(token.len()).any(|w| w == token.as_bytes()),
                    "the token is in {}",
                    path.display()
                );
            }
        }
    }
    assert!(files >= 1);
    ok(ticketdeck(&data, "", &["accounts", "remove", "vault"]));
    sim.shutdown().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_second_sync_fetches_only_what_changed() {
    // 150 tickets: a full listing takes two pages, a changes listing one.
    let (sim, _dir, data) = helpdesk(150, "tok-incr-2").await;
    add_account(&data, &sim.base_url(), sim.token());
    ok(ticketdeck(&data, sim.token(), &["sync"]));
    let full = sim.credits_spent();

    let changed = sim.change_tickets(3);
    let before = sim.credits_spent();
    ok(ticketdeck(&data, sim.token(), &["sync"]));
    let spent = sim.credits_spent() - before;
    // Each changed thread costs 2 credits (the ticket with its messages embedded), and the
    // tickets changed since the last sync fit one page. Users and customers, which have no
    // change filter, wait for their hourly sweep.
    assert!(
        spent <= 3 * 2 + 1,
        "the incremental sync spent {spent} credits (the full one {full})"
    );
    for id in &changed {
        let t: Value =
            serde_json::from_str(&ok(ticketdeck(&data, "", &["get", "tickets", id]))).unwrap();
        assert!(t["name"].as_str().unwrap().ends_with("(edited)"), "{t}");
    }
    assert_cache_matches(&data, &sim.dataset());
    sim.shutdown().await;
}
