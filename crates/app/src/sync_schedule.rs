//! Scheduled syncs: the window's background task and `devices sync --every`. Each run is
//! [`crate::sync_plan::sync_planned`] (incremental when it can be, full when due).
//!
//! Several processes of a team (windows, a service) may each run a schedule against one store:
//! a run needs the sync lease, so two never run at once, and a process whose turn comes less
//! than half its interval after another process completed a sync skips it (the fleet is fresh),
//! so the team syncs about once per interval, not once per process.

use std::sync::Arc;

use chrono::Duration;
use helpatwork_mdm::MdmConnector;
use serde::Serialize;
use ts_rs::TS;

use crate::context::AppContext;
use crate::error::{ErrorCode, Result};
use crate::sync::{SyncCancel, SyncReport};
use crate::sync_plan::{sync_planned, SyncMode};

/// What one scheduled turn did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub enum ScheduledRun {
    /// A sync ran to its end (or was cancelled: `report.cancelled`).
    Synced { at: String, report: SyncReport },
    /// Another process holds the sync lease, or completed a sync moments ago.
    Skipped { at: String, reason: String },
    /// The sync failed; the watermark stays and the next turn tries again.
    Failed {
        at: String,
        code: ErrorCode,
        message: String,
        fix: Option<String>,
    },
}

/// One scheduled turn with `interval` between turns.
pub async fn tick(
    ctx: &AppContext,
    connector: Arc<dyn MdmConnector>,
    interval: std::time::Duration,
    cancel: &SyncCancel,
) -> ScheduledRun {
    let at = helpatwork_store::timestamp(ctx.clock.now());
    match recently_synced(ctx, connector.as_ref(), interval).await {
        Ok(Some(when)) => {
            return ScheduledRun::Skipped {
                at,
                reason: match ctx.lang {
                    helpatwork_domain::Lang::En => {
                        format!("a sync completed at {when}; the fleet is fresh")
                    }
                    helpatwork_domain::Lang::PtBr => {
                        format!("uma sincronização terminou em {when}; a frota está atualizada")
                    }
                },
            }
        }
        Ok(None) => {}
        Err(e) => tracing::warn!(error = %e, "the last sync could not be read"),
    }
    match sync_planned(ctx, connector, SyncMode::Auto, &|_, _| {}, cancel).await {
        Ok(report) => ScheduledRun::Synced { at, report },
        Err(e) if e.code == ErrorCode::Conflict => ScheduledRun::Skipped {
            at,
            reason: e.message,
        },
        Err(e) => ScheduledRun::Failed {
            at,
            code: e.code,
            message: e.message,
            fix: e.fix,
        },
    }
}

/// When a sync completed less than half of `interval` ago (by any process of this store).
async fn recently_synced(
    ctx: &AppContext,
    connector: &dyn MdmConnector,
    interval: std::time::Duration,
) -> Result<Option<String>> {
    let Some(state) = ctx.store.sync_state(connector.name()).await? else {
        return Ok(None);
    };
    let half = Duration::from_std(interval / 2).unwrap_or(Duration::zero());
    Ok(match (state.last_outcome.as_deref(), state.last_run_at) {
        (Some("ok"), Some(at)) if ctx.clock.now() - at < half => {
            Some(helpatwork_store::timestamp(at))
        }
        _ => None,
    })
}
