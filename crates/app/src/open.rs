//! The composition root: builds the [`AppContext`] once, every port in it, from the flags, the
//! environment and the settings file (in that order, `crate::settings`), so no service reads the
//! environment in the middle of a call.
//!
//! - the store: `HELPATWORK_DATABASE_URL` / the saved URL, else SQLite in the data directory;
//! - the MDM connector: `HELPATWORK_MDM` / the saved one, else the embedded fleet;
//! - TeamViewer: the configured client, or the demo's sandbox;
//! - the desktop client's place, the hand-off launcher (`HELPATWORK_OPENER`), the S11
//!   compatibility table (`HELPATWORK_COMPAT_TABLE`), the sign-in browser (`HELPATWORK_BROWSER`,
//!   the demo's own in the demo), the clock (`HELPATWORK_NOW`);
//! - the language and who acts.
//!
//! The demo is seeded here too, once its context exists.

use std::sync::Arc;

use helpatwork_domain::compat::CompatTable;
use helpatwork_domain::Lang;
use helpatwork_store::Store;

use crate::clock::Clock;
use crate::context::{os_user, system_lang, AppContext, ContextOptions, LANG_SETTING};
use crate::error::{AppError, Result};
use crate::paths::Paths;
use crate::settings::Settings;
use crate::teamviewer::TeamViewer;

impl AppContext {
    /// Opens the store and builds every port (see the module's text).
    pub async fn open(paths: Paths, options: ContextOptions) -> Result<Self> {
        open(paths, options).await
    }
}

async fn open(paths: Paths, options: ContextOptions) -> Result<AppContext> {
    let paths = if options.demo { paths.demo() } else { paths };
    // The data directory holds the settings, the logs and (embedded) the database, also in
    // team mode: owner-only, made now so the first command finds it.
    // (`doctor` says so when it cannot be made; an SQLite store fails with its own words.)
    if let Err(e) = helpatwork_store::create_private_dir(paths.root()) {
        tracing::warn!(dir = %paths.root().display(), error = %e, "the data directory could not be created");
    }
    // Flags, then the environment, then the settings file, then defaults. The demo keeps to its
    // own data and sandbox: the settings file does not reach it.
    let settings = Settings::load(&paths)?;
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
    let clock = Clock::from_env()?;
    let actor = os_user();
    let (teamviewer, desktop, browser): (_, _, Arc<dyn helpatwork_teamviewer::BrowserOpener>) =
        if options.demo {
            (
                crate::demo_sandbox::teamviewer(paths.root()).await?,
                match settings.discovery() {
                    found if found.teamviewer_home.is_some() => found,
                    _ => crate::demo::desktop_client(&paths)?,
                },
                Arc::from(crate::teamviewer::demo_browser()),
            )
        } else {
            (
                TeamViewer::from_lookup(|n| settings.lookup(n)),
                settings.discovery(),
                Arc::from(crate::teamviewer::browser_from_env()),
            )
        };
    let mdm = match options.demo {
        true => None,
        false => settings.connector()?,
    }
    .unwrap_or_else(|| {
        Arc::new(crate::embedded::EmbeddedFleet::new(
            store.clone(),
            clock,
            actor.clone(),
        ))
    });
    let ctx = AppContext {
        store,
        paths,
        lang,
        demo: options.demo,
        actor,
        surface: options.surface,
        teamviewer,
        clock,
        desktop,
        mdm,
        launcher: Arc::new(helpatwork_desktop::launcher_from_env()),
        compat: Arc::new(compat_table()?),
        browser,
    };
    crate::actor::verify_with_teamviewer(&ctx);
    if ctx.demo {
        crate::demo::seed(&ctx).await?;
        crate::demo_sandbox::seed_unattended_and_agents(&ctx).await?;
    }
    Ok(ctx)
}

/// The S11 compatibility table: shipped, or `HELPATWORK_COMPAT_TABLE` (a JSON file, ≤ 1 MiB).
fn compat_table() -> Result<CompatTable> {
    let Some(path) = std::env::var_os("HELPATWORK_COMPAT_TABLE").filter(|p| !p.is_empty()) else {
        return Ok(CompatTable::default());
    };
    let shown = std::path::Path::new(&path).display().to_string();
    let meta = std::fs::metadata(&path).map_err(|e| {
        AppError::invalid(format!("Cannot read the compatibility table {shown}: {e}."))
    })?;
    if meta.len() > 1024 * 1024 {
        return Err(AppError::invalid(format!(
            "The compatibility table {shown} is larger than 1 MiB."
        )));
    }
    let text = std::fs::read_to_string(&path).map_err(|e| {
        AppError::invalid(format!("Cannot read the compatibility table {shown}: {e}."))
    })?;
    CompatTable::from_json(&text).map_err(|e| {
        AppError::invalid(format!("The compatibility table {shown} is not valid: {e}"))
            .with_fix("See docs/desktop-client.md for the format.")
    })
}
