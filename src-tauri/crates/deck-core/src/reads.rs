//! Reads from the cache: the UI's tickets list, ticket view and filter values, and Truto-shaped
//! records for the CLI. Nothing here touches the network.

use crate::views::*;
use crate::{Deck, errors};
use deck_model::{
    Collection, Comment, Contact, IdName, ListResponse, Resource, Tag, Ticket, TicketStatus,
    UnifiedError, User,
};
use deck_store::TicketFilter;
use std::collections::HashMap;

/// Names of an account's small resources, to label ids in rows.
#[derive(Default)]
pub(crate) struct Names {
    users: HashMap<String, String>,
    tags: HashMap<String, String>,
    collections: HashMap<String, String>,
}

impl Names {
    fn label(map: &HashMap<String, String>, r: &IdName) -> IdName {
        IdName {
            id: r.id.clone(),
            name: r.name.clone().or_else(|| map.get(&r.id).cloned()),
        }
    }
}

impl Deck {
    pub(crate) fn names(&self, account_id: AccountId) -> Result<Names, UnifiedError> {
        let users: Vec<User> = self
            .store
            .all(account_id, Resource::Users)
            .map_err(errors::store)?;
        let tags: Vec<Tag> = self
            .store
            .all(account_id, Resource::Tags)
            .map_err(errors::store)?;
        let collections: Vec<Collection> = self
            .store
            .all(account_id, Resource::Collections)
            .map_err(errors::store)?;
        Ok(Names {
            users: users
                .into_iter()
                .filter_map(|u| Some((u.id, u.name?)))
                .collect(),
            tags: tags
                .into_iter()
                .filter_map(|t| Some((t.id, t.name?)))
                .collect(),
            collections: collections
                .into_iter()
                .filter_map(|c| Some((c.id, c.name?)))
                .collect(),
        })
    }

    fn contact_name(&self, account_id: AccountId, id: &str) -> Option<String> {
        let c: Contact =
            serde_json::from_value(self.store.get(account_id, Resource::Contacts, id).ok()??)
                .ok()?;
        c.name.or_else(|| c.emails.first().map(|e| e.email.clone()))
    }

    pub(crate) fn row(&self, account_id: AccountId, t: &Ticket, names: &Names) -> TicketRow {
        TicketRow {
            account_id,
            id: t.id.clone(),
            number: t.number.clone(),
            subject: t
                .name
                .clone()
                .filter(|s| !s.trim().is_empty())
                .unwrap_or_else(|| "(no subject)".into()),
            status: t
                .status
                .as_ref()
                .and_then(|s| s.name.clone())
                .unwrap_or_else(|| "open".into()),
            assignee: t.assignees.first().map(|a| Names::label(&names.users, a)),
            contact: t.contact.as_ref().map(|c| IdName {
                id: c.id.clone(),
                name: c
                    .name
                    .clone()
                    .or_else(|| self.contact_name(account_id, &c.id)),
            }),
            collection: t.collections.first().map(|c| {
                Names::label(
                    &names.collections,
                    &IdName {
                        id: c.id.clone(),
                        name: c.name.clone(),
                    },
                )
            }),
            tags: t
                .tags
                .iter()
                .map(|x| Names::label(&names.tags, x))
                .collect(),
            channel: t.source.as_ref().map(|s| s.id.clone()),
            preview: t.description.clone(),
            created_at: t.created_at.clone(),
            updated_at: t.updated_at.clone(),
        }
    }

    /// A window of the tickets list, newest update first.
    pub fn list_tickets(&self, q: &TicketQuery) -> Result<TicketPage, UnifiedError> {
        let limit = if q.limit == 0 { 100 } else { q.limit };
        let (hits, total) = self
            .store
            .query_tickets(&TicketFilter {
                account_id: q.account_id,
                status: q.status.clone().filter(|s| !s.is_empty()),
                assignee_id: q.assignee_id.clone().filter(|s| !s.is_empty()),
                tag_id: q.tag_id.clone().filter(|s| !s.is_empty()),
                collection_id: q.collection_id.clone().filter(|s| !s.is_empty()),
                search: q.search.clone(),
                offset: q.offset,
                limit,
            })
            .map_err(errors::store)?;
        let mut names: HashMap<AccountId, Names> = HashMap::new();
        let mut rows = Vec::with_capacity(hits.len());
        for h in hits {
            let account_names = match names.entry(h.account_id) {
                std::collections::hash_map::Entry::Occupied(e) => e.into_mut(),
                std::collections::hash_map::Entry::Vacant(e) => e.insert(self.names(h.account_id)?),
            };
            rows.push(self.row(h.account_id, &h.ticket, account_names));
        }
        Ok(TicketPage {
            rows,
            total,
            offset: q.offset,
        })
    }

