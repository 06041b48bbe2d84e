//! Enchant records → unified records. Each keeps the raw record in `remote_data`.

use super::wire;
use crate::sanitize::{clean_html, html_to_text};
use deck_model::{
    Attachment, Author, Collection, Comment, Contact, ContactRef, Email, IdName, Phone, Tag,
    Ticket, TicketStatus, TypedRef, User,
};
use serde_json::{Value, json};

/// Enchant's ticket states and what Truto calls them, plus the spam and trash flags, which
/// Ticketdeck shows as statuses of their own.
pub const STATUSES: &[(&str, &str, &str)] = &[
    ("open", "open", "Waiting for the team"),
    ("hold", "pending", "On hold"),
    ("snoozed", "pending", "Snoozed until a set time"),
    ("closed", "closed", "Done"),
    ("archived", "archived", "Archived"),
    ("spam", "spam", "Marked as spam"),
    ("trash", "deleted", "In the trash"),
];

fn status_of(t: &wire::Ticket) -> IdName {
    let id = if t.trash == Some(true) {
        "trash"
    } else if t.spam == Some(true) {
        "spam"
    } else {
        t.state.as_deref().unwrap_or("open")
    };
    let name = STATUSES
        .iter()
        .find(|(s, _, _)| *s == id)
        .map(|(_, n, _)| (*n).to_string())
        // An unknown state is passed through, as Truto does.
        .unwrap_or_else(|| id.to_string());
    IdName {
        id: id.to_string(),
        name: Some(name),
    }
}

pub fn ticket_statuses() -> Vec<TicketStatus> {
    STATUSES
        .iter()
        .map(|(id, name, desc)| TicketStatus {
            id: (*id).into(),
            name: Some((*name).into()),
            description: Some((*desc).into()),
            etag: None,
            remote_data: json!({ "state": id }),
        })
        .collect()
}

fn full_name(first: Option<&str>, last: Option<&str>) -> Option<String> {
    let name = [first, last]
        .into_iter()
        .flatten()
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join(" ");
    (!name.is_empty()).then_some(name)
}

/// `raw` is the record as received; embeds that become records of their own are dropped from
/// the ticket's `remote_data`.
pub fn ticket(t: &wire::Ticket, mut raw: Value) -> Ticket {
    if let Some(obj) = raw.as_object_mut() {
        obj.remove("messages");
    }
    let label_names = |id: &str| {
        t.labels
            .as_ref()
            .and_then(|ls| ls.iter().find(|l| l.id == id))
            .and_then(|l| l.name.clone())
    };
    Ticket {
        id: t.id.clone(),
        name: t.subject.clone(),
        number: t.number.map(|n| n.to_string()),
        assignees: t
            .user_id
            .iter()
            .map(|id| IdName {
                id: id.clone(),
                name: t
                    .user
                    .as_ref()
                    .and_then(|u| full_name(u.first_name.as_deref(), u.last_name.as_deref())),
            })
            .collect(),
        status: Some(status_of(t)),
        description: t.summary.clone(),
        collections: t
            .inbox_id
            .iter()
            .map(|id| TypedRef {
                id: id.clone(),
                name: t.inbox.as_ref().and_then(|i| i.name.clone()),
                kind: Some("inbox".into()),
            })
            .collect(),
        contact: t.customer_id.as_ref().map(|id| match &t.customer {
            Some(c) => contact_ref(c),
            None => ContactRef {
                id: id.clone(),
                ..ContactRef::default()
            },
        }),
        tags: t
            .label_ids
            .iter()
            .flatten()
            .map(|id| IdName {
                id: id.clone(),
                name: label_names(id),
            })
            .collect(),
        created_at: Some(t.created_at.clone()),
        updated_at: Some(t.updated_at.clone()),
        completed_at: None,
        source: t.kind.as_ref().map(|k| TypedRef {
            id: k.clone(),
            name: Some(k.clone()),
            kind: Some("channel".into()),
        }),
        custom_fields: t
            .snoozed_until
            .as_ref()
            .map(|s| json!({ "snoozed_until": s })),
        remote_data: raw,
        ..Ticket::default()
    }
}

fn contact_ref(c: &wire::Customer) -> ContactRef {
    let contact = contact(c, Value::Null);
    ContactRef {
        id: contact.id,
        name: contact.name,
        first_name: contact.first_name,
        last_name: contact.last_name,
        emails: contact.emails,
        phones: contact.phones,
    }
}

