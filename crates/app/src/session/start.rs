//! Starting a session, in named steps: admit (the reason, the preflight, the device's open
//! session), create the TeamViewer session (never retried), deliver it to the device app (S4),
//! hand it to the desktop client; a failure marks the session `failed` with the step and leaves
//! nothing behind (the TeamViewer case closed, the device configuration cleared).

use helpatwork_desktop::LaunchSpec;
use helpatwork_domain::session::{self as rules};
use helpatwork_domain::{Device, Mode, SessionState};
use helpatwork_store::{SessionPatch, SessionRecord};
use helpatwork_teamviewer::ErrorCode as TvErrorCode;
use helpatwork_teamviewer::{
    EndCustomer, NewSession, SessionGroup, SessionQuery, TeamViewerClient, DEFAULT_GROUP_NAME,
};

use super::admit::{admit, Admitted};
use super::armed::Firing;
use super::delivery::deliver;
use super::{audit, find, Session};
use crate::context::AppContext;
use crate::error::{AppError, ErrorCode, ErrorDetails, Result};

/// Starts a session: preflight, token check (S3), TeamViewer session, delivery (S4), hand-off.
/// `launch: false` leaves the desktop client alone (the caller shows the supporter link).
/// Unattended connects to the device's assigned TeamViewer Host instead (`crate::session::unattended`).
/// A refused start (blocked, sign-in needed, conflict) is audited as `session.start.refused`.
pub async fn start(
    ctx: &AppContext,
    device_id: &str,
    mode: Mode,
    reason: &str,
    launch: bool,
) -> Result<Session> {
    start_with_ticket(ctx, device_id, mode, reason, None, launch).await
}

/// [`start`] with the ticket reference a support policy may require (`--ticket`), recorded on
/// the session and in its audit events. A start a policy holds for another agent's approval
/// answers `awaiting_approval` (exit 9) and is not audited as refused.
pub async fn start_with_ticket(
    ctx: &AppContext,
    device_id: &str,
    mode: Mode,
    reason: &str,
    ticket: Option<&str>,
    launch: bool,
) -> Result<Session> {
    ctx.store.prefetch_account();
    let started = start_checked(ctx, device_id, mode, reason, ticket, launch, None).await;
    crate::actor::audit_refusal(ctx, "session.start", Some(device_id), started).await
}

/// The start itself; `firing`: the armed session a check-in fired (`super::armed`).
pub(crate) async fn start_checked(
    ctx: &AppContext,
    device_id: &str,
    mode: Mode,
    reason: &str,
    ticket: Option<&str>,
    launch: bool,
    firing: Option<&Firing>,
) -> Result<Session> {
    if mode == Mode::Unattended {
        let admitted = admit(ctx, device_id, mode, reason, ticket).await?;
        return crate::session::unattended::start(ctx, admitted, launch).await;
    }
    // 1. Preflight, the reason, the ticket and the support policies: any block and nothing is
    //    created (no row, no session at TeamViewer).
    // 2. S3: a valid TeamViewer token (one refresh when expired), else sign-in needed. The
    //    check is a read at TeamViewer, so it runs while the store is read for step 1; a
    //    block of step 1 is still what the agent sees first.
    let token = async {
        let client = ctx.teamviewer.client()?;
        client.ensure_valid_token().await?;
        Ok::<_, AppError>(client)
    };
    let (admitted, client) = tokio::join!(admit(ctx, device_id, mode, reason, ticket), token);
    let (admitted, client) = (admitted?, client?);
    let device = &admitted.device;
    // 3. The session row, requested: the store refuses a second open session on the device.
    let record = request(ctx, &admitted, mode, firing).await?;
    // 4. The TeamViewer session. Never retried (no duplicate sessions); a failure ends here.
    let created = create(ctx, client, device, &record).await?;
    // 5. S4: delivered to the device app, or the end-customer link for the agent to send.
    // 6. The hand-off to the desktop client, once the delivery is done (while it is recorded);
    //    then the session waits for the device user.
    let supporter = created.supporter.as_deref();
    let launched = deliver(
        ctx,
        device,
        &record.id,
        mode,
        &created,
        hand_off_if(ctx, launch, supporter),
    )
    .await?;
    wait_for_user(ctx, device, &record.id, launched).await
}

/// A session TeamViewer created, its links checked.
pub(super) struct Created {
    pub(super) code: String,
    pub(super) supporter: Option<String>,
    pub(super) end_customer: Option<String>,
}

