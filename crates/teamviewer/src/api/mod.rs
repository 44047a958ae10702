//! `TeamViewerClient`: sign-in, token upkeep and the Web API calls the app uses.
//!
//! Token rules: an expired access token (`401 token_expired`, a `false` ping, or a passed
//! `expires_in`) triggers one refresh and one retry. Refresh tokens are single-use and rotate,
//! so refreshing is single-flight: the token lock is held across the refresh, and a caller that
//! waited finds a different access token than the one it saw fail and reuses it.
//!
//! Here: the client, sign-in and sign-out, and the plumbing every call goes through (one
//! refresh on `401 token_expired`, bounded retries of idempotent calls). The service-case calls
//! are in `sessions`, the credential, refresh and secret-store upkeep in `token_upkeep`.

use std::sync::Arc;

use chrono::{DateTime, Utc};
use helpatwork_net::{RetryPolicy, Sensitive};
use reqwest::{Method, StatusCode};
use tokio::sync::Mutex;

use crate::config::{ClientOptions, TeamViewerConfig};
use crate::error::{ErrorCode, TeamViewerError};
use crate::http::Transport;
use crate::model::Account;
use crate::oauth::{self, BrowserOpener, LoopbackRedirect, OAuthApp, SignInOptions};
use crate::responses;
use crate::retry::is_transient;
use crate::secrets::SecretStore;
use crate::tokens::TokenSet;

mod sessions;
mod token_upkeep;

use token_upkeep::refresh_rejected;

/// How the client authenticates.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AuthKind {
    /// `HELPATWORK_TEAMVIEWER_TOKEN`: a script token, no OAuth.
    ScriptToken,
    /// An OAuth token pair from the secret store.
    OAuth,
}

/// What sign-out did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SignOutOutcome {
    /// The token was revoked at TeamViewer (or was already dead) and deleted locally.
    Revoked,
    /// Deleted locally; revoking failed for the given reason (the token may live until expiry).
    DeletedLocallyOnly(ErrorCode),
    /// There was nothing to sign out of.
    NotSignedIn,
    /// A script token is configured: it is neither revoked nor deleted (it is not ours).
    ScriptToken,
}

/// The TeamViewer Web API client. Cheap to clone; clones share the token state.
#[derive(Clone)]
pub struct TeamViewerClient {
    inner: Arc<Inner>,
}

struct Inner {
    config: TeamViewerConfig,
    options: ClientOptions,
    transport: Transport,
    secrets: Arc<dyn SecretStore>,
    /// The token cache; its lock is also the single-flight guard for refreshes.
    tokens: Mutex<TokenCache>,
}

#[derive(Default)]
struct TokenCache {
    loaded: bool,
    tokens: Option<TokenSet>,
}

/// The bearer token of one call, and whether it can be refreshed.
#[derive(Clone)]
enum Credential {
    Script(Sensitive<String>),
    OAuth(Sensitive<String>),
}

impl Credential {
    fn token(&self) -> &Sensitive<String> {
        match self {
            Self::Script(t) | Self::OAuth(t) => t,
        }
    }
}

/// One API call: what is needed to send it again.
pub(crate) struct Call {
    method: Method,
    path: String,
    pub(crate) query: Vec<(&'static str, String)>,
    body: Option<Vec<u8>>,
    /// GET and PUT: safe to retry after a transport or server failure.
    idempotent: bool,
}

impl std::fmt::Debug for TeamViewerClient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TeamViewerClient")
            .field("config", &self.inner.config)
            .finish_non_exhaustive()
    }
}

impl TeamViewerClient {
    /// A client with default transport options.
    pub fn new(
        config: TeamViewerConfig,
        secrets: Arc<dyn SecretStore>,
    ) -> Result<Self, TeamViewerError> {
        Self::with_options(config, secrets, ClientOptions::default())
    }

    /// A client with explicit timeouts, body cap, retry policy and keyring entry name.
    pub fn with_options(
        config: TeamViewerConfig,
        secrets: Arc<dyn SecretStore>,
        options: ClientOptions,
    ) -> Result<Self, TeamViewerError> {
        let transport = Transport::new(&options)?;
        Ok(Self {
            inner: Arc::new(Inner {
                config,
                options,
                transport,
                secrets,
                tokens: Mutex::new(TokenCache::default()),
            }),
        })
    }

    pub fn config(&self) -> &TeamViewerConfig {
        &self.inner.config
    }

    // ---- sign-in, sign-out, token state -------------------------------------------------

