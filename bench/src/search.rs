//! In-process search: 1,000 varied queries through `Store::list_devices` (what the window and the
//! CLI call) over a fleet of N devices, on SQLite and, when `HELPATWORK_BENCH_POSTGRES_URL` names
//! a throwaway PostgreSQL database, on PostgreSQL. Each query asks for the first page of 200 rows
//! and the total, as the window's device table does. Latencies go to HdrHistogram per store and
//! per kind of query; the figure is the p95 per store, against a floor measured in the same run
//! on the same store: reading one page of 200 rows in list order with no filter (and no total).
//! Each query is followed by one floor read, so a busy moment weighs on both.
//!
//! Usage: search FLEET_JSON DEVICES [QUERIES]   (the fleet as the `fleet-file` program writes it).
//! Exits 1 when a full run's ratio is over 2 on either store.

use std::collections::BTreeMap;
use std::path::Path;
use std::time::Instant;

use hdrhistogram::Histogram;
use helpatwork_app::paths::Paths;
use helpatwork_app::{devices, AppContext, ContextOptions};
use helpatwork_bench as bench;
use helpatwork_domain::{Platform, Readiness};
use helpatwork_fleetgen::{ascii_fold, FIRST_NAMES, LAST_NAMES};
use helpatwork_store::DeviceQuery;

/// The queries' p95 over the floor's.
const TARGET: f64 = 2.0;
const PAGE: u32 = 200;

// Names and users are made of the generator's words (`helpatwork_fleetgen::{FIRST,LAST}_NAMES`).
const MODELS: [&str; 8] = [
    "galaxy", "pixel 8", "iphone", "moto g84", "tc58", "samsung", "apple", "zebra",
];
const PLATFORMS: [Platform; 3] = [Platform::Android, Platform::Ios, Platform::Other];

/// A small deterministic generator (the same 1,000 queries every run).
struct Lcg(u64);

impl Lcg {
    fn next(&mut self, below: usize) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        ((self.0 >> 33) as usize) % below
    }
}

/// The kind of query (for the per-kind breakdown) and the query.
fn queries(count: usize, devices: usize) -> Vec<(&'static str, DeviceQuery)> {
    let mut rng = Lcg(42);
    let base = DeviceQuery {
        limit: PAGE,
        count: true,
        ..Default::default()
    };
    (0..count)
        .map(|i| {
            let mut q = base.clone();
            let first = FIRST_NAMES[rng.next(FIRST_NAMES.len())].to_lowercase();
            let last = LAST_NAMES[rng.next(LAST_NAMES.len())].to_lowercase();
            let platform = PLATFORMS[rng.next(PLATFORMS.len())];
            let readiness = Readiness::ALL[rng.next(Readiness::ALL.len())];
            let n = rng.next(devices.max(1));
            let kind = match i % 10 {
                0 => {
                    q.search = Some(first.clone());
                    "text common (first name)"
                }
                1 => {
                    q.search = Some(MODELS[rng.next(MODELS.len())].to_string());
                    "text common (model)"
                }
                2 => {
                    q.search = Some(format!("dev-{n:06}"));
                    "text rare (device id)"
                }
                3 => {
                    q.search = Some(format!("{}.{}{n}@", ascii_fold(&first), ascii_fold(&last)));
                    "text rare (e-mail)"
                }
                4 => {
                    q.search = Some(format!("zz-no-such-device-{i}"));
                    "text miss"
                }
                5 => {
                    q.platform = Some(platform);
                    "platform"
                }
                6 => {
                    q.readiness = Some(readiness);
                    "readiness"
                }
                7 => {
                    q.search = Some(last.clone());
                    q.platform = Some(platform);
                    "text + platform"
                }
                8 => {
                    q.search = Some(first);
                    q.readiness = Some(readiness);
                    "text + readiness"
                }
                _ => {
                    q.platform = Some(platform);
                    q.readiness = Some(readiness);
                    if i % 20 == 9 {
                        q.search = Some(last);
                        "text + platform + readiness"
                    } else {
                        "platform + readiness"
                    }
                }
            };
            (kind, q)
        })
        .collect()
}

