//! Help requests from the device user: "with the click of a button" a user asks for help, and a
//! TeamViewer service case waits in the service queue, unassigned (`assigned_userid` `u0`).
//!
//! - **The inbox.** The open, unassigned cases in Help@Work's group (`GET /groups?name=`, then
//!   `GET /sessions?groupid=…&assigned_userid=u0&full_list=true`), each matched once, on first
//!   sight, to an MDM device: by the end customer's e-mail, else their name; among several devices
//!   of one user, the one the case's words name, else the last to check in. A request that
//!   matches no device is still listed, flagged unknown device. Newest last, with the waiting time.
//! - **Taking one.** The device's preflight (any block and nothing is taken), then the store
//!   decides (a compare-and-set on the request, in the transaction that records the session: of
//!   two agents taking it at once one wins, the other gets a conflict naming the holder), then
//!   TeamViewer assigns the case to the agent (`PUT /sessions/{code}` `assigned_userid`), and the
//!   desktop client gets the agent's supporter link. A refused assignment gives the request
//!   back to the queue; the device user's case is never closed by a failed take.

use helpatwork_domain::session as lifecycle;
use helpatwork_domain::{Lang, Mode, SessionDelivery, SessionState};
use helpatwork_store::{
    HelpRequestRecord, NewAuditEvent, SessionPatch, SessionRecord, TakeConflict,
};
use helpatwork_teamviewer::{
    CaseState, ErrorCode as TvErrorCode, SessionCode, SessionQuery, SessionUpdate,
    TeamViewerClient, DEFAULT_GROUP_NAME,
};
use serde::Serialize;
use ts_rs::TS;

use crate::context::AppContext;
use crate::error::{AppError, ErrorCode, ErrorDetails, Result};
use crate::session::{audit, Session};

/// One waiting help request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct HelpRequest {
    /// The TeamViewer service case.
    pub code: String,
    pub end_customer_name: Option<String>,
    pub end_customer_email: Option<String>,
    /// What the device user wrote.
    pub description: Option<String>,
    /// When the case was created (RFC 3339).
    pub created_at: String,
    /// Seconds the user has waited so far.
    pub waiting_seconds: u32,
    /// The device user is connected at TeamViewer.
    pub online: bool,
    /// The MDM device it was matched to.
    pub device_id: Option<String>,
    pub device_name: Option<String>,
    /// `email`, `name` or `device`.
    pub matched_by: Option<String>,
    /// How many devices fit the end customer.
    pub candidates: u32,
    /// No device of the fleet fits: it can still be taken.
    pub unknown_device: bool,
}

/// `helpatwork requests list`, the window's inbox.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct Inbox {
    pub requests: Vec<HelpRequest>,
    /// When TeamViewer was asked.
    pub checked_at: String,
    /// The group the requests wait in (`None`: it does not exist yet, so none wait).
    pub group: Option<String>,
}

/// A request taken.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct TakenRequest {
    pub code: String,
    pub device_id: Option<String>,
    pub unknown_device: bool,
    /// The session recorded here (a request of an unknown device has none: no device holds it).
    pub session: Option<Session>,
    /// The agent's own supporter link to the case.
    pub supporter_link: Option<String>,
    /// The desktop client was handed the supporter link.
    pub launched: bool,
}

fn sign_in_needed(lang: Lang) -> AppError {
    AppError::new(
        ErrorCode::SignInNeeded,
        lang.pick(
            "Help requests are read from TeamViewer: sign in first.",
            "Os pedidos de ajuda são lidos do TeamViewer: entre primeiro.",
        ),
    )
    .with_fix(lang.pick(
        "Sign in to TeamViewer (helpatwork auth login, or Sign in in the window).",
        "Entre no TeamViewer (helpatwork auth login, ou Entrar na janela).",
    ))
}

async fn client(ctx: &AppContext) -> Result<&TeamViewerClient> {
    let client = ctx.teamviewer.client()?;
    match client.auth_kind().await {
        Ok(Some(_)) => Ok(client),
        _ => Err(sign_in_needed(ctx.lang)),
    }
}

