//! Seeding: builds a realistic help desk deterministically from (seed, ticket count).

mod vocabulary;

use std::collections::BTreeMap;

use super::dataset::{Dataset, HOSTILE_HTML};
use super::ids::IdGen;
use super::prng::SplitMix64;
use super::timestamps::{REFERENCE_EPOCH, format_epoch};
use super::wire::{
    Attachment, Contact, ContactType, Customer, Direction, Inbox, Label, Message, MessageType,
    Ticket, TicketState, TicketType, User,
};
use vocabulary::*;

const DAY: i64 = 86_400;
/// How far back before the reference time tickets are spread.
const HISTORY: i64 = 730 * DAY;

/// Index of the early ticket whose first message carries [`HOSTILE_HTML`] (number 3).
const HOSTILE_INDEX: usize = 2;

/// Builds the dataset for `seed` and `tickets`, returning the id generator so that records
/// created later through the API continue the same id sequence.
pub fn build(seed: u64, tickets: usize, site: &str) -> (Dataset, IdGen) {
    let mut rng = SplitMix64::new(seed ^ 0x7E57_DA7A_5EED);
    let mut ids = IdGen::new(seed);

    let users = seed_users(&mut ids, site);
    let inboxes = seed_inboxes(&mut rng, &mut ids);
    let labels: Vec<Label> = LABELS
        .iter()
        .map(|name| Label {
            id: ids.next_id(),
            name: (*name).to_string(),
        })
        .collect();
    let mut customers = seed_customers(&mut rng, &mut ids, (tickets / 3).max(20));
    let created = seed_creation_times(&mut rng, tickets);

    let mut plan: Vec<TicketPlan> = created
        .iter()
        .map(|&at| plan_ticket(&mut rng, at, &users, &inboxes, &labels, customers.len()))
        .collect();
    ensure_variety(&mut plan);

    let site_title = title_case(site);
    let mut out_tickets = Vec::with_capacity(tickets);
    let mut messages = BTreeMap::new();
    let mut attachments = Vec::new();
    let mut first_ticket_at: Vec<Option<i64>> = vec![None; customers.len()];
    for (index, p) in plan.iter().enumerate() {
        let customer = &customers[p.customer];
        let first = &mut first_ticket_at[p.customer];
        *first = Some(first.map_or(p.created_at, |f: i64| f.min(p.created_at)));
        let inbox = &inboxes[p.inbox];
        let ctx = ThreadContext {
            customer,
            agent: p.user.map(|u| &users[u]),
            users: &users,
            inbox_address: format!("{}@{}.example.com", inbox.name.to_lowercase(), site),
            site_title: &site_title,
        };
        let hostile = index == HOSTILE_INDEX;
        let thread = seed_thread(&mut rng, &mut ids, &ctx, p.created_at, hostile);
        attachments.extend(thread.iter().flat_map(|m| m.attachments.iter().cloned()));
        let last_at = thread
            .last()
            .map_or(p.created_at, |m| parse_epoch(&m.created_at));
        let updated_at = (last_at + rng.range(0, 7200))
            .min(REFERENCE_EPOCH)
            .max(p.created_at);
        let summary = summarize(&thread[0].body, thread[0].htmlized);
        let email = customer
            .contacts
            .iter()
            .find(|c| c.kind == ContactType::Email)
            .map(|c| c.value.clone());
        let id = ids.next_id();
        out_tickets.push(Ticket {
            id: id.clone(),
            number: index as u64 + 1,
            customer_id: customer.id.clone(),
            user_id: p.user.map(|u| users[u].id.clone()),
            inbox_id: inbox.id.clone(),
            label_ids: p.labels.iter().map(|&l| labels[l].id.clone()).collect(),
            state: p.state,
            snoozed_until: (p.state == TicketState::Snoozed)
                .then(|| format_epoch(REFERENCE_EPOCH + rng.range(DAY, 14 * DAY))),
            subject: p.subject.clone(),
            kind: p.kind,
            spam: p.spam,
            trash: p.trash,
            updated_at: format_epoch(updated_at),
            created_at: format_epoch(p.created_at),
            reply_to: if p.kind == TicketType::Email {
                email
            } else {
                None
            },
            reply_cc: None,
            summary: Some(summary),
        });
        messages.insert(id, thread);
    }

    for (customer, first) in customers.iter_mut().zip(first_ticket_at) {
        let at = match first {
            Some(t) => t - rng.range(0, 30 * DAY),
            None => REFERENCE_EPOCH - rng.range(DAY, HISTORY),
        };
        customer.created_at = format_epoch(at);
    }
    customers.sort_by(|a, b| (&a.created_at, &a.id).cmp(&(&b.created_at, &b.id)));

    let dataset = Dataset {
        reference_time: format_epoch(REFERENCE_EPOCH),
        users,
        inboxes,
        labels,
        customers,
        tickets: out_tickets,
        messages,
        attachments,
    };
    (dataset, ids)
}

