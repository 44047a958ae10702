//! D3: where the desktop client is looked for, and what it says its version is.

use std::ffi::OsString;
use std::fmt;
use std::fs::{self, File};
use std::io::{self, Read};
use std::path::{Path, PathBuf};

use helpatwork_domain::version::Version;

use crate::global_conf::{parse_global_conf, GlobalConfError};
use crate::info_plist::{parse_info_plist, PlistError};
use crate::registry::RegistryError;

/// Points discovery at one install directory, on every OS (tests, portable installs).
pub const TEAMVIEWER_HOME_ENV: &str = "HELPATWORK_TEAMVIEWER_HOME";

/// No TeamViewer file Help@Work reads is anywhere near this; larger files are refused unread.
pub const MAX_FILE_BYTES: u64 = 1024 * 1024;

/// The installed TeamViewer desktop client.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DesktopClient {
    pub version: Version,
    /// The build, where the OS records one separately (macOS `CFBundleVersion`).
    pub build: Option<String>,
    pub install_dir: PathBuf,
    pub source: DiscoverySource,
}

/// Where the version was read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DiscoverySource {
    /// A Windows registry key, e.g. `HKLM\SOFTWARE\TeamViewer`.
    Registry { key: String },
    /// A macOS `Info.plist`.
    InfoPlist { path: PathBuf },
    /// A Linux `config/global.conf`.
    GlobalConf { path: PathBuf },
}

impl fmt::Display for DiscoverySource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DiscoverySource::Registry { key } => write!(f, "registry key {key}"),
            DiscoverySource::InfoPlist { path } | DiscoverySource::GlobalConf { path } => {
                write!(f, "{}", path.display())
            }
        }
    }
}

/// Where to look. The default looks in the OS's standard place.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DiscoveryOptions {
    /// Look only in this directory: `config/global.conf` under it if present, else
    /// `Contents/Info.plist` (the directory is then a `TeamViewer.app`).
    pub teamviewer_home: Option<PathBuf>,
}

impl DiscoveryOptions {
    /// Reads [`TEAMVIEWER_HOME_ENV`]; unset or empty means the standard place.
    pub fn from_env() -> Self {
        Self::from_home_var(std::env::var_os(TEAMVIEWER_HOME_ENV))
    }

    fn from_home_var(value: Option<OsString>) -> Self {
        Self {
            teamviewer_home: value.filter(|v| !v.is_empty()).map(PathBuf::from),
        }
    }

    pub fn with_teamviewer_home(home: impl Into<PathBuf>) -> Self {
        Self {
            teamviewer_home: Some(home.into()),
        }
    }
}

/// Why discovery failed. Not finding a client is not an error: that is `Ok(None)`.
#[derive(Debug, thiserror::Error)]
pub enum DiscoveryError {
    #[error("cannot read {}: {source}", path.display())]
    Io {
        path: PathBuf,
        #[source]
        source: io::Error,
    },
    #[error("{} is not a regular file", path.display())]
    NotAFile { path: PathBuf },
    #[error("{} is larger than {limit} bytes, so it is not read", path.display())]
    TooLarge { path: PathBuf, limit: u64 },
    #[error("{}: {source}", path.display())]
    GlobalConf {
        path: PathBuf,
        #[source]
        source: GlobalConfError,
    },
    #[error("{}: {source}", path.display())]
    Plist {
        path: PathBuf,
        #[source]
        source: PlistError,
    },
    #[error("registry key {key}: {source}")]
    Registry {
        key: String,
        #[source]
        source: RegistryError,
    },
    #[error("cannot read registry key {key}: {source}")]
    RegistryIo {
        key: String,
        #[source]
        source: io::Error,
    },
}

/// D3: finds the installed desktop client and its version.
///
/// With [`DiscoveryOptions::teamviewer_home`] only that directory is looked at, on every OS.
/// Otherwise: Windows reads the registry (`HKLM\SOFTWARE\TeamViewer`, then
/// `HKLM\SOFTWARE\WOW6432Node\TeamViewer`, then `HKCU\SOFTWARE\TeamViewer`); macOS reads
/// `/Applications/TeamViewer.app/Contents/Info.plist`; Linux and other Unixes read
/// `/opt/teamviewer/config/global.conf`.
///
/// `Ok(None)` means no client is installed; a client whose files cannot be read or make no
/// sense is an error saying which file and why. Blocking: see the crate docs.
#[tracing::instrument(level = "debug", err)]
pub fn discover(opts: &DiscoveryOptions) -> Result<Option<DesktopClient>, DiscoveryError> {
    match &opts.teamviewer_home {
        Some(home) => discover_in(home),
        None => discover_default(),
    }
}

