//! Shared setup for the CLI's test binaries: a simulated Enchant, a fresh data dir and the real
//! `ticketdeck` binary.

#![allow(dead_code)]

use deck_sim::{RunningSim, SimConfig};
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::Duration;
use tempfile::TempDir;

pub const TOKEN_VAR: &str = "TICKETDECK_TEST_TOKEN";

/// A simulated Enchant with `tickets` tickets accepting `token`, and an empty data dir (the
/// `TempDir` must outlive the test's use of the path).
pub async fn helpdesk(tickets: usize, token: &str) -> (RunningSim, TempDir, PathBuf) {
    let config = SimConfig {
        seed: 23,
        tickets,
        token: token.into(),
        window: Duration::from_secs(1),
        ..SimConfig::default()
    };
    let sim = deck_sim::start(config, ([127, 0, 0, 1], 0).into())
        .await
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    (sim, dir, data)
}

pub fn ticketdeck(data: &Path, token: &str, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_ticketdeck"))
        .arg("--data-dir")
        .arg(data)
        .args(args)
        .env(TOKEN_VAR, token)
        .stdin(Stdio::null())
        .output()
        .unwrap()
}

pub fn ok(out: Output) -> String {
    assert!(
        out.status.success(),
        "ticketdeck failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

pub fn add_account(data: &Path, url: &str, token: &str) {
    ok(ticketdeck(
        data,
        token,
        &[
            "accounts",
            "add",
            "enchant",
            "acme",
            "--base-url",
            url,
            "--token-env",
            TOKEN_VAR,
            // The simulator's limits: a one-second window.
            "--rate-limit",
            "100/1,6",
        ],
    ));
}

/// Every record of a resource, following `next_cursor` page by page.
pub fn list_all(data: &Path, resource: &str, extra: &[&str], limit: usize) -> Vec<Value> {
    let mut cursor: Option<String> = None;
    let mut all = Vec::new();
    loop {
        let limit = limit.to_string();
        let mut args = vec!["list", resource, "--limit", &limit];
        args.extend_from_slice(extra);
        if let Some(c) = &cursor {
            args.extend_from_slice(&["--cursor", c]);
        }
        let page: Value = serde_json::from_str(&ok(ticketdeck(data, "", &args))).unwrap();
        all.extend(page["result"].as_array().unwrap().iter().cloned());
        match page["next_cursor"].as_str() {
            Some(c) => cursor = Some(c.to_string()),
            None => return all,
        }
    }
}

pub fn one_line_error(out: &Output) -> String {
    assert!(!out.status.success(), "expected a failure");
    let err = String::from_utf8_lossy(&out.stderr).trim().to_string();
    assert_eq!(err.lines().count(), 1, "one line on stderr: {err}");
    err
}
