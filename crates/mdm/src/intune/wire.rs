//! Graph's `managedDevice` list page and the mapping of one record to a [`Device`]
//! [docs/reference/mdm-apis.md §6.5; docs/intune.md "What maps to what"].

use chrono::{DateTime, Datelike, Utc};
use helpatwork_domain::facts::{AndroidEnrollment, ManagementFacts};
use helpatwork_domain::{Device, DeviceUser, Ownership, Platform};
use std::borrow::Cow;
use std::marker::PhantomData;

use serde::de::{IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde::Deserialize;

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
    pub(crate) value: Vec<Record>,
    #[serde(rename = "@odata.nextLink", default)]
    pub(crate) next_link: Option<String>,
    #[serde(rename = "@odata.count", default)]
    pub(crate) count: Option<u64>,
}

pub(crate) fn parse_page(body: &[u8]) -> Result<ListPage, MdmError> {
    serde_json::from_slice(body)
        .map_err(|e| MdmError::malformed(MDM, format!("the device list is not valid JSON ({e})")))
}

/// The properties of one `managedDevice` record the mapping reads ([`SELECT`]), read straight
/// from the page: no map of every property is built, and a property of another type than the
/// reference gives it (or a record that is not an object) reads as not reported, as a missing
/// one does, rather than failing the page.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub(crate) struct Record {
    id: Option<String>,
    device_name: Option<String>,
    managed_device_name: Option<String>,
    user_display_name: Option<String>,
    email_address: Option<String>,
    user_principal_name: Option<String>,
    operating_system: Option<String>,
    os_version: Option<String>,
    model: Option<String>,
    manufacturer: Option<String>,
    last_sync_date_time: Option<String>,
    managed_device_owner_type: Option<String>,
    compliance_state: Option<String>,
    jail_broken: Option<String>,
    is_supervised: Option<bool>,
    device_enrollment_type: Option<String>,
    device_registration_state: Option<String>,
}

/// A property's value as the mapping reads it: a string, a Boolean, or anything else (null, a
/// number, an array, an object), which reads as not reported.
enum Scalar {
    Text(String),
    Flag(bool),
    Other,
}

impl Scalar {
    fn text(self) -> Option<String> {
        match self {
            Scalar::Text(s) => Some(s),
            _ => None,
        }
    }

    fn flag(self) -> Option<bool> {
        match self {
            Scalar::Flag(b) => Some(b),
            _ => None,
        }
    }
}

impl<'de> Deserialize<'de> for Scalar {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(AnyValue(PhantomData))
    }
}

/// Visits any JSON value, keeping what `T` ([`Scalar`] or [`Record`]) reads from it.
struct AnyValue<T>(PhantomData<T>);

/// What [`AnyValue`] makes of each kind of value: by default, nothing.
trait FromAny: Sized {
    fn other() -> Self;
    fn text(s: String) -> Self {
        let _ = s;
        Self::other()
    }
    fn flag(b: bool) -> Self {
        let _ = b;
        Self::other()
    }
    fn map<'de, A: MapAccess<'de>>(mut map: A) -> Result<Self, A::Error> {
        while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
        Ok(Self::other())
    }
}

impl FromAny for Scalar {
    fn other() -> Self {
        Scalar::Other
    }
    fn text(s: String) -> Self {
        Scalar::Text(s)
    }
    fn flag(b: bool) -> Self {
        Scalar::Flag(b)
    }
}

impl<'de, T: FromAny> Visitor<'de> for AnyValue<T> {
    type Value = T;
    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("any JSON value")
    }
    fn visit_str<E>(self, v: &str) -> Result<T, E> {
        Ok(T::text(v.to_owned()))
    }
    fn visit_string<E>(self, v: String) -> Result<T, E> {
        Ok(T::text(v))
    }
    fn visit_bool<E>(self, v: bool) -> Result<T, E> {
        Ok(T::flag(v))
    }
    fn visit_i64<E>(self, _: i64) -> Result<T, E> {
        Ok(T::other())
    }
    fn visit_u64<E>(self, _: u64) -> Result<T, E> {
        Ok(T::other())
    }
    fn visit_f64<E>(self, _: f64) -> Result<T, E> {
        Ok(T::other())
    }
    fn visit_unit<E>(self) -> Result<T, E> {
        Ok(T::other())
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<T, A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(T::other())
    }
    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<T, A::Error> {
        T::map(map)
    }
}

