//! Preflight: every check that decides whether a session can start on the device, in this mode.
//! The facts are gathered here once (the store, the sign-in, the desktop client, TeamViewer's
//! device list for unattended); the checks are the domain's (`helpatwork_domain::preflight`).

use helpatwork_domain::admin::{TenantFacts, Tier};
use helpatwork_domain::policy::{self as policies, Verdict};
use helpatwork_domain::preflight::{self as rules, Holder, PolicyFacts, PreflightFacts, TokenFact};
use helpatwork_domain::{AppKind, Device, Mode, Version};
use helpatwork_store::{SessionFacts, SessionRecord};

use crate::context::AppContext;
use crate::dto::{PolicyDemands, Preflight};
use crate::error::{device_not_found, AppError, Result};

/// A preflight and what it read, for a start to go on with without reading it again.
pub(crate) struct Checked {
    pub preflight: Preflight,
    pub device: Device,
    /// The open session that holds the device, if any.
    pub holder: Option<SessionRecord>,
    /// What the support policies that hold the device ask of the start.
    pub verdict: Verdict,
    /// What expiry ends, read with the device's open session, and when.
    expiring: (SessionFacts, chrono::DateTime<chrono::Utc>),
}

/// What a start brings for the support policies; `None`: not given yet (a preflight), so a
/// requirement warns instead of blocking.
#[derive(Debug, Clone, Copy, Default)]
pub struct PolicyRequest<'a> {
    pub reason: Option<&'a str>,
    pub ticket: Option<&'a str>,
}

/// Every check that decides whether a session can start on the device. The device's open
/// session is read back from TeamViewer first ([`reconciled_check`]), so a stale row never
/// blocks a device.
pub async fn preflight(ctx: &AppContext, device_id: &str, mode: Mode) -> Result<Preflight> {
    preflight_with(ctx, device_id, mode, PolicyRequest::default()).await
}

/// [`preflight`] with what the start will bring for the support policies (`--reason`,
/// `--ticket`; the start dialog's fields).
pub async fn preflight_with(
    ctx: &AppContext,
    device_id: &str,
    mode: Mode,
    request: PolicyRequest<'_>,
) -> Result<Preflight> {
    Ok(reconciled_check(ctx, device_id, mode, request)
        .await?
        .preflight)
}

/// The facts read and judged after expiry and after the device's open session was read back
/// from TeamViewer, so a stale row never blocks the device.
///
/// Expiry is decided from the store alone and rarely ends anything: what it would end is read
/// with the device's open session, in the same query, and the facts are read again only when it
/// ended a session; likewise after an open session with a TeamViewer code was read back. A
/// preflight of a free device waits for one round of reads, not three.
pub(crate) async fn reconciled_check(
    ctx: &AppContext,
    device_id: &str,
    mode: Mode,
    request: PolicyRequest<'_>,
) -> Result<Checked> {
    let mut checked = check(ctx, device_id, mode, request).await?;
    let (found, now) = std::mem::take(&mut checked.expiring);
    if crate::session::lifecycle::expire_found_and_close(ctx, found, now).await? {
        checked = check(ctx, device_id, mode, request).await?;
    }
    if let Some(holder) = checked.holder.as_ref().filter(|h| h.code.is_some()) {
        crate::session::lifecycle::reconcile_one(ctx, holder).await?;
        checked = check(ctx, device_id, mode, request).await?;
    }
    Ok(checked)
}

