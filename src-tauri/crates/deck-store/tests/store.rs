//! The cache on a real SQLite file: batches are all-or-nothing, accounts are kept apart,
//! search and filters find the right tickets, and cursors page without gaps or repeats.

use deck_model::{Comment, IdName, Record, Resource, Ticket, TicketStatus};
use deck_store::{Batch, Checkpoint, NewAccountRow, Store, TicketFilter};
use serde_json::json;

fn account(store: &Store, name: &str) -> i64 {
    store
        .insert_account(&NewAccountRow {
            name,
            provider: "enchant",
            site: None,
            base_url: "http://127.0.0.1:1/api/v1",
            token_source: r#"{"kind":"keychain"}"#,
            is_demo: false,
            rate_limit: None,
        })
        .unwrap()
        .id
}

fn ticket(id: &str, subject: &str, status: &str, updated: &str, tags: &[&str]) -> Record {
    Record::Ticket(Ticket {
        id: id.into(),
        name: Some(subject.into()),
        status: Some(IdName {
            id: status.into(),
            name: Some(status.into()),
        }),
        updated_at: Some(updated.into()),
        tags: tags
            .iter()
            .map(|t| IdName {
                id: (*t).into(),
                name: None,
            })
            .collect(),
        remote_data: json!({"id": id}),
        ..Ticket::default()
    })
}

#[test]
fn a_failing_batch_writes_nothing_and_keeps_the_old_checkpoint() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&dir.path().join("c.sqlite3")).unwrap();
    let a = account(&store, "a");
    store
        .set_checkpoint(
            a,
            "tickets",
            &Checkpoint {
                cursor: Some("p1".into()),
                complete: false,
                ..Checkpoint::default()
            },
        )
        .unwrap();
    let bad = Batch {
        records: vec![
            ticket("t1", "Refund please", "open", "2024-01-01T00:00:00Z", &[]),
            Record::Comment(Comment {
                id: "c1".into(),
                ..Comment::default()
            }), // names no ticket
        ],
        thread_of: None,
        checkpoint: Some((
            "tickets".into(),
            Checkpoint {
                cursor: Some("p2".into()),
                complete: false,
                ..Checkpoint::default()
            },
        )),
        tombstone: None,
    };
    assert!(store.apply(a, &bad).is_err());
    assert_eq!(store.ticket_count(a).unwrap(), 0);
    assert_eq!(
        store
            .checkpoint(a, "tickets")
            .unwrap()
            .unwrap()
            .cursor
            .as_deref(),
        Some("p1")
    );
}

#[test]
fn accounts_are_kept_apart_and_removal_takes_their_cache() {
    let store = Store::open_in_memory().unwrap();
    let (a, b) = (account(&store, "a"), account(&store, "b"));
    for (acct, subject) in [(a, "Shipping delay"), (b, "Invoice wrong")] {
        let batch = Batch {
            records: vec![
                ticket("same-id", subject, "open", "2024-01-01T00:00:00Z", &["vip"]),
                Record::TicketStatus(TicketStatus {
                    id: "open".into(),
                    ..TicketStatus::default()
                }),
            ],
            ..Batch::default()
        };
        store.apply(acct, &batch).unwrap();
    }
    assert_eq!(
        store.ticket(a, "same-id").unwrap().unwrap().name.as_deref(),
        Some("Shipping delay")
    );
    assert_eq!(
        store.ticket(b, "same-id").unwrap().unwrap().name.as_deref(),
        Some("Invoice wrong")
    );
    assert!(store.delete_account(a).unwrap());
    assert!(store.ticket(a, "same-id").unwrap().is_none());
    assert_eq!(
        store
            .list(b, Resource::TicketStatus, &[], 10, None)
            .unwrap()
            .items
            .len(),
        1
    );
    assert!(
        store
            .list(a, Resource::TicketStatus, &[], 10, None)
            .unwrap()
            .items
            .is_empty()
    );
}

