//! Writes in Truto's unified shapes: what a user asks to change, validated before anything is
//! stored, and kept in the outbox (as JSON) until the helpdesk has it. `apply_to_*` shows a
//! write in the cache at once, before the helpdesk answers.

use crate::{Contact, Email, FieldFailure, IdName, Phone, Record, Ticket};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use ts_rs::TS;

/// The statuses a ticket can be set to (the ids of the `ticket_status` resource that are
/// writable; `spam` and `trash` are exclusive flags on the helpdesk side).
pub const WRITABLE_STATUSES: &[&str] = &["open", "hold", "closed", "spam", "trash"];

/// The kinds of contact identity a helpdesk keeps besides names.
pub const IDENTITY_KINDS: &[&str] = &["email", "phone", "twitter"];

/// Changes to a ticket; absent fields stay as they are. `assignees: []` unassigns and
/// `tags: []` removes every tag.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields)]
pub struct TicketPatch {
    /// The subject.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub name: Option<String>,
    /// A status id: `open`, `hold`, `closed`, `spam` or `trash` (also accepted as `{id}`).
    #[serde(default, with = "id_or_ref", skip_serializing_if = "Option::is_none")]
    #[ts(optional, type = "string")]
    pub status: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub assignees: Option<Vec<IdName>>,
    /// The inbox (Enchant holds exactly one per ticket).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub collections: Option<Vec<IdName>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub tags: Option<Vec<IdName>>,
}

/// A status given as `"closed"` or as Truto's `{"id": "closed"}`; written as the id.
mod id_or_ref {
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    pub fn serialize<S: Serializer>(v: &Option<String>, s: S) -> Result<S::Ok, S::Error> {
        v.serialize(s)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum IdOrRef {
            Id(String),
            Ref { id: String },
        }
        Ok(Option::<IdOrRef>::deserialize(d)?.map(|v| match v {
            IdOrRef::Id(id) | IdOrRef::Ref { id } => id,
        }))
    }
}

/// The fields of a patch, by name, for conflict checks and display.
pub const TICKET_FIELDS: &[&str] = &["name", "status", "assignees", "collections", "tags"];

impl TicketPatch {
    /// The value of one field of the patch, as JSON (`None` when the patch leaves it alone).
    pub fn field(&self, name: &str) -> Option<Value> {
        let v = serde_json::to_value(self).ok()?;
        v.get(name).cloned()
    }

    /// The same fields, read off `ticket`: what the user saw when making the change.
    pub fn base_from(&self, ticket: &Ticket) -> TicketPatch {
        let ids = |refs: &[IdName]| -> Vec<IdName> {
            refs.iter()
                .map(|r| IdName {
                    id: r.id.clone(),
                    name: None,
                })
                .collect()
        };
        TicketPatch {
            name: self
                .name
                .as_ref()
                .map(|_| ticket.name.clone().unwrap_or_default()),
            status: self.status.as_ref().map(|_| {
                ticket
                    .status
                    .as_ref()
                    .map(|s| s.id.clone())
                    .unwrap_or_default()
            }),
            assignees: self.assignees.as_ref().map(|_| ids(&ticket.assignees)),
            collections: self.collections.as_ref().map(|_| {
                ticket
                    .collections
                    .iter()
                    .map(|c| IdName {
                        id: c.id.clone(),
                        name: None,
                    })
                    .collect()
            }),
            tags: self.tags.as_ref().map(|_| ids(&ticket.tags)),
        }
    }

    fn validate(&self, failures: &mut Vec<FieldFailure>) {
        if self.is_empty() {
            failures.push(fail("(body)", "nothing to change: give at least one field"));
        }
        if let Some(name) = &self.name
            && name.trim().is_empty()
        {
            failures.push(fail("name", "the subject cannot be empty"));
        }
        if let Some(s) = &self.status
            && !WRITABLE_STATUSES.contains(&s.as_str())
        {
            failures.push(fail(
                "status",
                format!(
                    "`{s}` is not a status a ticket can be set to (one of: {})",
                    WRITABLE_STATUSES.join(", ")
                ),
            ));
        }
        if let Some(a) = &self.assignees
            && a.len() > 1
        {
            failures.push(fail("assignees", "a ticket has at most one assignee"));
        }
        if let Some(c) = &self.collections
            && c.len() != 1
        {
            failures.push(fail("collections", "a ticket belongs to exactly one inbox"));
        }
        for (field, refs) in [
            ("assignees", &self.assignees),
            ("collections", &self.collections),
            ("tags", &self.tags),
        ] {
            if refs.iter().flatten().any(|r| r.id.trim().is_empty()) {
                failures.push(fail(field, "every entry needs an `id`"));
            }
        }
    }
}

