//! A start that stopped before TeamViewer answered (the process was killed) leaves a `requested`
//! session: it holds the device while a start could still be running, then it is marked failed
//! at "create" so the device is free again; the audit trail says so.

use chrono::{DateTime, Duration, Utc};
use helpatwork_app::context::Clock;
use helpatwork_app::paths::Paths;
use helpatwork_app::session::{self, STALE_REQUEST};
use helpatwork_app::{AppContext, ContextOptions};
use helpatwork_domain::{Mode, SessionState};
use helpatwork_store::{NewAuditEvent, SessionRecord};

const FLEET: &str = r#"{"devices":[{"id":"and-001","name":"Ana's Galaxy",
  "user":{"name":"Ana Souza","email":"ana@example.com"},"platform":"android","os_version":"14",
  "manufacturer":"Samsung","model":"Galaxy S23","kiosk":false,"mam_only":false,"online":true,
  "last_checkin":"2026-11-20T10:00:00Z","host_activated":false,
  "apps":[{"app":"quicksupport","version":"15.60.1","managed":true,"allowlisted":true}]}]}"#;

fn at(text: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(text)
        .unwrap()
        .with_timezone(&Utc)
}

fn requested(id: &str, created_at: DateTime<Utc>, code: Option<&str>) -> SessionRecord {
    SessionRecord {
        id: id.into(),
        device_id: "and-001".into(),
        mode: Mode::Attended,
        state: SessionState::Requested,
        code: code.map(str::to_string),
        agent: "agent.test".into(),
        reason: String::new(),
        supporter_link: None,
        end_customer_link: None,
        failed_step: None,
        error: None,
        created_at,
        expires_at: None,
        launched: false,
        delivery: None,
        valid_until: None,
        ended_at: None,
        ended_by: None,
        reconciled_at: None,
        teamviewer_userid: None,
        ticket: None,
        view_only: false,
    }
}

#[tokio::test]
async fn a_start_that_stopped_before_teamviewer_answered_frees_the_device_once_stale() {
    let dir = tempfile::tempdir().unwrap();
    let mut ctx = AppContext::open(Paths::at(dir.path()), ContextOptions::default())
        .await
        .unwrap();
    let devices = helpatwork_domain::fleet::parse_json(FLEET.as_bytes()).unwrap();
    ctx.store.upsert_devices(&devices, "test").await.unwrap();
    let started = at("2026-11-26T09:00:00Z");
    let killed = requested("01-killed-start", started, None);
    ctx.store
        .insert_session(
            &killed,
            NewAuditEvent {
                actor: "agent.test",
                action: "session.requested",
                device_id: Some("and-001"),
                session_id: Some(&killed.id),
                detail: serde_json::json!({}),
            },
        )
        .await
        .map_err(|_| "insert")
        .unwrap();

    // While a start could still be waiting for TeamViewer, the row holds the device.
    ctx.clock = Clock::fixed(started + Duration::seconds(60));
    session::expire_due(&ctx).await.unwrap();
    let open = session::list(&ctx, true, 10).await.unwrap();
    assert_eq!(open.len(), 1, "still held one minute later");

    // Past every timeout: failed at "create", nothing open, the device can start again.
    ctx.clock = Clock::fixed(started + STALE_REQUEST + Duration::seconds(1));
    assert!(session::list(&ctx, true, 10).await.unwrap().is_empty());
    let row = ctx.store.session(&killed.id).await.unwrap().unwrap();
    assert_eq!(row.state, SessionState::Failed);
    assert_eq!(row.failed_step.as_deref(), Some("create"));
    assert!(row.error.is_some());
    assert!(ctx
        .store
        .open_session_for_device("and-001")
        .await
        .unwrap()
        .is_none());
    let failed: Vec<_> = ctx
        .store
        .audit_events(&helpatwork_store::AuditQuery {
            device_id: Some("and-001".into()),
            limit: 100,
            ..Default::default()
        })
        .await
        .unwrap()
        .into_iter()
        .map(|e| e.action)
        .collect();
    assert!(failed.contains(&"session.failed".to_string()), "{failed:?}");
    assert!(
        failed.contains(&"session.requested".to_string()),
        "{failed:?}"
    );

    // Once only: another pass changes nothing.
    session::expire_due(&ctx).await.unwrap();
    let again = ctx.store.session(&killed.id).await.unwrap().unwrap();
    assert_eq!(again.state, SessionState::Failed);
}

