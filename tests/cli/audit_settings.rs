//! `audit list` filters and `audit export` CSV; `settings show|set|test` and their precedence
//! under the environment.

use helpatwork_e2e::{Machine, World};
use helpatwork_ivanti_fake::{self as fake, FakeIvantiOptions, FleetSpec};

fn teamviewer_install(m: &Machine, name: &str, version: &str) -> String {
    let home = m.path(name);
    std::fs::create_dir_all(home.join("config")).unwrap();
    std::fs::write(
        home.join("config/global.conf"),
        format!("[strng] Version = \"{version}\"\n"),
    )
    .unwrap();
    home.display().to_string()
}

#[test]
fn audit_list_filters_by_agent_action_and_time_and_pages() {
    let w = World::new("15.75.1", true);
    let m = &w.machine;
    let all = m.run(&["--json", "audit", "list"]).json();
    let all = all.as_array().unwrap();
    assert!(all.len() >= 2, "the admin set-up is audited: {all:?}");

    let activations = m
        .run(&[
            "--json",
            "audit",
            "list",
            "--actor",
            "agent.test",
            "--action",
            "admin.activate",
        ])
        .json();
    let activations = activations.as_array().unwrap();
    assert_eq!(activations.len(), 2, "attended and unattended");
    assert!(activations
        .iter()
        .all(|e| e["action"] == "admin.activate" && e["actor"] == "agent.test"));

    let nobody = m
        .run(&["--json", "audit", "list", "--actor", "someone.else"])
        .json();
    assert_eq!(nobody.as_array().unwrap().len(), 0);
    let before = m
        .run(&["--json", "audit", "list", "--until", "2000-01-01"])
        .json();
    assert_eq!(before.as_array().unwrap().len(), 0);
    let since = m
        .run(&["--json", "audit", "list", "--since", "2000-01-01T00:00:00Z"])
        .json();
    assert_eq!(since.as_array().unwrap().len(), all.len());

    let second = m
        .run(&["--json", "audit", "list", "--limit", "1", "--offset", "1"])
        .json();
    assert_eq!(second.as_array().unwrap()[0]["id"], all[1]["id"], "paged");

    let bad = m.run(&["--json", "audit", "list", "--since", "yesterday"]);
    assert_eq!(bad.code, 2, "{}", bad.stderr);
    let err = bad.json();
    assert_eq!(err["error"]["code"], "invalid_input");
    assert!(err["error"]["fix"].as_str().unwrap().contains("RFC 3339"));
    let empty = m.run(&[
        "audit",
        "list",
        "--since",
        "2026-11-21",
        "--until",
        "2026-11-20",
    ]);
    assert_eq!(empty.code, 2, "an empty range is refused");
}

#[test]
fn audit_export_writes_the_filtered_events_as_csv() {
    let w = World::new("15.75.1", true);
    let m = &w.machine;
    let file = m.path("audit.csv");
    let run = m.run(&[
        "--json",
        "audit",
        "export",
        "--action",
        "admin.activate",
        "--out",
        file.to_str().unwrap(),
    ]);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    let report = run.json();
    assert_eq!(report["rows"], 2);
    assert_eq!(report["path"], file.to_str().unwrap());
    let text = std::fs::read_to_string(&file).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(
        lines[0],
        "id,at,actor,action,device_id,session_id,detail,actor_verified,actor_account_id,actor_account_name,seq,prev_hash,hash"
    );
    assert_eq!(lines.len(), 3, "{text}");
    assert!(lines[1..]
        .iter()
        .all(|l| l.contains(",agent.test,admin.activate,")));
    // The admin was signed in with a script token: TeamViewer confirmed the account.
    assert!(
        lines[1..]
            .iter()
            .all(|l| l.contains(",true,u11293276,Demo Supporter,")),
        "{text}"
    );

    let stdout = m.run(&["audit", "export", "--out", "-"]);
    assert_eq!(stdout.code, 0, "{}", stdout.stderr);
    assert!(stdout.stdout.starts_with("id,at,actor,action"));

    let nowhere = m.run(&["--json", "audit", "export", "--out", "/no/such/dir/a.csv"]);
    assert_eq!(nowhere.code, 2, "{}", nowhere.stdout);
    assert!(nowhere.json()["error"]["fix"].is_string());
}

