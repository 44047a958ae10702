//! The HTTP transport: one reqwest client (rustls, timeouts, no redirects), Basic auth, capped
//! body reads, and the mapping of transport failures and error statuses to [`MdmError`].

use reqwest::header::{HeaderValue, ACCEPT, CONTENT_TYPE};
use reqwest::Method;
use url::Url;

use super::config::IvantiOptions;
use super::wire;
use super::MDM;
use crate::error::{tidy, MdmError};
use crate::sensitive::Sensitive;

/// Error bodies are read up to this size; a larger one is mapped by status alone.
const MAX_ERROR_BODY: usize = 64 * 1024;

/// A request body.
#[derive(Debug, Clone)]
pub(crate) enum Body {
    /// `application/x-www-form-urlencoded`
    Form(String),
    /// `application/json`
    Json(String),
}

#[derive(Debug, Clone)]
pub(crate) struct Transport {
    client: reqwest::Client,
    max_body: usize,
}

impl Transport {
    pub(crate) fn new(options: &IvantiOptions) -> Result<Self, MdmError> {
        let client = reqwest::Client::builder()
            .connect_timeout(options.connect_timeout)
            .timeout(options.request_timeout)
            // Never follow redirects: the Basic credentials must not be replayed to another
            // host, and a redirect usually means the base URL points at a login page.
            .redirect(reqwest::redirect::Policy::none())
            .user_agent(concat!("helpatwork-desk/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|_| MdmError::InvalidConfig {
                name: "http client",
                detail: "the TLS stack could not be initialised".to_owned(),
            })?;
        Ok(Self {
            client,
            max_body: options.max_body_bytes,
        })
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
        // `basic_auth` marks the header sensitive, so it is redacted in reqwest's Debug output.
        let mut request = self
            .client
            .request(method, url)
            .basic_auth(user, Some(password.expose()))
            .header(ACCEPT, HeaderValue::from_static("application/json"));
        if let Some(body) = body {
            let (kind, text) = match body {
                Body::Form(text) => ("application/x-www-form-urlencoded", text),
                Body::Json(text) => ("application/json", text),
            };
            request = request
                .header(CONTENT_TYPE, HeaderValue::from_static(kind))
                .body(text);
        }
        let response = request.send().await.map_err(map_send_error)?;
        let status = response.status();
        if status.is_success() {
            read_capped(response, self.max_body).await
        } else {
            // An error body that is too big or cut off still maps by status.
            let body = read_capped(response, MAX_ERROR_BODY)
                .await
                .unwrap_or_default();
            Err(from_status(status.as_u16(), &body))
        }
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

/// Reads at most `max` bytes; more (announced or actual) is `malformed_response`.
async fn read_capped(mut response: reqwest::Response, max: usize) -> Result<Vec<u8>, MdmError> {
    let too_big = || MdmError::malformed(MDM, format!("response larger than {max} bytes"));
    if response
        .content_length()
        .is_some_and(|len| len > u64::try_from(max).unwrap_or(u64::MAX))
    {
        return Err(too_big());
    }
    let expected = response.content_length().unwrap_or(0);
    let mut body = Vec::with_capacity(usize::try_from(expected).unwrap_or(max).min(max));
    while let Some(chunk) = response.chunk().await.map_err(map_body_error)? {
        if body.len() + chunk.len() > max {
            return Err(too_big());
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body)
}

fn map_send_error(error: reqwest::Error) -> MdmError {
    if error.is_timeout() {
        MdmError::Timeout { mdm: MDM }
    } else if error.is_body() || error.is_decode() {
        MdmError::malformed(MDM, "the response was cut off")
    } else {
        // Connect failures, resets and protocol errors: the request may not have arrived.
        tracing::debug!(error = %tidy(&error.to_string()), "Ivanti request failed");
        MdmError::ConnectionFailed { mdm: MDM }
    }
}

fn map_body_error(error: reqwest::Error) -> MdmError {
    if error.is_timeout() {
        MdmError::Timeout { mdm: MDM }
    } else {
        MdmError::malformed(MDM, "the response was cut off")
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
