//! The agent's settings: TeamViewer sign-in, MDM connector, store, language, desktop client.
//!
//! They live in `settings.json` in the data directory (`Paths::settings_file`), one value per
//! key, read when the app starts. Secrets (the TeamViewer script token and app client secret, the
//! Ivanti password) go to the OS keyring, never to the file; a PostgreSQL URL holding a password
//! is refused (PGPASSFILE keeps it). Every value is validated before anything is written, so a
//! bad value changes nothing, and a file edited by hand is validated the same way when read.
//!
//! Precedence, highest first: command-line flags (`--lang`, `--demo`), environment variables
//! (`HELPATWORK_*`), this file (and the keyring for its secrets), the built-in defaults.
//!
//! What is deliberately not here: applying a setting to a running window (the window says when a
//! restart is needed), Tauri, terminal output.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use helpatwork_domain::Lang;
use helpatwork_teamviewer::{SecretStore, Sensitive};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::{AppError, ErrorCode, Result};
use crate::paths::Paths;

/// How a setting's value is checked and where it is kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// One of these words.
    Choice(&'static [&'static str]),
    /// One line of text without spaces (ids, user names).
    Word,
    /// Kept in the OS keyring under this entry.
    Secret(&'static str),
    /// The Ivanti tenant's https address.
    IvantiUrl,
    /// A numeric Ivanti device space id.
    Partition,
    /// CPS calls a minute, 1–600.
    Rate,
    /// An absolute SQLite path, `sqlite:…`, or `postgres://…` without a password.
    Store,
    /// An existing directory, absolute.
    Directory,
}

struct Spec {
    key: &'static str,
    /// The environment variable that takes precedence over the file, if any.
    env: Option<&'static str>,
    kind: Kind,
    /// The running window keeps the old value until it is started again.
    restart: bool,
}

const SPECS: &[Spec] = &[
    Spec {
        key: "language",
        env: None,
        kind: Kind::Choice(&["en", "pt-BR"]),
        restart: false,
    },
    Spec {
        key: "teamviewer.sign_in",
        env: None,
        kind: Kind::Choice(&["oauth", "script_token"]),
        restart: true,
    },
    Spec {
        key: "teamviewer.client_id",
        env: Some(helpatwork_teamviewer::ENV_CLIENT_ID),
        kind: Kind::Word,
        restart: true,
    },
    Spec {
        key: "teamviewer.client_secret",
        env: Some(helpatwork_teamviewer::ENV_CLIENT_SECRET),
        kind: Kind::Secret("settings.teamviewer-client-secret"),
        restart: true,
    },
    Spec {
        key: "teamviewer.token",
        env: Some(helpatwork_teamviewer::ENV_TOKEN),
        kind: Kind::Secret("settings.teamviewer-script-token"),
        restart: true,
    },
    Spec {
        key: "mdm.connector",
        env: Some("HELPATWORK_MDM"),
        kind: Kind::Choice(&["embedded", "ivanti"]),
        restart: true,
    },
    Spec {
        key: "ivanti.url",
        env: Some(helpatwork_mdm::ivanti::ENV_URL),
        kind: Kind::IvantiUrl,
        restart: true,
    },
    Spec {
        key: "ivanti.user",
        env: Some(helpatwork_mdm::ivanti::ENV_USER),
        kind: Kind::Word,
        restart: true,
    },
    Spec {
        key: "ivanti.password",
        env: Some(helpatwork_mdm::ivanti::ENV_PASSWORD),
        kind: Kind::Secret("settings.ivanti-password"),
        restart: true,
    },
    Spec {
        key: "ivanti.partition",
        env: Some(helpatwork_mdm::ivanti::ENV_PARTITION),
        kind: Kind::Partition,
        restart: true,
    },
    Spec {
        key: "ivanti.cps_url",
        env: Some(helpatwork_mdm::ivanti::ENV_CPS_URL),
        kind: Kind::IvantiUrl,
        restart: true,
    },
    Spec {
        key: "ivanti.cps_user",
        env: Some(helpatwork_mdm::ivanti::ENV_CPS_USER),
        kind: Kind::Word,
        restart: true,
    },
    Spec {
        key: "ivanti.cps_password",
        env: Some(helpatwork_mdm::ivanti::ENV_CPS_PASSWORD),
        kind: Kind::Secret("settings.ivanti-cps-password"),
        restart: true,
    },
    Spec {
        key: "ivanti.cps_rate",
        env: Some(helpatwork_mdm::ivanti::ENV_CPS_RATE),
        kind: Kind::Rate,
        restart: true,
    },
    Spec {
        key: "store.url",
        env: Some("HELPATWORK_DATABASE_URL"),
        kind: Kind::Store,
        restart: true,
    },
    Spec {
        key: "desktop.teamviewer_home",
        env: Some(helpatwork_desktop::TEAMVIEWER_HOME_ENV),
        kind: Kind::Directory,
        restart: true,
    },
];

