//! Graph's `managedDevice` list page and the mapping of one record to a [`Device`]
//! [docs/reference/mdm-apis.md §6.5; docs/intune.md "What maps to what"].

use chrono::{DateTime, Datelike, Utc};
use helpatwork_domain::facts::{AndroidEnrollment, ManagementFacts};
use helpatwork_domain::{Device, DeviceUser, Ownership, Platform};
use serde::Deserialize;
use serde_json::Value;

use super::MDM;
use crate::connector::SkippedRecord;
use crate::error::{tidy_to, MdmError};

/// The properties a sync asks for (`$select`): only what the mapping reads.
pub const SELECT: &str = "id,deviceName,managedDeviceName,userDisplayName,emailAddress,\
userPrincipalName,operatingSystem,osVersion,model,manufacturer,lastSyncDateTime,\
managedDeviceOwnerType,complianceState,jailBroken,isSupervised,deviceEnrollmentType,\
deviceRegistrationState";

/// Longest text kept from a field.
const MAX_TEXT: usize = 200;

/// One page of the list.
#[derive(Debug, Deserialize)]
pub(crate) struct ListPage {
    #[serde(default)]
    pub(crate) value: Vec<Value>,
    #[serde(rename = "@odata.nextLink", default)]
    pub(crate) next_link: Option<String>,
    #[serde(rename = "@odata.count", default)]
    pub(crate) count: Option<u64>,
}

pub(crate) fn parse_page(body: &[u8]) -> Result<ListPage, MdmError> {
    serde_json::from_slice(body)
        .map_err(|e| MdmError::malformed(MDM, format!("the device list is not valid JSON ({e})")))
}

/// A record as a device, or why it is skipped.
pub(crate) enum Mapped {
    Device(Box<Device>),
    Skipped(SkippedRecord),
}

fn text(record: &Value, key: &str) -> Option<String> {
    record
        .get(key)
        .and_then(Value::as_str)
        .map(|s| tidy_to(s, MAX_TEXT))
        .filter(|s| !s.is_empty())
}

/// `operatingSystem` ("Android", "iOS", "iPadOS", "Windows", "macOS", …).
pub(crate) fn platform(os: &str) -> Platform {
    match os.trim().to_ascii_lowercase().as_str() {
        "android" | "androidenterprise" | "androidforwork" => Platform::Android,
        "ios" | "ipados" => Platform::Ios,
        "macos" | "mac os x" | "macmdm" => Platform::Macos,
        os if os.starts_with("windows") => Platform::Windows,
        _ => Platform::Other,
    }
}

/// `deviceEnrollmentType` and ownership on Android. The reference's values name dedicated,
/// fully managed and corporate-owned work profile; a personally-owned device is enrolled with
/// a work profile (Android Enterprise's only personal mode: **our reading**).
pub(crate) fn android_enrollment(
    enrollment: &str,
    ownership: Option<Ownership>,
) -> Option<AndroidEnrollment> {
    match enrollment {
        "androidEnterpriseDedicatedDevice" => Some(AndroidEnrollment::Dedicated),
        "androidEnterpriseFullyManaged" => Some(AndroidEnrollment::FullyManaged),
        "androidEnterpriseCorporateWorkProfile" => Some(AndroidEnrollment::WorkProfile),
        _ if ownership == Some(Ownership::Employee) => Some(AndroidEnrollment::WorkProfile),
        _ => None,
    }
}

/// `complianceState`: `compliant` → yes; `noncompliant`, `inGracePeriod`, `conflict`, `error`
/// → no; `unknown`, `configManager` → not reported.
fn compliant(state: Option<&str>) -> Option<bool> {
    match state? {
        "compliant" => Some(true),
        "noncompliant" | "inGracePeriod" | "conflict" | "error" => Some(false),
        _ => None,
    }
}

/// `jailBroken` is a String: "True" / "False"; anything else ("Unknown") is not reported.
fn jailbroken(value: Option<&str>) -> Option<bool> {
    match value?.trim().to_ascii_lowercase().as_str() {
        "true" => Some(true),
        "false" => Some(false),
        _ => None,
    }
}

