//! The README's command-line journey on the labelled demo, one process per command as a
//! newcomer types it: the demo's TeamViewer sandbox and its sign-in persist in the demo's data
//! directory, so sign in, start, see, close, remove and reactivate all work across processes.

use helpatwork_e2e::{Machine, Run};

fn demo() -> Machine {
    let m = Machine::new();
    let opener = m.path("opener.sh");
    std::fs::write(
        &opener,
        format!(
            "#!/bin/sh\nprintf '%s\\n' \"$1\" >> '{}'\n",
            m.path("opened.txt").display()
        ),
    )
    .unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&opener, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
    let opener = opener.display().to_string();
    m.env("HELPATWORK_OPENER", &opener)
}

#[track_caller]
fn ok(m: &Machine, args: &[&str]) -> Run {
    let mut all = vec!["--demo"];
    all.extend_from_slice(args);
    let run = m.run(&all);
    assert_eq!(run.code, 0, "{all:?}:\n{}{}", run.stdout, run.stderr);
    run
}

#[track_caller]
fn json(m: &Machine, args: &[&str]) -> serde_json::Value {
    let mut all = vec!["--json"];
    all.extend_from_slice(args);
    ok(m, &all).json()
}

#[test]
fn the_readme_command_line_journey_works_on_the_demo() {
    let m = demo();

    // Find the device, look at it, check it.
    let found = json(
        &m,
        &[
            "devices",
            "list",
            "--search",
            "ana",
            "--platform",
            "android",
            "--limit",
            "20",
        ],
    );
    assert!(found["total"].as_u64().unwrap() > 0, "{found}");
    ok(&m, &["devices", "show", "and-0001"]);
    ok(&m, &["--lang", "pt-BR", "devices", "show", "ios-0048"]);
    ok(
        &m,
        &["session", "preflight", "and-0001", "--mode", "unattended"],
    );
    let doctor = json(&m, &["doctor"]);
    assert_eq!(doctor["ok"], true, "{doctor}");

    // Not signed in yet: a start needs the sign-in (exit 4), which then lasts across commands.
    let before = m.run(&["--demo", "--json", "session", "start", "and-0001"]);
    assert_eq!(before.code, 4, "{}{}", before.stdout, before.stderr);
    ok(&m, &["auth", "login"]);
    let status = json(&m, &["auth", "status"]);
    assert_eq!(
        status["signed_in"], true,
        "the sign-in outlives its process: {status}"
    );

    // Start, see it, follow TeamViewer, close it.
    let s = json(
        &m,
        &["session", "start", "and-0001", "--reason", "ticket 4711"],
    );
    assert_eq!(s["state"], "waiting", "{s}");
    let id = s["id"].as_str().unwrap().to_string();
    let opened = std::fs::read_to_string(m.path("opened.txt")).unwrap_or_default();
    assert_eq!(opened.trim(), s["supporter_link"].as_str().unwrap());
    let open = json(&m, &["session", "list", "--open"]);
    assert_eq!(open.as_array().unwrap().len(), 1, "{open}");
    ok(&m, &["demo", "customer-joins", "and-0001"]);
    assert_eq!(json(&m, &["session", "show", &id])["state"], "active");
    let closed = json(&m, &["session", "close", &id]);
    assert_eq!(closed["state"], "closed");

    // The device side of the embedded fleet, and TeamViewer closing a case on its own.
    let second = json(&m, &["session", "start", "and-0001", "--no-launch"]);
    let report = json(&m, &["devices", "report", "and-0001", "eula-accepted"]);
    assert_eq!(report["session"]["state"], "active");
    ok(&m, &["demo", "close-case", "and-0001"]);
    let synced = json(&m, &["session", "sync"]);
    assert_eq!(
        synced["changes"][0]["cause"], "teamviewer_closed",
        "{synced}"
    );
    assert_eq!(
        json(&m, &["session", "show", second["id"].as_str().unwrap()])["state"],
        "closed"
    );

    // Admin: tier, licences, distribution, status.
    ok(&m, &["admin", "status"]);
    ok(&m, &["admin", "tier", "--set", "platinum"]);
    ok(&m, &["admin", "licences", "--unattended", "100"]);
    ok(&m, &["apps", "distribute", "host", "--device", "and-0001"]);

    // Remove the activation (open sessions end), then activate again: the demo carries on.
    let third = json(&m, &["session", "start", "and-0002", "--no-launch"]);
    ok(&m, &["admin", "remove-activation", "--yes"]);
    assert_eq!(
        json(&m, &["session", "show", third["id"].as_str().unwrap()])["state"],
        "closed"
    );
    let eula = ok(&m, &["admin", "activate", "--mode", "attended"]);
    assert!(!eula.stdout.is_empty(), "the EULA is printed");
    ok(
        &m,
        &["admin", "activate", "--mode", "attended", "--accept-eula"],
    );
    ok(
        &m,
        &["admin", "activate", "--mode", "unattended", "--accept-eula"],
    );
    let again = json(&m, &["session", "start", "and-0002", "--no-launch"]);
    assert_eq!(again["state"], "waiting", "{again}");

    // The audit trail and its export, settings, signing out.
    let audit = json(&m, &["audit", "list", "--action", "session.requested"]);
    assert!(audit.as_array().unwrap().len() >= 4, "{audit}");
    let out = m.path("audit.csv");
    ok(
        &m,
        &[
            "audit",
            "export",
            "--device",
            "and-0001",
            "--out",
            out.to_str().unwrap(),
        ],
    );
    assert!(std::fs::read_to_string(&out)
        .unwrap()
        .contains("session.requested"));
    ok(&m, &["settings", "show"]);
    ok(&m, &["auth", "logout"]);
    let status = json(&m, &["auth", "status"]);
    assert_eq!(status["signed_in"], false);
}
