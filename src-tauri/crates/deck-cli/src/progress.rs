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
                ProgressStyle::with_template("{spinner} {msg:40} [{bar:30}] {pos}/{len} {eta}")
                    .expect("valid template")
                    .progress_chars("=> "),
            );
            bar.enable_steady_tick(std::time::Duration::from_millis(120));
            bar
        });
        if p.resource == "all" {
            return;
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
