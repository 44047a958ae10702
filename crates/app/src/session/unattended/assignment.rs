//! Host's assignment configuration: the TeamViewer assignment ID and the device alias, written
//! into Host's managed app configuration where the MDM can push it.

use helpatwork_domain::{AppKind, Device};
use helpatwork_store::NewAuditEvent;
use serde::Serialize;
use ts_rs::TS;

use super::{alias_for, event, ASSIGNMENT_SETTING};
use crate::context::AppContext;
use crate::error::{AppError, Result};

/// What setting the assignment ID did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct HostAssignment {
    pub assignment_id: String,
    /// Devices with Host distributed whose Host configuration now carries it.
    pub written: u32,
    /// The MDM connector cannot push a managed app configuration: the admin sets it there.
    pub pushed_by_mdm: bool,
}
/// Host's assignment configuration for a device (Help@Work's keys; docs/unattended.md).
fn assignment_config(assignment_id: &str, device: &Device) -> serde_json::Value {
    serde_json::json!({
        "assignment_id": assignment_id,
        "device_alias": alias_for(device),
        "auto_start": true,
    })
}

/// Sets the TeamViewer assignment ID and writes the assignment configuration into Host's managed
/// app configuration on every device Host is distributed to (where the MDM can push it).
pub async fn set_assignment(ctx: &AppContext, assignment_id: &str) -> Result<HostAssignment> {
    let id = assignment_id.trim();
    let valid = (1..=512).contains(&id.len())
        && id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "+/=._-".contains(c));
    if !valid {
        return Err(AppError::invalid(ctx.lang.pick(
            "An assignment ID is up to 512 letters, digits and + / = . _ -.",
            "Um ID de atribuição tem até 512 letras, dígitos e + / = . _ -.",
        ))
        .with_fix(ctx.lang.pick(
            "Copy it from the TeamViewer Management Console: Design & Deploy → Assignment.",
            "Copie-o do Management Console do TeamViewer: Design & Deploy → Assignment.",
        )));
    }
    ctx.store.set_setting(ASSIGNMENT_SETTING, id).await?;
    let hosts = ctx.store.distributions(AppKind::Host.as_str()).await?;
    ctx.store
        .append_audit(NewAuditEvent {
            actor: &ctx.actor,
            action: "admin.host_assignment",
            device_id: None,
            session_id: None,
            detail: serde_json::json!({"devices_with_host": hosts.len()}),
        })
        .await?;
    let written = write_assignment(ctx, &hosts).await;
    Ok(HostAssignment {
        assignment_id: id.to_owned(),
        written,
        pushed_by_mdm: ctx.mdm.capabilities().managed_app_config,
    })
}

/// Writes Host's assignment configuration to these devices (Host was just distributed to them).
/// Best effort: each device written is audited, a refusal is logged; answers how many.
pub(crate) async fn write_assignment(ctx: &AppContext, device_ids: &[String]) -> u32 {
    let Ok(Some(assignment_id)) = ctx.store.setting(ASSIGNMENT_SETTING).await else {
        return 0;
    };
    if !ctx.mdm.capabilities().managed_app_config {
        return 0;
    }
    let mut written = 0;
    for id in device_ids {
        let Ok(Some(device)) = ctx.store.device(id).await else {
            continue;
        };
        let config = assignment_config(&assignment_id, &device);
        match ctx
            .mdm
            .set_app_config(id, AppKind::Host, Some(&config))
            .await
        {
            Ok(()) => {
                written += 1;
                let detail = serde_json::json!({"app": AppKind::Host, "device_alias": config["device_alias"]});
                if let Err(e) = ctx
                    .store
                    .append_audit(event(ctx, "host.assignment_written", id, detail))
                    .await
                {
                    tracing::warn!(device = %id, error = %e, "the assignment write was not audited");
                }
            }
            Err(e) => {
                tracing::warn!(device = %id, error = %e, "the MDM refused Host's assignment configuration")
            }
        }
    }
    written
}
