//! `devices sync` overhead: a full sync of N devices from the fake Ivanti service (pages of 500)
//! into a fresh SQLite store, against a floor measured in the same run: the same pages fetched
//! with the same concurrency and parsed as JSON, bare.
//!
//! Usage: sync-overhead [DEVICES] [--cps]   (default 100000). Exits 1 when a full run's ratio is
//! over 1.3.
//!
//! `--cps`: the connector also reads every page's app inventory and device groups (labels)
//! through the fake's CPS endpoints (batches of 100 GUIDs each), unpaced, so the figure is the
//! app's own cost of them; reported against the same floor, not judged. A real tenant adds
//! Ivanti's pace: 2,000 calls for 100,000 devices at 100 to 400 calls a minute (docs/ivanti.md).

/// Runs of the floor and of the sync, alternating, on a full run.
const RUNS: usize = 3;
/// The sync's median over the floor's.
const TARGET: f64 = 1.3;

use std::process::ExitCode;
use std::sync::Arc;
use std::time::{Duration, Instant};

use helpatwork_app::paths::Paths;
use helpatwork_app::sync::{SyncReport, CONCURRENT_PAGES, PAGE_ROWS};
use helpatwork_app::{AppContext, ContextOptions};
use helpatwork_ivanti_fake::{self as fake, FakeIvantiOptions, FleetSpec};
use helpatwork_mdm::{IvantiConnector, MdmConnector};

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() -> ExitCode {
    let devices: usize = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(100_000);
    let cps = std::env::args().any(|a| a == "--cps");
    let ivanti = fake::spawn(FakeIvantiOptions {
        fleet: FleetSpec {
            devices,
            ..Default::default()
        },
        ..Default::default()
    })
    .await
    .expect("fake Ivanti");
    let config = if cps {
        let mut config = ivanti.config_with_cps().expect("config");
        if let Some(access) = config.cps.as_mut() {
            // The app's own cost: the fake has no rate limit to respect.
            access.calls_per_minute = u32::MAX;
        }
        config
    } else {
        ivanti.config().expect("config")
    };
    let connector: Arc<dyn MdmConnector> =
        Arc::new(IvantiConnector::new(config).expect("connector"));

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
    // Floor and sync alternate, RUNS times each (one on a smoke run); the figure compares their
    // medians, so one noisy run on a busy machine does not decide it.
    let runs = if std::env::var_os("HELPATWORK_BENCH_SMOKE").is_some() {
        1
    } else {
        RUNS
    };
    let (mut floors, mut apps, mut checkpoints) = (Vec::new(), Vec::new(), Vec::new());
    let mut pages = 0;
    for _ in 0..runs {
        floors.push(floor(&http, &ivanti, &id, devices).await);
        let (took, checkpoint, report) = sync_once(connector.clone()).await;
        assert_eq!((report.inserted + report.skipped) as usize, devices);
        assert_eq!(
            report.warnings_total, 0,
            "the fake's fleet is valid: {:?}",
            report.warnings
        );
        pages = report.pages;
        eprintln!(
            "sync run: floor {:.2} s, sync {:.2} s (then its checkpoint {:.2} s)",
            floors.last().expect("a floor").as_secs_f64(),
            took.as_secs_f64(),
            checkpoint.as_secs_f64()
        );
        checkpoints.push(checkpoint);
        apps.push(took);
    }
    let (floor, app) = (median(&mut floors), median(&mut apps));
    let ratio = app.as_secs_f64() / floor.as_secs_f64();
    if cps {
        helpatwork_bench::record(
            "sync with CPS app inventory",
            &format!(
                "{devices} devices from the fake Ivanti service, each page's app inventory and \
                 device groups read through its CPS endpoints (calls of 100 GUIDs each, unpaced) \
                 into a fresh SQLite store; against the floor of the plain sync; median of {runs} \
                 alternating runs"
            ),
            "reported (a real tenant adds Ivanti's pace)",
            &format!(
                "{ratio:.2}× (sync {:.2} s, floor {:.2} s)",
                app.as_secs_f64(),
                floor.as_secs_f64()
            ),
            None,
        );
        return ExitCode::SUCCESS;
    }
    helpatwork_bench::record(
        "sync",
        &format!(
            "{devices} devices from the fake Ivanti service ({pages} pages of {PAGE_ROWS}) into a \
             fresh SQLite store; floor: the same pages fetched and parsed bare; median of {runs} \
             alternating runs of each"
        ),
        &format!("≤ {TARGET}× floor"),
        &format!(
            "{ratio:.2}× (sync {:.2} s, floor {:.2} s; the log's checkpoint afterwards, not \
             counted: {:.2} s)",
            app.as_secs_f64(),
            floor.as_secs_f64(),
            median(&mut checkpoints).as_secs_f64()
        ),
        Some(ratio <= TARGET),
    );
    // Returned, not `process::exit`: the temp stores are removed on the way out.
    helpatwork_bench::exit(ratio <= TARGET)
}

/// Every page fetched (CONCURRENT_PAGES at a time) and parsed, nothing else.
async fn floor(
    http: &reqwest::Client,
    ivanti: &fake::FakeIvanti,
    id: &str,
    devices: usize,
) -> Duration {
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
                id.to_string(),
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
    assert_eq!(parsed, devices, "the floor read every record");
    t.elapsed()
}

/// A full sync into a fresh store (removed afterwards): how long it took, how long the
/// write-ahead log's checkpoint then took, and the report. The checkpoint is not part of the
/// sync (SQLite runs it later, at 256 MB of log or when the app closes); it runs here, timed
/// apart, so its writes do not land in the next run's floor.
async fn sync_once(connector: Arc<dyn MdmConnector>) -> (Duration, Duration, SyncReport) {
    let dir = tempfile::tempdir().expect("temp dir");
    let ctx = AppContext::open(Paths::at(dir.path()), ContextOptions::default())
        .await
        .expect("context");
    let t = Instant::now();
    let report = helpatwork_app::sync::sync(&ctx, connector, &|_, _| {})
        .await
        .expect("sync");
    let took = t.elapsed();
    let t = Instant::now();
    ctx.store.checkpoint().await.expect("checkpoint");
    (took, t.elapsed(), report)
}

fn median(runs: &mut [Duration]) -> Duration {
    runs.sort();
    runs[runs.len() / 2]
}
