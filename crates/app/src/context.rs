//! What every service needs: the store, the language, who is acting, where data lives.

use helpatwork_domain::Lang;
use helpatwork_store::Store;

use crate::error::Result;
use crate::paths::Paths;

#[derive(Debug, Clone, Default)]
pub struct ContextOptions {
    /// `HELPATWORK_DATABASE_URL` (sqlite:… or postgres://…); default the SQLite file in the data dir.
    pub database_url: Option<String>,
    /// The labelled demo: its own data dir, seeded with the demo fleet.
    pub demo: bool,
    /// Overrides the stored language preference.
    pub lang: Option<Lang>,
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
        }
    }
}

#[derive(Debug, Clone)]
pub struct AppContext {
    pub store: Store,
    pub paths: Paths,
    pub lang: Lang,
    pub demo: bool,
    /// Who acts: the OS user name, recorded in sessions and audit events.
    pub actor: String,
}

pub const LANG_SETTING: &str = "ui.lang";

impl AppContext {
    pub async fn open(paths: Paths, options: ContextOptions) -> Result<Self> {
        let paths = if options.demo { paths.demo() } else { paths };
        let store = match &options.database_url {
            Some(url) if !options.demo => Store::open(url).await?,
            _ => Store::open_sqlite(&paths.database()).await?,
        };
        let lang = match options.lang {
            Some(lang) => lang,
            None => store
                .setting(LANG_SETTING)
                .await?
                .and_then(|l| Lang::parse(&l))
                .unwrap_or_else(system_lang),
        };
        let ctx = Self {
            store,
            paths,
            lang,
            demo: options.demo,
            actor: os_user(),
        };
        if ctx.demo {
            crate::demo::seed(&ctx).await?;
        }
        Ok(ctx)
    }

    pub async fn set_lang(&mut self, lang: Lang) -> Result<()> {
        self.store.set_setting(LANG_SETTING, lang.as_str()).await?;
        self.lang = lang;
        Ok(())
    }
}

fn system_lang() -> Lang {
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
