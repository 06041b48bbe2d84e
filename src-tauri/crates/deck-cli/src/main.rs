//! `ticketdeck`: Ticketdeck for scripts. Accounts, sync, and Truto-shaped reads from the offline
//! cache. Exits 0 on success; otherwise prints one line on stderr and exits non-zero.

mod progress;
mod writes;

use clap::{Args, Parser, Subcommand};
use deck_core::views::{AccountId, NewAccount, RateLimit};
use deck_core::{Deck, ErrorCode, UnifiedError};
use deck_model::{ProviderKind, Resource};
use std::io::{IsTerminal, Read};
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

#[derive(Parser)]
#[command(
    name = "ticketdeck",
    version,
    about = "Every helpdesk in one place, offline too"
)]
struct Cli {
    /// Where the cache lives (default: the OS's app-data dir, or $TICKETDECK_DATA_DIR).
    #[arg(long, global = true, value_name = "DIR")]
    data_dir: Option<PathBuf>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Connect, list, test and remove helpdesk accounts.
    #[command(subcommand)]
    Accounts(AccountsCommand),
    /// Fetch what changed from one account's helpdesk, or from every account's.
    Sync {
        /// The account (default: all).
        name: Option<String>,
        /// One JSON object a line per step instead of a progress bar.
        #[arg(long)]
        json: bool,
    },
    /// Print a page of cached records as `{"result": [...], "next_cursor": ...}`.
    List {
        /// A unified resource: tickets, comments, contacts, users, tags, collections, ticket_status, attachments, ...
        resource: Resource,
        #[command(flatten)]
        account: AccountArg,
        #[arg(long, default_value_t = 100)]
        limit: u32,
        /// The `next_cursor` of the previous page.
        #[arg(long)]
        cursor: Option<String>,
        /// KEY=VALUE, e.g. `ticket_id=51e6e9` for comments; repeatable.
        #[arg(long = "filter", value_name = "KEY=VALUE", value_parser = parse_filter)]
        filters: Vec<(String, String)>,
    },
    /// Print one cached record.
    Get {
        resource: Resource,
        id: String,
        #[command(flatten)]
        account: AccountArg,
    },
    /// Create a record from a Truto-shaped JSON body (tickets, comments, contacts). The write is
    /// kept in the outbox until the helpdesk has it; when the helpdesk cannot be reached it is
    /// queued (exit 0, printed as queued).
    Create {
        resource: Resource,
        #[command(flatten)]
        account: AccountArg,
        /// The record, e.g. `{"ticket":{"id":"51e6e9"},"body":"Checked","is_internal":true,"author":{"id":"501efc"}}`.
        #[arg(long, value_name = "BODY")]
        json: String,
    },
    /// Change a record (tickets: name, status, assignees, collections, tags by id; contacts:
    /// names, details and identities).
    Update {
        resource: Resource,
        id: String,
        #[command(flatten)]
        account: AccountArg,
        #[arg(long, value_name = "BODY")]
        json: String,
    },
    /// Delete a record (a ticket goes to the trash).
    Delete {
        resource: Resource,
        id: String,
        #[command(flatten)]
        account: AccountArg,
    },
    /// Writes waiting for the helpdesk: list, retry, discard, flush.
    Outbox {
        #[command(subcommand)]
        command: writes::OutboxCommand,
        #[command(flatten)]
        account: AccountArg,
    },
    /// Start the built-in demo helpdesk and add its account; serves until Ctrl-C.
    Demo {
        /// The loopback port to listen on (default: any free port).
        #[arg(long, default_value_t = 0)]
        port: u16,
    },
}

#[derive(Args)]
struct AccountArg {
    /// The account (needed when there is more than one).
    #[arg(long = "account", value_name = "NAME")]
    name: Option<String>,
}

