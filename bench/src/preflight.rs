//! Preflight latency: `session::preflight` for one device, every check (tenant: L1, A1, U3;
//! device: L2, S2, S7, S10, U2, U4, A6, online; S3 token held; the desktop client D3/S11 read from
//! a fake install; the device's open session), over an SQLite store of N devices. Sampled with
//! HdrHistogram after a warm-up; the figure is the p95, against a floor measured in the same run:
//! the p95 of reading the same device and its apps by id from the same store (`Store::device`).
//! Preflight and floor calls alternate, so a busy moment weighs on both.
//!
//! Usage: preflight [DEVICES] [SAMPLES]   (defaults 100000 and 5000). Exits 1 when a full run's
//! ratio is over 1.5.

use std::time::{Duration, Instant};

use helpatwork_app::paths::Paths;
use helpatwork_app::{devices, session, AppContext, ContextOptions};
use helpatwork_bench as bench;
use helpatwork_domain::Mode;
use helpatwork_teamviewer_sandbox::SandboxOptions;

const TOKEN: &str = "bench-script-token-0123456789";
/// Preflight's p95 over the floor's.
const TARGET: f64 = 1.5;

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() -> std::process::ExitCode {
    let mut args = std::env::args().skip(1);
    let n: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(100_000);
    let samples: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(5_000);

    // Activation asks TeamViewer for the account: the sandbox answers. Preflight itself calls
    // no service (S3 only checks a token is held).
    let sandbox = helpatwork_teamviewer_sandbox::spawn(SandboxOptions {
        script_tokens: vec![TOKEN.into()],
        ..Default::default()
    })
    .await
    .expect("sandbox");
    let dir = tempfile::tempdir().expect("temp dir");
    let home = bench::desktop_client(dir.path(), "15.75.1");
    for (k, v) in [
        ("HELPATWORK_TEAMVIEWER_API_URL", sandbox.base_url.as_str()),
        (
            "HELPATWORK_TEAMVIEWER_LOGIN_URL",
            sandbox.login_url.as_str(),
        ),
        ("HELPATWORK_TEAMVIEWER_TOKEN", TOKEN),
        ("HELPATWORK_TEAMVIEWER_HOME", home.to_str().expect("utf-8")),
    ] {
        std::env::set_var(k, v);
    }
    let ctx = AppContext::open(
        Paths::at(dir.path().join("data")),
        ContextOptions::default(),
    )
    .await
    .expect("context");
    let file = bench::ready_fleet_file(dir.path(), n);
    devices::import_file(&ctx, &file).await.expect("import");
    bench::tenant_ready(&ctx).await;

    let device = bench::ready_id(n / 2);
    let first = session::preflight(&ctx, &device, Mode::Attended)
        .await
        .expect("preflight");
    assert!(first.ok, "the bench device passes preflight: {first:?}");
    let checks = first.checks.len();

    let floor_read = || async {
        let d = ctx.store.device(&device).await.expect("device");
        assert!(
            d.is_some_and(|d| d.apps.is_some()),
            "the device and its apps"
        );
    };
    for _ in 0..samples / 10 {
        session::preflight(&ctx, &device, Mode::Attended)
            .await
            .expect("preflight");
        floor_read().await;
    }
    let (mut hist, mut floor) = (bench::latencies(), bench::latencies());
    let mut wall = Duration::ZERO;
    for _ in 0..samples {
        let t = Instant::now();
        let p = session::preflight(&ctx, &device, Mode::Attended)
            .await
            .expect("preflight");
        let took = t.elapsed();
        wall += took;
        bench::add(&mut hist, took);
        debug_assert!(p.ok);
        let t = Instant::now();
        floor_read().await;
        bench::add(&mut floor, t.elapsed());
    }
    let ratio = bench::ratio(bench::ms(&hist, 0.95), bench::ms(&floor, 0.95));
    bench::record(
        "preflight",
        &format!(
            "one device, all {checks} checks, SQLite store of {n} devices, {samples} calls \
             ({:.0}/s); floor: the device and its apps read by id from the same store, \
             alternating with the calls",
            samples as f64 / wall.max(Duration::from_micros(1)).as_secs_f64()
        ),
        &format!("p95 ≤ {TARGET}× floor's p95"),
        &format!(
            "{ratio:.2}× (p95 {:.3} ms, floor p95 {:.3} ms; {}; floor {})",
            bench::ms(&hist, 0.95),
            bench::ms(&floor, 0.95),
            bench::summary(&hist),
            bench::summary(&floor)
        ),
        Some(ratio <= TARGET),
    );
    bench::exit(ratio <= TARGET)
}
