//! Armed sessions: an offline device's session armed, the device held for its agent meanwhile;
//! the device's next check-in starts it and hands it off once, even with two windows of the agent
//! and another agent's window seeing the check-in at once (SQLite and PostgreSQL); a session lost
//! on a reboot (S9) armed again; cancel and expiry.

use helpatwork_app::error::ErrorDetails;
use helpatwork_app::session::armed::{self, ArmRequest};
use helpatwork_app::{session, AppContext, ErrorCode};
use helpatwork_domain::armed::ArmState;
use helpatwork_domain::session::DeviceEvent;
use helpatwork_domain::{Mode, SessionState};

use crate::support::{drop_postgres, opened, postgres, world, ANA, BRUNO};

const DEVICE: &str = "and-0003";

async fn audited(ctx: &AppContext, action: &str) -> u32 {
    ctx.store
        .audit_count(&helpatwork_store::AuditQuery {
            action: Some(action.into()),
            ..Default::default()
        })
        .await
        .unwrap()
}

/// The device as a sync would write it: offline since `minutes_ago`, or checked in now.
async fn device_seen(ctx: &AppContext, online: bool, minutes_ago: i64) {
    let mut device = ctx.store.device(DEVICE).await.unwrap().unwrap();
    device.online = online;
    device.last_checkin = ctx.clock.now() - chrono::Duration::minutes(minutes_ago);
    ctx.store
        .upsert_devices(std::slice::from_ref(&device), "embedded")
        .await
        .unwrap();
}

fn request(within: Option<chrono::Duration>) -> ArmRequest<'static> {
    ArmRequest {
        device_id: DEVICE,
        mode: Mode::Attended,
        reason: "The scanner app does not open",
        ticket: None,
        within,
    }
}

