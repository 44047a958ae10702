//! Crashes: `helpatwork` killed with SIGKILL in the middle of an import, a sync, a session start
//! and a deprovisioning. Afterwards the store opens and is consistent, the import is all or
//! nothing, the sync resumes, the killed start is recoverable and ends cleanly, and no committed
//! audit event is lost. On SQLite (WAL) and, when `HELPATWORK_TEST_POSTGRES_URL` is set, on
//! PostgreSQL. The session commands' crashes are in `sessions.rs`.

use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use helpatwork_e2e::Machine;
use helpatwork_ivanti_fake::{self as fake, FakeIvantiOptions, FleetSpec};

/// The store a test runs on, read directly (not through the binary under test).
pub(crate) enum Db {
    Sqlite(PathBuf),
    Postgres(String),
}

impl Db {
    pub(crate) fn sqlite(machine: &Machine) -> Self {
        Db::Sqlite(machine.path("data").join("helpatwork.db"))
    }

    /// A fresh database on the test server, or `None` (skipped) when there is none.
    pub(crate) fn postgres(tag: &str) -> Option<Self> {
        let Some(server) = std::env::var("HELPATWORK_TEST_POSTGRES_URL")
            .ok()
            .filter(|u| !u.is_empty())
        else {
            eprintln!("skipped: HELPATWORK_TEST_POSTGRES_URL is not set (scripts/test.sh starts a PostgreSQL)");
            return None;
        };
        let name = format!("helpatwork_crash_{tag}_{}", std::process::id());
        let created = Command::new("psql")
            .args([server.as_str(), "-qc", &format!("CREATE DATABASE {name}")])
            .status()
            .expect("psql");
        assert!(created.success(), "CREATE DATABASE {name}");
        let (base, _) = server.rsplit_once('/').expect("a database URL");
        Some(Db::Postgres(format!("{base}/{name}")))
    }

    pub(crate) fn url(&self) -> Option<&str> {
        match self {
            Db::Sqlite(_) => None,
            Db::Postgres(url) => Some(url),
        }
    }

