//! Unified writes → Enchant calls (seed `001_…`): ticket PATCH and label endpoints, messages
//! with base64 attachments uploaded first, customers and their contacts. Also what the outbox
//! needs around them: the helpdesk's current version (for conflicts) and whether a write whose
//! answer was lost happened.

use super::{EnchantClient, decode_list, decode_one, map, normalize_time, shift_seconds, wire};
use crate::http::Verb;
use crate::{ProviderError, Written};
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use deck_model::{
    AttachmentInput, CommentInput, ContactInput, Identity, NewTicketContact, Record, TicketInput,
    TicketPatch, Write,
};
use serde_json::{Map, Value, json};
use std::io::Read;

/// How far before the first attempt a lost write is looked for, for clock skew between this
/// machine and the helpdesk.
const SKEW_SECS: i64 = 300;

/// Bytes of the file read at a time while encoding an attachment (a multiple of 3, so chunks
/// encode without padding in between).
const ENCODE_CHUNK: usize = 48 * 1024;

impl EnchantClient {
    pub(super) async fn apply_write(&self, w: &Write) -> Result<Written, ProviderError> {
        match w {
            Write::UpdateTicket {
                ticket_id, patch, ..
            } => {
                let body = ticket_patch_body(patch);
                let path = format!("tickets/{ticket_id}");
                let answer = self.send_json(Verb::Patch, &path, &body).await?;
                self.ticket_written(ticket_id, answer).await
            }
            Write::AddTags { ticket_id, tag_ids } | Write::RemoveTags { ticket_id, tag_ids } => {
                let verb = if matches!(w, Write::AddTags { .. }) {
                    Verb::Put
                } else {
                    Verb::Delete
                };
                let path = format!("tickets/{ticket_id}/labels/{}", tag_ids.join(","));
                let answer = self.http.send(verb, &path, None).await?;
                self.ticket_written(ticket_id, answer).await
            }
            Write::CreateTicket { ticket } => self.create_ticket(ticket).await,
            Write::CreateComment { comment } => self.create_comment(comment).await,
            Write::CreateContact { contact } => {
                let answer = self
                    .send_json(Verb::Post, "customers", &customer_body(contact, true))
                    .await?;
                customer_written("customers", answer, true)
            }
            Write::UpdateContact {
                contact_id, patch, ..
            } => {
                let path = format!("customers/{contact_id}");
                let answer = self
                    .send_json(Verb::Patch, &path, &customer_body(patch, false))
                    .await?;
                match answer {
                    Some(_) => customer_written(&path, answer, false),
                    None => self.customer_now(contact_id).await,
                }
            }
            Write::AddIdentity {
                contact_id,
                identity,
            } => {
                let path = format!("customers/{contact_id}/contacts");
                let body = json!({ "type": identity.kind, "value": identity.value });
                self.send_json(Verb::Post, &path, &body).await?;
                self.customer_now(contact_id).await
            }
            Write::RemoveIdentity {
                contact_id,
                identity,
            } => {
                let (customer, _) = self.customer(contact_id).await?;
                if let Some(point) = customer
                    .contacts
                    .iter()
                    .flatten()
                    .find(|p| same_identity(p, identity))
                {
                    let Some(point_id) = &point.id else {
                        return Err(ProviderError::Malformed {
                            endpoint: format!("GET customers/{contact_id}"),
                            field: "contacts[].id".into(),
                            detail: "the identity has no id to delete it by".into(),
                        });
                    };
                    let path = format!("customers/{contact_id}/contacts/{point_id}");
                    self.http.send(Verb::Delete, &path, None).await?;
                }
                self.customer_now(contact_id).await
            }
        }
    }

    /// The helpdesk's version of the record a patch changes.
    pub(super) async fn current_of(&self, w: &Write) -> Result<Option<Record>, ProviderError> {
        match w {
            Write::UpdateTicket { ticket_id, .. } => {
                let (t, raw) = self.ticket(ticket_id).await?;
                Ok(Some(Record::Ticket(map::ticket(&t, raw))))
            }
            Write::UpdateContact { contact_id, .. } => {
                let (c, raw) = self.customer(contact_id).await?;
                Ok(Some(Record::Contact(map::contact(&c, raw))))
            }
            _ => Ok(None),
        }
    }

