//! `helpatwork audit send` against Debian's rsyslogd over TLS, killed with SIGKILL in the middle
//! of a backlog: nothing is lost, the dead sender's lease keeps others off the sink until it
//! runs out, and the next `audit send` delivers the rest in order (a copy only with the same
//! event id). Also `audit sinks add-syslog | list | remove`, and a receiver that is down.

use std::io::{BufRead, BufReader};
use std::process::Stdio;
use std::time::Duration;

use helpatwork_e2e::Machine;
use helpatwork_siem::receivers::Rsyslog;

const BACKLOG: usize = 6000;

fn sqlite(machine: &Machine, sql: &str) -> String {
    let out = std::process::Command::new("sqlite3")
        .args(["-cmd", ".timeout 5000"])
        .arg(machine.path("data").join("helpatwork.db"))
        .arg(sql)
        .output()
        .expect("sqlite3");
    assert!(
        out.status.success(),
        "{sql}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).trim().to_string()
}

/// The event ids rsyslogd received, in arrival order (from each message's structured data).
fn received_ids(r: &Rsyslog) -> Vec<String> {
    r.received()
        .iter()
        .map(|line| {
            let at = line
                .find("[helpatwork@32473 id=\"")
                .expect("the SD element")
                + 22;
            line[at..at + 36].to_string()
        })
        .collect()
}

fn add_sink(machine: &Machine, r: &Rsyslog) {
    let ca = r.pki.ca.display().to_string();
    let port = r.port.to_string();
    let added = machine.run(&[
        "audit",
        "sinks",
        "add-syslog",
        "rsyslog",
        "--host",
        "127.0.0.1",
        "--port",
        &port,
        "--ca-file",
        &ca,
        "--hostname",
        "desk-test",
    ]);
    assert_eq!(added.code, 0, "{}", added.stderr);
}

#[test]
fn audit_send_killed_mid_backlog_loses_nothing() {
    if !Rsyslog::available() {
        eprintln!("skipped: rsyslogd is not installed (apt-get install rsyslog rsyslog-gnutls; scripts/setup.sh does)");
        return;
    }
    let machine = Machine::new();
    let rsyslog = Rsyslog::start(&machine.path("rsyslog")).unwrap();
    add_sink(&machine, &rsyslog);

    // A long backlog, written as the store writes events: each event with its outbox row, at its
    // place in the chain after the sink's own event (a sink sends in the chain's order).
    sqlite(
        &machine,
        &format!(
            "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < {BACKLOG}) \
             INSERT INTO audit_events (id, at, actor, action, detail, seq) \
             SELECT printf('ffffffff-0000-7000-8000-%012d', i), strftime('%Y-%m-%dT%H:%M:%fZ', 'now', '+1 second'), \
             'agent.test', 'test.backlog', '{{}}', (SELECT seq FROM audit_chain) + i FROM n; \
             INSERT INTO audit_outbox (sink_id, event_id, at) \
             SELECT 'rsyslog', id, at FROM audit_events WHERE action = 'test.backlog';"
        ),
    );
    let events: Vec<String> = sqlite(&machine, "SELECT id FROM audit_events ORDER BY seq")
        .lines()
        .map(str::to_string)
        .collect();
    assert_eq!(
        events.len(),
        BACKLOG + 1,
        "the sink's own event and the backlog"
    );

    // `audit send`, killed with SIGKILL as soon as it reports its first batch delivered.
    let mut child = machine
        .command(&["audit", "send"], &[])
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut progress = BufReader::new(child.stderr.take().unwrap());
    let mut line = String::new();
    while !line.contains("sent to rsyslog") {
        line.clear();
        assert!(
            progress.read_line(&mut line).unwrap() > 0,
            "audit send ended without progress"
        );
    }
    child.kill().unwrap();
    child.wait().unwrap();
    let left: usize = sqlite(&machine, "SELECT COUNT(*) FROM audit_outbox")
        .parse()
        .unwrap();
    assert!(
        left > 0 && left < events.len(),
        "killed mid-backlog: {left} left"
    );

    // The dead sender's lease keeps the sink until it runs out (60 s); then it is taken over.
    let busy = machine.run(&["--json", "audit", "send"]);
    assert_eq!(busy.code, 0, "{}", busy.stderr);
    assert_eq!(busy.json()["sinks"][0]["outcome"], "busy");
    sqlite(
        &machine,
        "UPDATE audit_sinks SET lease_until = '2000-01-01T00:00:00.000Z'",
    );
    let sent = machine.run(&["--json", "audit", "send"]);
    assert_eq!(sent.code, 0, "{}", sent.stderr);
    assert_eq!(sent.json()["sinks"][0]["outcome"], "delivered");
    assert_eq!(sent.json()["sinks"][0]["pending"], 0);

    rsyslog.wait_for(events.len(), Duration::from_secs(20));
    let mut seen = std::collections::HashSet::new();
    let kept: Vec<String> = received_ids(&rsyslog)
        .into_iter()
        .filter(|id| seen.insert(id.clone()))
        .collect();
    assert_eq!(
        kept,
        events,
        "every event, in order; rsyslogd: {}",
        rsyslog.errors()
    );
}

#[test]
fn sinks_are_listed_with_their_backlog_and_a_down_receiver_is_retried_later() {
    if !Rsyslog::available() {
        eprintln!("skipped: rsyslogd is not installed (apt-get install rsyslog rsyslog-gnutls; scripts/setup.sh does)");
        return;
    }
    let machine = Machine::new();
    let mut rsyslog = Rsyslog::start(&machine.path("rsyslog")).unwrap();
    add_sink(&machine, &rsyslog);
    rsyslog.kill();

    let failed = machine.run(&["audit", "send"]);
    assert_eq!(failed.code, 5, "{}", failed.stderr);
    assert!(
        failed.stderr.contains("fix:") || failed.stderr.contains("Check that the receiver"),
        "{}",
        failed.stderr
    );

    let list = machine.run(&["--json", "audit", "sinks", "list"]);
    let sink = &list.json()[0];
    assert_eq!(sink["id"], "rsyslog");
    assert_eq!(sink["pending"], 1);
    assert_eq!(sink["attempts"], 1);
    assert!(sink["last_error"]
        .as_str()
        .unwrap()
        .contains("could not connect"));
    let doctor = machine.run(&["doctor"]);
    assert!(
        doctor
            .stdout
            .contains("Audit sink rsyslog: 1 events pending"),
        "{}",
        doctor.stdout
    );

    let test = machine.run(&["audit", "sinks", "test", "rsyslog"]);
    assert_eq!(test.code, 5, "{}", test.stderr);
    assert!(test.stderr.contains("receiver is up"), "{}", test.stderr);

    rsyslog.restart().unwrap();
    let test = machine.run(&["audit", "sinks", "test", "rsyslog"]);
    assert_eq!(test.code, 0, "{}", test.stderr);
    assert_eq!(rsyslog.wait_for(1, Duration::from_secs(10)).len(), 1);
    assert!(rsyslog.received()[0].contains(" audit.sink.test [helpatwork@32473 "));
    let sent = machine.run(&["audit", "send"]);
    assert_eq!(sent.code, 0, "{}", sent.stderr);
    assert_eq!(rsyslog.wait_for(2, Duration::from_secs(10)).len(), 2);

    // A plain-TCP sink to another host is refused with the fix; nothing is written.
    let refused = machine.run(&[
        "audit",
        "sinks",
        "add-syslog",
        "far",
        "--host",
        "siem.example",
        "--no-tls",
    ]);
    assert_eq!(refused.code, 2);
    assert!(refused.stderr.contains("Turn TLS on"), "{}", refused.stderr);

    let removed = machine.run(&["audit", "sinks", "remove", "rsyslog"]);
    assert_eq!(removed.code, 0, "{}", removed.stderr);
    let actions = machine.run(&["--json", "audit", "list", "--action", "audit.sink.remove"]);
    assert_eq!(actions.json().as_array().unwrap().len(), 1);
    assert_eq!(
        machine.run(&["--json", "audit", "sinks", "list"]).json(),
        serde_json::json!([])
    );
}
