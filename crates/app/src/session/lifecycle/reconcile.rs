//! Reading open sessions back from TeamViewer and applying what it says.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use helpatwork_domain::session::{self as rules, TeamViewerCase};
use helpatwork_domain::SessionState;
use helpatwork_store::{SessionPatch, SessionRecord};
use helpatwork_teamviewer::{
    ErrorCode as TvErrorCode, SessionCode, SessionQuery, TeamViewerClient,
};

use super::closes::close_owed;
use super::{
    changed, end, expire_due, ChangeCause, Ending, SessionChange, SessionSync, TeamViewerCheck,
    Trigger, DEVICE_RECONCILE_BUDGET, SINGLE_READ_EVERY, TEAMVIEWER,
};
use crate::context::AppContext;
use crate::error::Result;
use crate::session::audit;

/// The signed-in client, or why there is none (never an error: reading back is best effort).
pub(super) async fn signed_in(
    ctx: &AppContext,
) -> std::result::Result<&TeamViewerClient, (TeamViewerCheck, Option<String>)> {
    let Some(client) = ctx.teamviewer.client.as_ref() else {
        return Err((
            TeamViewerCheck::NotConfigured,
            ctx.teamviewer.config_error.clone(),
        ));
    };
    match client.auth_kind().await {
        Ok(Some(_)) => Ok(client),
        Ok(None) => Err((TeamViewerCheck::NotSignedIn, None)),
        Err(e) => Err((TeamViewerCheck::Failed, Some(e.to_string()))),
    }
}

fn is_sign_in_error(code: TvErrorCode) -> bool {
    matches!(
        code,
        TvErrorCode::SignInNeeded | TvErrorCode::TokenExpired | TvErrorCode::InvalidToken
    )
}

/// What TeamViewer answers for one code: `None` when it cannot tell us (a case of another
/// account, an error): unknown, so nothing changes.
async fn read_case(
    client: &TeamViewerClient,
    code: &str,
) -> std::result::Result<
    Option<(TeamViewerCase, Option<DateTime<Utc>>)>,
    helpatwork_teamviewer::TeamViewerError,
> {
    let Ok(parsed) = SessionCode::parse(code) else {
        return Ok(None);
    };
    match client.session(&parsed).await {
        Ok(s) => Ok(Some(match s.state {
            helpatwork_teamviewer::CaseState::Closed => (TeamViewerCase::Closed, s.closed_at),
            helpatwork_teamviewer::CaseState::Open => {
                (TeamViewerCase::Open { online: s.online }, None)
            }
        })),
        Err(e)
            if matches!(
                e.code(),
                TvErrorCode::NotFound | TvErrorCode::InvalidRequest | TvErrorCode::Blocked
            ) =>
        {
            tracing::debug!(%code, error = %e, "TeamViewer tells nothing of this case");
            Ok(None)
        }
        Err(e) => Err(e),
    }
}

/// Applies what TeamViewer said of one open session.
async fn apply(
    ctx: &AppContext,
    record: &SessionRecord,
    case: TeamViewerCase,
    closed_at: Option<DateTime<Utc>>,
) -> Result<Option<SessionChange>> {
    let state = record.state;
    let now = ctx.clock.now();
    match rules::on_teamviewer(state, case) {
        None => Ok(None),
        Some(SessionState::Closed) => {
            let (ended, by_us) = end(
                ctx,
                record,
                Ending {
                    state: SessionState::Closed,
                    detail: serde_json::json!({
                        "source": TEAMVIEWER,
                        "closed_at": closed_at.map(crate::dto::rfc3339),
                    }),
                    by: TEAMVIEWER,
                    at: closed_at.filter(|t| *t <= now),
                    close_at_teamviewer: None,
                },
            )
            .await?;
            by_us
                .then(|| changed(ended, record.state, ChangeCause::TeamviewerClosed))
                .transpose()
        }
        Some(next) => {
            let moved = ctx
                .store
                .advance_session_from(
                    &record.id,
                    record.state,
                    now,
                    &SessionPatch {
                        state: Some(next),
                        ..Default::default()
                    },
                    audit(
                        ctx,
                        &format!("session.{}", next.as_str()),
                        &record.device_id,
                        &record.id,
                        serde_json::json!({"source": TEAMVIEWER, "online": true}),
                    ),
                )
                .await?;
            moved
                .map(|m| changed(m, record.state, ChangeCause::TeamviewerOnline))
                .transpose()
        }
    }
}

