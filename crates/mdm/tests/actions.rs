//! Device actions: force check-in (docs/reference/mdm-apis.md §2.5) and the operations Ivanti's public API does
//! not document (§2.6).

use helpatwork_domain::device::AppKind;
use helpatwork_ivanti_fake::{Endpoint, Failure};
use helpatwork_mdm::{ErrorCode, MdmConnector, MdmError, Operation};
use serde_json::json;

use crate::support::{self, fake_ivanti};

#[tokio::test]
async fn force_checkin_sends_the_documented_form_body() {
    let fake = fake_ivanti(10).await;
    let connector = support::connector(&fake);
    connector
        .force_checkin("1000003")
        .await
        .expect("known device");
    let sent = fake.handle.requests();
    assert_eq!(sent.len(), 1, "no discovery needed for an action");
    let put = &sent[0];
    assert_eq!(put.method, "PUT");
    assert_eq!(put.path, "/api/v1/device/forceCheckin");
    assert_eq!(put.query, None);
    assert_eq!(
        put.content_type.as_deref(),
        Some("application/x-www-form-urlencoded")
    );
    assert_eq!(put.body, "ids=1000003");
    assert!(put.authorized);
    assert_eq!(fake.handle.forced_checkins(), ["1000003"]);
}

#[tokio::test]
async fn force_checkin_of_an_unknown_device_is_not_found() {
    let fake = fake_ivanti(10).await;
    let err = support::connector(&fake)
        .force_checkin("4242")
        .await
        .expect_err("result 0");
    assert_eq!(err.code(), ErrorCode::NotFound);
    assert!(err.to_string().contains("4242"));
    assert!(err.fix().contains("Sync"));
}

#[tokio::test]
async fn force_checkin_is_not_retried_after_a_server_error() {
    let fake = fake_ivanti(10).await;
    let connector = support::connector(&fake);
    fake.handle
        .inject_times(Endpoint::ForceCheckin, Failure::ServerError(503), 1);
    let err = connector.force_checkin("1000001").await.expect_err("5xx");
    assert_eq!(err.code(), ErrorCode::ServerError);
    assert_eq!(fake.handle.request_count(Endpoint::ForceCheckin), 1);
}

#[tokio::test]
async fn force_checkin_with_a_malformed_answer_is_typed() {
    let fake = fake_ivanti(10).await;
    let connector = support::connector(&fake);
    fake.handle
        .inject_times(Endpoint::ForceCheckin, Failure::MalformedJson, 1);
    let err = connector
        .force_checkin("1000001")
        .await
        .expect_err("broken body");
    assert_eq!(err.code(), ErrorCode::MalformedResponse);
}

#[tokio::test]
async fn a_hostile_device_id_sends_no_request() {
    let fake = fake_ivanti(10).await;
    let connector = support::connector(&fake);
    for id in ["1000001&ids=1000002", "", "../../device/wipe", "1\n2"] {
        let err = connector.force_checkin(id).await.expect_err(id);
        assert_eq!(err.code(), ErrorCode::NotFound, "{id:?}");
    }
    assert!(fake.handle.requests().is_empty());
    assert!(fake.handle.forced_checkins().is_empty());
}

#[tokio::test]
async fn set_app_config_is_unsupported_and_capabilities_say_so() {
    let fake = fake_ivanti(10).await;
    let connector = support::connector(&fake);
    assert!(!connector.capabilities().managed_app_config);
    let config = json!({"sessionCode": "s123-456-789"});
    for value in [Some(&config), None] {
        let err = connector
            .set_app_config("1000001", AppKind::Quicksupport, value)
            .await
            .expect_err("undocumented in the public API");
        assert_eq!(
            err,
            MdmError::Unsupported {
                mdm: "Ivanti Neurons for MDM",
                operation: Operation::ManagedAppConfig
            }
        );
        assert_eq!(err.code().as_str(), "unsupported");
        assert!(err.fix().contains("end-customer link"));
    }
    assert!(
        fake.handle.requests().is_empty(),
        "nothing is sent to Ivanti"
    );
}

#[tokio::test]
async fn distribute_is_unsupported_and_capabilities_say_so() {
    let fake = fake_ivanti(10).await;
    let connector = support::connector(&fake);
    let caps = connector.capabilities();
    assert!(!caps.distribute_app);
    assert!(caps.list_devices && caps.force_checkin);
    for app in AppKind::ALL {
        for on in [true, false] {
            let err = connector
                .distribute("1000001", app, on)
                .await
                .expect_err("undocumented in the public API");
            assert_eq!(err.code(), ErrorCode::Unsupported);
            assert!(err.fix().contains("App Catalog"));
        }
    }
    assert!(fake.handle.requests().is_empty());
}
