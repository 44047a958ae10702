//! Sessions in the store, on SQLite and PostgreSQL: one open session per device and per
//! TeamViewer code, and the closes owed to TeamViewer written with the end that owes them.

mod support;

use helpatwork_domain::{Mode, SessionState};
use helpatwork_store::{NewAuditEvent, SessionFacts, SessionPatch, SessionRecord, Store};

const FLEET: &str = r#"{"devices":[
 {"id":"and-001","name":"A","user":{"name":"Ana","email":"ana@example.com"},"platform":"android","os_version":"14",
  "manufacturer":"Samsung","model":"Galaxy S23","kiosk":false,"mam_only":false,"online":true,
  "last_checkin":"2026-11-20T10:00:00Z","host_activated":false,"apps":[]},
 {"id":"and-002","name":"B","user":{"name":"Bia","email":"bia@example.com"},"platform":"android","os_version":"14",
  "manufacturer":"Samsung","model":"Galaxy S23","kiosk":false,"mam_only":false,"online":true,
  "last_checkin":"2026-11-20T10:00:00Z","host_activated":false,"apps":[]}]}"#;

fn at(text: &str) -> chrono::DateTime<chrono::Utc> {
    text.parse().unwrap()
}

fn event<'a>(action: &'a str, device: &'a str, session: &'a str) -> NewAuditEvent<'a> {
    NewAuditEvent {
        actor: "agent.test",
        action,
        device_id: Some(device),
        session_id: Some(session),
        detail: serde_json::json!({}),
    }
}

async fn requested(store: &Store, id: &str, device: &str) {
    let record = SessionRecord {
        id: id.into(),
        device_id: device.into(),
        mode: Mode::Attended,
        state: SessionState::Requested,
        code: None,
        agent: "agent.test".into(),
        reason: String::new(),
        supporter_link: None,
        end_customer_link: None,
        failed_step: None,
        error: None,
        created_at: at("2026-12-06T10:00:00Z"),
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
    };
    store
        .insert_session(&record, event("session.requested", device, id))
        .await
        .map_err(|_| "insert")
        .unwrap();
}

async fn seeded() -> Vec<(tempfile::TempDir, Store)> {
    let out = support::stores().await;
    let devices = helpatwork_domain::fleet::parse_json(FLEET.as_bytes()).unwrap();
    for (_, store) in &out {
        store.upsert_devices(&devices, "test").await.unwrap();
    }
    out
}

#[tokio::test]
async fn two_open_sessions_never_share_one_teamviewer_code() {
    for (_dir, store) in seeded().await {
        requested(&store, "s1", "and-001").await;
        requested(&store, "s2", "and-002").await;
        let created = |code: &'static str| SessionPatch {
            state: Some(SessionState::Created),
            code: Some(code),
            ..Default::default()
        };
        let now = at("2026-12-06T10:00:01Z");
        store
            .advance_session(
                "s1",
                now,
                &created("s123-456-789"),
                event("session.created", "and-001", "s1"),
            )
            .await
            .unwrap();
        let second = store
            .advance_session(
                "s2",
                now,
                &created("s123-456-789"),
                event("session.created", "and-002", "s2"),
            )
            .await;
        assert!(
            matches!(second, Err(helpatwork_store::StoreError::Conflict(_))),
            "{second:?}"
        );
        let s2 = store.session("s2").await.unwrap().unwrap();
        assert_eq!(
            (s2.state, s2.code),
            (SessionState::Requested, None),
            "nothing changed"
        );

        // Once the first session ended, its code is free again (TeamViewer may reuse codes).
        store
            .advance_session(
                "s1",
                now,
                &SessionPatch {
                    state: Some(SessionState::Closed),
                    ..Default::default()
                },
                event("session.closed", "and-001", "s1"),
            )
            .await
            .unwrap();
        store
            .advance_session(
                "s2",
                now,
                &created("s123-456-789"),
                event("session.created", "and-002", "s2"),
            )
            .await
            .unwrap();
    }
}