/// Step 3: the `requested` row and its audit event, one transaction; a conflict names the holder
/// (an armed session of another agent holds the device too; a fired one is used in the same
/// transaction: `super::armed::record_session`).
async fn request(
    ctx: &AppContext,
    admitted: &Admitted<'_>,
    mode: Mode,
    firing: Option<&Firing>,
) -> Result<SessionRecord> {
    let Admitted {
        device,
        reason,
        ticket,
        verdict,
    } = admitted;
    let now = ctx.clock.now();
    let record = SessionRecord {
        id: firing
            .map(|f| f.session_id.clone())
            .unwrap_or_else(|| uuid::Uuid::now_v7().to_string()),
        device_id: device.id.clone(),
        mode,
        state: SessionState::Requested,
        code: None,
        agent: ctx.actor.clone(),
        reason: reason.to_string(),
        supporter_link: None,
        end_customer_link: None,
        failed_step: None,
        error: None,
        created_at: now,
        expires_at: rules::expires_at(device.platform, now),
        launched: false,
        delivery: None,
        valid_until: None,
        ended_at: None,
        ended_by: None,
        reconciled_at: None,
        teamviewer_userid: None,
        ticket: ticket.clone(),
        view_only: verdict.view_only,
    };
    let event = audit(
        ctx,
        "session.requested",
        &device.id,
        &record.id,
        serde_json::json!({"mode": mode, "reason": reason, "ticket": ticket, "view_only": verdict.view_only, "policies": verdict.policies}),
    );
    super::armed::record_session(ctx, &record, event, firing).await?;
    Ok(record)
}

/// Step 4: the TeamViewer session (never retried), its links allowlisted, the row `created`.
/// On a failure the session is failed at "create" and nothing stays open at TeamViewer.
async fn create(
    ctx: &AppContext,
    client: &TeamViewerClient,
    device: &Device,
    record: &SessionRecord,
) -> Result<Created> {
    let lang = ctx.lang;
    let id = &record.id;
    let now = record.created_at;
    let new = new_case(device, &ctx.actor, record, lang);
    let created = match client.create_session(&new).await {
        Ok(s) => s,
        Err(e) => {
            // The answer may be lost after TeamViewer created the session: close what it made.
            let answer_lost = matches!(
                e.code(),
                TvErrorCode::Timeout
                    | TvErrorCode::MalformedResponse
                    | TvErrorCode::InternalError
                    | TvErrorCode::ServiceUnavailable
                    | TvErrorCode::UnexpectedResponse
            );
            let err: AppError = e.into();
            if answer_lost {
                close_unseen_session(client, id).await;
            }
            fail(ctx, id, &device.id, "create", &err).await?;
            return Err(step_error(lang, "create", err));
        }
    };
    let code = created.code.to_string();
    // Both links pass the allowlist or the start fails here: nothing stores, shows or opens a
    // refused link, and the TeamViewer session is closed.
    let (supporter, end_customer) = match crate::links::checked(
        created.supporter_link.as_ref().map(|u| u.as_str()),
        created.end_customer_link.as_ref().map(|u| u.as_str()),
    ) {
        Ok(links) => links,
        Err(err) => {
            if let Err(e) = client.close_session(&created.code).await {
                tracing::warn!(code = %code, error = %e, "the session with a refused link stays open at TeamViewer");
            }
            fail(ctx, id, &device.id, "create", &err).await?;
            return Err(step_error(lang, "create", err));
        }
    };
    // TeamViewer's validity of the code (24 h when its answer has none) bounds the session on
    // every platform; iOS's 30 minutes (S5) come first there.
    let valid_until = rules::valid_until(now, created.valid_until);
    let created_step = ctx
        .store
        .advance_session(
            id,
            ctx.clock.now(),
            &SessionPatch {
                state: Some(SessionState::Created),
                code: Some(&code),
                teamviewer_userid: created.assigned_userid.as_deref(),
                supporter_link: supporter.as_deref(),
                end_customer_link: end_customer.as_deref(),
                valid_until: Some(valid_until),
                expires_at: Some(rules::effective_expiry(device.platform, now, valid_until)),
                ..Default::default()
            },
            audit(
                ctx,
                "session.created",
                &device.id,
                id,
                serde_json::json!({"code": code, "valid_until": crate::dto::rfc3339(valid_until)}),
            ),
        )
        .await;
    if let Err(e) = created_step {
        // Never two open sessions on one code: when another open session here already holds
        // the code TeamViewer answered, that case is the other session's and stays open.
        // Otherwise the case made for this failed start is closed.
        let held_elsewhere = matches!(e, helpatwork_store::StoreError::Conflict(_));
        let err: AppError = e.into();
        if !held_elsewhere {
            if let Err(e) = client.close_session(&created.code).await {
                tracing::warn!(code = %created.code, error = %e, "the case of a failed start stays open at TeamViewer");
            }
        }
        fail(ctx, id, &device.id, "create", &err).await?;
        return Err(step_error(lang, "create", err));
    }
    Ok(Created {
        code,
        supporter,
        end_customer,
    })
}