    /// A ticket and its thread.
    pub fn get_ticket(
        &self,
        account_id: AccountId,
        ticket_id: &str,
    ) -> Result<TicketDetail, UnifiedError> {
        // A ticket created from here is asked for by its local id until the UI learns the new one.
        let resolved = self.resolve_local(ticket_id);
        let ticket_id = resolved.as_str();
        let ticket = self
            .store
            .ticket(account_id, ticket_id)
            .map_err(errors::store)?
            .ok_or_else(|| errors::not_found(format!("ticket {ticket_id} is not in the cache")))?;
        let names = self.names(account_id)?;
        let contact = match &ticket.contact {
            Some(c) => self
                .store
                .get(account_id, Resource::Contacts, &c.id)
                .map_err(errors::store)?
                .and_then(|v| serde_json::from_value::<Contact>(v).ok())
                .map(contact_view),
            None => None,
        };
        let outbox: Vec<OutboxItem> = self
            .list_outbox(Some(account_id), false)?
            .into_iter()
            .filter(|o| o.ticket_id.as_deref() == Some(ticket_id))
            .collect();
        let comments = self
            .store
            .comments(account_id, ticket_id)
            .map_err(errors::store)?
            .iter()
            .map(|c| {
                let mut view = comment_view(c, &names, &outbox);
                for a in &mut view.attachments {
                    a.available = self.attachment_file(account_id, &a.id).is_ok();
                }
                view
            })
            .collect();
        Ok(TicketDetail {
            ticket: self.row(account_id, &ticket, &names),
            contact,
            comments,
            thread_cached: self
                .store
                .thread_cached(account_id, ticket_id)
                .map_err(errors::store)?,
            outbox,
        })
    }

    /// The values the list's filters offer.
    pub fn ticket_facets(&self, account_id: Option<AccountId>) -> Result<Facets, UnifiedError> {
        let accounts = self.account_ids(account_id)?;
        let mut f = Facets::default();
        let mut statuses: Vec<String> = self
            .store
            .ticket_statuses(account_id)
            .map_err(errors::store)?;
        for id in accounts {
            let known: Vec<TicketStatus> = self
                .store
                .all(id, Resource::TicketStatus)
                .map_err(errors::store)?;
            statuses.extend(known.into_iter().filter_map(|s| s.name));
            let names = self.names(id)?;
            let push = |into: &mut Vec<IdName>, map: HashMap<String, String>| {
                for (id, name) in map {
                    if !into.iter().any(|x| x.id == id) {
                        into.push(IdName {
                            id,
                            name: Some(name),
                        });
                    }
                }
            };
            push(&mut f.assignees, names.users);
            push(&mut f.tags, names.tags);
            push(&mut f.collections, names.collections);
        }
        statuses.sort();
        statuses.dedup();
        f.statuses = statuses
            .into_iter()
            .map(|s| IdName {
                id: s.clone(),
                name: Some(s),
            })
            .collect();
        for list in [&mut f.assignees, &mut f.tags, &mut f.collections] {
            list.sort_by(|a, b| a.name.cmp(&b.name));
        }
        Ok(f)
    }

    /// A page of cached records in Truto's list envelope.
    pub fn list_records(
        &self,
        account_id: AccountId,
        resource: Resource,
        filters: &[(String, String)],
        limit: u32,
        cursor: Option<&str>,
    ) -> Result<ListResponse<serde_json::Value>, UnifiedError> {
        let page = self
            .store
            .list(account_id, resource, filters, limit, cursor)
            .map_err(errors::store)?;
        Ok(ListResponse {
            result: page.items,
            next_cursor: page.next_cursor,
        })
    }

    /// One cached record, Truto-shaped.
    pub fn get_record(
        &self,
        account_id: AccountId,
        resource: Resource,
        id: &str,
    ) -> Result<serde_json::Value, UnifiedError> {
        self.store
            .get(account_id, resource, id)
            .map_err(errors::store)?
            .ok_or_else(|| errors::not_found(format!("{resource} {id} is not in the cache")))
    }
}

pub(crate) fn contact_view(c: Contact) -> ContactView {
    let handles = c
        .custom_fields
        .as_ref()
        .and_then(|f| f.get("twitter"))
        .and_then(|t| t.as_array())
        .map(|a| {
            a.iter()
                .filter_map(|h| h.as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default();
    ContactView {
        first_name: c.first_name.clone(),
        last_name: c.last_name.clone(),
        name: c
            .name
            .clone()
            .or_else(|| c.emails.first().map(|e| e.email.clone()))
            .unwrap_or_else(|| "(unnamed contact)".into()),
        id: c.id,
        emails: c.emails.into_iter().map(|e| e.email).collect(),
        phones: c.phones.into_iter().map(|p| p.number).collect(),
        handles,
        details: c.details,
    }
}

fn comment_view(c: &Comment, names: &Names, outbox: &[OutboxItem]) -> CommentView {
    let author = c.author.clone().unwrap_or_default();
    let author_type = author.kind.clone().unwrap_or_else(|| "system".into());
    let author_name = author
        .name
        .clone()
        .or_else(|| {
            author
                .id
                .as_ref()
                .and_then(|id| names.users.get(id).cloned())
        })
        .or(author.username.clone())
        .unwrap_or_else(|| {
            if author_type == "user" {
                "Agent".into()
            } else {
                "Customer".into()
            }
        });
    CommentView {
        id: c.id.clone(),
        author_name,
        author_type,
        is_internal: c.is_internal || c.is_private,
        html_body: c.html_body.clone(),
        body: c.body.clone(),
        created_at: c.created_at.clone(),
        attachments: c
            .attachments
            .iter()
            .map(|a| AttachmentView {
                id: a.id.clone(),
                file_name: a.file_name.clone().unwrap_or_else(|| a.id.clone()),
                size: a.size,
                content_type: a.content_type.clone(),
                available: false,
            })
            .collect(),
        outbox_state: deck_model::write::entry_of_local_id(&c.id).map(|entry| {
            outbox
                .iter()
                .find(|o| o.id == entry)
                .map(|o| o.state.clone())
                .unwrap_or_else(|| "pending".into())
        }),
    }
}
