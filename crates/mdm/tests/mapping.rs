//! Device records → `Device` (docs/reference/mdm-apis.md §2.4), retired devices, odd records.

use helpatwork_domain::device::Platform;
use helpatwork_ivanti_fake::FleetSpec;
use helpatwork_mdm::{collect_fleet, MdmConnector, PageCursor};
use serde_json::{json, Value};

use crate::support::{self, fake_ivanti, now};

/// An active Android record with the fields of docs/reference/mdm-apis.md §2.4, values in the style of XSOAR's
/// `get_devices_response_page.json` (that fixture's Android device, made active and a kiosk).
fn reference_android_record() -> Value {
    let mut record: Value = serde_json::from_str(REFERENCE_ANDROID).expect("fixture is JSON");
    let checked_in = now().timestamp_millis() - 2 * 3_600_000;
    record["lastCheckin"] = json!(checked_in);
    record["clientLastCheckin"] = json!(checked_in);
    record
}

const REFERENCE_ANDROID: &str = r#"{
    "id": 1000001,
    "guid": "02fdc9d7-0000-0000-0000-1b3d96158fb9",
    "mdmChannelId": "a1e13a01-0000-0000-0000-1e2ebeb8bdd6",
    "deviceModel": "Pixel",
    "prettyModel": "Pixel 8",
    "deviceName": "Front desk tablet",
    "entityName": "ANDROID-Pixel-",
    "platformType": "ANDROID",
    "platformVersion": "14",
    "osBuildVersion": "AP2A.240805.005",
    "manufacturer": "Google",
    "lastCheckin": 0,
    "clientLastCheckin": 0,
    "registrationState": "ACTIVE",
    "displayName": "Android AppConnect",
    "firstName": "Ana",
    "lastName": "Souza",
    "uid": "test1@email.com",
    "emailAddress": "ana.souza@example.com",
    "ownerId": 345947550,
    "ownershipType": "UNKNOWN",
    "complianceState": true,
    "quarantined": false,
    "jailbroken": false,
    "violatedPolicies": [],
    "kioskState": "NOT_CONFIGURED",
    "androidDeviceOwnerModeEnabled": true,
    "androidWorkContainerEnabled": false,
    "supervised": null,
    "mamOnly": false,
    "authOnly": false,
    "depEnrolled": false,
    "clientVersion": "1.0.0",
    "serialNumber": "",
    "imei": "",
    "udid": null,
    "wifiMacAddress": "00:37:00:00:00:00",
    "ipAddress": null,
    "totalCapacity": 33.554432,
    "availableCapacity": 20.300531,
    "uptime": 367793680,
    "customAttributes": {"attrs": {}},
    "dmPartitionId": 100001,
    "dmPartitionName": "Default Space"
}"#;

#[tokio::test]
async fn field_mapping_follows_reference_2_4() {
    let fake = fake_ivanti(0).await;
    fake.handle
        .replace_devices(vec![reference_android_record()]);
    let connector = support::connector(&fake);
    let page = connector
        .devices_page(PageCursor::START, 10)
        .await
        .expect("page");
    assert_eq!(page.devices.len(), 1);
    let d = &page.devices[0];
    assert_eq!(d.id, "1000001");
    assert_eq!(d.name, "Front desk tablet");
    assert_eq!(d.user.name, "Ana Souza");
    assert_eq!(d.user.email, "ana.souza@example.com");
    assert_eq!(d.platform, Platform::Android);
    assert_eq!(d.os_version, "14");
    assert_eq!(d.manufacturer, "Google");
    assert_eq!(d.model, "Pixel 8");
    assert!(d.kiosk, "androidDeviceOwnerModeEnabled");
    assert!(!d.mam_only);
    assert!(d.online, "ACTIVE: reachable");
    assert!(d.is_online(now()), "checked in 2 h ago");
    assert_eq!(
        d.last_checkin,
        now() - chrono::Duration::hours(2),
        "epoch milliseconds"
    );
    assert_eq!(d.host_activated, None, "Ivanti reports no Host activation");
    assert_eq!(
        d.apps, None,
        "without CPS access the installed apps are unknown"
    );
    assert!(d.is_google_pixel());
}

