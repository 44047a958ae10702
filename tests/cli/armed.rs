//! Armed sessions from the CLI: `session start --when-online` arms an offline device's session
//! (exit 11); the device's check-in starts it once and hands it off; the device is held for its
//! agent meanwhile (another agent: exit 7); `session armed run` fires what a check-in made due;
//! `session rearm` arms a session lost on a reboot (S9) again; `session cancel` ends an armed one.

use helpatwork_e2e::World;

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

fn count(list: &[String], action: &str) -> usize {
    list.iter().filter(|a| *a == action).count()
}

#[test]
fn s9_an_offline_device_is_armed_and_its_check_in_starts_one_session() {
    let w = World::new("15.75.1", true);
    let ana = w.machine.with_env("USER", "ana");
    let bruno = w.machine.with_env("USER", "bruno");
    // and-001 last checked in on 2026-11-20: offline now.
    let run = ana.run(&[
        "--json",
        "session",
        "start",
        "and-001",
        "--when-online",
        "--within",
        "2h",
        "--reason",
        "scanner",
    ]);
    assert_eq!(run.code, 11, "{}{}", run.stdout, run.stderr);
    let err = run.json();
    assert_eq!(err["error"]["code"], "armed", "{err}");
    let armed = &err["error"]["details"]["armed"];
    assert_eq!(armed["state"], "armed");
    assert_eq!(armed["agent"], "ana");
    let armed_id = armed["id"].as_str().unwrap().to_string();
    assert!(w.opened().is_empty(), "nothing handed off yet");
    assert!(
        w.sandbox.handle.sessions().is_empty(),
        "no TeamViewer case yet"
    );

    // Held for Ana: Bruno's start and arm are conflicts naming her.
    let run = bruno.run(&["session", "start", "and-001", "--reason", "me"]);
    assert_eq!(run.code, 7, "{}{}", run.stdout, run.stderr);
    assert!(run.stderr.contains("ana"), "{}", run.stderr);
    let run = bruno.run(&["session", "start", "and-001", "--when-online"]);
    assert_eq!(run.code, 7, "{}{}", run.stdout, run.stderr);
    let listed = ana.run(&["--json", "session", "armed", "list"]).json();
    assert_eq!(listed.as_array().unwrap().len(), 1, "{listed}");

    // The device checks in; Bruno's process reports it: it is not his to start.
    let run = bruno.run(&["--json", "devices", "report", "and-001", "checkin"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.json()["session"].is_null());
    assert!(w.sandbox.handle.sessions().is_empty());
    // Ana's next pass starts it, once.
    let run = ana.run(&["--json", "session", "armed", "run"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let fired = run.json();
    let [outcome] = fired.as_array().unwrap().as_slice() else {
        panic!("{fired}")
    };
    assert_eq!(outcome["armed"]["state"], "fired");
    let session = &outcome["session"];
    assert_eq!(session["state"], "waiting");
    assert_eq!(session["launched"], true);
    assert_eq!(
        w.opened(),
        vec![session["supporter_link"].as_str().unwrap().to_string()]
    );
    assert_eq!(w.sandbox.handle.sessions().len(), 1);
    let again = ana.run(&["--json", "session", "armed", "run"]).json();
    assert!(again.as_array().unwrap().is_empty(), "{again}");
    let all = ana
        .run(&["--json", "session", "armed", "list", "--all"])
        .json();
    assert_eq!(all[0]["id"], armed_id.as_str());
    assert_eq!(all[0]["session_id"], session["id"]);

    // S9: the device restarts, the session is lost; armed again, its check-in starts it.
    let lost_id = session["id"].as_str().unwrap().to_string();
    let run = ana.run(&["--json", "devices", "report", "and-001", "rebooted"]);
    assert_eq!(run.json()["session"]["state"], "lost");
    let run = ana.run(&["--json", "session", "rearm", &lost_id, "--within", "30m"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let rearmed = run.json();
    assert_eq!(rearmed["rearm_of"], lost_id.as_str());
    assert_eq!(rearmed["reason"], "scanner");
    std::thread::sleep(std::time::Duration::from_millis(5));
    let run = ana.run(&["--json", "devices", "report", "and-001", "checkin"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let restarted = run.json()["session"].clone();
    assert_eq!(restarted["state"], "waiting", "{restarted}");
    assert_ne!(restarted["id"], lost_id.as_str());
    assert_eq!(w.opened().len(), 2, "handed off once more");

    let audit = actions(&w, "and-001");
    assert_eq!(count(&audit, "session.armed"), 2, "{audit:?}");
    assert_eq!(count(&audit, "session.armed_fired"), 2);
    assert_eq!(count(&audit, "session.requested"), 2);
    assert_eq!(count(&audit, "session.start.refused"), 1, "Bruno's start");
}

#[test]
fn an_armed_session_is_cancelled_and_a_bad_wait_is_refused() {
    let w = World::new("15.75.1", true);
    let run = w.machine.run(&[
        "session",
        "start",
        "and-001",
        "--when-online",
        "--within",
        "10x",
    ]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains("fix:"), "{}", run.stderr);
    let run = w.machine.run(&[
        "session",
        "start",
        "and-001",
        "--when-online",
        "--within",
        "5d",
    ]);
    assert_eq!(run.code, 2, "{}", run.stderr);

    let run = w
        .machine
        .run(&["--json", "session", "start", "and-001", "--when-online"]);
    assert_eq!(run.code, 11, "{}", run.stderr);
    let armed = run.json()["error"]["details"]["armed"].clone();
    let id = armed["id"].as_str().unwrap();
    let run = w.machine.run(&["session", "cancel", id]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.contains("cancelled"), "{}", run.stdout);
    // Cancelled, the device's check-in starts nothing.
    let run = w
        .machine
        .run(&["--json", "devices", "report", "and-001", "checkin"]);
    assert!(run.json()["session"].is_null());
    assert!(w.opened().is_empty());
    assert_eq!(count(&actions(&w, "and-001"), "session.arm_cancelled"), 1);
    let run = w.machine.run(&["session", "cancel", "no-such-id"]);
    assert_eq!(run.code, 6, "{}", run.stderr);
}
