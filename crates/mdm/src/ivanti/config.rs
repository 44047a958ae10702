//! Where the Ivanti tenant is, which API user signs in, and transport knobs.

use std::time::Duration;

use helpatwork_net::service_url::{self, service_url, Query, UrlProblem};
use helpatwork_net::{RetryPolicy, Sensitive};
use url::Url;

use crate::error::MdmError;

pub const ENV_URL: &str = "HELPATWORK_IVANTI_URL";
pub const ENV_USER: &str = "HELPATWORK_IVANTI_USER";
pub const ENV_PASSWORD: &str = "HELPATWORK_IVANTI_PASSWORD";
pub const ENV_PARTITION: &str = "HELPATWORK_IVANTI_PARTITION";
/// Common Platform Services (CPS) access, for the app inventory: the base address (optional:
/// Basic authentication uses the tenant's own address), a user with the CPS role, its password.
pub const ENV_CPS_URL: &str = "HELPATWORK_IVANTI_CPS_URL";
pub const ENV_CPS_USER: &str = "HELPATWORK_IVANTI_CPS_USER";
pub const ENV_CPS_PASSWORD: &str = "HELPATWORK_IVANTI_CPS_PASSWORD";
/// CPS calls a minute for the app inventory (1–600; default [`DEFAULT_CPS_CALLS_PER_MINUTE`]).
pub const ENV_CPS_RATE: &str = "HELPATWORK_IVANTI_CPS_RATE";

/// The lowest per-cluster rate Ivanti documents for `msa/v1/cps/device/application`: 100 calls a
/// minute (AP2; NA1 300, NA2 400) ["Aggregate API rate limits per cluster", CPS API guide].
pub const DEFAULT_CPS_CALLS_PER_MINUTE: u32 = 100;

/// Access to Ivanti's Common Platform Services API (`/msa/v1/cps`), which has the app inventory
/// the device search lacks. Its own user (with the CPS role), password and rate limits.
#[derive(Debug, Clone)]
pub struct CpsConfig {
    /// `https://<tenant host>`: `/msa/v1/cps/…` is appended [CPS "Endpoint information": with
    /// Basic authentication the endpoint is the tenant's fully qualified host name].
    pub base_url: Url,
    pub user: String,
    pub password: Sensitive<String>,
    /// Calls a minute this client allows itself (the limit is per cluster, shared by every
    /// client of the tenant's cluster).
    pub calls_per_minute: u32,
}

impl CpsConfig {
    /// `{base_url}/msa/v1/cps/{path}`.
    pub(crate) fn endpoint(&self, path: &str) -> Result<Url, MdmError> {
        service_url::join(&self.base_url, &format!("msa/v1/cps/{path}")).map_err(|_| {
            MdmError::InvalidConfig {
                name: ENV_CPS_URL,
                detail: "cannot append an API path".to_owned(),
            }
        })
    }
}

/// How to reach an Ivanti Neurons for MDM tenant. Debug output redacts the password.
#[derive(Debug, Clone)]
pub struct IvantiConfig {
    /// The tenant's base address, e.g. `https://na1.mobileiron.com`; API paths
    /// (`/api/v1/…`) are appended to it.
    pub base_url: Url,
    /// The API user's name (its generated e-mail address) [docs/reference/mdm-apis.md §2.1].
    pub user: String,
    /// The API user's password, sent with HTTP Basic authentication.
    pub password: Sensitive<String>,
    /// The device space (`dmPartitionId`); `None`: the tenant's default space, discovered
    /// through `GET /api/v1/tenant/partition/device` [docs/reference/mdm-apis.md §2.2].
    pub partition: Option<String>,
    /// CPS access for the app inventory; `None`: the apps stay unknown.
    pub cps: Option<CpsConfig>,
}

