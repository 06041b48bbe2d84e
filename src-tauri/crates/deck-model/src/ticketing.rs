//! Truto's 17 Unified Ticketing resources, field for field (seed `004_…`), each keeping the
//! provider's raw record in `remote_data`. Fields a provider cannot fill are `null`.

use crate::refs::{Author, ContactRef, Email, IdName, Phone, TypedRef};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use ts_rs::TS;

/// Companies or organizations the helpdesk is in contact with.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, TS)]
pub struct Account {
    pub id: String,
    pub name: Option<String>,
    pub domains: Vec<String>,
    pub created_at: Option<String>,
    pub updated_at: Option<String>,
    pub etag: Option<String>,
    #[ts(type = "unknown")]
    pub remote_data: Value,
}

/// A file associated with a ticket or a comment.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, TS)]
pub struct Attachment {
    pub id: String,
    pub file_name: Option<String>,
    pub ticket_id: Option<String>,
    pub size: Option<u64>,
    pub file_url: Option<String>,
    pub content_type: Option<String>,
    pub uploaded_by: Option<String>,
    pub uploaded_by_type: Option<String>,
    pub created_at: Option<String>,
    pub updated_at: Option<String>,
    pub etag: Option<String>,
    #[ts(type = "unknown")]
    pub remote_data: Value,
}

/// A grouping of tickets or contacts (inboxes, channels, lists, projects).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, TS)]
pub struct Collection {
    pub id: String,
    pub name: Option<String>,
    pub description: Option<String>,
    #[serde(rename = "type")]
    #[ts(rename = "type")]
    pub kind: Option<String>,
    pub parent_collection_id: Option<String>,
    pub urls: Vec<String>,
    pub workspace: Option<IdName>,
    pub created_at: Option<String>,
    pub updated_at: Option<String>,
    pub etag: Option<String>,
    pub entity_type: Option<String>,
    #[ts(type = "unknown")]
    pub remote_data: Value,
}

/// One message on a ticket: a reply between an agent and a contact, or an internal note.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, TS)]
pub struct Comment {
    pub id: String,
    pub author: Option<Author>,
    pub receiver: Option<TypedRef>,
    /// Plain text.
    pub body: Option<String>,
    /// HTML, already sanitized: no scripts, handlers or `javascript:` links survive mapping.
    pub html_body: Option<String>,
    pub ticket: Option<IdName>,
    pub attachments: Vec<Attachment>,
    /// True for internal notes left by users.
    pub is_internal: bool,
    /// True when the customer does not see it.
    pub is_private: bool,
    pub channel: Option<TypedRef>,
    pub created_at: Option<String>,
    pub updated_at: Option<String>,
    pub etag: Option<String>,
    #[ts(type = "unknown")]
    pub remote_data: Value,
}

/// An external person the helpdesk talks to (a customer).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, TS)]
pub struct Contact {
    pub id: String,
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    pub name: Option<String>,
    pub emails: Vec<Email>,
    pub phones: Vec<Phone>,
    pub details: Option<String>,
    pub account_id: Option<String>,
    pub created_at: Option<String>,
    pub updated_at: Option<String>,
    pub etag: Option<String>,
    /// Identities with no unified field (e.g. `{"twitter": ["@handle"]}`).
    #[ts(type = "Record<string, unknown> | null")]
    pub custom_fields: Option<Value>,
    pub is_active: Option<bool>,
    #[ts(type = "unknown")]
    pub remote_data: Value,
}

/// An attribute defined on an entity, system or user defined.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, TS)]
pub struct Field {
    pub id: String,
    pub name: Option<String>,
    pub label: Option<String>,
    pub description: Option<String>,
    #[serde(rename = "type")]
    #[ts(rename = "type")]
    pub kind: Option<String>,
    pub format: Option<String>,
    pub is_hidden: Option<bool>,
    pub is_unique: Option<bool>,
    pub is_required: Option<bool>,
    #[ts(type = "unknown[]")]
    pub options: Vec<Value>,
    pub is_user_defined: Option<bool>,
    pub entity_type: Option<String>,
    pub entity_id: Option<String>,
    pub created_at: Option<String>,
    pub updated_at: Option<String>,
    pub etag: Option<String>,
    pub applicable_in: Option<String>,
    pub applicable_for: Option<String>,
    pub ticket_type: Option<String>,
    pub status: Option<String>,
    #[ts(type = "unknown")]
    pub remote_data: Value,
}

/// The company using the ticketing system.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, TS)]
pub struct Organization {
    pub id: String,
    pub name: Option<String>,
    pub created_at: Option<String>,
    pub updated_at: Option<String>,
    pub etag: Option<String>,
    #[ts(type = "unknown")]
    pub remote_data: Value,
}