#[tokio::test]
async fn an_end_queues_its_teamviewer_close_in_the_same_step_until_confirmed() {
    for (_dir, store) in seeded().await {
        requested(&store, "s1", "and-001").await;
        let now = at("2026-12-06T10:00:01Z");
        store
            .advance_session(
                "s1",
                now,
                &SessionPatch {
                    state: Some(SessionState::Created),
                    code: Some("s111-222-333"),
                    ..Default::default()
                },
                event("session.created", "and-001", "s1"),
            )
            .await
            .unwrap();
        let lost = store
            .advance_session_from(
                "s1",
                SessionState::Created,
                now,
                &SessionPatch {
                    state: Some(SessionState::Lost),
                    ended_at: Some(now),
                    ended_by: Some("agent.test"),
                    close_at_teamviewer: Some("lost"),
                    ..Default::default()
                },
                event("session.lost", "and-001", "s1"),
            )
            .await
            .unwrap()
            .unwrap();
        assert_eq!(lost.ended_by.as_deref(), Some("agent.test"));
        let owed = store.pending_closes().await.unwrap();
        assert_eq!(owed.len(), 1);
        assert_eq!(
            (
                owed[0].code.as_str(),
                owed[0].reason.as_str(),
                owed[0].attempts
            ),
            ("s111-222-333", "lost", 0)
        );
        assert_eq!(
            store
                .close_failed("s111-222-333", "503", now)
                .await
                .unwrap(),
            1
        );
        assert_eq!(
            store
                .close_failed("s111-222-333", "503", now)
                .await
                .unwrap(),
            2
        );
        assert_eq!(
            store.pending_closes().await.unwrap()[0]
                .last_error
                .as_deref(),
            Some("503")
        );
        assert!(store.close_confirmed("s111-222-333").await.unwrap());
        assert!(
            !store.close_confirmed("s111-222-333").await.unwrap(),
            "of two processes confirming one close, one removes it"
        );
        assert!(store.pending_closes().await.unwrap().is_empty());

        // A step that moved nothing (the session already ended elsewhere) queues nothing.
        let again = store
            .advance_session_from(
                "s1",
                SessionState::Created,
                now,
                &SessionPatch {
                    state: Some(SessionState::Expired),
                    close_at_teamviewer: Some("expired"),
                    ..Default::default()
                },
                event("session.expired", "and-001", "s1"),
            )
            .await
            .unwrap();
        assert!(again.is_none());
        assert!(store.pending_closes().await.unwrap().is_empty());
    }
}

#[tokio::test]
async fn sessions_without_a_kept_validity_expire_a_day_after_creation() {
    for (_dir, store) in seeded().await {
        requested(&store, "old", "and-001").await;
        store
            .advance_session(
                "old",
                at("2026-12-06T10:00:01Z"),
                &SessionPatch {
                    state: Some(SessionState::Waiting),
                    code: Some("s999-888-777"),
                    ..Default::default()
                },
                event("session.created", "and-001", "old"),
            )
            .await
            .unwrap();
        let day = chrono::Duration::hours(24);
        let before = at("2026-12-06T09:00:00Z");
        let found = store
            .sessions_to_expire(None, before, at("2026-12-07T09:59:00Z"), day)
            .await
            .unwrap();
        assert_eq!(found, SessionFacts::default());
        let found = store
            .sessions_to_expire(None, before, at("2026-12-07T10:00:00Z"), day)
            .await
            .unwrap();
        assert_eq!(ids(&found.due), ["old"]);
        assert!(found.stale.is_empty() && found.open.is_none());
    }
}

fn ids(records: &[SessionRecord]) -> Vec<&str> {
    records.iter().map(|r| r.id.as_str()).collect()
}

