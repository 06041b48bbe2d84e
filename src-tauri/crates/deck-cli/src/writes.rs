//! `create`, `update`, `delete` and `outbox`: writes in Truto's shapes, stored in the outbox and
//! sent at once. A write the helpdesk cannot take now (unreachable, rate limited) stays queued
//! and is printed as queued; `ticketdeck outbox flush` (or the app) sends it later.

use clap::Subcommand;
use deck_core::views::{AccountId, OutboxItem};
use deck_core::{Deck, ErrorCode, UnifiedError};
use deck_model::{CommentInput, ContactInput, Resource, TicketInput, TicketPatch, Write};
use serde::de::DeserializeOwned;

#[derive(Subcommand)]
pub enum OutboxCommand {
    /// Writes not yet on the helpdesk (pending, failed, in conflict), newest first.
    List {
        /// Include the ones already sent (kept for a week).
        #[arg(long)]
        all: bool,
    },
    /// Send a failed write again.
    Retry { id: i64 },
    /// Give up on a write; the cache shows the helpdesk's version again.
    Discard { id: i64 },
    /// Send every waiting write now.
    Flush,
}

/// Parses a JSON body, naming the field that does not fit.
fn body<T: DeserializeOwned>(json: &str, shape: &str) -> Result<T, UnifiedError> {
    let mut de = serde_json::Deserializer::from_str(json);
    serde_path_to_error::deserialize(&mut de).map_err(|e| {
        let at = e.path().to_string();
        UnifiedError::new(
            ErrorCode::Validation,
            format!(
                "the --json body is not a valid {shape}{}: {}",
                if at == "." {
                    String::new()
                } else {
                    format!(" at `{at}`")
                },
                e.inner()
            ),
        )
    })
}

/// `create RESOURCE --json BODY`.
pub fn create(
    deck: &Deck,
    account: AccountId,
    resource: Resource,
    json: &str,
) -> Result<OutboxItem, UnifiedError> {
    let write = match resource {
        Resource::Tickets => Write::CreateTicket {
            ticket: body::<TicketInput>(json, "ticket")?,
        },
        Resource::Comments => {
            let mut comment: CommentInput = body(json, "comment")?;
            for a in &mut comment.attachments {
                // Paths are taken from where the command runs.
                if let Ok(abs) = std::path::absolute(&a.path) {
                    a.path = abs.to_string_lossy().into_owned();
                }
            }
            Write::CreateComment { comment }
        }
        Resource::Contacts => Write::CreateContact {
            contact: body::<ContactInput>(json, "contact")?,
        },
        other => return Err(cannot(other, "created")),
    };
    deck.enqueue(account, write)
}

/// `update RESOURCE ID --json BODY`.
pub fn update(
    deck: &Deck,
    account: AccountId,
    resource: Resource,
    id: &str,
    json: &str,
) -> Result<Vec<OutboxItem>, UnifiedError> {
    match resource {
        Resource::Tickets => Ok(vec![deck.enqueue(
            account,
            Write::UpdateTicket {
                ticket_id: id.to_string(),
                patch: body::<TicketPatch>(json, "ticket update")?,
                base: TicketPatch::default(),
            },
        )?]),
        Resource::Contacts => deck.update_contact(account, id, body(json, "contact update")?),
        other => Err(cannot(other, "updated")),
    }
}

/// `delete RESOURCE ID`: a ticket goes to the trash (Enchant deletes no tickets outright).
pub fn delete(
    deck: &Deck,
    account: AccountId,
    resource: Resource,
    id: &str,
) -> Result<OutboxItem, UnifiedError> {
    match resource {
        Resource::Tickets => deck.enqueue(
            account,
            Write::UpdateTicket {
                ticket_id: id.to_string(),
                patch: TicketPatch {
                    status: Some("trash".into()),
                    ..TicketPatch::default()
                },
                base: TicketPatch::default(),
            },
        ),
        other => Err(cannot(other, "deleted")),
    }
}

