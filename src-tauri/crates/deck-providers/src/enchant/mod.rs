//! The Enchant adapter (seed `001_…`): Bearer auth, credits and burst limits, page-based and
//! `since_created_at` pagination, embeds for threads.

mod map;
mod wire;
mod write;

pub use write::attachment_body;

use crate::http::HttpClient;
use crate::{
    Credentials, Known, Listing, Page, Provider, ProviderError, Thread, Written, validate_base_url,
};
use chrono::{DateTime, SecondsFormat, Utc};
use deck_model::{ProviderKind, Record, Resource};
use deck_scheduler::{Lane, Scheduler, enchant_cost};
use serde::{Deserialize, Serialize, de::DeserializeOwned};
use serde_json::Value;

/// Enchant's documented page size limit.
const PER_PAGE: usize = 100;
/// "When retrieving more than 10000 total tickets, iterate using since_created_at instead of
/// page."
const PAGE_WINDOW: usize = 10_000;

/// How to reach one Enchant account. (No `Debug`: it holds the token.)
#[derive(Clone)]
pub struct EnchantConfig {
    /// `https://SITE.enchant.com/api/v1`, or the simulator's loopback URL.
    pub base_url: String,
    pub token: String,
    /// The account's scheduler, shared by every client of the account
    /// (`RateProfile::enchant()` for a real Enchant).
    pub scheduler: Scheduler,
}

impl EnchantConfig {
    /// The documented base URL of a help desk.
    pub fn base_url_for_site(site: &str) -> String {
        format!("https://{}.enchant.com/api/v1", site.trim())
    }
}

/// A client for one Enchant account.
#[derive(Clone)]
pub struct EnchantClient {
    http: HttpClient,
}

const RESOURCES: &[(Resource, Listing)] = &[
    (Resource::Users, Listing::Global),
    (Resource::TicketStatus, Listing::Global),
    (Resource::Tags, Listing::Global),
    (Resource::Collections, Listing::Global),
    (Resource::Contacts, Listing::Global),
    (Resource::Tickets, Listing::Global),
    (Resource::Comments, Listing::PerTicket),
    (Resource::Attachments, Listing::PerTicket),
];

/// Where a page-numbered listing stands.
#[derive(Debug, Default, Serialize, Deserialize)]
struct PageCursor {
    page: usize,
    /// The first id of the previous page, to notice an endpoint that ignores `page`.
    prev_first: Option<String>,
}

/// How much a changes listing reaches back before the last one, for clock skew between the
/// helpdesk and this machine and for tickets updated while the last listing ran.
const CHANGES_OVERLAP_SECS: i64 = 300;

/// Which timestamp a tickets listing walks.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
enum TicketOrder {
    /// Every ticket, by creation (a full listing).
    #[default]
    Created,
    /// Tickets changed since `since` (an incremental listing).
    Updated,
}

impl TicketOrder {
    fn field(self) -> &'static str {
        match self {
            TicketOrder::Created => "created_at",
            TicketOrder::Updated => "updated_at",
        }
    }

    fn filter(self) -> &'static str {
        match self {
            TicketOrder::Created => "since_created_at",
            TicketOrder::Updated => "since_updated_at",
        }
    }
}

/// Where the tickets listing stands: tickets come oldest first, from `since` on.
#[derive(Debug, Default, Serialize, Deserialize)]
struct TicketCursor {
    #[serde(default)]
    by: TicketOrder,
    since: Option<String>,
    page: usize,
    /// Ids already stored at or after `since`, which the next pages may repeat.
    seen: Vec<String>,
    /// When this listing began (this machine's clock).
    #[serde(default)]
    started: Option<String>,
    /// The latest `updated_at` among the tickets listed so far.
    #[serde(default)]
    newest_update: Option<String>,
    /// The ids of the last full page, to notice a helpdesk that answers the same page again.
    #[serde(default)]
    last_page: Option<(String, String)>,
}