fn spec(key: &str) -> Result<&'static Spec> {
    SPECS.iter().find(|s| s.key == key).ok_or_else(|| {
        AppError::invalid(format!("\"{key}\" is not a setting."))
            .with_fix(format!("Use one of: {}.", keys().join(", ")))
    })
}

/// Every setting's key, in display order.
pub fn keys() -> Vec<&'static str> {
    SPECS.iter().map(|s| s.key).collect()
}

/// Where a setting's effective value comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum SettingSource {
    /// An environment variable (it wins over the file).
    Env,
    /// The settings file.
    File,
    /// The OS keyring (secrets set here).
    Keyring,
    /// Not set: the built-in default applies.
    Default,
}

/// One setting as `settings show` and the window's Settings view show it. Secrets never carry
/// their value: only whether one is set.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct SettingEntry {
    pub key: String,
    /// The effective value; `None` for secrets and for unset settings.
    pub value: Option<String>,
    /// What the settings file (or keyring, for a secret) holds, secrets excepted.
    pub saved: Option<String>,
    pub source: SettingSource,
    /// The environment variable that overrides the file, when there is one.
    pub env: Option<String>,
    /// An environment variable is set and hides the saved value.
    pub overridden: bool,
    pub secret: bool,
    /// A secret has a value (in the environment or the keyring).
    pub is_set: bool,
    /// The accepted words, for a choice.
    pub choices: Vec<String>,
    /// The running window applies a change only after a restart.
    pub restart: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct SettingsView {
    /// The settings file.
    pub file: String,
    pub entries: Vec<SettingEntry>,
    /// The redirect address to register for the TeamViewer app: the loopback interface, any
    /// port (RFC 8252), this path.
    pub oauth_redirect: String,
    /// What the agent must know about these settings: TeamViewer configured on a host outside
    /// TeamViewer's domain, where the token would go.
    pub warnings: Vec<String>,
}

/// What `settings set` did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct SettingChange {
    pub key: String,
    /// `false` when the value was cleared.
    pub set: bool,
    /// The window must be restarted for the change to apply.
    pub restart: bool,
    /// An environment variable still overrides the saved value.
    pub overridden_by: Option<String>,
    pub settings: SettingsView,
}

/// What a connection test can check.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum TestTarget {
    Teamviewer,
    Mdm,
    Store,
    Desktop,
}

impl TestTarget {
    pub fn parse(text: &str) -> Option<Self> {
        match text {
            "teamviewer" => Some(Self::Teamviewer),
            "mdm" => Some(Self::Mdm),
            "store" => Some(Self::Store),
            "desktop" => Some(Self::Desktop),
            _ => None,
        }
    }
}

/// A connection test that passed. A failed one is an [`AppError`] with its fix.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ConnectionTest {
    pub target: TestTarget,
    pub message: String,
    /// Warnings worth knowing even though the test passed.
    pub notes: Vec<String>,
}

