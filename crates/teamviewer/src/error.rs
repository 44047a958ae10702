//! Typed errors with a stable `code()` and a user-facing `fix()`.
//!
//! TeamViewer's documented error body is `{error, error_description, error_code, error_signature?}`
//! (docs/reference/teamviewer-web-api.md §5). Messages never contain a token, a client secret or a response body: only our
//! own text, HTTP statuses, TeamViewer's `error_description` (trimmed) and its `error_signature`
//! (a support correlation id).

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::secrets::SecretStoreError;

/// The stable, machine-readable error code (snake_case). The UI branches on it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum ErrorCode {
    NotConfigured,
    SignInNeeded,
    TokenExpired,
    InvalidToken,
    InvalidRequest,
    InvalidClient,
    RateLimited,
    Blocked,
    LicenceLimit,
    EmailInUse,
    NotFound,
    InternalError,
    ServiceUnavailable,
    Timeout,
    ConnectionFailed,
    MalformedResponse,
    UnexpectedResponse,
    OauthStateMismatch,
    OauthCancelled,
    OauthTimeout,
    OauthDenied,
    OauthRedirectInvalid,
    BrowserOpenFailed,
    SecretStoreUnavailable,
}

impl ErrorCode {
    /// The snake_case wire form, e.g. `"licence_limit"`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::NotConfigured => "not_configured",
            Self::SignInNeeded => "sign_in_needed",
            Self::TokenExpired => "token_expired",
            Self::InvalidToken => "invalid_token",
            Self::InvalidRequest => "invalid_request",
            Self::InvalidClient => "invalid_client",
            Self::RateLimited => "rate_limited",
            Self::Blocked => "blocked",
            Self::LicenceLimit => "licence_limit",
            Self::EmailInUse => "email_in_use",
            Self::NotFound => "not_found",
            Self::InternalError => "internal_error",
            Self::ServiceUnavailable => "service_unavailable",
            Self::Timeout => "timeout",
            Self::ConnectionFailed => "connection_failed",
            Self::MalformedResponse => "malformed_response",
            Self::UnexpectedResponse => "unexpected_response",
            Self::OauthStateMismatch => "oauth_state_mismatch",
            Self::OauthCancelled => "oauth_cancelled",
            Self::OauthTimeout => "oauth_timeout",
            Self::OauthDenied => "oauth_denied",
            Self::OauthRedirectInvalid => "oauth_redirect_invalid",
            Self::BrowserOpenFailed => "browser_open_failed",
            Self::SecretStoreUnavailable => "secret_store_unavailable",
        }
    }
}

