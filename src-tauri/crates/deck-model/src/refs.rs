//! Small nested objects that unified records embed: `{id, name}` references, authors, emails
//! and phones.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// A reference to another record, as Truto nests them (`status: {id, name}`, `team: {id, name}`).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct IdName {
    pub id: String,
    pub name: Option<String>,
}

/// A reference that also says what kind of record it points at (`created_by`, `receiver`,
/// `collections[]`, `channel`).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct TypedRef {
    pub id: String,
    pub name: Option<String>,
    /// `user`, `contact`, `system` for people; a provider's grouping name for collections.
    #[serde(rename = "type")]
    #[ts(rename = "type")]
    pub kind: Option<String>,
}

/// The author of a comment: `{id, name, username, type: user|contact|system}`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Author {
    pub id: Option<String>,
    pub name: Option<String>,
    pub username: Option<String>,
    #[serde(rename = "type")]
    #[ts(rename = "type")]
    pub kind: Option<String>,
}

/// `{email, type}` as Truto nests email addresses.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Email {
    pub email: String,
    #[serde(rename = "type")]
    #[ts(rename = "type")]
    pub kind: Option<String>,
}

/// `{number, type}` as Truto nests phone numbers.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Phone {
    pub number: String,
    #[serde(rename = "type")]
    #[ts(rename = "type")]
    pub kind: Option<String>,
}

/// A contact as a ticket embeds it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ContactRef {
    pub id: String,
    pub name: Option<String>,
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    pub emails: Vec<Email>,
    pub phones: Vec<Phone>,
}
