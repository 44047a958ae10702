//! What every service needs: the store, the language, who is acting, where data lives.

use helpatwork_domain::Lang;
use helpatwork_store::Store;

use crate::error::{AppError, Result};
use crate::paths::Paths;
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

/// Where the agent reads what the app says.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Surface {
    #[default]
    Window,
    Cli,
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
    pub mdm: std::sync::Arc<dyn helpatwork_mdm::MdmConnector>,
}

/// Where "now" comes from: the system clock, or a fixed time (`HELPATWORK_NOW`, for tests that
/// need to be 31 minutes later without waiting).
#[derive(Debug, Clone, Copy, Default)]
pub struct Clock {
    fixed: Option<chrono::DateTime<chrono::Utc>>,
}

impl Clock {
    pub fn fixed(at: chrono::DateTime<chrono::Utc>) -> Self {
        Self { fixed: Some(at) }
    }

    pub fn from_env() -> Result<Self> {
        match std::env::var("HELPATWORK_NOW")
            .ok()
            .filter(|v| !v.is_empty())
        {
            None => Ok(Self::default()),
            Some(text) => chrono::DateTime::parse_from_rfc3339(&text)
                .map(|d| Self::fixed(d.with_timezone(&chrono::Utc)))
                .map_err(|_| {
                    AppError::invalid(format!(
                        "HELPATWORK_NOW=\"{text}\" is not an RFC 3339 time."
                    ))
                }),
        }
    }

    pub fn now(&self) -> chrono::DateTime<chrono::Utc> {
        self.fixed.unwrap_or_else(chrono::Utc::now)
    }
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
    pub async fn open(paths: Paths, options: ContextOptions) -> Result<Self> {
        let paths = if options.demo { paths.demo() } else { paths };
        // The data directory holds the settings, the logs and (embedded) the database, also in
        // team mode: owner-only, made now so the first command finds it.
        // (`doctor` says so when it cannot be made; an SQLite store fails with its own words.)
        if let Err(e) = helpatwork_store::create_private_dir(paths.root()) {
            tracing::warn!(dir = %paths.root().display(), error = %e, "the data directory could not be created");
        }
        // Flags, then the environment, then the settings file (crate::settings), then defaults.
        let settings = crate::settings::Settings::load(&paths)?;
        let database_url = options
            .database_url
            .clone()
            .or_else(|| settings.database_url());
        let open = helpatwork_store::OpenOptions {
            single_connection: options.single_connection,
        };
        let store = match &database_url {
            Some(url) if !options.demo => Store::open_with(url, open).await?,
            _ => Store::open_sqlite_with(&paths.database(), open).await?,
        };
        let lang = match options.lang.or(settings.language()) {
            Some(lang) => lang,
            None => store
                .setting(LANG_SETTING)
                .await?
                .and_then(|l| Lang::parse(&l))
                .unwrap_or_else(system_lang),
        };
        let teamviewer = if options.demo {
            TeamViewer::demo(paths.root()).await?
        } else {
            TeamViewer::from_env()
        };
        let clock = Clock::from_env()?;
        let actor = os_user();
        let mdm = match options.demo {
            true => None,
            false => crate::sync::connector_from_env()?,
        }
        .unwrap_or_else(|| {
            std::sync::Arc::new(crate::embedded::EmbeddedFleet::new(
                store.clone(),
                clock,
                actor.clone(),
            ))
        });
        let ctx = Self {
            store,
            paths,
            lang,
            demo: options.demo,
            actor,
            surface: options.surface,
            teamviewer,
            clock,
            desktop: helpatwork_desktop::DiscoveryOptions::from_env(),
            mdm,
        };
        let mut ctx = ctx;
        if !ctx.demo {
            settings.apply(&mut ctx)?;
        }
        crate::actor::verify_with_teamviewer(&ctx);
        if ctx.demo {
            crate::demo::seed(&ctx).await?;
            crate::demo_sandbox::seed_unattended_and_agents(&ctx).await?;
            if ctx.desktop.teamviewer_home.is_none() {
                ctx.desktop = crate::demo::desktop_client(&ctx.paths)?;
            }
        }
        Ok(ctx)
    }

    /// The fix for a missing TeamViewer sign-in, in the words of the surface the agent reads.
    pub fn sign_in_fix(&self) -> &'static str {
        sign_in_fix(self.surface, self.lang)
    }

    pub async fn set_lang(&mut self, lang: Lang) -> Result<()> {
        crate::settings::Settings::load(&self.paths)?.set("language", lang.as_str())?;
        self.store.set_setting(LANG_SETTING, lang.as_str()).await?;
        self.lang = lang;
        Ok(())
    }
}

/// The fix for a missing TeamViewer sign-in: the command on the CLI, the button in the window.
pub fn sign_in_fix(surface: Surface, lang: Lang) -> &'static str {
    match surface {
        Surface::Cli => lang.pick(
            "Run `helpatwork auth login` (or save a script token: `helpatwork settings set teamviewer.token -`), then run the command again.",
            "Execute `helpatwork auth login` (ou salve um token de script: `helpatwork settings set teamviewer.token -`) e execute o comando novamente.",
        ),
        Surface::Window => lang.pick(
            "Sign in to TeamViewer: the start continues afterwards.",
            "Entre no TeamViewer: o início continua em seguida.",
        ),
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

fn os_user() -> String {
    ["USER", "USERNAME", "LOGNAME"]
        .iter()
        .filter_map(|k| std::env::var(k).ok())
        .find(|v| !v.trim().is_empty())
        .unwrap_or_else(|| "agent".to_string())
}
