//! The Enchant adapter against the simulated Enchant (a real HTTP server), and against raw
//! servers that answer what no documented Enchant would.

use deck_model::{Record, Resource, Ticket};
use deck_providers::enchant::{EnchantClient, EnchantConfig};
use deck_providers::{Known, Provider, ProviderError, RateProfile, Scheduler, TokioClock};
use deck_sim::SimConfig;
use deck_sim::enchant::MessageType;
use std::collections::HashSet;
use std::sync::Arc;
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

fn fast_sim(tickets: usize) -> SimConfig {
    SimConfig {
        seed: 11,
        tickets,
        token: "test-token".into(),
        window: Duration::from_secs(1),
        credits_per_window: 400,
        burst_per_second: 100,
        ..SimConfig::default()
    }
}

fn client(base_url: String, token: &str) -> EnchantClient {
    EnchantClient::new(EnchantConfig {
        base_url,
        token: token.into(),
        scheduler: Scheduler::new(
            RateProfile {
                credits_per_window: Some(400),
                window: Duration::from_secs(1),
                burst_per_second: Some(90),
                max_retry_wait: Duration::from_secs(5),
            },
            Arc::new(TokioClock::new()),
        ),
    })
    .unwrap()
}

async fn list_all(c: &EnchantClient, resource: Resource) -> Vec<Record> {
    let mut cursor = None;
    let mut all = Vec::new();
    for _ in 0..1000 {
        let page = c.list_page(resource, cursor.as_deref()).await.unwrap();
        all.extend(page.records);
        match page.next_cursor {
            Some(next) => cursor = Some(next),
            None => return all,
        }
    }
    panic!("listing {resource} did not end");
}

#[tokio::test]
async fn tickets_listing_returns_each_ticket_exactly_once() {
    let sim = deck_sim::start(fast_sim(730), ([127, 0, 0, 1], 0).into())
        .await
        .unwrap();
    let c = client(sim.base_url(), sim.token());
    let records = list_all(&c, Resource::Tickets).await;
    let truth = sim.dataset();
    let ids: Vec<&str> = records.iter().map(|r| r.id()).collect();
    let unique: HashSet<&str> = ids.iter().copied().collect();
    assert_eq!(ids.len(), unique.len(), "no ticket is listed twice");
    let expected: HashSet<&str> = truth.tickets.iter().map(|t| t.id.as_str()).collect();
    assert_eq!(unique, expected);
    // Tickets sharing a creation second are the hard case for `since_created_at` paging.
    let mut seconds: Vec<&str> = truth
        .tickets
        .iter()
        .map(|t| t.created_at.as_str())
        .collect();
    seconds.sort();
    assert!(
        seconds.windows(2).any(|w| w[0] == w[1]),
        "the dataset has ties to exercise"
    );
    let Record::Ticket(t) = &records[0] else {
        panic!("tickets are tickets")
    };
    assert!(
        t.remote_data.get("state").is_some(),
        "the raw record is kept"
    );
    sim.shutdown().await;
}

#[tokio::test]
async fn threads_keep_replies_and_notes_apart_and_sanitize_html() {
    let sim = deck_sim::start(fast_sim(40), ([127, 0, 0, 1], 0).into())
        .await
        .unwrap();
    let c = client(sim.base_url(), sim.token());
    let truth = sim.dataset();
    let known = Known::default();
    for wire in &truth.tickets {
        let cached = Ticket {
            id: wire.id.clone(),
            ..Ticket::default()
        };
        let thread = c.thread(&cached, &known).await.unwrap();
        let messages = &truth.messages[&wire.id];
        assert_eq!(thread.comments.len(), messages.len(), "ticket {}", wire.id);
        for m in messages {
            let comment = thread.comments.iter().find(|x| x.id == m.id).unwrap();
            assert_eq!(
                comment.is_internal,
                m.kind == MessageType::Note,
                "message {}",
                m.id
            );
            assert_eq!(
                comment.author.as_ref().unwrap().kind.as_deref(),
                Some(if m.user_id.is_some() {
                    "user"
                } else {
                    "contact"
                })
            );
            assert_eq!(comment.attachments.len(), m.attachments.len());
            if let Some(html) = &comment.html_body {
                for bad in ["onerror", "<script", "javascript:", "onclick", "<iframe"] {
                    assert!(!html.contains(bad), "{bad} survived in message {}", m.id);
                }
            }
        }
    }
    let (hostile_ticket, _) = truth
        .hostile_message()
        .expect("the demo data has a hostile body");
    assert!(truth.tickets.iter().any(|t| t.id == hostile_ticket.id));
    sim.shutdown().await;
}

