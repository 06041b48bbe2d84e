//! `POST /tickets/{id}/messages`: notes, inbound replies and outbound replies.

use std::collections::HashSet;

use serde_json::{Map, Value};

use super::super::errors::{ApiError, ApiResult, Reply, Validation};
use super::super::params::{BodyFields, json_object};
use super::super::store::SimState;
use super::super::timestamps::now_string;
use super::super::wire::{Direction, Message, MessageType};
use super::{not_found, to_json};

/// A validated message not yet stored.
pub struct MessageDraft {
    kind: MessageType,
    direction: Option<Direction>,
    from_name: Option<String>,
    from: Option<String>,
    to: Option<String>,
    body: String,
    htmlized: bool,
    user_id: Option<String>,
    attachment_ids: Vec<String>,
}

/// Validates a message object of a create request.
///
/// The field tables mark `htmlized` (and `from_name` for inbound replies) as required, yet
/// the doc's own sample requests omit them; the tolerant reading defaults `htmlized` to
/// false and `from_name` to the sender (the `from` value, or the agent's first name).
pub fn build_message(
    state: &SimState,
    obj: &Map<String, Value>,
) -> Result<MessageDraft, Vec<String>> {
    let mut v = Validation::default();
    let kind = match obj.required_string("type", &mut v).as_deref() {
        Some("note") => Some(MessageType::Note),
        Some("reply") => Some(MessageType::Reply),
        Some(_) => {
            v.fail("type must be one of: reply, note");
            None
        }
        None => None,
    };
    let body = obj.required_string("body", &mut v);
    let htmlized = obj.boolean("htmlized", &mut v).unwrap_or(false);
    let mut from_name = obj.string("from_name", &mut v);
    let mut attachment_ids = obj
        .string_array("attachment_ids", &mut v)
        .unwrap_or_default();
    let mut seen = HashSet::new();
    attachment_ids.retain(|a| seen.insert(a.clone()));
    // An attachment can only be associated with one message: a second use is refused.
    for a in &attachment_ids {
        if state.attachment(a).is_none() || state.is_attached(a) {
            v.fail(format!("attachment_ids is not valid: {a}"));
        }
    }
    let mut required_user = |v: &mut Validation| -> Option<String> {
        let user = obj.required_string("user_id", v)?;
        match state.user(&user) {
            Some(u) => {
                from_name.get_or_insert_with(|| u.first_name.clone());
                Some(user)
            }
            None => {
                v.fail("user_id is not valid");
                None
            }
        }
    };
    let (direction, from, to, user_id) = match kind {
        Some(MessageType::Note) => (None, None, None, required_user(&mut v)),
        Some(MessageType::Reply) => match obj.required_string("direction", &mut v).as_deref() {
            Some("in") => {
                let from = obj.required_string("from", &mut v);
                let to = obj.string("to", &mut v);
                (Some(Direction::In), from, to, None)
            }
            Some("out") => {
                let user = required_user(&mut v);
                let to = obj.required_string("to", &mut v);
                (Some(Direction::Out), None, to, user)
            }
            Some(_) => {
                v.fail("direction must be one of: in, out");
                (None, None, None, None)
            }
            None => (None, None, None, None),
        },
        None => (None, None, None, None),
    };
    if direction == Some(Direction::In) && from_name.is_none() {
        from_name.clone_from(&from);
    }
    match (kind, body) {
        (Some(kind), Some(body)) if v.is_ok() => Ok(MessageDraft {
            kind,
            direction,
            from_name,
            from,
            to,
            body,
            htmlized,
            user_id,
            attachment_ids,
        }),
        _ => Err(v.into_errors()),
    }
}

/// Validates the `messages` of a new ticket: each as [`build_message`] does, and no
/// attachment in two of them. Errors name the message they are about.
pub fn build_messages(
    state: &SimState,
    objs: &[Map<String, Value>],
) -> Result<Vec<MessageDraft>, Vec<String>> {
    let mut errors = Vec::new();
    let mut drafts = Vec::with_capacity(objs.len());
    let mut claimed = HashSet::new();
    for (i, obj) in objs.iter().enumerate() {
        match build_message(state, obj) {
            Ok(draft) => {
                for a in &draft.attachment_ids {
                    if !claimed.insert(a.clone()) {
                        errors.push(format!("messages[{i}]: attachment_ids is not valid: {a}"));
                    }
                }
                drafts.push(draft);
            }
            Err(e) => errors.extend(e.into_iter().map(|e| format!("messages[{i}]: {e}"))),
        }
    }
    if errors.is_empty() {
        Ok(drafts)
    } else {
        Err(errors)
    }
}

/// Turns a draft into a stored message, resolving its attachments.
pub fn attach(state: &mut SimState, draft: MessageDraft) -> Message {
    let attachments = draft
        .attachment_ids
        .iter()
        .filter_map(|a| state.attachment(a).cloned())
        .collect();
    Message {
        id: state.ids.next_id(),
        kind: draft.kind,
        direction: draft.direction,
        from_name: draft.from_name,
        from: draft.from,
        to: draft.to,
        body: draft.body,
        more_body: None,
        htmlized: draft.htmlized,
        user_id: draft.user_id,
        attachments,
        created_at: now_string(),
    }
}

/// `POST /tickets/{id}/messages`.
pub fn create(state: &mut SimState, ticket_id: &str, body: &[u8]) -> ApiResult {
    let Some(pos) = state.ticket_pos(ticket_id) else {
        return not_found();
    };
    let obj = json_object(body)?;
    let draft = build_message(state, &obj).map_err(ApiError::validation)?;
    let message = attach(state, draft);
    let value = to_json(&message);
    // Messages have no GET endpoint of their own; the Location names the message under its
    // ticket, which is where the doc says messages live.
    let location = state.location(&format!("/tickets/{ticket_id}/messages/{}", message.id));
    state.push_message(pos, message);
    Ok(Reply::created(value, location))
}
