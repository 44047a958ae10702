//! Armed sessions in the store, on SQLite and PostgreSQL: one per device; a firing is the
//! armed row's compare-and-set in the session's own transaction, so an armed session starts at
//! most one session however many processes fire it; due only after a newer check-in, for its
//! agent; each step audited.

mod support;

use helpatwork_domain::armed::ArmState;
use helpatwork_domain::{Mode, Platform, SessionState};
use helpatwork_store::{
    ArmConflict, ArmEnding, ArmedRecord, NewAuditEvent, SessionConflict, SessionPatch,
    SessionRecord, StoreError,
};

use support::{device, stores};

fn at(text: &str) -> chrono::DateTime<chrono::Utc> {
    text.parse().unwrap()
}

fn event<'a>(action: &'a str) -> NewAuditEvent<'a> {
    NewAuditEvent {
        actor: "ana",
        action,
        device_id: Some("and-001"),
        session_id: None,
        detail: serde_json::json!({}),
    }
}

fn armed(id: &str) -> ArmedRecord {
    ArmedRecord {
        id: id.into(),
        device_id: "and-001".into(),
        mode: Mode::Attended,
        agent: "ana".into(),
        reason: "scanner".into(),
        ticket: None,
        state: ArmState::Armed,
        armed_at: at("2026-12-07T10:00:00Z"),
        expires_at: at("2026-12-07T14:00:00Z"),
        armed_checkin: at("2026-11-20T10:00:00Z"),
        rearm_of: None,
        ended_at: None,
        ended_by: None,
        session_id: None,
        error: None,
    }
}

fn session(id: &str) -> SessionRecord {
    SessionRecord {
        id: id.into(),
        device_id: "and-001".into(),
        mode: Mode::Attended,
        state: SessionState::Requested,
        code: None,
        agent: "ana".into(),
        reason: "scanner".into(),
        supporter_link: None,
        end_customer_link: None,
        failed_step: None,
        error: None,
        created_at: at("2026-12-07T11:00:00Z"),
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
async fn an_armed_session_fires_once_after_a_newer_check_in_on_every_store() {
    for (_dir, store) in stores().await {
        let mut d = device("and-001", "Ana's phone", Platform::Android);
        store
            .upsert_devices(&[d.clone()], "embedded")
            .await
            .unwrap();
        store
            .arm_session(&armed("a1"), event("session.armed"))
            .await
            .unwrap();
        // One per device.
        match store
            .arm_session(&armed("a2"), event("session.armed"))
            .await
        {
            Err(ArmConflict::Armed(holder)) => assert_eq!(holder.id, "a1"),
            other => panic!("{other:?}"),
        }
        let now = at("2026-12-07T11:00:00Z");
        assert!(
            store
                .armed_sessions_due("ana", now)
                .await
                .unwrap()
                .is_empty(),
            "no newer check-in"
        );
        d.last_checkin = at("2026-12-07T10:59:00Z");
        store
            .upsert_devices(&[d.clone()], "embedded")
            .await
            .unwrap();
        assert!(
            store
                .armed_sessions_due("bruno", now)
                .await
                .unwrap()
                .is_empty(),
            "Ana's only"
        );
        assert_eq!(store.armed_sessions_due("ana", now).await.unwrap().len(), 1);
        assert!(
            store
                .armed_sessions_due("ana", at("2026-12-07T14:00:00Z"))
                .await
                .unwrap()
                .is_empty(),
            "expired"
        );

        store
            .insert_session_with_arm(
                &session("s1"),
                "a1",
                event("session.armed_fired"),
                event("session.requested"),
            )
            .await
            .unwrap();
        let fired = store.armed_session("a1").await.unwrap().unwrap();
        assert_eq!(
            (fired.state, fired.session_id.as_deref()),
            (ArmState::Fired, Some("s1"))
        );
        // The first session ends quickly; a second firing of the same armed row writes nothing.
        store
            .advance_session(
                "s1",
                now,
                &SessionPatch {
                    state: Some(SessionState::Failed),
                    ..Default::default()
                },
                event("session.failed"),
            )
            .await
            .unwrap();
        match store
            .insert_session_with_arm(
                &session("s2"),
                "a1",
                event("session.armed_fired"),
                event("session.requested"),
            )
            .await
        {
            Err(SessionConflict::Store(StoreError::Conflict(_))) => {}
            other => panic!("fired once: {other:?}"),
        }
        assert!(store.session("s2").await.unwrap().is_none());
        // Nor can it be cancelled or expired once fired.
        let ending = ArmEnding {
            state: ArmState::Cancelled,
            at: now,
            by: "ana",
            error: None,
        };
        assert!(store
            .end_armed("a1", &ending, event("session.arm_cancelled"))
            .await
            .unwrap()
            .is_none());
        let count = |action: &'static str| {
            let store = store.clone();
            async move {
                store
                    .audit_count(&helpatwork_store::AuditQuery {
                        action: Some(action.into()),
                        ..Default::default()
                    })
                    .await
                    .unwrap()
            }
        };
        assert_eq!(count("session.armed_fired").await, 1);
        assert_eq!(count("session.arm_cancelled").await, 0);

        // Armed again (the first one fired), then expired by the store's clock.
        store
            .arm_session(&armed("a3"), event("session.armed"))
            .await
            .unwrap();
        let expired = store
            .armed_sessions_expired(at("2026-12-07T14:00:00Z"))
            .await
            .unwrap();
        assert_eq!(expired.len(), 1);
        let ending = ArmEnding {
            state: ArmState::Expired,
            at: now,
            by: "ana",
            error: None,
        };
        let ended = store
            .end_armed("a3", &ending, event("session.arm_expired"))
            .await
            .unwrap()
            .unwrap();
        assert_eq!(ended.state, ArmState::Expired);
        assert!(store.armed_for_device("and-001").await.unwrap().is_none());
        assert_eq!(store.armed_sessions(false, 10).await.unwrap().len(), 2);
    }
}
