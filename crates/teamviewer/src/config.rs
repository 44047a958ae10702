//! Configuration: where TeamViewer is, which app signs in, or which script token to use.

use std::time::Duration;

use helpatwork_net::service_url::{self, service_url, Query};
use helpatwork_net::{RetryPolicy, Sensitive};
use url::Url;

use crate::error::TeamViewerError;

/// The documented Web API base [docs/reference/teamviewer-web-api.md §1].
pub const DEFAULT_API_URL: &str = "https://webapi.teamviewer.com/api/v1";
/// The documented authorize endpoint [docs/reference/teamviewer-web-api.md §2.2].
pub const DEFAULT_LOGIN_URL: &str = "https://login.teamviewer.com/oauth2/authorize";

pub const ENV_API_URL: &str = "HELPATWORK_TEAMVIEWER_API_URL";
pub const ENV_LOGIN_URL: &str = "HELPATWORK_TEAMVIEWER_LOGIN_URL";
pub const ENV_CLIENT_ID: &str = "HELPATWORK_TEAMVIEWER_CLIENT_ID";
pub const ENV_CLIENT_SECRET: &str = "HELPATWORK_TEAMVIEWER_CLIENT_SECRET";
pub const ENV_TOKEN: &str = "HELPATWORK_TEAMVIEWER_TOKEN";

/// How to reach TeamViewer and authenticate. Debug output redacts the secrets.
#[derive(Debug, Clone)]
pub struct TeamViewerConfig {
    /// Web API base, e.g. `https://webapi.teamviewer.com/api/v1`. The token endpoint is
    /// `{api_url}/oauth2/token`, revoke is `{api_url}/oauth2/revoke`.
    pub api_url: Url,
    /// The OAuth2 authorize page.
    pub login_url: Url,
    /// The TeamViewer app's client ID (OAuth sign-in).
    pub client_id: Option<String>,
    /// The TeamViewer app's client secret (OAuth sign-in; TeamViewer requires it).
    pub client_secret: Option<Sensitive<String>>,
    /// A script token: when set, it is used as the bearer token and OAuth is skipped.
    pub script_token: Option<Sensitive<String>>,
}

impl Default for TeamViewerConfig {
    fn default() -> Self {
        // Constants, parsed in `defaults_are_the_documented_urls`.
        Self {
            api_url: Url::parse(DEFAULT_API_URL).unwrap_or_else(|_| unreachable!()),
            login_url: Url::parse(DEFAULT_LOGIN_URL).unwrap_or_else(|_| unreachable!()),
            client_id: None,
            client_secret: None,
            script_token: None,
        }
    }
}

impl TeamViewerConfig {
    /// Reads `HELPATWORK_TEAMVIEWER_{API_URL,LOGIN_URL,CLIENT_ID,CLIENT_SECRET,TOKEN}`;
    /// unset or empty variables keep the defaults.
    pub fn from_env() -> Result<Self, TeamViewerError> {
        Self::from_lookup(|name| std::env::var(name).ok())
    }

    /// Like [`Self::from_env`], reading variables through `lookup` (for tests).
    pub fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> Result<Self, TeamViewerError> {
        let var = |name: &str| {
            lookup(name)
                .map(|v| v.trim().to_owned())
                .filter(|v| !v.is_empty())
        };
        let mut config = Self::default();
        if let Some(url) = var(ENV_API_URL) {
            config.api_url = parse_url(ENV_API_URL, &url)?;
        }
        if let Some(url) = var(ENV_LOGIN_URL) {
            config.login_url = parse_url(ENV_LOGIN_URL, &url)?;
        }
        config.client_id = var(ENV_CLIENT_ID);
        config.client_secret = var(ENV_CLIENT_SECRET).map(Sensitive::new);
        config.script_token = var(ENV_TOKEN).map(Sensitive::new);
        Ok(config)
    }

    /// A config for a TeamViewer-compatible service at `api_url` / `login_url` (e.g. the sandbox).
    pub fn for_service(api_url: &str, login_url: &str) -> Result<Self, TeamViewerError> {
        Ok(Self {
            api_url: parse_url("api_url", api_url)?,
            login_url: parse_url("login_url", login_url)?,
            ..Self::default()
        })
    }

    /// Sets the TeamViewer app credentials used by OAuth sign-in.
    pub fn with_app(
        mut self,
        client_id: impl Into<String>,
        client_secret: Sensitive<String>,
    ) -> Self {
        self.client_id = Some(client_id.into());
        self.client_secret = Some(client_secret);
        self
    }

    /// Sets a script token (OAuth is then skipped).
    pub fn with_script_token(mut self, token: Sensitive<String>) -> Self {
        self.script_token = Some(token);
        self
    }

    pub(crate) fn endpoint(&self, path: &str) -> Result<Url, TeamViewerError> {
        service_url::join(&self.api_url, path).map_err(|_| TeamViewerError::InvalidConfig {
            name: "api_url",
            detail: "cannot append an API path".to_owned(),
        })
    }
}

/// Accepts `https` anywhere and plain `http` only for loopback hosts (sandbox, tests), so a
/// token is never sent unencrypted over a network; refuses a user name or password in the URL
/// (hardening finding 8: the token is sent to this URL, and they would go along to whoever that
/// is). The checks are the shared ones (`helpatwork_net::service_url`).
fn parse_url(name: &'static str, value: &str) -> Result<Url, TeamViewerError> {
    service_url(value, Query::Allowed).map_err(|problem| TeamViewerError::InvalidConfig {
        name,
        detail: problem.to_string(),
    })
}

/// TeamViewer's own domain: the documented API and sign-in hosts are under it.
pub const TEAMVIEWER_DOMAIN: &str = "teamviewer.com";

