//! `audit verify` on the built binary (intact: exit 0; an event edited or deleted in the SQLite
//! file: exit 8 naming it), and the verifier docs/audit.md shows ("Verifying an export"), run as
//! written against a JSON lines export, so the documented encoding cannot drift.

use helpatwork_e2e::{Machine, World};

fn sqlite(m: &Machine, sql: &str) -> String {
    let db = m.path("data").join("helpatwork.db");
    let out = std::process::Command::new("sqlite3")
        .arg(&db)
        .arg(sql)
        .output()
        .expect("sqlite3");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap().trim().to_string()
}

#[test]
fn audit_verify_exits_0_when_intact_and_8_naming_an_edited_or_deleted_event() {
    let w = World::new("15.75.1", true);
    let m = &w.machine;
    let run = m.run(&["--json", "audit", "verify"]);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    let v = run.json();
    assert_eq!(v["intact"], true);
    let events: u64 = sqlite(m, "SELECT COUNT(*) FROM audit_events")
        .parse()
        .unwrap();
    assert!(events >= 3, "the admin set-up is audited");
    assert_eq!(v["verified"], events);
    assert_eq!(
        v["verified_up_to"]["id"],
        sqlite(
            m,
            &format!("SELECT id FROM audit_events WHERE seq = {events}")
        )
    );
    let text = m.run(&["audit", "verify"]);
    assert_eq!(text.code, 0);
    assert!(text.stdout.contains("intact"), "{}", text.stdout);

    let edited = sqlite(m, "SELECT id FROM audit_events WHERE seq = 2");
    sqlite(m, "UPDATE audit_events SET actor = 'mallory' WHERE seq = 2");
    let run = m.run(&["--json", "audit", "verify"]);
    assert_eq!(run.code, 8, "{}{}", run.stdout, run.stderr);
    let e = run.json();
    assert_eq!(e["error"]["code"], "tampered");
    assert!(e["error"]["fix"].as_str().unwrap().contains("backup"));
    let details = &e["error"]["details"];
    assert_eq!(details["kind"], "audit_chain");
    assert_eq!(details["broken"]["kind"], "edited");
    assert_eq!(details["broken"]["event"]["id"], edited.as_str());
    let text = m.run(&["--lang", "pt-BR", "audit", "verify"]);
    assert_eq!(text.code, 8);
    assert!(text.stderr.contains(&edited), "{}", text.stderr);
    assert!(text.stderr.contains("adulterada"), "{}", text.stderr);

    sqlite(
        m,
        "UPDATE audit_events SET actor = 'agent.test' WHERE seq = 2",
    );
    assert_eq!(m.run(&["audit", "verify"]).code, 0, "the edit undone");
    let after = sqlite(m, "SELECT id FROM audit_events WHERE seq = 3");
    sqlite(m, "DELETE FROM audit_events WHERE seq = 2");
    let run = m.run(&["--json", "audit", "verify"]);
    assert_eq!(run.code, 8);
    let broken = &run.json()["error"]["details"]["broken"];
    assert_eq!(broken["kind"], "deleted");
    assert_eq!(broken["seq"], 2);
    assert_eq!(broken["event"]["id"], after.as_str());
}

/// The ```python block under "### Verifying an export" in docs/audit.md.
fn documented_verifier() -> String {
    let doc = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../docs/audit.md"),
    )
    .unwrap();
    let section = doc
        .split("### Verifying an export")
        .nth(1)
        .expect("the section");
    let block = section.split("```python\n").nth(1).expect("the program");
    block.split("\n```").next().unwrap().to_string()
}

fn python(m: &Machine, program: &std::path::Path, export: &std::path::Path) -> (i32, String) {
    let out = std::process::Command::new("python3")
        .arg(program)
        .arg(export)
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .current_dir(m.path(""))
        .output()
        .expect("python3");
    (
        out.status.code().unwrap_or(-1),
        format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        ),
    )
}

#[test]
fn the_documented_verifier_checks_a_json_lines_export_and_finds_tampering() {
    let w = World::new("15.75.1", true);
    let m = &w.machine;
    // A reason with quotes, a backslash and text beyond ASCII: the canonical form's escapes
    // must be the ones Python writes (control characters: crates/store/tests/audit_chain.rs).
    let reason = "ticket \"4711\" C:\\temp ✓ ação 😀";
    let start = m.run(&["--json", "session", "start", "and-001", "--reason", reason]);
    assert_eq!(start.code, 0, "{}{}", start.stdout, start.stderr);
    let export = m.path("audit.jsonl");
    let run = m.run(&[
        "audit",
        "export",
        "--format",
        "jsonl",
        "--out",
        export.to_str().unwrap(),
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let text = std::fs::read_to_string(&export).unwrap();
    assert!(text.contains("ação 😀"), "UTF-8, not escaped");
    let program = m.write("verify_audit.py", documented_verifier());

    let (code, said) = python(m, &program, &export);
    assert_eq!(code, 0, "{said}");
    let verify = m.run(&["--json", "audit", "verify"]).json();
    let head = verify["verified_up_to"]["hash"].as_str().unwrap();
    assert!(
        said.contains(head),
        "the export ends at the verified hash: {said}"
    );
    assert!(
        said.contains("0 positions between them not in this export"),
        "{said}"
    );

    // An edit in the copy: named by the verifier.
    let lines: Vec<&str> = text.lines().collect();
    let victim: serde_json::Value = serde_json::from_str(lines[1]).unwrap();
    let edited = text.replacen(
        lines[1],
        &lines[1].replacen("\"actor\":\"agent.test\"", "\"actor\":\"mallory\"", 1),
        1,
    );
    assert_ne!(edited, text);
    let copy = m.write("edited.jsonl", &edited);
    let (code, said) = python(m, &program, &copy);
    assert_eq!(code, 1, "{said}");
    assert!(said.contains(victim["id"].as_str().unwrap()), "{said}");
    assert!(said.contains("was edited"), "{said}");

    // Two events swapped (each line's position exchanged): the link is found broken.
    let mut a: serde_json::Value = serde_json::from_str(lines[0]).unwrap();
    let mut b: serde_json::Value = serde_json::from_str(lines[1]).unwrap();
    let (sa, sb) = (a["seq"].clone(), b["seq"].clone());
    a["seq"] = sb;
    b["seq"] = sa;
    let swapped = [a.to_string(), b.to_string()]
        .into_iter()
        .chain(lines[2..].iter().map(|l| l.to_string()))
        .collect::<Vec<_>>()
        .join("\n");
    let copy = m.write("swapped.jsonl", swapped);
    let (code, said) = python(m, &program, &copy);
    assert_eq!(code, 1, "{said}");

    // An event left out of a whole export: a position missing between the first and the last.
    let cut = lines
        .iter()
        .enumerate()
        .filter(|(i, _)| *i != 2)
        .map(|(_, l)| *l)
        .collect::<Vec<_>>()
        .join("\n");
    let copy = m.write("cut.jsonl", cut);
    let (code, said) = python(m, &program, &copy);
    assert_eq!(code, 0, "{said}");
    assert!(
        said.contains("1 positions between them not in this export"),
        "{said}"
    );

    // The CSV carries the same chain columns.
    let csv = m.run(&["audit", "export", "--out", "-"]);
    assert!(csv
        .stdout
        .lines()
        .next()
        .unwrap()
        .ends_with(",seq,prev_hash,hash"));
    assert!(csv.stdout.contains(head));
}