/// The request as the store knows it: recorded and matched to a device on first sight.
async fn note(
    ctx: &AppContext,
    case: &helpatwork_teamviewer::Session,
) -> Result<HelpRequestRecord> {
    let code = case.code.as_str();
    if let Some(row) = ctx.store.help_request(code).await? {
        return Ok(row);
    }
    let customer = case.end_customer.clone().unwrap_or_default();
    let (devices, by) = ctx
        .store
        .devices_of_customer(customer.email.as_deref(), customer.name.as_deref())
        .await?;
    let words = format!(
        "{} {}",
        case.description.as_deref().unwrap_or(""),
        case.custom_api.as_deref().unwrap_or("")
    )
    .to_lowercase();
    let (device, matched_by) = match devices.as_slice() {
        [] => (None, None),
        [one] => (Some(one.id.clone()), by),
        many => match many.iter().find(|d| {
            words.contains(&d.id.to_lowercase())
                || (!d.name.trim().is_empty() && words.contains(&d.name.to_lowercase()))
        }) {
            Some(named) => (Some(named.id.clone()), Some("device")),
            None => (
                many.iter()
                    .max_by_key(|d| d.last_checkin)
                    .map(|d| d.id.clone()),
                by,
            ),
        },
    };
    let record = HelpRequestRecord {
        code: code.to_owned(),
        first_seen_at: ctx.clock.now(),
        end_customer_name: customer.name.clone(),
        end_customer_email: customer.email.clone(),
        device_id: device.clone(),
        matched_by: matched_by.map(str::to_owned),
        candidates: u32::try_from(devices.len()).unwrap_or(u32::MAX),
        state: "waiting".into(),
        taken_by: None,
        taken_userid: None,
        taken_at: None,
        session_id: None,
    };
    let detail = serde_json::json!({
        "code": code, "matched_by": record.matched_by, "candidates": record.candidates,
        "unknown_device": device.is_none(),
    });
    let (row, _) = ctx
        .store
        .note_help_request(
            &record,
            NewAuditEvent {
                actor: &ctx.actor,
                action: "request.arrived",
                device_id: device.as_deref(),
                session_id: None,
                detail,
            },
        )
        .await?;
    Ok(row)
}

/// The open, unassigned help requests in Help@Work's group, newest last.
pub async fn list(ctx: &AppContext) -> Result<Inbox> {
    let client = client(ctx).await?;
    let now = ctx.clock.now();
    let group = client
        .list_groups(Some(DEFAULT_GROUP_NAME))
        .await?
        .into_iter()
        .find(|g| g.name.eq_ignore_ascii_case(DEFAULT_GROUP_NAME));
    let Some(group) = group else {
        return Ok(Inbox {
            requests: Vec::new(),
            checked_at: crate::dto::rfc3339(now),
            group: None,
        });
    };
    let query = SessionQuery {
        groupid: Some(group.id.clone()),
        assigned_userid: Some("u0".into()),
        full_list: true,
        ..SessionQuery::default()
    };
    let mut requests = Vec::new();
    for case in client.list_sessions(&query).await? {
        if case.state != CaseState::Open
            || case.assigned_userid.as_deref().is_some_and(|u| u != "u0")
        {
            continue;
        }
        let row = note(ctx, &case).await?;
        // Taken here a moment ago (TeamViewer is being told): not waiting any more.
        if row.state != "waiting" {
            continue;
        }
        let device_name = match &row.device_id {
            Some(id) => ctx.store.device(id).await?.map(|d| d.name),
            None => None,
        };
        let created = case.created_at.unwrap_or(row.first_seen_at);
        requests.push(HelpRequest {
            code: row.code.clone(),
            end_customer_name: row.end_customer_name.clone(),
            end_customer_email: row.end_customer_email.clone(),
            description: case.description.clone(),
            created_at: crate::dto::rfc3339(created),
            waiting_seconds: u32::try_from((now - created).num_seconds()).unwrap_or(0),
            online: case.online,
            unknown_device: row.device_id.is_none(),
            device_id: row.device_id,
            device_name,
            matched_by: row.matched_by,
            candidates: row.candidates,
        });
    }
    requests.sort_by(|a, b| a.created_at.cmp(&b.created_at).then(a.code.cmp(&b.code)));
    Ok(Inbox {
        requests,
        checked_at: crate::dto::rfc3339(now),
        group: Some(group.name),
    })
}

fn taken_conflict(ctx: &AppContext, code: &str, holder: &str) -> AppError {
    AppError::new(
        ErrorCode::Conflict,
        match ctx.lang {
            Lang::En => format!("Help request {code} was taken by {holder}."),
            Lang::PtBr => format!("O pedido de ajuda {code} foi assumido por {holder}."),
        },
    )
    .with_fix(ctx.lang.pick(
        "Take another request, or ask the holder for a hand-over.",
        "Assuma outro pedido ou peça a quem o assumiu para passá-lo adiante.",
    ))
    .with_details(ErrorDetails::RequestTaken {
        code: code.to_string(),
        taken_by: holder.to_string(),
    })
}