#[tokio::test]
async fn a_requested_row_with_a_teamviewer_code_is_not_taken_for_a_stopped_start() {
    let dir = tempfile::tempdir().unwrap();
    let mut ctx = AppContext::open(Paths::at(dir.path()), ContextOptions::default())
        .await
        .unwrap();
    let devices = helpatwork_domain::fleet::parse_json(FLEET.as_bytes()).unwrap();
    ctx.store.upsert_devices(&devices, "test").await.unwrap();
    let started = at("2026-11-26T09:00:00Z");
    let row = requested("01-with-code", started, Some("s12-345-678"));
    ctx.store
        .insert_session(
            &row,
            NewAuditEvent {
                actor: "agent.test",
                action: "session.requested",
                device_id: Some("and-001"),
                session_id: Some(&row.id),
                detail: serde_json::json!({}),
            },
        )
        .await
        .map_err(|_| "insert")
        .unwrap();
    ctx.clock = Clock::fixed(started + STALE_REQUEST * 10);
    session::expire_due(&ctx).await.unwrap();
    assert_eq!(
        ctx.store.session(&row.id).await.unwrap().unwrap().state,
        SessionState::Requested
    );
}

/// `n` Android devices, ids `race-0000`… (the generator's ready fleet).
fn race_fleet(n: usize) -> Vec<helpatwork_domain::Device> {
    helpatwork_fleetgen::ready("race", n).collect()
}

/// What four processes find due at once.
#[derive(Clone, Copy)]
enum Due {
    /// Starts that stopped before TeamViewer answered: marked failed at "create".
    StoppedStart,
    /// iOS sessions past their 30 minutes (S5): marked expired.
    Expiry,
}

/// Four processes (each its own context and connections on one store) run `expire_due` at once
/// over the same due sessions: each session changes once and is audited once.
async fn concurrent_passes_audit_each_due_session_once(database_url: Option<String>, due: Due) {
    const SESSIONS: usize = 12;
    let dir = tempfile::tempdir().unwrap();
    let options = || ContextOptions {
        database_url: database_url.clone(),
        ..Default::default()
    };
    let ctx = AppContext::open(Paths::at(dir.path()), options())
        .await
        .unwrap();
    ctx.store
        .upsert_devices(&race_fleet(SESSIONS), "test")
        .await
        .unwrap();
    let started = at("2026-11-26T09:00:00Z");
    let ids: Vec<String> = (0..SESSIONS).map(|i| format!("01-due-{i:02}")).collect();
    for (i, id) in ids.iter().enumerate() {
        let mut row = requested(id, started, None);
        row.device_id = helpatwork_fleetgen::ready_id("race", i);
        if let Due::Expiry = due {
            row.state = SessionState::Delivered;
            row.code = Some(format!("s{:02}-345-678", i));
            row.expires_at = Some(started + Duration::minutes(30));
        }
        ctx.store
            .insert_session(
                &row,
                NewAuditEvent {
                    actor: "agent.test",
                    action: "session.requested",
                    device_id: Some(&row.device_id),
                    session_id: Some(id),
                    detail: serde_json::json!({}),
                },
            )
            .await
            .map_err(|_| "insert")
            .unwrap();
    }

    let later = match due {
        Due::StoppedStart => started + STALE_REQUEST + Duration::seconds(1),
        Due::Expiry => started + Duration::minutes(31),
    };
    let mut processes = Vec::new();
    for _ in 0..4 {
        let mut ctx = AppContext::open(Paths::at(dir.path()), options())
            .await
            .unwrap();
        ctx.clock = Clock::fixed(later);
        processes.push(ctx);
    }
    let barrier = std::sync::Arc::new(tokio::sync::Barrier::new(processes.len()));
    let tasks: Vec<_> = processes
        .into_iter()
        .map(|ctx| {
            let barrier = barrier.clone();
            tokio::spawn(async move {
                barrier.wait().await;
                session::expire_due(&ctx).await
            })
        })
        .collect();
    for task in tasks {
        task.await.unwrap().expect("no process gets an error");
    }

    let (state, action) = match due {
        Due::StoppedStart => (SessionState::Failed, "session.failed"),
        Due::Expiry => (SessionState::Expired, "session.expired"),
    };
    for id in &ids {
        let row = ctx.store.session(id).await.unwrap().unwrap();
        assert_eq!(row.state, state, "{id}");
        if let Due::StoppedStart = due {
            assert_eq!(row.failed_step.as_deref(), Some("create"), "{id}");
        }
        let audited = ctx
            .store
            .audit_events(&helpatwork_store::AuditQuery {
                device_id: Some(row.device_id.clone()),
                limit: 100,
                ..Default::default()
            })
            .await
            .unwrap()
            .into_iter()
            .filter(|e| e.action == action)
            .count();
        assert_eq!(audited, 1, "{id}: {state} and audited exactly once");
    }
    assert!(session::list(&ctx, true, 100).await.unwrap().is_empty());
}