fn seed_users(ids: &mut IdGen, site: &str) -> Vec<User> {
    AGENTS
        .iter()
        .map(|(first, last)| User {
            id: ids.next_id(),
            first_name: (*first).to_string(),
            last_name: (*last).to_string(),
            email: format!("{}@{}.example.com", first.to_lowercase(), site),
        })
        .collect()
}

fn seed_inboxes(rng: &mut SplitMix64, ids: &mut IdGen) -> Vec<Inbox> {
    let count = 3 + rng.below(2) as usize;
    INBOXES[..count]
        .iter()
        .map(|(name, _)| Inbox {
            id: ids.next_id(),
            name: (*name).to_string(),
        })
        .collect()
}

fn seed_customers(rng: &mut SplitMix64, ids: &mut IdGen, count: usize) -> Vec<Customer> {
    (0..count)
        .map(|i| {
            let first = *rng.pick(&FIRST_NAMES);
            let last = *rng.pick(&LAST_NAMES);
            let handle = format!("{}.{}{}", first.to_lowercase(), last.to_lowercase(), i + 1);
            let mut kinds = Vec::with_capacity(3);
            kinds.push(if rng.chance(85) {
                ContactType::Email
            } else {
                ContactType::Phone
            });
            if kinds[0] != ContactType::Phone && rng.chance(35) {
                kinds.push(ContactType::Phone);
            }
            if rng.chance(25) {
                kinds.push(ContactType::Twitter);
            }
            let contacts = kinds
                .into_iter()
                .map(|kind| Contact {
                    id: ids.next_id(),
                    kind,
                    value: match kind {
                        ContactType::Email => format!("{handle}@{}", rng.pick(&EMAIL_DOMAINS)),
                        ContactType::Phone => format!("+1555{:07}", i + 1),
                        ContactType::Twitter => handle.replace('.', "_"),
                    },
                })
                .collect();
            let summary = match rng.below(20) {
                0 | 1 => Some("VIP customer".to_string()),
                2 => Some("Prefers to be contacted by phone".to_string()),
                _ => None,
            };
            Customer {
                id: ids.next_id(),
                first_name: Some(first.to_string()),
                last_name: Some(last.to_string()),
                summary,
                contacts,
                created_at: String::new(),
            }
        })
        .collect()
}

/// Creation instants, ascending, over the last two years, with groups of tickets sharing the
/// exact same second (clients paging by `since_created_at` must handle such ties).
fn seed_creation_times(rng: &mut SplitMix64, count: usize) -> Vec<i64> {
    let mut times: Vec<i64> = (0..count)
        .map(|_| REFERENCE_EPOCH - rng.range(3600, HISTORY))
        .collect();
    times.sort_unstable();
    for i in 1..times.len() {
        if rng.chance(3) {
            times[i] = times[i - 1];
        }
    }
    // A guaranteed group of three early tickets created in the same second.
    if times.len() >= 8 {
        times[6] = times[5];
        times[7] = times[5];
    }
    times
}