#[derive(Subcommand)]
enum AccountsCommand {
    /// Connect a helpdesk. The token is read from stdin (or a prompt) and kept in the OS keychain,
    /// unless --token-env names an environment variable to read it from instead.
    Add {
        provider: ProviderKind,
        name: String,
        /// The help desk identifier, e.g. `acme` for acme.enchant.com.
        #[arg(long)]
        site: Option<String>,
        /// Overrides the URL derived from --site (plain http:// only for loopback).
        #[arg(long)]
        base_url: Option<String>,
        /// Read the token from this environment variable at each use; nothing is stored.
        #[arg(long, value_name = "VAR")]
        token_env: Option<String>,
        /// The account's rate limit where it differs from the provider's published one, as
        /// CREDITS/SECONDS (e.g. `300/60`), optionally with `,BURST` requests a second.
        #[arg(long, value_name = "CREDITS/SECONDS[,BURST]", value_parser = parse_rate_limit)]
        rate_limit: Option<RateLimit>,
    },
    List,
    /// Check that the helpdesk answers and accepts the token.
    Test {
        name: String,
    },
    /// Remove the account, its cache and its keychain entry.
    Remove {
        name: String,
    },
}

fn parse_rate_limit(s: &str) -> Result<RateLimit, String> {
    let bad = || format!("`{s}` is not CREDITS/SECONDS[,BURST], e.g. 100/60 or 100/60,6");
    let (window, burst) = match s.split_once(',') {
        Some((w, b)) => (w, Some(b.trim().parse::<u32>().map_err(|_| bad())?)),
        None => (s, None),
    };
    let (credits, secs) = window.split_once('/').ok_or_else(bad)?;
    Ok(RateLimit {
        credits_per_window: credits.trim().parse().map_err(|_| bad())?,
        window_secs: secs
            .trim()
            .trim_end_matches('s')
            .parse()
            .map_err(|_| bad())?,
        burst_per_second: burst,
    })
}

fn parse_filter(s: &str) -> Result<(String, String), String> {
    let (k, v) = s
        .split_once('=')
        .ok_or_else(|| format!("`{s}` is not KEY=VALUE"))?;
    Ok((k.trim().to_string(), v.trim().to_string()))
}

pub(crate) fn print_json(v: &impl serde::Serialize) {
    println!("{}", serde_json::to_string_pretty(v).expect("serializes"));
}

fn read_token() -> Result<String, UnifiedError> {
    let token = if std::io::stdin().is_terminal() {
        rpassword::prompt_password("API token: ").map_err(|e| {
            UnifiedError::new(ErrorCode::Validation, format!("cannot read the token: {e}"))
        })?
    } else {
        let mut s = String::new();
        std::io::stdin().read_to_string(&mut s).map_err(|e| {
            UnifiedError::new(
                ErrorCode::Validation,
                format!("cannot read the token from stdin: {e}"),
            )
        })?;
        s
    };
    Ok(token.trim().to_string())
}

fn resolve_account(deck: &Deck, name: Option<&str>) -> Result<AccountId, UnifiedError> {
    if let Some(name) = name {
        return Ok(deck.account_named(name)?.id);
    }
    let accounts = deck.list_accounts()?;
    match accounts.as_slice() {
        [only] => Ok(only.id),
        [] => Err(UnifiedError::new(
            ErrorCode::NotFound,
            "no accounts yet: add one with `ticketdeck accounts add` or try `ticketdeck demo`",
        )),
        _ => Err(UnifiedError::new(
            ErrorCode::Validation,
            "there are several accounts: pass --account NAME",
        )),
    }
}

