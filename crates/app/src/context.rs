//! What every service needs, built once by the composition root (`crate::open`): the store,
//! the MDM connector, the TeamViewer client, the desktop client's place, the hand-off launcher,
//! the S11 compatibility table, the sign-in browser, the clock, the language and who acts. A
//! plain struct: services read it, nothing in it builds itself from the services.

use std::sync::Arc;

use helpatwork_domain::compat::CompatTable;
use helpatwork_domain::Lang;
use helpatwork_store::Store;

pub use crate::clock::Clock;
use crate::paths::Paths;
pub use crate::surface::{sign_in_fix, Surface};
use crate::teamviewer::TeamViewer;

#[derive(Debug, Clone, Default)]
pub struct ContextOptions {
    /// `HELPATWORK_DATABASE_URL` (sqlite:… or postgres://…); default the SQLite file in the data dir.
    pub database_url: Option<String>,
    /// The labelled demo: its own data dir, seeded with the demo fleet.
    pub demo: bool,
    /// Overrides the stored language preference.
    pub lang: Option<Lang>,
    /// One database connection, for a one-shot command (the CLI): its queries run one after
    /// another, and each extra PostgreSQL connection would only add a server process.
    pub single_connection: bool,
    /// Who reads the answers: fixes name a command on the CLI, a button in the window.
    pub surface: Surface,
}

impl ContextOptions {
    pub fn from_env() -> Self {
        Self {
            database_url: std::env::var("HELPATWORK_DATABASE_URL")
                .ok()
                .filter(|v| !v.is_empty()),
            demo: std::env::var("HELPATWORK_DEMO")
                .is_ok_and(|v| v == "1" || v.eq_ignore_ascii_case("true")),
            lang: None,
            single_connection: false,
            surface: Surface::Window,
        }
    }
}

#[derive(Clone)]
pub struct AppContext {
    pub store: Store,
    pub paths: Paths,
    pub lang: Lang,
    pub demo: bool,
    /// Who acts: the OS user name, recorded in sessions and audit events (with the TeamViewer
    /// account TeamViewer verifies, see `crate::actor`).
    pub actor: String,
    pub surface: Surface,
    pub teamviewer: TeamViewer,
    pub clock: Clock,
    /// Where the TeamViewer desktop client is looked for (D3).
    pub desktop: helpatwork_desktop::DiscoveryOptions,
    /// The MDM connector (`HELPATWORK_MDM`): the embedded fleet in the store by default.
    pub mdm: Arc<dyn helpatwork_mdm::MdmConnector>,
    /// Who hands a supporter link to the desktop client: the OS opener, or `HELPATWORK_OPENER`.
    pub launcher: Arc<dyn helpatwork_desktop::Launcher>,
    /// The S11 compatibility table: shipped, or `HELPATWORK_COMPAT_TABLE`.
    pub compat: Arc<CompatTable>,
    /// How the sign-in page is opened: the system browser, `HELPATWORK_BROWSER`, or the demo's.
    pub browser: Arc<dyn helpatwork_teamviewer::BrowserOpener>,
}

impl std::fmt::Debug for AppContext {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AppContext")
            .field("store", &self.store)
            .field("paths", &self.paths)
            .field("lang", &self.lang)
            .field("demo", &self.demo)
            .field("actor", &self.actor)
            .field("surface", &self.surface)
            .field("teamviewer", &self.teamviewer)
            .field("mdm", &self.mdm.name())
            .finish_non_exhaustive()
    }
}

pub const LANG_SETTING: &str = "ui.lang";

impl AppContext {
    /// The fix for a missing TeamViewer sign-in, in the words of the surface the agent reads.
    pub fn sign_in_fix(&self) -> &'static str {
        sign_in_fix(self.surface, self.lang)
    }

    /// Whether the fleet comes from an MDM the product syncs (not the embedded fleet).
    pub fn can_sync(&self) -> bool {
        self.mdm.name() != crate::embedded::NAME
    }
}

/// The language of the system's locale (`LC_ALL`, `LC_MESSAGES`, `LANG`), English by default.
pub fn system_lang() -> Lang {
    ["LC_ALL", "LC_MESSAGES", "LANG"]
        .iter()
        .filter_map(|k| std::env::var(k).ok())
        .find(|v| !v.is_empty() && v != "C" && v != "POSIX")
        .and_then(|v| Lang::parse(v.split('.').next().unwrap_or("")))
        .unwrap_or_default()
}

pub(crate) fn os_user() -> String {
    ["USER", "USERNAME", "LOGNAME"]
        .iter()
        .filter_map(|k| std::env::var(k).ok())
        .find(|v| !v.trim().is_empty())
        .unwrap_or_else(|| "agent".to_string())
}
