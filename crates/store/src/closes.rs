//! TeamViewer service cases still to close: every local end of a session (lost, expired, failed
//! after create, activation removed, device retired, deprovisioned) queues the close of its case
//! in the transaction that ends it (`SessionPatch::close_at_teamviewer`); the app closes it at
//! TeamViewer and reports the outcome here. A row leaves only when TeamViewer confirmed.

use serde::Serialize;
use sqlx::Row;

use crate::{parse_timestamp, timestamp, Result, Store};

/// A close still owed to TeamViewer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PendingClose {
    pub code: String,
    pub session_id: String,
    pub device_id: String,
    /// The session's end that asked for it: `lost`, `expired`, `failed`, `deactivated`, …
    pub reason: String,
    /// Tries so far (0: not tried yet).
    pub attempts: u32,
    pub last_error: Option<String>,
    pub queued_at: chrono::DateTime<chrono::Utc>,
    pub last_attempt_at: Option<chrono::DateTime<chrono::Utc>>,
}

impl Store {
    /// Notes that these sessions were just read back from TeamViewer (no audit event: nothing
    /// changed).
    pub async fn touch_reconciled(
        &self,
        ids: &[String],
        at: chrono::DateTime<chrono::Utc>,
    ) -> Result<()> {
        for id in ids {
            sqlx::query("UPDATE sessions SET reconciled_at = $1 WHERE id = $2")
                .bind(timestamp(at))
                .bind(id.as_str())
                .execute(&self.pool)
                .await?;
        }
        Ok(())
    }

    /// Every close still owed, oldest first.
    pub async fn pending_closes(&self) -> Result<Vec<PendingClose>> {
        let rows = sqlx::query(
            "SELECT code, session_id, device_id, reason, attempts, last_error, queued_at, last_attempt_at \
             FROM teamviewer_closes ORDER BY queued_at, code",
        )
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(PendingClose {
                    code: r.get("code"),
                    session_id: r.get("session_id"),
                    device_id: r.get("device_id"),
                    reason: r.get("reason"),
                    attempts: u32::try_from(r.get::<i64, _>("attempts")).unwrap_or(u32::MAX),
                    last_error: r.get("last_error"),
                    queued_at: parse_timestamp(&r.get::<String, _>("queued_at"))?,
                    last_attempt_at: r
                        .get::<Option<String>, _>("last_attempt_at")
                        .map(|t| parse_timestamp(&t))
                        .transpose()?,
                })
            })
            .collect()
    }

    /// TeamViewer confirmed the close (or knows no such case): the row leaves. `true` when this
    /// call removed it (of two processes confirming the same close, one does).
    pub async fn close_confirmed(&self, code: &str) -> Result<bool> {
        let done = sqlx::query("DELETE FROM teamviewer_closes WHERE code = $1")
            .bind(code)
            .execute(&self.pool)
            .await?;
        Ok(done.rows_affected() > 0)
    }

    /// A try failed: counted, with its error, for the next reconciliation and `doctor`.
    /// Returns the attempts so far.
    pub async fn close_failed(
        &self,
        code: &str,
        error: &str,
        at: chrono::DateTime<chrono::Utc>,
    ) -> Result<u32> {
        let row = sqlx::query(
            "UPDATE teamviewer_closes SET attempts = attempts + 1, last_error = $1, last_attempt_at = $2 \
             WHERE code = $3 RETURNING attempts",
        )
        .bind(error)
        .bind(timestamp(at))
        .bind(code)
        .fetch_optional(&self.pool)
        .await?;
        Ok(row
            .map(|r| u32::try_from(r.get::<i64, _>(0)).unwrap_or(u32::MAX))
            .unwrap_or(0))
    }
}
