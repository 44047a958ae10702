//! Failure switches: which endpoint misbehaves, how, and how often.

use std::time::Duration;

/// The endpoints the sandbox serves. Failures are injected per endpoint.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Endpoint {
    /// `GET /api/v1/ping`
    Ping,
    /// `GET /api/v1/account`
    Account,
    /// `POST /api/v1/sessions`
    CreateSession,
    /// `GET /api/v1/sessions`
    ListSessions,
    /// `GET /api/v1/sessions/{code}`
    GetSession,
    /// `PUT /api/v1/sessions/{code}`
    UpdateSession,
    /// `POST /api/v1/oauth2/token`
    Token,
    /// `POST /api/v1/oauth2/revoke`
    Revoke,
    /// `GET /oauth2/authorize` (the login page)
    Authorize,
    /// `GET /api/v1/devices`
    ListDevices,
    /// `GET /api/v1/devices/{device_id}`
    GetDevice,
    /// `GET /api/v1/groups`
    ListGroups,
}

impl Endpoint {
    /// Which endpoint a request is for (`None`: not one the sandbox serves).
    pub fn classify(method: &str, path: &str) -> Option<Self> {
        let api = path.strip_prefix(crate::API_PREFIX);
        match (method, api, path) {
            ("GET", Some("/ping"), _) => Some(Self::Ping),
            ("GET", Some("/account"), _) => Some(Self::Account),
            ("POST", Some("/sessions"), _) => Some(Self::CreateSession),
            ("GET", Some("/sessions"), _) => Some(Self::ListSessions),
            ("GET", Some(p), _) if is_session_path(p) => Some(Self::GetSession),
            ("PUT", Some(p), _) if is_session_path(p) => Some(Self::UpdateSession),
            ("POST", Some("/oauth2/token"), _) => Some(Self::Token),
            ("POST", Some("/oauth2/revoke"), _) => Some(Self::Revoke),
            ("GET", _, crate::AUTHORIZE_PATH) => Some(Self::Authorize),
            ("GET", Some("/devices"), _) => Some(Self::ListDevices),
            ("GET", Some(p), _) if is_one_segment(p, "/devices/") => Some(Self::GetDevice),
            ("GET", Some("/groups"), _) => Some(Self::ListGroups),
            _ => None,
        }
    }
}

fn is_session_path(path: &str) -> bool {
    is_one_segment(path, "/sessions/")
}

fn is_one_segment(path: &str, prefix: &str) -> bool {
    path.strip_prefix(prefix)
        .is_some_and(|rest| !rest.is_empty() && !rest.contains('/'))
}

/// One way to misbehave.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Failure {
    /// Answer with this 5xx status before doing anything. 500 sends TeamViewer's
    /// `internal_error` body; other statuses send an HTML page, as a proxy would.
    ServerError(u16),
    /// Wait this long before handling (use a delay past the client's timeout for a timeout).
    Delay(Duration),
    /// `403 rate_limit_reached`.
    RateLimited,
    /// `403 blocked` (IP blocked).
    Blocked,
    /// `401 token_expired` (error_code 1, "The access token expired").
    TokenExpired,
    /// `401 invalid_token`.
    InvalidToken,
    /// `400 invalid_request`.
    InvalidRequest,
    /// `400 invalid_client`.
    InvalidClient,
    /// `400 email_in_use`.
    EmailInUse,
    /// `400` whose description contains "license limitations" (meant for session create).
    LicenceLimit,
    /// Handle the request, then answer 200 with a body that is not JSON.
    MalformedJson,
    /// Handle the request, then answer with the first half of the JSON body.
    TruncatedBody,
    /// Handle the request, then add fields TeamViewer did not document to the JSON.
    ExtraFields,
    /// Handle the request, then pad the JSON body with whitespace up to this many bytes.
    Oversized(usize),
}

impl Failure {
    /// Failures that answer instead of the handler.
    pub(crate) fn replaces_handler(&self) -> bool {
        !matches!(
            self,
            Self::Delay(_)
                | Self::MalformedJson
                | Self::TruncatedBody
                | Self::ExtraFields
                | Self::Oversized(_)
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classifies_every_endpoint() {
        let cases = [
            ("GET", "/api/v1/ping", Some(Endpoint::Ping)),
            ("GET", "/api/v1/account", Some(Endpoint::Account)),
            ("POST", "/api/v1/sessions", Some(Endpoint::CreateSession)),
            ("GET", "/api/v1/sessions", Some(Endpoint::ListSessions)),
            (
                "GET",
                "/api/v1/sessions/s12-345-678",
                Some(Endpoint::GetSession),
            ),
            (
                "PUT",
                "/api/v1/sessions/s12-345-678",
                Some(Endpoint::UpdateSession),
            ),
            ("POST", "/api/v1/oauth2/token", Some(Endpoint::Token)),
            ("POST", "/api/v1/oauth2/revoke", Some(Endpoint::Revoke)),
            ("GET", "/oauth2/authorize", Some(Endpoint::Authorize)),
            ("GET", "/api/v1/devices", Some(Endpoint::ListDevices)),
            ("GET", "/api/v1/devices/d123", Some(Endpoint::GetDevice)),
            ("GET", "/api/v1/groups", Some(Endpoint::ListGroups)),
            ("DELETE", "/api/v1/sessions/s12-345-678", None),
            ("GET", "/api/v1/sessions/a/b", None),
        ];
        for (method, path, expected) in cases {
            assert_eq!(
                Endpoint::classify(method, path),
                expected,
                "{method} {path}"
            );
        }
    }
}