#[test]
fn search_filters_and_cursors() {
    let store = Store::open_in_memory().unwrap();
    let a = account(&store, "a");
    let mut records = Vec::new();
    for i in 0..25 {
        let subject = if i % 5 == 0 {
            format!("Refund request {i}")
        } else {
            format!("Where is order {i}")
        };
        let status = if i % 2 == 0 { "open" } else { "closed" };
        let tags: &[&str] = if i % 3 == 0 { &["vip"] } else { &[] };
        records.push(ticket(
            &format!("t{i:02}"),
            &subject,
            status,
            &format!("2024-01-{:02}T00:00:00Z", i + 1),
            tags,
        ));
    }
    store
        .apply(
            a,
            &Batch {
                records,
                ..Batch::default()
            },
        )
        .unwrap();

    let q = |f: TicketFilter| {
        store
            .query_tickets(&TicketFilter { limit: 100, ..f })
            .unwrap()
    };
    let (hits, total) = q(TicketFilter {
        search: Some("refu".into()),
        ..TicketFilter::default()
    });
    assert_eq!(total, 5);
    assert_eq!(hits[0].ticket.id, "t20", "newest update first");
    let (_, total) = q(TicketFilter {
        status: Some("open".into()),
        tag_id: Some("vip".into()),
        ..TicketFilter::default()
    });
    assert_eq!(total, 5); // 0, 6, 12, 18, 24
    let (_, total) = q(TicketFilter {
        assignee_id: Some("none".into()),
        ..TicketFilter::default()
    });
    assert_eq!(total, 25);

    // A renamed subject is found by its new words only.
    store
        .apply(
            a,
            &Batch {
                records: vec![ticket(
                    "t01",
                    "Parcel lost",
                    "open",
                    "2024-02-01T00:00:00Z",
                    &[],
                )],
                ..Batch::default()
            },
        )
        .unwrap();
    assert_eq!(
        q(TicketFilter {
            search: Some("parcel".into()),
            ..TicketFilter::default()
        })
        .1,
        1
    );
    assert_eq!(
        q(TicketFilter {
            search: Some("order 1".into()),
            ..TicketFilter::default()
        })
        .0
        .iter()
        .filter(|h| h.ticket.id == "t01")
        .count(),
        0
    );

    let mut seen = Vec::new();
    let mut cursor = None;
    loop {
        let page = store
            .list(a, Resource::Tickets, &[], 4, cursor.as_deref())
            .unwrap();
        seen.extend(
            page.items
                .iter()
                .map(|v| v["id"].as_str().unwrap().to_string()),
        );
        match page.next_cursor {
            Some(c) => cursor = Some(c),
            None => break,
        }
    }
    let mut sorted = seen.clone();
    sorted.sort();
    sorted.dedup();
    assert_eq!(seen.len(), 25);
    assert_eq!(sorted, seen);
    assert!(
        store
            .list(a, Resource::Tickets, &[], 4, Some("%%%"))
            .is_err()
    );
}

#[test]
fn a_finished_sweep_tombstones_what_it_did_not_see_and_a_later_sighting_revives_it() {
    let store = Store::open_in_memory().unwrap();
    let a = account(&store, "acme");
    let status = |id: &str| {
        Record::TicketStatus(TicketStatus {
            id: id.into(),
            ..TicketStatus::default()
        })
    };
    store
        .apply(
            a,
            &Batch {
                records: vec![status("open"), status("gone")],
                ..Batch::default()
            },
        )
        .unwrap();
    // A sweep that began after both were stored sees only `open`: `gone` becomes a tombstone,
    // out of every read but still in the file.
    std::thread::sleep(std::time::Duration::from_millis(1100));
    let started = chrono_like_now();
    store
        .apply(
            a,
            &Batch {
                records: vec![status("open")],
                tombstone: Some((Resource::TicketStatus, started)),
                ..Batch::default()
            },
        )
        .unwrap();
    let ids = store.ids(a, Resource::TicketStatus).unwrap();
    assert!(ids.contains("open") && !ids.contains("gone"), "{ids:?}");
    assert!(
        store
            .get(a, Resource::TicketStatus, "gone")
            .unwrap()
            .is_none()
    );
    // Seen again: alive again.
    store
        .apply(
            a,
            &Batch {
                records: vec![status("gone")],
                ..Batch::default()
            },
        )
        .unwrap();
    assert!(
        store
            .ids(a, Resource::TicketStatus)
            .unwrap()
            .contains("gone")
    );
}

