//! The Enchant simulator driven over real HTTP, checking each behaviour the REST API doc
//! states.

mod support;

use support::Api;

use std::collections::{BTreeSet, HashSet};
use std::time::Duration;

use deck_sim::enchant::{HOSTILE_HTML, MessageType, Ticket, TicketState};
use deck_sim::{Dataset, RunningSim, SimConfig, start};
use reqwest::header::{CONTENT_TYPE, LOCATION};
use reqwest::{Client, Method, StatusCode};
use serde_json::{Value, json};

/// A config whose limits never get in the way.
fn roomy(tickets: usize) -> SimConfig {
    SimConfig {
        tickets,
        credits_per_window: 1_000_000,
        window: Duration::from_secs(60),
        burst_per_second: 1_000_000,
        ..SimConfig::default()
    }
}

async fn sim(config: SimConfig) -> RunningSim {
    start(config, "127.0.0.1:0".parse().unwrap()).await.unwrap()
}

const TICKET_KEYS: [&str; 17] = [
    "id",
    "number",
    "customer_id",
    "user_id",
    "inbox_id",
    "label_ids",
    "state",
    "snoozed_until",
    "subject",
    "type",
    "spam",
    "trash",
    "updated_at",
    "created_at",
    "reply_to",
    "reply_cc",
    "summary",
];

fn keys(v: &Value) -> BTreeSet<String> {
    v.as_object().unwrap().keys().cloned().collect()
}

fn set(items: &[&str]) -> BTreeSet<String> {
    items.iter().map(|s| s.to_string()).collect()
}

fn ticket_keys() -> BTreeSet<String> {
    TICKET_KEYS.iter().map(|s| s.to_string()).collect()
}

/// Expected order for `sort=key` / `-key`: the key, then id in the same direction.
fn sorted_ids(data: &Dataset, key: fn(&Ticket) -> &str, desc: bool) -> Vec<String> {
    let mut tickets: Vec<&Ticket> = data.tickets.iter().collect();
    tickets.sort_by(|a, b| (key(a), &a.id).cmp(&(key(b), &b.id)));
    if desc {
        tickets.reverse();
    }
    tickets.iter().map(|t| t.id.clone()).collect()
}

#[tokio::test]
async fn authenticates_with_bearer_or_basic_token_and_refuses_others() {
    let sim = sim(roomy(50)).await;
    let api = Api::new(&sim);
    let url = format!("{}/tickets", sim.base_url());

    assert_eq!(api.get("/tickets", &[]).await.status, StatusCode::OK);
    let basic = api
        .raw(api.client.get(&url).basic_auth(sim.token(), Some("X")))
        .await;
    assert_eq!(basic.status, StatusCode::OK);

    for request in [
        api.client.get(&url),
        api.client.get(&url).bearer_auth("wrong"),
        api.client.get(&url).basic_auth("X", Some(sim.token())),
        api.client
            .get(&url)
            .header("Authorization", format!("Token {}", sim.token())),
    ] {
        let a = api.raw(request).await;
        a.assert_error(StatusCode::UNAUTHORIZED);
        assert_eq!(a.body, json!({"message": "Unauthorized"}));
        assert_eq!(a.used(), 0);
    }
    sim.shutdown().await;
}

#[tokio::test]
async fn every_response_carries_rate_limit_headers() {
    let sim = sim(roomy(50)).await;
    let api = Api::new(&sim);
    let ticket = sim.dataset().tickets[0].id.clone();
    let url = |p: &str| format!("{}{p}", sim.base_url());

    let answers = vec![
        api.get("/tickets", &[]).await,
        api.get("/users", &[("envelope", "true")]).await,
        api.get("/nope", &[]).await,
        api.get("/tickets", &[("per_page", "500")]).await,
        api.raw(api.client.get(url("/tickets"))).await,
        api.raw(
            api.client
                .patch(url(&format!("/tickets/{ticket}")))
                .bearer_auth(sim.token())
                .body("{}"),
        )
        .await,
        api.send(
            Method::PATCH,
            &format!("/tickets/{ticket}"),
            json!({"state": "nope"}),
        )
        .await,
        api.send(Method::POST, "/customers", json!({})).await,
    ];
    let statuses: Vec<u16> = answers.iter().map(|a| a.status.as_u16()).collect();
    assert_eq!(statuses, vec![200, 200, 404, 400, 401, 415, 422, 201]);
    for a in &answers {
        let (limit, remaining, _used, reset) = a.rate();
        assert_eq!(limit, 1_000_000);
        assert!(remaining <= limit);
        assert!((1..=60).contains(&reset), "reset {reset}");
    }
    sim.shutdown().await;
}

#[tokio::test]
async fn embedding_and_counting_cost_extra_credits() {
    let sim = sim(SimConfig {
        tickets: 50,
        burst_per_second: 1000,
        ..SimConfig::default()
    })
    .await;
    let api = Api::new(&sim);
    let ticket = sim.dataset().tickets[10].id.clone();
    let path = format!("/tickets/{ticket}");

    let a = api.get("/tickets", &[]).await;
    assert_eq!(a.rate(), (100, 99, 1, a.rate().3));
    assert!(a.header("Total-Count").is_none());

    let a = api.get("/tickets", &[("count", "true")]).await;
    assert_eq!((a.remaining(), a.used()), (97, 2));
    assert_eq!(a.header("Total-Count"), Some(50));

    let a = api
        .get(&path, &[("embed", "labels,messages,customer")])
        .await;
    assert_eq!((a.remaining(), a.used()), (93, 4));

    let a = api
        .get(&path, &[("embed", "user,inbox,labels,customer,messages")])
        .await;
    assert_eq!((a.remaining(), a.used()), (87, 6));

    let a = api.get(&path, &[("embed", "group")]).await;
    assert_eq!((a.remaining(), a.used()), (85, 2));
    assert_eq!(a.body["group"], Value::Null);

    let a = api.get("/users", &[("count", "true")]).await;
    assert_eq!((a.used(), a.header("Total-Count")), (2, Some(8)));

    // Failed requests cost nothing (the doc's enveloped 404 sample shows Used 0).
    let a = api.get("/tickets/doesnotexist", &[]).await;
    assert_eq!((a.remaining(), a.used()), (83, 0));
    let a = api.get(&path, &[("embed", "bogus")]).await;
    a.assert_error(StatusCode::BAD_REQUEST);
    assert_eq!((a.remaining(), a.used()), (83, 0));

    assert_eq!(sim.credits_spent(), 17);
    assert_eq!(sim.requests_served(), 8);
    sim.shutdown().await;
}

