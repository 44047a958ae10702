//! Every setting: its key, where its value is kept (file, keyring, environment) and how a value
//! is checked before anything is written.

use std::path::Path;

use crate::error::{AppError, ErrorDetails, Result};

/// How a setting's value is checked and where it is kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Kind {
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
    /// An Entra ID directory (tenant) id: a GUID or the tenant's domain.
    TenantId,
    /// An Entra ID application (client) id: a GUID.
    ClientId,
    /// An absolute SQLite path, `sqlite:…`, or `postgres://…` without a password.
    Store,
    /// An existing directory, absolute.
    Directory,
    /// `daily` or hours 1–168 between full syncs.
    FullEvery,
    /// Minutes between background syncs: 0 (off) or 5–1440.
    Minutes,
}

pub(super) struct Spec {
    pub(super) key: &'static str,
    /// The environment variable that takes precedence over the file, if any.
    pub(super) env: Option<&'static str>,
    pub(super) kind: Kind,
    /// The running window keeps the old value until it is started again.
    pub(super) restart: bool,
}

pub(super) const SPECS: &[Spec] = &[
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
        kind: Kind::Choice(&["embedded", "ivanti", "intune"]),
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
        key: "intune.tenant_id",
        env: Some(helpatwork_mdm::intune::ENV_TENANT_ID),
        kind: Kind::TenantId,
        restart: true,
    },
    Spec {
        key: "intune.client_id",
        env: Some(helpatwork_mdm::intune::ENV_CLIENT_ID),
        kind: Kind::ClientId,
        restart: true,
    },
    Spec {
        key: "intune.client_secret",
        env: Some(helpatwork_mdm::intune::ENV_CLIENT_SECRET),
        kind: Kind::Secret("settings.intune-client-secret"),
        restart: true,
    },
    Spec {
        key: "sync.every_minutes",
        env: Some(super::schedule::ENV_EVERY_MINUTES),
        kind: Kind::Minutes,
        restart: true,
    },
    Spec {
        key: "sync.full_every",
        env: Some(super::schedule::ENV_FULL_EVERY),
        kind: Kind::FullEvery,
        restart: false,
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

pub(super) fn spec(key: &str) -> Result<&'static Spec> {
    SPECS.iter().find(|s| s.key == key).ok_or_else(|| {
        AppError::invalid(format!("\"{key}\" is not a setting."))
            .with_fix(format!("Use one of: {}.", keys().join(", ")))
    })
}

/// Every setting's key, in display order.
pub fn keys() -> Vec<&'static str> {
    SPECS.iter().map(|s| s.key).collect()
}

/// A saved store value as a URL `Store::open` takes: a path becomes a SQLite file URL.
pub(super) fn store_url(value: &str) -> String {
    if value.contains(':') && !Path::new(value).is_absolute() {
        value.to_string()
    } else {
        format!("sqlite://{value}?mode=rwc")
    }
}

fn invalid(key: &str, value: &str, why: &str, fix: &str) -> AppError {
    AppError::invalid(format!("\"{value}\" is not a valid {key}: {why}."))
        .with_fix(fix.to_string())
        .with_details(ErrorDetails::Setting {
            key: key.to_string(),
        })
}

/// The value to save for `spec`, or why it cannot be.
pub(super) fn validate(spec: &Spec, value: &str) -> Result<String> {
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
        Kind::TenantId => helpatwork_mdm::intune::parse_tenant(value)
            .map_err(|_| invalid(key, value, "a tenant id is a GUID or the tenant's domain", "Copy the Directory (tenant) ID from Entra ID → App registrations → the app → Overview, e.g. 6babcaad-604b-40ac-a9d7-9fd97c0b779f.")),
        Kind::ClientId => helpatwork_mdm::intune::parse_client_id(value)
            .map_err(|_| invalid(key, value, "a client id is a GUID", "Copy the Application (client) ID from Entra ID → App registrations → the app → Overview.")),
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
        Kind::FullEvery => super::schedule::parse_full_every(value, helpatwork_domain::Lang::En)
            .map(|_| value.trim().to_ascii_lowercase()),
        Kind::Minutes => super::schedule::parse_every_minutes(value, helpatwork_domain::Lang::En)
            .map(|m| m.to_string()),
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
            .with_details(ErrorDetails::Setting { key: key.to_string() }));
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