type EnvLookup = Arc<dyn Fn(&str) -> Option<String> + Send + Sync>;

/// The saved settings, with the environment and the keyring they are read together with.
#[derive(Clone)]
pub struct Settings {
    file: PathBuf,
    values: BTreeMap<String, String>,
    env: EnvLookup,
    secrets: Arc<dyn SecretStore>,
}

impl std::fmt::Debug for Settings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Settings")
            .field("file", &self.file)
            .field("values", &self.values)
            .finish_non_exhaustive()
    }
}

impl Settings {
    /// The settings of the data dir `paths`, the process environment, the OS keyring.
    pub fn load(paths: &Paths) -> Result<Self> {
        Self::load_with(
            paths.settings_file(),
            Arc::new(|name: &str| std::env::var(name).ok()),
            crate::teamviewer::os_secret_store(),
        )
    }

    /// Like [`Self::load`] with the file, the environment and the secret store given (tests).
    pub fn load_with(file: PathBuf, env: EnvLookup, secrets: Arc<dyn SecretStore>) -> Result<Self> {
        let values = read_file(&file)?;
        Ok(Self {
            file,
            values,
            env,
            secrets,
        })
    }

    pub fn file(&self) -> &Path {
        &self.file
    }

    fn env_var(&self, name: &str) -> Option<String> {
        (self.env)(name).filter(|v| !v.trim().is_empty())
    }

    /// The saved value of `key` (secrets: never; use [`Self::lookup`]).
    pub fn saved(&self, key: &str) -> Option<&str> {
        self.values.get(key).map(String::as_str)
    }

    /// The value of environment variable `name` as the app should see it: the environment, else
    /// what the settings file (or, for secrets, the keyring) holds for the setting it names.
    /// Secrets are read only when the saved choices use them (a script token only with
    /// `teamviewer.sign_in = script_token`, the Ivanti password only with the Ivanti connector).
    pub fn lookup(&self, name: &str) -> Option<String> {
        if let Some(v) = self.env_var(name) {
            return Some(v);
        }
        let spec = SPECS.iter().find(|s| s.env == Some(name))?;
        match spec.kind {
            Kind::Secret(entry) => {
                let wanted = match spec.key {
                    "teamviewer.token" => self.saved("teamviewer.sign_in") == Some("script_token"),
                    "teamviewer.client_secret" => {
                        self.saved("teamviewer.sign_in") != Some("script_token")
                    }
                    _ => self.mdm_connector() == "ivanti",
                };
                if !wanted {
                    return None;
                }
                match self.secrets.get(entry) {
                    Ok(v) => v.map(|s| s.expose().clone()),
                    Err(e) => {
                        tracing::warn!(key = spec.key, "the keyring could not be read: {e}");
                        None
                    }
                }
            }
            Kind::Store => self.saved(spec.key).map(store_url),
            _ => self.saved(spec.key).map(str::to_string),
        }
    }

    /// The effective MDM connector name: `HELPATWORK_MDM`, else the file, else `embedded`.
    pub fn mdm_connector(&self) -> String {
        self.env_var("HELPATWORK_MDM")
            .or_else(|| self.saved("mdm.connector").map(str::to_string))
            .unwrap_or_else(|| "embedded".to_string())
            .trim()
            .to_string()
    }

    /// The saved language, if any.
    pub fn language(&self) -> Option<Lang> {
        self.saved("language").and_then(Lang::parse)
    }

    /// The store to open when `HELPATWORK_DATABASE_URL` is not set: the saved one, as a URL.
    pub fn database_url(&self) -> Option<String> {
        self.lookup("HELPATWORK_DATABASE_URL")
    }

    /// Where the desktop client is looked for: `HELPATWORK_TEAMVIEWER_HOME`, else the saved
    /// directory, else the OS's standard place.
    pub fn discovery(&self) -> helpatwork_desktop::DiscoveryOptions {
        match self.lookup(helpatwork_desktop::TEAMVIEWER_HOME_ENV) {
            Some(home) => helpatwork_desktop::DiscoveryOptions::with_teamviewer_home(home),
            None => helpatwork_desktop::DiscoveryOptions::default(),
        }
    }

