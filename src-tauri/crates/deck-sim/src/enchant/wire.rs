//! Enchant's records exactly as its REST API sends them: field names from the doc's field
//! tables, unset scalars as `null`, unset arrays as `[]`, timestamps as UTC ISO8601 strings
//! ("2023-07-25T12:19:33Z").

use serde::{Deserialize, Serialize};

/// An agent of the help desk (`GET /users`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct User {
    pub id: String,
    pub first_name: String,
    pub last_name: String,
    pub email: String,
}

/// An inbox as embedded on a ticket (`embed=inbox`); Enchant documents no inbox endpoint.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Inbox {
    pub id: String,
    pub name: String,
}

/// A label as embedded on a ticket (`embed=labels`); Enchant documents no label endpoint.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Label {
    pub id: String,
    pub name: String,
}

/// Kind of a customer contact.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ContactType {
    Email,
    Twitter,
    Phone,
}

impl ContactType {
    pub const ALL: [ContactType; 3] =
        [ContactType::Email, ContactType::Twitter, ContactType::Phone];

    pub fn as_str(self) -> &'static str {
        match self {
            ContactType::Email => "email",
            ContactType::Twitter => "twitter",
            ContactType::Phone => "phone",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|t| t.as_str() == s)
    }
}

/// A unique identifier of a customer (email address, phone number, twitter handle).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Contact {
    pub id: String,
    #[serde(rename = "type")]
    pub kind: ContactType,
    pub value: String,
}

/// A customer with its contacts (always loaded with the customer).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Customer {
    pub id: String,
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    pub summary: Option<String>,
    pub contacts: Vec<Contact>,
    /// Not on the wire: the doc lists no `created_at` field for customers, yet it offers
    /// `since_created_at` and `sort=created_at` on the list, so the simulator keeps one hidden.
    #[serde(skip)]
    pub created_at: String,
}

/// One of the documented ticket states.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TicketState {
    Open,
    Hold,
    Closed,
    Snoozed,
    Archived,
}

impl TicketState {
    pub const ALL: [TicketState; 5] = [
        TicketState::Open,
        TicketState::Hold,
        TicketState::Closed,
        TicketState::Snoozed,
        TicketState::Archived,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            TicketState::Open => "open",
            TicketState::Hold => "hold",
            TicketState::Closed => "closed",
            TicketState::Snoozed => "snoozed",
            TicketState::Archived => "archived",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|t| t.as_str() == s)
    }
}

/// One of the documented ticket types (channels).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TicketType {
    Email,
    Twitter,
    TwitterDm,
    Phone,
    Chat,
    Web,
    Sms,
    Whatsapp,
    FbMessenger,
    InstagramDm,
    Call,
}

impl TicketType {
    pub const ALL: [TicketType; 11] = [
        TicketType::Email,
        TicketType::Twitter,
        TicketType::TwitterDm,
        TicketType::Phone,
        TicketType::Chat,
        TicketType::Web,
        TicketType::Sms,
        TicketType::Whatsapp,
        TicketType::FbMessenger,
        TicketType::InstagramDm,
        TicketType::Call,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            TicketType::Email => "email",
            TicketType::Twitter => "twitter",
            TicketType::TwitterDm => "twitter_dm",
            TicketType::Phone => "phone",
            TicketType::Chat => "chat",
            TicketType::Web => "web",
            TicketType::Sms => "sms",
            TicketType::Whatsapp => "whatsapp",
            TicketType::FbMessenger => "fb_messenger",
            TicketType::InstagramDm => "instagram_dm",
            TicketType::Call => "call",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|t| t.as_str() == s)
    }
}

/// A ticket as listed by `GET /tickets` and returned by `GET /tickets/{id}` without embeds.
///
/// `label_ids` is spelled as in the doc's field table, not as in its list sample (`labels_ids`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Ticket {
    pub id: String,
    /// Friendly number, unique across the help desk and increasing with `created_at`.
    pub number: u64,
    pub customer_id: String,
    pub user_id: Option<String>,
    pub inbox_id: String,
    pub label_ids: Vec<String>,
    pub state: TicketState,
    pub snoozed_until: Option<String>,
    pub subject: String,
    #[serde(rename = "type")]
    pub kind: TicketType,
    pub spam: bool,
    pub trash: bool,
    pub updated_at: String,
    pub created_at: String,
    pub reply_to: Option<String>,
    pub reply_cc: Option<String>,
    pub summary: Option<String>,
}

/// Reply or note.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MessageType {
    Reply,
    Note,
}

/// Direction of a reply: `in` from the customer, `out` to the customer.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    In,
    Out,
}

/// File metadata (`GET /attachments/{id}` and inside a message's `attachments`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Attachment {
    pub id: String,
    pub name: String,
    pub size: u64,
    #[serde(rename = "type")]
    pub mime_type: String,
}

/// A message of a ticket's thread (`embed=messages`). Notes have `direction`, `from`, `to`
/// and `more_body` null; customer messages have `user_id` null.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Message {
    pub id: String,
    #[serde(rename = "type")]
    pub kind: MessageType,
    pub direction: Option<Direction>,
    pub from_name: Option<String>,
    pub from: Option<String>,
    pub to: Option<String>,
    pub body: String,
    pub more_body: Option<String>,
    pub htmlized: bool,
    pub user_id: Option<String>,
    pub attachments: Vec<Attachment>,
    pub created_at: String,
}
