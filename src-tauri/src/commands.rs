//! IPC commands: one line each over `helpatwork_app`. Errors cross as `ApiError`.

use helpatwork_app::admin::{AdminStatus, DistributionResult, Eula};
use helpatwork_app::agents::Agent;
use helpatwork_app::armed::ArmedSession;
use helpatwork_app::auth::AuthStatus;
use helpatwork_app::dto::readiness::ReadinessBoard;
use helpatwork_app::dto::{AppInfo, DeviceDetail, DevicePage, DeviceQuery};
use helpatwork_app::dto::{Approval, PolicyEntry};
use helpatwork_app::dto::{AuditExport, AuditFacets, AuditFilter, AuditPage, AuditVerification};
use helpatwork_app::dto::{AuditSendReport, AuditSinkInput, AuditSinkStatus};
use helpatwork_app::handover::Handover;
use helpatwork_app::lifecycle::{self, LastSessionSync, SessionSync};
use helpatwork_app::policy::{self, approvals};
use helpatwork_app::readiness_fix::{FixProgress, FixRun, GroupExport};
use helpatwork_app::requests::{Inbox, TakenRequest};
use helpatwork_app::session::{Preflight, Session};
use helpatwork_app::settings::{ConnectionTest, SettingChange, SettingsView, TestTarget};
use helpatwork_app::sync::{self, SyncProgress, SyncReport};
use helpatwork_app::sync_plan::{self, SyncStatus};
use helpatwork_app::unattended::HostStatus;
use helpatwork_app::{
    admin, agents, armed, audit, auth, connection, devices, handover, readiness, readiness_fix,
    requests, session, settings, siem, unattended, AppContext, AppError,
};
use helpatwork_domain::admin::Tier;
use helpatwork_domain::coaching::CoachingCard;
use helpatwork_domain::policy::Policy;
use helpatwork_domain::readiness::fix::FixPlan;
use helpatwork_domain::readiness::Blocker;
use helpatwork_domain::{AppKind, Lang, Mode};
use tauri::State;

use crate::AppState;

type Result<T> = std::result::Result<T, AppError>;

/// A snapshot of the context: cheap (pools and clients are shared), and no lock is held while a
/// command waits on the network or the browser.
async fn ctx(state: &State<'_, AppState>) -> AppContext {
    state.ctx.read().await.clone()
}

#[tauri::command]
pub async fn app_info(state: State<'_, AppState>) -> Result<AppInfo> {
    let ctx = ctx(&state).await;
    Ok(AppInfo {
        product: "Help@Work Desk".into(),
        version: env!("CARGO_PKG_VERSION").into(),
        demo: ctx.demo,
        lang: ctx.lang,
        data_dir: ctx.paths.root().display().to_string(),
        device_count: ctx.store.device_count().await?,
        mdm: ctx.mdm.name().into(),
        can_sync: ctx.can_sync(),
        warnings: helpatwork_app::doctor::standing_warnings(&ctx),
    })
}

/// Pulls the fleet from the MDM, reporting each page written on `on_progress`.
#[tauri::command]
pub async fn sync_devices(
    state: State<'_, AppState>,
    on_progress: tauri::ipc::Channel<SyncProgress>,
) -> Result<SyncReport> {
    let cancel = sync::SyncCancel::default();
    {
        let mut running = state.sync.lock().unwrap_or_else(|e| e.into_inner());
        if running.is_some() {
            return Err(AppError::new(
                helpatwork_app::ErrorCode::Conflict,
                "A devices sync is already running.",
            )
            .with_fix("Wait for it to finish, or cancel it."));
        }
        *running = Some(cancel.clone());
    }
    let ctx = ctx(&state).await;
    let progress = move |read: u32, total: u32| {
        let _ = on_progress.send(SyncProgress { read, total });
    };
    // Only what changed since the last sync, or every device when a full sync is due.
    let report = sync_plan::sync_planned(
        &ctx,
        ctx.mdm.clone(),
        sync_plan::SyncMode::Auto,
        &progress,
        &cancel,
    )
    .await;
    *state.sync.lock().unwrap_or_else(|e| e.into_inner()) = None;
    // The readiness board the window paints first is recomputed over the synced fleet.
    if report.is_ok() {
        readiness::refresh_in_background(&ctx);
    }
    // The sync's log is folded into the database after the window has its answer.
    let store = ctx.store.clone();
    tauri::async_runtime::spawn(async move {
        if let Err(e) = store.checkpoint().await {
            tracing::warn!(error = %e, "checkpoint after a sync failed; SQLite will do it later");
        }
    });
    report
}

