//! Token upkeep: the credential of each call, the single-flight refresh of rotating refresh
//! tokens, and the token pair kept in the secret store (read, written and deleted off the async
//! runtime).

use std::sync::Arc;
use std::time::Duration;

use chrono::Utc;
use helpatwork_net::Sensitive;

use super::{Credential, TeamViewerClient, TokenCache};
use crate::error::TeamViewerError;
use crate::oauth;
use crate::retry::is_transient;
use crate::tokens::TokenSet;

impl TeamViewerClient {
    /// The credential for the next call; refreshes first when the access token is past its
    /// announced expiry.
    pub(super) async fn credential(&self) -> Result<Credential, TeamViewerError> {
        if let Some(token) = &self.inner.config.script_token {
            return Ok(Credential::Script(token.clone()));
        }
        let mut cache = self.inner.tokens.lock().await;
        self.load(&mut cache).await?;
        let tokens = cache.tokens.clone().ok_or(TeamViewerError::SignInNeeded)?;
        if tokens.refresh.is_some()
            && tokens.needs_refresh(Utc::now(), self.inner.options.refresh_margin)
        {
            tracing::info!("access token is due; refreshing");
            match self.refresh_locked(&mut cache, &tokens.access).await {
                Ok(fresh) => return Ok(Credential::OAuth(fresh.access)),
                // Inside the margin the old token still works: use it rather than fail.
                Err(e) if is_transient(&e) && !tokens.needs_refresh(Utc::now(), Duration::ZERO) => {
                    tracing::warn!(error = %e.code(), "refresh failed; the access token is still valid");
                }
                Err(e) => return Err(e),
            }
        }
        Ok(Credential::OAuth(tokens.access))
    }

    /// Refreshes unless someone already replaced `stale`; returns the access token to use.
    pub(super) async fn refresh_after(
        &self,
        stale: &Sensitive<String>,
    ) -> Result<Sensitive<String>, TeamViewerError> {
        let mut cache = self.inner.tokens.lock().await;
        self.load(&mut cache).await?;
        Ok(self.refresh_locked(&mut cache, stale).await?.access)
    }

    /// The single-flight refresh; the caller holds the token lock.
    pub(super) async fn refresh_locked(
        &self,
        cache: &mut TokenCache,
        stale: &Sensitive<String>,
    ) -> Result<TokenSet, TeamViewerError> {
        // Another caller in this process refreshed while we waited for the lock.
        if let Some(current) = cache.tokens.as_ref().filter(|t| t.access != *stale) {
            return Ok(current.clone());
        }
        // Another process (the CLI beside the window) stored a newer pair.
        let stored = self.read_store().await?;
        if let Some(stored) = stored.filter(|t| t.access != *stale) {
            cache.tokens = Some(stored.clone());
            return Ok(stored);
        }
        let refresh_token = cache
            .tokens
            .as_ref()
            .and_then(|t| t.refresh.clone())
            .ok_or(TeamViewerError::SignInNeeded)?;
        let app = self.oauth_app()?;
        match oauth::refresh(&self.inner.transport, &app, &refresh_token).await {
            Ok(fresh) => {
                // Memory first: the old refresh token is already dead, so the new pair must not
                // be lost even if the keyring write fails.
                cache.tokens = Some(fresh.clone());
                self.write_store(&fresh).await?;
                tracing::info!("refreshed the TeamViewer access token");
                Ok(fresh)
            }
            Err(e) if refresh_rejected(&e) => {
                tracing::warn!(error = %e.code(), "TeamViewer refused the refresh token");
                cache.tokens = None;
                self.delete_store().await?;
                Err(TeamViewerError::SignInNeeded)
            }
            Err(e) => Err(e),
        }
    }

    pub(super) async fn forget_tokens(&self) -> Result<(), TeamViewerError> {
        let mut cache = self.inner.tokens.lock().await;
        cache.tokens = None;
        cache.loaded = true;
        self.delete_store().await
    }

    pub(super) async fn load(&self, cache: &mut TokenCache) -> Result<(), TeamViewerError> {
        if !cache.loaded {
            cache.tokens = self.read_store().await?;
            cache.loaded = true;
        }
        Ok(())
    }

    pub(super) async fn read_store(&self) -> Result<Option<TokenSet>, TeamViewerError> {
        let secrets = Arc::clone(&self.inner.secrets);
        let key = self.inner.options.token_key.clone();
        let secret = blocking(move || secrets.get(&key)).await?;
        match secret {
            Some(secret) => Ok(Some(TokenSet::from_secret(&secret)?)),
            None => Ok(None),
        }
    }

    pub(super) async fn write_store(&self, tokens: &TokenSet) -> Result<(), TeamViewerError> {
        let secrets = Arc::clone(&self.inner.secrets);
        let key = self.inner.options.token_key.clone();
        let secret = tokens.to_secret()?;
        blocking(move || secrets.set(&key, &secret)).await
    }

    pub(super) async fn delete_store(&self) -> Result<(), TeamViewerError> {
        let secrets = Arc::clone(&self.inner.secrets);
        let key = self.inner.options.token_key.clone();
        blocking(move || secrets.delete(&key)).await
    }
}

/// A refresh answer that means "this refresh token is dead": sign in again.
pub(super) fn refresh_rejected(error: &TeamViewerError) -> bool {
    matches!(
        error,
        TeamViewerError::InvalidRequest { .. }
            | TeamViewerError::InvalidToken
            | TeamViewerError::TokenExpired
            | TeamViewerError::NotFound { .. }
            | TeamViewerError::UnexpectedResponse {
                status: 400..=499,
                ..
            }
    )
}

/// Runs a blocking secret-store call off the async runtime.
async fn blocking<T, E>(
    f: impl FnOnce() -> Result<T, E> + Send + 'static,
) -> Result<T, TeamViewerError>
where
    T: Send + 'static,
    E: Into<TeamViewerError> + Send + 'static,
{
    tokio::task::spawn_blocking(f)
        .await
        .map_err(|_| {
            TeamViewerError::SecretStore(crate::secrets::SecretStoreError::Unavailable(
                "the keyring call did not finish".to_owned(),
            ))
        })?
        .map_err(Into::into)
}
