//! The HTTP transport the clients share: one reqwest client (rustls, timeouts, no redirects, the
//! product's user agent), one request with its credentials, and capped body reads.
//!
//! Failures come back as a [`TransportError`]; each client maps them (and error statuses, with
//! their capped body) to its own typed error with its own fix. No retries here: see
//! [`crate::retry`].

use std::time::Duration;

use reqwest::header::{HeaderValue, ACCEPT, CONTENT_TYPE};
use reqwest::{Method, StatusCode};
use url::Url;

use crate::sensitive::Sensitive;

/// Error bodies are read up to this size; a larger one is mapped by status alone.
pub const MAX_ERROR_BODY: usize = 64 * 1024;

/// The product's user agent on every request.
pub const USER_AGENT: &str = concat!("helpatwork-desk/", env!("CARGO_PKG_VERSION"));

/// Timeouts and the body cap of one transport.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HttpLimits {
    /// TCP + TLS connect timeout.
    pub connect_timeout: Duration,
    /// Whole-request timeout (headers and body).
    pub request_timeout: Duration,
    /// Success bodies larger than this are refused ([`TransportError::TooLarge`]).
    pub max_body_bytes: usize,
}

/// The credentials a request carries. Both mark the header sensitive, so it is redacted in
/// reqwest's Debug output.
#[derive(Debug, Clone, Copy)]
pub enum Auth<'a> {
    /// HTTP Basic (RFC 7617).
    Basic {
        user: &'a str,
        password: &'a Sensitive<String>,
    },
    /// `Authorization: Bearer <token>`.
    Bearer(&'a Sensitive<String>),
}

/// A request body.
#[derive(Debug, Clone)]
pub enum Body {
    /// `application/x-www-form-urlencoded`
    Form(String),
    /// `application/json`
    Json(Vec<u8>),
}

/// A 2xx answer: its status, content type and (capped) body.
#[derive(Debug, Clone)]
pub struct Reply {
    pub status: StatusCode,
    pub content_type: Option<HeaderValue>,
    pub body: Vec<u8>,
}

/// What went wrong below the API: each client turns it into its own error.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TransportError {
    /// The HTTP client could not be built.
    #[error("the TLS stack could not be initialised")]
    ClientSetup,
    /// Connect, headers or body took longer than the limits allow.
    #[error("timed out")]
    Timeout,
    /// The answer stopped before its end or could not be decoded.
    #[error("the response was cut off")]
    CutOff,
    /// Connect failures, resets and protocol errors: the request may not have arrived.
    /// `detail` is reqwest's text, for a debug log line only (it may name the host).
    #[error("the connection failed")]
    Connection { detail: String },
    /// A success body (announced or actual) past the cap.
    #[error("response larger than {max} bytes")]
    TooLarge { max: usize },
    /// A status outside 2xx, with up to [`MAX_ERROR_BODY`] bytes of its body (empty when the
    /// body was larger or cut off: such an answer maps by status alone).
    #[error("HTTP {status}")]
    Status {
        status: u16,
        body: Vec<u8>,
        /// The answer's `Retry-After` in seconds (RFC 9110 §10.2.3; an HTTP date is not read),
        /// as 429 and 503 answers may carry it.
        retry_after: Option<Duration>,
    },
}

/// One reqwest client and the body cap.
#[derive(Debug, Clone)]
pub struct Transport {
    client: reqwest::Client,
    max_body: usize,
}

impl Transport {
    pub fn new(limits: &HttpLimits) -> Result<Self, TransportError> {
        let client = reqwest::Client::builder()
            .connect_timeout(limits.connect_timeout)
            .timeout(limits.request_timeout)
            // Never follow redirects: credentials must not be replayed to another host, a
            // redirect usually means the base URL points at a login page, and the OAuth token
            // endpoint must not redirect (SSRF guard recommended by `oauth2`).
            .redirect(reqwest::redirect::Policy::none())
            .user_agent(USER_AGENT)
            .build()
            .map_err(|_| TransportError::ClientSetup)?;
        Ok(Self {
            client,
            max_body: limits.max_body_bytes,
        })
    }

    /// One request with `auth`, asking for JSON; no retries here.
    pub async fn send(
        &self,
        auth: Auth<'_>,
        method: Method,
        url: Url,
        body: Option<Body>,
    ) -> Result<Reply, TransportError> {
        let request = self.client.request(method, url);
        let mut request = match auth {
            Auth::Basic { user, password } => request.basic_auth(user, Some(password.expose())),
            Auth::Bearer(token) => request.bearer_auth(token.expose()),
        }
        .header(ACCEPT, HeaderValue::from_static("application/json"));
        if let Some(body) = body {
            let (kind, bytes) = match body {
                Body::Form(text) => ("application/x-www-form-urlencoded", text.into_bytes()),
                Body::Json(bytes) => ("application/json", bytes),
            };
            request = request
                .header(CONTENT_TYPE, HeaderValue::from_static(kind))
                .body(bytes);
        }
        let response = request.send().await.map_err(send_error)?;
        self.finish(response).await
    }

    /// Sends a request prepared elsewhere (the `oauth2` crate's), with the same limits.
    pub async fn execute(&self, request: reqwest::Request) -> Result<Reply, TransportError> {
        let response = self.client.execute(request).await.map_err(send_error)?;
        self.finish(response).await
    }

    /// Reads the body (capped) of a success; an error status keeps a capped body.
    async fn finish(&self, response: reqwest::Response) -> Result<Reply, TransportError> {
        let status = response.status();
        if status.is_success() {
            let content_type = response.headers().get(CONTENT_TYPE).cloned();
            let body = read_capped(response, self.max_body).await?;
            Ok(Reply {
                status,
                content_type,
                body,
            })
        } else {
            let retry_after = response
                .headers()
                .get(reqwest::header::RETRY_AFTER)
                .and_then(|v| v.to_str().ok())
                .and_then(|v| v.trim().parse::<u64>().ok())
                .map(Duration::from_secs);
            // An error body that is too big or cut off still maps by status.
            let body = read_capped(response, MAX_ERROR_BODY)
                .await
                .unwrap_or_default();
            Err(TransportError::Status {
                status: status.as_u16(),
                body,
                retry_after,
            })
        }
    }
}

/// Reads at most `max` bytes; more (announced or actual) is [`TransportError::TooLarge`].
async fn read_capped(
    mut response: reqwest::Response,
    max: usize,
) -> Result<Vec<u8>, TransportError> {
    let too_big = || TransportError::TooLarge { max };
    if response
        .content_length()
        .is_some_and(|len| len > u64::try_from(max).unwrap_or(u64::MAX))
    {
        return Err(too_big());
    }
    let expected = response.content_length().unwrap_or(0);
    let mut body = Vec::with_capacity(usize::try_from(expected).unwrap_or(max).min(max));
    while let Some(chunk) = response.chunk().await.map_err(body_error)? {
        if body.len() + chunk.len() > max {
            return Err(too_big());
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body)
}

fn send_error(error: reqwest::Error) -> TransportError {
    if error.is_timeout() {
        TransportError::Timeout
    } else if error.is_body() || error.is_decode() {
        TransportError::CutOff
    } else {
        TransportError::Connection {
            detail: error.to_string(),
        }
    }
}

fn body_error(error: reqwest::Error) -> TransportError {
    if error.is_timeout() {
        TransportError::Timeout
    } else {
        TransportError::CutOff
    }
}
