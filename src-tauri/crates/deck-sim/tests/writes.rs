//! Every write the Enchant REST API documents, checked against the doc over real HTTP, and
//! the knobs that make writes fail the way networks and help desks do: answers dropped or
//! stalled after the work, a help desk that is down, tickets deleted meanwhile.

mod support;

use support::{Api, client};

use std::time::{Duration, Instant};

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use deck_sim::enchant::{
    CHANGE_TICKETS_PATH, MAX_BODY_BYTES, RATE_LIMIT_PATH, TicketState, UNAVAILABLE_PATH,
};
use deck_sim::{RunningSim, SimConfig, start};
use reqwest::header::CONTENT_TYPE;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

/// Limits that never get in the way.
fn roomy() -> SimConfig {
    SimConfig {
        tickets: 40,
        credits_per_window: 1_000_000,
        window: Duration::from_secs(60),
        burst_per_second: 1_000_000,
        ..SimConfig::default()
    }
}

async fn sim(config: SimConfig) -> RunningSim {
    start(config, "127.0.0.1:0".parse().unwrap()).await.unwrap()
}

fn note(user: &str, body: &str) -> Value {
    json!({"type": "note", "user_id": user, "body": body, "htmlized": false})
}

fn count_bodies(sim: &RunningSim, ticket: &str, body: &str) -> usize {
    sim.messages_of(ticket)
        .iter()
        .filter(|m| m.body == body)
        .count()
}

#[tokio::test]
async fn patching_a_ticket_sets_each_documented_field_and_bumps_updated_at() {
    let sim = sim(roomy()).await;
    let api = Api::new(&sim);
    let data = sim.dataset();
    let ticket = data.tickets.iter().find(|t| !t.spam && !t.trash).unwrap();
    let path = format!("/tickets/{}", ticket.id);
    let user = &data.users[1].id;
    let inbox = data
        .inboxes
        .iter()
        .find(|i| i.id != ticket.inbox_id)
        .unwrap();
    let labels = [data.labels[0].id.clone(), data.labels[3].id.clone()];

    let a = api
        .send(
            Method::PATCH,
            &path,
            json!({"user_id": user, "inbox_id": inbox.id, "state": "hold",
                   "label_ids": [labels[0], labels[1], labels[0]], "subject": "Renamed"}),
        )
        .await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.raw);
    assert_eq!(a.used(), 1);
    let stored = sim.dataset().ticket(&ticket.id).unwrap().clone();
    assert_eq!(a.body, serde_json::to_value(&stored).unwrap());
    assert_eq!(stored.user_id.as_ref(), Some(user));
    assert_eq!(stored.inbox_id, inbox.id);
    assert_eq!(stored.state, TicketState::Hold);
    assert_eq!(stored.label_ids, labels, "set, without duplicates");
    assert_eq!(stored.subject, "Renamed");
    assert!(stored.updated_at > ticket.updated_at);
    let since = api
        .get(
            "/tickets",
            &[
                ("since_updated_at", &stored.updated_at),
                ("per_page", "100"),
            ],
        )
        .await;
    assert!(since.raw.contains(&ticket.id), "incremental sync sees it");

    for state in ["open", "closed", "hold"] {
        let a = api
            .send(Method::PATCH, &path, json!({"state": state}))
            .await;
        assert_eq!(a.body["state"], state);
    }
    let a = api
        .send(
            Method::PATCH,
            &path,
            json!({"label_ids": [], "user_id": null}),
        )
        .await;
    assert_eq!(a.body["label_ids"], json!([]), "an empty array removes all");
    assert_eq!(a.body["user_id"], Value::Null);
    let a = api.send(Method::PATCH, &path, json!({"trash": true})).await;
    assert_eq!(
        (a.body["trash"].as_bool(), a.body["spam"].as_bool()),
        (Some(true), Some(false))
    );
    let a = api
        .send(Method::PATCH, &path, json!({"trash": false, "spam": true}))
        .await;
    assert_eq!(
        (a.body["trash"].as_bool(), a.body["spam"].as_bool()),
        (Some(false), Some(true))
    );
    sim.shutdown().await;
}

#[tokio::test]
async fn invalid_ticket_patches_answer_422_and_change_nothing() {
    let sim = sim(roomy()).await;
    let api = Api::new(&sim);
    let data = sim.dataset();
    let clean = data.tickets.iter().find(|t| !t.spam && !t.trash).unwrap();
    let path = format!("/tickets/{}", clean.id);

    let a = api
        .send(Method::PATCH, &path, json!({"spam": true, "trash": true}))
        .await;
    assert_eq!(a.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        a.body,
        json!({"message": "Validation Failed",
               "errors": [{"message": "spam and trash cannot both be true at the same time"}]})
    );
    assert_eq!(a.used(), 0);

    let label = &data.labels[0].id;
    for (body, expected) in [
        (json!({"user_id": "nobody"}), "user_id"),
        (json!({"inbox_id": "nowhere"}), "inbox_id"),
        (json!({"inbox_id": null}), "inbox_id"),
        (json!({"label_ids": [label, "nolabel"]}), "nolabel"),
        (json!({"label_ids": "Refund"}), "label_ids"),
        (json!({"state": "snoozed"}), "state"),
        (json!({"state": "archived"}), "state"),
        (json!({"spam": "yes"}), "spam"),
        (json!({"subject": null}), "subject"),
    ] {
        let errors = api
            .send(Method::PATCH, &path, body.clone())
            .await
            .validation_errors();
        assert!(
            errors.iter().any(|e| e.contains(expected)),
            "{body}: {errors:?}"
        );
    }
    // One flag set on a ticket already flagged the other way is refused as well.
    api.send(Method::PATCH, &path, json!({"spam": true})).await;
    let errors = api
        .send(Method::PATCH, &path, json!({"trash": true}))
        .await
        .validation_errors();
    assert!(errors[0].contains("spam and trash"), "{errors:?}");
    let stored = sim.dataset().ticket(&clean.id).unwrap().clone();
    assert!(stored.spam && !stored.trash);
    assert_eq!(
        (
            stored.user_id,
            stored.inbox_id,
            stored.state,
            stored.label_ids
        ),
        (
            clean.user_id.clone(),
            clean.inbox_id.clone(),
            clean.state,
            clean.label_ids.clone()
        )
    );
    sim.shutdown().await;
}