async fn run(
    store_name: &str,
    ctx: &AppContext,
    fleet: &Path,
    devices_n: usize,
    count: usize,
) -> bool {
    let t = Instant::now();
    devices::import_file(ctx, fleet).await.expect("import");
    println!(
        "{store_name}: imported {devices_n} devices in {:.1} s",
        t.elapsed().as_secs_f64()
    );
    let store = &ctx.store;
    let all = queries(count, devices_n);
    // The first filtered query after a write builds the in-memory index: reported, not judged.
    let t = Instant::now();
    store.list_devices(&all[0].1).await.expect("list");
    println!(
        "{store_name}: first query after the import (builds the search index) {:.1} ms",
        t.elapsed().as_secs_f64() * 1000.0
    );
    let plain = DeviceQuery {
        limit: PAGE,
        ..Default::default()
    };
    // Warm-up: the first tenth, once.
    for (_, q) in all.iter().take(count / 10) {
        store.list_devices(q).await.expect("list");
        store.list_devices(&plain).await.expect("list");
    }
    let mut total = bench::latencies();
    let mut floor = bench::latencies();
    let mut by_kind: BTreeMap<&str, Histogram<u64>> = BTreeMap::new();
    let mut rows = 0usize;
    for (kind, q) in &all {
        let t = Instant::now();
        let page = store.list_devices(q).await.expect("list");
        let elapsed = t.elapsed();
        rows += page.items.len();
        bench::add(&mut total, elapsed);
        bench::add(
            by_kind.entry(kind).or_insert_with(bench::latencies),
            elapsed,
        );
        let t = Instant::now();
        let page = store.list_devices(&plain).await.expect("list");
        bench::add(&mut floor, t.elapsed());
        assert_eq!(page.items.len(), (PAGE as usize).min(devices_n));
    }
    println!("{store_name}: {rows} rows over {count} queries; by kind:");
    for (kind, h) in &by_kind {
        println!(
            "  {kind:<30} n={:<4} p50 {:7.3} ms  p95 {:7.3} ms  max {:7.3} ms",
            h.len(),
            bench::ms(h, 0.5),
            bench::ms(h, 0.95),
            h.max() as f64 / 1000.0
        );
    }
    let ratio = bench::ratio(bench::ms(&total, 0.95), bench::ms(&floor, 0.95));
    let worst = by_kind
        .iter()
        .max_by_key(|(_, h)| h.value_at_quantile(0.95))
        .map(|(k, h)| format!("; slowest kind: {k} p95 {:.3} ms", bench::ms(h, 0.95)))
        .unwrap_or_default();
    bench::record(
        &format!("search ({store_name})"),
        &format!(
            "{devices_n} devices, {count} varied queries (text common/rare/miss, platform, \
             readiness, combinations), first page of {PAGE} + total, Store::list_devices; \
             floor: one page of {PAGE} rows in list order, no filter, same store, one after \
             each query"
        ),
        &format!("p95 ≤ {TARGET}× floor's p95"),
        &format!(
            "{ratio:.2}× (p95 {:.3} ms, floor p95 {:.3} ms; {}{worst}; floor {})",
            bench::ms(&total, 0.95),
            bench::ms(&floor, 0.95),
            bench::summary(&total),
            bench::summary(&floor)
        ),
        Some(ratio <= TARGET),
    );
    ratio <= TARGET
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() -> std::process::ExitCode {
    let mut args = std::env::args().skip(1);
    let fleet = args
        .next()
        .expect("usage: search FLEET_JSON DEVICES [QUERIES]");
    let devices_n: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(100_000);
    let count: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(1_000);
    let fleet = Path::new(&fleet);

    let dir = tempfile::tempdir().expect("temp dir");
    let sqlite = AppContext::open(
        Paths::at(dir.path().join("data")),
        ContextOptions::default(),
    )
    .await
    .expect("SQLite context");
    let mut met = run("SQLite", &sqlite, fleet, devices_n, count).await;
    drop(sqlite);

    match std::env::var("HELPATWORK_BENCH_POSTGRES_URL")
        .ok()
        .filter(|u| !u.is_empty())
    {
        Some(url) => {
            let pg = AppContext::open(
                Paths::at(dir.path().join("pg")),
                ContextOptions {
                    database_url: Some(url),
                    ..Default::default()
                },
            )
            .await
            .expect("PostgreSQL context");
            met &= run("PostgreSQL", &pg, fleet, devices_n, count).await;
        }
        None => bench::record(
            "search (PostgreSQL)",
            "not run: HELPATWORK_BENCH_POSTGRES_URL is not set",
            &format!("p95 ≤ {TARGET}× floor's p95"),
            "not measured",
            None,
        ),
    }
    bench::exit(met)
}