/// The device record as the product's device.
pub(crate) fn map_record(record: &Value) -> Mapped {
    let id = text(record, "id");
    let Some(id) = id else {
        return Mapped::Skipped(SkippedRecord {
            id: None,
            reason: "the record has no id".to_owned(),
        });
    };
    let synced = record
        .get("lastSyncDateTime")
        .and_then(Value::as_str)
        .and_then(|t| DateTime::parse_from_rfc3339(t).ok())
        .map(|t| t.with_timezone(&Utc))
        // Graph renders "never" as 0001-01-01T00:00:00Z.
        .filter(|t| t.year() > 1);
    let Some(last_checkin) = synced else {
        return Mapped::Skipped(SkippedRecord {
            id: Some(id),
            reason: "the device never synced with Intune (no lastSyncDateTime)".to_owned(),
        });
    };
    let platform = text(record, "operatingSystem").map_or(Platform::Other, |os| platform(&os));
    let ownership = match record.get("managedDeviceOwnerType").and_then(Value::as_str) {
        Some("company") => Some(Ownership::Company),
        Some("personal") => Some(Ownership::Employee),
        _ => None,
    };
    let enrollment = record
        .get("deviceEnrollmentType")
        .and_then(Value::as_str)
        .unwrap_or("unknown");
    let android = (platform == Platform::Android)
        .then(|| android_enrollment(enrollment, ownership))
        .flatten();
    let registration = record
        .get("deviceRegistrationState")
        .and_then(Value::as_str)
        .unwrap_or("registered");
    let email = text(record, "emailAddress")
        .or_else(|| text(record, "userPrincipalName").filter(|u| u.contains('@')))
        .unwrap_or_default();
    let device = Device {
        name: text(record, "deviceName")
            .or_else(|| text(record, "managedDeviceName"))
            .unwrap_or_else(|| id.clone()),
        id,
        user: DeviceUser {
            name: text(record, "userDisplayName").unwrap_or_default(),
            email,
        },
        platform,
        os_version: text(record, "osVersion").unwrap_or_default(),
        manufacturer: text(record, "manufacturer").unwrap_or_default(),
        model: text(record, "model").unwrap_or_default(),
        kiosk: android == Some(AndroidEnrollment::Dedicated),
        // managedDevices are MDM-enrolled; app-protection-only (MAM) users are not listed.
        mam_only: false,
        online: !matches!(
            registration,
            "notRegistered"
                | "revoked"
                | "keyConflict"
                | "certificateReset"
                | "notRegisteredPendingEnrollment"
        ),
        last_checkin,
        host_activated: None,
        // Graph's device list carries no installed apps: unknown, never "none".
        apps: None,
        // Nor the device's groups (Entra ID groups are a separate call per device): a support
        // policy's label rule stays unknown (a warning), never "not in the label".
        labels: None,
        locale: None,
        management: ManagementFacts {
            compliant: compliant(record.get("complianceState").and_then(Value::as_str)),
            quarantined: None,
            jailbroken: jailbroken(record.get("jailBroken").and_then(Value::as_str)),
            supervised: (platform == Platform::Ios)
                .then(|| record.get("isSupervised").and_then(Value::as_bool))
                .flatten(),
            lost_mode: None,
            ownership,
            client_version: None,
            android_enrollment: android,
        },
    };
    Mapped::Device(Box::new(device))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_references_example_record_maps() {
        let body = include_bytes!("../../../graph-fake/fixtures/managedDevice-list.json");
        let page = parse_page(body).expect("the reference's example parses");
        assert_eq!(page.next_link, None);
        let Mapped::Device(device) = map_record(&page.value[0]) else {
            panic!("the example maps");
        };
        assert_eq!(device.id, "705c034c-034c-705c-4c03-5c704c035c70");
        assert_eq!(device.name, "Device Name value");
        assert_eq!(
            device.platform,
            Platform::Other,
            "\"Operating System value\""
        );
        assert_eq!(device.user.email, "Email Address value");
        assert_eq!(device.management.compliant, Some(true));
        assert_eq!(
            device.management.jailbroken, None,
            "\"Jail Broken value\" is no answer"
        );
        assert_eq!(device.management.ownership, Some(Ownership::Company));
        assert_eq!(device.apps, None);
        assert!(device.online);
    }

    #[test]
    fn android_enrollment_decides_kiosk_and_work_profile() {
        let record = |kind: &str, owner: &str| {
            serde_json::json!({"id": "a", "operatingSystem": "Android",
                "lastSyncDateTime": "2026-11-20T09:00:00Z",
                "deviceEnrollmentType": kind, "managedDeviceOwnerType": owner})
        };
        let map = |kind, owner| match map_record(&record(kind, owner)) {
            Mapped::Device(d) => *d,
            Mapped::Skipped(s) => panic!("{s:?}"),
        };
        let dedicated = map("androidEnterpriseDedicatedDevice", "company");
        assert!(dedicated.kiosk);
        assert_eq!(
            dedicated.management.android_enrollment,
            Some(AndroidEnrollment::Dedicated)
        );
        let managed = map("androidEnterpriseFullyManaged", "company");
        assert!(!managed.kiosk);
        assert_eq!(
            managed.management.android_enrollment,
            Some(AndroidEnrollment::FullyManaged)
        );
        for (kind, owner) in [
            ("androidEnterpriseCorporateWorkProfile", "company"),
            ("userEnrollment", "personal"),
        ] {
            let d = map(kind, owner);
            assert_eq!(
                d.management.android_enrollment,
                Some(AndroidEnrollment::WorkProfile)
            );
        }
        assert_eq!(
            map("userEnrollment", "personal").management.ownership,
            Some(Ownership::Employee)
        );
    }

    #[test]
    fn a_device_that_never_synced_is_skipped() {
        let record = serde_json::json!({"id": "b", "lastSyncDateTime": "0001-01-01T00:00:00Z"});
        assert!(matches!(map_record(&record), Mapped::Skipped(_)));
    }
}
