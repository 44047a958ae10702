//! The account's devices (`GET /devices`), groups (`GET /groups`) and the service queue's
//! unassigned cases (`assigned_userid` `u0`), read through the client.

use helpatwork_teamviewer::{
    DeviceQuery, ErrorCode, OnlineState, RemoteControlId, SessionQuery, SessionUpdate,
};
use helpatwork_teamviewer_sandbox::{Endpoint, Failure, HelpRequest, SandboxDevice};

use crate::support;

#[tokio::test]
async fn assigned_hosts_are_read_with_their_state_and_filters() {
    let (sandbox, client, _store) = support::signed_in().await;
    let host = SandboxDevice::assigned_host("Ana's Pixel [hw:and-0001]", false);
    sandbox.handle.add_device(host.clone());
    sandbox
        .handle
        .add_device(SandboxDevice::assigned_host("Other [hw:and-0002]", true));

    let all = client
        .list_devices(&DeviceQuery::default())
        .await
        .expect("list");
    assert_eq!(all.len(), 2);
    let id = RemoteControlId::parse(&host.remotecontrol_id).expect("valid id");
    let one = client
        .list_devices(&DeviceQuery {
            remotecontrol_id: Some(id.clone()),
            ..DeviceQuery::default()
        })
        .await
        .expect("filtered");
    assert_eq!(one.len(), 1);
    let device = &one[0];
    assert_eq!(device.alias, "Ana's Pixel [hw:and-0001]");
    assert_eq!(device.online_state, OnlineState::Offline);
    assert!(device.assigned_to && device.supports_remote_control());
    assert!(device.last_seen.is_some());
    let request = sandbox
        .handle
        .requests()
        .into_iter()
        .rfind(|r| r.endpoint == Some(Endpoint::ListDevices))
        .expect("a device list call");
    assert_eq!(
        request.query.as_deref(),
        Some(format!("remotecontrol_id={}", host.remotecontrol_id).as_str())
    );
}

#[tokio::test]
async fn a_garbled_device_list_is_a_malformed_response() {
    let (sandbox, client, _store) = support::signed_in().await;
    sandbox
        .handle
        .inject_times(Endpoint::ListDevices, Failure::MalformedJson, 1);
    let err = client
        .list_devices(&DeviceQuery::default())
        .await
        .expect_err("garbled");
    assert_eq!(err.code(), ErrorCode::MalformedResponse);
}

#[tokio::test]
async fn an_unassigned_case_is_listed_in_its_group_and_taken_by_assignment() {
    let (sandbox, client, _store) = support::signed_in().await;
    let code = sandbox.handle.request_help(&HelpRequest {
        name: Some("Ana Souza".into()),
        email: Some("ana@example.com".into()),
        description: None,
        group_name: "Help@Work".into(),
    });
    let groups = client.list_groups(Some("Help@Work")).await.expect("groups");
    assert_eq!(groups.len(), 1);
    let query = SessionQuery {
        groupid: Some(groups[0].id.clone()),
        assigned_userid: Some("u0".into()),
        full_list: true,
        ..SessionQuery::default()
    };
    let waiting = client.list_sessions(&query).await.expect("list");
    assert_eq!(waiting.len(), 1);
    assert_eq!(waiting[0].code.as_str(), code);
    assert_eq!(
        waiting[0]
            .end_customer
            .as_ref()
            .and_then(|c| c.email.as_deref()),
        Some("ana@example.com")
    );
    let me = client.account().await.expect("account");
    client
        .update_session(
            &waiting[0].code,
            &SessionUpdate {
                assigned_userid: Some(me.userid.clone()),
                ..SessionUpdate::default()
            },
        )
        .await
        .expect("assigned");
    assert!(client.list_sessions(&query).await.expect("list").is_empty());
    assert_eq!(
        sandbox.handle.session(&code).map(|s| s.assigned_userid),
        Some(me.userid)
    );
}
