//! The session lifecycle after the start: a session's state here is TeamViewer's state.
//!
//! - **Expiry.** An open session past its expiry (S5's 30 minutes on iOS, TeamViewer's
//!   `valid_until` on every platform) is `expired`; a start that stopped before TeamViewer
//!   answered is `failed` after [`STALE_REQUEST`]. Both are decided from the store and the clock.
//! - **Reconciliation.** Open sessions are read back from TeamViewer: one list call for every
//!   open case (`GET /sessions`), and `GET /sessions/{code}` only for those the list does not
//!   show. The case closed there → `closed` here (by `teamviewer`, at TeamViewer's `closed_at`);
//!   the end customer connected → `active` (S6). What TeamViewer cannot tell (a case another
//!   account owns, an error) changes nothing: unknown is not closed.
//! - **No case left open at TeamViewer.** Every local end (lost, expired, failed after create,
//!   activation removed, device retired, deprovisioned) queues the close of its case in the
//!   transaction that ends it ([`helpatwork_store::PendingClose`]); [`flush_closes`] closes them
//!   with the client's retries, and a close that keeps failing is tried again on the next
//!   reconciliation, with a growing pause, and shown by `doctor` and the window until it succeeds.
//!
//! The CLI reconciles before `session list`, `session show`, preflight's open-session check and
//! `start`; the window every [`RECONCILE_EVERY`] while a session is open; `session sync` on demand.
//! The store is the one truth: one agent's reconciliation is every agent's.

use std::time::Duration;

use chrono::{DateTime, Utc};
use helpatwork_domain::session as rules;
use helpatwork_domain::{SessionDelivery, SessionState};
use helpatwork_store::{PendingClose, SessionFacts, SessionPatch, SessionRecord};
use serde::Serialize;
use ts_rs::TS;

use crate::context::AppContext;
use crate::error::Result;
use crate::session::{audit, Session};

/// How often the window reads open sessions back from TeamViewer. TeamViewer counts calls per
/// function and token (Corporate: 36,000 a day): one list call every 15 s is 5,760 a day.
pub const RECONCILE_EVERY: Duration = Duration::from_secs(15);

/// A session missing from TeamViewer's open list is asked for by its code at most this often
/// (a case of another account answers nothing we may read: asking again soon changes nothing).
pub(super) const SINGLE_READ_EVERY: chrono::Duration = chrono::Duration::seconds(60);

/// The whole reconciliation of one device's session inside preflight or a start: beyond it the
/// row stays as it is (the check says who holds the device) and the agent is not kept waiting.
pub(super) const DEVICE_RECONCILE_BUDGET: Duration = Duration::from_secs(5);

/// Who ended a session whose case was closed at TeamViewer.
pub const TEAMVIEWER: &str = "teamviewer";

/// A `requested` session without a TeamViewer code older than this was left by a start that
/// stopped (killed, crashed, powered off) before TeamViewer answered: a running start advances
/// or fails its row within the TeamViewer client's timeouts (10 s to connect, 30 s a request).
/// The margin covers clocks that differ between the machines of a team.
pub const STALE_REQUEST: chrono::Duration = chrono::Duration::minutes(5);

/// What a reconciliation could ask TeamViewer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum TeamViewerCheck {
    /// TeamViewer was asked about every open session.
    Checked,
    /// No open session and no close owed: nothing to ask.
    NothingOpen,
    /// No TeamViewer sign-in on this machine: states may be behind.
    NotSignedIn,
    /// TeamViewer is not configured.
    NotConfigured,
    /// TeamViewer could not be asked (`message` says why): states may be behind.
    Failed,
}

/// Why a session changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum ChangeCause {
    /// The end customer connected at TeamViewer (S6).
    TeamviewerOnline,
    /// The case was closed at TeamViewer.
    TeamviewerClosed,
    /// Past its expiry (S5, `valid_until`).
    Expired,
    /// A start stopped before TeamViewer answered.
    StaleRequest,
    /// The device is no longer managed by the MDM.
    DeviceRetired,
    /// The activation was removed (A3).
    ActivationRemoved,
    /// Host was deprovisioned from the device (A5).
    Deprovisioned,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct SessionChange {
    pub session: Session,
    pub from: SessionState,
    pub cause: ChangeCause,
}

/// One try to close a TeamViewer case.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct CloseOutcome {
    pub code: String,
    pub session_id: String,
    pub device_id: String,
    pub reason: String,
    /// TeamViewer confirmed the close (or knows no such case any more).
    pub closed: bool,
    /// Tries so far, this one included.
    pub attempts: u32,
    pub error: Option<String>,
}

/// A close still owed to TeamViewer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct PendingCloseInfo {
    pub code: String,
    pub session_id: String,
    pub device_id: String,
    pub reason: String,
    pub attempts: u32,
    pub last_error: Option<String>,
    pub queued_at: String,
    pub last_attempt_at: Option<String>,
}

