//! Preflight: every check that decides whether a session can start on the device, in this mode.
//! The facts are gathered here once (the store, the sign-in, the desktop client, TeamViewer's
//! device list for unattended); the checks are the domain's (`helpatwork_domain::preflight`).

use helpatwork_domain::admin::{TenantFacts, Tier};
use helpatwork_domain::preflight::{self as rules, Holder, PreflightFacts, TokenFact};
use helpatwork_domain::{AppKind, Check, Device, Mode, Version};
use helpatwork_store::SessionRecord;
use serde::Serialize;
use ts_rs::TS;

use crate::context::AppContext;
use crate::error::{device_not_found, AppError, Result};

/// `{"device_id","mode","ok","checks":[…]}` (design.md).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct Preflight {
    pub device_id: String,
    pub mode: Mode,
    pub ok: bool,
    pub checks: Vec<Check>,
}

/// A preflight and what it read, for a start to go on with without reading it again.
pub(crate) struct Checked {
    pub preflight: Preflight,
    pub device: Device,
    /// The open session that holds the device, if any.
    pub holder: Option<SessionRecord>,
}

/// Every check that decides whether a session can start on the device. The device's open
/// session is read back from TeamViewer first (`lifecycle::reconcile_device`), so a stale row
/// never blocks a device.
pub async fn preflight(ctx: &AppContext, device_id: &str, mode: Mode) -> Result<Preflight> {
    crate::session::lifecycle::reconcile_device(ctx, device_id).await?;
    Ok(check(ctx, device_id, mode).await?.preflight)
}

/// Gathers the facts once and evaluates them (no reconciliation: the caller did it).
pub(crate) async fn check(ctx: &AppContext, device_id: &str, mode: Mode) -> Result<Checked> {
    let lang = ctx.lang;
    let (device, source) = ctx
        .store
        .device_with_source(device_id)
        .await?
        .ok_or_else(|| device_not_found(lang, device_id))?;
    // Unknown facts warn, naming who could not report them; online is judged now (facts.rs).
    let circumstances = crate::facts::circumstances(ctx, &source);
    let tenant = ctx.store.tenant().await?;
    let tenant = TenantFacts {
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
    let token = match ctx.teamviewer.client.as_ref() {
        None => TokenFact::NotConfigured,
        Some(client) => match client.auth_kind().await {
            Ok(Some(_)) => TokenFact::Held,
            _ => TokenFact::Missing {
                fix: ctx.sign_in_fix(),
            },
        },
    };
    // The desktop client and the Host only matter for a device that can be helped in this mode.
    let device_ok = !rules::device_side_blocks(&device, mode, &circumstances);
    let desktop = match device_ok {
        true => Some(desktop_findings(ctx, &device, mode).await?),
        false => None,
    };
    let host = match device_ok && mode == Mode::Unattended {
        true => Some(crate::session::unattended::host_facts(ctx, &device).await?),
        false => None,
    };
    let holder = ctx.store.open_session_for_device(&device.id).await?;
    let holding = holder.as_ref().map(|h| Holder {
        agent: &h.agent,
        session: h.code.as_deref().unwrap_or(&h.id),
        state: h.state,
    });
    let checks = rules::checks(
        &PreflightFacts {
            device: &device,
            mode,
            tenant,
            circumstances,
            token,
            desktop,
            host,
            holder: holding,
        },
        lang,
    );
    Ok(Checked {
        preflight: Preflight {
            device_id: device.id.clone(),
            mode,
            ok: rules::ok(&checks),
            checks,
        },
        device,
        holder,
    })
}

/// D3, S11, security: the desktop client found on this PC, judged against the device's app.
async fn desktop_findings(
    ctx: &AppContext,
    device: &Device,
    mode: Mode,
) -> Result<Vec<helpatwork_domain::desktop::DesktopFinding>> {
    let app_version = device
        .app(mode.app())
        .and_then(|a| a.version.as_deref())
        .and_then(|v| Version::parse(v).ok());
    let opts = ctx.desktop.clone();
    let found = tokio::task::spawn_blocking(move || helpatwork_desktop::discover(&opts))
        .await
        .map_err(|e| AppError::internal(e.to_string()))?;
    Ok(helpatwork_domain::desktop::assess(
        &helpatwork_desktop::client_fact(&found),
        &ctx.compat,
        mode.app(),
        app_version.as_ref(),
    ))
}
