//! A6, U3: app distribution. On the embedded fleet the store is the MDM, so a distribution is
//! recorded there (the licence limit checked in the same transaction). On another MDM
//! (Microsoft Intune) the licence check comes first, before any MDM call; then each device goes
//! to the MDM, and only the devices it accepted are recorded; the refused ones are reported and
//! audited. A connector without distribution (Ivanti) is refused before anything changes.

use helpatwork_domain::{AppKind, Platform};
use serde::Serialize;
use ts_rs::TS;

use crate::context::AppContext;
use crate::error::{AppError, ErrorCode, ErrorDetails, Result};

/// The devices an `apps` command is about: the listed ones (each must exist) or all eligible.
async fn targets(
    ctx: &AppContext,
    app: AppKind,
    devices: &[String],
    all: bool,
) -> Result<Vec<String>> {
    if all {
        let mut ids = ctx
            .store
            .supported_device_ids(Platform::Android.as_str())
            .await?;
        if app == AppKind::Quicksupport {
            ids.extend(
                ctx.store
                    .supported_device_ids(Platform::Ios.as_str())
                    .await?,
            );
        }
        return Ok(ids);
    }
    if devices.is_empty() {
        return Err(AppError::invalid(
            "Name the devices (--device ID) or use --all.",
        ));
    }
    let mut ids = Vec::with_capacity(devices.len());
    for id in devices {
        let d = ctx
            .store
            .device(id)
            .await?
            .ok_or_else(|| crate::error::device_not_found(ctx.lang, id))?;
        if app != AppKind::Quicksupport && d.platform != Platform::Android {
            return Err(AppError::invalid(format!(
                "{} is for Android only; {id} is {}.",
                app.display_name(),
                d.platform.display_name()
            )));
        }
        // The stored id: `AND-001` names the device `and-001`.
        if !ids.contains(&d.id) {
            ids.push(d.id);
        }
    }
    Ok(ids)
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct DistributionResult {
    pub app: AppKind,
    /// Devices changed (the MDM accepted them and they are recorded).
    pub devices: u32,
    /// Devices the app is distributed to after the change.
    pub distributed_to: u32,
    /// Devices the MDM refused: not recorded.
    pub failed: Vec<DistributionFailure>,
}

/// A device the MDM refused, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct DistributionFailure {
    pub device: String,
    pub message: String,
}

/// A6, U3: distributes (or undistributes) an app. Host beyond the purchased licences is refused
/// with the numbers, before anything changes.
pub async fn distribute(
    ctx: &AppContext,
    app: AppKind,
    devices: &[String],
    all: bool,
    distribute: bool,
) -> Result<DistributionResult> {
    let action = if distribute {
        "apps.distribute"
    } else {
        "apps.undistribute"
    };
    let done = distribute_checked(ctx, app, devices, all, distribute).await;
    crate::actor::audit_refusal(ctx, action, None, done).await
}

fn over_licences(purchased: u32, before: usize, would_be: u32) -> AppError {
    AppError::new(
        ErrorCode::Conflict,
        format!(
            "Distributing Host to these devices needs {would_be} unattended licences; {purchased} are purchased and {before} are in use (U3). Nothing changed."
        ),
    )
    .with_fix("Buy more MI add-on licences (helpatwork admin licences --unattended N) or distribute to fewer devices.")
    .with_details(ErrorDetails::Licences {
        purchased,
        consumed: u32::try_from(before).unwrap_or(u32::MAX),
        needed: would_be,
    })
}

async fn distribute_checked(
    ctx: &AppContext,
    app: AppKind,
    devices: &[String],
    all: bool,
    distribute: bool,
) -> Result<DistributionResult> {
    // A connector without a distribution API (Ivanti) is refused before anything changes:
    // recording a distribution the MDM never made would be a lie.
    if !ctx.mdm.capabilities().distribute_app {
        return Err(helpatwork_mdm::MdmError::Unsupported {
            mdm: ctx.mdm.name(),
            operation: helpatwork_mdm::Operation::DistributeApp,
        }
        .into());
    }
    let mut ids = targets(ctx, app, devices, all).await?;
    let limit = if distribute && app == AppKind::Host {
        Some(ctx.store.tenant().await?.unattended_licences)
    } else {
        None
    };
    let action = if distribute {
        "apps.distribute"
    } else {
        "apps.undistribute"
    };
    let current = ctx.store.distributions(app.as_str()).await?;
    let before = current.len();
    let mut failed = Vec::new();
    if ctx.can_sync() {
        // Another MDM than the embedded fleet: U3 first, before any MDM call.
        if let Some(limit) = limit {
            let added = ids.iter().filter(|id| !current.contains(id)).count();
            let would_be = u32::try_from(before + added).unwrap_or(u32::MAX);
            if would_be > limit {
                return Err(over_licences(limit, before, would_be));
            }
        }
        let mut accepted = Vec::with_capacity(ids.len());
        for id in ids {
            match ctx.mdm.distribute(&id, app, distribute).await {
                Ok(()) => accepted.push(id),
                Err(error) => failed.push(DistributionFailure {
                    device: id,
                    message: error.to_string(),
                }),
            }
        }
        ids = accepted;
    }
    let result = ctx
        .store
        .set_distribution(
            app.as_str(),
            &ids,
            distribute,
            limit,
            ctx.clock.now(),
            helpatwork_store::NewAuditEvent {
                actor: &ctx.actor,
                action,
                device_id: None,
                session_id: None,
                detail: if failed.is_empty() {
                    serde_json::json!({"app": app, "devices": ids, "before": before})
                } else {
                    serde_json::json!({"app": app, "devices": ids, "before": before, "failed": failed})
                },
            },
        )
        .await?;
    match result {
        Ok(count) => {
            if distribute && app == AppKind::Host {
                // Host goes out with Help@Work's assignment configuration (unattended matching).
                crate::session::unattended::write_assignment(ctx, &ids).await;
            }
            Ok(DistributionResult {
                app,
                devices: ids.len() as u32,
                distributed_to: count,
                failed,
            })
        }
        Err(would_be) => Err(over_licences(limit.unwrap_or(0), before, would_be)),
    }
}
