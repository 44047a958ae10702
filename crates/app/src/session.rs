//! Starting and running a remote session (spec S1–S12, D3): preflight, token check, the
//! TeamViewer session, delivery to the device app, the hand-off to the desktop client, and the
//! lifecycle after it. Every step writes the session row and an audit event in one transaction;
//! a failure rolls back what it must and names the step.

use helpatwork_desktop::{DesktopFinding, LaunchSpec, Launcher};
use helpatwork_domain::admin::{tenant_checks, TenantFacts, Tier};
use helpatwork_domain::compat::CompatTable;
use helpatwork_domain::session::{self as lifecycle, DeviceEvent};
use helpatwork_domain::{
    eligibility, AppKind, Check, CheckStatus, Device, Mode, SessionState, Version,
};
use helpatwork_store::{
    AppConfigChange, NewAuditEvent, SessionConflict, SessionPatch, SessionRecord,
};
use helpatwork_teamviewer::ErrorCode as TvErrorCode;
use helpatwork_teamviewer::{
    EndCustomer, NewSession, SessionCode, SessionGroup, SessionQuery, TeamViewerClient,
    DEFAULT_GROUP_NAME,
};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::context::AppContext;
use crate::devices::device_not_found;
use crate::error::{AppError, ErrorCode, Result};
use crate::lifecycle::{end, Ending};

/// `{"device_id","mode","ok","checks":[…]}` (design.md).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct Preflight {
    pub device_id: String,
    pub mode: Mode,
    pub ok: bool,
    pub checks: Vec<Check>,
}

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
    /// How the session reached the device: `managed_app_config` (S4), or `end_customer_link`
    /// when the MDM connector cannot push a managed app configuration: the agent gives the
    /// device user `end_customer_link` instead.
    pub delivery: Option<String>,
    /// The TeamViewer user the session's case is assigned to: its creator, or the agent it was
    /// handed over to (`None` for an unattended session, which has no case).
    pub teamviewer_userid: Option<String>,
}

impl TryFrom<SessionRecord> for Session {
    type Error = AppError;
    fn try_from(r: SessionRecord) -> Result<Self> {
        let corrupt = |what: &str| {
            AppError::internal(format!("stored session {} has an unknown {what}", r.id))
        };
        Ok(Session {
            mode: Mode::parse(&r.mode).ok_or_else(|| corrupt("mode"))?,
            state: SessionState::parse(&r.state).ok_or_else(|| corrupt("state"))?,
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
        })
    }
}

pub const MAX_REASON_CHARS: usize = 500;

/// The S11 compatibility table: shipped, or `HELPATWORK_COMPAT_TABLE` (a JSON file, ≤ 1 MiB).
fn compat_table() -> Result<CompatTable> {
    let Some(path) = std::env::var_os("HELPATWORK_COMPAT_TABLE").filter(|p| !p.is_empty()) else {
        return Ok(CompatTable::default());
    };
    let shown = std::path::Path::new(&path).display().to_string();
    let meta = std::fs::metadata(&path).map_err(|e| {
        AppError::invalid(format!("Cannot read the compatibility table {shown}: {e}."))
    })?;
    if meta.len() > 1024 * 1024 {
        return Err(AppError::invalid(format!(
            "The compatibility table {shown} is larger than 1 MiB."
        )));
    }
    let text = std::fs::read_to_string(&path).map_err(|e| {
        AppError::invalid(format!("Cannot read the compatibility table {shown}: {e}."))
    })?;
    CompatTable::from_json(&text).map_err(|e| {
        AppError::invalid(format!("The compatibility table {shown} is not valid: {e}"))
            .with_fix("See docs/desktop-client.md for the format.")
    })
}

