//! Peak memory while attaching a large file: a note with a 20 MiB attachment goes through the
//! whole write path (staged copy, base64 encoding a chunk at a time, upload to a simulated
//! Enchant in another process, the message). Prints the process's resident memory before and
//! its peak after, against the stated bound.
//!
//! `cargo run --release -p deck-core --example attach_bench -- [MiB]`
//!
//! The program runs itself three times over: as the conductor, as the simulated helpdesk (so
//! its memory is not counted) and as the measured client.

use deck_core::views::NewAccount;
use deck_core::{Deck, NoEvents};
use deck_model::{AttachmentInput, Author, CommentInput, IdName, ProviderKind, Write};
use std::io::{BufRead, BufReader, Read, Write as _};
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

const TOKEN: &str = "attach-bench-token";
const TOKEN_VAR: &str = "ATTACH_BENCH_TOKEN";

fn main() {
    let args: Vec<String> = std::env::args().collect();
    match args.get(1).map(String::as_str) {
        Some("--serve") => serve(),
        Some("--client") => client(&args[2], &args[3], &args[4], args[5].parse().unwrap()),
        other => conduct(other.and_then(|m| m.parse().ok()).unwrap_or(20)),
    }
}

/// Starts the helpdesk and the client, and relays the client's figures.
fn conduct(mib: u64) {
    let me = std::env::current_exe().unwrap();
    let mut sim = Command::new(&me)
        .arg("--serve")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(sim.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let parts: Vec<&str> = line.split_whitespace().collect();
    let status = Command::new(&me)
        .args(["--client", parts[0], parts[1], parts[2], &mib.to_string()])
        .env(TOKEN_VAR, TOKEN)
        .status()
        .unwrap();
    drop(sim.stdin.take());
    let _ = sim.wait();
    std::process::exit(status.code().unwrap_or(1));
}

/// The simulated Enchant, until stdin closes. Prints `BASE_URL TICKET USER`.
fn serve() {
    let rt = tokio::runtime::Runtime::new().unwrap();
    rt.block_on(async {
        let config = deck_sim::SimConfig {
            seed: 3,
            tickets: 5,
            token: TOKEN.into(),
            window: Duration::from_secs(1),
            ..deck_sim::SimConfig::default()
        };
        let sim = deck_sim::start(config, ([127, 0, 0, 1], 0).into())
            .await
            .unwrap();
        let data = sim.dataset();
        println!(
            "{} {} {}",
            sim.base_url(),
            data.tickets[0].id,
            data.users[0].id
        );
        std::io::stdout().flush().unwrap();
        tokio::task::spawn_blocking(|| {
            let _ = std::io::stdin().read_to_end(&mut Vec::new());
        })
        .await
        .unwrap();
        sim.shutdown().await;
    });
}

/// `VmRSS` and `VmHWM` (peak) of this process in bytes, from /proc (Linux).
fn memory() -> Option<(u64, u64)> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let field = |name: &str| -> Option<u64> {
        let line = status.lines().find(|l| l.starts_with(name))?;
        let kb: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
        Some(kb * 1024)
    };
    Some((field("VmRSS:")?, field("VmHWM:")?))
}

fn mib(bytes: u64) -> String {
    format!("{:.1} MiB", bytes as f64 / (1024.0 * 1024.0))
}

fn client(base_url: &str, ticket: &str, user: &str, size_mib: u64) {
    let rt = tokio::runtime::Runtime::new().unwrap();
    rt.block_on(async {
        let dir = tempfile::tempdir().unwrap();
        let deck = Deck::open(&dir.path().join("data"), Arc::new(NoEvents)).unwrap();
        deck.set_attachment_limit(size_mib as u32 + 1).unwrap();
        let account = deck
            .add_account(NewAccount {
                provider: ProviderKind::Enchant,
                name: "bench".into(),
                site: None,
                base_url: Some(base_url.into()),
                token: None,
                token_env: Some(TOKEN_VAR.into()),
                rate_limit: None,
            })
            .await
            .unwrap();
        // A file of varied bytes, written a block at a time.
        let size = size_mib * 1024 * 1024;
        let path = dir.path().join("big-report.bin");
        let mut file = std::fs::File::create(&path).unwrap();
        let mut block = vec![0u8; 1 << 20];
        for i in 0..size_mib {
            for (j, b) in block.iter_mut().enumerate() {
                *b = (i as usize * 31 + j * 7 + (j >> 9)) as u8;
            }
            file.write_all(&block).unwrap();
        }
        file.sync_all().unwrap();
        drop(file);
        drop(block);

        let (rss_before, _) = memory().unwrap_or_default();
        let started = Instant::now();
        deck.enqueue(
            account.id,
            Write::CreateComment {
                comment: CommentInput {
                    ticket: IdName {
                        id: ticket.into(),
                        name: None,
                    },
                    body: Some("The report, attached.".into()),
                    is_internal: true,
                    author: Some(Author {
                        id: Some(user.into()),
                        kind: Some("user".into()),
                        ..Author::default()
                    }),
                    attachments: vec![AttachmentInput {
                        path: path.to_string_lossy().into_owned(),
                        ..AttachmentInput::default()
                    }],
                    ..CommentInput::default()
                },
            },
        )
        .unwrap();
        let report = deck.flush_outbox(account.id).await.unwrap();
        let elapsed = started.elapsed();
        assert_eq!(report.sent, 1, "the note did not land: {report:?}");
        let (_, peak) = memory().unwrap_or_default();
        let body = size.div_ceil(3) * 4;
        let growth = peak.saturating_sub(rss_before);
        // The request body (base64, 4/3 of the file) must be in memory once; everything else
        // (the file, the encoding) goes a 48 KiB chunk at a time.
        let bound = body + 16 * 1024 * 1024;
        println!("attachment: {} file, {} base64 body", mib(size), mib(body));
        println!(
            "resident before: {}; peak during the write: {} (+{})",
            mib(rss_before),
            mib(peak),
            mib(growth)
        );
        println!(
            "bound: body + 16 MiB = {} -> {}",
            mib(bound),
            if growth <= bound { "within" } else { "OVER" }
        );
        println!("time: staged, encoded, uploaded and posted in {elapsed:.2?}");
        if growth > bound {
            std::process::exit(2);
        }
    });
}
