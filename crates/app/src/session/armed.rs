//! Armed sessions (`helpatwork_domain::armed`, docs/sessions.md): instead of starting now, the
//! agent arms a session; when the device next checks in (a newer check-in seen by a device
//! sync, an import, a device report or the window's reconciliation) the product starts it by
//! itself and hands it to the agent's desktop client, within the time the agent set. Meanwhile
//! the device is held for that agent.
//!
//! **Exactly once.** The start a check-in fires moves the armed row `armed → fired` by a
//! compare-and-set in the transaction that records the session
//! ([`helpatwork_store::Store::insert_session_with_arm`]): of two processes that see the
//! check-in (two windows, a window and the CLI, a team's machines), one records a session; the
//! other writes nothing and moves on. Only the agent who armed it fires it: the session is
//! created with their TeamViewer sign-in and handed to their desktop client.

use chrono::Duration;
use helpatwork_domain::armed::{self as rules, ArmState};
use helpatwork_domain::{Lang, Mode};
use helpatwork_store::{ArmConflict, ArmEnding, ArmedRecord, NewAuditEvent, SessionConflict};
use helpatwork_store::{SessionRecord, StoreError};

use super::admit::admit;
use super::Session;
use crate::context::AppContext;
use crate::dto::rfc3339;
pub use crate::dto::{ArmOutcome, ArmedSession};
use crate::error::{AppError, ErrorCode, ErrorDetails, Result};

/// What an agent arms.
pub struct ArmRequest<'a> {
    pub device_id: &'a str,
    pub mode: Mode,
    pub reason: &'a str,
    pub ticket: Option<&'a str>,
    /// How long it waits for the device ([`rules::DEFAULT_WITHIN`] when not given).
    pub within: Option<Duration>,
}

/// Arms a session: the start's own checks first (the reason, the ticket, the preflight and the
/// support policies: a block now would block it then), the device's open session (a conflict),
/// then the armed row and `session.armed`, one transaction. A device already armed answers a
/// conflict naming its agent.
pub async fn arm(ctx: &AppContext, request: ArmRequest<'_>) -> Result<ArmedSession> {
    let device_id = request.device_id.to_owned();
    let armed = arm_checked(ctx, request, None).await;
    crate::actor::audit_refusal(ctx, "session.arm", Some(&device_id), armed).await
}

/// Arms again the session `id` ended (S9: the launch lost on an app exit or a reboot; S5: an
/// iOS code past its 30 minutes; a start that failed): the same device, mode, reason and ticket.
pub async fn rearm(ctx: &AppContext, id: &str, within: Option<Duration>) -> Result<ArmedSession> {
    let ended = super::find(ctx, id).await?;
    if !rules::may_rearm(ended.state) {
        return Err(AppError::invalid(match ctx.lang {
            Lang::En => format!(
                "The session {} is {}: only a lost, expired or failed session is armed again.",
                ended.id, ended.state
            ),
            Lang::PtBr => format!(
                "A sessão {} está {}: só uma sessão perdida, expirada ou com falha é armada de novo.",
                ended.id, ended.state
            ),
        })
        .with_fix(ctx.lang.pick(
            "Close an open session first, or start a new one: helpatwork session start DEVICE --when-online.",
            "Encerre antes a sessão aberta ou inicie uma nova: helpatwork session start DEVICE --when-online.",
        )));
    }
    let request = ArmRequest {
        device_id: &ended.device_id,
        mode: ended.mode,
        reason: &ended.reason,
        ticket: ended.ticket.as_deref(),
        within,
    };
    let armed = arm_checked(ctx, request, Some(&ended.id)).await;
    crate::actor::audit_refusal(ctx, "session.rearm", Some(&ended.device_id), armed).await
}

