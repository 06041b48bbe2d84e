//! `/tickets`: list with filters and sorts, get with embeds, create, update, labels.

use std::cmp::Ordering;

use serde_json::{Map, Value};

use super::super::errors::{ApiError, ApiResult, Reply, Validation};
use super::super::params::{BodyFields, Params, json_object};
use super::super::store::SimState;
use super::super::timestamps::now_string;
use super::super::wire::{Ticket, TicketState, TicketType};
use super::customers::{customer_json, find_or_create_customer};
use super::messages::{attach, build_messages};
use super::{embeds, not_found, to_json};

/// The documented list filters; a comma list matches any of its values, filters combine
/// with AND.
struct TicketFilter {
    ids: Option<Vec<String>>,
    inbox_ids: Option<Vec<String>>,
    states: Option<Vec<TicketState>>,
    /// `None` inside stands for the literal `null`: unassigned tickets.
    user_ids: Option<Vec<Option<String>>>,
    label_ids: Option<Vec<String>>,
    kinds: Option<Vec<TicketType>>,
    // Absent spam/trash means no filter on them: the doc states no default exclusion.
    spam: Option<bool>,
    trash: Option<bool>,
    since_created_at: Option<String>,
    since_updated_at: Option<String>,
}

impl TicketFilter {
    fn parse(params: &Params) -> Result<Self, ApiError> {
        let states = params
            .list("state")
            .map(|list| {
                list.iter()
                    .map(|s| {
                        // The doc lists open, hold, closed for this filter; snoozed and
                        // archived are ticket states too, so they are accepted as well.
                        TicketState::parse(s).ok_or_else(|| {
                            ApiError::bad_request(format!("Invalid value for state: {s}"))
                        })
                    })
                    .collect::<Result<Vec<_>, _>>()
            })
            .transpose()?;
        let kinds = params
            .list("type")
            .map(|list| {
                list.iter()
                    .map(|s| {
                        TicketType::parse(s).ok_or_else(|| {
                            ApiError::bad_request(format!("Invalid value for type: {s}"))
                        })
                    })
                    .collect::<Result<Vec<_>, _>>()
            })
            .transpose()?;
        let user_ids = params.list("user_id").map(|list| {
            list.into_iter()
                .map(|u| (u != "null").then_some(u))
                .collect()
        });
        Ok(Self {
            ids: params.list("id"),
            inbox_ids: params.list("inbox_id"),
            states,
            user_ids,
            label_ids: params.list("label_id"),
            kinds,
            spam: params.flag("spam")?,
            trash: params.flag("trash")?,
            since_created_at: params.timestamp("since_created_at")?,
            since_updated_at: params.timestamp("since_updated_at")?,
        })
    }

