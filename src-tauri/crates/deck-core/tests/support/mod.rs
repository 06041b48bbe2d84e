//! Shared setup for the core's integration tests: a simulated Enchant, an app on a fresh data
//! dir, and an account connected to the one with a token kept in the OS keychain (the test
//! command runs a private Secret Service).

// Each test binary uses a part of this module.
#![allow(dead_code)]

use deck_core::views::{AccountView, NewAccount, RateLimit};
use deck_core::{Deck, Events};
use deck_model::ProviderKind;
use deck_sim::{RunningSim, SimConfig};
use std::sync::Arc;
use std::time::Duration;
use tempfile::TempDir;

/// Keep every part alive for the whole test; the data dir goes with `_dir`.
pub struct Connected {
    pub sim: RunningSim,
    pub deck: Deck,
    pub account: AccountView,
    pub _dir: TempDir,
}

pub async fn connected(
    seed: u64,
    tickets: usize,
    token: &str,
    events: Arc<dyn Events>,
) -> Connected {
    let config = SimConfig {
        seed,
        tickets,
        token: token.into(),
        window: Duration::from_secs(1),
        ..SimConfig::default()
    };
    // The account works to the simulator's limits (a one-second window), as a helpdesk with
    // its own limits would be set up.
    let rate_limit = RateLimit {
        credits_per_window: config.credits_per_window,
        window_secs: 1,
        burst_per_second: Some(config.burst_per_second),
    };
    let sim = deck_sim::start(config, ([127, 0, 0, 1], 0).into())
        .await
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let deck = Deck::open(dir.path(), events).unwrap();
    let account = deck
        .add_account(NewAccount {
            provider: ProviderKind::Enchant,
            name: "acme".into(),
            site: None,
            base_url: Some(sim.base_url()),
            token: Some(token.into()),
            token_env: None,
            rate_limit: Some(rate_limit),
        })
        .await
        .unwrap();
    Connected {
        sim,
        deck,
        account,
        _dir: dir,
    }
}

/// Connected, and synced once.
pub async fn synced(seed: u64, tickets: usize, token: &str) -> Connected {
    let c = connected(seed, tickets, token, Arc::new(deck_core::NoEvents)).await;
    c.deck.sync(Some(c.account.id)).await.unwrap();
    c
}

impl Connected {
    /// Removes the account (and its keychain entry) and stops the helpdesk.
    pub async fn close(self) {
        self.deck.remove_account(self.account.id).await.unwrap();
        self.sim.shutdown().await;
    }
}
