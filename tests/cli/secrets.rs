//! Tokens never leak: a distinctive TeamViewer token (and the app's client secret, and the OAuth
//! tokens a sign-in gets) appear in no JSON answer of the services the window calls, in no
//! output of a failing command or of a panic, with every log level on, and in no argument of
//! a process the app starts (the opener, the sign-in browser).

use std::io::Read;
use std::process::Stdio;

use helpatwork_e2e::World;
use helpatwork_teamviewer_sandbox::{Endpoint, Failure};

/// A script token no other test uses, so any occurrence is a leak.
const CANARY: &str = "hw-canary-Zq7xK2pL9mVb4Rt8-token";
/// A token TeamViewer does not know (a typo, a revoked token): not echoed either.
const WRONG: &str = "hw-wrong-Jd3sW8qN5yHc1Xf6-token";

/// Every log line, every backtrace.
const LOUD: [(&str, &str); 2] = [("RUST_LOG", "trace"), ("RUST_BACKTRACE", "full")];

/// The text, and for the canaries their distinctive middles too (a token shortened or split
/// when printed).
fn forms(secret: &str) -> Vec<String> {
    let mut out = vec![secret.to_string()];
    if secret == CANARY || secret == WRONG {
        let core = secret.split('-').nth(2).unwrap();
        out.push(core[..8].to_string());
        out.push(core[8..].to_string());
    }
    out
}

fn assert_absent(secrets: &[String], what: &str, text: &str) {
    for secret in secrets {
        for form in forms(secret) {
            assert!(
                !text.contains(&form),
                "{what} holds a secret ({form}):\n{text}"
            );
        }
    }
}

/// A world signed in with the canary script token (given as the environment gives it), whose
/// opener records every argument it gets.
fn canary_world() -> (World, Vec<(String, String)>) {
    let w = World::new("15.75.1", false);
    w.sandbox.handle.add_script_token(CANARY);
    let opener = w.machine.path("argv-opener.sh");
    std::fs::write(
        &opener,
        format!(
            "#!/bin/sh\nfor a in \"$0\" \"$@\"; do printf '%s\\n' \"$a\"; done >> '{}'\n",
            w.machine.path("opener-argv.txt").display()
        ),
    )
    .unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&opener, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
    let mut env: Vec<(String, String)> = LOUD
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    env.push(("HELPATWORK_TEAMVIEWER_TOKEN".into(), CANARY.into()));
    env.push(("HELPATWORK_OPENER".into(), opener.display().to_string()));
    (w, env)
}

struct Out {
    code: i32,
    stdout: String,
    stderr: String,
}