impl From<PendingClose> for PendingCloseInfo {
    fn from(p: PendingClose) -> Self {
        Self {
            code: p.code,
            session_id: p.session_id,
            device_id: p.device_id,
            reason: p.reason,
            attempts: p.attempts,
            last_error: p.last_error,
            queued_at: crate::dto::rfc3339(p.queued_at),
            last_attempt_at: p.last_attempt_at.map(crate::dto::rfc3339),
        }
    }
}

/// `helpatwork session sync`: what a reconciliation saw and did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct SessionSync {
    pub teamviewer: TeamViewerCheck,
    /// Why TeamViewer could not be asked, when it could not.
    pub message: Option<String>,
    pub changes: Vec<SessionChange>,
    /// Closes tried during this reconciliation.
    pub closes: Vec<CloseOutcome>,
    /// Closes still owed after it.
    pub pending_closes: Vec<PendingCloseInfo>,
}

/// The last reconciliation a long-running process (the window) made, and when: what its
/// sessions view shows ("checked with TeamViewer at …", "not signed in", the closes owed).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct LastSessionSync {
    pub at: String,
    pub sync: SessionSync,
}

/// Holds [`LastSessionSync`] between reconciliations.
#[derive(Debug, Default)]
pub struct SyncLog(std::sync::Mutex<Option<LastSessionSync>>);

impl SyncLog {
    pub fn record(&self, at: DateTime<Utc>, sync: &SessionSync) {
        *self.0.lock().unwrap_or_else(|e| e.into_inner()) = Some(LastSessionSync {
            at: crate::dto::rfc3339(at),
            sync: sync.clone(),
        });
    }

    pub fn last(&self) -> Option<LastSessionSync> {
        self.0.lock().unwrap_or_else(|e| e.into_inner()).clone()
    }
}

/// Who asked for a reconciliation: the agent (`session sync`: every owed close is tried now) or
/// the product on its own (before a list, the window's interval: owed closes wait their pause).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Trigger {
    Agent,
    Automatic,
}

/// How an open session ends here.
pub(crate) struct Ending<'a> {
    pub state: SessionState,
    pub detail: serde_json::Value,
    /// Who ended it: the agent, or [`TEAMVIEWER`].
    pub by: &'a str,
    /// When it ended: now, unless TeamViewer said when (`closed_at`).
    pub at: Option<DateTime<Utc>>,
    /// Close the session's TeamViewer case too, for this reason (queued in the same transaction).
    pub close_at_teamviewer: Option<&'a str>,
}

/// Ends an open session: the row, the device's app configuration cleared, the audit event and
/// the close owed to TeamViewer, in one transaction. Returns the row as it now is and whether
/// this call ended it (another process may have ended it first: that end stands).
pub(crate) async fn end(
    ctx: &AppContext,
    record: &SessionRecord,
    ending: Ending<'_>,
) -> Result<(SessionRecord, bool)> {
    let Ending {
        state,
        mut detail,
        by,
        at,
        close_at_teamviewer,
    } = ending;
    let app = record.mode.app();
    let action = format!("session.{}", state.as_str());
    // The configuration the MDM holds goes first; a failure is recorded, never hidden. A
    // session still `created` (the app stopped while delivering) may have had its
    // configuration half-written: it is cleared too (S4).
    let delivered = match record.delivery {
        Some(SessionDelivery::ManagedAppConfig) => true,
        None => record.state == SessionState::Created,
        Some(_) => false,
    };
    if delivered && ctx.mdm.capabilities().managed_app_config {
        if let Err(e) = ctx.mdm.set_app_config(&record.device_id, app, None).await {
            tracing::warn!(device = %record.device_id, error = %e, "the MDM kept the session configuration");
            if let Some(map) = detail.as_object_mut() {
                map.insert(
                    "config_clear_error".into(),
                    serde_json::json!(e.to_string()),
                );
            }
        }
    }
    let now = ctx.clock.now();
    // Only from the state it was read in: when another process ended it first (the same expiry
    // seen by two windows, a close racing a report), that end stands and is audited once.
    let ended = ctx
        .store
        .advance_session_from(
            &record.id,
            record.state,
            now,
            &SessionPatch {
                state: Some(state),
                ended_at: Some(at.unwrap_or(now)),
                ended_by: Some(by),
                close_at_teamviewer,
                ..Default::default()
            },
            audit(ctx, &action, &record.device_id, &record.id, detail),
        )
        .await?;
    match ended {
        Some(record) => Ok((record, true)),
        None => Ok((
            ctx.store
                .session(&record.id)
                .await?
                .unwrap_or_else(|| record.clone()),
            false,
        )),
    }
}

