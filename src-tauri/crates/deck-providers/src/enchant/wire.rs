//! Enchant's records exactly as its API sends them (seed `001_…`). Unset fields arrive as
//! `null`, empty arrays as `[]`; both are accepted either way.

use serde::Deserialize;

/// A ticket, with any embeds requested.
#[derive(Debug, Deserialize)]
pub struct Ticket {
    pub id: String,
    pub number: Option<i64>,
    pub customer_id: Option<String>,
    pub user_id: Option<String>,
    pub inbox_id: Option<String>,
    /// The field table spells `label_ids`; the doc's own list sample spells `labels_ids`.
    #[serde(default, alias = "labels_ids")]
    pub label_ids: Option<Vec<String>>,
    pub state: Option<String>,
    pub snoozed_until: Option<String>,
    pub subject: Option<String>,
    #[serde(rename = "type")]
    pub kind: Option<String>,
    pub spam: Option<bool>,
    pub trash: Option<bool>,
    pub updated_at: String,
    pub created_at: String,
    pub summary: Option<String>,
    // Embeds.
    pub user: Option<User>,
    pub inbox: Option<Inbox>,
    pub customer: Option<Customer>,
    pub labels: Option<Vec<Label>>,
    pub messages: Option<Vec<Message>>,
}

/// A reply or an internal note.
#[derive(Debug, Deserialize)]
pub struct Message {
    pub id: String,
    #[serde(rename = "type")]
    pub kind: String,
    pub direction: Option<String>,
    pub from_name: Option<String>,
    pub from: Option<String>,
    pub to: Option<String>,
    pub body: Option<String>,
    /// The signature, when Enchant split it off the body.
    pub more_body: Option<String>,
    pub htmlized: Option<bool>,
    pub user_id: Option<String>,
    pub attachments: Option<Vec<Attachment>>,
    pub created_at: String,
}

#[derive(Debug, Deserialize)]
pub struct Attachment {
    pub id: String,
    pub name: Option<String>,
    pub size: Option<u64>,
    #[serde(rename = "type")]
    pub kind: Option<String>,
}

#[derive(Debug, Deserialize)]
pub struct User {
    pub id: String,
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    pub email: Option<String>,
}

#[derive(Debug, Deserialize)]
pub struct Customer {
    pub id: String,
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    pub summary: Option<String>,
    pub contacts: Option<Vec<ContactPoint>>,
}

/// An email address, phone number or twitter handle of a customer.
#[derive(Debug, Deserialize)]
pub struct ContactPoint {
    /// Needed only to delete the identity.
    #[serde(default)]
    pub id: Option<String>,
    #[serde(rename = "type")]
    pub kind: String,
    pub value: String,
}

#[derive(Debug, Deserialize)]
pub struct Inbox {
    pub id: String,
    pub name: Option<String>,
}

#[derive(Debug, Deserialize)]
pub struct Label {
    pub id: String,
    pub name: Option<String>,
}