#[tokio::test]
async fn labels_are_added_and_removed_without_touching_the_others() {
    let sim = sim(roomy()).await;
    let api = Api::new(&sim);
    let data = sim.dataset();
    let ticket = &data.tickets[5];
    let path = format!("/tickets/{}", ticket.id);
    let [a_label, b_label, c_label] = [0, 1, 2].map(|i| data.labels[i].id.clone());
    api.send(Method::PATCH, &path, json!({"label_ids": [a_label]}))
        .await;

    let put = api
        .bare(Method::PUT, &format!("{path}/labels/{b_label},{c_label}"))
        .await;
    assert_eq!(put.status, StatusCode::OK, "{}", put.raw);
    assert_eq!(put.used(), 1);
    assert_eq!(put.body["label_ids"], json!([a_label, b_label, c_label]));
    let again = api
        .bare(Method::PUT, &format!("{path}/labels/{b_label}"))
        .await;
    assert_eq!(again.body["label_ids"], json!([a_label, b_label, c_label]));

    let before = sim.dataset().ticket(&ticket.id).unwrap().updated_at.clone();
    let delete = api
        .bare(
            Method::DELETE,
            &format!("{path}/labels/{a_label},{c_label}"),
        )
        .await;
    assert_eq!(delete.status, StatusCode::OK, "{}", delete.raw);
    assert_eq!(delete.body["label_ids"], json!([b_label]));
    let stored = sim.dataset().ticket(&ticket.id).unwrap().clone();
    assert_eq!(stored.label_ids, vec![b_label.clone()]);
    assert!(stored.updated_at >= before && stored.updated_at > ticket.updated_at);

    let errors = api
        .bare(Method::PUT, &format!("{path}/labels/{a_label},nolabel"))
        .await
        .validation_errors();
    assert_eq!(errors, vec!["label_id is not valid: nolabel"]);
    api.bare(Method::DELETE, &format!("{path}/labels/nolabel"))
        .await
        .validation_errors();
    assert_eq!(
        sim.dataset().ticket(&ticket.id).unwrap().label_ids,
        vec![b_label]
    );
    sim.shutdown().await;
}

#[tokio::test]
async fn new_tickets_need_type_email_a_subject_and_a_customer() {
    let sim = sim(roomy()).await;
    let api = Api::new(&sim);
    let data = sim.dataset();
    let customer = &data.customers[2];
    let user = &data.users[0].id;

    for (body, expected) in [
        (
            json!({"type": "chat", "subject": "x", "customer_id": customer.id}),
            "type",
        ),
        (json!({"subject": "x", "customer_id": customer.id}), "type"),
        (
            json!({"type": "email", "customer_id": customer.id}),
            "subject",
        ),
        (json!({"type": "email", "subject": "x"}), "customer_id"),
        (
            json!({"type": "email", "subject": "x", "customer_id": "nobody"}),
            "customer_id",
        ),
        (
            json!({"type": "email", "subject": "x", "customer_id": customer.id, "user_id": "nobody"}),
            "user_id",
        ),
        (
            json!({"type": "email", "subject": "x", "customer_id": customer.id, "inbox_id": "nowhere"}),
            "inbox_id",
        ),
        (
            json!({"type": "email", "subject": "x",
                "customer": {"contacts": [{"type": "fax", "value": "1"}]}}),
            "type must be one of",
        ),
        (
            json!({"type": "email", "subject": "x", "customer_id": customer.id,
                "messages": [{"type": "note", "body": "no user"}]}),
            "messages[0]: user_id",
        ),
    ] {
        let errors = api
            .send(Method::POST, "/tickets", body.clone())
            .await
            .validation_errors();
        assert!(
            errors.iter().any(|e| e.contains(expected)),
            "{body}: {errors:?}"
        );
    }
    assert_eq!(sim.dataset(), data, "refused creates change nothing");

    // By customer_id, with messages alongside: 201, Location, the new ticket's fields.
    let a = api
        .send(
            Method::POST,
            "/tickets",
            json!({"type": "email", "subject": "Where's my package?", "customer_id": customer.id,
                   "user_id": user, "messages": [note(user, "Created with a note")]}),
        )
        .await;
    assert_eq!(a.status, StatusCode::CREATED, "{}", a.raw);
    assert_eq!(a.used(), 1);
    let id = a.id();
    assert_eq!(a.location(), format!("{}/tickets/{id}", sim.base_url()));
    assert_eq!(a.body["state"], "open");
    assert_eq!(a.body["type"], "email");
    assert_eq!(a.body["customer_id"], json!(customer.id));
    assert_eq!(a.body["number"], json!(data.tickets.len() + 1));
    assert_eq!(count_bodies(&sim, &id, "Created with a note"), 1);

    // A customer object finds the customer by contact, else creates one.
    let contact = &customer.contacts[0];
    let a = api
        .send(
            Method::POST,
            "/tickets",
            json!({"type": "email", "subject": "Known",
                   "customer": {"contacts": [{"type": contact.kind.as_str(), "value": contact.value}]}}),
        )
        .await;
    assert_eq!(a.body["customer_id"], json!(customer.id));
    let a = api
        .send(
            Method::POST,
            "/tickets",
            json!({"type": "email", "subject": "Unknown",
                   "customer": {"first_name": "Zed", "contacts": [{"type": "email", "value": "zed@new.test"}]}}),
        )
        .await;
    assert_eq!(a.status, StatusCode::CREATED, "{}", a.raw);
    let created = sim
        .dataset()
        .customer(a.body["customer_id"].as_str().unwrap())
        .unwrap()
        .clone();
    assert_eq!(created.first_name.as_deref(), Some("Zed"));
    assert_eq!(created.contacts[0].value, "zed@new.test");
    assert_eq!(sim.dataset().customers.len(), data.customers.len() + 1);
    sim.shutdown().await;
}

