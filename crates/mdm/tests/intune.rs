//! The Intune connector against the fake Graph: sign-in, paging by `@odata.nextLink`, the
//! mapping, throttling and the failure switches, `syncDevice`.

use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use helpatwork_domain::facts::AndroidEnrollment;
use helpatwork_domain::{Ownership, Platform};
use helpatwork_graph_fake::{
    self as fake, Endpoint, Failure, FakeGraph, FakeGraphOptions, FleetSpec, READ_DEVICES,
};
use helpatwork_mdm::{
    collect_fleet, ErrorCode, IntuneConfig, IntuneConnector, IntuneOptions, MdmConnector, MdmError,
    PageCursor, RetryPolicy, Sensitive,
};

fn now() -> DateTime<Utc> {
    DateTime::parse_from_rfc3339("2026-11-20T10:00:00Z")
        .expect("valid RFC 3339")
        .with_timezone(&Utc)
}

pub fn spec(devices: usize) -> FleetSpec {
    FleetSpec {
        devices,
        seed: 7,
        now: now(),
    }
}

pub async fn fake_graph(devices: usize) -> FakeGraph {
    fake::spawn(FakeGraphOptions {
        fleet: spec(devices),
        ..FakeGraphOptions::default()
    })
    .await
    .expect("fake Graph starts")
}

fn config(fake: &FakeGraph, secret: &str) -> IntuneConfig {
    IntuneConfig::new(
        &fake.tenant_id,
        &fake.client_id,
        Sensitive::new(secret.to_owned()),
    )
    .and_then(|c| c.with_urls(&fake.base_url, &fake.base_url))
    .expect("config")
}

fn quick() -> IntuneOptions {
    IntuneOptions {
        retry: RetryPolicy {
            max_attempts: 3,
            base_delay: Duration::from_millis(5),
            max_delay: Duration::from_secs(2),
            max_total_wait: Duration::from_secs(3),
        },
        request_timeout: Duration::from_millis(800),
        ..IntuneOptions::default()
    }
}

pub fn connector(fake: &FakeGraph) -> IntuneConnector {
    IntuneConnector::with_options(config(fake, &fake.client_secret), quick()).expect("connector")
}

#[tokio::test]
async fn a_fleet_is_read_page_by_page_through_next_links_with_select() {
    let fake = fake_graph(1_234).await;
    let c = connector(&fake);
    let fleet = collect_fleet(&c, 500, |_| {}).await.expect("fleet");
    assert_eq!(fleet.devices.len(), 1_234);
    assert_eq!(fleet.pages, 3);
    let lists: Vec<_> = fake
        .handle
        .requests()
        .into_iter()
        .filter(|r| r.endpoint == Some(Endpoint::ListDevices))
        .collect();
    assert_eq!(lists.len(), 3, "one request a page");
    assert!(lists[0]
        .query_param("$select")
        .expect("$select")
        .contains("deviceEnrollmentType"));
    assert_eq!(lists[0].query_param("$top").as_deref(), Some("500"));
    assert!(
        lists[1].query_param("$skiptoken").is_some(),
        "the nextLink is followed"
    );
    assert_eq!(
        fake.handle.count(Endpoint::Token),
        1,
        "one sign-in for the run"
    );
}

