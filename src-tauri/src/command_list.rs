// The window's IPC commands, declared once: each command's name, its arguments as the window
// sends them, and its answer. Everything else is expanded from this list:
//
// - `src-tauri/src/lib.rs`: the invoke handler (`generate_handler!`);
// - `src-tauri/build.rs` (which `include!`s this file): the app manifest and
//   `capabilities/main.json`, which grants exactly these commands;
// - `src-tauri/src/contract.rs`: a compile-time check that each function in `commands.rs` takes
//   these arguments and answers this type, and the TypeScript command map
//   (`ui/src/bindings/commands.ts`, written by `cargo test -p helpatwork-desk`) that types
//   `ui/src/ipc.ts` and the UI's fake back end.
//
// An argument's name is the function parameter's name (the window sends it in camelCase); the
// answer is what the window receives: `T` for `Result<T, AppError>` (the error crosses as
// `ApiError`), `()` for nothing. The types are named where the list is expanded, so this file
// holds the list alone (build.rs compiles it without the app's crates).

macro_rules! with_commands {
    ($then:ident) => {
        $then! {
            // The window and the fleet.
            app_info() -> AppInfo;
            list_devices(query: DeviceQuery) -> DevicePage;
            get_device(id: String) -> DeviceDetail;
            set_language(lang: Lang) -> ();
            sync_devices(on_progress: Channel<SyncProgress>) -> SyncReport;
            cancel_sync() -> ();
            sync_status() -> SyncStatus;

            // The fleet readiness board and its bulk fixes (docs/readiness.md).
            readiness_board() -> Option<ReadinessBoard>;
            refresh_readiness(offline_days: u32) -> ReadinessBoard;
            readiness_group(mode: Mode, group: Blocker, offline_days: u32) -> Vec<String>;
            plan_fix(mode: Mode, group: Blocker, offline_days: u32) -> FixPlan;
            run_fix(mode: Mode, group: Blocker, offline_days: u32, on_progress: Channel<FixProgress>)
                -> FixRun;
            cancel_fix() -> ();
            export_group(mode: Mode, group: Blocker, offline_days: u32) -> GroupExport;

            // Sessions (docs/sessions.md).
            preflight(device_id: String, mode: Mode, ticket: Option<String>) -> Preflight;
            start_session(device_id: String, mode: Mode, reason: String, ticket: Option<String>)
                -> Session;
            get_session(id: String) -> Session;
            coaching_card(id: String) -> CoachingCard;
            close_session(id: String) -> Session;
            open_session(id: String) -> ();
            list_sessions(open_only: bool) -> Vec<Session>;
            sync_sessions() -> SessionSync;
            last_session_sync() -> Option<LastSessionSync>;

            // Armed sessions: started at the device's next check-in (docs/sessions.md).
            list_armed(all: bool) -> Vec<ArmedSession>;
            arm_session(device_id: String, mode: Mode, reason: String, ticket: Option<String>,
                within_minutes: Option<u32>) -> ArmedSession;
            rearm_session(id: String, within_minutes: Option<u32>) -> ArmedSession;
            cancel_armed(id: String) -> ArmedSession;

            // The agent's TeamViewer sign-in (S3).
            auth_status() -> AuthStatus;
            sign_in() -> AuthStatus;
            sign_out() -> AuthStatus;

            // Help requests, hand-overs and unattended Hosts (docs/unattended.md).
            list_requests() -> Inbox;
            take_request(code: String) -> TakenRequest;
            list_agents() -> Vec<Agent>;
            hand_over_session(id: String, to: String, reason: String) -> Handover;
            host_status(device_id: String) -> HostStatus;
            confirm_host_match(device_id: String, remotecontrol_id: String) -> HostStatus;

            // Support policies and four eyes (docs/audit.md, Support policies).
            list_approvals(all: bool) -> Vec<Approval>;
            approve_start(id: String) -> Approval;
            refuse_start(id: String, reason: Option<String>) -> Approval;
            list_policies() -> Vec<PolicyEntry>;
            set_policy(policy: Policy) -> PolicyEntry;
            remove_policy(name: String) -> PolicyEntry;

            // Admin → Infrastructure → Help@Work (docs/admin.md).
            admin_status() -> AdminStatus;
            set_tier(tier: Tier) -> AdminStatus;
            set_licences(unattended: u32) -> AdminStatus;
            get_eula() -> Eula;
            activate(mode: Mode, eula_sha256: String) -> AdminStatus;
            remove_activation() -> AdminStatus;
            distribute_app(app: AppKind, devices: Vec<String>, all: bool, distribute: bool)
                -> DistributionResult;
            deprovision() -> AdminStatus;
            delete_account() -> AdminStatus;

            // The audit trail and the settings.
            list_audit(filter: AuditFilter) -> AuditPage;
            audit_facets() -> AuditFacets;
            export_audit(filter: AuditFilter) -> AuditExport;
            verify_audit() -> AuditVerification;
            get_settings() -> SettingsView;
            set_setting(key: String, value: String) -> SettingChange;
            test_setting(target: TestTarget) -> ConnectionTest;

            // Streaming the audit trail to a SIEM (docs/audit.md).
            list_audit_sinks() -> Vec<AuditSinkStatus>;
            put_audit_sink(sink: AuditSinkInput) -> AuditSinkStatus;
            remove_audit_sink(id: String) -> ();
            send_audit() -> AuditSendReport;

            // Benchmark hook (bench/src/window_start.rs).
            report_first_paint() -> ();
        }
    };
}