#[tokio::test]
async fn messages_require_the_fields_of_their_kind() {
    let sim = sim(roomy()).await;
    let api = Api::new(&sim);
    let data = sim.dataset();
    let ticket = &data.tickets[7];
    let path = format!("/tickets/{}/messages", ticket.id);
    let user = &data.users[2].id;

    for (body, expected) in [
        (json!({"body": "x", "user_id": user}), "type"),
        (json!({"type": "fax", "body": "x"}), "type"),
        (json!({"type": "note", "user_id": user}), "body"),
        (json!({"type": "note", "body": "x"}), "user_id"),
        (
            json!({"type": "note", "body": "x", "user_id": "nobody"}),
            "user_id",
        ),
        (
            json!({"type": "note", "body": "x", "user_id": user, "htmlized": "no"}),
            "htmlized",
        ),
        (
            json!({"type": "reply", "body": "x", "from": "a@b.test"}),
            "direction",
        ),
        (
            json!({"type": "reply", "direction": "sideways", "body": "x"}),
            "direction",
        ),
        (
            json!({"type": "reply", "direction": "in", "body": "x"}),
            "from",
        ),
        (
            json!({"type": "reply", "direction": "out", "body": "x", "to": "a@b.test"}),
            "user_id",
        ),
        (
            json!({"type": "reply", "direction": "out", "body": "x", "user_id": user}),
            "to",
        ),
        (
            json!({"type": "note", "body": "x", "user_id": user, "attachment_ids": ["nofile"]}),
            "attachment_ids",
        ),
    ] {
        let errors = api
            .send(Method::POST, &path, body.clone())
            .await
            .validation_errors();
        assert!(
            errors.iter().any(|e| e.contains(expected)),
            "{body}: {errors:?}"
        );
    }
    assert_eq!(sim.messages_of(&ticket.id), data.messages[&ticket.id]);

    // The doc's tables, with every required field.
    let sent = [
        json!({"type": "note", "user_id": user, "body": "<b>note</b>", "htmlized": true}),
        json!({"type": "reply", "direction": "in", "from_name": "Chris", "from": "chris@example.com",
               "body": "in", "htmlized": false}),
        json!({"type": "reply", "direction": "out", "user_id": user, "to": "chris@example.com",
               "body": "out", "htmlized": false}),
    ];
    let mut updated = ticket.updated_at.clone();
    for body in sent {
        let a = api.send(Method::POST, &path, body.clone()).await;
        assert_eq!(a.status, StatusCode::CREATED, "{}", a.raw);
        assert_eq!(a.used(), 1);
        assert_eq!(
            a.location(),
            format!("{}{path}/{}", sim.base_url(), a.id()),
            "Location names the message under its ticket"
        );
        let stored = sim.messages_of(&ticket.id).last().unwrap().clone();
        assert_eq!(a.body, serde_json::to_value(&stored).unwrap());
        assert_eq!(a.body["body"], body["body"]);
        let now = sim.dataset().ticket(&ticket.id).unwrap().updated_at.clone();
        assert!(
            now >= updated && now > ticket.updated_at,
            "a message bumps updated_at"
        );
        updated = now;
    }
    let thread = sim.messages_of(&ticket.id);
    assert_eq!(thread.len(), data.messages[&ticket.id].len() + 3);
    let [n, i, o] = [
        &thread[thread.len() - 3],
        &thread[thread.len() - 2],
        &thread[thread.len() - 1],
    ];
    assert!(n.htmlized && n.direction.is_none() && n.user_id.as_ref() == Some(user));
    assert_eq!(
        (i.from.as_deref(), i.user_id.as_deref()),
        (Some("chris@example.com"), None)
    );
    assert_eq!(
        (o.to.as_deref(), o.user_id.as_ref()),
        (Some("chris@example.com"), Some(user))
    );
    assert!(sim.messages_of("nosuchticket").is_empty());
    sim.shutdown().await;
}

