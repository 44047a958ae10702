//! Window cold start and memory: the release `helpatwork-desk` (UI embedded) on a store of N
//! devices, under a private Xvfb display. Each run spawns the app, waits for the window to report
//! its first device rows painted (`report_first_paint` writes `HELPATWORK_BENCH_READY_FILE`), and
//! takes the time from the spawn to that paint. Two seconds later it reads the resident memory
//! (VmRSS, /proc) of the app process and, for context, of the WebKit processes it started; then
//! it ends them. The figures are the medians of the runs.
//!
//! Usage: window-start FLEET_JSON DEVICES [RUNS]   (default 5 runs). The app is
//! `$HELPATWORK_DESK_BIN`, else `helpatwork-desk` beside this program.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use helpatwork_app::paths::Paths;
use helpatwork_app::{devices, AppContext, ContextOptions};
use helpatwork_bench as bench;

const START_TARGET_MS: f64 = 1500.0;
const RSS_TARGET_MB: f64 = 200.0;
const SETTLE: Duration = Duration::from_secs(5);

fn desk() -> PathBuf {
    std::env::var_os("HELPATWORK_DESK_BIN")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            std::env::current_exe()
                .expect("exe")
                .with_file_name(format!("helpatwork-desk{}", std::env::consts::EXE_SUFFIX))
        })
}