impl TicketCursor {
    /// Where the next sync's changes listing starts: the newest update seen, or this listing's
    /// start if earlier (a ticket changed after it was listed must still be found), less
    /// `CHANGES_OVERLAP_SECS`.
    fn resume_point(&self) -> TicketCursor {
        let base = match (&self.newest_update, &self.started) {
            (Some(n), Some(s)) => Some(n.min(s).clone()),
            (n, s) => n.clone().or(s.clone()),
        };
        TicketCursor {
            by: TicketOrder::Updated,
            since: base.map(|b| shift_seconds(&b, -CHANGES_OVERLAP_SECS)),
            ..TicketCursor::default()
        }
    }
}

impl EnchantClient {
    pub fn new(config: EnchantConfig) -> Result<Self, ProviderError> {
        let base = validate_base_url(&config.base_url)?;
        let http = HttpClient::new(base, Credentials::Bearer(config.token), config.scheduler)?;
        Ok(EnchantClient { http })
    }

    /// The same client, sending on `lane`.
    pub fn on_lane(&self, lane: Lane) -> Self {
        EnchantClient {
            http: self.http.on_lane(lane),
        }
    }

    async fn list_numbered<W: DeserializeOwned>(
        &self,
        path: &str,
        extra: &[(&str, String)],
        cursor: Option<&str>,
        max_pages: usize,
        map: impl Fn(&W, Value) -> Record,
    ) -> Result<Page, ProviderError> {
        let cur: PageCursor = parse_cursor(cursor)?;
        let page = cur.page.max(1);
        let mut query: Vec<(&str, String)> = vec![
            ("per_page", PER_PAGE.to_string()),
            ("page", page.to_string()),
        ];
        query.extend(extra.iter().cloned());
        let body = self.http.get(path, &query, 1).await?;
        let items: Vec<(W, Value)> = decode_list(path, body)?;
        let first = items.first().map(|(_, raw)| raw["id"].to_string());
        let repeated = first.is_some() && first == cur.prev_first;
        let records = if repeated {
            Vec::new()
        } else {
            items.iter().map(|(w, raw)| map(w, raw.clone())).collect()
        };
        let more = !repeated && items.len() >= PER_PAGE;
        let next = (more && page < max_pages).then(|| {
            to_cursor(&PageCursor {
                page: page + 1,
                prev_first: first,
            })
        });
        Ok(Page {
            records,
            partial: more && page >= max_pages,
            next_cursor: next,
            ..Page::default()
        })
    }

    /// An endpoint the doc names no list for: used when it answers, skipped on 404.
    async fn list_undocumented<W: DeserializeOwned>(
        &self,
        path: &str,
        map: impl Fn(&W, Value) -> Record,
    ) -> Result<Page, ProviderError> {
        match self.http.get(path, &[], 1).await {
            Ok(body) => Ok(Page {
                records: decode_list(path, body)?
                    .into_iter()
                    .map(|(w, raw)| map(&w, raw))
                    .collect(),
                ..Page::default()
            }),
            Err(ProviderError::NotFound { .. }) => Ok(Page {
                unsupported: true,
                ..Page::default()
            }),
            Err(e) => Err(e),
        }
    }

