//! Streaming the audit trail to real receivers on the loopback: Debian's rsyslogd (RFC 5424
//! over TLS) and an HTTPS webhook. The receivers are killed, events are written meanwhile, the
//! receivers come back: every event arrives, in order per sink, a copy only with the same id.
//! On SQLite and (with `HELPATWORK_TEST_POSTGRES_URL`) PostgreSQL.

use std::sync::Arc;
use std::time::Duration;

use helpatwork_app::dto::{AuditSinkConfig, AuditSinkInput, SinkOutcome};
use helpatwork_app::paths::Paths;
use helpatwork_app::siem::{self, sender};
use helpatwork_app::{AppContext, ContextOptions};
use helpatwork_siem::receivers::{HttpsReceiver, Rsyslog};
use helpatwork_siem::SD_ID;
use helpatwork_store::NewAuditEvent;
use helpatwork_teamviewer::{InMemoryStore, SecretStore};

async fn contexts(dir: &std::path::Path) -> Vec<(AppContext, Option<String>)> {
    let mut out = Vec::new();
    let sqlite = AppContext::open(Paths::at(dir.join("sqlite")), ContextOptions::default())
        .await
        .expect("context");
    out.push((sqlite, None));
    if let Some(server) = std::env::var("HELPATWORK_TEST_POSTGRES_URL")
        .ok()
        .filter(|u| !u.is_empty())
    {
        let name = format!("helpatwork_siem_{}", std::process::id());
        for sql in [
            format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"),
            format!("CREATE DATABASE {name}"),
        ] {
            let ok = std::process::Command::new("psql")
                .args([server.as_str(), "-qc", &sql])
                .status()
                .expect("psql");
            assert!(ok.success(), "{sql}");
        }
        let (base, _) = server.rsplit_once('/').expect("a database URL");
        let url = format!("{base}/{name}");
        let ctx = AppContext::open(
            Paths::at(dir.join("pg")),
            ContextOptions {
                database_url: Some(url.clone()),
                ..ContextOptions::default()
            },
        )
        .await
        .expect("context on PostgreSQL");
        out.push((ctx, Some(url)));
    }
    out
}

async fn write_events(ctx: &AppContext, from: usize, n: usize) -> Vec<String> {
    let mut ids = Vec::new();
    for i in from..from + n {
        let action = format!("test.event.{i:04}");
        ids.push(
            ctx.store
                .append_audit(NewAuditEvent {
                    actor: "agent.test",
                    action: &action,
                    device_id: Some("AND-001"),
                    session_id: None,
                    detail: serde_json::json!({"i": i}),
                })
                .await
                .unwrap(),
        );
    }
    ids
}

/// The ids in arrival order, each copy collapsed onto its first arrival (what a receiver
/// that drops duplicates by id keeps); fails if a later copy would reorder the trail.
fn deduplicated(ids: Vec<String>) -> Vec<String> {
    let mut seen = std::collections::HashSet::new();
    ids.into_iter()
        .filter(|id| seen.insert(id.clone()))
        .collect()
}

fn syslog_ids(r: &Rsyslog) -> Vec<String> {
    r.received()
        .iter()
        .map(|line| {
            let m = syslog_rfc5424::parse_message(line).expect("RFC 5424");
            m.sd.find_tuple(SD_ID, "id")
                .expect("the event id")
                .to_string()
        })
        .collect()
}

