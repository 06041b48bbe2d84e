//! Resource names (Truto's, as they appear in URLs and on the command line), provider kinds,
//! and `Record`, one unified record of any resource.

use crate::{directory, ticketing};
use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;
use ts_rs::TS;

/// Every unified resource, named as Truto names it (`tickets`, `ticket_status`, ...).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Resource {
    Accounts,
    Attachments,
    Collections,
    Comments,
    Contacts,
    Fields,
    Organizations,
    Tags,
    TaskLists,
    Tasks,
    Teams,
    TicketPriorities,
    TicketStatus,
    TicketTypes,
    Tickets,
    Users,
    Workspaces,
    /// User directory: roles.
    Roles,
    /// User directory: groups.
    Groups,
}

impl Resource {
    /// Every resource, in Truto's order.
    pub const ALL: [Resource; 19] = [
        Resource::Accounts,
        Resource::Attachments,
        Resource::Collections,
        Resource::Comments,
        Resource::Contacts,
        Resource::Fields,
        Resource::Organizations,
        Resource::Tags,
        Resource::TaskLists,
        Resource::Tasks,
        Resource::Teams,
        Resource::TicketPriorities,
        Resource::TicketStatus,
        Resource::TicketTypes,
        Resource::Tickets,
        Resource::Users,
        Resource::Workspaces,
        Resource::Roles,
        Resource::Groups,
    ];

    /// Truto's name for the resource.
    pub fn as_str(self) -> &'static str {
        match self {
            Resource::Accounts => "accounts",
            Resource::Attachments => "attachments",
            Resource::Collections => "collections",
            Resource::Comments => "comments",
            Resource::Contacts => "contacts",
            Resource::Fields => "fields",
            Resource::Organizations => "organizations",
            Resource::Tags => "tags",
            Resource::TaskLists => "task_lists",
            Resource::Tasks => "tasks",
            Resource::Teams => "teams",
            Resource::TicketPriorities => "ticket_priorities",
            Resource::TicketStatus => "ticket_status",
            Resource::TicketTypes => "ticket_types",
            Resource::Tickets => "tickets",
            Resource::Users => "users",
            Resource::Workspaces => "workspaces",
            Resource::Roles => "roles",
            Resource::Groups => "groups",
        }
    }
}

impl fmt::Display for Resource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Resource {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Resource::ALL
            .into_iter()
            .find(|r| r.as_str() == s)
            .ok_or_else(|| {
                let names: Vec<_> = Resource::ALL.iter().map(|r| r.as_str()).collect();
                format!("unknown resource `{s}` (one of: {})", names.join(", "))
            })
    }
}

/// The helpdesks Ticketdeck speaks to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum ProviderKind {
    Enchant,
    Reamaze,
    Trengo,
}

impl ProviderKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ProviderKind::Enchant => "enchant",
            ProviderKind::Reamaze => "reamaze",
            ProviderKind::Trengo => "trengo",
        }
    }
}

impl fmt::Display for ProviderKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for ProviderKind {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "enchant" => Ok(ProviderKind::Enchant),
            "reamaze" => Ok(ProviderKind::Reamaze),
            "trengo" => Ok(ProviderKind::Trengo),
            other => Err(format!(
                "unknown helpdesk `{other}` (one of: enchant, reamaze, trengo)"
            )),
        }
    }
}

/// One unified record of any resource, as adapters produce them and the cache stores them.
// Tickets are the largest variant and also the most common one, so boxing them would add an
// allocation to nearly every record for no saving.
#[allow(clippy::large_enum_variant)]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Record {
    Account(ticketing::Account),
    Attachment(ticketing::Attachment),
    Collection(ticketing::Collection),
    Comment(ticketing::Comment),
    Contact(ticketing::Contact),
    Field(ticketing::Field),
    Organization(ticketing::Organization),
    Tag(ticketing::Tag),
    TaskList(ticketing::TaskList),
    Task(ticketing::Task),
    Team(ticketing::Team),
    TicketPriority(ticketing::TicketPriority),
    TicketStatus(ticketing::TicketStatus),
    TicketType(ticketing::TicketType),
    Ticket(ticketing::Ticket),
    User(ticketing::User),
    Workspace(ticketing::Workspace),
    Role(directory::Role),
    Group(directory::Group),
}

macro_rules! record_dispatch {
    ($self:ident, $r:ident => $e:expr) => {
        match $self {
            Record::Account($r) => $e,
            Record::Attachment($r) => $e,
            Record::Collection($r) => $e,
            Record::Comment($r) => $e,
            Record::Contact($r) => $e,
            Record::Field($r) => $e,
            Record::Organization($r) => $e,
            Record::Tag($r) => $e,
            Record::TaskList($r) => $e,
            Record::Task($r) => $e,
            Record::Team($r) => $e,
            Record::TicketPriority($r) => $e,
            Record::TicketStatus($r) => $e,
            Record::TicketType($r) => $e,
            Record::Ticket($r) => $e,
            Record::User($r) => $e,
            Record::Workspace($r) => $e,
            Record::Role($r) => $e,
            Record::Group($r) => $e,
        }
    };
}

impl Record {
    /// The resource this record belongs to.
    pub fn resource(&self) -> Resource {
        match self {
            Record::Account(_) => Resource::Accounts,
            Record::Attachment(_) => Resource::Attachments,
            Record::Collection(_) => Resource::Collections,
            Record::Comment(_) => Resource::Comments,
            Record::Contact(_) => Resource::Contacts,
            Record::Field(_) => Resource::Fields,
            Record::Organization(_) => Resource::Organizations,
            Record::Tag(_) => Resource::Tags,
            Record::TaskList(_) => Resource::TaskLists,
            Record::Task(_) => Resource::Tasks,
            Record::Team(_) => Resource::Teams,
            Record::TicketPriority(_) => Resource::TicketPriorities,
            Record::TicketStatus(_) => Resource::TicketStatus,
            Record::TicketType(_) => Resource::TicketTypes,
            Record::Ticket(_) => Resource::Tickets,
            Record::User(_) => Resource::Users,
            Record::Workspace(_) => Resource::Workspaces,
            Record::Role(_) => Resource::Roles,
            Record::Group(_) => Resource::Groups,
        }
    }

    /// The record's id within its provider account.
    pub fn id(&self) -> &str {
        record_dispatch!(self, r => &r.id)
    }

    /// The record as Truto-shaped JSON.
    pub fn to_json(&self) -> serde_json::Value {
        record_dispatch!(self, r => serde_json::to_value(r).expect("unified records serialize"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resource_names_round_trip() {
        for r in Resource::ALL {
            assert_eq!(r.as_str().parse::<Resource>().unwrap(), r);
            assert_eq!(serde_json::to_value(r).unwrap(), r.as_str());
        }
        assert!(
            "nope"
                .parse::<Resource>()
                .unwrap_err()
                .contains("ticket_status")
        );
    }
}