async fn arm_checked(
    ctx: &AppContext,
    request: ArmRequest<'_>,
    rearm_of: Option<&str>,
) -> Result<ArmedSession> {
    let lang = ctx.lang;
    if request.mode == Mode::Unattended {
        return Err(AppError::invalid(lang.pick(
            "Only an attended session is armed: an unattended one needs no one on the device, start it when Host is online.",
            "Só uma sessão assistida é armada: a não assistida dispensa alguém no dispositivo; inicie-a quando o Host estiver online.",
        ))
        .with_fix(lang.pick(
            "Use --mode attended, or start the unattended session now.",
            "Use --mode attended ou inicie agora a sessão não assistida.",
        )));
    }
    let within = match request.within {
        Some(w) => rules::check_within(w).map_err(|e| within_error(lang, &e, w))?,
        None => rules::DEFAULT_WITHIN,
    };
    // A device armed by another agent is theirs: refused before the preflight.
    if let Some(holder) = ctx.store.armed_for_device(request.device_id).await? {
        return Err(armed_conflict(ctx, holder));
    }
    let admitted = admit(
        ctx,
        request.device_id,
        request.mode,
        request.reason,
        request.ticket,
    )
    .await?;
    let now = ctx.clock.now();
    let record = ArmedRecord {
        id: uuid::Uuid::now_v7().to_string(),
        device_id: admitted.device.id.clone(),
        mode: request.mode,
        agent: ctx.actor.clone(),
        reason: admitted.reason.to_string(),
        ticket: admitted.ticket.clone(),
        state: ArmState::Armed,
        armed_at: now,
        expires_at: now + within,
        armed_checkin: admitted.device.last_checkin,
        rearm_of: rearm_of.map(str::to_owned),
        ended_at: None,
        ended_by: None,
        session_id: None,
        error: None,
    };
    let event = NewAuditEvent {
        actor: &ctx.actor,
        action: "session.armed",
        device_id: Some(&record.device_id),
        session_id: rearm_of,
        detail: serde_json::json!({
            "armed": record.id,
            "mode": record.mode,
            "reason": record.reason,
            "ticket": record.ticket,
            "expires_at": rfc3339(record.expires_at),
            "within_minutes": within.num_minutes(),
            "rearm_of": rearm_of,
        }),
    };
    match ctx.store.arm_session(&record, event).await {
        Ok(()) => Ok(ArmedSession::from(record)),
        Err(ArmConflict::Armed(holder)) => Err(armed_conflict(ctx, *holder)),
        Err(ArmConflict::Store(e)) => Err(e.into()),
    }
}

/// `session start --when-online`: starts now when the device is online; otherwise arms the
/// session and answers `armed` (exit 11) with it in the details.
pub async fn start_when_online(
    ctx: &AppContext,
    request: ArmRequest<'_>,
    launch: bool,
) -> Result<Session> {
    let device = ctx
        .store
        .device(request.device_id)
        .await?
        .ok_or_else(|| crate::error::device_not_found(ctx.lang, request.device_id))?;
    if device.is_online(ctx.clock.now()) {
        return super::start_with_ticket(
            ctx,
            request.device_id,
            request.mode,
            request.reason,
            request.ticket,
            launch,
        )
        .await;
    }
    let armed = arm(ctx, request).await?;
    Err(armed_answer(ctx.lang, armed))
}

/// The answer of a start that armed instead (exit 11).
pub fn armed_answer(lang: Lang, armed: ArmedSession) -> AppError {
    AppError::new(
        ErrorCode::Armed,
        match lang {
            Lang::En => format!(
                "The device {} is offline: the session is armed ({}) and starts by itself when it checks in, until {}.",
                armed.device_id, armed.id, armed.expires_at
            ),
            Lang::PtBr => format!(
                "O dispositivo {} está offline: a sessão está armada ({}) e começa sozinha quando ele fizer check-in, até {}.",
                armed.device_id, armed.id, armed.expires_at
            ),
        },
    )
    .with_fix(match lang {
        Lang::En => format!("Wait for the device, or cancel: helpatwork session cancel {}.", armed.id),
        Lang::PtBr => format!("Aguarde o dispositivo ou cancele: helpatwork session cancel {}.", armed.id),
    })
    .with_details(ErrorDetails::Armed {
        armed: Box::new(armed),
    })
}

fn within_error(lang: Lang, e: &rules::WithinError, wait: Duration) -> AppError {
    let (message, fix) = e.words(lang, &format!("{}m", wait.num_minutes()));
    AppError::invalid(message).with_fix(fix)
}

/// A wait the window gives in minutes.
pub fn minutes(within: Option<u32>) -> Option<Duration> {
    within.map(|m| Duration::minutes(i64::from(m)))
}

/// Reads a `--within` text (`30m`, `4h`, `2d`).
pub fn parse_within(lang: Lang, text: &str) -> Result<Duration> {
    rules::parse_within(text).map_err(|e| {
        let (message, fix) = e.words(lang, text);
        AppError::invalid(message).with_fix(fix)
    })
}

