//! Where each MDM connector's sync stands (`sync_watermarks`): the watermark an incremental
//! sync reads from, the last full sync, and the last run's outcome.
//!
//! The watermark only moves forward and only when a sync completes
//! ([`Store::complete_sync`]); a failed or cancelled run is recorded
//! ([`Store::record_sync_outcome`]) without touching it, so the next sync reads everything
//! since the last one that completed.

use chrono::{DateTime, Utc};
use sqlx::Row;

use crate::{parse_timestamp, timestamp, Result, Store};

/// One connector's sync state.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyncState {
    pub connector: String,
    /// Every change before this instant is in the store; `None` before the first completed sync.
    pub watermark: Option<DateTime<Utc>>,
    /// The start of the last completed full sync.
    pub last_full_at: Option<DateTime<Utc>>,
    /// When the last sync ended, whatever its outcome.
    pub last_run_at: Option<DateTime<Utc>>,
    /// `full` or `incremental`.
    pub last_mode: Option<String>,
    /// `ok`, `failed` or `cancelled`.
    pub last_outcome: Option<String>,
    /// The failure's message, for `failed`.
    pub last_error: Option<String>,
    /// Devices the last run read.
    pub last_devices: u32,
}

fn time(text: Option<String>) -> Result<Option<DateTime<Utc>>> {
    text.filter(|t| !t.is_empty())
        .map(|t| parse_timestamp(&t))
        .transpose()
}

impl Store {
    /// The sync state of `connector`; `None` before its first sync ended.
    pub async fn sync_state(&self, connector: &str) -> Result<Option<SyncState>> {
        let row = sqlx::query(
            "SELECT watermark, last_full_at, last_run_at, last_mode, last_outcome, last_error, \
             last_devices FROM sync_watermarks WHERE connector = $1",
        )
        .bind(connector)
        .fetch_optional(&self.pool)
        .await?;
        let Some(row) = row else {
            return Ok(None);
        };
        Ok(Some(SyncState {
            connector: connector.to_owned(),
            watermark: time(row.get(0))?,
            last_full_at: time(row.get(1))?,
            last_run_at: time(row.get(2))?,
            last_mode: row.get(3),
            last_outcome: row.get(4),
            last_error: row.get(5),
            last_devices: u32::try_from(row.get::<i64, _>(6)).unwrap_or(0),
        }))
    }

    /// A sync of `connector` that started at `started` completed at `ended`: the watermark
    /// moves to `started` (never back), and a `full` sync also sets `last_full_at`.
    pub async fn complete_sync(
        &self,
        connector: &str,
        full: bool,
        started: DateTime<Utc>,
        ended: DateTime<Utc>,
        devices: u32,
    ) -> Result<()> {
        let started = timestamp(started);
        let mode = if full { "full" } else { "incremental" };
        sqlx::query(
            "INSERT INTO sync_watermarks (connector, watermark, last_full_at, last_run_at, \
               last_mode, last_outcome, last_error, last_devices, updated_at) \
             VALUES ($1, $2, CASE WHEN $3 = 'full' THEN $2 ELSE NULL END, $4, $3, 'ok', NULL, $5, $4) \
             ON CONFLICT (connector) DO UPDATE SET \
               watermark = CASE WHEN sync_watermarks.watermark IS NULL \
                 OR sync_watermarks.watermark < excluded.watermark \
                 THEN excluded.watermark ELSE sync_watermarks.watermark END, \
               last_full_at = CASE WHEN excluded.last_mode = 'full' THEN excluded.watermark \
                 ELSE sync_watermarks.last_full_at END, \
               last_run_at = excluded.last_run_at, last_mode = excluded.last_mode, \
               last_outcome = 'ok', last_error = NULL, last_devices = excluded.last_devices, \
               updated_at = excluded.updated_at",
        )
        .bind(connector)
        .bind(&started)
        .bind(mode)
        .bind(timestamp(ended))
        .bind(i64::from(devices))
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// A sync of `connector` ended without completing (`failed` or `cancelled`): recorded for
    /// the window and `doctor`; the watermark and `last_full_at` stay.
    pub async fn record_sync_outcome(
        &self,
        connector: &str,
        full: bool,
        outcome: &str,
        error: Option<&str>,
        ended: DateTime<Utc>,
        devices: u32,
    ) -> Result<()> {
        let mode = if full { "full" } else { "incremental" };
        sqlx::query(
            "INSERT INTO sync_watermarks (connector, watermark, last_full_at, last_run_at, \
               last_mode, last_outcome, last_error, last_devices, updated_at) \
             VALUES ($1, NULL, NULL, $2, $3, $4, $5, $6, $2) \
             ON CONFLICT (connector) DO UPDATE SET \
               last_run_at = excluded.last_run_at, last_mode = excluded.last_mode, \
               last_outcome = excluded.last_outcome, last_error = excluded.last_error, \
               last_devices = excluded.last_devices, updated_at = excluded.updated_at",
        )
        .bind(connector)
        .bind(timestamp(ended))
        .bind(mode)
        .bind(outcome)
        .bind(error)
        .bind(i64::from(devices))
        .execute(&self.pool)
        .await?;
        Ok(())
    }
}