#[tokio::test]
async fn exhausted_credits_answer_429_until_the_window_resets() {
    let sim = sim(SimConfig {
        tickets: 30,
        credits_per_window: 5,
        window: Duration::from_secs(2),
        burst_per_second: 1000,
        ..SimConfig::default()
    })
    .await;
    let api = Api::new(&sim);
    let first = api.get("/users", &[]).await;
    assert!((1..=2).contains(&first.rate().3));
    for _ in 0..3 {
        assert_eq!(api.get("/users", &[]).await.status, StatusCode::OK);
    }
    // One credit left: a counted list needs two.
    let a = api.get("/tickets", &[("count", "true")]).await;
    a.assert_error(StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(a.body, json!({"message": "Too Many Requests"}));
    assert_eq!((a.remaining(), a.used()), (1, 0));
    assert_eq!(api.get("/users", &[]).await.remaining(), 0);
    let a = api.get("/users", &[]).await;
    a.assert_error(StatusCode::TOO_MANY_REQUESTS);
    let (limit, remaining, used, reset) = a.rate();
    assert_eq!((limit, remaining, used), (5, 0, 0));
    assert!((1..=2).contains(&reset));
    assert_eq!(sim.rate_limited_count(), 2);

    tokio::time::sleep(Duration::from_millis(reset * 1000 + 200)).await;
    let a = api.get("/users", &[]).await;
    assert_eq!(a.status, StatusCode::OK);
    assert_eq!((a.remaining(), a.used()), (4, 1));
    assert_eq!(sim.credits_spent(), 6);
    sim.shutdown().await;
}

#[tokio::test]
async fn burst_limit_refuses_too_many_requests_per_second() {
    let sim = sim(SimConfig {
        tickets: 30,
        credits_per_window: 1000,
        burst_per_second: 3,
        ..SimConfig::default()
    })
    .await;
    let api = Api::new(&sim);
    for _ in 0..3 {
        assert_eq!(api.get("/users", &[]).await.status, StatusCode::OK);
    }
    let a = api.get("/users", &[]).await;
    a.assert_error(StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(a.remaining(), 997, "credits remain: it is the burst limit");
    assert_eq!(sim.rate_limited_count(), 1);
    tokio::time::sleep(Duration::from_millis(1200)).await;
    assert_eq!(api.get("/users", &[]).await.status, StatusCode::OK);
    sim.shutdown().await;
}

#[tokio::test]
async fn per_page_and_page_are_validated() {
    let sim = sim(roomy(250)).await;
    let api = Api::new(&sim);
    for bad in [
        [("per_page", "101"), ("page", "1")],
        [("per_page", "-1"), ("page", "1")],
        [("per_page", "ten"), ("page", "1")],
        [("per_page", "10"), ("page", "0")],
    ] {
        api.get("/tickets", &bad)
            .await
            .assert_error(StatusCode::BAD_REQUEST);
        api.get("/customers", &bad)
            .await
            .assert_error(StatusCode::BAD_REQUEST);
    }
    assert_eq!(api.get("/tickets", &[]).await.array().len(), 10);
    assert_eq!(
        api.get("/tickets", &[("per_page", "0")])
            .await
            .array()
            .len(),
        0
    );
    assert_eq!(
        api.get("/tickets", &[("per_page", "100")])
            .await
            .array()
            .len(),
        100
    );
    let last = api
        .get("/tickets", &[("per_page", "100"), ("page", "3")])
        .await;
    assert_eq!(last.array().len(), 50);
    let beyond = api
        .get("/tickets", &[("per_page", "100"), ("page", "4")])
        .await;
    assert_eq!(beyond.status, StatusCode::OK);
    assert!(beyond.array().is_empty());
    assert_eq!(api.get("/customers", &[]).await.array().len(), 10);
    // Users are not paginated.
    assert_eq!(
        api.get("/users", &[("per_page", "2")]).await.array().len(),
        8
    );
    let all = api.all_ticket_ids(&[]).await;
    assert_eq!(all.len(), 250);
    assert_eq!(all.iter().collect::<HashSet<_>>().len(), 250);
    sim.shutdown().await;
}

#[tokio::test]
async fn pages_beyond_ten_thousand_results_are_refused_and_since_created_at_reaches_all() {
    let sim = sim(roomy(10_050)).await;
    let api = Api::new(&sim);
    let data = sim.dataset();

    let ok = api
        .get("/tickets", &[("per_page", "100"), ("page", "100")])
        .await;
    assert_eq!(ok.array().len(), 100);
    let refused = api
        .get("/tickets", &[("per_page", "100"), ("page", "101")])
        .await;
    refused.assert_error(StatusCode::BAD_REQUEST);
    assert!(refused.raw.contains("since_created_at"), "{}", refused.raw);
    api.get("/tickets", &[("per_page", "10"), ("page", "1001")])
        .await
        .assert_error(StatusCode::BAD_REQUEST);
    api.get("/customers", &[("per_page", "100"), ("page", "101")])
        .await
        .assert_error(StatusCode::BAD_REQUEST);

    // Oldest first, resuming from the last created_at seen (ties make pages overlap).
    let mut seen: Vec<String> = Vec::new();
    let mut known = HashSet::new();
    let mut since = "2000-01-01T00:00:00Z".to_string();
    loop {
        let a = api
            .get(
                "/tickets",
                &[
                    ("sort", "created_at"),
                    ("per_page", "100"),
                    ("since_created_at", &since),
                ],
            )
            .await;
        let page = a.array();
        let mut fresh = 0;
        for t in page {
            if known.insert(t["id"].as_str().unwrap().to_string()) {
                seen.push(t["id"].as_str().unwrap().to_string());
                fresh += 1;
            }
        }
        if page.len() < 100 || fresh == 0 {
            break;
        }
        since = page.last().unwrap()["created_at"]
            .as_str()
            .unwrap()
            .to_string();
    }
    let expected: Vec<String> = data.tickets.iter().map(|t| t.id.clone()).collect();
    assert_eq!(seen.len(), expected.len());
    assert_eq!(
        seen.iter().collect::<HashSet<_>>(),
        expected.iter().collect::<HashSet<_>>()
    );
    sim.shutdown().await;
}

#[tokio::test]
async fn ticket_filters_match_the_ground_truth() {
    let sim = sim(roomy(400)).await;
    let api = Api::new(&sim);
    let data = sim.dataset();
    let count_of = |pred: &dyn Fn(&Ticket) -> bool| data.tickets.iter().filter(|t| pred(t)).count();

    async fn total(api: &Api, query: &[(&str, &str)]) -> (usize, Vec<String>) {
        let mut q = query.to_vec();
        q.push(("count", "true"));
        q.push(("per_page", "100"));
        let a = api.get("/tickets", &q).await;
        assert_eq!(a.status, StatusCode::OK, "{query:?}: {}", a.raw);
        (a.header("Total-Count").unwrap() as usize, a.ids())
    }

    let (n, _) = total(&api, &[("state", "open,hold")]).await;
    assert_eq!(
        n,
        count_of(&|t| matches!(t.state, TicketState::Open | TicketState::Hold))
    );
    let (n, _) = total(&api, &[("state", "snoozed")]).await;
    assert!(n > 0);
    assert_eq!(n, count_of(&|t| t.snoozed_until.is_some()));

    let (n, ids) = total(&api, &[("user_id", "null")]).await;
    assert!(n > 0);
    assert_eq!(n, count_of(&|t| t.user_id.is_none()));
    assert!(
        ids.iter()
            .all(|id| data.ticket(id).unwrap().user_id.is_none())
    );

    let agent = data.users[2].id.clone();
    let (n, _) = total(&api, &[("user_id", &format!("{agent},null"))]).await;
    assert_eq!(
        n,
        count_of(&|t| t.user_id.is_none() || t.user_id.as_deref() == Some(&agent))
    );

    let label = data.labels[0].id.clone();
    let (n, ids) = total(&api, &[("label_id", &label)]).await;
    assert_eq!(n, count_of(&|t| t.label_ids.contains(&label)));
    assert!(
        ids.iter()
            .all(|id| data.ticket(id).unwrap().label_ids.contains(&label))
    );

    let (n, _) = total(&api, &[("type", "email,chat")]).await;
    assert_eq!(
        n,
        count_of(&|t| matches!(t.kind.as_str(), "email" | "chat"))
    );
    let (n, _) = total(&api, &[("spam", "true")]).await;
    assert_eq!(n, count_of(&|t| t.spam));
    let (n, _) = total(&api, &[("trash", "false"), ("spam", "false")]).await;
    assert_eq!(n, count_of(&|t| !t.trash && !t.spam));

    let inbox = data.inboxes[1].id.clone();
    let (n, _) = total(&api, &[("inbox_id", &inbox)]).await;
    assert_eq!(n, count_of(&|t| t.inbox_id == inbox));

    let picked = format!("{},{}", data.tickets[5].id, data.tickets[77].id);
    let (n, ids) = total(&api, &[("id", &picked)]).await;
    assert_eq!(n, 2);
    assert_eq!(
        ids,
        vec![data.tickets[77].id.clone(), data.tickets[5].id.clone()]
    );

    let since = data.tickets[200].created_at.clone();
    let (n, _) = total(&api, &[("since_created_at", &since)]).await;
    assert_eq!(n, count_of(&|t| t.created_at >= since));
    let since = data.tickets[300].updated_at.clone();
    let (n, _) = total(&api, &[("since_updated_at", &since)]).await;
    assert_eq!(n, count_of(&|t| t.updated_at >= since));

    let (n, _) = total(
        &api,
        &[("state", "closed"), ("type", "email"), ("user_id", "null")],
    )
    .await;
    assert_eq!(
        n,
        count_of(&|t| t.state == TicketState::Closed
            && t.kind.as_str() == "email"
            && t.user_id.is_none())
    );

    for bad in [
        ("state", "pending"),
        ("type", "fax"),
        ("spam", "yes"),
        ("since_created_at", "yesterday"),
        ("since_updated_at", "2023-08-02"),
        ("sort", "subject"),
        ("count", "maybe"),
    ] {
        api.get("/tickets", &[bad])
            .await
            .assert_error(StatusCode::BAD_REQUEST);
    }
    sim.shutdown().await;
}

#[tokio::test]
async fn tickets_sort_with_a_total_order() {
    let sim = sim(roomy(300)).await;
    let api = Api::new(&sim);
    let data = sim.dataset();

    let default = api.all_ticket_ids(&[]).await;
    assert_eq!(default, sorted_ids(&data, |t| t.created_at.as_str(), true));
    assert_eq!(
        api.all_ticket_ids(&[("sort", "-created_at")]).await,
        default
    );
    assert_eq!(
        api.all_ticket_ids(&[("sort", "created_at")]).await,
        sorted_ids(&data, |t| t.created_at.as_str(), false)
    );
    assert_eq!(
        api.all_ticket_ids(&[("sort", "-updated_at")]).await,
        sorted_ids(&data, |t| t.updated_at.as_str(), true)
    );
    assert_eq!(
        api.all_ticket_ids(&[("sort", "updated_at")]).await,
        sorted_ids(&data, |t| t.updated_at.as_str(), false)
    );

    let mixed = api.all_ticket_ids(&[("sort", "user_id,-updated_at")]).await;
    assert_eq!(mixed.len(), 300);
    let tickets: Vec<&Ticket> = mixed.iter().map(|id| data.ticket(id).unwrap()).collect();
    for w in tickets.windows(2) {
        assert!(w[0].user_id <= w[1].user_id);
        if w[0].user_id == w[1].user_id {
            assert!(w[0].updated_at >= w[1].updated_at);
        }
    }
    // Filtering and sorting together, paging through a stable order.
    let open = api
        .all_ticket_ids(&[("state", "open"), ("sort", "-updated_at")])
        .await;
    let expected: Vec<String> = sorted_ids(&data, |t| t.updated_at.as_str(), true)
        .into_iter()
        .filter(|id| data.ticket(id).unwrap().state == TicketState::Open)
        .collect();
    assert_eq!(open, expected);
    sim.shutdown().await;
}

#[tokio::test]
async fn list_records_have_exactly_the_documented_ticket_fields() {
    let sim = sim(roomy(60)).await;
    let api = Api::new(&sim);
    let data = sim.dataset();
    let a = api.get("/tickets", &[("per_page", "100")]).await;
    for t in a.array() {
        assert_eq!(keys(t), ticket_keys());
        assert!(t["label_ids"].is_array());
        let truth = data.ticket(t["id"].as_str().unwrap()).unwrap();
        assert_eq!(t, &serde_json::to_value(truth).unwrap());
    }
    assert!(!a.raw.contains("labels_ids"));
    let stamp = a.array()[0]["created_at"].as_str().unwrap();
    assert_eq!(stamp.len(), 20);
    assert!(stamp.ends_with('Z') && stamp.as_bytes()[10] == b'T');
    sim.shutdown().await;
}

#[tokio::test]
async fn single_ticket_embeds_related_records() {
    let sim = sim(roomy(200)).await;
    let api = Api::new(&sim);
    let data = sim.dataset();
    let ticket = data
        .tickets
        .iter()
        .find(|t| t.user_id.is_some() && t.label_ids.len() >= 2 && data.messages[&t.id].len() >= 3)
        .unwrap();
    let a = api
        .get(
            &format!("/tickets/{}", ticket.id),
            &[("embed", "user,inbox,customer,labels,messages")],
        )
        .await;
    assert_eq!(a.status, StatusCode::OK);
    let b = &a.body;
    assert_eq!(b["id"], json!(ticket.id));
    assert_eq!(b["label_ids"], json!(ticket.label_ids));
    assert_eq!(b["user"]["id"], json!(ticket.user_id));
    assert_eq!(
        keys(&b["user"]),
        set(&["email", "first_name", "id", "last_name"])
    );
    assert_eq!(keys(&b["inbox"]), set(&["id", "name"]));
    assert_eq!(b["inbox"]["id"], json!(ticket.inbox_id));
    assert_eq!(b["customer"]["id"], json!(ticket.customer_id));
    assert!(!b["customer"]["contacts"].as_array().unwrap().is_empty());
    assert!(b["customer"].get("created_at").is_none());
    let labels = b["labels"].as_array().unwrap();
    assert_eq!(labels.len(), ticket.label_ids.len());
    assert_eq!(labels[0]["id"], json!(ticket.label_ids[0]));
    assert!(labels[0]["name"].is_string());

    let messages = b["messages"].as_array().unwrap();
    assert_eq!(
        messages,
        &serde_json::to_value(&data.messages[&ticket.id])
            .unwrap()
            .as_array()
            .unwrap()
            .clone()
    );
    let message_keys = set(&[
        "id",
        "type",
        "direction",
        "from_name",
        "from",
        "to",
        "body",
        "more_body",
        "htmlized",
        "user_id",
        "attachments",
        "created_at",
    ]);
    for m in messages {
        assert_eq!(keys(m), message_keys);
        if m["type"] == "note" {
            assert_eq!(m["direction"], Value::Null);
            assert!(m["user_id"].is_string());
        }
    }
    assert_eq!(messages[0]["direction"], "in");
    assert_eq!(messages[0]["user_id"], Value::Null);
    let stamps: Vec<&str> = messages
        .iter()
        .map(|m| m["created_at"].as_str().unwrap())
        .collect();
    assert!(stamps.windows(2).all(|w| w[0] <= w[1]), "oldest first");

    let unassigned = data.tickets.iter().find(|t| t.user_id.is_none()).unwrap();
    let a = api
        .get(&format!("/tickets/{}", unassigned.id), &[("embed", "user")])
        .await;
    assert_eq!(a.body["user"], Value::Null);
    let plain = api.get(&format!("/tickets/{}", unassigned.id), &[]).await;
    assert_eq!(keys(&plain.body), ticket_keys());
    sim.shutdown().await;
}

#[tokio::test]
async fn threads_hold_html_plain_text_notes_and_attachments() {
    let sim = sim(roomy(300)).await;
    let data = sim.dataset();
    let all: Vec<_> = data.messages.values().flatten().collect();
    assert!(
        all.iter()
            .any(|m| m.htmlized && m.body.contains("<a href="))
    );
    assert!(all.iter().any(|m| m.htmlized && m.body.contains("<li>")));
    assert!(all.iter().any(|m| !m.htmlized && m.body.contains('\n')));
    assert!(all.iter().any(|m| m.kind == MessageType::Note));
    assert!(all.iter().any(|m| m.more_body.is_some()));
    let with_file = all.iter().find(|m| !m.attachments.is_empty()).unwrap();
    let api = Api::new(&sim);
    let file = &with_file.attachments[0];
    let a = api.get(&format!("/attachments/{}", file.id), &[]).await;
    assert_eq!(a.body, serde_json::to_value(file).unwrap());
    assert_eq!(keys(&a.body), set(&["id", "name", "size", "type"]));
    sim.shutdown().await;
}

#[tokio::test]
async fn fields_limit_returned_keys() {
    let sim = sim(roomy(40)).await;
    let api = Api::new(&sim);
    let a = api.get("/users", &[("fields", "id,first_name")]).await;
    for u in a.array() {
        assert_eq!(keys(u), set(&["first_name", "id"]));
    }
    let a = api
        .get(
            "/tickets",
            &[("fields", "id,number,label_ids"), ("per_page", "5")],
        )
        .await;
    for t in a.array() {
        assert_eq!(keys(t), set(&["id", "label_ids", "number"]));
    }
    let id = sim.dataset().tickets[3].id.clone();
    let a = api
        .get(
            &format!("/tickets/{id}"),
            &[("fields", "id,subject"), ("embed", "labels")],
        )
        .await;
    assert_eq!(keys(&a.body), set(&["id", "labels", "subject"]));
    let a = api.get("/customers", &[("fields", "id")]).await;
    assert!(a.array().iter().all(|c| keys(c) == set(&["id"])));
    sim.shutdown().await;
}

#[tokio::test]
async fn envelope_always_answers_200_with_status_headers_and_response() {
    let sim = sim(roomy(40)).await;
    let api = Api::new(&sim);
    let a = api
        .get("/users/does-not-exist", &[("envelope", "true")])
        .await;
    assert_eq!(a.status, StatusCode::OK);
    assert_eq!(a.body["status"], 404);
    assert_eq!(a.body["response"], json!({"message": "Not Found"}));
    let h = &a.body["headers"];
    assert_eq!(h["Rate-Limit-Limit"], 1_000_000);
    assert_eq!(h["Rate-Limit-Used"], 0);
    assert!(h["Rate-Limit-Remaining"].is_u64() && h["Rate-Limit-Reset"].is_u64());

    let a = api
        .get(
            "/tickets",
            &[("envelope", "true"), ("count", "true"), ("per_page", "3")],
        )
        .await;
    assert_eq!(a.status, StatusCode::OK);
    assert_eq!(a.body["status"], 200);
    assert_eq!(a.body["headers"]["Total-Count"], 40);
    assert_eq!(a.body["headers"]["Rate-Limit-Used"], 2);
    assert_eq!(a.body["response"].as_array().unwrap().len(), 3);

    let url = format!("{}/tickets?envelope=true", sim.base_url());
    let a = api.raw(api.client.get(&url)).await;
    assert_eq!(a.status, StatusCode::OK);
    assert_eq!(a.body["status"], 401);
    assert_eq!(a.body["response"]["message"], "Unauthorized");

    let a = api
        .send(
            Method::POST,
            "/customers?envelope=true",
            json!({"first_name": "Env"}),
        )
        .await;
    assert_eq!(a.status, StatusCode::OK);
    assert_eq!(a.body["status"], 201);
    assert!(
        a.body["headers"]["Location"]
            .as_str()
            .unwrap()
            .contains("/customers/")
    );
    sim.shutdown().await;
}

#[tokio::test]
async fn method_override_turns_a_post_into_another_verb() {
    let sim = sim(roomy(40)).await;
    let api = Api::new(&sim);
    let data = sim.dataset();
    let ticket = data
        .tickets
        .iter()
        .find(|t| t.state != TicketState::Closed && !t.label_ids.is_empty())
        .unwrap();
    let url = format!("{}/tickets/{}", sim.base_url(), ticket.id);
    let a = api
        .raw(
            api.client
                .post(&url)
                .bearer_auth(sim.token())
                .header("X-HTTP-Method-Override", "PATCH")
                .json(&json!({"state": "closed"})),
        )
        .await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.raw);
    assert_eq!(a.body["state"], "closed");

    let label = &ticket.label_ids[0];
    let a = api
        .raw(
            api.client
                .post(format!("{url}/labels/{label}"))
                .bearer_auth(sim.token())
                .header("X-HTTP-Method-Override", "DELETE"),
        )
        .await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.raw);
    assert!(
        !a.body["label_ids"]
            .as_array()
            .unwrap()
            .contains(&json!(label))
    );

    let a = api
        .raw(
            api.client
                .post(&url)
                .bearer_auth(sim.token())
                .header("X-HTTP-Method-Override", "GET"),
        )
        .await;
    assert_eq!(a.status, StatusCode::OK);
    assert_eq!(a.body["id"], json!(ticket.id));
    sim.shutdown().await;
}