struct TicketPlan {
    created_at: i64,
    customer: usize,
    user: Option<usize>,
    inbox: usize,
    labels: Vec<usize>,
    state: TicketState,
    kind: TicketType,
    spam: bool,
    trash: bool,
    subject: String,
}

fn plan_ticket(
    rng: &mut SplitMix64,
    created_at: i64,
    users: &[User],
    inboxes: &[Inbox],
    labels: &[Label],
    customers: usize,
) -> TicketPlan {
    const KIND_WEIGHTS: [u64; 11] = [45, 4, 3, 6, 12, 10, 4, 4, 4, 3, 5];
    const STATE_WEIGHTS: [u64; 5] = [20, 10, 45, 10, 15];
    let kind = TicketType::ALL[rng.weighted(&KIND_WEIGHTS)];
    let state = TicketState::ALL[rng.weighted(&STATE_WEIGHTS)];
    let inbox_weights: Vec<u64> = INBOXES[..inboxes.len()].iter().map(|(_, w)| *w).collect();
    let inbox = rng.weighted(&inbox_weights);
    let (spam, trash) = match rng.below(100) {
        0..=2 => (true, false),
        3..=5 => (false, true),
        _ => (false, false),
    };
    let user = (!spam && rng.chance(85)).then(|| rng.below(users.len() as u64) as usize);
    let label_count = rng.weighted(&[35, 30, 20, 10, 5]);
    let mut chosen = Vec::with_capacity(label_count);
    while chosen.len() < label_count {
        let l = rng.below(labels.len() as u64) as usize;
        if !chosen.contains(&l) {
            chosen.push(l);
        }
    }
    let subject = rng
        .pick(&SUBJECTS)
        .replace("{n}", &(100_000 + rng.below(900_000)).to_string());
    TicketPlan {
        created_at,
        customer: rng.below(customers as u64) as usize,
        user,
        inbox,
        labels: chosen,
        state,
        kind,
        spam,
        trash,
        subject,
    }
}

/// Makes sure every state, every type, spam, trash and unassigned tickets appear, whatever
/// the seed, by setting them on some of the most recent tickets (shown on the first page),
/// and makes the hostile ticket an ordinary open email in the inbox.
fn ensure_variety(plan: &mut [TicketPlan]) {
    let n = plan.len();
    if let Some(h) = plan.get_mut(HOSTILE_INDEX) {
        h.kind = TicketType::Email;
        h.state = TicketState::Open;
        h.spam = false;
        h.trash = false;
        h.subject = "Order page shows strange characters".to_string();
    }
    if n < 30 {
        return;
    }
    let mut slot = n - 1;
    let mut next_slot = || {
        let s = slot;
        slot -= 1;
        s
    };
    // Unconditional, since overwriting one ticket could remove the only one of another kind.
    for state in TicketState::ALL {
        plan[next_slot()].state = state;
    }
    for kind in TicketType::ALL {
        plan[next_slot()].kind = kind;
    }
    let s = next_slot();
    if !plan.iter().any(|p| p.spam) {
        plan[s].spam = true;
        plan[s].trash = false;
        plan[s].user = None;
    }
    let s = next_slot();
    if !plan.iter().any(|p| p.trash) {
        plan[s].trash = true;
        plan[s].spam = false;
    }
    let s = next_slot();
    if !plan.iter().any(|p| p.user.is_none()) {
        plan[s].user = None;
    }
    let s = next_slot();
    if !plan.iter().any(|p| p.user.is_some()) {
        plan[s].user = Some(0);
    }
}

struct ThreadContext<'a> {
    customer: &'a Customer,
    agent: Option<&'a User>,
    users: &'a [User],
    inbox_address: String,
    site_title: &'a str,
}

