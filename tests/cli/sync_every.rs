//! `devices sync` reading only what changed (against the fake Ivanti service, whose request log
//! shows the filter), `--full`, `--status`, and `--every` as a service stopped by Ctrl-C.

use std::io::{BufRead, BufReader};
use std::process::Stdio;
use std::time::{Duration, Instant};

use helpatwork_e2e::Machine;
use helpatwork_ivanti_fake::{self as fake, Endpoint, FakeIvantiOptions, FleetSpec};

struct Ivanti {
    fake: fake::FakeIvanti,
    _runtime: tokio::runtime::Runtime,
}

fn ivanti(devices: usize) -> Ivanti {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .unwrap();
    let fake = runtime
        .block_on(fake::spawn(FakeIvantiOptions {
            fleet: FleetSpec {
                devices,
                // Every generated check-in is older than the overlap margin.
                now: chrono::Utc::now() - chrono::Duration::days(1),
                ..Default::default()
            },
            ..Default::default()
        }))
        .unwrap();
    Ivanti {
        fake,
        _runtime: runtime,
    }
}

fn machine(i: &Ivanti) -> Machine {
    Machine::new()
        .env("HELPATWORK_MDM", "ivanti")
        .env("HELPATWORK_IVANTI_URL", &i.fake.base_url)
        .env("HELPATWORK_IVANTI_USER", &i.fake.user)
        .env("HELPATWORK_IVANTI_PASSWORD", &i.fake.password)
}

#[test]
fn a_second_sync_reads_only_the_devices_that_checked_in() {
    let i = ivanti(1500);
    let m = machine(&i);
    let first = m.run(&["--json", "devices", "sync"]);
    assert_eq!(first.code, 0, "{}{}", first.stdout, first.stderr);
    assert_eq!(first.json()["mode"], "full", "no watermark yet");

    let ids: Vec<String> = (200..215).map(fake::fleet::device_id).collect();
    i.fake.handle.check_in(&ids, chrono::Utc::now(), |d| {
        d["platformVersion"] = serde_json::json!("42.0");
    });
    i.fake.handle.clear_requests();
    let second = m.run(&["--json", "devices", "sync"]);
    assert_eq!(second.code, 0, "{}{}", second.stdout, second.stderr);
    let r = second.json();
    assert_eq!(r["mode"], "incremental", "{r}");
    assert_eq!(
        (r["devices"].as_u64(), r["updated"].as_u64()),
        (Some(15), Some(15)),
        "{r}"
    );
    let filters = i.fake.handle.search_filters();
    assert_eq!(filters.len(), 1, "one page: {filters:?}");
    assert!(
        filters[0]
            .as_deref()
            .is_some_and(|f| f.starts_with("lastCheckin>")),
        "{filters:?}"
    );

    // --full reads every device again and finds nothing to change.
    let full = m.run(&["--json", "devices", "sync", "--full"]).json();
    assert_eq!(full["mode"], "full");
    assert_eq!(
        (full["inserted"].as_u64(), full["updated"].as_u64()),
        (Some(0), Some(0)),
        "{full}"
    );

    let status = m.run(&["--json", "devices", "sync", "--status"]).json();
    assert_eq!(status["last_outcome"], "ok", "{status}");
    assert_eq!(status["last_mode"], "full");
    assert_eq!(status["next_full"], false, "the full sync of today ran");
    let text = m.run(&["--lang", "pt-BR", "devices", "sync", "--status"]);
    assert!(
        text.stdout.contains("Última sincronização"),
        "{}",
        text.stdout
    );
}

#[test]
fn sync_every_runs_until_interrupted_and_prints_each_run() {
    let i = ivanti(600);
    let m = machine(&i);
    let mut child = m
        .command(&["--json", "devices", "sync", "--every", "1s"], &[])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn");
    let stdout = child.stdout.take().unwrap();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            let _ = tx.send(line);
        }
    });
    let mut lines = Vec::new();
    let deadline = Instant::now() + Duration::from_secs(60);
    while lines.len() < 2 {
        assert!(
            Instant::now() < deadline,
            "two runs within a minute: {lines:?}"
        );
        if let Ok(line) = rx.recv_timeout(Duration::from_millis(200)) {
            lines.push(line);
        }
    }
    // Ctrl-C between runs.
    let killed = std::process::Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(killed.success());
    let start = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        assert!(start.elapsed() < Duration::from_secs(20), "Ctrl-C stops it");
        std::thread::sleep(Duration::from_millis(50));
    };
    assert_eq!(status.code(), Some(0), "a clean stop");
    let runs: Vec<serde_json::Value> = lines
        .iter()
        .map(|l| serde_json::from_str(l).expect("one JSON document a line"))
        .collect();
    assert_eq!(runs[0]["outcome"], "synced", "{runs:?}");
    assert_eq!(runs[0]["report"]["mode"], "full");
    assert_eq!(runs[1]["outcome"], "synced", "{runs:?}");
    assert_eq!(runs[1]["report"]["mode"], "incremental");
    assert!(i.fake.handle.request_count(Endpoint::DeviceSearch) >= 3);
    // Nothing left running: the lease is free for the next sync.
    let after = m.run(&["--json", "devices", "sync"]);
    assert_eq!(after.code, 0, "{}{}", after.stdout, after.stderr);
}

#[test]
fn doctor_tells_when_the_mdm_was_last_synced_and_how_it_went() {
    let i = ivanti(40);
    let m = machine(&i);
    let sync_check = |m: &Machine| {
        let doctor = m.run(&["--json", "doctor"]).json();
        doctor["checks"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["rule"] == "sync")
            .cloned()
            .unwrap_or_else(|| panic!("no sync check: {doctor}"))
    };
    let never = sync_check(&m);
    assert_eq!(never["status"], "warn", "{never}");
    assert!(
        never["fix"].as_str().unwrap().contains("devices sync"),
        "{never}"
    );

    assert_eq!(m.run(&["devices", "sync"]).code, 0);
    let ok = sync_check(&m);
    assert_eq!(ok["status"], "pass", "{ok}");
    assert!(ok["message"].as_str().unwrap().contains("40"), "{ok}");

    // A failed sync is named with its error until a sync succeeds again.
    let refused = m.with_env("HELPATWORK_IVANTI_PASSWORD", "wrong");
    assert_ne!(refused.run(&["devices", "sync"]).code, 0);
    let failed = sync_check(&m);
    assert_eq!(failed["status"], "warn", "{failed}");
    assert!(
        failed["message"].as_str().unwrap().contains("failed"),
        "{failed}"
    );
}
