//! Hardening, round two (security and data safety): the export's target, the link allowlist,
//! terminal escapes, file modes, the audit actor, spoofed ids, configured hosts. Each test names
//! its finding.

#[cfg(unix)]
use helpatwork_e2e::fleet_json;
use helpatwork_e2e::{Machine, World};

/// No byte of `text` can drive a terminal or hide text: no control character but the line
/// break, no bidi control, no zero-width or other invisible character.
pub fn assert_inert(label: &str, text: &str) {
    if let Some(c) = text
        .chars()
        .find(|c| *c != '\n' && helpatwork_domain::ident::is_invisible(*c))
    {
        panic!(
            "{label}: U+{:04X} reached the terminal:\n{text}",
            u32::from(c)
        );
    }
}

fn device(id: &str, name: &str) -> serde_json::Value {
    serde_json::json!({"id": id, "name": name, "user": {"name": "Ana Souza", "email": "ana@example.com"},
        "platform": "android", "os_version": "14", "manufacturer": "Samsung", "model": "Galaxy S23",
        "kiosk": false, "mam_only": false, "online": true, "last_checkin": "2026-11-20T10:00:00Z",
        "host_activated": false, "apps": [{"app": "quicksupport", "version": "15.60.1", "managed": true, "allowlisted": true}]})
}

#[cfg(unix)]
#[test]
fn f1_an_export_never_replaces_the_products_files_a_fifo_or_a_link() {
    let w = World::new("15.75.1", true);
    let m = &w.machine;
    let data = m.path("data");
    let export = |out: &str| m.run(&["--json", "audit", "export", "--out", out]);
    for own in [
        "helpatwork.db",
        "helpatwork.db-wal",
        "settings.json",
        "newfile.csv",
    ] {
        let target = data.join(own);
        let run = export(target.to_str().unwrap());
        assert_eq!(run.code, 2, "{own}: {}{}", run.stdout, run.stderr);
        assert!(run.json()["error"]["fix"].is_string());
    }
    // The store is still a database, and the commands still start.
    let list = m.run(&["--json", "devices", "list"]);
    assert_eq!(list.code, 0, "{}", list.stderr);
    assert_eq!(list.json()["total"], 4);

    // A FIFO, a directory and a link are refused and left as they were.
    let fifo = m.path("fifo.csv");
    assert!(std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap()
        .success());
    let victim = m.write("victim.txt", "precious");
    let link = m.path("link.csv");
    std::os::unix::fs::symlink(&victim, &link).unwrap();
    for (path, kind) in [
        (&fifo, "FIFO"),
        (&link, "link"),
        (&m.path("data"), "directory"),
    ] {
        let run = export(path.to_str().unwrap());
        assert_eq!(run.code, 2, "{}", run.stdout);
        let message = run.json()["error"]["message"].as_str().unwrap().to_string();
        assert!(message.contains(kind), "{message}");
    }
    use std::os::unix::fs::FileTypeExt;
    assert!(std::fs::symlink_metadata(&fifo)
        .unwrap()
        .file_type()
        .is_fifo());
    assert!(std::fs::symlink_metadata(&link)
        .unwrap()
        .file_type()
        .is_symlink());
    assert_eq!(std::fs::read_to_string(&victim).unwrap(), "precious");

    // A link planted at the old temp name is neither followed nor touched.
    let planted = m.path(".audit.csv.partial");
    std::os::unix::fs::symlink(&victim, &planted).unwrap();
    let out = m.path("audit.csv");
    let run = export(out.to_str().unwrap());
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    assert_eq!(std::fs::read_to_string(&victim).unwrap(), "precious");
    assert!(std::fs::read_to_string(&out)
        .unwrap()
        .starts_with("id,at,actor"));
    // A regular file of the agent's is replaced once complete; standard output still works.
    let again = export(out.to_str().unwrap());
    assert_eq!(again.code, 0, "{}", again.stderr);
    let stdout = m.run(&["audit", "export", "--out", "-"]);
    assert!(stdout.stdout.starts_with("id,at,actor,action"));
    // Nothing was left beside the export.
    let debris: Vec<_> = std::fs::read_dir(m.data.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".partial") && n != ".audit.csv.partial")
        .collect();
    assert!(debris.is_empty(), "{debris:?}");
}

