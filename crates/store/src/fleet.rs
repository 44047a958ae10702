//! The embedded fleet seen as an MDM: the store's devices in id order (removed ones included,
//! flagged), and the per-device writes an MDM does (app distribution, managed app configuration).

use helpatwork_domain::Device;
use sqlx::Row;

use crate::device_read::{row_to_device, DEVICE_COLUMNS};
use crate::{timestamp, Result, Store};

/// The SQL for writing a device's app distribution and managed app configuration, shared by the
/// admin's distribution, the session flow and the embedded fleet's connector.
pub(crate) const DISTRIBUTE_SQL: &str =
    "INSERT INTO app_distributions (device_id, app, distributed_by, distributed_at) VALUES ($1, $2, $3, $4) \
     ON CONFLICT (device_id, app) DO NOTHING";
pub(crate) const UNDISTRIBUTE_SQL: &str =
    "DELETE FROM app_distributions WHERE device_id = $1 AND app = $2";
/// Writes the configuration of a managed device (no row for another): one statement, so a
/// session's delivery waits for one round trip to the store. (SQLite needs the `WHERE` for
/// `ON CONFLICT` to parse after a `SELECT`.)
pub(crate) const SET_APP_CONFIG_SQL: &str =
    "INSERT INTO device_app_configs (device_id, app, config, updated_at) \
     SELECT id, $2, $3, $4 FROM devices WHERE id = $1 AND removed_at IS NULL \
     ON CONFLICT (device_id, app) DO UPDATE SET config = excluded.config, updated_at = excluded.updated_at";
pub(crate) const CLEAR_APP_CONFIG_SQL: &str =
    "DELETE FROM device_app_configs WHERE device_id = $1 AND app = $2";

/// One page of the embedded fleet in id order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FleetPage {
    /// Managed devices on the page.
    pub devices: Vec<Device>,
    /// Ids on the page that were removed from the fleet.
    pub removed: Vec<String>,
    /// Devices in the fleet, removed ones included.
    pub total: u32,
}

impl Store {
    /// Up to `rows` devices from `offset` in id order, removed ones reported by id.
    pub async fn fleet_page(&self, offset: u32, rows: u32) -> Result<FleetPage> {
        let total: i64 = sqlx::query("SELECT COUNT(*) FROM devices")
            .fetch_one(&self.pool)
            .await?
            .get(0);
        let records = sqlx::query(&format!(
            "SELECT {DEVICE_COLUMNS}, CASE WHEN removed_at IS NULL THEN 0 ELSE 1 END AS removed \
             FROM devices ORDER BY id LIMIT $1 OFFSET $2"
        ))
        .bind(i64::from(rows))
        .bind(i64::from(offset))
        .fetch_all(&self.pool)
        .await?;
        let managed: Vec<String> = records
            .iter()
            .filter(|r| r.get::<i64, _>("removed") == 0)
            .map(|r| r.get("id"))
            .collect();
        let mut apps = self.apps_of(&managed).await?;
        let mut page = FleetPage {
            devices: Vec::with_capacity(managed.len()),
            removed: Vec::new(),
            total: u32::try_from(total.max(0)).unwrap_or(u32::MAX),
        };
        for r in &records {
            let id: String = r.get("id");
            if r.get::<i64, _>("removed") == 0 {
                let installed = apps.remove(&id).unwrap_or_default();
                page.devices.push(row_to_device(r, installed)?);
            } else {
                page.removed.push(id);
            }
        }
        Ok(page)
    }

    /// Whether a managed (not removed) device `id` is in the fleet.
    pub async fn is_managed(&self, id: &str) -> Result<bool> {
        let found = sqlx::query("SELECT 1 FROM devices WHERE id = $1 AND removed_at IS NULL")
            .bind(id)
            .fetch_optional(&self.pool)
            .await?;
        Ok(found.is_some())
    }

    /// Distributes (`on`) or un-distributes `app` to one device. Returns `false` when the
    /// device is not a managed device of the fleet (nothing changed).
    pub async fn distribute_to_device(
        &self,
        device_id: &str,
        app: &str,
        on: bool,
        actor: &str,
        at: chrono::DateTime<chrono::Utc>,
    ) -> Result<bool> {
        if !self.is_managed(device_id).await? {
            return Ok(false);
        }
        if on {
            sqlx::query(DISTRIBUTE_SQL)
                .bind(device_id)
                .bind(app)
                .bind(actor)
                .bind(timestamp(at))
                .execute(&self.pool)
                .await?;
        } else {
            sqlx::query(UNDISTRIBUTE_SQL)
                .bind(device_id)
                .bind(app)
                .execute(&self.pool)
                .await?;
        }
        Ok(true)
    }

    /// Writes (`Some`) or clears (`None`) the managed app configuration of `app` on one device.
    /// Returns `false` when the device is not a managed device of the fleet (nothing changed).
    pub async fn write_app_config(
        &self,
        device_id: &str,
        app: &str,
        config: Option<&serde_json::Value>,
        at: chrono::DateTime<chrono::Utc>,
    ) -> Result<bool> {
        let Some(config) = config else {
            if !self.is_managed(device_id).await? {
                return Ok(false);
            }
            sqlx::query(CLEAR_APP_CONFIG_SQL)
                .bind(device_id)
                .bind(app)
                .execute(&self.pool)
                .await?;
            return Ok(true);
        };
        let written = sqlx::query(SET_APP_CONFIG_SQL)
            .bind(device_id)
            .bind(app)
            .bind(config.to_string())
            .bind(timestamp(at))
            .execute(&self.pool)
            .await?;
        Ok(written.rows_affected() > 0)
    }
}