/// Gathers the facts once and evaluates them (no expiry, no reconciliation: see
/// [`reconciled_check`]).
pub(crate) async fn check(
    ctx: &AppContext,
    device_id: &str,
    mode: Mode,
    request: PolicyRequest<'_>,
) -> Result<Checked> {
    let lang = ctx.lang;
    let now = ctx.clock.now();
    // The facts are independent reads: they are asked for at once (the store serves them on
    // separate connections, the desktop client is looked for on the blocking pool), so a
    // preflight waits for about one round trip, not ten. The ones that name the device use the
    // id asked for, and are read again in the rare case the store holds it under another
    // spelling (`ident::id_key`).
    let token = async {
        Ok::<_, AppError>(match ctx.teamviewer.client.as_ref() {
            None => TokenFact::NotConfigured,
            Some(client) => match client.auth_kind().await {
                Ok(Some(_)) => TokenFact::Held,
                _ => TokenFact::Missing {
                    fix: ctx.sign_in_fix(),
                },
            },
        })
    };
    let opts = ctx.desktop.clone();
    let discovered = async {
        tokio::task::spawn_blocking(move || helpatwork_desktop::discover(&opts))
            .await
            .map_err(|e| AppError::internal(e.to_string()))
    };
    let (found, admin, token, found_client, by_id) = tokio::try_join!(
        async { Ok::<_, AppError>(ctx.store.device_with_source(device_id).await?) },
        async { Ok::<_, AppError>(ctx.store.admin_facts().await?) },
        token,
        discovered,
        device_facts(ctx, device_id, mode, now),
    )?;
    let compiled = crate::policy::compiled(ctx, &admin.policies)?;
    let (device, source) = found.ok_or_else(|| device_not_found(lang, device_id))?;
    let (host_distributed, sessions) = match device.id == device_id {
        true => by_id,
        false => device_facts(ctx, &device.id, mode, now).await?,
    };
    let holder = sessions.open.clone();
    // Unknown facts warn, naming who could not report them; online is judged now (facts.rs).
    let circumstances = crate::facts::circumstances(ctx, &source);
    // The desktop client and the Host only matter for a device that can be helped in this mode.
    let device_ok = !rules::device_side_blocks(&device, mode, &circumstances);
    let desktop = device_ok.then(|| desktop_findings(ctx, &found_client, &device, mode));
    let (host, approved) = tokio::try_join!(
        async {
            match device_ok && mode == Mode::Unattended {
                true => crate::session::unattended::host_facts(ctx, &device)
                    .await
                    .map(Some),
                false => Ok(None),
            }
        },
        async {
            match mode == Mode::Unattended && !compiled.is_empty() {
                true => crate::policy::approvals::approved(ctx, &device.id).await,
                false => Ok(None),
            }
        },
    )?;
    let tenant = TenantFacts {
        tier: admin.tenant.tier.as_deref().and_then(Tier::parse),
        mode_active: admin
            .integrations
            .iter()
            .any(|i| i.mode == mode.as_str() && i.active),
        host_distributed,
    };
    let holding = holder.as_ref().map(|h| Holder {
        agent: &h.agent,
        session: h.code.as_deref().unwrap_or(&h.id),
        state: h.state,
    });
    // Support policies: a label rule reads the device's labels as its source reported them;
    // where the source reports none (Ivanti's sync), it warns and is not applied.
    let policy = PolicyFacts {
        policies: &compiled,
        reason: request.reason,
        ticket: request.ticket,
        approved_by: approved.as_deref(),
    };
    let facts = PreflightFacts {
        device: &device,
        mode,
        tenant,
        circumstances,
        token,
        desktop,
        host,
        holder: holding,
        policy: Some(policy),
    };
    let checks = rules::checks(&facts, lang);
    let verdict = policies::verdict(&compiled, &policy.input(&facts));
    drop(facts);
    Ok(Checked {
        preflight: Preflight {
            device_id: device.id.clone(),
            mode,
            ok: rules::ok(&checks),
            checks,
            policy: PolicyDemands::of(&verdict),
        },
        device,
        holder,
        verdict,
        expiring: (sessions, now),
    })
}

/// Whether Host was distributed to the device (read in unattended mode only, the one U3
/// judges; `false` in attended mode), and its open session with what expiry ends as of `now`.
async fn device_facts(
    ctx: &AppContext,
    device_id: &str,
    mode: Mode,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<(bool, SessionFacts)> {
    tokio::try_join!(
        async {
            match mode {
                Mode::Unattended => Ok(ctx
                    .store
                    .is_distributed(device_id, AppKind::Host.as_str())
                    .await?),
                Mode::Attended => Ok(false),
            }
        },
        crate::session::lifecycle::session_facts(ctx, Some(device_id), now),
    )
}

/// D3, S11, security: the desktop client found on this PC, judged against the device's app.
fn desktop_findings(
    ctx: &AppContext,
    found: &std::result::Result<
        Option<helpatwork_desktop::DesktopClient>,
        helpatwork_desktop::DiscoveryError,
    >,
    device: &Device,
    mode: Mode,
) -> Vec<helpatwork_domain::desktop::DesktopFinding> {
    let app_version = device
        .app(mode.app())
        .and_then(|a| a.version.as_deref())
        .and_then(|v| Version::parse(v).ok());
    helpatwork_domain::desktop::assess(
        &helpatwork_desktop::client_fact(found),
        &ctx.compat,
        mode.app(),
        app_version.as_ref(),
    )
}
