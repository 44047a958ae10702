//! Which Entra ID tenant and app registration sign in to Microsoft Graph, and transport knobs.

use std::time::Duration;

use helpatwork_net::service_url::{service_url, Query, UrlProblem};
use helpatwork_net::{RetryPolicy, Sensitive};
use url::Url;

use crate::error::MdmError;

/// The directory (tenant) id, a GUID, or a verified domain (`contoso.onmicrosoft.com`).
pub const ENV_TENANT_ID: &str = "HELPATWORK_INTUNE_TENANT_ID";
/// The app registration's application (client) id, a GUID.
pub const ENV_CLIENT_ID: &str = "HELPATWORK_INTUNE_CLIENT_ID";
/// The app registration's client secret (its value, not its id).
pub const ENV_CLIENT_SECRET: &str = "HELPATWORK_INTUNE_CLIENT_SECRET";
/// Optional: another Graph address (national clouds; the fake). Default `https://graph.microsoft.com`.
pub const ENV_GRAPH_URL: &str = "HELPATWORK_INTUNE_GRAPH_URL";
/// Optional: another sign-in authority. Default `https://login.microsoftonline.com`.
pub const ENV_LOGIN_URL: &str = "HELPATWORK_INTUNE_LOGIN_URL";

pub const DEFAULT_GRAPH_URL: &str = "https://graph.microsoft.com";
pub const DEFAULT_LOGIN_URL: &str = "https://login.microsoftonline.com";

/// How to reach an Intune tenant through Graph. Debug output redacts the secret.
#[derive(Debug, Clone)]
pub struct IntuneConfig {
    pub tenant_id: String,
    pub client_id: String,
    pub client_secret: Sensitive<String>,
    /// Graph's base address; `/v1.0/…` is appended.
    pub graph_url: Url,
    /// The sign-in authority; `/{tenant}/oauth2/v2.0/token` is appended.
    pub login_url: Url,
}

impl IntuneConfig {
    /// A config for the public cloud's Graph and sign-in addresses.
    pub fn new(
        tenant_id: &str,
        client_id: &str,
        client_secret: Sensitive<String>,
    ) -> Result<Self, MdmError> {
        Ok(Self {
            tenant_id: parse_tenant(tenant_id)?,
            client_id: parse_client_id(client_id)?,
            client_secret: match client_secret.expose().is_empty() {
                true => {
                    return Err(MdmError::NotConfigured {
                        missing: ENV_CLIENT_SECRET,
                    })
                }
                false => client_secret,
            },
            graph_url: parse_url(DEFAULT_GRAPH_URL, ENV_GRAPH_URL)?,
            login_url: parse_url(DEFAULT_LOGIN_URL, ENV_LOGIN_URL)?,
        })
    }

    /// Uses other Graph and sign-in addresses (a national cloud, the fake).
    pub fn with_urls(mut self, graph_url: &str, login_url: &str) -> Result<Self, MdmError> {
        self.graph_url = parse_url(graph_url, ENV_GRAPH_URL)?;
        self.login_url = parse_url(login_url, ENV_LOGIN_URL)?;
        Ok(self)
    }

    /// Reads `HELPATWORK_INTUNE_*`.
    pub fn from_env() -> Result<Self, MdmError> {
        Self::from_lookup(|name| std::env::var(name).ok())
    }

    /// Like [`Self::from_env`], reading variables through `lookup`.
    pub fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> Result<Self, MdmError> {
        let var = |name: &str| lookup(name).filter(|v| !v.trim().is_empty());
        let tenant = var(ENV_TENANT_ID).ok_or(MdmError::NotConfigured {
            missing: ENV_TENANT_ID,
        })?;
        let client = var(ENV_CLIENT_ID).ok_or(MdmError::NotConfigured {
            missing: ENV_CLIENT_ID,
        })?;
        let secret = var(ENV_CLIENT_SECRET).ok_or(MdmError::NotConfigured {
            missing: ENV_CLIENT_SECRET,
        })?;
        let config = Self::new(&tenant, &client, Sensitive::new(secret))?;
        let graph = var(ENV_GRAPH_URL).unwrap_or_else(|| DEFAULT_GRAPH_URL.to_owned());
        let login = var(ENV_LOGIN_URL).unwrap_or_else(|| DEFAULT_LOGIN_URL.to_owned());
        config.with_urls(graph.trim(), login.trim())
    }

    /// `{graph}/v1.0/{path}`.
    pub(crate) fn graph(&self, path: &str) -> Result<Url, MdmError> {
        self.graph_at("v1.0", path)
    }

