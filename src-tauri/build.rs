fn main() {
    // Only these app commands exist; the capability file grants exactly them to the main window.
    let commands = &[
        "app_info",
        "list_devices",
        "get_device",
        "set_language",
        "preflight",
        "start_session",
        "get_session",
        "close_session",
        "open_session",
        "auth_status",
        "sign_in",
        "sign_out",
        "list_sessions",
        "sync_sessions",
        "last_session_sync",
        "admin_status",
        "set_tier",
        "set_licences",
        "get_eula",
        "activate",
        "remove_activation",
        "distribute_app",
        "deprovision",
        "delete_account",
        "list_audit",
        "audit_facets",
        "export_audit",
        "get_settings",
        "set_setting",
        "test_setting",
        "report_first_paint",
        "sync_devices",
        "cancel_sync",
    ];
    tauri_build::try_build(
        tauri_build::Attributes::new()
            .app_manifest(tauri_build::AppManifest::new().commands(commands)),
    )
    .expect("tauri-build failed");
}
