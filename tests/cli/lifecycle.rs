//! The session lifecycle follows TeamViewer: the state here is read back from the (fake)
//! TeamViewer service, `valid_until` ends a session on every platform, and every local end closes
//! the TeamViewer case. Assertions about TeamViewer are made on the fake's own state.

use helpatwork_e2e::World;
use helpatwork_teamviewer_sandbox::{Endpoint, Failure};

fn start(w: &World, device: &str, extra: &[&str]) -> serde_json::Value {
    let mut args = vec!["--json", "session", "start", device];
    args.extend_from_slice(extra);
    let run = w.machine.run(&args);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    run.json()
}

fn listed(w: &World, id: &str) -> serde_json::Value {
    let run = w.machine.run(&["--json", "session", "list"]);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    run.json()
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["id"] == id)
        .cloned()
        .unwrap_or_else(|| panic!("session {id} listed"))
}

fn actions(w: &World, device: &str) -> Vec<String> {
    w.machine
        .run(&[
            "--json", "audit", "list", "--device", device, "--limit", "200",
        ])
        .json()
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["action"].as_str().unwrap().to_string())
        .collect()
}

fn case_state(w: &World, code: &str) -> String {
    w.sandbox
        .handle
        .session(code)
        .unwrap_or_else(|| panic!("TeamViewer knows {code}"))
        .state
}

#[test]
fn s6_the_user_joining_at_teamviewer_makes_the_session_active_and_its_close_there_closes_it() {
    let w = World::new("15.75.1", true);
    let s = start(&w, "and-001", &[]);
    let (id, code) = (s["id"].as_str().unwrap(), s["code"].as_str().unwrap());
    assert_eq!(listed(&w, id)["state"], "waiting", "nothing happened yet");

    // The device user opens QuickSupport with the code: TeamViewer reports them online.
    assert!(w.sandbox.handle.set_online(code, true));
    let active = listed(&w, id);
    assert_eq!(active["state"], "active", "{active}");

    // Online again false: the session is not lost by that alone (S9 needs the device's word).
    assert!(w.sandbox.handle.set_online(code, false));
    assert_eq!(listed(&w, id)["state"], "active");

    // The supporter ends the case in the TeamViewer client: closed here too, by TeamViewer.
    assert!(w.sandbox.handle.close_case(code));
    let shown = w.machine.run(&["--json", "session", "show", id]).json();
    assert_eq!(shown["state"], "closed", "{shown}");
    assert_eq!(shown["ended_by"], "teamviewer");
    assert!(shown["ended_at"].is_string());

    let audit = w
        .machine
        .run(&[
            "--json", "audit", "list", "--device", "and-001", "--limit", "200",
        ])
        .json();
    let closed = audit
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["action"] == "session.closed")
        .expect("the close is audited");
    assert_eq!(closed["detail"]["source"], "teamviewer");
    let active = audit
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["action"] == "session.active")
        .expect("the join is audited");
    assert_eq!(active["detail"]["source"], "teamviewer");

    // The device is free for the next start.
    start(&w, "and-001", &[]);
}

#[test]
fn valid_until_passing_expires_an_android_session_and_frees_its_device() {
    let w = World::new("15.75.1", true);
    let s = start(&w, "and-001", &[]);
    let (id, code) = (s["id"].as_str().unwrap(), s["code"].as_str().unwrap());
    let valid_until = s["valid_until"].as_str().unwrap().to_string();

    // A day and an hour later (TeamViewer's default validity is 24 h).
    let later = (chrono::DateTime::parse_from_rfc3339(&valid_until).unwrap()
        + chrono::Duration::hours(1))
    .to_rfc3339();
    let next_day = w.machine.with_env("HELPATWORK_NOW", &later);
    let pre = next_day
        .run(&["--json", "session", "preflight", "and-001"])
        .json();
    assert!(
        !pre["checks"]
            .as_array()
            .unwrap()
            .iter()
            .any(|c| c["rule"] == "open_session"),
        "an expired session never blocks its device: {pre}"
    );
    let shown = next_day.run(&["--json", "session", "show", id]).json();
    assert_eq!(shown["state"], "expired", "{shown}");
    assert_eq!(
        case_state(&w, code),
        "Closed",
        "the expired session's case is closed at TeamViewer"
    );
    let again = next_day.run(&["--json", "session", "start", "and-001"]);
    assert_eq!(again.code, 0, "{}{}", again.stdout, again.stderr);
}