    /// One query's answer as text (first column of the first row).
    pub(crate) fn query(&self, sql: &str) -> String {
        let out = match self {
            Db::Sqlite(path) => Command::new("sqlite3")
                .args(["-cmd", ".timeout 5000"])
                .arg(path)
                .arg(sql)
                .output(),
            Db::Postgres(url) => Command::new("psql").args([url, "-tAc", sql]).output(),
        }
        .expect("sqlite3 or psql");
        assert!(
            out.status.success(),
            "{sql}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).trim().to_string()
    }

    pub(crate) fn count(&self, sql: &str) -> u64 {
        let text = self.query(sql);
        text.parse()
            .unwrap_or_else(|_| panic!("{sql}: not a count: {text:?}"))
    }

    /// The database's own consistency check: SQLite's `integrity_check` and foreign keys; on
    /// PostgreSQL, no row refers to a missing device.
    pub(crate) fn assert_consistent(&self) {
        match self {
            Db::Sqlite(_) => {
                assert_eq!(self.query("PRAGMA integrity_check;"), "ok");
                assert_eq!(self.query("PRAGMA foreign_key_check;"), "");
            }
            Db::Postgres(_) => {}
        }
        assert_eq!(
            self.count(
                "SELECT COUNT(*) FROM sessions s WHERE NOT EXISTS \
                 (SELECT 1 FROM devices d WHERE d.id = s.device_id)"
            ),
            0
        );
        assert_eq!(
            self.count(
                "SELECT COUNT(*) FROM device_apps a WHERE NOT EXISTS \
                 (SELECT 1 FROM devices d WHERE d.id = a.device_id)"
            ),
            0
        );
    }

    fn audit_ids(&self) -> Vec<String> {
        self.query("SELECT id FROM audit_events ORDER BY id;")
            .lines()
            .map(str::to_string)
            .collect()
    }
}

/// `n` Android devices with QuickSupport and Host installed (the generator's ready fleet), ids
/// `crash-0000`…
fn big_fleet(n: usize, prefix: &str) -> String {
    helpatwork_fleetgen::file::json(helpatwork_fleetgen::ready(prefix, n))
}

fn spawn(machine: &Machine, args: &[&str], db: &Db) -> Child {
    let extra: Vec<(&str, &str)> = db
        .url()
        .map(|u| vec![("HELPATWORK_DATABASE_URL", u)])
        .unwrap_or_default();
    machine
        .command(args, &extra)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn helpatwork")
}

/// SIGKILL: no destructor, no rollback, no flush runs. `false` when it had already exited.
fn kill_9(mut child: Child) -> bool {
    if child.try_wait().expect("try_wait").is_some() {
        return false;
    }
    child.kill().expect("kill -9");
    let status = child.wait().expect("reaped");
    !status.success()
}

/// Waits until `done` holds (checked every 20 ms), at most `limit`.
fn wait_until(limit: Duration, what: &str, mut done: impl FnMut() -> bool) {
    let start = Instant::now();
    while !done() {
        assert!(start.elapsed() < limit, "timed out waiting until {what}");
        std::thread::sleep(Duration::from_millis(20));
    }
}

fn run(machine: &Machine, db: &Db, args: &[&str]) -> helpatwork_e2e::Run {
    match db.url() {
        Some(url) => machine.with_env("HELPATWORK_DATABASE_URL", url).run(args),
        None => machine.run(args),
    }
}

fn run_ok(machine: &Machine, db: &Db, args: &[&str]) -> serde_json::Value {
    let run = run(machine, db, args);
    assert_eq!(run.code, 0, "{args:?}: {}{}", run.stdout, run.stderr);
    run.json()
}

impl Drop for Db {
    /// A PostgreSQL test database is dropped with its test (a killed client's connection is
    /// gone already; `FORCE` ends any the server still holds).
    fn drop(&mut self) {
        if let (Db::Postgres(url), Ok(server)) =
            (&*self, std::env::var("HELPATWORK_TEST_POSTGRES_URL"))
        {
            if let Some((_, name)) = url.rsplit_once('/') {
                let _ = Command::new("psql")
                    .args([
                        server.as_str(),
                        "-qc",
                        &format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"),
                    ])
                    .output();
            }
        }
    }
}

// ---- import -------------------------------------------------------------------------------

fn import_is_all_or_nothing(machine: Machine, db: Db) {
    let before = db.count("SELECT COUNT(*) FROM devices;");
    let audit_before = db.audit_ids();
    const N: usize = 20_000;
    let file = machine.write("big.json", big_fleet(N, "crash"));
    let apps_per_device = helpatwork_fleetgen::ready("crash", 1)
        .map(|d| d.apps.map_or(0, |a| a.len()) as u64)
        .sum::<u64>();
    let file = file.to_str().unwrap();

    // How long a whole import takes here: the kills land before, during and near its end.
    let probe = Machine::new();
    let probe_db = match &db {
        Db::Sqlite(_) => Db::sqlite(&probe),
        Db::Postgres(_) => Db::postgres("import_probe").unwrap(),
    };
    let probe_file = probe.write("big.json", big_fleet(N, "crash"));
    let started = Instant::now();
    run_ok(
        &probe,
        &probe_db,
        &["--json", "devices", "import", probe_file.to_str().unwrap()],
    );
    let full = started.elapsed();

    let mut outcomes = Vec::new();
    for percent in [20u32, 50, 80, 95] {
        let child = spawn(&machine, &["devices", "import", file], &db);
        std::thread::sleep(full * percent / 100);
        let killed = kill_9(child);
        db.assert_consistent();
        let now = db.count("SELECT COUNT(*) FROM devices;");
        assert!(
            now == before || now == before + N as u64,
            "all or nothing after a kill at {percent}%: {now} devices (before {before})"
        );
        let apps = db.count("SELECT COUNT(*) FROM device_apps WHERE device_id LIKE 'crash-%';");
        assert_eq!(
            apps,
            if now == before {
                0
            } else {
                apps_per_device * N as u64
            },
            "devices and their apps in one transaction"
        );
        outcomes.push((percent, now, killed));
        if now != before {
            break;
        }
    }
    eprintln!("import kills (percent of a full import, devices, killed): {outcomes:?}");

    // The store still works, the import completes, nothing committed before is lost.
    let done = run_ok(&machine, &db, &["--json", "devices", "import", file]);
    assert!(done.is_object(), "{done}");
    assert_eq!(db.count("SELECT COUNT(*) FROM devices;"), before + N as u64);
    let audit_after = db.audit_ids();
    assert!(
        audit_before.iter().all(|id| audit_after.contains(id)),
        "committed audit events survive"
    );
    let listed = run_ok(
        &machine,
        &db,
        &["--json", "devices", "list", "--limit", "1"],
    );
    assert_eq!(listed["total"], before + N as u64);
}

#[test]
fn killed_import_is_all_or_nothing_on_sqlite() {
    let machine = Machine::new();
    let small = machine.write("fleet.json", helpatwork_e2e::fleet_json());
    assert_eq!(
        machine
            .run(&["devices", "import", small.to_str().unwrap()])
            .code,
        0
    );
    let db = Db::sqlite(&machine);
    import_is_all_or_nothing(machine, db);
}

#[test]
fn killed_import_is_all_or_nothing_on_postgres() {
    let Some(db) = Db::postgres("import") else {
        return;
    };
    let machine = Machine::new().env("HELPATWORK_DATABASE_URL", db.url().unwrap());
    let small = machine.write("fleet.json", helpatwork_e2e::fleet_json());
    assert_eq!(
        machine
            .run(&["devices", "import", small.to_str().unwrap()])
            .code,
        0
    );
    import_is_all_or_nothing(machine, db);
}

// ---- sync ---------------------------------------------------------------------------------

fn killed_sync_resumes(postgres: Option<Db>) {
    const N: u64 = 6000;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .unwrap();
    let ivanti = runtime
        .block_on(fake::spawn(FakeIvantiOptions {
            fleet: FleetSpec {
                devices: N as usize,
                ..Default::default()
            },
            ..Default::default()
        }))
        .unwrap();
    // Slow pages (a sync writes what it has read about every second): the kill lands after
    // some pages are written and before the last.
    ivanti.handle.set_latency(Duration::from_millis(1500));
    let mut machine = Machine::new()
        .env("HELPATWORK_MDM", "ivanti")
        .env("HELPATWORK_IVANTI_URL", &ivanti.base_url)
        .env("HELPATWORK_IVANTI_USER", &ivanti.user)
        .env("HELPATWORK_IVANTI_PASSWORD", &ivanti.password);
    let db = match postgres {
        Some(db) => {
            machine = machine.env("HELPATWORK_DATABASE_URL", db.url().unwrap());
            db
        }
        None => Db::sqlite(&machine),
    };
    // The store exists before the run (the first command migrates it).
    run_ok(
        &machine,
        &db,
        &["--json", "devices", "list", "--limit", "1"],
    );
    let device_indexes =
        "SELECT COUNT(*) FROM sqlite_master WHERE type = 'index' AND tbl_name = 'devices';";
    let indexes = db.url().is_none().then(|| db.count(device_indexes));

    let child = spawn(&machine, &["--json", "devices", "sync"], &db);
    wait_until(Duration::from_secs(60), "a page is written", || {
        db.count("SELECT COUNT(*) FROM devices;") > 0
    });
    assert!(kill_9(child), "killed before it finished");
    db.assert_consistent();
    let written = db.count("SELECT COUNT(*) FROM devices;");
    assert!(
        written < N && written % 500 == 0,
        "whole pages, in order, and not all of them: {written}"
    );
    if indexes.is_some() {
        // A first load builds the devices table's indexes when its sync ends: this one's wait
        // for the next sync's end.
        assert!(db.count("SELECT COUNT(*) FROM deferred_indexes;") > 0);
    }

    ivanti.handle.set_latency(Duration::ZERO);
    // The killed sync still holds its lease: another sync at once is told one is running.
    let refused = run(&machine, &db, &["--json", "devices", "sync"]);
    assert_eq!(refused.code, 7, "{}{}", refused.stdout, refused.stderr);
    assert_eq!(refused.json()["error"]["code"], "conflict");
    assert_eq!(db.count("SELECT COUNT(*) FROM devices;"), written);
    // Once the lease was not renewed for its time (2 minutes), the next sync takes the run over.
    let later = (chrono::Utc::now() + chrono::Duration::minutes(3)).to_rfc3339();
    let resumed = match db.url() {
        Some(url) => machine
            .command(
                &["--json", "devices", "sync"],
                &[("HELPATWORK_DATABASE_URL", url), ("HELPATWORK_NOW", &later)],
            )
            .output(),
        None => machine
            .command(
                &["--json", "devices", "sync"],
                &[("HELPATWORK_NOW", &later)],
            )
            .output(),
    }
    .expect("run helpatwork");
    assert_eq!(
        resumed.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&resumed.stdout)
    );
    let resumed: serde_json::Value = serde_json::from_slice(&resumed.stdout).unwrap();
    assert_eq!(resumed["resumed"], true, "{resumed}");
    assert_eq!(
        resumed["inserted"].as_u64().unwrap() + resumed["skipped"].as_u64().unwrap(),
        N - written,
        "only what was not written is read again: {resumed}"
    );
    assert_eq!(resumed["removed"], 0, "{resumed}");
    assert_eq!(db.count("SELECT COUNT(*) FROM devices;"), N);
    if let Some(indexes) = indexes {
        assert_eq!(db.count(device_indexes), indexes, "every index built");
        assert_eq!(db.count("SELECT COUNT(*) FROM deferred_indexes;"), 0);
        db.assert_consistent();
    }
    let listed = run_ok(
        &machine,
        &db,
        &["--json", "devices", "list", "--limit", "1"],
    );
    assert_eq!(listed["total"], N);
}

#[test]
fn killed_sync_resumes_on_sqlite() {
    killed_sync_resumes(None);
}

#[test]
fn killed_sync_resumes_on_postgres() {
    if let Some(db) = Db::postgres("sync") {
        killed_sync_resumes(Some(db));
    }
}

mod sessions;