/// Reads every open session back from TeamViewer and applies what it says; then tries the
/// closes still owed. TeamViewer being unreachable or the agent signed out is reported in the
/// answer, never an error: the rows stay as they are.
pub async fn reconcile(ctx: &AppContext, trigger: Trigger) -> Result<SessionSync> {
    let mut changes = expire_due(ctx).await?;
    let open = ctx.store.open_sessions_with_code().await?;
    let owed = ctx.store.pending_closes().await?;
    let mut sync = SessionSync {
        teamviewer: TeamViewerCheck::NothingOpen,
        message: None,
        changes: Vec::new(),
        closes: Vec::new(),
        pending_closes: Vec::new(),
    };
    if open.is_empty() && owed.is_empty() {
        sync.changes = changes;
        return Ok(sync);
    }
    let client = match signed_in(ctx).await {
        Ok(client) => client,
        Err((check, message)) => {
            sync.teamviewer = check;
            sync.message = message;
            sync.changes = changes;
            sync.pending_closes = owed.into_iter().map(Into::into).collect();
            return Ok(sync);
        }
    };
    sync.teamviewer = TeamViewerCheck::Checked;
    if !open.is_empty() {
        // One call for every open case (TeamViewer's list shows open cases, with `online`).
        match client.list_sessions(&SessionQuery::default()).await {
            Ok(listed) => {
                let listed: HashMap<String, bool> = listed
                    .into_iter()
                    .map(|s| (s.code.to_string(), s.online))
                    .collect();
                let now = ctx.clock.now();
                let mut read = Vec::new();
                for record in &open {
                    let code = record.code.as_deref().unwrap_or_default();
                    let answer = match listed.get(code) {
                        Some(&online) => Some((TeamViewerCase::Open { online }, None)),
                        // Not in the open list: closed there, or a case this account cannot
                        // see (asked for again at most once a minute, unless the agent asks).
                        None if trigger == Trigger::Automatic
                            && record
                                .reconciled_at
                                .is_some_and(|at| now - at < SINGLE_READ_EVERY) =>
                        {
                            None
                        }
                        None => {
                            read.push(record.id.clone());
                            match read_case(client, code).await {
                                Ok(answer) => answer,
                                Err(e) => {
                                    sync.message = Some(e.to_string());
                                    None
                                }
                            }
                        }
                    };
                    if let Some((case, closed_at)) = answer {
                        if let Some(change) = apply(ctx, record, case, closed_at).await? {
                            changes.push(change);
                        }
                    }
                }
                ctx.store.touch_reconciled(&read, now).await?;
            }
            Err(e) if is_sign_in_error(e.code()) => {
                sync.teamviewer = TeamViewerCheck::NotSignedIn;
                sync.message = Some(e.to_string());
            }
            Err(e) => {
                sync.teamviewer = TeamViewerCheck::Failed;
                sync.message = Some(e.to_string());
            }
        }
    }
    if sync.teamviewer == TeamViewerCheck::Checked {
        sync.closes = close_owed(ctx, client, trigger).await?;
    }
    sync.changes = changes;
    sync.pending_closes = ctx
        .store
        .pending_closes()
        .await?
        .into_iter()
        .map(Into::into)
        .collect();
    Ok(sync)
}

/// Before `session show`: expiry, then that session read back from TeamViewer.
pub async fn reconcile_session(ctx: &AppContext, id: &str) -> Result<()> {
    expire_and_close(ctx).await?;
    let Some(record) = ctx.store.session(id).await? else {
        return Ok(());
    };
    if record.state.is_open() {
        reconcile_one(ctx, &record).await?;
    }
    Ok(())
}

/// Expiry, and the closes it queued tried at once; whether it ended a session.
async fn expire_and_close(ctx: &AppContext) -> Result<bool> {
    closed_after(ctx, expire_due(ctx).await?).await
}

/// [`expire_and_close`] of what [`super::session_facts`] read as of `now`.
pub(crate) async fn expire_found_and_close(
    ctx: &AppContext,
    found: helpatwork_store::SessionFacts,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<bool> {
    if found.stale.is_empty() && found.due.is_empty() {
        return Ok(false);
    }
    closed_after(ctx, super::expire(ctx, found, now).await?).await
}

/// The closes `changes` queued, tried at once; whether there were any.
async fn closed_after(ctx: &AppContext, changes: Vec<SessionChange>) -> Result<bool> {
    let ended = !changes.is_empty();
    if ended {
        super::flush_closes(ctx).await;
    }
    Ok(ended)
}

/// An open session read back from TeamViewer (one with a code; nothing without), before
/// preflight's open-session check and a start, so a stale row never blocks the device. Best
/// effort within [`DEVICE_RECONCILE_BUDGET`]. The caller ran expiry first ([`expire_and_close`]).
pub(crate) async fn reconcile_one(ctx: &AppContext, record: &SessionRecord) -> Result<()> {
    let Some(code) = record.code.as_deref() else {
        return Ok(());
    };
    let Ok(client) = signed_in(ctx).await else {
        return Ok(());
    };
    match tokio::time::timeout(DEVICE_RECONCILE_BUDGET, read_case(client, code)).await {
        Ok(Ok(Some((case, closed_at)))) => {
            apply(ctx, record, case, closed_at).await?;
            ctx.store
                .touch_reconciled(std::slice::from_ref(&record.id), ctx.clock.now())
                .await?;
        }
        Ok(Ok(None)) => {}
        Ok(Err(e)) => {
            tracing::warn!(%code, error = %e, "the session could not be read back from TeamViewer")
        }
        Err(_) => {
            tracing::warn!(%code, "TeamViewer did not answer in time: the session stays as it is")
        }
    }
    Ok(())
}