#[tokio::test]
async fn attachments_need_valid_base64_and_join_one_message_only() {
    let sim = sim(roomy()).await;
    let api = Api::new(&sim);
    let data = sim.dataset();
    let ticket = &data.tickets[3];
    let user = &data.users[0].id;
    let path = format!("/tickets/{}/messages", ticket.id);

    for (body, expected) in [
        (json!({"type": "text/plain", "data": "aGk="}), "name"),
        (json!({"name": "a.txt", "data": "aGk="}), "type"),
        (json!({"name": "a.txt", "type": "text/plain"}), "data"),
        (
            json!({"name": "a.txt", "type": "text/plain", "data": "@@not base64@@"}),
            "base64",
        ),
        (
            json!({"name": "a.txt", "type": "text/plain", "data": "aGk=aGk="}),
            "base64",
        ),
        (
            json!({"name": "a.txt", "type": "text/plain", "data": 42}),
            "data",
        ),
    ] {
        let errors = api
            .send(Method::POST, "/attachments", body.clone())
            .await
            .validation_errors();
        assert!(
            errors.iter().any(|e| e.contains(expected)),
            "{body}: {errors:?}"
        );
    }
    assert_eq!(sim.dataset().attachments, data.attachments);

    let upload = |name: &str, bytes: &[u8]| json!({"name": name, "type": "text/plain", "data": STANDARD.encode(bytes)});
    let a = api
        .send(
            Method::POST,
            "/attachments",
            upload("hello.txt", b"hello, world"),
        )
        .await;
    assert_eq!(a.status, StatusCode::CREATED, "{}", a.raw);
    assert_eq!(a.used(), 1);
    let file = a.id();
    assert_eq!(
        a.location(),
        format!("{}/attachments/{file}", sim.base_url())
    );
    assert_eq!(
        a.body,
        json!({"id": file, "name": "hello.txt", "type": "text/plain", "size": 12})
    );

    // Listed twice in one message it is attached once; a second message may not take it.
    let mut first = note(user, "with the file");
    first["attachment_ids"] = json!([file, file]);
    let a = api.send(Method::POST, &path, first).await;
    assert_eq!(a.status, StatusCode::CREATED, "{}", a.raw);
    assert_eq!(
        a.body["attachments"],
        json!([{"id": file, "name": "hello.txt", "type": "text/plain", "size": 12}])
    );
    let mut second = note(user, "the same file again");
    second["attachment_ids"] = json!([file]);
    let errors = api
        .send(Method::POST, &path, second)
        .await
        .validation_errors();
    assert!(errors[0].contains(&file), "{errors:?}");
    assert_eq!(count_bodies(&sim, &ticket.id, "the same file again"), 0);

    // Nor may two messages of a new ticket share one.
    let other = api
        .send(Method::POST, "/attachments", upload("other.txt", b"x"))
        .await
        .id();
    let mut m1 = note(user, "one");
    m1["attachment_ids"] = json!([other]);
    let mut m2 = note(user, "two");
    m2["attachment_ids"] = json!([other]);
    let errors = api
        .send(
            Method::POST,
            "/tickets",
            json!({"type": "email", "subject": "Shared file", "customer_id": data.customers[0].id,
                   "messages": [m1, m2]}),
        )
        .await
        .validation_errors();
    assert!(
        errors[0].starts_with("messages[1]: attachment_ids"),
        "{errors:?}"
    );
    assert_eq!(sim.dataset().tickets.len(), data.tickets.len());
    sim.shutdown().await;
}

#[tokio::test]
async fn a_20_mb_file_uploads_and_bodies_over_the_limit_answer_413() {
    let sim = sim(roomy()).await;
    let api = Api::new(&sim);
    let file: Vec<u8> = (0..20u32 << 20)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 24) as u8)
        .collect();
    let a = api
        .send(
            Method::POST,
            "/attachments",
            json!({"name": "big.bin", "type": "application/octet-stream", "data": STANDARD.encode(&file)}),
        )
        .await;
    assert_eq!(a.status, StatusCode::CREATED, "{}", a.raw);
    assert_eq!(a.body["size"], json!(file.len()));

    let before = sim.dataset().attachments.len();
    let too_big = format!(
        r#"{{"name":"huge.bin","type":"application/octet-stream","data":"{}"}}"#,
        "A".repeat(MAX_BODY_BYTES)
    );
    let a = api
        .raw(
            api.request(Method::POST, "/attachments")
                .header(CONTENT_TYPE, "application/json")
                .body(too_big),
        )
        .await;
    assert_eq!(a.status, StatusCode::PAYLOAD_TOO_LARGE, "{}", a.raw);
    assert_eq!(a.headers[CONTENT_TYPE], "application/json");
    assert_eq!(a.body.as_object().unwrap().len(), 1);
    assert!(
        a.body["message"].as_str().unwrap().contains("40 MB"),
        "{}",
        a.raw
    );
    assert_eq!(a.used(), 0);
    assert_eq!(sim.dataset().attachments.len(), before);
    sim.shutdown().await;
}

