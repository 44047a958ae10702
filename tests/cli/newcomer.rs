//! Hardening, round two (the first hour, as a newcomer finds it): no display, signing in without
//! a browser, usage errors as JSON, a doctor that checks TeamViewer, fixes that name the command,
//! real-world files, bounded lists.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

use helpatwork_e2e::{fleet_json, Machine, World};
use helpatwork_teamviewer_sandbox::{Endpoint, Failure};

fn repo_root() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_path_buf()
}

#[test]
fn f13_without_a_display_the_window_and_run_sh_say_what_to_do() {
    let expected = "no display: set DISPLAY or run under xvfb-run";
    // scripts/run.sh says it before it installs or builds anything.
    let run = Command::new("bash")
        .arg(repo_root().join("scripts/run.sh"))
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("HOME", std::env::temp_dir())
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert_eq!(run.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains(expected), "{stderr}");
    // The window itself, when it is built beside the CLI (scripts/test.sh builds every binary).
    let desk = helpatwork_e2e::helpatwork_bin()
        .with_file_name(format!("helpatwork-desk{}", std::env::consts::EXE_SUFFIX));
    if !desk.exists() {
        eprintln!("the window binary is not built: only scripts/run.sh was checked");
        return;
    }
    let data = tempfile::tempdir().unwrap();
    let run = Command::new(&desk)
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("HOME", data.path())
        .env("HELPATWORK_DATA_DIR", data.path().join("data"))
        .env("LANG", "C")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert_eq!(run.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains(expected), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
}

/// Starts `auth login` with `args` and returns it with what it said up to the sign-in address
/// it printed (the address last). The rest of its standard error is drained meanwhile.
fn login(w: &World, args: &[&str], extra: &[(&str, &str)]) -> (std::process::Child, String) {
    let mut all = vec!["--json", "auth", "login"];
    all.extend_from_slice(args);
    let mut child = w
        .machine
        .command(&all, extra)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let stderr = child.stderr.take().unwrap();
    let (lines, said) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            let _ = lines.send(line);
        }
    });
    let mut text = String::new();
    while let Ok(line) = said.recv_timeout(std::time::Duration::from_secs(20)) {
        if let Some(rest) = line.trim().strip_prefix("http") {
            text.push_str(&format!("http{rest}"));
            return (child, text);
        }
        text.push_str(&line);
        text.push('\n');
    }
    let _ = child.kill();
    let _ = child.wait();
    panic!("no sign-in address was printed:\n{text}");
}

fn finish(child: std::process::Child) -> (i32, serde_json::Value) {
    let out = child.wait_with_output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    (
        out.status.code().unwrap_or(-1),
        serde_json::from_str(&text).unwrap_or_else(|e| panic!("{e}: {text}")),
    )
}

fn follow(url: &str) {
    let ok = Command::new("curl")
        .args(["-sS", "-L", "-o", "/dev/null", url])
        .status()
        .unwrap();
    assert!(ok.success());
}

