//! The contacts screen: the cached contacts of an account, searched and paged, one contact with
//! its tickets, and the writes that create and edit contacts.

use crate::reads::contact_view;
use crate::views::{AccountId, ContactDetail, ContactPage, OutboxItem};
use crate::{Deck, errors};
use deck_model::write::FieldPatch;
use deck_model::{Contact, ContactInput, Resource, Ticket, UnifiedError, Write};

impl Deck {
    /// Contacts by name, filtered by words found in their name, identities or details.
    pub fn list_contacts(
        &self,
        account_id: AccountId,
        search: Option<&str>,
        offset: u32,
        limit: u32,
    ) -> Result<ContactPage, UnifiedError> {
        // Contacts live as JSON records; an account's few thousand are filtered here.
        let all: Vec<Contact> = self
            .store
            .all(account_id, Resource::Contacts)
            .map_err(errors::store)?;
        let words: Vec<String> = search
            .unwrap_or_default()
            .split_whitespace()
            .map(str::to_lowercase)
            .collect();
        let mut rows: Vec<_> = all
            .into_iter()
            .map(contact_view)
            .filter(|c| {
                let hay = format!(
                    "{} {} {} {} {}",
                    c.name,
                    c.emails.join(" "),
                    c.phones.join(" "),
                    c.handles.join(" "),
                    c.details.as_deref().unwrap_or_default()
                )
                .to_lowercase();
                words.iter().all(|w| hay.contains(w))
            })
            .collect();
        rows.sort_by(|a, b| {
            a.name
                .to_lowercase()
                .cmp(&b.name.to_lowercase())
                .then(a.id.cmp(&b.id))
        });
        let total = rows.len() as u64;
        let limit = if limit == 0 { 100 } else { limit.min(1000) };
        let rows = rows
            .into_iter()
            .skip(offset as usize)
            .take(limit as usize)
            .collect();
        Ok(ContactPage {
            rows,
            total,
            offset,
        })
    }

    /// One contact, its tickets (newest first) and its writes still in the outbox.
    pub fn get_contact(
        &self,
        account_id: AccountId,
        contact_id: &str,
    ) -> Result<ContactDetail, UnifiedError> {
        let resolved = self.resolve_local(contact_id);
        let contact_id = resolved.as_str();
        let contact = self
            .cached_contact(account_id, contact_id)?
            .ok_or_else(|| {
                errors::not_found(format!("contact {contact_id} is not in the cache"))
            })?;
        let names = self.names(account_id)?;
        let page = self
            .store
            .list(
                account_id,
                Resource::Tickets,
                &[("contact_id".into(), contact_id.into())],
                200,
                None,
            )
            .map_err(errors::store)?;
        let mut tickets: Vec<_> = page
            .items
            .into_iter()
            .filter_map(|v| serde_json::from_value::<Ticket>(v).ok())
            .map(|t| self.row(account_id, &t, &names))
            .collect();
        tickets.sort_by(|a, b| b.updated_at.cmp(&a.updated_at));
        let outbox = self
            .list_outbox(Some(account_id), false)?
            .into_iter()
            .filter(|o| o.resource == "contacts" && o.target_id == contact_id)
            .collect();
        Ok(ContactDetail {
            contact: contact_view(contact),
            tickets,
            outbox,
        })
    }

    /// Queues a new contact.
    pub fn create_contact(
        &self,
        account_id: AccountId,
        contact: ContactInput,
    ) -> Result<OutboxItem, UnifiedError> {
        self.enqueue(account_id, Write::CreateContact { contact })
    }

    /// Queues the changes that make a contact look like `input`: its names and details, and
    /// (where `input` lists identities) the identities to add and remove.
    pub fn update_contact(
        &self,
        account_id: AccountId,
        contact_id: &str,
        input: ContactInput,
    ) -> Result<Vec<OutboxItem>, UnifiedError> {
        let mut writes = Vec::new();
        let names = input.names();
        if !names.is_empty() {
            writes.push(Write::UpdateContact {
                contact_id: contact_id.to_string(),
                patch: names,
                base: ContactInput::default(),
            });
        }
        if let Some(wanted) = input.identities() {
            writes.extend(self.identity_changes(account_id, contact_id, &wanted)?);
        }
        if writes.is_empty() {
            return Err(errors::validation(
                "(body)",
                "nothing to change: give names, details or identities",
            ));
        }
        // Every write is checked before any is stored, so a bad one stores none.
        for w in &writes {
            w.validate().map_err(crate::outbox::validation_error)?;
        }
        writes
            .into_iter()
            .map(|w| self.enqueue(account_id, w))
            .collect()
    }
}
