//! Opening a ticket fetches its thread from the helpdesk at once, whatever the sync is doing.

mod support;

use deck_core::NoEvents;
use std::sync::Arc;

#[tokio::test(flavor = "multi_thread")]
async fn refresh_ticket_fetches_the_thread_now() {
    let support::Connected {
        sim,
        deck,
        account,
        _dir,
    } = support::connected(3, 12, "tok-refresh", Arc::new(NoEvents)).await;
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
    support::Connected {
        sim,
        deck,
        account,
        _dir,
    }
    .close()
    .await;
}
