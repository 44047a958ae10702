//! The tenant's licence facts, the TeamViewer integration per mode and app distributions.

use sqlx::Row;

use crate::audit::{self, NewAuditEvent};
use crate::{parse_timestamp, timestamp, Result, Store};

const TENANT: &str = "default";

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tenant {
    pub tier: Option<String>,
    pub unattended_licences: u32,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Integration {
    pub mode: String,
    pub active: bool,
    pub account_id: Option<String>,
    pub account_name: Option<String>,
    pub eula_version: Option<String>,
    pub eula_sha256: Option<String>,
    pub agreed_by: Option<String>,
    pub agreed_at: Option<chrono::DateTime<chrono::Utc>>,
}

impl Store {
    pub async fn tenant(&self) -> Result<Tenant> {
        let row = sqlx::query("SELECT tier, unattended_licences FROM tenant WHERE id = $1")
            .bind(TENANT)
            .fetch_optional(&self.pool)
            .await?;
        Ok(match row {
            Some(r) => Tenant {
                tier: Some(r.get(0)),
                unattended_licences: r.get::<i64, _>(1).max(0) as u32,
            },
            None => Tenant {
                tier: None,
                unattended_licences: 0,
            },
        })
    }

    /// Sets the tier and/or the purchased unattended licences, with the audit event, in one transaction.
    pub async fn update_tenant(
        &self,
        tier: Option<&str>,
        licences: Option<u32>,
        at: chrono::DateTime<chrono::Utc>,
        event: NewAuditEvent<'_>,
    ) -> Result<Tenant> {
        let account = self.audit_account().await;
        let mut tx = self.begin_write().await?;
        let current = sqlx::query("SELECT tier, unattended_licences FROM tenant WHERE id = $1")
            .bind(TENANT)
            .fetch_optional(&mut *tx)
            .await?;
        let (old_tier, old_licences): (Option<String>, i64) = match &current {
            Some(r) => (Some(r.get(0)), r.get(1)),
            None => (None, 0),
        };
        let new_tier = tier
            .map(str::to_string)
            .or(old_tier)
            .unwrap_or_else(|| "silver".into());
        let new_licences = licences.map(i64::from).unwrap_or(old_licences);
        sqlx::query(
            "INSERT INTO tenant (id, name, tier, unattended_licences, updated_at) VALUES ($1, $2, $3, $4, $5) \
             ON CONFLICT (id) DO UPDATE SET tier = excluded.tier, unattended_licences = excluded.unattended_licences, updated_at = excluded.updated_at",
        )
        .bind(TENANT)
        .bind("Help@Work tenant")
        .bind(new_tier.as_str())
        .bind(new_licences)
        .bind(timestamp(at))
        .execute(&mut *tx)
        .await?;
        crate::admin_facts::bump(&mut tx).await?;
        audit::insert(&mut tx, &audit::new_id(), at, &event, account.as_ref()).await?;
        tx.commit().await?;
        Ok(Tenant {
            tier: Some(new_tier),
            unattended_licences: new_licences.max(0) as u32,
        })
    }

    pub async fn integrations(&self) -> Result<Vec<Integration>> {
        let rows = sqlx::query(
            "SELECT mode, active, account_id, account_name, eula_version, eula_sha256, agreed_by, agreed_at FROM integration ORDER BY mode",
        )
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(Integration {
                    mode: r.get(0),
                    active: r.get::<i64, _>(1) != 0,
                    account_id: r.get(2),
                    account_name: r.get(3),
                    eula_version: r.get(4),
                    eula_sha256: r.get(5),
                    agreed_by: r.get(6),
                    agreed_at: r
                        .get::<Option<String>, _>(7)
                        .map(|t| parse_timestamp(&t))
                        .transpose()?,
                })
            })
            .collect()
    }

    /// Writes one mode's integration row with its audit event.
    pub async fn set_integration(
        &self,
        i: &Integration,
        at: chrono::DateTime<chrono::Utc>,
        event: NewAuditEvent<'_>,
    ) -> Result<()> {
        let account = self.audit_account().await;
        let mut tx = self.begin_write().await?;
        sqlx::query(
            "INSERT INTO integration (mode, active, account_id, account_name, eula_version, eula_sha256, agreed_by, agreed_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT (mode) DO UPDATE SET active = excluded.active, \
             account_id = excluded.account_id, account_name = excluded.account_name, eula_version = excluded.eula_version, \
             eula_sha256 = excluded.eula_sha256, agreed_by = excluded.agreed_by, agreed_at = excluded.agreed_at, \
             updated_at = excluded.updated_at",
        )
        .bind(i.mode.as_str())
        .bind(i64::from(i.active))
        .bind(i.account_id.as_deref())
        .bind(i.account_name.as_deref())
        .bind(i.eula_version.as_deref())
        .bind(i.eula_sha256.as_deref())
        .bind(i.agreed_by.as_deref())
        .bind(i.agreed_at.map(timestamp))
        .bind(timestamp(at))
        .execute(&mut *tx)
        .await?;
        crate::admin_facts::bump(&mut tx).await?;
        audit::insert(&mut tx, &audit::new_id(), at, &event, account.as_ref()).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Devices an app is distributed to.
    pub async fn distributions(&self, app: &str) -> Result<Vec<String>> {
        let rows = sqlx::query(
            "SELECT device_id FROM app_distributions WHERE app = $1 ORDER BY device_id",
        )
        .bind(app)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows.iter().map(|r| r.get(0)).collect())
    }

    pub async fn is_distributed(&self, device_id: &str, app: &str) -> Result<bool> {
        let row = sqlx::query("SELECT 1 FROM app_distributions WHERE device_id = $1 AND app = $2")
            .bind(device_id)
            .bind(app)
            .fetch_optional(&self.pool)
            .await?;
        Ok(row.is_some())
    }

    /// Distributes (or undistributes) an app to devices, all in one transaction with one audit
    /// event; `limit` refuses (returning `Err(count after)`) when the distribution would exceed it.
    pub async fn set_distribution(
        &self,
        app: &str,
        devices: &[String],
        distribute: bool,
        limit: Option<u32>,
        at: chrono::DateTime<chrono::Utc>,
        event: NewAuditEvent<'_>,
    ) -> Result<Result<u32, u32>> {
        let account = self.audit_account().await;
        let mut tx = self.begin_write().await?;
        for chunk in devices.chunks(400) {
            for d in chunk {
                if distribute {
                    sqlx::query(crate::fleet::DISTRIBUTE_SQL)
                        .bind(d.as_str())
                        .bind(app)
                        .bind(event.actor)
                        .bind(timestamp(at))
                        .execute(&mut *tx)
                        .await?;
                } else {
                    sqlx::query(crate::fleet::UNDISTRIBUTE_SQL)
                        .bind(d.as_str())
                        .bind(app)
                        .execute(&mut *tx)
                        .await?;
                }
            }
        }
        let count: i64 = sqlx::query("SELECT COUNT(*) FROM app_distributions WHERE app = $1")
            .bind(app)
            .fetch_one(&mut *tx)
            .await?
            .get(0);
        let count = count.max(0) as u32;
        if let Some(limit) = limit {
            if count > limit {
                tx.rollback().await?;
                return Ok(Err(count));
            }
        }
        // The audit event records the count after the change beside the caller's "before".
        let mut detail = event.detail.clone();
        if let Some(map) = detail.as_object_mut() {
            map.insert("after".into(), serde_json::json!(count));
        }
        audit::insert(
            &mut tx,
            &audit::new_id(),
            at,
            &NewAuditEvent { detail, ..event },
            account.as_ref(),
        )
        .await?;
        tx.commit().await?;
        Ok(Ok(count))
    }

    /// Devices that report an app installed.
    pub async fn devices_with_app(&self, app: &str) -> Result<Vec<String>> {
        let rows = sqlx::query(
            "SELECT a.device_id FROM device_apps a JOIN devices d ON d.id = a.device_id \
             WHERE a.app = $1 AND d.removed_at IS NULL ORDER BY a.device_id",
        )
        .bind(app)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows.iter().map(|r| r.get(0)).collect())
    }

    /// U4: kiosk devices where Host or an add-on is installed but not allowed in the kiosk.
    pub async fn kiosk_devices_missing_allowlist(&self) -> Result<Vec<String>> {
        let rows = sqlx::query(
            "SELECT DISTINCT d.id FROM devices d JOIN device_apps a ON a.device_id = d.id \
             WHERE d.removed_at IS NULL AND d.kiosk = 1 AND a.allowlisted = 0 \
             AND a.app IN ('host', 'addon-universal', 'addon-oem') ORDER BY d.id",
        )
        .fetch_all(&self.pool)
        .await?;
        Ok(rows.iter().map(|r| r.get(0)).collect())
    }

    /// Device ids of one platform that Help@Work supports (L2), for `--all` distributions.
    pub async fn supported_device_ids(&self, platform: &str) -> Result<Vec<String>> {
        let rows = sqlx::query(
            "SELECT id FROM devices WHERE removed_at IS NULL AND platform = $1 AND readiness <> 'unsupported' ORDER BY id",
        )
        .bind(platform)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows.iter().map(|r| r.get(0)).collect())
    }
}
