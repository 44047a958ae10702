//! Who acts, as the audit trail records it, and the attempts it records that did not happen.
//!
//! The actor of an event is the OS account the command ran as (`actor`: what the filters use;
//! anyone can set `$USER`, so it alone proves nothing) together with the TeamViewer account the
//! agent is signed in with, verified by TeamViewer itself: `GET /account` with the token this
//! process holds, once per process (`actor_account_id`, `actor_account_name`). Without a
//! sign-in, or when TeamViewer cannot answer within [`VERIFY_TIMEOUT`], the event records the
//! OS account as unverified.
//!
//! A refused or blocked attempt (exit 3 blocked, 4 sign-in needed, 7 conflict) is audited too,
//! as `<action>.refused` with the code and the reason.

use std::time::Duration;

use helpatwork_store::{NewAuditEvent, VerifiedAccount};

use crate::context::AppContext;
use crate::error::{AppError, ErrorCode, Result};

/// How long an audit event waits for TeamViewer to confirm the account.
pub const VERIFY_TIMEOUT: Duration = Duration::from_secs(5);

/// Tells the store how to verify the agent's TeamViewer account (see the module doc).
pub fn verify_with_teamviewer(ctx: &AppContext) {
    let Some(client) = ctx.teamviewer.client.clone() else {
        return;
    };
    ctx.store.verify_account_with(async move {
        if !matches!(client.auth_kind().await, Ok(Some(_))) {
            return None;
        }
        match tokio::time::timeout(VERIFY_TIMEOUT, client.account()).await {
            Ok(Ok(account)) => Some(VerifiedAccount {
                userid: account.userid,
                name: account.name,
            }),
            Ok(Err(e)) => {
                tracing::info!(error = %e.code(), "the TeamViewer account could not be verified; the audit records the OS account as unverified");
                None
            }
            Err(_) => {
                tracing::info!("TeamViewer did not confirm the account in time; the audit records the OS account as unverified");
                None
            }
        }
    });
}

/// After a sign-in or sign-out: the account is verified again for the next events.
pub fn reverify(ctx: &AppContext) {
    verify_with_teamviewer(ctx);
}

/// Records `result` when it is a refusal (blocked, sign-in needed, conflict) as
/// `<action>.refused`, then hands it back unchanged. A failure to record is logged, never
/// put in place of the refusal.
pub async fn audit_refusal<T>(
    ctx: &AppContext,
    action: &str,
    device_id: Option<&str>,
    result: Result<T>,
) -> Result<T> {
    if let Err(e) = &result {
        if matches!(
            e.code,
            ErrorCode::Blocked | ErrorCode::SignInNeeded | ErrorCode::Conflict
        ) {
            record(ctx, action, device_id, e).await;
        }
    }
    result
}

async fn record(ctx: &AppContext, action: &str, device_id: Option<&str>, e: &AppError) {
    let rules: Vec<&str> = e
        .checks()
        .iter()
        .filter(|c| c.status == helpatwork_domain::CheckStatus::Block)
        .map(|c| c.rule.as_str())
        .collect();
    let action = format!("{action}.refused");
    let mut detail = serde_json::json!({
        "code": e.code,
        "exit": e.code.exit_code(),
        "message": e.message,
    });
    if !rules.is_empty() {
        detail["blocked_by"] = serde_json::json!(rules);
    }
    let event = NewAuditEvent {
        actor: &ctx.actor,
        action: &action,
        device_id,
        session_id: None,
        detail,
    };
    if let Err(err) = ctx.store.append_audit(event).await {
        tracing::warn!(error = %err, "the refused attempt could not be audited");
    }
}
