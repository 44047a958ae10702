//! A remote session (spec S1–S12, D3), by phase:
//! - [`preflight`]: every check that decides whether a session can start (facts gathered once,
//!   the rules evaluated by the domain);
//! - [`start`]: the named steps of a start — admit, create the TeamViewer session, deliver it to
//!   the device app (S4), hand it to the desktop client, or fail naming the step;
//! - [`lifecycle`]: what follows — TeamViewer read back, expiry, every end closing its case;
//! - [`report`]: the embedded fleet's device side (`devices report`);
//! - [`coaching`]: the coaching card the device user gets and the agent sees;
//! - the other flows of a session: [`unattended`] (the assigned Host), [`requests`] (help
//!   requests from the device user), [`handover`] (to another agent).
//!
//! Here: the session as the agent sees it, and reading, listing and closing it.

mod admit;
pub mod armed;
pub mod coaching;
mod delivery;
pub mod handover;
pub mod lifecycle;
pub mod preflight;
pub mod report;
pub mod requests;
pub mod start;
pub mod unattended;

use helpatwork_domain::SessionState;
use helpatwork_store::{NewAuditEvent, SessionRecord};
use helpatwork_teamviewer::SessionCode;

use crate::context::AppContext;
use crate::error::{AppError, Result};
use crate::session::lifecycle::{end, Ending};

pub use crate::dto::{Preflight, Session};
pub use crate::session::lifecycle::{expire_due, STALE_REQUEST};
pub use admit::MAX_REASON_CHARS;
pub(crate) use admit::{blocked, Admitted};
pub use preflight::{preflight, preflight_with, PolicyRequest};
pub use report::{report, ReportEvent, ReportOutcome};
pub(crate) use start::{close_unseen_session, conflict, hand_off};
pub use start::{open_again, start, start_with_ticket};

pub(crate) fn audit<'a>(
    ctx: &'a AppContext,
    action: &'a str,
    device: &'a str,
    session: &'a str,
    detail: serde_json::Value,
) -> NewAuditEvent<'a> {
    NewAuditEvent {
        actor: &ctx.actor,
        action,
        device_id: Some(device),
        session_id: Some(session),
        detail,
    }
}

pub(crate) async fn find(ctx: &AppContext, id: &str) -> Result<SessionRecord> {
    expire_due(ctx).await?;
    ctx.store.session(id).await?.ok_or_else(|| {
        let id: String = id.chars().take(64).collect();
        AppError::not_found(ctx.lang.pick(
            &format!("No session has the id \"{id}\"."),
            &format!("Nenhuma sessão tem o id \"{id}\"."),
        ))
        .with_fix(ctx.lang.pick(
            "List the sessions with `helpatwork session list`.",
            "Liste as sessões com `helpatwork session list`.",
        ))
    })
}

pub async fn show(ctx: &AppContext, id: &str) -> Result<Session> {
    Ok(Session::from(find(ctx, id).await?))
}

/// The most sessions one list answers (as the other lists).
pub const MAX_LIST: u32 = 1000;

/// The sessions as the store holds them (expiry applied). The CLI reads them back from
/// TeamViewer first (`lifecycle::reconcile`); the window does so on an interval.
pub async fn list(ctx: &AppContext, open_only: bool, limit: u32) -> Result<Vec<Session>> {
    if !(1..=MAX_LIST).contains(&limit) {
        return Err(AppError::invalid(format!(
            "{limit} sessions per list is not between 1 and {MAX_LIST}."
        ))
        .with_fix(format!("Use a limit from 1 to {MAX_LIST}.")));
    }
    expire_due(ctx).await?;
    Ok(ctx
        .store
        .sessions(open_only, limit)
        .await?
        .into_iter()
        .map(Session::from)
        .collect())
}

/// Ends the session at TeamViewer and clears the device's app configuration.
pub async fn close(ctx: &AppContext, id: &str) -> Result<Session> {
    let record = find(ctx, id).await?;
    let state = record.state;
    if !state.is_open() {
        return Ok(Session::from(record));
    }
    // An agent who handed the session over no longer closes it: its new holder does.
    crate::session::handover::ensure_may_close(ctx, &record).await?;
    if let Some(code) = record
        .code
        .as_deref()
        .and_then(|c| SessionCode::parse(c).ok())
    {
        ctx.teamviewer
            .client()?
            .close_session(&code)
            .await
            .map_err(AppError::from)?;
    }
    let (record, _) = end(
        ctx,
        &record,
        Ending {
            state: SessionState::Closed,
            detail: serde_json::json!({}),
            by: &ctx.actor,
            at: None,
            close_at_teamviewer: None,
        },
    )
    .await?;
    Ok(Session::from(record))
}
