//! Handing a live session over: the case is reassigned at TeamViewer to the other agent's user,
//! the store makes them the holder, and the agent who handed it over can no longer close it.

use helpatwork_app::{agents, handover, session, unattended, ErrorCode};
use helpatwork_domain::{Mode, SessionState};
use helpatwork_teamviewer_sandbox::{Endpoint, Failure};

use crate::support::{opened, world, ANA, BRUNO};

const DEVICE: &str = "and-0003";

#[tokio::test]
async fn a_session_handed_over_is_the_new_agents_at_teamviewer_and_here() {
    let world = world(None).await;
    let ana = world.agent(ANA).await;
    let bruno = world.agent(BRUNO).await;
    let listed = agents::list(&ana).await.unwrap();
    assert!(listed
        .iter()
        .any(|a| a.agent == "bruno" && a.userid == BRUNO.1 && !a.me));
    assert!(listed.iter().any(|a| a.agent == "ana" && a.me));

    let s = session::start(&ana, DEVICE, Mode::Attended, "Wi-Fi drops", true)
        .await
        .unwrap();
    let code = s.code.clone().unwrap();
    assert_eq!(s.teamviewer_userid.as_deref(), Some(ANA.1));

    let done = handover::hand_over(&ana, &s.id, "bruno", "needs tier 2")
        .await
        .unwrap();
    assert_eq!(done.from_agent, "ana");
    assert_eq!(
        (done.to.agent.as_str(), done.to.userid.as_str()),
        ("bruno", BRUNO.1)
    );
    assert_eq!(done.session.agent, "bruno");
    assert_eq!(done.session.teamviewer_userid.as_deref(), Some(BRUNO.1));
    assert_eq!(
        world.sandbox.handle.session(&code).unwrap().assigned_userid,
        BRUNO.1,
        "the fake shows the new assigned_userid"
    );
    let stored = ana.store.session(&s.id).await.unwrap().unwrap();
    assert_eq!(
        (stored.agent.as_str(), stored.teamviewer_userid.as_deref()),
        ("bruno", Some(BRUNO.1))
    );
    let history = handover::history(&ana, &s.id).await.unwrap();
    assert_eq!(history.len(), 1);
    assert_eq!(
        (
            history[0].from_agent.as_str(),
            history[0].to_agent.as_str(),
            history[0].reason.as_str()
        ),
        ("ana", "bruno", "needs tier 2")
    );
    let events = ana
        .store
        .audit_events(&helpatwork_store::AuditQuery {
            action: Some("session.handed_over".into()),
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(events[0].detail["to_userid"], BRUNO.1);
    assert_eq!(events[0].detail["reason"], "needs tier 2");

    // The old holder can no longer close it; the case stays open at TeamViewer.
    let refused = session::close(&ana, &s.id).await.unwrap_err();
    assert_eq!(refused.code, ErrorCode::Conflict, "{refused:?}");
    assert!(refused.message.contains("bruno"));
    assert_eq!(world.sandbox.handle.session(&code).unwrap().state, "Open");

    // The new holder opens it with their own supporter link (read from TeamViewer), and closes it.
    let reads = world.sandbox.handle.request_count(Endpoint::GetSession);
    session::open_again(&bruno, &s.id).await.unwrap();
    assert!(world.sandbox.handle.request_count(Endpoint::GetSession) > reads);
    let link = world.sandbox.handle.session(&code).unwrap().supporter_link;
    assert!(opened().contains(&link));
    let closed = session::close(&bruno, &s.id).await.unwrap();
    assert_eq!(closed.state, SessionState::Closed);
    assert_eq!(world.sandbox.handle.session(&code).unwrap().state, "Closed");
}

#[tokio::test]
async fn only_the_holder_hands_over_to_a_known_agent_for_a_reason() {
    let world = world(None).await;
    let ana = world.agent(ANA).await;
    let bruno = world.agent(BRUNO).await;
    let s = session::start(&ana, DEVICE, Mode::Attended, "", false)
        .await
        .unwrap();

    let not_holder = handover::hand_over(&bruno, &s.id, "bruno", "mine now")
        .await
        .unwrap_err();
    assert_eq!(not_holder.code, ErrorCode::Conflict);
    assert!(
        not_holder.message.contains("ana") && not_holder.fix.is_some(),
        "{not_holder:?}"
    );
    let nobody = handover::hand_over(&ana, &s.id, "carla", "tier 2")
        .await
        .unwrap_err();
    assert_eq!(nobody.code, ErrorCode::NotFound);
    assert!(nobody.fix.as_deref().unwrap().contains("agents list"));
    let no_reason = handover::hand_over(&ana, &s.id, "bruno", "  ")
        .await
        .unwrap_err();
    assert_eq!(no_reason.code, ErrorCode::InvalidInput);
    let to_self = handover::hand_over(&ana, &s.id, ANA.1, "me")
        .await
        .unwrap_err();
    assert_eq!(to_self.code, ErrorCode::InvalidInput);
    // By TeamViewer user id works as well as by name.
    let done = handover::hand_over(&ana, &s.id, BRUNO.1, "tier 2")
        .await
        .unwrap();
    assert_eq!(done.session.agent, "bruno");
}

#[tokio::test]
async fn a_reassignment_teamviewer_refuses_leaves_the_session_with_its_holder() {
    let world = world(None).await;
    let ana = world.agent(ANA).await;
    world.agent(BRUNO).await;
    let s = session::start(&ana, DEVICE, Mode::Attended, "", false)
        .await
        .unwrap();
    world
        .sandbox
        .handle
        .inject_times(Endpoint::UpdateSession, Failure::InvalidRequest, 1);
    let err = handover::hand_over(&ana, &s.id, "bruno", "tier 2")
        .await
        .unwrap_err();
    assert_eq!(err.code, ErrorCode::ServiceFailed, "{err:?}");
    let stored = ana.store.session(&s.id).await.unwrap().unwrap();
    assert_eq!(
        (stored.agent.as_str(), stored.teamviewer_userid.as_deref()),
        ("ana", Some(ANA.1))
    );
    assert!(handover::history(&ana, &s.id).await.unwrap().is_empty());
    assert_eq!(
        world
            .sandbox
            .handle
            .session(s.code.as_deref().unwrap())
            .unwrap()
            .assigned_userid,
        ANA.1
    );
    assert!(
        session::close(&ana, &s.id).await.is_ok(),
        "still hers to close"
    );
}

#[tokio::test]
async fn an_unattended_session_has_no_case_to_hand_over() {
    let world = world(None).await;
    let ana = world.agent(ANA).await;
    world.agent(BRUNO).await;
    let device = ana.store.device(DEVICE).await.unwrap().unwrap();
    world.assign_host(&unattended::alias_for(&device), true);
    let s = session::start(&ana, DEVICE, Mode::Unattended, "", false)
        .await
        .unwrap();
    let err = handover::hand_over(&ana, &s.id, "bruno", "tier 2")
        .await
        .unwrap_err();
    assert_eq!(err.code, ErrorCode::InvalidInput);
    assert!(err.fix.is_some());
}
