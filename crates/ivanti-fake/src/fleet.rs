//! A deterministic fleet of device records in Ivanti's search-result shape (reference §2.4,
//! fields as in XSOAR's `get_devices_response_page.json`).
//!
//! The same [`FleetSpec`] always yields the same records, so tests can compute what a
//! connector must report.

use chrono::{DateTime, Duration, Utc};
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
    /// Varies names, platforms and check-in times.
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
    (0..spec.devices).map(|i| record(spec, i)).collect()
}

const FIRST: [&str; 12] = [
    "Ana", "Bruno", "Carla", "Diego", "Elisa", "Felipe", "Gabriela", "Hugo", "Isabel", "João",
    "Karin", "Lucas",
];
const LAST: [&str; 10] = [
    "Souza", "Lima", "Costa", "Pereira", "Almeida", "Ferreira", "Ribeiro", "Carvalho", "Gomes",
    "Martins",
];

struct Model {
    platform: &'static str,
    manufacturer: &'static str,
    device_model: &'static str,
    pretty_model: &'static str,
    versions: &'static [&'static str],
}

const ANDROID: [Model; 4] = [
    Model {
        platform: "ANDROID",
        manufacturer: "Google",
        device_model: "Pixel 8",
        pretty_model: "Pixel 8",
        versions: &["14", "15"],
    },
    Model {
        platform: "ANDROID",
        manufacturer: "samsung",
        device_model: "SM-S911B",
        pretty_model: "Galaxy S23",
        versions: &["13", "14"],
    },
    Model {
        platform: "ANDROID",
        manufacturer: "Zebra Technologies",
        device_model: "TC52",
        pretty_model: "TC52",
        versions: &["11", "13"],
    },
    Model {
        platform: "ANDROID",
        manufacturer: "motorola",
        device_model: "moto g84 5G",
        pretty_model: "moto g84 5G",
        versions: &["14"],
    },
];
const IOS: [Model; 3] = [
    Model {
        platform: "IOS",
        manufacturer: "Apple",
        device_model: "iPhone15,4",
        pretty_model: "iPhone 15",
        versions: &["17.5.1", "18.1"],
    },
    Model {
        platform: "IOS",
        manufacturer: "Apple",
        device_model: "iPhone14,5",
        pretty_model: "iPhone 13",
        versions: &["16.7.8", "17.5.1"],
    },
    Model {
        platform: "IOS",
        manufacturer: "Apple",
        device_model: "iPad13,18",
        pretty_model: "iPad (10th generation)",
        versions: &["17.5.1"],
    },
];
const WINDOWS: Model = Model {
    platform: "WINDOWS_PHONE",
    manufacturer: "Microsoft Corporation",
    device_model: "Surface Pro 9",
    pretty_model: "Surface Pro 9",
    versions: &["10.0"],
};

