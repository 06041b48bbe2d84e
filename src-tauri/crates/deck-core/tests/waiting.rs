//! A 429 during a sync holds the account for what the helpdesk asked, and the user sees until
//! when ("waiting"), then the sync finishes with nothing lost.

mod support;

use deck_core::Events;
use deck_core::views::{SyncPhase, SyncProgress};
use std::sync::{Arc, Mutex};

#[derive(Default)]
struct Recorded(Mutex<Vec<SyncProgress>>);

impl Events for Recorded {
    fn sync_progress(&self, p: &SyncProgress) {
        self.0.lock().unwrap().push(p.clone());
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_rate_limit_wait_is_shown_with_its_end_and_the_sync_completes() {
    let events = Arc::new(Recorded::default());
    let support::Connected {
        sim,
        deck,
        account,
        _dir,
    } = support::connected(4, 15, "tok-wait", events.clone()).await;
    sim.inject_rate_limits(1, Some(4));
    let outcome = deck.sync(Some(account.id)).await.unwrap();
    assert!(outcome[0].failures.is_empty(), "{:?}", outcome[0].failures);

    let seen = events.0.lock().unwrap().clone();
    let waiting: Vec<&SyncProgress> = seen
        .iter()
        .filter(|p| p.phase == SyncPhase::Waiting)
        .collect();
    assert!(!waiting.is_empty(), "a waiting state was reported");
    let until =
        chrono::DateTime::parse_from_rfc3339(waiting[0].message.as_deref().unwrap()).unwrap();
    let ahead = until.signed_duration_since(chrono::Utc::now());
    assert!(
        ahead < chrono::Duration::seconds(5),
        "the wait ends when the server said: {until}"
    );
    let after_wait = seen.iter().skip_while(|p| p.phase != SyncPhase::Waiting);
    assert!(
        after_wait
            .clone()
            .any(|p| p.resource == "all" && p.phase == SyncPhase::Running),
        "the waiting state is cleared when the wait ends"
    );
    assert_eq!(deck.list_tickets(&Default::default()).unwrap().total, 15);
    assert_eq!(sim.rate_limited_count(), 1, "one 429, no hammering");
    support::Connected {
        sim,
        deck,
        account,
        _dir,
    }
    .close()
    .await;
}
