use helpatwork_e2e::{fleet_json, Machine};

#[test]
fn import_then_list_search_and_show() {
    let m = Machine::new();
    let file = m.write("fleet.json", fleet_json());
    let run = m.run(&["--json", "devices", "import", file.to_str().unwrap()]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let report = run.json();
    assert_eq!(report["devices"], 4);
    assert_eq!(report["inserted"], 4);

    let list = m.run(&["--json", "devices", "list"]).json();
    assert_eq!(list["total"], 4);
    assert_eq!(list["items"][0]["id"], "and-001", "ordered by name");

    let found = m
        .run(&["--json", "devices", "list", "--search", "BRUNO@example"])
        .json();
    assert_eq!(found["items"].as_array().unwrap().len(), 1);
    assert_eq!(found["items"][0]["id"], "ios-002");

    let ios = m
        .run(&[
            "--json",
            "devices",
            "list",
            "--platform",
            "ios",
            "--limit",
            "2",
        ])
        .json();
    assert_eq!(ios["total"], 3);
    assert_eq!(ios["items"].as_array().unwrap().len(), 2);

    let unsupported = m
        .run(&["--json", "devices", "list", "--readiness", "unsupported"])
        .json();
    assert_eq!(unsupported["total"], 2, "iOS 10 and MAM-only (L2)");

    let show = m.run(&["--json", "devices", "show", "ios-002"]).json();
    assert_eq!(show["remote_action"]["kind"], "remote_view");
    assert_eq!(show["apps"][0]["app"], "quicksupport");
    assert_eq!(
        show["eligibility"][1]["status"], "unsupported",
        "unattended is Android only (S2)"
    );

    let text = m.run(&["devices", "show", "and-001"]);
    assert!(
        text.stdout.contains("Start TeamViewer remote control"),
        "{}",
        text.stdout
    );
    let pt = m.run(&["--lang", "pt-BR", "devices", "show", "ios-002"]);
    assert!(pt.stdout.contains("Exibição remota"), "{}", pt.stdout);
}

#[test]
fn l2_unsupported_devices_show_the_disabled_action_with_reason() {
    let m = Machine::new();
    let file = m.write("fleet.json", fleet_json());
    assert_eq!(
        m.run(&["devices", "import", file.to_str().unwrap()]).code,
        0
    );
    let old = m.run(&["--json", "devices", "show", "ios-003"]).json();
    assert_eq!(old["remote_action"]["enabled"], false);
    assert!(old["remote_action"]["disabled_reason"]
        .as_str()
        .unwrap()
        .contains("11.0"));
    let mam = m.run(&["--json", "devices", "show", "ios-004"]).json();
    assert!(mam["remote_action"]["disabled_reason"]
        .as_str()
        .unwrap()
        .contains("MAM"));
}

#[test]
fn reimport_is_idempotent() {
    let m = Machine::new();
    let file = m.write("fleet.json", fleet_json());
    assert_eq!(
        m.run(&["devices", "import", file.to_str().unwrap()]).code,
        0
    );
    let again = m
        .run(&["--json", "devices", "import", file.to_str().unwrap()])
        .json();
    assert_eq!(
        (
            again["inserted"].as_u64(),
            again["updated"].as_u64(),
            again["unchanged"].as_u64()
        ),
        (Some(0), Some(0), Some(4))
    );
    assert_eq!(m.run(&["--json", "devices", "list"]).json()["total"], 4);
}

#[test]
fn partly_invalid_file_changes_nothing_and_lists_every_bad_row() {
    let m = Machine::new();
    let file = m.write("fleet.json", fleet_json());
    assert_eq!(
        m.run(&["devices", "import", file.to_str().unwrap()]).code,
        0
    );

    let mut fleet: serde_json::Value = serde_json::from_str(&fleet_json()).unwrap();
    fleet["devices"][0]["name"] = "Renamed".into();
    fleet["devices"][1]["platform"] = "symbian".into();
    fleet["devices"][3]["apps"] = serde_json::json!([{"app":"quicksupport","version":"x.y","managed":true,"allowlisted":true}]);
    let bad = m.write("bad.json", serde_json::to_string_pretty(&fleet).unwrap());
    let run = m.run(&["--json", "devices", "import", bad.to_str().unwrap()]);
    assert_eq!(run.code, 2, "invalid input");
    let err = run.json();
    assert_eq!(err["error"]["code"], "invalid_input");
    let rows = err["error"]["details"]["errors"].as_array().unwrap();
    assert_eq!(rows.len(), 2);
    assert_eq!(rows[0]["index"], 1);
    assert_eq!(rows[0]["field"], "platform");
    assert!(rows[0]["line"].as_u64().unwrap() > 1);
    assert_eq!(rows[1]["index"], 3);
    assert_eq!(rows[1]["field"], "apps[0].version");

    let show = m.run(&["--json", "devices", "show", "and-001"]).json();
    assert_eq!(
        show["name"], "Ana's Galaxy",
        "the valid row was not imported either"
    );

    let text = m.run(&["devices", "import", bad.to_str().unwrap()]);
    assert!(text.stderr.contains("device #1"), "{}", text.stderr);
}

#[test]
fn csv_import_with_the_same_fields() {
    let m = Machine::new();
    let csv = "id,name,user_name,user_email,platform,os_version,manufacturer,model,kiosk,mam_only,online,last_checkin,host_activated,quicksupport_version,host_version\n\
        kio-1,Kiosk 1,Front Desk,desk@example.com,android,13,Zebra,TC58,true,false,true,2026-11-20T10:00:00Z,true,15.60.1,15.58.3\n";
    let file = m.write("fleet.csv", csv);
    let run = m.run(&["--json", "devices", "import", file.to_str().unwrap()]);
    assert_eq!(run.code, 0, "{}", run.stdout);
    assert_eq!(run.json()["format"], "csv");
    let show = m.run(&["--json", "devices", "show", "kio-1"]).json();
    assert_eq!(show["kiosk"], true);
    assert_eq!(show["apps"].as_array().unwrap().len(), 2);
}

#[test]
fn malformed_file_and_missing_file_are_clear_errors() {
    let m = Machine::new();
    let junk = m.write("junk.json", "{\"devices\": [ {\"id\": ");
    let run = m.run(&["--json", "devices", "import", junk.to_str().unwrap()]);
    assert_eq!(run.code, 2);
    assert!(run.json()["error"]["fix"].as_str().is_some());
    let missing = m.run(&["--json", "devices", "import", "/nonexistent/fleet.json"]);
    assert_eq!(missing.code, 6);
    let binary = m.write("bin.csv", [0xffu8, 0xfe, 0x00, 0x01]);
    assert_eq!(
        m.run(&["devices", "import", binary.to_str().unwrap()]).code,
        2
    );
}

#[test]
fn unknown_device_is_not_found() {
    let m = Machine::new();
    let run = m.run(&["--json", "devices", "show", "nope"]);
    assert_eq!(run.code, 6);
    assert_eq!(run.json()["error"]["code"], "not_found");
}

#[test]
fn usage_errors_exit_2() {
    let m = Machine::new();
    assert_eq!(m.run(&["devices", "list", "--platform", "symbian"]).code, 2);
    assert_eq!(m.run(&["devices", "list", "--limit", "0"]).code, 2);
    assert_eq!(m.run(&["--lang", "de", "doctor"]).code, 2);
}

#[test]
fn doctor_reports_the_environment() {
    let m = Machine::new();
    let run = m.run(&["--json", "doctor"]);
    assert_eq!(run.code, 0, "{}", run.stdout);
    let report = run.json();
    assert_eq!(report["ok"], true);
    let rules: Vec<_> = report["checks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["rule"].as_str().unwrap().to_string())
        .collect();
    assert!(
        rules.contains(&"store".to_string()) && rules.contains(&"data_dir".to_string()),
        "{rules:?}"
    );
}

#[test]
fn demo_fleet_is_seeded_apart_from_real_data() {
    let m = Machine::new();
    let demo = m
        .run(&["--json", "--demo", "devices", "list", "--limit", "1"])
        .json();
    assert_eq!(demo["total"], 320);
    let real = m.run(&["--json", "devices", "list"]).json();
    assert_eq!(real["total"], 0);
}