    /// The MDM connector the settings choose (`HELPATWORK_MDM`, else the file): `None` for the
    /// embedded fleet (the composition root then builds it over the store).
    pub fn connector(&self) -> Result<Option<Arc<dyn helpatwork_mdm::MdmConnector>>> {
        match self.mdm_connector().as_str() {
            "" | "embedded" => Ok(None),
            "ivanti" => {
                let config = helpatwork_mdm::IvantiConfig::from_lookup(|n| self.lookup(n))
                    .map_err(|e| AppError::from(e).with_fix(
                        "Complete the Ivanti settings: helpatwork settings set ivanti.url|ivanti.user|ivanti.password VALUE (or Settings → MDM in the window).",
                    ))?;
                Ok(Some(Arc::new(helpatwork_mdm::IvantiConnector::new(config)?)))
            }
            other => Err(AppError::invalid(format!(
                "The MDM connector \"{other}\" is not one this version knows."
            ))
            .with_fix("Use embedded or ivanti (HELPATWORK_MDM, or helpatwork settings set mdm.connector).")),
        }
    }

    /// Every setting, with its effective value and where it comes from.
    pub fn view(&self) -> SettingsView {
        let entries = SPECS
            .iter()
            .map(|spec| {
                let env_value = spec.env.and_then(|n| self.env_var(n));
                let secret = matches!(spec.kind, Kind::Secret(_));
                let saved = if secret {
                    None
                } else {
                    self.saved(spec.key).map(str::to_string)
                };
                let in_keyring = match spec.kind {
                    Kind::Secret(entry) => self.secrets.get(entry).ok().flatten().is_some(),
                    _ => false,
                };
                let source = if env_value.is_some() {
                    SettingSource::Env
                } else if in_keyring {
                    SettingSource::Keyring
                } else if saved.is_some() {
                    SettingSource::File
                } else {
                    SettingSource::Default
                };
                let value = if secret {
                    None
                } else {
                    env_value.clone().or_else(|| saved.clone())
                };
                SettingEntry {
                    key: spec.key.to_string(),
                    value: value.map(|v| {
                        if spec.kind == Kind::Store {
                            helpatwork_store::redact_url(&v)
                        } else {
                            v
                        }
                    }),
                    overridden: env_value.is_some() && (saved.is_some() || in_keyring),
                    saved,
                    source,
                    env: spec.env.map(str::to_string),
                    secret,
                    is_set: secret && (env_value.is_some() || in_keyring),
                    choices: match spec.kind {
                        Kind::Choice(words) => words.iter().map(|w| w.to_string()).collect(),
                        _ => Vec::new(),
                    },
                    restart: spec.restart,
                }
            })
            .collect();
        SettingsView {
            file: self.file.display().to_string(),
            entries,
            oauth_redirect: format!(
                "http://127.0.0.1:<any port>{}",
                helpatwork_teamviewer::CALLBACK_PATH
            ),
            warnings: Vec::new(),
        }
    }

    /// [`Self::view`] with its warnings, in `lang`.
    pub fn view_in(&self, lang: Lang) -> SettingsView {
        let mut view = self.view();
        view.warnings = self.warnings(lang);
        view
    }

    /// TeamViewer's URLs (the environment) on a host outside TeamViewer's domain.
    pub fn warnings(&self, lang: Lang) -> Vec<String> {
        let hosts: Vec<(&str, String)> = [
            helpatwork_teamviewer::ENV_API_URL,
            helpatwork_teamviewer::ENV_LOGIN_URL,
        ]
        .into_iter()
        .filter_map(|var| {
            let value = self.lookup(var)?;
            let host = helpatwork_teamviewer::Url::parse(value.trim())
                .ok()?
                .host_str()?
                .to_string();
            (!helpatwork_teamviewer::is_teamviewer_host(&host)).then_some((var, host))
        })
        .collect();
        crate::teamviewer::foreign_host_messages(&hosts, lang)
    }

