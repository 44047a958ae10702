use helpatwork_e2e::{fleet_json, Machine};

fn machine() -> Machine {
    let m = Machine::new();
    let file = m.write("fleet.json", fleet_json());
    assert_eq!(
        m.run(&["devices", "import", file.to_str().unwrap()]).code,
        0
    );
    m
}

#[test]
fn preflight_prints_checks_with_rule_ids() {
    let w = helpatwork_e2e::World::new("15.75.1", true);
    let m = &w.machine;
    let pre = m.run(&["--json", "session", "preflight", "and-001"]).json();
    assert_eq!(pre["device_id"], "and-001");
    assert_eq!(pre["mode"], "attended");
    assert_eq!(pre["ok"], true);
    let checks = pre["checks"].as_array().unwrap();
    assert!(checks
        .iter()
        .all(|c| c["status"] == "pass" || c["status"] == "warn" || c["status"] == "block"));
    for rule in ["L2", "S2", "S3", "S11", "A6"] {
        assert!(checks.iter().any(|c| c["rule"] == rule), "{rule} checked");
    }
}

#[test]
fn preflight_without_a_desktop_client_blocks_on_d3() {
    let m = machine();
    let pre = m.run(&["--json", "session", "preflight", "and-001"]).json();
    assert_eq!(pre["ok"], false);
    assert!(pre["checks"]
        .as_array()
        .unwrap()
        .iter()
        .any(|c| c["rule"] == "D3" && c["status"] == "block"));
}

#[test]
fn s2_unattended_on_ios_is_blocked_exit_3_and_nothing_is_recorded() {
    let m = machine();
    let run = m.run(&[
        "--json",
        "session",
        "start",
        "ios-002",
        "--mode",
        "unattended",
    ]);
    assert_eq!(run.code, 3);
    let err = run.json();
    assert_eq!(err["error"]["code"], "blocked");
    assert!(err["error"]["details"]["checks"]
        .as_array()
        .unwrap()
        .iter()
        .any(|c| c["rule"] == "S2" && c["status"] == "block"));
    // Nothing was recorded but the refused attempt itself (hardening finding 5).
    let audit = m
        .run(&["--json", "audit", "list", "--device", "ios-002"])
        .json();
    let events = audit.as_array().unwrap();
    assert_eq!(events.len(), 1, "{audit}");
    assert_eq!(events[0]["action"], "session.start.refused");
    assert_eq!(events[0]["detail"]["exit"], 3);
    let sessions = m.run(&["--json", "session", "list"]).json();
    assert_eq!(sessions.as_array().unwrap().len(), 0, "no session row");
}

#[test]
fn l2_start_on_mam_only_ios_is_blocked() {
    let m = machine();
    let run = m.run(&["session", "start", "ios-004"]);
    assert_eq!(run.code, 3);
    assert!(run.stderr.contains("MAM"), "{}", run.stderr);
}