impl fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Everything that can go wrong talking to TeamViewer.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum TeamViewerError {
    #[error("TeamViewer is not configured: {missing} is not set")]
    NotConfigured { missing: &'static str },
    #[error("The TeamViewer setting {name} is not valid: {detail}")]
    InvalidConfig { name: &'static str, detail: String },
    #[error("Not signed in to TeamViewer")]
    SignInNeeded,
    #[error("The TeamViewer access token expired")]
    TokenExpired,
    #[error("TeamViewer rejected the access token (invalid, revoked or missing permissions)")]
    InvalidToken,
    #[error("TeamViewer rejected the request: {description}")]
    InvalidRequest {
        description: String,
        signature: Option<String>,
    },
    #[error("TeamViewer rejected this app's client ID or client secret")]
    InvalidClient,
    #[error("The TeamViewer rate limit for this function is reached")]
    RateLimited,
    #[error("TeamViewer blocked requests from this network address")]
    Blocked,
    #[error(
        "The TeamViewer licence allows no more concurrent sessions; \
         close one before starting another"
    )]
    LicenceLimit { signature: Option<String> },
    #[error("This e-mail address is already used by a TeamViewer account")]
    EmailInUse,
    #[error("TeamViewer does not know this {what}")]
    NotFound { what: &'static str },
    #[error("TeamViewer had an internal error")]
    InternalError { signature: Option<String> },
    #[error("TeamViewer is unavailable (HTTP {status})")]
    ServiceUnavailable { status: u16 },
    #[error("TeamViewer did not answer in time")]
    Timeout,
    #[error("Could not connect to TeamViewer")]
    ConnectionFailed,
    #[error("TeamViewer sent a response this app cannot read: {detail}")]
    MalformedResponse { detail: String },
    #[error("TeamViewer answered HTTP {status} ({error})")]
    UnexpectedResponse { status: u16, error: String },
    #[error("The sign-in response did not match the sign-in this app started")]
    OauthStateMismatch,
    #[error("The TeamViewer sign-in was cancelled")]
    OauthCancelled,
    #[error("The TeamViewer sign-in was not finished in time")]
    OauthTimeout,
    #[error("The TeamViewer sign-in was refused: {reason}")]
    OauthDenied { reason: String },
    #[error("The sign-in redirect was not valid: {detail}")]
    OauthRedirectInvalid { detail: String },
    #[error("Could not open the web browser: {detail}")]
    BrowserOpenFailed { detail: String },
    #[error(transparent)]
    SecretStore(#[from] SecretStoreError),
}

impl TeamViewerError {
    /// The stable code the UI branches on.
    pub fn code(&self) -> ErrorCode {
        match self {
            Self::NotConfigured { .. } | Self::InvalidConfig { .. } => ErrorCode::NotConfigured,
            Self::SignInNeeded => ErrorCode::SignInNeeded,
            Self::TokenExpired => ErrorCode::TokenExpired,
            Self::InvalidToken => ErrorCode::InvalidToken,
            Self::InvalidRequest { .. } => ErrorCode::InvalidRequest,
            Self::InvalidClient => ErrorCode::InvalidClient,
            Self::RateLimited => ErrorCode::RateLimited,
            Self::Blocked => ErrorCode::Blocked,
            Self::LicenceLimit { .. } => ErrorCode::LicenceLimit,
            Self::EmailInUse => ErrorCode::EmailInUse,
            Self::NotFound { .. } => ErrorCode::NotFound,
            Self::InternalError { .. } => ErrorCode::InternalError,
            Self::ServiceUnavailable { .. } => ErrorCode::ServiceUnavailable,
            Self::Timeout => ErrorCode::Timeout,
            Self::ConnectionFailed => ErrorCode::ConnectionFailed,
            Self::MalformedResponse { .. } => ErrorCode::MalformedResponse,
            Self::UnexpectedResponse { .. } => ErrorCode::UnexpectedResponse,
            Self::OauthStateMismatch => ErrorCode::OauthStateMismatch,
            Self::OauthCancelled => ErrorCode::OauthCancelled,
            Self::OauthTimeout => ErrorCode::OauthTimeout,
            Self::OauthDenied { .. } => ErrorCode::OauthDenied,
            Self::OauthRedirectInvalid { .. } => ErrorCode::OauthRedirectInvalid,
            Self::BrowserOpenFailed { .. } => ErrorCode::BrowserOpenFailed,
            Self::SecretStore(_) => ErrorCode::SecretStoreUnavailable,
        }
    }

    /// One sentence telling the user what to do.
    pub fn fix(&self) -> &'static str {
        match self.code() {
            ErrorCode::NotConfigured => {
                "Set HELPATWORK_TEAMVIEWER_CLIENT_ID and HELPATWORK_TEAMVIEWER_CLIENT_SECRET \
                 for a TeamViewer app, or HELPATWORK_TEAMVIEWER_TOKEN for a script token \
                 (see docs/teamviewer.md)."
            }
            ErrorCode::SignInNeeded => "Sign in to TeamViewer.",
            ErrorCode::TokenExpired => {
                "Sign in to TeamViewer again (with a script token: create a new one)."
            }
            ErrorCode::InvalidToken => {
                "Sign in to TeamViewer again; with a script token, check \
                 HELPATWORK_TEAMVIEWER_TOKEN and the token's permissions."
            }
            ErrorCode::InvalidRequest => {
                "Check the values you entered; if it keeps happening, report it with the \
                 error signature."
            }
            ErrorCode::InvalidClient => {
                "Check the client ID and client secret of the TeamViewer app \
                 (Management Console → profile → Apps)."
            }
            ErrorCode::RateLimited => {
                "Wait a few minutes and try again: TeamViewer limits calls per hour or day \
                 by licence."
            }
            ErrorCode::Blocked => {
                "TeamViewer blocked this network address: ask your TeamViewer admin, or try \
                 from another network."
            }
            ErrorCode::LicenceLimit => {
                "Close a TeamViewer session you no longer need, or ask your TeamViewer admin \
                 for more concurrent sessions."
            }
            ErrorCode::EmailInUse => "Use another e-mail address.",
            ErrorCode::NotFound => "Refresh the list: the session may be gone.",
            ErrorCode::InternalError => {
                "Try again in a moment; if it persists, give the error signature to \
                 TeamViewer support."
            }
            ErrorCode::ServiceUnavailable => {
                "Try again in a moment: TeamViewer is not reachable right now."
            }
            ErrorCode::Timeout => "Check the network connection and try again.",
            ErrorCode::ConnectionFailed => {
                "Check the network connection (and proxy settings) and try again."
            }
            ErrorCode::MalformedResponse | ErrorCode::UnexpectedResponse => {
                "Try again; if it persists, report it: TeamViewer may have changed its API."
            }
            ErrorCode::OauthStateMismatch => {
                "Start the sign-in again from this app: a sign-in answer it did not ask for \
                 was rejected."
            }
            ErrorCode::OauthCancelled => "Start the sign-in again when you are ready.",
            ErrorCode::OauthTimeout => {
                "Start the sign-in again and finish it in the browser window."
            }
            ErrorCode::OauthDenied => {
                "Start the sign-in again and allow the permissions the app asks for."
            }
            ErrorCode::OauthRedirectInvalid => "Start the sign-in again.",
            ErrorCode::BrowserOpenFailed => {
                "Set a default web browser and sign in again; on the command line, \
                 `helpatwork auth login --no-browser` prints the address to open by hand."
            }
            ErrorCode::SecretStoreUnavailable => {
                "Unlock or start the system keyring (Keychain, Credential Manager, or GNOME \
                 Keyring/KWallet on Linux) and try again."
            }
        }
    }

    /// TeamViewer's `error_signature` (support correlation id), when it sent one.
    pub fn signature(&self) -> Option<&str> {
        match self {
            Self::InvalidRequest { signature, .. }
            | Self::LicenceLimit { signature }
            | Self::InternalError { signature } => signature.as_deref(),
            _ => None,
        }
    }

    pub(crate) fn malformed(detail: impl Into<String>) -> Self {
        Self::MalformedResponse {
            detail: detail.into(),
        }
    }

    /// Maps an HTTP error status and its (capped) body to a typed error.
    pub(crate) fn from_response(status: u16, body: &[u8]) -> Self {
        let parsed: Option<ErrorBody> = serde_json::from_slice(body).ok();
        let (error, description, signature) = match parsed {
            Some(b) => (
                Some(b.error),
                b.error_description.map(|d| tidy(&d)),
                b.error_signature.map(|s| tidy(&s)),
            ),
            None => (None, None, None),
        };
        let mentions_licence = |text: Option<&str>| {
            text.is_some_and(|t| t.to_ascii_lowercase().contains("license limitation"))
        };
        if status == 400
            && (mentions_licence(description.as_deref()) || mentions_licence(error.as_deref()))
        {
            return Self::LicenceLimit { signature };
        }
        match error.as_deref() {
            Some("token_expired") => return Self::TokenExpired,
            Some("invalid_token") => return Self::InvalidToken,
            Some("rate_limit_reached") => return Self::RateLimited,
            Some("blocked") => return Self::Blocked,
            Some("invalid_client") => return Self::InvalidClient,
            Some("email_in_use") => return Self::EmailInUse,
            Some("internal_error") => return Self::InternalError { signature },
            Some("invalid_request") => {
                return Self::InvalidRequest {
                    description: description.unwrap_or_else(|| "invalid request".to_owned()),
                    signature,
                }
            }
            _ => {}
        }
        match status {
            401 => Self::InvalidToken,
            404 => Self::NotFound { what: "resource" },
            400 => Self::InvalidRequest {
                description: description
                    .or(error)
                    .unwrap_or_else(|| "HTTP 400 without details".to_owned()),
                signature,
            },
            500 => Self::InternalError { signature },
            501..=599 => Self::ServiceUnavailable { status },
            _ => Self::UnexpectedResponse {
                status,
                error: error.map_or_else(|| "no error body".to_owned(), |e| tidy(&e)),
            },
        }
    }
}

/// TeamViewer's documented error body (docs/reference/teamviewer-web-api.md §5).
#[derive(Debug, Deserialize)]
struct ErrorBody {
    error: String,
    #[serde(default)]
    error_description: Option<String>,
    #[allow(dead_code)] // Documented and parsed, but the `error` string is what we branch on.
    #[serde(default)]
    error_code: Option<i64>,
    #[serde(default)]
    error_signature: Option<String>,
}

/// Server text shown to the user: single line, printable, at most 300 characters.
fn tidy(text: &str) -> String {
    text.chars().filter(|c| !c.is_control()).take(300).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_stable_snake_case() {
        let json = serde_json::to_string(&[
            ErrorCode::LicenceLimit,
            ErrorCode::RateLimited,
            ErrorCode::OauthStateMismatch,
            ErrorCode::SecretStoreUnavailable,
        ])
        .expect("serialize codes");
        assert_eq!(
            json,
            r#"["licence_limit","rate_limited","oauth_state_mismatch","secret_store_unavailable"]"#
        );
        assert_eq!(ErrorCode::MalformedResponse.as_str(), "malformed_response");
    }

    #[test]
    fn token_expired_body_maps_to_token_expired() {
        let body =
            br#"{"error":"token_expired","error_code":1,"error_description":"The access token expired"}"#;
        assert_eq!(
            TeamViewerError::from_response(401, body),
            TeamViewerError::TokenExpired
        );
    }

    #[test]
    fn licence_text_wins_over_invalid_request() {
        let body = br#"{"error":"invalid_request","error_code":3,"error_description":"Session could not be created due to license limitations.","error_signature":"sig-1"}"#;
        let err = TeamViewerError::from_response(400, body);
        assert_eq!(err.code(), ErrorCode::LicenceLimit);
        assert_eq!(err.signature(), Some("sig-1"));
        assert!(err
            .to_string()
            .starts_with("The TeamViewer licence allows no more concurrent sessions"));
    }

    #[test]
    fn non_json_error_bodies_map_by_status() {
        assert_eq!(
            TeamViewerError::from_response(502, b"<html>bad gateway</html>").code(),
            ErrorCode::ServiceUnavailable
        );
        assert_eq!(
            TeamViewerError::from_response(500, b"").code(),
            ErrorCode::InternalError
        );
        assert_eq!(
            TeamViewerError::from_response(401, b"").code(),
            ErrorCode::InvalidToken
        );
        assert_eq!(
            TeamViewerError::from_response(418, b"").code(),
            ErrorCode::UnexpectedResponse
        );
    }

    #[test]
    fn server_text_is_trimmed() {
        let long = "x".repeat(1000);
        let body = format!(r#"{{"error":"invalid_request","error_description":"{long}\n"}}"#);
        match TeamViewerError::from_response(400, body.as_bytes()) {
            TeamViewerError::InvalidRequest { description, .. } => {
                assert_eq!(description.len(), 300);
            }
            other => panic!("unexpected {other:?}"),
        }
    }

    #[test]
    fn every_code_has_a_fix() {
        let errors = [
            TeamViewerError::SignInNeeded,
            TeamViewerError::Timeout,
            TeamViewerError::LicenceLimit { signature: None },
            TeamViewerError::OauthCancelled,
        ];
        for e in errors {
            assert!(e.fix().ends_with('.'), "{:?}", e.code());
        }
    }
}