#[tokio::test]
async fn records_map_to_the_products_facts() {
    let fake = fake_graph(200).await;
    let c = connector(&fake);
    let fleet = collect_fleet(&c, 100, |_| {}).await.expect("fleet");
    let source = fake::fleet::source_devices(&spec(200));
    let records = fake.handle.devices();
    for (i, device) in fleet.devices.iter().enumerate() {
        let (expected, record) = (&source[i], &records[i]);
        assert_eq!(device.id, record.id);
        assert_eq!(device.name, expected.name);
        assert_eq!(device.platform, expected.platform);
        assert_eq!(device.os_version, expected.os_version);
        assert_eq!(device.model, expected.model);
        assert_eq!(device.manufacturer, expected.manufacturer);
        assert_eq!(device.user.email, expected.user.email);
        assert_eq!(device.last_checkin, expected.last_checkin);
        assert_eq!(
            device.apps, None,
            "Graph reports no apps: unknown, never none"
        );
        assert_eq!(device.host_activated, None);
        assert_eq!(device.management.ownership, expected.management.ownership);
        assert_eq!(device.management.jailbroken, expected.management.jailbroken);
        let enrollment = device.management.android_enrollment;
        match record.device_enrollment_type.as_str() {
            "androidEnterpriseDedicatedDevice" => {
                assert!(device.kiosk);
                assert_eq!(enrollment, Some(AndroidEnrollment::Dedicated));
            }
            "androidEnterpriseFullyManaged" => {
                assert_eq!(enrollment, Some(AndroidEnrollment::FullyManaged))
            }
            "androidEnterpriseCorporateWorkProfile" => {
                assert_eq!(enrollment, Some(AndroidEnrollment::WorkProfile))
            }
            _ if device.platform == Platform::Android => {
                assert_eq!(device.management.ownership, Some(Ownership::Employee));
                assert_eq!(
                    enrollment,
                    Some(AndroidEnrollment::WorkProfile),
                    "personal → BYOD"
                );
            }
            _ => assert_eq!(enrollment, None),
        }
        if device.platform == Platform::Ios {
            assert_eq!(device.management.supervised, Some(record.is_supervised));
        }
    }
}

