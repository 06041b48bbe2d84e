//! Turning lower layers' errors into `UnifiedError`s.

use deck_model::{ErrorCode, FieldFailure, UnifiedError};

pub(crate) fn store(e: deck_store::StoreError) -> UnifiedError {
    match e {
        deck_store::StoreError::Constraint(m) => UnifiedError::new(ErrorCode::Validation, m),
        deck_store::StoreError::BadCursor => UnifiedError::new(
            ErrorCode::Validation,
            "the cursor is not one this cache gave out",
        ),
        other => UnifiedError::new(ErrorCode::Internal, other.to_string()),
    }
}

pub(crate) fn validation(field: &str, message: impl Into<String>) -> UnifiedError {
    let message = message.into();
    let mut e = UnifiedError::new(ErrorCode::Validation, format!("{field}: {message}"));
    e.failures.push(FieldFailure {
        field: field.to_string(),
        message,
    });
    e
}

pub(crate) fn not_found(what: impl Into<String>) -> UnifiedError {
    UnifiedError::new(ErrorCode::NotFound, what)
}
