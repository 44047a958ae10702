//! Ivanti over the shared transport (`helpatwork_net::Transport`: rustls, timeouts, no
//! redirects, capped bodies) with HTTP Basic, and the mapping of transport failures and error
//! statuses to [`MdmError`].

use helpatwork_net::{Auth, HttpLimits, Sensitive, TransportError};
use reqwest::Method;
use url::Url;

use super::config::IvantiOptions;
use super::wire;
use super::MDM;
use crate::error::{tidy, MdmError};

pub(crate) use helpatwork_net::Body;

#[derive(Debug, Clone)]
pub(crate) struct Transport(helpatwork_net::Transport);

impl Transport {
    pub(crate) fn new(options: &IvantiOptions) -> Result<Self, MdmError> {
        helpatwork_net::Transport::new(&HttpLimits {
            connect_timeout: options.connect_timeout,
            request_timeout: options.request_timeout,
            max_body_bytes: options.max_body_bytes,
        })
        .map(Self)
        .map_err(map_error)
    }

    /// One request with Basic auth as `user`; no retries here. Returns the (capped) body of a
    /// 2xx answer.
    pub(crate) async fn send(
        &self,
        (user, password): (&str, &Sensitive<String>),
        method: Method,
        url: Url,
        body: Option<Body>,
    ) -> Result<Vec<u8>, MdmError> {
        self.0
            .send(Auth::Basic { user, password }, method, url, body)
            .await
            .map(|reply| reply.body)
            .map_err(map_error)
    }
}

/// A transport failure in Ivanti's terms.
fn map_error(error: TransportError) -> MdmError {
    match error {
        TransportError::ClientSetup => MdmError::InvalidConfig {
            name: "http client",
            detail: "the TLS stack could not be initialised".to_owned(),
        },
        TransportError::Timeout => MdmError::Timeout { mdm: MDM },
        TransportError::CutOff => MdmError::malformed(MDM, "the response was cut off"),
        TransportError::Connection { detail } => {
            // Connect failures, resets and protocol errors: the request may not have arrived.
            tracing::debug!(error = %tidy(&detail), "Ivanti request failed");
            MdmError::ConnectionFailed { mdm: MDM }
        }
        TransportError::TooLarge { max } => {
            MdmError::malformed(MDM, format!("response larger than {max} bytes"))
        }
        TransportError::Status { status, body, .. } => from_status(status, &body),
    }
}

/// Maps an error status and its (capped) body to a typed error.
pub(crate) fn from_status(status: u16, body: &[u8]) -> MdmError {
    match status {
        401 => MdmError::Unauthorized { mdm: MDM },
        403 => MdmError::Forbidden { mdm: MDM },
        404 => MdmError::NotFound {
            mdm: MDM,
            what: "the requested API path".to_owned(),
        },
        429 => MdmError::RateLimited { mdm: MDM },
        400..=499 => MdmError::InvalidRequest {
            mdm: MDM,
            message: wire::error_messages(body)
                .unwrap_or_else(|| format!("HTTP {status} without details")),
        },
        500..=599 => MdmError::ServerError { mdm: MDM, status },
        _ => MdmError::UnexpectedResponse { mdm: MDM, status },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::ErrorCode;

    #[test]
    fn statuses_map_to_codes() {
        let code = |status| from_status(status, b"").code();
        assert_eq!(code(401), ErrorCode::Unauthorized);
        assert_eq!(code(403), ErrorCode::Forbidden);
        assert_eq!(code(404), ErrorCode::NotFound);
        assert_eq!(code(429), ErrorCode::RateLimited);
        assert_eq!(code(400), ErrorCode::InvalidRequest);
        assert_eq!(code(500), ErrorCode::ServerError);
        assert_eq!(code(503), ErrorCode::ServerError);
        assert_eq!(code(302), ErrorCode::UnexpectedResponse);
    }

    #[test]
    fn field_errors_become_the_message() {
        let body = br#"{"errors":{"fieldErrors":[{"field":"rows","code":"Range","message":"must be between 1 and 500"}]},"result":null}"#;
        match from_status(400, body) {
            MdmError::InvalidRequest { message, .. } => {
                assert_eq!(message, "rows: must be between 1 and 500");
            }
            other => panic!("unexpected {other:?}"),
        }
    }

    #[test]
    fn unreadable_400_bodies_still_map() {
        match from_status(400, b"<html>") {
            MdmError::InvalidRequest { message, .. } => {
                assert_eq!(message, "HTTP 400 without details");
            }
            other => panic!("unexpected {other:?}"),
        }
    }
}
