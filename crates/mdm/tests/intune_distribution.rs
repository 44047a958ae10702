//! A6 / A5 on Intune: app distribution through one product-owned group per app and platform,
//! assigned to the app once as required (never the app's `assign`, which replaces the admin's
//! assignments), the device added to or removed from it, then `syncDevice`; against the fake
//! Graph's tenant.

use helpatwork_domain::device::AppKind;
use helpatwork_graph_fake::{Endpoint, Failure, FakeGraph};
use helpatwork_mdm::intune::distribution::MEMBERS_PERMISSION;
use helpatwork_mdm::{ErrorCode, MdmConnector};

use crate::intune::{connector, fake_graph};

fn devices(fake: &FakeGraph, os: &str, n: usize) -> Vec<String> {
    let ids: Vec<String> = fake
        .handle
        .devices()
        .iter()
        .filter(|d| d.operating_system.as_deref() == Some(os) && d.azure_ad_device_id.is_some())
        .take(n)
        .map(|d| d.id.clone())
        .collect();
    assert_eq!(ids.len(), n, "the fleet has {n} {os} devices");
    ids
}

fn app_id(fake: &FakeGraph, package: &str) -> String {
    fake.handle
        .apps()
        .into_iter()
        .find(|a| a["packageId"] == package)
        .and_then(|a| a["id"].as_str().map(str::to_owned))
        .expect("the app in the tenant")
}

#[tokio::test]
async fn a6_distribute_adds_the_device_to_the_apps_group_assigned_once_as_required() {
    let fake = fake_graph(40).await;
    let c = connector(&fake);
    assert!(c.capabilities().distribute_app);
    let ids = devices(&fake, "Android", 2);
    c.distribute(&ids[0], AppKind::Quicksupport, true)
        .await
        .expect("distributed");
    let groups = fake.handle.groups();
    assert_eq!(groups.len(), 1, "{groups:?}");
    let group = &groups[0];
    assert_eq!(
        group.display_name,
        "Help@Work distribution quicksupport (Android)"
    );
    assert!(group.security_enabled && !group.mail_enabled, "{group:?}");
    let member = |id: &str| fake.handle.entra_object_of(id).expect("registered");
    assert_eq!(group.members, vec![member(&ids[0])]);
    let assignments = fake.handle.app_assignments();
    assert_eq!(assignments.len(), 1, "{assignments:?}");
    assert_eq!(assignments[0].intent, "required");
    assert_eq!(assignments[0].group_id, group.id);
    assert_eq!(
        assignments[0].object["target"]["@odata.type"],
        "#microsoft.graph.groupAssignmentTarget"
    );
    assert_eq!(
        assignments[0].app_id,
        app_id(&fake, "com.teamviewer.quicksupport.market")
    );
    assert_eq!(
        fake.handle.syncs(),
        vec![ids[0].clone()],
        "a sync requested"
    );

    // A second device, and the first again: the same group, no second assignment, no 400.
    c.distribute(&ids[1], AppKind::Quicksupport, true)
        .await
        .expect("distributed");
    c.distribute(&ids[0], AppKind::Quicksupport, true)
        .await
        .expect("already a member is fine");
    let groups = fake.handle.groups();
    assert_eq!(groups.len(), 1, "no second group: {groups:?}");
    assert_eq!(groups[0].members, vec![member(&ids[0]), member(&ids[1])]);
    assert_eq!(
        fake.handle.app_assignments().len(),
        1,
        "no second assignment"
    );
    assert_eq!(fake.handle.count(Endpoint::CreateAppAssignment), 1);
    assert!(
        fake.handle
            .requests()
            .iter()
            .all(|r| !r.path.ends_with("/assign") || r.path.contains("mobileAppConfigurations")),
        "the app's assign (it replaces the admin's assignments) is never called"
    );
    assert_eq!(fake.handle.syncs().len(), 3);
}