/// Every check that decides whether a session can start on the device (issue: preflight).
pub async fn preflight(ctx: &AppContext, device_id: &str, mode: Mode) -> Result<Preflight> {
    // A stale row never blocks a device: its session is read back from TeamViewer first.
    crate::lifecycle::reconcile_device(ctx, device_id).await?;
    let (device, source) = ctx
        .store
        .device_with_source(device_id)
        .await?
        .ok_or_else(|| device_not_found(ctx, device_id))?;
    let lang = ctx.lang;
    // Unknown facts warn, naming who could not report them; online is judged now (facts.rs).
    let circumstances = crate::facts::circumstances(ctx, &source);
    // L1, A1/U1, U3: the tenant's tier, the mode's activation, the device's unattended licence.
    let tenant = ctx.store.tenant().await?;
    let facts = TenantFacts {
        tier: tenant.tier.as_deref().and_then(Tier::parse),
        mode_active: ctx
            .store
            .integrations()
            .await?
            .iter()
            .any(|i| i.mode == mode.as_str() && i.active),
        host_distributed: ctx
            .store
            .is_distributed(&device.id, AppKind::Host.as_str())
            .await?,
    };
    let mut checks = tenant_checks(&facts, mode, lang);
    let device_checks = eligibility::session_checks(&device, mode, &circumstances, lang);
    // The desktop client only matters for a device that can be helped in this mode.
    let device_side_blocked = device_checks.iter().any(|c| c.status == CheckStatus::Block);
    // A reason no admin can lift (L2, unattended on iOS) comes first: its fix is the headline,
    // not a tenant fix (Distribute Host) the product would refuse for this device.
    if eligibility::device_findings(&device, mode)
        .iter()
        .any(helpatwork_domain::Finding::is_permanent)
    {
        checks.splice(0..0, device_checks);
    } else {
        checks.extend(device_checks);
    }

    // S3: a missing sign-in is a warning; the start resolves it (the window signs in and goes on).
    checks.push(match ctx.teamviewer.client.as_ref() {
        None => Check {
            rule: "S3".into(),
            status: CheckStatus::Block,
            message: lang.pick("TeamViewer is not configured.", "O TeamViewer não está configurado.").into(),
            fix: Some(lang.pick("Set the TeamViewer app credentials or a script token (docs/teamviewer.md).", "Defina as credenciais do aplicativo TeamViewer ou um token de script (docs/teamviewer.md).").into()),
        },
        Some(client) => match client.auth_kind().await {
            Ok(Some(_)) => Check {
                rule: "S3".into(),
                status: CheckStatus::Pass,
                message: lang.pick("A TeamViewer token is held.", "Há um token do TeamViewer.").into(),
                fix: None,
            },
            _ => Check {
                rule: "S3".into(),
                status: CheckStatus::Warn,
                message: lang.pick("Sign-in to TeamViewer is needed.", "É preciso entrar no TeamViewer.").into(),
                fix: Some(ctx.sign_in_fix().into()),
            },
        },
    });

    // S11, D3: the desktop client and its version against the device's app.
    if !device_side_blocked {
        let app = device.app(mode.app());
        let app_version = app
            .and_then(|a| a.version.as_deref())
            .and_then(|v| Version::parse(v).ok());
        let table = compat_table()?;
        let opts = ctx.desktop.clone();
        let found = tokio::task::spawn_blocking(move || helpatwork_desktop::discover(&opts))
            .await
            .map_err(|e| AppError::internal(e.to_string()))?;
        let findings: Vec<DesktopFinding> =
            helpatwork_desktop::assess(&found, &table, mode.app(), app_version.as_ref());
        checks.extend(crate::facts::desktop_checks(
            &findings,
            &device,
            mode,
            circumstances.reporter,
            lang,
        ));
    }
    // Unattended: Host assigned to the account (block) and online (warn), from TeamViewer.
    if mode == Mode::Unattended && !device_side_blocked {
        checks.extend(crate::unattended::host_checks(ctx, &device).await?);
    }

    // One open session per device: show who holds it.
    if let Some(holder) = ctx.store.open_session_for_device(&device.id).await? {
        checks.push(Check {
            rule: "open_session".into(),
            status: CheckStatus::Block,
            message: match lang {
                helpatwork_domain::Lang::En => format!("{} already has session {} open ({}).", holder.agent, holder.code.as_deref().unwrap_or(&holder.id), holder.state),
                helpatwork_domain::Lang::PtBr => format!("{} já tem a sessão {} aberta ({}).", holder.agent, holder.code.as_deref().unwrap_or(&holder.id), holder.state),
            },
            fix: Some(lang.pick("Ask the holder to close it, or close it with `helpatwork session close`.", "Peça a quem a abriu para encerrá-la ou encerre-a com `helpatwork session close`.").into()),
        });
    }

    let ok = checks.iter().all(|c| c.status != CheckStatus::Block);
    Ok(Preflight {
        device_id: device.id,
        mode,
        ok,
        checks,
    })
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

/// What every start checks first: the reason, the preflight (any block and nothing is created)
/// and the device's open session (a conflict naming the holder). Answers the device and the
/// trimmed reason.
pub(crate) async fn admit<'r>(
    ctx: &AppContext,
    device_id: &str,
    mode: Mode,
    reason: &'r str,
) -> Result<(Device, &'r str)> {
    let reason = reason.trim();
    if reason.chars().count() > MAX_REASON_CHARS || reason.chars().any(|c| c.is_control()) {
        return Err(AppError::invalid(format!(
            "The reason must be at most {MAX_REASON_CHARS} characters, without control characters."
        ))
        .with_fix("Shorten the reason."));
    }
    let lang = ctx.lang;
    let pre = preflight(ctx, device_id, mode).await?;
    let device_id = pre.device_id.as_str();
    if let Some(holder) = ctx.store.open_session_for_device(device_id).await? {
        return Err(conflict(ctx, holder));
    }
    if !pre.ok {
        return Err(blocked(lang, &pre));
    }
    let device = ctx
        .store
        .device(device_id)
        .await?
        .ok_or_else(|| device_not_found(ctx, device_id))?;
    Ok((device, reason))
}

