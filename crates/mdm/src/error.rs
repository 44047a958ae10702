//! Typed errors with a stable `code()` and a user-facing `fix()`.
//!
//! Messages never contain the password, the `Authorization` header or a raw response body:
//! only our own text, HTTP statuses, and the `message` strings of Ivanti's documented
//! `fieldErrors` (trimmed).

use std::fmt;

use serde::Serialize;

/// Longest server-provided text kept in an error message.
const MAX_SERVER_TEXT: usize = 300;

/// The stable, machine-readable error code (snake_case). The UI and CLI branch on it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum ErrorCode {
    NotConfigured,
    Unauthorized,
    Forbidden,
    NotFound,
    InvalidRequest,
    RateLimited,
    ServerError,
    Timeout,
    ConnectionFailed,
    MalformedResponse,
    UnexpectedResponse,
    Unsupported,
}

impl ErrorCode {
    pub const ALL: [ErrorCode; 12] = [
        ErrorCode::NotConfigured,
        ErrorCode::Unauthorized,
        ErrorCode::Forbidden,
        ErrorCode::NotFound,
        ErrorCode::InvalidRequest,
        ErrorCode::RateLimited,
        ErrorCode::ServerError,
        ErrorCode::Timeout,
        ErrorCode::ConnectionFailed,
        ErrorCode::MalformedResponse,
        ErrorCode::UnexpectedResponse,
        ErrorCode::Unsupported,
    ];

    /// The snake_case wire form, e.g. `"rate_limited"`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::NotConfigured => "not_configured",
            Self::Unauthorized => "unauthorized",
            Self::Forbidden => "forbidden",
            Self::NotFound => "not_found",
            Self::InvalidRequest => "invalid_request",
            Self::RateLimited => "rate_limited",
            Self::ServerError => "server_error",
            Self::Timeout => "timeout",
            Self::ConnectionFailed => "connection_failed",
            Self::MalformedResponse => "malformed_response",
            Self::UnexpectedResponse => "unexpected_response",
            Self::Unsupported => "unsupported",
        }
    }
}

impl fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What a connector was asked to do; names the operation in `unsupported` errors.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Operation {
    ListDevices,
    ForceCheckin,
    DistributeApp,
    ManagedAppConfig,
}

impl Operation {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::ListDevices => "list_devices",
            Self::ForceCheckin => "force_checkin",
            Self::DistributeApp => "distribute_app",
            Self::ManagedAppConfig => "managed_app_config",
        }
    }

    fn describe(self) -> &'static str {
        match self {
            Self::ListDevices => "listing devices",
            Self::ForceCheckin => "forcing a check-in",
            Self::DistributeApp => "distributing or un-distributing an app",
            Self::ManagedAppConfig => "writing a managed app configuration",
        }
    }
}

