//! Hostile and oversized input through the CLI: refused with a clear error and nothing changed,
//! or stored and printed as plain data, never executed.

use helpatwork_e2e::{fleet_json, Machine};

fn device_total(m: &Machine) -> u64 {
    m.run(&["--json", "devices", "list", "--limit", "1"]).json()["total"]
        .as_u64()
        .unwrap()
}

#[test]
fn a_fleet_file_over_the_limit_is_refused_unread_and_nothing_changes() {
    let m = Machine::new();
    let small = m.write("fleet.json", fleet_json());
    assert_eq!(
        m.run(&["devices", "import", small.to_str().unwrap()]).code,
        0
    );
    // 257 MiB, sparse: the size is checked before a byte is read.
    let huge = m.path("huge.json");
    std::fs::File::create(&huge)
        .unwrap()
        .set_len(257 * 1024 * 1024)
        .unwrap();
    let run = m.run(&["--json", "devices", "import", huge.to_str().unwrap()]);
    assert_eq!(run.code, 2, "{}{}", run.stdout, run.stderr);
    let err = run.json();
    assert_eq!(err["error"]["code"], "invalid_input");
    assert!(err["error"]["message"]
        .as_str()
        .unwrap()
        .contains("256 MiB"));
    assert!(err["error"]["fix"].as_str().is_some());
    assert_eq!(device_total(&m), 4, "nothing changed");
}

#[test]
fn hostile_device_fields_are_stored_and_printed_as_data_never_run() {
    let m = Machine::new();
    let marker = m.path("executed");
    let name = format!(
        "<img src=x onerror=alert(1)> $(touch {0}) `touch {0}`; rm -rf / ' OR 1=1; --",
        marker.display()
    );
    let fleet = serde_json::json!({"devices": [{
        "id": "and-666", "name": name,
        "user": {"name": "<script>alert('x')</script>", "email": "x@example.com"},
        "platform": "android", "os_version": "14", "manufacturer": "Robert'); DROP TABLE devices;--",
        "model": "|| touch /tmp/never", "kiosk": false, "mam_only": false, "online": true,
        "last_checkin": "2026-11-20T10:00:00Z", "host_activated": false,
        "apps": [{"app": "quicksupport", "version": "15.60.1", "managed": true, "allowlisted": true}]
    }]});
    let file = m.write("hostile.json", fleet.to_string());
    let run = m.run(&["--json", "devices", "import", file.to_str().unwrap()]);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);

    let shown = m.run(&["--json", "devices", "show", "and-666"]).json();
    assert_eq!(shown["name"], name.as_str(), "byte for byte: {shown}");
    assert_eq!(shown["manufacturer"], "Robert'); DROP TABLE devices;--");
    // Search treats the SQL and LIKE characters literally.
    let found = m
        .run(&["--json", "devices", "list", "--search", "' OR 1=1; --"])
        .json();
    assert_eq!(found["total"], 1, "{found}");
    let none = m
        .run(&["--json", "devices", "list", "--search", "%"])
        .json();
    assert_eq!(none["total"], 0, "% is a character, not a wildcard: {none}");
    // The table output prints the text; nothing ran.
    let table = m.run(&["devices", "list"]);
    assert_eq!(table.code, 0);
    assert!(table.stdout.contains("<img src=x"), "{}", table.stdout);
    assert!(!marker.exists(), "no shell ever saw the name");
    assert_eq!(device_total(&m), 1, "the devices table is still there");
}
