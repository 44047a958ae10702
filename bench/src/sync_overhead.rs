//! `devices sync` overhead: a full sync of N devices from the fake Ivanti service (pages of 500)
//! into a fresh SQLite store, against a floor measured in the same run: the same pages fetched
//! with the same concurrency and parsed as JSON, bare.
//!
//! Usage: sync-overhead [DEVICES]   (default 100000). Exits 1 when the ratio is over 1.5.

use std::sync::Arc;
use std::time::Instant;

use helpatwork_app::paths::Paths;
use helpatwork_app::sync::{CONCURRENT_PAGES, PAGE_ROWS};
use helpatwork_app::{AppContext, ContextOptions};
use helpatwork_mdm::fake::{self, FakeIvantiOptions, FleetSpec};
use helpatwork_mdm::{IvantiConnector, MdmConnector};

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let devices: usize = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(100_000);
    let ivanti = fake::spawn(FakeIvantiOptions {
        fleet: FleetSpec {
            devices,
            ..Default::default()
        },
        ..Default::default()
    })
    .await
    .expect("fake Ivanti");
    let connector: Arc<dyn MdmConnector> =
        Arc::new(IvantiConnector::new(ivanti.config().expect("config")).expect("connector"));

    // The floor: every page fetched (CONCURRENT_PAGES at a time) and parsed, nothing else.
    let http = reqwest::Client::new();
    let partition = http
        .get(format!(
            "{}/api/v1/tenant/partition/device",
            ivanti.base_url
        ))
        .basic_auth(&ivanti.user, Some(&ivanti.password))
        .send()
        .await
        .expect("partitions")
        .json::<serde_json::Value>()
        .await
        .expect("partitions json");
    let id = partition["result"]["searchResults"]
        .as_array()
        .and_then(|a| a.iter().find(|p| p["defaultPartition"] == true))
        .map(|p| p["id"].to_string())
        .unwrap_or_else(|| "1".into());
    let t = Instant::now();
    let offsets: Vec<u32> = (0..devices as u32).step_by(PAGE_ROWS as usize).collect();
    let mut parsed = 0usize;
    for chunk in offsets.chunks(CONCURRENT_PAGES) {
        let mut tasks = Vec::new();
        for &start in chunk {
            let (http, base, user, password, id) = (
                http.clone(),
                ivanti.base_url.clone(),
                ivanti.user.clone(),
                ivanti.password.clone(),
                id.clone(),
            );
            tasks.push(tokio::spawn(async move {
                let v: serde_json::Value = http
                    .get(format!(
                        "{base}/api/v1/device?q=&rows={PAGE_ROWS}&start={start}&dmPartitionId={id}"
                    ))
                    .basic_auth(user, Some(password))
                    .send()
                    .await
                    .expect("page")
                    .json()
                    .await
                    .expect("page json");
                v["result"]["searchResults"]
                    .as_array()
                    .map(|a| a.len())
                    .unwrap_or(0)
            }));
        }
        for task in tasks {
            parsed += task.await.expect("task");
        }
    }
    let floor = t.elapsed();
    assert_eq!(parsed, devices, "the floor read every record");

    // The app: a full sync into a fresh store.
    let dir = tempfile::tempdir().expect("temp dir");
    let ctx = AppContext::open(Paths::at(dir.path()), ContextOptions::default())
        .await
        .expect("context");
    let t = Instant::now();
    let report = helpatwork_app::sync::sync(&ctx, connector, &|_, _| {})
        .await
        .expect("sync");
    let app = t.elapsed();
    assert_eq!((report.inserted + report.skipped) as usize, devices);

    let ratio = app.as_secs_f64() / floor.as_secs_f64();
    helpatwork_bench::record(
        "sync",
        &format!(
            "{devices} devices from the fake Ivanti service ({} pages of {PAGE_ROWS}) into a fresh \
             SQLite store; floor: the same pages fetched and parsed bare",
            report.pages
        ),
        "≤ 1.5× floor",
        &format!(
            "{ratio:.2}× (sync {:.2} s, floor {:.2} s)",
            app.as_secs_f64(),
            floor.as_secs_f64()
        ),
        Some(ratio <= 1.5),
    );
    std::process::exit(if ratio <= 1.5 { 0 } else { 1 });
}