#[test]
fn settings_are_validated_and_a_bad_value_changes_nothing() {
    let m = Machine::new();
    let shown = m.run(&["--json", "settings", "show"]);
    assert_eq!(shown.code, 0, "{}", shown.stderr);
    let view = shown.json();
    let keys: Vec<&str> = view["entries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["key"].as_str().unwrap())
        .collect();
    for key in [
        "language",
        "teamviewer.sign_in",
        "teamviewer.client_id",
        "mdm.connector",
        "ivanti.url",
        "ivanti.password",
        "store.url",
        "desktop.teamviewer_home",
    ] {
        assert!(keys.contains(&key), "{key} in {keys:?}");
    }

    let ok = m.run(&["--json", "settings", "set", "language", "pt-BR"]);
    assert_eq!(ok.code, 0, "{}", ok.stderr);
    assert_eq!(ok.json()["restart"], false, "the language applies at once");
    let file = m.path("data/settings.json");
    let saved = std::fs::read_to_string(&file).unwrap();

    let refused = m.run(&[
        "--json",
        "settings",
        "set",
        "store.url",
        "postgres://agent:hunter2@db.example/help",
    ]);
    assert_eq!(refused.code, 2);
    let err = refused.json();
    assert!(err["error"]["fix"].as_str().unwrap().contains("PGPASSFILE"));
    assert!(!refused.stdout.contains("hunter2") && !refused.stderr.contains("hunter2"));
    for (key, value) in [
        ("language", "fr"),
        ("mdm.connector", "jamf"),
        ("ivanti.url", "http://mdm.example.com"),
        ("desktop.teamviewer_home", "/no/such/dir"),
        ("no.such.key", "x"),
    ] {
        let run = m.run(&["--json", "settings", "set", key, value]);
        assert_eq!(run.code, 2, "{key}={value}: {}", run.stdout);
        assert!(run.json()["error"]["fix"].is_string(), "{key} has a fix");
    }
    assert_eq!(
        std::fs::read_to_string(&file).unwrap(),
        saved,
        "refused values change nothing"
    );

    // The saved language is the CLI's language from now on.
    let pt = m.run(&["--json", "settings", "test", "mdm"]).json();
    assert!(pt["message"].as_str().unwrap().contains("frota"), "{pt}");

    std::fs::write(&file, "{broken").unwrap();
    let broken = m.run(&["--json", "devices", "list"]);
    assert_eq!(broken.code, 2);
    let fix = broken.json()["error"]["fix"].as_str().unwrap().to_string();
    assert!(fix.contains("settings.json"), "{fix}");
}

#[test]
fn the_environment_wins_over_the_settings_file() {
    let m = Machine::new();
    let saved = teamviewer_install(&m, "tv-saved", "15.70.0");
    let env = teamviewer_install(&m, "tv-env", "15.75.1");
    let run = m.run(&["settings", "set", "desktop.teamviewer_home", &saved]);
    assert_eq!(run.code, 0, "{}", run.stderr);

    let test = m.run(&["--json", "settings", "test", "desktop"]);
    assert_eq!(test.code, 0, "{}", test.stderr);
    assert!(test.json()["message"].as_str().unwrap().contains("15.70.0"));

    let over = m.with_env("HELPATWORK_TEAMVIEWER_HOME", &env);
    let test = over.run(&["--json", "settings", "test", "desktop"]).json();
    assert!(
        test["message"].as_str().unwrap().contains("15.75.1"),
        "{test}"
    );
    let view = over.run(&["--json", "settings", "show"]).json();
    let entry = view["entries"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["key"] == "desktop.teamviewer_home")
        .unwrap()
        .clone();
    assert_eq!(entry["source"], "env");
    assert_eq!(entry["overridden"], true);
    assert_eq!(entry["saved"], saved.as_str());

    // doctor sees the saved directory too.
    let doctor = m.run(&["--json", "doctor"]).json();
    assert!(doctor.to_string().contains("15.70.0"), "{doctor}");

    let missing = m.run(&[
        "--json",
        "settings",
        "set",
        "desktop.teamviewer_home",
        &m.path("empty").display().to_string(),
    ]);
    assert_eq!(missing.code, 2, "no such directory");
}

#[test]
fn a_saved_sqlite_store_is_where_devices_go_and_tests_clean() {
    let m = Machine::new();
    let db = m.path("team/shared.db");
    std::fs::create_dir_all(db.parent().unwrap()).unwrap();
    let run = m.run(&["settings", "set", "store.url", db.to_str().unwrap()]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let test = m.run(&["--json", "settings", "test", "store"]);
    assert_eq!(test.code, 0, "{}", test.stderr);
    assert!(test.json()["message"]
        .as_str()
        .unwrap()
        .contains("shared.db"));
    let fleet = m.write("fleet.json", helpatwork_e2e::fleet_json());
    let import = m.run(&["devices", "import", fleet.to_str().unwrap()]);
    assert_eq!(import.code, 0, "{}", import.stderr);
    assert!(db.exists(), "the saved store was used");
    assert!(
        !m.path("data/helpatwork.db").exists(),
        "not the default store"
    );
}

#[test]
fn the_teamviewer_and_mdm_tests_reach_the_services() {
    let w = World::new("15.75.1", true);
    let tv = w.machine.run(&["--json", "settings", "test", "teamviewer"]);
    assert_eq!(tv.code, 0, "{}{}", tv.stdout, tv.stderr);
    assert!(tv.json()["message"]
        .as_str()
        .unwrap()
        .contains("script token"));
    let wrong = w
        .machine
        .with_env("HELPATWORK_TEAMVIEWER_TOKEN", "not-a-token")
        .run(&["--json", "settings", "test", "teamviewer"]);
    assert_eq!(wrong.code, 4, "{}", wrong.stdout);

    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .unwrap();
    let ivanti = runtime
        .block_on(fake::spawn(FakeIvantiOptions {
            fleet: FleetSpec {
                devices: 7,
                ..Default::default()
            },
            ..Default::default()
        }))
        .unwrap();
    let m = Machine::new().env("HELPATWORK_IVANTI_PASSWORD", &ivanti.password);
    for (key, value) in [
        ("mdm.connector", "ivanti"),
        ("ivanti.url", ivanti.base_url.as_str()),
        ("ivanti.user", ivanti.user.as_str()),
    ] {
        let run = m.run(&["settings", "set", key, value]);
        assert_eq!(run.code, 0, "{key}: {}", run.stderr);
    }
    let test = m.run(&["--json", "settings", "test", "mdm"]);
    assert_eq!(test.code, 0, "{}{}", test.stdout, test.stderr);
    let t = test.json();
    assert!(t["message"].as_str().unwrap().contains('7'), "{t}");
    assert!(!t["notes"].as_array().unwrap().is_empty(), "device spaces");

    // The saved connector is the one `devices sync` uses.
    let sync = m.run(&["--json", "devices", "sync"]);
    assert_eq!(sync.code, 0, "{}{}", sync.stdout, sync.stderr);
    assert_eq!(sync.json()["connector"], "Ivanti Neurons for MDM");

    let wrong = m
        .with_env("HELPATWORK_IVANTI_PASSWORD", "wrong")
        .run(&["--json", "settings", "test", "mdm"]);
    assert_eq!(wrong.code, 5, "{}", wrong.stdout);
    assert!(!wrong.stdout.contains(&ivanti.password));
}

#[test]
fn secrets_set_in_settings_live_in_the_keyring() {
    // Needs a kernel keyring session: `keyctl session -` with HELPATWORK_KEYRING_TESTS=1.
    if std::env::var_os("HELPATWORK_KEYRING_TESTS").is_none() {
        eprintln!("skipped: set HELPATWORK_KEYRING_TESTS=1 and run inside `keyctl session -`");
        return;
    }
    let w = World::new("15.75.1", false);
    let m = &w.machine;
    for (key, value) in [
        ("teamviewer.sign_in", "script_token"),
        ("teamviewer.token", helpatwork_e2e::SCRIPT_TOKEN),
    ] {
        let run = m.run(&["settings", "set", key, value]);
        assert_eq!(run.code, 0, "{key}: {}", run.stderr);
    }
    let file = std::fs::read_to_string(m.path("data/settings.json")).unwrap();
    assert!(!file.contains(helpatwork_e2e::SCRIPT_TOKEN), "{file}");
    let view = m.run(&["--json", "settings", "show"]);
    assert!(!view.stdout.contains(helpatwork_e2e::SCRIPT_TOKEN));
    let token = view.json()["entries"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["key"] == "teamviewer.token")
        .unwrap()
        .clone();
    assert_eq!(token["is_set"], true);
    assert_eq!(token["source"], "keyring");
    let test = m.run(&["--json", "settings", "test", "teamviewer"]);
    assert_eq!(test.code, 0, "{}{}", test.stdout, test.stderr);
    let cleared = m.run(&["settings", "set", "teamviewer.token", ""]);
    assert_eq!(cleared.code, 0);
    let test = m.run(&["--json", "settings", "test", "teamviewer"]);
    assert_ne!(test.code, 0, "no token any more");
}