/// Step 6: only an allowlisted https supporter link goes to the OS opener (or
/// HELPATWORK_OPENER), with `launch`; whether the desktop client was opened.
async fn hand_off_if(ctx: &AppContext, launch: bool, supporter: Option<&str>) -> bool {
    match (launch, supporter) {
        (true, Some(link)) => match hand_off(ctx, link).await {
            Ok(()) => true,
            Err(e) => {
                tracing::warn!(error = %e.message, "the desktop client was not opened");
                false
            }
        },
        _ => false,
    }
}

/// After the hand-off, the session waits for the device user.
async fn wait_for_user(
    ctx: &AppContext,
    device: &Device,
    id: &str,
    launched: bool,
) -> Result<Session> {
    let record = ctx
        .store
        .advance_session(
            id,
            ctx.clock.now(),
            &SessionPatch {
                state: Some(SessionState::Waiting),
                launched: Some(launched),
                ..Default::default()
            },
            audit(
                ctx,
                "session.handed_off",
                &device.id,
                id,
                serde_json::json!({"launched": launched}),
            ),
        )
        .await?;
    Ok(Session::from(record))
}

/// Closes the TeamViewer session a failed create may have made though its answer was lost: the
/// open session whose `custom_api` names this Help@Work session. Best effort: a failure here is
/// logged, and the create's own error is what the user sees.
pub(crate) async fn close_unseen_session(client: &TeamViewerClient, id: &str) {
    let query = SessionQuery {
        full_list: true,
        ..Default::default()
    };
    let marker = format!("\"helpatwork_session\":\"{id}\"");
    match client.list_sessions(&query).await {
        Ok(sessions) => {
            for session in sessions
                .iter()
                .filter(|s| s.custom_api.as_deref().is_some_and(|c| c.contains(&marker)))
            {
                match client.close_session(&session.code).await {
                    Ok(()) => {
                        tracing::info!(code = %session.code, "closed the session of a failed create")
                    }
                    Err(e) => {
                        tracing::warn!(code = %session.code, error = %e, "the session of a failed create stays open at TeamViewer")
                    }
                }
            }
        }
        Err(e) => tracing::warn!(error = %e, "cannot look for the session of a failed create"),
    }
}

/// The TeamViewer case a start asks for: the description, the end customer, the coaching card as
/// the waiting message, the validity and the ids that tie the case to the session.
pub(super) fn new_case(
    device: &Device,
    agent: &str,
    record: &SessionRecord,
    lang: helpatwork_domain::Lang,
) -> NewSession {
    let id = &record.id;
    NewSession {
        group: SessionGroup::Name(DEFAULT_GROUP_NAME.into()),
        description: Some(truncate(&session_description(device, agent, record), 1000)),
        end_customer: Some(EndCustomer {
            name: Some(truncate(&device.user.name, 100)),
            // Only an address that passes the fleet's validation is ever sent (an MDM's is
            // checked at sync too).
            email: helpatwork_domain::fleet::valid_email(&device.user.email)
                .then(|| truncate(&device.user.email, 254)),
        }),
        // The coaching card (S6, S7, S8, the code to read back): TeamViewer's documented text
        // shown to the end customer while waiting; the code is not known before the case is
        // made. The agent's session panel shows the same card (`super::coaching`).
        waiting_message: Some(truncate(
            &super::coaching::coaching_card_for(device, None, lang).text(),
            1000,
        )),
        valid_until: record.expires_at,
        custom_api: Some(
            serde_json::json!({"helpatwork_session": id, "device_id": device.id}).to_string(),
        ),
    }
}

fn truncate(text: &str, max: usize) -> String {
    text.chars().take(max).collect()
}

