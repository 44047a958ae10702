//! The fake's fleet: devices from the one generator (`helpatwork_fleetgen`, an organisation's
//! profile), rendered as records in Ivanti's search-result shape (docs/reference/mdm-apis.md §2.4, fields as in
//! XSOAR's `get_devices_response_page.json`), with the identifiers only Ivanti has (numeric id,
//! guid, serial number, …) derived from the seed and the position.
//!
//! The same [`FleetSpec`] always yields the same records, so tests can compute what a connector
//! must report; the generated devices' apps are what the fake's app inventory reports ([`cps`]).
//!
//! [`cps`]: crate::cps

use chrono::{DateTime, Utc};
use helpatwork_domain::{Device, InstalledApp, Ownership, Platform};
use helpatwork_fleetgen::Fleet;
use serde_json::{json, Value};

/// The `dmPartitionId` of the fake's default space ("Default Space").
pub const DEFAULT_PARTITION_ID: u64 = 100_001;
/// A second, empty space ("Marketing Space"), not the default.
pub const OTHER_PARTITION_ID: u64 = 100_002;
/// Ivanti ids of generated devices start here (`1000000`, `1000001`, …).
pub const FIRST_DEVICE_ID: u64 = 1_000_000;

/// What to generate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FleetSpec {
    /// Number of records.
    pub devices: usize,
    /// Varies names, platforms, facts and check-in times.
    pub seed: u64,
    /// The instant check-in times are relative to.
    pub now: DateTime<Utc>,
    /// Every n-th record (n ≥ 1) is retired (`RETIRED` and `RETIRE_PENDING` alternate);
    /// `0`: none.
    pub retired_every: usize,
}

impl Default for FleetSpec {
    fn default() -> Self {
        Self {
            devices: 100,
            seed: 7,
            now: Utc::now(),
            retired_every: 0,
        }
    }
}

impl FleetSpec {
    /// The generator's fleet behind these records.
    pub fn fleet(&self) -> Fleet {
        Fleet::organisation(self.devices, self.seed, self.now)
    }
}

/// The Ivanti `id` (as text) of generated record `index`.
pub fn device_id(index: usize) -> String {
    (FIRST_DEVICE_ID + index as u64).to_string()
}

/// Whether generated record `index` is retired under `spec`.
pub fn is_retired(spec: &FleetSpec, index: usize) -> bool {
    spec.retired_every > 0 && (index + 1) % spec.retired_every == 0
}

/// The records of `spec`, in id order.
pub fn generate(spec: &FleetSpec) -> Vec<Value> {
    generate_with_apps(spec)
        .into_iter()
        .map(|(record, _)| record)
        .collect()
}

/// Each record with the generated device's installed apps (what the app inventory reports).
pub(crate) fn generate_with_apps(spec: &FleetSpec) -> Vec<(Value, Vec<InstalledApp>)> {
    spec.fleet()
        .iter()
        .enumerate()
        .map(|(index, device)| {
            let record = render(spec, index, &device);
            (record, device.apps.unwrap_or_default())
        })
        .collect()
}