/// A fresh database on the test PostgreSQL server, dropped after `test`; skipped without one.
async fn on_postgres<F, Fut>(tag: &str, test: F)
where
    F: FnOnce(String) -> Fut,
    Fut: std::future::Future<Output = ()>,
{
    let Some(server) = std::env::var("HELPATWORK_TEST_POSTGRES_URL")
        .ok()
        .filter(|u| !u.is_empty())
    else {
        eprintln!("skipped: HELPATWORK_TEST_POSTGRES_URL is not set (scripts/test.sh starts a PostgreSQL)");
        return;
    };
    let name = format!("helpatwork_{tag}_{}", std::process::id());
    let created = std::process::Command::new("psql")
        .args([server.as_str(), "-qc", &format!("CREATE DATABASE {name}")])
        .status()
        .expect("psql");
    assert!(created.success(), "CREATE DATABASE {name}");
    let (base, _) = server.rsplit_once('/').expect("a database URL");
    test(format!("{base}/{name}")).await;
    let _ = std::process::Command::new("psql")
        .args([
            server.as_str(),
            "-qc",
            &format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"),
        ])
        .output();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_recoveries_audit_each_stopped_start_once_on_sqlite() {
    concurrent_passes_audit_each_due_session_once(None, Due::StoppedStart).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_recoveries_audit_each_stopped_start_once_on_postgres() {
    on_postgres("stale", |url| {
        concurrent_passes_audit_each_due_session_once(Some(url), Due::StoppedStart)
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_expiries_audit_each_expired_session_once_on_sqlite() {
    concurrent_passes_audit_each_due_session_once(None, Due::Expiry).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_expiries_audit_each_expired_session_once_on_postgres() {
    on_postgres("expiry", |url| {
        concurrent_passes_audit_each_due_session_once(Some(url), Due::Expiry)
    })
    .await;
}

/// S4: a start that stopped while delivering leaves a `created` session whose configuration may
/// already be on the MDM; when that session expires, its configuration is cleared too.
#[tokio::test]
async fn s4_a_session_that_expires_while_created_clears_its_app_configuration() {
    let dir = tempfile::tempdir().unwrap();
    let mut ctx = AppContext::open(Paths::at(dir.path()), ContextOptions::default())
        .await
        .unwrap();
    let devices = helpatwork_domain::fleet::parse_json(FLEET.as_bytes()).unwrap();
    ctx.store.upsert_devices(&devices, "test").await.unwrap();
    let started = at("2026-11-26T09:00:00Z");
    let mut row = requested("01-stopped-delivering", started, Some("s12-345-678"));
    row.state = SessionState::Created;
    row.valid_until = Some(started + Duration::minutes(30));
    row.expires_at = Some(started + Duration::minutes(30));
    ctx.store
        .insert_session(
            &row,
            NewAuditEvent {
                actor: "agent.test",
                action: "session.created",
                device_id: Some("and-001"),
                session_id: Some(&row.id),
                detail: serde_json::json!({}),
            },
        )
        .await
        .map_err(|_| "insert")
        .unwrap();
    let config = serde_json::json!({"session_code": "s12-345-678", "auto_launch": true});
    ctx.mdm
        .set_app_config(
            "and-001",
            helpatwork_domain::device::AppKind::Quicksupport,
            Some(&config),
        )
        .await
        .unwrap();
    assert!(ctx
        .store
        .app_config("and-001", "quicksupport")
        .await
        .unwrap()
        .is_some());

    ctx.clock = Clock::fixed(started + Duration::hours(2));
    session::expire_due(&ctx).await.unwrap();
    assert_eq!(
        ctx.store.session(&row.id).await.unwrap().unwrap().state,
        SessionState::Expired
    );
    assert!(
        ctx.store
            .app_config("and-001", "quicksupport")
            .await
            .unwrap()
            .is_none(),
        "the half-written configuration is cleared"
    );
}
