//! Step 5 of a start (S4): the session delivered to the device app through the MDM's managed
//! app configuration, or the end-customer link for the agent to send.

use helpatwork_domain::{AppKind, Device, Mode, SessionDelivery, SessionState};
use helpatwork_store::SessionPatch;

use super::audit;
use super::start::{fail, step_error, Created};
use crate::context::AppContext;
use crate::error::{AppError, Result};

/// Step 5 (S4): the session code reaches the device app through its managed app configuration,
/// pushed by the MDM connector where it can; where it cannot, the agent gives the device user
/// the end-customer link instead (never pretending delivery happened). On a failure the session
/// is failed at "deliver" with the MDM's own error, and nothing of it stays on the device.
///
/// `then` (the hand-off) runs once the MDM took the configuration, at the same time as the
/// delivery is recorded: the record is the store's only part, and the agent's desktop client
/// need not wait for it. It does not run when the MDM refused.
pub(super) async fn deliver<T>(
    ctx: &AppContext,
    device: &Device,
    id: &str,
    mode: Mode,
    created: &Created,
    then: impl std::future::Future<Output = T>,
) -> Result<T> {
    let Created {
        code, end_customer, ..
    } = created;
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
    // The MDM refused: its own error (service failed, with its fix) is what the agent sees.
    let pushed = match pushed {
        Ok(pushed) => pushed,
        Err(err) => return Err(undelivered(ctx, device, id, app, false, err).await),
    };
    let record = async {
        match pushed {
            true => {
                ctx.store
                    .advance_session(
                        id,
                        ctx.clock.now(),
                        &SessionPatch {
                            state: Some(SessionState::Delivered),
                            delivery: Some(SessionDelivery::ManagedAppConfig),
                            ..Default::default()
                        },
                        audit(
                            ctx,
                            "session.delivered",
                            &device.id,
                            id,
                            serde_json::json!({"app": app, "code": code}),
                        ),
                    )
                    .await
            }
            false => {
                let connector = ctx.mdm.name();
                ctx.store
                .advance_session(
                    id,
                    ctx.clock.now(),
                    &SessionPatch { delivery: Some(SessionDelivery::EndCustomerLink), ..Default::default() },
                    audit(
                        ctx,
                        "session.delivery_link",
                        &device.id,
                        id,
                        serde_json::json!({"connector": connector, "end_customer_link": end_customer, "reason": "the connector cannot push a managed app configuration"}),
                    ),
                )
                .await
            }
        }
    };
    let (recorded, then) = tokio::join!(record, then);
    match recorded {
        Ok(_) => Ok(then),
        Err(err) => Err(undelivered(ctx, device, id, app, pushed, err.into()).await),
    }
}

/// A delivery that failed (`err`): the session failed at "deliver", nothing of it left on the
/// device (`pushed`: the MDM holds its configuration) nor open at TeamViewer.
async fn undelivered(
    ctx: &AppContext,
    device: &Device,
    id: &str,
    app: AppKind,
    pushed: bool,
    err: AppError,
) -> AppError {
    if pushed {
        if let Err(e) = ctx.mdm.set_app_config(&device.id, app, None).await {
            tracing::warn!(device = %device.id, error = %e, "the MDM kept the configuration of a failed session");
        }
    }
    // The failed session's TeamViewer case is closed (queued with the failure, so a close that
    // fails now is tried again by the reconciliation).
    if let Err(e) = fail(ctx, id, &device.id, "deliver", &err).await {
        return e;
    }
    crate::session::lifecycle::flush_closes(ctx).await;
    step_error(ctx.lang, "deliver", err)
}