fn cannot(resource: Resource, done: &str) -> UnifiedError {
    UnifiedError::new(
        ErrorCode::Refused,
        format!(
            "{resource} cannot be {done} through Ticketdeck's helpdesks (Enchant's API offers no such call)"
        ),
    )
}

/// Sends the account's outbox, then says how each of `items` ended: on stdout its JSON, on
/// stderr one line. A refused write is an error; a queued one is not.
pub async fn send_and_report(
    deck: &Deck,
    account: AccountId,
    items: Vec<OutboxItem>,
) -> Result<(), UnifiedError> {
    deck.flush_outbox(account).await?;
    let mut first_error = None;
    let mut out = Vec::new();
    for item in items {
        let now = deck.outbox_item(item.id)?;
        match now.state.as_str() {
            "done" => eprintln!(
                "done: {}{}",
                now.summary,
                now.result_id
                    .as_deref()
                    .map(|id| format!(" (id {id})"))
                    .unwrap_or_default()
            ),
            "failed" => {
                let e = now.error.clone().unwrap_or_else(|| {
                    UnifiedError::new(ErrorCode::Internal, "the helpdesk refused it")
                });
                first_error.get_or_insert(UnifiedError::new(
                    e.code,
                    format!(
                        "{} failed: {} (kept as outbox entry {}: `ticketdeck outbox retry {}` or `discard {}`)",
                        now.summary, e.message, now.id, now.id, now.id
                    ),
                ));
            }
            "conflict" => {
                let fields: Vec<String> = now
                    .conflicts
                    .iter()
                    .map(|c| {
                        format!(
                            "{} (yours {}, the helpdesk's {})",
                            c.field, c.yours, c.theirs
                        )
                    })
                    .collect();
                first_error.get_or_insert(UnifiedError::new(
                    ErrorCode::Conflict,
                    format!(
                        "{}: changed on the helpdesk meanwhile: {}; settle it in the app or `ticketdeck outbox discard {}`",
                        now.summary,
                        fields.join(", "),
                        now.id
                    ),
                ));
            }
            _ => eprintln!(
                "queued: {} (outbox entry {}){}",
                now.summary,
                now.id,
                now.error
                    .as_ref()
                    .map(|e| format!(
                        ": {}; it is sent by `ticketdeck outbox flush` or the app",
                        e.message
                    ))
                    .unwrap_or_default()
            ),
        }
        out.push(now);
    }
    crate::print_json(&out);
    first_error.map_or(Ok(()), Err)
}

/// `outbox ...`.
pub async fn outbox(
    deck: &Deck,
    account: Option<AccountId>,
    command: OutboxCommand,
) -> Result<(), UnifiedError> {
    match command {
        OutboxCommand::List { all } => crate::print_json(&deck.list_outbox(account, all)?),
        OutboxCommand::Retry { id } => {
            let item = deck.retry_outbox(id)?;
            send_and_report(deck, item.account_id, vec![item]).await?;
        }
        OutboxCommand::Discard { id } => {
            let item = deck.outbox_item(id)?;
            deck.discard_outbox(id)?;
            eprintln!("discarded: {}", item.summary);
        }
        OutboxCommand::Flush => {
            let accounts: Vec<AccountId> = match account {
                Some(a) => vec![a],
                None => deck.list_accounts()?.iter().map(|a| a.id).collect(),
            };
            let mut waiting = 0;
            let mut failed = 0;
            for a in accounts {
                let r = deck.flush_outbox(a).await?;
                eprintln!(
                    "{}: {} sent, {} failed, {} in conflict, {} waiting",
                    deck.account(a)?.name,
                    r.sent,
                    r.failed,
                    r.conflicts,
                    r.waiting
                );
                waiting += r.waiting;
                failed += r.failed + r.conflicts;
            }
            if failed > 0 {
                return Err(UnifiedError::new(
                    ErrorCode::Validation,
                    format!("{failed} writes need you: see `ticketdeck outbox list`"),
                ));
            }
            if waiting > 0 {
                eprintln!("{waiting} writes still waiting for the helpdesk");
            }
        }
    }
    Ok(())
}
