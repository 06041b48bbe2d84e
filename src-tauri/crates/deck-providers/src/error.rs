//! What can go wrong talking to a helpdesk. Messages name the endpoint, never the token.

use deck_model::{ErrorCode, UnifiedError};

#[derive(Debug, Clone, thiserror::Error)]
pub enum ProviderError {
    #[error("the helpdesk refused the credentials ({endpoint} answered {status})")]
    Auth { endpoint: String, status: u16 },
    #[error("the helpdesk could not be reached at {endpoint}: {reason}")]
    Offline { endpoint: String, reason: String },
    /// The request may have reached the helpdesk, but its answer never came back: whether the
    /// helpdesk did the work is unknown.
    #[error("the answer from {endpoint} was lost: {reason}")]
    AnswerLost { endpoint: String, reason: String },
    #[error("the helpdesk's rate limit is spent; retry after {retry_after_secs} s")]
    RateLimited { retry_after_secs: u64 },
    #[error("{endpoint} was not found")]
    NotFound { endpoint: String },
    #[error("{endpoint} rejected the request: {message}")]
    Rejected {
        endpoint: String,
        status: u16,
        message: String,
    },
    #[error("{endpoint} answered something unexpected at `{field}`: {detail}")]
    Malformed {
        endpoint: String,
        field: String,
        detail: String,
    },
    #[error("the helpdesk failed ({endpoint} answered {status})")]
    Upstream { endpoint: String, status: u16 },
    #[error("{0}")]
    Refused(String),
}

impl ProviderError {
    pub fn code(&self) -> ErrorCode {
        match self {
            ProviderError::Auth { .. } => ErrorCode::AuthFailed,
            ProviderError::Offline { .. } | ProviderError::AnswerLost { .. } => ErrorCode::Offline,
            ProviderError::RateLimited { .. } => ErrorCode::RateLimited,
            ProviderError::NotFound { .. } => ErrorCode::NotFound,
            ProviderError::Rejected { status: 422, .. } => ErrorCode::Validation,
            ProviderError::Rejected { .. } => ErrorCode::Malformed,
            ProviderError::Malformed { .. } => ErrorCode::Malformed,
            ProviderError::Upstream { .. } => ErrorCode::Upstream,
            ProviderError::Refused(_) => ErrorCode::Refused,
        }
    }
}

impl From<ProviderError> for UnifiedError {
    fn from(e: ProviderError) -> Self {
        let mut u = UnifiedError::new(e.code(), e.to_string());
        if let ProviderError::RateLimited { retry_after_secs } = e {
            let at = chrono::Utc::now() + chrono::Duration::seconds(retry_after_secs as i64);
            u.retry_at = Some(at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true));
        }
        u
    }
}