/// A file to attach to a comment. The file is copied into the outbox when the write is made, so
/// it is sent even if the original moves.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields)]
pub struct AttachmentInput {
    /// Where the file is on this machine.
    pub path: String,
    /// The name the helpdesk shows; the file's own name when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub file_name: Option<String>,
    /// The MIME type; detected from the content and name when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub content_type: Option<String>,
    /// The size in bytes (filled in when the write is made).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional, type = "number")]
    pub size: Option<u64>,
}

/// A comment to create: an internal note (`is_internal`), a reply to the customer (author of
/// type `user`) or a message from the customer (author of type `contact`).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields)]
pub struct CommentInput {
    pub ticket: IdName,
    /// Plain text; give this or `html_body`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub body: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub html_body: Option<String>,
    #[serde(default)]
    pub is_internal: bool,
    /// `{id, type: "user"}` for an agent; `{type: "contact"}` for the ticket's customer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub author: Option<crate::Author>,
    /// For a reply: the address it goes to (the ticket's contact when absent).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub receiver: Option<Email>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[ts(type = "AttachmentInput[]", optional)]
    pub attachments: Vec<AttachmentInput>,
}

impl CommentInput {
    /// True when the customer wrote it (an inbound reply).
    pub fn is_inbound(&self) -> bool {
        self.author.as_ref().and_then(|a| a.kind.as_deref()) == Some("contact")
    }

    /// The text, whichever of `body` and `html_body` was given.
    pub fn text(&self) -> &str {
        self.html_body
            .as_deref()
            .or(self.body.as_deref())
            .unwrap_or_default()
    }

    fn validate(&self, failures: &mut Vec<FieldFailure>) {
        if self.ticket.id.trim().is_empty() {
            failures.push(fail("ticket", "name the ticket: `ticket: {id}`"));
        }
        if self.text().trim().is_empty() && self.attachments.is_empty() {
            failures.push(fail("body", "the message is empty"));
        }
        let author = self.author.as_ref();
        let kind = author.and_then(|a| a.kind.as_deref()).unwrap_or("user");
        match kind {
            "user" => {
                if author
                    .and_then(|a| a.id.as_deref())
                    .is_none_or(str::is_empty)
                {
                    failures.push(fail(
                        "author",
                        if self.is_internal {
                            "a note needs an author: the agent it is written as (`author: {id}`)"
                        } else {
                            "a reply needs an author: the agent it is sent as (`author: {id}`)"
                        },
                    ));
                }
            }
            "contact" => {
                if self.is_internal {
                    failures.push(fail("is_internal", "only agents write internal notes"));
                }
            }
            other => failures.push(fail(
                "author",
                format!("author type `{other}` is unknown (user or contact)"),
            )),
        }
        if !self.is_internal
            && !self.is_inbound()
            && self
                .receiver
                .as_ref()
                .is_none_or(|r| r.email.trim().is_empty())
        {
            failures.push(fail(
                "receiver",
                "the customer has no email address to reply to: write an internal note, or give `receiver: {email}`",
            ));
        }
        for (i, a) in self.attachments.iter().enumerate() {
            if a.path.trim().is_empty() {
                failures.push(fail(format!("attachments[{i}].path"), "no file given"));
            }
        }
    }
}

/// One identity of a contact: an email address, a phone number or a twitter handle.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields)]
pub struct Identity {
    /// `email`, `phone` or `twitter`.
    #[serde(rename = "type")]
    #[ts(rename = "type")]
    pub kind: String,
    pub value: String,
}

impl Identity {
    fn validate(&self, field: &str, failures: &mut Vec<FieldFailure>) {
        if !IDENTITY_KINDS.contains(&self.kind.as_str()) {
            failures.push(fail(
                field,
                format!(
                    "identity type `{}` is unknown (one of: {})",
                    self.kind,
                    IDENTITY_KINDS.join(", ")
                ),
            ));
        }
        let value = self.value.trim();
        if value.is_empty() {
            failures.push(fail(field, "the value is empty"));
        } else if self.kind == "email" && !looks_like_email(value) {
            failures.push(fail(field, format!("`{value}` is not an email address")));
        }
    }

    /// The identities of a cached contact.
    pub fn of_contact(c: &Contact) -> Vec<Identity> {
        let mut out: Vec<Identity> = c
            .emails
            .iter()
            .map(|e| Identity {
                kind: "email".into(),
                value: e.email.clone(),
            })
            .collect();
        out.extend(c.phones.iter().map(|p| Identity {
            kind: "phone".into(),
            value: p.number.clone(),
        }));
        out.extend(twitter_of(c).into_iter().map(|value| Identity {
            kind: "twitter".into(),
            value,
        }));
        out
    }
}

