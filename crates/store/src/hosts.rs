//! Unattended: the TeamViewer device (an assigned TeamViewer Host) each MDM device is matched
//! to, and its state as TeamViewer last reported it.

use serde::Serialize;
use sqlx::any::AnyRow;
use sqlx::Row;

use crate::audit::{self, NewAuditEvent};
use crate::{parse_timestamp, timestamp, Result, Store};

/// How an MDM device was matched to its TeamViewer device.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct HostLinkRecord {
    pub device_id: String,
    /// `r<TeamViewer ID>`.
    pub remotecontrol_id: String,
    /// `d…`, TeamViewer's contact-list entry.
    pub teamviewer_device_id: String,
    pub alias: String,
    /// `alias` (the alias Help@Work wrote into Host's assignment configuration) or
    /// `confirmed` (an admin confirmed the match).
    pub matched_by: String,
    pub confirmed_by: Option<String>,
    pub matched_at: chrono::DateTime<chrono::Utc>,
    pub assigned: bool,
    pub online_state: String,
    pub last_seen: Option<chrono::DateTime<chrono::Utc>>,
    pub remote_control: bool,
    pub checked_at: chrono::DateTime<chrono::Utc>,
}

const COLUMNS: &str = "device_id, remotecontrol_id, teamviewer_device_id, alias, matched_by, \
                       confirmed_by, matched_at, assigned, online_state, last_seen, remote_control, checked_at";

fn link(r: &AnyRow) -> Result<HostLinkRecord> {
    Ok(HostLinkRecord {
        device_id: r.get("device_id"),
        remotecontrol_id: r.get("remotecontrol_id"),
        teamviewer_device_id: r.get("teamviewer_device_id"),
        alias: r.get("alias"),
        matched_by: r.get("matched_by"),
        confirmed_by: r.get("confirmed_by"),
        matched_at: parse_timestamp(&r.get::<String, _>("matched_at"))?,
        assigned: r.get::<i64, _>("assigned") != 0,
        online_state: r.get("online_state"),
        last_seen: r
            .get::<Option<String>, _>("last_seen")
            .map(|t| parse_timestamp(&t))
            .transpose()?,
        remote_control: r.get::<i64, _>("remote_control") != 0,
        checked_at: parse_timestamp(&r.get::<String, _>("checked_at"))?,
    })
}

impl Store {
    pub async fn host_link(&self, device_id: &str) -> Result<Option<HostLinkRecord>> {
        sqlx::query(&format!(
            "SELECT {COLUMNS} FROM host_devices WHERE device_id = $1"
        ))
        .bind(device_id)
        .fetch_optional(&self.pool)
        .await?
        .map(|r| link(&r))
        .transpose()
    }

    /// Every match, for the TeamViewer devices already taken by an MDM device.
    pub async fn host_links(&self) -> Result<Vec<HostLinkRecord>> {
        sqlx::query(&format!(
            "SELECT {COLUMNS} FROM host_devices ORDER BY device_id"
        ))
        .fetch_all(&self.pool)
        .await?
        .iter()
        .map(link)
        .collect()
    }

    /// Records a match (replacing the device's previous one, and any other device's match to the
    /// same TeamViewer device), with its audit event when given, in one transaction.
    pub async fn save_host_link(
        &self,
        record: &HostLinkRecord,
        event: Option<NewAuditEvent<'_>>,
    ) -> Result<()> {
        // Who acts, checked with TeamViewer before the transaction takes the write lock.
        let account = self.audit_account().await;
        let mut tx = self.begin_write().await?;
        sqlx::query("DELETE FROM host_devices WHERE remotecontrol_id = $1 OR device_id = $2")
            .bind(record.remotecontrol_id.as_str())
            .bind(record.device_id.as_str())
            .execute(&mut *tx)
            .await?;
        sqlx::query(&format!(
            "INSERT INTO host_devices ({COLUMNS}) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)"
        ))
        .bind(record.device_id.as_str())
        .bind(record.remotecontrol_id.as_str())
        .bind(record.teamviewer_device_id.as_str())
        .bind(record.alias.as_str())
        .bind(record.matched_by.as_str())
        .bind(record.confirmed_by.as_deref())
        .bind(timestamp(record.matched_at))
        .bind(i64::from(record.assigned))
        .bind(record.online_state.as_str())
        .bind(record.last_seen.map(timestamp))
        .bind(i64::from(record.remote_control))
        .bind(timestamp(record.checked_at))
        .execute(&mut *tx)
        .await?;
        if let Some(event) = event {
            audit::insert(
                &mut tx,
                &audit::new_id(),
                record.checked_at,
                &event,
                account.as_ref(),
            )
            .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// TeamViewer's state of a matched device, as just read.
    pub async fn update_host_state(&self, record: &HostLinkRecord) -> Result<()> {
        sqlx::query(
            "UPDATE host_devices SET teamviewer_device_id = $2, alias = $3, assigned = $4, \
             online_state = $5, last_seen = $6, remote_control = $7, checked_at = $8 \
             WHERE device_id = $1",
        )
        .bind(record.device_id.as_str())
        .bind(record.teamviewer_device_id.as_str())
        .bind(record.alias.as_str())
        .bind(i64::from(record.assigned))
        .bind(record.online_state.as_str())
        .bind(record.last_seen.map(timestamp))
        .bind(i64::from(record.remote_control))
        .bind(timestamp(record.checked_at))
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// Forgets a device's match (TeamViewer no longer lists its device), with its audit event.
    pub async fn remove_host_link(
        &self,
        device_id: &str,
        at: chrono::DateTime<chrono::Utc>,
        event: NewAuditEvent<'_>,
    ) -> Result<bool> {
        // Who acts, checked with TeamViewer before the transaction takes the write lock.
        let account = self.audit_account().await;
        let mut tx = self.begin_write().await?;
        let done = sqlx::query("DELETE FROM host_devices WHERE device_id = $1")
            .bind(device_id)
            .execute(&mut *tx)
            .await?;
        if done.rows_affected() > 0 {
            audit::insert(&mut tx, &audit::new_id(), at, &event, account.as_ref()).await?;
        }
        tx.commit().await?;
        Ok(done.rows_affected() > 0)
    }
}