/// The device is armed for another agent (or already armed): a conflict naming them.
pub(crate) fn armed_conflict(ctx: &AppContext, holder: ArmedRecord) -> AppError {
    let holder = ArmedSession::from(holder);
    AppError::new(
        ErrorCode::Conflict,
        match ctx.lang {
            Lang::En => format!(
                "The device is held by an armed session ({}) of {}, waiting for its check-in until {}.",
                holder.id, holder.agent, holder.expires_at
            ),
            Lang::PtBr => format!(
                "O dispositivo está reservado por uma sessão armada ({}) de {}, que aguarda o check-in até {}.",
                holder.id, holder.agent, holder.expires_at
            ),
        },
    )
    .with_fix(match ctx.lang {
        Lang::En => format!("Ask {} to cancel it (helpatwork session cancel {}), or wait until it ends.", holder.agent, holder.id),
        Lang::PtBr => format!("Peça a {} para cancelá-la (helpatwork session cancel {}) ou aguarde o fim dela.", holder.agent, holder.id),
    })
    .with_details(ErrorDetails::Armed {
        armed: Box::new(holder),
    })
}

async fn find_armed(ctx: &AppContext, id: &str) -> Result<ArmedRecord> {
    ctx.store.armed_session(id).await?.ok_or_else(|| {
        let id: String = id.chars().take(64).collect();
        AppError::not_found(ctx.lang.pick(
            &format!("No armed session has the id \"{id}\"."),
            &format!("Nenhuma sessão armada tem o id \"{id}\"."),
        ))
        .with_fix(ctx.lang.pick(
            "List them with `helpatwork session armed list`.",
            "Liste-as com `helpatwork session armed list`.",
        ))
    })
}

/// Cancels an armed session (its agent only). An armed session that already ended answers as
/// it is.
pub async fn cancel(ctx: &AppContext, id: &str) -> Result<ArmedSession> {
    expire_armed(ctx).await?;
    let armed = find_armed(ctx, id).await?;
    if armed.state != ArmState::Armed {
        return Ok(ArmedSession::from(armed));
    }
    if armed.agent != ctx.actor {
        let err = armed_conflict(ctx, armed.clone());
        return crate::actor::audit_refusal(
            ctx,
            "session.arm_cancel",
            Some(&armed.device_id),
            Err(err),
        )
        .await;
    }
    let ending = ArmEnding {
        state: ArmState::Cancelled,
        at: ctx.clock.now(),
        by: &ctx.actor,
        error: None,
    };
    let ended = ctx
        .store
        .end_armed(
            &armed.id,
            &ending,
            event(ctx, "session.arm_cancelled", &armed, serde_json::json!({})),
        )
        .await?;
    match ended {
        Some(r) => Ok(ArmedSession::from(r)),
        None => Ok(ArmedSession::from(find_armed(ctx, id).await?)),
    }
}

/// The armed sessions, newest first: the waiting ones, or all (expiry applied).
pub async fn list(ctx: &AppContext, armed_only: bool, limit: u32) -> Result<Vec<ArmedSession>> {
    expire_armed(ctx).await?;
    Ok(ctx
        .store
        .armed_sessions(armed_only, limit.clamp(1, super::MAX_LIST))
        .await?
        .into_iter()
        .map(ArmedSession::from)
        .collect())
}

fn event<'a>(
    ctx: &'a AppContext,
    action: &'a str,
    armed: &'a ArmedRecord,
    mut detail: serde_json::Value,
) -> NewAuditEvent<'a> {
    if let Some(map) = detail.as_object_mut() {
        map.insert("armed".into(), serde_json::json!(armed.id));
    }
    NewAuditEvent {
        actor: &ctx.actor,
        action,
        device_id: Some(&armed.device_id),
        session_id: armed.session_id.as_deref(),
        detail,
    }
}

/// Armed sessions past their time become `expired` (`session.arm_expired`), whoever armed them.
pub async fn expire_armed(ctx: &AppContext) -> Result<Vec<ArmedSession>> {
    let now = ctx.clock.now();
    let mut expired = Vec::new();
    for armed in ctx.store.armed_sessions_expired(now).await? {
        let ending = ArmEnding {
            state: ArmState::Expired,
            at: now,
            by: &ctx.actor,
            error: None,
        };
        let detail = serde_json::json!({"expires_at": rfc3339(armed.expires_at)});
        if let Some(r) = ctx
            .store
            .end_armed(
                &armed.id,
                &ending,
                event(ctx, "session.arm_expired", &armed, detail),
            )
            .await?
        {
            expired.push(ArmedSession::from(r));
        }
    }
    Ok(expired)
}

/// Fires this agent's armed sessions whose device checked in since they were armed: each starts
/// (and is handed to the desktop client when `launch`) once, however many processes see the
/// check-in. A start refused before its session is recorded (a block, a conflict, no sign-in)
/// leaves the armed session `failed` (`session.arm_failed`). Expired ones are ended first.
pub async fn fire_due(ctx: &AppContext, launch: bool) -> Result<Vec<ArmOutcome>> {
    expire_armed(ctx).await?;
    let mut outcomes = Vec::new();
    for armed in ctx
        .store
        .armed_sessions_due(&ctx.actor, ctx.clock.now())
        .await?
    {
        if let Some(outcome) = fire(ctx, &armed, launch).await? {
            outcomes.push(outcome);
        }
    }
    Ok(outcomes)
}

