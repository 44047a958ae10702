//! Bulk fixes from a readiness group: the dry run (`helpatwork_domain::readiness::fix::plan` over
//! the group's devices, with the connector's capabilities and the unattended licences), the run
//! of exactly that plan (each device's distribution or forced check-in, each audited, progress
//! and Cancel), and the group's devices as CSV for the MDM console when no connector can fix it.

use std::sync::atomic::{AtomicBool, Ordering};

use helpatwork_domain::readiness::fix::{self, FixAction, FixCapabilities, FixPlan};
use helpatwork_domain::readiness::{Blocker, BoardDevice, OemAddonTable};
use helpatwork_domain::{AppKind, Device, Mode};
use serde::Serialize;
use ts_rs::TS;

use crate::context::AppContext;
use crate::error::{AppError, ErrorCode, Result};

/// A run's progress as the window shows it: devices handled of those with a change.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct FixProgress {
    pub done: u32,
    pub total: u32,
}

/// A group's devices written as CSV for the MDM console (the window's export).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct GroupExport {
    /// The CSV file written, in the Downloads folder.
    pub path: String,
    pub rows: u32,
}

/// One device's outcome in a run.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct FixOutcome {
    pub device_id: String,
    pub action: FixAction,
    pub ok: bool,
    /// Why it failed.
    pub error: Option<String>,
}

/// A run: the plan it carried out and each device's outcome, in the plan's order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct FixRun {
    pub plan: FixPlan,
    pub outcomes: Vec<FixOutcome>,
    /// Cancelled before every device was handled.
    pub cancelled: bool,
}

async fn group(
    ctx: &AppContext,
    mode: Mode,
    blocker: Blocker,
    offline_days: u32,
) -> Result<Vec<Device>> {
    let ids = crate::readiness::group_devices(ctx, mode, blocker, offline_days).await?;
    let mut out = Vec::with_capacity(ids.len());
    for id in ids {
        if let Some(d) = ctx.store.device(&id).await? {
            out.push(d);
        }
    }
    Ok(out)
}

/// The dry run: what each device of the group would get, the licences it takes, whether the
/// connector can do it. Changes nothing.
pub async fn plan(
    ctx: &AppContext,
    mode: Mode,
    blocker: Blocker,
    offline_days: u32,
) -> Result<FixPlan> {
    let devices = group(ctx, mode, blocker, offline_days).await?;
    plan_of(ctx, mode, blocker, &devices).await
}

async fn plan_of(
    ctx: &AppContext,
    mode: Mode,
    blocker: Blocker,
    devices: &[Device],
) -> Result<FixPlan> {
    let caps = ctx.mdm.capabilities();
    let purchased = ctx.store.tenant().await?.unattended_licences;
    let host: std::collections::HashSet<String> = ctx
        .store
        .distributions(AppKind::Host.as_str())
        .await?
        .into_iter()
        .collect();
    let refs: Vec<BoardDevice<'_>> = devices
        .iter()
        .map(|device| BoardDevice {
            device,
            host_distributed: host.contains(&device.id),
        })
        .collect();
    Ok(fix::plan(
        mode,
        blocker,
        &refs,
        FixCapabilities {
            distribute_app: caps.distribute_app,
            force_checkin: caps.force_checkin,
        },
        &OemAddonTable::default(),
        (purchased, host.len() as u32),
        ctx.lang,
    ))
}

/// Runs the group's plan, device by device; `progress(done, total)` after each; `cancel` stops it
/// between devices. Refused, changing nothing, when the plan is.
pub async fn run(
    ctx: &AppContext,
    mode: Mode,
    blocker: Blocker,
    offline_days: u32,
    cancel: &AtomicBool,
    mut progress: impl FnMut(u32, u32),
) -> Result<FixRun> {
    let plan = plan(ctx, mode, blocker, offline_days).await?;
    if let Some(why) = &plan.refused {
        return Err(
            AppError::new(ErrorCode::Blocked, why.clone()).with_fix(ctx.lang.pick(
                "Export the group's devices: helpatwork fleet fix GROUP --csv FILE.",
                "Exporte os dispositivos do grupo: helpatwork fleet fix GRUPO --csv ARQUIVO.",
            )),
        );
    }
    let todo: Vec<(&str, &FixAction)> = plan
        .devices
        .iter()
        .filter_map(|p| p.action.as_ref().map(|a| (p.device_id.as_str(), a)))
        .collect();
    let total = todo.len() as u32;
    let mut outcomes = Vec::new();
    let mut cancelled = false;
    for (done, (id, action)) in todo.into_iter().enumerate() {
        if cancel.load(Ordering::Relaxed) {
            cancelled = true;
            break;
        }
        let result = apply(ctx, id, action).await;
        outcomes.push(FixOutcome {
            device_id: id.to_string(),
            action: action.clone(),
            ok: result.is_ok(),
            error: result.err(),
        });
        progress(done as u32 + 1, total);
    }
    let ok = outcomes.iter().filter(|o| o.ok).count();
    audit(
        ctx,
        "fleet.fix",
        None,
        serde_json::json!({
            "mode": mode, "group": blocker, "planned": total, "done": ok,
            "failed": outcomes.len() - ok, "cancelled": cancelled,
        }),
    )
    .await?;
    Ok(FixRun {
        plan,
        outcomes,
        cancelled,
    })
}