/// A display number no X server uses, and its Xvfb.
fn xvfb() -> (Child, String) {
    let n = (90..200)
        .find(|d| !Path::new(&format!("/tmp/.X11-unix/X{d}")).exists())
        .expect("a free X display");
    let display = format!(":{n}");
    let child = Command::new("Xvfb")
        .args([&display, "-screen", "0", "1280x800x24", "-nolisten", "tcp"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("Xvfb (apt-get install xvfb)");
    let socket = format!("/tmp/.X11-unix/X{n}");
    let t = Instant::now();
    while !Path::new(&socket).exists() {
        assert!(t.elapsed() < Duration::from_secs(10), "Xvfb did not start");
        std::thread::sleep(Duration::from_millis(20));
    }
    (child, display)
}

/// `/proc/PID/status` field in kB.
fn status_kb(pid: u32, field: &str) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    status
        .lines()
        .find(|l| l.starts_with(field))?
        .split_whitespace()
        .nth(1)?
        .parse()
        .ok()
}

/// Every descendant of `pid`, with its command name.
fn descendants(pid: u32) -> Vec<(u32, String)> {
    let mut procs = Vec::new();
    for entry in std::fs::read_dir("/proc").into_iter().flatten().flatten() {
        let Some(p) = entry
            .file_name()
            .to_str()
            .and_then(|s| s.parse::<u32>().ok())
        else {
            continue;
        };
        let Ok(stat) = std::fs::read_to_string(format!("/proc/{p}/stat")) else {
            continue;
        };
        // pid (comm) state ppid …: comm may hold spaces, so split after the last ')'.
        let (Some(open), Some(close)) = (stat.find('('), stat.rfind(')')) else {
            continue;
        };
        let comm = stat[open + 1..close].to_string();
        let ppid = stat[close + 1..]
            .split_whitespace()
            .nth(1)
            .and_then(|s| s.parse::<u32>().ok());
        if let Some(ppid) = ppid {
            procs.push((p, ppid, comm));
        }
    }
    let mut out = Vec::new();
    let mut frontier = vec![pid];
    while let Some(parent) = frontier.pop() {
        for (p, ppid, comm) in &procs {
            if *ppid == parent {
                out.push((*p, comm.clone()));
                frontier.push(*p);
            }
        }
    }
    out
}

fn kill(pid: u32) {
    let _ = Command::new("kill")
        .args(["-KILL", &pid.to_string()])
        .stderr(Stdio::null())
        .status();
}

struct Sample {
    paint_ms: f64,
    since_shell_ms: f64,
    app_rss_mb: f64,
    app_hwm_mb: f64,
    webkit_rss_mb: f64,
}

fn run_once(app: &Path, display: &str, data: &Path, work: &Path) -> Sample {
    let ready = work.join("ready.json");
    let _ = std::fs::remove_file(&ready);
    let home = work.join("home");
    std::fs::create_dir_all(&home).expect("home");
    let spawned = SystemTime::now();
    let mut child = Command::new(app)
        .env("DISPLAY", display)
        .env("HELPATWORK_DATA_DIR", data)
        .env("HELPATWORK_BENCH_READY_FILE", &ready)
        .env("HOME", &home)
        .env("XDG_DATA_HOME", home.join(".local/share"))
        .env("XDG_CONFIG_HOME", home.join(".config"))
        .env("XDG_CACHE_HOME", home.join(".cache"))
        .env("RUST_LOG", "warn")
        .env_remove("HELPATWORK_DATABASE_URL")
        .env_remove("HELPATWORK_DEMO")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::from(
            std::fs::File::create(work.join("app.log")).expect("log"),
        ))
        .spawn()
        .expect("spawn helpatwork-desk");
    let pid = child.id();
    let t = Instant::now();
    let report = loop {
        if let Ok(text) = std::fs::read_to_string(&ready) {
            if let Ok(v) = serde_json::from_str::<serde_json::Value>(&text) {
                break v;
            }
        }
        if let Ok(Some(status)) = child.try_wait() {
            panic!(
                "helpatwork-desk exited ({status}) before painting rows:\n{}",
                std::fs::read_to_string(work.join("app.log")).unwrap_or_default()
            );
        }
        assert!(
            t.elapsed() < Duration::from_secs(120),
            "no rows painted within 120 s"
        );
        std::thread::sleep(Duration::from_millis(2));
    };
    let spawned_ms = spawned
        .duration_since(UNIX_EPOCH)
        .expect("clock")
        .as_secs_f64()
        * 1000.0;
    let paint_ms = report["painted_unix_ms"].as_f64().expect("painted_unix_ms") - spawned_ms;
    let since_shell_ms = report["since_start_ms"].as_f64().unwrap_or(0.0);

    std::thread::sleep(SETTLE);
    let mb = |kb: Option<u64>| kb.unwrap_or(0) as f64 / 1024.0;
    let app_rss_mb = mb(status_kb(pid, "VmRSS:"));
    let app_hwm_mb = mb(status_kb(pid, "VmHWM:"));
    let children = descendants(pid);
    let webkit_rss_mb: f64 = children
        .iter()
        .map(|(p, _)| mb(status_kb(*p, "VmRSS:")))
        .sum();
    for (p, _) in &children {
        kill(*p);
    }
    let _ = child.kill();
    let _ = child.wait();
    Sample {
        paint_ms,
        since_shell_ms,
        app_rss_mb,
        app_hwm_mb,
        webkit_rss_mb,
    }
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    let n = v.len();
    if n == 0 {
        return 0.0;
    }
    if n % 2 == 1 {
        v[n / 2]
    } else {
        (v[n / 2 - 1] + v[n / 2]) / 2.0
    }
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let mut args = std::env::args().skip(1);
    let fleet = args
        .next()
        .expect("usage: window-start FLEET_JSON DEVICES [RUNS]");
    let n: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(100_000);
    let runs: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(5);
    let app = desk();
    assert!(
        app.exists(),
        "{} is missing: cargo build --release -p helpatwork-desk --features custom-protocol",
        app.display()
    );

    let work = tempfile::tempdir().expect("temp dir");
    let data = work.path().join("data");
    {
        let ctx = AppContext::open(Paths::at(&data), ContextOptions::default())
            .await
            .expect("context");
        devices::import_file(&ctx, Path::new(&fleet))
            .await
            .expect("import");
        ctx.store.close().await;
    }

    let (mut xvfb, display) = xvfb();
    let samples: Vec<Sample> = (0..runs)
        .map(|i| {
            let s = run_once(&app, &display, &data, work.path());
            println!(
                "run {}: first rows painted {:.0} ms after spawn ({:.0} ms after the shell \
                 started); app RSS {:.1} MB (peak {:.1} MB), WebKit processes {:.1} MB",
                i + 1,
                s.paint_ms,
                s.since_shell_ms,
                s.app_rss_mb,
                s.app_hwm_mb,
                s.webkit_rss_mb
            );
            s
        })
        .collect();
    let _ = xvfb.kill();
    let _ = xvfb.wait();

    let paint = median(samples.iter().map(|s| s.paint_ms).collect());
    let first = samples.first().map(|s| s.paint_ms).unwrap_or(0.0);
    let max = samples.iter().map(|s| s.paint_ms).fold(0.0, f64::max);
    bench::record(
        "window cold start",
        &format!(
            "release helpatwork-desk (UI embedded) under Xvfb, {n} devices in SQLite; spawn → \
             first device rows painted; median of {runs} runs"
        ),
        "≤ 1.5 s",
        &format!("median {paint:.0} ms (first run {first:.0} ms, max {max:.0} ms)"),
        Some(paint <= START_TARGET_MS),
    );
    let rss = median(samples.iter().map(|s| s.app_rss_mb).collect());
    let hwm = median(samples.iter().map(|s| s.app_hwm_mb).collect());
    let webkit = median(samples.iter().map(|s| s.webkit_rss_mb).collect());
    bench::record(
        "memory",
        &format!(
            "the app process (VmRSS) 5 s after its first rows painted (its search index built), {n} devices; median of \
             {runs} runs"
        ),
        "≤ 200 MB RSS",
        &format!(
            "app {rss:.1} MB (peak {hwm:.1} MB); for context, its WebKit web and network \
             processes {webkit:.1} MB more"
        ),
        Some(rss <= RSS_TARGET_MB),
    );
}