impl ThreadContext<'_> {
    fn customer_name(&self) -> String {
        format!(
            "{} {}",
            self.customer.first_name.as_deref().unwrap_or_default(),
            self.customer.last_name.as_deref().unwrap_or_default()
        )
    }

    fn customer_first(&self) -> &str {
        self.customer.first_name.as_deref().unwrap_or("there")
    }

    fn customer_email(&self) -> Option<&str> {
        self.customer
            .contacts
            .iter()
            .find(|c| c.kind == ContactType::Email)
            .map(|c| c.value.as_str())
    }

    fn customer_address(&self) -> String {
        self.customer_email()
            .map(str::to_string)
            .or_else(|| self.customer.contacts.first().map(|c| c.value.clone()))
            .unwrap_or_default()
    }
}

fn seed_thread(
    rng: &mut SplitMix64,
    ids: &mut IdGen,
    ctx: &ThreadContext<'_>,
    created_at: i64,
    hostile: bool,
) -> Vec<Message> {
    let count = 1 + rng.weighted(&[15, 25, 20, 15, 10, 7, 5, 3]);
    let mut at = created_at;
    let mut thread = Vec::with_capacity(count);
    for i in 0..count {
        if i > 0 {
            at = (at + rng.range(120, 3 * DAY)).min(REFERENCE_EPOCH);
        }
        let roll = rng.below(100);
        let message = if i == 0 || roll < 20 {
            customer_message(rng, ids, ctx, at, i == 0)
        } else {
            let agent = match ctx.agent {
                Some(a) if rng.chance(80) => a,
                _ => rng.pick(ctx.users),
            };
            if roll < 75 {
                agent_reply(rng, ids, ctx, agent, at)
            } else {
                agent_note(rng, ids, agent, at)
            }
        };
        thread.push(message);
    }
    if hostile {
        thread[0].body = HOSTILE_HTML.to_string();
        thread[0].htmlized = true;
    }
    thread
}

fn customer_message(
    rng: &mut SplitMix64,
    ids: &mut IdGen,
    ctx: &ThreadContext<'_>,
    at: i64,
    first: bool,
) -> Message {
    let text = if first {
        *rng.pick(&CUSTOMER_OPENINGS)
    } else {
        *rng.pick(&CUSTOMER_FOLLOW_UPS)
    };
    let name = ctx.customer_name();
    let htmlized = rng.chance(50);
    let body = if htmlized {
        let mut b = format!("<p>Hi,</p><p>{text}</p>");
        if first && rng.chance(30) {
            b.push_str(&format!(
                "<p>I followed <a href=\"{}\">{}</a> already.</p>",
                HELP_LINKS[0].0, HELP_LINKS[0].1
            ));
        }
        b.push_str(&format!("<p>Thanks,<br>{}</p>", ctx.customer_first()));
        b
    } else {
        format!("Hi,\n\n{text}\n\nThanks,\n{}", ctx.customer_first())
    };
    let from = match ctx.customer_email() {
        Some(email) => format!("{name} <{email}>"),
        None => ctx.customer_address(),
    };
    Message {
        id: ids.next_id(),
        kind: MessageType::Reply,
        direction: Some(Direction::In),
        from_name: Some(name),
        from: Some(from),
        to: Some(ctx.inbox_address.clone()),
        body,
        more_body: None,
        htmlized,
        user_id: None,
        attachments: seed_attachments(rng, ids),
        created_at: format_epoch(at),
    }
}