/// Takes a help request: the device's preflight, the store's decision, the assignment at
/// TeamViewer, the session recorded here and the hand-off to the desktop client.
pub async fn take(ctx: &AppContext, code: &str, launch: bool) -> Result<TakenRequest> {
    let lang = ctx.lang;
    let code = SessionCode::parse(code.trim()).map_err(|_| {
        AppError::invalid(lang.pick(
            "A help request is named by its TeamViewer code, e.g. s123-456-789.",
            "Um pedido de ajuda é indicado pelo código do TeamViewer, ex.: s123-456-789.",
        ))
        .with_fix(lang.pick(
            "List the requests with `helpatwork requests list`.",
            "Liste os pedidos com `helpatwork requests list`.",
        ))
    })?;
    let client = client(ctx).await?;
    client.ensure_valid_token().await?;
    let me = client.account().await?;
    crate::agents::remember(ctx, &me).await?;
    let case = match client.session(&code).await {
        Ok(case) => case,
        Err(e)
            if matches!(
                e.code(),
                TvErrorCode::NotFound | TvErrorCode::InvalidRequest
            ) =>
        {
            return Err(AppError::not_found(match lang {
                Lang::En => format!("TeamViewer has no help request {code}."),
                Lang::PtBr => format!("O TeamViewer não tem o pedido de ajuda {code}."),
            })
            .with_fix(lang.pick(
                "List the requests with `helpatwork requests list`.",
                "Liste os pedidos com `helpatwork requests list`.",
            )))
        }
        Err(e) => return Err(e.into()),
    };
    if case.state != CaseState::Open {
        return Err(AppError::new(
            ErrorCode::Conflict,
            match lang {
                Lang::En => format!("Help request {code} is closed: the user no longer waits."),
                Lang::PtBr => {
                    format!("O pedido de ajuda {code} está encerrado: o usuário não espera mais.")
                }
            },
        )
        .with_fix(lang.pick("Take another request.", "Assuma outro pedido.")));
    }
    if let Some(holder) = case
        .assigned_userid
        .as_deref()
        .filter(|u| *u != "u0" && *u != me.userid)
    {
        let name = match ctx.store.agent_by_userid(holder).await? {
            Some(agent) => format!("{} ({holder})", agent.agent),
            None => holder.to_owned(),
        };
        return Err(taken_conflict(ctx, code.as_str(), &name));
    }
    let row = note(ctx, &case).await?;
    if let Some(holder) = row.taken_by.as_deref().filter(|_| row.state == "taken") {
        return Err(taken_conflict(ctx, code.as_str(), holder));
    }
    let device = match &row.device_id {
        Some(id) => ctx.store.device(id).await?,
        None => None,
    };
    let now = ctx.clock.now();
    // The device's preflight: any block and nothing is taken.
    let session = match &device {
        Some(device) => {
            let pre = crate::session::preflight(ctx, &device.id, Mode::Attended).await?;
            if let Some(holder) = ctx.store.open_session_for_device(&device.id).await? {
                return Err(crate::session::conflict(ctx, holder));
            }
            if !pre.ok {
                return Err(crate::session::blocked(lang, &pre));
            }
            let created = case.created_at.unwrap_or(now);
            let valid_until = lifecycle::valid_until(created, case.valid_until);
            let reason: String = case
                .description
                .as_deref()
                .unwrap_or("")
                .chars()
                .filter(|c| !c.is_control())
                .take(crate::session::MAX_REASON_CHARS)
                .collect();
            Some(SessionRecord {
                id: uuid::Uuid::now_v7().to_string(),
                device_id: device.id.clone(),
                mode: Mode::Attended,
                state: SessionState::Requested,
                code: Some(code.to_string()),
                agent: ctx.actor.clone(),
                reason,
                supporter_link: case.supporter_link.as_ref().map(|u| u.to_string()),
                end_customer_link: case.end_customer_link.as_ref().map(|u| u.to_string()),
                failed_step: None,
                error: None,
                created_at: now,
                expires_at: Some(lifecycle::effective_expiry(
                    device.platform,
                    created,
                    valid_until,
                )),
                launched: false,
                delivery: Some(SessionDelivery::HelpRequest),
                valid_until: Some(valid_until),
                ended_at: None,
                ended_by: None,
                reconciled_at: None,
                teamviewer_userid: Some(me.userid.clone()),
                ticket: None,
                view_only: false,
            })
        }
        None => None,
    };
    let session_id = session.as_ref().map(|s| s.id.as_str());
    let detail = serde_json::json!({
        "code": code, "teamviewer_userid": me.userid, "unknown_device": device.is_none(),
        "matched_by": row.matched_by,
    });
    let event = NewAuditEvent {
        actor: &ctx.actor,
        action: "request.taken",
        device_id: row.device_id.as_deref(),
        session_id,
        detail,
    };
    // The store decides: one agent wins the request.
    match ctx
        .store
        .take_help_request(
            code.as_str(),
            &ctx.actor,
            &me.userid,
            now,
            session.as_ref(),
            event,
        )
        .await
    {
        Ok(_) => {}
        Err(TakeConflict::Taken(holder)) => {
            let name = holder.taken_by.unwrap_or_else(|| "another agent".into());
            return Err(taken_conflict(ctx, code.as_str(), &name));
        }
        Err(TakeConflict::DeviceHeld(holder)) => {
            return Err(crate::session::conflict(ctx, *holder))
        }
        Err(TakeConflict::Store(e)) => return Err(e.into()),
    }
    // TeamViewer assigns the case to the agent.
    let update = SessionUpdate {
        assigned_userid: Some(me.userid.clone()),
        ..SessionUpdate::default()
    };
    if let Err(e) = client.update_session(&code, &update).await {
        let err: AppError = e.into();
        give_back(ctx, code.as_str(), session.as_ref(), &err).await?;
        let mut failed = AppError::new(
            err.code,
            format!(
                "{} {}",
                lang.pick(
                    "TeamViewer did not assign the request to you; it waits in the queue again:",
                    "O TeamViewer não atribuiu o pedido a você; ele volta a esperar na fila:",
                ),
                err.message
            ),
        );
        failed.fix = err.fix;
        failed.details = err.details;
        return Err(failed);
    }
    // The desktop client gets the agent's supporter link.
    let link = case.supporter_link.as_ref().map(|u| u.to_string());
    let launched = match (launch, &link) {
        (true, Some(link)) => match crate::session::hand_off(ctx, link).await {
            Ok(()) => true,
            Err(e) => {
                tracing::warn!(error = %e.message, "the desktop client was not opened");
                false
            }
        },
        _ => false,
    };
    let session = match session {
        Some(record) => {
            // The device user made the case and may already be connected (S6).
            let state = if case.online {
                SessionState::Active
            } else {
                SessionState::Waiting
            };
            let record = ctx
                .store
                .advance_session(
                    &record.id,
                    ctx.clock.now(),
                    &SessionPatch {
                        state: Some(state),
                        launched: Some(launched),
                        ..Default::default()
                    },
                    audit(
                        ctx,
                        "session.handed_off",
                        &record.device_id,
                        &record.id,
                        serde_json::json!({"launched": launched, "origin": "help_request"}),
                    ),
                )
                .await?;
            Some(Session::from(record))
        }
        None => {
            ctx.store
                .append_audit(NewAuditEvent {
                    actor: &ctx.actor,
                    action: "request.handed_off",
                    device_id: None,
                    session_id: None,
                    detail: serde_json::json!({"code": code, "launched": launched, "unknown_device": true}),
                })
                .await?;
            None
        }
    };
    Ok(TakenRequest {
        code: code.to_string(),
        device_id: row.device_id.clone(),
        unknown_device: row.device_id.is_none(),
        session,
        supporter_link: link,
        launched,
    })
}

/// A take TeamViewer refused: the request waits again, and its session here failed at step
/// `assign` (without closing the device user's case).
async fn give_back(
    ctx: &AppContext,
    code: &str,
    session: Option<&SessionRecord>,
    err: &AppError,
) -> Result<()> {
    let now = ctx.clock.now();
    ctx.store
        .release_help_request(
            code,
            &ctx.actor,
            now,
            NewAuditEvent {
                actor: &ctx.actor,
                action: "request.take_failed",
                device_id: session.map(|s| s.device_id.as_str()),
                session_id: session.map(|s| s.id.as_str()),
                detail: serde_json::json!({"code": code, "error": err.message}),
            },
        )
        .await?;
    if let Some(record) = session {
        ctx.store
            .advance_session(
                &record.id,
                now,
                &SessionPatch {
                    state: Some(SessionState::Failed),
                    failed_step: Some("assign"),
                    error: Some(&err.message),
                    ended_at: Some(now),
                    ended_by: Some(&ctx.actor),
                    ..Default::default()
                },
                audit(
                    ctx,
                    "session.failed",
                    &record.device_id,
                    &record.id,
                    serde_json::json!({"step": "assign", "error": err.message}),
                ),
            )
            .await?;
    }
    Ok(())
}
