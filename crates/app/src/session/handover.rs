//! Handing a live session over to another agent (escalation to tier 2) without restarting it on
//! the device: the case is reassigned at TeamViewer to the other agent's TeamViewer user
//! (`PUT /sessions/{code}` `assigned_userid`), the store makes them the holder (a compare-and-set
//! on the holder, with the hand-over and its reason, audited), and from then on the new holder
//! opens and closes it; the agent who handed it over can no longer close it.

use helpatwork_domain::Lang;
use helpatwork_store::{HandoverRecord, SessionRecord};
use helpatwork_teamviewer::{SessionCode, SessionUpdate};
use serde::Serialize;
use ts_rs::TS;

use crate::agents::Agent;
use crate::context::AppContext;
use crate::error::{AppError, ErrorCode, Result};
use crate::session::{audit, Session, MAX_REASON_CHARS};

/// A hand-over done: the session as it now is, who handed it to whom, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct Handover {
    pub session: Session,
    pub from_agent: String,
    pub to: Agent,
    pub reason: String,
    pub at: String,
}

fn holder_conflict(ctx: &AppContext, record: &SessionRecord) -> AppError {
    let code = record.code.clone().unwrap_or_else(|| record.id.clone());
    AppError::new(
        ErrorCode::Conflict,
        match ctx.lang {
            Lang::En => format!(
                "Session {code} is held by {}: only its holder hands it over.",
                record.agent
            ),
            Lang::PtBr => format!(
                "A sessão {code} é de {}: só quem a detém pode passá-la adiante.",
                record.agent
            ),
        },
    )
    .with_fix(match ctx.lang {
        Lang::En => format!("Ask {} to hand it over.", record.agent),
        Lang::PtBr => format!("Peça a {} para passá-la adiante.", record.agent),
    })
}

/// Hands an open session over to the agent `to` names (`crate::agents::resolve`), for `reason`.
pub async fn hand_over(
    ctx: &AppContext,
    session_id: &str,
    to: &str,
    reason: &str,
) -> Result<Handover> {
    let lang = ctx.lang;
    let reason = reason.trim();
    if reason.is_empty()
        || reason.chars().count() > MAX_REASON_CHARS
        || reason.chars().any(|c| c.is_control())
    {
        return Err(AppError::invalid(lang.pick(
            "A hand-over needs a reason of at most 500 characters, without control characters.",
            "Passar a sessão adiante requer um motivo de até 500 caracteres, sem caracteres de controle.",
        ))
        .with_fix(lang.pick(
            "Say why the session goes to the other agent, e.g. --reason \"needs tier 2\".",
            "Diga por que a sessão vai para o outro agente, ex.: --reason \"precisa do nível 2\".",
        )));
    }
    let record = crate::session::find(ctx, session_id).await?;
    let state = record.state;
    if !state.is_open() {
        return Err(AppError::invalid(match lang {
            Lang::En => format!(
                "The session has ended ({}): there is nothing to hand over.",
                record.state
            ),
            Lang::PtBr => format!(
                "A sessão terminou ({}): não há o que passar adiante.",
                record.state
            ),
        })
        .with_fix(lang.pick(
            "Start a new session for the device.",
            "Inicie uma nova sessão para o dispositivo.",
        )));
    }
    let Some(code) = record
        .code
        .as_deref()
        .and_then(|c| SessionCode::parse(c).ok())
    else {
        return Err(AppError::invalid(lang.pick(
            "This session has no TeamViewer case to reassign (an unattended connection, or a start still under way).",
            "Esta sessão não tem caso do TeamViewer para reatribuir (uma conexão autônoma, ou um início ainda em andamento).",
        ))
        .with_fix(lang.pick(
            "Close it and let the other agent start their own session on the device.",
            "Encerre-a e deixe o outro agente iniciar a própria sessão no dispositivo.",
        )));
    };
    if record.agent != ctx.actor {
        return Err(holder_conflict(ctx, &record));
    }
    let target = crate::agents::resolve(ctx, to).await?;
    if target.agent == ctx.actor
        || record.teamviewer_userid.as_deref() == Some(target.userid.as_str())
    {
        return Err(AppError::invalid(lang.pick(
            "The session is already held by this agent.",
            "A sessão já é deste agente.",
        ))
        .with_fix(lang.pick(
            "Name another agent: helpatwork agents list.",
            "Indique outro agente: helpatwork agents list.",
        )));
    }
    let client = ctx.teamviewer.client()?;
    client.ensure_valid_token().await?;
    let now = ctx.clock.now();
    let handover = HandoverRecord {
        id: uuid::Uuid::now_v7().to_string(),
        session_id: record.id.clone(),
        from_agent: record.agent.clone(),
        from_userid: record.teamviewer_userid.clone(),
        to_agent: target.agent.clone(),
        to_userid: target.userid.clone(),
        reason: reason.to_owned(),
        at: now,
    };
    let detail = serde_json::json!({
        "from": handover.from_agent, "from_userid": handover.from_userid,
        "to": handover.to_agent, "to_userid": handover.to_userid, "reason": reason, "code": code,
    });
    // The store decides first: of two hand-overs (or a hand-over and a close) one wins.
    let moved = ctx
        .store
        .hand_over(
            &handover.id,
            &record.id,
            &handover.from_agent,
            handover.from_userid.as_deref(),
            &handover.to_agent,
            &handover.to_userid,
            reason,
            now,
            audit(
                ctx,
                "session.handed_over",
                &record.device_id,
                &record.id,
                detail,
            ),
        )
        .await?;
    let Some(moved) = moved else {
        let now_held = crate::session::find(ctx, &record.id).await?;
        return Err(holder_conflict(ctx, &now_held));
    };
    // Then TeamViewer: the case goes to the other agent's TeamViewer user.
    let update = SessionUpdate {
        assigned_userid: Some(target.userid.clone()),
        ..SessionUpdate::default()
    };
    if let Err(e) = client.update_session(&code, &update).await {
        let err: AppError = e.into();
        let detail = serde_json::json!({"to": handover.to_agent, "to_userid": handover.to_userid, "error": err.message});
        ctx.store
            .undo_hand_over(
                &handover,
                ctx.clock.now(),
                audit(
                    ctx,
                    "session.hand_over_failed",
                    &record.device_id,
                    &record.id,
                    detail,
                ),
            )
            .await?;
        let mut failed = AppError::new(
            err.code,
            format!(
                "{} {}",
                lang.pick(
                    "TeamViewer did not reassign the case; the session stays yours:",
                    "O TeamViewer não reatribuiu o caso; a sessão continua sua:"
                ),
                err.message
            ),
        );
        failed.fix = err.fix;
        failed.details = err.details;
        return Err(failed);
    }
    Ok(Handover {
        session: Session::from(moved),
        from_agent: handover.from_agent,
        to: target,
        reason: handover.reason,
        at: crate::dto::rfc3339(now),
    })
}

