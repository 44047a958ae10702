//! Window cold start and memory: the release `helpatwork-desk` (UI embedded) on a store of N
//! devices, under a private Xvfb display, against its floor measured in the same run: the same
//! binary as an empty window (`HELPATWORK_BENCH_EMPTY_WINDOW=1`: the same shell, plugins and
//! webview painting a static page, no store). Each run spawns the window, waits for it to report
//! its first paint (`report_first_paint` writes `HELPATWORK_BENCH_READY_FILE`: the first device
//! rows, or the static page), and takes the time from the spawn to that paint. Five seconds later
//! (by when the app has built its search index) it reads the resident memory (VmRSS, /proc) of
//! the app process and of the WebKit processes it started; then it ends them. Empty and app runs
//! alternate; the figures are the medians of the runs.
//!
//! - cold start: the app's median over the empty window's (≤ 1.5× up to 100,000 devices, ≤ 2×
//!   above);
//! - `--memory`: the app process's VmRSS less the empty window's app process (≤ +100 MB);
//! - `--footprint`: the whole footprint (the app process and WebKit's) after the window has
//!   scrolled the whole device list (`HELPATWORK_BENCH_SCROLL_FILE`: a page of rows at a time,
//!   each page loaded before the next), less the empty window's whole footprint (≤ +150 MB).
//!
//! Usage: window-start FLEET_JSON DEVICES [RUNS] [--memory] [--footprint]   (default 5 runs). The
//! app is `$HELPATWORK_DESK_BIN`, else `helpatwork-desk` beside this program. Exits 1 when a full
//! run misses a target.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use helpatwork_app::paths::Paths;
use helpatwork_app::{devices, AppContext, ContextOptions};
use helpatwork_bench as bench;

/// The app's cold start over the empty window's, up to 100,000 devices and above.
const START_TARGET: f64 = 1.5;
const START_TARGET_LARGE: f64 = 2.0;
/// The app process's memory above the empty window's app process.
const MEMORY_TARGET_MB: f64 = 100.0;
/// The whole footprint after the scroll above the empty window's whole footprint.
const FOOTPRINT_TARGET_MB: f64 = 150.0;
const SETTLE: Duration = Duration::from_secs(5);
/// After the scroll's last page, before the footprint is read.
const SCROLL_SETTLE: Duration = Duration::from_secs(2);
/// The longest a run may take to paint, or to scroll the list.
const TIMEOUT: Duration = Duration::from_secs(600);

fn desk() -> PathBuf {
    std::env::var_os("HELPATWORK_DESK_BIN")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            std::env::current_exe()
                .expect("exe")
                .with_file_name(format!("helpatwork-desk{}", std::env::consts::EXE_SUFFIX))
        })
}