impl IvantiConfig {
    /// A config for the tenant at `base_url`.
    pub fn new(
        base_url: &str,
        user: impl Into<String>,
        password: Sensitive<String>,
    ) -> Result<Self, MdmError> {
        let user = user.into();
        if user.trim().is_empty() {
            return Err(MdmError::NotConfigured { missing: ENV_USER });
        }
        if password.expose().is_empty() {
            return Err(MdmError::NotConfigured {
                missing: ENV_PASSWORD,
            });
        }
        if user.contains(':') {
            // HTTP Basic cannot carry a ':' in the user name (RFC 7617 §2).
            return Err(MdmError::InvalidConfig {
                name: ENV_USER,
                detail: "must not contain ':'".to_owned(),
            });
        }
        Ok(Self {
            base_url: parse_base_url(base_url)?,
            user: user.trim().to_owned(),
            password,
            partition: None,
            cps: None,
        })
    }

    /// Uses this device space instead of discovering the default one.
    pub fn with_partition(mut self, partition: impl Into<String>) -> Result<Self, MdmError> {
        self.partition = Some(parse_partition(&partition.into())?);
        Ok(self)
    }

    /// Reads `HELPATWORK_IVANTI_{URL,USER,PASSWORD,PARTITION}` and the optional CPS access
    /// (`HELPATWORK_IVANTI_CPS_{URL,USER,PASSWORD,RATE}`).
    pub fn from_env() -> Result<Self, MdmError> {
        Self::from_lookup(|name| std::env::var(name).ok())
    }

    /// Like [`Self::from_env`], reading variables through `lookup` (for tests).
    pub fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> Result<Self, MdmError> {
        let var = |name: &str| lookup(name).filter(|v| !v.trim().is_empty());
        let url = var(ENV_URL).ok_or(MdmError::NotConfigured { missing: ENV_URL })?;
        let user = var(ENV_USER).ok_or(MdmError::NotConfigured { missing: ENV_USER })?;
        // The password is taken as is: leading or trailing spaces may be part of it.
        let password = var(ENV_PASSWORD).ok_or(MdmError::NotConfigured {
            missing: ENV_PASSWORD,
        })?;
        let mut config = Self::new(url.trim(), user, Sensitive::new(password))?;
        config.cps = cps_from_lookup(&var, &config.base_url)?;
        match var(ENV_PARTITION) {
            Some(partition) => config.with_partition(partition),
            None => Ok(config),
        }
    }

    /// `{base_url}/api/v1/{path}`.
    pub(crate) fn endpoint(&self, path: &str) -> Result<Url, MdmError> {
        service_url::join(&self.base_url, &format!("api/v1/{path}")).map_err(|_| {
            MdmError::InvalidConfig {
                name: ENV_URL,
                detail: "cannot append an API path".to_owned(),
            }
        })
    }
}

/// CPS access when its user or password is set (then both are needed); the URL defaults to the
/// tenant's.
fn cps_from_lookup(
    var: &impl Fn(&str) -> Option<String>,
    tenant: &Url,
) -> Result<Option<CpsConfig>, MdmError> {
    let (user, password) = (var(ENV_CPS_USER), var(ENV_CPS_PASSWORD));
    if user.is_none() && password.is_none() {
        return Ok(None);
    }
    let user = user.ok_or(MdmError::NotConfigured {
        missing: ENV_CPS_USER,
    })?;
    let password = password.ok_or(MdmError::NotConfigured {
        missing: ENV_CPS_PASSWORD,
    })?;
    if user.contains(':') {
        return Err(MdmError::InvalidConfig {
            name: ENV_CPS_USER,
            detail: "must not contain ':'".to_owned(),
        });
    }
    let base_url = match var(ENV_CPS_URL) {
        Some(url) => parse_base_url(url.trim()).map_err(|e| match e {
            MdmError::InvalidConfig { detail, .. } => MdmError::InvalidConfig {
                name: ENV_CPS_URL,
                detail,
            },
            other => other,
        })?,
        None => tenant.clone(),
    };
    let calls_per_minute = match var(ENV_CPS_RATE) {
        None => DEFAULT_CPS_CALLS_PER_MINUTE,
        Some(rate) => parse_rate(&rate)?,
    };
    Ok(Some(CpsConfig {
        base_url,
        user: user.trim().to_owned(),
        password: Sensitive::new(password),
        calls_per_minute,
    }))
}

