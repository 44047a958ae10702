//! A remote session (spec S1–S12, D3), by phase:
//! - [`preflight`]: every check that decides whether a session can start (facts gathered once,
//!   the rules evaluated by the domain);
//! - [`start`]: the named steps of a start — admit, create the TeamViewer session, deliver it to
//!   the device app (S4), hand it to the desktop client, or fail naming the step;
//! - [`lifecycle`]: what follows — TeamViewer read back, expiry, every end closing its case;
//! - [`report`]: the embedded fleet's device side (`devices report`);
//! - the other flows of a session: [`unattended`] (the assigned Host), [`requests`] (help
//!   requests from the device user), [`handover`] (to another agent).
//!
//! Here: the session as the agent sees it, and reading, listing and closing it.

pub mod handover;
pub mod lifecycle;
pub mod preflight;
pub mod report;
pub mod requests;
pub mod start;
pub mod unattended;

use helpatwork_domain::{Mode, SessionDelivery, SessionState};
use helpatwork_store::{NewAuditEvent, SessionRecord};
use helpatwork_teamviewer::SessionCode;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::context::AppContext;
use crate::error::{AppError, Result};
use crate::session::lifecycle::{end, Ending};

pub use crate::session::lifecycle::{expire_due, STALE_REQUEST};
pub use preflight::{preflight, Preflight};
pub use report::{report, ReportEvent, ReportOutcome};
pub(crate) use start::{admit, blocked, close_unseen_session, conflict, hand_off};
pub use start::{open_again, start, MAX_REASON_CHARS};

/// A session as the agent sees it (design.md's session shape plus the links).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Session {
    pub id: String,
    pub device_id: String,
    pub mode: Mode,
    pub state: SessionState,
    pub code: Option<String>,
    pub agent: String,
    pub reason: String,
    pub created_at: String,
    /// When the session stops holding its device: 30 minutes after creation on iOS (S5), else
    /// TeamViewer's `valid_until` (24 hours after creation by default).
    pub expires_at: Option<String>,
    /// TeamViewer's end of validity of the session code.
    pub valid_until: Option<String>,
    /// When the session ended, and who ended it: an agent, or `teamviewer` when its case was
    /// closed there.
    pub ended_at: Option<String>,
    pub ended_by: Option<String>,
    pub supporter_link: Option<String>,
    pub end_customer_link: Option<String>,
    /// The desktop client was handed the supporter link.
    pub launched: bool,
    /// How the session reached the device: `managed_app_config` (S4); `end_customer_link` when
    /// the MDM connector cannot push a managed app configuration (the agent gives the device user
    /// `end_customer_link` instead); `teamviewer_device` (unattended) or `help_request`.
    pub delivery: Option<SessionDelivery>,
    /// The TeamViewer user the session's case is assigned to: its creator, or the agent it was
    /// handed over to (`None` for an unattended session, which has no case).
    pub teamviewer_userid: Option<String>,
}

impl From<SessionRecord> for Session {
    fn from(r: SessionRecord) -> Self {
        Session {
            mode: r.mode,
            state: r.state,
            created_at: crate::dto::rfc3339(r.created_at),
            expires_at: r.expires_at.map(crate::dto::rfc3339),
            valid_until: r.valid_until.map(crate::dto::rfc3339),
            ended_at: r.ended_at.map(crate::dto::rfc3339),
            ended_by: r.ended_by,
            id: r.id,
            device_id: r.device_id,
            code: r.code,
            agent: r.agent,
            reason: r.reason,
            supporter_link: r.supporter_link,
            end_customer_link: r.end_customer_link,
            launched: r.launched,
            delivery: r.delivery,
            teamviewer_userid: r.teamviewer_userid,
        }
    }
}

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
