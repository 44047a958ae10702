//! Preflight latency: `session::preflight` for one device, every check (tenant: L1, A1, U3;
//! device: L2, S2, S7, S10, U2, U4, A6, online; S3 token held; the desktop client D3/S11 read from
//! a fake install; the device's open session), over an SQLite store of N devices. Sampled with
//! HdrHistogram after a warm-up; the figure is the p95.
//!
//! Usage: preflight [DEVICES] [SAMPLES]   (defaults 100000 and 5000).

use std::time::{Duration, Instant};

use helpatwork_app::paths::Paths;
use helpatwork_app::{devices, session, AppContext, ContextOptions};
use helpatwork_bench as bench;
use helpatwork_domain::Mode;
use helpatwork_teamviewer_sandbox::SandboxOptions;

const TOKEN: &str = "bench-script-token-0123456789";
const TARGET_MS: f64 = 1.0;

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
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
    let file = dir.path().join("fleet.json");
    std::fs::write(&file, bench::ready_fleet(n)).expect("fleet");
    devices::import_file(&ctx, &file).await.expect("import");
    bench::tenant_ready(&ctx).await;

    let device = bench::ready_id(n / 2);
    let first = session::preflight(&ctx, &device, Mode::Attended)
        .await
        .expect("preflight");
    assert!(first.ok, "the bench device passes preflight: {first:?}");
    let checks = first.checks.len();

    for _ in 0..samples / 10 {
        session::preflight(&ctx, &device, Mode::Attended)
            .await
            .expect("preflight");
    }
    let mut hist = bench::latencies();
    let started = Instant::now();
    for _ in 0..samples {
        let t = Instant::now();
        let p = session::preflight(&ctx, &device, Mode::Attended)
            .await
            .expect("preflight");
        bench::add(&mut hist, t.elapsed());
        debug_assert!(p.ok);
    }
    let wall = started.elapsed();
    let p95 = bench::ms(&hist, 0.95);
    bench::record(
        "preflight",
        &format!(
            "one device, all {checks} checks, SQLite store of {n} devices, {samples} calls \
             ({:.0}/s)",
            samples as f64 / wall.max(Duration::from_micros(1)).as_secs_f64()
        ),
        "p95 ≤ 1 ms",
        &bench::summary(&hist),
        Some(p95 <= TARGET_MS),
    );
}
