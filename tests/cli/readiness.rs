//! The fleet readiness board from the command line: each mode's devices that can be helped now
//! and the groups of the rest, as each device's preflight judges it; the day's counts kept once
//! a day and read back as a series; a group's devices listed; text in English and pt-BR.

use helpatwork_e2e::{Run, World};

#[track_caller]
fn ok(r: Run) -> serde_json::Value {
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    r.json()
}

fn mode<'a>(board: &'a serde_json::Value, name: &str) -> &'a serde_json::Value {
    board["modes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["mode"] == name)
        .unwrap()
}

fn group(mode: &serde_json::Value, blocker: &str) -> u64 {
    mode["board"]["groups"]
        .as_array()
        .unwrap()
        .iter()
        .find(|g| g["blocker"] == blocker)
        .map_or(0, |g| g["count"].as_u64().unwrap())
}

#[test]
fn the_board_counts_each_mode_and_keeps_one_snapshot_a_day() {
    let w = World::new("15.75.1", true);
    let day1 = w.machine.with_env("HELPATWORK_NOW", "2026-11-20T12:00:00Z");
    let board = ok(day1.run(&["--json", "fleet", "readiness"]));
    assert_eq!(board["offline_days"], 7);
    let attended = mode(&board, "attended");
    assert_eq!(attended["board"]["total"], 4);
    assert_eq!(
        attended["board"]["helpable_now"], 2,
        "and-001 and ios-002: {attended}"
    );
    assert_eq!(
        group(attended, "unsupported"),
        2,
        "iOS 10 and MAM-only (L2)"
    );
    let unsupported = attended["board"]["groups"][0].clone();
    assert_eq!(unsupported["share"], 0.5);
    assert!(unsupported["fix"].as_str().unwrap().contains("L2"));
    let unattended = mode(&board, "unattended");
    assert_eq!(unattended["board"]["helpable_now"], 0);
    assert_eq!(group(unattended, "unsupported"), 3, "iOS never unattended");
    assert_eq!(
        group(unattended, "host_not_distributed"),
        1,
        "U3 on and-001"
    );
    assert_eq!(attended["series"].as_array().unwrap().len(), 1);

    // The devices behind a group.
    let ids = ok(day1.run(&[
        "--json",
        "fleet",
        "devices",
        "unsupported",
        "--mode",
        "unattended",
    ]));
    assert_eq!(ids, serde_json::json!(["ios-002", "ios-003", "ios-004"]));

    // Host distributed the same day: the board changes, the day's snapshot does not.
    ok(day1.run(&[
        "--json",
        "apps",
        "distribute",
        "host",
        "--device",
        "and-001",
    ]));
    let again = ok(day1.run(&["--json", "fleet", "readiness"]));
    let unattended = mode(&again, "unattended");
    let series = unattended["series"].as_array().unwrap();
    assert_eq!(series.len(), 1, "{series:?}");
    assert_eq!(
        series[0]["groups"]["host_not_distributed"], 1,
        "the day's first board"
    );
    assert_eq!(
        group(unattended, "host_not_distributed"),
        1,
        "distributed, not installed yet (S2): still in the group"
    );

    // Ten days later: and-001 has been offline for more than 7 days, not more than 14.
    let day2 = w.machine.with_env("HELPATWORK_NOW", "2026-11-30T12:00:00Z");
    let later = ok(day2.run(&["--json", "fleet", "readiness"]));
    let attended = mode(&later, "attended");
    assert_eq!(attended["board"]["helpable_now"], 0);
    assert_eq!(group(attended, "offline"), 2, "and-001 and ios-002");
    assert_eq!(attended["series"].as_array().unwrap().len(), 2);
    let wider = ok(day2.run(&["--json", "fleet", "readiness", "--offline-days", "14"]));
    assert_eq!(group(mode(&wider, "attended"), "offline"), 0);
}

