//! S4 on Intune: the session's managed app configuration through a product-owned group per
//! device and app, against the fake Graph's tenant (groups, configurations, assignments).

use base64::Engine;
use helpatwork_domain::device::AppKind;
use helpatwork_graph_fake::{Endpoint, Failure, FakeGraph, PRIVILEGED_OPERATIONS, READ_DEVICES};
use helpatwork_mdm::intune::delivery::{
    names, APPS_PERMISSION, DEVICES_PERMISSION, GROUPS_PERMISSION,
};
use helpatwork_mdm::{ErrorCode, MdmConnector, MdmError};
use serde_json::{json, Value};

use crate::intune::{connector, fake_graph};

fn device(fake: &FakeGraph, os: &str) -> String {
    fake.handle
        .devices()
        .iter()
        .find(|d| d.operating_system.as_deref() == Some(os))
        .unwrap_or_else(|| panic!("the fleet has an {os} device"))
        .id
        .clone()
}

fn session_config() -> Value {
    json!({
        "session_code": "s123-456-789",
        "end_customer_link": "https://start.teamviewer.com/s123456789",
        "auto_launch": true,
    })
}

/// The tenant holds exactly one configuration and one group for `id`: the group holds only the
/// device, the configuration is assigned to it and nothing else.
fn assert_delivered(fake: &FakeGraph, id: &str, app: AppKind) -> Value {
    let groups = fake.handle.groups();
    assert_eq!(groups.len(), 1, "{groups:?}");
    let group = &groups[0];
    assert_eq!(group.display_name, names::display(id, app));
    assert!(group.security_enabled && !group.mail_enabled, "{group:?}");
    assert_eq!(
        group.members,
        vec![fake.handle.entra_object_of(id).expect("registered")],
        "the group holds exactly the device"
    );
    let configurations = fake.handle.configurations();
    assert_eq!(configurations.len(), 1, "{configurations:?}");
    let configuration = &configurations[0];
    assert_eq!(configuration.display_name(), names::display(id, app));
    assert_eq!(configuration.assigned_groups, vec![group.id.clone()]);
    configuration.object.clone()
}

#[tokio::test]
async fn s4_android_enterprise_gets_a_managed_store_configuration_assigned_to_its_own_group() {
    let fake = fake_graph(40).await;
    let c = connector(&fake);
    assert!(c.capabilities().managed_app_config);
    let id = device(&fake, "Android");
    c.set_app_config(&id, AppKind::Quicksupport, Some(&session_config()))
        .await
        .expect("delivered");
    let object = assert_delivered(&fake, &id, AppKind::Quicksupport);
    let configuration = &fake.handle.configurations()[0];
    assert_eq!(configuration.version, "beta", "the type is beta only");
    assert_eq!(
        object["@odata.type"],
        "#microsoft.graph.androidManagedStoreAppConfiguration"
    );
    let quicksupport = fake
        .handle
        .apps()
        .into_iter()
        .find(|a| a["packageId"] == "com.teamviewer.quicksupport.market")
        .expect("QuickSupport in the tenant");
    assert_eq!(object["targetedMobileApps"], json!([quicksupport["id"]]));
    let payload: Value = serde_json::from_slice(
        &base64::engine::general_purpose::STANDARD
            .decode(object["payloadJson"].as_str().expect("payload"))
            .expect("base64"),
    )
    .expect("JSON");
    let properties = payload["managedProperty"].as_array().expect("properties");
    assert!(properties.contains(&json!({"key": "session_code", "valueString": "s123-456-789"})));
    assert!(properties.contains(&json!({"key": "auto_launch", "valueBool": true})));
    assert_eq!(fake.handle.syncs(), vec![id.clone()], "a sync requested");

    c.set_app_config(&id, AppKind::Quicksupport, None)
        .await
        .expect("cleared");
    assert!(fake.handle.configurations().is_empty());
    assert!(fake.handle.groups().is_empty());
    assert_eq!(fake.handle.syncs(), vec![id.clone(), id], "synced again");
}

#[tokio::test]
async fn s4_ios_gets_an_ios_configuration_with_the_session_values_as_settings() {
    let fake = fake_graph(40).await;
    let c = connector(&fake);
    let id = device(&fake, "iOS");
    c.set_app_config(&id, AppKind::Quicksupport, Some(&session_config()))
        .await
        .expect("delivered");
    let object = assert_delivered(&fake, &id, AppKind::Quicksupport);
    assert_eq!(fake.handle.configurations()[0].version, "v1.0");
    assert_eq!(
        object["@odata.type"],
        "#microsoft.graph.iosMobileAppConfiguration"
    );
    let settings = object["settings"].as_array().expect("settings");
    assert!(settings.iter().any(|s| s["appConfigKey"] == "session_code"
        && s["appConfigKeyType"] == "stringType"
        && s["appConfigKeyValue"] == "s123-456-789"));
    assert_eq!(fake.handle.syncs(), vec![id.clone()]);
    c.set_app_config(&id, AppKind::Quicksupport, None)
        .await
        .expect("cleared");
    assert!(fake.handle.configurations().is_empty() && fake.handle.groups().is_empty());
}

#[tokio::test]
async fn s4_a_403_on_group_creation_names_the_permission_and_leaves_nothing() {
    let fake = fake_graph(40).await;
    let c = connector(&fake);
    let id = device(&fake, "Android");
    fake.handle
        .inject(Endpoint::CreateGroup, Failure::Forbidden);
    let err = c
        .set_app_config(&id, AppKind::Quicksupport, Some(&session_config()))
        .await
        .expect_err("refused");
    assert_eq!(err.code(), ErrorCode::Forbidden);
    assert!(err.to_string().contains(GROUPS_PERMISSION), "{err}");
    assert!(err.fix().contains("admin consent"), "{}", err.fix());
    assert!(fake.handle.groups().is_empty());
    assert!(fake.handle.configurations().is_empty());
    assert!(fake.handle.syncs().is_empty(), "nothing to sync");
}

