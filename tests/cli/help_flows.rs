//! The three help flows from the command line on the labelled demo, one process per command:
//! unattended to the assigned Host, a help request taken from the inbox, and a hand-over.

use helpatwork_e2e::{Machine, Run};

fn demo() -> Machine {
    let m = Machine::new();
    let opener = m.path("opener.sh");
    std::fs::write(
        &opener,
        format!(
            "#!/bin/sh\nprintf '%s\\n' \"$1\" >> '{}'\n",
            m.path("opened.txt").display()
        ),
    )
    .unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&opener, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
    let opener = opener.display().to_string();
    m.env("HELPATWORK_OPENER", &opener)
}

fn opened(m: &Machine) -> String {
    std::fs::read_to_string(m.path("opened.txt")).unwrap_or_default()
}

#[track_caller]
fn run(m: &Machine, args: &[&str]) -> Run {
    let mut all = vec!["--demo"];
    all.extend_from_slice(args);
    m.run(&all)
}

#[track_caller]
fn json(m: &Machine, args: &[&str]) -> serde_json::Value {
    let mut all = vec!["--json"];
    all.extend_from_slice(args);
    let r = run(m, &all);
    assert_eq!(r.code, 0, "{all:?}:\n{}{}", r.stdout, r.stderr);
    r.json()
}

#[test]
fn unattended_connects_to_the_assigned_host_and_an_unmatched_one_is_confirmed_first() {
    let m = demo();
    json(&m, &["auth", "login"]);
    // and-0003: Host activated, assigned under Help@Work's alias, online.
    let shown = json(&m, &["devices", "show", "and-0003"]);
    assert_eq!(shown["host"]["matched"], true, "{shown}");
    assert_eq!(shown["host"]["matched_by"], "alias");
    assert_eq!(shown["host"]["online_state"], "online");
    let s = json(
        &m,
        &[
            "session",
            "start",
            "and-0003",
            "--mode",
            "unattended",
            "--reason",
            "kiosk frozen",
        ],
    );
    assert_eq!(s["state"], "active", "{s}");
    assert_eq!(s["code"], serde_json::Value::Null, "no session code");
    assert_eq!(s["delivery"], "teamviewer_device");
    let link = s["supporter_link"].as_str().unwrap();
    assert!(
        link.starts_with("https://start.teamviewer.com/device/r"),
        "{link}"
    );
    assert!(opened(&m).contains(link), "the opener got the device link");

    // and-0006: its Host was assigned under its bare name: blocked until the admin confirms.
    let blocked = run(
        &m,
        &[
            "--json",
            "session",
            "start",
            "and-0006",
            "--mode",
            "unattended",
        ],
    );
    assert_eq!(blocked.code, 3, "{}{}", blocked.stdout, blocked.stderr);
    let fix = blocked.json()["error"]["fix"].as_str().unwrap().to_owned();
    let rc = fix
        .split_whitespace()
        .find(|w| w.starts_with('r') && w[1..].chars().all(|c| c.is_ascii_digit()) && w.len() > 1)
        .unwrap_or_else(|| panic!("no candidate in the fix: {fix}"))
        .to_owned();
    let matched = json(&m, &["devices", "match", "and-0006", &rc]);
    assert_eq!(matched["matched_by"], "confirmed", "{matched}");
    let text = run(&m, &["devices", "show", "and-0006"]);
    assert!(
        text.stdout.contains("match confirmed by"),
        "{}",
        text.stdout
    );
    json(
        &m,
        &["session", "start", "and-0006", "--mode", "unattended"],
    );

    // Offline: a warning with the last-seen time, in either language.
    json(&m, &["demo", "host-offline", "and-0019"]);
    let pre = run(
        &m,
        &[
            "--lang",
            "pt-BR",
            "session",
            "preflight",
            "and-0019",
            "--mode",
            "unattended",
        ],
    );
    assert!(pre.stdout.contains("visto por último em"), "{}", pre.stdout);
}

#[test]
fn a_help_request_is_taken_once_and_handed_over_to_tier_2() {
    let m = demo();
    json(&m, &["auth", "login"]);
    let asked = json(&m, &["demo", "request-help", "and-0001"]);
    let code = asked["code"].as_str().unwrap().to_owned();
    let inbox = json(&m, &["requests", "list"]);
    let request = &inbox["requests"][0];
    assert_eq!(request["code"], code.as_str(), "{inbox}");
    assert_eq!(request["device_id"], "and-0001");
    assert_eq!(request["unknown_device"], false);
    let text = run(&m, &["--lang", "pt-BR", "requests", "list"]);
    assert!(text.stdout.contains("ESPERANDO"), "{}", text.stdout);

    let taken = json(&m, &["requests", "take", &code]);
    let session = taken["session"]["id"].as_str().unwrap().to_owned();
    assert_eq!(taken["session"]["state"], "waiting");
    assert!(opened(&m).contains(taken["supporter_link"].as_str().unwrap()));
    let again = run(&m, &["--json", "requests", "take", &code]);
    assert_eq!(again.code, 7, "{}{}", again.stdout, again.stderr);
    assert_eq!(
        json(&m, &["requests", "list"])["requests"],
        serde_json::json!([])
    );

    let agents = json(&m, &["agents", "list"]);
    assert!(
        agents
            .as_array()
            .unwrap()
            .iter()
            .any(|a| a["agent"] == "tier2.agent"),
        "{agents}"
    );
    let no_reason = run(
        &m,
        &[
            "session",
            "hand-over",
            &session,
            "--to",
            "tier2.agent",
            "--reason",
            "",
        ],
    );
    assert_eq!(no_reason.code, 2, "{}", no_reason.stderr);
    let handed = json(
        &m,
        &[
            "session",
            "hand-over",
            &session,
            "--to",
            "tier2.agent",
            "--reason",
            "needs tier 2",
        ],
    );
    assert_eq!(handed["to"]["userid"], "u22334455", "{handed}");
    assert_eq!(handed["session"]["agent"], "tier2.agent");
    let close = run(&m, &["--lang", "pt-BR", "session", "close", &session]);
    assert_eq!(
        close.code, 7,
        "the old holder cannot close it: {}",
        close.stderr
    );
    assert!(close.stderr.contains("tier2.agent"), "{}", close.stderr);
    let shown = run(&m, &["session", "show", &session]);
    assert!(
        shown.stdout.contains("Handed over") && shown.stdout.contains("needs tier 2"),
        "{}",
        shown.stdout
    );
    let audit = json(&m, &["audit", "list", "--action", "session.handed_over"]);
    assert_eq!(audit.as_array().unwrap().len(), 1, "{audit}");
}
