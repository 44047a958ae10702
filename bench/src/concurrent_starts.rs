//! Concurrent starts: 8 agents at once, each running `helpatwork session start` (the release CLI,
//! one process per start, the desktop client handed the link through a recording opener) on 100
//! devices, against the TeamViewer sandbox. The device sets overlap (each device is asked for by
//! 4 agents), so most starts must be refused: by preflight (the device's open session) or by the
//! store's one-open-session-per-device index when two starts race. Afterwards the store must hold
//! exactly one open session per device that was started, and the sandbox must not have sessions
//! the store does not know. Runs on SQLite, and on PostgreSQL when
//! `HELPATWORK_BENCH_STARTS_POSTGRES_URL` names a throwaway database.
//!
//! Usage: concurrent-starts [AGENTS] [STARTS_PER_AGENT]   (defaults 8 and 100). The CLI is
//! `$HELPATWORK_BIN`, else `helpatwork` beside this program.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::Instant;

use helpatwork_app::paths::Paths;
use helpatwork_app::{devices, AppContext, ContextOptions};
use helpatwork_bench as bench;
use helpatwork_teamviewer_sandbox::SandboxOptions;

const TOKEN: &str = "bench-script-token-0123456789";

#[derive(Default, Debug)]
struct Outcomes {
    started: usize,
    /// Preflight found the device's open session (exit 3, check `open_session`).
    held: usize,
    /// The store refused a second open session (exit 7).
    conflict: usize,
    other: Vec<String>,
}

fn cli() -> PathBuf {
    std::env::var_os("HELPATWORK_BIN")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            std::env::current_exe()
                .expect("exe")
                .with_file_name(format!("helpatwork{}", std::env::consts::EXE_SUFFIX))
        })
}

async fn agent(
    envs: Vec<(String, String)>,
    agent: usize,
    devices: Vec<String>,
    bin: PathBuf,
) -> Outcomes {
    let mut out = Outcomes::default();
    for device in devices {
        let output = tokio::process::Command::new(&bin)
            .args(["--json", "session", "start", &device, "--reason", "bench"])
            .env_clear()
            .env("PATH", std::env::var("PATH").unwrap_or_default())
            .env("USER", format!("agent{agent}"))
            .env("LANG", "C")
            .envs(envs.iter().map(|(k, v)| (k.as_str(), v.as_str())))
            .stdin(Stdio::null())
            .output()
            .await
            .expect("run helpatwork");
        let stdout = String::from_utf8_lossy(&output.stdout);
        match output.status.code() {
            Some(0) => out.started += 1,
            Some(3) if stdout.contains("open_session") => out.held += 1,
            Some(7) => out.conflict += 1,
            code => out.other.push(format!(
                "{device}: exit {code:?}: {stdout} {}",
                String::from_utf8_lossy(&output.stderr)
            )),
        }
    }
    out
}