    /// Whether a write first sent at `since`, whose answer was lost, reached the helpdesk.
    pub(super) async fn lookup_written(
        &self,
        w: &Write,
        since: &str,
    ) -> Result<Option<Written>, ProviderError> {
        let from = shift_seconds(since, -SKEW_SECS);
        match w {
            Write::CreateComment { comment } => {
                let path = format!("tickets/{}", comment.ticket.id);
                let body = self
                    .http
                    .get(&path, &[("embed", "messages".into())], 2)
                    .await?;
                let (t, raw) = self.normalized_ticket(&path, body)?;
                let raw_messages = raw
                    .get("messages")
                    .and_then(Value::as_array)
                    .cloned()
                    .unwrap_or_default();
                let sent = message_body(comment, &[])?;
                let found = t
                    .messages
                    .iter()
                    .flatten()
                    .zip(raw_messages)
                    .find(|(m, _)| {
                        normalize_time(&path, "created_at", &m.created_at)
                            .is_ok_and(|at| at >= from)
                            && same_message(m, &sent)
                    });
                Ok(found.map(|(m, m_raw)| {
                    let comment = map::comment(m, &t, m_raw);
                    let id = comment.id.clone();
                    Written {
                        records: vec![
                            Record::Comment(comment),
                            Record::Ticket(map::ticket(&t, raw.clone())),
                        ],
                        created_id: Some(id),
                    }
                }))
            }
            Write::CreateTicket { ticket } => {
                let query = [
                    ("since_created_at", from),
                    ("sort", "created_at".into()),
                    ("per_page", "100".into()),
                ];
                let body = self.http.get("tickets", &query, 1).await?;
                let items: Vec<(wire::Ticket, Value)> = decode_list("tickets", body)?;
                let want_customer = match &ticket.contact {
                    NewTicketContact::Existing { id } => Some(id.as_str()),
                    NewTicketContact::New(_) => None,
                };
                Ok(items
                    .into_iter()
                    .find(|(t, _)| {
                        t.subject.as_deref() == Some(ticket.name.as_str())
                            && want_customer.is_none_or(|c| t.customer_id.as_deref() == Some(c))
                    })
                    .map(|(t, raw)| Written {
                        created_id: Some(t.id.clone()),
                        records: vec![Record::Ticket(map::ticket(&t, raw))],
                    }))
            }
            Write::CreateContact { contact } => {
                let email = contact
                    .identities()
                    .unwrap_or_default()
                    .into_iter()
                    .find(|i| i.kind == "email");
                let query: Vec<(&str, String)> = match &email {
                    Some(e) => vec![
                        ("contacts.type", "email".into()),
                        ("contacts.value", e.value.clone()),
                    ],
                    None => vec![
                        ("since_created_at", from),
                        ("sort", "created_at".into()),
                        ("per_page", "100".into()),
                    ],
                };
                let body = self.http.get("customers", &query, 1).await?;
                let items: Vec<(wire::Customer, Value)> = decode_list("customers", body)?;
                Ok(items
                    .into_iter()
                    .find(|(c, _)| {
                        email.is_some()
                            || (c.first_name == contact.first_name
                                && c.last_name == contact.last_name)
                    })
                    .map(|(c, raw)| Written {
                        created_id: Some(c.id.clone()),
                        records: vec![Record::Contact(map::contact(&c, raw))],
                    }))
            }
            Write::AddIdentity {
                contact_id,
                identity,
            } => {
                let (c, raw) = self.customer(contact_id).await?;
                let has = c
                    .contacts
                    .iter()
                    .flatten()
                    .any(|p| same_identity(p, identity));
                Ok(has.then(|| Written {
                    created_id: None,
                    records: vec![Record::Contact(map::contact(&c, raw))],
                }))
            }
            // Repeating these leaves the helpdesk as one attempt would.
            _ => Ok(None),
        }
    }

