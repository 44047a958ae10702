//! The agent's TeamViewer desktop client, seen from Help@Work.
//!
//! What is here:
//! - **Discovery (D3)**: [`discover`] finds the installed client and its version: the Windows
//!   registry, `TeamViewer.app/Contents/Info.plist` on macOS, `/opt/teamviewer/config/global.conf`
//!   on Linux, or wherever `HELPATWORK_TEAMVIEWER_HOME` points, on every OS. The parsers of those
//!   formats ([`parse_global_conf`], [`parse_info_plist`], [`parse_registry_values`]) are plain
//!   functions, built and tested on every platform; only the OS access is behind `cfg`.
//! - **Assessment (D3, S11)**: [`assess`] judges what was found against the compatibility table
//!   for the device's app ([`DesktopFinding`]: missing, unreadable, too old, compatible, CVE
//!   warnings), each as a preflight `Check` in English or Brazilian Portuguese whose fix links
//!   to [`DOWNLOAD_URL`].
//! - **Hand-off (style 15)**: a [`LaunchSpec`] accepts only `https` links to TeamViewer's
//!   documented hosts (plus an explicitly allowed host, for the sandbox); a [`Launcher`] opens it
//!   with the OS URL handler ([`OsLauncher`]) or a configured program ([`ProgramLauncher`],
//!   `HELPATWORK_OPENER`), never through a shell, and reaps the child.
//!
//! Launches and discovery are **synchronous** (they read files, the registry, spawn and wait
//! up to a few seconds for a child): from async code call them through
//! `tokio::task::spawn_blocking`.
//!
//! What is deliberately not here: the compatibility table itself (`helpatwork_domain::compat`,
//! pure), TeamViewer URL schemes (`teamviewer10://…`, undocumented, CVE-2020-13699) and
//! `TeamViewer.exe -i <id> --Password …` command lines (secrets on a command line), Web API
//! calls, settings and paths (the app passes the override values in), and any Tauri code.

mod assess;
mod discovery;
mod global_conf;
mod info_plist;
mod launch;
mod registry;

pub use assess::{assess, DesktopFinding, DOWNLOAD_URL};
pub use discovery::{
    discover, DesktopClient, DiscoveryError, DiscoveryOptions, DiscoverySource, MAX_FILE_BYTES,
    TEAMVIEWER_HOME_ENV,
};
pub use global_conf::{parse_global_conf, GlobalConf, GlobalConfError, GlobalConfValue};
pub use info_plist::{parse_info_plist, PlistError, PlistVersion};
pub use launch::{
    launcher_from_env, ConfiguredLauncher, LaunchError, LaunchSpec, Launcher, OsLauncher,
    ProgramLauncher, MAX_LINK_LEN, OPENER_ENV, TEAMVIEWER_LINK_HOSTS,
};
pub use registry::{parse_registry_values, RegistryError, RegistryInstall};