#[test]
fn the_board_speaks_english_and_portuguese_and_refuses_a_bad_input_with_a_fix() {
    let w = World::new("15.75.1", true);
    let at = w.machine.with_env("HELPATWORK_NOW", "2026-11-20T12:00:00Z");
    let en = at.run(&["fleet", "readiness"]);
    assert_eq!(en.code, 0, "{}", en.stderr);
    assert!(en.stdout.contains("Attended: 2 of 4"), "{}", en.stdout);
    assert!(
        en.stdout.contains("Unsupported platform or OS"),
        "{}",
        en.stdout
    );
    let pt = at.run(&["--lang", "pt-BR", "fleet", "readiness"]);
    assert_eq!(pt.code, 0, "{}", pt.stderr);
    assert!(pt.stdout.contains("Assistido: 2 de 4"), "{}", pt.stdout);
    assert!(
        pt.stdout.contains("Plataforma ou sistema sem suporte"),
        "{}",
        pt.stdout
    );

    let bad = at.run(&["--json", "fleet", "readiness", "--offline-days", "0"]);
    assert_eq!(bad.code, 2, "{}{}", bad.stdout, bad.stderr);
    assert!(bad.stdout.contains("1 to 365") || bad.stderr.contains("1 to 365"));
    let unknown = at.run(&["fleet", "devices", "nope"]);
    assert_eq!(unknown.code, 2);
    assert!(unknown.stderr.contains("view_only"), "{}", unknown.stderr);
}

#[test]
fn a_groups_fix_runs_exactly_its_dry_run_and_a_fix_no_connector_does_exports_csv() {
    let w = World::new("15.75.1", true);
    let at = w.machine.with_env("HELPATWORK_NOW", "2026-11-20T12:00:00Z");
    let fix = [
        "fleet",
        "fix",
        "host_not_distributed",
        "--mode",
        "unattended",
    ];
    let dry = ok(at.run(&[&["--json"][..], &fix, &["--dry-run"]].concat()));
    assert_eq!(dry["licences_needed"], 1, "{dry}");
    assert_eq!(dry["licences_free"], 10);
    assert_eq!(dry["refused"], serde_json::Value::Null);
    assert_eq!(dry["devices"][0]["device_id"], "and-001");
    assert_eq!(dry["devices"][0]["action"]["kind"], "distribute");
    assert_eq!(dry["devices"][0]["action"]["app"], "host");
    let status = ok(at.run(&["--json", "admin", "status"]));
    assert!(
        !status.to_string().contains("\"and-001\""),
        "the dry run changed nothing"
    );

    let run = ok(at.run(&[&["--json"][..], &fix].concat()));
    assert_eq!(run["plan"], dry, "the run carried out the dry run's plan");
    let planned: Vec<_> = dry["devices"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| (p["device_id"].clone(), p["action"].clone()))
        .collect();
    let done: Vec<_> = run["outcomes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| (o["device_id"].clone(), o["action"].clone()))
        .collect();
    assert_eq!(done, planned);
    assert!(
        run["outcomes"]
            .as_array()
            .unwrap()
            .iter()
            .all(|o| o["ok"] == true),
        "{run}"
    );
    let audit = at.run(&["--json", "audit", "list", "--limit", "50"]).stdout;
    assert!(
        audit.contains("fleet.fix") && audit.contains("apps.distribute"),
        "{audit}"
    );
    let after = ok(at.run(&[
        "--json",
        "fleet",
        "fix",
        "host_not_distributed",
        "--mode",
        "unattended",
        "--dry-run",
    ]));
    assert_eq!(
        after["licences_needed"], 0,
        "and-001 holds its licence: {after}"
    );
    assert!(after["devices"][0]["skipped"]
        .as_str()
        .unwrap()
        .contains("checks in"));

    // No connector fixes an unsupported device: said, refused (exit 3), the devices as CSV.
    let manual = ok(at.run(&["--json", "fleet", "fix", "unsupported", "--dry-run"]));
    assert!(
        manual["refused"].as_str().unwrap().contains("CSV"),
        "{manual}"
    );
    let refused = at.run(&["--json", "fleet", "fix", "unsupported"]);
    assert_eq!(refused.code, 3, "{}{}", refused.stdout, refused.stderr);
    let csv = at.run(&["fleet", "fix", "unsupported", "--csv"]);
    assert_eq!(csv.code, 0, "{}", csv.stderr);
    let mut lines = csv.stdout.lines();
    assert_eq!(
        lines.next(),
        Some("device_id,name,user_email,platform,os_version,manufacturer,model")
    );
    assert!(
        csv.stdout
            .contains("ios-003,Carla's old iPhone,carla@example.com,ios,10.3.3,Apple,iPhone 5c"),
        "{}",
        csv.stdout
    );
}