fn agent_reply(
    rng: &mut SplitMix64,
    ids: &mut IdGen,
    ctx: &ThreadContext<'_>,
    agent: &User,
    at: i64,
) -> Message {
    let paragraph = *rng.pick(&AGENT_PARAGRAPHS);
    let greeting = ctx.customer_first();
    let htmlized = rng.chance(70);
    let signature = rng.chance(30);
    let (body, more_body) = if htmlized {
        let mut b = format!("<p>Hi {greeting},</p><p>{paragraph}</p>");
        match rng.below(3) {
            0 => {
                b.push_str("<ol>");
                let start = rng.below((AGENT_STEPS.len() - 2) as u64) as usize;
                for step in &AGENT_STEPS[start..start + 3] {
                    b.push_str(&format!("<li>{step}</li>"));
                }
                b.push_str("</ol>");
            }
            1 => {
                let (href, text) = rng.pick(&HELP_LINKS);
                b.push_str(&format!(
                    "<p>More details in <a href=\"{href}\">{text}</a>.</p>"
                ));
            }
            _ => {}
        }
        b.push_str(&format!("<p>Cheers,<br>{}</p>", agent.first_name));
        let more = signature.then(|| {
            format!(
                "<p>--<br>{} {}<br>{} Support</p>",
                agent.first_name, agent.last_name, ctx.site_title
            )
        });
        (b, more)
    } else {
        let b = format!(
            "Hi {greeting},\n\n{paragraph}\n\nCheers,\n{}",
            agent.first_name
        );
        let more = signature.then(|| {
            format!(
                "--\n{} {}\n{} Support",
                agent.first_name, agent.last_name, ctx.site_title
            )
        });
        (b, more)
    };
    Message {
        id: ids.next_id(),
        kind: MessageType::Reply,
        direction: Some(Direction::Out),
        from_name: Some(agent.first_name.clone()),
        from: None,
        to: Some(ctx.customer_address()),
        body,
        more_body,
        htmlized,
        user_id: Some(agent.id.clone()),
        attachments: seed_attachments(rng, ids),
        created_at: format_epoch(at),
    }
}

fn agent_note(rng: &mut SplitMix64, ids: &mut IdGen, agent: &User, at: i64) -> Message {
    let text = *rng.pick(&NOTES);
    let htmlized = rng.chance(30);
    Message {
        id: ids.next_id(),
        kind: MessageType::Note,
        direction: None,
        from_name: Some(agent.first_name.clone()),
        from: None,
        to: None,
        body: if htmlized {
            format!("<p>{text}</p>")
        } else {
            text.to_string()
        },
        more_body: None,
        htmlized,
        user_id: Some(agent.id.clone()),
        attachments: seed_attachments(rng, ids),
        created_at: format_epoch(at),
    }
}

fn seed_attachments(rng: &mut SplitMix64, ids: &mut IdGen) -> Vec<Attachment> {
    if !rng.chance(7) {
        return Vec::new();
    }
    let count = 1 + rng.below(2) as usize;
    (0..count)
        .map(|_| {
            let (name, mime) = rng.pick(&ATTACHMENTS);
            Attachment {
                id: ids.next_id(),
                name: (*name).to_string(),
                size: 1_024 + rng.below(2_000_000),
                mime_type: (*mime).to_string(),
            }
        })
        .collect()
}

/// A plain-text excerpt of a message body for the ticket's `summary`, skipping the
/// greeting and the sign-off.
fn summarize(body: &str, htmlized: bool) -> String {
    let text = if htmlized {
        strip_tags(body)
    } else {
        body.to_string()
    };
    let text = text.trim_start().strip_prefix("Hi,").unwrap_or(&text);
    let text = text
        .rsplit_once("Thanks,")
        .map_or(text, |(before, _)| before);
    let collapsed = text.split_whitespace().collect::<Vec<_>>().join(" ");
    match collapsed.char_indices().nth(120) {
        Some((cut, _)) => format!("{}...", collapsed[..cut].trim_end()),
        None => collapsed,
    }
}

