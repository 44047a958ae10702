//! The agent's TeamViewer connection: the Web API client, where its secrets live, and the
//! demo's local sandbox.

use std::sync::Arc;

use helpatwork_teamviewer::{
    BrowserOpener, KeyringBackend, KeyringStore, SecretStore, TeamViewerClient, TeamViewerConfig,
    TeamViewerError, Url,
};

use crate::error::{AppError, ErrorCode};
use crate::paths::IDENTITY;

/// The TeamViewer side of the context. `client` is `None` only when the configuration is invalid
/// (`config_error` says why).
#[derive(Clone)]
pub struct TeamViewer {
    pub client: Option<TeamViewerClient>,
    pub config_error: Option<String>,
    /// Keeps the demo's sandbox service alive as long as the context.
    _sandbox: Option<Arc<helpatwork_teamviewer_sandbox::Sandbox>>,
}

impl std::fmt::Debug for TeamViewer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TeamViewer")
            .field("configured", &self.client.is_some())
            .field("demo_sandbox", &self._sandbox.is_some())
            .finish()
    }
}

impl TeamViewer {
    /// Real mode: the configuration from the environment, secrets in the OS keyring.
    pub fn from_env() -> Self {
        Self::from_lookup(|name| std::env::var(name).ok())
    }

    /// Real mode, reading `HELPATWORK_TEAMVIEWER_*` through `lookup` (the environment, then the
    /// saved settings: `crate::settings::Settings::lookup`).
    pub fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> Self {
        match TeamViewerConfig::from_lookup(lookup) {
            Ok(config) => match TeamViewerClient::new(config, os_secret_store()) {
                Ok(client) => Self {
                    client: Some(client),
                    config_error: None,
                    _sandbox: None,
                },
                Err(e) => Self {
                    client: None,
                    config_error: Some(e.to_string()),
                    _sandbox: None,
                },
            },
            Err(e) => Self {
                client: None,
                config_error: Some(e.to_string()),
                _sandbox: None,
            },
        }
    }

    /// A client on a sandbox it keeps alive (the labelled demo: `crate::demo_sandbox`).
    pub fn with_sandbox(
        client: TeamViewerClient,
        sandbox: helpatwork_teamviewer_sandbox::Sandbox,
    ) -> Self {
        Self {
            client: Some(client),
            config_error: None,
            _sandbox: Some(Arc::new(sandbox)),
        }
    }

    pub fn is_demo(&self) -> bool {
        self._sandbox.is_some()
    }

    /// The demo's sandbox (the demo only).
    pub fn sandbox(&self) -> Option<&helpatwork_teamviewer_sandbox::Sandbox> {
        self._sandbox.as_deref()
    }

    /// The client, or why there is none.
    pub fn client(&self) -> Result<&TeamViewerClient, AppError> {
        self.client.as_ref().ok_or_else(|| {
            AppError::invalid(format!(
                "The TeamViewer configuration is not valid: {}",
                self.config_error.as_deref().unwrap_or("unknown")
            ))
            .with_fix("Check HELPATWORK_TEAMVIEWER_API_URL and HELPATWORK_TEAMVIEWER_LOGIN_URL (docs/teamviewer.md).")
        })
    }

    /// The API host, allowed as a hand-off host besides TeamViewer's own (the sandbox's).
    pub fn api_host(&self) -> Option<String> {
        self.client
            .as_ref()
            .and_then(|c| c.config().api_url.host_str().map(str::to_string))
    }
}

/// Secret Service / Keychain / Credential Manager; on Linux without a Secret Service (headless,
/// no desktop session bus) the kernel keyutils keyring. `HELPATWORK_KEYRING=keyutils` forces it.
/// `HELPATWORK_KEYRING_SERVICE` names the keyring service (tests use their own). The back end is
/// chosen on first use, so commands that never touch a secret never probe the keyring.
pub(crate) fn os_secret_store() -> Arc<dyn SecretStore> {
    Arc::new(OsSecretStore::default())
}

#[derive(Default)]
struct OsSecretStore {
    store: std::sync::OnceLock<KeyringStore>,
}

impl OsSecretStore {
    fn store(&self) -> &KeyringStore {
        self.store.get_or_init(|| {
            let service = std::env::var("HELPATWORK_KEYRING_SERVICE")
                .ok()
                .filter(|s| !s.is_empty())
                .unwrap_or_else(|| IDENTITY.to_string());
            #[cfg(target_os = "linux")]
            {
                let forced = std::env::var("HELPATWORK_KEYRING").is_ok_and(|v| v == "keyutils");
                let no_session_bus = std::env::var_os("DBUS_SESSION_BUS_ADDRESS").is_none();
                if forced || no_session_bus {
                    return KeyringStore::with_backend(service, KeyringBackend::LinuxKeyutils);
                }
                let platform = KeyringStore::new(service.clone());
                if platform.get("probe").is_err() {
                    return KeyringStore::with_backend(service, KeyringBackend::LinuxKeyutils);
                }
                platform
            }
            #[cfg(not(target_os = "linux"))]
            {
                let _ = KeyringBackend::PlatformDefault;
                KeyringStore::new(service)
            }
        })
    }
}