    /// Validates `value` for `key` and saves it (an empty value clears the setting). Nothing is
    /// written when the value is not valid. Secrets go to the keyring.
    pub fn set(&mut self, key: &str, value: &str) -> Result<SettingChange> {
        let spec = spec(key)?;
        let clear = value.trim().is_empty();
        match spec.kind {
            Kind::Secret(entry) => {
                let result = if clear {
                    self.secrets.delete(entry)
                } else {
                    self.secrets.set(entry, &Sensitive::new(value.to_string()))
                };
                result.map_err(|e| {
                    AppError::internal(format!("The OS keyring could not keep {key}: {e}"))
                        .with_fix("Unlock the OS keyring (on Linux: a Secret Service, or a kernel keyring session), or set the environment variable instead.")
                })?;
            }
            _ => {
                let mut values = self.values.clone();
                if clear {
                    values.remove(key);
                } else {
                    values.insert(key.to_string(), validate(spec, value.trim())?);
                }
                write_file(&self.file, &values)?;
                self.values = values;
            }
        }
        let overridden_by = spec
            .env
            .filter(|n| self.env_var(n).is_some())
            .map(str::to_string);
        Ok(SettingChange {
            key: key.to_string(),
            set: !clear,
            restart: spec.restart,
            overridden_by,
            settings: self.view(),
        })
    }
}

/// A saved store value as a URL `Store::open` takes: a path becomes a SQLite file URL.
fn store_url(value: &str) -> String {
    if value.contains(':') && !Path::new(value).is_absolute() {
        value.to_string()
    } else {
        format!("sqlite://{value}?mode=rwc")
    }
}

fn invalid(key: &str, value: &str, why: &str, fix: &str) -> AppError {
    AppError::invalid(format!("\"{value}\" is not a valid {key}: {why}."))
        .with_fix(fix.to_string())
        .with_details(serde_json::json!({ "key": key }))
}

/// The value to save for `spec`, or why it cannot be.
fn validate(spec: &Spec, value: &str) -> Result<String> {
    let key = spec.key;
    match spec.kind {
        Kind::Choice(words) => words
            .iter()
            .find(|w| w.eq_ignore_ascii_case(value) || value.replace('-', "_") == **w)
            .map(|w| w.to_string())
            .ok_or_else(|| {
                invalid(
                    key,
                    value,
                    "not one of the choices",
                    &format!("Use {}.", words.join(" or ")),
                )
            }),
        Kind::Word => {
            if value.chars().count() > 256 || value.chars().any(|c| c.is_whitespace() || c.is_control()) {
                Err(invalid(key, value, "spaces, control characters or over 256 characters", "Paste the value exactly as shown where it was created."))
            } else if (key == "ivanti.user" || key == "ivanti.cps_user") && value.contains(':') {
                Err(invalid(key, value, "HTTP Basic user names cannot contain ':'", "Use the API user's e-mail address from Ivanti (Admin → Users)."))
            } else {
                Ok(value.to_string())
            }
        }
        Kind::IvantiUrl => helpatwork_mdm::IvantiConfig::new(value, "check", helpatwork_mdm::Sensitive::new("check".to_string()))
            .map(|c| c.base_url.as_str().trim_end_matches('/').to_string())
            .map_err(|e| invalid(key, value, &e.to_string(), "Use the tenant's https:// address, e.g. https://na1.mobileiron.com, without a user or password.")),
        Kind::Partition => {
            if !value.is_empty() && value.len() <= 20 && value.bytes().all(|b| b.is_ascii_digit()) {
                Ok(value.to_string())
            } else {
                Err(invalid(key, value, "a device space id is a number", "Use the numeric dmPartitionId (helpatwork settings test mdm lists them), or clear it to use the default space."))
            }
        }
        Kind::Rate => helpatwork_mdm::ivanti::parse_rate(value)
            .map(|n| n.to_string())
            .map_err(|_| invalid(key, value, "not a whole number of calls a minute from 1 to 600", "Use the rate Ivanti documents for your cluster (100 on AP2, 300 on NA1), or clear it for 100.")),
        Kind::Directory => {
            let path = Path::new(value);
            if !path.is_absolute() {
                Err(invalid(key, value, "not an absolute path", "Use the full path of the TeamViewer install directory, e.g. /opt/teamviewer."))
            } else if !path.is_dir() {
                Err(invalid(key, value, "no such directory", "Use the directory TeamViewer is installed in, e.g. /opt/teamviewer."))
            } else {
                Ok(value.to_string())
            }
        }
        Kind::Store => validate_store(key, value),
        Kind::Secret(_) => Ok(String::new()),
    }
}

