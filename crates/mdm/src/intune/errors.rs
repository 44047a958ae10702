//! Intune's fixes for the shared error variants, and the mapping of Graph's and Entra ID's
//! answers to typed errors. Messages never carry the client secret, the token or a raw body:
//! only statuses, Graph's `error.code`, and the identity platform's `error` and AADSTS code.

use helpatwork_net::TransportError;
use serde::Deserialize;

use super::MDM;
use crate::error::{tidy, MdmError, Operation};

/// Intune's fix for `error`, or `None` when it is not an Intune error.
pub(crate) fn fix(error: &MdmError) -> Option<&'static str> {
    let ours = match error {
        MdmError::NotConfigured { missing } => missing.starts_with("HELPATWORK_INTUNE"),
        MdmError::InvalidConfig { name, .. } => name.starts_with("HELPATWORK_INTUNE"),
        MdmError::Unauthorized { mdm }
        | MdmError::Forbidden { mdm }
        | MdmError::RateLimited { mdm }
        | MdmError::ConnectionFailed { mdm }
        | MdmError::Timeout { mdm } => *mdm == MDM,
        MdmError::ServerError { mdm, .. } | MdmError::UnexpectedResponse { mdm, .. } => *mdm == MDM,
        MdmError::NotFound { mdm, .. }
        | MdmError::DeviceNotFound { mdm, .. }
        | MdmError::InvalidRequest { mdm, .. }
        | MdmError::MalformedResponse { mdm, .. }
        | MdmError::Unsupported { mdm, .. } => *mdm == MDM,
        _ => false,
    };
    if !ours {
        return None;
    }
    Some(match error {
        MdmError::NotConfigured { .. } | MdmError::InvalidConfig { .. } => {
            "Set the tenant id, the client id and the client secret of the Entra ID app \
             registration: HELPATWORK_INTUNE_TENANT_ID, HELPATWORK_INTUNE_CLIENT_ID and \
             HELPATWORK_INTUNE_CLIENT_SECRET, or helpatwork settings set intune.tenant_id, \
             intune.client_id and intune.client_secret (see docs/intune.md)."
        }
        MdmError::Unauthorized { .. } => {
            "Sign-in to Microsoft Graph failed: check that the client secret has not expired \
             and that the app registration belongs to the tenant (see docs/intune.md)."
        }
        MdmError::Forbidden { .. } => {
            "Grant the app registration the Microsoft Graph application permissions listed in \
             docs/intune.md with admin consent, and check the tenant's Intune licence."
        }
        MdmError::RateLimited { .. } => {
            "Microsoft Graph is throttling the app: wait a few minutes and try again."
        }
        MdmError::ConnectionFailed { .. } | MdmError::Timeout { .. } => {
            "Check the network connection, proxy settings and HELPATWORK_INTUNE_GRAPH_URL, then \
             try again."
        }
        MdmError::ServerError { .. } => {
            "Try again in a moment: Microsoft Graph is having trouble; if it persists, check the \
             Microsoft 365 service health page."
        }
        MdmError::DeviceNotFound { .. } => {
            "Sync the device list again: the device may have been retired or deleted in Intune."
        }
        MdmError::NotFound { .. } => {
            "Sync the device list again (the device may have been retired or deleted in Intune); \
             if the message names an app, add it in the Intune admin center (Apps → All apps) \
             and assign it; if it names the Entra ID registration, the device must be \
             registered in Entra ID."
        }
        MdmError::InvalidRequest { .. } => {
            "Try again; if it keeps happening, report it with the message."
        }
        MdmError::MalformedResponse { .. } => {
            "Try again; if it persists, report it: Microsoft Graph's answer was not the \
             documented one."
        }
        MdmError::UnexpectedResponse { .. } => {
            "Check HELPATWORK_INTUNE_GRAPH_URL and HELPATWORK_INTUNE_LOGIN_URL: leave them unset \
             for Microsoft's public cloud."
        }
        MdmError::Unsupported { operation, .. } => match operation {
            Operation::ManagedAppConfig => {
                "Give the device user the session's end-customer link instead; the session flow \
                 offers it when the MDM cannot deliver the session code."
            }
            Operation::DistributeApp => {
                "Assign or unassign the app in the Intune admin center (Apps → the app → \
                 Properties → Assignments)."
            }
            _ => "Use the Intune admin center for this.",
        },
        _ => return None,
    })
}

#[derive(Deserialize)]
struct GraphErrorBody {
    error: GraphError,
}

#[derive(Deserialize)]
struct GraphError {
    #[serde(default)]
    code: String,
}