    async fn send_json(
        &self,
        verb: Verb,
        path: &str,
        body: &Value,
    ) -> Result<Option<Value>, ProviderError> {
        let bytes = serde_json::to_vec(body).expect("JSON values serialize");
        self.http.send(verb, path, Some(bytes.into())).await
    }

    async fn ticket(&self, id: &str) -> Result<(wire::Ticket, Value), ProviderError> {
        let path = format!("tickets/{id}");
        let body = self.http.get(&path, &[], 1).await?;
        self.normalized_ticket(&path, body)
    }

    fn normalized_ticket(
        &self,
        path: &str,
        body: Value,
    ) -> Result<(wire::Ticket, Value), ProviderError> {
        let (mut t, raw): (wire::Ticket, Value) = decode_one(path, body)?;
        t.created_at = normalize_time(path, "created_at", &t.created_at)?;
        t.updated_at = normalize_time(path, "updated_at", &t.updated_at)?;
        Ok((t, raw))
    }

    /// The ticket a write answered with, or as it is now where the answer held none.
    async fn ticket_written(
        &self,
        id: &str,
        answer: Option<Value>,
    ) -> Result<Written, ProviderError> {
        let path = format!("tickets/{id}");
        // The doc shows no answer for the label endpoints: a ticket is used when one comes.
        let (t, raw) = match answer.filter(|a| a.get("id").is_some()) {
            Some(body) => self.normalized_ticket(&path, body)?,
            None => self.ticket(id).await?,
        };
        Ok(Written {
            created_id: None,
            records: vec![Record::Ticket(map::ticket(&t, raw))],
        })
    }

    async fn customer(&self, id: &str) -> Result<(wire::Customer, Value), ProviderError> {
        let path = format!("customers/{id}");
        let body = self.http.get(&path, &[], 1).await?;
        decode_one(&path, body)
    }

    async fn customer_now(&self, id: &str) -> Result<Written, ProviderError> {
        let (c, raw) = self.customer(id).await?;
        Ok(Written {
            created_id: None,
            records: vec![Record::Contact(map::contact(&c, raw))],
        })
    }

    async fn create_ticket(&self, ticket: &TicketInput) -> Result<Written, ProviderError> {
        let mut body = Map::new();
        body.insert("type".into(), json!("email"));
        body.insert("subject".into(), json!(ticket.name));
        let (from, from_name) = match &ticket.contact {
            NewTicketContact::Existing { id } => {
                body.insert("customer_id".into(), json!(id));
                if ticket.description.is_some() {
                    let (c, _) = self.customer(id).await?;
                    let email = c
                        .contacts
                        .iter()
                        .flatten()
                        .find(|p| p.kind == "email")
                        .map(|p| p.value.clone());
                    let name = [c.first_name, c.last_name]
                        .into_iter()
                        .flatten()
                        .collect::<Vec<_>>()
                        .join(" ");
                    (email, Some(name).filter(|n| !n.is_empty()))
                } else {
                    (None, None)
                }
            }
            NewTicketContact::New(c) => {
                body.insert("customer".into(), customer_body(c, true));
                let email = c
                    .identities()
                    .unwrap_or_default()
                    .into_iter()
                    .find(|i| i.kind == "email")
                    .map(|i| i.value);
                (email, deck_model::write::display_name(c))
            }
        };
        if let Some(a) = ticket.assignees.first() {
            body.insert("user_id".into(), json!(a.id));
        }
        if let Some(c) = ticket.collections.first() {
            body.insert("inbox_id".into(), json!(c.id));
        }
        if let Some(text) = ticket
            .description
            .as_deref()
            .filter(|d| !d.trim().is_empty())
        {
            let Some(from) = from else {
                return Err(ProviderError::Refused(
                    "the contact has no email address to write the first message from".into(),
                ));
            };
            body.insert(
                "messages".into(),
                json!([{
                    "type": "reply",
                    "direction": "in",
                    "from": from,
                    "from_name": from_name.unwrap_or_else(|| from.clone()),
                    "body": text,
                    "htmlized": false,
                }]),
            );
        }
        let answer = self
            .send_json(Verb::Post, "tickets", &Value::Object(body))
            .await?
            .ok_or_else(|| no_body("POST tickets"))?;
        let (t, raw) = self.normalized_ticket("tickets", answer)?;
        Ok(Written {
            created_id: Some(t.id.clone()),
            records: vec![Record::Ticket(map::ticket(&t, raw))],
        })
    }

