//! Devices, groups, the company's users and help requests, checked with raw HTTP against the
//! documented shapes (docs/reference/teamviewer-web-api.md §3.2, §3.3, §4).

use helpatwork_teamviewer_sandbox::{
    spawn, HelpRequest, SandboxAccount, SandboxDevice, SandboxOptions,
};
use serde_json::{json, Value};

fn tier2() -> SandboxAccount {
    SandboxAccount {
        userid: "u22334455".into(),
        name: "Tier Two".into(),
        email: "tier2@example.com".into(),
        company_name: "Help@Work Demo".into(),
    }
}

async fn get(url: String, token: &str) -> (u16, Value) {
    let response = reqwest::Client::new()
        .get(url)
        .bearer_auth(token)
        .send()
        .await
        .expect("answer");
    let status = response.status().as_u16();
    (status, response.json().await.unwrap_or(Value::Null))
}

async fn put(url: String, token: &str, body: Value) -> (u16, Value) {
    let response = reqwest::Client::new()
        .put(url)
        .bearer_auth(token)
        .json(&body)
        .send()
        .await
        .expect("answer");
    let status = response.status().as_u16();
    (status, response.json().await.unwrap_or(Value::Null))
}

#[tokio::test]
async fn the_device_list_has_the_documented_fields_and_filters() {
    let sandbox = spawn(SandboxOptions::default()).await.expect("starts");
    let token = sandbox.handle.issue_tokens().access_token;
    let online = SandboxDevice::assigned_host("Ana's phone [hw:and-0001]", true);
    let offline = SandboxDevice::assigned_host("Bo's tablet [hw:and-0002]", false);
    sandbox.handle.add_device(online.clone());
    sandbox.handle.add_device(offline.clone());

    let (status, body) = get(format!("{}/devices", sandbox.base_url), &token).await;
    assert_eq!(status, 200);
    let devices = body["devices"].as_array().expect("devices[]");
    assert_eq!(devices.len(), 2);
    let first = &devices[0];
    for field in [
        "device_id",
        "remotecontrol_id",
        "alias",
        "online_state",
        "assigned_to",
        "supported_features",
    ] {
        assert!(first.get(field).is_some(), "{field} in {first}");
    }
    assert!(first["device_id"].as_str().unwrap_or("").starts_with('d'));
    assert!(first["remotecontrol_id"]
        .as_str()
        .unwrap_or("")
        .starts_with('r'));
    assert!(first.get("last_seen").is_none(), "absent while online");
    assert!(
        devices[1].get("last_seen").is_some(),
        "offline and assigned"
    );

    let (_, body) = get(
        format!("{}/devices?online_state=offline", sandbox.base_url),
        &token,
    )
    .await;
    assert_eq!(body["devices"][0]["alias"], "Bo's tablet [hw:and-0002]");
    let (_, body) = get(
        format!(
            "{}/devices?remotecontrol_id={}",
            sandbox.base_url, online.remotecontrol_id
        ),
        &token,
    )
    .await;
    assert_eq!(body["devices"].as_array().map(Vec::len), Some(1));
    let (_, body) = get(
        format!("{}/devices/{}", sandbox.base_url, offline.device_id),
        &token,
    )
    .await;
    assert_eq!(
        body["devices"][0]["remotecontrol_id"],
        json!(offline.remotecontrol_id)
    );

    assert!(sandbox
        .handle
        .set_device_online(&offline.remotecontrol_id, true));
    let (_, body) = get(
        format!("{}/devices?online_state=online", sandbox.base_url),
        &token,
    )
    .await;
    assert_eq!(body["devices"].as_array().map(Vec::len), Some(2));
    let (status, _) = get(format!("{}/devices", sandbox.base_url), "nope").await;
    assert_eq!(status, 401);
}

#[tokio::test]
async fn a_help_request_waits_unassigned_in_its_group_until_a_user_is_assigned() {
    let sandbox = spawn(SandboxOptions {
        users: vec![tier2()],
        ..SandboxOptions::default()
    })
    .await
    .expect("starts");
    let token = sandbox.handle.issue_tokens().access_token;
    let code = sandbox.handle.request_help(&HelpRequest {
        name: Some("Ana Souza".into()),
        email: Some("ana@example.com".into()),
        description: Some("The scanner app crashes".into()),
        group_name: "Help@Work".into(),
    });

    let (_, groups) = get(
        format!("{}/groups?name=Help@Work", sandbox.base_url),
        &token,
    )
    .await;
    let groupid = groups["groups"][0]["id"]
        .as_str()
        .expect("the group")
        .to_owned();
    assert!(groupid.starts_with('g'));

    let list = format!(
        "{}/sessions?groupid={groupid}&assigned_userid=u0&full_list=true",
        sandbox.base_url
    );
    let (_, body) = get(list.clone(), &token).await;
    let case = &body["sessions"][0];
    assert_eq!(case["code"], json!(code));
    assert_eq!(case["assigned_userid"], "u0");
    assert_eq!(case["state"], "Open");
    assert_eq!(case["end_customer"]["email"], "ana@example.com");
    assert!(case.get("assigned_at").is_none());

    // An assignee must be a user of the company.
    let session = format!("{}/sessions/{code}", sandbox.base_url);
    let (status, body) = put(session.clone(), &token, json!({"assigned_userid": "u999"})).await;
    assert_eq!(
        (status, body["error"].as_str()),
        (400, Some("invalid_request"))
    );
    let (status, _) = put(
        session.clone(),
        &token,
        json!({"assigned_userid": "u22334455"}),
    )
    .await;
    assert_eq!(status, 204);
    let (_, body) = get(list, &token).await;
    assert_eq!(body["sessions"].as_array().map(Vec::len), Some(0));
    let (_, case) = get(session, &token).await;
    assert_eq!(case["assigned_userid"], "u22334455");
    assert!(case.get("assigned_at").is_some());
}

#[tokio::test]
async fn a_user_token_acts_as_its_user() {
    let sandbox = spawn(SandboxOptions {
        users: vec![tier2()],
        ..SandboxOptions::default()
    })
    .await
    .expect("starts");
    sandbox.handle.add_user_token("tier2-token", "u22334455");
    let (status, account) = get(format!("{}/account", sandbox.base_url), "tier2-token").await;
    assert_eq!(
        (status, account["userid"].as_str()),
        (200, Some("u22334455"))
    );
    let created: Value = reqwest::Client::new()
        .post(format!("{}/sessions", sandbox.base_url))
        .bearer_auth("tier2-token")
        .json(&json!({"groupname": "Help@Work"}))
        .send()
        .await
        .expect("answer")
        .json()
        .await
        .expect("json");
    assert_eq!(created["assigned_userid"], "u22334455");
}