#[test]
fn f14_sign_in_prints_the_address_without_a_browser_and_says_what_failed() {
    if std::env::var_os("HELPATWORK_KEYRING_TESTS").is_none() {
        eprintln!("skipped: set HELPATWORK_KEYRING_TESTS=1 and run inside `keyctl session -`");
        return;
    }
    let w = World::new("15.75.1", false);
    // --no-browser: the address is printed, the command waits for it.
    let (child, said) = login(&w, &["--no-browser"], &[]);
    assert!(said.contains("Open this address"), "{said}");
    follow(said.lines().last().unwrap());
    let (code, status) = finish(child);
    assert_eq!(code, 0, "{status}");
    assert_eq!(status["signed_in"], true);

    // A failed revoke on sign-out is said, not only audited.
    w.sandbox
        .handle
        .inject(Endpoint::Revoke, Failure::ServerError(503));
    let out = w.machine.run(&["auth", "logout"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(
        out.stderr.contains("did not confirm revoking"),
        "{}",
        out.stderr
    );
    w.sandbox.handle.clear_failures();

    // A browser that cannot be opened: the address is printed all the same.
    let (child, said) = login(&w, &[], &[("HELPATWORK_BROWSER", "/nonexistent/browser")]);
    assert!(said.contains("could not be opened"), "{said}");
    // TeamViewer refuses the code (expired by the time it is exchanged): exit 4, sign in again.
    let callback = Command::new("curl")
        .args(["-sS", "-o", "/dev/null", "-w", "%{redirect_url}"])
        .arg(said.lines().last().unwrap())
        .output()
        .unwrap();
    let callback = String::from_utf8(callback.stdout).unwrap();
    assert!(callback.contains("/callback"), "{callback}");
    w.sandbox.handle.expire_authorization_codes();
    let _ = Command::new("curl")
        .args(["-sS", "-o", "/dev/null", &callback])
        .status();
    let (code, err) = finish(child);
    assert_eq!(code, 4, "{err}");
    assert!(
        err["error"]["fix"]
            .as_str()
            .unwrap()
            .contains("helpatwork auth login"),
        "{err}"
    );
}

#[test]
fn f15_json_usage_errors_are_error_documents() {
    let m = Machine::new();
    for args in [
        &["--json", "devices", "list", "--frobnicate"][..],
        &["--json", "session", "list", "--limit", "0"],
        &["--json", "--lang", "fr", "doctor"],
        &["--json", "devices", "show"],
        &["--json"],
    ] {
        let run = m.run(args);
        assert_eq!(run.code, 2, "{args:?}: {}{}", run.stdout, run.stderr);
        let doc = run.json();
        assert_eq!(doc["error"]["code"], "invalid_input", "{args:?}: {doc}");
        assert!(doc["error"]["message"].as_str().unwrap().len() > 5, "{doc}");
        assert!(
            doc["error"]["fix"].as_str().unwrap().contains("--help"),
            "{doc}"
        );
    }
    // Help is still help.
    let help = m.run(&["--json", "--help"]);
    assert_eq!(help.code, 0);
    assert!(help.stdout.contains("Usage"), "{}", help.stdout);
}

#[test]
fn f18_doctor_checks_teamviewer_and_says_which_part_failed() {
    let tv = |m: &Machine| -> serde_json::Value {
        let doc = m.run(&["--json", "doctor"]).json();
        let checks = doc["checks"]
            .as_array()
            .or_else(|| doc["error"]["details"]["checks"].as_array())
            .unwrap()
            .clone();
        checks
            .into_iter()
            .find(|c| c["rule"] == "teamviewer")
            .unwrap_or_else(|| panic!("{doc}"))
    };
    let w = World::new("15.75.1", true);
    let ok = tv(&w.machine);
    assert_eq!(ok["status"], "pass", "{ok}");
    assert!(
        ok["message"].as_str().unwrap().contains("token is valid"),
        "{ok}"
    );
    w.sandbox
        .handle
        .inject(Endpoint::Ping, Failure::ServerError(503));
    let down = tv(&w.machine);
    assert_eq!(down["status"], "block", "{down}");
    assert!(
        down["message"]
            .as_str()
            .unwrap()
            .contains("does not answer"),
        "{down}"
    );
    w.sandbox.handle.clear_failures();

    let signed_out = World::new("15.75.1", false);
    let not_signed = tv(&signed_out.machine);
    assert_eq!(not_signed["status"], "warn", "{not_signed}");
    assert!(
        not_signed["fix"]
            .as_str()
            .unwrap()
            .contains("helpatwork auth login"),
        "{not_signed}"
    );
    let none = tv(&Machine::new());
    assert_eq!(none["status"], "warn");
    assert!(
        none["message"].as_str().unwrap().contains("not configured"),
        "{none}"
    );

    // A store outside the data directory (team mode): the data directory is made all the same.
    let m = Machine::new();
    let elsewhere = m.path("store");
    std::fs::create_dir_all(&elsewhere).unwrap();
    assert!(!m.path("data").exists());
    let run = m
        .with_env(
            "HELPATWORK_DATABASE_URL",
            &format!("sqlite://{}/team.db?mode=rwc", elsewhere.display()),
        )
        .run(&["--json", "doctor"]);
    let doc = run.json();
    let checks = doc["checks"]
        .as_array()
        .or_else(|| doc["error"]["details"]["checks"].as_array())
        .unwrap()
        .clone();
    let dir = checks.iter().find(|c| c["rule"] == "data_dir").unwrap();
    assert_eq!(dir["status"], "pass", "{doc}");
    assert!(m.path("data").is_dir());
}

#[test]
fn f19_fixes_name_the_command_and_the_permanent_reason_comes_first() {
    // Without a sign-in, the CLI names the command to run.
    let w = World::new("15.75.1", false);
    let pre = w
        .machine
        .run(&["--json", "session", "preflight", "and-001"])
        .json();
    let s3 = pre["checks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["rule"] == "S3")
        .unwrap()
        .clone();
    assert!(
        s3["fix"]
            .as_str()
            .unwrap()
            .contains("helpatwork auth login"),
        "{s3}"
    );
    let start = w.machine.run(&["session", "start", "and-001"]);
    assert_eq!(start.code, 4);
    assert!(
        start.stderr.contains("fix: Run `helpatwork auth login`"),
        "{}",
        start.stderr
    );

    // iOS unattended: the reason no admin can lift is the headline, not "Distribute Host".
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
    let err = run.json()["error"].clone();
    assert!(
        err["message"].as_str().unwrap().contains("Android only"),
        "{err}"
    );
    assert_eq!(err["fix"], "Use attended mode.", "{err}");

    // `admin licences` shows the licences, not the whole status.
    let licences = w.machine.run(&["admin", "licences"]);
    assert_eq!(licences.code, 0);
    assert_eq!(licences.stdout.lines().count(), 1, "{}", licences.stdout);
    assert!(
        licences.stdout.contains("Unattended licences used: 0 / 10"),
        "{}",
        licences.stdout
    );

    // L1 gates the activation: a Gold tenant cannot activate TeamViewer (exit 3, audited).
    let gold = World::new_tenant("15.75.1");
    let admin = gold
        .machine
        .with_env("HELPATWORK_TEAMVIEWER_TOKEN", helpatwork_e2e::SCRIPT_TOKEN);
    assert_eq!(admin.run(&["admin", "tier", "--set", "gold"]).code, 0);
    let run = admin.run(&[
        "--json",
        "admin",
        "activate",
        "--mode",
        "attended",
        "--accept-eula",
    ]);
    assert_eq!(run.code, 3, "{}", run.stdout);
    assert!(run.json()["error"]["message"]
        .as_str()
        .unwrap()
        .contains("Platinum"));
    let status = admin.run(&["--json", "admin", "status"]).json();
    assert!(status["activations"]
        .as_array()
        .unwrap()
        .iter()
        .all(|a| a["active"] == false));
    let refused = admin
        .run(&[
            "--json",
            "audit",
            "list",
            "--action",
            "admin.activate.refused",
        ])
        .json();
    assert_eq!(refused.as_array().unwrap().len(), 1, "{refused}");
}

#[test]
fn f20_a_byte_order_mark_and_a_semicolon_csv_are_read() {
    let m = Machine::new();
    let json = m.write("bom.json", format!("\u{feff}{}", fleet_json()));
    let run = m.run(&["--json", "devices", "import", json.to_str().unwrap()]);
    assert_eq!(run.code, 0, "{}", run.stdout);
    assert_eq!(run.json()["devices"], 4);
    let csv = "\u{feff}id;name;user_name;user_email;platform;os_version;manufacturer;model;kiosk;mam_only;online;last_checkin;host_activated\n\
               and-100;Ana;Ana Souza;ana@example.com;android;14;Samsung;Galaxy;false;false;true;2026-11-20T10:00:00Z;false\n";
    let file = m.write("excel.csv", csv);
    let run = m.run(&["--json", "devices", "import", file.to_str().unwrap()]);
    assert_eq!(run.code, 0, "{}", run.stdout);
    assert_eq!(run.json()["devices"], 1);
    // A settings file saved with a BOM is read.
    std::fs::write(
        m.path("data/settings.json"),
        "\u{feff}{\"version\":1,\"values\":{\"language\":\"pt-BR\"}}",
    )
    .unwrap();
    let shown = m.run(&["--json", "settings", "show"]);
    assert_eq!(shown.code, 0, "{}", shown.stdout);
}

#[test]
fn f21_lists_are_bounded_and_a_key_given_twice_is_an_error() {
    let m = Machine::new();
    for limit in ["0", "1001"] {
        let run = m.run(&["--json", "session", "list", "--limit", limit]);
        assert_eq!(run.code, 2, "{limit}: {}", run.stdout);
    }
    assert_eq!(m.run(&["session", "list", "--limit", "1000"]).code, 0);
    std::fs::create_dir_all(m.path("data")).unwrap();
    std::fs::write(
        m.path("data/settings.json"),
        r#"{"version":1,"values":{"language":"en","language":"pt-BR"}}"#,
    )
    .unwrap();
    let run = m.run(&["--json", "settings", "show"]);
    assert_eq!(run.code, 2, "{}", run.stdout);
    assert!(
        run.json()["error"]["message"]
            .as_str()
            .unwrap()
            .contains("given twice"),
        "{}",
        run.stdout
    );
}
