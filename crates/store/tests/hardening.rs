//! The store under hostile ids, damaged files, lock contention and a streamed import.

mod support;

use std::io::Write;
use std::sync::{Arc, Mutex};

use helpatwork_domain::Platform;
use helpatwork_store::{AuditQuery, NewAuditEvent, Store, Trouble, VerifiedAccount};
use support::{device, stores};

#[tokio::test]
async fn ids_that_differ_in_case_width_or_dash_are_one_stored_device() {
    // Hardening finding 6: `AND-001`, `and-001` and `and‐001` were three devices.
    for (_dir, store) in stores().await {
        store
            .upsert_devices(&[device("and-001", "Ana", Platform::Android)], "embedded")
            .await
            .unwrap();
        let again = store
            .upsert_devices(
                &[device("AND-001", "Ana renamed", Platform::Android)],
                "embedded",
            )
            .await
            .unwrap();
        assert_eq!((again.inserted, again.updated), (0, 1), "{again:?}");
        assert_eq!(store.device_count().await.unwrap(), 1);
        for variant in ["and-001", "AND-001", "and\u{2010}001", "ａｎｄ－００１"] {
            let found = store.device(variant).await.unwrap().expect(variant);
            assert_eq!(found.id, "and-001", "the stored id is kept: {variant:?}");
            assert_eq!(found.name, "Ana renamed");
        }
        assert!(store.device("and-002").await.unwrap().is_none());

        // A stored id that is not its own key (kept as the MDM spelled it) is found, and
        // written again, by any spelling too.
        store
            .upsert_devices(&[device("IOS-007", "Ivo", Platform::Ios)], "embedded")
            .await
            .unwrap();
        let again = store
            .upsert_devices(
                &[device("ios\u{2010}007", "Ivo renamed", Platform::Ios)],
                "embedded",
            )
            .await
            .unwrap();
        assert_eq!((again.inserted, again.updated), (0, 1), "{again:?}");
        for variant in ["ios-007", "IOS-007", "Ios-007"] {
            let found = store.device(variant).await.unwrap().expect(variant);
            assert_eq!(found.id, "IOS-007", "the stored id is kept: {variant:?}");
            assert_eq!(found.name, "Ivo renamed");
        }
        assert_eq!(store.device_count().await.unwrap(), 2);
    }
}

#[tokio::test]
async fn a_device_write_keeps_every_batch_or_none() {
    // Hardening finding 11: an import is written batch by batch in one transaction.
    for (_dir, store) in stores().await {
        let batch = |from: usize| -> Vec<_> {
            (from..from + 50)
                .map(|i| {
                    device(
                        &format!("and-{i:04}"),
                        &format!("Device {i}"),
                        Platform::Android,
                    )
                })
                .collect()
        };
        let mut write = store.begin_device_write("embedded", None).await.unwrap();
        write.write(&batch(0)).await.unwrap();
        write.write(&batch(50)).await.unwrap();
        write.rollback().await.unwrap();
        assert_eq!(store.device_count().await.unwrap(), 0, "rolled back");

        let mut write = store.begin_device_write("embedded", None).await.unwrap();
        write.write(&batch(0)).await.unwrap();
        write.write(&batch(50)).await.unwrap();
        let summary = write.commit().await.unwrap();
        assert_eq!(summary.inserted, 100);
        assert_eq!(store.device_count().await.unwrap(), 100);
    }
}

#[tokio::test]
async fn a_corrupt_file_fails_at_once_with_its_cause() {
    // Hardening finding 9: the pool retried for 10 s and said only "pool timed out".
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("helpatwork.db");
    std::fs::File::create(&path)
        .unwrap()
        .write_all(&[0x5a; 64 * 1024])
        .unwrap();
    let started = std::time::Instant::now();
    let err = Store::open_sqlite(&path).await.unwrap_err();
    assert!(
        started.elapsed() < std::time::Duration::from_secs(3),
        "{:?}",
        started.elapsed()
    );
    let text = err.to_string();
    assert!(text.contains("file is not a database"), "{text}");
    assert_eq!(err.trouble(), Trouble::Corrupt);
}

#[cfg(unix)]
#[tokio::test]
async fn a_new_store_is_owner_only() {
    // Hardening finding 4: the data directory was 0755 and the database 0644.
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("data/helpatwork.db");
    let store = Store::open_sqlite(&path).await.unwrap();
    store
        .upsert_devices(&[device("and-001", "Ana", Platform::Android)], "embedded")
        .await
        .unwrap();
    let mode = |p: &std::path::Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode(&dir.path().join("data")), 0o700);
    for name in ["helpatwork.db", "helpatwork.db-wal", "helpatwork.db-shm"] {
        let file = dir.path().join("data").join(name);
        assert_eq!(mode(&file), 0o600, "{name}");
    }
    store.close().await;
}

#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[tokio::test]
async fn a_statement_slowed_by_another_process_lock_is_not_logged_at_the_default_level() {
    // Hardening finding 17: lock contention printed a ~98 KB SQL statement as a warning.
    let captured = Captured::default();
    let writer = captured.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::WARN)
        .with_ansi(false)
        .with_writer(move || writer.clone())
        .finish();
    tracing::subscriber::set_global_default(subscriber).unwrap();

    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("helpatwork.db");
    let waiting = Store::open_sqlite(&path).await.unwrap();
    let holder = Store::open_sqlite(&path).await.unwrap();
    let mut tx = holder.pool().begin().await.unwrap();
    sqlx::query("INSERT INTO settings (key, value, updated_at) VALUES ('held', 'x', 'now')")
        .execute(&mut *tx)
        .await
        .unwrap();
    let release = tokio::spawn(async move {
        tokio::time::sleep(std::time::Duration::from_millis(1500)).await;
        tx.commit().await.unwrap();
    });
    let started = std::time::Instant::now();
    waiting
        .set_setting("slow-statement-marker", "v")
        .await
        .unwrap();
    assert!(
        started.elapsed() >= std::time::Duration::from_secs(1),
        "it waited"
    );
    release.await.unwrap();
    let log = String::from_utf8(captured.0.lock().unwrap().clone()).unwrap();
    assert!(!log.contains("slow-statement-marker"), "{log}");
    assert!(!log.contains("INSERT INTO settings"), "{log}");
}

#[tokio::test]
async fn audit_events_carry_the_verified_teamviewer_account_or_none() {
    // Hardening finding 5: the actor was $USER alone.
    for (_dir, store) in stores().await {
        let event = |action| NewAuditEvent {
            actor: "agent.test",
            action,
            device_id: None,
            session_id: None,
            detail: serde_json::json!({}),
        };
        store.append_audit(event("unverified")).await.unwrap();
        store.verify_account_with(async {
            Some(VerifiedAccount {
                userid: "u42".into(),
                name: "Ana Souza".into(),
            })
        });
        store.append_audit(event("verified")).await.unwrap();
        let events = store.audit_events(&AuditQuery::default()).await.unwrap();
        let by = |action: &str| events.iter().find(|e| e.action == action).unwrap();
        assert_eq!(by("unverified").account, None);
        assert_eq!(by("unverified").actor, "agent.test");
        let verified = by("verified");
        assert_eq!(
            verified.actor, "agent.test",
            "the OS account stays the actor"
        );
        assert_eq!(
            verified.account,
            Some(VerifiedAccount {
                userid: "u42".into(),
                name: "Ana Souza".into()
            })
        );
    }
}