/// Everything that can go wrong talking to an MDM.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum MdmError {
    #[error("The MDM connector is not configured: {missing} is not set")]
    NotConfigured { missing: &'static str },
    #[error("The MDM setting {name} is not valid: {detail}")]
    InvalidConfig { name: &'static str, detail: String },
    #[error("{mdm} rejected the API user name or password")]
    Unauthorized { mdm: &'static str },
    #[error("{mdm} refused the request: the API user lacks a role for it")]
    Forbidden { mdm: &'static str },
    #[error("{mdm} does not know the device {device_id}")]
    DeviceNotFound {
        mdm: &'static str,
        device_id: String,
    },
    #[error("{mdm} answered \"not found\" for {what}")]
    NotFound { mdm: &'static str, what: String },
    #[error("{mdm} rejected the request: {message}")]
    InvalidRequest { mdm: &'static str, message: String },
    #[error("{mdm} is limiting the request rate")]
    RateLimited { mdm: &'static str },
    #[error("{mdm} had a server error (HTTP {status})")]
    ServerError { mdm: &'static str, status: u16 },
    #[error("{mdm} did not answer in time")]
    Timeout { mdm: &'static str },
    #[error("Could not connect to {mdm}")]
    ConnectionFailed { mdm: &'static str },
    #[error("{mdm} sent a response this app cannot read: {detail}")]
    MalformedResponse { mdm: &'static str, detail: String },
    #[error("{mdm} answered with an unexpected HTTP {status}")]
    UnexpectedResponse { mdm: &'static str, status: u16 },
    /// The embedded fleet's store failed (the MDM is the app's own database).
    #[error("{mdm} could not read or write the store: {detail}")]
    Storage { mdm: &'static str, detail: String },
    #[error("{mdm} has no documented API for {}", operation.describe())]
    Unsupported {
        mdm: &'static str,
        operation: Operation,
    },
    /// Microsoft Graph answered 403: the app registration lacks the application permission
    /// the call needs (`permissions`: the ones the reference accepts for it).
    #[error("{mdm} refused the request: the app registration lacks the Microsoft Graph application permission {permissions}")]
    MissingPermission {
        mdm: &'static str,
        permissions: &'static str,
    },
    /// The OAuth sign-in was refused (`detail`: the identity platform's error and AADSTS code).
    #[error("{mdm} refused the sign-in: {detail}")]
    SignInRefused { mdm: &'static str, detail: String },
    /// The app inventory (Ivanti's CPS API, its own user and role) failed; `source` says how.
    #[error("The app inventory could not be read: {source}")]
    Inventory { source: Box<MdmError> },
    /// The device groups (labels; Ivanti's CPS API, *Get device groups associated with device
    /// list*) could not be read; `source` says how. The labels stay unknown, never "none".
    #[error("The device groups (labels) could not be read: {source}")]
    DeviceGroups { source: Box<MdmError> },
}

impl MdmError {
    /// The stable code the UI branches on.
    pub fn code(&self) -> ErrorCode {
        match self {
            Self::NotConfigured { .. } | Self::InvalidConfig { .. } => ErrorCode::NotConfigured,
            Self::Unauthorized { .. } | Self::SignInRefused { .. } => ErrorCode::Unauthorized,
            Self::Forbidden { .. } | Self::MissingPermission { .. } => ErrorCode::Forbidden,
            Self::DeviceNotFound { .. } | Self::NotFound { .. } => ErrorCode::NotFound,
            Self::InvalidRequest { .. } => ErrorCode::InvalidRequest,
            Self::RateLimited { .. } => ErrorCode::RateLimited,
            Self::ServerError { .. } | Self::Storage { .. } => ErrorCode::ServerError,
            Self::Timeout { .. } => ErrorCode::Timeout,
            Self::ConnectionFailed { .. } => ErrorCode::ConnectionFailed,
            Self::MalformedResponse { .. } => ErrorCode::MalformedResponse,
            Self::UnexpectedResponse { .. } => ErrorCode::UnexpectedResponse,
            Self::Unsupported { .. } => ErrorCode::Unsupported,
            Self::Inventory { source } | Self::DeviceGroups { source } => source.code(),
        }
    }

    /// One sentence telling the user what to do.
    pub fn fix(&self) -> &'static str {
        if let Some(fix) = crate::intune::fix(self) {
            return fix;
        }
        match self {
            Self::DeviceGroups { source } if source.code() == ErrorCode::Forbidden => {
                "Give the CPS API user a role that may read device groups (the CPS role) in \
                 Ivanti Neurons for MDM (Admin → Admins), then sync again; until then the \
                 devices' labels stay unknown (see docs/ivanti.md)."
            }
            Self::Inventory { source } | Self::DeviceGroups { source } => match source.code() {
                ErrorCode::NotConfigured => {
                    "Set both HELPATWORK_IVANTI_CPS_USER and HELPATWORK_IVANTI_CPS_PASSWORD (settings \
                     ivanti.cps_user and ivanti.cps_password), or neither (see docs/ivanti.md)."
                }
                ErrorCode::Unauthorized => {
                    "Check HELPATWORK_IVANTI_CPS_USER and HELPATWORK_IVANTI_CPS_PASSWORD (settings \
                     ivanti.cps_user and ivanti.cps_password): the user with the CPS role and its \
                     password (see docs/ivanti.md)."
                }
                ErrorCode::Forbidden => {
                    "Assign the CPS role to the CPS API user in Ivanti Neurons for MDM (Admin → \
                     Admins), then sync again (see docs/ivanti.md)."
                }
                ErrorCode::RateLimited => {
                    "Sync again later, or lower HELPATWORK_IVANTI_CPS_RATE (setting \
                     ivanti.cps_rate): Ivanti limits CPS calls per cluster."
                }
                ErrorCode::NotFound | ErrorCode::UnexpectedResponse => {
                    "Check HELPATWORK_IVANTI_CPS_URL (setting ivanti.cps_url): with Basic \
                     authentication it is the tenant's address, e.g. https://na1.mobileiron.com."
                }
                _ => source.fix(),
            },
            Self::NotConfigured { .. } | Self::InvalidConfig { .. } => {
                "Set HELPATWORK_IVANTI_URL (e.g. https://na1.mobileiron.com), \
                 HELPATWORK_IVANTI_USER and HELPATWORK_IVANTI_PASSWORD (see docs/ivanti.md)."
            }
            Self::Unauthorized { .. } => {
                "Check HELPATWORK_IVANTI_USER and HELPATWORK_IVANTI_PASSWORD: use the API user's \
                 generated e-mail and password; with MFA on the admin portal Basic \
                 authentication stops working (see docs/ivanti.md)."
            }
            Self::MissingPermission { .. } => {
                "In Entra ID (App registrations → the app → API permissions), add the Microsoft \
                 Graph application permission named in the message and grant admin consent."
            }
            Self::SignInRefused { .. } => {
                "Check the tenant id, the client id and the client secret of the app \
                 registration (see docs/intune.md)."
            }
            Self::Forbidden { .. } => {
                "Give the API user the Tenant Admin role in Ivanti Neurons for MDM, then try \
                 again."
            }
            Self::DeviceNotFound { .. } => {
                "Sync the device list again: the device may have been retired or moved to \
                 another space."
            }
            Self::InvalidRequest { .. } => {
                "Check HELPATWORK_IVANTI_PARTITION and the values you entered; if it keeps \
                 happening, report it with the message."
            }
            Self::RateLimited { .. } => "Wait a few minutes and try again.",
            Self::ServerError { .. } => {
                "Try again in a moment: the MDM is having trouble; if it persists, tell the \
                 MDM administrator."
            }
            Self::Timeout { .. } => "Check the network connection and try again.",
            Self::Storage { .. } => {
                "Run helpatwork doctor to check the data directory or the database \
                 connection, then try again."
            }
            Self::ConnectionFailed { .. } => {
                "Check HELPATWORK_IVANTI_URL, the network connection and proxy settings, \
                 then try again."
            }
            Self::MalformedResponse { .. } => {
                "Try again; if it persists, report it: the MDM may have changed its API."
            }
            Self::NotFound { .. } | Self::UnexpectedResponse { .. } => {
                "Check HELPATWORK_IVANTI_URL: it must be the tenant's base address \
                 (e.g. https://na1.mobileiron.com), without a path."
            }
            Self::Unsupported { operation, .. } => match operation {
                Operation::ManagedAppConfig => {
                    "Give the device user the session's end-customer link instead; the session \
                     flow offers it when the MDM cannot deliver the session code."
                }
                Operation::DistributeApp => {
                    "Distribute or un-distribute the app from the App Catalog in the MDM's \
                     admin portal."
                }
                Operation::ForceCheckin => {
                    "Ask the device user to open the MDM client app, or wait for the next \
                     check-in."
                }
                Operation::ListDevices => {
                    "Import the fleet from a file instead (helpatwork devices import)."
                }
            },
        }
    }

    /// Whether another try of an idempotent call may succeed.
    pub fn is_transient(&self) -> bool {
        matches!(
            self.code(),
            ErrorCode::RateLimited
                | ErrorCode::ServerError
                | ErrorCode::Timeout
                | ErrorCode::ConnectionFailed
        )
    }

    pub(crate) fn malformed(mdm: &'static str, detail: impl Into<String>) -> Self {
        Self::MalformedResponse {
            mdm,
            detail: detail.into(),
        }
    }
}

/// Trims server or user text for an error message: one line, at most [`MAX_SERVER_TEXT`]
/// characters, control characters removed.
pub(crate) fn tidy(text: &str) -> String {
    tidy_to(text, MAX_SERVER_TEXT)
}

/// [`tidy`] capped at `max` characters: control characters and runs of white space become one
/// space, the ends are trimmed. One pass and one allocation: a sync runs it on every text field
/// of every device record.
pub(crate) fn tidy_to(text: &str, max: usize) -> String {
    let mut out = String::with_capacity(text.len().min(max.saturating_mul(4)));
    let mut chars = 0;
    let mut space = false;
    for c in text.chars() {
        if c.is_control() || c.is_whitespace() {
            space = !out.is_empty();
            continue;
        }
        if space {
            if chars == max {
                break;
            }
            out.push(' ');
            chars += 1;
            space = false;
        }
        if chars == max {
            break;
        }
        out.push(c);
        chars += 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_stable_snake_case() {
        for code in ErrorCode::ALL {
            let json = serde_json::to_string(&code).expect("code serializes");
            assert_eq!(json, format!("\"{}\"", code.as_str()));
        }
        assert_eq!(ErrorCode::RateLimited.as_str(), "rate_limited");
        assert_eq!(ErrorCode::MalformedResponse.as_str(), "malformed_response");
    }

    #[test]
    fn every_error_has_a_fix_sentence() {
        let mdm = "Ivanti";
        let errors = [
            MdmError::NotConfigured { missing: "X" },
            MdmError::Unauthorized { mdm },
            MdmError::Forbidden { mdm },
            MdmError::DeviceNotFound {
                mdm,
                device_id: "1".into(),
            },
            MdmError::InvalidRequest {
                mdm,
                message: "m".into(),
            },
            MdmError::RateLimited { mdm },
            MdmError::ServerError { mdm, status: 500 },
            MdmError::Timeout { mdm },
            MdmError::ConnectionFailed { mdm },
            MdmError::Storage {
                mdm,
                detail: "d".into(),
            },
            MdmError::malformed(mdm, "x"),
            MdmError::UnexpectedResponse { mdm, status: 302 },
            MdmError::Unsupported {
                mdm,
                operation: Operation::ManagedAppConfig,
            },
            MdmError::Unsupported {
                mdm,
                operation: Operation::DistributeApp,
            },
        ];
        for e in errors {
            assert!(e.fix().ends_with('.'), "{:?}", e.code());
            assert!(!e.to_string().is_empty());
        }
    }

    #[test]
    fn unsupported_app_config_points_to_the_end_customer_link() {
        let e = MdmError::Unsupported {
            mdm: "Ivanti Neurons for MDM",
            operation: Operation::ManagedAppConfig,
        };
        assert_eq!(e.code(), ErrorCode::Unsupported);
        assert!(e.fix().contains("end-customer link"));
        assert_eq!(
            e.to_string(),
            "Ivanti Neurons for MDM has no documented API for writing a managed app configuration"
        );
    }

    #[test]
    fn tidy_matches_the_plain_definition_on_awkward_text() {
        // The definition: controls to spaces, split on white space, joined by one space, capped.
        fn plain(text: &str, max: usize) -> String {
            text.chars()
                .map(|c| if c.is_control() { ' ' } else { c })
                .collect::<String>()
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ")
                .chars()
                .take(max)
                .collect()
        }
        let pieces = [
            "a", " ", "\t", "\u{7}", "\u{a0}", "ção", "\u{2028}", "日本", "\r\n", "x y",
        ];
        let mut seed = 7u64;
        for _ in 0..5_000 {
            let mut text = String::new();
            for _ in 0..(seed % 9) {
                seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1);
                text.push_str(pieces[(seed >> 33) as usize % pieces.len()]);
            }
            seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1);
            let max = (seed >> 40) as usize % 8;
            assert_eq!(
                tidy_to(&text, max),
                plain(&text, max),
                "{text:?} capped at {max}"
            );
        }
    }

    #[test]
    fn tidy_trims_and_flattens() {
        assert_eq!(tidy("  a\n\tb\u{7}c  "), "a b c");
        assert_eq!(
            tidy("a\u{7}\u{7} \u{a0}b"),
            "a b",
            "a run of controls and spaces is one space"
        );
        assert_eq!(
            tidy_to("ab cd", 3),
            "ab ",
            "the cap counts characters, spaces too"
        );
        assert_eq!(tidy_to("ab cd", 2), "ab");
        assert_eq!(tidy_to("ção ñ", 4), "ção ");
        assert_eq!(tidy(" \u{1f} "), "");
        assert_eq!(tidy(&"x".repeat(1000)).len(), MAX_SERVER_TEXT);
    }
}