#[tokio::test]
async fn users_contacts_and_undocumented_lists() {
    let sim = deck_sim::start(fast_sim(30), ([127, 0, 0, 1], 0).into())
        .await
        .unwrap();
    let c = client(sim.base_url(), sim.token());
    let truth = sim.dataset();
    assert_eq!(list_all(&c, Resource::Users).await.len(), truth.users.len());
    let contacts = list_all(&c, Resource::Contacts).await;
    assert_eq!(contacts.len(), truth.customers.len());
    let twitter = truth
        .customers
        .iter()
        .find(|cu| cu.contacts.iter().any(|p| p.kind.as_str() == "twitter"));
    if let Some(cu) = twitter {
        let Some(Record::Contact(mapped)) = contacts.iter().find(|r| r.id() == cu.id) else {
            panic!()
        };
        assert!(mapped.custom_fields.as_ref().unwrap()["twitter"].is_array());
    }
    // Enchant documents no list endpoint for labels or inboxes: a 404 is expected, not an error.
    assert!(c.list_page(Resource::Tags, None).await.unwrap().unsupported);
    assert!(
        c.list_page(Resource::Collections, None)
            .await
            .unwrap()
            .unsupported
    );
    sim.shutdown().await;
}

#[tokio::test]
async fn wrong_token_and_unreachable_helpdesk() {
    let sim = deck_sim::start(fast_sim(5), ([127, 0, 0, 1], 0).into())
        .await
        .unwrap();
    let err = client(sim.base_url(), "wrong").verify().await.unwrap_err();
    assert!(
        matches!(err, ProviderError::Auth { status: 401, .. }),
        "{err}"
    );
    assert!(
        !err.to_string().contains("wrong"),
        "the token never appears in errors"
    );
    let addr = sim.addr();
    sim.shutdown().await;
    let err = client(format!("http://{addr}/api/v1"), "t")
        .verify()
        .await
        .unwrap_err();
    assert!(matches!(err, ProviderError::Offline { .. }), "{err}");
}

/// A one-shot HTTP server answering every request with `status` and `body`.
async fn raw_server(status: &'static str, body: &'static str) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        while let Ok((mut sock, _)) = listener.accept().await {
            let mut buf = [0u8; 4096];
            let _ = sock.read(&mut buf).await;
            let resp = format!(
                "HTTP/1.1 {status}\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
                body.len()
            );
            let _ = sock.write_all(resp.as_bytes()).await;
        }
    });
    format!("http://{addr}/api/v1")
}

#[tokio::test]
async fn malformed_answers_name_the_endpoint_and_the_field() {
    let url = raw_server("200 OK", r#"[{"id":"a1","created_at":"2024-01-01T00:00:00Z","updated_at":"2024-01-01T00:00:00Z"},{"id":7}]"#).await;
    let err = client(url, "t")
        .list_page(Resource::Tickets, None)
        .await
        .unwrap_err();
    match &err {
        ProviderError::Malformed {
            endpoint, field, ..
        } => {
            assert_eq!(endpoint, "GET tickets");
            assert_eq!(field, "[1].id");
        }
        other => panic!("expected malformed, got {other}"),
    }
    let url = raw_server("200 OK", r#"{"not":"a list"}"#).await;
    let err = client(url, "t")
        .list_page(Resource::Users, None)
        .await
        .unwrap_err();
    assert!(matches!(err, ProviderError::Malformed { .. }), "{err}");
    let url = raw_server("200 OK", "<html>maintenance</html>").await;
    let err = client(url, "t")
        .list_page(Resource::Users, None)
        .await
        .unwrap_err();
    assert!(err.to_string().contains("not JSON"), "{err}");
    let url = raw_server(
        "200 OK",
        r#"[{"id":"a1","created_at":"yesterday","updated_at":"2024-01-01T00:00:00Z"}]"#,
    )
    .await;
    let err = client(url, "t")
        .list_page(Resource::Tickets, None)
        .await
        .unwrap_err();
    assert!(err.to_string().contains("[0].created_at"), "{err}");
}

#[tokio::test]
async fn a_users_endpoint_that_ignores_paging_does_not_loop() {
    // 100 identical users on every page: the adapter notices the repeat and stops.
    let mut body = String::from("[");
    for i in 0..100 {
        body.push_str(&format!(
            r#"{{"id":"u{i}","first_name":"A","last_name":"B","email":"a{i}@x"}},"#
        ));
    }
    body.pop();
    body.push(']');
    let url = raw_server("200 OK", Box::leak(body.into_boxed_str())).await;
    let records = list_all(&client(url, "t"), Resource::Users).await;
    assert_eq!(records.len(), 100);
}