    async fn create_comment(&self, comment: &CommentInput) -> Result<Written, ProviderError> {
        // Attachments first: the message names them. One whose message never comes is deleted
        // by Enchant, so an upload repeated after a failure leaves nothing behind.
        let mut attachment_ids = Vec::new();
        for a in &comment.attachments {
            attachment_ids.push(self.upload(a).await?);
        }
        let body = message_body(comment, &attachment_ids)?;
        let path = format!("tickets/{}/messages", comment.ticket.id);
        let answer = self
            .send_json(Verb::Post, &path, &body)
            .await?
            .ok_or_else(|| no_body(&format!("POST {path}")))?;
        let (m, m_raw): (wire::Message, Value) = decode_one(&path, answer)?;
        let (t, raw) = self.ticket(&comment.ticket.id).await?;
        let mut c = map::comment(&m, &t, m_raw);
        c.created_at = Some(normalize_time(&path, "created_at", &m.created_at)?);
        let id = c.id.clone();
        Ok(Written {
            created_id: Some(id),
            records: vec![Record::Comment(c), Record::Ticket(map::ticket(&t, raw))],
        })
    }

    /// Uploads one file as an Enchant document (`POST /attachments`); answers its id.
    async fn upload(&self, a: &AttachmentInput) -> Result<String, ProviderError> {
        let input = a.clone();
        let body = tokio::task::spawn_blocking(move || attachment_body(&input))
            .await
            .map_err(|e| {
                ProviderError::Refused(format!("encoding the attachment failed: {e}"))
            })??;
        let answer = self
            .http
            .send(Verb::Post, "attachments", Some(body.into()))
            .await?
            .ok_or_else(|| no_body("POST attachments"))?;
        let (doc, _): (wire::Attachment, Value) = decode_one("attachments", answer)?;
        Ok(doc.id)
    }
}

/// The JSON body of `POST /attachments`, base64-encoding the file a chunk at a time straight
/// into the body: besides the body, at most one chunk of the file is in memory.
pub fn attachment_body(a: &AttachmentInput) -> Result<Vec<u8>, ProviderError> {
    let unreadable = |e: std::io::Error| {
        ProviderError::Refused(format!("cannot read the attachment {}: {e}", a.path))
    };
    let mut file = std::fs::File::open(&a.path).map_err(unreadable)?;
    let size = file.metadata().map_err(unreadable)?.len() as usize;
    let name = a.file_name.clone().unwrap_or_else(|| {
        std::path::Path::new(&a.path)
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "attachment".into())
    });
    let kind = a
        .content_type
        .clone()
        .unwrap_or_else(|| "application/octet-stream".into());
    let head = format!(
        "{{\"name\":{},\"type\":{},\"data\":\"",
        json!(name),
        json!(kind)
    );
    let mut body = Vec::with_capacity(head.len() + size.div_ceil(3) * 4 + 2);
    body.extend_from_slice(head.as_bytes());
    let mut chunk = vec![0u8; ENCODE_CHUNK];
    let mut encoded = String::with_capacity(ENCODE_CHUNK / 3 * 4);
    loop {
        let mut filled = 0;
        while filled < chunk.len() {
            match file.read(&mut chunk[filled..]).map_err(unreadable)? {
                0 => break,
                n => filled += n,
            }
        }
        if filled == 0 {
            break;
        }
        encoded.clear();
        STANDARD.encode_string(&chunk[..filled], &mut encoded);
        body.extend_from_slice(encoded.as_bytes());
        if filled < chunk.len() {
            break;
        }
    }
    body.extend_from_slice(b"\"}");
    Ok(body)
}