#[test]
fn f2_a_link_outside_the_allowlist_fails_the_start_and_is_never_shown() {
    let w = World::new("15.75.1", true);
    w.sandbox.handle.set_link_host(Some("evil.example"));
    for args in [
        &["--json", "session", "start", "and-001"][..],
        &["session", "start", "and-001", "--no-launch"],
    ] {
        let run = w.machine.run(args);
        assert_eq!(run.code, 5, "{args:?}: {}{}", run.stdout, run.stderr);
        let all = format!("{}{}", run.stdout, run.stderr);
        assert!(!all.contains("https://evil.example"), "{all}");
        assert!(!all.contains("Supporter link:"), "{all}");
        assert!(all.contains("supporter link"), "{all}");
    }
    assert!(w.opened().is_empty(), "nothing reached the opener");
    let sessions = w.machine.run(&["--json", "session", "list"]).json();
    for s in sessions.as_array().unwrap() {
        assert_eq!(s["state"], "failed", "{s}");
        assert!(s["supporter_link"].is_null() && s["end_customer_link"].is_null());
    }
    assert!(
        w.sandbox
            .handle
            .sessions()
            .iter()
            .all(|s| s.state != "Open"),
        "the TeamViewer sessions were closed"
    );
    // The device is free: with TeamViewer's own links the next start goes through.
    w.sandbox.handle.set_link_host(None);
    let ok = w.machine.run(&["--json", "session", "start", "and-001"]);
    assert_eq!(ok.code, 0, "{}", ok.stdout);
}

#[test]
fn f3_text_output_escapes_terminal_sequences_from_every_source() {
    let w = World::new("15.75.1", true);
    let m = &w.machine;
    const OSC: &str = "\u{1b}]0;pwned\u{7}";
    const CSI: &str = "\u{1b}[2J\u{1b}[31m";
    let mut runs = Vec::new();

    // Fleet files: a CSV header name, an unknown JSON key, an enum value, a boolean, an e-mail,
    // a version, the id in "First:".
    let csv = format!(
        "id,name{OSC},user_name,user_email,platform,os_version,manufacturer,model,kiosk,mam_only,online,last_checkin,host_activated\n"
    );
    let bad_csv = m.write("hostile.csv", csv);
    runs.push(m.run(&["devices", "import", bad_csv.to_str().unwrap()]));
    let values = "id,name,user_name,user_email,platform,os_version,manufacturer,model,kiosk,mam_only,online,last_checkin,host_activated,quicksupport_version\n";
    let row = format!(
        "and-9{CSI},A,Ana,x{OSC}y,andr{CSI}oid,14,S,M,tr{OSC}ue,false,true,2026-11-20T10:00:00Z,false,15.{CSI}60\n"
    );
    let values_csv = m.write("values.csv", format!("{values}{row}"));
    runs.push(m.run(&["devices", "import", values_csv.to_str().unwrap()]));
    let mut unknown = device("and-500", "x");
    unknown[format!("colour{CSI}")] = serde_json::json!(1);
    let json = m.write(
        "unknown.json",
        serde_json::json!({ "devices": [unknown] }).to_string(),
    );
    runs.push(m.run(&["devices", "import", json.to_str().unwrap()]));
    let top = m.write("top.json", format!("{{\"machines{OSC}\": []}}"));
    runs.push(m.run(&["devices", "import", top.to_str().unwrap()]));

    // Settings values and filters.
    runs.push(m.run(&["settings", "set", "language", &format!("en{OSC}")]));
    runs.push(m.run(&["settings", "set", &format!("no{CSI}such"), "1"]));
    runs.push(m.run(&["audit", "list", "--since", &format!("2026{CSI}")]));
    runs.push(m.run(&["devices", "show", &format!("and{OSC}")]));

    // Names with bidi and zero-width characters are accepted (shown escaped).
    let spoof = m.write(
        "spoof.json",
        serde_json::json!({"devices": [device("and-777", "Ana\u{202e}gpj.exe\u{200b}")]})
            .to_string(),
    );
    assert_eq!(
        m.run(&["devices", "import", spoof.to_str().unwrap()]).code,
        0
    );
    runs.push(m.run(&["devices", "list"]));
    runs.push(m.run(&["devices", "show", "and-777"]));
    runs.push(m.run(&["session", "start", "and-777", "--no-launch"]));

    // The audit actor ($USER) and the TeamViewer account name.
    let hostile_user = format!("agent{CSI}\u{202e}");
    runs.push(
        m.with_env("USER", &hostile_user)
            .run(&["admin", "tier", "--set", "platinum"]),
    );
    runs.push(m.run(&["audit", "list"]));
    runs.push(m.run(&["session", "list"]));

    for (i, run) in runs.iter().enumerate() {
        assert_inert(&format!("run {i} stdout"), &run.stdout);
        assert_inert(&format!("run {i} stderr"), &run.stderr);
    }
    // JSON carries the value itself, every invisible character as a JSON escape.
    let json = m.run(&["--json", "devices", "show", "and-777"]);
    assert_inert("json", &json.stdout);
    assert_eq!(json.json()["name"], "Ana\u{202e}gpj.exe\u{200b}");
    // The values are shown, escaped: the agent can see what the file held.
    let shown = m.run(&["devices", "show", "and-777"]);
    assert!(
        shown.stdout.contains("Ana\\u{202e}gpj.exe\\u{200b}"),
        "{}",
        shown.stdout
    );
}

