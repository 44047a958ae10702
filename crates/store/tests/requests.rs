//! Help requests, hand-overs, agents and Host matches in the store, on SQLite and PostgreSQL:
//! of two agents taking one request at once exactly one wins, and a hand-over moves the holder
//! only from the agent who held it.

mod support;

use helpatwork_domain::{Mode, SessionDelivery, SessionState};
use helpatwork_store::{
    HelpRequestRecord, HostLinkRecord, NewAuditEvent, SessionRecord, Store, TakeConflict,
};

const FLEET: &str = r#"{"devices":[
 {"id":"and-001","name":"Ana's phone","user":{"name":"Ana Souza","email":"Ana@Example.com"},"platform":"android","os_version":"14",
  "manufacturer":"Samsung","model":"Galaxy S23","kiosk":false,"mam_only":false,"online":true,
  "last_checkin":"2026-11-20T10:00:00Z","host_activated":true,"apps":[]},
 {"id":"and-002","name":"Bia's phone","user":{"name":"Bia Lima","email":"bia@example.com"},"platform":"android","os_version":"14",
  "manufacturer":"Samsung","model":"Galaxy S23","kiosk":false,"mam_only":false,"online":true,
  "last_checkin":"2026-11-20T10:00:00Z","host_activated":false,"apps":[]}]}"#;

fn at(text: &str) -> chrono::DateTime<chrono::Utc> {
    text.parse().unwrap()
}

fn event<'a>(actor: &'a str, action: &'a str) -> NewAuditEvent<'a> {
    NewAuditEvent {
        actor,
        action,
        device_id: None,
        session_id: None,
        detail: serde_json::json!({}),
    }
}

fn waiting(code: &str, device: Option<&str>) -> HelpRequestRecord {
    HelpRequestRecord {
        code: code.into(),
        first_seen_at: at("2026-12-06T10:00:00Z"),
        end_customer_name: Some("Ana Souza".into()),
        end_customer_email: Some("ana@example.com".into()),
        device_id: device.map(str::to_string),
        matched_by: device.map(|_| "email".to_string()),
        candidates: u32::from(device.is_some()),
        state: "waiting".into(),
        taken_by: None,
        taken_userid: None,
        taken_at: None,
        session_id: None,
    }
}

fn session(id: &str, agent: &str, code: &str) -> SessionRecord {
    SessionRecord {
        id: id.into(),
        device_id: "and-001".into(),
        mode: Mode::Attended,
        state: SessionState::Waiting,
        code: Some(code.into()),
        agent: agent.into(),
        reason: String::new(),
        supporter_link: None,
        end_customer_link: None,
        failed_step: None,
        error: None,
        created_at: at("2026-12-06T10:01:00Z"),
        expires_at: None,
        launched: false,
        delivery: Some(SessionDelivery::HelpRequest),
        valid_until: None,
        ended_at: None,
        ended_by: None,
        reconciled_at: None,
        teamviewer_userid: Some(format!("u-{agent}")),
        ticket: None,
        view_only: false,
    }
}

async fn seeded(store: &Store) {
    let devices = helpatwork_domain::fleet::parse_json(FLEET.as_bytes()).unwrap();
    store.upsert_devices(&devices, "test").await.unwrap();
}

#[tokio::test]
async fn a_request_is_recorded_once_and_matched_by_email_then_name() {
    for (_dir, store) in support::stores().await {
        seeded(&store).await;
        let (devices, by) = store
            .devices_of_customer(Some("ANA@example.com"), Some("nobody"))
            .await
            .unwrap();
        assert_eq!((devices.len(), by), (1, Some("email")));
        assert_eq!(devices[0].id, "and-001");
        let (devices, by) = store
            .devices_of_customer(Some("unknown@example.com"), Some("bia lima"))
            .await
            .unwrap();
        assert_eq!((devices[0].id.as_str(), by), ("and-002", Some("name")));
        let (devices, by) = store.devices_of_customer(None, None).await.unwrap();
        assert_eq!((devices.len(), by), (0, None));

        let (_, first) = store
            .note_help_request(
                &waiting("s100-200-300", Some("and-001")),
                event("x", "request.arrived"),
            )
            .await
            .unwrap();
        let (row, again) = store
            .note_help_request(
                &waiting("s100-200-300", None),
                event("x", "request.arrived"),
            )
            .await
            .unwrap();
        assert!(first && !again);
        assert_eq!(
            row.device_id.as_deref(),
            Some("and-001"),
            "the first sight stands"
        );
        let arrived = store
            .audit_count(&helpatwork_store::AuditQuery {
                action: Some("request.arrived".into()),
                ..Default::default()
            })
            .await
            .unwrap();
        assert_eq!(arrived, 1);
    }
}