#[tokio::test]
async fn writes_without_json_content_type_answer_415() {
    let sim = sim(roomy(40)).await;
    let api = Api::new(&sim);
    let before = sim.dataset();
    let id = before.tickets[0].id.clone();
    for (method, path) in [
        (Method::PATCH, format!("/tickets/{id}")),
        (Method::POST, format!("/tickets/{id}/messages")),
        (Method::POST, "/attachments".to_string()),
        (Method::PUT, format!("/tickets/{id}/labels/abc")),
    ] {
        let a = api
            .raw(
                api.client
                    .request(method, format!("{}{path}", sim.base_url()))
                    .bearer_auth(sim.token())
                    .header(CONTENT_TYPE, "text/plain")
                    .body(r#"{"state":"closed"}"#),
            )
            .await;
        a.assert_error(StatusCode::UNSUPPORTED_MEDIA_TYPE);
        assert_eq!(a.body, json!({"message": "Unsupported Media Type"}));
    }
    assert_eq!(sim.dataset(), before);
    sim.shutdown().await;
}

#[tokio::test]
async fn invalid_writes_answer_422_with_errors() {
    let sim = sim(roomy(40)).await;
    let api = Api::new(&sim);
    let data = sim.dataset();
    let id = data.tickets[0].id.clone();
    let cases = [
        (
            Method::PATCH,
            format!("/tickets/{id}"),
            json!({"spam": true, "trash": true}),
        ),
        (
            Method::PATCH,
            format!("/tickets/{id}"),
            json!({"state": "archived"}),
        ),
        (
            Method::PATCH,
            format!("/tickets/{id}"),
            json!({"user_id": "nobody"}),
        ),
        (
            Method::PATCH,
            format!("/tickets/{id}"),
            json!({"label_ids": "Refund"}),
        ),
        (
            Method::POST,
            format!("/tickets/{id}/messages"),
            json!({"type": "note", "body": "x"}),
        ),
        (
            Method::POST,
            format!("/tickets/{id}/messages"),
            json!({"type": "reply", "direction": "out", "body": "x", "user_id": data.users[0].id}),
        ),
        (
            Method::POST,
            format!("/tickets/{id}/messages"),
            json!({"type": "reply", "direction": "in"}),
        ),
        (
            Method::POST,
            format!("/tickets/{id}/messages"),
            json!({"type": "fax", "body": "x"}),
        ),
        (
            Method::POST,
            "/attachments".to_string(),
            json!({"name": "a.txt", "type": "text/plain", "data": "@@not base64@@"}),
        ),
        (
            Method::POST,
            "/attachments".to_string(),
            json!({"name": "a.txt"}),
        ),
        (
            Method::POST,
            "/tickets".to_string(),
            json!({"type": "chat", "subject": "x", "customer_id": data.customers[0].id}),
        ),
        (
            Method::POST,
            "/tickets".to_string(),
            json!({"type": "email", "subject": "x"}),
        ),
        (
            Method::POST,
            "/customers".to_string(),
            json!({"contacts": [{"type": "fax", "value": "1"}]}),
        ),
        (
            Method::POST,
            format!("/customers/{}/contacts", data.customers[0].id),
            json!({"type": "email"}),
        ),
    ];
    for (method, path, body) in cases {
        let a = api.send(method.clone(), &path, body.clone()).await;
        a.assert_error(StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(
            a.body["message"], "Validation Failed",
            "{method} {path} {body}"
        );
        let errors = a.body["errors"].as_array().unwrap();
        assert!(!errors.is_empty() && errors.iter().all(|e| e["message"].is_string()));
        assert_eq!(a.used(), 0);
    }
    let a = api
        .raw(
            api.client
                .patch(format!("{}/tickets/{id}", sim.base_url()))
                .bearer_auth(sim.token())
                .header(CONTENT_TYPE, "application/json")
                .body("{not json"),
        )
        .await;
    a.assert_error(StatusCode::BAD_REQUEST);
    assert_eq!(sim.dataset(), data, "failed writes change nothing");
    sim.shutdown().await;
}

#[tokio::test]
async fn undocumented_resources_are_not_found() {
    let sim = sim(roomy(30)).await;
    let api = Api::new(&sim);
    for path in [
        "/labels",
        "/inboxes",
        "/tickets/ffffffff",
        "/customers/ffffffff",
        "/attachments/ffffffff",
        "/tickets/abc/messages",
        "/groups",
    ] {
        let a = api.get(path, &[]).await;
        a.assert_error(StatusCode::NOT_FOUND);
        assert_eq!(a.body, json!({"message": "Not Found"}), "{path}");
    }
    let a = api
        .raw(
            api.client
                .get(format!("http://{}/api/v2/tickets", sim.addr()))
                .bearer_auth(sim.token()),
        )
        .await;
    a.assert_error(StatusCode::NOT_FOUND);
    sim.shutdown().await;
}

#[tokio::test]
async fn same_seed_gives_the_same_helpdesk() {
    let a = sim(roomy(500)).await;
    let b = sim(roomy(500)).await;
    let c = sim(SimConfig {
        seed: 2,
        ..roomy(500)
    })
    .await;
    let (da, db, dc) = (a.dataset(), b.dataset(), c.dataset());
    assert_eq!(da, db);
    assert_ne!(da.tickets, dc.tickets);
    let pa = Api::new(&a)
        .get("/tickets", &[("per_page", "100"), ("sort", "-updated_at")])
        .await;
    let pb = Api::new(&b)
        .get("/tickets", &[("per_page", "100"), ("sort", "-updated_at")])
        .await;
    assert_eq!(pa.raw, pb.raw);

    // Realistic shape.
    assert_eq!(da.users.len(), 8);
    assert!((3..=4).contains(&da.inboxes.len()));
    assert_eq!(da.labels.len(), 10);
    assert_eq!(da.customers.len(), 166);
    let ids: HashSet<&str> = da
        .tickets
        .iter()
        .map(|t| t.id.as_str())
        .chain(da.customers.iter().map(|c| c.id.as_str()))
        .chain(da.messages.values().flatten().map(|m| m.id.as_str()))
        .collect();
    assert_eq!(ids.len(), 500 + 166 + da.message_count());
    assert!(
        da.tickets
            .windows(2)
            .any(|w| w[0].created_at == w[1].created_at),
        "tickets sharing a second"
    );
    for t in &da.tickets {
        assert!(t.id.len() == 6 && t.id.chars().all(|c| c.is_ascii_hexdigit()));
        assert!(t.updated_at >= t.created_at);
        assert!(t.created_at <= da.reference_time);
    }
    for s in ["open", "hold", "closed", "snoozed", "archived"] {
        assert!(da.tickets.iter().any(|t| t.state.as_str() == s), "{s}");
    }
    for k in [
        "email",
        "twitter",
        "twitter_dm",
        "phone",
        "chat",
        "web",
        "sms",
        "whatsapp",
        "fb_messenger",
        "instagram_dm",
        "call",
    ] {
        assert!(da.tickets.iter().any(|t| t.kind.as_str() == k), "{k}");
    }
    a.shutdown().await;
    b.shutdown().await;
    c.shutdown().await;
}

#[tokio::test]
async fn an_early_ticket_carries_a_hostile_html_body() {
    let sim = sim(SimConfig::demo()).await;
    let data = sim.dataset();
    let (ticket, message) = data.hostile_message().expect("hostile message");
    assert_eq!(ticket.number, 3);
    assert!(message.htmlized);
    assert!(HOSTILE_HTML.contains("<script>") && HOSTILE_HTML.contains("onerror="));
    assert!(HOSTILE_HTML.contains("javascript:"));
    let api = Api::new(&sim);
    let a = api
        .get(&format!("/tickets/{}", ticket.id), &[("embed", "messages")])
        .await;
    assert_eq!(a.body["messages"][0]["body"], HOSTILE_HTML);
    assert_eq!(a.body["messages"][0]["htmlized"], true);
    assert_eq!(a.body["state"], "open");
    sim.shutdown().await;
}

#[tokio::test]
async fn the_demo_helpdesk_syncs_quickly() {
    let config = SimConfig::demo();
    assert_eq!(
        (config.seed, config.tickets, config.token.as_str()),
        (7, 300, "ticketdeck-demo")
    );
    let sim = sim(config).await;
    let api = Api::new(&sim);
    let ids = api.all_ticket_ids(&[]).await;
    assert_eq!(ids.len(), 300);
    assert_eq!(sim.rate_limited_count(), 0);
    sim.shutdown().await;
}

#[tokio::test]
async fn ticket_writes_update_the_ground_truth_and_updated_at() {
    let sim = sim(roomy(60)).await;
    let api = Api::new(&sim);
    let data = sim.dataset();
    let ticket = data
        .tickets
        .iter()
        .find(|t| t.number == 10)
        .unwrap()
        .clone();
    let path = format!("/tickets/{}", ticket.id);
    let agent = data.users[4].id.clone();
    let labels = [data.labels[1].id.clone(), data.labels[2].id.clone()];

    let a = api
        .send(
            Method::PATCH,
            &path,
            json!({"user_id": agent, "state": "hold", "label_ids": labels, "subject": "Renamed", "trash": false}),
        )
        .await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.raw);
    assert_eq!(a.body["user_id"], json!(agent));
    assert_eq!(a.body["state"], "hold");
    assert_eq!(a.body["label_ids"], json!(labels));
    assert_eq!(a.body["subject"], "Renamed");
    let bumped = a.body["updated_at"].as_str().unwrap().to_string();
    assert!(bumped > ticket.updated_at);
    let after = sim.dataset();
    assert_eq!(after.ticket(&ticket.id).unwrap().subject, "Renamed");
    let recent = api
        .get(
            "/tickets",
            &[("since_updated_at", &bumped), ("sort", "-updated_at")],
        )
        .await;
    assert_eq!(recent.ids()[0], ticket.id);

    let a = api
        .send(Method::PATCH, &path, json!({"user_id": null}))
        .await;
    assert_eq!(a.body["user_id"], Value::Null);

    let a = api
        .send(
            Method::PUT,
            &format!("{path}/labels/{}", data.labels[5].id),
            Value::Null,
        )
        .await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.raw);
    assert_eq!(a.body["label_ids"].as_array().unwrap().len(), 3);
    let a = api
        .send(
            Method::DELETE,
            &format!("{path}/labels/{},{}", labels[0], labels[1]),
            Value::Null,
        )
        .await;
    assert_eq!(a.body["label_ids"], json!([data.labels[5].id]));

    // Attachment upload with the doc's own sample, then a note using it.
    let sample = "UEsDBAoAAAAAAFmu/kLPx4wKGwAAABsAAAAKABwAcmVhZG1lLnR4dFVUCQAD\nOjX4UTo1+FF1eAsAAQToAwAABOgDAABNYXkgdGhlIGZvcmNlIGJlIHdpdGgg\neW91LgpQSwECHgMKAAAAAABZrv5Cz8eMChsAAAAbAAAACgAYAAAAAAABAAAA\ntIEAAAAAcmVhZG1lLnR4dFVUBQADOjX4UXV4CwABBOgDAAAE6AMAAFBLBQYA\nAAAAAQABAFAAAABfAAAAAAA=";
    let a = api
        .send(
            Method::POST,
            "/attachments",
            json!({"name": "MyFile.zip", "type": "application/zip", "data": sample}),
        )
        .await;
    assert_eq!(a.status, StatusCode::CREATED, "{}", a.raw);
    assert_eq!(a.body["size"], 197);
    assert_eq!(a.body["type"], "application/zip");
    let file = a.body["id"].as_str().unwrap().to_string();
    assert_eq!(
        a.headers.get(LOCATION).unwrap().to_str().unwrap(),
        format!("{}/attachments/{file}", sim.base_url())
    );
    assert_eq!(
        api.get(&format!("/attachments/{file}"), &[]).await.body["name"],
        "MyFile.zip"
    );

    let note = json!({"type": "note", "body": "Attaching the file!", "htmlized": false, "user_id": data.users[0].id, "attachment_ids": [file]});
    let a = api
        .send(Method::POST, &format!("{path}/messages"), note.clone())
        .await;
    assert_eq!(a.status, StatusCode::CREATED, "{}", a.raw);
    assert!(a.headers.get(LOCATION).is_some());
    assert_eq!(a.body["attachments"][0]["id"], json!(file));
    assert_eq!(a.body["direction"], Value::Null);
    let reused = api
        .send(Method::POST, &format!("{path}/messages"), note)
        .await;
    reused.assert_error(StatusCode::UNPROCESSABLE_ENTITY);

    // The doc's minimal samples (no htmlized, no from_name) are accepted.
    let a = api
        .send(
            Method::POST,
            &format!("{path}/messages"),
            json!({"direction": "in", "type": "reply", "from": "chris@example.com", "body": "Thank you for your help!"}),
        )
        .await;
    assert_eq!(a.status, StatusCode::CREATED, "{}", a.raw);
    assert_eq!(a.body["htmlized"], false);
    assert_eq!(a.body["user_id"], Value::Null);
    let a = api
        .send(
            Method::POST,
            &format!("{path}/messages"),
            json!({"direction": "out", "type": "reply", "to": "chris@example.com", "body": "Hi Chris, I can help!", "user_id": data.users[1].id}),
        )
        .await;
    assert_eq!(a.status, StatusCode::CREATED, "{}", a.raw);
    assert_eq!(a.body["from_name"], json!(data.users[1].first_name));

    let thread = api.get(&path, &[("embed", "messages")]).await;
    let messages = thread.body["messages"].as_array().unwrap();
    assert_eq!(messages.len(), data.messages[&ticket.id].len() + 3);
    assert_eq!(messages.last().unwrap()["body"], "Hi Chris, I can help!");
    assert!(thread.body["updated_at"].as_str().unwrap() >= bumped.as_str());
    sim.shutdown().await;
}

