//! The agent's TeamViewer desktop client, seen from Help@Work.
//!
//! What is here:
//! - **Discovery (D3)**: [`discover`] finds the installed client and its version: the Windows
//!   registry, `TeamViewer.app/Contents/Info.plist` on macOS, `/opt/teamviewer/config/global.conf`
//!   on Linux, or wherever `HELPATWORK_TEAMVIEWER_HOME` points, on every OS. The parsers of those
//!   formats ([`parse_global_conf`], [`parse_info_plist`], [`parse_registry_values`]) are plain
//!   functions, built and tested on every platform; only the OS access is behind `cfg`.
//! - **What was found, as the domain's fact**: [`client_fact`] turns a discovery into the
//!   `DesktopClientFact` the domain judges (D3, S11: `helpatwork_domain::desktop::assess`,
//!   re-exported here as [`assess`]).
//! - **Hand-off (style 15)**: a [`LaunchSpec`] accepts only `https` links to TeamViewer's
//!   documented hosts (plus an explicitly allowed host, for the sandbox); a [`Launcher`] opens it
//!   with the OS URL handler ([`OsLauncher`]) or a configured program ([`ProgramLauncher`],
//!   `HELPATWORK_OPENER`), never through a shell, and reaps the child.
//!
//! Launches and discovery are **synchronous** (they read files, the registry, spawn and wait
//! up to a few seconds for a child): from async code call them through
//! `tokio::task::spawn_blocking`.
//!
//! What is deliberately not here: deciding compatibility (the table and its judgement are the
//! domain's: `helpatwork_domain::compat`, `helpatwork_domain::desktop`), TeamViewer URL schemes (`teamviewer10://…`, undocumented, CVE-2020-13699) and
//! `TeamViewer.exe -i <id> --Password …` command lines (secrets on a command line), Web API
//! calls, settings and paths (the app passes the override values in), and any Tauri code.

mod discovery;
mod global_conf;
mod info_plist;
mod launch;
mod registry;

pub use helpatwork_domain::desktop::{assess, DesktopClientFact, DesktopFinding, DOWNLOAD_URL};

/// What a discovery found, as the fact the domain judges.
pub fn client_fact(found: &Result<Option<DesktopClient>, DiscoveryError>) -> DesktopClientFact {
    match found {
        Ok(Some(client)) => DesktopClientFact::Found(client.version),
        Ok(None) => DesktopClientFact::Missing,
        Err(e) => DesktopClientFact::Unreadable(e.to_string()),
    }
}
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
