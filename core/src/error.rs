//! The one validation error type: which field, a stable code, and a message
//! an integrator can read.

use serde::{Deserialize, Serialize};

/// A request field that failed validation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[error("{field}: {message}")]
pub struct FieldError {
    /// Dotted path of the field, e.g. `transaction.amount`.
    pub field: String,
    /// Stable machine-readable code, e.g. `INVALID_COLOR`.
    pub code: String,
    /// Human-readable explanation for integrators (English).
    pub message: String,
}

impl FieldError {
    /// Builds an error for `field` with a stable `code` and a message.
    pub fn new(field: impl Into<String>, code: &str, message: impl Into<String>) -> Self {
        Self {
            field: field.into(),
            code: code.to_string(),
            message: message.into(),
        }
    }

    /// Prefixes the field path, so nested objects report `parent.child`.
    pub fn within(mut self, parent: &str) -> Self {
        self.field = format!("{parent}.{}", self.field);
        self
    }
}
