//! `devices sync` from Ivanti Neurons for MDM (the fake service following the documented API):
//! paging, resume after a failed page, retired and vanished devices marked removed.

use helpatwork_e2e::Machine;
use helpatwork_ivanti_fake::{self as fake, Endpoint, Failure, FakeIvantiOptions, FleetSpec};

struct Ivanti {
    fake: fake::FakeIvanti,
    _runtime: tokio::runtime::Runtime,
}

fn ivanti(devices: usize, retired_every: usize) -> Ivanti {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .unwrap();
    let fake = runtime
        .block_on(fake::spawn(FakeIvantiOptions {
            fleet: FleetSpec {
                devices,
                retired_every,
                ..Default::default()
            },
            ..Default::default()
        }))
        .unwrap();
    Ivanti {
        fake,
        _runtime: runtime,
    }
}

fn machine(i: &Ivanti) -> Machine {
    Machine::new()
        .env("HELPATWORK_MDM", "ivanti")
        .env("HELPATWORK_IVANTI_URL", &i.fake.base_url)
        .env("HELPATWORK_IVANTI_USER", &i.fake.user)
        .env("HELPATWORK_IVANTI_PASSWORD", &i.fake.password)
}

#[test]
fn sync_pages_through_the_fleet_and_is_incremental() {
    let i = ivanti(1234, 0);
    let m = machine(&i);
    let run = m.run(&["--json", "devices", "sync"]);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    let r = run.json();
    assert_eq!(r["pages"], 3, "500 rows a page");
    assert_eq!(
        r["inserted"].as_u64().unwrap() + r["skipped"].as_u64().unwrap(),
        1234
    );
    let listed = m.run(&["--json", "devices", "list", "--limit", "1"]).json();
    assert_eq!(listed["total"], r["devices"]);

    let again = m.run(&["--json", "devices", "sync", "--full"]).json();
    assert_eq!(again["inserted"], 0);
    assert_eq!(again["updated"], 0, "nothing changed: nothing written");
    assert_eq!(again["unchanged"], r["devices"]);
}

#[test]
fn sync_resumes_after_a_failed_page() {
    let i = ivanti(1234, 0);
    let m = machine(&i);
    let first_ok = m.run(&["--json", "devices", "sync"]);
    assert_eq!(first_ok.code, 0);
    // Another machine syncs while the MDM fails for longer than the connector's retries.
    let m2 = machine(&i);
    let pages_before = i.fake.handle.request_count(Endpoint::DeviceSearch);
    i.fake
        .handle
        .inject_times(Endpoint::DeviceSearch, Failure::ServerError(503), 1000);
    let failed = m2.run(&["--json", "devices", "sync"]);
    assert_eq!(failed.code, 5, "{}", failed.stdout);
    assert!(failed.json()["error"]["fix"].as_str().is_some());
    i.fake.handle.clear_failures();
    let resumed = m2.run(&["--json", "devices", "sync"]);
    assert_eq!(resumed.code, 0, "{}", resumed.stdout);
    assert_eq!(
        resumed.json()["resumed"],
        true,
        "the interrupted run goes on"
    );
    assert!(i.fake.handle.request_count(Endpoint::DeviceSearch) > pages_before);
    let total = m2
        .run(&["--json", "devices", "list", "--limit", "1"])
        .json()["total"]
        .clone();
    assert_eq!(total, first_ok.json()["devices"]);
}

#[test]
fn retired_and_vanished_devices_are_marked_removed_not_deleted() {
    let i = ivanti(120, 10);
    let m = machine(&i);
    let r = m.run(&["--json", "devices", "sync"]).json();
    assert!(
        r["removed"].as_u64().unwrap() == 0,
        "retired devices were never imported: {r}"
    );
    let before = m.run(&["--json", "devices", "list", "--limit", "1"]).json()["total"]
        .as_u64()
        .unwrap();
    assert!(
        before > 0 && before < 120,
        "retired records are not listed: {before}"
    );

    // One device vanishes from the MDM: the next full sync marks it removed.
    let mut devices = i.fake.handle.devices();
    let gone = devices
        .iter()
        .position(|d| d["registrationState"] == "ACTIVE")
        .unwrap();
    devices.remove(gone);
    i.fake.handle.replace_devices(devices);
    let r = m.run(&["--json", "devices", "sync", "--full"]).json();
    assert_eq!(r["removed"], 1, "{r}");
    let after = m.run(&["--json", "devices", "list", "--limit", "1"]).json()["total"]
        .as_u64()
        .unwrap();
    assert_eq!(after, before - 1);
}

