//! Sync against helpdesks that misbehave: a malformed page stops that resource's sync with an
//! error naming the endpoint and the field, other resources still sync, and the cache holds
//! only whole pages.

use deck_model::{ErrorCode, Resource};
use deck_providers::enchant::{EnchantClient, EnchantConfig};
use deck_providers::{RateProfile, Scheduler, TokioClock};
use deck_store::{NewAccountRow, Store};
use deck_sync::{SweepPolicy, SyncPhase, SyncProgress, sync_account};
use std::sync::Arc;
use std::sync::Mutex;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// A loopback HTTP server answering by path prefix: `(prefix, status line, body)`.
async fn serve(routes: Vec<(&'static str, &'static str, &'static str)>) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        while let Ok((mut sock, _)) = listener.accept().await {
            let mut buf = vec![0u8; 8192];
            let n = sock.read(&mut buf).await.unwrap_or(0);
            let request = String::from_utf8_lossy(&buf[..n]).to_string();
            let path = request.split_whitespace().nth(1).unwrap_or("/").to_string();
            let (status, body) = routes
                .iter()
                .find(|(prefix, _, _)| path.starts_with(prefix))
                .map(|(_, s, b)| (*s, *b))
                .unwrap_or(("404 Not Found", r#"{"message":"Not Found"}"#));
            let resp = format!(
                "HTTP/1.1 {status}\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
                body.len()
            );
            let _ = sock.write_all(resp.as_bytes()).await;
        }
    });
    format!("http://{addr}/api/v1")
}

/// A cache with one account, and a client for the server at `url`.
fn setup(url: String) -> (Store, i64, EnchantClient) {
    let store = Store::open_in_memory().unwrap();
    let account = store
        .insert_account(&NewAccountRow {
            name: "acme",
            provider: "enchant",
            site: None,
            base_url: &url,
            token_source: r#"{"kind":"demo"}"#,
            is_demo: false,
            rate_limit: None,
        })
        .unwrap()
        .id;
    let client = EnchantClient::new(EnchantConfig {
        base_url: url,
        token: "t".into(),
        scheduler: Scheduler::new(RateProfile::enchant(), Arc::new(TokioClock::new())),
    })
    .unwrap();
    (store, account, client)
}

#[tokio::test]
async fn a_malformed_ticket_page_stops_only_the_tickets_sync() {
    let url = serve(vec![
        ("/api/v1/users", "200 OK", r#"[{"id":"u1","first_name":"Mary","last_name":"Jones","email":"m@x"}]"#),
        ("/api/v1/customers", "200 OK", r#"[{"id":"c1","first_name":"Ruby","last_name":null,"summary":null,"contacts":[]}]"#),
        (
            "/api/v1/tickets",
            "200 OK",
            r#"[{"id":"t1","created_at":"2024-01-01T00:00:00Z","updated_at":"2024-01-02T00:00:00Z","subject":"ok"},
                {"id":"t2","created_at":"2024-01-01T00:00:01Z","subject":"no updated_at"}]"#,
        ),
    ])
    .await;
    let (store, account, client) = setup(url);
    let seen: Mutex<Vec<SyncProgress>> = Mutex::new(Vec::new());
    let emit = |p: SyncProgress| seen.lock().unwrap().push(p);
    let report = sync_account(
        &store,
        &client,
        account,
        "acme",
        &SweepPolicy::hourly(chrono::Utc::now()),
        &emit,
    )
    .await;

    assert!(
        report.aborted.is_none(),
        "a malformed page is not a reason to stop everything"
    );
    assert_eq!(report.failures.len(), 1, "{:?}", report.failures);
    let (resource, err) = &report.failures[0];
    assert_eq!(resource, "tickets");
    assert_eq!(err.code, ErrorCode::Malformed);
    assert!(
        err.message.contains("GET tickets") && err.message.contains("[1].updated_at"),
        "{}",
        err.message
    );

    assert_eq!(
        store.ticket_count(account).unwrap(),
        0,
        "the bad page is not half-stored"
    );
    assert_eq!(
        store.ids(account, Resource::Users).unwrap().len(),
        1,
        "users still synced"
    );
    assert_eq!(
        store.ids(account, Resource::Contacts).unwrap().len(),
        1,
        "contacts still synced"
    );
    let seen = seen.lock().unwrap();
    assert!(seen.iter().any(|p| p.resource == "tickets"
        && p.phase == SyncPhase::Failed
        && p.error_code == Some(ErrorCode::Malformed)));
}

#[tokio::test]
async fn a_refused_token_aborts_the_whole_sync() {
    let url = serve(vec![(
        "/api/v1/",
        "401 Unauthorized",
        r#"{"message":"Unauthorized"}"#,
    )])
    .await;
    let (store, account, client) = setup(url);
    let report = sync_account(
        &store,
        &client,
        account,
        "acme",
        &SweepPolicy::hourly(chrono::Utc::now()),
        &|_| {},
    )
    .await;
    assert_eq!(
        report.aborted.as_ref().map(|e| e.code),
        Some(ErrorCode::AuthFailed)
    );
    assert_eq!(report.failures.len(), 1, "it stops at the first refusal");
    assert!(
        store
            .account(account)
            .unwrap()
            .unwrap()
            .last_synced_at
            .is_none()
    );
}