/// An agent who handed the session over does not close it any more: its new holder does.
pub(crate) async fn ensure_may_close(ctx: &AppContext, record: &SessionRecord) -> Result<()> {
    if record.agent == ctx.actor {
        return Ok(());
    }
    let handovers = ctx.store.handovers(&record.id).await?;
    if !handovers.iter().any(|h| h.from_agent == ctx.actor) {
        return Ok(());
    }
    Err(AppError::new(
        ErrorCode::Conflict,
        match ctx.lang {
            Lang::En => format!(
                "You handed this session over to {}: it is theirs to close now.",
                record.agent
            ),
            Lang::PtBr => format!(
                "Você passou esta sessão para {}: agora cabe a essa pessoa encerrá-la.",
                record.agent
            ),
        },
    )
    .with_fix(match ctx.lang {
        Lang::En => format!("Ask {} to close it.", record.agent),
        Lang::PtBr => format!("Peça a {} para encerrá-la.", record.agent),
    }))
}

/// The supporter link is each supporter's own: for an agent a session was handed to, theirs is
/// read from TeamViewer (`GET /sessions/{code}` with their token). `None`: keep the stored link.
pub(crate) async fn holder_supporter_link(
    ctx: &AppContext,
    record: &SessionRecord,
) -> Option<String> {
    let code = record
        .code
        .as_deref()
        .and_then(|c| SessionCode::parse(c).ok())?;
    let handed_to_me = ctx
        .store
        .handovers(&record.id)
        .await
        .ok()?
        .last()
        .is_some_and(|h| h.to_agent == ctx.actor);
    if !handed_to_me {
        return None;
    }
    let client = ctx.teamviewer.client.as_ref()?;
    match client.session(&code).await {
        Ok(case) => case.supporter_link.map(|u| u.to_string()),
        Err(e) => {
            tracing::warn!(%code, error = %e, "the holder's supporter link could not be read; the stored one is used");
            None
        }
    }
}

/// Who handed the session to whom, and why, oldest first (`session show`).
pub async fn history(ctx: &AppContext, session_id: &str) -> Result<Vec<HandoverInfo>> {
    Ok(ctx
        .store
        .handovers(session_id)
        .await?
        .into_iter()
        .map(|h| HandoverInfo {
            from_agent: h.from_agent,
            to_agent: h.to_agent,
            to_userid: h.to_userid,
            reason: h.reason,
            at: crate::dto::rfc3339(h.at),
        })
        .collect())
}

/// One hand-over of a session.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct HandoverInfo {
    pub from_agent: String,
    pub to_agent: String,
    pub to_userid: String,
    pub reason: String,
    pub at: String,
}