/// The case's description: the device, the agent, the ticket and reason; "view only" when a
/// support policy made it so (TeamViewer's Web API has no field that enforces it).
fn session_description(device: &Device, agent: &str, record: &SessionRecord) -> String {
    let mut text = format!(
        "Help@Work: {} ({}, {} {}) by {agent}",
        device.name, device.id, device.manufacturer, device.model
    );
    if let Some(ticket) = &record.ticket {
        text.push_str(&format!(" [{ticket}]"));
    }
    if record.view_only {
        text.push_str(" (view only: personal device)");
    }
    if !record.reason.is_empty() {
        text.push_str(" — ");
        text.push_str(&record.reason);
    }
    text
}

pub(crate) fn conflict(ctx: &AppContext, holder: SessionRecord) -> AppError {
    let code = holder.code.clone().unwrap_or_else(|| holder.id.clone());
    let details = Session::from(holder.clone());
    AppError::new(
        ErrorCode::Conflict,
        match ctx.lang {
            helpatwork_domain::Lang::En => format!(
                "The device already has an open session: {code} ({}), held by {}.",
                holder.state, holder.agent
            ),
            helpatwork_domain::Lang::PtBr => format!(
                "O dispositivo já tem uma sessão aberta: {code} ({}), de {}.",
                holder.state, holder.agent
            ),
        },
    )
    .with_fix(ctx.lang.pick(
        "Ask the holder to close the session, or close it: helpatwork session close ID.",
        "Peça a quem a abriu para encerrá-la ou encerre-a: helpatwork session close ID.",
    ))
    .with_details(ErrorDetails::SessionHeld {
        session: Box::new(details),
    })
}

pub(super) fn step_error(lang: helpatwork_domain::Lang, step: &str, err: AppError) -> AppError {
    let mut e = AppError::new(
        err.code,
        format!(
            "{} \"{step}\": {}",
            lang.pick("The session failed at step", "A sessão falhou na etapa"),
            err.message
        ),
    );
    e.fix = err.fix;
    e.details = Some(Box::new(ErrorDetails::FailedStep {
        failed_step: step.to_string(),
        cause: err.details,
    }));
    e
}

pub(super) async fn fail(
    ctx: &AppContext,
    id: &str,
    device_id: &str,
    step: &str,
    err: &AppError,
) -> Result<()> {
    ctx.store
        .advance_session(
            id,
            ctx.clock.now(),
            &SessionPatch {
                state: Some(SessionState::Failed),
                failed_step: Some(step),
                error: Some(&err.message),
                ended_at: Some(ctx.clock.now()),
                ended_by: Some(&ctx.actor),
                // A session that reached TeamViewer (it has a code) leaves no case open there.
                close_at_teamviewer: Some("failed"),
                ..Default::default()
            },
            audit(
                ctx,
                "session.failed",
                device_id,
                id,
                serde_json::json!({"step": step, "error": err.message}),
            ),
        )
        .await?;
    Ok(())
}

pub(crate) async fn hand_off(ctx: &AppContext, link: &str) -> Result<()> {
    let spec: LaunchSpec = crate::links::check(link, "supporter link")?;
    let launcher = ctx.launcher.clone();
    tokio::task::spawn_blocking(move || launcher.launch(&spec))
        .await
        .map_err(|e| AppError::internal(e.to_string()))?
        .map_err(|e| {
            AppError::new(ErrorCode::ServiceFailed, e.to_string()).with_fix(format!(
                "Install TeamViewer: {}",
                helpatwork_desktop::DOWNLOAD_URL
            ))
        })
}

/// Opens the session's supporter link in the desktop client again.
/// The supporter link is each supporter's own: the holder's is read from TeamViewer again
/// (after a hand-over the stored one was the previous holder's). An unattended session handed to
/// the desktop client now is active.
pub async fn open_again(ctx: &AppContext, id: &str) -> Result<Session> {
    let record = find(ctx, id).await?;
    let fresh = crate::session::handover::holder_supporter_link(ctx, &record).await;
    let link = fresh
        .clone()
        .or_else(|| record.supporter_link.clone())
        .ok_or_else(|| AppError::invalid("The session has no supporter link."))?;
    hand_off(ctx, &link).await?;
    let unattended_waiting =
        record.mode == Mode::Unattended && record.state == SessionState::Waiting;
    let record = ctx
        .store
        .advance_session(
            &record.id,
            ctx.clock.now(),
            &SessionPatch {
                launched: Some(true),
                supporter_link: fresh.as_deref(),
                state: unattended_waiting.then_some(SessionState::Active),
                ..Default::default()
            },
            audit(
                ctx,
                "session.opened",
                &record.device_id,
                &record.id,
                serde_json::json!({}),
            ),
        )
        .await?;
    Ok(Session::from(record))
}
