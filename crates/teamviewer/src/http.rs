//! TeamViewer over the shared transport (`helpatwork_net::Transport`: rustls, timeouts, no
//! redirects, capped bodies): bearer calls of the Web API, the `oauth2` crate's requests, and the
//! mapping of transport failures and error statuses to [`TeamViewerError`].

use helpatwork_net::{Auth, Body, HttpLimits, Reply, Sensitive, TransportError};
use reqwest::{Method, StatusCode};
use url::Url;

use crate::config::ClientOptions;
use crate::error::TeamViewerError;

#[derive(Debug, Clone)]
pub(crate) struct Transport(helpatwork_net::Transport);

impl Transport {
    pub(crate) fn new(options: &ClientOptions) -> Result<Self, TeamViewerError> {
        helpatwork_net::Transport::new(&HttpLimits {
            connect_timeout: options.connect_timeout,
            request_timeout: options.request_timeout,
            max_body_bytes: options.max_body_bytes,
        })
        .map(Self)
        .map_err(map_error)
    }

    /// One API request with a bearer token; no retries here.
    pub(crate) async fn send_api(
        &self,
        method: Method,
        url: Url,
        token: &Sensitive<String>,
        json_body: Option<&[u8]>,
    ) -> Result<Reply, TeamViewerError> {
        let body = json_body.map(|b| Body::Json(b.to_vec()));
        self.0
            .send(Auth::Bearer(token), method, url, body)
            .await
            .map_err(map_error)
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
        let reply = self.0.execute(request).await.map_err(map_error)?;
        if reply.status != StatusCode::OK {
            return Err(TeamViewerError::malformed(format!(
                "token endpoint answered HTTP {}",
                reply.status.as_u16()
            )));
        }
        let mut builder = oauth2::http::Response::builder().status(reply.status.as_u16());
        if let Some(content_type) = reply.content_type {
            builder = builder.header(oauth2::http::header::CONTENT_TYPE, content_type.as_bytes());
        }
        builder
            .body(reply.body)
            .map_err(|_| TeamViewerError::malformed("token response headers"))
    }
}

/// A transport failure in TeamViewer's terms.
fn map_error(error: TransportError) -> TeamViewerError {
    match error {
        TransportError::ClientSetup => TeamViewerError::InvalidConfig {
            name: "http client",
            detail: "the TLS stack could not be initialised".to_owned(),
        },
        TransportError::Timeout => TeamViewerError::Timeout,
        TransportError::CutOff => TeamViewerError::malformed("the response was cut off"),
        // Connect failures, resets and protocol errors: the request may not have arrived.
        TransportError::Connection { .. } => TeamViewerError::ConnectionFailed,
        TransportError::TooLarge { max } => {
            TeamViewerError::malformed(format!("response larger than {max} bytes"))
        }
        TransportError::Status { status, body, .. } => {
            TeamViewerError::from_response(status, &body)
        }
    }
}