#[tokio::test]
async fn customers_and_contacts_accept_only_email_twitter_and_phone() {
    let sim = sim(roomy()).await;
    let api = Api::new(&sim);
    let data = sim.dataset();
    let customer = &data.customers[4];
    let path = format!("/customers/{}", customer.id);

    for (method, path, body) in [
        (
            Method::POST,
            "/customers".to_string(),
            json!({"contacts": [{"type": "fax", "value": "1"}]}),
        ),
        (
            Method::POST,
            "/customers".to_string(),
            json!({"contacts": [{"type": "email"}]}),
        ),
        (
            Method::POST,
            "/customers".to_string(),
            json!({"contacts": "a@b.test"}),
        ),
        (
            Method::PATCH,
            path.clone(),
            json!({"contacts": [{"type": "sms", "value": "1"}]}),
        ),
        (Method::PATCH, path.clone(), json!({"first_name": 7})),
        (
            Method::POST,
            format!("{path}/contacts"),
            json!({"type": "fax", "value": "1"}),
        ),
        (
            Method::POST,
            format!("{path}/contacts"),
            json!({"value": "a@b.test"}),
        ),
        (
            Method::POST,
            format!("{path}/contacts"),
            json!({"type": "email"}),
        ),
    ] {
        api.send(method, &path, body).await.validation_errors();
    }
    assert_eq!(sim.dataset(), data);

    for kind in ["email", "twitter", "phone"] {
        let a = api
            .send(
                Method::POST,
                "/customers",
                json!({"contacts": [{"type": kind, "value": "v1"}]}),
            )
            .await;
        assert_eq!(a.status, StatusCode::CREATED, "{}", a.raw);
        assert_eq!(
            a.location(),
            format!("{}/customers/{}", sim.base_url(), a.id())
        );
        assert_eq!(a.body["contacts"][0]["type"], kind);
        assert_eq!(a.body["first_name"], Value::Null);
    }
    let a = api
        .send(
            Method::PATCH,
            &path,
            json!({"last_name": "Renamed", "contacts": [{"type": "twitter", "value": "renamed"}]}),
        )
        .await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.raw);
    assert_eq!(a.body["last_name"], "Renamed");
    assert_eq!(a.body["first_name"], json!(customer.first_name));
    assert_eq!(a.body["contacts"].as_array().unwrap().len(), 1);

    let a = api
        .send(
            Method::POST,
            &format!("{path}/contacts"),
            json!({"type": "phone", "value": "+1555"}),
        )
        .await;
    assert_eq!(a.status, StatusCode::CREATED, "{}", a.raw);
    let contact = a.id();
    assert_eq!(
        a.location(),
        format!("{}{path}/contacts/{contact}", sim.base_url())
    );
    assert_eq!(
        a.body,
        json!({"id": contact, "type": "phone", "value": "+1555"})
    );
    let a = api
        .bare(Method::DELETE, &format!("{path}/contacts/{contact}"))
        .await;
    assert_eq!(a.status, StatusCode::NO_CONTENT);
    assert!(a.raw.is_empty());
    assert_eq!(a.used(), 1);
    let stored = sim.dataset().customer(&customer.id).unwrap().clone();
    assert!(stored.contacts.iter().all(|c| c.id != contact));
    sim.shutdown().await;
}

#[tokio::test]
async fn writes_to_unknown_ids_answer_404_not_found() {
    let sim = sim(roomy()).await;
    let api = Api::new(&sim);
    let data = sim.dataset();
    let ticket = &data.tickets[0].id;
    let customer = &data.customers[0].id;
    let label = &data.labels[0].id;
    let user = &data.users[0].id;
    for (method, path, body) in [
        (
            Method::PATCH,
            "/tickets/ffffffff".to_string(),
            json!({"state": "closed"}),
        ),
        (
            Method::PUT,
            format!("/tickets/ffffffff/labels/{label}"),
            json!({}),
        ),
        (
            Method::DELETE,
            format!("/tickets/ffffffff/labels/{label}"),
            Value::Null,
        ),
        (
            Method::POST,
            "/tickets/ffffffff/messages".to_string(),
            note(user, "x"),
        ),
        (
            Method::PATCH,
            "/customers/ffffffff".to_string(),
            json!({"first_name": "x"}),
        ),
        (
            Method::POST,
            "/customers/ffffffff/contacts".to_string(),
            json!({"type": "email", "value": "x@y.test"}),
        ),
        (
            Method::DELETE,
            "/customers/ffffffff/contacts/abc".to_string(),
            Value::Null,
        ),
        (
            Method::DELETE,
            format!("/customers/{customer}/contacts/ffffffff"),
            Value::Null,
        ),
        // Undocumented writes.
        (Method::DELETE, format!("/tickets/{ticket}"), Value::Null),
        (
            Method::PATCH,
            format!("/users/{user}"),
            json!({"first_name": "x"}),
        ),
        (
            Method::POST,
            format!("/customers/{customer}"),
            json!({"type": "email", "value": "x@y.test"}),
        ),
    ] {
        let a = if body.is_null() {
            api.bare(method, &path).await
        } else {
            api.send(method, &path, body).await
        };
        a.assert_not_found();
        assert_eq!(a.used(), 0, "{path}");
    }
    assert_eq!(sim.dataset(), data);
    sim.shutdown().await;
}

