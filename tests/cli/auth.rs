//! S3: the agent's TeamViewer sign-in from the CLI (OAuth + PKCE on a loopback redirect), against
//! the sandbox, with the "browser" a program that follows the authorize redirect.

use helpatwork_e2e::World;

#[test]
fn s3_login_status_logout_round_trip() {
    // keyutils needs a session keyring of the test's own: scripts/test.sh runs the tests inside
    // `keyctl session -` with HELPATWORK_KEYRING_TESTS=1, where this test must pass.
    if std::env::var_os("HELPATWORK_KEYRING_TESTS").is_none() {
        eprintln!("skipped: set HELPATWORK_KEYRING_TESTS=1 and run inside `keyctl session -`");
        return;
    }
    let w = World::new("15.75.1", false);
    let before = w.machine.run(&["--json", "auth", "status"]).json();
    assert_eq!(before["signed_in"], false);
    assert_eq!(before["configured"], true);

    let login = w.machine.run(&["--json", "auth", "login"]);
    assert_eq!(login.code, 0, "{}{}", login.stdout, login.stderr);
    let status = login.json();
    assert_eq!(status["signed_in"], true);
    assert_eq!(status["method"], "oauth");
    assert!(status["account"]["userid"]
        .as_str()
        .unwrap()
        .starts_with('u'));

    // The token lives in the keyring, never in the data dir.
    for token in w.sandbox.handle.issued_tokens() {
        for entry in walk(w.machine.data.path()) {
            let bytes = std::fs::read(&entry).unwrap_or_default();
            assert!(
                !String::from_utf8_lossy(&bytes).contains(&token),
                "token found in {}",
                entry.display()
            );
        }
    }

    let start = w.machine.run(&["--json", "session", "start", "and-001"]);
    assert_eq!(start.code, 0, "{}", start.stdout);

    let out = w.machine.run(&["--json", "auth", "logout"]);
    assert_eq!(out.code, 0, "{}", out.stdout);
    assert_eq!(out.json()["signed_in"], false);
    assert!(
        !w.sandbox.handle.revoked_tokens().is_empty(),
        "the token was revoked at TeamViewer"
    );
    assert_eq!(
        w.machine
            .run(&["--json", "session", "start", "ios-002"])
            .code,
        4
    );
}

#[test]
fn status_without_configuration_says_how_to_configure() {
    let m = helpatwork_e2e::Machine::new();
    let run = m.run(&["auth", "status"]);
    assert_eq!(run.code, 0);
    assert!(
        run.stdout.contains("HELPATWORK_TEAMVIEWER"),
        "{}",
        run.stdout
    );
}

fn walk(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    if let Ok(entries) = std::fs::read_dir(dir) {
        for e in entries.flatten() {
            let p = e.path();
            if p.is_dir() {
                out.extend(walk(&p));
            } else {
                out.push(p);
            }
        }
    }
    out
}