#[test]
fn f3_the_teamviewer_account_name_is_shown_escaped() {
    // The sandbox answers from the runtime's worker while the test waits on the command.
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .unwrap();
    let sandbox = runtime
        .block_on(helpatwork_teamviewer_sandbox::spawn(
            helpatwork_teamviewer_sandbox::SandboxOptions {
                script_tokens: vec!["tok-0123456789".into()],
                account: helpatwork_teamviewer_sandbox::SandboxAccount {
                    name: "Mallory\u{1b}]0;owned\u{7}\u{202e}".into(),
                    email: "m\u{1b}[2J@example.com".into(),
                    ..Default::default()
                },
                ..Default::default()
            },
        ))
        .unwrap();
    let m = Machine::new()
        .env("HELPATWORK_TEAMVIEWER_API_URL", &sandbox.base_url)
        .env("HELPATWORK_TEAMVIEWER_TOKEN", "tok-0123456789");
    let run = m.run(&["auth", "status"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.contains("Mallory"), "{}", run.stdout);
    assert_inert("auth status", &run.stdout);
    assert_inert("auth status", &run.stderr);
}

#[cfg(unix)]
#[test]
fn f4_the_data_directory_database_settings_and_exports_are_owner_only() {
    use std::os::unix::fs::PermissionsExt;
    let m = Machine::new();
    let fleet = m.write("fleet.json", fleet_json());
    assert_eq!(
        m.run(&["devices", "import", fleet.to_str().unwrap()]).code,
        0
    );
    assert_eq!(m.run(&["settings", "set", "language", "en"]).code, 0);
    let export = m.path("audit.csv");
    assert_eq!(
        m.run(&["audit", "export", "--out", export.to_str().unwrap()])
            .code,
        0
    );
    let mode = |p: &std::path::Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    let data = m.path("data");
    assert_eq!(mode(&data), 0o700, "the data directory");
    for file in ["helpatwork.db", "settings.json"] {
        assert_eq!(mode(&data.join(file)), 0o600, "{file}");
    }
    assert_eq!(mode(&export), 0o600, "the export");
    // A looser file is a warning with the command that tightens it.
    std::fs::set_permissions(
        data.join("helpatwork.db"),
        std::fs::Permissions::from_mode(0o644),
    )
    .unwrap();
    let doctor = m.run(&["--json", "doctor"]).json();
    let warn = doctor["checks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["rule"] == "permissions" && c["status"] == "warn")
        .unwrap_or_else(|| panic!("{doctor}"));
    assert!(
        warn["fix"].as_str().unwrap().contains("chmod 600"),
        "{warn}"
    );
}

#[test]
fn f5_the_audit_names_the_teamviewer_account_teamviewer_confirmed_and_refusals() {
    let w = World::new("15.75.1", true);
    let m = &w.machine;
    assert_eq!(m.run(&["session", "start", "and-001"]).code, 0);
    // A second start is a conflict (exit 7): audited as refused.
    assert_eq!(m.run(&["session", "start", "and-001"]).code, 7);
    let events = m
        .run(&["--json", "audit", "list", "--device", "and-001"])
        .json();
    let events = events.as_array().unwrap();
    assert!(events.len() >= 5, "{events:?}");
    for e in events {
        assert_eq!(
            e["actor"], "agent.test",
            "the OS account stays the actor: {e}"
        );
        assert_eq!(e["actor_verified"], true, "{e}");
        assert_eq!(e["actor_account_id"], "u11293276");
        assert_eq!(e["actor_account_name"], "Demo Supporter");
    }
    let refused = events
        .iter()
        .find(|e| e["action"] == "session.start.refused")
        .expect("the refused start is audited");
    assert_eq!(refused["detail"]["exit"], 7);
    let text = m.run(&["audit", "list", "--device", "and-001"]);
    assert!(
        text.stdout
            .contains("agent.test (Demo Supporter u11293276)"),
        "{}",
        text.stdout
    );

    // Without a TeamViewer sign-in, the OS account is recorded as unverified; a start that
    // needs the sign-in (exit 4) is audited too.
    let signed_out = World::new("15.75.1", false);
    let run = signed_out.machine.run(&["session", "start", "and-001"]);
    assert_eq!(run.code, 4, "{}", run.stderr);
    let events = signed_out
        .machine
        .run(&["--json", "audit", "list", "--device", "and-001"])
        .json();
    let refused = events
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["action"] == "session.start.refused")
        .unwrap_or_else(|| panic!("{events}"));
    assert_eq!(refused["detail"]["exit"], 4);
    assert_eq!(refused["actor_verified"], false);
    assert!(refused["actor_account_id"].is_null());
    let text = signed_out.machine.run(&["audit", "list"]);
    assert!(
        text.stdout.contains("agent.test (unverified)"),
        "{}",
        text.stdout
    );
}

#[test]
fn f6_ids_that_differ_in_case_width_or_dash_name_one_device() {
    let m = Machine::new();
    let first = m.write(
        "first.json",
        serde_json::json!({"devices": [device("and-001", "Ana")]}).to_string(),
    );
    assert_eq!(
        m.run(&["devices", "import", first.to_str().unwrap()]).code,
        0
    );
    let second = m.write(
        "second.json",
        serde_json::json!({"devices": [device("AND-001", "Ana renamed")]}).to_string(),
    );
    let run = m.run(&["--json", "devices", "import", second.to_str().unwrap()]);
    assert_eq!(run.code, 0, "{}", run.stdout);
    assert_eq!(run.json()["updated"], 1);
    assert_eq!(m.run(&["--json", "devices", "list"]).json()["total"], 1);
    let shown = m.run(&["--json", "devices", "show", "and\u{2010}001"]);
    assert_eq!(shown.code, 0, "{}", shown.stdout);
    assert_eq!(shown.json()["id"], "and-001");
    assert_eq!(shown.json()["name"], "Ana renamed");

    // Twins in one file, and an id with a bidi control: refused, nothing imported.
    let twins = m.write(
        "twins.json",
        serde_json::json!({"devices": [device("and-002", "A"), device("AND\u{2011}002", "B"),
            device("and\u{202e}003", "C")]})
        .to_string(),
    );
    let run = m.run(&["--json", "devices", "import", twins.to_str().unwrap()]);
    assert_eq!(run.code, 2);
    let errors = run.json()["error"]["details"]["errors"].clone();
    assert_eq!(errors.as_array().unwrap().len(), 2, "{errors}");
    assert_eq!(m.run(&["--json", "devices", "list"]).json()["total"], 1);
}

#[test]
fn f8_configured_hosts_refuse_user_info_warn_when_foreign_and_allow_no_links() {
    // User info in the API URL: refused, and the password never echoed.
    let m = Machine::new()
        .env(
            "HELPATWORK_TEAMVIEWER_API_URL",
            "https://agent:s3cr3t-pw@webapi.teamviewer.com/api/v1",
        )
        .env("HELPATWORK_TEAMVIEWER_TOKEN", "tok-0123456789");
    let run = m.run(&["--json", "doctor"]);
    assert!(!run.stdout.contains("s3cr3t-pw") && !run.stderr.contains("s3cr3t-pw"));
    let doctor = run.json();
    let tv = doctor["error"]["details"]["checks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["rule"] == "teamviewer")
        .unwrap_or_else(|| panic!("{doctor}"))
        .clone();
    assert_eq!(tv["status"], "block");
    assert!(
        tv["message"]
            .as_str()
            .unwrap()
            .contains("user name or password"),
        "{tv}"
    );

    // A host outside TeamViewer's domain: a warning in doctor and settings (and the window).
    let w = World::new("15.75.1", true);
    let doctor = w.machine.run(&["--json", "doctor"]);
    let doc = doctor.json();
    let checks = doc["checks"].as_array().cloned().unwrap_or_else(|| {
        doc["error"]["details"]["checks"]
            .as_array()
            .unwrap()
            .clone()
    });
    assert!(
        checks
            .iter()
            .any(|c| c["rule"] == "teamviewer_host" && c["status"] == "warn"),
        "{doc}"
    );
    let settings = w.machine.run(&["settings", "show"]);
    assert!(
        settings.stderr.contains("outside TeamViewer's domain"),
        "{}",
        settings.stderr
    );
    let view = w.machine.run(&["--json", "settings", "show"]).json();
    assert!(!view["warnings"].as_array().unwrap().is_empty(), "{view}");

    // The API host no longer makes links to itself acceptable; an explicit allowance does.
    let api_host = w
        .sandbox
        .base_url
        .trim_start_matches("http://")
        .split('/')
        .next()
        .unwrap()
        .to_string();
    w.sandbox.handle.set_link_host(Some(&api_host));
    let refused = w.machine.run(&["--json", "session", "start", "and-001"]);
    assert_eq!(refused.code, 5, "{}", refused.stdout);
    assert!(w.opened().is_empty());
    let allowed = w
        .machine
        .with_env("HELPATWORK_LINK_HOSTS", &api_host)
        .run(&["--json", "session", "start", "and-001"]);
    assert_eq!(allowed.code, 0, "{}{}", allowed.stdout, allowed.stderr);
    assert_eq!(w.opened().len(), 1);
}
