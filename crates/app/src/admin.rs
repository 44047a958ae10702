//! The admin's side (A1–A6, L1, U1–U4): tier, licences, the activation wizard with the
//! TeamViewer EULA, removal, app distribution and the deprovisioning before deleting the
//! account binding. Every change writes an audit event with before and after.

use helpatwork_domain::admin::{licences_fit, Tier};
use helpatwork_domain::{AppKind, Mode};
use helpatwork_store::{Integration, NewAuditEvent};
use serde::Serialize;
use ts_rs::TS;

use crate::context::AppContext;
pub use crate::distribution::{distribute, DistributionFailure, DistributionResult};
use crate::error::{AppError, ErrorCode, ErrorDetails, Result};
pub use crate::eula::{eula, Eula};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct Activation {
    pub mode: Mode,
    pub active: bool,
    pub account_id: Option<String>,
    pub account_name: Option<String>,
    pub eula_version: Option<String>,
    pub agreed_by: Option<String>,
    pub agreed_at: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct Licences {
    pub purchased: u32,
    /// Devices Host is distributed to (U3).
    pub consumed: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct AdminStatus {
    pub tier: Option<Tier>,
    /// Help@Work is locked below Platinum (L1).
    pub locked: bool,
    pub activations: Vec<Activation>,
    pub unattended_licences: Licences,
    /// Kiosk devices where Host or an add-on is not allowed in the kiosk (U4).
    pub kiosk_devices_missing_allowlist: Vec<String>,
    /// Devices that still report Host installed (A5: the account binding waits for none).
    pub devices_with_host: Vec<String>,
}

fn audit<'a>(ctx: &'a AppContext, action: &'a str, detail: serde_json::Value) -> NewAuditEvent<'a> {
    NewAuditEvent {
        actor: &ctx.actor,
        action,
        device_id: None,
        session_id: None,
        detail,
    }
}

pub async fn status(ctx: &AppContext) -> Result<AdminStatus> {
    let tenant = ctx.store.tenant().await?;
    let tier = tenant.tier.as_deref().and_then(Tier::parse);
    let rows = ctx.store.integrations().await?;
    let activations = Mode::ALL
        .into_iter()
        .map(|mode| {
            let row = rows.iter().find(|r| r.mode == mode.as_str());
            Activation {
                mode,
                active: row.is_some_and(|r| r.active),
                account_id: row.and_then(|r| r.account_id.clone()),
                account_name: row.and_then(|r| r.account_name.clone()),
                eula_version: row.and_then(|r| r.eula_version.clone()),
                agreed_by: row.and_then(|r| r.agreed_by.clone()),
                agreed_at: row.and_then(|r| r.agreed_at).map(crate::dto::rfc3339),
            }
        })
        .collect();
    let consumed = ctx.store.distributions(AppKind::Host.as_str()).await?.len() as u32;
    Ok(AdminStatus {
        locked: !helpatwork_domain::admin::licensed(tier),
        tier,
        activations,
        unattended_licences: Licences {
            purchased: tenant.unattended_licences,
            consumed,
        },
        kiosk_devices_missing_allowlist: ctx.store.kiosk_devices_missing_allowlist().await?,
        devices_with_host: ctx.store.devices_with_app(AppKind::Host.as_str()).await?,
    })
}

pub async fn set_tier(ctx: &AppContext, tier: Tier) -> Result<AdminStatus> {
    let before = ctx.store.tenant().await?;
    ctx.store
        .update_tenant(
            Some(tier.as_str()),
            None,
            ctx.clock.now(),
            audit(
                ctx,
                "admin.tier",
                serde_json::json!({"before": before.tier, "after": tier}),
            ),
        )
        .await?;
    status(ctx).await
}

pub async fn set_licences(ctx: &AppContext, purchased: u32) -> Result<AdminStatus> {
    let done = set_licences_checked(ctx, purchased).await;
    crate::actor::audit_refusal(ctx, "admin.licences", None, done).await
}

async fn set_licences_checked(ctx: &AppContext, purchased: u32) -> Result<AdminStatus> {
    let before = ctx.store.tenant().await?;
    let consumed = ctx.store.distributions(AppKind::Host.as_str()).await?.len() as u32;
    if !licences_fit(purchased, consumed) {
        return Err(AppError::new(
            ErrorCode::Conflict,
            format!(
                "Host is distributed to {consumed} devices, more than {purchased} licences (U3)."
            ),
        )
        .with_fix("Undistribute Host from some devices first."));
    }
    ctx.store
        .update_tenant(
            None,
            Some(purchased),
            ctx.clock.now(),
            audit(
                ctx,
                "admin.licences",
                serde_json::json!({"before": before.unattended_licences, "after": purchased}),
            ),
        )
        .await?;
    status(ctx).await
}

/// A2: activates a mode for the signed-in TeamViewer account once the admin agreed to the EULA
/// whose SHA-256 is `agreed_sha256` (the text they were shown). L1: only a Platinum tenant.
pub async fn activate(ctx: &AppContext, mode: Mode, agreed_sha256: &str) -> Result<AdminStatus> {
    let done = activate_checked(ctx, mode, agreed_sha256).await;
    crate::actor::audit_refusal(ctx, "admin.activate", None, done).await
}

async fn activate_checked(
    ctx: &AppContext,
    mode: Mode,
    agreed_sha256: &str,
) -> Result<AdminStatus> {
    let tier = ctx
        .store
        .tenant()
        .await?
        .tier
        .as_deref()
        .and_then(Tier::parse);
    let l1 = helpatwork_domain::admin::tier_check(tier, ctx.lang);
    if l1.status == helpatwork_domain::CheckStatus::Block {
        let mut err = AppError::new(
            ErrorCode::Blocked,
            format!(
                "{} {}",
                ctx.lang.pick(
                    "TeamViewer cannot be activated:",
                    "O TeamViewer não pode ser ativado:"
                ),
                l1.message
            ),
        )
        .with_details(ErrorDetails::Checks {
            checks: vec![l1.clone()],
        });
        err.fix = l1.fix.clone();
        return Err(err);
    }
    let eula = eula().await?;
    if eula.sha256 != agreed_sha256 {
        return Err(AppError::new(
            ErrorCode::Conflict,
            "The EULA text changed since it was shown.",
        )
        .with_fix("Read the EULA again and agree to the current text."));
    }
    let client = ctx.teamviewer.client()?;
    client.ensure_valid_token().await?;
    let account = client.account().await?;
    let before = ctx
        .store
        .integrations()
        .await?
        .into_iter()
        .find(|i| i.mode == mode.as_str());
    let now = ctx.clock.now();
    let after = Integration {
        mode: mode.as_str().into(),
        active: true,
        account_id: Some(account.userid.clone()),
        account_name: Some(account.name.clone()),
        eula_version: Some(eula.version.clone()),
        eula_sha256: Some(eula.sha256.clone()),
        agreed_by: Some(ctx.actor.clone()),
        agreed_at: Some(now),
    };
    ctx.store
        .set_integration(
            &after,
            now,
            audit(ctx, "admin.activate", serde_json::json!({
                "mode": mode,
                "before": before.as_ref().map(|b| serde_json::json!({"active": b.active, "account_id": b.account_id})),
                "after": {"active": true, "account_id": account.userid, "account_name": account.name},
                "eula": {"source": eula.source, "version": eula.version, "sha256": eula.sha256},
            })),
        )
        .await?;
    status(ctx).await
}

/// A3: removes the activation of both modes: no new sessions; open sessions are ended at
/// TeamViewer and their device configurations cleared.
pub async fn remove_activation(ctx: &AppContext) -> Result<AdminStatus> {
    // Every open session ends here at once; each TeamViewer case is closed (a close TeamViewer
    // refuses now is retried by the reconciliation, never lost). Page by page, however many.
    crate::session::lifecycle::expire_due(ctx).await?;
    let mut closed: Vec<String> = Vec::new();
    loop {
        let open = ctx.store.sessions(true, 10_000).await?;
        let ended = crate::session::lifecycle::end_for(
            ctx,
            &open,
            crate::session::lifecycle::ChangeCause::ActivationRemoved,
        )
        .await?;
        if ended.is_empty() {
            break;
        }
        closed.extend(ended.into_iter().map(|c| c.session.id));
    }
    let now = ctx.clock.now();
    for mut row in ctx.store.integrations().await? {
        if !row.active {
            continue;
        }
        row.active = false;
        let mode = row.mode.clone();
        ctx.store
            .set_integration(&row, now, audit(ctx, "admin.remove_activation", serde_json::json!({"mode": mode, "before": {"active": true}, "after": {"active": false}, "sessions_closed": closed})))
            .await?;
    }
    status(ctx).await
}

/// A5, first steps: undistribute Host from every device and ask each device that still has it
/// to check in. `progress(done, total, device)` reports each device as it is handled. The binding
/// can be deleted once every device reports Host gone.
pub async fn deprovision(
    ctx: &AppContext,
    progress: &(dyn Fn(usize, usize, &str) + Send + Sync),
) -> Result<AdminStatus> {
    let hosts = ctx.store.distributions(AppKind::Host.as_str()).await?;
    if !hosts.is_empty() {
        distribute(ctx, AppKind::Host, &hosts, false, false).await?;
    }
    let installed = ctx.store.devices_with_app(AppKind::Host.as_str()).await?;
    let mut devices: Vec<String> = hosts.into_iter().chain(installed.iter().cloned()).collect();
    devices.sort();
    devices.dedup();
    // Unattended sessions cannot go on without Host: they end, their TeamViewer cases closed.
    let unattended: Vec<_> = ctx
        .store
        .sessions(true, 10_000)
        .await?
        .into_iter()
        .filter(|s| s.mode == Mode::Unattended && devices.binary_search(&s.device_id).is_ok())
        .collect();
    crate::session::lifecycle::end_for(
        ctx,
        &unattended,
        crate::session::lifecycle::ChangeCause::Deprovisioned,
    )
    .await?;
    for (i, id) in devices.iter().enumerate() {
        if installed.contains(id) {
            // The MDM asks the device to check in where it can; the audit says whether it did.
            let sent = if ctx.mdm.capabilities().force_checkin {
                ctx.mdm.force_checkin(id).await.map_err(|e| e.to_string())
            } else {
                Err(format!(
                    "{} cannot force a check-in; the device reports when it next checks in",
                    ctx.mdm.name()
                ))
            };
            ctx.store
                .append_audit(NewAuditEvent {
                    actor: &ctx.actor,
                    action: "device.force_checkin",
                    device_id: Some(id),
                    session_id: None,
                    detail: match sent {
                        Ok(()) => serde_json::json!({"reason": "A5 deprovisioning", "sent": true}),
                        Err(why) => serde_json::json!({"reason": "A5 deprovisioning", "sent": false, "why": why}),
                    },
                })
                .await?;
        }
        progress(i + 1, devices.len(), id);
    }
    status(ctx).await
}

/// A5: deletes the TeamViewer account binding, refused while any device still has Host.
pub async fn delete_account(ctx: &AppContext) -> Result<AdminStatus> {
    let done = delete_account_checked(ctx).await;
    crate::actor::audit_refusal(ctx, "admin.delete_account", None, done).await
}

async fn delete_account_checked(ctx: &AppContext) -> Result<AdminStatus> {
    let still = ctx.store.devices_with_app(AppKind::Host.as_str()).await?;
    let distributed = ctx.store.distributions(AppKind::Host.as_str()).await?;
    if !still.is_empty() || !distributed.is_empty() {
        let mut devices: Vec<String> = still.into_iter().chain(distributed).collect();
        devices.sort();
        devices.dedup();
        return Err(AppError::new(
            ErrorCode::Conflict,
            format!("TeamViewer Host is still on (or distributed to) {} device(s): {}. The account binding stays.", devices.len(), devices.iter().take(20).cloned().collect::<Vec<_>>().join(", ")),
        )
        .with_fix("Deprovision first (helpatwork admin deprovision), wait for every device to report Host removed, then delete again.")
        .with_details(ErrorDetails::HostDevices { devices }));
    }
    let now = ctx.clock.now();
    for row in ctx.store.integrations().await? {
        let cleared = Integration {
            mode: row.mode.clone(),
            active: false,
            account_id: None,
            account_name: None,
            eula_version: None,
            eula_sha256: None,
            agreed_by: None,
            agreed_at: None,
        };
        ctx.store
            .set_integration(&cleared, now, audit(ctx, "admin.delete_account", serde_json::json!({"mode": row.mode, "before": {"account_id": row.account_id, "active": row.active}, "after": null})))
            .await?;
    }
    status(ctx).await
}
