//! The ready fleet: `n` alike Android phones that pass every device-side check of an attended
//! start, for benchmarks of a start and for tests that need many devices and no variety (races,
//! crashes mid-import, a full disk).

use chrono::{DateTime, Utc};
use helpatwork_domain::{AppKind, Device, DeviceUser, InstalledApp, ManagementFacts, Platform};

/// When every ready device last checked in: 2026-11-20 10:00 UTC (tests set the product's
/// clock near it).
pub fn ready_checkin() -> DateTime<Utc> {
    DateTime::from_timestamp(1_795_168_800, 0).unwrap_or_default()
}

/// The id of ready device `index`: `{prefix}-0000`, `{prefix}-0001`, … (at least four digits).
pub fn ready_id(prefix: &str, index: usize) -> String {
    format!("{prefix}-{index:04}")
}

/// `n` Samsung Galaxy S23 phones on Android 14, online, with managed QuickSupport 15.60.1, the
/// Samsung add-on and an activated Host, ids [`ready_id`]. The management facts are not stated
/// (unknown), as in a fleet file without those columns.
pub fn ready(prefix: &str, n: usize) -> impl ExactSizeIterator<Item = Device> + '_ {
    (0..n).map(move |i| Device {
        id: ready_id(prefix, i),
        name: format!("Ready phone {i}"),
        user: DeviceUser {
            name: format!("User {i}"),
            email: format!("user{i}@example.com"),
        },
        platform: Platform::Android,
        os_version: "14".into(),
        manufacturer: "Samsung".into(),
        model: "Galaxy S23".into(),
        kiosk: false,
        mam_only: false,
        online: true,
        last_checkin: ready_checkin(),
        host_activated: Some(true),
        apps: Some(vec![
            InstalledApp::known(AppKind::Quicksupport, "15.60.1", true, true),
            InstalledApp::known(AppKind::AddonOem, "15.42.2", true, true),
            InstalledApp::known(AppKind::Host, "15.58.3", true, true),
        ]),
        management: ManagementFacts::default(),
        labels: None,
        locale: None,
    })
}

#[cfg(test)]
mod tests {
    use helpatwork_domain::eligibility::{readiness, Readiness};

    use super::*;

    #[test]
    fn ready_devices_are_ready_and_named_by_their_prefix() {
        let fleet: Vec<_> = ready("race", 12).collect();
        assert_eq!(fleet.len(), 12);
        assert_eq!(fleet[0].id, "race-0000");
        assert_eq!(fleet[11].id, ready_id("race", 11));
        assert_eq!(ready_checkin().to_rfc3339(), "2026-11-20T10:00:00+00:00");
        assert!(fleet
            .iter()
            .all(|d| readiness(d) != Readiness::Blocked && readiness(d) != Readiness::Unsupported));
    }
}