/// Preflight's one read of the sessions: what expiry ends (a stale request, a code past its
/// expiry) and the asked device's open session, whatever else it is.
#[tokio::test]
async fn one_read_tells_what_expiry_ends_and_the_device_s_open_session() {
    for (_dir, store) in seeded().await {
        // and-001: a start that stopped before TeamViewer answered (requested at 10:00, no code).
        requested(&store, "stopped", "and-001").await;
        // and-002: a session with a code that expires at noon the next day.
        requested(&store, "coded", "and-002").await;
        store
            .advance_session(
                "coded",
                at("2026-12-06T10:00:01Z"),
                &SessionPatch {
                    state: Some(SessionState::Waiting),
                    code: Some("s111-222-333"),
                    expires_at: Some(at("2026-12-07T12:00:00Z")),
                    ..Default::default()
                },
                event("session.created", "and-002", "coded"),
            )
            .await
            .unwrap();
        let day = chrono::Duration::hours(24);
        let stale_before = at("2026-12-06T10:05:00Z");

        // 11:00 next day: the request is stale, the coded session not yet due.
        let now = at("2026-12-07T11:00:00Z");
        let found = store
            .sessions_to_expire(Some("and-002"), stale_before, now, day)
            .await
            .unwrap();
        assert_eq!(ids(&found.stale), ["stopped"]);
        assert!(found.due.is_empty());
        assert_eq!(found.open.map(|s| s.id).as_deref(), Some("coded"));
        // Its own device's open session is the stale request itself.
        let found = store
            .sessions_to_expire(Some("and-001"), stale_before, now, day)
            .await
            .unwrap();
        assert_eq!(ids(&found.stale), ["stopped"]);
        assert_eq!(found.open.map(|s| s.id).as_deref(), Some("stopped"));
        // Half an hour after the start: a request younger than the threshold is not stale,
        // nothing is due, and no session holds this device.
        let found = store
            .sessions_to_expire(
                Some("and-404"),
                at("2026-12-06T09:00:00Z"),
                at("2026-12-06T10:30:00Z"),
                day,
            )
            .await
            .unwrap();
        assert_eq!(found, SessionFacts::default());

        // 12:00 next day: the coded session is due, and still the device's open session; the
        // stale request is not counted as due too.
        let now = at("2026-12-07T12:00:00Z");
        let found = store
            .sessions_to_expire(Some("and-002"), stale_before, now, day)
            .await
            .unwrap();
        assert_eq!(ids(&found.stale), ["stopped"]);
        assert_eq!(ids(&found.due), ["coded"]);
        assert_eq!(found.open.map(|s| s.id).as_deref(), Some("coded"));

        // Ended sessions are none of these.
        for (id, device) in [("stopped", "and-001"), ("coded", "and-002")] {
            store
                .advance_session(
                    id,
                    now,
                    &SessionPatch {
                        state: Some(SessionState::Closed),
                        ended_at: Some(now),
                        ..Default::default()
                    },
                    event("session.closed", device, id),
                )
                .await
                .unwrap();
        }
        let found = store
            .sessions_to_expire(Some("and-002"), stale_before, now, day)
            .await
            .unwrap();
        assert_eq!(found, SessionFacts::default());
    }
}

#[tokio::test]
async fn an_app_configuration_is_written_for_a_managed_device_only() {
    for (_d, s) in seeded().await {
        let at = chrono::Utc::now();
        let config = serde_json::json!({"session_code": "s12-345-678"});
        assert!(s
            .write_app_config("and-001", "quicksupport", Some(&config), at)
            .await
            .unwrap());
        assert_eq!(
            s.app_config("and-001", "quicksupport").await.unwrap(),
            Some(config.clone())
        );
        // Written again: replaced, not duplicated.
        let next = serde_json::json!({"session_code": "s98-765-432"});
        assert!(s
            .write_app_config("and-001", "quicksupport", Some(&next), at)
            .await
            .unwrap());
        assert_eq!(
            s.app_config("and-001", "quicksupport").await.unwrap(),
            Some(next)
        );

        // A device the store does not hold, and one the MDM no longer reports: nothing written.
        assert!(!s
            .write_app_config("nope-1", "quicksupport", Some(&config), at)
            .await
            .unwrap());
        s.mark_removed(&["and-002".to_string()], at).await.unwrap();
        assert!(!s
            .write_app_config("and-002", "quicksupport", Some(&config), at)
            .await
            .unwrap());
        assert_eq!(s.app_config("and-002", "quicksupport").await.unwrap(), None);

        // Cleared: gone.
        assert!(s
            .write_app_config("and-001", "quicksupport", None, at)
            .await
            .unwrap());
        assert_eq!(s.app_config("and-001", "quicksupport").await.unwrap(), None);
    }
}