/// The rule ids of a preflight's checks that block.
fn blocks(pre: &serde_json::Value) -> Vec<String> {
    pre["checks"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["status"] == "block")
        .map(|c| c["rule"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn a_case_closed_at_teamviewer_frees_the_device_at_its_next_preflight_under_any_spelling() {
    let w = World::new("15.75.1", true);
    let s = start(&w, "and-001", &[]);
    let (id, code) = (s["id"].as_str().unwrap(), s["code"].as_str().unwrap());

    // The id as another agent types it: the same device, held by the open session.
    let held = w
        .machine
        .run(&["--json", "session", "preflight", "AND-001"])
        .json();
    assert_eq!(held["device_id"], "and-001", "{held}");
    assert_eq!(blocks(&held), ["open_session"], "{held}");

    // The supporter ends the case in the TeamViewer client; the next preflight reads it back
    // and judges the device free in the same call.
    assert!(w.sandbox.handle.close_case(code));
    let free = w
        .machine
        .run(&["--json", "session", "preflight", "AND-001"])
        .json();
    assert!(blocks(&free).is_empty(), "{free}");
    assert_eq!(free["ok"], true, "{free}");
    let shown = w.machine.run(&["--json", "session", "show", id]).json();
    assert_eq!(shown["state"], "closed", "{shown}");
}

#[test]
fn every_local_end_closes_the_teamviewer_case() {
    let w = World::new("15.75.1", true);

    // Lost (S9): the app was closed on the device.
    let lost = start(&w, "and-001", &[]);
    let run = w
        .machine
        .run(&["--json", "devices", "report", "and-001", "app-closed"]);
    assert_eq!(run.json()["session"]["state"], "lost");
    assert_eq!(case_state(&w, lost["code"].as_str().unwrap()), "Closed");

    // Expired (S5): an iOS session 31 minutes later.
    let ios = start(&w, "ios-002", &[]);
    let later = (chrono::DateTime::parse_from_rfc3339(ios["created_at"].as_str().unwrap())
        .unwrap()
        + chrono::Duration::minutes(31))
    .to_rfc3339();
    let listed = w
        .machine
        .with_env("HELPATWORK_NOW", &later)
        .run(&["--json", "session", "list", "--open"])
        .json();
    assert_eq!(listed.as_array().unwrap().len(), 0, "{listed}");
    assert_eq!(case_state(&w, ios["code"].as_str().unwrap()), "Closed");

    // Activation removed (A3): every open session ends, its case closed.
    let a = start(&w, "and-001", &[]);
    let removed = w
        .machine
        .run(&["--json", "admin", "remove-activation", "--yes"]);
    assert_eq!(removed.code, 0, "{}{}", removed.stdout, removed.stderr);
    assert_eq!(case_state(&w, a["code"].as_str().unwrap()), "Closed");
    let s = w
        .machine
        .run(&["--json", "session", "show", a["id"].as_str().unwrap()])
        .json();
    assert_eq!(s["state"], "closed");

    for device in ["and-001", "ios-002"] {
        let audited = actions(&w, device);
        assert!(
            audited.iter().any(|a| a == "session.teamviewer_closed"),
            "{device}: each close is audited: {audited:?}"
        );
    }
    assert!(
        w.sandbox
            .handle
            .sessions()
            .iter()
            .all(|s| s.state == "Closed"),
        "no case is left open at TeamViewer"
    );
}

#[test]
fn a_deprovisioned_device_ends_its_unattended_session() {
    let w = World::new("15.75.1", true);
    let admin = w
        .machine
        .with_env("HELPATWORK_TEAMVIEWER_TOKEN", helpatwork_e2e::SCRIPT_TOKEN);
    for args in [
        &[
            "devices",
            "report",
            "and-001",
            "app-installed",
            "host",
            "15.58.3",
        ][..],
        &["apps", "distribute", "host", "--device", "and-001"],
    ] {
        let run = admin.run(args);
        assert_eq!(run.code, 0, "{args:?}: {}{}", run.stdout, run.stderr);
    }
    // Host completed its one-time activation: assigned to the account under Help@Work's alias.
    let alias = w
        .machine
        .run(&["--json", "devices", "show", "and-001"])
        .json()["host"]["expected_alias"]
        .as_str()
        .unwrap()
        .to_owned();
    w.sandbox
        .handle
        .add_device(helpatwork_teamviewer_sandbox::SandboxDevice::assigned_host(
            &alias, true,
        ));
    let s = start(&w, "and-001", &["--mode", "unattended"]);
    assert_eq!(
        s["code"],
        serde_json::Value::Null,
        "unattended makes no case"
    );
    let run = w.machine.run(&["--json", "admin", "deprovision"]);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    let shown = w
        .machine
        .run(&["--json", "session", "show", s["id"].as_str().unwrap()])
        .json();
    assert_eq!(shown["state"], "closed");
    assert_eq!(w.sandbox.handle.sessions_created(), 0);
}

#[test]
fn a_close_that_fails_twice_succeeds_on_the_next_reconciliation() {
    let w = World::new("15.75.1", true);
    let s = start(&w, "and-001", &[]);
    let code = s["code"].as_str().unwrap();
    // Each close tries 4 times (the client's retries); two whole closes fail.
    w.sandbox
        .handle
        .inject_times(Endpoint::UpdateSession, Failure::ServerError(503), 8);

    let lost = w
        .machine
        .run(&["--json", "devices", "report", "and-001", "rebooted"]);
    assert_eq!(lost.code, 0, "{}{}", lost.stdout, lost.stderr);
    assert_eq!(
        lost.json()["session"]["state"],
        "lost",
        "the end here stands"
    );
    assert_eq!(case_state(&w, code), "Open", "the first close failed");

    let second = w.machine.run(&["--json", "session", "sync"]);
    assert_eq!(second.code, 0, "{}{}", second.stdout, second.stderr);
    let second = second.json();
    assert_eq!(second["closes"][0]["closed"], false, "{second}");
    assert_eq!(second["closes"][0]["attempts"], 2);
    assert_eq!(second["pending_closes"].as_array().unwrap().len(), 1);
    assert_eq!(case_state(&w, code), "Open");

    // doctor shows the close still owed, with its fix.
    let doctor = w.machine.run(&["--json", "doctor"]).json();
    let owed = doctor["checks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["rule"] == "teamviewer_closes")
        .unwrap_or_else(|| panic!("doctor shows the owed close: {doctor}"));
    assert_eq!(owed["status"], "warn");
    assert!(owed["message"].as_str().unwrap().contains(code), "{owed}");

    let third = w.machine.run(&["--json", "session", "sync"]).json();
    assert_eq!(third["closes"][0]["closed"], true, "{third}");
    assert_eq!(third["pending_closes"].as_array().unwrap().len(), 0);
    assert_eq!(case_state(&w, code), "Closed");
    let doctor = w.machine.run(&["--json", "doctor"]).json();
    assert!(!doctor["checks"]
        .as_array()
        .unwrap()
        .iter()
        .any(|c| c["rule"] == "teamviewer_closes"));
    let audited = actions(&w, "and-001");
    assert_eq!(
        audited
            .iter()
            .filter(|a| *a == "session.teamviewer_close_failed")
            .count(),
        2,
        "{audited:?}"
    );
    assert!(audited.iter().any(|a| a == "session.teamviewer_closed"));
}

#[test]
fn a_list_without_a_sign_in_keeps_the_states_and_says_so() {
    let w = World::new("15.75.1", true);
    let s = start(&w, "and-001", &[]);
    w.sandbox
        .handle
        .set_online(s["code"].as_str().unwrap(), true);
    // Another agent on this machine without a TeamViewer sign-in: the list still answers.
    let signed_out = w
        .machine
        .with_env("HELPATWORK_TEAMVIEWER_TOKEN", "")
        .run(&["--json", "session", "list"]);
    assert_eq!(signed_out.code, 0, "{}", signed_out.stderr);
    assert_eq!(
        signed_out.json()[0]["state"],
        "waiting",
        "unknown is not changed"
    );
    assert!(
        signed_out.stderr.contains("not read back from TeamViewer"),
        "{}",
        signed_out.stderr
    );
    let sync = w
        .machine
        .with_env("HELPATWORK_TEAMVIEWER_TOKEN", "")
        .run(&["--json", "session", "sync"])
        .json();
    assert_eq!(sync["teamviewer"], "not_signed_in");
}

#[test]
fn a_device_the_mdm_retires_ends_its_session_and_closes_the_case() {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .unwrap();
    let ivanti = runtime
        .block_on(helpatwork_ivanti_fake::spawn(
            helpatwork_ivanti_fake::FakeIvantiOptions {
                fleet: helpatwork_ivanti_fake::FleetSpec {
                    devices: 30,
                    ..Default::default()
                },
                ..Default::default()
            },
        ))
        .unwrap();
    let w = World::new("15.75.1", true);
    let env = [
        ("HELPATWORK_MDM", "ivanti"),
        ("HELPATWORK_IVANTI_URL", ivanti.base_url.as_str()),
        ("HELPATWORK_IVANTI_USER", ivanti.user.as_str()),
        ("HELPATWORK_IVANTI_PASSWORD", ivanti.password.as_str()),
    ];
    let run = |args: &[&str]| {
        let out = w.machine.command(args, &env).output().unwrap();
        (
            out.status.code().unwrap_or(-1),
            String::from_utf8_lossy(&out.stdout).into_owned(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    };
    let (code, out, err) = run(&["--json", "devices", "sync"]);
    assert_eq!(code, 0, "{out}{err}");
    // An Android device from the MDM that can be helped now.
    let records = ivanti.handle.devices();
    let (code, out, err, id) = records
        .iter()
        .filter(|d| d["registrationState"] == "ACTIVE" && d["platformType"] == "ANDROID")
        .find_map(|d| {
            let id = d["id"].to_string();
            let (code, out, err) = run(&["--json", "session", "start", &id]);
            (code == 0).then_some((code, out, err, id))
        })
        .expect("an Android device of the MDM can start");
    assert_eq!(code, 0, "{out}{err}");
    let session: serde_json::Value = serde_json::from_str(&out).unwrap();
    let tv_code = session["code"].as_str().unwrap().to_string();

    // The MDM retires the device: the next sync ends its session and closes the case.
    let mut devices = ivanti.handle.devices();
    for d in devices.iter_mut() {
        if d["id"].to_string().as_str() == id.as_str() {
            d["registrationState"] = serde_json::json!("RETIRED");
        }
    }
    ivanti.handle.replace_devices(devices);
    let (code, out, err) = run(&["--json", "devices", "sync"]);
    assert_eq!(code, 0, "{out}{err}");
    let report: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(report["sessions_ended"], 1, "{report}");
    assert_eq!(case_state(&w, &tv_code), "Closed");
    let shown = w
        .machine
        .run(&["--json", "session", "show", session["id"].as_str().unwrap()])
        .json();
    assert_eq!(shown["state"], "closed");
    drop(ivanti);
    drop(runtime);
}