fn run(w: &World, env: &[(String, String)], args: &[&str]) -> Out {
    let env: Vec<(&str, &str)> = env.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let out = w
        .machine
        .command(args, &env)
        .output()
        .expect("run helpatwork");
    Out {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

fn secrets_of(w: &World, extra: &[&str]) -> Vec<String> {
    let mut s = vec![CANARY.to_string(), w.sandbox.client_secret.clone()];
    s.extend(extra.iter().map(|e| e.to_string()));
    s.extend(w.sandbox.handle.issued_tokens());
    s
}

#[test]
fn no_answer_the_window_or_a_script_reads_holds_the_token() {
    let (w, env) = canary_world();
    let secrets = secrets_of(&w, &[]);
    let ok = |args: &[&str]| -> serde_json::Value {
        let out = run(&w, &env, args);
        assert_eq!(out.code, 0, "{args:?}: {}{}", out.stdout, out.stderr);
        assert_absent(&secrets, &format!("{args:?} stdout"), &out.stdout);
        assert_absent(&secrets, &format!("{args:?} stderr"), &out.stderr);
        serde_json::from_str(&out.stdout).unwrap_or(serde_json::Value::Null)
    };

    let status = ok(&["--json", "auth", "status"]);
    assert_eq!(status["signed_in"], true, "{status}");
    ok(&["--json", "doctor"]);
    let settings = ok(&["--json", "settings", "show"]);
    assert!(settings["entries"].is_array(), "{settings}");
    ok(&["--json", "settings", "test", "teamviewer"]);
    ok(&["--json", "devices", "list"]);
    ok(&["--json", "devices", "show", "and-001"]);
    ok(&["--json", "admin", "status"]);
    ok(&["--json", "session", "preflight", "and-001"]);
    let started = ok(&[
        "--json", "session", "start", "and-001", "--reason", "printer",
    ]);
    let id = started["id"].as_str().expect("a session id").to_string();
    ok(&["--json", "session", "show", &id]);
    ok(&["--json", "session", "list"]);
    ok(&["--json", "session", "close", &id]);
    ok(&["--json", "audit", "list"]);
    ok(&["audit", "export", "--out", "-"]);
    // The same answers as text.
    ok(&["auth", "status"]);
    ok(&["doctor"]);
    ok(&["settings", "show"]);

    // The opener got the link, and nothing else of ours.
    let argv = std::fs::read_to_string(w.machine.path("opener-argv.txt")).expect("opened");
    assert!(argv.contains("https://"), "{argv}");
    assert_absent(&secrets, "the opener's arguments", &argv);
}

#[test]
fn failing_commands_print_no_token() {
    let (w, env) = canary_world();
    let secrets = secrets_of(&w, &[WRONG]);
    let failing = |env: &[(String, String)], args: &[&str], code: i32| {
        for json in [true, false] {
            let mut full = if json { vec!["--json"] } else { vec![] };
            full.extend_from_slice(args);
            let out = run(&w, env, &full);
            assert_eq!(out.code, code, "{full:?}: {}{}", out.stdout, out.stderr);
            assert_absent(&secrets, &format!("{full:?} stdout"), &out.stdout);
            assert_absent(&secrets, &format!("{full:?} stderr"), &out.stderr);
        }
    };
    let handle = &w.sandbox.handle;

    // TeamViewer answers 500 to the create, then to the token check.
    handle.inject(Endpoint::CreateSession, Failure::ServerError(500));
    failing(&env, &["session", "start", "and-001", "--no-launch"], 5);
    handle.clear_failures();
    handle.inject(Endpoint::Ping, Failure::ServerError(500));
    failing(&env, &["session", "start", "and-001", "--no-launch"], 5);
    failing(&env, &["auth", "status"], 5);
    handle.clear_failures();

    // TeamViewer refuses the token, or does not know it.
    handle.inject(Endpoint::Ping, Failure::InvalidToken);
    failing(&env, &["session", "start", "and-001", "--no-launch"], 4);
    handle.clear_failures();
    let mut wrong = env.clone();
    wrong.retain(|(k, _)| k != "HELPATWORK_TEAMVIEWER_TOKEN");
    wrong.push(("HELPATWORK_TEAMVIEWER_TOKEN".into(), WRONG.into()));
    failing(&wrong, &["session", "start", "and-001", "--no-launch"], 4);
    failing(&wrong, &["settings", "test", "teamviewer"], 4);

    // The failed starts as the audit trail recorded them.
    let list = run(&w, &env, &["--json", "audit", "list"]);
    assert_absent(&secrets, "the audit trail", &list.stdout);
}

#[test]
fn a_closed_stdout_prints_no_token() {
    // The one crash a user could cause: stdout closed before the answer is written (a pipe to a
    // reader that quit). Rust's print panicked on the broken pipe (exit 101, a backtrace on
    // stderr); the command now ends quietly (hardening finding 16), its stderr still clean.
    let (w, env) = canary_world();
    let secrets = secrets_of(&w, &[]);
    let env: Vec<(&str, &str)> = env.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    for args in [
        &["--json", "auth", "status"][..],
        &["--json", "settings", "show"],
        &["--json", "session", "start", "ios-002", "--no-launch"],
    ] {
        let mut child = w
            .machine
            .command(args, &env)
            .env("RUST_BACKTRACE", "full")
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("spawn helpatwork");
        drop(child.stdout.take());
        let mut stderr = String::new();
        child
            .stderr
            .take()
            .unwrap()
            .read_to_string(&mut stderr)
            .unwrap();
        let status = child.wait().unwrap();
        assert_eq!(status.code(), Some(0), "{args:?}: {stderr}");
        assert!(!stderr.contains("panicked"), "{args:?}: {stderr}");
        assert_absent(&secrets, &format!("{args:?} closed-pipe output"), &stderr);
    }
}

#[test]
fn oauth_tokens_and_the_client_secret_reach_no_answer_and_no_argument() {
    // The OAuth tokens live in the keyring: `keyctl session -` with HELPATWORK_KEYRING_TESTS=1.
    if std::env::var_os("HELPATWORK_KEYRING_TESTS").is_none() {
        eprintln!("skipped: set HELPATWORK_KEYRING_TESTS=1 and run inside `keyctl session -`");
        return;
    }
    let (w, mut env) = canary_world();
    env.retain(|(k, _)| k != "HELPATWORK_TEAMVIEWER_TOKEN");
    // The sign-in browser records its arguments, then follows the authorize redirect.
    let browser = w.machine.path("argv-browser.sh");
    std::fs::write(
        &browser,
        format!(
            "#!/bin/sh\nfor a in \"$0\" \"$@\"; do printf '%s\\n' \"$a\"; done >> '{}'\nexec curl -sS -L -o /dev/null \"$1\"\n",
            w.machine.path("browser-argv.txt").display()
        ),
    )
    .unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&browser, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
    env.push(("HELPATWORK_BROWSER".into(), browser.display().to_string()));

    let login = run(&w, &env, &["--json", "auth", "login"]);
    assert_eq!(login.code, 0, "{}{}", login.stdout, login.stderr);
    let issued = w.sandbox.handle.issued_tokens();
    assert!(!issued.is_empty(), "the sign-in got tokens");
    let secrets = secrets_of(&w, &[]);
    assert_absent(&secrets, "auth login stdout", &login.stdout);
    assert_absent(&secrets, "auth login stderr", &login.stderr);
    for args in [
        &["--json", "auth", "status"][..],
        &["--json", "doctor"],
        &["--json", "settings", "show"],
        &["--json", "session", "start", "and-001"],
        &["--json", "session", "list"],
    ] {
        let out = run(&w, &env, args);
        assert_eq!(out.code, 0, "{args:?}: {}{}", out.stdout, out.stderr);
        assert_absent(&secrets, &format!("{args:?} stdout"), &out.stdout);
        assert_absent(&secrets, &format!("{args:?} stderr"), &out.stderr);
    }
    // An expired access token is refreshed: the new ones are not printed either.
    w.sandbox.handle.expire_access_tokens();
    let refreshed = run(&w, &env, &["--json", "auth", "status"]);
    assert_eq!(refreshed.code, 0, "{}", refreshed.stdout);
    let secrets = secrets_of(&w, &[]);
    assert_absent(&secrets, "status after a refresh", &refreshed.stdout);
    assert_absent(&secrets, "status after a refresh", &refreshed.stderr);

    let browser_argv = std::fs::read_to_string(w.machine.path("browser-argv.txt")).unwrap();
    assert!(browser_argv.contains("/oauth2/authorize"), "{browser_argv}");
    assert_absent(&secrets, "the browser's arguments", &browser_argv);
    let opener_argv = std::fs::read_to_string(w.machine.path("opener-argv.txt")).unwrap();
    assert_absent(&secrets, "the opener's arguments", &opener_argv);

    let out = run(&w, &env, &["--json", "auth", "logout"]);
    assert_eq!(out.code, 0, "{}", out.stdout);
    assert_absent(&secrets, "auth logout", &out.stdout);
    assert_absent(&secrets, "auth logout", &out.stderr);
}
