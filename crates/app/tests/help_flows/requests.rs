//! Help requests from the device user: a case waiting unassigned in Help@Work's group reaches
//! the inbox, matched to its device; taking it assigns it at TeamViewer, records a session and
//! hands it to the desktop client; of two agents taking it at once, one wins.

use helpatwork_app::{lifecycle, requests, session, ErrorCode};
use helpatwork_domain::{Device, SessionState};
use helpatwork_teamviewer_sandbox::{Endpoint, Failure, HelpRequest};

use crate::support::{drop_postgres, opened, postgres, world, World, ANA, BRUNO};

const DEVICE: &str = "and-0003";

fn ask_for_help(world: &World, device: &Device, description: &str) -> String {
    world.sandbox.handle.request_help(&HelpRequest {
        name: Some(device.user.name.clone()),
        email: Some(device.user.email.clone()),
        description: Some(description.into()),
        group_name: "Help@Work".into(),
    })
}

async fn audited(ctx: &helpatwork_app::AppContext, action: &str) -> u32 {
    ctx.store
        .audit_count(&helpatwork_store::AuditQuery {
            action: Some(action.into()),
            ..Default::default()
        })
        .await
        .unwrap()
}

#[tokio::test]
async fn a_request_arrives_in_the_inbox_is_taken_assigned_at_teamviewer_and_handed_off() {
    let world = world(None).await;
    let ana = world.agent(ANA).await;
    assert!(
        requests::list(&ana).await.unwrap().requests.is_empty(),
        "nothing waits yet"
    );
    let device = ana.store.device(DEVICE).await.unwrap().unwrap();
    let code = ask_for_help(&world, &device, "The scanner app does not open");

    let inbox = requests::list(&ana).await.unwrap();
    assert_eq!(inbox.group.as_deref(), Some("Help@Work"));
    let [request] = inbox.requests.as_slice() else {
        panic!("{inbox:#?}")
    };
    assert_eq!(request.code, code);
    assert_eq!(request.device_id.as_deref(), Some(DEVICE));
    assert_eq!(request.matched_by.as_deref(), Some("email"));
    assert!(!request.unknown_device);
    assert_eq!(
        request.description.as_deref(),
        Some("The scanner app does not open")
    );
    assert_eq!(audited(&ana, "request.arrived").await, 1);
    requests::list(&ana).await.unwrap();
    assert_eq!(audited(&ana, "request.arrived").await, 1, "arrives once");

    let taken = requests::take(&ana, &code, true).await.unwrap();
    let s = taken.session.clone().expect("a session on the device");
    assert_eq!(
        (s.device_id.as_str(), s.state),
        (DEVICE, SessionState::Waiting)
    );
    assert_eq!(s.code.as_deref(), Some(code.as_str()));
    assert_eq!(s.agent, "ana");
    assert_eq!(s.teamviewer_userid.as_deref(), Some(ANA.1));
    assert!(s.launched && taken.launched);
    let case = world.sandbox.handle.session(&code).unwrap();
    assert_eq!(case.assigned_userid, ANA.1, "the fake shows it assigned");
    assert!(
        opened().contains(&case.supporter_link),
        "the opener got the supporter link"
    );
    assert!(
        requests::list(&ana).await.unwrap().requests.is_empty(),
        "no longer waiting"
    );
    assert_eq!(audited(&ana, "request.taken").await, 1);

    // From here it is a session like any other: it follows TeamViewer.
    world.sandbox.handle.set_online(&code, true);
    lifecycle::reconcile(&ana, lifecycle::Trigger::Agent)
        .await
        .unwrap();
    assert_eq!(
        session::show(&ana, &s.id).await.unwrap().state,
        SessionState::Active
    );
}

#[tokio::test]
async fn a_request_of_no_known_device_is_listed_flagged_and_can_be_taken() {
    let world = world(None).await;
    let ana = world.agent(ANA).await;
    let code = world.sandbox.handle.request_help(&HelpRequest {
        name: Some("Visitor".into()),
        email: Some("visitor@elsewhere.example".into()),
        description: None,
        group_name: "Help@Work".into(),
    });
    let inbox = requests::list(&ana).await.unwrap();
    assert!(inbox.requests[0].unknown_device && inbox.requests[0].device_id.is_none());
    let taken = requests::take(&ana, &code, true).await.unwrap();
    assert!(taken.unknown_device && taken.session.is_none());
    assert_eq!(
        world.sandbox.handle.session(&code).unwrap().assigned_userid,
        ANA.1
    );
    assert!(opened().contains(&taken.supporter_link.clone().unwrap()));
}

