//! API tokens: in the OS keychain (Secret Service on Linux), or read from an environment
//! variable the user named. Never written anywhere else, never put in a message.

use crate::views::TokenSource;
use deck_model::{ErrorCode, UnifiedError};

const SERVICE: &str = "ticketdeck";

/// An account's keychain entry. `scope` tells caches apart (each data directory numbers its
/// accounts from 1), so two caches never read each other's tokens.
fn entry(scope: &str, account_id: i64) -> Result<keyring::Entry, UnifiedError> {
    keyring::Entry::new(SERVICE, &format!("{scope}/account-{account_id}")).map_err(keychain_error)
}

fn keychain_error(e: keyring::Error) -> UnifiedError {
    let why = match e {
        keyring::Error::NoStorageAccess(_) => {
            "the keychain is locked or refused access".to_string()
        }
        keyring::Error::PlatformFailure(_) => {
            "no keychain is running (on Linux: a Secret Service such as gnome-keyring)".to_string()
        }
        other => other.to_string(),
    };
    UnifiedError::new(
        ErrorCode::Keychain,
        format!(
            "cannot use the OS keychain: {why}; or give the token through an environment variable (--token-env)"
        ),
    )
}

/// Stores an account's token in the keychain.
pub(crate) fn store_token(scope: &str, account_id: i64, token: &str) -> Result<(), UnifiedError> {
    entry(scope, account_id)?
        .set_password(token)
        .map_err(keychain_error)
}

/// Removes an account's token from the keychain; a missing one is fine.
pub(crate) fn forget_token(scope: &str, account_id: i64) -> Result<(), UnifiedError> {
    match entry(scope, account_id)?.delete_credential() {
        Ok(()) | Err(keyring::Error::NoEntry) => Ok(()),
        Err(e) => Err(keychain_error(e)),
    }
}

/// The token of an account, from wherever it lives.
pub(crate) fn token(
    scope: &str,
    account_id: i64,
    source: &TokenSource,
) -> Result<String, UnifiedError> {
    match source {
        TokenSource::Keychain => match entry(scope, account_id)?.get_password() {
            Ok(t) => Ok(t),
            Err(keyring::Error::NoEntry) => Err(UnifiedError::new(
                ErrorCode::AuthFailed,
                "the keychain holds no token for this account: remove it and add it again",
            )),
            Err(e) => Err(keychain_error(e)),
        },
        TokenSource::Env { var } => match std::env::var(var) {
            Ok(t) if !t.trim().is_empty() => Ok(t.trim().to_string()),
            _ => Err(UnifiedError::new(
                ErrorCode::AuthFailed,
                format!("the environment variable {var} holding this account's token is not set"),
            )),
        },
        TokenSource::Demo => Ok(deck_sim::SimConfig::demo().token),
    }
}
