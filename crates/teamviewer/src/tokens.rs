//! The OAuth token pair and how it is kept: one secret-store entry holding the JSON of access
//! token, refresh token and expiry, so a rotated pair replaces the old one in one write.

use std::time::Duration;

use chrono::{DateTime, Utc};
use helpatwork_net::Sensitive;
use serde::{Deserialize, Serialize};

use crate::secrets::SecretStoreError;

/// An access token with its (single-use, rotating) refresh token. Debug is redacted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct TokenSet {
    pub(crate) access: Sensitive<String>,
    pub(crate) refresh: Option<Sensitive<String>>,
    pub(crate) expires_at: Option<DateTime<Utc>>,
}

/// The stored form. Deliberately no `Debug`: it holds plain strings.
#[derive(Serialize, Deserialize)]
struct StoredTokens {
    access_token: String,
    #[serde(default)]
    refresh_token: Option<String>,
    #[serde(default)]
    expires_at: Option<DateTime<Utc>>,
}

impl TokenSet {
    /// Whether the access token is past (or within `margin` of) its announced expiry.
    pub(crate) fn needs_refresh(&self, now: DateTime<Utc>, margin: Duration) -> bool {
        let margin =
            chrono::Duration::from_std(margin).unwrap_or_else(|_| chrono::Duration::zero());
        self.expires_at.is_some_and(|at| now + margin >= at)
    }

    pub(crate) fn to_secret(&self) -> Result<Sensitive<String>, SecretStoreError> {
        let stored = StoredTokens {
            access_token: self.access.expose().clone(),
            refresh_token: self.refresh.as_ref().map(|r| r.expose().clone()),
            expires_at: self.expires_at,
        };
        serde_json::to_string(&stored)
            .map(Sensitive::new)
            .map_err(|_| SecretStoreError::Corrupt)
    }

    pub(crate) fn from_secret(secret: &Sensitive<String>) -> Result<Self, SecretStoreError> {
        let stored: StoredTokens =
            serde_json::from_str(secret.expose()).map_err(|_| SecretStoreError::Corrupt)?;
        if stored.access_token.is_empty() {
            return Err(SecretStoreError::Corrupt);
        }
        Ok(Self {
            access: Sensitive::new(stored.access_token),
            refresh: stored
                .refresh_token
                .filter(|r| !r.is_empty())
                .map(Sensitive::new),
            expires_at: stored.expires_at,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> TokenSet {
        TokenSet {
            access: Sensitive::from("acc-123"),
            refresh: Some(Sensitive::from("ref-456")),
            expires_at: DateTime::parse_from_rfc3339("2030-01-01T00:00:00Z")
                .ok()
                .map(|t| t.with_timezone(&Utc)),
        }
    }

    #[test]
    fn pair_roundtrips_through_one_secret() {
        let tokens = sample();
        let secret = tokens.to_secret().expect("serialize");
        assert!(secret.expose().contains("acc-123") && secret.expose().contains("ref-456"));
        assert_eq!(TokenSet::from_secret(&secret).expect("parse"), tokens);
        assert!(!format!("{tokens:?}").contains("acc-123"));
    }

    #[test]
    fn corrupt_secret_is_an_error_without_the_value() {
        let err = TokenSet::from_secret(&Sensitive::from("not json acc-123")).expect_err("corrupt");
        assert_eq!(err, SecretStoreError::Corrupt);
        assert!(!err.to_string().contains("acc-123"));
    }

    #[test]
    fn refresh_is_due_within_the_margin() {
        let tokens = sample();
        let at = tokens.expires_at.expect("expiry");
        let margin = Duration::from_secs(60);
        assert!(!tokens.needs_refresh(at - chrono::Duration::seconds(61), margin));
        assert!(tokens.needs_refresh(at - chrono::Duration::seconds(59), margin));
        let no_expiry = TokenSet {
            expires_at: None,
            ..tokens
        };
        assert!(!no_expiry.needs_refresh(at, margin));
    }
}