#[cfg(windows)]
fn discover_default() -> Result<Option<DesktopClient>, DiscoveryError> {
    crate::registry::os::discover()
}

#[cfg(target_os = "macos")]
fn discover_default() -> Result<Option<DesktopClient>, DiscoveryError> {
    discover_in(Path::new("/Applications/TeamViewer.app"))
}

#[cfg(all(unix, not(target_os = "macos")))]
fn discover_default() -> Result<Option<DesktopClient>, DiscoveryError> {
    discover_in(Path::new("/opt/teamviewer"))
}

#[cfg(not(any(windows, unix)))]
fn discover_default() -> Result<Option<DesktopClient>, DiscoveryError> {
    Ok(None)
}

/// An install directory: `config/global.conf` (Linux layout) if present, else
/// `Contents/Info.plist` (macOS app bundle), else nothing is installed there.
fn discover_in(home: &Path) -> Result<Option<DesktopClient>, DiscoveryError> {
    let conf_path = home.join("config").join("global.conf");
    if let Some(bytes) = read_capped(&conf_path)? {
        let version = parse_global_conf(&bytes)
            .and_then(|conf| conf.version())
            .map_err(|source| DiscoveryError::GlobalConf {
                path: conf_path.clone(),
                source,
            })?;
        return Ok(Some(DesktopClient {
            version,
            build: None,
            install_dir: home.to_path_buf(),
            source: DiscoverySource::GlobalConf { path: conf_path },
        }));
    }
    let plist_path = home.join("Contents").join("Info.plist");
    if let Some(bytes) = read_capped(&plist_path)? {
        let parsed = parse_info_plist(&bytes).map_err(|source| DiscoveryError::Plist {
            path: plist_path.clone(),
            source,
        })?;
        return Ok(Some(DesktopClient {
            version: parsed.version,
            build: parsed.build,
            install_dir: home.to_path_buf(),
            source: DiscoverySource::InfoPlist { path: plist_path },
        }));
    }
    Ok(None)
}

/// The file's bytes, `None` when it does not exist. Refuses anything but a regular file (a FIFO
/// would block, a device never ends) and anything over [`MAX_FILE_BYTES`].
fn read_capped(path: &Path) -> Result<Option<Vec<u8>>, DiscoveryError> {
    let io_error = |source| DiscoveryError::Io {
        path: path.to_path_buf(),
        source,
    };
    let metadata = match fs::metadata(path) {
        Ok(metadata) => metadata,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(io_error(e)),
    };
    if !metadata.is_file() {
        return Err(DiscoveryError::NotAFile {
            path: path.to_path_buf(),
        });
    }
    let too_large = || DiscoveryError::TooLarge {
        path: path.to_path_buf(),
        limit: MAX_FILE_BYTES,
    };
    if metadata.len() > MAX_FILE_BYTES {
        return Err(too_large());
    }
    let mut bytes = Vec::new();
    File::open(path)
        .and_then(|file| file.take(MAX_FILE_BYTES + 1).read_to_end(&mut bytes))
        .map_err(io_error)?;
    // The file may have grown between the size check and the read.
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(too_large());
    }
    Ok(Some(bytes))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn d3_empty_home_variable_means_the_standard_place() {
        assert_eq!(
            DiscoveryOptions::from_home_var(None),
            DiscoveryOptions::default()
        );
        assert_eq!(
            DiscoveryOptions::from_home_var(Some(OsString::new())),
            DiscoveryOptions::default()
        );
        assert_eq!(
            DiscoveryOptions::from_home_var(Some(OsString::from("/tmp/tv"))),
            DiscoveryOptions::with_teamviewer_home("/tmp/tv")
        );
    }

    #[test]
    fn sources_display_where_they_were_read() {
        let key = DiscoverySource::Registry {
            key: r"HKLM\SOFTWARE\TeamViewer".into(),
        };
        assert_eq!(key.to_string(), r"registry key HKLM\SOFTWARE\TeamViewer");
        let conf = DiscoverySource::GlobalConf {
            path: PathBuf::from("/opt/teamviewer/config/global.conf"),
        };
        assert_eq!(conf.to_string(), "/opt/teamviewer/config/global.conf");
    }
}
