//! Support policies and four-eyes approvals in the store, on SQLite and PostgreSQL, each from
//! two handles on one database (two processes of a team): every change with its audit event,
//! a request decided once, an approval used by one start only, expiry by the clock given.

mod support;

use helpatwork_domain::policy::ApprovalState;
use helpatwork_domain::{Mode, SessionState};
use helpatwork_store::{
    ApprovalRecord, AuditQuery, Decision, NewAuditEvent, SessionConflict, SessionRecord, Store,
};

const FLEET: &str = r#"{"devices":[
 {"id":"and-001","name":"A","user":{"name":"Ana","email":"ana@example.com"},"platform":"android","os_version":"14",
  "manufacturer":"Samsung","model":"Galaxy S23","kiosk":false,"mam_only":false,"online":true,
  "last_checkin":"2026-11-20T10:00:00Z","host_activated":true,"apps":[]}]}"#;

fn at(text: &str) -> chrono::DateTime<chrono::Utc> {
    text.parse().unwrap()
}

fn event<'a>(actor: &'a str, action: &'a str, detail: serde_json::Value) -> NewAuditEvent<'a> {
    NewAuditEvent {
        actor,
        action,
        device_id: Some("and-001"),
        session_id: None,
        detail,
    }
}

/// Two handles on each test database, the fleet imported.
async fn pairs() -> Vec<(tempfile::TempDir, Store, Store)> {
    let devices = helpatwork_domain::fleet::parse_json(FLEET.as_bytes()).unwrap();
    let mut out = Vec::new();
    for (dir, url) in support::store_urls().await {
        let a = Store::open(&url).await.unwrap();
        let b = Store::open(&url).await.unwrap();
        a.upsert_devices(&devices, "test").await.unwrap();
        out.push((dir, a, b));
    }
    out
}

fn request(id: &str, requester: &str) -> ApprovalRecord {
    ApprovalRecord {
        id: id.into(),
        device_id: "and-001".into(),
        mode: Mode::Unattended,
        requester: requester.into(),
        requester_account_id: Some(format!("u-{requester}")),
        reason: "printer".into(),
        ticket: Some("INC0000001".into()),
        policies: vec!["Four eyes".into()],
        approval_minutes: 30,
        state: ApprovalState::Pending,
        requested_at: at("2026-12-07T12:00:00Z"),
        expires_at: at("2026-12-07T12:30:00Z"),
        decided_by: None,
        decided_account_id: None,
        decided_at: None,
        decision_reason: None,
        session_id: None,
    }
}

fn session(id: &str, created: &str) -> SessionRecord {
    SessionRecord {
        id: id.into(),
        device_id: "and-001".into(),
        mode: Mode::Unattended,
        state: SessionState::Requested,
        code: None,
        agent: "ana".into(),
        reason: "printer".into(),
        supporter_link: None,
        end_customer_link: None,
        failed_step: None,
        error: None,
        created_at: at(created),
        expires_at: None,
        launched: false,
        delivery: None,
        valid_until: None,
        ended_at: None,
        ended_by: None,
        reconciled_at: None,
        teamviewer_userid: None,
        ticket: Some("INC0000001".into()),
        view_only: false,
    }
}

fn approve<'a>(by: &'a str, now: &str, until: &str) -> Decision<'a> {
    Decision {
        state: ApprovalState::Approved,
        by,
        account_id: Some("u-other"),
        at: at(now),
        expires_at: at(until),
        reason: None,
    }
}

async fn actions(store: &Store, action: &str) -> Vec<serde_json::Value> {
    store
        .audit_events(&AuditQuery {
            action: Some(action.into()),
            ..Default::default()
        })
        .await
        .unwrap()
        .into_iter()
        .map(|e| e.detail)
        .collect()
}

