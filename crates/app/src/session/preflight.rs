//! Preflight: every check that decides whether a session can start on the device, in this mode.

use helpatwork_desktop::DesktopFinding;
use helpatwork_domain::admin::{tenant_checks, TenantFacts, Tier};
use helpatwork_domain::{eligibility, AppKind, Check, CheckStatus, Mode, Version};
use serde::Serialize;
use ts_rs::TS;

use crate::context::AppContext;
use crate::error::device_not_found;
use crate::error::{AppError, Result};

/// `{"device_id","mode","ok","checks":[…]}` (design.md).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct Preflight {
    pub device_id: String,
    pub mode: Mode,
    pub ok: bool,
    pub checks: Vec<Check>,
}

/// Every check that decides whether a session can start on the device (issue: preflight).
pub async fn preflight(ctx: &AppContext, device_id: &str, mode: Mode) -> Result<Preflight> {
    // A stale row never blocks a device: its session is read back from TeamViewer first.
    crate::session::lifecycle::reconcile_device(ctx, device_id).await?;
    let (device, source) = ctx
        .store
        .device_with_source(device_id)
        .await?
        .ok_or_else(|| device_not_found(ctx.lang, device_id))?;
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
        let table = ctx.compat.clone();
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
        checks.extend(crate::session::unattended::host_checks(ctx, &device).await?);
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
