//! Reading devices back: the list's row, the whole device with its apps, and the column lists
//! both share.
//!
//! A fact the source could not report is stored as NULL and read back as `None` (unknown):
//! Host's activation (`host_activation`), an app's version and flags, the management facts (a
//! short text in `management`, [`management_column`]); `apps_known = 0` says the installed apps
//! are not known (a device then has no `device_apps` rows, and they do not mean "none
//! installed").

use std::collections::HashMap;

use helpatwork_domain::facts::AndroidEnrollment;
use helpatwork_domain::{
    AppKind, Device, DeviceUser, InstalledApp, ManagementFacts, Ownership, Platform, Readiness,
};
use serde::{Deserialize, Serialize};
use sqlx::any::AnyRow;
use sqlx::Row;

use crate::devices::placeholders;
use crate::{parse_timestamp, Result, Store, StoreError};

/// Ids in one `IN (…)` list when reading apps.
const BATCH: usize = 400;

/// A device as the list shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeviceListRow {
    pub id: String,
    pub name: String,
    pub user_name: String,
    pub user_email: String,
    pub platform: Platform,
    pub os_version: String,
    pub manufacturer: String,
    pub model: String,
    /// The source reports the device reachable; whether it is online now is computed when it is
    /// read ([`DeviceListRow::is_online`]).
    pub online: bool,
    pub last_checkin: chrono::DateTime<chrono::Utc>,
    pub readiness: Readiness,
}

impl DeviceListRow {
    /// Online at `now`: the same rule as [`Device::is_online`].
    pub fn is_online(&self, now: chrono::DateTime<chrono::Utc>) -> bool {
        self.online
            && now.signed_duration_since(self.last_checkin) <= helpatwork_domain::ONLINE_WINDOW
    }
}

/// Booleans are stored as 0/1 BIGINT on both backends.
pub(crate) fn flag<I: sqlx::ColumnIndex<AnyRow>>(row: &AnyRow, column: I) -> bool {
    row.get::<i64, _>(column) != 0
}

/// A boolean that may be unknown: NULL is `None`.
pub(crate) fn fact<I: sqlx::ColumnIndex<AnyRow>>(row: &AnyRow, column: I) -> Option<bool> {
    row.get::<Option<i64>, _>(column).map(|v| v != 0)
}

pub(crate) const ROW_COLUMNS: &str =
    "id, name, user_name, user_email, platform, os_version, manufacturer, model, online, last_checkin, readiness";

/// [`ROW_COLUMNS`] of the devices table aliased `d`.
pub(crate) const PAGE_COLUMNS: &str = "d.id AS id, d.name AS name, d.user_name AS user_name, d.user_email AS user_email, \
     d.platform AS platform, d.os_version AS os_version, d.manufacturer AS manufacturer, d.model AS model, \
     d.online AS online, d.last_checkin AS last_checkin, d.readiness AS readiness";

/// The columns [`row_to_device`] reads.
pub(crate) const DEVICE_COLUMNS: &str =
    "id, name, user_name, user_email, platform, os_version, manufacturer, model, \
     kiosk, mam_only, online, last_checkin, host_activation, apps_known, management, labels, locale, source";

pub(crate) fn row_to_device_list_row(r: &AnyRow) -> Result<DeviceListRow> {
    let platform: String = r.get("platform");
    let readiness: String = r.get("readiness");
    Ok(DeviceListRow {
        id: r.get("id"),
        name: r.get("name"),
        user_name: r.get("user_name"),
        user_email: r.get("user_email"),
        platform: Platform::parse(&platform)
            .ok_or_else(|| StoreError::Corrupt(format!("platform {platform}")))?,
        os_version: r.get("os_version"),
        manufacturer: r.get("manufacturer"),
        model: r.get("model"),
        online: flag(r, "online"),
        last_checkin: parse_timestamp(&r.get::<String, _>("last_checkin"))?,
        readiness: Readiness::parse(&readiness)
            .ok_or_else(|| StoreError::Corrupt(format!("readiness {readiness}")))?,
    })
}

