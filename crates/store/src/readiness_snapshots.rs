//! The readiness board's daily counts: written at most once a day per mode (the first board of
//! the day wins; a later one that day changes nothing), read back as a series for its chart.

use std::collections::BTreeMap;

use sqlx::Row;

use crate::{Result, Store, StoreError};

/// One mode's board counts on one day.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReadinessSnapshot {
    /// `YYYY-MM-DD`, UTC.
    pub day: String,
    pub mode: String,
    pub total: u32,
    pub helpable_now: u32,
    /// Devices per blocker (`helpatwork_domain::readiness::Blocker::as_str`).
    pub groups: BTreeMap<String, u32>,
}

fn count(n: i64) -> u32 {
    u32::try_from(n.max(0)).unwrap_or(u32::MAX)
}

impl Store {
    /// Keeps the day's counts for the mode unless that day already has them. Returns whether
    /// this call wrote them.
    pub async fn record_readiness_snapshot(
        &self,
        snapshot: &ReadinessSnapshot,
        taken_at: chrono::DateTime<chrono::Utc>,
    ) -> Result<bool> {
        let groups = serde_json::to_string(&snapshot.groups)
            .map_err(|e| StoreError::Corrupt(e.to_string()))?;
        let done = sqlx::query(
            "INSERT INTO readiness_snapshots (day, mode, total, helpable_now, groups, taken_at) \
             VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (day, mode) DO NOTHING",
        )
        .bind(snapshot.day.as_str())
        .bind(snapshot.mode.as_str())
        .bind(i64::from(snapshot.total))
        .bind(i64::from(snapshot.helpable_now))
        .bind(groups)
        .bind(crate::timestamp(taken_at))
        .execute(&self.pool)
        .await?;
        Ok(done.rows_affected() == 1)
    }

    /// The mode's snapshots from `since_day` (inclusive) on, oldest first.
    pub async fn readiness_series(
        &self,
        mode: &str,
        since_day: &str,
    ) -> Result<Vec<ReadinessSnapshot>> {
        let rows = sqlx::query(
            "SELECT day, mode, total, helpable_now, groups FROM readiness_snapshots \
             WHERE mode = $1 AND day >= $2 ORDER BY day",
        )
        .bind(mode)
        .bind(since_day)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                let groups: String = r.get("groups");
                Ok(ReadinessSnapshot {
                    day: r.get("day"),
                    mode: r.get("mode"),
                    total: count(r.get("total")),
                    helpable_now: count(r.get("helpable_now")),
                    groups: serde_json::from_str(&groups)
                        .map_err(|e| StoreError::Corrupt(format!("readiness snapshot: {e}")))?,
                })
            })
            .collect()
    }
}

impl Store {
    /// Up to `rows` managed devices after the id `after` (`""`: from the first), in id order:
    /// the board reads the whole fleet this way, each page's apps in one more query.
    pub async fn devices_after(
        &self,
        after: &str,
        rows: u32,
    ) -> Result<Vec<helpatwork_domain::Device>> {
        let records = sqlx::query(&format!(
            "SELECT {} FROM devices WHERE removed_at IS NULL AND id > $1 ORDER BY id LIMIT $2",
            crate::device_read::DEVICE_COLUMNS
        ))
        .bind(after)
        .bind(i64::from(rows))
        .fetch_all(&self.pool)
        .await?;
        let mut apps = match records.last() {
            Some(last) => {
                self.apps_in_range(after, &last.get::<String, _>("id"))
                    .await?
            }
            None => Default::default(),
        };
        records
            .iter()
            .map(|r| {
                let id: String = r.get("id");
                crate::device_read::row_to_device(r, apps.remove(&id).unwrap_or_default())
            })
            .collect()
    }
}
