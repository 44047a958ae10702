//! The fake's fleet: devices from the one generator (`helpatwork_fleetgen`, an organisation's
//! profile) as Intune `managedDevice` records, with the properties the reference's
//! `managedDevice` resource names (`fixtures/managedDevice-list.json` shows them all).
//!
//! The same [`FleetSpec`] always yields the same records, so tests can compute what a
//! connector must report. Records are kept as a struct (a 100,000-device fleet stays small)
//! and rendered as JSON per answer, with `$select` applied.

use chrono::{DateTime, SecondsFormat, Utc};
use helpatwork_domain::{Device, Ownership, Platform};
use helpatwork_fleetgen::Fleet;
use serde_json::{Map, Value};

/// What to generate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FleetSpec {
    pub devices: usize,
    pub seed: u64,
    /// The instant `lastSyncDateTime` values are relative to.
    pub now: DateTime<Utc>,
}

impl Default for FleetSpec {
    fn default() -> Self {
        Self {
            devices: 100,
            seed: 7,
            now: Utc::now(),
        }
    }
}

/// One `managedDevice`, the properties the fake serves.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GraphDevice {
    pub id: String,
    pub user_id: Option<String>,
    pub device_name: Option<String>,
    /// `company`, `personal` or `unknown`.
    pub managed_device_owner_type: String,
    pub enrolled_date_time: Option<String>,
    pub last_sync_date_time: Option<String>,
    /// "Android", "iOS", "Windows", "macOS".
    pub operating_system: Option<String>,
    /// `compliant`, `noncompliant`, `inGracePeriod`, `unknown`, …
    pub compliance_state: String,
    /// "True", "False" or "Unknown" (a String in the reference).
    pub jail_broken: Option<String>,
    pub management_agent: String,
    pub os_version: Option<String>,
    pub device_enrollment_type: String,
    pub email_address: Option<String>,
    pub azure_ad_device_id: Option<String>,
    pub device_registration_state: String,
    pub is_supervised: bool,
    pub user_principal_name: Option<String>,
    pub model: Option<String>,
    pub manufacturer: Option<String>,
    pub serial_number: Option<String>,
    pub user_display_name: Option<String>,
    pub managed_device_name: Option<String>,
}

impl GraphDevice {
    /// The record as Graph renders it: every property, or only the `$select`ed ones (`id`
    /// always, as Graph does for entities).
    pub fn to_json(&self, select: Option<&[String]>) -> Value {
        let text = |v: &Option<String>| v.clone().map_or(Value::Null, Value::String);
        let all: [(&str, Value); 22] = [
            ("id", Value::String(self.id.clone())),
            ("userId", text(&self.user_id)),
            ("deviceName", text(&self.device_name)),
            (
                "managedDeviceOwnerType",
                Value::String(self.managed_device_owner_type.clone()),
            ),
            ("enrolledDateTime", text(&self.enrolled_date_time)),
            ("lastSyncDateTime", text(&self.last_sync_date_time)),
            ("operatingSystem", text(&self.operating_system)),
            (
                "complianceState",
                Value::String(self.compliance_state.clone()),
            ),
            ("jailBroken", text(&self.jail_broken)),
            (
                "managementAgent",
                Value::String(self.management_agent.clone()),
            ),
            ("osVersion", text(&self.os_version)),
            (
                "deviceEnrollmentType",
                Value::String(self.device_enrollment_type.clone()),
            ),
            ("emailAddress", text(&self.email_address)),
            ("azureADDeviceId", text(&self.azure_ad_device_id)),
            (
                "deviceRegistrationState",
                Value::String(self.device_registration_state.clone()),
            ),
            ("isSupervised", Value::Bool(self.is_supervised)),
            ("userPrincipalName", text(&self.user_principal_name)),
            ("model", text(&self.model)),
            ("manufacturer", text(&self.manufacturer)),
            ("serialNumber", text(&self.serial_number)),
            ("userDisplayName", text(&self.user_display_name)),
            ("managedDeviceName", text(&self.managed_device_name)),
        ];
        let mut map = Map::new();
        map.insert(
            "@odata.type".to_owned(),
            Value::from("#microsoft.graph.managedDevice"),
        );
        for (key, value) in all {
            let wanted = match select {
                None => true,
                Some(fields) => key == "id" || fields.iter().any(|f| f == key),
            };
            if wanted {
                map.insert(key.to_owned(), value);
            }
        }
        Value::Object(map)
    }
}