/// When the last devices sync ran and how it ended, for the header.
#[tauri::command]
pub async fn sync_status(state: State<'_, AppState>) -> Result<SyncStatus> {
    sync_plan::status(&ctx(&state).await).await
}

/// Stops the running devices sync after the page being written; the next sync resumes it.
#[tauri::command]
pub fn cancel_sync(state: State<'_, AppState>) {
    if let Some(cancel) = state
        .sync
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .as_ref()
    {
        cancel.cancel();
    }
}

#[tauri::command]
pub async fn list_devices(state: State<'_, AppState>, query: DeviceQuery) -> Result<DevicePage> {
    devices::list(&ctx(&state).await, &query, true).await
}

#[tauri::command]
pub async fn get_device(state: State<'_, AppState>, id: String) -> Result<DeviceDetail> {
    devices::show(&ctx(&state).await, &id).await
}

#[tauri::command]
pub async fn set_language(state: State<'_, AppState>, lang: Lang) -> Result<()> {
    settings::set_language(&mut *state.ctx.write().await, lang).await
}

#[tauri::command]
pub async fn preflight(
    state: State<'_, AppState>,
    device_id: String,
    mode: Mode,
    ticket: Option<String>,
) -> Result<Preflight> {
    let request = session::PolicyRequest {
        reason: None,
        ticket: ticket.as_deref(),
    };
    session::preflight_with(&ctx(&state).await, &device_id, mode, request).await
}

#[tauri::command]
pub async fn start_session(
    state: State<'_, AppState>,
    device_id: String,
    mode: Mode,
    reason: String,
    ticket: Option<String>,
) -> Result<Session> {
    let ctx = ctx(&state).await;
    session::start_with_ticket(&ctx, &device_id, mode, &reason, ticket.as_deref(), true).await
}

/// The coaching card of an attended session: what its device user does, and the code to confirm.
#[tauri::command]
pub async fn coaching_card(state: State<'_, AppState>, id: String) -> Result<CoachingCard> {
    session::coaching::card(&ctx(&state).await, &id).await
}

/// Armed sessions, newest first: the waiting ones, or all.
#[tauri::command]
pub async fn list_armed(state: State<'_, AppState>, all: bool) -> Result<Vec<ArmedSession>> {
    armed::list(&ctx(&state).await, !all, 200).await
}

/// Arms a session: it starts by itself at the device's next check-in, within `within_minutes`.
#[tauri::command]
pub async fn arm_session(
    state: State<'_, AppState>,
    device_id: String,
    mode: Mode,
    reason: String,
    ticket: Option<String>,
    within_minutes: Option<u32>,
) -> Result<ArmedSession> {
    let request = armed::ArmRequest {
        device_id: &device_id,
        mode,
        reason: &reason,
        ticket: ticket.as_deref(),
        within: armed::minutes(within_minutes),
    };
    armed::arm(&ctx(&state).await, request).await
}

/// Arms again a session that ended lost (S9), expired (S5) or failed.
#[tauri::command]
pub async fn rearm_session(
    state: State<'_, AppState>,
    id: String,
    within_minutes: Option<u32>,
) -> Result<ArmedSession> {
    armed::rearm(&ctx(&state).await, &id, armed::minutes(within_minutes)).await
}

/// Cancels the agent's armed session.
#[tauri::command]
pub async fn cancel_armed(state: State<'_, AppState>, id: String) -> Result<ArmedSession> {
    armed::cancel(&ctx(&state).await, &id).await
}

#[tauri::command]
pub async fn list_approvals(state: State<'_, AppState>, all: bool) -> Result<Vec<Approval>> {
    approvals::list(&ctx(&state).await, all, approvals::MAX_LIST).await
}

