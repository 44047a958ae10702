//! The last computed readiness board, one row per mode: the window paints it at once (a read of
//! two rows, whatever the fleet's size) and computes a fresh one behind it. Each computation
//! replaces the rows; the words are put back in the reader's language from the counts.

use std::collections::BTreeMap;

use sqlx::Row;

use crate::{Result, Store, StoreError};

/// One mode's counts as last computed, with the offline days they were judged with and when.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredBoard {
    pub mode: String,
    pub offline_days: u32,
    pub total: u32,
    pub helpable_now: u32,
    /// Devices per blocker (`helpatwork_domain::readiness::Blocker::as_str`).
    pub groups: BTreeMap<String, u32>,
    pub computed_at: chrono::DateTime<chrono::Utc>,
}

fn count(n: i64) -> u32 {
    u32::try_from(n.max(0)).unwrap_or(u32::MAX)
}

impl Store {
    /// Replaces the stored board's modes with `boards`, in one transaction (a reader sees the
    /// old board or the new one, never half of each).
    pub async fn save_readiness_board(&self, boards: &[StoredBoard]) -> Result<()> {
        let mut tx = self.pool.begin().await?;
        for board in boards {
            let groups = serde_json::to_string(&board.groups)
                .map_err(|e| StoreError::Corrupt(e.to_string()))?;
            sqlx::query(
                "INSERT INTO readiness_board (mode, offline_days, total, helpable_now, groups, computed_at) \
                 VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (mode) DO UPDATE SET \
                 offline_days = excluded.offline_days, total = excluded.total, \
                 helpable_now = excluded.helpable_now, groups = excluded.groups, \
                 computed_at = excluded.computed_at",
            )
            .bind(board.mode.as_str())
            .bind(i64::from(board.offline_days))
            .bind(i64::from(board.total))
            .bind(i64::from(board.helpable_now))
            .bind(groups)
            .bind(crate::timestamp(board.computed_at))
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// The stored board's modes, by mode name; empty until a board has been computed.
    pub async fn readiness_board(&self) -> Result<Vec<StoredBoard>> {
        let rows = sqlx::query(
            "SELECT mode, offline_days, total, helpable_now, groups, computed_at \
             FROM readiness_board ORDER BY mode",
        )
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                let groups: String = r.get("groups");
                let computed_at: String = r.get("computed_at");
                Ok(StoredBoard {
                    mode: r.get("mode"),
                    offline_days: count(r.get("offline_days")),
                    total: count(r.get("total")),
                    helpable_now: count(r.get("helpable_now")),
                    groups: serde_json::from_str(&groups)
                        .map_err(|e| StoreError::Corrupt(format!("readiness board: {e}")))?,
                    computed_at: crate::parse_timestamp(&computed_at)?,
                })
            })
            .collect()
    }
}