#[tokio::test]
async fn new_tickets_and_customers_are_created_with_location() {
    let sim = sim(roomy(40)).await;
    let api = Api::new(&sim);
    let data = sim.dataset();
    let inbox = data.inboxes[1].id.clone();
    let agent = data.users[3].id.clone();
    let a = api
        .send(
            Method::POST,
            "/tickets",
            json!({
                "customer": {"first_name": "John", "last_name": "Smith",
                             "contacts": [{"type": "email", "value": "john.new@example.com"}]},
                "messages": [
                    {"type": "note", "user_id": agent, "body": "IP address: 1.2.3.4"},
                    {"type": "reply", "direction": "in", "from_name": "John Smith",
                     "from": "john.new@example.com", "body": "My package didn't arrive. Help!"}
                ],
                "type": "email", "user_id": agent, "inbox_id": inbox, "subject": "Where's my package?"
            }),
        )
        .await;
    assert_eq!(a.status, StatusCode::CREATED, "{}", a.raw);
    assert_eq!(keys(&a.body), ticket_keys());
    assert_eq!(a.body["number"], 41);
    assert_eq!(a.body["state"], "open");
    assert_eq!(a.body["label_ids"], json!([]));
    let id = a.body["id"].as_str().unwrap().to_string();
    assert_eq!(
        a.headers.get(LOCATION).unwrap().to_str().unwrap(),
        format!("{}/tickets/{id}", sim.base_url())
    );
    let customer_id = a.body["customer_id"].as_str().unwrap().to_string();
    let found = api
        .get(
            "/customers",
            &[
                ("contacts.type", "email"),
                ("contacts.value", "john.new@example.com"),
            ],
        )
        .await;
    assert_eq!(found.ids(), vec![customer_id.clone()]);
    let thread = api
        .get(&format!("/tickets/{id}"), &[("embed", "messages")])
        .await;
    assert_eq!(thread.body["messages"].as_array().unwrap().len(), 2);
    let newest = api.get("/tickets", &[("per_page", "1")]).await;
    assert_eq!(newest.ids(), vec![id]);

    // The same contact finds the existing customer instead of creating another.
    let a = api
        .send(
            Method::POST,
            "/tickets",
            json!({"type": "email", "subject": "Again",
                   "customer": {"contacts": [{"type": "email", "value": "John.New@example.com"}]}}),
        )
        .await;
    assert_eq!(a.body["customer_id"], json!(customer_id));
    assert_eq!(a.body["inbox_id"], json!(data.inboxes[0].id));

    // Customers and contacts.
    let a = api
        .send(
            Method::POST,
            "/customers",
            json!({"first_name": "Maggie", "last_name": "Miller",
                   "contacts": [{"type": "email", "value": "maggie.new@example.com"}]}),
        )
        .await;
    assert_eq!(a.status, StatusCode::CREATED);
    assert_eq!(a.body["summary"], Value::Null);
    let cid = a.body["id"].as_str().unwrap().to_string();
    assert!(
        a.headers
            .get(LOCATION)
            .unwrap()
            .to_str()
            .unwrap()
            .ends_with(&format!("/customers/{cid}"))
    );
    let a = api
        .send(
            Method::PATCH,
            &format!("/customers/{cid}"),
            json!({"first_name": "Maggy", "summary": "VIP customer"}),
        )
        .await;
    assert_eq!(
        (a.body["first_name"].as_str(), a.body["summary"].as_str()),
        (Some("Maggy"), Some("VIP customer"))
    );
    let a = api
        .send(
            Method::POST,
            &format!("/customers/{cid}/contacts"),
            json!({"type": "twitter", "value": "maggy"}),
        )
        .await;
    assert_eq!(a.status, StatusCode::CREATED);
    let contact = a.body["id"].as_str().unwrap().to_string();
    assert!(
        a.headers
            .get(LOCATION)
            .unwrap()
            .to_str()
            .unwrap()
            .ends_with(&format!("/customers/{cid}/contacts/{contact}"))
    );
    assert_eq!(
        api.get(&format!("/customers/{cid}"), &[]).await.body["contacts"]
            .as_array()
            .unwrap()
            .len(),
        2
    );
    let a = api
        .send(
            Method::DELETE,
            &format!("/customers/{cid}/contacts/{contact}"),
            Value::Null,
        )
        .await;
    assert_eq!(a.status, StatusCode::NO_CONTENT);
    assert!(a.raw.is_empty());
    let again = api
        .send(
            Method::DELETE,
            &format!("/customers/{cid}/contacts/{contact}"),
            Value::Null,
        )
        .await;
    again.assert_error(StatusCode::NOT_FOUND);
    let a = api
        .send(
            Method::PATCH,
            &format!("/customers/{cid}"),
            json!({"contacts": [{"type": "phone", "value": "+15550001"}]}),
        )
        .await;
    assert_eq!(a.body["contacts"][0]["type"], "phone");
    assert_eq!(a.body["contacts"].as_array().unwrap().len(), 1);
    sim.shutdown().await;
}