#[tokio::test]
async fn writes_need_json_and_a_post_may_override_its_verb() {
    let sim = sim(roomy()).await;
    let api = Api::new(&sim);
    let data = sim.dataset();
    let ticket = &data.tickets[2];
    let label = &data.labels[4].id;
    for (method, path) in [
        (Method::POST, "/tickets".to_string()),
        (Method::PATCH, format!("/tickets/{}", ticket.id)),
        (
            Method::PUT,
            format!("/tickets/{}/labels/{label}", ticket.id),
        ),
        (Method::POST, format!("/tickets/{}/messages", ticket.id)),
        (Method::POST, "/attachments".to_string()),
        (Method::POST, "/customers".to_string()),
        (
            Method::PATCH,
            format!("/customers/{}", data.customers[0].id),
        ),
        (
            Method::POST,
            format!("/customers/{}/contacts", data.customers[0].id),
        ),
    ] {
        for content_type in [
            None,
            Some("text/plain"),
            Some("application/x-www-form-urlencoded"),
        ] {
            let mut request = api
                .request(method.clone(), &path)
                .body(r#"{"state":"closed"}"#);
            if let Some(t) = content_type {
                request = request.header(CONTENT_TYPE, t);
            }
            let a = api.raw(request).await;
            assert_eq!(
                a.status,
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "{method} {path}"
            );
            assert_eq!(a.body, json!({"message": "Unsupported Media Type"}));
        }
    }
    assert_eq!(sim.dataset(), data);

    // POST + X-HTTP-Method-Override: PUT adds a label, DELETE removes it, PATCH patches.
    let labels_path = format!("/tickets/{}/labels/{label}", ticket.id);
    let a = api
        .raw(
            api.request(Method::POST, &labels_path)
                .header("X-HTTP-Method-Override", "PUT")
                .header(CONTENT_TYPE, "application/json"),
        )
        .await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.raw);
    assert!(
        sim.dataset()
            .ticket(&ticket.id)
            .unwrap()
            .label_ids
            .contains(label)
    );
    let a = api
        .raw(
            api.request(Method::POST, &labels_path)
                .header("X-HTTP-Method-Override", "DELETE"),
        )
        .await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.raw);
    assert!(
        !sim.dataset()
            .ticket(&ticket.id)
            .unwrap()
            .label_ids
            .contains(label)
    );
    let a = api
        .raw(
            api.request(Method::POST, &format!("/tickets/{}", ticket.id))
                .header("X-HTTP-Method-Override", "patch")
                .json(&json!({"subject": "Overridden"})),
        )
        .await;
    assert_eq!(a.body["subject"], "Overridden");
    // The override's verb decides about the content type: a PATCH still needs JSON.
    let a = api
        .raw(
            api.request(Method::POST, &format!("/tickets/{}", ticket.id))
                .header("X-HTTP-Method-Override", "PATCH")
                .body("subject=x"),
        )
        .await;
    assert_eq!(a.status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
    sim.shutdown().await;
}

#[tokio::test]
async fn writes_cost_one_credit_from_the_same_budget_as_reads() {
    let sim = sim(SimConfig {
        tickets: 20,
        credits_per_window: 4,
        window: Duration::from_secs(60),
        burst_per_second: 100,
        ..SimConfig::default()
    })
    .await;
    let api = Api::new(&sim);
    let data = sim.dataset();
    let ticket = &data.tickets[0].id;
    let user = &data.users[0].id;
    let path = format!("/tickets/{ticket}/messages");
    assert_eq!(api.get("/users", &[]).await.status, StatusCode::OK);
    for body in ["first", "second", "third"] {
        let a = api.send(Method::POST, &path, note(user, body)).await;
        assert_eq!(a.status, StatusCode::CREATED, "{}", a.raw);
        assert_eq!(a.used(), 1);
    }
    let a = api.send(Method::POST, &path, note(user, "fourth")).await;
    assert_eq!(a.status, StatusCode::TOO_MANY_REQUESTS, "{}", a.raw);
    assert_eq!(a.body, json!({"message": "Too Many Requests"}));
    assert_eq!(
        count_bodies(&sim, ticket, "fourth"),
        0,
        "a refused write does nothing"
    );
    assert_eq!(
        api.get("/users", &[]).await.status,
        StatusCode::TOO_MANY_REQUESTS
    );
    assert_eq!(sim.credits_spent(), 4);
    sim.shutdown().await;
}

#[tokio::test]
async fn a_write_dropped_after_its_work_is_stored_though_the_client_sees_a_transport_error() {
    let sim = sim(roomy()).await;
    let api = Api::new(&sim);
    let data = sim.dataset();
    let ticket = &data.tickets[4];
    let user = &data.users[0].id;

    sim.drop_connections(1, true);
    let error = api
        .request(Method::POST, &format!("/tickets/{}/messages", ticket.id))
        .json(&note(user, "stored, answer lost"))
        .send()
        .await
        .expect_err("a transport error, not an answer");
    assert!(error.status().is_none() && !error.is_timeout(), "{error:?}");
    assert_eq!(count_bodies(&sim, &ticket.id, "stored, answer lost"), 1);
    assert!(sim.dataset().ticket(&ticket.id).unwrap().updated_at > ticket.updated_at);
    assert_eq!(sim.credits_spent(), 1);

    // Every write verb, the same way.
    sim.drop_connections(2, true);
    let patch = api
        .request(Method::PATCH, &format!("/tickets/{}", ticket.id))
        .json(&json!({"state": "hold"}))
        .send()
        .await;
    let put = api
        .request(
            Method::PUT,
            &format!("/tickets/{}/labels/{}", ticket.id, data.labels[6].id),
        )
        .header(CONTENT_TYPE, "application/json")
        .send()
        .await;
    assert!(patch.is_err() && put.is_err());
    let stored = sim.dataset().ticket(&ticket.id).unwrap().clone();
    assert_eq!(stored.state, TicketState::Hold);
    assert!(stored.label_ids.contains(&data.labels[6].id));
    assert_eq!(sim.credits_spent(), 3);
    // Answers resume.
    let a = api
        .send(
            Method::POST,
            &format!("/tickets/{}/messages", ticket.id),
            note(user, "next"),
        )
        .await;
    assert_eq!(a.status, StatusCode::CREATED);
    sim.shutdown().await;
}

