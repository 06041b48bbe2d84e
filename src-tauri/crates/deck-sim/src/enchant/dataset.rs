//! The simulator's ground truth: every record as the API returns it.

use std::collections::BTreeMap;

use super::wire::{Attachment, Customer, Inbox, Label, Message, Ticket, User};

/// The hostile HTML body planted in one early ticket's first message, so that renderers are
/// tested against script, event-handler and `javascript:` injection.
pub const HOSTILE_HTML: &str = "<p>Hi, my order page looks broken:</p>\
<img src=x onerror=\"document.title='pwned'\">\
<script>document.title='pwned'</script>\
<a href=\"javascript:alert(1)\">click</a>\
<iframe src=\"javascript:alert(2)\"></iframe>\
<p style=\"background:url(javascript:alert(3))\" onclick=\"alert(4)\">Thanks</p>";

/// Every record of the simulated help desk, as the API would return it.
///
/// Invariants: ids are unique lowercase hex strings across all record kinds; `tickets` is
/// ordered by `number` ascending, which is also `created_at` ascending; every ticket has an
/// entry in `messages`, oldest first (seeded threads hold 1-8 messages, tickets created
/// through the API may have none); `attachments` holds every attachment, whether part of a
/// message or only uploaded.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Dataset {
    /// Fixed instant the seeded data was generated relative to (no wall clock involved).
    pub reference_time: String,
    pub users: Vec<User>,
    pub inboxes: Vec<Inbox>,
    pub labels: Vec<Label>,
    pub customers: Vec<Customer>,
    pub tickets: Vec<Ticket>,
    /// Thread of each ticket keyed by ticket id, oldest message first.
    pub messages: BTreeMap<String, Vec<Message>>,
    pub attachments: Vec<Attachment>,
}

impl Dataset {
    pub fn ticket(&self, id: &str) -> Option<&Ticket> {
        self.tickets.iter().find(|t| t.id == id)
    }

    pub fn ticket_by_number(&self, number: u64) -> Option<&Ticket> {
        self.tickets.iter().find(|t| t.number == number)
    }

    pub fn customer(&self, id: &str) -> Option<&Customer> {
        self.customers.iter().find(|c| c.id == id)
    }

    pub fn user(&self, id: &str) -> Option<&User> {
        self.users.iter().find(|u| u.id == id)
    }

    /// The (ticket, message) carrying [`HOSTILE_HTML`], if the dataset has one.
    pub fn hostile_message(&self) -> Option<(&Ticket, &Message)> {
        self.tickets.iter().find_map(|t| {
            self.messages
                .get(&t.id)?
                .iter()
                .find(|m| m.body == HOSTILE_HTML)
                .map(|m| (t, m))
        })
    }

    /// Total number of messages over all threads.
    pub fn message_count(&self) -> usize {
        self.messages.values().map(Vec::len).sum()
    }
}