    /// Tickets oldest first, by creation for a full listing or by update for changes since the
    /// last one. The last page returns the cursor the next sync resumes from.
    async fn list_tickets(&self, cursor: Option<&str>) -> Result<Page, ProviderError> {
        let mut cur: TicketCursor = parse_cursor(cursor)?;
        let page = cur.page.max(1);
        if page == 1 && cur.started.is_none() {
            cur.started = Some(Utc::now().to_rfc3339_opts(SecondsFormat::Secs, true));
        }
        let key = cur.by.field();
        let mut query = vec![
            ("sort", key.to_string()),
            ("per_page", PER_PAGE.to_string()),
            ("page", page.to_string()),
        ];
        if let Some(since) = &cur.since {
            query.push((cur.by.filter(), since.clone()));
        }
        let path = "tickets";
        let body = self.http.get(path, &query, 1).await?;
        let mut items: Vec<(wire::Ticket, Value)> = decode_list(path, body)?;
        for (i, (t, _)) in items.iter_mut().enumerate() {
            t.created_at = normalize_time(path, &format!("[{i}].created_at"), &t.created_at)?;
            t.updated_at = normalize_time(path, &format!("[{i}].updated_at"), &t.updated_at)?;
        }
        let key_of = |t: &wire::Ticket| match cur.by {
            TicketOrder::Created => t.created_at.clone(),
            TicketOrder::Updated => t.updated_at.clone(),
        };
        let records: Vec<Record> = items
            .iter()
            .filter(|(t, _)| !cur.seen.contains(&t.id))
            .map(|(t, raw)| Record::Ticket(map::ticket(t, raw.clone())))
            .collect();
        if let Some(newest) = items.iter().map(|(t, _)| &t.updated_at).max()
            && cur.newest_update.as_ref().is_none_or(|n| newest > n)
        {
            cur.newest_update = Some(newest.clone());
        }
        if items.len() < PER_PAGE {
            return Ok(Page {
                records,
                next_cursor: None,
                resume: Some(to_cursor(&cur.resume_point())),
                unsupported: false,
                partial: false,
            });
        }
        let bounds = (items[0].0.id.clone(), items[items.len() - 1].0.id.clone());
        if cur.last_page.as_ref() == Some(&bounds) {
            return Err(ProviderError::Malformed {
                endpoint: "GET tickets".into(),
                field: "(page)".into(),
                detail: format!(
                    "the helpdesk answered the same page twice (tickets {} to {}); stopping rather than looping",
                    bounds.0, bounds.1
                ),
            });
        }
        cur.last_page = Some(bounds);
        // The doc does not say whether `since_*` includes the given second. Restart one second
        // before the last ticket seen, so either reading returns every ticket of that second,
        // and skip the ids already stored.
        let last = items.last().map(|(t, _)| key_of(t)).unwrap_or_default();
        let restart = shift_seconds(&last, -1);
        if cur.since.as_deref().is_some_and(|s| s >= restart.as_str()) {
            // The whole page shares the restart window: go on by page within it.
            if (page + 1) * PER_PAGE > PAGE_WINDOW {
                return Err(ProviderError::Malformed {
                    endpoint: "GET tickets".into(),
                    field: key.into(),
                    detail: format!(
                        "more than {PAGE_WINDOW} tickets within two seconds of {last}; cannot page past them"
                    ),
                });
            }
            cur.seen.extend(items.iter().map(|(t, _)| t.id.clone()));
            cur.page = page + 1;
        } else {
            cur.seen = items
                .iter()
                .filter(|(t, _)| key_of(t) >= restart)
                .map(|(t, _)| t.id.clone())
                .collect();
            cur.since = Some(restart);
            cur.page = 1;
        }
        Ok(Page {
            records,
            next_cursor: Some(to_cursor(&cur)),
            resume: None,
            unsupported: false,
            partial: false,
        })
    }
}

impl Provider for EnchantClient {
    fn with_lane(&self, lane: Lane) -> Self {
        self.on_lane(lane)
    }

    fn kind(&self) -> ProviderKind {
        ProviderKind::Enchant
    }

