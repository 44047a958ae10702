//! Crashes of the session commands: `helpatwork` killed with SIGKILL while a session start
//! waits on TeamViewer, while a hand-off runs, and while a deprovisioning runs. Afterwards the
//! killed start is recoverable and ends cleanly, and the other two complete or close when run
//! again (see the parent module for the stores they run on).

use std::process::Stdio;
use std::time::Duration;

use helpatwork_e2e::World;
use helpatwork_teamviewer_sandbox::{Endpoint, Failure};

use super::{big_fleet, kill_9, run, run_ok, spawn, wait_until, Db};

fn world(db: &Db) -> World {
    match db.url() {
        Some(url) => World::with_database(url),
        None => World::new("15.75.1", true),
    }
}

/// Killed while TeamViewer is creating the session: the row stays `requested` (a start may
/// still be in flight, so nobody else takes the device), and once no start can still be running
/// it is marked failed at "create"; the device is free again and every audit event is kept.
fn killed_start_is_recoverable(w: World, db: Db) {
    w.sandbox.handle.inject_times(
        Endpoint::CreateSession,
        Failure::Delay(Duration::from_secs(20)),
        1,
    );
    let child = spawn(
        &w.machine,
        &["--json", "session", "start", "and-001", "--no-launch"],
        &db,
    );
    wait_until(Duration::from_secs(30), "TeamViewer is asked", || {
        w.sandbox.handle.request_count(Endpoint::CreateSession) > 0
    });
    assert!(kill_9(child), "killed before it finished");
    db.assert_consistent();
    assert_eq!(
        db.query("SELECT state FROM sessions WHERE device_id = 'and-001';"),
        "requested"
    );
    let audit_after_kill = db.audit_ids();

    // Right away the device is still held: the start might be alive on another machine.
    let held = run(
        &w.machine,
        &db,
        &["--json", "session", "start", "and-001", "--no-launch"],
    );
    assert_eq!(held.code, 7, "{}{}", held.stdout, held.stderr);

    // Later than any start can take: the row is failed at "create", the device is free.
    let later = (chrono::Utc::now() + chrono::Duration::minutes(10)).to_rfc3339();
    let later_env = |args: &[&str]| {
        let mut cmd = w
            .machine
            .command(args, &[("HELPATWORK_NOW", later.as_str())]);
        if let Some(url) = db.url() {
            cmd.env("HELPATWORK_DATABASE_URL", url);
        }
        let out = cmd.output().unwrap();
        (
            out.status.code().unwrap_or(-1),
            String::from_utf8_lossy(&out.stdout).into_owned(),
        )
    };
    let (code, open) = later_env(&["--json", "session", "list", "--open"]);
    assert_eq!(code, 0, "{open}");
    let open: serde_json::Value = serde_json::from_str(&open).unwrap();
    assert_eq!(open.as_array().unwrap().len(), 0, "{open}");
    assert_eq!(
        db.query("SELECT state || ' ' || failed_step FROM sessions WHERE device_id = 'and-001';"),
        "failed create"
    );
    let (code, started) = later_env(&["--json", "session", "start", "and-001", "--no-launch"]);
    assert_eq!(code, 0, "{started}");
    let started: serde_json::Value = serde_json::from_str(&started).unwrap();
    assert_eq!(started["state"], "waiting");

    db.assert_consistent();
    let audit = db.audit_ids();
    assert!(audit_after_kill.iter().all(|id| audit.contains(id)));
    let actions =
        db.query("SELECT action FROM audit_events WHERE device_id = 'and-001' ORDER BY id;");
    let actions: Vec<&str> = actions.lines().collect();
    for action in ["session.requested", "session.failed", "session.handed_off"] {
        assert!(actions.contains(&action), "{action} in {actions:?}");
    }
    assert_eq!(
        db.count("SELECT COUNT(*) FROM sessions WHERE state NOT IN ('failed', 'closed', 'expired', 'lost');"),
        1,
        "one open session: the new one"
    );
    let open_at_teamviewer: Vec<_> = w
        .sandbox
        .handle
        .sessions()
        .into_iter()
        .filter(|s| s.state == "Open")
        .map(|s| s.code)
        .collect();
    assert_eq!(
        open_at_teamviewer,
        [started["code"].as_str().unwrap().to_string()],
        "nothing of the killed start stays open at TeamViewer"
    );
}

#[test]
fn killed_start_is_recoverable_on_sqlite() {
    let w = World::new("15.75.1", true);
    let db = Db::sqlite(&w.machine);
    killed_start_is_recoverable(w, db);
}

