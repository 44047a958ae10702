//! Many `helpatwork devices sync` processes at once against the fake Ivanti service, while an
//! agent starts and closes a session and lists devices: one sync runs, the others get a
//! `conflict` naming it (exit 7), nothing else reaches anyone (no "database is locked", no
//! panic, no hang); the store holds every device once and none is marked removed by mistake.
//! Fresh, incremental and resumed runs; on SQLite (WAL) and on PostgreSQL.

use std::process::{Child, Stdio};
use std::time::{Duration, Instant};

use helpatwork_e2e::World;
use helpatwork_ivanti_fake::{self as fake, Endpoint, Failure, FakeIvantiOptions, FleetSpec};

use crate::crash::Db;

const DEVICES: u64 = 3000;
const SYNCS: usize = 4;

struct Finished {
    code: i32,
    stdout: String,
    stderr: String,
}

fn finish(child: Child, limit: Duration, what: &str) -> Finished {
    let start = Instant::now();
    let mut child = child;
    loop {
        if child.try_wait().expect("try_wait").is_some() {
            break;
        }
        if start.elapsed() > limit {
            let _ = child.kill();
            panic!("{what} did not finish within {limit:?}: a hang");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let out = child.wait_with_output().expect("output");
    Finished {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// Nothing but a typed answer reaches the user.
fn assert_no_raw_failure(what: &str, f: &Finished) {
    for raw in [
        "database is locked",
        "database is busy",
        "panicked",
        "deadlock",
    ] {
        assert!(
            !f.stdout.contains(raw) && !f.stderr.contains(raw),
            "{what}: \"{raw}\" reached the user:\n{}\n{}",
            f.stdout,
            f.stderr
        );
    }
}

/// One round: `SYNCS` syncs at once, an agent starting and closing a session and listing the
/// fleet meanwhile. Answers the syncs that ran (exit 0).
fn round(w: &World, env: &[(&str, &str)], label: &str) -> Vec<serde_json::Value> {
    let spawn = |args: &[&str]| {
        w.machine
            .command(args, env)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("spawn helpatwork")
    };
    let syncs: Vec<Child> = (0..SYNCS)
        .map(|_| spawn(&["--json", "devices", "sync"]))
        .collect();

    // The agent at work while the syncs run.
    let started = finish(
        spawn(&["--json", "session", "start", "and-001", "--no-launch"]),
        Duration::from_secs(60),
        "session start",
    );
    assert_no_raw_failure("session start", &started);
    assert_eq!(
        started.code, 0,
        "{label}: session start: {}{}",
        started.stdout, started.stderr
    );
    let session: serde_json::Value = serde_json::from_str(&started.stdout).unwrap();
    let id = session["id"].as_str().expect("a session id").to_string();
    let mut lists = 0;
    let mut syncs: Vec<Option<Child>> = syncs.into_iter().map(Some).collect();
    let mut finished: Vec<Option<Finished>> = (0..SYNCS).map(|_| None).collect();
    let deadline = Instant::now() + Duration::from_secs(120);
    while finished.iter().any(Option::is_none) {
        assert!(Instant::now() < deadline, "{label}: a sync hangs");
        let listed = finish(
            spawn(&["--json", "devices", "list", "--limit", "5"]),
            Duration::from_secs(60),
            "devices list",
        );
        assert_no_raw_failure("devices list", &listed);
        assert_eq!(
            listed.code, 0,
            "{label}: devices list: {}{}",
            listed.stdout, listed.stderr
        );
        lists += 1;
        for (slot, done) in syncs.iter_mut().zip(finished.iter_mut()) {
            if let Some(child) = slot.as_mut() {
                if child.try_wait().expect("try_wait").is_some() {
                    *done = Some(finish(slot.take().unwrap(), Duration::from_secs(1), "sync"));
                }
            }
        }
    }
    assert!(lists > 0);
    let closed = finish(
        spawn(&["--json", "session", "close", &id]),
        Duration::from_secs(60),
        "session close",
    );
    assert_no_raw_failure("session close", &closed);
    assert_eq!(
        closed.code, 0,
        "{label}: session close: {}{}",
        closed.stdout, closed.stderr
    );
    assert_eq!(
        serde_json::from_str::<serde_json::Value>(&closed.stdout).unwrap()["state"],
        "closed"
    );

    let mut ran = Vec::new();
    for f in finished.into_iter().map(Option::unwrap) {
        assert_no_raw_failure("devices sync", &f);
        let answer: serde_json::Value = serde_json::from_str(&f.stdout)
            .unwrap_or_else(|e| panic!("{label}: not JSON ({e}): {}{}", f.stdout, f.stderr));
        match f.code {
            0 => ran.push(answer),
            7 => {
                let error = &answer["error"];
                assert_eq!(error["code"], "conflict", "{label}: {answer}");
                assert!(
                    error["message"]
                        .as_str()
                        .unwrap()
                        .contains("A device sync is already running, started by agent.test"),
                    "{label}: the conflict names the running sync: {answer}"
                );
                assert!(error["fix"].as_str().is_some(), "{label}: {answer}");
                assert_eq!(
                    error["details"]["sync_running"]["actor"], "agent.test",
                    "{answer}"
                );
            }
            other => panic!("{label}: a sync exited {other}: {}{}", f.stdout, f.stderr),
        }
    }
    assert!(!ran.is_empty(), "{label}: at least one sync ran");
    ran
}

fn store_state(db: &Db) -> (u64, u64, u64) {
    (
        db.count("SELECT COUNT(*) FROM devices WHERE source = 'mdm';"),
        db.count("SELECT COUNT(DISTINCT id) FROM devices WHERE source = 'mdm';"),
        db.count("SELECT COUNT(*) FROM devices WHERE removed_at IS NOT NULL;"),
    )
}

/// No run is left behind: the lease is free and the resume state cleared.
fn assert_idle(db: &Db) {
    for key in ["sync.lease", "sync.run", "sync.next"] {
        assert_eq!(
            db.query(&format!("SELECT value FROM settings WHERE key = '{key}';")),
            "",
            "{key} after every sync ended"
        );
    }
}

fn many_syncs_at_once(w: World, db: Db, db_env: Option<&str>) {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .unwrap();
    let ivanti = runtime
        .block_on(fake::spawn(FakeIvantiOptions {
            fleet: FleetSpec {
                devices: DEVICES as usize,
                ..Default::default()
            },
            ..Default::default()
        }))
        .unwrap();
    // Slow enough pages that the syncs overlap.
    ivanti.handle.set_latency(Duration::from_millis(60));
    let mut env = vec![
        ("HELPATWORK_MDM", "ivanti"),
        ("HELPATWORK_IVANTI_URL", ivanti.base_url.as_str()),
        ("HELPATWORK_IVANTI_USER", ivanti.user.as_str()),
        ("HELPATWORK_IVANTI_PASSWORD", ivanti.password.as_str()),
    ];
    if let Some(url) = db_env {
        env.push(("HELPATWORK_DATABASE_URL", url));
    }

    // A fresh store: no run to resume.
    let fresh = round(&w, &env, "fresh");
    db.assert_consistent();
    let after_fresh = store_state(&db);
    assert_idle(&db);
    assert!(
        fresh.iter().any(|r| r["inserted"].as_u64().unwrap() > 0),
        "{fresh:?}"
    );

    // An incremental sync: every device already there.
    let incremental = round(&w, &env, "incremental");
    for r in &incremental {
        assert_eq!(r["inserted"], 0, "{r}");
        assert_eq!(r["removed"], 0, "{r}");
    }
    db.assert_consistent();
    let after_incremental = store_state(&db);
    assert_idle(&db);

    // A run that failed mid-way, resumed by several syncs at once.
    ivanti
        .handle
        .inject_after(Endpoint::DeviceSearch, Failure::ServerError(503), 2);
    let failed = finish(
        w.machine
            .command(&["--json", "devices", "sync", "--full"], &env)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap(),
        Duration::from_secs(120),
        "failing sync",
    );
    assert_eq!(failed.code, 5, "{}{}", failed.stdout, failed.stderr);
    assert_ne!(
        db.query("SELECT value FROM settings WHERE key = 'sync.run';"),
        ""
    );
    ivanti.handle.clear_failures();
    let resumed = round(&w, &env, "resumed");
    assert!(resumed.iter().any(|r| r["resumed"] == true), "{resumed:?}");
    for r in &resumed {
        assert_eq!(r["removed"], 0, "{r}");
    }
    db.assert_consistent();
    let after_resume = store_state(&db);
    assert_idle(&db);
    assert!(
        fresh.len() + incremental.len() + resumed.len() < 3 * SYNCS,
        "the syncs overlapped: some were refused"
    );
    // Each refused sync is audited as such (hardening finding 5).
    let refused = 3 * SYNCS - fresh.len() - incremental.len() - resumed.len();
    assert_eq!(
        db.count("SELECT COUNT(*) FROM audit_events WHERE action = 'devices.sync.refused';"),
        refused as u64
    );

    // One more full sync alone: the whole fleet, each device once, nothing to change.
    ivanti.handle.set_latency(Duration::ZERO);
    let alone = finish(
        w.machine
            .command(&["--json", "devices", "sync", "--full"], &env)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap(),
        Duration::from_secs(120),
        "the last sync",
    );
    assert_eq!(alone.code, 0, "{}{}", alone.stdout, alone.stderr);
    let alone: serde_json::Value = serde_json::from_str(&alone.stdout).unwrap();
    assert_eq!(alone["inserted"], 0, "{alone}");
    assert_eq!(alone["updated"], 0, "{alone}");
    assert_eq!(alone["removed"], 0, "{alone}");
    let fleet = alone["devices"].as_u64().unwrap();
    assert_eq!(fleet + alone["skipped"].as_u64().unwrap(), DEVICES);
    assert_eq!(alone["unchanged"].as_u64().unwrap(), fleet);
    for (label, state) in [
        ("fresh", after_fresh),
        ("incremental", after_incremental),
        ("resumed", after_resume),
        ("last", store_state(&db)),
    ] {
        assert_eq!(
            state,
            (fleet, fleet, 0),
            "{label}: every device once, none marked removed"
        );
    }
    let listed = w
        .machine
        .command(&["--json", "devices", "list", "--limit", "1"], &env)
        .output()
        .unwrap();
    let listed: serde_json::Value = serde_json::from_slice(&listed.stdout).unwrap();
    // The synced fleet and the devices imported before it.
    assert!(listed["total"].as_u64().unwrap() >= fleet, "{listed}");
}

#[test]
fn many_syncs_at_once_on_sqlite() {
    let w = World::new("15.75.1", true);
    let db = Db::sqlite(&w.machine);
    many_syncs_at_once(w, db, None);
}

#[test]
fn many_syncs_at_once_on_postgres() {
    let Some(db) = Db::postgres("sync_race") else {
        return;
    };
    let url = db.url().unwrap().to_string();
    let w = World::with_database(&url);
    many_syncs_at_once(w, db, Some(&url));
}