/// SplitMix64.
fn mix(mut x: u64) -> u64 {
    x = x.wrapping_add(0x9E37_79B9_7F4A_7C15);
    x = (x ^ (x >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    x ^ (x >> 31)
}

fn guid(seed: u64, index: usize, salt: u64) -> String {
    let a = mix(seed ^ mix(index as u64 ^ salt.wrapping_mul(0x1000_0001)));
    let b = mix(a ^ salt);
    format!(
        "{:08x}-{:04x}-4{:03x}-8{:03x}-{:012x}",
        a >> 32,
        (a >> 16) & 0xffff,
        a & 0xfff,
        b >> 52,
        b & 0xffff_ffff_ffff
    )
}

/// The Intune id (a GUID) of generated device `index`.
pub fn device_id(spec: &FleetSpec, index: usize) -> String {
    guid(spec.seed, index, 1)
}

/// The `deviceEnrollmentType` the fake gives a device (the values are the reference's; which
/// device gets which is the fake's choice): Android kiosk → dedicated; Android employee-owned
/// → `userEnrollment` (personally-owned work profile); every fourth other company Android →
/// corporate-owned work profile, the rest fully managed; supervised iOS → Automated Device
/// Enrollment (`appleBulkWithUser`), other iOS → `userEnrollment`.
pub fn enrollment_type(index: usize, device: &Device) -> &'static str {
    match device.platform {
        Platform::Android if device.kiosk => "androidEnterpriseDedicatedDevice",
        Platform::Android if device.management.ownership == Some(Ownership::Employee) => {
            "userEnrollment"
        }
        Platform::Android if index % 4 == 3 => "androidEnterpriseCorporateWorkProfile",
        Platform::Android => "androidEnterpriseFullyManaged",
        Platform::Ios if device.management.supervised == Some(true) => "appleBulkWithUser",
        Platform::Ios => "userEnrollment",
        Platform::Windows => "windowsAzureADJoin",
        _ => "unknown",
    }
}

fn operating_system(platform: Platform) -> &'static str {
    match platform {
        Platform::Android => "Android",
        Platform::Ios => "iOS",
        Platform::Windows => "Windows",
        Platform::Macos => "macOS",
        _ => "Linux",
    }
}

/// Generated device `index` as a `managedDevice`.
pub fn render(spec: &FleetSpec, index: usize, device: &Device) -> GraphDevice {
    let m = &device.management;
    let stamp = |t: DateTime<Utc>| Some(t.to_rfc3339_opts(SecondsFormat::Millis, true));
    let email = (!device.user.email.is_empty()).then(|| device.user.email.clone());
    GraphDevice {
        id: device_id(spec, index),
        user_id: Some(guid(spec.seed, index, 2)),
        device_name: Some(device.name.clone()),
        managed_device_owner_type: match m.ownership {
            Some(Ownership::Employee) => "personal",
            Some(Ownership::Company) => "company",
            None => "unknown",
        }
        .to_owned(),
        enrolled_date_time: stamp(spec.now - chrono::Duration::days(400)),
        last_sync_date_time: stamp(device.last_checkin),
        operating_system: Some(operating_system(device.platform).to_owned()),
        compliance_state: match m.compliant {
            Some(true) => "compliant",
            Some(false) => "noncompliant",
            None => "unknown",
        }
        .to_owned(),
        jail_broken: Some(
            match m.jailbroken {
                Some(true) => "True",
                Some(false) => "False",
                None => "Unknown",
            }
            .to_owned(),
        ),
        management_agent: "mdm".to_owned(),
        os_version: Some(device.os_version.clone()),
        device_enrollment_type: enrollment_type(index, device).to_owned(),
        email_address: email.clone(),
        azure_ad_device_id: Some(guid(spec.seed, index, 3)),
        device_registration_state: "registered".to_owned(),
        is_supervised: m.supervised == Some(true),
        user_principal_name: email,
        model: Some(device.model.clone()),
        manufacturer: Some(device.manufacturer.clone()),
        serial_number: Some(format!(
            "SN{:010}",
            mix(spec.seed ^ index as u64) % 10_000_000_000
        )),
        user_display_name: Some(device.user.name.clone()),
        managed_device_name: Some(format!("{}_{}", device.user.name, device.model)),
    }
}

/// The records of `spec`, in list order.
pub fn generate(spec: &FleetSpec) -> Vec<GraphDevice> {
    Fleet::organisation(spec.devices, spec.seed, spec.now)
        .iter()
        .enumerate()
        .map(|(index, device)| render(spec, index, &device))
        .collect()
}

/// The generator's devices behind the records (what a connector must report, device by device).
pub fn source_devices(spec: &FleetSpec) -> Vec<Device> {
    Fleet::organisation(spec.devices, spec.seed, spec.now)
        .iter()
        .collect()
}
