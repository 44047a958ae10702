//! The app inventory through CPS's *Get application inventory*: read with each device page when
//! CPS access is configured, in batches, with its own credentials; unknown (never empty) when it
//! is not configured, when a device is left out of the answer, or when the call fails.

use std::time::Duration;

use helpatwork_domain::device::{AppKind, Platform};
use helpatwork_ivanti_fake::{cps::IOS_QUICKSUPPORT, Endpoint, Failure, FakeIvanti};
use helpatwork_mdm::{
    ErrorCode, IvantiConnector, IvantiOptions, MdmConnector, PageCursor, RetryPolicy,
};
use serde_json::{json, Value};

use crate::support::{self, fake_ivanti};

fn with_cps(fake: &FakeIvanti, options: IvantiOptions) -> IvantiConnector {
    IvantiConnector::with_options(fake.config_with_cps().expect("config"), options)
        .expect("connector")
}

fn guid_of(fake: &FakeIvanti, id: &str) -> String {
    fake.handle
        .devices()
        .iter()
        .find(|d| d["id"].to_string().as_str() == id)
        .and_then(|d| d["guid"].as_str().map(str::to_owned))
        .expect("a generated device has a guid")
}

fn inventory_requests(fake: &FakeIvanti) -> Vec<helpatwork_ivanti_fake::RequestRecord> {
    fake.handle
        .requests()
        .into_iter()
        .filter(|r| r.endpoint == Some(Endpoint::AppInventory))
        .collect()
}

#[tokio::test]
async fn without_cps_access_the_apps_stay_unknown_and_nothing_is_asked() {
    let fake = fake_ivanti(30).await;
    let connector = support::connector(&fake);
    assert!(!connector.capabilities().app_inventory);
    let page = connector.devices_page(PageCursor::START, 50).await.unwrap();
    assert!(page.devices.iter().all(|d| d.apps.is_none()));
    assert!(page.inventory_error.is_none());
    assert!(inventory_requests(&fake).is_empty());
}

#[tokio::test]
async fn with_cps_access_each_page_reads_its_apps_in_documented_batches() {
    let fake = fake_ivanti(250).await;
    let connector = with_cps(&fake, support::fast_options());
    assert!(connector.capabilities().app_inventory);
    let page = connector
        .devices_page(PageCursor::START, 250)
        .await
        .unwrap();
    assert!(page.inventory_error.is_none());

    let calls = inventory_requests(&fake);
    assert_eq!(calls.len(), 3, "250 devices in calls of at most 100");
    for call in &calls {
        assert!(call.authorized, "sent as the CPS user");
        assert_eq!(call.method, "POST");
        assert_eq!(call.path, "/msa/v1/cps/device/application");
        assert_eq!(call.content_type.as_deref(), Some("application/json"));
        let body: Value = serde_json::from_str(&call.body).unwrap();
        assert_eq!(body["identifierType"], "GUID");
        let ids = body["identifiers"].as_array().unwrap();
        assert!(!ids.is_empty() && ids.len() <= 100, "{}", ids.len());
    }

    // Each device has what the fake reports for it, or stays unknown when it is left out.
    let mut known = 0;
    for device in &page.devices {
        let guid = guid_of(&fake, &device.id);
        match fake.handle.inventory(&guid) {
            None => assert_eq!(device.apps, None, "{}", device.id),
            Some(reported) => {
                known += 1;
                let apps = device.apps.as_ref().expect("known");
                let has = |needle: &str| {
                    reported
                        .iter()
                        .any(|a| a["identifier"].as_str() == Some(needle))
                };
                let want_qs = match device.platform {
                    Platform::Ios => has(IOS_QUICKSUPPORT),
                    _ => has("com.teamviewer.quicksupport.market"),
                };
                assert_eq!(device.app(AppKind::Quicksupport).is_some(), want_qs);
                assert!(
                    apps.iter().all(|a| a.allowlisted.is_none()),
                    "never reported"
                );
                assert!(apps.iter().all(|a| a.managed.is_some()));
            }
        }
    }
    assert!(known > 200, "{known} of 250 known");
}

#[tokio::test]
async fn an_ios_device_with_managed_quicksupport_is_known_as_such() {
    let fake = fake_ivanti(0).await;
    let mut record = fake_ios_record();
    record["guid"] = json!("0aa0c0de-0000-4000-8000-000000000001");
    fake.handle.replace_devices(vec![record]);
    fake.handle.set_inventory(
        "0aa0c0de-0000-4000-8000-000000000001",
        Some(vec![json!({
            "identifier": IOS_QUICKSUPPORT, "name": "TeamViewer QuickSupport",
            "version": "155900", "shortVersion": "15.59.0", "managed": true,
            "source": "PUBLIC", "installing": false
        })]),
    );
    let page = with_cps(&fake, support::fast_options())
        .devices_page(PageCursor::START, 10)
        .await
        .unwrap();
    let qs = page.devices[0]
        .app(AppKind::Quicksupport)
        .expect("installed");
    assert_eq!(qs.version.as_deref(), Some("15.59.0"));
    assert_eq!(qs.managed, Some(true));
    assert!(!qs.installing);
}