#[tokio::test]
async fn customers_list_sorts_filters_and_looks_up_contacts() {
    let sim = sim(roomy(300)).await;
    let api = Api::new(&sim);
    let data = sim.dataset();
    assert_eq!(data.customers.len(), 100);
    let a = api
        .get("/customers", &[("count", "true"), ("per_page", "100")])
        .await;
    assert_eq!(a.header("Total-Count"), Some(100));
    let mut expected: Vec<_> = data.customers.iter().collect();
    expected.sort_by(|x, y| (&y.created_at, &y.id).cmp(&(&x.created_at, &x.id)));
    let expected_ids: Vec<String> = expected.iter().map(|c| c.id.clone()).collect();
    assert_eq!(a.ids(), expected_ids);
    let asc = api
        .get("/customers", &[("sort", "created_at"), ("per_page", "100")])
        .await;
    assert_eq!(
        asc.ids(),
        expected_ids.iter().rev().cloned().collect::<Vec<_>>()
    );
    for c in a.array() {
        assert_eq!(
            keys(c),
            set(&["contacts", "first_name", "id", "last_name", "summary"])
        );
    }

    let since = expected[30].created_at.clone();
    let a = api
        .get(
            "/customers",
            &[("since_created_at", &since), ("count", "true")],
        )
        .await;
    assert_eq!(
        a.header("Total-Count"),
        Some(
            data.customers
                .iter()
                .filter(|c| c.created_at >= since)
                .count() as u64
        )
    );

    let target = data
        .customers
        .iter()
        .find(|c| c.contacts.len() >= 2)
        .unwrap();
    for contact in &target.contacts {
        let a = api
            .get(
                "/customers",
                &[
                    ("contacts.type", contact.kind.as_str()),
                    ("contacts.value", &contact.value),
                ],
            )
            .await;
        assert_eq!(a.ids(), vec![target.id.clone()]);
    }
    let a = api
        .get(
            "/customers",
            &[
                ("contacts.type", "email"),
                ("contacts.value", "nobody@nowhere.test"),
            ],
        )
        .await;
    assert!(a.array().is_empty());
    api.get("/customers", &[("contacts.type", "fax")])
        .await
        .assert_error(StatusCode::BAD_REQUEST);
    api.get("/customers", &[("sort", "name")])
        .await
        .assert_error(StatusCode::BAD_REQUEST);
    let one = api.get(&format!("/customers/{}", target.id), &[]).await;
    assert_eq!(one.body, serde_json::to_value(target).unwrap());
    sim.shutdown().await;
}