fn validate_store(key: &str, value: &str) -> Result<String> {
    let path_fix = "Use an absolute path to a SQLite file whose directory exists, or postgres://user@host:5432/database.";
    let lower = value.to_ascii_lowercase();
    if lower.starts_with("postgres://") || lower.starts_with("postgresql://") {
        let url = helpatwork_teamviewer::Url::parse(value)
            .map_err(|e| invalid(key, value, &format!("not a URL ({e})"), path_fix))?;
        if url.password().is_some() {
            return Err(AppError::invalid(format!(
                "The {key} \"{}\" holds a password, and settings never keep passwords in a file.",
                helpatwork_store::redact_url(value)
            ))
            .with_fix("Remove the password from the URL and put it in a PGPASSFILE (~/.pgpass: host:port:database:user:password, mode 0600), or set HELPATWORK_DATABASE_URL in the environment.")
            .with_details(serde_json::json!({ "key": key })));
        }
        if url.host_str().is_none_or(str::is_empty) {
            return Err(invalid(key, value, "no host", path_fix));
        }
        return Ok(value.to_string());
    }
    let path = match lower.strip_prefix("sqlite:") {
        Some(_) => {
            let rest = value["sqlite:".len()..].trim_start_matches("//");
            rest.split('?').next().unwrap_or("").to_string()
        }
        None if value.contains("://") => {
            return Err(invalid(
                key,
                value,
                "only SQLite and PostgreSQL are supported",
                path_fix,
            ))
        }
        None => value.to_string(),
    };
    let p = Path::new(&path);
    if !p.is_absolute() {
        return Err(invalid(key, value, "not an absolute path", path_fix));
    }
    match p.parent() {
        Some(dir) if dir.is_dir() => Ok(value.to_string()),
        _ => Err(invalid(
            key,
            value,
            "its directory does not exist",
            path_fix,
        )),
    }
}

fn read_file(file: &Path) -> Result<BTreeMap<String, String>> {
    let shown = file.display();
    let fix = format!(
        "Correct or delete {shown}, or change the value with `helpatwork settings set KEY VALUE`."
    );
    let values = crate::settings_file::read(file)?;
    for (key, value) in &values {
        let spec = spec(key).map_err(|e| {
            AppError::invalid(format!("The settings file {shown}: {}", e.message))
                .with_fix(fix.clone())
        })?;
        if matches!(spec.kind, Kind::Secret(_)) {
            return Err(AppError::invalid(format!(
                "The settings file {shown} holds the secret {key}; secrets belong in the OS keyring."
            ))
            .with_fix(format!("Remove {key} from {shown}, then run `helpatwork settings set {key} VALUE`.")));
        }
        if spec.kind != Kind::Directory {
            validate(spec, value).map_err(|e| {
                AppError::new(
                    ErrorCode::InvalidInput,
                    format!("The settings file {shown}: {}", e.message),
                )
                .with_fix(e.fix.clone().unwrap_or_else(|| fix.clone()))
            })?;
        }
    }
    Ok(values)
}

fn write_file(file: &Path, values: &BTreeMap<String, String>) -> Result<()> {
    crate::settings_file::write(file, values)
}

