//! Truto's Unified User Directory resources: users, roles and groups, used by the agent-roster
//! audit.

use crate::refs::IdName;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use ts_rs::TS;

/// `{email, type, is_primary}` as the directory nests email addresses.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct UserEmail {
    pub email: String,
    #[serde(rename = "type")]
    #[ts(rename = "type")]
    pub kind: Option<String>,
    pub is_primary: Option<bool>,
}

/// A directory user. `status` is `active|inactive|deleted|invited`, or the raw value when no
/// clean mapping exists.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, TS)]
pub struct DirectoryUser {
    pub id: String,
    pub external_id: Option<String>,
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    pub title: Option<String>,
    pub name: Option<String>,
    pub username: Option<String>,
    pub emails: Vec<UserEmail>,
    pub status: Option<String>,
    pub is_email_verified: Option<bool>,
    pub is_2fa_enabled: Option<bool>,
    pub roles: Vec<IdName>,
    pub created_at: Option<String>,
    pub updated_at: Option<String>,
    #[ts(type = "unknown")]
    pub remote_data: Value,
}

/// A role a user holds.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, TS)]
pub struct Role {
    pub id: String,
    pub name: Option<String>,
    pub label: Option<String>,
    pub description: Option<String>,
    #[serde(rename = "type")]
    #[ts(rename = "type")]
    pub kind: Option<String>,
    /// `group` or `workspace`.
    pub applicable_in: Option<String>,
    pub created_at: Option<String>,
    pub updated_at: Option<String>,
    #[ts(type = "unknown")]
    pub remote_data: Value,
}

/// A group of users; `group_type` is `team`, `department` or `group`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, TS)]
pub struct Group {
    pub id: String,
    pub name: Option<String>,
    pub description: Option<String>,
    pub organization: Option<IdName>,
    pub group_type: Option<String>,
    pub created_at: Option<String>,
    pub updated_at: Option<String>,
    #[ts(type = "unknown")]
    pub remote_data: Value,
}
