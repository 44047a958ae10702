//! A device's labels from CPS's *Get device groups associated with device list*: read with each
//! device page when CPS access is configured, in the app inventory's batches of GUIDs; unknown
//! (never "none") when CPS is not configured or when the call is refused.

use std::time::Duration;

use helpatwork_ivanti_fake::{groups, Endpoint, Failure, FakeIvanti};
use helpatwork_mdm::{
    ErrorCode, IvantiConnector, IvantiOptions, MdmConnector, PageCursor, RetryPolicy,
};
use serde_json::Value;

use crate::support::fake_ivanti;

fn options() -> IvantiOptions {
    IvantiOptions {
        request_timeout: Duration::from_millis(500),
        retry: RetryPolicy {
            max_attempts: 3,
            base_delay: Duration::from_millis(1),
            max_delay: Duration::from_millis(2),
            max_total_wait: Duration::from_millis(50),
        },
        ..IvantiOptions::default()
    }
}

fn with_cps(fake: &FakeIvanti) -> IvantiConnector {
    IvantiConnector::with_options(fake.config_with_cps().expect("config"), options())
        .expect("connector")
}

fn group_requests(fake: &FakeIvanti) -> Vec<helpatwork_ivanti_fake::RequestRecord> {
    fake.handle
        .requests()
        .into_iter()
        .filter(|r| r.endpoint == Some(Endpoint::DeviceGroups))
        .collect()
}

/// The fake's record for a device id, and its guid.
fn record(fake: &FakeIvanti, id: &str) -> (Value, String) {
    let record = fake
        .handle
        .devices()
        .into_iter()
        .find(|d| d["id"].to_string().as_str() == id)
        .expect("the device is in the fake");
    let guid = record["guid"].as_str().unwrap().to_owned();
    (record, guid)
}

#[tokio::test]
async fn device_groups_become_each_devices_labels_one_batched_call_a_page() {
    let fake = fake_ivanti(250).await;
    let connector = with_cps(&fake);
    let page = connector
        .devices_page(PageCursor::START, 250)
        .await
        .expect("page");
    assert!(page.labels_error.is_none(), "{:?}", page.labels_error);
    assert_eq!(page.devices.len(), 250);
    // Batches of 100 GUIDs, as for the app inventory: 3 calls for 250 devices.
    let calls = group_requests(&fake);
    assert_eq!(calls.len(), 3);
    let first: Value = serde_json::from_str(&calls[0].body).unwrap();
    assert_eq!(first["identifiers"].as_array().unwrap().len(), 100);
    assert_eq!(
        first.as_object().unwrap().keys().collect::<Vec<_>>(),
        vec!["identifiers"],
        "the documented body: identifiers only"
    );

    let mut kiosks = 0;
    let mut none = 0;
    for device in &page.devices {
        let (record, guid) = record(&fake, &device.id);
        let expected = fake.handle.device_groups(&guid).unwrap();
        assert_eq!(device.labels.as_ref(), Some(&expected), "{}", device.id);
        let kiosk = record["kioskState"] == "CONFIGURED";
        assert_eq!(
            expected.iter().any(|g| g == groups::WAREHOUSE),
            kiosk,
            "{}",
            device.id
        );
        kiosks += usize::from(kiosk);
        none += usize::from(expected.is_empty());
    }
    assert!(kiosks > 5, "kiosk devices in Warehouse: {kiosks}");
    assert!(
        none > 50,
        "devices in no group are known to be in none: {none}"
    );
}

#[tokio::test]
async fn groups_a_test_sets_are_the_labels() {
    let fake = fake_ivanti(5).await;
    let (_, guid) = record(&fake, &fake.handle.devices()[0]["id"].to_string());
    fake.handle
        .set_device_groups(&guid, &["Front Desk", "front desk", "Store 12"]);
    let page = with_cps(&fake)
        .devices_page(PageCursor::START, 5)
        .await
        .unwrap();
    assert_eq!(
        page.devices[0].labels,
        Some(vec!["Front Desk".to_owned(), "Store 12".to_owned()]),
        "listed once, whatever the case"
    );
}

#[tokio::test]
async fn a_refused_call_leaves_the_labels_unknown_and_says_why() {
    let cases = [
        (Failure::Forbidden, ErrorCode::Forbidden),
        (Failure::Unauthorized, ErrorCode::Unauthorized),
        (Failure::ServerError(503), ErrorCode::ServerError),
        (Failure::MalformedJson, ErrorCode::MalformedResponse),
    ];
    for (failure, code) in cases {
        let fake = fake_ivanti(20).await;
        fake.handle.inject(Endpoint::DeviceGroups, failure.clone());
        let page = with_cps(&fake)
            .devices_page(PageCursor::START, 50)
            .await
            .expect("the device page itself is read");
        assert_eq!(page.devices.len(), 20);
        assert!(
            page.devices.iter().all(|d| d.labels.is_none()),
            "{failure:?}: unknown, never \"no labels\""
        );
        assert!(page.inventory_error.is_none(), "the apps are still read");
        assert!(page.devices.iter().any(|d| d.apps.is_some()));
        let error = page.labels_error.expect("the failure is reported");
        assert_eq!(error.code(), code, "{failure:?}");
        assert!(error.to_string().contains("device groups"), "{error}");
        if code == ErrorCode::Forbidden {
            assert!(error.fix().contains("device groups"), "{}", error.fix());
        }
    }
}

#[tokio::test]
async fn without_cps_access_the_labels_stay_unknown_and_nothing_is_asked() {
    let fake = fake_ivanti(10).await;
    let connector =
        IvantiConnector::with_options(fake.config().unwrap(), options()).expect("connector");
    let page = connector.devices_page(PageCursor::START, 10).await.unwrap();
    assert!(page.devices.iter().all(|d| d.labels.is_none()));
    assert!(page.labels_error.is_none());
    assert!(group_requests(&fake).is_empty());
}
