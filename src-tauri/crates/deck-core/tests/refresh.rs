//! Opening a ticket fetches its thread from the helpdesk at once, whatever the sync is doing.

use deck_core::views::NewAccount;
use deck_core::{Deck, NoEvents};
use deck_model::ProviderKind;
use deck_sim::SimConfig;
use std::sync::Arc;
use std::time::Duration;

#[tokio::test(flavor = "multi_thread")]
async fn refresh_ticket_fetches_the_thread_now() {
    let sim = deck_sim::start(
        SimConfig {
            seed: 3,
            tickets: 12,
            token: "tok-refresh".into(),
            window: Duration::from_secs(1),
            ..SimConfig::default()
        },
        ([127, 0, 0, 1], 0).into(),
    )
    .await
    .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let deck = Deck::open(dir.path(), Arc::new(NoEvents)).unwrap();
    let account = deck
        .add_account(NewAccount {
            provider: ProviderKind::Enchant,
            name: "acme".into(),
            site: None,
            base_url: Some(sim.base_url()),
            // Kept in the OS keychain (the test command runs a private Secret Service).
            token: Some("tok-refresh".into()),
            token_env: None,
        })
        .await
        .unwrap();
    deck.sync(Some(account.id)).await.unwrap();
    let id = sim.change_tickets(1).remove(0);
    let before = deck.get_ticket(account.id, &id).unwrap();
    assert!(!before.ticket.subject.ends_with("(edited)"));

    let after = deck.refresh_ticket(account.id, &id).await.unwrap();
    assert!(
        after.ticket.subject.ends_with("(edited)"),
        "{}",
        after.ticket.subject
    );
    assert!(after.thread_cached);
    assert_eq!(after.comments.len(), sim.dataset().messages[&id].len());

    let err = deck
        .refresh_ticket(account.id, "no-such-ticket")
        .await
        .unwrap_err();
    assert_eq!(err.code, deck_core::ErrorCode::NotFound);
    deck.remove_account(account.id).await.unwrap();
    sim.shutdown().await;
}