fn fake_ios_record() -> Value {
    json!({
        "id": 1000042, "registrationState": "ACTIVE", "platformType": "IOS",
        "platformVersion": "17.5.1", "manufacturer": "Apple", "prettyModel": "iPhone 15",
        "deviceName": "Bruno's iPhone", "firstName": "Bruno", "lastName": "Lima",
        "emailAddress": "bruno@example.com", "lastCheckin": support::now().timestamp_millis(),
        "dmPartitionId": 100001
    })
}

fn quick_options() -> IvantiOptions {
    IvantiOptions {
        request_timeout: Duration::from_millis(300),
        retry: RetryPolicy {
            max_attempts: 3,
            base_delay: Duration::from_millis(1),
            max_delay: Duration::from_millis(2),
            max_total_wait: Duration::from_millis(50),
        },
        ..support::fast_options()
    }
}

/// Every way the inventory call can fail leaves the page's devices as the search gave them
/// (apps unknown) and says why, with a fix about CPS access.
#[tokio::test]
async fn a_failed_inventory_leaves_the_apps_unknown_and_says_why() {
    let cases = [
        (Failure::Unauthorized, ErrorCode::Unauthorized),
        (Failure::Forbidden, ErrorCode::Forbidden),
        (Failure::RateLimited, ErrorCode::RateLimited),
        (Failure::ServerError(503), ErrorCode::ServerError),
        (Failure::MalformedJson, ErrorCode::MalformedResponse),
        (
            Failure::Delay(Duration::from_millis(600)),
            ErrorCode::Timeout,
        ),
    ];
    for (failure, code) in cases {
        let fake = fake_ivanti(20).await;
        fake.handle.inject(Endpoint::AppInventory, failure.clone());
        let page = with_cps(&fake, quick_options())
            .devices_page(PageCursor::START, 50)
            .await
            .expect("the device page itself is read");
        assert_eq!(page.devices.len(), 20);
        assert!(page.devices.iter().all(|d| d.apps.is_none()), "{failure:?}");
        let error = page.inventory_error.expect("the failure is reported");
        assert_eq!(error.code(), code, "{failure:?}");
        assert!(error.to_string().contains("app inventory"), "{error}");
        assert!(!error.fix().is_empty());
    }
}

#[tokio::test]
async fn the_tenant_admin_without_the_cps_role_is_forbidden() {
    let fake = fake_ivanti(5).await;
    let mut config = fake.config_with_cps().unwrap();
    let cps = config.cps.as_mut().unwrap();
    cps.user = fake.user.clone();
    cps.password = helpatwork_mdm::Sensitive::new(fake.password.clone());
    let connector = IvantiConnector::with_options(config, quick_options()).unwrap();
    let page = connector.devices_page(PageCursor::START, 10).await.unwrap();
    let error = page.inventory_error.expect("refused");
    assert_eq!(error.code(), ErrorCode::Forbidden);
    assert!(error.fix().contains("CPS role"), "{}", error.fix());
}

#[tokio::test]
async fn a_busy_inventory_is_retried() {
    let fake = fake_ivanti(10).await;
    fake.handle
        .inject_times(Endpoint::AppInventory, Failure::RateLimited, 2);
    let page = with_cps(&fake, quick_options())
        .devices_page(PageCursor::START, 50)
        .await
        .unwrap();
    assert!(page.inventory_error.is_none());
    assert!(page.devices.iter().any(|d| d.apps.is_some()));
    assert_eq!(inventory_requests(&fake).len(), 3);
}

#[tokio::test]
async fn fleet_counts_say_what_a_sync_keeps() {
    let fake = support::fake_with(helpatwork_ivanti_fake::FleetSpec {
        retired_every: 10,
        ..support::spec(200)
    })
    .await;
    let counts = support::connector(&fake).fleet_counts().await.unwrap();
    assert_eq!(counts.total, 200);
    assert_eq!(counts.retired, Some(20));
    assert_eq!(counts.active, Some(180));
}

#[tokio::test]
async fn the_fake_refuses_what_the_guide_refuses() {
    let fake = fake_ivanti(1).await;
    let client = reqwest::Client::new();
    let url = format!("{}/msa/v1/cps/device/application", fake.base_url);
    let send = |body: Value| {
        client
            .post(&url)
            .basic_auth(&fake.cps_user, Some(&fake.cps_password))
            .json(&body)
            .send()
    };
    let too_many: Vec<String> = (0..201).map(|i| format!("id-{i}")).collect();
    assert_eq!(
        send(json!({"identifiers": too_many}))
            .await
            .unwrap()
            .status(),
        400
    );
    assert_eq!(
        send(json!({"identifiers": []})).await.unwrap().status(),
        400
    );
    assert_eq!(
        send(json!({"identifiers": ["x"], "identifierType": "IMEI"}))
            .await
            .unwrap()
            .status(),
        400
    );
    let unknown = send(json!({"identifiers": ["no-such-device"], "identifierType": "GUID"}))
        .await
        .unwrap();
    assert_eq!(unknown.status(), 200);
    assert_eq!(
        unknown.json::<Value>().await.unwrap(),
        json!([]),
        "ignored silently"
    );
    let anonymous = client
        .post(&url)
        .json(&json!({"identifiers": ["x"]}))
        .send()
        .await
        .unwrap();
    assert_eq!(anonymous.status(), 401);
}