fn twitter_of(c: &Contact) -> Vec<String> {
    c.custom_fields
        .as_ref()
        .and_then(|f| f.get("twitter"))
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(|v| v.as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default()
}

fn looks_like_email(s: &str) -> bool {
    match s.split_once('@') {
        Some((local, domain)) => {
            !local.is_empty()
                && domain.contains('.')
                && !domain.starts_with('.')
                && !domain.ends_with('.')
                && !s.chars().any(char::is_whitespace)
        }
        None => false,
    }
}

/// A contact to create, or changes to one (absent fields stay as they are). Identities are
/// given as Truto nests them (`emails`, `phones`) plus `twitter` handles.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields)]
pub struct ContactInput {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub first_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub last_name: Option<String>,
    /// Free text about the contact (Enchant's `summary`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub details: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub emails: Option<Vec<Email>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub phones: Option<Vec<Phone>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub twitter: Option<Vec<String>>,
}

impl ContactInput {
    /// The identities this input names, if it names any.
    pub fn identities(&self) -> Option<Vec<Identity>> {
        if self.emails.is_none() && self.phones.is_none() && self.twitter.is_none() {
            return None;
        }
        let mut out: Vec<Identity> = Vec::new();
        out.extend(self.emails.iter().flatten().map(|e| Identity {
            kind: "email".into(),
            value: e.email.trim().to_string(),
        }));
        out.extend(self.phones.iter().flatten().map(|p| Identity {
            kind: "phone".into(),
            value: p.number.trim().to_string(),
        }));
        out.extend(self.twitter.iter().flatten().map(|t| Identity {
            kind: "twitter".into(),
            value: t.trim().trim_start_matches('@').to_string(),
        }));
        Some(out)
    }

    /// Only the name and details fields.
    pub fn names(&self) -> ContactInput {
        ContactInput {
            first_name: self.first_name.clone(),
            last_name: self.last_name.clone(),
            details: self.details.clone(),
            ..ContactInput::default()
        }
    }

    /// The name and details fields of `contact` that this input changes.
    pub fn base_from(&self, contact: &Contact) -> ContactInput {
        let pick = |set: &Option<String>, have: &Option<String>| {
            set.as_ref().map(|_| have.clone().unwrap_or_default())
        };
        ContactInput {
            first_name: pick(&self.first_name, &contact.first_name),
            last_name: pick(&self.last_name, &contact.last_name),
            details: pick(&self.details, &contact.details),
            ..ContactInput::default()
        }
    }

    /// The value of one name field, as JSON.
    pub fn field(&self, name: &str) -> Option<Value> {
        let v = serde_json::to_value(self).ok()?;
        v.get(name).cloned()
    }

    fn validate(&self, creating: bool, failures: &mut Vec<FieldFailure>) {
        if self.is_empty() {
            failures.push(fail(
                "(body)",
                "nothing given: name the contact or an identity",
            ));
        }
        for (i, e) in self.emails.iter().flatten().enumerate() {
            Identity {
                kind: "email".into(),
                value: e.email.clone(),
            }
            .validate(&format!("emails[{i}]"), failures);
        }
        for (i, p) in self.phones.iter().flatten().enumerate() {
            if p.number.trim().is_empty() {
                failures.push(fail(format!("phones[{i}]"), "the number is empty"));
            }
        }
        for (i, t) in self.twitter.iter().flatten().enumerate() {
            if t.trim().trim_start_matches('@').is_empty() {
                failures.push(fail(format!("twitter[{i}]"), "the handle is empty"));
            }
        }
        if creating
            && [&self.first_name, &self.last_name]
                .iter()
                .all(|n| n.as_deref().is_none_or(|s| s.trim().is_empty()))
            && self.identities().unwrap_or_default().is_empty()
        {
            failures.push(fail(
                "first_name",
                "a new contact needs a name or an identity",
            ));
        }
    }
}

/// A ticket to create, with its first message from the contact.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields)]
pub struct TicketInput {
    /// The subject.
    pub name: String,
    /// The first message, from the contact.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub description: Option<String>,
    /// An existing contact (`{id}`) or a new one (names and identities).
    pub contact: NewTicketContact,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[ts(type = "IdName[]", optional)]
    pub assignees: Vec<IdName>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[ts(type = "IdName[]", optional)]
    pub collections: Vec<IdName>,
}

/// The contact of a new ticket: `{id}` of an existing one, or the fields of a new one.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, TS)]
#[serde(untagged)]
pub enum NewTicketContact {
    Existing { id: String },
    New(ContactInput),
}

impl Default for NewTicketContact {
    fn default() -> Self {
        NewTicketContact::New(ContactInput::default())
    }
}

impl TicketInput {
    fn validate(&self, failures: &mut Vec<FieldFailure>) {
        if self.name.trim().is_empty() {
            failures.push(fail("name", "a ticket needs a subject"));
        }
        match &self.contact {
            NewTicketContact::Existing { id } if id.trim().is_empty() => {
                failures.push(fail("contact", "name the contact: `contact: {id}`"))
            }
            NewTicketContact::Existing { .. } => {}
            NewTicketContact::New(c) => {
                let mut inner = Vec::new();
                c.validate(true, &mut inner);
                failures.extend(inner.into_iter().map(|f| FieldFailure {
                    field: format!("contact.{}", f.field),
                    message: f.message,
                }));
                if !c
                    .identities()
                    .unwrap_or_default()
                    .iter()
                    .any(|i| i.kind == "email")
                {
                    failures.push(fail(
                        "contact.emails",
                        "a new ticket's contact needs an email address to reply to",
                    ));
                }
            }
        }
        if self.assignees.len() > 1 {
            failures.push(fail("assignees", "a ticket has at most one assignee"));
        }
        if self.collections.len() > 1 {
            failures.push(fail("collections", "a ticket belongs to one inbox"));
        }
    }
}

/// A patch of named fields (a ticket's or a contact's), as conflicts settle it field by field.
pub trait FieldPatch: Default + PartialEq + serde::de::DeserializeOwned {
    /// True when the patch changes nothing.
    fn is_empty(&self) -> bool {
        self == &Self::default()
    }

    /// The patch without `field`.
    fn without(self, field: &str) -> Self;

    /// The patch with `field` taken from `other`.
    fn with_field_from(self, field: &str, other: &Self) -> Self;
}

impl FieldPatch for TicketPatch {
    fn without(mut self, field: &str) -> TicketPatch {
        match field {
            "name" => self.name = None,
            "status" => self.status = None,
            "assignees" => self.assignees = None,
            "collections" => self.collections = None,
            "tags" => self.tags = None,
            _ => {}
        }
        self
    }

    fn with_field_from(mut self, field: &str, other: &TicketPatch) -> TicketPatch {
        match field {
            "name" => self.name.clone_from(&other.name),
            "status" => self.status.clone_from(&other.status),
            "assignees" => self.assignees.clone_from(&other.assignees),
            "collections" => self.collections.clone_from(&other.collections),
            "tags" => self.tags.clone_from(&other.tags),
            _ => {}
        }
        self
    }
}

impl FieldPatch for ContactInput {
    fn without(mut self, field: &str) -> ContactInput {
        match field {
            "first_name" => self.first_name = None,
            "last_name" => self.last_name = None,
            "details" => self.details = None,
            _ => {}
        }
        self
    }

    fn with_field_from(mut self, field: &str, other: &ContactInput) -> ContactInput {
        match field {
            "first_name" => self.first_name.clone_from(&other.first_name),
            "last_name" => self.last_name.clone_from(&other.last_name),
            "details" => self.details.clone_from(&other.details),
            _ => {}
        }
        self
    }
}

/// One change the outbox holds and sends.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, TS)]
#[serde(tag = "op", rename_all = "snake_case")]
pub enum Write {
    /// `base` holds the patched fields as the user saw them, to find conflicting changes.
    UpdateTicket {
        ticket_id: String,
        patch: TicketPatch,
        base: TicketPatch,
    },
    AddTags {
        ticket_id: String,
        tag_ids: Vec<String>,
    },
    RemoveTags {
        ticket_id: String,
        tag_ids: Vec<String>,
    },
    CreateTicket {
        ticket: TicketInput,
    },
    CreateComment {
        comment: CommentInput,
    },
    CreateContact {
        contact: ContactInput,
    },
    UpdateContact {
        contact_id: String,
        patch: ContactInput,
        base: ContactInput,
    },
    AddIdentity {
        contact_id: String,
        identity: Identity,
    },
    RemoveIdentity {
        contact_id: String,
        identity: Identity,
    },
}

/// Ids of records the outbox creates, until the helpdesk gives them their own.
pub const LOCAL_ID_PREFIX: &str = "local-";

/// The local id of what outbox entry `entry` creates.
pub fn local_id(entry: i64) -> String {
    format!("{LOCAL_ID_PREFIX}{entry}")
}

/// The outbox entry a local id belongs to.
pub fn entry_of_local_id(id: &str) -> Option<i64> {
    id.strip_prefix(LOCAL_ID_PREFIX)?.parse().ok()
}

impl Write {
    /// Every invalid field, before anything is stored or sent.
    pub fn validate(&self) -> Result<(), Vec<FieldFailure>> {
        let mut failures = Vec::new();
        match self {
            Write::UpdateTicket {
                ticket_id, patch, ..
            } => {
                need_id("id", ticket_id, &mut failures);
                patch.validate(&mut failures);
            }
            Write::AddTags { ticket_id, tag_ids } | Write::RemoveTags { ticket_id, tag_ids } => {
                need_id("id", ticket_id, &mut failures);
                if tag_ids.is_empty() || tag_ids.iter().any(|t| t.trim().is_empty()) {
                    failures.push(fail("tags", "name at least one tag by id"));
                }
            }
            Write::CreateTicket { ticket } => ticket.validate(&mut failures),
            Write::CreateComment { comment } => comment.validate(&mut failures),
            Write::CreateContact { contact } => contact.validate(true, &mut failures),
            Write::UpdateContact {
                contact_id, patch, ..
            } => {
                need_id("id", contact_id, &mut failures);
                patch.validate(false, &mut failures);
            }
            Write::AddIdentity {
                contact_id,
                identity,
            }
            | Write::RemoveIdentity {
                contact_id,
                identity,
            } => {
                need_id("id", contact_id, &mut failures);
                identity.validate("identity", &mut failures);
            }
        }
        if failures.is_empty() {
            Ok(())
        } else {
            Err(failures)
        }
    }

    /// The record this write changes or creates: `(resource name, id)`. A created record's id is
    /// its local id until the helpdesk answers.
    pub fn target(&self, entry: i64) -> (&'static str, String) {
        match self {
            Write::UpdateTicket { ticket_id, .. }
            | Write::AddTags { ticket_id, .. }
            | Write::RemoveTags { ticket_id, .. } => ("tickets", ticket_id.clone()),
            Write::CreateTicket { .. } => ("tickets", local_id(entry)),
            Write::CreateComment { .. } => ("comments", local_id(entry)),
            Write::CreateContact { .. } => ("contacts", local_id(entry)),
            Write::UpdateContact { contact_id, .. }
            | Write::AddIdentity { contact_id, .. }
            | Write::RemoveIdentity { contact_id, .. } => ("contacts", contact_id.clone()),
        }
    }

    /// Local ids of records other outbox entries create, which this write needs first.
    pub fn depends_on(&self) -> Vec<i64> {
        let ids: Vec<&str> = match self {
            Write::UpdateTicket { ticket_id, .. }
            | Write::AddTags { ticket_id, .. }
            | Write::RemoveTags { ticket_id, .. } => vec![ticket_id],
            Write::CreateComment { comment } => vec![&comment.ticket.id],
            Write::CreateTicket { ticket } => match &ticket.contact {
                NewTicketContact::Existing { id } => vec![id],
                NewTicketContact::New(_) => vec![],
            },
            Write::CreateContact { .. } => vec![],
            Write::UpdateContact { contact_id, .. }
            | Write::AddIdentity { contact_id, .. }
            | Write::RemoveIdentity { contact_id, .. } => vec![contact_id],
        };
        ids.into_iter().filter_map(entry_of_local_id).collect()
    }

    /// Replaces local ids that the helpdesk has since given real ones (`resolve` answers the
    /// real id of a local one, or `None` while it has none).
    pub fn resolve_ids(&mut self, resolve: impl Fn(&str) -> Option<String>) {
        let fix = |id: &mut String| {
            if let Some(real) = resolve(id) {
                *id = real;
            }
        };
        match self {
            Write::UpdateTicket { ticket_id, .. }
            | Write::AddTags { ticket_id, .. }
            | Write::RemoveTags { ticket_id, .. } => fix(ticket_id),
            Write::CreateComment { comment } => fix(&mut comment.ticket.id),
            Write::CreateTicket { ticket } => {
                if let NewTicketContact::Existing { id } = &mut ticket.contact {
                    fix(id)
                }
            }
            Write::CreateContact { .. } => {}
            Write::UpdateContact { contact_id, .. }
            | Write::AddIdentity { contact_id, .. }
            | Write::RemoveIdentity { contact_id, .. } => fix(contact_id),
        }
    }

    /// True for writes that repeating does no harm (the helpdesk ends in the same state).
    pub fn is_idempotent(&self) -> bool {
        matches!(
            self,
            Write::UpdateTicket { .. }
                | Write::AddTags { .. }
                | Write::RemoveTags { .. }
                | Write::UpdateContact { .. }
                | Write::RemoveIdentity { .. }
        )
    }

    /// One line for the outbox view and the CLI, with records named by their ids.
    pub fn summary(&self) -> String {
        self.summary_with(&|_, _| None)
    }

    /// One line for the outbox view and the CLI; `label` names a record where it can (a
    /// ticket as `#12 “Refund please”`, a tag by its name), given its resource and id.
    pub fn summary_with(&self, label: &dyn Fn(&str, &str) -> Option<String>) -> String {
        let ticket = |id: &str| label("tickets", id).unwrap_or_else(|| format!("Ticket {id}"));
        let tags = |ids: &[String]| {
            ids.iter()
                .map(|id| label("tags", id).unwrap_or_else(|| id.clone()))
                .collect::<Vec<_>>()
                .join(", ")
        };
        let contact = |id: &str| label("contacts", id).unwrap_or_else(|| format!("Contact {id}"));
        match self {
            Write::UpdateTicket {
                ticket_id, patch, ..
            } => {
                let mut parts = Vec::new();
                if let Some(s) = &patch.status {
                    parts.push(format!("status → {s}"));
                }
                if let Some(a) = &patch.assignees {
                    parts.push(match a.first() {
                        Some(u) => format!("assign → {}", u.name.as_deref().unwrap_or(&u.id)),
                        None => "unassign".into(),
                    });
                }
                if let Some(n) = &patch.name {
                    parts.push(format!("subject → “{n}”"));
                }
                if let Some(c) = &patch.collections {
                    parts.push(format!(
                        "inbox → {}",
                        c.first()
                            .map(|c| c.name.as_deref().unwrap_or(&c.id))
                            .unwrap_or("?")
                    ));
                }
                if let Some(t) = &patch.tags {
                    parts.push(format!("tags → {}", t.len()));
                }
                format!("{}: {}", ticket(ticket_id), parts.join(", "))
            }
            Write::AddTags { ticket_id, tag_ids } => {
                format!("{}: add tag {}", ticket(ticket_id), tags(tag_ids))
            }
            Write::RemoveTags { ticket_id, tag_ids } => {
                format!("{}: remove tag {}", ticket(ticket_id), tags(tag_ids))
            }
            Write::CreateTicket { ticket } => format!("New ticket “{}”", ticket.name),
            Write::CreateComment { comment } => {
                let what = if comment.is_internal {
                    "Note"
                } else if comment.is_inbound() {
                    "Customer message"
                } else {
                    "Reply"
                };
                let files = match comment.attachments.len() {
                    0 => String::new(),
                    1 => " with 1 attachment".into(),
                    n => format!(" with {n} attachments"),
                };
                format!("{what} on {}{files}", ticket(&comment.ticket.id))
            }
            Write::CreateContact { contact } => format!(
                "New contact {}",
                display_name(contact).unwrap_or_else(|| "(unnamed)".into())
            ),
            Write::UpdateContact { contact_id, .. } => format!("{}: edit", contact(contact_id)),
            Write::AddIdentity {
                contact_id,
                identity,
            } => format!(
                "{}: add {} {}",
                contact(contact_id),
                identity.kind,
                identity.value
            ),
            Write::RemoveIdentity {
                contact_id,
                identity,
            } => format!(
                "{}: remove {} {}",
                contact(contact_id),
                identity.kind,
                identity.value
            ),
        }
    }

    /// Shows this write on a cached ticket (its target), before the helpdesk answers.
    pub fn apply_to_ticket(&self, t: &mut Ticket) {
        match self {
            Write::UpdateTicket { patch, .. } => {
                if let Some(n) = &patch.name {
                    t.name = Some(n.clone());
                }
                if let Some(s) = &patch.status {
                    t.status = Some(IdName {
                        id: s.clone(),
                        name: Some(status_name(s).to_string()),
                    });
                }
                if let Some(a) = &patch.assignees {
                    t.assignees = a.clone();
                }
                if let Some(c) = &patch.collections {
                    t.collections = c
                        .iter()
                        .map(|c| crate::TypedRef {
                            id: c.id.clone(),
                            name: c.name.clone(),
                            kind: Some("inbox".into()),
                        })
                        .collect();
                }
                if let Some(tags) = &patch.tags {
                    t.tags = tags.clone();
                }
            }
            Write::AddTags { tag_ids, .. } => {
                for id in tag_ids {
                    if !t.tags.iter().any(|x| &x.id == id) {
                        t.tags.push(IdName {
                            id: id.clone(),
                            name: None,
                        });
                    }
                }
            }
            Write::RemoveTags { tag_ids, .. } => t.tags.retain(|x| !tag_ids.contains(&x.id)),
            _ => {}
        }
    }

    /// Shows this write on a cached contact (its target), before the helpdesk answers.
    pub fn apply_to_contact(&self, c: &mut Contact) {
        match self {
            Write::UpdateContact { patch, .. } => {
                if let Some(v) = &patch.first_name {
                    c.first_name = Some(v.clone());
                }
                if let Some(v) = &patch.last_name {
                    c.last_name = Some(v.clone());
                }
                if let Some(v) = &patch.details {
                    c.details = Some(v.clone());
                }
                c.name = display_name(&ContactInput {
                    first_name: c.first_name.clone(),
                    last_name: c.last_name.clone(),
                    ..ContactInput::default()
                });
            }
            Write::AddIdentity { identity, .. } => set_identity(c, identity, true),
            Write::RemoveIdentity { identity, .. } => set_identity(c, identity, false),
            _ => {}
        }
    }
}

/// A field the user changed that the helpdesk changed too since the user saw it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, TS)]
pub struct FieldConflict {
    pub field: String,
    /// What the user saw before the change.
    #[ts(type = "unknown")]
    pub base: Value,
    /// What the user set.
    #[ts(type = "unknown")]
    pub yours: Value,
    /// What the helpdesk holds now.
    #[ts(type = "unknown")]
    pub theirs: Value,
}

impl Write {
    /// The record this write shows in the cache on top of `current` (the cached target, or
    /// `None` where it does not exist yet); `entry` and `at` name and date created records.
    pub fn overlay(&self, current: Option<Record>, entry: i64, at: &str) -> Option<Record> {
        match (self, current) {
            (Write::CreateTicket { ticket }, _) => Some(Record::Ticket(Ticket {
                id: local_id(entry),
                name: Some(ticket.name.clone()),
                description: ticket.description.clone(),
                status: Some(IdName {
                    id: "open".into(),
                    name: Some("open".into()),
                }),
                assignees: ticket.assignees.clone(),
                collections: ticket
                    .collections
                    .iter()
                    .map(|c| crate::TypedRef {
                        id: c.id.clone(),
                        name: c.name.clone(),
                        kind: Some("inbox".into()),
                    })
                    .collect(),
                contact: Some(match &ticket.contact {
                    NewTicketContact::Existing { id } => crate::ContactRef {
                        id: id.clone(),
                        ..crate::ContactRef::default()
                    },
                    NewTicketContact::New(c) => crate::ContactRef {
                        id: String::new(),
                        name: display_name(c),
                        first_name: c.first_name.clone(),
                        last_name: c.last_name.clone(),
                        emails: c.emails.clone().unwrap_or_default(),
                        phones: c.phones.clone().unwrap_or_default(),
                    },
                }),
                created_at: Some(at.to_string()),
                updated_at: Some(at.to_string()),
                ..Ticket::default()
            })),
            (Write::CreateComment { comment }, _) => Some(Record::Comment(crate::Comment {
                id: local_id(entry),
                author: comment.author.clone(),
                body: Some(
                    comment
                        .body
                        .clone()
                        .unwrap_or_else(|| comment.html_body.clone().unwrap_or_default()),
                ),
                html_body: None,
                ticket: Some(comment.ticket.clone()),
                attachments: comment
                    .attachments
                    .iter()
                    .enumerate()
                    .map(|(i, a)| crate::Attachment {
                        id: format!("{}-{i}", local_id(entry)),
                        file_name: a.file_name.clone(),
                        ticket_id: Some(comment.ticket.id.clone()),
                        size: a.size,
                        content_type: a.content_type.clone(),
                        ..crate::Attachment::default()
                    })
                    .collect(),
                is_internal: comment.is_internal,
                is_private: comment.is_internal,
                created_at: Some(at.to_string()),
                ..crate::Comment::default()
            })),
            (Write::CreateContact { contact }, _) => Some(Record::Contact(Contact {
                id: local_id(entry),
                first_name: contact.first_name.clone(),
                last_name: contact.last_name.clone(),
                name: display_name(contact),
                emails: contact.emails.clone().unwrap_or_default(),
                phones: contact.phones.clone().unwrap_or_default(),
                details: contact.details.clone(),
                custom_fields: contact
                    .twitter
                    .as_ref()
                    .map(|t| serde_json::json!({ "twitter": t })),
                created_at: Some(at.to_string()),
                ..Contact::default()
            })),
            (_, Some(Record::Ticket(mut t))) => {
                self.apply_to_ticket(&mut t);
                Some(Record::Ticket(t))
            }
            (_, Some(Record::Contact(mut c))) => {
                self.apply_to_contact(&mut c);
                Some(Record::Contact(c))
            }
            (_, other) => other,
        }
    }
}

fn set_identity(c: &mut Contact, identity: &Identity, present: bool) {
    let value = identity.value.clone();
    match identity.kind.as_str() {
        "email" => {
            c.emails.retain(|e| !e.email.eq_ignore_ascii_case(&value));
            if present {
                c.emails.push(Email {
                    email: value,
                    kind: Some("email".into()),
                });
            }
        }
        "phone" => {
            c.phones.retain(|p| p.number != value);
            if present {
                c.phones.push(Phone {
                    number: value,
                    kind: Some("phone".into()),
                });
            }
        }
        "twitter" => {
            let mut handles = twitter_of(c);
            handles.retain(|h| h != &value);
            if present {
                handles.push(value);
            }
            let fields = c
                .custom_fields
                .get_or_insert_with(|| Value::Object(Default::default()));
            if let Some(obj) = fields.as_object_mut() {
                obj.insert("twitter".into(), serde_json::json!(handles));
            }
        }
        _ => {}
    }
}

/// "First Last" of a contact input, or its first identity.
pub fn display_name(c: &ContactInput) -> Option<String> {
    let name = [&c.first_name, &c.last_name]
        .into_iter()
        .flatten()
        .map(|s| s.trim())
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join(" ");
    if !name.is_empty() {
        return Some(name);
    }
    c.identities()?.first().map(|i| i.value.clone())
}

/// The unified name of a writable status (as the `ticket_status` resource names it).
pub fn status_name(id: &str) -> &str {
    match id {
        "hold" => "pending",
        "trash" => "deleted",
        other => other,
    }
}

fn need_id(field: &str, id: &str, failures: &mut Vec<FieldFailure>) {
    if id.trim().is_empty() {
        failures.push(fail(field, "no id given"));
    }
}

fn fail(field: impl Into<String>, message: impl Into<String>) -> FieldFailure {
    FieldFailure {
        field: field.into(),
        message: message.into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn status_accepts_a_string_or_a_reference() {
        let a: TicketPatch = serde_json::from_str(r#"{"status":"closed"}"#).unwrap();
        let b: TicketPatch = serde_json::from_str(r#"{"status":{"id":"closed"}}"#).unwrap();
        assert_eq!(a, b);
        assert_eq!(a.status.as_deref(), Some("closed"));
        assert!(serde_json::from_str::<TicketPatch>(r#"{"spam":true}"#).is_err());
    }

    #[test]
    fn validation_names_each_field() {
        let w = Write::UpdateTicket {
            ticket_id: "t".into(),
            patch: TicketPatch {
                status: Some("solved".into()),
                assignees: Some(vec![IdName::default(), IdName::default()]),
                ..TicketPatch::default()
            },
            base: TicketPatch::default(),
        };
        let f = w.validate().unwrap_err();
        let fields: Vec<&str> = f.iter().map(|f| f.field.as_str()).collect();
        assert!(fields.contains(&"status"), "{f:?}");
        assert!(fields.contains(&"assignees"), "{f:?}");
    }

    #[test]
    fn a_note_needs_an_author_and_a_body() {
        let note = Write::CreateComment {
            comment: CommentInput {
                ticket: IdName {
                    id: "t1".into(),
                    name: None,
                },
                body: Some("  ".into()),
                is_internal: true,
                ..CommentInput::default()
            },
        };
        let f = note.validate().unwrap_err();
        assert!(f.iter().any(|f| f.field == "author"), "{f:?}");
        assert!(f.iter().any(|f| f.field == "body"), "{f:?}");
    }

    #[test]
    fn unknown_identity_types_are_refused() {
        let w = Write::AddIdentity {
            contact_id: "c".into(),
            identity: Identity {
                kind: "fax".into(),
                value: "123".into(),
            },
        };
        let f = w.validate().unwrap_err();
        assert!(f[0].message.contains("fax"), "{f:?}");
    }

    #[test]
    fn tags_and_status_show_at_once() {
        let mut t = Ticket {
            tags: vec![IdName {
                id: "a".into(),
                name: Some("A".into()),
            }],
            ..Ticket::default()
        };
        Write::AddTags {
            ticket_id: "t".into(),
            tag_ids: vec!["b".into(), "a".into()],
        }
        .apply_to_ticket(&mut t);
        assert_eq!(t.tags.len(), 2);
        Write::RemoveTags {
            ticket_id: "t".into(),
            tag_ids: vec!["a".into()],
        }
        .apply_to_ticket(&mut t);
        assert_eq!(t.tags[0].id, "b");
        Write::UpdateTicket {
            ticket_id: "t".into(),
            patch: TicketPatch {
                status: Some("hold".into()),
                ..TicketPatch::default()
            },
            base: TicketPatch::default(),
        }
        .apply_to_ticket(&mut t);
        assert_eq!(t.status.unwrap().name.as_deref(), Some("pending"));
    }

    #[test]
    fn local_ids_round_trip_and_resolve() {
        assert_eq!(entry_of_local_id(&local_id(42)), Some(42));
        let mut w = Write::CreateComment {
            comment: CommentInput {
                ticket: IdName {
                    id: local_id(7),
                    name: None,
                },
                ..CommentInput::default()
            },
        };
        assert_eq!(w.depends_on(), vec![7]);
        w.resolve_ids(|id| (id == "local-7").then(|| "abc".to_string()));
        assert!(w.depends_on().is_empty());
    }
}
