//! The audit outbox: a row per (sink, event) written with the event, in the trail's order;
//! delivered rows leave it; one sender at a time holds a sink's lease; a failure is counted
//! with its next try. On SQLite and (with `HELPATWORK_TEST_POSTGRES_URL`) PostgreSQL.

mod support;

use helpatwork_store::{NewAuditEvent, Store};
use support::stores;

fn event(action: &str) -> NewAuditEvent<'_> {
    NewAuditEvent {
        actor: "agent",
        action,
        device_id: Some("AND-001"),
        session_id: None,
        detail: serde_json::json!({}),
    }
}

async fn add_sink(s: &Store, id: &str) {
    s.put_audit_sink(
        id,
        "syslog",
        &serde_json::json!({"kind": "syslog", "host": "127.0.0.1"}),
        event("audit.sink.add"),
    )
    .await
    .unwrap();
}

async fn pending(s: &Store, sink: &str) -> Vec<String> {
    s.outbox_batch(sink, 1000)
        .await
        .unwrap()
        .into_iter()
        .map(|e| e.action)
        .collect()
}

#[tokio::test]
async fn every_event_after_a_sink_is_added_is_owed_to_it_in_order() {
    for (_d, s) in stores().await {
        s.append_audit(event("before.any.sink")).await.unwrap();
        assert!(s.audit_backlog().await.unwrap().is_empty());

        add_sink(&s, "siem-a").await;
        for a in ["e1", "e2", "e3"] {
            s.append_audit(event(a)).await.unwrap();
        }
        add_sink(&s, "siem-b").await;
        s.append_audit(event("e4")).await.unwrap();

        // The sink's own audit event is owed to it; nothing from before it existed.
        assert_eq!(
            pending(&s, "siem-a").await,
            ["audit.sink.add", "e1", "e2", "e3", "audit.sink.add", "e4"]
        );
        assert_eq!(pending(&s, "siem-b").await, ["audit.sink.add", "e4"]);

        let backlog = s.audit_backlog().await.unwrap();
        assert_eq!(backlog.len(), 2);
        assert_eq!(backlog[0].sink.id, "siem-a");
        assert_eq!(backlog[0].pending, 6);
        assert!(backlog[0].oldest.is_some());

        // Delivered rows leave the outbox of that sink only; the count and time are kept.
        let first_two: Vec<String> = s
            .outbox_batch("siem-a", 2)
            .await
            .unwrap()
            .into_iter()
            .map(|e| e.id)
            .collect();
        s.outbox_delivered("siem-a", &first_two, chrono::Utc::now())
            .await
            .unwrap();
        assert_eq!(
            pending(&s, "siem-a").await,
            ["e2", "e3", "audit.sink.add", "e4"]
        );
        assert_eq!(pending(&s, "siem-b").await.len(), 2);
        let a = s.audit_sink("siem-a").await.unwrap().unwrap();
        assert_eq!(a.delivered, 2);
        assert!(a.last_delivered_at.is_some());

        // Removing a sink drops its backlog, and its removal is owed to the others.
        assert!(s
            .remove_audit_sink("siem-a", event("audit.sink.remove"))
            .await
            .unwrap());
        assert!(pending(&s, "siem-a").await.is_empty());
        assert_eq!(
            pending(&s, "siem-b").await,
            ["audit.sink.add", "e4", "audit.sink.remove"]
        );
        assert!(!s
            .remove_audit_sink("siem-a", event("audit.sink.remove"))
            .await
            .unwrap());
    }
}

#[tokio::test]
async fn one_sender_holds_a_sink_until_its_lease_runs_out() {
    for (_d, s) in stores().await {
        add_sink(&s, "siem").await;
        let now = chrono::Utc::now();
        let minute = chrono::Duration::seconds(60);
        assert!(s
            .take_sink_lease("siem", "p1", now, now + minute)
            .await
            .unwrap());
        assert!(!s
            .take_sink_lease("siem", "p2", now, now + minute)
            .await
            .unwrap());
        // Renewing is taking again by the holder.
        assert!(s
            .take_sink_lease("siem", "p1", now, now + minute)
            .await
            .unwrap());
        // A holder that stopped renewing (killed) is taken over once its lease ran out.
        let later = now + minute + chrono::Duration::seconds(1);
        assert!(s
            .take_sink_lease("siem", "p2", later, later + minute)
            .await
            .unwrap());
        assert!(!s
            .take_sink_lease("siem", "p1", later, later + minute)
            .await
            .unwrap());
        // Given back, it is free at once.
        s.release_sink_lease("siem", "p2").await.unwrap();
        assert!(s
            .take_sink_lease("siem", "p1", later, later + minute)
            .await
            .unwrap());
    }
}

#[tokio::test]
async fn a_failure_is_counted_with_its_next_try_and_a_delivery_resets_it() {
    for (_d, s) in stores().await {
        add_sink(&s, "siem").await;
        let now = chrono::Utc::now();
        let retry = now + chrono::Duration::seconds(4);
        assert_eq!(
            s.outbox_failed("siem", "refused", now, retry)
                .await
                .unwrap(),
            1
        );
        assert_eq!(
            s.outbox_failed("siem", "refused again", now, retry)
                .await
                .unwrap(),
            2
        );
        let sink = s.audit_sink("siem").await.unwrap().unwrap();
        assert_eq!(sink.attempts, 2);
        assert_eq!(sink.last_error.as_deref(), Some("refused again"));
        assert_eq!(
            sink.next_attempt_at.map(|t| t.timestamp_millis()),
            Some(retry.timestamp_millis())
        );
        let ids: Vec<String> = s
            .outbox_batch("siem", 10)
            .await
            .unwrap()
            .into_iter()
            .map(|e| e.id)
            .collect();
        s.outbox_delivered("siem", &ids, now).await.unwrap();
        let sink = s.audit_sink("siem").await.unwrap().unwrap();
        assert_eq!((sink.attempts, sink.next_attempt_at), (0, None));
    }
}

#[tokio::test]
async fn concurrent_writers_leave_exactly_one_row_per_event_and_sink() {
    for (_d, s) in stores().await {
        add_sink(&s, "siem-a").await;
        add_sink(&s, "siem-b").await;
        let mut tasks = Vec::new();
        for w in 0..8 {
            let s = s.clone();
            tasks.push(tokio::spawn(async move {
                for i in 0..10 {
                    let action = format!("w{w}.e{i}");
                    s.append_audit(NewAuditEvent {
                        actor: "agent",
                        action: &action,
                        device_id: None,
                        session_id: None,
                        detail: serde_json::json!({}),
                    })
                    .await
                    .unwrap();
                }
            }));
        }
        for t in tasks {
            t.await.unwrap();
        }
        for sink in ["siem-a", "siem-b"] {
            let owed = s.outbox_batch(sink, 1000).await.unwrap();
            // The add of siem-b is owed to both, siem-a's own add to siem-a only.
            let expected = if sink == "siem-a" { 82 } else { 81 };
            assert_eq!(owed.len(), expected, "{sink}");
            let mut ids: Vec<&str> = owed.iter().map(|e| e.id.as_str()).collect();
            ids.sort_unstable();
            ids.dedup();
            assert_eq!(ids.len(), expected, "no event twice");
        }
    }
}