#[tokio::test]
async fn stalled_writes_commit_at_once_and_answer_late() {
    let sim = sim(roomy()).await;
    let api = Api::new(&sim);
    let data = sim.dataset();
    let ticket = &data.tickets[9].id;
    let user = &data.users[0].id;
    let path = format!("/tickets/{ticket}/messages");

    sim.stall_after_work(2, Duration::from_secs(3));
    // Reads are not stalled and do not use up the count.
    let started = Instant::now();
    assert_eq!(api.get("/users", &[]).await.status, StatusCode::OK);
    assert!(started.elapsed() < Duration::from_secs(5));

    // A client giving up (killed) while the answer is held back: the note is stored anyway.
    let error = api
        .request(Method::POST, &path)
        .json(&note(user, "committed while stalled"))
        .timeout(Duration::from_millis(500))
        .send()
        .await
        .expect_err("no answer within the timeout");
    assert!(error.is_timeout(), "{error:?}");
    assert_eq!(count_bodies(&sim, ticket, "committed while stalled"), 1);

    // The second stalled write answers, late but normally.
    sim.stall_after_work(1, Duration::from_millis(300));
    let started = Instant::now();
    let a = api
        .send(Method::POST, &path, note(user, "late answer"))
        .await;
    assert_eq!(a.status, StatusCode::CREATED, "{}", a.raw);
    assert!(started.elapsed() >= Duration::from_millis(300));
    assert_eq!(count_bodies(&sim, ticket, "late answer"), 1);

    // Disarmed: the next write is prompt.
    let started = Instant::now();
    let a = api.send(Method::POST, &path, note(user, "prompt")).await;
    assert_eq!(a.status, StatusCode::CREATED);
    assert!(started.elapsed() < Duration::from_secs(5));
    sim.shutdown().await;
}

#[tokio::test]
async fn an_unavailable_helpdesk_closes_every_connection_until_it_is_back() {
    let sim = sim(roomy()).await;
    let api = Api::new(&sim);
    let data = sim.dataset();
    let ticket = &data.tickets[1].id;
    let user = &data.users[0].id;
    let path = format!("/tickets/{ticket}/messages");
    // A pooled keep-alive connection first, as an app has.
    assert_eq!(api.get("/users", &[]).await.status, StatusCode::OK);
    let served = sim.requests_served();

    sim.set_unavailable(true);
    for _ in 0..2 {
        let error = api
            .request(Method::GET, "/users")
            .send()
            .await
            .expect_err("down");
        assert!(error.status().is_none() && !error.is_timeout(), "{error:?}");
        let error = api
            .request(Method::POST, &path)
            .json(&note(user, "while down"))
            .send()
            .await
            .expect_err("down");
        assert!(error.status().is_none(), "{error:?}");
        let fresh = client()
            .get(format!("{}/users", sim.base_url()))
            .send()
            .await;
        assert!(fresh.is_err(), "new connections too");
    }
    assert_eq!(count_bodies(&sim, ticket, "while down"), 0);
    assert_eq!(sim.requests_served(), served);
    assert!(
        sim.credit_log()
            .iter()
            .skip(1)
            .all(|r| r.status.is_none() && r.credits == 0)
    );

    sim.set_unavailable(false);
    let a = api.send(Method::POST, &path, note(user, "back")).await;
    assert_eq!(a.status, StatusCode::CREATED, "{}", a.raw);
    assert_eq!(count_bodies(&sim, ticket, "back"), 1);
    sim.shutdown().await;
}

#[tokio::test]
async fn the_control_endpoint_is_opt_in_and_needs_no_token() {
    let plain = sim(roomy()).await;
    let url = format!("http://{}{UNAVAILABLE_PATH}", plain.addr());
    let r = client().post(&url).body("on").send().await.unwrap();
    assert_eq!(
        r.status(),
        StatusCode::UNAUTHORIZED,
        "not served unless asked for"
    );
    let r = client()
        .post(&url)
        .bearer_auth(plain.token())
        .header(CONTENT_TYPE, "application/json")
        .body("on")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    plain.shutdown().await;

    let sim = sim(SimConfig {
        control_endpoint: true,
        ..roomy()
    })
    .await;
    let api = Api::new(&sim);
    let url = format!("http://{}{UNAVAILABLE_PATH}", sim.addr());
    let control = |body: &'static str| client().post(&url).body(body).send();
    let r = control("on").await.unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(
        r.json::<Value>().await.unwrap(),
        json!({"unavailable": true})
    );
    assert!(api.request(Method::GET, "/users").send().await.is_err());
    let r = control("sideways").await.unwrap();
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);
    assert!(r.json::<Value>().await.unwrap()["message"].is_string());
    assert!(
        api.request(Method::GET, "/users").send().await.is_err(),
        "still down"
    );
    let r = control(" OFF\n").await.unwrap();
    assert_eq!(
        r.json::<Value>().await.unwrap(),
        json!({"unavailable": false})
    );
    assert_eq!(api.get("/users", &[]).await.status, StatusCode::OK);
    assert_eq!(sim.credits_spent(), 1, "control requests cost nothing");
    sim.shutdown().await;
}

