//! Which sync runs: incremental (only what changed since the connector's watermark) or full
//! (every device; what the MDM no longer lists is marked removed), the full sync's own schedule,
//! the background schedule's settings, and where the last sync stands.
//!
//! An incremental sync asks the MDM for the devices changed after the watermark less
//! [`OVERLAP`] (the MDM's clock and this machine's may differ; a device read twice is simply
//! unchanged). A full sync runs instead when the connector cannot filter
//! ([`MdmConnector::supports_changed_since`]), before the first completed sync, while an
//! interrupted full run waits to be resumed, and when the full schedule (`sync.full_every`) says
//! it is due: deletions in the MDM are found only by a full sync.

use std::sync::Arc;

use chrono::{DateTime, Duration, Utc};
use helpatwork_mdm::MdmConnector;
use serde::Serialize;
use ts_rs::TS;

use crate::context::AppContext;
use crate::error::Result;
use crate::sync::{SyncCancel, SyncReport};

/// How far before the watermark an incremental sync reads, for clock skew between the MDM and
/// this machine and for check-ins the MDM records late.
pub const OVERLAP: Duration = Duration::minutes(10);

pub use crate::settings::schedule::{
    parse_every_minutes, parse_full_every, FullEvery, DEFAULT_EVERY_MINUTES, ENV_EVERY_MINUTES,
    ENV_FULL_EVERY,
};

/// What the caller asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SyncMode {
    /// Incremental when it can be, full when it must be (see the module).
    Auto,
    /// Every device (`devices sync --full`).
    Full,
}

/// The full schedule the settings choose (`daily` when unset or unreadable).
pub fn full_every(ctx: &AppContext) -> FullEvery {
    crate::settings::Settings::load(&ctx.paths)
        .ok()
        .and_then(|s| s.lookup(ENV_FULL_EVERY))
        .and_then(|v| parse_full_every(&v, ctx.lang).ok())
        .unwrap_or(FullEvery::Daily)
}

/// Minutes between the window's background syncs: `0` with the embedded fleet (nothing to
/// sync), else the setting, else [`DEFAULT_EVERY_MINUTES`].
pub fn every_minutes(ctx: &AppContext) -> u32 {
    if !ctx.can_sync() {
        return 0;
    }
    crate::settings::Settings::load(&ctx.paths)
        .ok()
        .and_then(|s| s.lookup(ENV_EVERY_MINUTES))
        .and_then(|v| parse_every_minutes(&v, ctx.lang).ok())
        .unwrap_or(DEFAULT_EVERY_MINUTES)
}

/// The sync to run now: `None` for a full one, else the time an incremental one reads from.
pub async fn plan(
    ctx: &AppContext,
    connector: &dyn MdmConnector,
    mode: SyncMode,
    full_every: FullEvery,
) -> Result<Option<DateTime<Utc>>> {
    if mode == SyncMode::Full
        || !connector.supports_changed_since()
        || crate::sync::full_run_pending(ctx).await?
    {
        return Ok(None);
    }
    let Some(state) = ctx.store.sync_state(connector.name()).await? else {
        return Ok(None);
    };
    let Some(watermark) = state.watermark else {
        return Ok(None);
    };
    if full_every.due(state.last_full_at, ctx.clock.now()) {
        return Ok(None);
    }
    Ok(Some(watermark - OVERLAP))
}

/// `devices sync`: incremental or full as [`plan`] decides (`SyncMode::Full` forces full).
pub async fn sync_planned(
    ctx: &AppContext,
    connector: Arc<dyn MdmConnector>,
    mode: SyncMode,
    progress: &(dyn Fn(u32, u32) + Send + Sync),
    cancel: &SyncCancel,
) -> Result<SyncReport> {
    if !ctx.can_sync() || connector.name() == crate::embedded::NAME {
        // The embedded fleet's refusal, with its fix.
        return crate::sync::sync_with(ctx, connector, progress, cancel).await;
    }
    let since = plan(ctx, connector.as_ref(), mode, full_every(ctx)).await?;
    crate::sync::sync_since(ctx, connector, since, progress, cancel).await
}