    /// Signs in with OAuth (authorization code + PKCE, loopback redirect), stores the token
    /// pair in the secret store and returns the account. With a script token configured, no
    /// OAuth happens: this just returns the account.
    #[tracing::instrument(skip_all, err)]
    pub async fn sign_in(
        &self,
        opener: &dyn BrowserOpener,
        options: SignInOptions,
    ) -> Result<Account, TeamViewerError> {
        if self.inner.config.script_token.is_some() {
            return self.account().await;
        }
        let app = self.oauth_app()?;
        let redirect = LoopbackRedirect::bind().await?;
        let redirect_uri = redirect.redirect_uri().clone();
        let request = oauth::authorization_request(
            app.client_id,
            &self.inner.config.login_url,
            &redirect_uri,
        );
        opener
            .open(&request.url)
            .map_err(|detail| TeamViewerError::BrowserOpenFailed { detail })?;
        tracing::info!("waiting for the TeamViewer sign-in in the browser");
        let code = redirect
            .wait(&request.state, options.timeout, &options.cancel)
            .await?;
        let tokens = tokio::select! {
            () = options.cancel.cancelled() => return Err(TeamViewerError::OauthCancelled),
            tokens = oauth::exchange_code(
                &self.inner.transport,
                &app,
                &redirect_uri,
                code,
                request.verifier,
            ) => tokens.map_err(|e| {
                // TeamViewer refused the code (expired, used, or the sign-in was revoked): the
                // agent signs in again; a failure of the service itself stays what it is.
                if refresh_rejected(&e) {
                    TeamViewerError::OauthDenied {
                        reason: format!("TeamViewer did not accept the sign-in code ({})", e.code()),
                    }
                } else {
                    e
                }
            })?,
        };
        {
            let mut cache = self.inner.tokens.lock().await;
            self.write_store(&tokens).await?;
            cache.tokens = Some(tokens);
            cache.loaded = true;
        }
        tracing::info!("signed in to TeamViewer");
        self.account().await
    }

    /// Revokes the OAuth token at TeamViewer (`POST /oauth2/revoke`) and deletes it locally.
    /// Local deletion happens even when revoking fails.
    #[tracing::instrument(skip_all, err)]
    pub async fn sign_out(&self) -> Result<SignOutOutcome, TeamViewerError> {
        if self.inner.config.script_token.is_some() {
            return Ok(SignOutOutcome::ScriptToken);
        }
        let mut cache = self.inner.tokens.lock().await;
        self.load(&mut cache).await?;
        let Some(tokens) = cache.tokens.clone() else {
            self.delete_store().await?;
            return Ok(SignOutOutcome::NotSignedIn);
        };
        let mut revoked = self.revoke(&tokens.access).await;
        if revoked == Err(TeamViewerError::TokenExpired) {
            // Revoking needs a live access token; the refresh token is still alive, so rotate
            // once and revoke the new pair (which kills the refresh token too).
            revoked = match self.refresh_locked(&mut cache, &tokens.access).await {
                Ok(fresh) => self.revoke(&fresh.access).await,
                Err(TeamViewerError::SignInNeeded) => Ok(()),
                Err(e) => Err(e),
            };
        }
        cache.tokens = None;
        cache.loaded = true;
        self.delete_store().await?;
        Ok(match revoked {
            Ok(()) | Err(TeamViewerError::InvalidToken) => SignOutOutcome::Revoked,
            Err(e) => SignOutOutcome::DeletedLocallyOnly(e.code()),
        })
    }

    /// How the client would authenticate right now, without a network call. `None`: signed out.
    pub async fn auth_kind(&self) -> Result<Option<AuthKind>, TeamViewerError> {
        if self.inner.config.script_token.is_some() {
            return Ok(Some(AuthKind::ScriptToken));
        }
        let mut cache = self.inner.tokens.lock().await;
        self.load(&mut cache).await?;
        Ok(cache.tokens.as_ref().map(|_| AuthKind::OAuth))
    }

    /// Rule S3's check: holds a valid token? Pings (`token_valid`); an expired OAuth token is
    /// refreshed once. `Err(sign_in_needed)` means the agent must sign in.
    #[tracing::instrument(skip_all, err)]
    pub async fn ensure_valid_token(&self) -> Result<AuthKind, TeamViewerError> {
        let credential = self.credential().await?;
        if self.ping_with(credential.token()).await? {
            return Ok(match credential {
                Credential::Script(_) => AuthKind::ScriptToken,
                Credential::OAuth(_) => AuthKind::OAuth,
            });
        }
        match credential {
            Credential::Script(_) => Err(TeamViewerError::InvalidToken),
            Credential::OAuth(stale) => {
                tracing::info!("TeamViewer reports the token invalid; refreshing once");
                let fresh = self.refresh_after(&stale).await?;
                if self.ping_with(&fresh).await? {
                    Ok(AuthKind::OAuth)
                } else {
                    self.forget_tokens().await?;
                    Err(TeamViewerError::SignInNeeded)
                }
            }
        }
    }