/// SplitMix64: a tiny, well-mixed, deterministic generator.
pub(crate) fn mix(mut x: u64) -> u64 {
    x = x.wrapping_add(0x9E37_79B9_7F4A_7C15);
    x = (x ^ (x >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    x ^ (x >> 31)
}

/// Ivanti's `platformType` for a platform.
pub fn platform_type(platform: Platform) -> &'static str {
    match platform {
        Platform::Android => "ANDROID",
        Platform::Ios => "IOS",
        Platform::Windows => "WINDOWS_PHONE",
        Platform::Macos => "MACOS",
        _ => "OTHER",
    }
}

/// The hardware model identifier Ivanti reports as `deviceModel` (the name for the others).
fn device_model(model: &str) -> &str {
    match model {
        "Galaxy S23" => "SM-S911B",
        "Galaxy A54" => "SM-A546B",
        "Galaxy XCover6 Pro" => "SM-G736B",
        "iPhone 15" => "iPhone15,4",
        "iPhone 13" => "iPhone14,5",
        "iPhone SE" => "iPhone14,6",
        "iPhone 5c" => "iPhone5,3",
        "iPad (9th generation)" => "iPad12,1",
        "MacBook Air" => "Mac14,2",
        other => other,
    }
}

/// Generated device `index` as Ivanti's search result record.
pub fn render(spec: &FleetSpec, index: usize, device: &Device) -> Value {
    let r = |salt: u64| mix(spec.seed ^ mix(index as u64 ^ salt.wrapping_mul(0x1000_0001)));
    let id = FIRST_DEVICE_ID + index as u64;
    let (first, last) = device
        .user
        .name
        .split_once(' ')
        .unwrap_or((device.user.name.as_str(), ""));
    let platform = platform_type(device.platform);
    let android = device.platform == Platform::Android;
    let ios = device.platform == Platform::Ios;
    let version = device.os_version.as_str();
    let last_checkin = device.last_checkin.timestamp_millis();
    let registration = if is_retired(spec, index) {
        if (index / spec.retired_every.max(1)) % 2 == 0 {
            "RETIRED"
        } else {
            "RETIRE_PENDING"
        }
    } else {
        "ACTIVE"
    };
    let guid = {
        let a = r(10);
        let b = r(11);
        format!(
            "{:08x}-{:04x}-4{:03x}-8{:03x}-{:012x}",
            a >> 32,
            (a >> 16) & 0xffff,
            a & 0xfff,
            b >> 52,
            b & 0xffff_ffff_ffff
        )
    };
    let udid = if ios {
        Value::String(format!("{:016x}{:016x}", r(15), r(16)))
    } else {
        Value::Null
    };
    let mac = format!(
        "02:00:{:02x}:{:02x}:{:02x}:{:02x}",
        (id >> 24) & 0xff,
        (id >> 16) & 0xff,
        (id >> 8) & 0xff,
        id & 0xff
    );
    let m = &device.management;
    let fact = |value: Option<bool>| value.map_or(Value::Null, Value::Bool);
    let mut record = json!({
        "id": id,
        "guid": guid,
        "mdmChannelId": format!("{:016x}", r(12)),
        "phoneNumber": null,
        "deviceModel": device_model(&device.model),
        "deviceName": device.name,
        "platformType": platform,
        "platformVersion": version,
        "osBuildVersion": format!("{version}.{}", r(13) % 100),
        "lastCheckin": last_checkin,
        "clientLastCheckin": last_checkin,
        "registrationState": registration,
        "displayName": device.user.name,
        "firstName": first,
        "lastName": last,
        "uid": device.user.email,
        "emailAddress": device.user.email,
        "clientVersion": m.client_version,
        "manufacturer": device.manufacturer,
        "serialNumber": format!("SN{:010}", r(14) % 10_000_000_000),
        "imei": null,
        "udid": udid,
        "wifiMacAddress": mac,
        "ipAddress": null,
    });
    let more = json!({
        "ownershipType": match m.ownership {
            Some(Ownership::Employee) => "EMPLOYEE_OWNED",
            _ => "COMPANY_OWNED",
        },
        "complianceState": fact(m.compliant),
        "quarantined": fact(m.quarantined),
        "jailbroken": fact(m.jailbroken),
        "violatedPolicies": [],
        "prettyModel": device.model,
        "totalCapacity": 128.0,
        "availableCapacity": 64.5,
        "uptime": null,
        "supervised": if ios { fact(m.supervised) } else { Value::Null },
        "lostModeEnabled": if ios { fact(m.lost_mode) } else { Value::Null },
        "mamOnly": device.mam_only,
        "authOnly": false,
        "depEnrolled": ios && !device.mam_only,
        "androidWorkContainerEnabled": android && !device.kiosk && r(19) % 2 == 0,
        "androidDeviceOwnerModeEnabled": device.kiosk,
        // The reference documents only `NOT_CONFIGURED`; the configured value is the fake's.
        "kioskState": if device.kiosk { "CONFIGURED" } else { "NOT_CONFIGURED" },
        "ownerId": 324_018_450 + index as u64,
        "customAttributes": {"attrs": {}},
        "dmPartitionId": DEFAULT_PARTITION_ID,
        "dmPartitionName": "Default Space",
        "entityName": format!("{platform}-{}-{id}", device.model),
    });
    if let (Value::Object(target), Value::Object(extra)) = (&mut record, more) {
        target.extend(extra);
    }
    record
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec(devices: usize) -> FleetSpec {
        FleetSpec {
            devices,
            seed: 3,
            now: DateTime::from_timestamp(1_750_000_000, 0).expect("valid"),
            retired_every: 10,
        }
    }

    #[test]
    fn generation_is_deterministic() {
        assert_eq!(generate(&spec(50)), generate(&spec(50)));
        let other = FleetSpec {
            seed: 4,
            ..spec(50)
        };
        assert_ne!(generate(&spec(50)), generate(&other));
    }

    #[test]
    fn records_are_the_generated_devices() {
        let spec = spec(200);
        let devices = spec.fleet().generate();
        let records = generate(&spec);
        for (device, record) in devices.iter().zip(&records) {
            assert_eq!(record["deviceName"], json!(device.name));
            assert_eq!(record["prettyModel"], json!(device.model));
            assert_eq!(record["platformType"], platform_type(device.platform));
            assert_eq!(record["emailAddress"], json!(device.user.email));
            assert_eq!(
                record["lastCheckin"],
                json!(device.last_checkin.timestamp_millis())
            );
            assert_eq!(record["androidDeviceOwnerModeEnabled"], json!(device.kiosk));
        }
    }

    #[test]
    fn fleet_has_a_realistic_mix() {
        let fleet = generate(&spec(1000));
        let count = |key: &str, value: &str| {
            fleet
                .iter()
                .filter(|d| d[key].as_str() == Some(value))
                .count()
        };
        assert!(count("platformType", "ANDROID") > 550);
        assert!(count("platformType", "IOS") > 250);
        assert!(count("platformType", "WINDOWS_PHONE") + count("platformType", "MACOS") > 20);
        assert_eq!(
            count("registrationState", "RETIRED") + count("registrationState", "RETIRE_PENDING"),
            100
        );
        assert!(count("kioskState", "CONFIGURED") > 20);
        assert!(count("ownershipType", "EMPLOYEE_OWNED") > 100);
        assert_eq!(fleet[0]["id"], json!(1_000_000));
        assert_eq!(device_id(1), "1000001");
        assert!(fleet
            .iter()
            .all(|d| d["emailAddress"].as_str().is_some_and(str::is_ascii)));
    }
}