    fn resources(&self) -> &'static [(Resource, Listing)] {
        RESOURCES
    }

    async fn verify(&self) -> Result<(), ProviderError> {
        self.http
            .get(
                "users",
                &[("per_page", "1".into()), ("fields", "id".into())],
                1,
            )
            .await
            .map(|_| ())
    }

    async fn list_page(
        &self,
        resource: Resource,
        cursor: Option<&str>,
    ) -> Result<Page, ProviderError> {
        match resource {
            Resource::Users => {
                self.list_numbered("users", &[], cursor, usize::MAX, |u: &wire::User, raw| {
                    Record::User(map::user(u, raw))
                })
                .await
            }
            Resource::TicketStatus => Ok(Page {
                records: map::ticket_statuses()
                    .into_iter()
                    .map(Record::TicketStatus)
                    .collect(),
                ..Page::default()
            }),
            // No list endpoint is documented for labels or inboxes: they also arrive embedded
            // in tickets (see `thread`), so a 404 here is expected.
            Resource::Tags => {
                self.list_undocumented("labels", |l: &wire::Label, raw| {
                    Record::Tag(map::tag(l, raw))
                })
                .await
            }
            Resource::Collections => {
                self.list_undocumented("inboxes", |i: &wire::Inbox, raw| {
                    Record::Collection(map::collection(i, raw))
                })
                .await
            }
            // Customers carry no timestamp to iterate `since_created_at` by, so paging stops at
            // the documented 10,000; later customers arrive embedded in their tickets.
            Resource::Contacts => {
                self.list_numbered(
                    "customers",
                    &[("sort", "created_at".into())],
                    cursor,
                    PAGE_WINDOW / PER_PAGE,
                    |c: &wire::Customer, raw| Record::Contact(map::contact(c, raw)),
                )
                .await
            }
            Resource::Tickets => self.list_tickets(cursor).await,
            other => Ok(Page {
                unsupported: true,
                ..Page::default()
            })
            .inspect(|_| debug_assert!(!RESOURCES.iter().any(|(r, _)| *r == other))),
        }
    }

    async fn thread(
        &self,
        ticket: &deck_model::Ticket,
        known: &Known,
    ) -> Result<Thread, ProviderError> {
        let mut embeds = vec!["messages"];
        if ticket.tags.iter().any(|t| !known.tags.contains(&t.id)) {
            embeds.push("labels");
        }
        if ticket
            .collections
            .iter()
            .any(|c| !known.collections.contains(&c.id))
        {
            embeds.push("inbox");
        }
        if ticket
            .contact
            .as_ref()
            .is_some_and(|c| !known.contacts.contains(&c.id))
        {
            embeds.push("customer");
        }
        let path = format!("tickets/{}", ticket.id);
        let cost = enchant_cost(embeds.len(), false);
        let body = self
            .http
            .get(&path, &[("embed", embeds.join(","))], cost)
            .await?;
        let (mut t, raw): (wire::Ticket, Value) = decode_one(&path, body)?;
        t.created_at = normalize_time(&path, "created_at", &t.created_at)?;
        t.updated_at = normalize_time(&path, "updated_at", &t.updated_at)?;
        let raw_messages = raw
            .get("messages")
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default();
        let mut comments = Vec::new();
        let mut related = Vec::new();
        for (i, (m, m_raw)) in t.messages.iter().flatten().zip(raw_messages).enumerate() {
            let mut c = map::comment(m, &t, m_raw);
            c.created_at = Some(normalize_time(
                &path,
                &format!("messages[{i}].created_at"),
                &m.created_at,
            )?);
            related.extend(c.attachments.iter().cloned().map(Record::Attachment));
            comments.push(c);
        }
        for (l, l_raw) in t.labels.iter().flatten().zip(raw_array(&raw, "labels")) {
            related.push(Record::Tag(map::tag(l, l_raw)));
        }
        if let Some(inbox) = &t.inbox {
            related.push(Record::Collection(map::collection(
                inbox,
                raw["inbox"].clone(),
            )));
        }
        if let Some(customer) = &t.customer {
            related.push(Record::Contact(map::contact(
                customer,
                raw["customer"].clone(),
            )));
        }
        let mut unified = map::ticket(&t, raw);
        // Names the embeds did not bring are kept from the cached ticket.
        for tag in &mut unified.tags {
            if tag.name.is_none() {
                tag.name = ticket
                    .tags
                    .iter()
                    .find(|x| x.id == tag.id)
                    .and_then(|x| x.name.clone());
            }
        }
        comments.sort_by(|a, b| a.created_at.cmp(&b.created_at).then(a.id.cmp(&b.id)));
        Ok(Thread {
            ticket: unified,
            comments,
            related,
        })
    }

    async fn write(&self, write: &deck_model::Write) -> Result<Written, ProviderError> {
        self.apply_write(write).await
    }

    async fn current(&self, write: &deck_model::Write) -> Result<Option<Record>, ProviderError> {
        self.current_of(write).await
    }

    async fn find_written(
        &self,
        write: &deck_model::Write,
        since: &str,
    ) -> Result<Option<Written>, ProviderError> {
        self.lookup_written(write, since).await
    }
}