#[tauri::command]
pub async fn approve_start(state: State<'_, AppState>, id: String) -> Result<Approval> {
    approvals::approve(&ctx(&state).await, &id).await
}

#[tauri::command]
pub async fn refuse_start(
    state: State<'_, AppState>,
    id: String,
    reason: Option<String>,
) -> Result<Approval> {
    approvals::refuse(&ctx(&state).await, &id, reason.as_deref()).await
}

#[tauri::command]
pub async fn list_policies(state: State<'_, AppState>) -> Result<Vec<PolicyEntry>> {
    policy::list(&ctx(&state).await).await
}

#[tauri::command]
pub async fn set_policy(state: State<'_, AppState>, policy: Policy) -> Result<PolicyEntry> {
    policy::set(&ctx(&state).await, policy).await
}

#[tauri::command]
pub async fn remove_policy(state: State<'_, AppState>, name: String) -> Result<PolicyEntry> {
    policy::remove(&ctx(&state).await, &name).await
}

#[tauri::command]
pub async fn get_session(state: State<'_, AppState>, id: String) -> Result<Session> {
    session::show(&ctx(&state).await, &id).await
}

#[tauri::command]
pub async fn close_session(state: State<'_, AppState>, id: String) -> Result<Session> {
    session::close(&ctx(&state).await, &id).await
}

#[tauri::command]
pub async fn open_session(state: State<'_, AppState>, id: String) -> Result<()> {
    session::open_again(&ctx(&state).await, &id)
        .await
        .map(|_| ())
}

#[tauri::command]
pub async fn auth_status(state: State<'_, AppState>) -> Result<AuthStatus> {
    auth::status(&ctx(&state).await).await
}

#[tauri::command]
pub async fn sign_in(state: State<'_, AppState>) -> Result<AuthStatus> {
    let ctx = ctx(&state).await;
    auth::sign_in(&ctx, ctx.browser.as_ref(), Default::default()).await
}

#[tauri::command]
pub async fn sign_out(state: State<'_, AppState>) -> Result<AuthStatus> {
    auth::sign_out(&ctx(&state).await).await
}

#[tauri::command]
pub async fn list_sessions(state: State<'_, AppState>, open_only: bool) -> Result<Vec<Session>> {
    session::list(&ctx(&state).await, open_only, 200).await
}

/// Reads every open session back from TeamViewer now and retries the closes owed to it.
#[tauri::command]
pub async fn sync_sessions(state: State<'_, AppState>) -> Result<SessionSync> {
    let ctx = ctx(&state).await;
    let sync = lifecycle::reconcile(&ctx, lifecycle::Trigger::Agent).await?;
    state.session_sync.record(ctx.clock.now(), &sync);
    Ok(sync)
}

/// The last reconciliation (the window's own, every `RECONCILE_EVERY`), without calling TeamViewer.
#[tauri::command]
pub fn last_session_sync(state: State<'_, AppState>) -> Option<LastSessionSync> {
    state.session_sync.last()
}

/// The help requests waiting in Help@Work's TeamViewer service queue (the inbox).
#[tauri::command]
pub async fn list_requests(state: State<'_, AppState>) -> Result<Inbox> {
    requests::list(&ctx(&state).await).await
}

/// Takes a help request: assigned to the agent at TeamViewer, a session here, the desktop client.
#[tauri::command]
pub async fn take_request(state: State<'_, AppState>, code: String) -> Result<TakenRequest> {
    requests::take(&ctx(&state).await, &code, true).await
}

/// The agents who signed in to TeamViewer here (whom a session can be handed over to).
#[tauri::command]
pub async fn list_agents(state: State<'_, AppState>) -> Result<Vec<Agent>> {
    agents::list(&ctx(&state).await).await
}

#[tauri::command]
pub async fn hand_over_session(
    state: State<'_, AppState>,
    id: String,
    to: String,
    reason: String,
) -> Result<Handover> {
    handover::hand_over(&ctx(&state).await, &id, &to, &reason).await
}