pub(super) fn changed(
    record: SessionRecord,
    from: SessionState,
    cause: ChangeCause,
) -> Result<SessionChange> {
    Ok(SessionChange {
        from,
        session: Session::from(record),
        cause,
    })
}

/// Decided from the store and the clock alone, without TeamViewer: open sessions past their
/// expiry (S5, `valid_until`) become `expired` (their case's close queued); starts that stopped
/// before TeamViewer answered ([`STALE_REQUEST`]) become `failed` at "create".
pub async fn expire_due(ctx: &AppContext) -> Result<Vec<SessionChange>> {
    let now = ctx.clock.now();
    expire(ctx, session_facts(ctx, None, now).await?, now).await
}

/// What [`expire_due`] ends, as of `now`, and the open session of `device` when one is named:
/// one read of the store.
pub(crate) async fn session_facts(
    ctx: &AppContext,
    device: Option<&str>,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<SessionFacts> {
    Ok(ctx
        .store
        .sessions_to_expire(
            device,
            now - STALE_REQUEST,
            now,
            chrono::Duration::hours(rules::DEFAULT_VALIDITY_HOURS),
        )
        .await?)
}

/// Ends what [`session_facts`] found as of `now` (see [`expire_due`]).
pub(crate) async fn expire(
    ctx: &AppContext,
    found: SessionFacts,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<Vec<SessionChange>> {
    let mut changes = Vec::new();
    let SessionFacts { stale, due, .. } = found;
    for record in stale {
        // TeamViewer may have created the session in the instant before the stop.
        if let Ok(client) = ctx.teamviewer.client() {
            crate::session::close_unseen_session(client, &record.id).await;
        }
        let error = ctx.lang.pick(
            "The app stopped before TeamViewer answered the session request.",
            "O aplicativo parou antes de o TeamViewer responder ao pedido de sessão.",
        );
        // Only while still `requested`: of processes recovering the same start at once, one
        // marks it failed and audits it; the others change nothing.
        let failed = ctx
            .store
            .advance_session_from(
                &record.id,
                SessionState::Requested,
                now,
                &SessionPatch {
                    state: Some(SessionState::Failed),
                    failed_step: Some("create"),
                    error: Some(error),
                    ended_at: Some(now),
                    ended_by: Some(&ctx.actor),
                    ..Default::default()
                },
                audit(
                    ctx,
                    "session.failed",
                    &record.device_id,
                    &record.id,
                    serde_json::json!({"step": "create", "error": error, "stale_since": record.created_at}),
                ),
            )
            .await?;
        if let Some(failed) = failed {
            changes.push(changed(failed, record.state, ChangeCause::StaleRequest)?);
        }
    }
    for record in due {
        let rule = match (record.expires_at, record.valid_until) {
            (Some(expiry), Some(valid)) if expiry < valid => "S5",
            (Some(_), None) => "S5",
            _ => "valid_until",
        };
        let (ended, by_us) = end(
            ctx,
            &record,
            Ending {
                state: SessionState::Expired,
                detail: serde_json::json!({"rule": rule}),
                by: &ctx.actor,
                at: None,
                close_at_teamviewer: Some("expired"),
            },
        )
        .await?;
        if by_us {
            changes.push(changed(ended, record.state, ChangeCause::Expired)?);
        }
    }
    Ok(changes)
}

/// Ends open sessions because of something that happened outside them (the activation removed,
/// the device retired, Host deprovisioned): each `closed` by the agent, its TeamViewer case
/// closed (queued, then tried at once).
pub(crate) async fn end_for(
    ctx: &AppContext,
    records: &[SessionRecord],
    cause: ChangeCause,
) -> Result<Vec<SessionChange>> {
    let (reason, why) = match cause {
        ChangeCause::DeviceRetired => ("retired", "the device is no longer managed by the MDM"),
        ChangeCause::ActivationRemoved => ("deactivated", "A3: the activation was removed"),
        ChangeCause::Deprovisioned => (
            "deprovisioned",
            "A5: Host was deprovisioned from the device",
        ),
        _ => ("closed", "ended"),
    };
    let mut changes = Vec::new();
    for record in records {
        let (ended, by_us) = end(
            ctx,
            record,
            Ending {
                state: SessionState::Closed,
                detail: serde_json::json!({"reason": why}),
                by: &ctx.actor,
                at: None,
                close_at_teamviewer: Some(reason),
            },
        )
        .await?;
        if by_us {
            changes.push(changed(ended, record.state, cause)?);
        }
    }
    if !records.is_empty() {
        flush_closes(ctx).await;
    }
    Ok(changes)
}

mod closes;
mod reconcile;

pub use closes::{flush_closes, pending_closes};
pub(crate) use reconcile::{expire_found_and_close, reconcile_one};
pub use reconcile::{reconcile, reconcile_session};
