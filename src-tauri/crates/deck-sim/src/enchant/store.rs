//! The live state behind the server: the dataset plus the indexes that keep lookups and
//! list orders fast at 100,000 tickets.

use std::collections::{HashMap, HashSet};

use super::dataset::Dataset;
use super::ids::IdGen;
use super::timestamps::now_string;
use super::wire::{Attachment, Customer, Inbox, Label, Message, Ticket, User};

/// Dataset, id generator and indexes. Guarded by one mutex in the server.
#[derive(Debug)]
pub struct SimState {
    pub data: Dataset,
    pub ids: IdGen,
    /// `http://127.0.0.1:PORT/api/v1`, for `Location` headers.
    pub base_url: String,
    ticket_index: HashMap<String, usize>,
    customer_index: HashMap<String, usize>,
    attachment_index: HashMap<String, usize>,
    /// Attachments already part of a message (an attachment belongs to one message only).
    attached: HashSet<String>,
    by_created: Vec<usize>,
    by_updated: Vec<usize>,
    orders_stale: bool,
    /// The highest ticket number handed out, so numbers of deleted tickets are never reused.
    last_number: u64,
}

/// Ticket positions ordered ascending by (`created_at`, id) and (`updated_at`, id).
pub struct TicketOrders<'a> {
    pub by_created: &'a [usize],
    pub by_updated: &'a [usize],
}

impl SimState {
    pub fn new(data: Dataset, ids: IdGen, base_url: String) -> Self {
        let mut state = Self {
            ticket_index: HashMap::new(),
            customer_index: HashMap::new(),
            attachment_index: HashMap::new(),
            attached: data
                .messages
                .values()
                .flatten()
                .flat_map(|m| m.attachments.iter().map(|a| a.id.clone()))
                .collect(),
            by_created: Vec::new(),
            by_updated: Vec::new(),
            orders_stale: true,
            last_number: data.tickets.iter().map(|t| t.number).max().unwrap_or(0),
            data,
            ids,
            base_url,
        };
        state.reindex();
        state.refresh_ticket_orders();
        state
    }

    fn reindex(&mut self) {
        self.ticket_index = index_by_id(self.data.tickets.iter().map(|t| &t.id));
        self.customer_index = index_by_id(self.data.customers.iter().map(|c| &c.id));
        self.attachment_index = index_by_id(self.data.attachments.iter().map(|a| &a.id));
    }

    /// Rebuilds the list orders if writes changed timestamps since they were built.
    pub fn refresh_ticket_orders(&mut self) {
        if self.orders_stale {
            let tickets = &self.data.tickets;
            let mut by_created: Vec<usize> = (0..tickets.len()).collect();
            by_created.sort_unstable_by(|&a, &b| {
                (&tickets[a].created_at, &tickets[a].id)
                    .cmp(&(&tickets[b].created_at, &tickets[b].id))
            });
            let mut by_updated: Vec<usize> = (0..tickets.len()).collect();
            by_updated.sort_unstable_by(|&a, &b| {
                (&tickets[a].updated_at, &tickets[a].id)
                    .cmp(&(&tickets[b].updated_at, &tickets[b].id))
            });
            self.by_created = by_created;
            self.by_updated = by_updated;
            self.orders_stale = false;
        }
    }

