//! API outcomes: successful replies and the documented 4xx errors (`{"message": ...}`,
//! 422 with an `errors` array).

use axum::http::StatusCode;
use serde_json::{Value, json};

/// What a handler answers, before the rate-limit headers, field filtering and enveloping.
#[derive(Debug)]
pub struct Reply {
    pub status: StatusCode,
    /// JSON body; `None` for 204 and 5xx.
    pub body: Option<Value>,
    /// Absolute URL of a created resource (201).
    pub location: Option<String>,
    /// Value of `Total-Count` when the client asked `count=true` on a collection.
    pub total_count: Option<u64>,
    /// `Retry-After` seconds (only on injected 429s: Enchant documents no such header).
    pub retry_after: Option<u32>,
}

impl Reply {
    pub fn ok(body: Value) -> Self {
        Self {
            status: StatusCode::OK,
            body: Some(body),
            location: None,
            total_count: None,
            retry_after: None,
        }
    }

    pub fn created(body: Value, location: String) -> Self {
        Self {
            status: StatusCode::CREATED,
            body: Some(body),
            location: Some(location),
            total_count: None,
            retry_after: None,
        }
    }

    pub fn no_content() -> Self {
        Self {
            status: StatusCode::NO_CONTENT,
            body: None,
            location: None,
            total_count: None,
            retry_after: None,
        }
    }

    /// A 5xx without body, as the doc states for server errors.
    pub fn server_error(status: StatusCode) -> Self {
        Self {
            status,
            body: None,
            location: None,
            total_count: None,
            retry_after: None,
        }
    }

    pub fn with_total(mut self, total: Option<u64>) -> Self {
        self.total_count = total;
        self
    }
}

/// A 4xx answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiError {
    pub status: StatusCode,
    pub message: String,
    /// Validation failures (422 only).
    pub errors: Vec<String>,
}

pub type ApiResult = Result<Reply, ApiError>;

impl ApiError {
    fn new(status: StatusCode, message: impl Into<String>) -> Self {
        Self {
            status,
            message: message.into(),
            errors: Vec::new(),
        }
    }

    pub fn bad_request(message: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, message)
    }

    pub fn unauthorized() -> Self {
        Self::new(StatusCode::UNAUTHORIZED, "Unauthorized")
    }

    pub fn not_found() -> Self {
        Self::new(StatusCode::NOT_FOUND, "Not Found")
    }

    pub fn unsupported_media_type() -> Self {
        Self::new(StatusCode::UNSUPPORTED_MEDIA_TYPE, "Unsupported Media Type")
    }

    /// 413: the doc lists no such status, but any server refuses bodies past a limit; the
    /// body is the documented 4xx shape.
    pub fn payload_too_large(limit: usize) -> Self {
        Self::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            format!("Request body larger than {} MB", limit >> 20),
        )
    }

    pub fn too_many_requests() -> Self {
        Self::new(StatusCode::TOO_MANY_REQUESTS, "Too Many Requests")
    }

    pub fn validation(errors: Vec<String>) -> Self {
        Self {
            status: StatusCode::UNPROCESSABLE_ENTITY,
            message: "Validation Failed".to_string(),
            errors,
        }
    }

    pub fn body(&self) -> Value {
        if self.errors.is_empty() {
            json!({ "message": self.message })
        } else {
            let errors: Vec<Value> = self
                .errors
                .iter()
                .map(|e| json!({ "message": e }))
                .collect();
            json!({ "message": self.message, "errors": errors })
        }
    }
}

impl From<ApiError> for Reply {
    fn from(e: ApiError) -> Self {
        Reply {
            status: e.status,
            body: Some(e.body()),
            location: None,
            total_count: None,
            retry_after: None,
        }
    }
}

/// Collects validation failures of a write; turns into a 422 when any.
#[derive(Debug, Default)]
pub struct Validation {
    errors: Vec<String>,
}

impl Validation {
    pub fn fail(&mut self, message: impl Into<String>) {
        self.errors.push(message.into());
    }

    pub fn is_ok(&self) -> bool {
        self.errors.is_empty()
    }

    pub fn finish(self) -> Result<(), ApiError> {
        if self.errors.is_empty() {
            Ok(())
        } else {
            Err(ApiError::validation(self.errors))
        }
    }

    pub fn into_errors(self) -> Vec<String> {
        self.errors
    }
}
