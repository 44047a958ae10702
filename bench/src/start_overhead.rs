//! Session start overhead: the app's whole start (preflight → token check → create → deliver →
//! hand-off) against the TeamViewer sandbox with a fixed latency per call, compared with a
//! floor measured in the same run: the same HTTP calls made bare plus one spawn of the opener.
//!
//! Usage: start-overhead [STARTS] [LATENCY_MS]   (defaults 20 and 50). Prints one line per
//! figure; exits 1 when a full run's ratio is over 1.05.

use std::process::Stdio;
use std::time::{Duration, Instant};

use helpatwork_app::paths::Paths;
use helpatwork_app::{admin, devices, session, AppContext, ContextOptions};
use helpatwork_domain::admin::Tier;
use helpatwork_domain::Mode;
use helpatwork_teamviewer_sandbox::SandboxOptions;

const TOKEN: &str = "bench-script-token-0123456789";
/// The start's time over the floor's.
const TARGET: f64 = 1.05;

fn opener(dir: &std::path::Path) -> std::path::PathBuf {
    let path = dir.join("opener.sh");
    std::fs::write(&path, "#!/bin/sh\nexit 0\n").expect("write opener");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).expect("chmod");
    }
    path
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() -> std::process::ExitCode {
    let mut args = std::env::args().skip(1);
    let starts: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(20);
    let latency_ms: u64 = args.next().and_then(|a| a.parse().ok()).unwrap_or(50);

    let sandbox = helpatwork_teamviewer_sandbox::spawn(SandboxOptions {
        script_tokens: vec![TOKEN.into()],
        latency: Duration::from_millis(latency_ms),
        ..Default::default()
    })
    .await
    .expect("sandbox");
    let dir = tempfile::tempdir().expect("temp dir");
    let home = dir.path().join("teamviewer/config");
    std::fs::create_dir_all(&home).expect("mkdir");
    std::fs::write(home.join("global.conf"), "[strng] Version = \"15.75.1\"\n")
        .expect("global.conf");
    let opener = opener(dir.path());
    // The app reads its configuration from the environment, as the CLI does.
    for (k, v) in [
        ("HELPATWORK_TEAMVIEWER_API_URL", sandbox.base_url.as_str()),
        (
            "HELPATWORK_TEAMVIEWER_LOGIN_URL",
            sandbox.login_url.as_str(),
        ),
        ("HELPATWORK_TEAMVIEWER_TOKEN", TOKEN),
        (
            "HELPATWORK_TEAMVIEWER_HOME",
            dir.path().join("teamviewer").to_str().expect("utf-8 path"),
        ),
        ("HELPATWORK_OPENER", opener.to_str().expect("utf-8 path")),
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
    std::fs::write(&file, helpatwork_bench::ready_fleet(starts)).expect("fleet");
    devices::import_file(&ctx, &file).await.expect("import");
    admin::set_tier(&ctx, Tier::Platinum).await.expect("tier");
    let eula = admin::eula().await.expect("eula");
    admin::activate(&ctx, Mode::Attended, &eula.sha256)
        .await
        .expect("activate");

    // The app: full starts, one per device.
    let t = Instant::now();
    for i in 0..starts {
        let s = session::start(
            &ctx,
            &helpatwork_bench::ready_id(i),
            Mode::Attended,
            "bench",
            true,
        )
        .await
        .expect("start");
        assert!(s.launched, "the opener was handed the link");
    }
    let app = t.elapsed() / starts as u32;

    // The floor: the same two TeamViewer calls (ping, create) and one spawn of the opener.
    let http = reqwest::Client::new();
    let t = Instant::now();
    for i in 0..starts {
        let ping: serde_json::Value = http
            .get(format!("{}/ping", sandbox.base_url))
            .bearer_auth(TOKEN)
            .send()
            .await
            .expect("ping")
            .json()
            .await
            .expect("ping json");
        assert_eq!(ping["token_valid"], true);
        let created: serde_json::Value = http
            .post(format!("{}/sessions", sandbox.base_url))
            .bearer_auth(TOKEN)
            .json(
                &serde_json::json!({"groupname": "Help@Work", "description": format!("floor {i}")}),
            )
            .send()
            .await
            .expect("create")
            .json()
            .await
            .expect("create json");
        let link = created["supporter_link"]
            .as_str()
            .expect("link")
            .to_string();
        let status = tokio::process::Command::new(&opener)
            .arg(link)
            .stdin(Stdio::null())
            .status()
            .await
            .expect("spawn");
        assert!(status.success());
    }
    let floor = t.elapsed() / starts as u32;

    let ratio = app.as_secs_f64() / floor.as_secs_f64();
    helpatwork_bench::record(
        "session start overhead",
        &format!(
            "{starts} full starts (preflight → token check → create → deliver → launch), TeamViewer \
             sandbox with {latency_ms} ms per call; floor: ping + create bare + one opener spawn"
        ),
        &format!("≤ {TARGET:.2}× floor"),
        &format!(
            "{ratio:.3}× (start {:.1} ms, floor {:.1} ms)",
            app.as_secs_f64() * 1000.0,
            floor.as_secs_f64() * 1000.0
        ),
        Some(ratio <= TARGET),
    );
    // Returned, not `process::exit`: the temp store is removed on the way out.
    helpatwork_bench::exit(ratio <= TARGET)
}
