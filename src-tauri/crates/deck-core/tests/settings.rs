//! Preferences persist in the cache file and are validated.

use deck_core::{Deck, ErrorCode, NoEvents};
use std::sync::Arc;

#[test]
fn the_sync_interval_defaults_persists_and_is_bounded() {
    let dir = tempfile::tempdir().unwrap();
    let deck = Deck::open(dir.path(), Arc::new(NoEvents)).unwrap();
    assert_eq!(deck.settings().unwrap().sync_interval_minutes, 5);
    assert_eq!(
        deck.set_sync_interval(15).unwrap().sync_interval_minutes,
        15
    );
    let err = deck.set_sync_interval(100_000).unwrap_err();
    assert_eq!(err.code, ErrorCode::Validation);
    assert_eq!(err.failures[0].field, "sync_interval_minutes");
    drop(deck);
    let reopened = Deck::open(dir.path(), Arc::new(NoEvents)).unwrap();
    assert_eq!(reopened.settings().unwrap().sync_interval_minutes, 15);
    assert_eq!(
        reopened.set_sync_interval(0).unwrap().sync_interval_minutes,
        0
    );
}