#[derive(Deserialize)]
struct TokenErrorBody {
    error: String,
    #[serde(default)]
    error_codes: Vec<u64>,
}

/// The `error.code` of Graph's error body, tidied.
fn graph_code(body: &[u8]) -> Option<String> {
    serde_json::from_slice::<GraphErrorBody>(body)
        .ok()
        .map(|b| tidy(&b.error.code))
        .filter(|c| !c.is_empty())
}

/// A failed Graph call. `needs`: the permissions the call accepts, named in a 403.
pub(crate) fn from_graph(error: TransportError, needs: &'static str) -> MdmError {
    match error {
        TransportError::Status { status, body, .. } => match status {
            401 => MdmError::Unauthorized { mdm: MDM },
            403 => MdmError::MissingPermission {
                mdm: MDM,
                permissions: needs,
            },
            404 => MdmError::NotFound {
                mdm: MDM,
                what: graph_code(&body).unwrap_or_else(|| "the requested resource".to_owned()),
            },
            429 => MdmError::RateLimited { mdm: MDM },
            400..=499 => MdmError::InvalidRequest {
                mdm: MDM,
                message: graph_code(&body).unwrap_or_else(|| format!("HTTP {status}")),
            },
            500..=599 => MdmError::ServerError { mdm: MDM, status },
            _ => MdmError::UnexpectedResponse { mdm: MDM, status },
        },
        other => from_transport(other),
    }
}

/// A failed token request: Entra ID's `error` and AADSTS code, never its description's rest.
pub(crate) fn from_token(error: TransportError) -> MdmError {
    match error {
        TransportError::Status { status, body, .. } if (400..500).contains(&status) => {
            let detail = match serde_json::from_slice::<TokenErrorBody>(&body) {
                Ok(b) => match b.error_codes.first() {
                    Some(code) => format!("{} (AADSTS{code})", tidy(&b.error)),
                    None => tidy(&b.error),
                },
                Err(_) => format!("HTTP {status}"),
            };
            MdmError::SignInRefused { mdm: MDM, detail }
        }
        TransportError::Status { status, .. } if (500..600).contains(&status) => {
            MdmError::ServerError { mdm: MDM, status }
        }
        TransportError::Status { status, .. } => MdmError::UnexpectedResponse { mdm: MDM, status },
        other => from_transport(other),
    }
}

fn from_transport(error: TransportError) -> MdmError {
    match error {
        TransportError::ClientSetup => MdmError::InvalidConfig {
            name: "http client",
            detail: "the TLS stack could not be initialised".to_owned(),
        },
        TransportError::Timeout => MdmError::Timeout { mdm: MDM },
        TransportError::CutOff => MdmError::malformed(MDM, "the response was cut off"),
        TransportError::Connection { detail } => {
            tracing::debug!(error = %tidy(&detail), "Graph request failed");
            MdmError::ConnectionFailed { mdm: MDM }
        }
        TransportError::TooLarge { max } => {
            MdmError::malformed(MDM, format!("response larger than {max} bytes"))
        }
        TransportError::Status { status, .. } => MdmError::UnexpectedResponse { mdm: MDM, status },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::ErrorCode;

    fn status(status: u16, body: &[u8]) -> TransportError {
        TransportError::Status {
            status,
            body: body.to_vec(),
            retry_after: None,
        }
    }

    #[test]
    fn graph_statuses_map_to_codes_with_intune_fixes() {
        let e = from_graph(status(403, b""), "DeviceManagementManagedDevices.Read.All");
        assert_eq!(e.code(), ErrorCode::Forbidden);
        assert!(e
            .to_string()
            .contains("DeviceManagementManagedDevices.Read.All"));
        assert!(e.fix().contains("admin consent"));
        let e = from_graph(status(429, b""), "x");
        assert_eq!(e.code(), ErrorCode::RateLimited);
        assert!(e.fix().contains("Microsoft Graph"));
        let body = include_bytes!("../../../graph-fake/fixtures/error.json");
        match from_graph(status(400, body), "x") {
            MdmError::InvalidRequest { message, .. } => assert_eq!(message, "invalidRange"),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn a_refused_sign_in_names_the_aadsts_code_only() {
        let body = br#"{"error":"invalid_client","error_description":"AADSTS7000215: Invalid client secret provided. Secret: abc","error_codes":[7000215]}"#;
        let e = from_token(status(401, body));
        assert_eq!(e.code(), ErrorCode::Unauthorized);
        assert_eq!(
            e.to_string(),
            "Microsoft Intune refused the sign-in: invalid_client (AADSTS7000215)"
        );
        assert!(e.fix().contains("client secret"));
    }
}