/// Replaces tags by spaces and drops script contents; enough for the simulator's own bodies.
fn strip_tags(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(open) = rest.find('<') {
        out.push_str(&rest[..open]);
        out.push(' ');
        let Some(close) = rest[open..].find('>') else {
            return out;
        };
        let tag = &rest[open..open + close + 1];
        rest = &rest[open + close + 1..];
        if tag.starts_with("<script") {
            rest = rest
                .find("</script>")
                .map_or("", |end| &rest[end + "</script>".len()..]);
        }
    }
    out.push_str(rest);
    out
}

fn parse_epoch(stamp: &str) -> i64 {
    chrono::DateTime::parse_from_rfc3339(stamp).map_or(REFERENCE_EPOCH, |d| d.timestamp())
}

fn title_case(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(c) => c.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn same_seed_same_data_and_other_seed_other_data() {
        let (a, _) = build(3, 200, "demo");
        let (b, _) = build(3, 200, "demo");
        let (c, _) = build(4, 200, "demo");
        assert_eq!(a, b);
        assert_ne!(a.tickets, c.tickets);
    }

    #[test]
    fn invariants_hold() {
        let (d, _) = build(11, 2_000, "acme");
        assert_eq!(d.tickets.len(), 2_000);
        assert!(d.customers.len() >= 600);
        assert_eq!(d.users.len(), 8);
        assert!((3..=4).contains(&d.inboxes.len()));
        let mut ids = HashSet::new();
        for t in &d.tickets {
            assert!(ids.insert(t.id.clone()));
            assert!(t.updated_at >= t.created_at, "{t:?}");
            assert!(!(t.spam && t.trash));
            assert_eq!(t.snoozed_until.is_some(), t.state == TicketState::Snoozed);
            let thread = &d.messages[&t.id];
            assert!((1..=8).contains(&thread.len()));
            assert_eq!(thread[0].direction, Some(Direction::In));
            assert_eq!(thread[0].created_at, t.created_at);
            assert!(
                thread
                    .windows(2)
                    .all(|w| w[0].created_at <= w[1].created_at)
            );
            assert!(thread.last().unwrap().created_at <= t.updated_at);
        }
        for m in d.messages.values().flatten() {
            assert!(ids.insert(m.id.clone()));
            if m.kind == MessageType::Note {
                assert!(m.direction.is_none() && m.user_id.is_some());
            }
        }
        for c in &d.customers {
            assert!(ids.insert(c.id.clone()));
            assert!((1..=3).contains(&c.contacts.len()));
        }
        assert!(
            d.tickets
                .windows(2)
                .all(|w| w[0].number < w[1].number && w[0].created_at <= w[1].created_at)
        );
        assert!(
            d.tickets
                .windows(2)
                .any(|w| w[0].created_at == w[1].created_at)
        );
        for state in TicketState::ALL {
            assert!(d.tickets.iter().any(|t| t.state == state), "{state:?}");
        }
        for kind in TicketType::ALL {
            assert!(d.tickets.iter().any(|t| t.kind == kind), "{kind:?}");
        }
        assert!(d.tickets.iter().any(|t| t.spam));
        assert!(d.tickets.iter().any(|t| t.trash));
        assert!(d.tickets.iter().any(|t| t.user_id.is_none()));
        assert!(d.messages.values().flatten().any(|m| m.htmlized));
        assert!(d.messages.values().flatten().any(|m| !m.htmlized));
        assert!(!d.attachments.is_empty());
        let (t, m) = d.hostile_message().expect("hostile message");
        assert_eq!(t.number, 3);
        assert!(m.htmlized);
        assert_eq!(
            t.summary.as_deref(),
            Some("my order page looks broken: click Thanks")
        );
    }

    #[test]
    fn variety_even_for_small_sets() {
        let (d, _) = build(5, 30, "demo");
        for state in TicketState::ALL {
            assert!(d.tickets.iter().any(|t| t.state == state), "{state:?}");
        }
        for kind in TicketType::ALL {
            assert!(d.tickets.iter().any(|t| t.kind == kind), "{kind:?}");
        }
        assert_eq!(d.customers.len(), 20);
    }
}