#[tokio::test]
async fn a5_undistribute_removes_the_member_and_syncs_and_is_idempotent() {
    let fake = fake_graph(40).await;
    let c = connector(&fake);
    let ids = devices(&fake, "Android", 2);
    for id in &ids {
        c.distribute(id, AppKind::Host, true)
            .await
            .expect("distributed");
    }
    c.distribute(&ids[0], AppKind::Host, false)
        .await
        .expect("undistributed");
    let groups = fake.handle.groups();
    assert_eq!(
        groups[0].members,
        vec![fake.handle.entra_object_of(&ids[1]).expect("registered")]
    );
    assert_eq!(
        fake.handle.syncs().last(),
        Some(&ids[0]),
        "a sync requested"
    );
    assert_eq!(
        fake.handle.app_assignments().len(),
        1,
        "the assignment stays"
    );
    // Not a member any more: done, not an error.
    c.distribute(&ids[0], AppKind::Host, false)
        .await
        .expect("not a member is fine");
    // Another app never distributed: no group, nothing to remove.
    c.distribute(&ids[0], AppKind::AddonUniversal, false)
        .await
        .expect("no group is fine");
    assert_eq!(fake.handle.groups().len(), 1);
}

#[tokio::test]
async fn a6_ios_uses_its_own_group_in_v1() {
    let fake = fake_graph(40).await;
    let c = connector(&fake);
    let id = &devices(&fake, "iOS", 1)[0];
    c.distribute(id, AppKind::Quicksupport, true)
        .await
        .expect("distributed");
    assert_eq!(
        fake.handle.groups()[0].display_name,
        "Help@Work distribution quicksupport (iOS)"
    );
    let create = fake
        .handle
        .requests()
        .into_iter()
        .find(|r| r.endpoint == Some(Endpoint::CreateAppAssignment))
        .expect("an assignment created");
    assert!(create.path.starts_with("/v1.0/"), "{}", create.path);
}

#[tokio::test]
async fn a6_a_403_on_adding_the_member_names_the_permission() {
    let fake = fake_graph(40).await;
    let c = connector(&fake);
    let id = &devices(&fake, "Android", 1)[0];
    fake.handle.set_permissions(&[
        helpatwork_graph_fake::READ_DEVICES,
        helpatwork_graph_fake::PRIVILEGED_OPERATIONS,
        helpatwork_graph_fake::APPS_READ_WRITE,
        helpatwork_graph_fake::DEVICES_READ,
        "Group.Create",
        "Group.Read.All",
    ]);
    let err = c
        .distribute(id, AppKind::Quicksupport, true)
        .await
        .expect_err("refused");
    assert_eq!(err.code(), ErrorCode::Forbidden, "{err:?}");
    assert!(err.to_string().contains(MEMBERS_PERMISSION), "{err}");
    assert!(err.fix().contains("admin consent"), "{}", err.fix());
    assert!(
        fake.handle.syncs().is_empty(),
        "nothing changed, nothing synced"
    );
}

#[tokio::test]
async fn a6_an_unknown_device_or_one_without_entra_registration_is_not_found_and_nothing_is_made() {
    let fake = fake_graph(40).await;
    let c = connector(&fake);
    let err = c
        .distribute("0b0b0b0b-0000-4000-8000-000000000000", AppKind::Host, true)
        .await
        .expect_err("unknown");
    assert_eq!(err.code(), ErrorCode::NotFound, "{err:?}");
    let mut fleet = (*fake.handle.devices()).clone();
    let unregistered = fleet
        .iter_mut()
        .find(|d| d.operating_system.as_deref() == Some("Android"))
        .expect("an Android device");
    unregistered.azure_ad_device_id = None;
    let id = unregistered.id.clone();
    fake.handle.replace_devices(fleet);
    let err = c
        .distribute(&id, AppKind::Host, true)
        .await
        .expect_err("not in Entra ID");
    assert_eq!(err.code(), ErrorCode::NotFound, "{err:?}");
    assert!(err.to_string().contains("Entra ID"), "{err}");
    assert!(fake.handle.groups().is_empty());
    assert!(fake.handle.app_assignments().is_empty());
}

#[tokio::test]
async fn a6_a_5xx_on_the_assignment_that_did_not_arrive_fails_and_the_next_try_completes() {
    let fake = fake_graph(40).await;
    let c = connector(&fake);
    let id = &devices(&fake, "Android", 1)[0];
    fake.handle
        .inject_times(Endpoint::CreateAppAssignment, Failure::ServerError(503), 1);
    let err = c
        .distribute(id, AppKind::Host, true)
        .await
        .expect_err("not re-sent blindly");
    assert_eq!(err.code(), ErrorCode::ServerError, "{err:?}");
    assert!(fake.handle.app_assignments().is_empty());
    c.distribute(id, AppKind::Host, true)
        .await
        .expect("completes");
    assert_eq!(fake.handle.app_assignments().len(), 1);
    assert_eq!(
        fake.handle.groups().len(),
        1,
        "the group made before is reused"
    );
}
