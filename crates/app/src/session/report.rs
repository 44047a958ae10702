//! `devices report`: what the embedded fleet's device says happened (S6, S9), and the session
//! that follows.

use helpatwork_domain::session::{self as rules, DeviceEvent};
use helpatwork_domain::{AppKind, SessionState, Version};
use helpatwork_store::{NewAuditEvent, SessionPatch};
use serde::Serialize;
use ts_rs::TS;

use super::{audit, expire_due, Session};
use crate::context::AppContext;
use crate::error::device_not_found;
use crate::error::{AppError, Result};
use crate::session::lifecycle::{end, Ending};

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
        .ok_or_else(|| device_not_found(ctx.lang, device_id))?;
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
        let state = open.state;
        let next = lifecycle_event
            .as_ref()
            .and_then(|e| rules::on_device_event(state, e));
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
                crate::session::lifecycle::flush_closes(ctx).await;
                ended
            }
            Some(next) => {
                ctx.store
                    .advance_session(
                        &open.id,
                        now,
                        &SessionPatch {
                            state: Some(next),
                            ..Default::default()
                        },
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
        session = Some(Session::from(record));
    }
    // A check-in (any report of the device's side is one) starts the armed session waiting for
    // it: that session is then the device's open session.
    if lifecycle_event.is_some() {
        for fired in crate::session::armed::fire_after_checkins(ctx).await {
            if fired.armed.device_id == device.id && fired.session.is_some() {
                session = fired.session;
            }
        }
    }
    Ok(ReportOutcome {
        device_id: device.id,
        event: name.into(),
        session,
    })
}
