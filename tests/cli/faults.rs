//! `session start` when TeamViewer misbehaves at the create step: a clear error with a fix and
//! the failed step, no open session, no device configuration, nothing handed off, the audit trail
//! complete, and the device free again once TeamViewer answers.

use helpatwork_e2e::World;
use helpatwork_teamviewer_sandbox::{Endpoint, Failure};

#[test]
fn teamviewer_faults_at_create_leave_no_half_state() {
    let w = World::new("15.75.1", true);
    let failures = [
        Failure::ServerError(503),
        Failure::RateLimited,
        Failure::MalformedJson,
        Failure::TruncatedBody,
        Failure::InvalidRequest,
    ];
    for failure in failures.clone() {
        w.sandbox
            .handle
            .inject_times(Endpoint::CreateSession, failure.clone(), 1);
        let run = w
            .machine
            .run(&["--json", "session", "start", "and-001", "--no-launch"]);
        assert_eq!(run.code, 5, "{failure:?}: {}{}", run.stdout, run.stderr);
        let err = run.json();
        assert_eq!(
            err["error"]["details"]["failed_step"], "create",
            "{failure:?}"
        );
        assert!(
            err["error"]["fix"].as_str().is_some_and(|f| !f.is_empty()),
            "{failure:?}: {err}"
        );
        let open = w
            .machine
            .run(&["--json", "session", "list", "--open"])
            .json();
        assert_eq!(open.as_array().unwrap().len(), 0, "{failure:?}: {open}");
    }
    assert!(w.opened().is_empty(), "nothing was handed off");
    // A garbled answer came after TeamViewer created the session: the app found it by its
    // custom_api and closed it; nothing stays open at TeamViewer.
    let at_teamviewer = w.sandbox.handle.sessions();
    assert_eq!(at_teamviewer.len(), 2, "malformed and truncated answers");
    assert!(
        at_teamviewer.iter().all(|s| s.state == "Closed"),
        "{:?}",
        at_teamviewer.iter().map(|s| &s.state).collect::<Vec<_>>()
    );
    let configs = std::process::Command::new("sqlite3")
        .arg(w.machine.path("data").join("helpatwork.db"))
        .arg("SELECT COUNT(*) FROM device_app_configs;")
        .output()
        .expect("sqlite3");
    assert_eq!(
        String::from_utf8_lossy(&configs.stdout).trim(),
        "0",
        "no configuration left on the device"
    );
    let audit = w
        .machine
        .run(&["--json", "audit", "list", "--device", "and-001"])
        .json();
    let actions: Vec<&str> = audit
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|e| e["action"].as_str())
        .collect();
    let count = |a: &str| actions.iter().filter(|x| **x == a).count();
    assert_eq!(count("session.requested"), failures.len(), "{actions:?}");
    assert_eq!(count("session.failed"), failures.len(), "{actions:?}");

    let ok = w
        .machine
        .run(&["--json", "session", "start", "and-001", "--no-launch"]);
    assert_eq!(ok.code, 0, "the device is free again: {}", ok.stdout);
}

#[test]
fn a_teamviewer_outage_at_the_token_check_creates_nothing() {
    let w = World::new("15.75.1", true);
    w.sandbox
        .handle
        .inject(Endpoint::Ping, Failure::ServerError(503));
    let run = w
        .machine
        .run(&["--json", "session", "start", "and-001", "--no-launch"]);
    assert_eq!(run.code, 5, "{}{}", run.stdout, run.stderr);
    assert!(run.json()["error"]["fix"].as_str().is_some());
    assert_eq!(w.sandbox.handle.request_count(Endpoint::CreateSession), 0);
    let all = w.machine.run(&["--json", "session", "list"]).json();
    assert_eq!(all.as_array().unwrap().len(), 0, "no row at all: {all}");
}

/// S4 failing at the MDM: the embedded fleet's store refuses the session's app configuration.
/// The start exits 5 (the MDM's own error, service failed, with its fix), the failed step is
/// "deliver", the session is failed, its TeamViewer case closed, and the device free again.
#[test]
fn s4_a_delivery_the_mdm_refuses_exits_5_at_deliver() {
    let w = World::new("15.75.1", true);
    let db = w.machine.path("data").join("helpatwork.db");
    let sql = |statement: &str| {
        let out = std::process::Command::new("sqlite3")
            .arg(&db)
            .arg(statement)
            .output()
            .expect("sqlite3");
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    };
    // The store exists once the binary has run.
    assert_eq!(
        w.machine
            .run(&["--json", "devices", "show", "and-001"])
            .code,
        0
    );
    sql(
        "CREATE TRIGGER refuse_config BEFORE INSERT ON device_app_configs \
         BEGIN SELECT RAISE(ABORT, 'the MDM is down'); END;",
    );

    let run = w
        .machine
        .run(&["--json", "session", "start", "and-001", "--no-launch"]);
    assert_eq!(run.code, 5, "{}{}", run.stdout, run.stderr);
    let err = run.json();
    assert_eq!(err["error"]["code"], "service_failed", "{err}");
    assert_eq!(err["error"]["details"]["failed_step"], "deliver", "{err}");
    assert!(
        err["error"]["fix"].as_str().is_some_and(|f| !f.is_empty()),
        "the MDM's fix is kept: {err}"
    );
    let sessions = w.machine.run(&["--json", "session", "list"]).json();
    assert_eq!(sessions[0]["state"], "failed", "{sessions}");
    let at_teamviewer = w.sandbox.handle.sessions();
    assert_eq!(at_teamviewer.len(), 1);
    assert_eq!(
        at_teamviewer[0].state, "Closed",
        "no case of a failed start stays open"
    );

    sql("DROP TRIGGER refuse_config;");
    let ok = w
        .machine
        .run(&["--json", "session", "start", "and-001", "--no-launch"]);
    assert_eq!(ok.code, 0, "the device is free again: {}", ok.stdout);
}
