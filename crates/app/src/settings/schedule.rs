//! The sync schedule's settings: `sync.every_minutes` (the window's background sync) and
//! `sync.full_every` (when a sync reads every device), parsed and checked in both languages.
//! The sync itself reads them through `crate::sync_plan`.

use chrono::{DateTime, Duration, Utc};
use helpatwork_domain::Lang;

use crate::error::{AppError, ErrorDetails, Result};

/// `sync.full_every` / `HELPATWORK_SYNC_FULL_EVERY`.
pub const ENV_FULL_EVERY: &str = "HELPATWORK_SYNC_FULL_EVERY";
/// `sync.every_minutes` / `HELPATWORK_SYNC_EVERY_MINUTES`.
pub const ENV_EVERY_MINUTES: &str = "HELPATWORK_SYNC_EVERY_MINUTES";
/// The window's background sync, in minutes, when nothing is set.
pub const DEFAULT_EVERY_MINUTES: u32 = 15;

/// When a full sync is due.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FullEvery {
    /// The first sync of each day (UTC).
    Daily,
    /// When the last full sync started this many hours ago or more.
    Hours(u32),
}

impl FullEvery {
    /// Whether a full sync is due at `now`, the last one having started at `last_full`.
    pub fn due(self, last_full: Option<DateTime<Utc>>, now: DateTime<Utc>) -> bool {
        let Some(last) = last_full else {
            return true;
        };
        match self {
            FullEvery::Daily => last.date_naive() < now.date_naive(),
            FullEvery::Hours(h) => now - last >= Duration::hours(i64::from(h)),
        }
    }
}

fn bad_setting(
    key: &str,
    value: &str,
    lang: Lang,
    why: (&str, &str),
    fix: (&str, &str),
) -> AppError {
    AppError::invalid(match lang {
        Lang::En => format!("\"{value}\" is not a valid {key}: {}.", why.0),
        Lang::PtBr => format!("\"{value}\" não é um valor válido de {key}: {}.", why.1),
    })
    .with_fix(lang.pick(fix.0, fix.1).to_string())
    .with_details(ErrorDetails::Setting {
        key: key.to_string(),
    })
}

/// `daily`, or a whole number of hours from 1 to 168.
pub fn parse_full_every(value: &str, lang: Lang) -> Result<FullEvery> {
    let v = value.trim();
    if v.eq_ignore_ascii_case("daily") {
        return Ok(FullEvery::Daily);
    }
    match v.trim_end_matches(['h', 'H']).parse::<u32>() {
        Ok(h) if (1..=168).contains(&h) => Ok(FullEvery::Hours(h)),
        _ => Err(bad_setting(
            "sync.full_every",
            value,
            lang,
            ("neither daily nor a number of hours from 1 to 168", "nem daily nem um número de horas de 1 a 168"),
            (
                "Use daily (the first sync of each day is full) or the hours between full syncs, e.g. 6.",
                "Use daily (a primeira sincronização de cada dia é completa) ou as horas entre sincronizações completas, por exemplo 6.",
            ),
        )),
    }
}

/// Minutes between background syncs: `0` (off) or 5 to 1440.
pub fn parse_every_minutes(value: &str, lang: Lang) -> Result<u32> {
    match value.trim().parse::<u32>() {
        Ok(m) if m == 0 || (5..=1440).contains(&m) => Ok(m),
        _ => Err(bad_setting(
            "sync.every_minutes",
            value,
            lang,
            ("not 0 or a number of minutes from 5 to 1440", "não é 0 nem um número de minutos de 5 a 1440"),
            (
                "Use the minutes between background syncs (5 to 1440; 15 by default), or 0 to turn them off.",
                "Use os minutos entre sincronizações em segundo plano (5 a 1440; 15 por padrão), ou 0 para desligá-las.",
            ),
        )),
    }
}
