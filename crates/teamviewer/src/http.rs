//! The HTTP transport: one reqwest client (rustls, timeouts, no redirects), capped body reads,
//! and the mapping of transport failures and error statuses to [`TeamViewerError`].

use reqwest::header::{HeaderValue, ACCEPT, CONTENT_TYPE};
use reqwest::{Method, StatusCode};
use url::Url;

use crate::config::ClientOptions;
use crate::error::TeamViewerError;
use crate::sensitive::Sensitive;

/// Error bodies are read up to this size; a larger one is mapped by status alone.
const MAX_ERROR_BODY: usize = 64 * 1024;

#[derive(Debug, Clone)]
pub(crate) struct Transport {
    client: reqwest::Client,
    max_body: usize,
}

/// A successful response: status and (capped) body.
pub(crate) struct Reply {
    pub(crate) status: StatusCode,
    pub(crate) body: Vec<u8>,
}

impl Transport {
    pub(crate) fn new(options: &ClientOptions) -> Result<Self, TeamViewerError> {
        let client = reqwest::Client::builder()
            .connect_timeout(options.connect_timeout)
            .timeout(options.request_timeout)
            // Never follow redirects: a token must not be replayed to another host, and the
            // OAuth token endpoint must not redirect (SSRF guard recommended by `oauth2`).
            .redirect(reqwest::redirect::Policy::none())
            .user_agent(concat!("helpatwork-desk/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|_| TeamViewerError::InvalidConfig {
                name: "http client",
                detail: "the TLS stack could not be initialised".to_owned(),
            })?;
        Ok(Self {
            client,
            max_body: options.max_body_bytes,
        })
    }

    /// One API request with a bearer token; no retries here.
    pub(crate) async fn send_api(
        &self,
        method: Method,
        url: Url,
        token: &Sensitive<String>,
        json_body: Option<&[u8]>,
    ) -> Result<Reply, TeamViewerError> {
        // `bearer_auth` marks the header sensitive, so it is redacted in reqwest's Debug output.
        let mut request = self
            .client
            .request(method, url)
            .bearer_auth(token.expose())
            .header(ACCEPT, HeaderValue::from_static("application/json"));
        if let Some(body) = json_body {
            request = request
                .header(CONTENT_TYPE, HeaderValue::from_static("application/json"))
                .body(body.to_vec());
        }
        let response = request.send().await.map_err(map_send_error)?;
        self.finish(response).await
    }

    /// Sends an `oauth2`-prepared request; used as the `oauth2` crate's HTTP client. Non-200
    /// answers become typed errors here, so `oauth2` only ever parses a success body.
    pub(crate) async fn send_oauth(
        &self,
        request: oauth2::HttpRequest,
    ) -> Result<oauth2::HttpResponse, TeamViewerError> {
        let request =
            reqwest::Request::try_from(request).map_err(|_| TeamViewerError::InvalidConfig {
                name: "api_url",
                detail: "cannot build the token request".to_owned(),
            })?;
        let response = self.client.execute(request).await.map_err(map_send_error)?;
        let content_type = response.headers().get(CONTENT_TYPE).cloned();
        let reply = self.finish(response).await?;
        if reply.status != StatusCode::OK {
            return Err(TeamViewerError::malformed(format!(
                "token endpoint answered HTTP {}",
                reply.status.as_u16()
            )));
        }
        let mut builder = oauth2::http::Response::builder().status(reply.status.as_u16());
        if let Some(content_type) = content_type {
            builder = builder.header(oauth2::http::header::CONTENT_TYPE, content_type.as_bytes());
        }
        builder
            .body(reply.body)
            .map_err(|_| TeamViewerError::malformed("token response headers"))
    }

    /// Reads the body (capped) and maps error statuses.
    async fn finish(&self, response: reqwest::Response) -> Result<Reply, TeamViewerError> {
        let status = response.status();
        if status.is_success() {
            let body = read_capped(response, self.max_body).await?;
            Ok(Reply { status, body })
        } else {
            // An error body that is too big or cut off still maps by status.
            let body = read_capped(response, MAX_ERROR_BODY)
                .await
                .unwrap_or_default();
            Err(TeamViewerError::from_response(status.as_u16(), &body))
        }
    }
}

/// Reads at most `max` bytes; more (announced or actual) is `malformed_response`.
async fn read_capped(
    mut response: reqwest::Response,
    max: usize,
) -> Result<Vec<u8>, TeamViewerError> {
    let too_big = || TeamViewerError::malformed(format!("response larger than {max} bytes"));
    if response
        .content_length()
        .is_some_and(|len| len > u64::try_from(max).unwrap_or(u64::MAX))
    {
        return Err(too_big());
    }
    let mut body = Vec::new();
    while let Some(chunk) = response.chunk().await.map_err(map_body_error)? {
        if body.len() + chunk.len() > max {
            return Err(too_big());
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body)
}

fn map_send_error(error: reqwest::Error) -> TeamViewerError {
    if error.is_timeout() {
        TeamViewerError::Timeout
    } else if error.is_body() || error.is_decode() {
        TeamViewerError::malformed("the response was cut off")
    } else {
        // Connect failures, resets and protocol errors: the request may not have arrived.
        TeamViewerError::ConnectionFailed
    }
}

fn map_body_error(error: reqwest::Error) -> TeamViewerError {
    if error.is_timeout() {
        TeamViewerError::Timeout
    } else {
        TeamViewerError::malformed("the response was cut off")
    }
}
