//! The admin's side, end to end: L1, A1–A5, U3, U4.

use helpatwork_e2e::{World, SCRIPT_TOKEN};

fn actions(w: &World) -> Vec<String> {
    w.machine
        .run(&["--json", "audit", "list", "--limit", "500"])
        .json()
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["action"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn a2_activate_prints_the_eula_and_changes_nothing_until_agreed() {
    let w = World::new_tenant("15.75.1");
    assert_eq!(
        w.machine.run(&["admin", "tier", "--set", "platinum"]).code,
        0
    );
    let before = w.machine.run(&["--json", "session", "start", "and-001"]);
    assert_eq!(before.code, 3, "A1: not activated blocks");
    assert!(before.stdout.contains("\"A1\""), "{}", before.stdout);

    let shown = w.machine.run(&["admin", "activate", "--mode", "attended"]);
    assert_eq!(shown.code, 0);
    assert!(
        shown.stdout.contains("End User License Agreement")
            && shown.stdout.contains("https://www.teamviewer.com/en/eula/"),
        "{}",
        shown.stdout
    );
    assert!(shown.stderr.contains("--accept-eula"));
    let status = w.machine.run(&["--json", "admin", "status"]).json();
    assert_eq!(
        status["activations"][0]["active"], false,
        "printing the EULA changes nothing"
    );

    let agreed = w.machine.run(&[
        "--json",
        "admin",
        "activate",
        "--mode",
        "attended",
        "--accept-eula",
    ]);
    assert_eq!(agreed.code, 0, "{}", agreed.stdout);
    let a = &agreed.json()["activations"][0];
    assert_eq!(a["active"], true);
    assert_eq!(a["account_name"], "Demo Supporter");
    assert_eq!(a["agreed_by"], "agent.test");
    assert_eq!(a["eula_version"].as_str().unwrap().len(), 16);
    assert_eq!(
        w.machine.run(&["session", "start", "and-001"]).code,
        0,
        "a session is possible now"
    );
    assert!(actions(&w).contains(&"admin.activate".to_string()));
}

#[test]
fn l1_below_platinum_locks_help_at_work_everywhere() {
    let w = World::new("15.75.1", true);
    assert_eq!(w.machine.run(&["admin", "tier", "--set", "gold"]).code, 0);
    let show = w
        .machine
        .run(&["--json", "devices", "show", "and-001"])
        .json();
    assert_eq!(show["remote_action"]["enabled"], false);
    assert!(show["remote_action"]["disabled_reason"]
        .as_str()
        .unwrap()
        .contains("Platinum"));
    let run = w.machine.run(&["--json", "session", "start", "and-001"]);
    assert_eq!(run.code, 3);
    assert!(run.stdout.contains("\"L1\""));
    assert!(w.machine.run(&["--json", "admin", "status"]).json()["locked"] == true);
}

#[test]
fn a3_remove_activation_closes_open_sessions_and_blocks_new_ones_a4_reactivates() {
    let w = World::new("15.75.1", true);
    let s = w
        .machine
        .run(&["--json", "session", "start", "and-001"])
        .json();
    assert_eq!(
        w.machine.run(&["admin", "remove-activation"]).code,
        2,
        "needs --yes"
    );
    let removed = w
        .machine
        .run(&["--json", "admin", "remove-activation", "--yes"]);
    assert_eq!(removed.code, 0, "{}", removed.stdout);
    let shown = w
        .machine
        .run(&["--json", "session", "show", s["id"].as_str().unwrap()])
        .json();
    assert_eq!(shown["state"], "closed");
    assert!(
        w.sandbox
            .handle
            .sessions()
            .iter()
            .all(|x| format!("{:?}", x.state).contains("Closed")),
        "closed at TeamViewer"
    );
    assert_eq!(
        w.machine.run(&["session", "start", "ios-002"]).code,
        3,
        "no new sessions"
    );
    let dev = w
        .machine
        .run(&["--json", "devices", "show", "and-001"])
        .json();
    assert_eq!(
        dev["remote_action"]["enabled"], false,
        "gone from every device"
    );

    let again = w
        .machine
        .run(&["admin", "activate", "--mode", "attended", "--accept-eula"]);
    assert_eq!(again.code, 0, "{}", again.stderr);
    assert_eq!(w.machine.run(&["session", "start", "ios-002"]).code, 0);
    let acts = actions(&w);
    assert_eq!(
        acts.iter().filter(|a| *a == "admin.activate").count(),
        3,
        "every activation is recorded"
    );
    assert!(acts.contains(&"admin.remove_activation".to_string()));
}

#[test]
fn u3_distribution_beyond_the_licences_is_refused_with_the_numbers() {
    let w = World::new("15.75.1", true);
    assert_eq!(
        w.machine
            .run(&["admin", "licences", "--unattended", "0"])
            .code,
        0
    );
    let run = w.machine.run(&[
        "--json",
        "apps",
        "distribute",
        "host",
        "--device",
        "and-001",
    ]);
    assert_eq!(run.code, 7, "{}", run.stdout);
    let err = run.json();
    assert_eq!(err["error"]["details"]["purchased"], 0);
    assert_eq!(err["error"]["details"]["needed"], 1);
    assert_eq!(
        w.machine.run(&["--json", "admin", "status"]).json()["unattended_licences"]["consumed"],
        0,
        "nothing changed"
    );

    assert_eq!(
        w.machine
            .run(&["admin", "licences", "--unattended", "1"])
            .code,
        0
    );
    assert_eq!(
        w.machine
            .run(&["apps", "distribute", "host", "--device", "and-001"])
            .code,
        0
    );
    assert_eq!(
        w.machine.run(&["--json", "admin", "status"]).json()["unattended_licences"]["consumed"],
        1
    );
    let audit = w.machine.run(&["--json", "audit", "list"]).json();
    let event = audit
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["action"] == "apps.distribute")
        .unwrap()
        .clone();
    assert_eq!(
        (
            event["detail"]["before"].as_u64(),
            event["detail"]["after"].as_u64()
        ),
        (Some(0), Some(1)),
        "before and after"
    );
    assert_eq!(event["actor"], "agent.test");
    assert_eq!(
        w.machine
            .run(&["apps", "distribute", "host", "--device", "ios-002"])
            .code,
        2,
        "Host is Android only"
    );
}

#[test]
fn u2_u3_unattended_session_needs_host_distributed_and_activated() {
    let w = World::new("15.75.1", true);
    let run = w
        .machine
        .run(&[
            "--json",
            "session",
            "preflight",
            "and-001",
            "--mode",
            "unattended",
        ])
        .json();
    let blocked: Vec<_> = run["checks"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["status"] == "block")
        .map(|c| c["rule"].as_str().unwrap().to_string())
        .collect();
    assert!(
        blocked.contains(&"U3".to_string()) && blocked.contains(&"S2".to_string()),
        "{blocked:?}"
    );
    assert_eq!(
        w.machine
            .run(&["apps", "distribute", "host", "--device", "and-001"])
            .code,
        0
    );
    assert_eq!(
        w.machine
            .run(&[
                "devices",
                "report",
                "and-001",
                "app-installed",
                "host",
                "15.58.3"
            ])
            .code,
        0
    );
    let start = || {
        w.machine.run(&[
            "--json",
            "session",
            "start",
            "and-001",
            "--mode",
            "unattended",
        ])
    };
    // Host is there, but TeamViewer has no Host assigned to the account carrying its alias.
    let unassigned = start();
    assert_eq!(unassigned.code, 3, "{}", unassigned.stdout);
    let checks = unassigned.json()["error"]["details"]["checks"].clone();
    assert!(
        checks
            .as_array()
            .unwrap()
            .iter()
            .any(|c| c["rule"] == "host_assigned" && c["status"] == "block"),
        "{checks}"
    );
    // The one-time activation assigns it under the alias Help@Work wrote into its configuration.
    let shown = w
        .machine
        .run(&["--json", "devices", "show", "and-001"])
        .json();
    let alias = shown["host"]["expected_alias"].as_str().unwrap().to_owned();
    w.sandbox
        .handle
        .add_device(helpatwork_teamviewer_sandbox::SandboxDevice::assigned_host(
            &alias, true,
        ));
    let s = start();
    assert_eq!(s.code, 0, "{}", s.stdout);
    assert_eq!(s.json()["mode"], "unattended");
    assert!(w
        .opened()
        .iter()
        .any(|l| l.starts_with("https://start.teamviewer.com/device/r")));
}

#[test]
fn a5_delete_account_is_refused_until_every_device_lost_host() {
    let w = World::new("15.75.1", true);
    assert_eq!(
        w.machine
            .run(&["apps", "distribute", "host", "--device", "and-001"])
            .code,
        0
    );
    assert_eq!(
        w.machine
            .run(&[
                "devices",
                "report",
                "and-001",
                "app-installed",
                "host",
                "15.58.3"
            ])
            .code,
        0
    );
    assert_eq!(
        w.machine.run(&["admin", "delete-account"]).code,
        2,
        "needs --yes"
    );
    let refused = w
        .machine
        .run(&["--json", "admin", "delete-account", "--yes"]);
    assert_eq!(refused.code, 7);
    assert_eq!(refused.json()["error"]["details"]["devices"][0], "and-001");

    assert_eq!(w.machine.run(&["admin", "deprovision"]).code, 0);
    assert_eq!(
        w.machine
            .run(&["--json", "admin", "delete-account", "--yes"])
            .code,
        7,
        "Host still reported on the device"
    );
    assert_eq!(
        w.machine
            .run(&["devices", "report", "and-001", "app-removed", "host"])
            .code,
        0
    );
    let deleted = w
        .machine
        .run(&["--json", "admin", "delete-account", "--yes"]);
    assert_eq!(deleted.code, 0, "{}", deleted.stdout);
    assert!(deleted.json()["activations"]
        .as_array()
        .unwrap()
        .iter()
        .all(|a| a["active"] == false && a["account_id"].is_null()));
    let acts = actions(&w);
    for a in [
        "apps.distribute",
        "apps.undistribute",
        "device.force_checkin",
        "admin.delete_account",
    ] {
        assert!(acts.contains(&a.to_string()), "{a} in {acts:?}");
    }
}

#[test]
fn u4_kiosk_devices_missing_the_allowlist_are_listed() {
    let w = World::new("15.75.1", true);
    let csv = "id,name,user_name,user_email,platform,os_version,manufacturer,model,kiosk,mam_only,online,last_checkin,host_activated,host_version,host_allowlisted\n\
        kio-1,Kiosk 1,Front Desk,desk@example.com,android,13,Zebra,TC58,true,false,true,2026-11-20T10:00:00Z,true,15.58.3,false\n";
    let file = w.machine.write("kiosk.csv", csv);
    assert_eq!(
        w.machine
            .run(&["devices", "import", file.to_str().unwrap()])
            .code,
        0
    );
    let status = w.machine.run(&["--json", "admin", "status"]).json();
    assert_eq!(
        status["kiosk_devices_missing_allowlist"],
        serde_json::json!(["kio-1"])
    );
    let _ = SCRIPT_TOKEN;
}

#[test]
fn a6_distribute_to_all_eligible_devices_skips_unsupported_ones() {
    let w = World::new("15.75.1", true);
    let run = w
        .machine
        .run(&["--json", "apps", "distribute", "quicksupport", "--all"]);
    assert_eq!(run.code, 0, "{}", run.stdout);
    assert_eq!(
        run.json()["distributed_to"],
        2,
        "and-001 and ios-002; not iOS 10 nor MAM-only (L2)"
    );
    let addon = w
        .machine
        .run(&["--json", "apps", "distribute", "addon-universal", "--all"])
        .json();
    assert_eq!(addon["distributed_to"], 1, "add-ons are Android only");
    let undo = w
        .machine
        .run(&[
            "--json",
            "apps",
            "undistribute",
            "quicksupport",
            "--device",
            "ios-002",
        ])
        .json();
    assert_eq!(undo["distributed_to"], 1);
}