/// After new check-ins were written (a device sync, an import, a device report): fires what is
/// due. Never fails the write that saw the check-ins: a failure is logged, and the next pass
/// (the window's reconciliation, `session armed run`) tries again.
pub async fn fire_after_checkins(ctx: &AppContext) -> Vec<ArmOutcome> {
    match fire_due(ctx, true).await {
        Ok(outcomes) => outcomes,
        Err(e) => {
            tracing::warn!(error = %e.message, "armed sessions were not fired");
            Vec::new()
        }
    }
}

/// One firing. `None` when another process fired (or ended) it first.
async fn fire(ctx: &AppContext, armed: &ArmedRecord, launch: bool) -> Result<Option<ArmOutcome>> {
    let firing = Firing {
        armed_id: armed.id.clone(),
        session_id: uuid::Uuid::now_v7().to_string(),
    };
    let started = super::start::start_checked(
        ctx,
        &armed.device_id,
        armed.mode,
        &armed.reason,
        armed.ticket.as_deref(),
        launch,
        Some(&firing),
    )
    .await;
    let now_row = find_armed(ctx, &armed.id).await?;
    match started {
        Ok(session) => Ok(Some(ArmOutcome {
            armed: ArmedSession::from(now_row),
            session: Some(session),
            error: None,
        })),
        // Our session was recorded, a later step failed (the session says which).
        Err(e) if now_row.session_id.as_deref() == Some(firing.session_id.as_str()) => {
            let session = ctx
                .store
                .session(&firing.session_id)
                .await?
                .map(Session::from);
            Ok(Some(ArmOutcome {
                armed: ArmedSession::from(now_row),
                session,
                error: Some(e.message),
            }))
        }
        // Another process fired, cancelled or expired it first: nothing of ours was written.
        Err(_) if now_row.state != ArmState::Armed => Ok(None),
        Err(e) => {
            let ending = ArmEnding {
                state: ArmState::Failed,
                at: ctx.clock.now(),
                by: &ctx.actor,
                error: Some(&e.message),
            };
            let detail = serde_json::json!({"code": e.code, "error": e.message, "fix": e.fix});
            match ctx
                .store
                .end_armed(
                    &armed.id,
                    &ending,
                    event(ctx, "session.arm_failed", armed, detail),
                )
                .await?
            {
                Some(failed) => Ok(Some(ArmOutcome {
                    armed: ArmedSession::from(failed),
                    session: None,
                    error: Some(e.message),
                })),
                None => Ok(None),
            }
        }
    }
}

/// A start an armed session fires: the armed row and the id its session gets.
pub(crate) struct Firing {
    pub armed_id: String,
    pub session_id: String,
}

/// Records a start's `requested` row. Fired by a check-in: with the armed row's
/// compare-and-set (`session.armed_fired`). A start by the agent who armed the device uses
/// their armed session the same way; a start by anyone else is refused while it waits.
pub(crate) async fn record_session(
    ctx: &AppContext,
    record: &SessionRecord,
    requested: NewAuditEvent<'_>,
    firing: Option<&Firing>,
) -> Result<()> {
    let armed_id = match firing {
        Some(f) => Some(f.armed_id.clone()),
        None => match ctx.store.armed_for_device(&record.device_id).await? {
            Some(a) if a.agent == ctx.actor => Some(a.id),
            Some(a) => return Err(armed_conflict(ctx, a)),
            None => None,
        },
    };
    let result = match &armed_id {
        Some(armed_id) => {
            let fired = NewAuditEvent {
                actor: &ctx.actor,
                action: "session.armed_fired",
                device_id: Some(&record.device_id),
                session_id: Some(&record.id),
                detail: serde_json::json!({"armed": armed_id, "by": if firing.is_some() { "checkin" } else { "start" }}),
            };
            let first = ctx
                .store
                .insert_session_with_arm(record, armed_id, fired, requested.clone())
                .await;
            match first {
                // The agent's own start, their armed session ended meanwhile: a plain start.
                Err(SessionConflict::Store(StoreError::Conflict(_))) if firing.is_none() => {
                    ctx.store.insert_session(record, requested).await
                }
                other => other,
            }
        }
        None => ctx.store.insert_session(record, requested).await,
    };
    match result {
        Ok(()) => Ok(()),
        Err(SessionConflict::Held(holder)) => Err(super::conflict(ctx, *holder)),
        Err(SessionConflict::Store(e)) => Err(e.into()),
    }
}