impl FromAny for Record {
    fn other() -> Self {
        Record::default()
    }
    fn map<'de, A: MapAccess<'de>>(mut map: A) -> Result<Self, A::Error> {
        let mut r = Record::default();
        // A repeated key keeps its last value, as reading the object whole does.
        while let Some(key) = map.next_key::<Cow<'de, str>>()? {
            let slot = match key.as_ref() {
                "id" => &mut r.id,
                "deviceName" => &mut r.device_name,
                "managedDeviceName" => &mut r.managed_device_name,
                "userDisplayName" => &mut r.user_display_name,
                "emailAddress" => &mut r.email_address,
                "userPrincipalName" => &mut r.user_principal_name,
                "operatingSystem" => &mut r.operating_system,
                "osVersion" => &mut r.os_version,
                "model" => &mut r.model,
                "manufacturer" => &mut r.manufacturer,
                "lastSyncDateTime" => &mut r.last_sync_date_time,
                "managedDeviceOwnerType" => &mut r.managed_device_owner_type,
                "complianceState" => &mut r.compliance_state,
                "jailBroken" => &mut r.jail_broken,
                "deviceEnrollmentType" => &mut r.device_enrollment_type,
                "deviceRegistrationState" => &mut r.device_registration_state,
                "isSupervised" => {
                    r.is_supervised = map.next_value::<Scalar>()?.flag();
                    continue;
                }
                _ => {
                    map.next_value::<IgnoredAny>()?;
                    continue;
                }
            };
            *slot = map.next_value::<Scalar>()?.text();
        }
        Ok(r)
    }
}

impl<'de> Deserialize<'de> for Record {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(AnyValue(PhantomData))
    }
}

/// A record as a device, or why it is skipped.
pub(crate) enum Mapped {
    Device(Box<Device>),
    Skipped(SkippedRecord),
}