/// The store's own clock format (RFC 3339, whole seconds, UTC).
fn chrono_like_now() -> String {
    chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

fn patch_status(ticket: &str, status: &str) -> deck_model::Write {
    deck_model::Write::UpdateTicket {
        ticket_id: ticket.into(),
        patch: deck_model::TicketPatch {
            status: Some(status.into()),
            ..Default::default()
        },
        base: Default::default(),
    }
}

fn cached_status(store: &Store, a: i64, id: &str) -> String {
    store.ticket(a, id).unwrap().unwrap().status.unwrap().id
}

#[test]
fn a_pending_write_survives_a_sync_and_a_refused_one_leaves_the_helpdesks_version() {
    let store = Store::open_in_memory().unwrap();
    let a = account(&store, "acme");
    let sync = |subject: &str| {
        store
            .apply(
                a,
                &Batch {
                    records: vec![ticket("t1", subject, "open", "2024-01-02T00:00:00Z", &[])],
                    ..Batch::default()
                },
            )
            .unwrap()
    };
    sync("Refund please");
    let id = store
        .outbox_push(a, &patch_status("t1", "closed"), "close")
        .unwrap();
    assert_eq!(cached_status(&store, a, "t1"), "closed", "shown at once");

    // The helpdesk's newer version arrives: the subject changes, the pending status stays.
    sync("Refund please (edited)");
    let t = store.ticket(a, "t1").unwrap().unwrap();
    assert_eq!(t.name.as_deref(), Some("Refund please (edited)"));
    assert_eq!(t.status.unwrap().id, "closed");

    // Refused: the helpdesk's version, with its newer subject, is what shows.
    store
        .outbox_fail(
            id,
            &deck_model::UnifiedError::new(deck_model::ErrorCode::Validation, "no"),
        )
        .unwrap();
    let t = store.ticket(a, "t1").unwrap().unwrap();
    assert_eq!(t.status.unwrap().id, "open");
    assert_eq!(t.name.as_deref(), Some("Refund please (edited)"));
    // Sent again: shown again.
    assert!(store.outbox_requeue(id, None).unwrap());
    assert_eq!(cached_status(&store, a, "t1"), "closed");
    store.outbox_discard(id).unwrap();
    assert_eq!(cached_status(&store, a, "t1"), "open");
}

#[test]
fn one_sender_at_a_time_and_a_dead_ones_entry_is_taken_over_in_doubt() {
    let store = Store::open_in_memory().unwrap();
    let a = account(&store, "acme");
    store
        .outbox_push(a, &patch_status("t9", "hold"), "hold")
        .unwrap();
    let long = std::time::Duration::from_secs(300);
    let app = deck_store::Lease {
        owner: "111:app",
        length: long,
    };
    let cli = deck_store::Lease {
        owner: "222:cli",
        length: long,
    };
    let claimed = store.outbox_claim(a, &app).unwrap().unwrap();
    assert!(!claimed.in_doubt);
    assert!(
        store.outbox_claim(a, &cli).unwrap().is_none(),
        "held by the app"
    );

    // The app dies mid-request: the CLI sees it is gone and takes the entry, in doubt.
    store
        .outbox_release_dead_leases(a, cli.owner, |owner| owner != app.owner)
        .unwrap();
    let taken = store.outbox_claim(a, &cli).unwrap().unwrap();
    assert_eq!(taken.id, claimed.id);
    assert!(taken.in_doubt, "the helpdesk may have it already");
    assert!(
        !store.outbox_renew_lease(claimed.id, &app).unwrap(),
        "no longer the app's"
    );
    assert!(store.outbox_renew_lease(claimed.id, &cli).unwrap());
}
