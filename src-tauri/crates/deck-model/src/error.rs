//! Error codes every layer agrees on, and the unified error shape that crosses IPC and the CLI.

use serde::{Deserialize, Serialize};
use std::fmt;
use ts_rs::TS;

/// What went wrong, as the UI branches on it. Never branch on message text.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    /// The helpdesk refused the credentials.
    AuthFailed,
    /// The helpdesk could not be reached.
    Offline,
    /// The helpdesk's rate limit is spent; `retry_at` says until when.
    RateLimited,
    NotFound,
    Conflict,
    /// The input is invalid; `failures` names each field.
    Validation,
    /// The helpdesk answered something that does not match its documentation.
    Malformed,
    /// No keychain is available to hold the secret.
    Keychain,
    /// A URL or setting is refused (e.g. plain `http://` to a non-loopback host).
    Refused,
    /// The helpdesk failed (5xx).
    Upstream,
    Internal,
}

impl ErrorCode {
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorCode::AuthFailed => "auth_failed",
            ErrorCode::Offline => "offline",
            ErrorCode::RateLimited => "rate_limited",
            ErrorCode::NotFound => "not_found",
            ErrorCode::Conflict => "conflict",
            ErrorCode::Validation => "validation",
            ErrorCode::Malformed => "malformed",
            ErrorCode::Keychain => "keychain",
            ErrorCode::Refused => "refused",
            ErrorCode::Upstream => "upstream",
            ErrorCode::Internal => "internal",
        }
    }
}

impl fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One invalid field.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct FieldFailure {
    pub field: String,
    pub message: String,
}

/// The error shape that crosses IPC: `{code, message}`, plus the retry time for
/// `rate_limited` and per-field failures for `validation`. Messages never contain secrets.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct UnifiedError {
    pub code: ErrorCode,
    pub message: String,
    /// RFC 3339 time after which a retry may succeed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub retry_at: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[ts(type = "FieldFailure[]", optional)]
    pub failures: Vec<FieldFailure>,
}

impl UnifiedError {
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        UnifiedError {
            code,
            message: message.into(),
            retry_at: None,
            failures: Vec::new(),
        }
    }
}

impl fmt::Display for UnifiedError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.code, self.message)
    }
}

impl std::error::Error for UnifiedError {}