#[tokio::test]
async fn policies_are_shared_and_each_change_is_audited_with_before_and_after() {
    for (_dir, a, b) in pairs().await {
        let body = r#"{"name":"BYOD","reason_required":true}"#;
        let before = a
            .save_policy(
                "BYOD",
                body,
                "admin",
                at("2026-12-07T12:00:00Z"),
                |before| {
                    event(
                        "admin",
                        "policy.saved",
                        serde_json::json!({"before": before, "after": body}),
                    )
                },
            )
            .await
            .unwrap();
        assert_eq!(before, None);
        // The other process reads it, and replaces it: the event carries the body it replaced.
        assert_eq!(b.policy("BYOD").await.unwrap().unwrap().body, body);
        let newer = r#"{"name":"BYOD","reason_required":false}"#;
        let before = b
            .save_policy(
                "BYOD",
                newer,
                "admin2",
                at("2026-12-07T12:01:00Z"),
                |before| {
                    event(
                        "admin2",
                        "policy.saved",
                        serde_json::json!({"before": before, "after": newer}),
                    )
                },
            )
            .await
            .unwrap();
        assert_eq!(before.as_deref(), Some(body));
        let saved = actions(&a, "policy.saved").await;
        assert_eq!(saved[0]["before"], body);
        assert_eq!(saved[0]["after"], newer);
        assert_eq!(a.policies().await.unwrap()[0].updated_by, "admin2");
        let removed = a
            .remove_policy("BYOD", at("2026-12-07T12:02:00Z"), |before| {
                event(
                    "admin",
                    "policy.removed",
                    serde_json::json!({"before": before}),
                )
            })
            .await
            .unwrap();
        assert_eq!(removed.as_deref(), Some(newer));
        assert!(b.policies().await.unwrap().is_empty());
        // Removing what is not there writes nothing.
        let none = a
            .remove_policy("BYOD", at("2026-12-07T12:03:00Z"), |_| {
                event("admin", "policy.removed", serde_json::json!({}))
            })
            .await
            .unwrap();
        assert_eq!(none, None);
        assert_eq!(actions(&a, "policy.removed").await.len(), 1);
    }
}

#[tokio::test]
async fn four_eyes_a_request_is_decided_once_across_processes_and_used_by_one_start() {
    for (_dir, a, b) in pairs().await {
        let ev = |action| event("ana", action, serde_json::json!({}));
        let (held, new) = a
            .request_approval(&request("r1", "ana"), ev("approval.requested"))
            .await
            .unwrap();
        assert!(new && held.state == ApprovalState::Pending);
        // The same requester asking again gets the open request back; nothing new is written.
        let (again, new) = b
            .request_approval(&request("r2", "ana"), ev("approval.requested"))
            .await
            .unwrap();
        assert!(!new);
        assert_eq!(again.id, "r1");
        assert_eq!(actions(&a, "approval.requested").await.len(), 1);
        // Two agents in two processes decide at once: one decision stands.
        let bruno = approve("bruno", "2026-12-07T12:05:00Z", "2026-12-07T12:35:00Z");
        let carla = approve("carla", "2026-12-07T12:05:00Z", "2026-12-07T12:35:00Z");
        let (x, y) = tokio::join!(
            a.decide_approval(
                "r1",
                &bruno,
                event("bruno", "approval.approved", serde_json::json!({}))
            ),
            b.decide_approval(
                "r1",
                &carla,
                event("carla", "approval.approved", serde_json::json!({}))
            ),
        );
        let decided: Vec<_> = [x.unwrap(), y.unwrap()].into_iter().flatten().collect();
        assert_eq!(decided.len(), 1, "one decision stands");
        let stored = a.approval("r1").await.unwrap().unwrap();
        assert_eq!(stored.state, decided[0].state);
        assert_eq!(stored.state, ApprovalState::Approved);
        assert_eq!(actions(&a, "approval.approved").await.len(), 1);
        assert_eq!(stored.expires_at, at("2026-12-07T12:35:00Z"));
        // The requester's start uses it once: the session row and the use in one transaction.
        a.insert_session_with_approval(
            &session("s1", "2026-12-07T12:10:00Z"),
            "r1",
            ev("approval.used"),
            ev("session.requested"),
        )
        .await
        .map_err(|_| "start")
        .unwrap();
        let used = b.approval("r1").await.unwrap().unwrap();
        assert_eq!(
            (used.state, used.session_id.as_deref()),
            (ApprovalState::Used, Some("s1"))
        );
        assert_eq!(
            b.session("s1").await.unwrap().unwrap().ticket.as_deref(),
            Some("INC0000001")
        );
        let twice = b
            .insert_session_with_approval(
                &session("s2", "2026-12-07T12:11:00Z"),
                "r1",
                ev("approval.used"),
                ev("session.requested"),
            )
            .await;
        assert!(matches!(twice, Err(SessionConflict::Store(_))));
        assert!(b.session("s2").await.unwrap().is_none(), "nothing written");
    }
}