/// A device from a row of [`DEVICE_COLUMNS`] and its stored apps (ignored when the row says
/// its apps are unknown).
pub(crate) fn row_to_device(r: &AnyRow, apps: Vec<InstalledApp>) -> Result<Device> {
    let platform: String = r.get("platform");
    let management = match r.get::<Option<String>, _>("management") {
        None => ManagementFacts::default(),
        Some(text) => parse_management(&text)
            .ok_or_else(|| StoreError::Corrupt(format!("management facts \"{text}\"")))?,
    };
    let labels = match r.get::<Option<String>, _>("labels") {
        None => None,
        Some(text) => Some(
            serde_json::from_str::<Vec<String>>(&text)
                .map_err(|_| StoreError::Corrupt(format!("labels \"{text}\"")))?,
        ),
    };
    Ok(Device {
        id: r.get("id"),
        name: r.get("name"),
        user: DeviceUser {
            name: r.get("user_name"),
            email: r.get("user_email"),
        },
        platform: Platform::parse(&platform)
            .ok_or_else(|| StoreError::Corrupt(format!("platform {platform}")))?,
        os_version: r.get("os_version"),
        manufacturer: r.get("manufacturer"),
        model: r.get("model"),
        kiosk: flag(r, "kiosk"),
        mam_only: flag(r, "mam_only"),
        online: flag(r, "online"),
        last_checkin: parse_timestamp(&r.get::<String, _>("last_checkin"))?,
        host_activated: fact(r, "host_activation"),
        apps: flag(r, "apps_known").then_some(apps),
        management,
        labels,
        locale: r.get::<Option<String>, _>("locale"),
    })
}

/// The labels as stored: a JSON array, or NULL when the source does not report them.
pub(crate) fn labels_column(labels: Option<&[String]>) -> Option<String> {
    labels.map(|l| serde_json::to_string(l).unwrap_or_else(|_| "[]".into()))
}

/// The management facts as stored, or NULL when none is reported: six characters then the
/// client version, e.g. `100-0c12.12.0`. The first five are compliant, quarantined, jailbroken,
/// supervised and lost mode (`1` yes, `0` no, `-` unknown), the sixth the ownership (`c` company,
/// `e` employee, `-` unknown); the rest is the MDM client's version (empty: unknown). A dozen
/// bytes a device where JSON took ten times that: a sync writes it for every device. An Android
/// Enterprise enrolment, when reported, sits between the ownership and the version as `~d`
/// (dedicated), `~f` (fully managed) or `~w` (work profile); rows written before it have none.
pub(crate) fn management_column(facts: &ManagementFacts) -> Option<String> {
    if facts.is_empty() {
        return None;
    }
    let flag = |f: Option<bool>| match f {
        Some(true) => '1',
        Some(false) => '0',
        None => '-',
    };
    let mut out = String::with_capacity(6 + facts.client_version.as_ref().map_or(0, String::len));
    for f in [
        facts.compliant,
        facts.quarantined,
        facts.jailbroken,
        facts.supervised,
        facts.lost_mode,
    ] {
        out.push(flag(f));
    }
    out.push(match facts.ownership {
        Some(Ownership::Company) => 'c',
        Some(Ownership::Employee) => 'e',
        None => '-',
    });
    if let Some(enrollment) = facts.android_enrollment {
        out.push('~');
        out.push(match enrollment {
            AndroidEnrollment::Dedicated => 'd',
            AndroidEnrollment::FullyManaged => 'f',
            AndroidEnrollment::WorkProfile => 'w',
        });
    }
    out.push_str(facts.client_version.as_deref().unwrap_or(""));
    Some(out)
}

/// Reads [`management_column`]'s text back; `None` when it is not in that shape.
pub(crate) fn parse_management(text: &str) -> Option<ManagementFacts> {
    let mut chars = text.chars();
    let mut flag = || match chars.next()? {
        '1' => Some(Some(true)),
        '0' => Some(Some(false)),
        '-' => Some(None),
        _ => None,
    };
    let (compliant, quarantined, jailbroken, supervised, lost_mode) =
        (flag()?, flag()?, flag()?, flag()?, flag()?);
    let ownership = match chars.next()? {
        'c' => Some(Ownership::Company),
        'e' => Some(Ownership::Employee),
        '-' => None,
        _ => return None,
    };
    let mut version = chars.as_str();
    let mut android_enrollment = None;
    if let Some(rest) = version.strip_prefix('~') {
        let mut rest_chars = rest.chars();
        android_enrollment = Some(match rest_chars.next()? {
            'd' => AndroidEnrollment::Dedicated,
            'f' => AndroidEnrollment::FullyManaged,
            'w' => AndroidEnrollment::WorkProfile,
            _ => return None,
        });
        version = rest_chars.as_str();
    }
    Some(ManagementFacts {
        compliant,
        quarantined,
        jailbroken,
        supervised,
        lost_mode,
        ownership,
        client_version: (!version.is_empty()).then(|| version.to_string()),
        android_enrollment,
    })
}

impl Store {
    pub async fn device(&self, id: &str) -> Result<Option<Device>> {
        Ok(self.device_with_source(id).await?.map(|(d, _)| d))
    }

