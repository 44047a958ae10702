//! The Windows client's registry key: `Version` (e.g. `15.62.4`) and `InstallationDirectory`.
//!
//! [`parse_registry_values`] is plain string handling, built and tested on every platform; only
//! the registry access itself (`os`) is Windows-only.

use std::path::PathBuf;

use helpatwork_domain::version::{Version, VersionError};

/// What a TeamViewer registry key says about the installed client.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RegistryInstall {
    pub version: Version,
    pub install_dir: PathBuf,
}

/// Why a TeamViewer registry key could not be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RegistryError {
    #[error("Version {text:?} is not a version: {source}")]
    BadVersion {
        text: String,
        #[source]
        source: VersionError,
    },
    #[error("InstallationDirectory is missing")]
    MissingInstallationDirectory,
    #[error("InstallationDirectory {text:?} is not an absolute Windows path")]
    BadInstallationDirectory { text: String },
}

/// Interprets the `Version` and `InstallationDirectory` string values of a TeamViewer key.
///
/// `Ok(None)` when there is no `Version` (an empty or left-over key: not an installation).
/// Trailing NULs and surrounding white space are ignored.
pub fn parse_registry_values(
    version: Option<&str>,
    installation_directory: Option<&str>,
) -> Result<Option<RegistryInstall>, RegistryError> {
    let clean = |s: &str| s.trim_end_matches('\0').trim().to_owned();
    let Some(version_text) = version.map(clean).filter(|v| !v.is_empty()) else {
        return Ok(None);
    };
    let version = Version::parse(&version_text).map_err(|source| RegistryError::BadVersion {
        text: version_text.chars().take(64).collect(),
        source,
    })?;
    let dir = installation_directory
        .map(clean)
        .filter(|d| !d.is_empty())
        .ok_or(RegistryError::MissingInstallationDirectory)?;
    if !is_absolute_windows_path(&dir) {
        return Err(RegistryError::BadInstallationDirectory {
            text: dir.chars().take(260).collect(),
        });
    }
    Ok(Some(RegistryInstall {
        version,
        install_dir: PathBuf::from(dir),
    }))
}

/// `C:\…` or `\\server\share\…`, with no control characters.
fn is_absolute_windows_path(text: &str) -> bool {
    if text.chars().any(char::is_control) || text.chars().count() > 32_767 {
        return false;
    }
    let bytes = text.as_bytes();
    let drive = bytes.len() >= 3
        && bytes[0].is_ascii_alphabetic()
        && bytes[1] == b':'
        && matches!(bytes[2], b'\\' | b'/');
    drive || text.starts_with(r"\\")
}

#[cfg(windows)]
pub(crate) mod os {
    //! Reads the TeamViewer keys, in the order of docs/reference/teamviewer-web-api.md §6.4.

    use std::io;

    use winreg::enums::{KEY_READ, KEY_WOW64_64KEY};
    use winreg::{RegKey, HKCU, HKLM};

    use super::parse_registry_values;
    use crate::discovery::{DesktopClient, DiscoveryError, DiscoverySource};

    /// HKLM (native view), HKLM WOW6432Node (32-bit client on 64-bit Windows), then HKCU.
    pub(crate) fn discover() -> Result<Option<DesktopClient>, DiscoveryError> {
        let locations: [(&RegKey, &str, &str, u32); 3] = [
            (
                HKLM,
                r"SOFTWARE\TeamViewer",
                r"HKLM\SOFTWARE\TeamViewer",
                KEY_READ | KEY_WOW64_64KEY,
            ),
            (
                HKLM,
                r"SOFTWARE\WOW6432Node\TeamViewer",
                r"HKLM\SOFTWARE\WOW6432Node\TeamViewer",
                KEY_READ,
            ),
            (
                HKCU,
                r"SOFTWARE\TeamViewer",
                r"HKCU\SOFTWARE\TeamViewer",
                KEY_READ,
            ),
        ];
        let mut first_error = None;
        for (hive, path, label, flags) in locations {
            match read_key(hive, path, label, flags) {
                Ok(Some(client)) => return Ok(Some(client)),
                Ok(None) => {}
                Err(error) => {
                    tracing::warn!(key = label, %error, "skipping an unusable TeamViewer registry key");
                    first_error.get_or_insert(error);
                }
            }
        }
        first_error.map_or(Ok(None), Err)
    }

    fn read_key(
        hive: &RegKey,
        path: &str,
        label: &str,
        flags: u32,
    ) -> Result<Option<DesktopClient>, DiscoveryError> {
        let io_error = |source: io::Error| DiscoveryError::RegistryIo {
            key: label.to_owned(),
            source,
        };
        let key = match hive.open_subkey_with_flags(path, flags) {
            Ok(key) => key,
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(io_error(e)),
        };
        let value = |name: &str| match key.get_value::<String, _>(name) {
            Ok(text) => Ok(Some(text)),
            Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(io_error(e)),
        };
        let version = value("Version")?;
        let dir = value("InstallationDirectory")?;
        let install =
            parse_registry_values(version.as_deref(), dir.as_deref()).map_err(|source| {
                DiscoveryError::Registry {
                    key: label.to_owned(),
                    source,
                }
            })?;
        Ok(install.map(|install| DesktopClient {
            version: install.version,
            build: None,
            install_dir: install.install_dir,
            source: DiscoverySource::Registry {
                key: label.to_owned(),
            },
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn d3_reads_version_and_directory() {
        let install =
            parse_registry_values(Some("15.62.4\0"), Some("C:\\Program Files\\TeamViewer\0"))
                .expect("valid")
                .expect("installed");
        assert_eq!(install.version, Version::new(15, 62, 4));
        assert_eq!(
            install.install_dir,
            PathBuf::from("C:\\Program Files\\TeamViewer")
        );
    }

    #[test]
    fn d3_key_without_version_is_not_an_installation() {
        assert_eq!(
            parse_registry_values(None, Some("C:\\TeamViewer")),
            Ok(None)
        );
        assert_eq!(parse_registry_values(Some(" \0"), None), Ok(None));
    }

    #[test]
    fn d3_bad_values_are_typed_errors() {
        assert!(matches!(
            parse_registry_values(Some("15.62.x"), Some("C:\\TeamViewer")),
            Err(RegistryError::BadVersion { .. })
        ));
        assert_eq!(
            parse_registry_values(Some("15.62.4"), None),
            Err(RegistryError::MissingInstallationDirectory)
        );
        for dir in ["TeamViewer", "/opt/teamviewer", "C:", "C:\\Team\nViewer"] {
            assert!(
                matches!(
                    parse_registry_values(Some("15.62.4"), Some(dir)),
                    Err(RegistryError::BadInstallationDirectory { .. })
                ),
                "{dir:?}"
            );
        }
        assert!(
            parse_registry_values(Some("15.62.4"), Some("\\\\server\\share\\TeamViewer")).is_ok()
        );
    }
}