#[tokio::test]
async fn two_agents_taking_one_request_at_once_one_wins() {
    for (_dir, url) in support::store_urls().await {
        let first = Store::open(&url).await.unwrap();
        let second = Store::open(&url).await.unwrap();
        seeded(&first).await;
        first
            .note_help_request(
                &waiting("s100-200-301", Some("and-001")),
                event("x", "request.arrived"),
            )
            .await
            .unwrap();
        let now = at("2026-12-06T10:01:00Z");
        let take = |store: Store, agent: &'static str, id: &'static str| async move {
            let s = session(id, agent, "s100-200-301");
            store
                .take_help_request(
                    "s100-200-301",
                    agent,
                    &format!("u-{agent}"),
                    now,
                    Some(&s),
                    event(agent, "request.taken"),
                )
                .await
        };
        let (a, b) = tokio::join!(
            tokio::spawn(take(first.clone(), "ana", "sess-a")),
            tokio::spawn(take(second.clone(), "bruno", "sess-b"))
        );
        let results = [a.unwrap(), b.unwrap()];
        let won: Vec<_> = results.iter().filter_map(|r| r.as_ref().ok()).collect();
        assert_eq!(won.len(), 1, "{results:?}");
        let winner = won[0].taken_by.clone().unwrap();
        let lost = results.iter().find_map(|r| r.as_ref().err()).unwrap();
        match lost {
            TakeConflict::Taken(holder) => {
                assert_eq!(holder.taken_by.as_deref(), Some(winner.as_str()))
            }
            other => panic!("expected Taken, got {other:?}"),
        }
        let open = first
            .open_session_for_device("and-001")
            .await
            .unwrap()
            .unwrap();
        assert_eq!(open.agent, winner);
        let taken = first
            .audit_count(&helpatwork_store::AuditQuery {
                action: Some("request.taken".into()),
                ..Default::default()
            })
            .await
            .unwrap();
        assert_eq!(taken, 1, "only the winner's take is audited");

        // Released (TeamViewer refused the assignment): it waits again, for anyone.
        assert!(!first
            .release_help_request(
                "s100-200-301",
                "someone-else",
                now,
                event("x", "request.released")
            )
            .await
            .unwrap());
        assert!(first
            .release_help_request("s100-200-301", &winner, now, event("x", "request.released"))
            .await
            .unwrap());
        assert_eq!(
            first
                .help_request("s100-200-301")
                .await
                .unwrap()
                .unwrap()
                .state,
            "waiting"
        );
    }
}

#[tokio::test]
async fn a_device_held_by_another_session_refuses_the_take_and_changes_nothing() {
    for (_dir, store) in support::stores().await {
        seeded(&store).await;
        let now = at("2026-12-06T10:01:00Z");
        store
            .insert_session(
                &session("held", "carla", "s100-200-999"),
                event("carla", "session.requested"),
            )
            .await
            .map_err(|_| "insert")
            .unwrap();
        store
            .note_help_request(
                &waiting("s100-200-302", Some("and-001")),
                event("x", "request.arrived"),
            )
            .await
            .unwrap();
        let s = session("sess-d", "dora", "s100-200-302");
        let err = store
            .take_help_request(
                "s100-200-302",
                "dora",
                "u-dora",
                now,
                Some(&s),
                event("dora", "request.taken"),
            )
            .await
            .unwrap_err();
        assert!(
            matches!(&err, TakeConflict::DeviceHeld(h) if h.agent == "carla"),
            "{err:?}"
        );
        let row = store.help_request("s100-200-302").await.unwrap().unwrap();
        assert_eq!(row.state, "waiting", "rolled back");
        assert!(store.session("sess-d").await.unwrap().is_none());
    }
}