/// CPS calls a minute: a whole number from 1 to 600.
pub fn parse_rate(text: &str) -> Result<u32, MdmError> {
    match text.trim().parse::<u32>() {
        Ok(n) if (1..=600).contains(&n) => Ok(n),
        _ => Err(MdmError::InvalidConfig {
            name: ENV_CPS_RATE,
            detail: "must be a whole number of calls a minute from 1 to 600".to_owned(),
        }),
    }
}

/// Accepts `https` anywhere and plain `http` only for loopback hosts (the fake, tests), so the
/// password never travels unencrypted over a network; no credentials, query or fragment in it.
/// The checks are the shared ones (`helpatwork_net::service_url`), worded for this setting.
fn parse_base_url(value: &str) -> Result<Url, MdmError> {
    service_url(value, Query::Refused).map_err(|problem| MdmError::InvalidConfig {
        name: ENV_URL,
        detail: match problem {
            UrlProblem::UserInfo => {
                "must not contain credentials; use HELPATWORK_IVANTI_USER and _PASSWORD".to_owned()
            }
            other => other.to_string(),
        },
    })
}

/// Partition ids are numbers in every documented answer (`"dmPartitionId": 33533`).
fn parse_partition(value: &str) -> Result<String, MdmError> {
    let value = value.trim();
    if !value.is_empty() && value.len() <= 20 && value.bytes().all(|b| b.is_ascii_digit()) {
        Ok(value.to_owned())
    } else {
        Err(MdmError::InvalidConfig {
            name: ENV_PARTITION,
            detail: "must be the numeric dmPartitionId of a device space".to_owned(),
        })
    }
}

/// Transport knobs. Defaults suit the real service; tests shorten them.
#[derive(Debug, Clone)]
pub struct IvantiOptions {
    /// TCP + TLS connect timeout.
    pub connect_timeout: Duration,
    /// Whole-request timeout (headers and body).
    pub request_timeout: Duration,
    /// Response bodies larger than this are rejected as `malformed_response`.
    pub max_body_bytes: usize,
    /// Backoff and retry bounds for reads (GET, and CPS's inventory POST).
    pub retry: RetryPolicy,
    /// An optional `fq` filter for the device search, e.g. `platformType=ANDROID`
    /// [docs/reference/mdm-apis.md §2.3]. `None`: every device of the space.
    pub filter: Option<String>,
}

