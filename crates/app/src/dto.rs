//! The shapes that cross the IPC boundary and the CLI's `--json` output: one shape for both.
//!
//! Field names are snake_case on purpose: the CLI JSON contract (design.md) fixes them, and the
//! window reads the very same documents. TypeScript types are generated from here with ts-rs
//! into `ui/src/bindings/` (`cargo test` writes them; CI fails when they drift).

use helpatwork_domain::{
    eligibility, Device, DeviceUser, InstalledApp, Lang, ModeEligibility, Platform, Readiness,
    RemoteAction,
};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct DeviceRow {
    pub id: String,
    pub name: String,
    pub user_name: String,
    pub user_email: String,
    pub platform: Platform,
    pub os_version: String,
    pub manufacturer: String,
    pub model: String,
    pub online: bool,
    /// RFC 3339.
    pub last_checkin: String,
    pub readiness: Readiness,
}

impl From<helpatwork_store::DeviceRow> for DeviceRow {
    fn from(r: helpatwork_store::DeviceRow) -> Self {
        Self {
            id: r.id,
            name: r.name,
            user_name: r.user_name,
            user_email: r.user_email,
            platform: r.platform,
            os_version: r.os_version,
            manufacturer: r.manufacturer,
            model: r.model,
            online: r.online,
            last_checkin: rfc3339(r.last_checkin),
            readiness: r.readiness,
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct DeviceQuery {
    pub search: Option<String>,
    pub platform: Option<Platform>,
    pub readiness: Option<Readiness>,
    pub offset: u32,
    pub limit: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct DevicePage {
    /// All devices matching the query.
    pub total: u32,
    pub offset: u32,
    pub items: Vec<DeviceRow>,
}

/// `devices show`: the fleet fields, plus readiness, the Actions item and eligibility per mode.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct DeviceDetail {
    pub id: String,
    pub name: String,
    pub user: DeviceUser,
    pub platform: Platform,
    pub os_version: String,
    pub manufacturer: String,
    pub model: String,
    pub kiosk: bool,
    pub mam_only: bool,
    pub online: bool,
    pub last_checkin: String,
    pub host_activated: bool,
    pub apps: Vec<InstalledApp>,
    pub readiness: Readiness,
    pub remote_action: RemoteAction,
    pub eligibility: Vec<ModeEligibility>,
    /// Android: the device's TeamViewer Host as TeamViewer last reported it (unattended).
    #[ts(optional)]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub host: Option<crate::unattended::HostStatus>,
}

impl DeviceDetail {
    pub fn new(d: Device, lang: Lang) -> Self {
        Self {
            readiness: eligibility::readiness(&d),
            remote_action: eligibility::remote_action(&d, lang),
            eligibility: eligibility::eligibility(&d, lang),
            last_checkin: rfc3339(d.last_checkin),
            id: d.id,
            name: d.name,
            user: d.user,
            platform: d.platform,
            os_version: d.os_version,
            manufacturer: d.manufacturer,
            model: d.model,
            kiosk: d.kiosk,
            mam_only: d.mam_only,
            online: d.online,
            host_activated: d.host_activated,
            apps: d.apps,
            host: None,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct AppInfo {
    pub product: String,
    pub version: String,
    pub demo: bool,
    pub lang: Lang,
    pub data_dir: String,
    pub device_count: u32,
    /// The MDM connector's name (e.g. "Ivanti Neurons for MDM", "Embedded fleet").
    pub mdm: String,
    /// Whether `sync_devices` can pull the fleet (an MDM other than the embedded fleet).
    pub can_sync: bool,
}

/// What `devices import` did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ImportReport {
    pub file: String,
    pub format: String,
    pub devices: u32,
    pub inserted: u32,
    pub updated: u32,
    pub unchanged: u32,
}

pub fn rfc3339(at: chrono::DateTime<chrono::Utc>) -> String {
    at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

/// Which audit events: every filter optional, combined with AND. Times are RFC 3339 (or a
/// `YYYY-MM-DD` date, midnight UTC); `since` is inclusive, `until` exclusive.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct AuditFilter {
    pub device_id: Option<String>,
    /// The agent or admin who acted.
    pub actor: Option<String>,
    /// The action, e.g. `session.start`.
    pub action: Option<String>,
    pub since: Option<String>,
    pub until: Option<String>,
    pub offset: u32,
    /// 1–1000; 0 means 50.
    pub limit: u32,
}

/// One audit event.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct AuditEntry {
    pub id: String,
    /// RFC 3339 UTC with milliseconds.
    pub at: String,
    pub actor: String,
    pub action: String,
    pub device_id: Option<String>,
    pub session_id: Option<String>,
    /// What changed: before and after, counts, the session step…
    #[ts(type = "unknown")]
    pub detail: serde_json::Value,
}

impl From<helpatwork_store::AuditEvent> for AuditEntry {
    fn from(e: helpatwork_store::AuditEvent) -> Self {
        Self {
            id: e.id,
            at: e.at.to_rfc3339_opts(chrono::SecondsFormat::Millis, true),
            actor: e.actor,
            action: e.action,
            device_id: e.device_id,
            session_id: e.session_id,
            detail: e.detail,
        }
    }
}

/// A page of audit events, newest first.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct AuditPage {
    /// All events matching the filter.
    pub total: u32,
    pub offset: u32,
    pub items: Vec<AuditEntry>,
}

/// The agents and actions the audit trail holds: the choices of its filters.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct AuditFacets {
    pub actors: Vec<String>,
    pub actions: Vec<String>,
}

/// Where an audit export went.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct AuditExport {
    /// The CSV file written (`-`: standard output).
    pub path: String,
    pub rows: u32,
}
