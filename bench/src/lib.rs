//! What the benchmark programs share: the results file `bench/run.sh` turns into the table, latency
//! percentiles (HdrHistogram), and the fakes a start needs (a TeamViewer desktop client install and
//! an opener program), set up the way the end-to-end tests set them up.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Duration;

use hdrhistogram::Histogram;

/// One figure of the table: appended as a JSON line to `$HELPATWORK_BENCH_RESULTS` (when set) and
/// printed. `pass` is `None` for a figure that is reported, not judged. A smoke run judges
/// nothing: it prints the figure and its target only.
pub fn record(figure: &str, workload: &str, target: &str, measured: &str, pass: Option<bool>) {
    println!(
        "{figure}: {measured} (target {target}){}",
        verdict(pass, smoke())
    );
    let Ok(path) = std::env::var("HELPATWORK_BENCH_RESULTS") else {
        return;
    };
    let line = serde_json::json!({
        "figure": figure, "workload": workload, "target": target, "measured": measured, "pass": pass,
    });
    let mut file = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(&path)
        .unwrap_or_else(|e| panic!("open {path}: {e}"));
    writeln!(file, "{line}").expect("write results");
}

/// What the printed line says of a figure: nothing on a smoke run.
pub fn verdict(pass: Option<bool>, smoke: bool) -> &'static str {
    match (smoke, pass) {
        (true, _) | (false, None) => "",
        (false, Some(true)) => " pass",
        (false, Some(false)) => " FAIL",
    }
}

/// A program's exit status: 1 when a full run missed its target, 0 otherwise (a smoke run never
/// fails on a figure).
pub fn exit(pass: bool) -> std::process::ExitCode {
    if pass || smoke() {
        std::process::ExitCode::SUCCESS
    } else {
        std::process::ExitCode::FAILURE
    }
}

/// `x` over `floor`, for the table: `1.23×`.
pub fn ratio(x: f64, floor: f64) -> f64 {
    if floor > 0.0 {
        x / floor
    } else {
        f64::INFINITY
    }
}

/// `HELPATWORK_BENCH_SMOKE=1`: small sizes, figures reported but not judged (CI on a noisy machine).
pub fn smoke() -> bool {
    std::env::var("HELPATWORK_BENCH_SMOKE").is_ok_and(|v| v == "1")
}

/// Latencies in microseconds, 1 µs to 60 s, 3 significant digits.
pub fn latencies() -> Histogram<u64> {
    Histogram::new_with_bounds(1, 60_000_000, 3).expect("histogram bounds")
}

pub fn add(hist: &mut Histogram<u64>, elapsed: Duration) {
    hist.saturating_record((elapsed.as_micros() as u64).max(1));
}

/// Milliseconds at a quantile, for the table.
pub fn ms(hist: &Histogram<u64>, quantile: f64) -> f64 {
    hist.value_at_quantile(quantile) as f64 / 1000.0
}

/// `p50 … ms, p95 … ms, max … ms`.
pub fn summary(hist: &Histogram<u64>) -> String {
    format!(
        "p50 {:.3} ms, p95 {:.3} ms, p99 {:.3} ms, max {:.3} ms",
        ms(hist, 0.50),
        ms(hist, 0.95),
        ms(hist, 0.99),
        hist.max() as f64 / 1000.0
    )
}

/// A TeamViewer desktop client install of `version` under `dir` (what discovery reads on Linux);
/// returns the directory for `HELPATWORK_TEAMVIEWER_HOME`.
pub fn desktop_client(dir: &Path, version: &str) -> PathBuf {
    let home = dir.join("teamviewer");
    std::fs::create_dir_all(home.join("config")).expect("mkdir teamviewer/config");
    std::fs::write(
        home.join("config/global.conf"),
        format!("[strng] Version = \"{version}\"\n"),
    )
    .expect("global.conf");
    home
}

/// An opener program that appends each link it is handed to `record` (or just exits when `None`).
pub fn opener(dir: &Path, record: Option<&Path>) -> PathBuf {
    let path = dir.join("opener.sh");
    let body = match record {
        Some(file) => format!("#!/bin/sh\nprintf '%s\\n' \"$1\" >> '{}'\n", file.display()),
        None => "#!/bin/sh\nexit 0\n".to_string(),
    };
    std::fs::write(&path, body).expect("write opener");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).expect("chmod");
    }
    path
}

/// `n` Android devices that pass every device-side check (`and-0000`, `and-0001`, …: the
/// generator's ready fleet) as a fleet file in the documented JSON shape.
pub fn ready_fleet(n: usize) -> String {
    helpatwork_fleetgen::file::json(helpatwork_fleetgen::ready(READY_PREFIX, n))
}

/// [`ready_fleet`]'s `n` devices written to `dir/fleet.csv` as they are made: CSV, since a
/// million devices in JSON (about 500 MiB) are over the import's limit on a file's size.
pub fn ready_fleet_file(dir: &Path, n: usize) -> PathBuf {
    use helpatwork_fleetgen::file::{self, Format};
    let path = dir.join("fleet.csv");
    let out = std::fs::File::create(&path).expect("create the fleet file");
    file::write(
        Format::Csv,
        helpatwork_fleetgen::ready(READY_PREFIX, n),
        std::io::BufWriter::with_capacity(1 << 20, out),
    )
    .expect("write the fleet file");
    path
}

/// The id prefix of [`ready_fleet`]'s devices.
pub const READY_PREFIX: &str = "and";

/// The id of [`ready_fleet`]'s device `index`.
pub fn ready_id(index: usize) -> String {
    helpatwork_fleetgen::ready_id(READY_PREFIX, index)
}

/// The tenant ready for attended sessions: Platinum tier, the EULA accepted, attended active.
pub async fn tenant_ready(ctx: &helpatwork_app::AppContext) {
    use helpatwork_app::admin;
    admin::set_tier(ctx, helpatwork_domain::admin::Tier::Platinum)
        .await
        .expect("tier");
    let eula = admin::eula().await.expect("eula");
    admin::activate(ctx, helpatwork_domain::Mode::Attended, &eula.sha256)
        .await
        .expect("activate");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_smoke_run_prints_no_verdict() {
        for pass in [Some(true), Some(false), None] {
            assert_eq!(verdict(pass, true), "");
        }
        assert_eq!(verdict(Some(false), false), " FAIL");
        assert_eq!(verdict(Some(true), false), " pass");
    }
}
