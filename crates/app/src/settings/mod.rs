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

pub mod schedule;
mod spec;
#[cfg(test)]
mod tests;
mod view;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use helpatwork_domain::Lang;
use helpatwork_teamviewer::{SecretStore, Sensitive};

use crate::error::{AppError, ErrorCode, Result};
use crate::paths::Paths;
use spec::{spec, store_url, validate, Kind, SPECS};

pub use spec::keys;
pub use view::{
    ConnectionTest, SettingChange, SettingEntry, SettingSource, SettingsView, TestTarget,
};

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
                    key if key.starts_with("intune.") => self.mdm_connector() == "intune",
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
            "intune" => {
                let config = helpatwork_mdm::IntuneConfig::from_lookup(|n| self.lookup(n))
                    .map_err(|e| AppError::from(e).with_fix(
                        "Complete the Intune settings: helpatwork settings set intune.tenant_id|intune.client_id|intune.client_secret VALUE (or Settings → MDM in the window).",
                    ))?;
                Ok(Some(Arc::new(helpatwork_mdm::IntuneConnector::new(config)?)))
            }
            other => Err(AppError::invalid(format!(
                "The MDM connector \"{other}\" is not one this version knows."
            ))
            .with_fix("Use embedded, ivanti or intune (HELPATWORK_MDM, or helpatwork settings set mdm.connector).")),
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