fn no_body(endpoint: &str) -> ProviderError {
    ProviderError::Malformed {
        endpoint: endpoint.into(),
        field: "(body)".into(),
        detail: "the answer holds no record".into(),
    }
}

fn ticket_patch_body(patch: &TicketPatch) -> Value {
    let mut body = Map::new();
    if let Some(name) = &patch.name {
        body.insert("subject".into(), json!(name));
    }
    if let Some(status) = &patch.status {
        // One unified status covers Enchant's state and its two exclusive flags, so the flags
        // never end up both true.
        match status.as_str() {
            "spam" => {
                body.insert("spam".into(), json!(true));
                body.insert("trash".into(), json!(false));
            }
            "trash" => {
                body.insert("trash".into(), json!(true));
                body.insert("spam".into(), json!(false));
            }
            state => {
                body.insert("state".into(), json!(state));
                body.insert("spam".into(), json!(false));
                body.insert("trash".into(), json!(false));
            }
        }
    }
    if let Some(a) = &patch.assignees {
        body.insert("user_id".into(), json!(a.first().map(|u| &u.id)));
    }
    if let Some(c) = &patch.collections
        && let Some(inbox) = c.first()
    {
        body.insert("inbox_id".into(), json!(inbox.id));
    }
    if let Some(tags) = &patch.tags {
        body.insert(
            "label_ids".into(),
            json!(tags.iter().map(|t| &t.id).collect::<Vec<_>>()),
        );
    }
    Value::Object(body)
}

fn customer_body(c: &ContactInput, with_identities: bool) -> Value {
    let mut body = Map::new();
    if let Some(v) = &c.first_name {
        body.insert("first_name".into(), json!(v));
    }
    if let Some(v) = &c.last_name {
        body.insert("last_name".into(), json!(v));
    }
    if let Some(v) = &c.details {
        body.insert("summary".into(), json!(v));
    }
    if with_identities && let Some(ids) = c.identities() {
        body.insert(
            "contacts".into(),
            json!(
                ids.iter()
                    .map(|i| json!({ "type": i.kind, "value": i.value }))
                    .collect::<Vec<_>>()
            ),
        );
    }
    Value::Object(body)
}

fn customer_written(
    path: &str,
    answer: Option<Value>,
    created: bool,
) -> Result<Written, ProviderError> {
    let body = answer.ok_or_else(|| no_body(path))?;
    let (c, raw): (wire::Customer, Value) = decode_one(path, body)?;
    Ok(Written {
        created_id: created.then(|| c.id.clone()),
        records: vec![Record::Contact(map::contact(&c, raw))],
    })
}

fn same_identity(p: &wire::ContactPoint, i: &Identity) -> bool {
    p.kind == i.kind
        && if i.kind == "email" {
            p.value.eq_ignore_ascii_case(&i.value)
        } else {
            p.value == i.value
        }
}

/// The message object of `POST /tickets/{id}/messages` for a unified comment.
fn message_body(c: &CommentInput, attachment_ids: &[String]) -> Result<Value, ProviderError> {
    let (body, htmlized) = match (&c.html_body, &c.body) {
        (Some(html), _) => (html.clone(), true),
        (None, Some(text)) => (text.clone(), false),
        (None, None) => (String::new(), false),
    };
    let author = c.author.clone().unwrap_or_default();
    let missing = |what: &str| ProviderError::Refused(format!("the message has no {what}"));
    let mut m = if c.is_internal {
        json!({
            "type": "note",
            "user_id": author.id.ok_or_else(|| missing("author"))?,
        })
    } else if c.is_inbound() {
        let from = author.username.ok_or_else(|| missing("sender address"))?;
        json!({
            "type": "reply",
            "direction": "in",
            "from_name": author.name.unwrap_or_else(|| from.clone()),
            "from": from,
        })
    } else {
        json!({
            "type": "reply",
            "direction": "out",
            "user_id": author.id.ok_or_else(|| missing("author"))?,
            "to": c.receiver.as_ref().map(|r| r.email.clone()).ok_or_else(|| missing("recipient"))?,
        })
    };
    m["body"] = json!(body);
    m["htmlized"] = json!(htmlized);
    if !attachment_ids.is_empty() {
        m["attachment_ids"] = json!(attachment_ids);
    }
    Ok(m)
}

