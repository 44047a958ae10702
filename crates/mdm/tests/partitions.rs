//! Device spaces (docs/reference/mdm-apis.md §2.2): `dmPartitionId` from the entry with `defaultPartition`.

use helpatwork_ivanti_fake::{Endpoint, Failure};
use helpatwork_mdm::{ErrorCode, MdmConnector, MdmError, PageCursor};

use crate::support::{self, fake_ivanti, searches};

#[tokio::test]
async fn the_partition_is_discovered_from_the_default_space() {
    let fake = fake_ivanti(20).await;
    let connector = support::connector(&fake);
    // The fake lists the non-default "Marketing Space" first.
    let spaces = connector.partitions().await.expect("spaces");
    assert_eq!(spaces.len(), 2);
    assert!(!spaces[0].default);
    assert_eq!(connector.partition_id().await.expect("id"), "100001");
    connector
        .devices_page(PageCursor::START, 10)
        .await
        .expect("page 1");
    connector
        .devices_page(PageCursor(10), 10)
        .await
        .expect("page 2");
    for search in searches(&fake) {
        assert_eq!(
            search.query_param("dmPartitionId").as_deref(),
            Some("100001")
        );
    }
    // One call from `partitions()` above, one discovery; then cached.
    assert_eq!(fake.handle.request_count(Endpoint::Partitions), 2);
}

#[tokio::test]
async fn discovery_happens_once_per_connector() {
    let fake = fake_ivanti(20).await;
    let connector = support::connector(&fake);
    for start in [0, 5, 10, 15] {
        connector
            .devices_page(PageCursor(start), 5)
            .await
            .expect("page");
    }
    assert_eq!(fake.handle.request_count(Endpoint::Partitions), 1);
    assert_eq!(fake.handle.request_count(Endpoint::DeviceSearch), 4);
}

#[tokio::test]
async fn a_configured_partition_skips_discovery() {
    let fake = fake_ivanti(20).await;
    let config = fake
        .config()
        .expect("config")
        .with_partition("100002")
        .expect("numeric id");
    let connector = helpatwork_mdm::IvantiConnector::with_options(config, support::fast_options())
        .expect("connector");
    let page = connector
        .devices_page(PageCursor::START, 10)
        .await
        .expect("page");
    assert_eq!(page.total, 0, "the fake's second space is empty");
    assert_eq!(fake.handle.request_count(Endpoint::Partitions), 0);
    assert_eq!(
        searches(&fake)[0].query_param("dmPartitionId").as_deref(),
        Some("100002")
    );
}

#[tokio::test]
async fn a_failed_discovery_is_not_cached() {
    let fake = fake_ivanti(5).await;
    let connector = support::connector(&fake);
    fake.handle
        .inject_times(Endpoint::Partitions, Failure::Unauthorized, 1);
    let err = connector
        .devices_page(PageCursor::START, 10)
        .await
        .expect_err("401 on discovery");
    assert_eq!(err.code(), ErrorCode::Unauthorized);
    assert_eq!(fake.handle.request_count(Endpoint::DeviceSearch), 0);
    let page = connector
        .devices_page(PageCursor::START, 10)
        .await
        .expect("second try discovers");
    assert_eq!(page.devices.len(), 5);
}

#[tokio::test]
async fn an_unknown_partition_is_an_invalid_request_with_the_server_message() {
    let fake = fake_ivanti(5).await;
    let config = fake
        .config()
        .expect("config")
        .with_partition("424242")
        .expect("numeric id");
    let connector = helpatwork_mdm::IvantiConnector::with_options(config, support::fast_options())
        .expect("connector");
    let err = connector
        .devices_page(PageCursor::START, 10)
        .await
        .expect_err("unknown space");
    assert_eq!(err.code(), ErrorCode::InvalidRequest);
    match &err {
        MdmError::InvalidRequest { message, .. } => {
            assert_eq!(message, "dmPartitionId: unknown device space");
        }
        other => panic!("unexpected {other:?}"),
    }
    assert!(err.fix().contains("HELPATWORK_IVANTI_PARTITION"));
    // A 400 is not retried.
    assert_eq!(fake.handle.request_count(Endpoint::DeviceSearch), 1);
}
