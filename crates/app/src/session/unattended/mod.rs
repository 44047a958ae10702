//! Unattended the TeamViewer way (L3, S2, U1–U4): the agent's desktop client connects to the
//! device's TeamViewer Host, assigned to the company's TeamViewer account, by its ID — no one
//! needs to be on the device, and no session code is written to it.
//!
//! - **Assignment.** Host's managed app configuration carries Help@Work's assignment
//!   configuration: the assignment ID the admin created in TeamViewer (Design & Deploy →
//!   Assignment, docs/reference/teamviewer-web-api.md §6.5) and a device alias that carries the MDM's device id
//!   ([`alias_for`]). It is written when Host is distributed and when the admin sets the ID
//!   ([`set_assignment`]); the device user's one-time activation (U2) completes the assignment.
//!   TeamViewer publishes no key names for Host's managed configuration (docs/reference/teamviewer-web-api.md §7.4): these
//!   keys are Help@Work's own (docs/unattended.md).
//! - **Match.** Each MDM device is matched to its TeamViewer device (`GET /devices`) by that
//!   alias; without it, by a match the admin confirms ([`confirm_match`]) among the account's
//!   assigned devices whose alias names the device or its user. Matches live in the store.
//! - **Start.** Preflight as for every start, plus "Host is assigned to the account" (block) and
//!   "Host is online" (a warning when offline, with the last-seen time); then the desktop client
//!   gets the start link to the device (`https://start.teamviewer.com/device/r…`), allowlisted
//!   like every hand-off. The session row and the audit trail record it; closing ends it here.

mod assignment;
mod checks;
mod matching;

use std::time::Duration;

use helpatwork_domain::{Device, Mode, SessionDelivery, SessionState};
use helpatwork_store::{NewAuditEvent, SessionConflict, SessionPatch, SessionRecord};
use helpatwork_teamviewer::{RemoteControlId, TeamViewerClient};

use crate::context::AppContext;
use crate::error::device_not_found;
use crate::error::{AppError, ErrorCode, Result};
use crate::session::{audit, Session};

pub(crate) use assignment::write_assignment;
pub use assignment::{set_assignment, HostAssignment};
pub(crate) use checks::host_facts;
pub use matching::{
    alias_for, confirm_match, device_id_in_alias, status, stored_status, unmatch, HostCandidate,
    HostStatus,
};

/// The store setting holding the TeamViewer assignment ID written into Host's configuration.
pub const ASSIGNMENT_SETTING: &str = "unattended.assignment_id";
/// The longest a preflight waits for TeamViewer's device list before it decides from the store.
const READ_BUDGET: Duration = Duration::from_secs(5);

async fn device(ctx: &AppContext, device_id: &str) -> Result<Device> {
    ctx.store
        .device(device_id)
        .await?
        .ok_or_else(|| device_not_found(ctx.lang, device_id))
}

