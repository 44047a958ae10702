//! The fake Graph answers in the reference's shapes, pages by `@odata.nextLink`, and fails as
//! switched.

use std::time::Duration;

use helpatwork_graph_fake::{
    spawn, Endpoint, Failure, FakeGraph, FakeGraphOptions, FleetSpec, LIST_EXAMPLE,
    PRIVILEGED_OPERATIONS,
};
use serde_json::Value;

async fn token(fake: &FakeGraph, secret: &str) -> reqwest::Response {
    reqwest::Client::new()
        .post(format!(
            "{}/{}/oauth2/v2.0/token",
            fake.base_url, fake.tenant_id
        ))
        .form(&[
            ("grant_type", "client_credentials"),
            ("client_id", fake.client_id.as_str()),
            ("client_secret", secret),
            ("scope", "https://graph.microsoft.com/.default"),
        ])
        .send()
        .await
        .expect("token request")
}

async fn signed_in(fake: &FakeGraph) -> String {
    let body: Value = token(fake, &fake.client_secret.clone())
        .await
        .json()
        .await
        .expect("token json");
    assert_eq!(body["token_type"], "Bearer");
    assert_eq!(body["expires_in"], 3599);
    body["access_token"].as_str().expect("token").to_owned()
}

async fn get(url: &str, bearer: &str) -> reqwest::Response {
    reqwest::Client::new()
        .get(url)
        .bearer_auth(bearer)
        .send()
        .await
        .expect("request")
}

fn fleet(devices: usize) -> FakeGraphOptions {
    FakeGraphOptions {
        fleet: FleetSpec {
            devices,
            ..FleetSpec::default()
        },
        ..FakeGraphOptions::default()
    }
}

#[tokio::test]
async fn the_fixture_is_the_references_example() {
    let example: Value = serde_json::from_str(LIST_EXAMPLE).expect("fixture is JSON");
    let record = &example["value"][0];
    assert_eq!(record["id"], "705c034c-034c-705c-4c03-5c704c035c70");
    assert_eq!(record["@odata.type"], "#microsoft.graph.managedDevice");
}

#[tokio::test]
async fn a_wrong_secret_gets_entra_ids_error() {
    let fake = spawn(fleet(3)).await.expect("fake starts");
    let answer = token(&fake, "wrong").await;
    assert_eq!(answer.status(), 401);
    let body: Value = answer.json().await.expect("json");
    assert_eq!(body["error"], "invalid_client");
    assert!(body["error_description"]
        .as_str()
        .unwrap_or_default()
        .starts_with("AADSTS7000215"));
}

#[tokio::test]
async fn paging_follows_next_links_with_select_and_count() {
    let fake = spawn(fleet(25)).await.expect("fake starts");
    let bearer = signed_in(&fake).await;
    let mut url = format!(
        "{}/v1.0/deviceManagement/managedDevices?$select=id,deviceName&$top=10&$count=true",
        fake.base_url
    );
    let mut seen = Vec::new();
    loop {
        let page: Value = get(&url, &bearer).await.json().await.expect("page");
        assert_eq!(page["@odata.count"], 25);
        for record in page["value"].as_array().expect("value") {
            let keys: Vec<&str> = record
                .as_object()
                .expect("object")
                .keys()
                .map(String::as_str)
                .collect();
            assert_eq!(keys.len(), 3, "{keys:?}: @odata.type, id, deviceName");
            seen.push(record["id"].as_str().expect("id").to_owned());
        }
        match page["@odata.nextLink"].as_str() {
            Some(next) => url = next.to_owned(),
            None => break,
        }
    }
    assert_eq!(seen.len(), 25);
    seen.dedup();
    assert_eq!(seen.len(), 25);
}

#[tokio::test]
async fn switches_answer_as_graph_does() {
    let fake = spawn(fleet(30)).await.expect("fake starts");
    let bearer = signed_in(&fake).await;
    let list = format!(
        "{}/v1.0/deviceManagement/managedDevices?$top=10",
        fake.base_url
    );
    assert_eq!(get(&list, "not-issued").await.status(), 401);

    fake.handle.inject_times(
        Endpoint::ListDevices,
        Failure::RateLimited {
            retry_after: Duration::from_secs(2),
        },
        1,
    );
    let answer = get(&list, &bearer).await;
    assert_eq!(answer.status(), 429);
    assert_eq!(answer.headers()["retry-after"], "2");
    let body: Value = answer.json().await.expect("json");
    assert_eq!(body["error"]["code"], "TooManyRequests");

    fake.handle.set_permissions(&[PRIVILEGED_OPERATIONS]);
    let answer = get(&list, &bearer).await;
    assert_eq!(answer.status(), 403);
    let body: Value = answer.json().await.expect("json");
    assert!(body["error"]["message"]
        .as_str()
        .unwrap_or_default()
        .contains("DeviceManagementManagedDevices.Read.All"));
    fake.handle
        .set_permissions(&["DeviceManagementManagedDevices.Read.All"]);

    fake.handle
        .inject_times(Endpoint::ListDevices, Failure::TruncatedPage, 1);
    let text = get(&list, &bearer).await.text().await.unwrap_or_default();
    assert!(serde_json::from_str::<Value>(&text).is_err(), "cut off");

    fake.handle
        .inject_times(Endpoint::ListDevices, Failure::ForeignNextLink, 1);
    let page: Value = get(&list, &bearer).await.json().await.expect("page");
    assert!(page["@odata.nextLink"]
        .as_str()
        .unwrap_or_default()
        .starts_with("http://127.0.0.2:"));

    // syncDevice needs its own permission.
    let id = fake.handle.devices()[0].id.clone();
    let sync = |bearer: String| {
        let url = format!(
            "{}/v1.0/deviceManagement/managedDevices/{id}/syncDevice",
            fake.base_url
        );
        async move {
            reqwest::Client::new()
                .post(url)
                .bearer_auth(bearer)
                .send()
                .await
                .expect("sync")
                .status()
        }
    };
    assert_eq!(sync(bearer.clone()).await, 403);
    fake.handle.set_permissions(&[PRIVILEGED_OPERATIONS]);
    assert_eq!(sync(bearer.clone()).await, 204);
    assert_eq!(fake.handle.syncs(), vec![id]);
}

#[tokio::test]
async fn a_fleet_of_100_000_devices_is_generated() {
    let fake = spawn(fleet(100_000)).await.expect("fake starts");
    let devices = fake.handle.devices();
    assert_eq!(devices.len(), 100_000);
    let kinds: std::collections::HashSet<&str> = devices
        .iter()
        .map(|d| d.device_enrollment_type.as_str())
        .collect();
    for kind in [
        "androidEnterpriseDedicatedDevice",
        "androidEnterpriseFullyManaged",
        "androidEnterpriseCorporateWorkProfile",
        "userEnrollment",
        "appleBulkWithUser",
    ] {
        assert!(kinds.contains(kind), "{kind}: {kinds:?}");
    }
}