#[tokio::test]
async fn a_429_waits_as_long_as_retry_after_says() {
    let fake = fake_graph(10).await;
    fake.handle.inject_times(
        Endpoint::ListDevices,
        Failure::RateLimited {
            retry_after: Duration::from_secs(1),
        },
        1,
    );
    let c = connector(&fake);
    let started = Instant::now();
    let page = c
        .devices_page(PageCursor::START, 5)
        .await
        .expect("page after the wait");
    assert_eq!(page.devices.len(), 5);
    assert!(
        started.elapsed() >= Duration::from_secs(1),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(fake.handle.count(Endpoint::ListDevices), 2);
}

#[tokio::test]
async fn a_retry_after_past_the_policy_ends_in_rate_limited_with_a_fix() {
    let fake = fake_graph(10).await;
    fake.handle.inject(
        Endpoint::ListDevices,
        Failure::RateLimited {
            retry_after: Duration::from_secs(30),
        },
    );
    let err = connector(&fake)
        .devices_page(PageCursor::START, 5)
        .await
        .expect_err("throttled");
    assert_eq!(err.code(), ErrorCode::RateLimited);
    assert!(err.fix().contains("throttling"), "{}", err.fix());
    assert_eq!(
        fake.handle.count(Endpoint::ListDevices),
        1,
        "no retry it would not wait for"
    );
}

#[tokio::test]
async fn a_revoked_token_is_renewed_once() {
    let fake = fake_graph(10).await;
    let c = connector(&fake);
    c.devices_page(PageCursor::START, 5).await.expect("first");
    fake.handle.revoke_tokens();
    c.devices_page(PageCursor::START, 5)
        .await
        .expect("after renewal");
    assert_eq!(fake.handle.count(Endpoint::Token), 2);
    fake.handle
        .inject(Endpoint::ListDevices, Failure::Unauthorized);
    let err = c.devices_page(PageCursor::START, 5).await.expect_err("401");
    assert_eq!(err.code(), ErrorCode::Unauthorized);
}

#[tokio::test]
async fn a_wrong_secret_is_a_refused_sign_in_that_never_shows_the_secret() {
    let fake = fake_graph(10).await;
    let c = IntuneConnector::with_options(config(&fake, "wrong-secret-123"), quick())
        .expect("connector");
    let err = c
        .devices_page(PageCursor::START, 5)
        .await
        .expect_err("refused");
    assert_eq!(err.code(), ErrorCode::Unauthorized);
    assert!(matches!(err, MdmError::SignInRefused { .. }), "{err:?}");
    assert!(err.to_string().contains("AADSTS7000215"), "{err}");
    for text in [err.to_string(), format!("{err:?}"), format!("{c:?}")] {
        assert!(!text.contains("wrong-secret-123"), "{text}");
    }
    assert_eq!(fake.handle.count(Endpoint::ListDevices), 0);
}

#[tokio::test]
async fn a_missing_permission_is_named() {
    let fake = fake_graph(10).await;
    fake.handle
        .set_permissions(&["DeviceManagementManagedDevices.PrivilegedOperations.All"]);
    let c = connector(&fake);
    let err = c.devices_page(PageCursor::START, 5).await.expect_err("403");
    assert_eq!(err.code(), ErrorCode::Forbidden);
    assert!(err.to_string().contains(READ_DEVICES), "{err}");
    fake.handle.set_permissions(&[READ_DEVICES]);
    let id = fake.handle.devices()[0].id.clone();
    let err = c.force_checkin(&id).await.expect_err("403");
    assert!(
        err.to_string()
            .contains("DeviceManagementManagedDevices.PrivilegedOperations.All"),
        "{err}"
    );
}

#[tokio::test]
async fn server_errors_and_truncated_pages_are_retried_then_reported() {
    let fake = fake_graph(10).await;
    let c = connector(&fake);
    fake.handle
        .inject_times(Endpoint::ListDevices, Failure::ServerError(503), 1);
    fake.handle
        .inject_times(Endpoint::ListDevices, Failure::TruncatedPage, 1);
    let page = c
        .devices_page(PageCursor::START, 5)
        .await
        .expect("third try");
    assert_eq!(page.devices.len(), 5);
    assert_eq!(fake.handle.count(Endpoint::ListDevices), 3);
    fake.handle
        .inject(Endpoint::ListDevices, Failure::TruncatedPage);
    let err = c.devices_page(PageCursor(5), 5).await.expect_err("cut off");
    assert_eq!(err.code(), ErrorCode::MalformedResponse);
    fake.handle.clear_failures();
    fake.handle
        .inject(Endpoint::ListDevices, Failure::ServerError(500));
    let err = c.devices_page(PageCursor(5), 5).await.expect_err("5xx");
    assert_eq!(err.code(), ErrorCode::ServerError);
}

#[tokio::test]
async fn a_next_link_to_another_host_is_not_followed() {
    let fake = fake_graph(30).await;
    fake.handle
        .inject_times(Endpoint::ListDevices, Failure::ForeignNextLink, 1);
    let c = connector(&fake);
    let err = collect_fleet(&c, 10, |_| {}).await.expect_err("refused");
    assert_eq!(err.code(), ErrorCode::MalformedResponse);
    assert!(err.to_string().contains("nextLink"), "{err}");
}

#[tokio::test]
async fn a_resumed_cursor_walks_the_links_and_pages_asked_out_of_order_are_read_once() {
    let fake = fake_graph(95).await;
    let c = connector(&fake);
    // A fresh connector (a restart) asked for offset 45: pages 0..40 are walked.
    let page = c.devices_page(PageCursor(45), 10).await.expect("page");
    let ids: Vec<_> = fake.handle.devices().iter().map(|d| d.id.clone()).collect();
    assert_eq!(page.devices[0].id, ids[45]);
    assert_eq!(
        page.devices.len(),
        5,
        "the rest of the page holding offset 45"
    );
    assert_eq!(page.next, Some(PageCursor(50)));
    assert_eq!(page.total, 95);
    fake.handle.clear_requests();
    let later = c.devices_page(PageCursor(60), 10).await.expect("60");
    let earlier = c.devices_page(PageCursor(50), 10).await.expect("50");
    assert_eq!(earlier.devices[0].id, ids[50]);
    assert_eq!(later.devices[0].id, ids[60]);
    assert_eq!(
        fake.handle.count(Endpoint::ListDevices),
        2,
        "page 50 was kept, not refetched"
    );
}

#[tokio::test]
async fn sync_device_reaches_intune_and_unknown_ids_are_not_found() {
    let fake = fake_graph(10).await;
    let c = connector(&fake);
    let id = fake.handle.devices()[3].id.clone();
    c.force_checkin(&id).await.expect("synced");
    assert_eq!(fake.handle.syncs(), vec![id]);
    let err = c
        .force_checkin("00000000-0000-4000-8000-000000000000")
        .await
        .expect_err("unknown");
    assert_eq!(err.code(), ErrorCode::NotFound);
    fake.handle.clear_requests();
    let err = c.force_checkin("1&x=2").await.expect_err("not an id");
    assert_eq!(err.code(), ErrorCode::NotFound);
    assert_eq!(fake.handle.count(Endpoint::SyncDevice), 0, "nothing sent");
}