async fn run(label: &str, database_url: Option<String>, agents: usize, per_agent: usize) {
    let sandbox = helpatwork_teamviewer_sandbox::spawn(SandboxOptions {
        script_tokens: vec![TOKEN.into()],
        ..Default::default()
    })
    .await
    .expect("sandbox");
    let dir = tempfile::tempdir().expect("temp dir");
    let home = bench::desktop_client(dir.path(), "15.75.1");
    let opened = dir.path().join("opened.txt");
    let opener = bench::opener(dir.path(), Some(&opened));
    let data = dir.path().join("data");
    let mut envs: Vec<(String, String)> = vec![
        ("HELPATWORK_DATA_DIR".into(), path(&data)),
        ("HOME".into(), path(dir.path())),
        (
            "HELPATWORK_TEAMVIEWER_API_URL".into(),
            sandbox.base_url.clone(),
        ),
        (
            "HELPATWORK_TEAMVIEWER_LOGIN_URL".into(),
            sandbox.login_url.clone(),
        ),
        ("HELPATWORK_TEAMVIEWER_TOKEN".into(), TOKEN.into()),
        ("HELPATWORK_TEAMVIEWER_HOME".into(), path(&home)),
        ("HELPATWORK_OPENER".into(), path(&opener)),
    ];
    if let Some(url) = &database_url {
        envs.push(("HELPATWORK_DATABASE_URL".into(), url.clone()));
    }
    // The same environment for the setup done in this process.
    for (k, v) in &envs {
        std::env::set_var(k, v);
    }
    if database_url.is_none() {
        std::env::remove_var("HELPATWORK_DATABASE_URL");
    }
    let ctx = AppContext::open(
        Paths::at(&data),
        ContextOptions {
            database_url: database_url.clone(),
            ..Default::default()
        },
    )
    .await
    .expect("context");
    // Twice as many devices as one agent starts: each device is asked for by agents / 2 agents.
    let pool = per_agent * 2;
    let file = dir.path().join("fleet.json");
    std::fs::write(&file, bench::ready_fleet(pool)).expect("fleet");
    devices::import_file(&ctx, &file).await.expect("import");
    bench::tenant_ready(&ctx).await;

    let bin = cli();
    let stride = pool / agents.max(1);
    let t = Instant::now();
    let tasks: Vec<_> = (0..agents)
        .map(|a| {
            let devices = (0..per_agent)
                .map(|j| bench::ready_id((a * stride + j) % pool))
                .collect();
            tokio::spawn(agent(envs.clone(), a, devices, bin.clone()))
        })
        .collect();
    let mut total = Outcomes::default();
    for task in tasks {
        let o = task.await.expect("agent");
        total.started += o.started;
        total.held += o.held;
        total.conflict += o.conflict;
        total.other.extend(o.other);
    }
    let wall = t.elapsed().as_secs_f64();

    // The store: one open session per device, and as many as were started.
    // Read from the store itself (up to 10,000 open sessions, more than a run starts).
    let sessions = ctx.store.sessions(true, u32::MAX).await.expect("sessions");
    let mut per_device: HashMap<&str, usize> = HashMap::new();
    for s in &sessions {
        *per_device.entry(s.device_id.as_str()).or_default() += 1;
    }
    let duplicates = per_device.values().filter(|&&n| n > 1).count();
    let launched = std::fs::read_to_string(&opened)
        .map(|s| s.lines().count())
        .unwrap_or(0);
    for line in total.other.iter().take(5) {
        eprintln!("unexpected: {line}");
    }
    let attempts = agents * per_agent;
    let ok = duplicates == 0
        && sessions.len() == total.started
        && launched == total.started
        && total.other.is_empty()
        && total.started == pool.min(attempts);
    bench::record(
        &format!("concurrent starts ({label})"),
        &format!(
            "{agents} processes × {per_agent} `helpatwork session start` each, {pool} devices \
             (each asked for by {} agents), TeamViewer sandbox, recording opener",
            attempts / pool.max(1)
        ),
        "no duplicate sessions; throughput reported",
        &format!(
            "{} started, {} refused by preflight (open session), {} refused by the store (conflict), \
             {} other; {duplicates} devices with more than one open session; {} open in the store, \
             {launched} handed to the opener; {:.1} sessions/s, {:.1} starts attempted/s ({wall:.1} s)",
            total.started,
            total.held,
            total.conflict,
            total.other.len(),
            sessions.len(),
            total.started as f64 / wall,
            attempts as f64 / wall,
        ),
        Some(ok),
    );
}

fn path(p: &Path) -> String {
    p.to_str().expect("utf-8 path").to_string()
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let mut args = std::env::args().skip(1);
    let agents: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(8);
    let per_agent: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(100);
    run("SQLite", None, agents, per_agent).await;
    match std::env::var("HELPATWORK_BENCH_STARTS_POSTGRES_URL")
        .ok()
        .filter(|u| !u.is_empty())
    {
        Some(url) => run("PostgreSQL", Some(url), agents, per_agent).await,
        None => bench::record(
            "concurrent starts (PostgreSQL)",
            "not run: HELPATWORK_BENCH_STARTS_POSTGRES_URL is not set",
            "no duplicate sessions; throughput reported",
            "not measured",
            None,
        ),
    }
}