#[test]
fn sync_without_a_connector_says_how_to_configure_one() {
    let m = Machine::new();
    let run = m.run(&["--json", "devices", "sync"]);
    assert_eq!(run.code, 2);
    assert!(run.json()["error"]["fix"]
        .as_str()
        .unwrap()
        .contains("HELPATWORK_MDM"));
}

#[test]
fn wrong_credentials_are_a_clear_error() {
    let i = ivanti(10, 0);
    let m = machine(&i).env("HELPATWORK_IVANTI_PASSWORD", "wrong");
    let run = m.run(&["--json", "devices", "sync"]);
    assert_eq!(run.code, 5, "{}", run.stdout);
    assert!(run.json()["error"]["fix"].as_str().is_some());
}

#[test]
fn s4_without_managed_app_configuration_the_device_user_gets_the_end_customer_link() {
    let i = ivanti(5, 0);
    let w = helpatwork_e2e::World::new("15.75.1", true);
    let env = [
        ("HELPATWORK_MDM", "ivanti"),
        ("HELPATWORK_IVANTI_URL", i.fake.base_url.as_str()),
        ("HELPATWORK_IVANTI_USER", i.fake.user.as_str()),
        ("HELPATWORK_IVANTI_PASSWORD", i.fake.password.as_str()),
    ];
    let out = w
        .machine
        .command(&["--json", "session", "start", "and-001"], &env)
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    let s: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        s["delivery"], "end_customer_link",
        "never pretends delivery happened"
    );
    assert!(s["end_customer_link"]
        .as_str()
        .unwrap()
        .starts_with("https://get.teamviewer.com/"));
    assert_ne!(s["state"], "delivered");
    let audit = w
        .machine
        .run(&["--json", "audit", "list", "--device", "and-001"])
        .json();
    let link = audit
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["action"] == "session.delivery_link")
        .expect("audited");
    assert_eq!(link["detail"]["end_customer_link"], s["end_customer_link"]);
}

#[test]
fn an_mdm_that_caps_rows_loses_no_device() {
    let i = ivanti(1234, 0);
    i.fake.handle.set_page_cap(Some(200));
    let m = machine(&i);
    let r = m.run(&["--json", "devices", "sync"]).json();
    assert_eq!(
        r["inserted"].as_u64().unwrap() + r["skipped"].as_u64().unwrap(),
        1234,
        "{r}"
    );
}

#[test]
fn sync_resumes_mid_run_from_the_first_page_not_written() {
    // 2,600 devices: 6 pages of 500. The MDM answers 3 searches, then fails until cleared.
    let i = ivanti(2600, 0);
    let m = machine(&i);
    i.fake
        .handle
        .inject_after(Endpoint::DeviceSearch, Failure::ServerError(503), 3);
    let failed = m.run(&["--json", "devices", "sync"]);
    assert_eq!(failed.code, 5, "{}{}", failed.stdout, failed.stderr);
    let written = m.run(&["--json", "devices", "list", "--limit", "1"]).json()["total"]
        .as_u64()
        .unwrap();
    assert!(
        (500..2600).contains(&written) && written.is_multiple_of(500),
        "whole pages written before the failure, in order: {written}"
    );

    i.fake.handle.clear_failures();
    let before = i.fake.handle.request_count(Endpoint::DeviceSearch);
    let resumed = m.run(&["--json", "devices", "sync"]);
    assert_eq!(resumed.code, 0, "{}{}", resumed.stdout, resumed.stderr);
    let r = resumed.json();
    assert_eq!(r["resumed"], true);
    // The resumed run starts where the written pages end and reads only what is left.
    let searches: Vec<_> = i
        .fake
        .handle
        .requests()
        .into_iter()
        .filter(|q| q.endpoint == Some(Endpoint::DeviceSearch))
        .skip(before)
        .collect();
    let first_start = searches[0]
        .query_pairs()
        .into_iter()
        .find(|(k, _)| k == "start")
        .map(|(_, v)| v.parse::<u64>().unwrap());
    assert_eq!(
        first_start,
        Some(written),
        "resume at the first page not written"
    );
    assert_eq!(r["pages"].as_u64().unwrap(), (2600 - written).div_ceil(500));
    assert_eq!(r["inserted"].as_u64().unwrap(), 2600 - written);
    let total = m.run(&["--json", "devices", "list", "--limit", "1"]).json()["total"]
        .as_u64()
        .unwrap();
    assert_eq!(total, 2600, "no device lost, none twice");
    assert_eq!(
        r["removed"], 0,
        "a resumed run marks nothing removed by mistake"
    );
}