/// Whether `host` is TeamViewer's domain or one of its subdomains.
pub fn is_teamviewer_host(host: &str) -> bool {
    let host = host.trim_end_matches('.').to_ascii_lowercase();
    host == TEAMVIEWER_DOMAIN || host.ends_with(&format!(".{TEAMVIEWER_DOMAIN}"))
}

impl TeamViewerConfig {
    /// The configured URLs whose host is outside TeamViewer's domain, by variable name: the
    /// token (and the client secret) go there, so the app warns loudly about them.
    pub fn foreign_hosts(&self) -> Vec<(&'static str, String)> {
        [
            (ENV_API_URL, &self.api_url),
            (ENV_LOGIN_URL, &self.login_url),
        ]
        .into_iter()
        .filter_map(|(name, url)| {
            let host = url.host_str().unwrap_or_default();
            (!is_teamviewer_host(host)).then(|| (name, host.to_owned()))
        })
        .collect()
    }
}

/// Transport knobs. Defaults suit the real service; tests shorten them.
#[derive(Debug, Clone)]
pub struct ClientOptions {
    /// TCP + TLS connect timeout.
    pub connect_timeout: Duration,
    /// Whole-request timeout (headers and body).
    pub request_timeout: Duration,
    /// Response bodies larger than this are rejected as `malformed_response`.
    pub max_body_bytes: usize,
    /// Backoff and retry bounds for idempotent calls.
    pub retry: RetryPolicy,
    /// The keyring entry ("user") holding the OAuth token pair.
    pub token_key: String,
    /// Refresh this long before the access token's announced expiry.
    pub refresh_margin: Duration,
}

impl Default for ClientOptions {
    fn default() -> Self {
        Self {
            connect_timeout: Duration::from_secs(10),
            request_timeout: Duration::from_secs(30),
            max_body_bytes: 1024 * 1024,
            retry: RetryPolicy::default(),
            token_key: "teamviewer-oauth-token".to_owned(),
            refresh_margin: Duration::from_secs(60),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn from_env_reads_every_variable() {
        let vars = [
            (ENV_API_URL, "http://127.0.0.1:9/api/v1/"),
            (ENV_LOGIN_URL, "http://127.0.0.1:9/oauth2/authorize"),
            (ENV_CLIENT_ID, "12345-abc"),
            (ENV_CLIENT_SECRET, "s3cret"),
            (ENV_TOKEN, " "),
        ];
        let config = TeamViewerConfig::from_lookup(|name| {
            vars.iter()
                .find(|(k, _)| *k == name)
                .map(|(_, v)| (*v).to_owned())
        })
        .expect("valid config");
        assert_eq!(config.client_id.as_deref(), Some("12345-abc"));
        assert_eq!(
            config.client_secret.as_ref().map(|s| s.expose().as_str()),
            Some("s3cret")
        );
        assert!(
            config.script_token.is_none(),
            "blank variables count as unset"
        );
        assert_eq!(
            config.endpoint("oauth2/token").expect("url").as_str(),
            "http://127.0.0.1:9/api/v1/oauth2/token"
        );
        assert!(!format!("{config:?}").contains("s3cret"));
    }

    #[test]
    fn defaults_are_the_documented_urls() {
        let config = TeamViewerConfig::from_lookup(|_| None).expect("defaults");
        assert_eq!(config.api_url.as_str(), DEFAULT_API_URL);
        assert_eq!(config.login_url.as_str(), DEFAULT_LOGIN_URL);
        assert_eq!(
            config.endpoint("ping").expect("url").as_str(),
            "https://webapi.teamviewer.com/api/v1/ping"
        );
    }

    #[test]
    fn user_info_in_a_configured_url_is_refused() {
        // Hardening finding 8: user:password@ was accepted and the token sent along.
        for url in [
            "https://user:pass@webapi.teamviewer.com/api/v1",
            "https://user@webapi.teamviewer.com/api/v1",
        ] {
            let err = TeamViewerConfig::for_service(url, DEFAULT_LOGIN_URL).unwrap_err();
            assert!(err.to_string().contains("user name or password"), "{err}");
        }
        let err = TeamViewerConfig::from_lookup(|n| {
            (n == ENV_LOGIN_URL)
                .then(|| "https://a:b@login.teamviewer.com/oauth2/authorize".to_owned())
        })
        .unwrap_err();
        assert!(
            !err.to_string().contains("a:b"),
            "the password is not echoed: {err}"
        );
    }

    #[test]
    fn hosts_outside_teamviewer_are_named() {
        let config = TeamViewerConfig::from_lookup(|_| None).unwrap();
        assert!(config.foreign_hosts().is_empty());
        let config = TeamViewerConfig::for_service(
            "https://api.evil.example/api/v1",
            "https://login.teamviewer.com.evil.example/oauth2/authorize",
        )
        .unwrap();
        let hosts: Vec<_> = config.foreign_hosts().into_iter().map(|(_, h)| h).collect();
        assert_eq!(
            hosts,
            vec!["api.evil.example", "login.teamviewer.com.evil.example"]
        );
        assert!(is_teamviewer_host("webapi.teamviewer.com"));
        assert!(!is_teamviewer_host("notteamviewer.com"));
    }

    #[test]
    fn plain_http_only_on_loopback() {
        assert!(
            TeamViewerConfig::for_service("http://example.com/api/v1", DEFAULT_LOGIN_URL).is_err()
        );
        assert!(
            TeamViewerConfig::for_service("http://localhost:1/api/v1", DEFAULT_LOGIN_URL).is_ok()
        );
        assert!(TeamViewerConfig::for_service("ftp://127.0.0.1/", DEFAULT_LOGIN_URL).is_err());
    }
}