/// A label that classifies tickets.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, TS)]
pub struct Tag {
    pub id: String,
    pub name: Option<String>,
    pub color: Option<String>,
    pub workspace: Option<IdName>,
    pub created_at: Option<String>,
    pub updated_at: Option<String>,
    pub etag: Option<String>,
    pub status: Option<String>,
    pub parent: Option<IdName>,
    #[ts(type = "unknown")]
    pub remote_data: Value,
}

/// A list of tasks on a ticket.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, TS)]
pub struct TaskList {
    pub id: String,
    pub name: Option<String>,
    pub ticket: Option<IdName>,
    pub tasks: Vec<IdName>,
    pub created_at: Option<String>,
    pub updated_at: Option<String>,
    pub etag: Option<String>,
    #[ts(type = "unknown")]
    pub remote_data: Value,
}

/// A smaller piece of work on a ticket.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, TS)]
pub struct Task {
    pub id: String,
    pub name: Option<String>,
    pub assignees: Vec<IdName>,
    pub description: Option<String>,
    pub due_date: Option<String>,
    pub ticket: Option<IdName>,
    pub task_list: Option<IdName>,
    pub status: Option<IdName>,
    pub created_at: Option<String>,
    pub updated_at: Option<String>,
    pub etag: Option<String>,
    #[ts(type = "unknown")]
    pub remote_data: Value,
}

/// A grouping of users (teams, groups, agent groups).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, TS)]
pub struct Team {
    pub id: String,
    pub name: Option<String>,
    pub description: Option<String>,
    pub created_at: Option<String>,
    pub updated_at: Option<String>,
    pub etag: Option<String>,
    #[ts(type = "unknown")]
    pub remote_data: Value,
}

/// The order in which tickets should be worked on.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, TS)]
pub struct TicketPriority {
    pub id: String,
    pub name: Option<String>,
    pub description: Option<String>,
    pub etag: Option<String>,
    #[ts(type = "unknown")]
    pub remote_data: Value,
}

/// How far a ticket is from done. `name` is one of Truto's values (`open`, `pending`,
/// `closed`, `archived`, ...); the provider's own state is the `id`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, TS)]
pub struct TicketStatus {
    pub id: String,
    pub name: Option<String>,
    pub description: Option<String>,
    pub etag: Option<String>,
    #[ts(type = "unknown")]
    pub remote_data: Value,
}

/// A classification of tickets (bug, incident, ...).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, TS)]
pub struct TicketType {
    pub id: String,
    pub name: Option<String>,
    pub description: Option<String>,
    pub project: Option<String>,
    pub created_at: Option<String>,
    pub updated_at: Option<String>,
    pub etag: Option<String>,
    #[ts(type = "unknown")]
    pub remote_data: Value,
}

/// The core resource: a conversation or piece of work.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, TS)]
pub struct Ticket {
    pub id: String,
    /// The subject.
    pub name: Option<String>,
    /// The provider's friendly number, as a string.
    pub number: Option<String>,
    pub assignees: Vec<IdName>,
    pub status: Option<IdName>,
    pub created_by: Option<TypedRef>,
    pub due_date: Option<String>,
    pub description: Option<String>,
    pub workspace: Option<IdName>,
    pub team: Option<IdName>,
    pub collections: Vec<TypedRef>,
    pub conversations: Vec<IdName>,
    pub ticket_type: Option<IdName>,
    pub contact: Option<ContactRef>,
    pub additional_contacts: Vec<ContactRef>,
    pub account: Option<IdName>,
    pub parent_ticket: Option<IdName>,
    pub attachments: Vec<IdName>,
    pub tags: Vec<IdName>,
    pub created_at: Option<String>,
    pub updated_at: Option<String>,
    pub completed_at: Option<String>,
    pub ticket_url: Option<String>,
    pub priority: Option<IdName>,
    pub languages: Vec<String>,
    pub is_unread: Option<bool>,
    /// The channel the ticket came in on (`email`, `chat`, ...).
    pub source: Option<TypedRef>,
    #[ts(type = "Record<string, unknown> | null")]
    pub custom_fields: Option<Value>,
    pub etag: Option<String>,
    #[ts(type = "unknown")]
    pub remote_data: Value,
}

/// A person using the helpdesk (agent, admin), as the ticketing API sees them.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, TS)]
pub struct User {
    pub id: String,
    pub name: Option<String>,
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    pub username: Option<String>,
    pub emails: Vec<Email>,
    pub is_active: Option<bool>,
    pub team_ids: Vec<String>,
    pub avatar: Option<String>,
    pub roles: Vec<IdName>,
    pub created_at: Option<String>,
    pub updated_at: Option<String>,
    pub etag: Option<String>,
    #[ts(type = "unknown")]
    pub remote_data: Value,
}

/// The top-level subdivision of a ticketing system.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, TS)]
pub struct Workspace {
    pub id: String,
    pub name: Option<String>,
    pub status: Option<String>,
    pub description: Option<String>,
    pub created_at: Option<String>,
    pub updated_at: Option<String>,
    pub etag: Option<String>,
    #[ts(type = "unknown")]
    pub remote_data: Value,
}