#[tokio::test]
async fn s4_a_failure_after_the_group_removes_what_was_made() {
    let fake = fake_graph(40).await;
    let c = connector(&fake);
    let id = device(&fake, "iOS");
    fake.handle
        .inject(Endpoint::AssignAppConfig, Failure::Forbidden);
    let err = c
        .set_app_config(&id, AppKind::Quicksupport, Some(&session_config()))
        .await
        .expect_err("refused");
    assert!(err.to_string().contains(APPS_PERMISSION), "{err}");
    assert!(fake.handle.groups().is_empty(), "the group is deleted");
    assert!(
        fake.handle.configurations().is_empty(),
        "the configuration is deleted"
    );
}

#[tokio::test]
async fn s4_a_refused_sync_removes_the_delivery_and_names_the_permission() {
    let fake = fake_graph(40).await;
    let c = connector(&fake);
    let id = device(&fake, "Android");
    fake.handle.inject(Endpoint::SyncDevice, Failure::Forbidden);
    let err = c
        .set_app_config(&id, AppKind::Quicksupport, Some(&session_config()))
        .await
        .expect_err("refused");
    assert!(err.to_string().contains(PRIVILEGED_OPERATIONS), "{err}");
    assert!(fake.handle.groups().is_empty());
    assert!(fake.handle.configurations().is_empty());
}

#[tokio::test]
async fn s4_a_5xx_on_assign_is_retried_once_and_the_delivery_completes() {
    let fake = fake_graph(40).await;
    let c = connector(&fake);
    let id = device(&fake, "Android");
    fake.handle
        .inject_times(Endpoint::AssignAppConfig, Failure::ServerError(503), 1);
    c.set_app_config(&id, AppKind::Quicksupport, Some(&session_config()))
        .await
        .expect("delivered after a retry");
    assert_eq!(fake.handle.count(Endpoint::AssignAppConfig), 2);
    assert_delivered(&fake, &id, AppKind::Quicksupport);
}

#[tokio::test]
async fn s4_leftovers_of_a_stopped_delivery_are_found_by_name_and_removed() {
    let fake = fake_graph(40).await;
    let id = device(&fake, "Android");
    // A first process delivers and stops before clearing; a second one knows nothing of it.
    connector(&fake)
        .set_app_config(&id, AppKind::Host, Some(&session_config()))
        .await
        .expect("delivered");
    let again = connector(&fake);
    again
        .set_app_config(&id, AppKind::Host, Some(&session_config()))
        .await
        .expect("delivered again");
    assert_delivered(&fake, &id, AppKind::Host);
    connector(&fake)
        .set_app_config(&id, AppKind::Host, None)
        .await
        .expect("cleared by a third process");
    assert!(fake.handle.groups().is_empty() && fake.handle.configurations().is_empty());
}

#[tokio::test]
async fn s4_an_app_missing_from_intune_is_not_found_with_its_package() {
    let fake = fake_graph(40).await;
    let c = connector(&fake);
    let id = device(&fake, "Android");
    fake.handle.set_apps(Vec::new());
    let err = c
        .set_app_config(&id, AppKind::Quicksupport, Some(&session_config()))
        .await
        .expect_err("no app");
    assert_eq!(err.code(), ErrorCode::NotFound);
    assert!(
        err.to_string()
            .contains("com.teamviewer.quicksupport.market"),
        "{err}"
    );
    assert!(err.fix().contains("Apps"), "{}", err.fix());
    assert!(fake.handle.groups().is_empty());
}

#[tokio::test]
async fn s4_an_unknown_device_is_not_found_and_nothing_is_made() {
    let fake = fake_graph(10).await;
    let c = connector(&fake);
    let err = c
        .set_app_config(
            "00000000-0000-4000-8000-000000000000",
            AppKind::Quicksupport,
            Some(&session_config()),
        )
        .await
        .expect_err("unknown");
    assert!(matches!(err, MdmError::DeviceNotFound { .. }), "{err:?}");
    assert!(fake.handle.groups().is_empty());
}

#[tokio::test]
async fn the_delivery_probe_names_each_missing_permission_and_changes_nothing() {
    let fake = fake_graph(10).await;
    let c = connector(&fake);
    assert_eq!(c.check_delivery().await.expect("probe"), Vec::<&str>::new());
    fake.handle
        .set_permissions(&[READ_DEVICES, PRIVILEGED_OPERATIONS]);
    assert_eq!(
        c.check_delivery().await.expect("probe"),
        vec![
            DEVICES_PERMISSION,
            GROUPS_PERMISSION,
            APPS_PERMISSION,
            helpatwork_mdm::intune::distribution::MEMBERS_PERMISSION
        ]
    );
    // Group.ReadWrite.All covers the members too; the device read and the apps stay missing.
    fake.handle
        .set_permissions(&[READ_DEVICES, PRIVILEGED_OPERATIONS, "Group.ReadWrite.All"]);
    assert_eq!(
        c.check_delivery().await.expect("probe"),
        vec![DEVICES_PERMISSION, APPS_PERMISSION]
    );
    assert!(fake.handle.groups().is_empty() && fake.handle.configurations().is_empty());
}