    /// A live device and where it came from: `embedded` (an imported fleet file), `demo`, or
    /// `mdm` (a sync from the configured connector). It names who could not report a fact.
    pub async fn device_with_source(&self, id: &str) -> Result<Option<(Device, String)>> {
        // Matched by the id's normalised key (case, width, dash variants); the exact id first.
        // The key is the stored id itself (the primary key), or an id spelled otherwise
        // (`devices_id_key_other`).
        let Some(r) = sqlx::query(&format!(
            "SELECT {DEVICE_COLUMNS} FROM devices \
             WHERE (id = $1 OR (id_key = $1 AND id_key <> id)) AND removed_at IS NULL \
             ORDER BY CASE WHEN id = $2 THEN 0 ELSE 1 END, id LIMIT 1"
        ))
        .bind(helpatwork_domain::ident::id_key(id))
        .bind(id)
        .fetch_optional(&self.pool)
        .await?
        else {
            return Ok(None);
        };
        let stored: String = r.get("id");
        let apps = self
            .apps_of(std::slice::from_ref(&stored))
            .await?
            .remove(&stored)
            .unwrap_or_default();
        Ok(Some((row_to_device(&r, apps)?, r.get("source"))))
    }

    /// The installed apps of `ids`, by device id.
    pub(crate) async fn apps_of(
        &self,
        ids: &[String],
    ) -> Result<HashMap<String, Vec<InstalledApp>>> {
        let mut out: HashMap<String, Vec<InstalledApp>> = HashMap::new();
        for chunk in ids.chunks(BATCH) {
            let sql = format!(
                "SELECT device_id, app, version, managed, allowlisted, installing FROM device_apps \
                 WHERE device_id IN {} ORDER BY device_id, app",
                placeholders(self.backend, 1, chunk.len())
            );
            let mut q = sqlx::query(&sql);
            for id in chunk {
                q = q.bind(id.as_str());
            }
            for a in q.fetch_all(&self.pool).await? {
                out.entry(a.get(0)).or_default().push(row_to_app(&a)?);
            }
        }
        Ok(out)
    }

    /// The apps of the managed devices with an id in `(after, last]`, in one query: a page of
    /// the fleet read by id takes its apps this way rather than by lists of ids.
    pub(crate) async fn apps_in_range(
        &self,
        after: &str,
        last: &str,
    ) -> Result<HashMap<String, Vec<InstalledApp>>> {
        let rows = sqlx::query(
            "SELECT a.device_id, a.app, a.version, a.managed, a.allowlisted, a.installing \
             FROM device_apps a JOIN devices d ON d.id = a.device_id \
             WHERE d.removed_at IS NULL AND a.device_id > $1 AND a.device_id <= $2 \
             ORDER BY a.device_id, a.app",
        )
        .bind(after)
        .bind(last)
        .fetch_all(&self.pool)
        .await?;
        let mut out: HashMap<String, Vec<InstalledApp>> = HashMap::new();
        for a in &rows {
            out.entry(a.get(0)).or_default().push(row_to_app(a)?);
        }
        Ok(out)
    }

    pub async fn device_count(&self) -> Result<u32> {
        let n: i64 = sqlx::query("SELECT COUNT(*) FROM devices WHERE removed_at IS NULL")
            .fetch_one(&self.pool)
            .await?
            .get(0);
        Ok(n as u32)
    }
}

/// One `device_apps` row read as (device_id, app, version, managed, allowlisted, installing).
fn row_to_app(a: &AnyRow) -> Result<InstalledApp> {
    let app: String = a.get(1);
    Ok(InstalledApp {
        app: AppKind::parse(&app).ok_or_else(|| StoreError::Corrupt(format!("app {app}")))?,
        version: a.get(2),
        managed: fact(a, 3),
        allowlisted: fact(a, 4),
        installing: flag(a, 5),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn management_facts_round_trip_through_their_column() {
        let every = ManagementFacts {
            compliant: Some(true),
            quarantined: Some(false),
            jailbroken: None,
            supervised: Some(true),
            lost_mode: None,
            ownership: Some(Ownership::Employee),
            client_version: Some("12.12.0".into()),
            android_enrollment: None,
        };
        let text = management_column(&every).unwrap();
        assert_eq!(text, "10-1-e12.12.0");
        assert_eq!(parse_management(&text), Some(every.clone()));
        for (enrollment, marker) in [
            (AndroidEnrollment::Dedicated, "~d"),
            (AndroidEnrollment::FullyManaged, "~f"),
            (AndroidEnrollment::WorkProfile, "~w"),
        ] {
            let enrolled = ManagementFacts {
                android_enrollment: Some(enrollment),
                ..every.clone()
            };
            let text = management_column(&enrolled).unwrap();
            assert_eq!(text, format!("10-1-e{marker}12.12.0"));
            assert_eq!(parse_management(&text), Some(enrolled));
        }
        let sparse = ManagementFacts {
            quarantined: Some(true),
            ..Default::default()
        };
        assert_eq!(
            parse_management(&management_column(&sparse).unwrap()),
            Some(sparse)
        );
        assert_eq!(management_column(&ManagementFacts::default()), None);
        for bad in ["", "10", "x00000", "11111z", "11111c~x"] {
            assert_eq!(parse_management(bad), None, "{bad:?}");
        }
    }
}