/// Where the configured connector's sync stands: for the window's header, `doctor` and
/// `devices sync --status`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct SyncStatus {
    /// The MDM connector ("embedded": nothing is synced).
    pub connector: String,
    /// Whether this connector can be synced at all (not the embedded fleet).
    pub syncable: bool,
    /// When the last sync ended (RFC 3339), whatever its outcome.
    pub last_run_at: Option<String>,
    /// `full` or `incremental`.
    pub last_mode: Option<String>,
    /// `ok`, `failed` or `cancelled`.
    pub last_outcome: Option<String>,
    pub last_error: Option<String>,
    /// Devices the last sync read.
    pub last_devices: u32,
    /// Changes before this time are in the store.
    pub watermark: Option<String>,
    /// The start of the last completed full sync.
    pub last_full_at: Option<String>,
    /// Whether the next sync is a full one.
    pub next_full: bool,
    /// Minutes between the window's background syncs (`0`: off).
    pub every_minutes: u32,
}

/// The configured connector's [`SyncStatus`].
pub async fn status(ctx: &AppContext) -> Result<SyncStatus> {
    let connector = ctx.mdm.name().to_string();
    let syncable = ctx.can_sync();
    let state = if syncable {
        ctx.store.sync_state(&connector).await?
    } else {
        None
    };
    let next_full = syncable
        && plan(ctx, ctx.mdm.as_ref(), SyncMode::Auto, full_every(ctx))
            .await?
            .is_none();
    let ts = |t: Option<DateTime<Utc>>| t.map(helpatwork_store::timestamp);
    Ok(SyncStatus {
        connector,
        syncable,
        last_run_at: ts(state.as_ref().and_then(|s| s.last_run_at)),
        last_mode: state.as_ref().and_then(|s| s.last_mode.clone()),
        last_outcome: state.as_ref().and_then(|s| s.last_outcome.clone()),
        last_error: state.as_ref().and_then(|s| s.last_error.clone()),
        last_devices: state.as_ref().map_or(0, |s| s.last_devices),
        watermark: ts(state.as_ref().and_then(|s| s.watermark)),
        last_full_at: ts(state.as_ref().and_then(|s| s.last_full_at)),
        next_full,
        every_minutes: every_minutes(ctx),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use helpatwork_domain::Lang;

    fn at(t: &str) -> DateTime<Utc> {
        t.parse().unwrap()
    }

    #[test]
    fn the_full_sync_is_due_once_a_day_or_after_its_hours() {
        let now = at("2026-12-07T09:00:00Z");
        assert!(FullEvery::Daily.due(None, now));
        assert!(FullEvery::Daily.due(Some(at("2026-12-06T23:59:00Z")), now));
        assert!(!FullEvery::Daily.due(Some(at("2026-12-07T00:01:00Z")), now));
        assert!(FullEvery::Hours(6).due(Some(at("2026-12-07T03:00:00Z")), now));
        assert!(!FullEvery::Hours(6).due(Some(at("2026-12-07T03:00:01Z")), now));
    }

    #[test]
    fn schedule_settings_are_checked_in_both_languages() {
        assert_eq!(
            parse_full_every("daily", Lang::En).unwrap(),
            FullEvery::Daily
        );
        assert_eq!(
            parse_full_every(" 12h ", Lang::En).unwrap(),
            FullEvery::Hours(12)
        );
        for bad in ["0", "169", "weekly", ""] {
            let en = parse_full_every(bad, Lang::En).unwrap_err();
            let pt = parse_full_every(bad, Lang::PtBr).unwrap_err();
            assert!(en.fix.is_some() && pt.fix.is_some());
            assert_ne!(en.message, pt.message);
        }
        assert_eq!(parse_every_minutes("0", Lang::En).unwrap(), 0);
        assert_eq!(parse_every_minutes("15", Lang::En).unwrap(), 15);
        for bad in ["4", "1441", "-1", "x"] {
            let pt = parse_every_minutes(bad, Lang::PtBr).unwrap_err();
            assert!(pt.message.contains("não é"), "{}", pt.message);
        }
    }
}
