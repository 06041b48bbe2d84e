//! `/customers` and their contacts.

use serde_json::{Map, Value};

use super::super::errors::{ApiError, ApiResult, Reply, Validation};
use super::super::params::{BodyFields, Params, json_object};
use super::super::store::SimState;
use super::super::timestamps::now_string;
use super::super::wire::{Contact, ContactType, Customer};
use super::{not_found, to_json};

/// A customer as the API returns it (contacts always included).
pub fn customer_json(customer: &Customer) -> Value {
    to_json(customer)
}

/// `GET /customers`: `contacts.type` / `contacts.value` lookup, `since_created_at`,
/// `sort=created_at` (or `-created_at`, the default), pagination, count.
pub fn list(state: &mut SimState, params: &Params) -> ApiResult {
    let contact_type = params
        .get("contacts.type")
        .map(|t| {
            ContactType::parse(t).ok_or_else(|| {
                ApiError::bad_request(
                    "Invalid value for contacts.type: expected email, twitter or phone",
                )
            })
        })
        .transpose()?;
    let contact_value = params.get("contacts.value").map(str::to_lowercase);
    let since = params.timestamp("since_created_at")?;
    let descending = match params.get("sort") {
        None | Some("-created_at") => true,
        Some("created_at") => false,
        Some(other) => {
            return Err(ApiError::bad_request(format!(
                "Invalid value for sort: {other}"
            )));
        }
    };
    let window = params.page_window()?;
    let want_count = params.flag("count")?.unwrap_or(false);

    let customers = &state.data.customers;
    let mut matching: Vec<&Customer> = customers
        .iter()
        .filter(|c| since.as_ref().is_none_or(|s| &c.created_at >= s))
        .filter(|c| {
            (contact_type.is_none() && contact_value.is_none())
                || c.contacts.iter().any(|k| {
                    contact_type.is_none_or(|t| k.kind == t)
                        && contact_value
                            .as_ref()
                            .is_none_or(|v| k.value.to_lowercase() == *v)
                })
        })
        .collect();
    matching.sort_by(|a, b| {
        let o = (&a.created_at, &a.id).cmp(&(&b.created_at, &b.id));
        if descending { o.reverse() } else { o }
    });
    let total = matching.len() as u64;
    let page: Vec<Value> = matching
        .into_iter()
        .skip(window.offset)
        .take(window.per_page)
        .map(customer_json)
        .collect();
    Ok(Reply::ok(Value::Array(page)).with_total(want_count.then_some(total)))
}

/// `GET /customers/{id}`.
pub fn get(state: &mut SimState, id: &str) -> ApiResult {
    match state.customer(id) {
        Some(c) => Ok(Reply::ok(customer_json(c))),
        None => not_found(),
    }
}

/// The writable fields of a customer; each `None` when absent from the request.
struct CustomerFields {
    first_name: Option<Option<String>>,
    last_name: Option<Option<String>>,
    summary: Option<Option<String>>,
    contacts: Option<Vec<(ContactType, String)>>,
}

fn parse_contact(obj: &Map<String, Value>, v: &mut Validation) -> Option<(ContactType, String)> {
    let kind = obj.required_string("type", v);
    let value = obj.required_string("value", v);
    let kind = match kind.as_deref().map(ContactType::parse) {
        Some(Some(k)) => Some(k),
        Some(None) => {
            v.fail("type must be one of: email, twitter, phone");
            None
        }
        None => None,
    };
    Some((kind?, value?))
}

fn parse_customer_fields(obj: &Map<String, Value>, v: &mut Validation) -> CustomerFields {
    let contacts = match obj.get("contacts") {
        None => None,
        Some(Value::Array(items)) => {
            let mut parsed = Vec::with_capacity(items.len());
            for item in items {
                match item {
                    Value::Object(c) => parsed.extend(parse_contact(c, v)),
                    _ => v.fail("contacts is not valid"),
                }
            }
            Some(parsed)
        }
        Some(_) => {
            v.fail("contacts is not valid");
            None
        }
    };
    CustomerFields {
        first_name: obj.nullable_string("first_name", v),
        last_name: obj.nullable_string("last_name", v),
        summary: obj.nullable_string("summary", v),
        contacts,
    }
}

fn new_contacts(
    state: &mut SimState,
    pairs: Vec<(ContactType, String)>,
    keep: &[Contact],
) -> Vec<Contact> {
    pairs
        .into_iter()
        .map(|(kind, value)| {
            let id = keep
                .iter()
                .find(|c| c.kind == kind && c.value == value)
                .map_or_else(|| state.ids.next_id(), |c| c.id.clone());
            Contact { id, kind, value }
        })
        .collect()
}

