//! Support policies and four eyes from the command line, one process per command: policies
//! validated when set and audited; a ticket refused with the fix, then recorded; an unattended
//! start held until another agent, in another process with their own TeamViewer sign-in,
//! approves it (the requester cannot); an approval past its time expires. On SQLite and, when
//! `HELPATWORK_TEST_POSTGRES_URL` is set, PostgreSQL.

use helpatwork_e2e::{Run, World};

const BRUNO: &str = "u22334455";

#[track_caller]
fn ok(r: Run) -> serde_json::Value {
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    r.json()
}

/// and-001 ready for unattended: Host distributed, installed, assigned to the account.
fn unattended_ready(w: &World) {
    ok(w.machine.run(&[
        "--json",
        "apps",
        "distribute",
        "host",
        "--device",
        "and-001",
    ]));
    ok(w.machine.run(&[
        "--json",
        "devices",
        "report",
        "and-001",
        "app-installed",
        "host",
        "15.58.3",
    ]));
    let shown = ok(w.machine.run(&["--json", "devices", "show", "and-001"]));
    let alias = shown["host"]["expected_alias"].as_str().unwrap().to_owned();
    w.sandbox
        .handle
        .add_device(helpatwork_teamviewer_sandbox::SandboxDevice::assigned_host(
            &alias, true,
        ));
    w.sandbox
        .handle
        .add_user(helpatwork_teamviewer_sandbox::SandboxAccount {
            userid: BRUNO.into(),
            name: "Bruno Tier Two".into(),
            email: "bruno@example.com".into(),
            company_name: "Help@Work Demo".into(),
        });
    w.sandbox.handle.add_user_token("token-bruno", BRUNO);
}

