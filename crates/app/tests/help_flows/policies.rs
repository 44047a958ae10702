//! Support policies per device group through `helpatwork_app`, against the fake TeamViewer:
//! a refused start changes nothing, the ticket is recorded, BYOD is view only, and four eyes
//! (the requester cannot approve; another agent in another context approves; expiry; refusal)
//! on SQLite and PostgreSQL.

use helpatwork_app::clock::Clock;
use helpatwork_app::error::ErrorDetails;
use helpatwork_app::policy::{self, approvals};
use helpatwork_app::{session, unattended, AppContext, ErrorCode};
use helpatwork_domain::policy::ApprovalState;
use helpatwork_domain::{CheckStatus, Mode, Ownership, SessionState};
use helpatwork_store::AuditQuery;

use crate::support::{drop_postgres, postgres, world, ANA, BRUNO};

/// Android, Host installed and activated, online, ready in both modes (the demo fleet).
const DEVICE: &str = "and-0003";

async fn set(ctx: &AppContext, json: &str) {
    let parsed = policy::parse(ctx, json).unwrap();
    policy::set(ctx, parsed).await.unwrap();
}

async fn events(ctx: &AppContext, action: &str) -> Vec<serde_json::Value> {
    ctx.store
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
async fn policy_ticket_a_refused_start_changes_nothing_and_the_ticket_is_recorded() {
    let world = world(None).await;
    let ctx = world.agent(ANA).await;
    set(
        &ctx,
        r#"{"name":"Tickets","reason_required":true,"ticket_pattern":"INC\\d{7}"}"#,
    )
    .await;
    // The preflight before the dialog is filled in: the requirements warn, with the pattern.
    let pre = session::preflight(&ctx, DEVICE, Mode::Attended)
        .await
        .unwrap();
    assert!(pre.ok, "{pre:#?}");
    let demands = pre.policy.clone().unwrap();
    assert_eq!(demands.ticket_patterns, vec![r"INC\d{7}".to_string()]);
    assert!(demands.reason_required);
    let ticket = pre
        .checks
        .iter()
        .find(|c| c.rule == "policy.ticket")
        .unwrap();
    assert_eq!(ticket.status, CheckStatus::Warn);

    for (reason, ticket) in [
        ("printer", None),
        ("printer", Some("INC12")),
        ("", Some("INC0012345")),
    ] {
        let err = session::start_with_ticket(&ctx, DEVICE, Mode::Attended, reason, ticket, false)
            .await
            .unwrap_err();
        assert_eq!(err.code, ErrorCode::Blocked, "{err:?}");
        assert!(err.fix.is_some(), "{err:?}");
    }
    assert!(
        ctx.store.sessions(false, 10).await.unwrap().is_empty(),
        "no session row"
    );
    assert_eq!(
        world.sandbox.handle.sessions_created(),
        0,
        "no TeamViewer call"
    );
    let refused = events(&ctx, "session.start.refused").await;
    assert_eq!(refused.len(), 3);

    let s = session::start_with_ticket(
        &ctx,
        DEVICE,
        Mode::Attended,
        "printer",
        Some(" INC0012345 "),
        false,
    )
    .await
    .unwrap();
    assert_eq!(s.ticket.as_deref(), Some("INC0012345"));
    assert!(!s.view_only);
    let requested = events(&ctx, "session.requested").await;
    assert_eq!(requested[0]["ticket"], "INC0012345");
    assert_eq!(requested[0]["policies"][0], "Tickets");
    let case = world
        .sandbox
        .handle
        .session(s.code.as_deref().unwrap())
        .unwrap();
    assert!(format!("{case:?}").contains("[INC0012345]"), "{case:?}");
}

#[tokio::test]
async fn policy_view_only_a_personal_device_is_started_view_only() {
    let world = world(None).await;
    let ctx = world.agent(ANA).await;
    let mut device = ctx.store.device(DEVICE).await.unwrap().unwrap();
    device.management.ownership = Some(Ownership::Employee);
    ctx.store.upsert_devices(&[device], "demo").await.unwrap();
    set(
        &ctx,
        r#"{"name":"BYOD","group":{"ownership":"personal"},"personal_view_only":true}"#,
    )
    .await;
    let pre = session::preflight(&ctx, DEVICE, Mode::Attended)
        .await
        .unwrap();
    assert!(pre.policy.as_ref().unwrap().view_only);
    let s = session::start(&ctx, DEVICE, Mode::Attended, "", false)
        .await
        .unwrap();
    assert!(s.view_only);
    assert!(ctx.store.session(&s.id).await.unwrap().unwrap().view_only);
    assert_eq!(
        events(&ctx, "session.requested").await[0]["view_only"],
        true
    );
    let case = world
        .sandbox
        .handle
        .session(s.code.as_deref().unwrap())
        .unwrap();
    assert!(format!("{case:?}").contains("view only"), "{case:?}");
}

#[tokio::test]
async fn policy_unattended_forbidden_blocks_without_a_request() {
    let world = world(None).await;
    let ctx = world.agent(ANA).await;
    let device = ctx.store.device(DEVICE).await.unwrap().unwrap();
    world.assign_host(&unattended::alias_for(&device), true);
    set(&ctx, r#"{"name":"No remote","unattended":"forbidden"}"#).await;
    let err = session::start(&ctx, DEVICE, Mode::Unattended, "x", false)
        .await
        .unwrap_err();
    assert_eq!(err.code, ErrorCode::Blocked);
    assert!(err
        .checks()
        .iter()
        .any(|c| c.rule == "policy.unattended" && c.status == CheckStatus::Block));
    assert!(approvals::list(&ctx, true, 10).await.unwrap().is_empty());
}

async fn four_eyes(db: Option<String>) {
    let world = world(db).await;
    let ana = world.agent(ANA).await;
    let mut bruno = world.agent(BRUNO).await;
    let device = ana.store.device(DEVICE).await.unwrap().unwrap();
    world.assign_host(&unattended::alias_for(&device), true);
    set(
        &ana,
        r#"{"name":"Four eyes","unattended":"approval","approval_minutes":30}"#,
    )
    .await;

    // Ana's start is held: a request, no session, nothing opened.
    let held = session::start_with_ticket(
        &ana,
        DEVICE,
        Mode::Unattended,
        "scanner hangs",
        Some("INC0000001"),
        false,
    )
    .await
    .unwrap_err();
    assert_eq!(held.code, ErrorCode::AwaitingApproval);
    assert_eq!(held.code.exit_code(), 9);
    let Some(ErrorDetails::AwaitingApproval { approval }) = held.details.as_deref() else {
        panic!("{held:?}");
    };
    let id = approval.id.clone();
    assert_eq!(
        (approval.state, approval.mine),
        (ApprovalState::Pending, true)
    );
    assert!(ana.store.sessions(false, 10).await.unwrap().is_empty());
    // Starting again while pending asks nothing new.
    let again = session::start(&ana, DEVICE, Mode::Unattended, "scanner hangs", false)
        .await
        .unwrap_err();
    assert_eq!(again.code, ErrorCode::AwaitingApproval);
    assert_eq!(events(&ana, "approval.requested").await.len(), 1);

    // The requester can never approve their own.
    let own = approvals::approve(&ana, &id).await.unwrap_err();
    assert_eq!(own.code, ErrorCode::Blocked, "{own:?}");
    // Bruno, in his own context over the same store, sees it and approves it.
    let listed = approvals::list(&bruno, false, 10).await.unwrap();
    assert_eq!(
        (listed[0].id.as_str(), listed[0].mine),
        (id.as_str(), false)
    );
    let approved = approvals::approve(&bruno, &id).await.unwrap();
    assert_eq!(approved.state, ApprovalState::Approved);
    assert_eq!(approved.decided_by.as_deref(), Some("bruno"));

    // The preflight says who approved; Ana's start goes on and uses the approval.
    let pre = session::preflight(&ana, DEVICE, Mode::Unattended)
        .await
        .unwrap();
    let check = pre
        .checks
        .iter()
        .find(|c| c.rule == "policy.approval")
        .unwrap();
    assert_eq!(check.status, CheckStatus::Pass, "{check:?}");
    let s = session::start(&ana, DEVICE, Mode::Unattended, "", false)
        .await
        .unwrap();
    assert_eq!(s.state, SessionState::Waiting);
    assert_eq!(
        s.ticket.as_deref(),
        Some("INC0000001"),
        "what was approved is recorded"
    );
    assert_eq!(s.reason, "scanner hangs");
    let used = ana.store.approval(&id).await.unwrap().unwrap();
    assert_eq!(
        (used.state, used.session_id.as_deref()),
        (ApprovalState::Used, Some(s.id.as_str()))
    );
    let requested = events(&ana, "session.requested").await;
    assert_eq!(requested[0]["approved_by"], "bruno");
    assert_eq!(events(&ana, "approval.used").await.len(), 1);
    session::close(&ana, &s.id).await.unwrap();

    // A new request expires after the policy's time: the clock is 31 minutes later.
    let held = session::start(&ana, DEVICE, Mode::Unattended, "again", false)
        .await
        .unwrap_err();
    let Some(ErrorDetails::AwaitingApproval { approval }) = held.details.as_deref() else {
        panic!("{held:?}");
    };
    let second = approval.id.clone();
    bruno.clock = Clock::fixed(bruno.clock.now() + chrono::Duration::minutes(31));
    let late = approvals::approve(&bruno, &second).await.unwrap_err();
    assert_eq!(
        late.code,
        ErrorCode::Conflict,
        "an expired request is no longer pending: {late:?}"
    );
    assert_eq!(
        ana.store.approval(&second).await.unwrap().unwrap().state,
        ApprovalState::Expired
    );
    assert_eq!(events(&ana, "approval.expired").await.len(), 1);

    // Refused: the start stays held under a new request, nothing starts.
    bruno.clock = ana.clock;
    let held = session::start(&ana, DEVICE, Mode::Unattended, "third", false)
        .await
        .unwrap_err();
    let Some(ErrorDetails::AwaitingApproval { approval }) = held.details.as_deref() else {
        panic!("{held:?}");
    };
    let third = approval.id.clone();
    let refused = approvals::refuse(&bruno, &third, Some("no ticket"))
        .await
        .unwrap();
    assert_eq!(
        (refused.state, refused.decision_reason.as_deref()),
        (ApprovalState::Refused, Some("no ticket"))
    );
    assert_eq!(events(&ana, "approval.refused").await.len(), 1);
    let after = approvals::approve(&bruno, &third).await.unwrap_err();
    assert_eq!(after.code, ErrorCode::Conflict);
    assert_eq!(ana.store.sessions(true, 10).await.unwrap().len(), 0);
}

#[tokio::test]
async fn four_eyes_on_sqlite() {
    four_eyes(None).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn four_eyes_on_postgres() {
    if let Some(url) = postgres("four_eyes") {
        four_eyes(Some(url.clone())).await;
        drop_postgres(&url);
    }
}
