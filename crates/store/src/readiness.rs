//! Keeping the stored readiness true to the rules that compute it.
//!
//! Each device's readiness is computed on write (`eligibility::readiness`) and stored, so the
//! list can filter and count by it through an index. When the rules change, rows written before
//! hold the old answer: readiness once depended on whether the device was online, which changes
//! with time alone. The store records the rules' version its readiness was computed under
//! (`readiness_rules`); a start under newer rules checks every row against them and rewrites the
//! ones that differ, then records the version. A start under the same rules reads one row: the
//! check reads the whole fleet (seconds at a million devices, before the window can open), so
//! it no longer runs after every migration, only when the rules moved or a migration asks for
//! it (by setting the version back to 0).

use helpatwork_domain::eligibility;
use sqlx::Row;

use crate::device_read::{row_to_device, DEVICE_COLUMNS};
use crate::{Result, Store};

/// Devices read per round.
const PAGE: i64 = 1_000;

impl Store {
    /// Brings the stored readiness up to the current rules when it was computed under older
    /// ones (`eligibility::READINESS_RULES`), and records their version. Under the same rules,
    /// or newer ones (another process of a team runs a newer version), it changes nothing.
    /// Returns how many devices changed.
    pub async fn keep_readiness_current(&self) -> Result<u32> {
        let stored: i64 = sqlx::query_scalar("SELECT version FROM readiness_rules WHERE id = 1")
            .fetch_one(&self.pool)
            .await?;
        if stored >= eligibility::READINESS_RULES {
            return Ok(0);
        }
        let changed = self.refresh_readiness().await?;
        // Recorded last: a start stopped half-way checks every row again next time.
        sqlx::query("UPDATE readiness_rules SET version = $1 WHERE id = 1 AND version < $1")
            .bind(eligibility::READINESS_RULES)
            .execute(&self.pool)
            .await?;
        Ok(changed)
    }

    /// Rewrites the readiness of every device whose stored value the current rules no longer
    /// give. Returns how many changed.
    pub async fn refresh_readiness(&self) -> Result<u32> {
        let started = std::time::Instant::now();
        let mut after = String::new();
        let mut changed = 0u32;
        loop {
            let rows = sqlx::query(&format!(
                "SELECT {DEVICE_COLUMNS}, readiness FROM devices WHERE id > $1 ORDER BY id LIMIT $2"
            ))
            .bind(after.as_str())
            .bind(PAGE)
            .fetch_all(&self.pool)
            .await?;
            let Some(last) = rows.last() else { break };
            after = last.get("id");
            let ids: Vec<String> = rows.iter().map(|r| r.get("id")).collect();
            let mut apps = self.apps_of(&ids).await?;
            let mut stale = Vec::new();
            for r in &rows {
                let id: String = r.get("id");
                let device = row_to_device(r, apps.remove(&id).unwrap_or_default())?;
                let now = eligibility::readiness(&device);
                if r.get::<String, _>("readiness") != now.as_str() {
                    stale.push((id, now));
                }
            }
            if !stale.is_empty() {
                let mut tx = self.pool.begin().await?;
                for (id, readiness) in &stale {
                    sqlx::query("UPDATE devices SET readiness = $1 WHERE id = $2")
                        .bind(readiness.as_str())
                        .bind(id.as_str())
                        .execute(&mut *tx)
                        .await?;
                }
                crate::live::bump(&mut tx).await?;
                tx.commit().await?;
                changed += stale.len() as u32;
            }
            if (rows.len() as i64) < PAGE {
                break;
            }
        }
        if changed > 0 {
            tracing::info!(
                changed,
                ms = started.elapsed().as_millis() as u64,
                "stored readiness brought up to the current rules"
            );
        }
        Ok(changed)
    }
}