#[tokio::test]
async fn a_hand_over_moves_the_holder_only_from_who_holds_it() {
    for (_dir, store) in support::stores().await {
        seeded(&store).await;
        let now = at("2026-12-06T10:05:00Z");
        store
            .insert_session(
                &session("s1", "ana", "s100-200-303"),
                event("ana", "session.requested"),
            )
            .await
            .map_err(|_| "insert")
            .unwrap();
        let moved = store
            .hand_over(
                "h0",
                "s1",
                "bruno",
                None,
                "carla",
                "u-carla",
                "no",
                now,
                event("bruno", "session.handed_over"),
            )
            .await
            .unwrap();
        assert!(moved.is_none(), "bruno does not hold it");
        let moved = store
            .hand_over(
                "h1",
                "s1",
                "ana",
                Some("u-ana"),
                "bruno",
                "u-bruno",
                "tier 2",
                now,
                event("ana", "session.handed_over"),
            )
            .await
            .unwrap()
            .unwrap();
        assert_eq!(
            (moved.agent.as_str(), moved.teamviewer_userid.as_deref()),
            ("bruno", Some("u-bruno"))
        );
        let history = store.handovers("s1").await.unwrap();
        assert_eq!(history.len(), 1);
        assert_eq!(
            (
                history[0].from_agent.as_str(),
                history[0].to_agent.as_str(),
                history[0].reason.as_str()
            ),
            ("ana", "bruno", "tier 2")
        );

        store
            .undo_hand_over(&history[0], now, event("ana", "session.hand_over_failed"))
            .await
            .unwrap();
        let back = store.session("s1").await.unwrap().unwrap();
        assert_eq!(
            (back.agent.as_str(), back.teamviewer_userid.as_deref()),
            ("ana", Some("u-ana"))
        );
        assert!(store.handovers("s1").await.unwrap().is_empty());
    }
}

#[tokio::test]
async fn agents_and_host_matches_are_kept() {
    for (_dir, store) in support::stores().await {
        seeded(&store).await;
        let now = at("2026-12-06T10:00:00Z");
        store
            .upsert_agent("u1", "Ana", Some("ana@x"), "ana", now)
            .await
            .unwrap();
        store
            .upsert_agent("u2", "Bruno", None, "bruno", at("2026-12-06T11:00:00Z"))
            .await
            .unwrap();
        store
            .upsert_agent("u1", "Ana S.", None, "ana", at("2026-12-06T09:00:00Z"))
            .await
            .unwrap();
        let agents = store.agents().await.unwrap();
        assert_eq!(
            agents.iter().map(|a| a.userid.as_str()).collect::<Vec<_>>(),
            ["u2", "u1"]
        );
        assert_eq!(agents[1].name, "Ana S.");
        assert_eq!(agents[1].first_seen_at, now);

        let link = |device: &str, rc: &str| HostLinkRecord {
            device_id: device.into(),
            remotecontrol_id: rc.into(),
            teamviewer_device_id: "d1".into(),
            alias: "x".into(),
            matched_by: "confirmed".into(),
            confirmed_by: Some("ana".into()),
            matched_at: now,
            assigned: true,
            online_state: "online".into(),
            last_seen: None,
            remote_control: true,
            checked_at: now,
        };
        store
            .save_host_link(&link("and-001", "r1"), None)
            .await
            .unwrap();
        // The same TeamViewer device confirmed for another MDM device: one match stands.
        store
            .save_host_link(&link("and-002", "r1"), None)
            .await
            .unwrap();
        assert!(store.host_link("and-001").await.unwrap().is_none());
        assert_eq!(
            store
                .host_link("and-002")
                .await
                .unwrap()
                .unwrap()
                .remotecontrol_id,
            "r1"
        );
        assert!(store
            .remove_host_link("and-002", now, event("ana", "host.unmatched"))
            .await
            .unwrap());
        assert!(store.host_links().await.unwrap().is_empty());
    }
}