    /// `{graph}/{version}/{path}`: `v1.0`, or `beta` for the one call v1.0 lacks (Android
    /// Enterprise app configurations, docs/intune.md).
    pub(crate) fn graph_at(&self, version: &str, path: &str) -> Result<Url, MdmError> {
        helpatwork_net::service_url::join(&self.graph_url, &format!("{version}/{path}")).map_err(
            |_| MdmError::InvalidConfig {
                name: ENV_GRAPH_URL,
                detail: "cannot append an API path".to_owned(),
            },
        )
    }

    /// `{login}/{tenant}/oauth2/v2.0/token`.
    pub(crate) fn token_url(&self) -> Result<Url, MdmError> {
        helpatwork_net::service_url::join(
            &self.login_url,
            &format!("{}/oauth2/v2.0/token", self.tenant_id),
        )
        .map_err(|_| MdmError::InvalidConfig {
            name: ENV_LOGIN_URL,
            detail: "cannot append the token path".to_owned(),
        })
    }
}

/// A GUID: 8-4-4-4-12 hexadecimal digits.
pub fn is_guid(text: &str) -> bool {
    let parts: Vec<&str> = text.split('-').collect();
    parts.len() == 5
        && parts
            .iter()
            .zip([8, 4, 4, 4, 12])
            .all(|(p, n)| p.len() == n && p.bytes().all(|b| b.is_ascii_hexdigit()))
}

/// A tenant id is a GUID or a domain name (letters, digits, dots and hyphens).
pub fn parse_tenant(text: &str) -> Result<String, MdmError> {
    let text = text.trim();
    let domain = text.contains('.')
        && text.len() <= 253
        && text
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'.' || b == b'-');
    if is_guid(text) || domain {
        Ok(text.to_ascii_lowercase())
    } else if text.is_empty() {
        Err(MdmError::NotConfigured {
            missing: ENV_TENANT_ID,
        })
    } else {
        Err(MdmError::InvalidConfig {
            name: ENV_TENANT_ID,
            detail: "must be the directory (tenant) id, a GUID, or the tenant's domain".to_owned(),
        })
    }
}

/// A client id is the app registration's application id, a GUID.
pub fn parse_client_id(text: &str) -> Result<String, MdmError> {
    let text = text.trim();
    if is_guid(text) {
        Ok(text.to_ascii_lowercase())
    } else if text.is_empty() {
        Err(MdmError::NotConfigured {
            missing: ENV_CLIENT_ID,
        })
    } else {
        Err(MdmError::InvalidConfig {
            name: ENV_CLIENT_ID,
            detail: "must be the app registration's application (client) id, a GUID".to_owned(),
        })
    }
}

/// `https` anywhere, `http` only for loopback (the fake); no credentials, query or fragment.
fn parse_url(value: &str, name: &'static str) -> Result<Url, MdmError> {
    service_url(value, Query::Refused).map_err(|problem| MdmError::InvalidConfig {
        name,
        detail: match problem {
            UrlProblem::UserInfo => "must not contain credentials".to_owned(),
            other => other.to_string(),
        },
    })
}

/// Transport knobs. Defaults suit the real service; tests shorten them.
#[derive(Debug, Clone)]
pub struct IntuneOptions {
    pub connect_timeout: Duration,
    pub request_timeout: Duration,
    /// Response bodies larger than this are `malformed_response`.
    pub max_body_bytes: usize,
    /// Backoff and retry bounds for reads (the device list, the token). A `Retry-After` is
    /// honoured within them.
    pub retry: RetryPolicy,
}

impl Default for IntuneOptions {
    fn default() -> Self {
        Self {
            connect_timeout: Duration::from_secs(10),
            request_timeout: Duration::from_secs(60),
            max_body_bytes: 32 * 1024 * 1024,
            retry: RetryPolicy {
                // Graph's throttling asks for waits of seconds to minutes: allow one of up to
                // a minute within two minutes of waits.
                max_attempts: 5,
                max_delay: Duration::from_secs(60),
                max_total_wait: Duration::from_secs(120),
                ..RetryPolicy::default()
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_checked() {
        assert!(parse_tenant("contoso.onmicrosoft.com").is_ok());
        assert!(parse_tenant("6babcaad-604b-40ac-a9d7-9fd97c0b779f").is_ok());
        assert!(parse_tenant("a/b").is_err());
        assert!(parse_client_id("not-a-guid").is_err());
        assert!(matches!(
            parse_client_id(" "),
            Err(MdmError::NotConfigured { .. })
        ));
    }

    #[test]
    fn debug_never_shows_the_secret() {
        let config = IntuneConfig::new(
            "contoso.onmicrosoft.com",
            "3e7b1f5c-2d4a-4c8e-9f61-0a2b3c4d5e6f",
            Sensitive::new("s3cr3t-value".to_owned()),
        )
        .expect("config");
        assert!(!format!("{config:?}").contains("s3cr3t-value"));
    }
}
