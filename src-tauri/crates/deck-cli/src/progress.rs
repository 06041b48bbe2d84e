//! Sync progress: a progress bar on a terminal, one JSON object a line with `--json`, and
//! nothing otherwise, so a script sees exactly one line on stderr when something fails.

use deck_core::Events;
use deck_core::views::{SyncPhase, SyncProgress};
use indicatif::{ProgressBar, ProgressStyle};
use std::io::IsTerminal;
use std::sync::Mutex;

pub struct CliEvents {
    json: bool,
    bar: Mutex<Option<ProgressBar>>,
}

impl CliEvents {
    pub fn new(json: bool) -> Self {
        CliEvents {
            json,
            bar: Mutex::new(None),
        }
    }

    /// Clears the bar, if one is showing.
    pub fn finish(&self) {
        if let Some(bar) = self.bar.lock().unwrap_or_else(|e| e.into_inner()).take() {
            bar.finish_and_clear();
        }
    }
}

impl Events for CliEvents {
    fn sync_progress(&self, p: &SyncProgress) {
        if self.json {
            println!("{}", serde_json::to_string(p).expect("serializes"));
            return;
        }
        if !std::io::stderr().is_terminal() {
            return;
        }
        let mut slot = self.bar.lock().unwrap_or_else(|e| e.into_inner());
        let bar = slot.get_or_insert_with(|| {
            let bar = ProgressBar::new(0);
            bar.set_style(
                ProgressStyle::with_template("{spinner} {msg:40} [{bar:30}] {pos}/{len} {prefix}")
                    .expect("valid template")
                    .progress_chars("=> "),
            );
            bar.enable_steady_tick(std::time::Duration::from_millis(120));
            bar
        });
        if p.phase == SyncPhase::Waiting {
            bar.set_prefix(waiting_text(p.message.as_deref()));
        }
        if p.resource == "all" {
            return;
        }
        if p.phase != SyncPhase::Waiting {
            bar.set_prefix(time_left_text(p));
        }
        bar.set_message(format!("{}: {}", p.account_name, p.resource));
        bar.set_length(p.total.unwrap_or(p.done));
        bar.set_position(p.done);
        if matches!(p.phase, SyncPhase::Done | SyncPhase::Failed) {
            let status = match (&p.phase, &p.message) {
                (SyncPhase::Failed, Some(m)) => format!("failed: {m}"),
                _ => format!("{} synced", p.done),
            };
            bar.println(format!("{}: {} {}", p.account_name, p.resource, status));
        }
    }
}

/// "about 4 min left · budget 63/100", from the estimate the budget gives (not from the bar's
/// own speed, which a rate-limit wait would throw off).
fn time_left_text(p: &SyncProgress) -> String {
    let eta = match p.eta_seconds {
        Some(0) | None => String::new(),
        Some(s) if s < 60 => format!("about {s} s left"),
        Some(s) => format!("about {} min left", s.div_ceil(60)),
    };
    let budget = match (p.budget_remaining, p.budget_limit) {
        (Some(r), Some(l)) => format!("budget {r}/{l}"),
        _ => String::new(),
    };
    [eta, budget]
        .into_iter()
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join(" · ")
}

/// "waiting for the rate limit until 14:03:20" (local time).
fn waiting_text(until: Option<&str>) -> String {
    match until.and_then(|u| chrono::DateTime::parse_from_rfc3339(u).ok()) {
        Some(t) => format!(
            "waiting for the rate limit until {}",
            t.with_timezone(&chrono::Local).format("%H:%M:%S")
        ),
        None => "waiting for the rate limit".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn progress(eta: Option<u64>) -> SyncProgress {
        SyncProgress {
            account_id: 1,
            account_name: "acme".into(),
            resource: "comments".into(),
            phase: SyncPhase::Running,
            done: 10,
            total: Some(100),
            message: None,
            error_code: None,
            eta_seconds: eta,
            budget_remaining: Some(63),
            budget_limit: Some(100),
        }
    }

    #[test]
    fn time_left_comes_from_the_budget_estimate() {
        assert_eq!(
            time_left_text(&progress(Some(240))),
            "about 4 min left · budget 63/100"
        );
        assert_eq!(
            time_left_text(&progress(Some(42))),
            "about 42 s left · budget 63/100"
        );
        assert_eq!(time_left_text(&progress(None)), "budget 63/100");
        assert!(
            waiting_text(Some("2026-11-30T14:03:20Z"))
                .starts_with("waiting for the rate limit until ")
        );
        assert_eq!(waiting_text(None), "waiting for the rate limit");
    }
}