#[test]
fn killed_start_is_recoverable_on_postgres() {
    let Some(db) = Db::postgres("start") else {
        return;
    };
    let w = world(&db);
    killed_start_is_recoverable(w, db);
}

/// Killed at the hand-off (the opener hangs): the session exists at TeamViewer and in the store,
/// delivered, and closes cleanly at both.
fn killed_hand_off_leaves_a_closable_session(w: World, db: Db) {
    let hang = w.machine.write("hang.sh", "#!/bin/sh\nsleep 30\n");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&hang, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
    let mut cmd = w.machine.command(
        &["--json", "session", "start", "and-001"],
        &[("HELPATWORK_OPENER", hang.to_str().unwrap())],
    );
    if let Some(url) = db.url() {
        cmd.env("HELPATWORK_DATABASE_URL", url);
    }
    let child = cmd
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    wait_until(Duration::from_secs(30), "the session is delivered", || {
        db.query("SELECT COUNT(*) FROM sessions WHERE state = 'delivered';") == "1"
    });
    std::thread::sleep(Duration::from_millis(200));
    assert!(kill_9(child), "killed before it finished");
    db.assert_consistent();
    let code = db.query("SELECT code FROM sessions WHERE device_id = 'and-001';");
    assert!(
        w.sandbox.handle.session(&code).is_some(),
        "the open row has its TeamViewer session {code}"
    );
    assert_eq!(
        db.count("SELECT COUNT(*) FROM device_app_configs WHERE device_id = 'and-001';"),
        1
    );
    let id = db.query("SELECT id FROM sessions WHERE device_id = 'and-001';");
    let closed = run_ok(&w.machine, &db, &["--json", "session", "close", &id]);
    assert_eq!(closed["state"], "closed");
    assert_eq!(
        db.count("SELECT COUNT(*) FROM device_app_configs WHERE device_id = 'and-001';"),
        0,
        "nothing of the session stays on the device"
    );
    assert_eq!(
        w.sandbox.handle.session(&code).map(|s| s.state),
        Some("Closed".to_string())
    );
}

#[test]
fn killed_hand_off_leaves_a_closable_session_on_sqlite() {
    let w = World::new("15.75.1", true);
    let db = Db::sqlite(&w.machine);
    killed_hand_off_leaves_a_closable_session(w, db);
}

#[test]
fn killed_hand_off_leaves_a_closable_session_on_postgres() {
    let Some(db) = Db::postgres("handoff") else {
        return;
    };
    let w = world(&db);
    killed_hand_off_leaves_a_closable_session(w, db);
}

// ---- deprovisioning -----------------------------------------------------------------------

/// Killed while each device with Host gets its check-in request: the events written stay, the
/// next run does every device again and completes.
fn killed_deprovision_completes_on_rerun(w: World, db: Db) {
    const N: u64 = 3000;
    let file = w
        .machine
        .write("host-fleet.json", big_fleet(N as usize, "host"));
    run_ok(
        &w.machine,
        &db,
        &["--json", "devices", "import", file.to_str().unwrap()],
    );
    let with_host =
        db.count("SELECT COUNT(DISTINCT device_id) FROM device_apps WHERE app = 'host';");
    assert!(with_host >= N, "{with_host}");
    let checkins =
        || db.count("SELECT COUNT(*) FROM audit_events WHERE action = 'device.force_checkin';");

    let child = spawn(&w.machine, &["admin", "deprovision"], &db);
    wait_until(Duration::from_secs(60), "some devices are asked", || {
        checkins() > 0
    });
    assert!(kill_9(child), "killed before it finished");
    db.assert_consistent();
    let first = checkins();
    let audit_after_kill = db.audit_ids();
    assert!(
        first < with_host,
        "the kill landed before the end: {first} of {with_host}"
    );

    run_ok(&w.machine, &db, &["--json", "admin", "deprovision"]);
    db.assert_consistent();
    assert_eq!(checkins(), first + with_host, "the rerun asks every device");
    assert_eq!(
        db.count(
            "SELECT COUNT(DISTINCT device_id) FROM audit_events WHERE action = 'device.force_checkin';"
        ),
        with_host
    );
    let audit = db.audit_ids();
    assert!(audit_after_kill.iter().all(|id| audit.contains(id)));
}

#[test]
fn killed_deprovision_completes_on_rerun_on_sqlite() {
    let w = World::new("15.75.1", true);
    let db = Db::sqlite(&w.machine);
    killed_deprovision_completes_on_rerun(w, db);
}

#[test]
fn killed_deprovision_completes_on_rerun_on_postgres() {
    let Some(db) = Db::postgres("deprovision") else {
        return;
    };
    let w = world(&db);
    killed_deprovision_completes_on_rerun(w, db);
}
