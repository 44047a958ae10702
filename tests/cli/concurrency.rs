//! One open session per device, enforced by the database: agents starting at once on the same
//! device get one session and one conflict naming the holder, on SQLite and on PostgreSQL.

use helpatwork_e2e::World;

fn race(w: &World, extra: &[(&str, &str)]) {
    let children: Vec<_> = (0..4)
        .map(|i| {
            let agent = format!("agent{i}");
            let mut env: Vec<(&str, &str)> = extra.to_vec();
            env.push(("USER", agent.as_str()));
            w.machine
                .command(
                    &["--json", "session", "start", "and-001", "--no-launch"],
                    &env,
                )
                .stdout(std::process::Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    let codes: Vec<i32> = children
        .into_iter()
        .map(|c| c.wait_with_output().unwrap().status.code().unwrap_or(-1))
        .collect();
    assert_eq!(
        codes.iter().filter(|c| **c == 0).count(),
        1,
        "exactly one start wins: {codes:?}"
    );
    assert!(
        codes.iter().all(|c| *c == 0 || *c == 7),
        "the others are conflicts: {codes:?}"
    );
}

#[test]
fn one_open_session_per_device_on_sqlite() {
    let w = World::new("15.75.1", true);
    race(&w, &[]);
    assert_eq!(
        w.machine
            .run(&["--json", "session", "list", "--open"])
            .json()
            .as_array()
            .unwrap()
            .len(),
        1
    );
}

#[test]
fn one_open_session_per_device_on_postgres() {
    let Some(server) = std::env::var("HELPATWORK_TEST_POSTGRES_URL")
        .ok()
        .filter(|u| !u.is_empty())
    else {
        eprintln!("skipped: HELPATWORK_TEST_POSTGRES_URL is not set (scripts/test.sh starts a PostgreSQL)");
        return;
    };
    let name = format!("helpatwork_e2e_{}", std::process::id());
    let created = std::process::Command::new("psql")
        .args([server.as_str(), "-qc", &format!("CREATE DATABASE {name}")])
        .status()
        .unwrap();
    assert!(created.success());
    let (base, _) = server.rsplit_once('/').unwrap();
    let url = format!("{base}/{name}");
    let w = World::with_database(&url);
    race(&w, &[("HELPATWORK_DATABASE_URL", url.as_str())]);
    let open = w
        .machine
        .with_env("HELPATWORK_DATABASE_URL", &url)
        .run(&["--json", "session", "list", "--open"])
        .json();
    assert_eq!(open.as_array().unwrap().len(), 1);
}