#[tokio::test]
async fn four_eyes_expiry_and_refusal() {
    for (_dir, a, b) in pairs().await {
        let ev = |action| event("ana", action, serde_json::json!({}));
        a.request_approval(&request("r1", "ana"), ev("approval.requested"))
            .await
            .unwrap();
        // Past the request's end nobody approves it, and the clock given expires it.
        let late = approve("bruno", "2026-12-07T12:30:00Z", "2026-12-07T13:00:00Z");
        assert!(b
            .decide_approval("r1", &late, ev("approval.approved"))
            .await
            .unwrap()
            .is_none());
        let none = b
            .expire_approvals(at("2026-12-07T12:29:59Z"), "bruno", |_| {
                serde_json::json!({})
            })
            .await
            .unwrap();
        assert!(none.is_empty());
        let expired = b
            .expire_approvals(at("2026-12-07T12:30:00Z"), "bruno", |_| {
                serde_json::json!({})
            })
            .await
            .unwrap();
        assert_eq!(expired.len(), 1);
        assert_eq!(
            a.approval("r1").await.unwrap().unwrap().state,
            ApprovalState::Expired
        );
        assert_eq!(actions(&a, "approval.expired").await.len(), 1);
        // A new request can be made; an approval past its own end is not used.
        let mut r2 = request("r2", "ana");
        r2.requested_at = at("2026-12-07T12:40:00Z");
        r2.expires_at = at("2026-12-07T13:10:00Z");
        assert!(
            a.request_approval(&r2, ev("approval.requested"))
                .await
                .unwrap()
                .1
        );
        b.decide_approval(
            "r2",
            &approve("bruno", "2026-12-07T12:41:00Z", "2026-12-07T13:11:00Z"),
            ev("approval.approved"),
        )
        .await
        .unwrap()
        .unwrap();
        let start = a
            .insert_session_with_approval(
                &session("s1", "2026-12-07T13:11:00Z"),
                "r2",
                ev("approval.used"),
                ev("session.requested"),
            )
            .await;
        assert!(matches!(start, Err(SessionConflict::Store(_))));
        assert!(a.session("s1").await.unwrap().is_none());
        // Refused: the request closes with the decider's reason.
        let mut r3 = request("r3", "dora");
        r3.requester_account_id = None;
        a.request_approval(&r3, ev("approval.requested"))
            .await
            .unwrap();
        let refuse = Decision {
            state: ApprovalState::Refused,
            reason: Some("no ticket"),
            ..approve("bruno", "2026-12-07T12:05:00Z", "2026-12-07T12:05:00Z")
        };
        let refused = b
            .decide_approval("r3", &refuse, ev("approval.refused"))
            .await
            .unwrap()
            .unwrap();
        assert_eq!(
            (refused.state, refused.decision_reason.as_deref()),
            (ApprovalState::Refused, Some("no ticket"))
        );
        assert!(b
            .decide_approval(
                "r3",
                &approve("carla", "2026-12-07T12:06:00Z", "2026-12-07T12:36:00Z"),
                ev("approval.approved")
            )
            .await
            .unwrap()
            .is_none());
        assert_eq!(
            a.approvals(true, 10)
                .await
                .unwrap()
                .iter()
                .map(|r| r.id.as_str())
                .collect::<Vec<_>>(),
            vec!["r2"]
        );
    }
}