/// The settings of the running app (its data dir).
pub fn show(ctx: &crate::AppContext) -> Result<SettingsView> {
    Ok(Settings::load(&ctx.paths)?.view_in(ctx.lang))
}

/// The agent's language: saved (file and store, for every surface) and applied at once.
pub async fn set_language(ctx: &mut crate::AppContext, lang: Lang) -> Result<()> {
    Settings::load(&ctx.paths)?.set("language", lang.as_str())?;
    ctx.store
        .set_setting(crate::context::LANG_SETTING, lang.as_str())
        .await?;
    ctx.lang = lang;
    Ok(())
}

/// Saves a setting of the running app; the language also applies at once.
pub async fn save(ctx: &mut crate::AppContext, key: &str, value: &str) -> Result<SettingChange> {
    let change = Settings::load(&ctx.paths)?.set(key, value)?;
    if key == "language" {
        if let Some(lang) = Lang::parse(value.trim()) {
            set_language(ctx, lang).await?;
        }
    }
    Ok(change)
}

#[cfg(test)]
mod tests {
    use super::*;
    use helpatwork_teamviewer::InMemoryStore;

    fn settings(dir: &Path, env: &'static [(&'static str, &'static str)]) -> Settings {
        Settings::load_with(
            dir.join("settings.json"),
            Arc::new(move |n: &str| {
                env.iter()
                    .find(|(k, _)| *k == n)
                    .map(|(_, v)| v.to_string())
            }),
            Arc::new(InMemoryStore::new()),
        )
        .unwrap()
    }

    #[test]
    fn values_round_trip_through_the_file_and_env_wins() {
        let dir = tempfile::tempdir().unwrap();
        let mut s = settings(dir.path(), &[("HELPATWORK_IVANTI_USER", "env-user")]);
        s.set("mdm.connector", "ivanti").unwrap();
        s.set("ivanti.url", "https://na1.mobileiron.com/").unwrap();
        let change = s.set("ivanti.user", "api@tenant.example").unwrap();
        assert_eq!(
            change.overridden_by.as_deref(),
            Some("HELPATWORK_IVANTI_USER")
        );
        assert!(change.restart);
        let again = settings(dir.path(), &[("HELPATWORK_IVANTI_USER", "env-user")]);
        assert_eq!(
            again.lookup("HELPATWORK_IVANTI_URL").as_deref(),
            Some("https://na1.mobileiron.com")
        );
        assert_eq!(
            again.lookup("HELPATWORK_IVANTI_USER").as_deref(),
            Some("env-user"),
            "the environment wins over the file"
        );
        let user = again
            .view()
            .entries
            .into_iter()
            .find(|e| e.key == "ivanti.user")
            .unwrap();
        assert_eq!(user.source, SettingSource::Env);
        assert!(user.overridden);
        assert_eq!(user.saved.as_deref(), Some("api@tenant.example"));
    }

