//! Where "now" comes from.

use crate::error::{AppError, Result};

/// Where "now" comes from: the system clock, or a fixed time (`HELPATWORK_NOW`, for tests that
/// need to be 31 minutes later without waiting).
#[derive(Debug, Clone, Copy, Default)]
pub struct Clock {
    fixed: Option<chrono::DateTime<chrono::Utc>>,
}

impl Clock {
    pub fn fixed(at: chrono::DateTime<chrono::Utc>) -> Self {
        Self { fixed: Some(at) }
    }

    pub fn from_env() -> Result<Self> {
        match std::env::var("HELPATWORK_NOW")
            .ok()
            .filter(|v| !v.is_empty())
        {
            None => Ok(Self::default()),
            Some(text) => chrono::DateTime::parse_from_rfc3339(&text)
                .map(|d| Self::fixed(d.with_timezone(&chrono::Utc)))
                .map_err(|_| {
                    AppError::invalid(format!(
                        "HELPATWORK_NOW=\"{text}\" is not an RFC 3339 time."
                    ))
                }),
        }
    }

    pub fn now(&self) -> chrono::DateTime<chrono::Utc> {
        self.fixed.unwrap_or_else(chrono::Utc::now)
    }
}