fn insert_customer(state: &mut SimState, fields: CustomerFields) -> usize {
    let contacts = new_contacts(state, fields.contacts.unwrap_or_default(), &[]);
    let customer = Customer {
        id: state.ids.next_id(),
        first_name: fields.first_name.flatten(),
        last_name: fields.last_name.flatten(),
        summary: fields.summary.flatten(),
        contacts,
        created_at: now_string(),
    };
    state.push_customer(customer)
}

/// Finds the customer owning one of the given contacts, or (when `create`) creates one from
/// the object, for `POST /tickets` with a `customer` object. `Ok(None)` when nothing was
/// found and `create` is false.
pub fn find_or_create_customer(
    state: &mut SimState,
    obj: &Map<String, Value>,
    create: bool,
) -> Result<Option<String>, Vec<String>> {
    let mut v = Validation::default();
    let fields = parse_customer_fields(obj, &mut v);
    if !v.is_ok() {
        return Err(v.into_errors());
    }
    let wanted = fields.contacts.clone().unwrap_or_default();
    let existing = state.data.customers.iter().find(|c| {
        c.contacts.iter().any(|k| {
            wanted
                .iter()
                .any(|(kind, value)| k.kind == *kind && k.value.eq_ignore_ascii_case(value))
        })
    });
    if let Some(c) = existing {
        return Ok(Some(c.id.clone()));
    }
    if !create {
        return Ok(None);
    }
    let pos = insert_customer(state, fields);
    Ok(Some(state.data.customers[pos].id.clone()))
}

/// `POST /customers`.
pub fn create(state: &mut SimState, body: &[u8]) -> ApiResult {
    let obj = json_object(body)?;
    let mut v = Validation::default();
    let fields = parse_customer_fields(&obj, &mut v);
    v.finish()?;
    let pos = insert_customer(state, fields);
    let customer = &state.data.customers[pos];
    let location = state.location(&format!("/customers/{}", customer.id));
    Ok(Reply::created(customer_json(customer), location))
}

/// `PATCH /customers/{id}`: names, summary, and `contacts` replacing all contacts.
pub fn update(state: &mut SimState, id: &str, body: &[u8]) -> ApiResult {
    let Some(pos) = state.customer_pos(id) else {
        return not_found();
    };
    let obj = json_object(body)?;
    let mut v = Validation::default();
    let fields = parse_customer_fields(&obj, &mut v);
    v.finish()?;
    let contacts = fields.contacts.map(|pairs| {
        let keep = state.data.customers[pos].contacts.clone();
        new_contacts(state, pairs, &keep)
    });
    let customer = &mut state.data.customers[pos];
    if let Some(f) = fields.first_name {
        customer.first_name = f;
    }
    if let Some(l) = fields.last_name {
        customer.last_name = l;
    }
    if let Some(s) = fields.summary {
        customer.summary = s;
    }
    if let Some(c) = contacts {
        customer.contacts = c;
    }
    Ok(Reply::ok(customer_json(customer)))
}

/// `POST /customers/{id}/contacts`.
pub fn create_contact(state: &mut SimState, id: &str, body: &[u8]) -> ApiResult {
    let Some(pos) = state.customer_pos(id) else {
        return not_found();
    };
    let obj = json_object(body)?;
    let mut v = Validation::default();
    let parsed = parse_contact(&obj, &mut v);
    v.finish()?;
    let Some((kind, value)) = parsed else {
        return Err(ApiError::validation(vec![
            "contact is not valid".to_string(),
        ]));
    };
    let contact = Contact {
        id: state.ids.next_id(),
        kind,
        value,
    };
    let location = state.location(&format!("/customers/{id}/contacts/{}", contact.id));
    let value = to_json(&contact);
    state.data.customers[pos].contacts.push(contact);
    Ok(Reply::created(value, location))
}

/// `DELETE /customers/{id}/contacts/{contact_id}`: 204.
pub fn delete_contact(state: &mut SimState, id: &str, contact_id: &str) -> ApiResult {
    let Some(pos) = state.customer_pos(id) else {
        return not_found();
    };
    let contacts = &mut state.data.customers[pos].contacts;
    let before = contacts.len();
    contacts.retain(|c| c.id != contact_id);
    if contacts.len() == before {
        return not_found();
    }
    Ok(Reply::no_content())
}