async fn a_rebooted_device_checks_in_and_one_session_starts(db: Option<String>) {
    let world = world(db).await;
    // Two windows of Ana's (two processes of one agent), and Bruno's.
    let ana = world.agent(ANA).await;
    let ana_again = world.agent(ANA).await;
    let bruno = world.agent(BRUNO).await;
    device_seen(&ana, false, 120).await;

    let held = armed::start_when_online(&ana, request(None), true)
        .await
        .expect_err("offline: armed, not started");
    assert_eq!(held.code, ErrorCode::Armed, "{held:?}");
    assert_eq!(held.code.exit_code(), 11);
    let Some(ErrorDetails::Armed { armed: waiting }) = held.details.as_deref() else {
        panic!("{held:?}")
    };
    assert_eq!(
        (waiting.state, waiting.agent.as_str()),
        (ArmState::Armed, "ana")
    );
    assert!(ana
        .store
        .open_session_for_device(DEVICE)
        .await
        .unwrap()
        .is_none());

    // The device is held for Ana meanwhile.
    let refused = session::start(&bruno, DEVICE, Mode::Attended, "me too", false)
        .await
        .expect_err("held by Ana's armed session");
    assert_eq!(refused.code, ErrorCode::Conflict);
    assert!(refused.message.contains("ana"), "{}", refused.message);
    let refused = armed::arm(&bruno, request(None)).await.unwrap_err();
    assert_eq!(refused.code, ErrorCode::Conflict);
    // Nothing fires before the device checks in.
    assert!(armed::fire_due(&ana, true).await.unwrap().is_empty());

    // The device checks in (a sync wrote it); every window sees it at once.
    device_seen(&ana, true, 0).await;
    let opened_before = opened().len();
    let (a, b, c) = tokio::join!(
        armed::fire_due(&ana, true),
        armed::fire_due(&ana_again, true),
        armed::fire_due(&bruno, true)
    );
    let (a, b, c) = (a.unwrap(), b.unwrap(), c.unwrap());
    assert!(c.is_empty(), "Bruno's window does not start Ana's session");
    let fired: Vec<_> = a.iter().chain(&b).collect();
    let [fired] = fired.as_slice() else {
        panic!("one process starts it: {a:#?} {b:#?}")
    };
    let started = fired.session.clone().expect("a session");
    assert_eq!(fired.armed.state, ArmState::Fired);
    assert_eq!(fired.armed.session_id.as_deref(), Some(started.id.as_str()));
    assert_eq!(
        (started.state, started.agent.as_str(), started.launched),
        (SessionState::Waiting, "ana", true)
    );
    let open = ana
        .store
        .open_session_for_device(DEVICE)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(open.id, started.id);
    assert_eq!(audited(&ana, "session.armed").await, 1);
    assert_eq!(audited(&ana, "session.armed_fired").await, 1);
    assert_eq!(audited(&ana, "session.requested").await, 1, "one session");
    assert_eq!(
        audited(&ana, "session.handed_off").await,
        1,
        "handed off once"
    );
    let handed: Vec<_> = opened()[opened_before..]
        .iter()
        .filter(|l| Some(l.as_str()) == started.supporter_link.as_deref())
        .cloned()
        .collect();
    assert_eq!(handed.len(), 1, "the desktop client got it once");
    // The device user gets the coaching card with the case (TeamViewer's waiting message).
    let case = world
        .sandbox
        .handle
        .session(started.code.as_deref().unwrap())
        .unwrap();
    let card = case.waiting_message.unwrap_or_default();
    for step in [
        "licence agreement (EULA)",
        "share your screen",
        "in the background",
        "session code",
    ] {
        assert!(card.contains(step), "{step}: {card}");
    }
    // The agent sees the same card in the session panel, with the code to confirm.
    let agent_card = session::coaching::card(&ana, &started.id).await.unwrap();
    assert_eq!(agent_card.code, started.code);
    let agent_text = agent_card.text();
    let (user_lines, agent_lines): (Vec<_>, Vec<_>) =
        (card.lines().collect(), agent_text.lines().collect());
    assert_eq!(
        user_lines[..4],
        agent_lines[..4],
        "the title and the first three steps"
    );
    assert!(agent_lines[4].contains(started.code.as_deref().unwrap()));
    // Seen again, it fires nothing more.
    assert!(armed::fire_due(&ana_again, true).await.unwrap().is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_rebooted_device_checks_in_and_one_session_starts_on_sqlite() {
    a_rebooted_device_checks_in_and_one_session_starts(None).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_rebooted_device_checks_in_and_one_session_starts_on_postgres() {
    if let Some(url) = postgres("armed_race") {
        a_rebooted_device_checks_in_and_one_session_starts(Some(url.clone())).await;
        drop_postgres(&url);
    }
}

#[tokio::test]
async fn s9_a_session_lost_on_a_reboot_is_armed_again_and_the_next_check_in_starts_it() {
    let world = world(None).await;
    let ana = world.agent(ANA).await;
    device_seen(&ana, true, 0).await;
    let first = session::start(&ana, DEVICE, Mode::Attended, "Printer setup", false)
        .await
        .unwrap();
    // Only an ended session is armed again.
    let refused = armed::rearm(&ana, &first.id, None).await.unwrap_err();
    assert_eq!(refused.code, ErrorCode::InvalidInput, "{refused:?}");
    let lost = session::report(
        &ana,
        DEVICE,
        session::ReportEvent::Lifecycle(DeviceEvent::Rebooted),
    )
    .await
    .unwrap();
    assert_eq!(lost.session.unwrap().state, SessionState::Lost);

    let again = armed::rearm(&ana, &first.id, None).await.unwrap();
    assert_eq!(again.rearm_of.as_deref(), Some(first.id.as_str()));
    assert_eq!(again.reason, "Printer setup");
    assert_eq!(again.state, ArmState::Armed);

    // The device back from its reboot checks in: the report starts the session.
    tokio::time::sleep(std::time::Duration::from_millis(5)).await;
    let back = session::report(
        &ana,
        DEVICE,
        session::ReportEvent::Lifecycle(DeviceEvent::Checkin),
    )
    .await
    .unwrap();
    let started = back.session.expect("the armed session started");
    assert_ne!(started.id, first.id);
    assert_eq!(started.state, SessionState::Waiting);
    assert_eq!(started.reason, "Printer setup");
    let fired = armed::list(&ana, false, 10).await.unwrap();
    assert_eq!(fired[0].state, ArmState::Fired);
    assert_eq!(fired[0].session_id.as_deref(), Some(started.id.as_str()));
}

#[tokio::test]
async fn an_armed_session_is_cancelled_by_its_agent_only_and_expires_unfired() {
    let world = world(None).await;
    let mut ana = world.agent(ANA).await;
    let bruno = world.agent(BRUNO).await;
    device_seen(&ana, false, 120).await;
    let waiting = armed::arm(&ana, request(Some(chrono::Duration::minutes(30))))
        .await
        .unwrap();
    let refused = armed::cancel(&bruno, &waiting.id).await.unwrap_err();
    assert_eq!(refused.code, ErrorCode::Conflict);
    let cancelled = armed::cancel(&ana, &waiting.id).await.unwrap();
    assert_eq!(cancelled.state, ArmState::Cancelled);
    assert_eq!(audited(&ana, "session.arm_cancelled").await, 1);
    // Cancelled, the device is free for anyone, and a check-in starts nothing.
    device_seen(&ana, true, 0).await;
    assert!(armed::fire_due(&ana, true).await.unwrap().is_empty());

    // Armed again; 31 minutes later, still offline, it expired without starting anything.
    device_seen(&ana, false, 120).await;
    let waiting = armed::arm(&ana, request(Some(chrono::Duration::minutes(30))))
        .await
        .unwrap();
    ana.clock =
        helpatwork_app::clock::Clock::fixed(chrono::Utc::now() + chrono::Duration::minutes(31));
    device_seen(&ana, true, 0).await;
    assert!(armed::fire_due(&ana, true).await.unwrap().is_empty());
    let expired = armed::list(&ana, false, 10).await.unwrap();
    let expired = expired.iter().find(|a| a.id == waiting.id).unwrap();
    assert_eq!(expired.state, ArmState::Expired);
    assert_eq!(audited(&ana, "session.arm_expired").await, 1);
    assert!(ana
        .store
        .open_session_for_device(DEVICE)
        .await
        .unwrap()
        .is_none());

    // Too short or too long a wait is refused.
    for minutes in [1, 60 * 24 * 4] {
        let e = armed::arm(&ana, request(Some(chrono::Duration::minutes(minutes))))
            .await
            .unwrap_err();
        assert_eq!(e.code, ErrorCode::InvalidInput);
        assert!(e.fix.is_some());
    }
}