/// An Xvfb on a display it chose itself (`-displayfd`: the first number whose lock it can take,
/// stale locks and sockets of killed servers included), and that display.
fn xvfb() -> (Child, String) {
    let mut child = Command::new("Xvfb")
        .args([
            "-displayfd",
            "1",
            "-screen",
            "0",
            "1280x800x24",
            "-nolisten",
            "tcp",
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("Xvfb (apt-get install xvfb)");
    let mut line = String::new();
    let mut stdout = std::io::BufReader::new(child.stdout.take().expect("Xvfb's stdout"));
    std::io::BufRead::read_line(&mut stdout, &mut line).expect("Xvfb's display number");
    let n: u32 = line.trim().parse().expect("Xvfb did not start");
    // Kept open: a write to a closed pipe would end the server.
    child.stdout = Some(stdout.into_inner());
    (child, format!(":{n}"))
}

/// Ends Xvfb as a user would (SIGTERM), so it removes its lock and socket; a killed server
/// leaves both behind.
fn stop_xvfb(mut child: Child) {
    let terminated = Command::new("kill")
        .arg(child.id().to_string())
        .status()
        .is_ok_and(|s| s.success());
    if !terminated {
        let _ = child.kill();
    }
    let _ = child.wait();
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

#[derive(Clone, Copy, PartialEq)]
enum Mode {
    /// The empty window: the floor.
    Empty,
    /// The app, its memory read 5 s after the first rows.
    App,
    /// The app scrolling its whole list, its footprint read afterwards.
    Scroll,
}

struct Sample {
    paint_ms: f64,
    since_shell_ms: f64,
    app_rss_mb: f64,
    app_hwm_mb: f64,
    webkit_rss_mb: f64,
    /// From the first rows to the end of the list (`Mode::Scroll`).
    scroll_ms: f64,
}

impl Sample {
    fn footprint_mb(&self) -> f64 {
        self.app_rss_mb + self.webkit_rss_mb
    }
}

/// Waits for `file` to hold a report (`{"painted_unix_ms": …}`) while the window runs.
fn wait_report(file: &Path, child: &mut Child, log: &Path) -> serde_json::Value {
    let t = Instant::now();
    loop {
        if let Ok(text) = std::fs::read_to_string(file) {
            if let Ok(v) = serde_json::from_str::<serde_json::Value>(&text) {
                return v;
            }
        }
        if let Ok(Some(status)) = child.try_wait() {
            panic!(
                "helpatwork-desk exited ({status}) before reporting {}:\n{}",
                file.display(),
                std::fs::read_to_string(log).unwrap_or_default()
            );
        }
        assert!(
            t.elapsed() < TIMEOUT,
            "no report in {} within {TIMEOUT:?}",
            file.display()
        );
        std::thread::sleep(Duration::from_millis(2));
    }
}

fn run_once(app: &Path, display: &str, data: &Path, work: &Path, mode: Mode) -> Sample {
    let ready = work.join("ready.json");
    let scrolled = work.join("scrolled.json");
    let log = work.join("app.log");
    let _ = std::fs::remove_file(&ready);
    let _ = std::fs::remove_file(&scrolled);
    let home = work.join("home");
    std::fs::create_dir_all(&home).expect("home");
    let mut command = Command::new(app);
    command
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
        .env_remove("HELPATWORK_BENCH_EMPTY_WINDOW")
        .env_remove("HELPATWORK_BENCH_SCROLL_FILE")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::from(std::fs::File::create(&log).expect("log")));
    match mode {
        Mode::Empty => {
            command.env("HELPATWORK_BENCH_EMPTY_WINDOW", "1");
        }
        Mode::Scroll => {
            command.env("HELPATWORK_BENCH_SCROLL_FILE", &scrolled);
        }
        Mode::App => {}
    }
    let spawned = SystemTime::now();
    let mut child = command.spawn().expect("spawn helpatwork-desk");
    let pid = child.id();
    let report = wait_report(&ready, &mut child, &log);
    let spawned_ms = spawned
        .duration_since(UNIX_EPOCH)
        .expect("clock")
        .as_secs_f64()
        * 1000.0;
    let painted_ms = report["painted_unix_ms"].as_f64().expect("painted_unix_ms");
    let paint_ms = painted_ms - spawned_ms;
    let since_shell_ms = report["since_start_ms"].as_f64().unwrap_or(0.0);

    let mut scroll_ms = 0.0;
    if mode == Mode::Scroll {
        let end = wait_report(&scrolled, &mut child, &log);
        scroll_ms = end["painted_unix_ms"].as_f64().expect("painted_unix_ms") - painted_ms;
        std::thread::sleep(SCROLL_SETTLE);
    } else {
        std::thread::sleep(SETTLE);
    }
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
        scroll_ms,
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
async fn main() -> std::process::ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let flag = |name: &str| args.iter().any(|a| a == name);
    let mut positional = args.iter().filter(|a| !a.starts_with("--"));
    let fleet = positional
        .next()
        .expect("usage: window-start FLEET_JSON DEVICES [RUNS] [--memory] [--footprint]");
    let n: usize = positional
        .next()
        .and_then(|a| a.parse().ok())
        .unwrap_or(100_000);
    let runs: usize = positional.next().and_then(|a| a.parse().ok()).unwrap_or(5);
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

    let (xvfb, display) = xvfb();
    let show = |label: &str, i: usize, s: &Sample| {
        println!(
            "{label} run {}: painted {:.0} ms after spawn ({:.0} ms after the shell started); app \
             RSS {:.1} MB (peak {:.1} MB), WebKit processes {:.1} MB{}",
            i + 1,
            s.paint_ms,
            s.since_shell_ms,
            s.app_rss_mb,
            s.app_hwm_mb,
            s.webkit_rss_mb,
            if s.scroll_ms > 0.0 {
                format!("; whole list scrolled in {:.0} ms", s.scroll_ms)
            } else {
                String::new()
            }
        );
    };
    // Empty and app runs alternate, so a busy moment weighs on both.
    let (mut empty, mut full) = (Vec::new(), Vec::new());
    for i in 0..runs {
        let s = run_once(&app, &display, &data, work.path(), Mode::Empty);
        show("empty window", i, &s);
        empty.push(s);
        let s = run_once(&app, &display, &data, work.path(), Mode::App);
        show("app", i, &s);
        full.push(s);
    }
    let scrolled: Vec<Sample> = if flag("--footprint") {
        (0..runs.min(3))
            .map(|i| {
                let s = run_once(&app, &display, &data, work.path(), Mode::Scroll);
                show("app, whole list scrolled", i, &s);
                s
            })
            .collect()
    } else {
        Vec::new()
    };
    stop_xvfb(xvfb);

    let med = |v: &[Sample], f: fn(&Sample) -> f64| median(v.iter().map(f).collect());
    let mut met = true;
    let devices = format!("{n} devices in SQLite");
    let (paint, floor) = (med(&full, |s| s.paint_ms), med(&empty, |s| s.paint_ms));
    let target = if n > 100_000 {
        START_TARGET_LARGE
    } else {
        START_TARGET
    };
    let ratio = bench::ratio(paint, floor);
    met &= ratio <= target;
    let first = full.first().map(|s| s.paint_ms).unwrap_or(0.0);
    let max = full.iter().map(|s| s.paint_ms).fold(0.0, f64::max);
    bench::record(
        &format!("window cold start ({n} devices)"),
        &format!(
            "release helpatwork-desk (UI embedded) under Xvfb, {devices}; spawn → first device \
             rows painted; floor: the same binary as an empty window painting a static page; \
             medians of {runs} alternating runs"
        ),
        &format!("≤ {target}× floor"),
        &format!(
            "{ratio:.2}× (median {paint:.0} ms, floor {floor:.0} ms; app first run {first:.0} \
             ms, max {max:.0} ms)"
        ),
        Some(ratio <= target),
    );
    if flag("--memory") {
        let (rss, hwm) = (med(&full, |s| s.app_rss_mb), med(&full, |s| s.app_hwm_mb));
        let floor = med(&empty, |s| s.app_rss_mb);
        let above = rss - floor;
        met &= above <= MEMORY_TARGET_MB;
        bench::record(
            &format!("memory ({n} devices)"),
            &format!(
                "the app process (VmRSS) 5 s after its first rows (its search index built), \
                 {devices}; floor: the empty window's app process, 5 s after its paint; medians \
                 of {runs} runs"
            ),
            &format!("≤ floor + {MEMORY_TARGET_MB:.0} MB"),
            &format!(
                "floor + {above:.1} MB (app {rss:.1} MB, peak {hwm:.1} MB; empty window's app \
                 {floor:.1} MB)"
            ),
            Some(above <= MEMORY_TARGET_MB),
        );
    }
    if !scrolled.is_empty() {
        let whole = med(&scrolled, Sample::footprint_mb);
        let floor = med(&empty, Sample::footprint_mb);
        let above = whole - floor;
        met &= above <= FOOTPRINT_TARGET_MB;
        bench::record(
            &format!("whole footprint ({n} devices)"),
            &format!(
                "the app process and its WebKit processes (VmRSS summed) after the window \
                 scrolled the whole list of {devices} (a page of 200 rows at a time, each loaded \
                 before the next); floor: the empty window's app and WebKit processes; medians \
                 of {} scroll runs and {runs} empty runs",
                scrolled.len()
            ),
            &format!("≤ floor + {FOOTPRINT_TARGET_MB:.0} MB"),
            &format!(
                "floor + {above:.1} MB (app {:.1} + WebKit {:.1} MB; empty window {:.1} + {:.1} \
                 MB; the scroll took {:.1} s)",
                med(&scrolled, |s| s.app_rss_mb),
                med(&scrolled, |s| s.webkit_rss_mb),
                med(&empty, |s| s.app_rss_mb),
                med(&empty, |s| s.webkit_rss_mb),
                med(&scrolled, |s| s.scroll_ms) / 1000.0
            ),
            Some(above <= FOOTPRINT_TARGET_MB),
        );
    }
    bench::exit(met)
}
