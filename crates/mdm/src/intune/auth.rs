//! Sign-in to Microsoft Graph with the OAuth 2.0 client-credentials grant (the `oauth2`
//! crate, our transport underneath), and the cached access token.
//!
//! `POST {login}/{tenant}/oauth2/v2.0/token` with `client_id`, `client_secret`,
//! `scope=https://graph.microsoft.com/.default` and `grant_type=client_credentials` in the form
//! body [docs/reference/mdm-apis.md §6.5]. The token is kept in memory only, until a minute
//! before it expires or until Graph answers 401.

use std::future::Future;
use std::pin::Pin;
use std::time::{Duration, Instant};

use helpatwork_net::Sensitive;
use oauth2::basic::BasicClient;
use oauth2::{AuthType, ClientId, ClientSecret, RequestTokenError, Scope, TokenResponse, TokenUrl};
use tokio::sync::Mutex;

use super::config::IntuneConfig;
use super::errors;
use super::MDM;
use crate::error::MdmError;

/// The scope of an application's Graph token: every application permission granted to it.
pub const GRAPH_SCOPE: &str = "https://graph.microsoft.com/.default";

/// Renew this long before the token expires.
const EARLY: Duration = Duration::from_secs(60);

struct Cached {
    token: Sensitive<String>,
    until: Instant,
}

/// The access token, fetched once and shared by concurrent calls.
#[derive(Default)]
pub(crate) struct TokenCache {
    cached: Mutex<Option<Cached>>,
}

impl TokenCache {
    /// A valid token: the cached one, or a new one from the token endpoint.
    pub(crate) async fn token(
        &self,
        config: &IntuneConfig,
        transport: &helpatwork_net::Transport,
    ) -> Result<Sensitive<String>, MdmError> {
        let mut cached = self.cached.lock().await;
        if let Some(c) = cached.as_ref().filter(|c| c.until > Instant::now()) {
            return Ok(c.token.clone());
        }
        let (token, lifetime) = request(config, transport).await?;
        let until = Instant::now() + lifetime.saturating_sub(EARLY);
        *cached = Some(Cached {
            token: token.clone(),
            until,
        });
        Ok(token)
    }

    /// Forgets the token (Graph answered 401: expired or revoked).
    pub(crate) async fn forget(&self) {
        *self.cached.lock().await = None;
    }
}

async fn request(
    config: &IntuneConfig,
    transport: &helpatwork_net::Transport,
) -> Result<(Sensitive<String>, Duration), MdmError> {
    let client = BasicClient::new(ClientId::new(config.client_id.clone()))
        .set_client_secret(ClientSecret::new(config.client_secret.expose().clone()))
        .set_auth_type(AuthType::RequestBody)
        .set_token_uri(TokenUrl::from_url(config.token_url()?));
    let response = client
        .exchange_client_credentials()
        .add_scope(Scope::new(GRAPH_SCOPE.to_owned()))
        .request_async(&OAuthHttp(transport))
        .await
        .map_err(|error| match error {
            RequestTokenError::Request(e) => e,
            // Never include the body: it may hold a token.
            _ => MdmError::malformed(MDM, "the token answer is not valid"),
        })?;
    let lifetime = response.expires_in().unwrap_or(Duration::from_secs(300));
    Ok((
        Sensitive::new(response.access_token().secret().clone()),
        lifetime,
    ))
}

/// The `oauth2` crate's HTTP client: the shared transport (timeouts, body cap, no redirects);
/// an error status becomes a typed error here, so `oauth2` only parses a success body.
struct OAuthHttp<'t>(&'t helpatwork_net::Transport);

impl<'c> oauth2::AsyncHttpClient<'c> for OAuthHttp<'_> {
    type Error = MdmError;
    type Future = Pin<Box<dyn Future<Output = Result<oauth2::HttpResponse, MdmError>> + Send + 'c>>;

    fn call(&'c self, request: oauth2::HttpRequest) -> Self::Future {
        Box::pin(async move {
            let request =
                reqwest::Request::try_from(request).map_err(|_| MdmError::InvalidConfig {
                    name: super::config::ENV_LOGIN_URL,
                    detail: "cannot build the token request".to_owned(),
                })?;
            let reply = self.0.execute(request).await.map_err(errors::from_token)?;
            let mut builder = oauth2::http::Response::builder().status(reply.status.as_u16());
            if let Some(content_type) = reply.content_type {
                builder =
                    builder.header(oauth2::http::header::CONTENT_TYPE, content_type.as_bytes());
            }
            builder
                .body(reply.body)
                .map_err(|_| MdmError::malformed(MDM, "token response headers"))
        })
    }
}