fn raw_array(raw: &Value, key: &str) -> Vec<Value> {
    raw.get(key)
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default()
}

fn parse_cursor<T: DeserializeOwned + Default>(cursor: Option<&str>) -> Result<T, ProviderError> {
    match cursor {
        None => Ok(T::default()),
        Some(c) => serde_json::from_str(c)
            .map_err(|e| ProviderError::Refused(format!("invalid sync cursor: {e}"))),
    }
}

fn to_cursor<T: Serialize>(c: &T) -> String {
    serde_json::to_string(c).expect("cursors serialize")
}

/// Decodes a JSON array, naming the endpoint and the field that does not fit.
fn decode_list<T: DeserializeOwned>(
    path: &str,
    body: Value,
) -> Result<Vec<(T, Value)>, ProviderError> {
    let Value::Array(items) = body else {
        return Err(ProviderError::Malformed {
            endpoint: format!("GET {path}"),
            field: "(body)".into(),
            detail: "expected a JSON array".into(),
        });
    };
    items
        .into_iter()
        .enumerate()
        .map(|(i, raw)| {
            let typed =
                serde_path_to_error::deserialize(&raw).map_err(|e| ProviderError::Malformed {
                    endpoint: format!("GET {path}"),
                    field: field_path(&format!("[{i}]"), &e),
                    detail: e.inner().to_string(),
                })?;
            Ok((typed, raw))
        })
        .collect()
}

fn decode_one<T: DeserializeOwned>(path: &str, raw: Value) -> Result<(T, Value), ProviderError> {
    let typed = serde_path_to_error::deserialize(&raw).map_err(|e| ProviderError::Malformed {
        endpoint: format!("GET {path}"),
        field: field_path("", &e),
        detail: e.inner().to_string(),
    })?;
    Ok((typed, raw))
}

/// Where a decoding error is, as `[3].customer.contacts[0].type`. A missing field is reported
/// at its parent, so its name is taken from the message.
fn field_path(prefix: &str, e: &serde_path_to_error::Error<serde_json::Error>) -> String {
    let mut path = prefix.to_string();
    let inner = e.path().to_string();
    if inner != "." {
        if !path.is_empty() && !inner.starts_with('[') {
            path.push('.');
        }
        path.push_str(&inner);
    }
    let message = e.inner().to_string();
    if let Some(name) = message
        .strip_prefix("missing field `")
        .and_then(|rest| rest.split('`').next())
    {
        if !path.is_empty() {
            path.push('.');
        }
        path.push_str(name);
    }
    if path.is_empty() {
        "(body)".into()
    } else {
        path
    }
}

/// Timestamps as `YYYY-MM-DDTHH:MM:SSZ`, so they sort as strings.
fn normalize_time(path: &str, field: &str, value: &str) -> Result<String, ProviderError> {
    DateTime::parse_from_rfc3339(value)
        .map(|t| {
            t.with_timezone(&Utc)
                .to_rfc3339_opts(SecondsFormat::Secs, true)
        })
        .map_err(|e| ProviderError::Malformed {
            endpoint: format!("GET {path}"),
            field: field.to_string(),
            detail: format!("`{value}` is not an ISO 8601 time: {e}"),
        })
}

fn shift_seconds(ts: &str, secs: i64) -> String {
    DateTime::parse_from_rfc3339(ts)
        .map(|t| {
            (t.with_timezone(&Utc) + chrono::Duration::seconds(secs))
                .to_rfc3339_opts(SecondsFormat::Secs, true)
        })
        .unwrap_or_else(|_| ts.to_string())
}