/// A preflight with a block, as the error a start (or a take) answers: the first block's words
/// and fix, every check in the details.
pub(crate) fn blocked(lang: helpatwork_domain::Lang, pre: &Preflight) -> AppError {
    let blocks: Vec<_> = pre
        .checks
        .iter()
        .filter(|c| c.status == CheckStatus::Block)
        .collect();
    let first = blocks
        .first()
        .map(|c| c.message.clone())
        .unwrap_or_default();
    let mut err = AppError::new(
        ErrorCode::Blocked,
        format!(
            "{} {first}",
            lang.pick(
                "The session cannot start:",
                "A sessão não pode ser iniciada:"
            )
        ),
    )
    .with_details(pre);
    err.fix = blocks.iter().find_map(|c| c.fix.clone());
    err
}

/// Starts a session: preflight, token check (S3), TeamViewer session, delivery (S4), hand-off.
/// `launch: false` leaves the desktop client alone (the caller shows the supporter link).
/// Unattended connects to the device's assigned TeamViewer Host instead (`crate::unattended`).
/// A refused start (blocked, sign-in needed, conflict) is audited as `session.start.refused`.
pub async fn start(
    ctx: &AppContext,
    device_id: &str,
    mode: Mode,
    reason: &str,
    launch: bool,
) -> Result<Session> {
    ctx.store.prefetch_account();
    let started = start_checked(ctx, device_id, mode, reason, launch).await;
    crate::actor::audit_refusal(ctx, "session.start", Some(device_id), started).await
}

