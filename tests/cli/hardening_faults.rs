//! Hardening, round two (faults): a damaged or full database, a full disk during an import or a
//! settings change, memory, the settings file, a closed pipe, log colours. A full disk is real:
//! a small tmpfs mounted in a mount namespace of the test's own (`unshare -rm`); where the machine
//! does not allow one, those tests say so and skip.

#[cfg(unix)]
use std::io::Read;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use helpatwork_e2e::{fleet_json, Machine, World};

/// Whether a test may mount a small tmpfs of its own (a user and mount namespace).
fn small_disks() -> bool {
    let ok = Command::new("unshare")
        .args(["-rm", "true"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if !ok {
        eprintln!("skipped: `unshare -rm` is not allowed here, so no small disk can be mounted");
    }
    ok
}

/// A fleet of `n` Android devices in the documented JSON shape (the generator's ready fleet).
pub fn fleet_of(n: usize) -> String {
    helpatwork_fleetgen::file::json(helpatwork_fleetgen::ready("dev", n))
}

fn read(dir: &std::path::Path, name: &str) -> String {
    std::fs::read_to_string(dir.join(name)).unwrap_or_default()
}

/// Runs `cmd` and kills it if it takes longer than `limit`: (exit code, stdout, stderr).
#[cfg(unix)]
fn run_within(mut cmd: Command, limit: Duration) -> (i32, String, String) {
    let mut child = cmd
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn");
    let started = Instant::now();
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            let mut out = String::new();
            let mut err = String::new();
            child
                .stdout
                .take()
                .unwrap()
                .read_to_string(&mut out)
                .unwrap();
            child
                .stderr
                .take()
                .unwrap()
                .read_to_string(&mut err)
                .unwrap();
            return (status.code().unwrap_or(-1), out, err);
        }
        if started.elapsed() > limit {
            let _ = child.kill();
            let _ = child.wait();
            panic!("the command hung past {limit:?}");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[test]
fn f9_a_corrupt_database_fails_at_once_with_its_cause() {
    let m = Machine::new();
    std::fs::create_dir_all(m.path("data")).unwrap();
    std::fs::write(m.path("data/helpatwork.db"), vec![0x5a; 64 * 1024]).unwrap();
    let started = Instant::now();
    let run = m.run(&["--json", "devices", "list"]);
    assert!(
        started.elapsed() < Duration::from_secs(4),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(run.code, 1, "{}{}", run.stdout, run.stderr);
    let err = run.json()["error"].clone();
    assert!(
        err["message"]
            .as_str()
            .unwrap()
            .contains("file is not a database"),
        "{err}"
    );
    assert!(err["fix"].as_str().unwrap().contains("backup"), "{err}");
    assert_eq!(err["details"]["cause"], "corrupt");
    assert!(
        !run.stderr.contains("after_connect") && !run.stderr.contains("timed out"),
        "{}",
        run.stderr
    );
}

#[test]
fn f9_a_full_disk_at_open_keeps_reading_and_says_why_it_cannot_write() {
    if !small_disks() {
        return;
    }
    let m = Machine::new();
    let fleet = m.write("fleet.json", fleet_json());
    let out = m.path("out");
    std::fs::create_dir_all(&out).unwrap();
    let script = r#"
        set -u
        mkdir -p "$1" && mount -t tmpfs -o size=16m tmpfs "$1" || exit 99
        export HELPATWORK_DATA_DIR="$1/data"
        "$HELPATWORK_BIN" devices import "$2" >/dev/null 2>&1 || exit 98
        cat /dev/zero > "$1/filler" 2>/dev/null
        "$HELPATWORK_BIN" --json devices list > "$3/list.out" 2> "$3/list.err"; echo $? > "$3/list.code"
        "$HELPATWORK_BIN" --json devices report and-001 checkin > "$3/report.out" 2> "$3/report.err"; echo $? > "$3/report.code"
    "#;
    let mnt = m.path("mnt");
    let run = m.script(
        &["unshare", "-rm", "sh"],
        script,
        &[
            mnt.to_str().unwrap(),
            fleet.to_str().unwrap(),
            out.to_str().unwrap(),
        ],
    );
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    assert_eq!(
        read(&out, "list.code").trim(),
        "0",
        "{}",
        read(&out, "list.err")
    );
    let list: serde_json::Value = serde_json::from_str(&read(&out, "list.out")).unwrap();
    assert_eq!(list["total"], 4, "reading still works");
    assert!(
        read(&out, "list.err").contains("read-only"),
        "{}",
        read(&out, "list.err")
    );
    assert_eq!(
        read(&out, "report.code").trim(),
        "1",
        "{}",
        read(&out, "report.out")
    );
    let err: serde_json::Value = serde_json::from_str(&read(&out, "report.out")).unwrap();
    assert!(
        err["error"]["message"]
            .as_str()
            .unwrap()
            .contains("read-only"),
        "{err}"
    );
    assert!(
        err["error"]["fix"].as_str().unwrap().contains("Free space"),
        "{err}"
    );
}

#[test]
fn f10_a_full_disk_during_an_import_or_a_settings_change_says_so_and_leaves_nothing() {
    if !small_disks() {
        return;
    }
    let m = Machine::new();
    let small = m.write("fleet.json", fleet_json());
    let large = m.write("large.json", fleet_of(20_000));
    let out = m.path("out");
    std::fs::create_dir_all(&out).unwrap();
    let script = r#"
        set -u
        mkdir -p "$1" && mount -t tmpfs -o size=7m tmpfs "$1" || exit 99
        export HELPATWORK_DATA_DIR="$1/data"
        "$HELPATWORK_BIN" devices import "$2" >/dev/null 2>&1 || exit 98
        "$HELPATWORK_BIN" settings set language en >/dev/null 2>&1 || exit 97
        "$HELPATWORK_BIN" --json devices import "$4" > "$3/import.out" 2> "$3/import.err"; echo $? > "$3/import.code"
        "$HELPATWORK_BIN" --json devices list > "$3/list.out" 2>&1
        cat /dev/zero > "$1/filler" 2>/dev/null
        "$HELPATWORK_BIN" --json settings set language pt-BR > "$3/settings.out" 2>&1; echo $? > "$3/settings.code"
        ls -a "$1/data" > "$3/ls"
        cat "$1/data/settings.json" > "$3/settings.json"
    "#;
    let mnt = m.path("mnt");
    let run = m.script(
        &["unshare", "-rm", "sh"],
        script,
        &[
            mnt.to_str().unwrap(),
            small.to_str().unwrap(),
            out.to_str().unwrap(),
            large.to_str().unwrap(),
        ],
    );
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    assert_eq!(
        read(&out, "import.code").trim(),
        "1",
        "{}",
        read(&out, "import.out")
    );
    let err: serde_json::Value = serde_json::from_str(&read(&out, "import.out")).unwrap();
    let message = err["error"]["message"].as_str().unwrap();
    assert!(
        message.contains("full") && message.contains("Nothing was changed"),
        "{err}"
    );
    assert!(
        err["error"]["fix"].as_str().unwrap().contains("Free space"),
        "{err}"
    );
    assert_eq!(err["error"]["details"]["cause"], "disk_full");
    let list: serde_json::Value = serde_json::from_str(&read(&out, "list.out")).unwrap();
    assert_eq!(list["total"], 4, "all rows or none");

    assert_eq!(
        read(&out, "settings.code").trim(),
        "1",
        "{}",
        read(&out, "settings.out")
    );
    let err: serde_json::Value = serde_json::from_str(&read(&out, "settings.out")).unwrap();
    assert!(
        err["error"]["message"]
            .as_str()
            .unwrap()
            .contains("disk is full"),
        "{err}"
    );
    assert!(
        err["error"]["fix"].as_str().unwrap().contains("Free space"),
        "{err}"
    );
    let files = read(&out, "ls");
    assert!(!files.contains(".tmp"), "no temp file is left: {files}");
    assert!(
        read(&out, "settings.json").contains("\"en\""),
        "the old file stays whole"
    );
}

#[test]
fn f11_an_import_of_empty_objects_never_asks_for_more_than_the_file() {
    // 7.5 MB of `{}` entries made the parser reserve a device per entry up front (about 700 MB
    // here; 18.9 GB for 250 MB). Under a 400 MB address-space limit that reservation aborted the
    // process; the stream reads one element at a time.
    let m = Machine::new();
    let mut text = String::with_capacity(8 * 1024 * 1024);
    text.push_str("{\"devices\":[");
    for i in 0..2_500_000 {
        if i > 0 {
            text.push(',');
        }
        text.push_str("{}");
    }
    text.push_str("]}");
    let file = m.write("empty.json", text);
    let run = m.script(
        &["sh"],
        r#"ulimit -v 400000; exec "$HELPATWORK_BIN" --json devices import "$1""#,
        &[file.to_str().unwrap()],
    );
    assert_eq!(run.code, 2, "{}{}", run.stdout, run.stderr);
    let err = run.json();
    assert!(
        err["error"]["message"]
            .as_str()
            .unwrap()
            .contains("2500000 problem(s)"),
        "{err}"
    );
    assert_eq!(
        err["error"]["details"]["errors"].as_array().unwrap().len(),
        200
    );
}

#[cfg(unix)]
#[test]
fn f12_a_settings_file_that_is_a_fifo_or_a_device_is_refused_at_once() {
    let m = Machine::new();
    let settings = m.path("data/settings.json");
    std::fs::create_dir_all(m.path("data")).unwrap();
    assert!(Command::new("mkfifo")
        .arg(&settings)
        .status()
        .unwrap()
        .success());
    let (code, out, err) = run_within(
        m.command(&["--json", "devices", "list"], &[]),
        Duration::from_secs(10),
    );
    assert_eq!(code, 2, "{out}{err}");
    assert!(out.contains("FIFO"), "{out}");
    std::fs::remove_file(&settings).unwrap();
    std::os::unix::fs::symlink("/dev/zero", &settings).unwrap();
    let (code, out, err) = run_within(
        m.command(&["--json", "settings", "show"], &[]),
        Duration::from_secs(10),
    );
    assert_eq!(code, 2, "{out}{err}");
    assert!(out.contains("a device"), "{out}");
}

#[test]
fn f16_a_list_piped_to_head_ends_quietly() {
    let m = Machine::new();
    let fleet = m.write("fleet.json", fleet_of(2000));
    assert_eq!(
        m.run(&["devices", "import", fleet.to_str().unwrap()]).code,
        0
    );
    for args in [
        "devices list --limit 1000",
        "--json devices list --limit 1000",
    ] {
        let run = m.script(
            &["bash"],
            &format!(r#""$HELPATWORK_BIN" {args} | head -n 1 >/dev/null; echo "exit ${{PIPESTATUS[0]}}" >&2"#),
            &[],
        );
        assert!(run.stderr.contains("exit 0"), "{args}: {}", run.stderr);
        assert!(!run.stderr.contains("panicked"), "{args}: {}", run.stderr);
    }
}

#[test]
fn f17_log_lines_in_a_pipe_carry_no_colour_codes() {
    let w = World::new("15.75.1", true);
    // The opener cannot start: the start warns in the log, and goes on.
    let run = w
        .machine
        .with_env("HELPATWORK_OPENER", "/nonexistent/opener")
        .run(&["session", "start", "and-001"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stderr.contains("WARN"), "{}", run.stderr);
    assert!(!run.stderr.contains('\u{1b}'), "{:?}", run.stderr);
}
