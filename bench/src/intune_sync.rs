//! `devices sync` from Microsoft Intune: a full sync of N devices from the fake Graph
//! (`crates/graph-fake`; pages of 500 through `@odata.nextLink`) into a fresh SQLite store,
//! against a floor measured in the same run: the same pages (same `$select`, `$top`) fetched
//! one after another by following the links, with one token, and parsed as JSON, bare. Graph's
//! paging is forward-only, so the floor and the sync both read the pages in turn.
//!
//! Usage: intune-sync [DEVICES]   (default 100000). Exits 1 when the ratio is over 1.5, except in a smoke run.

/// Runs of the floor and of the sync, alternating, on a full run.
const RUNS: usize = 3;

use std::process::ExitCode;
use std::sync::Arc;
use std::time::{Duration, Instant};

use helpatwork_app::paths::Paths;
use helpatwork_app::sync::{SyncReport, PAGE_ROWS};
use helpatwork_app::{AppContext, ContextOptions};
use helpatwork_graph_fake::{self as fake, FakeGraph, FakeGraphOptions, FleetSpec};
use helpatwork_mdm::{IntuneConfig, IntuneConnector, MdmConnector, Sensitive};

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() -> ExitCode {
    let devices: usize = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(100_000);
    let graph = fake::spawn(FakeGraphOptions {
        fleet: FleetSpec {
            devices,
            ..Default::default()
        },
        ..Default::default()
    })
    .await
    .expect("fake Graph");
    let config = IntuneConfig::new(
        &graph.tenant_id,
        &graph.client_id,
        Sensitive::new(graph.client_secret.clone()),
    )
    .and_then(|c| c.with_urls(&graph.base_url, &graph.base_url))
    .expect("config");
    let http = reqwest::Client::new();
    let runs = if std::env::var_os("HELPATWORK_BENCH_SMOKE").is_some() {
        1
    } else {
        RUNS
    };
    let (mut floors, mut apps) = (Vec::new(), Vec::new());
    let mut pages = 0;
    for _ in 0..runs {
        floors.push(floor(&http, &graph, devices).await);
        // A new connector each run: no token or links carried over.
        let connector: Arc<dyn MdmConnector> =
            Arc::new(IntuneConnector::new(config.clone()).expect("connector"));
        let (took, report) = sync_once(connector).await;
        assert_eq!((report.inserted + report.skipped) as usize, devices);
        pages = report.pages;
        eprintln!(
            "intune sync run: floor {:.2} s, sync {:.2} s",
            floors.last().expect("a floor").as_secs_f64(),
            took.as_secs_f64()
        );
        apps.push(took);
    }
    let (floor, app) = (median(&mut floors), median(&mut apps));
    let ratio = app.as_secs_f64() / floor.as_secs_f64();
    helpatwork_bench::record(
        "sync from Intune",
        &format!(
            "{devices} devices from the fake Microsoft Graph ({pages} pages of {PAGE_ROWS} through \
             @odata.nextLink) into a fresh SQLite store; floor: the same pages followed and parsed \
             bare; median of {runs} alternating runs of each"
        ),
        "≤ 1.5× floor",
        &format!(
            "{ratio:.2}× (sync {:.2} s, floor {:.2} s)",
            app.as_secs_f64(),
            floor.as_secs_f64()
        ),
        Some(ratio <= 1.5),
    );
    helpatwork_bench::exit(ratio <= 1.5)
}

/// A token, then every page followed by its `@odata.nextLink` and parsed, nothing else.
async fn floor(http: &reqwest::Client, graph: &FakeGraph, devices: usize) -> Duration {
    let t = Instant::now();
    let token: serde_json::Value = http
        .post(format!(
            "{}/{}/oauth2/v2.0/token",
            graph.base_url, graph.tenant_id
        ))
        .form(&[
            ("grant_type", "client_credentials"),
            ("client_id", graph.client_id.as_str()),
            ("client_secret", graph.client_secret.as_str()),
            ("scope", helpatwork_mdm::intune::GRAPH_SCOPE),
        ])
        .send()
        .await
        .expect("token")
        .json()
        .await
        .expect("token json");
    let bearer = token["access_token"]
        .as_str()
        .expect("access token")
        .to_owned();
    let mut url = reqwest::Url::parse(&format!(
        "{}/v1.0/deviceManagement/managedDevices",
        graph.base_url
    ))
    .expect("url");
    url.query_pairs_mut()
        .append_pair("$select", helpatwork_mdm::intune::SELECT)
        .append_pair("$top", &PAGE_ROWS.to_string())
        .append_pair("$count", "true");
    let mut next = Some(url.to_string());
    let mut parsed = 0usize;
    while let Some(link) = next.take() {
        let page: serde_json::Value = http
            .get(link)
            .bearer_auth(&bearer)
            .send()
            .await
            .expect("page")
            .json()
            .await
            .expect("page json");
        parsed += page["value"].as_array().map_or(0, Vec::len);
        next = page["@odata.nextLink"].as_str().map(str::to_owned);
    }
    assert_eq!(parsed, devices, "the floor read every record");
    t.elapsed()
}

/// A full sync into a fresh store (removed afterwards), its checkpoint outside the time.
async fn sync_once(connector: Arc<dyn MdmConnector>) -> (Duration, SyncReport) {
    let dir = tempfile::tempdir().expect("temp dir");
    let ctx = AppContext::open(Paths::at(dir.path()), ContextOptions::default())
        .await
        .expect("context");
    let t = Instant::now();
    let report = helpatwork_app::sync::sync(&ctx, connector, &|_, _| {})
        .await
        .expect("sync");
    let took = t.elapsed();
    ctx.store.checkpoint().await.expect("checkpoint");
    (took, report)
}

fn median(runs: &mut [Duration]) -> Duration {
    runs.sort();
    runs[runs.len() / 2]
}