/// One device's change, audited by the service that makes it.
async fn apply(ctx: &AppContext, id: &str, action: &FixAction) -> std::result::Result<(), String> {
    match action {
        FixAction::Distribute { app, .. } => {
            let done = crate::admin::distribute(ctx, *app, &[id.to_string()], false, true)
                .await
                .map_err(|e| e.message)?;
            // A device the MDM refused is not distributed: the fix failed, with the MDM's reason.
            match done.failed.into_iter().next() {
                Some(failure) => Err(failure.message),
                None => Ok(()),
            }
        }
        FixAction::ForceCheckin => {
            let sent = ctx.mdm.force_checkin(id).await.map_err(|e| e.to_string());
            audit(
                ctx,
                "device.force_checkin",
                Some(id),
                serde_json::json!({"reason": "readiness fix", "sent": sent.is_ok(), "why": sent.as_ref().err()}),
            )
            .await
            .map_err(|e| e.message)?;
            sent
        }
    }
}

async fn audit(
    ctx: &AppContext,
    action: &str,
    device_id: Option<&str>,
    detail: serde_json::Value,
) -> Result<()> {
    ctx.store
        .append_audit(helpatwork_store::NewAuditEvent {
            actor: &ctx.actor,
            action,
            device_id,
            session_id: None,
            detail,
        })
        .await?;
    Ok(())
}

/// The group's devices as CSV for the MDM console (cells a spreadsheet would run as a formula
/// are kept as text).
pub async fn csv(
    ctx: &AppContext,
    mode: Mode,
    blocker: Blocker,
    offline_days: u32,
) -> Result<String> {
    let devices = group(ctx, mode, blocker, offline_days).await?;
    let mut out = csv::Writer::from_writer(Vec::new());
    let fail = |e: csv::Error| AppError::internal(e.to_string());
    out.write_record([
        "device_id",
        "name",
        "user_email",
        "platform",
        "os_version",
        "manufacturer",
        "model",
    ])
    .map_err(fail)?;
    for d in &devices {
        out.write_record(
            [
                d.id.as_str(),
                d.name.as_str(),
                d.user.email.as_str(),
                d.platform.as_str(),
                d.os_version.as_str(),
                d.manufacturer.as_str(),
                d.model.as_str(),
            ]
            .map(crate::audit::cell),
        )
        .map_err(fail)?;
    }
    let bytes = out
        .into_inner()
        .map_err(|e| AppError::internal(e.to_string()))?;
    String::from_utf8(bytes).map_err(|e| AppError::internal(e.to_string()))
}

/// The window's export of [`csv`]: a new file in the Downloads folder (`Paths::exports`), named
/// after the group and the time, never replacing one (nor following a link). The webview never
/// chooses the path.
pub async fn csv_to_downloads(
    ctx: &AppContext,
    mode: Mode,
    blocker: Blocker,
    offline_days: u32,
) -> Result<GroupExport> {
    let text = csv(ctx, mode, blocker, offline_days).await?;
    let rows = text.lines().count().saturating_sub(1) as u32;
    let dir = ctx.paths.exports();
    crate::store::create_private_dir(&dir).map_err(|e| {
        AppError::internal(format!("Cannot create {}: {e}", dir.display()))
            .with_fix("Set HELPATWORK_EXPORT_DIR to a writable directory.")
    })?;
    let stamp = ctx.clock.now().format("%Y%m%d-%H%M%S");
    let name = format!("helpatwork-{}-{}-{stamp}", blocker.as_str(), mode.as_str());
    for n in 1..1000 {
        let path = match n {
            1 => dir.join(format!("{name}.csv")),
            n => dir.join(format!("{name}-{n}.csv")),
        };
        let file = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&path);
        match file {
            Ok(mut file) => {
                std::io::Write::write_all(&mut file, text.as_bytes()).map_err(|e| {
                    AppError::internal(format!("Cannot write {}: {e}", path.display()))
                        .with_fix("Free some disk space, or set HELPATWORK_EXPORT_DIR.")
                })?;
                return Ok(GroupExport {
                    path: path.display().to_string(),
                    rows,
                });
            }
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => continue,
            Err(e) => {
                return Err(
                    AppError::internal(format!("Cannot write {}: {e}", path.display()))
                        .with_fix("Set HELPATWORK_EXPORT_DIR to a writable directory."),
                )
            }
        }
    }
    Err(AppError::internal("No free export file name was found.")
        .with_fix("Move the older exports out of the Downloads folder."))
}
