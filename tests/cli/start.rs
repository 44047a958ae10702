//! The main job, end to end: preflight → token → TeamViewer session → delivery → hand-off,
//! against the TeamViewer sandbox, a fake desktop install and a recording opener.

use helpatwork_e2e::World;
use helpatwork_teamviewer_sandbox::{Endpoint, Failure};

#[test]
fn s4_attended_android_happy_path_hands_the_supporter_link_to_the_desktop_client() {
    let w = World::new("15.75.1", true);
    let run = w.machine.run(&[
        "--json",
        "session",
        "start",
        "and-001",
        "--reason",
        "ticket 4711",
    ]);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    let s = run.json();
    assert_eq!(s["state"], "waiting");
    assert_eq!(s["mode"], "attended");
    assert_eq!(s["launched"], true);
    // Android: no 30-minute limit (S5 is iOS only); the code's validity at TeamViewer (24 h by
    // default) bounds the session instead.
    assert_eq!(s["expires_at"], s["valid_until"]);
    let created = chrono::DateTime::parse_from_rfc3339(s["created_at"].as_str().unwrap()).unwrap();
    let expires = chrono::DateTime::parse_from_rfc3339(s["expires_at"].as_str().unwrap()).unwrap();
    let hours = (expires - created).num_minutes() as f64 / 60.0;
    assert!(
        (23.9..=24.1).contains(&hours),
        "expires {hours} h after creation"
    );
    let code = s["code"].as_str().unwrap().to_string();
    assert!(code.starts_with('s'), "{code}");
    let link = s["supporter_link"].as_str().unwrap();
    assert!(link.starts_with("https://get.teamviewer.com/"), "{link}");
    assert_eq!(
        w.opened(),
        vec![link.to_string()],
        "the opener got exactly the supporter link"
    );

    let tv = w.sandbox.handle.sessions();
    assert_eq!(tv.len(), 1);
    let audit = w
        .machine
        .run(&["--json", "audit", "list", "--device", "and-001"])
        .json();
    let actions: Vec<_> = audit
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["action"].as_str().unwrap().to_string())
        .collect();
    for step in [
        "session.requested",
        "session.created",
        "session.delivered",
        "session.handed_off",
    ] {
        assert!(actions.contains(&step.to_string()), "{step} in {actions:?}");
    }

    // S6: the user accepts the TeamViewer EULA on the device → active; then the agent closes it.
    let active = w
        .machine
        .run(&["--json", "devices", "report", "and-001", "eula-accepted"])
        .json();
    assert_eq!(active["session"]["state"], "active");
    let id = s["id"].as_str().unwrap();
    let closed = w.machine.run(&["--json", "session", "close", id]);
    assert_eq!(closed.code, 0, "{}", closed.stdout);
    assert_eq!(closed.json()["state"], "closed");
    assert_eq!(
        w.machine
            .run(&["--json", "session", "list", "--open"])
            .json()
            .as_array()
            .unwrap()
            .len(),
        0
    );
}