async fn start_checked(
    ctx: &AppContext,
    device_id: &str,
    mode: Mode,
    reason: &str,
    launch: bool,
) -> Result<Session> {
    if mode == Mode::Unattended {
        return crate::unattended::start(ctx, device_id, reason, launch).await;
    }
    let lang = ctx.lang;
    // 1. Preflight: any block and nothing is created.
    let (device, reason) = admit(ctx, device_id, mode, reason).await?;

    // 2. S3: a valid TeamViewer token (one refresh when expired), else sign-in needed.
    let client = ctx.teamviewer.client()?;
    client.ensure_valid_token().await?;

    // 3. The session row, requested: the store refuses a second open session on the device.
    let now = ctx.clock.now();
    let record = SessionRecord {
        id: uuid::Uuid::now_v7().to_string(),
        device_id: device.id.clone(),
        mode: mode.as_str().into(),
        state: SessionState::Requested.as_str().into(),
        code: None,
        agent: ctx.actor.clone(),
        reason: reason.to_string(),
        supporter_link: None,
        end_customer_link: None,
        failed_step: None,
        error: None,
        created_at: now,
        expires_at: lifecycle::expires_at(device.platform, now),
        launched: false,
        delivery: None,
        valid_until: None,
        ended_at: None,
        ended_by: None,
        reconciled_at: None,
        teamviewer_userid: None,
    };
    let id = record.id.clone();
    match ctx
        .store
        .insert_session(
            &record,
            audit(
                ctx,
                "session.requested",
                &device.id,
                &id,
                serde_json::json!({"mode": mode, "reason": reason}),
            ),
        )
        .await
    {
        Ok(()) => {}
        Err(SessionConflict::Held(holder)) => return Err(conflict(ctx, *holder)),
        Err(SessionConflict::Store(e)) => return Err(e.into()),
    }

    // 4. The TeamViewer session. Never retried (no duplicate sessions); a failure ends here.
    let new = NewSession {
        group: SessionGroup::Name(DEFAULT_GROUP_NAME.into()),
        description: Some(truncate(
            &session_description(&device, &ctx.actor, reason),
            1000,
        )),
        end_customer: Some(EndCustomer {
            name: Some(truncate(&device.user.name, 100)),
            // Only an address that passes the fleet's validation is ever sent (an MDM's is
            // checked at sync too).
            email: helpatwork_domain::fleet::valid_email(&device.user.email)
                .then(|| truncate(&device.user.email, 254)),
        }),
        waiting_message: None,
        valid_until: record.expires_at,
        custom_api: Some(
            serde_json::json!({"helpatwork_session": id, "device_id": device.id}).to_string(),
        ),
    };
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
                close_unseen_session(client, &id).await;
            }
            fail(ctx, &id, &device.id, "create", &err, AppConfigChange::None).await?;
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
            fail(ctx, &id, &device.id, "create", &err, AppConfigChange::None).await?;
            return Err(step_error(lang, "create", err));
        }
    };
    // TeamViewer's validity of the code (24 h when its answer has none) bounds the session on
    // every platform; iOS's 30 minutes (S5) come first there.
    let valid_until = lifecycle::valid_until(now, created.valid_until);
    let created_step = ctx
        .store
        .advance_session(
            &id,
            ctx.clock.now(),
            &SessionPatch {
                state: Some("created"),
                code: Some(&code),
                teamviewer_userid: created.assigned_userid.as_deref(),
                supporter_link: supporter.as_deref(),
                end_customer_link: end_customer.as_deref(),
                valid_until: Some(valid_until),
                expires_at: Some(lifecycle::effective_expiry(
                    device.platform,
                    now,
                    valid_until,
                )),
                ..Default::default()
            },
            AppConfigChange::None,
            audit(
                ctx,
                "session.created",
                &device.id,
                &id,
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
        fail(ctx, &id, &device.id, "create", &err, AppConfigChange::None).await?;
        return Err(step_error(lang, "create", err));
    }

    // 5. S4: the session code reaches the device app through its managed app configuration,
    // pushed by the MDM connector where it can; where it cannot, the agent gives the device user
    // the end-customer link instead (never pretending delivery happened).
    let app = mode.app();
    let config = serde_json::json!({
        "session_code": code,
        "end_customer_link": end_customer,
        "auto_launch": true,
    });
    let pushed = if ctx.mdm.capabilities().managed_app_config {
        ctx.mdm
            .set_app_config(&device.id, app, Some(&config))
            .await
            .map(|_| true)
            .map_err(AppError::from)
    } else {
        Ok(false)
    };
    let pushed_to_mdm = matches!(pushed, Ok(true));
    let step = match pushed {
        Ok(true) => ctx
            .store
            .advance_session(
                &id,
                ctx.clock.now(),
                &SessionPatch {
                    state: Some("delivered"),
                    delivery: Some("managed_app_config"),
                    ..Default::default()
                },
                AppConfigChange::Set {
                    app: app.as_str(),
                    config,
                },
                audit(
                    ctx,
                    "session.delivered",
                    &device.id,
                    &id,
                    serde_json::json!({"app": app, "code": code}),
                ),
            )
            .await
            .map_err(AppError::from),
        Ok(false) => {
            let connector = ctx.mdm.name();
            ctx.store
                .advance_session(
                    &id,
                    ctx.clock.now(),
                    &SessionPatch { delivery: Some("end_customer_link"), ..Default::default() },
                    AppConfigChange::None,
                    audit(
                        ctx,
                        "session.delivery_link",
                        &device.id,
                        &id,
                        serde_json::json!({"connector": connector, "end_customer_link": end_customer, "reason": "the connector cannot push a managed app configuration"}),
                    ),
                )
                .await
                .map_err(AppError::from)
        }
        // The MDM refused: its own error (service failed, with its fix) is what the agent sees.
        Err(e) => Err(e),
    };
    if let Err(err) = step {
        if pushed_to_mdm {
            // Nothing of a failed session stays on the device.
            if let Err(e) = ctx.mdm.set_app_config(&device.id, app, None).await {
                tracing::warn!(device = %device.id, error = %e, "the MDM kept the configuration of a failed session");
            }
        }
        // The failed session's TeamViewer case is closed (queued with the failure, so a close
        // that fails now is tried again by the reconciliation).
        fail(
            ctx,
            &id,
            &device.id,
            "deliver",
            &err,
            AppConfigChange::Clear { app: app.as_str() },
        )
        .await?;
        crate::lifecycle::flush_closes(ctx).await;
        return Err(step_error(lang, "deliver", err));
    }

    // 6. The hand-off: only an allowlisted https supporter link, to the OS opener or HELPATWORK_OPENER.
    let launched = match (launch, &supporter) {
        (true, Some(link)) => match hand_off(ctx, link).await {
            Ok(()) => true,
            Err(e) => {
                tracing::warn!(error = %e.message, "the desktop client was not opened");
                false
            }
        },
        _ => false,
    };
    let record = ctx
        .store
        .advance_session(
            &id,
            ctx.clock.now(),
            &SessionPatch {
                state: Some("waiting"),
                launched: Some(launched),
                ..Default::default()
            },
            AppConfigChange::None,
            audit(
                ctx,
                "session.handed_off",
                &device.id,
                &id,
                serde_json::json!({"launched": launched}),
            ),
        )
        .await?;
    Session::try_from(record)
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

fn truncate(text: &str, max: usize) -> String {
    text.chars().take(max).collect()
}

fn session_description(device: &Device, agent: &str, reason: &str) -> String {
    let mut text = format!(
        "Help@Work: {} ({}, {} {}) by {agent}",
        device.name, device.id, device.manufacturer, device.model
    );
    if !reason.is_empty() {
        text.push_str(" — ");
        text.push_str(reason);
    }
    text
}

pub(crate) fn conflict(ctx: &AppContext, holder: SessionRecord) -> AppError {
    let code = holder.code.clone().unwrap_or_else(|| holder.id.clone());
    let details = Session::try_from(holder.clone()).ok();
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
    .with_details(serde_json::json!({ "session": details }))
}

fn step_error(lang: helpatwork_domain::Lang, step: &str, err: AppError) -> AppError {
    let mut e = AppError::new(
        err.code,
        format!(
            "{} \"{step}\": {}",
            lang.pick("The session failed at step", "A sessão falhou na etapa"),
            err.message
        ),
    );
    e.fix = err.fix;
    e.details = serde_json::json!({ "failed_step": step, "cause": err.details });
    e
}

async fn fail(
    ctx: &AppContext,
    id: &str,
    device_id: &str,
    step: &str,
    err: &AppError,
    config: AppConfigChange<'_>,
) -> Result<()> {
    ctx.store
        .advance_session(
            id,
            ctx.clock.now(),
            &SessionPatch {
                state: Some("failed"),
                failed_step: Some(step),
                error: Some(&err.message),
                ended_at: Some(ctx.clock.now()),
                ended_by: Some(&ctx.actor),
                // A session that reached TeamViewer (it has a code) leaves no case open there.
                close_at_teamviewer: Some("failed"),
                ..Default::default()
            },
            config,
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

pub(crate) async fn hand_off(_ctx: &AppContext, link: &str) -> Result<()> {
    let spec: LaunchSpec = crate::links::check(link, "supporter link")?;
    tokio::task::spawn_blocking(move || helpatwork_desktop::launcher_from_env().launch(&spec))
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
    let fresh = crate::handover::holder_supporter_link(ctx, &record).await;
    let link = fresh
        .clone()
        .or_else(|| record.supporter_link.clone())
        .ok_or_else(|| AppError::invalid("The session has no supporter link."))?;
    hand_off(ctx, &link).await?;
    let unattended_waiting =
        record.mode == Mode::Unattended.as_str() && record.state == SessionState::Waiting.as_str();
    let record = ctx
        .store
        .advance_session(
            &record.id,
            ctx.clock.now(),
            &SessionPatch {
                launched: Some(true),
                supporter_link: fresh.as_deref(),
                state: unattended_waiting.then_some(SessionState::Active.as_str()),
                ..Default::default()
            },
            AppConfigChange::None,
            audit(
                ctx,
                "session.opened",
                &record.device_id,
                &record.id,
                serde_json::json!({}),
            ),
        )
        .await?;
    Session::try_from(record)
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
    Session::try_from(find(ctx, id).await?)
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
    ctx.store
        .sessions(open_only, limit)
        .await?
        .into_iter()
        .map(Session::try_from)
        .collect()
}

/// Ends the session at TeamViewer and clears the device's app configuration.
pub async fn close(ctx: &AppContext, id: &str) -> Result<Session> {
    let record = find(ctx, id).await?;
    let state = SessionState::parse(&record.state).unwrap_or(SessionState::Failed);
    if !state.is_open() {
        return Session::try_from(record);
    }
    // An agent who handed the session over no longer closes it: its new holder does.
    crate::handover::ensure_may_close(ctx, &record).await?;
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
    Session::try_from(record)
}

pub use crate::lifecycle::{expire_due, STALE_REQUEST};

/// `devices report`: what the embedded fleet's device says happened.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct ReportOutcome {
    pub device_id: String,
    pub event: String,
    /// The device's open session after the event, if it had one.
    pub session: Option<Session>,
}

pub enum ReportEvent {
    Lifecycle(DeviceEvent),
    AppInstalled { app: AppKind, version: String },
    AppRemoved { app: AppKind },
}

pub async fn report(
    ctx: &AppContext,
    device_id: &str,
    event: ReportEvent,
) -> Result<ReportOutcome> {
    expire_due(ctx).await?;
    let mut device = ctx
        .store
        .device(device_id)
        .await?
        .ok_or_else(|| device_not_found(ctx, device_id))?;
    let now = ctx.clock.now();
    let name;
    let mut lifecycle_event = None;
    match event {
        ReportEvent::Lifecycle(e) => {
            name = match e {
                DeviceEvent::Checkin => "checkin",
                DeviceEvent::AppClosed => "app-closed",
                DeviceEvent::Rebooted => "rebooted",
                DeviceEvent::EulaAccepted => "eula-accepted",
            };
            device.online = true;
            device.last_checkin = now;
            lifecycle_event = Some(e);
        }
        ReportEvent::AppInstalled { app, version } => {
            name = "app-installed";
            Version::parse(&version).map_err(|e| {
                AppError::invalid(e.to_string())
                    .with_fix("Give the version as digits and dots, e.g. 15.60.1.")
            })?;
            if app == AppKind::Host && device.platform != helpatwork_domain::Platform::Android {
                return Err(AppError::invalid(
                    "TeamViewer Host exists for Android only.",
                ));
            }
            let apps = crate::facts::known_apps(ctx, &mut device)?;
            apps.retain(|a| a.app != app);
            apps.push(helpatwork_domain::InstalledApp::known(
                app, &version, true, true,
            ));
        }
        ReportEvent::AppRemoved { app } => {
            name = "app-removed";
            crate::facts::known_apps(ctx, &mut device)?.retain(|a| a.app != app);
        }
    }
    ctx.store
        .upsert_devices(std::slice::from_ref(&device), "embedded")
        .await?;
    ctx.store
        .append_audit(NewAuditEvent {
            actor: &ctx.actor,
            action: "device.report",
            device_id: Some(&device.id),
            session_id: None,
            detail: serde_json::json!({"event": name}),
        })
        .await?;

    let mut session = None;
    if let Some(open) = ctx.store.open_session_for_device(&device.id).await? {
        let state = SessionState::parse(&open.state).unwrap_or(SessionState::Failed);
        let next = lifecycle_event
            .as_ref()
            .and_then(|e| lifecycle::on_device_event(state, e));
        let record = match next {
            // S9: a lost start command is gone from the device too.
            Some(SessionState::Lost) => {
                let (ended, _) = end(
                    ctx,
                    &open,
                    Ending {
                        state: SessionState::Lost,
                        detail: serde_json::json!({"event": name}),
                        by: &ctx.actor,
                        at: None,
                        close_at_teamviewer: Some("lost"),
                    },
                )
                .await?;
                crate::lifecycle::flush_closes(ctx).await;
                ended
            }
            Some(next) => {
                ctx.store
                    .advance_session(
                        &open.id,
                        now,
                        &SessionPatch {
                            state: Some(next.as_str()),
                            ..Default::default()
                        },
                        AppConfigChange::None,
                        audit(
                            ctx,
                            &format!("session.{}", next.as_str()),
                            &device.id,
                            &open.id,
                            serde_json::json!({"event": name}),
                        ),
                    )
                    .await?
            }
            None => open,
        };
        session = Some(Session::try_from(record)?);
    }
    Ok(ReportOutcome {
        device_id: device.id,
        event: name.into(),
        session,
    })
}