/// The device's TeamViewer Host read from TeamViewer now (unattended: match, online, last seen).
#[tauri::command]
pub async fn host_status(state: State<'_, AppState>, device_id: String) -> Result<HostStatus> {
    unattended::status(&ctx(&state).await, &device_id).await
}

/// The admin confirms a TeamViewer device is the device's Host (the fallback match).
#[tauri::command]
pub async fn confirm_host_match(
    state: State<'_, AppState>,
    device_id: String,
    remotecontrol_id: String,
) -> Result<HostStatus> {
    unattended::confirm_match(&ctx(&state).await, &device_id, &remotecontrol_id).await
}

#[tauri::command]
pub async fn admin_status(state: State<'_, AppState>) -> Result<AdminStatus> {
    admin::status(&ctx(&state).await).await
}

#[tauri::command]
pub async fn set_tier(state: State<'_, AppState>, tier: Tier) -> Result<AdminStatus> {
    admin::set_tier(&ctx(&state).await, tier).await
}

#[tauri::command]
pub async fn set_licences(state: State<'_, AppState>, unattended: u32) -> Result<AdminStatus> {
    admin::set_licences(&ctx(&state).await, unattended).await
}

#[tauri::command]
pub async fn get_eula() -> Result<Eula> {
    admin::eula().await
}

#[tauri::command]
pub async fn activate(
    state: State<'_, AppState>,
    mode: Mode,
    eula_sha256: String,
) -> Result<AdminStatus> {
    admin::activate(&ctx(&state).await, mode, &eula_sha256).await
}

#[tauri::command]
pub async fn remove_activation(state: State<'_, AppState>) -> Result<AdminStatus> {
    admin::remove_activation(&ctx(&state).await).await
}

#[tauri::command]
pub async fn distribute_app(
    state: State<'_, AppState>,
    app: AppKind,
    devices: Vec<String>,
    all: bool,
    distribute: bool,
) -> Result<DistributionResult> {
    admin::distribute(&ctx(&state).await, app, &devices, all, distribute).await
}

#[tauri::command]
pub async fn deprovision(state: State<'_, AppState>) -> Result<AdminStatus> {
    admin::deprovision(&ctx(&state).await, &|_, _, _| {}).await
}

#[tauri::command]
pub async fn delete_account(state: State<'_, AppState>) -> Result<AdminStatus> {
    admin::delete_account(&ctx(&state).await).await
}

#[tauri::command]
pub async fn list_audit(state: State<'_, AppState>, filter: AuditFilter) -> Result<AuditPage> {
    audit::list(&ctx(&state).await, &filter).await
}

#[tauri::command]
pub async fn audit_facets(state: State<'_, AppState>) -> Result<AuditFacets> {
    audit::facets(&ctx(&state).await).await
}

/// Walks the audit trail's hash chain: how far it holds, or its first broken link.
#[tauri::command]
pub async fn verify_audit(state: State<'_, AppState>) -> Result<AuditVerification> {
    helpatwork_app::audit_verify::verify(&ctx(&state).await).await
}

/// Writes the CSV to the Downloads folder; the webview never names a path.
#[tauri::command]
pub async fn export_audit(state: State<'_, AppState>, filter: AuditFilter) -> Result<AuditExport> {
    audit::export_to_downloads(&ctx(&state).await, &filter).await
}

#[tauri::command]
pub async fn get_settings(state: State<'_, AppState>) -> Result<SettingsView> {
    settings::show(&ctx(&state).await)
}

#[tauri::command]
pub async fn set_setting(
    state: State<'_, AppState>,
    key: String,
    value: String,
) -> Result<SettingChange> {
    settings::save(&mut *state.ctx.write().await, &key, &value).await
}

#[tauri::command]
pub async fn test_setting(
    state: State<'_, AppState>,
    target: TestTarget,
) -> Result<ConnectionTest> {
    connection::test_saved(&ctx(&state).await, target).await
}

#[tauri::command]
pub async fn list_audit_sinks(state: State<'_, AppState>) -> Result<Vec<AuditSinkStatus>> {
    siem::list(&ctx(&state).await, siem::secrets().as_ref()).await
}