    #[test]
    fn secrets_go_to_the_keyring_never_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let mut s = settings(dir.path(), &[]);
        s.set("mdm.connector", "ivanti").unwrap();
        s.set("ivanti.password", "s3cret pass").unwrap();
        let text = std::fs::read_to_string(dir.path().join("settings.json")).unwrap();
        assert!(!text.contains("s3cret"), "{text}");
        assert_eq!(
            s.lookup("HELPATWORK_IVANTI_PASSWORD").as_deref(),
            Some("s3cret pass")
        );
        let view = serde_json::to_string(&s.view()).unwrap();
        assert!(!view.contains("s3cret"), "{view}");
        let entry = s
            .view()
            .entries
            .into_iter()
            .find(|e| e.key == "ivanti.password")
            .unwrap();
        assert!(entry.is_set && entry.secret && entry.value.is_none());
        assert_eq!(entry.source, SettingSource::Keyring);
        s.set("ivanti.password", "").unwrap();
        assert_eq!(s.lookup("HELPATWORK_IVANTI_PASSWORD"), None);
    }

    #[test]
    fn bad_values_change_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let mut s = settings(dir.path(), &[]);
        s.set("language", "pt-BR").unwrap();
        let before = std::fs::read_to_string(dir.path().join("settings.json")).unwrap();
        for (key, value, code) in [
            ("language", "fr", ErrorCode::InvalidInput),
            ("mdm.connector", "intune", ErrorCode::InvalidInput),
            (
                "ivanti.url",
                "http://mdm.example.com",
                ErrorCode::InvalidInput,
            ),
            (
                "ivanti.url",
                "https://u:p@mdm.example.com",
                ErrorCode::InvalidInput,
            ),
            ("ivanti.partition", "default", ErrorCode::InvalidInput),
            (
                "store.url",
                "postgres://agent:pw@db.example/help",
                ErrorCode::InvalidInput,
            ),
            ("store.url", "relative/path.db", ErrorCode::InvalidInput),
            ("store.url", "/no/such/dir/h.db", ErrorCode::InvalidInput),
            (
                "store.url",
                "mysql://db.example/help",
                ErrorCode::InvalidInput,
            ),
            (
                "desktop.teamviewer_home",
                "/no/such/teamviewer",
                ErrorCode::InvalidInput,
            ),
            ("teamviewer.client_id", "has space", ErrorCode::InvalidInput),
            ("nonsense", "1", ErrorCode::InvalidInput),
        ] {
            let e = s.set(key, value).unwrap_err();
            assert_eq!(e.code, code, "{key}={value}");
            assert!(e.fix.is_some(), "{key}={value} has a fix");
            assert!(!e.message.contains("pw@"), "no password in {}", e.message);
        }
        let after = std::fs::read_to_string(dir.path().join("settings.json")).unwrap();
        assert_eq!(before, after);
        let e = s
            .set("store.url", "postgres://agent:pw@db.example/help")
            .unwrap_err();
        assert!(e.fix.unwrap().contains("PGPASSFILE"));
    }

    #[test]
    fn store_values_become_urls() {
        let dir = tempfile::tempdir().unwrap();
        let mut s = settings(dir.path(), &[]);
        let db = dir.path().join("team.db");
        s.set("store.url", db.to_str().unwrap()).unwrap();
        assert_eq!(
            s.database_url(),
            Some(format!("sqlite://{}?mode=rwc", db.display()))
        );
        s.set("store.url", "postgres://agent@db.example:5432/help")
            .unwrap();
        assert_eq!(
            s.database_url().as_deref(),
            Some("postgres://agent@db.example:5432/help")
        );
    }

    #[test]
    fn a_script_token_is_used_only_when_chosen() {
        let dir = tempfile::tempdir().unwrap();
        let mut s = settings(dir.path(), &[]);
        s.set("teamviewer.token", "tok").unwrap();
        assert_eq!(s.lookup("HELPATWORK_TEAMVIEWER_TOKEN"), None);
        s.set("teamviewer.sign_in", "script_token").unwrap();
        assert_eq!(
            s.lookup("HELPATWORK_TEAMVIEWER_TOKEN").as_deref(),
            Some("tok")
        );
    }

    #[test]
    fn a_hand_edited_file_is_checked_when_read() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("settings.json");
        let load = || {
            Settings::load_with(
                file.clone(),
                Arc::new(|_: &str| None),
                Arc::new(InMemoryStore::new()),
            )
        };
        std::fs::write(&file, r#"{"version":1,"values":{"ivanti.password":"x"}}"#).unwrap();
        assert!(load().unwrap_err().message.contains("keyring"));
        std::fs::write(&file, r#"{"version":1,"values":{"language":"klingon"}}"#).unwrap();
        assert_eq!(load().unwrap_err().code, ErrorCode::InvalidInput);
        std::fs::write(&file, "{not json").unwrap();
        assert!(load().unwrap_err().fix.unwrap().contains("settings set"));
    }
}