impl Default for IvantiOptions {
    fn default() -> Self {
        Self {
            connect_timeout: Duration::from_secs(10),
            request_timeout: Duration::from_secs(60),
            max_body_bytes: 16 * 1024 * 1024,
            retry: RetryPolicy::default(),
            filter: None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::ErrorCode;

    fn lookup(vars: &'static [(&'static str, &'static str)]) -> impl Fn(&str) -> Option<String> {
        move |name| {
            vars.iter()
                .find(|(k, _)| *k == name)
                .map(|(_, v)| (*v).to_owned())
        }
    }

    #[test]
    fn from_env_reads_every_variable() {
        let config = IvantiConfig::from_lookup(lookup(&[
            (ENV_URL, " https://na1.mobileiron.com/ "),
            (ENV_USER, "api-7f3a@tenant.example"),
            (ENV_PASSWORD, "s3cret pass"),
            (ENV_PARTITION, "33533"),
        ]))
        .expect("valid config");
        assert_eq!(config.user, "api-7f3a@tenant.example");
        assert_eq!(config.password.expose(), "s3cret pass");
        assert_eq!(config.partition.as_deref(), Some("33533"));
        assert_eq!(
            config.endpoint("device").expect("url").as_str(),
            "https://na1.mobileiron.com/api/v1/device"
        );
        let debug = format!("{config:?}");
        assert!(!debug.contains("s3cret"), "{debug}");
        assert!(debug.contains("<redacted>"));
    }

    #[test]
    fn missing_variables_are_not_configured() {
        let err = IvantiConfig::from_lookup(lookup(&[(ENV_URL, "https://x.example")]))
            .expect_err("no user");
        assert_eq!(err, MdmError::NotConfigured { missing: ENV_USER });
        assert_eq!(err.code(), ErrorCode::NotConfigured);
        let err = IvantiConfig::from_lookup(lookup(&[
            (ENV_URL, "https://x.example"),
            (ENV_USER, "u"),
            (ENV_PASSWORD, "  "),
        ]))
        .expect_err("blank password");
        assert_eq!(
            err,
            MdmError::NotConfigured {
                missing: ENV_PASSWORD
            }
        );
        assert_eq!(
            IvantiConfig::from_lookup(lookup(&[])).expect_err("nothing"),
            MdmError::NotConfigured { missing: ENV_URL }
        );
    }

    #[test]
    fn plain_http_only_for_loopback() {
        let ok = |url: &str| IvantiConfig::new(url, "u", "p".into()).is_ok();
        assert!(ok("https://eu1.mobileiron.com"));
        assert!(ok("http://127.0.0.1:8080"));
        assert!(ok("http://localhost:8080/"));
        assert!(!ok("http://eu1.mobileiron.com"));
        assert!(!ok("ftp://eu1.mobileiron.com"));
        assert!(!ok("https://user:pw@eu1.mobileiron.com"));
        assert!(!ok("https://eu1.mobileiron.com/?x=1"));
        assert!(!ok("not a url"));
    }

    #[test]
    fn partition_must_be_numeric() {
        let config = IvantiConfig::new("https://x.example", "u", "p".into()).expect("config");
        assert!(config.clone().with_partition("100001").is_ok());
        for bad in ["", "abc", "1 OR 1=1", "12&rows=9"] {
            let err = config.clone().with_partition(bad).expect_err(bad);
            assert_eq!(err.code(), ErrorCode::NotConfigured);
        }
    }

    #[test]
    fn cps_access_is_optional_and_complete_when_given() {
        static BASE: [(&str, &str); 3] = [
            (ENV_URL, "https://na1.mobileiron.com"),
            (ENV_USER, "api@t"),
            (ENV_PASSWORD, "pw"),
        ];
        assert!(IvantiConfig::from_lookup(lookup(&BASE))
            .unwrap()
            .cps
            .is_none());
        static WITH: [(&str, &str); 5] = [
            (ENV_URL, "https://na1.mobileiron.com"),
            (ENV_USER, "api@t"),
            (ENV_PASSWORD, "pw"),
            (ENV_CPS_USER, "cps@t"),
            (ENV_CPS_PASSWORD, "cps-secret"),
        ];
        let cps = IvantiConfig::from_lookup(lookup(&WITH))
            .unwrap()
            .cps
            .unwrap();
        assert_eq!(
            cps.endpoint("device/application").unwrap().as_str(),
            "https://na1.mobileiron.com/msa/v1/cps/device/application"
        );
        assert_eq!(cps.calls_per_minute, DEFAULT_CPS_CALLS_PER_MINUTE);
        assert!(!format!("{cps:?}").contains("cps-secret"));
        static HALF: [(&str, &str); 4] = [
            (ENV_URL, "https://na1.mobileiron.com"),
            (ENV_USER, "api@t"),
            (ENV_PASSWORD, "pw"),
            (ENV_CPS_USER, "cps@t"),
        ];
        assert_eq!(
            IvantiConfig::from_lookup(lookup(&HALF)).unwrap_err(),
            MdmError::NotConfigured {
                missing: ENV_CPS_PASSWORD
            }
        );
        assert!(parse_rate("0").is_err() && parse_rate("601").is_err() && parse_rate("x").is_err());
        assert_eq!(parse_rate(" 300 ").unwrap(), 300);
    }

    #[test]
    fn user_with_colon_is_rejected() {
        assert!(IvantiConfig::new("https://x.example", "a:b", "p".into()).is_err());
    }
}