    /// When the OAuth access token expires, if TeamViewer said (`expires_in`). For a
    /// readiness view; never the token itself.
    pub async fn token_expires_at(&self) -> Result<Option<DateTime<Utc>>, TeamViewerError> {
        let mut cache = self.inner.tokens.lock().await;
        self.load(&mut cache).await?;
        Ok(cache.tokens.as_ref().and_then(|t| t.expires_at))
    }

    // ---- Web API calls -------------------------------------------------------------------

    /// `GET /ping` → `token_valid` (with one refresh on `401 token_expired`).
    #[tracing::instrument(skip_all, err)]
    pub async fn ping(&self) -> Result<bool, TeamViewerError> {
        let body = self.call(&Call::get("ping")).await?;
        responses::ping(&body)
    }

    /// `GET /account`: the signed-in account's non-secret facts.
    #[tracing::instrument(skip_all, err)]
    pub async fn account(&self) -> Result<Account, TeamViewerError> {
        let body = self.call(&Call::get("account")).await?;
        responses::account(&body)
    }

    // ---- plumbing ------------------------------------------------------------------------

    fn oauth_app(&self) -> Result<OAuthApp<'_>, TeamViewerError> {
        let config = &self.inner.config;
        let client_id = config
            .client_id
            .as_deref()
            .ok_or(TeamViewerError::NotConfigured {
                missing: crate::config::ENV_CLIENT_ID,
            })?;
        let client_secret =
            config
                .client_secret
                .as_ref()
                .ok_or(TeamViewerError::NotConfigured {
                    missing: crate::config::ENV_CLIENT_SECRET,
                })?;
        Ok(OAuthApp {
            client_id,
            client_secret,
            token_url: config.endpoint("oauth2/token")?,
        })
    }

    /// Sends a call with the current credential; on `401 token_expired` refreshes once and
    /// sends once more.
    #[tracing::instrument(skip_all, err, fields(method = %call.method, path = %call.path))]
    pub(crate) async fn call(&self, call: &Call) -> Result<Vec<u8>, TeamViewerError> {
        let credential = self.credential().await?;
        match self.send(call, credential.token()).await {
            Err(TeamViewerError::TokenExpired) => match credential {
                Credential::OAuth(stale) => {
                    tracing::info!("access token expired; refreshing once and retrying");
                    let fresh = self.refresh_after(&stale).await?;
                    self.send(call, &fresh).await
                }
                Credential::Script(_) => Err(TeamViewerError::TokenExpired),
            },
            other => other,
        }
    }

    /// One call with bounded retries (idempotent calls only).
    pub(crate) async fn send(
        &self,
        call: &Call,
        token: &Sensitive<String>,
    ) -> Result<Vec<u8>, TeamViewerError> {
        let never = RetryPolicy::never();
        let policy = if call.idempotent {
            &self.inner.options.retry
        } else {
            &never
        };
        let mut url = self.inner.config.endpoint(&call.path)?;
        if !call.query.is_empty() {
            url.query_pairs_mut().extend_pairs(&call.query);
        }
        let on_retry = |error: &TeamViewerError, retry: helpatwork_net::Retry| {
            tracing::warn!(
                error = %error.code(),
                delay_ms = u64::try_from(retry.delay.as_millis()).unwrap_or(u64::MAX),
                "TeamViewer call failed; retrying"
            );
        };
        let transport = &self.inner.transport;
        let reply = helpatwork_net::retry(policy, is_transient, on_retry, move || {
            transport.send_api(
                call.method.clone(),
                url.clone(),
                token,
                call.body.as_deref(),
            )
        })
        .await?;
        Ok(expect_body(reply.status, reply.body))
    }

    /// `GET /ping` with a given token; `401 token_expired` counts as "not valid".
    async fn ping_with(&self, token: &Sensitive<String>) -> Result<bool, TeamViewerError> {
        match self.send(&Call::get("ping"), token).await {
            Ok(body) => responses::ping(&body),
            Err(TeamViewerError::TokenExpired | TeamViewerError::InvalidToken) => Ok(false),
            Err(e) => Err(e),
        }
    }

    async fn revoke(&self, access: &Sensitive<String>) -> Result<(), TeamViewerError> {
        let call = Call {
            method: Method::POST,
            path: "oauth2/revoke".to_owned(),
            query: Vec::new(),
            body: None,
            // Revoking twice has the same effect as once.
            idempotent: true,
        };
        self.send(&call, access).await.map(drop)
    }
}

impl Call {
    pub(crate) fn get(path: &str) -> Self {
        Self {
            method: Method::GET,
            path: path.to_owned(),
            query: Vec::new(),
            body: None,
            idempotent: true,
        }
    }
}

/// 204 has no body; everything else is returned as is.
fn expect_body(status: StatusCode, body: Vec<u8>) -> Vec<u8> {
    if status == StatusCode::NO_CONTENT {
        Vec::new()
    } else {
        body
    }
}