/// A text property, tidied (a value that is tidy already is kept as it came); empty reads as
/// not reported.
fn text(value: Option<String>) -> Option<String> {
    let value = value?;
    let b = value.as_bytes();
    let tidy = b.len() <= MAX_TEXT
        && b.first().is_some_and(|c| c.is_ascii_graphic())
        && b.last().is_some_and(|c| c.is_ascii_graphic())
        && b.windows(2)
            .all(|w| w[1].is_ascii_graphic() || (w[1] == b' ' && w[0].is_ascii_graphic()));
    if tidy {
        Some(value)
    } else {
        Some(tidy_to(&value, MAX_TEXT)).filter(|s| !s.is_empty())
    }
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
pub(crate) fn map_record(record: Record) -> Mapped {
    let Some(id) = text(record.id) else {
        return Mapped::Skipped(SkippedRecord {
            id: None,
            reason: "the record has no id".to_owned(),
        });
    };
    let synced = record
        .last_sync_date_time
        .as_deref()
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
    let platform = text(record.operating_system).map_or(Platform::Other, |os| platform(&os));
    let ownership = match record.managed_device_owner_type.as_deref() {
        Some("company") => Some(Ownership::Company),
        Some("personal") => Some(Ownership::Employee),
        _ => None,
    };
    let enrollment = record
        .device_enrollment_type
        .as_deref()
        .unwrap_or("unknown");
    let android = (platform == Platform::Android)
        .then(|| android_enrollment(enrollment, ownership))
        .flatten();
    let registration = record
        .device_registration_state
        .as_deref()
        .unwrap_or("registered");
    let email = text(record.email_address)
        .or_else(|| text(record.user_principal_name).filter(|u| u.contains('@')))
        .unwrap_or_default();
    let device = Device {
        name: text(record.device_name)
            .or_else(|| text(record.managed_device_name))
            .unwrap_or_else(|| id.clone()),
        id,
        user: DeviceUser {
            name: text(record.user_display_name).unwrap_or_default(),
            email,
        },
        platform,
        os_version: text(record.os_version).unwrap_or_default(),
        manufacturer: text(record.manufacturer).unwrap_or_default(),
        model: text(record.model).unwrap_or_default(),
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
            compliant: compliant(record.compliance_state.as_deref()),
            quarantined: None,
            jailbroken: jailbroken(record.jail_broken.as_deref()),
            supervised: (platform == Platform::Ios)
                .then_some(record.is_supervised)
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

    fn read(record: serde_json::Value) -> Record {
        serde_json::from_value(record).expect("any JSON value reads as a record")
    }

    fn device(record: serde_json::Value) -> Device {
        match map_record(read(record)) {
            Mapped::Device(d) => *d,
            Mapped::Skipped(s) => panic!("{s:?}"),
        }
    }

    #[test]
    fn a_property_of_another_type_reads_as_not_reported_and_the_page_still_parses() {
        let body = br#"{"value": [
            {"id": "a", "lastSyncDateTime": "2026-11-20T09:00:00Z", "operatingSystem": "iOS",
             "model": 7, "manufacturer": null, "isSupervised": "yes", "jailBroken": false,
             "osVersion": ["17"], "userDisplayName": {"name": "x"}, "complianceState": true},
            42, "text", null, [1, 2], {"deviceName": "no id"}
        ], "@odata.count": 6}"#;
        let page = parse_page(body).expect("the page parses");
        assert_eq!(page.count, Some(6));
        let mut records = page.value.into_iter();
        let Some(Mapped::Device(d)) = records.next().map(map_record) else {
            panic!("the first record maps");
        };
        assert_eq!((d.model.as_str(), d.manufacturer.as_str()), ("", ""));
        assert_eq!((d.os_version.as_str(), d.user.name.as_str()), ("", ""));
        assert_eq!(d.management.supervised, None, "\"yes\" is not a Boolean");
        assert_eq!(d.management.jailbroken, None, "jailBroken is a String");
        assert_eq!(d.management.compliant, None);
        for record in records {
            let Mapped::Skipped(s) = map_record(record) else {
                panic!("a record that is not an object, or has no id, is skipped");
            };
            assert_eq!(s.reason, "the record has no id");
        }
    }

    #[test]
    fn text_is_tidied_kept_when_tidy_and_a_repeated_key_keeps_its_last_value() {
        let d = device(serde_json::json!({
            "id": "c", "lastSyncDateTime": "2026-11-20T09:00:00Z",
            "deviceName": "  Front\tdesk\n  tablet ", "model": "Galaxy Tab A8",
            "manufacturer": "   ", "userDisplayName": "Zoë  Souza",
            "emailAddress": "zoe@example.com"
        }));
        assert_eq!(d.name, "Front desk tablet");
        assert_eq!(d.model, "Galaxy Tab A8");
        assert_eq!(d.manufacturer, "", "blank is not reported");
        assert_eq!(d.user.name, "Zoë Souza");
        assert_eq!(d.user.email, "zoe@example.com");
        let long = "x".repeat(MAX_TEXT + 20);
        let d = device(
            serde_json::json!({"id": "d", "lastSyncDateTime": "2026-11-20T09:00:00Z",
            "model": long}),
        );
        assert_eq!(d.model.chars().count(), MAX_TEXT);
        let page = parse_page(
            br#"{"value": [{"id": "e", "model": "first", "model": "second",
                "lastSyncDateTime": "2026-11-20T09:00:00Z"}]}"#,
        )
        .expect("parses");
        let Mapped::Device(d) = map_record(page.value[0].clone()) else {
            panic!("maps");
        };
        assert_eq!(d.model, "second");
    }

    #[test]
    fn the_references_example_record_maps() {
        let body = include_bytes!("../../../graph-fake/fixtures/managedDevice-list.json");
        let page = parse_page(body).expect("the reference's example parses");
        assert_eq!(page.next_link, None);
        let Mapped::Device(device) = map_record(page.value[0].clone()) else {
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
            read(serde_json::json!({"id": "a", "operatingSystem": "Android",
                "lastSyncDateTime": "2026-11-20T09:00:00Z",
                "deviceEnrollmentType": kind, "managedDeviceOwnerType": owner}))
        };
        let map = |kind, owner| match map_record(record(kind, owner)) {
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
        let record =
            read(serde_json::json!({"id": "b", "lastSyncDateTime": "0001-01-01T00:00:00Z"}));
        assert!(matches!(map_record(record), Mapped::Skipped(_)));
    }
}