/// Whether a message on the helpdesk is the one `sent` (same kind, author and body). Bodies
/// are compared as text with whitespace collapsed: the doc does not say whether Enchant stores
/// an HTML body exactly as sent, so markup it may rewrite does not hide the message.
fn same_message(m: &wire::Message, sent: &Value) -> bool {
    let text = |body: Option<&str>, html: bool| {
        let body = body.unwrap_or_default();
        let plain = if html {
            crate::sanitize::html_to_text(body)
        } else {
            body.to_string()
        };
        plain.split_whitespace().collect::<Vec<_>>().join(" ")
    };
    let sent_html = sent["htmlized"].as_bool().unwrap_or(false);
    m.kind == sent["type"].as_str().unwrap_or_default()
        && m.direction.as_deref() == sent["direction"].as_str()
        && m.user_id.as_deref() == sent["user_id"].as_str()
        && text(m.body.as_deref(), m.htmlized.unwrap_or(sent_html))
            == text(sent["body"].as_str(), sent_html)
}

#[cfg(test)]
mod tests {
    use super::*;
    use deck_model::{Author, Email, IdName};

    fn comment(internal: bool, kind: &str) -> CommentInput {
        CommentInput {
            ticket: IdName {
                id: "t1".into(),
                name: None,
            },
            html_body: Some("<p>We are <b>on it</b>.</p>".into()),
            is_internal: internal,
            author: Some(Author {
                id: Some("u1".into()),
                username: Some("ada@example.com".into()),
                kind: Some(kind.into()),
                ..Author::default()
            }),
            receiver: Some(Email {
                email: "ada@example.com".into(),
                kind: None,
            }),
            ..CommentInput::default()
        }
    }

    #[test]
    fn messages_take_the_fields_the_doc_requires_for_their_kind() {
        let note = message_body(&comment(true, "user"), &["a1".into()]).unwrap();
        assert_eq!(note["type"], "note");
        assert_eq!(note["user_id"], "u1");
        assert_eq!(note["htmlized"], true);
        assert_eq!(note["attachment_ids"], json!(["a1"]));
        let out = message_body(&comment(false, "user"), &[]).unwrap();
        assert_eq!(
            (&out["direction"], &out["to"]),
            (&json!("out"), &json!("ada@example.com"))
        );
        let inbound = message_body(&comment(false, "contact"), &[]).unwrap();
        assert_eq!(
            (&inbound["direction"], &inbound["from"]),
            (&json!("in"), &json!("ada@example.com"))
        );
        assert!(inbound.get("user_id").is_none());
    }

    #[test]
    fn a_lost_message_is_recognised_though_its_markup_was_rewritten() {
        let sent = message_body(&comment(true, "user"), &[]).unwrap();
        let stored: wire::Message = serde_json::from_value(json!({
            "id": "m1", "type": "note", "direction": null, "user_id": "u1", "htmlized": true,
            "body": "<p>We are <strong>on it</strong>.</p>\n", "created_at": "2026-01-01T00:00:00Z"
        }))
        .unwrap();
        assert!(same_message(&stored, &sent));
        let other: wire::Message = serde_json::from_value(json!({
            "id": "m2", "type": "note", "user_id": "u1", "htmlized": true,
            "body": "<p>We are on something else.</p>", "created_at": "2026-01-01T00:00:00Z"
        }))
        .unwrap();
        assert!(!same_message(&other, &sent));
    }
}