fn flow(w: &World, db: &[(&str, &str)]) {
    let run = |args: &[&str], extra: &[(&str, &str)]| {
        let mut all: Vec<(&str, &str)> = db.to_vec();
        all.extend_from_slice(extra);
        let out = w.machine.command(args, &all).output().unwrap();
        Run {
            code: out.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        }
    };
    let bruno = [
        ("USER", "bruno"),
        ("HELPATWORK_TEAMVIEWER_TOKEN", "token-bruno"),
    ];
    unattended_ready(w);

    // A policy is validated when set: a pattern that is no regular expression changes nothing.
    let bad = w
        .machine
        .write("bad.json", r#"{"name":"Tickets","ticket_pattern":"INC("}"#);
    let refused = run(&["--json", "policy", "set", bad.to_str().unwrap()], &[]);
    assert_eq!(refused.code, 2, "{}", refused.stdout);
    assert!(refused.json()["error"]["fix"]
        .as_str()
        .unwrap()
        .contains("regular expression"));
    let unknown = w
        .machine
        .write("unknown.json", r#"{"name":"Tickets","tickets":"INC"}"#);
    let refused = run(&["--json", "policy", "set", unknown.to_str().unwrap()], &[]);
    assert_eq!(refused.code, 2);
    assert_eq!(refused.json()["error"]["details"]["field"], "tickets");
    assert_eq!(
        ok(run(&["--json", "policy", "list"], &[])),
        serde_json::json!([])
    );
    let good = w.machine.write(
        "tickets.json",
        r#"{"name":"Tickets","ticket_pattern":"INC\\d{7}","unattended":"approval","approval_minutes":30}"#,
    );
    ok(run(
        &["--json", "policy", "set", good.to_str().unwrap()],
        &[],
    ));
    let saved = ok(run(
        &["--json", "audit", "list", "--action", "policy.saved"],
        &[],
    ));
    assert_eq!(
        saved[0]["detail"]["before"],
        serde_json::Value::Null,
        "{saved}"
    );
    assert_eq!(saved[0]["detail"]["after"]["ticket_pattern"], r"INC\d{7}");

    // The ticket: refused with the fix (exit 3), nothing started; then recorded.
    let pre = ok(run(
        &[
            "--json",
            "session",
            "preflight",
            "and-001",
            "--ticket",
            "INC0012345",
        ],
        &[],
    ));
    assert!(
        pre["checks"]
            .as_array()
            .unwrap()
            .iter()
            .any(|c| c["rule"] == "policy.ticket" && c["status"] == "pass"),
        "{pre}"
    );
    let no_ticket = run(
        &["--json", "session", "start", "and-001", "--no-launch"],
        &[],
    );
    assert_eq!(no_ticket.code, 3, "{}", no_ticket.stdout);
    assert!(no_ticket.json()["error"]["fix"]
        .as_str()
        .unwrap()
        .contains(r"INC\d{7}"));
    assert_eq!(w.sandbox.handle.sessions_created(), 0);
    let s = ok(run(
        &[
            "--json",
            "session",
            "start",
            "and-001",
            "--ticket",
            "INC0012345",
            "--no-launch",
        ],
        &[],
    ));
    assert_eq!(s["ticket"], "INC0012345");
    ok(run(
        &["--json", "session", "close", s["id"].as_str().unwrap()],
        &[],
    ));

    // Four eyes: held (exit 9), the requester cannot approve, Bruno's process approves.
    let start = || {
        run(
            &[
                "--json",
                "session",
                "start",
                "and-001",
                "--mode",
                "unattended",
                "--ticket",
                "INC0000002",
                "--reason",
                "scanner",
                "--no-launch",
            ],
            &[],
        )
    };
    let held = start();
    assert_eq!(held.code, 9, "{}{}", held.stdout, held.stderr);
    let id = held.json()["error"]["details"]["approval"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let own = run(&["--json", "approvals", "approve", &id], &[]);
    assert_eq!(own.code, 3, "{}", own.stdout);
    let listed = ok(run(&["--json", "approvals", "list"], &bruno));
    assert_eq!(listed[0]["id"], id.as_str());
    assert_eq!(listed[0]["mine"], false);
    let approved = ok(run(&["--json", "approvals", "approve", &id], &bruno));
    assert_eq!(approved["state"], "approved");
    assert_eq!(approved["decided_by"], "bruno");
    let s = ok(start());
    assert_eq!(s["mode"], "unattended");
    assert_eq!(s["ticket"], "INC0000002");
    let used = ok(run(
        &["--json", "audit", "list", "--action", "approval.used"],
        &[],
    ));
    assert_eq!(used.as_array().unwrap().len(), 1);
    ok(run(
        &["--json", "session", "close", s["id"].as_str().unwrap()],
        &[],
    ));

    // Expiry: Bruno's clock 31 minutes later finds the new request expired.
    let held = start();
    assert_eq!(held.code, 9);
    let id = held.json()["error"]["details"]["approval"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let later = (chrono::Utc::now() + chrono::Duration::minutes(31)).to_rfc3339();
    let late = run(
        &["--json", "approvals", "approve", &id],
        &[bruno[0], bruno[1], ("HELPATWORK_NOW", later.as_str())],
    );
    assert_eq!(late.code, 7, "{}", late.stdout);
    let all = ok(run(&["--json", "approvals", "list", "--all"], &[]));
    assert!(
        all.as_array()
            .unwrap()
            .iter()
            .any(|a| a["id"] == id.as_str() && a["state"] == "expired"),
        "{all}"
    );
    // Refused, with the reason, in text too.
    let held = start();
    let id = held.json()["error"]["details"]["approval"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let text = run(
        &[
            "--lang",
            "pt-BR",
            "approvals",
            "refuse",
            &id,
            "--reason",
            "sem chamado",
        ],
        &bruno,
    );
    assert_eq!(text.code, 0, "{}", text.stderr);
    assert!(text.stdout.contains("refused"), "{}", text.stdout);
    let refused = ok(run(
        &["--json", "audit", "list", "--action", "approval.refused"],
        &[],
    ));
    assert_eq!(refused[0]["detail"]["reason"], "sem chamado");
    let removed = ok(run(&["--json", "policy", "remove", "Tickets"], &[]));
    assert_eq!(removed["policy"]["name"], "Tickets");
}

#[test]
fn policies_and_four_eyes_across_processes_on_sqlite() {
    let w = World::new("15.75.1", true);
    flow(&w, &[]);
}

#[test]
fn policies_and_four_eyes_across_processes_on_postgres() {
    let Some(server) = std::env::var("HELPATWORK_TEST_POSTGRES_URL")
        .ok()
        .filter(|u| !u.is_empty())
    else {
        eprintln!("skipped: HELPATWORK_TEST_POSTGRES_URL is not set (scripts/test.sh starts a PostgreSQL)");
        return;
    };
    let name = format!("helpatwork_e2e_policy_{}", std::process::id());
    let created = std::process::Command::new("psql")
        .args([server.as_str(), "-qc", &format!("CREATE DATABASE {name}")])
        .status()
        .unwrap();
    assert!(created.success());
    let (base, _) = server.rsplit_once('/').unwrap();
    let url = format!("{base}/{name}");
    let w = World::with_database(&url);
    flow(&w, &[("HELPATWORK_DATABASE_URL", url.as_str())]);
}