    /// The list orders as of the last [`Self::refresh_ticket_orders`].
    pub fn ticket_orders(&self) -> TicketOrders<'_> {
        TicketOrders {
            by_created: &self.by_created,
            by_updated: &self.by_updated,
        }
    }

    pub fn ticket_pos(&self, id: &str) -> Option<usize> {
        self.ticket_index.get(id).copied()
    }

    pub fn ticket(&self, id: &str) -> Option<&Ticket> {
        self.ticket_pos(id).map(|p| &self.data.tickets[p])
    }

    pub fn customer_pos(&self, id: &str) -> Option<usize> {
        self.customer_index.get(id).copied()
    }

    pub fn customer(&self, id: &str) -> Option<&Customer> {
        self.customer_pos(id).map(|p| &self.data.customers[p])
    }

    pub fn attachment(&self, id: &str) -> Option<&Attachment> {
        self.attachment_index
            .get(id)
            .map(|&p| &self.data.attachments[p])
    }

    pub fn is_attached(&self, id: &str) -> bool {
        self.attached.contains(id)
    }

    pub fn user(&self, id: &str) -> Option<&User> {
        self.data.users.iter().find(|u| u.id == id)
    }

    pub fn inbox(&self, id: &str) -> Option<&Inbox> {
        self.data.inboxes.iter().find(|i| i.id == id)
    }

    pub fn label(&self, id: &str) -> Option<&Label> {
        self.data.labels.iter().find(|l| l.id == id)
    }

    /// Applies `change` to a ticket and bumps its `updated_at` to now.
    pub fn update_ticket(&mut self, pos: usize, change: impl FnOnce(&mut Ticket)) -> &Ticket {
        let now = now_string();
        let ticket = &mut self.data.tickets[pos];
        change(ticket);
        if now > ticket.updated_at {
            ticket.updated_at = now;
        }
        self.orders_stale = true;
        &self.data.tickets[pos]
    }

    /// Appends a message to a ticket's thread, marks its attachments as used and bumps the
    /// ticket's `updated_at`.
    pub fn push_message(&mut self, pos: usize, message: Message) {
        for a in &message.attachments {
            self.attached.insert(a.id.clone());
        }
        let ticket_id = self.data.tickets[pos].id.clone();
        self.data
            .messages
            .entry(ticket_id)
            .or_default()
            .push(message);
        self.update_ticket(pos, |_| {});
    }

    /// Adds a new ticket (the newest: highest number) with an empty thread.
    pub fn push_ticket(&mut self, ticket: Ticket) -> usize {
        let pos = self.data.tickets.len();
        self.ticket_index.insert(ticket.id.clone(), pos);
        self.data.messages.insert(ticket.id.clone(), Vec::new());
        self.data.tickets.push(ticket);
        self.orders_stale = true;
        pos
    }

    /// Takes the number of a new ticket.
    pub fn next_ticket_number(&mut self) -> u64 {
        self.last_number += 1;
        self.last_number
    }

    /// Removes a ticket and its thread; whether it existed.
    pub fn remove_ticket(&mut self, id: &str) -> bool {
        let Some(pos) = self.ticket_pos(id) else {
            return false;
        };
        self.data.tickets.remove(pos);
        self.data.messages.remove(id);
        self.ticket_index = index_by_id(self.data.tickets.iter().map(|t| &t.id));
        self.orders_stale = true;
        true
    }

    pub fn remove_customer(&mut self, id: &str) -> bool {
        let Some(pos) = self.data.customers.iter().position(|c| c.id == id) else {
            return false;
        };
        self.data.customers.remove(pos);
        self.customer_index = index_by_id(self.data.customers.iter().map(|c| &c.id));
        true
    }

    pub fn push_customer(&mut self, customer: Customer) -> usize {
        let pos = self.data.customers.len();
        self.customer_index.insert(customer.id.clone(), pos);
        self.data.customers.push(customer);
        pos
    }

    pub fn push_attachment(&mut self, attachment: Attachment) {
        self.attachment_index
            .insert(attachment.id.clone(), self.data.attachments.len());
        self.data.attachments.push(attachment);
    }

    /// Absolute URL of an API path such as `/tickets/51e6e9`.
    pub fn location(&self, path: &str) -> String {
        format!("{}{}", self.base_url, path)
    }
}

fn index_by_id<'a>(ids: impl Iterator<Item = &'a String>) -> HashMap<String, usize> {
    ids.enumerate().map(|(i, id)| (id.clone(), i)).collect()
}