/// SplitMix64: a tiny, well-mixed, deterministic generator.
pub(crate) fn mix(mut x: u64) -> u64 {
    x = x.wrapping_add(0x9E37_79B9_7F4A_7C15);
    x = (x ^ (x >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    x ^ (x >> 31)
}

fn pick<T>(items: &[T], r: u64) -> &T {
    &items[(r % items.len() as u64) as usize]
}

fn record(spec: &FleetSpec, index: usize) -> Value {
    let r = |salt: u64| mix(spec.seed ^ mix(index as u64 ^ salt.wrapping_mul(0x1000_0001)));
    let id = FIRST_DEVICE_ID + index as u64;
    let first = *pick(&FIRST, r(1));
    let last = *pick(&LAST, r(2));
    let model = match r(3) % 100 {
        0..=64 => pick(&ANDROID, r(4)),
        65..=94 => pick(&IOS, r(4)),
        _ => &WINDOWS,
    };
    let version = *pick(model.versions, r(5));
    let android = model.platform == "ANDROID";
    let ios = model.platform == "IOS";
    // 80 % checked in within the last 23 hours, the rest 25 hours to 30 days ago.
    let age = if r(6) % 10 < 8 {
        Duration::seconds((r(7) % (23 * 3600)) as i64)
    } else {
        Duration::seconds((25 * 3600 + r(7) % (29 * 24 * 3600)) as i64)
    };
    let last_checkin = (spec.now - age).timestamp_millis();
    let registration = if is_retired(spec, index) {
        if (index / spec.retired_every.max(1)) % 2 == 0 {
            "RETIRED"
        } else {
            "RETIRE_PENDING"
        }
    } else {
        "ACTIVE"
    };
    let kiosk = android && r(8) % 10 == 0;
    let mam_only = ios && r(9) % 20 == 0;
    let email = format!(
        "{}.{}{}@example.com",
        ascii_lower(first),
        ascii_lower(last),
        index
    );
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
    let supervised = if ios {
        Value::Bool(!mam_only)
    } else {
        Value::Null
    };
    let mut device = json!({
        "id": id,
        "guid": guid,
        "mdmChannelId": format!("{:016x}", r(12)),
        "phoneNumber": null,
        "deviceModel": model.device_model,
        "deviceName": format!("{first}'s {}", model.pretty_model),
        "platformType": model.platform,
        "platformVersion": version,
        "osBuildVersion": format!("{version}.{}", r(13) % 100),
        "lastCheckin": last_checkin,
        "clientLastCheckin": last_checkin,
        "registrationState": registration,
        "displayName": format!("{first} {last}"),
        "firstName": first,
        "lastName": last,
        "uid": email,
        "emailAddress": email,
        "clientVersion": if android { "100.0.0" } else { "12.12.0" },
        "manufacturer": model.manufacturer,
        "serialNumber": format!("SN{:010}", r(14) % 10_000_000_000),
        "imei": null,
        "udid": udid,
        "wifiMacAddress": mac,
        "ipAddress": null,
    });
    let more = json!({
        "ownershipType": if r(17) % 4 == 0 { "EMPLOYEE_OWNED" } else { "COMPANY_OWNED" },
        "complianceState": r(18) % 10 != 0,
        "quarantined": false,
        "jailbroken": false,
        "violatedPolicies": [],
        "prettyModel": model.pretty_model,
        "totalCapacity": 128.0,
        "availableCapacity": 64.5,
        "uptime": null,
        "supervised": supervised,
        "lostModeEnabled": if ios { Value::Bool(false) } else { Value::Null },
        "mamOnly": mam_only,
        "authOnly": false,
        "depEnrolled": ios && !mam_only,
        "androidWorkContainerEnabled": android && !kiosk && r(19) % 2 == 0,
        "androidDeviceOwnerModeEnabled": kiosk,
        // The reference documents only `NOT_CONFIGURED`; the configured value is the fake's.
        "kioskState": if kiosk { "CONFIGURED" } else { "NOT_CONFIGURED" },
        "ownerId": 324_018_450 + index as u64,
        "customAttributes": {"attrs": {}},
        "dmPartitionId": DEFAULT_PARTITION_ID,
        "dmPartitionName": "Default Space",
        "entityName": format!("{}-{}-{}", model.platform, model.pretty_model, id),
    });
    if let (Value::Object(target), Value::Object(extra)) = (&mut device, more) {
        target.extend(extra);
    }
    device
}

fn ascii_lower(name: &str) -> String {
    name.chars()
        .map(|c| match c {
            'ã' | 'á' | 'â' => 'a',
            'é' | 'ê' => 'e',
            'í' => 'i',
            'ó' | 'õ' | 'ô' => 'o',
            'ú' => 'u',
            'ç' => 'c',
            c => c.to_ascii_lowercase(),
        })
        .collect()
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
        assert!(count("platformType", "WINDOWS_PHONE") > 10);
        assert_eq!(
            count("registrationState", "RETIRED") + count("registrationState", "RETIRE_PENDING"),
            100
        );
        assert!(count("kioskState", "CONFIGURED") > 20);
        assert_eq!(fleet[0]["id"], json!(1_000_000));
        assert_eq!(device_id(1), "1000001");
        assert!(fleet
            .iter()
            .all(|d| d["emailAddress"].as_str().is_some_and(str::is_ascii)));
    }
}