#[tokio::test]
async fn a_ticket_deleted_meanwhile_answers_404_to_reads_and_writes() {
    let sim = sim(roomy()).await;
    let api = Api::new(&sim);
    let data = sim.dataset();
    let last = data.tickets.last().unwrap();
    let user = &data.users[0].id;
    let label = &data.labels[0].id;

    assert!(sim.delete_ticket(&last.id));
    assert!(!sim.delete_ticket(&last.id));
    assert!(sim.dataset().ticket(&last.id).is_none());
    assert!(sim.messages_of(&last.id).is_empty());
    let path = format!("/tickets/{}", last.id);
    api.get(&path, &[]).await.assert_not_found();
    api.send(Method::PATCH, &path, json!({"state": "closed"}))
        .await
        .assert_not_found();
    api.send(
        Method::POST,
        &format!("{path}/messages"),
        note(user, "late"),
    )
    .await
    .assert_not_found();
    api.bare(Method::PUT, &format!("{path}/labels/{label}"))
        .await
        .assert_not_found();
    api.bare(Method::DELETE, &format!("{path}/labels/{label}"))
        .await
        .assert_not_found();
    let listed = api
        .get("/tickets", &[("per_page", "100"), ("count", "true")])
        .await;
    assert!(!listed.raw.contains(&last.id));
    assert_eq!(
        listed.headers["Total-Count"],
        (data.tickets.len() - 1).to_string().as_str()
    );

    // Numbers are never reused, and the other tickets still answer.
    let a = api
        .send(
            Method::POST,
            "/tickets",
            json!({"type": "email", "subject": "After", "customer_id": data.customers[0].id}),
        )
        .await;
    assert_eq!(a.body["number"], json!(last.number + 1));
    let first = &data.tickets[0].id;
    let a = api
        .send(
            Method::PATCH,
            &format!("/tickets/{first}"),
            json!({"state": "closed"}),
        )
        .await;
    assert_eq!(a.status, StatusCode::OK);
    sim.shutdown().await;
}

#[tokio::test]
async fn the_binary_serves_the_control_endpoint_only_with_control() {
    use std::io::{BufRead, BufReader};
    use std::process::{Command, Stdio};
    let mut child = Command::new(env!("CARGO_BIN_EXE_deck-sim"))
        .args([
            "--port",
            "0",
            "--tickets",
            "20",
            "--token",
            "t",
            "--control",
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let lines: Vec<String> = BufReader::new(child.stdout.take().unwrap())
        .lines()
        .take(4)
        .map(Result::unwrap)
        .collect();
    let value = |key: &str| {
        lines
            .iter()
            .find_map(|l| l.strip_prefix(&format!("{key}=")))
            .unwrap_or_else(|| panic!("no {key}= in {lines:?}"))
            .to_string()
    };
    let (base, control) = (value("base_url"), value("control"));
    assert!(control.ends_with(UNAVAILABLE_PATH), "{control}");
    let users = || {
        client()
            .get(format!("{base}/users"))
            .bearer_auth("t")
            .send()
    };
    assert_eq!(users().await.unwrap().status(), StatusCode::OK);
    let r = client().post(&control).body("on").send().await.unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    assert!(users().await.is_err());
    client().post(&control).body("off").send().await.unwrap();
    assert_eq!(users().await.unwrap().status(), StatusCode::OK);
    child.kill().unwrap();
    child.wait().unwrap();

    let help = Command::new(env!("CARGO_BIN_EXE_deck-sim"))
        .arg("--help")
        .output()
        .unwrap();
    let help = String::from_utf8(help.stdout).unwrap();
    assert!(
        help.contains("--control") && help.contains(UNAVAILABLE_PATH),
        "{help}"
    );
}

#[tokio::test]
async fn the_control_endpoint_injects_429s_and_changes_tickets() {
    let sim = sim(SimConfig {
        control_endpoint: true,
        ..roomy()
    })
    .await;
    let api = Api::new(&sim);
    let post = |path: &str, body: &'static str| {
        client()
            .post(format!("http://{}{path}", sim.addr()))
            .body(body)
            .send()
    };
    assert_eq!(
        post(RATE_LIMIT_PATH, "one").await.unwrap().status(),
        StatusCode::BAD_REQUEST
    );
    assert_eq!(
        post(RATE_LIMIT_PATH, "1 7").await.unwrap().status(),
        StatusCode::OK
    );
    let r = api.request(Method::GET, "/users").send().await.unwrap();
    assert_eq!(r.status(), StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(r.headers()["retry-after"], "7");
    let r = post(CHANGE_TICKETS_PATH, "2").await.unwrap();
    let changed: Value = r.json().await.unwrap();
    let ids = changed["changed"].as_array().unwrap();
    assert_eq!(ids.len(), 2);
    let first = ids[0].as_str().unwrap();
    let t = sim
        .dataset()
        .tickets
        .into_iter()
        .find(|t| t.id == first)
        .unwrap();
    assert!(t.subject.ends_with("(edited)"));
    sim.shutdown().await;
}
