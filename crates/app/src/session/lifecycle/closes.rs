//! Closing the TeamViewer cases that local ends owe (`teamviewer_closes`).

use helpatwork_teamviewer::{ErrorCode as TvErrorCode, SessionCode, TeamViewerClient};

use super::reconcile::signed_in;
use super::{CloseOutcome, PendingCloseInfo, Trigger};
use crate::context::AppContext;
use crate::error::Result;
use crate::session::audit;

/// The pause before an owed close is tried again on its own: 30 s, doubling, at most 15 min.
fn retry_pause(attempts: u32) -> chrono::Duration {
    let seconds = 30i64.saturating_mul(1 << attempts.saturating_sub(1).min(5));
    chrono::Duration::seconds(seconds.min(15 * 60))
}

/// Tries the closes owed to TeamViewer now (after a local end), when signed in. Never fails: an
/// owed close that fails stays owed.
pub async fn flush_closes(ctx: &AppContext) -> Vec<CloseOutcome> {
    let Ok(client) = signed_in(ctx).await else {
        return Vec::new();
    };
    match close_owed(ctx, client, Trigger::Automatic).await {
        Ok(outcomes) => outcomes,
        Err(e) => {
            tracing::warn!(error = %e.message, "the closes owed to TeamViewer could not be read");
            Vec::new()
        }
    }
}

pub(super) async fn close_owed(
    ctx: &AppContext,
    client: &TeamViewerClient,
    trigger: Trigger,
) -> Result<Vec<CloseOutcome>> {
    let now = ctx.clock.now();
    let mut outcomes = Vec::new();
    for owed in ctx.store.pending_closes().await? {
        let due = trigger == Trigger::Agent
            || owed.attempts == 0
            || owed
                .last_attempt_at
                .is_none_or(|at| now - at >= retry_pause(owed.attempts));
        if !due {
            continue;
        }
        let outcome = match SessionCode::parse(&owed.code) {
            Err(_) => Err("the code is not a TeamViewer session code".to_string()),
            Ok(code) => match client.close_session(&code).await {
                Ok(()) => Ok(false),
                // TeamViewer knows no such case any more: nothing is left open there.
                Err(e) if e.code() == TvErrorCode::NotFound => Ok(true),
                Err(e) => Err(e.to_string()),
            },
        };
        let attempts = owed.attempts + 1;
        let (closed, error) = match outcome {
            Ok(gone) => {
                if ctx.store.close_confirmed(&owed.code).await? {
                    ctx.store
                        .append_audit(audit(
                            ctx,
                            "session.teamviewer_closed",
                            &owed.device_id,
                            &owed.session_id,
                            serde_json::json!({"code": owed.code, "reason": owed.reason, "attempts": attempts, "already_gone": gone}),
                        ))
                        .await?;
                }
                (true, None)
            }
            Err(error) => {
                ctx.store.close_failed(&owed.code, &error, now).await?;
                ctx.store
                    .append_audit(audit(
                        ctx,
                        "session.teamviewer_close_failed",
                        &owed.device_id,
                        &owed.session_id,
                        serde_json::json!({"code": owed.code, "reason": owed.reason, "attempts": attempts, "error": error}),
                    ))
                    .await?;
                (false, Some(error))
            }
        };
        outcomes.push(CloseOutcome {
            code: owed.code,
            session_id: owed.session_id,
            device_id: owed.device_id,
            reason: owed.reason,
            closed,
            attempts,
            error,
        });
    }
    Ok(outcomes)
}

/// Every close still owed to TeamViewer (doctor, the window).
pub async fn pending_closes(ctx: &AppContext) -> Result<Vec<PendingCloseInfo>> {
    Ok(ctx
        .store
        .pending_closes()
        .await?
        .into_iter()
        .map(Into::into)
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn owed_closes_wait_longer_after_each_failure_but_never_past_15_minutes() {
        assert_eq!(retry_pause(1), chrono::Duration::seconds(30));
        assert_eq!(retry_pause(2), chrono::Duration::seconds(60));
        assert_eq!(retry_pause(3), chrono::Duration::seconds(120));
        assert_eq!(retry_pause(40), chrono::Duration::minutes(15));
    }
}
