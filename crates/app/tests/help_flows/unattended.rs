//! Unattended the TeamViewer way: the desktop client connects to the device's TeamViewer Host,
//! assigned to the account, by its ID; nothing is written to the device.

use helpatwork_app::{devices, session, unattended, ErrorCode};
use helpatwork_domain::{CheckStatus, Mode, SessionState};
use helpatwork_teamviewer::RemoteControlId;
use helpatwork_teamviewer_sandbox::SandboxDevice;

use crate::support::{opened, world, ANA};

/// Android, Host installed and activated, online, ready in both modes (the demo fleet).
const DEVICE: &str = "and-0003";

fn check<'a>(checks: &'a [helpatwork_domain::Check], rule: &str) -> &'a helpatwork_domain::Check {
    checks
        .iter()
        .find(|c| c.rule == rule)
        .unwrap_or_else(|| panic!("no {rule} check in {checks:#?}"))
}

#[tokio::test]
async fn u2_an_assigned_online_host_is_opened_by_its_id_and_nothing_reaches_the_device() {
    let world = world(None).await;
    let ctx = world.agent(ANA).await;
    let device = ctx.store.device(DEVICE).await.unwrap().unwrap();
    let host = world.assign_host(&unattended::alias_for(&device), true);
    let expected_link = RemoteControlId::parse(&host.remotecontrol_id)
        .unwrap()
        .control_link()
        .to_string();

    let pre = session::preflight(&ctx, DEVICE, Mode::Unattended)
        .await
        .unwrap();
    assert!(pre.ok, "{pre:#?}");
    assert_eq!(
        check(&pre.checks, "host_assigned").status,
        CheckStatus::Pass
    );
    assert_eq!(check(&pre.checks, "host_online").status, CheckStatus::Pass);

    let s = session::start(
        &ctx,
        DEVICE,
        Mode::Unattended,
        "the scanner app hangs",
        true,
    )
    .await
    .unwrap();
    assert_eq!(
        s.state,
        SessionState::Active,
        "handed to the desktop client: active"
    );
    assert!(s.launched);
    assert_eq!(s.code, None, "no TeamViewer case, no session code");
    assert_eq!(
        s.delivery,
        Some(helpatwork_domain::SessionDelivery::TeamviewerDevice)
    );
    assert_eq!(s.supporter_link.as_deref(), Some(expected_link.as_str()));
    assert!(
        expected_link.starts_with("https://start.teamviewer.com/device/r"),
        "{expected_link}"
    );
    assert!(
        opened().contains(&expected_link),
        "the opener got the device link"
    );
    assert_eq!(
        world.sandbox.handle.sessions_created(),
        0,
        "no service case was made"
    );
    for app in ["host", "quicksupport"] {
        assert_eq!(
            ctx.store.app_config(DEVICE, app).await.unwrap(),
            None,
            "no session code written to {app}"
        );
    }
    let audited = ctx
        .store
        .audit_events(&helpatwork_store::AuditQuery {
            action: Some("session.requested".into()),
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(audited[0].detail["remotecontrol_id"], host.remotecontrol_id);

    // Like any session: one per device, and closing it ends it here.
    let again = session::start(&ctx, DEVICE, Mode::Unattended, "", false)
        .await
        .unwrap_err();
    assert_eq!(again.code, ErrorCode::Conflict);
    let closed = session::close(&ctx, &s.id).await.unwrap();
    assert_eq!(closed.state, SessionState::Closed);
}

#[tokio::test]
async fn an_offline_host_is_a_warning_with_its_last_seen_time() {
    let world = world(None).await;
    let ctx = world.agent(ANA).await;
    let device = ctx.store.device(DEVICE).await.unwrap().unwrap();
    let host = world.assign_host(&unattended::alias_for(&device), false);
    let seen = host
        .last_seen
        .unwrap()
        .format("%Y-%m-%d %H:%M UTC")
        .to_string();

    let pre = session::preflight(&ctx, DEVICE, Mode::Unattended)
        .await
        .unwrap();
    let online = check(&pre.checks, "host_online");
    assert_eq!(online.status, CheckStatus::Warn, "{online:?}");
    assert!(online.message.contains(&seen), "{}", online.message);
    assert!(online.fix.is_some());
    assert!(pre.ok, "offline warns, it does not block");

    let shown = devices::show(&ctx, DEVICE).await.unwrap().host.unwrap();
    assert_eq!(shown.online_state.as_deref(), Some("offline"));
    assert!(shown.last_seen.is_some());
}

#[tokio::test]
async fn an_unassigned_host_blocks_the_start_with_the_fix_and_nothing_starts() {
    let world = world(None).await;
    let ctx = world.agent(ANA).await;
    // Another device's Host is assigned; this one's is not.
    world.assign_host("Someone else [hw:and-0001]", true);

    let pre = session::preflight(&ctx, DEVICE, Mode::Unattended)
        .await
        .unwrap();
    assert!(!pre.ok);
    let assigned = check(&pre.checks, "host_assigned");
    assert_eq!(assigned.status, CheckStatus::Block);
    let fix = assigned.fix.as_deref().unwrap();
    assert!(
        fix.contains("assignment configuration") && fix.contains("one-time activation"),
        "{fix}"
    );

    let err = session::start(&ctx, DEVICE, Mode::Unattended, "", true)
        .await
        .unwrap_err();
    assert_eq!(err.code, ErrorCode::Blocked, "{err:?}");
    assert_eq!(err.fix.as_deref(), Some(fix));
    assert!(session::list(&ctx, false, 10).await.unwrap().is_empty());
    assert_eq!(err.code.exit_code(), 3);
}

#[tokio::test]
async fn a_host_assigned_without_the_alias_is_matched_once_the_admin_confirms_it() {
    let world = world(None).await;
    let ctx = world.agent(ANA).await;
    let device = ctx.store.device(DEVICE).await.unwrap().unwrap();
    // Assigned before Help@Work wrote aliases: the alias is only the device's name.
    let host = SandboxDevice::assigned_host(&device.name, true);
    world.sandbox.handle.add_device(host.clone());

    let status = unattended::status(&ctx, DEVICE).await.unwrap();
    assert!(!status.matched);
    assert_eq!(status.candidates.len(), 1, "{status:?}");
    assert_eq!(status.candidates[0].remotecontrol_id, host.remotecontrol_id);
    let pre = session::preflight(&ctx, DEVICE, Mode::Unattended)
        .await
        .unwrap();
    let fix = check(&pre.checks, "host_assigned").fix.clone().unwrap();
    assert!(
        fix.contains(&format!(
            "helpatwork devices match {DEVICE} {}",
            host.remotecontrol_id
        )),
        "{fix}"
    );

    let bad = unattended::confirm_match(&ctx, DEVICE, "r1")
        .await
        .unwrap_err();
    assert_eq!(bad.code, ErrorCode::NotFound);
    let confirmed = unattended::confirm_match(&ctx, DEVICE, &host.remotecontrol_id)
        .await
        .unwrap();
    assert_eq!(confirmed.matched_by.as_deref(), Some("confirmed"));
    assert_eq!(confirmed.confirmed_by.as_deref(), Some("ana"));
    assert!(
        session::preflight(&ctx, DEVICE, Mode::Unattended)
            .await
            .unwrap()
            .ok
    );
    let shown = devices::show(&ctx, DEVICE).await.unwrap().host.unwrap();
    assert_eq!(
        shown.teamviewer_id.as_deref(),
        host.remotecontrol_id.strip_prefix('r')
    );
}

#[tokio::test]
async fn host_carries_the_assignment_configuration_and_an_unattended_session_leaves_it() {
    let world = world(None).await;
    let ctx = world.agent(ANA).await;
    let assignment = unattended::set_assignment(&ctx, "0001CoABChBhc3NpZ25tZW50")
        .await
        .unwrap();
    let with_host = ctx.store.distributions("host").await.unwrap();
    assert_eq!(assignment.written as usize, with_host.len());
    assert!(with_host.iter().any(|d| d == DEVICE));
    let device = ctx.store.device(DEVICE).await.unwrap().unwrap();
    let config = ctx.store.app_config(DEVICE, "host").await.unwrap().unwrap();
    assert_eq!(
        config,
        serde_json::json!({
            "assignment_id": "0001CoABChBhc3NpZ25tZW50",
            "device_alias": unattended::alias_for(&device),
            "auto_start": true,
        })
    );
    assert_eq!(
        unattended::device_id_in_alias(config["device_alias"].as_str().unwrap()),
        Some(DEVICE)
    );
    let bad = unattended::set_assignment(&ctx, "no spaces allowed")
        .await
        .unwrap_err();
    assert!(bad.fix.is_some());

    world.assign_host(&unattended::alias_for(&device), true);
    let s = session::start(&ctx, DEVICE, Mode::Unattended, "", false)
        .await
        .unwrap();
    assert_eq!(
        s.state,
        SessionState::Waiting,
        "not launched: the agent opens the link"
    );
    session::close(&ctx, &s.id).await.unwrap();
    assert_eq!(
        ctx.store.app_config(DEVICE, "host").await.unwrap(),
        Some(config),
        "kept"
    );
}