/// A customer with its email, phone and twitter identities. Twitter has no unified field, so
/// handles go to `custom_fields.twitter`.
pub fn contact(c: &wire::Customer, raw: Value) -> Contact {
    let points = c.contacts.as_deref().unwrap_or_default();
    let of = |kind: &'static str| points.iter().filter(move |p| p.kind == kind);
    let twitter: Vec<&str> = of("twitter").map(|p| p.value.as_str()).collect();
    Contact {
        id: c.id.clone(),
        first_name: c.first_name.clone(),
        last_name: c.last_name.clone(),
        name: full_name(c.first_name.as_deref(), c.last_name.as_deref()),
        emails: of("email")
            .map(|p| Email {
                email: p.value.clone(),
                kind: Some("email".into()),
            })
            .collect(),
        phones: of("phone")
            .map(|p| Phone {
                number: p.value.clone(),
                kind: Some("phone".into()),
            })
            .collect(),
        details: c.summary.clone(),
        custom_fields: (!twitter.is_empty()).then(|| json!({ "twitter": twitter })),
        is_active: Some(true),
        remote_data: raw,
        ..Contact::default()
    }
}

pub fn user(u: &wire::User, raw: Value) -> User {
    User {
        id: u.id.clone(),
        name: full_name(u.first_name.as_deref(), u.last_name.as_deref()),
        first_name: u.first_name.clone(),
        last_name: u.last_name.clone(),
        emails: u
            .email
            .iter()
            .map(|e| Email {
                email: e.clone(),
                kind: Some("work".into()),
            })
            .collect(),
        is_active: Some(true),
        remote_data: raw,
        ..User::default()
    }
}

pub fn tag(l: &wire::Label, raw: Value) -> Tag {
    Tag {
        id: l.id.clone(),
        name: l.name.clone(),
        remote_data: raw,
        ..Tag::default()
    }
}

pub fn collection(i: &wire::Inbox, raw: Value) -> Collection {
    Collection {
        id: i.id.clone(),
        name: i.name.clone(),
        kind: Some("inbox".into()),
        entity_type: Some("ticket".into()),
        remote_data: raw,
        ..Collection::default()
    }
}

pub fn attachment(
    a: &wire::Attachment,
    m: &wire::Message,
    ticket_id: &str,
    raw: Value,
) -> Attachment {
    Attachment {
        id: a.id.clone(),
        file_name: a.name.clone(),
        ticket_id: Some(ticket_id.to_string()),
        size: a.size,
        content_type: a.kind.clone(),
        uploaded_by: m.user_id.clone(),
        uploaded_by_type: Some(
            if m.user_id.is_some() {
                "user"
            } else {
                "contact"
            }
            .into(),
        ),
        created_at: Some(m.created_at.clone()),
        remote_data: raw,
        ..Attachment::default()
    }
}

/// A message of `t`. Notes are internal and private; replies are seen by the customer.
pub fn comment(m: &wire::Message, t: &wire::Ticket, raw: Value) -> Comment {
    let is_note = m.kind == "note";
    let mut body = m.body.clone().unwrap_or_default();
    if let Some(signature) = m.more_body.as_deref().filter(|s| !s.trim().is_empty()) {
        let sep = if m.htmlized == Some(true) {
            "<br><br>"
        } else {
            "\n\n"
        };
        body = format!("{body}{sep}{signature}");
    }
    let (text, html) = if m.htmlized == Some(true) {
        (html_to_text(&body), Some(clean_html(&body)))
    } else {
        (body, None)
    };
    let author = match &m.user_id {
        Some(uid) => Author {
            id: Some(uid.clone()),
            name: m.from_name.clone(),
            username: None,
            kind: Some("user".into()),
        },
        None => Author {
            id: t.customer_id.clone(),
            name: m.from_name.clone().or_else(|| m.from.clone()),
            username: m.from.clone(),
            kind: Some("contact".into()),
        },
    };
    let receiver = match (m.direction.as_deref(), &t.customer_id) {
        (Some("out"), Some(cid)) => Some(TypedRef {
            id: cid.clone(),
            name: m.to.clone(),
            kind: Some("contact".into()),
        }),
        _ => None,
    };
    let attachments = m
        .attachments
        .iter()
        .flatten()
        .zip(
            raw.get("attachments")
                .and_then(Value::as_array)
                .into_iter()
                .flatten(),
        )
        .map(|(a, a_raw)| attachment(a, m, &t.id, a_raw.clone()))
        .collect();
    Comment {
        id: m.id.clone(),
        author: Some(author),
        receiver,
        body: Some(text),
        html_body: html,
        ticket: Some(IdName {
            id: t.id.clone(),
            name: t.subject.clone(),
        }),
        attachments,
        is_internal: is_note,
        is_private: is_note,
        channel: t.kind.as_ref().map(|k| TypedRef {
            id: k.clone(),
            name: Some(k.clone()),
            kind: Some("channel".into()),
        }),
        created_at: Some(m.created_at.clone()),
        updated_at: None,
        etag: None,
        remote_data: raw,
    }
}