#[tokio::test]
async fn injected_server_errors_have_no_body_and_cost_nothing() {
    let sim = sim(roomy(30)).await;
    let api = Api::new(&sim);
    sim.inject_server_errors(2, 503);
    for _ in 0..2 {
        let a = api.get("/users", &[]).await;
        assert_eq!(a.status, StatusCode::SERVICE_UNAVAILABLE);
        assert!(a.raw.is_empty());
        assert_eq!(a.used(), 0);
    }
    assert_eq!(api.get("/users", &[]).await.status, StatusCode::OK);
    sim.shutdown().await;
}

#[tokio::test]
async fn the_binary_prints_base_url_and_token() {
    use std::io::{BufRead, BufReader};
    use std::process::{Command, Stdio};
    let mut child = Command::new(env!("CARGO_BIN_EXE_deck-sim"))
        .args([
            "--port",
            "0",
            "--tickets",
            "40",
            "--token",
            "bin-token",
            "--seed",
            "3",
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let base = lines.next().unwrap().unwrap();
    let token = lines.next().unwrap().unwrap();
    let base = base.strip_prefix("base_url=").unwrap().to_string();
    assert!(base.starts_with("http://127.0.0.1:") && base.ends_with("/api/v1"));
    assert_eq!(token, "token=bin-token");
    let r = Client::new()
        .get(format!("{base}/users"))
        .bearer_auth("bin-token")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    child.kill().unwrap();
    child.wait().unwrap();
}