#[tokio::test]
async fn a_user_with_several_devices_is_matched_to_the_device_the_request_names() {
    let world = world(None).await;
    let ana = world.agent(ANA).await;
    let fleet = helpatwork_app::demo::fleet(chrono::Utc::now());
    let (first, second) = fleet
        .iter()
        .enumerate()
        .find_map(|(i, d)| {
            fleet[i + 1..]
                .iter()
                .find(|o| o.user.email == d.user.email)
                .map(|o| (d.clone(), o.clone()))
        })
        .expect("the demo fleet has a user with two devices");
    let code = ask_for_help(&world, &first, &format!("on my device {}", second.id));
    let request = requests::list(&ana).await.unwrap().requests.remove(0);
    assert_eq!(request.device_id.as_deref(), Some(second.id.as_str()));
    assert_eq!(request.matched_by.as_deref(), Some("device"));
    assert!(request.candidates >= 2);
    assert_eq!(request.code, code);
}

#[tokio::test]
async fn a_blocked_device_refuses_the_take_and_the_request_keeps_waiting() {
    let world = world(None).await;
    let ana = world.agent(ANA).await;
    // ios-0048: MAM-only iOS, never supported (L2).
    let device = ana.store.device("ios-0048").await.unwrap().unwrap();
    let code = ask_for_help(&world, &device, "help");
    let err = requests::take(&ana, &code, true).await.unwrap_err();
    assert_eq!(err.code, ErrorCode::Blocked, "{err:?}");
    assert!(err.fix.is_some());
    assert_eq!(
        world.sandbox.handle.session(&code).unwrap().assigned_userid,
        "u0"
    );
    assert_eq!(requests::list(&ana).await.unwrap().requests.len(), 1);
}

#[tokio::test]
async fn an_assignment_teamviewer_refuses_gives_the_request_back_to_the_queue() {
    let world = world(None).await;
    let ana = world.agent(ANA).await;
    let device = ana.store.device(DEVICE).await.unwrap().unwrap();
    let code = ask_for_help(&world, &device, "help");
    world
        .sandbox
        .handle
        .inject(Endpoint::UpdateSession, Failure::InvalidRequest);
    let err = requests::take(&ana, &code, true).await.unwrap_err();
    assert_eq!(err.code, ErrorCode::ServiceFailed, "{err:?}");
    world.sandbox.handle.clear_failures();
    let case = world.sandbox.handle.session(&code).unwrap();
    assert_eq!(
        (case.state.as_str(), case.assigned_userid.as_str()),
        ("Open", "u0"),
        "the user's case stays"
    );
    let sessions = session::list(&ana, false, 10).await.unwrap();
    assert_eq!(sessions[0].state, SessionState::Failed);
    assert_eq!(audited(&ana, "request.take_failed").await, 1);
    // It waits again, for anyone.
    assert_eq!(requests::list(&ana).await.unwrap().requests.len(), 1);
    assert!(requests::take(&ana, &code, false).await.is_ok());
}

async fn two_agents_take_one_request_at_once(db: Option<String>) {
    let world = world(db).await;
    let ana = world.agent(ANA).await;
    let bruno = world.agent(BRUNO).await;
    let device = ana.store.device(DEVICE).await.unwrap().unwrap();
    let code = ask_for_help(&world, &device, "help");
    requests::list(&bruno).await.unwrap();

    let (a, b) = tokio::join!(
        requests::take(&ana, &code, false),
        requests::take(&bruno, &code, false)
    );
    let (winner, loser, err) = match (a, b) {
        (Ok(_), Err(e)) => (ANA, BRUNO, e),
        (Err(e), Ok(_)) => (BRUNO, ANA, e),
        other => panic!("exactly one take wins: {other:?}"),
    };
    assert_eq!(err.code, ErrorCode::Conflict, "{err:?}");
    assert!(
        err.message.contains(winner.0),
        "the conflict names the holder: {}",
        err.message
    );
    assert!(!err.message.contains(&format!("by {}", loser.0)));
    assert_eq!(
        world.sandbox.handle.session(&code).unwrap().assigned_userid,
        winner.1
    );
    let open = ana
        .store
        .open_session_for_device(DEVICE)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(open.agent, winner.0);
    assert_eq!(audited(&ana, "request.taken").await, 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_agents_take_one_request_at_once_one_wins_on_sqlite() {
    two_agents_take_one_request_at_once(None).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_agents_take_one_request_at_once_one_wins_on_postgres() {
    if let Some(url) = postgres("take_race") {
        two_agents_take_one_request_at_once(Some(url.clone())).await;
        drop_postgres(&url);
    }
}