/// The client, when a TeamViewer sign-in (or script token) is held; `None` otherwise.
async fn signed_in(ctx: &AppContext) -> Option<&TeamViewerClient> {
    let client = ctx.teamviewer.client.as_ref()?;
    matches!(client.auth_kind().await, Ok(Some(_))).then_some(client)
}
fn event<'a>(
    ctx: &'a AppContext,
    action: &'a str,
    device: &'a str,
    detail: serde_json::Value,
) -> NewAuditEvent<'a> {
    NewAuditEvent {
        actor: &ctx.actor,
        action,
        device_id: Some(device),
        session_id: None,
        detail,
    }
}
/// Starts an unattended session once admitted (the start's checks): four eyes when a support
/// policy asks for it (`crate::policy::approvals::gate`: held until another agent approves, then
/// the approval is used with the session row), then the device's start link to the desktop
/// client. No TeamViewer case is created and nothing is written to the device.
pub(crate) async fn start(
    ctx: &AppContext,
    admitted: crate::session::Admitted<'_>,
    launch: bool,
) -> Result<Session> {
    let crate::session::Admitted {
        device,
        reason,
        ticket,
        verdict,
    } = admitted;
    let approval =
        crate::policy::approvals::gate(ctx, &device, reason, ticket.as_deref(), &verdict).await?;
    // An approved start records what was approved.
    let (reason, ticket) = match &approval {
        Some(a) => (a.reason.as_str(), a.ticket.clone()),
        None => (reason, ticket),
    };
    let client = ctx.teamviewer.client()?;
    client.ensure_valid_token().await?;
    // The preflight just read the match from TeamViewer and found Host assigned.
    let link = ctx
        .store
        .host_link(&device.id)
        .await?
        .filter(|l| l.assigned)
        .ok_or_else(|| {
            AppError::new(ErrorCode::Blocked, ctx.lang.pick(
                "TeamViewer Host on this device is not assigned to the TeamViewer account.",
                "O TeamViewer Host deste dispositivo não está atribuído à conta do TeamViewer.",
            ))
            .with_fix(ctx.lang.pick(
                "Distribute Host with the assignment configuration and let the user complete the one-time activation.",
                "Distribua o Host com a configuração de atribuição e deixe o usuário concluir a ativação única.",
            ))
        })?;
    let remote = RemoteControlId::parse(&link.remotecontrol_id).map_err(|e| {
        AppError::internal(format!("the stored TeamViewer device id is not valid: {e}"))
    })?;
    let url = remote.control_link().to_string();
    let now = ctx.clock.now();
    let record = SessionRecord {
        id: uuid::Uuid::now_v7().to_string(),
        device_id: device.id.clone(),
        mode: Mode::Unattended,
        state: SessionState::Requested,
        code: None,
        agent: ctx.actor.clone(),
        reason: reason.to_owned(),
        supporter_link: Some(url.clone()),
        end_customer_link: None,
        failed_step: None,
        error: None,
        created_at: now,
        // No code, so no validity from TeamViewer: the session holds the device for the default
        // validity (a day) unless it is closed first.
        expires_at: None,
        launched: false,
        delivery: Some(SessionDelivery::TeamviewerDevice),
        valid_until: None,
        ended_at: None,
        ended_by: None,
        reconciled_at: None,
        teamviewer_userid: None,
        ticket: ticket.clone(),
        view_only: false,
    };
    let id = record.id.clone();
    let detail = serde_json::json!({"mode": Mode::Unattended, "reason": reason, "ticket": ticket, "policies": verdict.policies, "approval": approval.as_ref().map(|a| &a.id), "approved_by": approval.as_ref().and_then(|a| a.decided_by.as_deref()), "remotecontrol_id": remote.as_str()});
    let requested = audit(ctx, "session.requested", &device.id, &id, detail);
    let inserted = match &approval {
        None => ctx.store.insert_session(&record, requested).await,
        Some(a) => {
            let used = audit(
                ctx,
                "approval.used",
                &device.id,
                &id,
                serde_json::json!({"approval": a.id, "requester": a.requester, "approved_by": a.decided_by, "policies": a.policies}),
            );
            ctx.store
                .insert_session_with_approval(&record, &a.id, used, requested)
                .await
        }
    };
    match inserted {
        Ok(()) => {}
        Err(SessionConflict::Held(holder)) => return Err(crate::session::conflict(ctx, *holder)),
        Err(SessionConflict::Store(e)) => return Err(e.into()),
    }
    let launched = launch
        && match crate::session::hand_off(ctx, &url).await {
            Ok(()) => true,
            Err(e) => {
                tracing::warn!(error = %e.message, "the desktop client was not opened");
                false
            }
        };
    // Handed to the desktop client, an unattended session needs no one on the device: active.
    let state = if launched {
        SessionState::Active
    } else {
        SessionState::Waiting
    };
    let record = ctx
        .store
        .advance_session(
            &id,
            ctx.clock.now(),
            &SessionPatch { state: Some(state), launched: Some(launched), ..Default::default() },
            audit(ctx, "session.handed_off", &device.id, &id, serde_json::json!({"launched": launched, "link": "device", "remotecontrol_id": remote.as_str()})),
        )
        .await?;
    Ok(Session::from(record))
}