    fn matches(&self, t: &Ticket) -> bool {
        self.ids.as_ref().is_none_or(|ids| ids.contains(&t.id))
            && self
                .inbox_ids
                .as_ref()
                .is_none_or(|ids| ids.contains(&t.inbox_id))
            && self.states.as_ref().is_none_or(|s| s.contains(&t.state))
            && self
                .user_ids
                .as_ref()
                .is_none_or(|u| u.contains(&t.user_id))
            && self
                .label_ids
                .as_ref()
                .is_none_or(|ls| t.label_ids.iter().any(|l| ls.contains(l)))
            && self.kinds.as_ref().is_none_or(|k| k.contains(&t.kind))
            && self.spam.is_none_or(|s| t.spam == s)
            && self.trash.is_none_or(|s| t.trash == s)
            && self
                .since_created_at
                .as_ref()
                .is_none_or(|since| &t.created_at >= since)
            && self
                .since_updated_at
                .as_ref()
                .is_none_or(|since| &t.updated_at >= since)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum SortKey {
    CreatedAt,
    UpdatedAt,
    UserId,
}

/// Parses `sort`: a comma list of `created_at`, `updated_at`, `user_id`, each optionally
/// prefixed by `-` for descending. Default: descending creation.
fn parse_sort(params: &Params) -> Result<Vec<(SortKey, bool)>, ApiError> {
    let Some(list) = params.list("sort") else {
        return Ok(vec![(SortKey::CreatedAt, true)]);
    };
    list.iter()
        .map(|item| {
            let (desc, name) = match item.strip_prefix('-') {
                Some(rest) => (true, rest),
                None => (false, item.as_str()),
            };
            let key = match name {
                "created_at" => SortKey::CreatedAt,
                "updated_at" => SortKey::UpdatedAt,
                "user_id" => SortKey::UserId,
                _ => {
                    return Err(ApiError::bad_request(format!(
                        "Invalid value for sort: {item}"
                    )));
                }
            };
            Ok((key, desc))
        })
        .collect()
}

/// Compares by the sort keys, then by id in the direction of the last key, so the order is
/// total and stable (and matches walking the precomputed orders backwards for `-key`).
fn compare(a: &Ticket, b: &Ticket, keys: &[(SortKey, bool)]) -> Ordering {
    let directed = |o: Ordering, desc: bool| if desc { o.reverse() } else { o };
    for &(key, desc) in keys {
        // Unassigned tickets (user_id null) sort before assigned ones in ascending order;
        // the doc does not say where nulls go.
        let o = match key {
            SortKey::CreatedAt => a.created_at.cmp(&b.created_at),
            SortKey::UpdatedAt => a.updated_at.cmp(&b.updated_at),
            SortKey::UserId => a.user_id.cmp(&b.user_id),
        };
        let o = directed(o, desc);
        if o != Ordering::Equal {
            return o;
        }
    }
    let last_desc = keys.last().is_some_and(|&(_, d)| d);
    directed(a.id.cmp(&b.id), last_desc)
}

/// `GET /tickets`.
pub fn list(state: &mut SimState, params: &Params) -> ApiResult {
    let filter = TicketFilter::parse(params)?;
    let sort = parse_sort(params)?;
    let window = params.page_window()?;
    let want_count = params.flag("count")?.unwrap_or(false);
    let end = window.offset + window.per_page;

    state.refresh_ticket_orders();
    let orders = state.ticket_orders();
    let fast_order = match sort.as_slice() {
        [(SortKey::CreatedAt, desc)] => Some((orders.by_created, *desc)),
        [(SortKey::UpdatedAt, desc)] => Some((orders.by_updated, *desc)),
        _ => None,
    };
    let tickets = &state.data.tickets;
    let mut page: Vec<usize> = Vec::with_capacity(window.per_page);
    let total;
    if let Some((order, desc)) = fast_order {
        let iter: Box<dyn Iterator<Item = &usize>> = if desc {
            Box::new(order.iter().rev())
        } else {
            Box::new(order.iter())
        };
        let mut seen = 0usize;
        for &pos in iter {
            if !filter.matches(&tickets[pos]) {
                continue;
            }
            if seen >= window.offset && seen < end {
                page.push(pos);
            }
            seen += 1;
            if !want_count && seen >= end {
                break;
            }
        }
        total = seen;
    } else {
        let mut matching: Vec<usize> = (0..tickets.len())
            .filter(|&p| filter.matches(&tickets[p]))
            .collect();
        total = matching.len();
        let cmp = |a: &usize, b: &usize| compare(&tickets[*a], &tickets[*b], &sort);
        // Only the first `end` (at most 10,000) results can be asked for: select, then sort
        // just those.
        if end == 0 {
            matching.clear();
        } else if end < matching.len() {
            matching.select_nth_unstable_by(end - 1, cmp);
            matching.truncate(end);
        }
        matching.sort_by(cmp);
        page.extend(matching.iter().skip(window.offset).take(window.per_page));
    }
    let body: Vec<Value> = page.iter().map(|&p| to_json(&tickets[p])).collect();
    Ok(Reply::ok(Value::Array(body)).with_total(want_count.then_some(total as u64)))
}

const EMBEDDABLE: [&str; 6] = ["user", "inbox", "customer", "labels", "messages", "group"];

/// `GET /tickets/{id}` with optional `embed`.
pub fn get(state: &mut SimState, id: &str, params: &Params) -> ApiResult {
    let names = embeds(params);
    if let Some(bad) = names.iter().find(|n| !EMBEDDABLE.contains(&n.as_str())) {
        return Err(ApiError::bad_request(format!(
            "Invalid value for embed: {bad}"
        )));
    }
    let Some(ticket) = state.ticket(id) else {
        return not_found();
    };
    let mut value = to_json(ticket);
    let Value::Object(map) = &mut value else {
        return Ok(Reply::ok(value));
    };
    for name in &names {
        let embedded = match name.as_str() {
            "user" => ticket
                .user_id
                .as_deref()
                .and_then(|u| state.user(u))
                .map_or(Value::Null, to_json),
            "inbox" => state.inbox(&ticket.inbox_id).map_or(Value::Null, to_json),
            "customer" => state
                .customer(&ticket.customer_id)
                .map_or(Value::Null, customer_json),
            "labels" => Value::Array(
                ticket
                    .label_ids
                    .iter()
                    .filter_map(|l| state.label(l))
                    .map(to_json)
                    .collect(),
            ),
            "messages" => Value::Array(
                state
                    .data
                    .messages
                    .get(&ticket.id)
                    .map(|thread| thread.iter().map(to_json).collect())
                    .unwrap_or_default(),
            ),
            // Deprecated: groups no longer exist, so the embed is accepted and empty.
            _ => Value::Null,
        };
        map.insert(name.clone(), embedded);
    }
    Ok(Reply::ok(value))
}

/// `PATCH /tickets/{id}`: user_id, inbox_id, state, label_ids, spam, trash, subject.
pub fn update(state: &mut SimState, id: &str, body: &[u8]) -> ApiResult {
    let Some(pos) = state.ticket_pos(id) else {
        return not_found();
    };
    let obj = json_object(body)?;
    let mut v = Validation::default();
    let current = &state.data.tickets[pos];

    let user_id = obj.nullable_string("user_id", &mut v);
    if let Some(Some(u)) = &user_id
        && state.user(u).is_none()
    {
        v.fail("user_id is not valid");
    }
    let inbox_id = match obj.nullable_string("inbox_id", &mut v) {
        Some(None) => {
            v.fail("inbox_id is not valid: a ticket always belongs to an inbox");
            None
        }
        Some(Some(i)) if state.inbox(&i).is_none() => {
            v.fail("inbox_id is not valid");
            None
        }
        other => other.flatten(),
    };
    let new_state = obj
        .string("state", &mut v)
        .and_then(|s| match TicketState::parse(&s) {
            Some(st @ (TicketState::Open | TicketState::Hold | TicketState::Closed)) => Some(st),
            _ => {
                v.fail("state must be one of: open, hold, closed");
                None
            }
        });
    let label_ids = obj.string_array("label_ids", &mut v).map(dedup);
    for l in label_ids.iter().flatten() {
        if state.label(l).is_none() {
            v.fail(format!("label_ids is not valid: {l}"));
        }
    }
    let spam = obj.boolean("spam", &mut v);
    let trash = obj.boolean("trash", &mut v);
    if spam.unwrap_or(current.spam) && trash.unwrap_or(current.trash) {
        v.fail("spam and trash cannot both be true at the same time");
    }
    let subject = obj.string("subject", &mut v);
    if obj.contains_key("subject") && subject.is_none() {
        v.fail("subject is not valid");
    }
    v.finish()?;

    let ticket = state.update_ticket(pos, |t| {
        if let Some(u) = user_id {
            t.user_id = u;
        }
        if let Some(i) = inbox_id {
            t.inbox_id = i;
        }
        if let Some(s) = new_state {
            t.state = s;
            t.snoozed_until = None;
        }
        if let Some(ls) = label_ids {
            t.label_ids = ls;
        }
        if let Some(s) = spam {
            t.spam = s;
        }
        if let Some(s) = trash {
            t.trash = s;
        }
        if let Some(s) = subject {
            t.subject = s;
        }
    });
    Ok(Reply::ok(to_json(ticket)))
}

fn dedup(mut ids: Vec<String>) -> Vec<String> {
    let mut seen = std::collections::HashSet::new();
    ids.retain(|i| seen.insert(i.clone()));
    ids
}

fn label_change(state: &mut SimState, id: &str, labels: &[String], add: bool) -> ApiResult {
    let Some(pos) = state.ticket_pos(id) else {
        return not_found();
    };
    let unknown: Vec<String> = labels
        .iter()
        .filter(|l| state.label(l).is_none())
        .map(|l| format!("label_id is not valid: {l}"))
        .collect();
    if !unknown.is_empty() {
        return Err(ApiError::validation(unknown));
    }
    if labels.is_empty() {
        return Err(ApiError::validation(vec![
            "label_id is required".to_string(),
        ]));
    }
    let ticket = state.update_ticket(pos, |t| {
        if add {
            for l in labels {
                if !t.label_ids.contains(l) {
                    t.label_ids.push(l.clone());
                }
            }
        } else {
            t.label_ids.retain(|l| !labels.contains(l));
        }
    });
    // The doc does not say what these answer; the updated ticket is the most useful reply.
    Ok(Reply::ok(to_json(ticket)))
}

/// `PUT /tickets/{id}/labels/{ids}`: adds labels, keeping the others.
pub fn add_labels(state: &mut SimState, id: &str, labels: &[String]) -> ApiResult {
    label_change(state, id, labels, true)
}

/// `DELETE /tickets/{id}/labels/{ids}`: removes labels, keeping the others.
pub fn remove_labels(state: &mut SimState, id: &str, labels: &[String]) -> ApiResult {
    label_change(state, id, labels, false)
}

/// `POST /tickets`: type must be email; subject; customer_id or a customer object (looked up
/// by contact, created when unknown); optional user_id, inbox_id, messages.
pub fn create(state: &mut SimState, body: &[u8]) -> ApiResult {
    let obj = json_object(body)?;
    let mut v = Validation::default();
    match obj.required_string("type", &mut v) {
        Some(t) if t != "email" => v.fail("type must be set to email"),
        _ => {}
    }
    let subject = obj.required_string("subject", &mut v);
    let customer_id = obj.string("customer_id", &mut v);
    if let Some(c) = &customer_id
        && state.customer(c).is_none()
    {
        v.fail("customer_id is not valid");
    }
    let customer_obj = match obj.get("customer") {
        None | Some(Value::Null) => None,
        Some(Value::Object(c)) => Some(c.clone()),
        Some(_) => {
            v.fail("customer is not valid");
            None
        }
    };
    if customer_id.is_none() && customer_obj.is_none() {
        v.fail("customer_id is required");
    }
    let user_id = obj.string("user_id", &mut v);
    if let Some(u) = &user_id
        && state.user(u).is_none()
    {
        v.fail("user_id is not valid");
    }
    let inbox_id = obj.string("inbox_id", &mut v);
    if let Some(i) = &inbox_id
        && state.inbox(i).is_none()
    {
        v.fail("inbox_id is not valid");
    }
    let reply_to = obj.string("reply_to", &mut v);
    let reply_cc = obj.string("reply_cc", &mut v);
    let message_objs: Vec<Map<String, Value>> = match obj.get("messages") {
        None | Some(Value::Null) => Vec::new(),
        Some(Value::Array(items)) if items.iter().all(Value::is_object) => items
            .iter()
            .filter_map(|i| i.as_object().cloned())
            .collect(),
        Some(_) => {
            v.fail("messages is not valid");
            Vec::new()
        }
    };
    let inbox_id = inbox_id
        .or_else(|| state.data.inboxes.first().map(|i| i.id.clone()))
        .unwrap_or_default();
    let drafts = build_messages(state, &message_objs).unwrap_or_else(|errors| {
        errors.into_iter().for_each(|e| v.fail(e));
        Vec::new()
    });
    let customer_id = match (customer_id, &customer_obj) {
        (Some(c), _) => Some(c),
        (None, Some(c)) => match find_or_create_customer(state, c, v.is_ok()) {
            Ok(id) => id,
            Err(errors) => {
                for e in errors {
                    v.fail(format!("customer: {e}"));
                }
                None
            }
        },
        (None, None) => None,
    };
    v.finish()?;

    let now = now_string();
    let ticket = Ticket {
        id: state.ids.next_id(),
        number: state.next_ticket_number(),
        customer_id: customer_id.unwrap_or_default(),
        user_id,
        inbox_id,
        label_ids: Vec::new(),
        state: TicketState::Open,
        snoozed_until: None,
        subject: subject.unwrap_or_default(),
        kind: TicketType::Email,
        spam: false,
        trash: false,
        updated_at: now.clone(),
        created_at: now,
        reply_to,
        reply_cc,
        // The doc's sample answers a new ticket (created with messages) with summary null.
        summary: None,
    };
    let id = ticket.id.clone();
    let pos = state.push_ticket(ticket);
    for draft in drafts {
        let message = attach(state, draft);
        state.push_message(pos, message);
    }
    let location = state.location(&format!("/tickets/{id}"));
    Ok(Reply::created(to_json(&state.data.tickets[pos]), location))
}