async fn run(cli: Cli) -> Result<(), UnifiedError> {
    let data_dir = cli
        .data_dir
        .unwrap_or_else(deck_core::paths::default_data_dir);
    let json_progress = matches!(cli.command, Command::Sync { json: true, .. });
    let events = Arc::new(progress::CliEvents::new(json_progress));
    let deck = Deck::open(&data_dir, events.clone())?;
    match cli.command {
        Command::Accounts(AccountsCommand::Add {
            provider,
            name,
            site,
            base_url,
            token_env,
            rate_limit,
        }) => {
            let token = if token_env.is_some() {
                None
            } else {
                Some(read_token()?)
            };
            let account = deck
                .add_account(NewAccount {
                    provider,
                    name,
                    site,
                    base_url,
                    token,
                    token_env,
                    rate_limit,
                })
                .await?;
            eprintln!(
                "added {} ({}, {})",
                account.name, account.provider, account.base_url
            );
        }
        Command::Accounts(AccountsCommand::List) => print_json(&deck.list_accounts()?),
        Command::Accounts(AccountsCommand::Test { name }) => {
            let account = deck.account_named(&name)?;
            deck.test_account(account.id).await?;
            eprintln!(
                "{}: the helpdesk answers and accepts the token",
                account.name
            );
        }
        Command::Accounts(AccountsCommand::Remove { name }) => {
            let account = deck.account_named(&name)?;
            deck.remove_account(account.id).await?;
            eprintln!("removed {}", account.name);
        }
        Command::Sync { name, .. } => {
            let id = name
                .as_deref()
                .map(|n| deck.account_named(n))
                .transpose()?
                .map(|a| a.id);
            let outcomes = deck.sync(id).await?;
            events.finish();
            let failures: Vec<String> = outcomes
                .iter()
                .flat_map(|o| {
                    o.failures
                        .iter()
                        .map(move |(r, e)| format!("{} ({}): {}", o.account_name, r, e.message))
                })
                .collect();
            if let Some(first) = failures.first() {
                let code = outcomes
                    .iter()
                    .flat_map(|o| &o.failures)
                    .map(|(_, e)| e.code)
                    .next();
                let more = if failures.len() > 1 {
                    format!(" (and {} more)", failures.len() - 1)
                } else {
                    String::new()
                };
                return Err(UnifiedError::new(
                    code.unwrap_or(ErrorCode::Internal),
                    format!("sync failed: {first}{more}"),
                ));
            }
        }
        Command::List {
            resource,
            account,
            limit,
            cursor,
            filters,
        } => {
            let id = resolve_account(&deck, account.name.as_deref())?;
            print_json(&deck.list_records(id, resource, &filters, limit, cursor.as_deref())?);
        }
        Command::Get {
            resource,
            id,
            account,
        } => {
            let account_id = resolve_account(&deck, account.name.as_deref())?;
            print_json(&deck.get_record(account_id, resource, &id)?);
        }
        Command::Create {
            resource,
            account,
            json,
        } => {
            let id = resolve_account(&deck, account.name.as_deref())?;
            let item = writes::create(&deck, id, resource, &json)?;
            writes::send_and_report(&deck, id, vec![item]).await?;
        }
        Command::Update {
            resource,
            id,
            account,
            json,
        } => {
            let account_id = resolve_account(&deck, account.name.as_deref())?;
            let items = writes::update(&deck, account_id, resource, &id, &json)?;
            writes::send_and_report(&deck, account_id, items).await?;
        }
        Command::Delete {
            resource,
            id,
            account,
        } => {
            let account_id = resolve_account(&deck, account.name.as_deref())?;
            let item = writes::delete(&deck, account_id, resource, &id)?;
            writes::send_and_report(&deck, account_id, vec![item]).await?;
        }
        Command::Outbox { command, account } => {
            let id = account
                .name
                .as_deref()
                .map(|n| deck.account_named(n))
                .transpose()?
                .map(|a| a.id);
            writes::outbox(&deck, id, command).await?;
        }
        Command::Demo { port } => {
            let account = deck.open_demo_at(port).await?;
            println!("base_url={}", account.base_url);
            println!("token={}", deck_sim::SimConfig::demo().token);
            println!("account={}", account.name);
            eprintln!("demo helpdesk running; `ticketdeck sync` fetches it. Ctrl-C stops it.");
            tokio::signal::ctrl_c()
                .await
                .map_err(|e| UnifiedError::new(ErrorCode::Internal, e.to_string()))?;
            deck.stop_demo().await;
        }
    }
    Ok(())
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let runtime = match tokio::runtime::Runtime::new() {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("ticketdeck: cannot start: {e}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(run(cli)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("ticketdeck: {} [{}]", e.message.replace('\n', " "), e.code);
            ExitCode::FAILURE
        }
    }
}