#[test]
fn no_launch_prints_the_link_and_opens_nothing() {
    let w = World::new("15.75.1", true);
    let run = w
        .machine
        .run(&["session", "start", "and-001", "--no-launch"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stdout.contains("https://get.teamviewer.com/"),
        "{}",
        run.stdout
    );
    assert!(w.opened().is_empty());
}

#[test]
fn s5_ios_remote_view_expires_after_30_minutes() {
    let w = World::new("15.75.1", true);
    let s = w.machine.run(&["--json", "session", "start", "ios-002"]);
    assert_eq!(s.code, 0, "{}", s.stdout);
    let s = s.json();
    let created = parse(s["created_at"].as_str().unwrap());
    let expires = parse(s["expires_at"].as_str().expect("iOS sessions expire"));
    assert_eq!((expires - created).num_minutes(), 30);

    let later = (created + chrono::Duration::minutes(31))
        .to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    let shown = w
        .machine
        .with_env("HELPATWORK_NOW", &later)
        .run(&["--json", "session", "show", s["id"].as_str().unwrap()])
        .json();
    assert_eq!(shown["state"], "expired");
}

fn parse(t: &str) -> chrono::DateTime<chrono::Utc> {
    chrono::DateTime::parse_from_rfc3339(t)
        .unwrap()
        .with_timezone(&chrono::Utc)
}

#[test]
fn s2_unattended_on_ios_is_refused() {
    let w = World::new("15.75.1", true);
    let run = w.machine.run(&[
        "--json",
        "session",
        "start",
        "ios-002",
        "--mode",
        "unattended",
    ]);
    assert_eq!(run.code, 3);
    assert_eq!(
        w.sandbox.handle.sessions_created(),
        0,
        "nothing was created"
    );
}

#[test]
fn s10_missing_quicksupport_warns_on_android_and_blocks_on_ios() {
    let w = World::new("15.75.1", true);
    assert_eq!(
        w.machine
            .run(&[
                "devices",
                "report",
                "and-001",
                "app-removed",
                "quicksupport"
            ])
            .code,
        0
    );
    let pre = w
        .machine
        .run(&["--json", "session", "preflight", "and-001"])
        .json();
    assert!(pre["checks"]
        .as_array()
        .unwrap()
        .iter()
        .any(|c| c["rule"] == "S10" && c["status"] == "warn"));
    assert_eq!(pre["ok"], true);

    assert_eq!(
        w.machine
            .run(&[
                "devices",
                "report",
                "ios-002",
                "app-removed",
                "quicksupport"
            ])
            .code,
        0
    );
    let run = w.machine.run(&["--json", "session", "start", "ios-002"]);
    assert_eq!(run.code, 3);
    assert!(run.json()["error"]["details"]["checks"]
        .as_array()
        .unwrap()
        .iter()
        .any(|c| c["rule"] == "S10" && c["status"] == "block"));
}

#[test]
fn s11_incompatible_desktop_version_is_blocked_with_the_fix() {
    let w = World::new("14.7.1", true);
    let run = w.machine.run(&["--json", "session", "start", "and-001"]);
    assert_eq!(run.code, 3, "{}", run.stdout);
    let err = run.json();
    let s11 = err["error"]["details"]["checks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["rule"] == "S11" && c["status"] == "block")
        .cloned();
    assert!(s11.is_some(), "{err}");
    assert!(s11.unwrap()["fix"].as_str().unwrap().contains("15"));
    assert_eq!(w.sandbox.handle.sessions_created(), 0);
}

#[test]
fn d3_no_desktop_client_is_blocked_with_the_download_link() {
    let w = World::new("15.75.1", true);
    let empty = w.machine.path("no-teamviewer");
    std::fs::create_dir_all(&empty).unwrap();
    let view = w
        .machine
        .with_env("HELPATWORK_TEAMVIEWER_HOME", empty.to_str().unwrap());
    let run = view.run(&["--json", "session", "start", "and-001"]);
    assert_eq!(run.code, 3, "{}", run.stdout);
    let text = run.stdout;
    assert!(
        text.contains("D3") && text.contains("teamviewer.com/en/download"),
        "{text}"
    );
}

#[test]
fn s3_without_a_token_sign_in_is_needed_exit_4() {
    let w = World::new("15.75.1", false);
    let run = w.machine.run(&["--json", "session", "start", "and-001"]);
    assert_eq!(run.code, 4, "{}", run.stdout);
    assert_eq!(run.json()["error"]["code"], "sign_in_needed");
    assert_eq!(w.sandbox.handle.sessions_created(), 0);
}

#[test]
fn s9_reboot_loses_the_session_and_it_can_start_again() {
    let w = World::new("15.75.1", true);
    assert_eq!(w.machine.run(&["session", "start", "and-001"]).code, 0);
    let lost = w
        .machine
        .run(&["--json", "devices", "report", "and-001", "rebooted"])
        .json();
    assert_eq!(lost["session"]["state"], "lost");
    assert_eq!(
        w.machine.run(&["session", "start", "and-001"]).code,
        0,
        "a lost session frees the device"
    );
}

#[test]
fn double_start_is_a_conflict_naming_the_holder() {
    let w = World::new("15.75.1", true);
    assert_eq!(w.machine.run(&["session", "start", "and-001"]).code, 0);
    let second = w.machine.run(&["--json", "session", "start", "and-001"]);
    assert_eq!(second.code, 7, "{}", second.stdout);
    let err = second.json();
    assert_eq!(err["error"]["code"], "conflict");
    assert_eq!(err["error"]["details"]["session"]["agent"], "agent.test");
    assert_eq!(w.sandbox.handle.sessions_created(), 1);
}

#[test]
fn teamviewer_failure_at_create_leaves_nothing_behind() {
    let w = World::new("15.75.1", true);
    w.sandbox
        .handle
        .inject(Endpoint::CreateSession, Failure::ServerError(500));
    let run = w.machine.run(&["--json", "session", "start", "and-001"]);
    assert_eq!(run.code, 5, "{}", run.stdout);
    let err = run.json();
    assert_eq!(err["error"]["details"]["failed_step"], "create");
    assert!(w.opened().is_empty());
    assert_eq!(
        w.machine
            .run(&["--json", "session", "list", "--open"])
            .json()
            .as_array()
            .unwrap()
            .len(),
        0
    );
    w.sandbox.handle.clear_failures();
    assert_eq!(
        w.machine.run(&["session", "start", "and-001"]).code,
        0,
        "the device is free again"
    );
}

#[test]
fn licence_limit_has_its_own_message() {
    let w = World::new("15.75.1", true);
    w.sandbox
        .handle
        .inject(Endpoint::CreateSession, Failure::LicenceLimit);
    let run = w.machine.run(&["--json", "session", "start", "and-001"]);
    assert_eq!(run.code, 5);
    assert!(run.json()["error"]["message"]
        .as_str()
        .unwrap()
        .to_lowercase()
        .contains("licen"));
}