#[tauri::command]
pub async fn put_audit_sink(
    state: State<'_, AppState>,
    sink: AuditSinkInput,
) -> Result<AuditSinkStatus> {
    siem::put(&ctx(&state).await, siem::secrets().as_ref(), sink).await
}

#[tauri::command]
pub async fn remove_audit_sink(state: State<'_, AppState>, id: String) -> Result<()> {
    siem::remove(&ctx(&state).await, siem::secrets().as_ref(), &id).await
}

/// One pass of the sender now, even for a sink waiting out its backoff.
#[tauri::command]
pub async fn send_audit(state: State<'_, AppState>) -> Result<AuditSendReport> {
    let ctx = ctx(&state).await;
    let holder = siem::sender::holder();
    siem::sender::drain(&ctx, siem::secrets().as_ref(), &holder, true, &()).await
}

/// Benchmark hook (bench/src/window_start.rs, `crate::bench`): the window calls this once its
/// first device rows are painted. It does nothing unless a benchmark's variable is set.
#[tauri::command]
pub fn report_first_paint() -> Result<()> {
    crate::bench::first_paint()
}

/// The readiness board as last computed, at once (`None` before the first computation).
#[tauri::command]
pub async fn readiness_board(state: State<'_, AppState>) -> Result<Option<ReadinessBoard>> {
    readiness::stored_board(&ctx(&state).await).await
}

/// A fresh board over the whole fleet (it replaces the stored one).
#[tauri::command]
pub async fn refresh_readiness(
    state: State<'_, AppState>,
    offline_days: u32,
) -> Result<ReadinessBoard> {
    readiness::refresh(&ctx(&state).await, offline_days).await
}

/// The ids of a group's devices, for the devices view.
#[tauri::command]
pub async fn readiness_group(
    state: State<'_, AppState>,
    mode: Mode,
    group: Blocker,
    offline_days: u32,
) -> Result<Vec<String>> {
    readiness::group_devices(&ctx(&state).await, mode, group, offline_days).await
}

/// A group's fix as a dry run.
#[tauri::command]
pub async fn plan_fix(
    state: State<'_, AppState>,
    mode: Mode,
    group: Blocker,
    offline_days: u32,
) -> Result<FixPlan> {
    readiness_fix::plan(&ctx(&state).await, mode, group, offline_days).await
}

/// Runs a group's fix with progress; `cancel_fix` stops it between devices.
#[tauri::command]
pub async fn run_fix(
    state: State<'_, AppState>,
    mode: Mode,
    group: Blocker,
    offline_days: u32,
    on_progress: tauri::ipc::Channel<FixProgress>,
) -> Result<FixRun> {
    let cancel = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    {
        let mut running = state.fix.lock().unwrap_or_else(|e| e.into_inner());
        if running.is_some() {
            return Err(AppError::new(
                helpatwork_app::ErrorCode::Conflict,
                "A bulk fix is already running.",
            )
            .with_fix("Wait for it to finish, or cancel it."));
        }
        *running = Some(cancel.clone());
    }
    let ctx = ctx(&state).await;
    let progress = move |done: u32, total: u32| {
        let _ = on_progress.send(FixProgress { done, total });
    };
    let run = readiness_fix::run(&ctx, mode, group, offline_days, &cancel, progress).await;
    *state.fix.lock().unwrap_or_else(|e| e.into_inner()) = None;
    if run.is_ok() {
        readiness::refresh_in_background(&ctx);
    }
    run
}

#[tauri::command]
pub fn cancel_fix(state: State<'_, AppState>) {
    if let Some(cancel) = state.fix.lock().unwrap_or_else(|e| e.into_inner()).as_ref() {
        cancel.store(true, std::sync::atomic::Ordering::Relaxed);
    }
}

/// A group's devices as a CSV file in Downloads, for the MDM console where no connector can fix them.
#[tauri::command]
pub async fn export_group(
    state: State<'_, AppState>,
    mode: Mode,
    group: Blocker,
    offline_days: u32,
) -> Result<GroupExport> {
    readiness_fix::csv_to_downloads(&ctx(&state).await, mode, group, offline_days).await
}