fn webhook_ids(h: &HttpsReceiver) -> Vec<String> {
    h.posts()
        .iter()
        .flat_map(|p| {
            assert_eq!(p.authorization.as_deref(), Some("Bearer hook-secret"));
            p.lines.clone()
        })
        .map(|l| {
            serde_json::from_str::<serde_json::Value>(&l).unwrap()["id"]
                .as_str()
                .unwrap()
                .to_string()
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_event_arrives_in_order_after_the_receivers_were_down() {
    if !Rsyslog::available() {
        eprintln!("skipped: rsyslogd is not installed (apt-get install rsyslog rsyslog-gnutls; scripts/setup.sh does)");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    for (n, (ctx, pg)) in contexts(dir.path()).await.into_iter().enumerate() {
        let mut rsyslog = Rsyslog::start(&dir.path().join(format!("rsyslog{n}"))).unwrap();
        let mut hook = HttpsReceiver::start(&dir.path().join(format!("hook{n}")))
            .await
            .unwrap();
        let secrets = InMemoryStore::default();
        siem::put(
            &ctx,
            &secrets,
            AuditSinkInput {
                id: "rsyslog".into(),
                config: AuditSinkConfig::Syslog {
                    host: "127.0.0.1".into(),
                    port: rsyslog.port,
                    tls: true,
                    ca_file: Some(rsyslog.pki.ca.display().to_string()),
                    app_name: String::new(),
                    hostname: "desk-test".into(),
                },
                bearer: None,
            },
        )
        .await
        .unwrap();
        siem::put(
            &ctx,
            &secrets,
            AuditSinkInput {
                id: "hook".into(),
                config: AuditSinkConfig::Webhook {
                    url: hook.url(),
                    ca_file: Some(hook.pki.ca.display().to_string()),
                    uses_bearer: false,
                },
                bearer: Some("hook-secret".into()),
            },
        )
        .await
        .unwrap();
        let holder = sender::holder();
        let mut expected = write_events(&ctx, 0, 5).await;

        // A computer without the webhook's bearer secret leaves it to those that have it: no
        // lease taken, no failure counted; the syslog sink needs none.
        let report = sender::drain(&ctx, &InMemoryStore::default(), "no-secret", false, &())
            .await
            .unwrap();
        assert_eq!(report.sinks[0].id, "hook");
        assert_eq!(report.sinks[0].outcome, SinkOutcome::NoSecret, "{report:?}");
        assert_eq!(
            report.sinks[1].outcome,
            SinkOutcome::Delivered,
            "{report:?}"
        );
        assert_eq!(siem::list(&ctx, &secrets).await.unwrap()[0].attempts, 0);

        let report = sender::drain(&ctx, &secrets, &holder, false, &())
            .await
            .unwrap();
        assert!(
            report
                .sinks
                .iter()
                .all(|s| s.outcome == SinkOutcome::Delivered && s.pending == 0),
            "{report:?}"
        );

        // Both receivers go down (kill -9 for rsyslogd); the trail goes on meanwhile, longer
        // than one batch.
        rsyslog.kill();
        hook.stop().await;
        expected.extend(write_events(&ctx, 5, 450).await);
        let report = sender::drain(&ctx, &secrets, &holder, false, &())
            .await
            .unwrap();
        for s in &report.sinks {
            assert_eq!(s.outcome, SinkOutcome::Failed, "{report:?}");
            assert!(s.error.is_some() && s.next_attempt_at.is_some());
            assert_eq!(s.sent, 0);
        }
        // Waiting out the backoff: a pass does not try the sinks at all (no busy loop).
        let report = sender::drain(&ctx, &secrets, &holder, false, &())
            .await
            .unwrap();
        assert!(
            report
                .sinks
                .iter()
                .all(|s| s.outcome == SinkOutcome::Waiting),
            "{report:?}"
        );
        let status = siem::list(&ctx, &secrets).await.unwrap();
        for s in &status {
            assert_eq!(s.attempts, 1, "{s:?}");
            assert!(s.pending >= 450 && s.oldest_age_seconds.is_some(), "{s:?}");
            assert!(s.last_error.is_some());
        }
        let doctor = siem::doctor::checks(&ctx, &secrets).await.unwrap();
        assert!(doctor
            .iter()
            .all(|c| c.status == helpatwork_domain::CheckStatus::Warn));

        // Back up: the next pass (forced, as `audit send` does) delivers the backlog.
        rsyslog.restart().unwrap();
        hook.restart().await.unwrap();
        let report = sender::drain(&ctx, &secrets, &holder, true, &())
            .await
            .unwrap();
        assert!(
            report
                .sinks
                .iter()
                .all(|s| s.outcome == SinkOutcome::Delivered && s.pending == 0),
            "{report:?}"
        );

        // The events about the sinks themselves came first; then the trail, in order.
        rsyslog.wait_for(expected.len() + 2, Duration::from_secs(15));
        for (name, ids) in [
            ("rsyslog", syslog_ids(&rsyslog)),
            ("hook", webhook_ids(&hook)),
        ] {
            let kept = deduplicated(ids);
            let tail: Vec<String> = kept
                .iter()
                .filter(|id| expected.contains(id))
                .cloned()
                .collect();
            assert_eq!(
                tail,
                expected,
                "{name}: every event, in order; rsyslogd: {}",
                rsyslog.errors()
            );
        }
        if let Some(url) = pg {
            drop(ctx);
            let server = std::env::var("HELPATWORK_TEST_POSTGRES_URL").unwrap();
            let name = url.rsplit_once('/').unwrap().1.to_string();
            let _ = std::process::Command::new("psql")
                .args([
                    server.as_str(),
                    "-qc",
                    &format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"),
                ])
                .output();
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_senders_never_interleave_a_sinks_events() {
    if !Rsyslog::available() {
        eprintln!("skipped: rsyslogd is not installed (apt-get install rsyslog rsyslog-gnutls; scripts/setup.sh does)");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let ctx = Arc::new(
        AppContext::open(
            Paths::at(dir.path().join("data")),
            ContextOptions::default(),
        )
        .await
        .unwrap(),
    );
    let rsyslog = Rsyslog::start(&dir.path().join("rsyslog")).unwrap();
    let secrets: Arc<dyn SecretStore> = Arc::new(InMemoryStore::default());
    siem::put(
        &ctx,
        secrets.as_ref(),
        AuditSinkInput {
            id: "rsyslog".into(),
            config: AuditSinkConfig::Syslog {
                host: "127.0.0.1".into(),
                port: rsyslog.port,
                tls: true,
                ca_file: Some(rsyslog.pki.ca.display().to_string()),
                app_name: String::new(),
                hostname: "desk-test".into(),
            },
            bearer: None,
        },
    )
    .await
    .unwrap();
    let expected = write_events(&ctx, 0, 600).await;
    let mut passes = Vec::new();
    for _ in 0..2 {
        let (ctx, secrets) = (ctx.clone(), secrets.clone());
        passes.push(tokio::spawn(async move {
            sender::drain(&ctx, secrets.as_ref(), &sender::holder(), true, &())
                .await
                .unwrap()
        }));
    }
    let mut outcomes = Vec::new();
    for p in passes {
        outcomes.push(p.await.unwrap().sinks[0].clone());
    }
    let sent: u64 = outcomes.iter().map(|o| o.sent).sum();
    assert_eq!(sent, 601, "{outcomes:?}");
    rsyslog.wait_for(601, Duration::from_secs(15));
    std::thread::sleep(Duration::from_millis(300));
    // One sender held the sink: nothing was sent twice, the other pass found it busy or empty.
    assert_eq!(rsyslog.received().len(), 601, "{outcomes:?}");
    let kept = deduplicated(syslog_ids(&rsyslog));
    let tail: Vec<String> = kept
        .into_iter()
        .filter(|id| expected.contains(id))
        .collect();
    assert_eq!(tail, expected);
}