impl SecretStore for OsSecretStore {
    fn get(
        &self,
        key: &str,
    ) -> Result<
        Option<helpatwork_teamviewer::Sensitive<String>>,
        helpatwork_teamviewer::SecretStoreError,
    > {
        self.store().get(key)
    }

    fn set(
        &self,
        key: &str,
        value: &helpatwork_teamviewer::Sensitive<String>,
    ) -> Result<(), helpatwork_teamviewer::SecretStoreError> {
        self.store().set(key, value)
    }

    fn delete(&self, key: &str) -> Result<(), helpatwork_teamviewer::SecretStoreError> {
        self.store().delete(key)
    }
}

/// How the browser is opened for sign-in: `HELPATWORK_BROWSER` (a program given the URL as its
/// only argument, no shell), else the system browser.
pub fn browser_from_env() -> Box<dyn BrowserOpener> {
    match std::env::var_os("HELPATWORK_BROWSER").filter(|v| !v.is_empty()) {
        Some(program) => Box::new(move |url: &Url| {
            std::process::Command::new(&program)
                .arg(url.as_str())
                .stdin(std::process::Stdio::null())
                .stdout(std::process::Stdio::null())
                .spawn()
                .map(|_| ())
                .map_err(|e| {
                    format!(
                        "{} could not start: {e}",
                        std::path::Path::new(&program).display()
                    )
                })
        }),
        None => Box::new(helpatwork_teamviewer::SystemBrowser),
    }
}

/// The demo's "browser": fetches the sandbox's authorize page, which approves at once and
/// redirects to the app's loopback listener.
pub fn demo_browser() -> Box<dyn BrowserOpener> {
    Box::new(|url: &Url| {
        let url = url.clone();
        tokio::spawn(async move {
            let client = reqwest::Client::new();
            if let Err(e) = client.get(url).send().await {
                tracing::warn!("demo sign-in: {e}");
            }
        });
        Ok(())
    })
}

impl From<TeamViewerError> for AppError {
    fn from(e: TeamViewerError) -> Self {
        use helpatwork_teamviewer::ErrorCode as Tv;
        let code = match e.code() {
            Tv::SignInNeeded | Tv::TokenExpired | Tv::InvalidToken => ErrorCode::SignInNeeded,
            Tv::NotConfigured => ErrorCode::InvalidInput,
            Tv::OauthCancelled | Tv::OauthTimeout | Tv::OauthDenied | Tv::OauthStateMismatch => {
                ErrorCode::SignInNeeded
            }
            _ => ErrorCode::ServiceFailed,
        };
        AppError::new(code, e.to_string())
            .with_fix(e.fix())
            .with_details(serde_json::json!({ "teamviewer_error": e.code().as_str() }))
    }
}

/// Warnings about TeamViewer configured on a host outside TeamViewer's domain: the token and
/// the app's client secret go there (not in the demo, whose sandbox is local on purpose).
pub fn foreign_host_warnings(
    teamviewer: &TeamViewer,
    lang: helpatwork_domain::Lang,
) -> Vec<String> {
    match &teamviewer.client {
        Some(client) if !teamviewer.is_demo() => {
            foreign_host_messages(&client.config().foreign_hosts(), lang)
        }
        _ => Vec::new(),
    }
}

/// The words of [`foreign_host_warnings`] for `(variable, host)` pairs.
pub fn foreign_host_messages(
    hosts: &[(&str, String)],
    lang: helpatwork_domain::Lang,
) -> Vec<String> {
    hosts
        .iter()
        .map(|(var, host)| match lang {
            helpatwork_domain::Lang::En => format!(
                "TeamViewer is configured at {host} ({var}), outside TeamViewer's domain ({}): the TeamViewer token and the app's client secret are sent there.",
                helpatwork_teamviewer::TEAMVIEWER_DOMAIN
            ),
            helpatwork_domain::Lang::PtBr => format!(
                "O TeamViewer está configurado em {host} ({var}), fora do domínio do TeamViewer ({}): o token do TeamViewer e o segredo do aplicativo são enviados para lá.",
                helpatwork_teamviewer::TEAMVIEWER_DOMAIN
            ),
        })
        .collect()
}
