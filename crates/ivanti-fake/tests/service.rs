//! The fake Ivanti itself, driven with plain HTTP: the documented shapes and its switches.

use std::time::{Duration, Instant};

use helpatwork_ivanti_fake::{Endpoint, Failure};
use serde_json::Value;

use helpatwork_ivanti_fake::{spawn, FakeIvanti, FakeIvantiOptions, FleetSpec};

/// A fake of `devices` generated records.
async fn fake_ivanti(devices: usize) -> FakeIvanti {
    spawn(FakeIvantiOptions {
        fleet: FleetSpec {
            devices,
            seed: 7,
            now: "2026-11-20T10:00:00Z".parse().expect("RFC 3339"),
            retired_every: 0,
        },
        ..FakeIvantiOptions::default()
    })
    .await
    .expect("fake Ivanti starts on 127.0.0.1")
}

fn client() -> reqwest::Client {
    reqwest::Client::new()
}

#[tokio::test]
async fn fake_requires_basic_auth() {
    let fake = fake_ivanti(3).await;
    let url = format!("{}/api/v1/tenant/partition/device", fake.base_url);
    let anonymous = client().get(&url).send().await.expect("answer");
    assert_eq!(anonymous.status(), 401);
    assert!(anonymous
        .headers()
        .get("www-authenticate")
        .is_some_and(|v| v.to_str().is_ok_and(|v| v.starts_with("Basic"))));
    let wrong = client()
        .get(&url)
        .basic_auth(&fake.user, Some("nope"))
        .send()
        .await
        .expect("answer");
    assert_eq!(wrong.status(), 401);
    let right = client()
        .get(&url)
        .basic_auth(&fake.user, Some(&fake.password))
        .send()
        .await
        .expect("answer");
    assert_eq!(right.status(), 200);
    let body: Value = right.json().await.expect("json");
    assert!(body["errors"].is_null());
    assert_eq!(
        body["result"]["searchResults"].as_array().map(Vec::len),
        Some(2)
    );
}

#[tokio::test]
async fn fake_rejects_rows_above_500_with_the_documented_field_error() {
    let fake = fake_ivanti(3).await;
    for rows in ["501", "0"] {
        let answer = client()
            .get(format!(
                "{}/api/v1/device?q=&rows={rows}&start=0&dmPartitionId=100001",
                fake.base_url
            ))
            .basic_auth(&fake.user, Some(&fake.password))
            .send()
            .await
            .expect("answer");
        assert_eq!(answer.status(), 400);
        let body: Value = answer.json().await.expect("json");
        let error = &body["errors"]["fieldErrors"][0];
        assert_eq!(error["code"], "Range");
        assert_eq!(error["message"], "must be between 1 and 500");
    }
}

#[tokio::test]
async fn fake_search_follows_the_documented_envelope() {
    let fake = fake_ivanti(12).await;
    let body: Value = client()
        .get(format!(
            "{}/api/v1/device?q=&rows=5&start=10&dmPartitionId=100001",
            fake.base_url
        ))
        .basic_auth(&fake.user, Some(&fake.password))
        .send()
        .await
        .expect("answer")
        .json()
        .await
        .expect("json");
    assert!(body["errors"].is_null());
    let result = &body["result"];
    assert_eq!(result["totalCount"], 12);
    assert_eq!(result["offset"], 10);
    assert_eq!(result["limit"], 5);
    assert_eq!(result["searchResults"].as_array().map(Vec::len), Some(2));
    assert!(result["facetedResults"]["PLATFORMTYPE"].is_object());
    let device = &result["searchResults"][0];
    for field in [
        "id",
        "guid",
        "deviceModel",
        "prettyModel",
        "deviceName",
        "platformType",
        "platformVersion",
        "manufacturer",
        "lastCheckin",
        "registrationState",
        "displayName",
        "firstName",
        "lastName",
        "emailAddress",
        "kioskState",
        "androidDeviceOwnerModeEnabled",
        "mamOnly",
        "dmPartitionId",
    ] {
        assert!(device.get(field).is_some(), "missing {field}");
    }
}

#[tokio::test]
async fn fake_counts_failures_down_and_applies_latency() {
    let fake = fake_ivanti(3).await;
    let url = format!("{}/api/v1/tenant/partition/device", fake.base_url);
    fake.handle
        .inject_times(Endpoint::Partitions, Failure::ServerError(502), 2);
    let mut statuses = Vec::new();
    for _ in 0..3 {
        let answer = client()
            .get(&url)
            .basic_auth(&fake.user, Some(&fake.password))
            .send()
            .await
            .expect("answer");
        statuses.push(answer.status().as_u16());
    }
    assert_eq!(statuses, [502, 502, 200]);
    assert_eq!(fake.handle.request_count(Endpoint::Partitions), 3);
    fake.handle.set_latency(Duration::from_millis(150));
    let started = Instant::now();
    client()
        .get(&url)
        .basic_auth(&fake.user, Some(&fake.password))
        .send()
        .await
        .expect("answer");
    assert!(started.elapsed() >= Duration::from_millis(150));
}

#[tokio::test]
async fn fake_force_checkin_counts_known_devices() {
    let fake = fake_ivanti(3).await;
    let answer: Value = client()
        .put(format!("{}/api/v1/device/forceCheckin", fake.base_url))
        .basic_auth(&fake.user, Some(&fake.password))
        .header("content-type", "application/x-www-form-urlencoded")
        .body("ids=1000000,1000002,555")
        .send()
        .await
        .expect("answer")
        .json()
        .await
        .expect("json");
    assert_eq!(answer, serde_json::json!({"errors": null, "result": 2}));
    assert_eq!(fake.handle.forced_checkins(), ["1000000", "1000002"]);
}