#[tokio::test]
async fn ios_records_map_mam_only_and_the_kiosk_state() {
    let fake = fake_ivanti(0).await;
    let mut ios = reference_android_record();
    ios["id"] = json!(1000002);
    ios["platformType"] = json!("IOS");
    ios["platformVersion"] = json!("17.5.1");
    ios["manufacturer"] = json!("Apple");
    ios["prettyModel"] = Value::Null;
    ios["deviceModel"] = json!("iPhone15,4");
    ios["mamOnly"] = json!(true);
    ios["androidDeviceOwnerModeEnabled"] = json!(false);
    ios["kioskState"] = Value::Null;
    ios["firstName"] = Value::Null;
    ios["lastName"] = Value::Null;
    ios["lastCheckin"] = json!(now().timestamp_millis() - 30 * 3_600_000);
    let mut kiosk = reference_android_record();
    kiosk["id"] = json!(1000003);
    kiosk["androidDeviceOwnerModeEnabled"] = json!(false);
    kiosk["kioskState"] = json!("CONFIGURED");
    fake.handle.replace_devices(vec![ios, kiosk]);
    let page = support::connector(&fake)
        .devices_page(PageCursor::START, 10)
        .await
        .expect("page");
    let ios = &page.devices[0];
    assert_eq!(ios.platform, Platform::Ios);
    assert!(ios.mam_only);
    assert!(!ios.kiosk, "kioskState null");
    assert_eq!(
        ios.model, "iPhone15,4",
        "deviceModel when prettyModel is null"
    );
    assert_eq!(ios.user.name, "Android AppConnect", "displayName fallback");
    assert!(
        ios.online && !ios.is_online(now()),
        "reachable, but last check-in 30 h ago"
    );
    assert!(
        page.devices[1].kiosk,
        "kioskState other than NOT_CONFIGURED"
    );
}

#[tokio::test]
async fn retired_and_retire_pending_devices_are_reported_as_removed() {
    let fake = fake_ivanti(0).await;
    let mut retired = reference_android_record();
    retired["id"] = json!(1);
    retired["registrationState"] = json!("RETIRED");
    let mut pending = reference_android_record();
    pending["id"] = json!(2);
    pending["registrationState"] = json!("RETIRE_PENDING");
    let mut active = reference_android_record();
    active["id"] = json!(3);
    fake.handle.replace_devices(vec![retired, pending, active]);
    let page = support::connector(&fake)
        .devices_page(PageCursor::START, 10)
        .await
        .expect("page");
    assert_eq!(page.removed, ["1", "2"]);
    let ids: Vec<&str> = page.devices.iter().map(|d| d.id.as_str()).collect();
    assert_eq!(ids, ["3"]);
    assert_eq!(page.total, 3);
}

#[tokio::test]
async fn a_device_retired_between_syncs_moves_to_removed() {
    let fake = fake_ivanti(10).await;
    let connector = support::connector(&fake);
    let before = collect_fleet(&connector, 500, |_| {}).await.expect("fleet");
    assert_eq!(before.devices.len(), 10);
    assert!(fake.handle.set_registration_state("1000004", "RETIRED"));
    let after = collect_fleet(&connector, 500, |_| {}).await.expect("fleet");
    assert_eq!(after.devices.len(), 9);
    assert_eq!(after.removed, ["1000004"]);
}

#[tokio::test]
async fn odd_records_are_skipped_and_the_rest_of_the_page_maps() {
    let fake = fake_ivanti(0).await;
    let good = reference_android_record();
    let mut never = reference_android_record();
    never["id"] = json!(77);
    never["lastCheckin"] = Value::Null;
    never["clientLastCheckin"] = Value::Null;
    let mut wrong_types = reference_android_record();
    wrong_types["id"] = json!(78);
    wrong_types["deviceName"] = json!(12);
    wrong_types["mamOnly"] = json!("yes");
    wrong_types["platformType"] = json!(["ANDROID"]);
    fake.handle.replace_devices(vec![
        json!("not an object"),
        json!({"id": null, "guid": null}),
        never,
        wrong_types,
        good,
    ]);
    let page = support::connector(&fake)
        .devices_page(PageCursor::START, 10)
        .await
        .expect("one odd record never fails a page");
    assert_eq!(page.skipped.len(), 3);
    assert_eq!(page.skipped[2].id.as_deref(), Some("77"));
    assert_eq!(page.devices.len(), 2);
    let odd = &page.devices[0];
    assert_eq!(odd.id, "78");
    assert_eq!(
        odd.name, "ANDROID-Pixel-",
        "entityName when deviceName is not text"
    );
    assert_eq!(odd.platform, Platform::Other);
    assert!(!odd.mam_only);
}

#[tokio::test]
async fn the_generated_fleet_maps_every_record() {
    let spec = FleetSpec {
        retired_every: 10,
        ..support::spec(300)
    };
    let fake = support::fake_with(spec).await;
    let fleet = collect_fleet(&support::connector(&fake), 500, |_| {})
        .await
        .expect("fleet");
    assert_eq!(fleet.devices.len(), 270);
    assert_eq!(fleet.removed.len(), 30);
    assert!(fleet.skipped.is_empty());
    let online = fleet.devices.iter().filter(|d| d.is_online(now())).count();
    assert!((150..=260).contains(&online), "{online} online of 270");
    assert!(fleet.devices.iter().any(|d| d.kiosk));
    assert!(fleet.devices.iter().any(|d| d.platform == Platform::Ios));
    assert!(fleet
        .devices
        .iter()
        .all(|d| !d.user.email.is_empty() && !d.model.is_empty() && d.apps.is_none()));
}
