//! MDM labels from the command line: a fleet file gives devices their labels (a bad label
//! refuses the file, with its fix in the agent's language, and changes nothing); a support
//! policy on a label group requires a ticket for a labelled device, not for one known to be in
//! no label, and is a warning where the labels are unknown.

use helpatwork_e2e::{fleet_json, Run, World};

#[track_caller]
fn ok(r: Run) -> serde_json::Value {
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    r.json()
}

/// The test fleet with `labels` set per device id (`None`: the field left out, unknown).
fn fleet_with(labels: &[(&str, Option<serde_json::Value>)]) -> String {
    let mut fleet: serde_json::Value = serde_json::from_str(&fleet_json()).unwrap();
    for d in fleet["devices"].as_array_mut().unwrap() {
        let id = d["id"].as_str().unwrap().to_owned();
        if let Some((_, Some(l))) = labels.iter().find(|(i, _)| *i == id) {
            d["labels"] = l.clone();
        }
    }
    fleet.to_string()
}

fn policy_group(checks: &serde_json::Value) -> Vec<String> {
    checks["checks"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["rule"].as_str().unwrap().starts_with("policy."))
        .map(|c| {
            format!(
                "{}={}",
                c["rule"].as_str().unwrap(),
                c["status"].as_str().unwrap()
            )
        })
        .collect()
}

#[test]
fn a_label_policy_requires_a_ticket_for_a_labelled_device_only() {
    let w = World::new("15.75.1", true);
    let m = &w.machine;
    let labelled = fleet_with(&[
        (
            "and-001",
            Some(serde_json::json!(["Warehouse", "Store 12"])),
        ),
        ("ios-002", Some(serde_json::json!([]))),
    ]);
    let file = m.write("labelled.json", &labelled);
    ok(m.run(&["--json", "devices", "import", file.to_str().unwrap()]));
    let shown = ok(m.run(&["--json", "devices", "show", "and-001"]));
    assert_eq!(
        shown["labels"],
        serde_json::json!(["Warehouse", "Store 12"])
    );
    let text = m.run(&["--lang", "pt-BR", "devices", "show", "ios-002"]);
    assert!(text.stdout.contains("Rótulos: (nenhum)"), "{}", text.stdout);

    // A bad label: the whole file is refused with the fix, in pt-BR, and nothing changes.
    let head = "id,name,user_name,user_email,platform,os_version,manufacturer,model,kiosk,mam_only,online,last_checkin,host_activated,labels";
    let bad = m.write(
        "bad.csv",
        format!("{head}\nand-001,Ana's Galaxy,Ana Souza,ana@example.com,android,14,Samsung,Galaxy S23,false,false,true,2026-11-20T10:00:00Z,true,Warehouse||Store 12\n"),
    );
    let refused = m.run(&[
        "--json",
        "--lang",
        "pt-BR",
        "devices",
        "import",
        bad.to_str().unwrap(),
    ]);
    assert_eq!(refused.code, 2, "{}", refused.stdout);
    let error = &refused.json()["error"];
    assert!(
        error["message"]
            .as_str()
            .unwrap()
            .contains("nada foi importado"),
        "{error}"
    );
    assert!(
        error["fix"].as_str().unwrap().contains("Rótulos"),
        "{error}"
    );
    assert_eq!(
        error["details"]["errors"][0]["field"], "labels[1]",
        "{error}"
    );
    let still = ok(m.run(&["--json", "devices", "show", "and-001"]));
    assert_eq!(
        still["labels"],
        serde_json::json!(["Warehouse", "Store 12"])
    );

    let policy = m.write(
        "warehouse.json",
        r#"{"name":"Warehouse tickets","group":{"label":"warehouse"},"ticket_pattern":"INC\\d{7}"}"#,
    );
    ok(m.run(&["--json", "policy", "set", policy.to_str().unwrap()]));

    // The labelled device: no ticket, refused (exit 3) with the fix; nothing created.
    let refused = m.run(&["--json", "session", "start", "and-001", "--no-launch"]);
    assert_eq!(refused.code, 3, "{}{}", refused.stdout, refused.stderr);
    assert!(refused.json()["error"]["fix"]
        .as_str()
        .unwrap()
        .contains(r"INC\d{7}"));
    assert_eq!(w.sandbox.handle.sessions_created(), 0);
    let s = ok(m.run(&[
        "--json",
        "session",
        "start",
        "and-001",
        "--ticket",
        "INC0012345",
        "--no-launch",
    ]));
    assert_eq!(s["ticket"], "INC0012345");
    ok(m.run(&["--json", "session", "close", s["id"].as_str().unwrap()]));

    // A device known to be in no label: the policy does not apply, no ticket needed.
    let pre = ok(m.run(&["--json", "session", "preflight", "ios-002"]));
    assert_eq!(policy_group(&pre), Vec::<String>::new(), "{pre}");
    let s = ok(m.run(&["--json", "session", "start", "ios-002", "--no-launch"]));
    ok(m.run(&["--json", "session", "close", s["id"].as_str().unwrap()]));

    // Labels the file does not state are unknown: the policy warns, it is not applied.
    let unknown = m.write("unknown.json", fleet_with(&[]));
    ok(m.run(&["--json", "devices", "import", unknown.to_str().unwrap()]));
    let shown = ok(m.run(&["--json", "devices", "show", "and-001"]));
    assert_eq!(shown["labels"], serde_json::Value::Null);
    let pre = ok(m.run(&["--json", "session", "preflight", "and-001"]));
    assert_eq!(policy_group(&pre), vec!["policy.group=warn"], "{pre}");
}
