//! Help@Work Desk, the Tauri shell.
//!
//! Wires plugins, state and commands; each command unpacks its arguments and calls
//! `helpatwork_app`. No product rule lives here (see crates/domain and crates/app).

mod bench;
#[macro_use]
mod command_list;
mod commands;
mod contract;
// The choice is made and tested everywhere; only Linux's webview takes it.
#[cfg_attr(not(target_os = "linux"), allow(dead_code))]
mod webview;

use helpatwork_app::paths::Paths;
use helpatwork_app::{AppContext, ContextOptions};
use tauri::Manager;

/// The shell's state: the app context behind a lock (the language can change at run time).
pub struct AppState {
    pub ctx: tokio::sync::RwLock<AppContext>,
    /// The running devices sync's cancel switch, if one runs.
    pub sync: std::sync::Mutex<Option<helpatwork_app::sync::SyncCancel>>,
    /// The running bulk fix's cancel switch, if one runs.
    pub fix: std::sync::Mutex<Option<std::sync::Arc<std::sync::atomic::AtomicBool>>>,
    /// The last time open sessions were read back from TeamViewer.
    pub session_sync: helpatwork_app::lifecycle::SyncLog,
}

/// The invoke handler: every command of the list (`command_list.rs`), none other.
macro_rules! invoke_handler {
    ($($name:ident($($arg:ident: $ty:ty),*) -> $answer:ty;)*) => {
        tauri::generate_handler![$(commands::$name),*]
    };
}

fn wants_demo() -> bool {
    std::env::args().any(|a| a == "--demo")
}

pub fn run() {
    bench::STARTED.get_or_init(std::time::Instant::now);
    // Without a display GTK stops with a backtrace: say what to do instead, and exit.
    let lang = helpatwork_app::context::system_lang();
    if let Some(why) = helpatwork_app::display::missing(|name| std::env::var(name).ok(), lang) {
        eprintln!("{why}");
        std::process::exit(1);
    }
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info")),
        )
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .with_writer(std::io::stderr)
        .init();

    let mut options = ContextOptions::from_env();
    options.demo |= wants_demo();
    let mut context = tauri::generate_context!();
    // The window benchmarks' floor: the same shell painting a static page, nothing else.
    let empty = bench::empty_window();
    if empty {
        bench::open_empty_page(&mut context);
    }

    tauri::Builder::default()
        .plugin(tauri_plugin_single_instance::init(|app, _argv, _cwd| {
            if let Some(window) = app.get_webview_window("main") {
                let _ = window.unminimize();
                let _ = window.set_focus();
            }
        }))
        .plugin(tauri_plugin_window_state::Builder::default().build())
        .plugin(tauri_plugin_notification::init())
        .setup(move |app| {
            if let Some(window) = app.get_webview_window("main") {
                webview::apply(&window);
            }
            if empty {
                return Ok(());
            }
            bench::keep_window_for_scroll(app);
            let ctx = tauri::async_runtime::block_on(AppContext::open(Paths::from_env(), options))
                .map_err(|e| format!("{} {}", e.message, e.fix.unwrap_or_default()))?;
            if ctx.demo {
                if let Some(window) = app.get_webview_window("main") {
                    window.set_title("Help@Work Desk — Demo")?;
                }
            }
            // The search index is built in the background once the first rows are up, so the
            // agent's first search answers at once.
            let store = ctx.store.clone();
            tauri::async_runtime::spawn(async move {
                tokio::time::sleep(std::time::Duration::from_secs(2)).await;
                if let Err(e) = store.warm_search().await {
                    tracing::warn!(error = %e, "the search index could not be built ahead");
                }
            });
            app.manage(AppState {
                ctx: tokio::sync::RwLock::new(ctx),
                sync: std::sync::Mutex::new(None),
                fix: std::sync::Mutex::new(None),
                session_sync: Default::default(),
            });
            // A session's state is TeamViewer's: open sessions are read back on an interval (a
            // no-op while none is open), so the views, which read the store, follow it.
            let handle = app.handle().clone();
            tauri::async_runtime::spawn(async move {
                loop {
                    tokio::time::sleep(helpatwork_app::lifecycle::RECONCILE_EVERY).await;
                    let state = handle.state::<AppState>();
                    let ctx = state.ctx.read().await.clone();
                    match helpatwork_app::lifecycle::reconcile(
                        &ctx,
                        helpatwork_app::lifecycle::Trigger::Automatic,
                    )
                    .await
                    {
                        Ok(sync) => state.session_sync.record(ctx.clock.now(), &sync),
                        Err(e) => {
                            tracing::warn!(error = %e.message, "sessions were not reconciled")
                        }
                    }
                    // The check-ins the store has seen start this agent's armed sessions (once,
                    // whichever window or process sees them first); the sessions view notifies.
                    if let Err(e) = helpatwork_app::armed::fire_due(&ctx, true).await {
                        tracing::warn!(error = %e.message, "armed sessions were not fired");
                    }
                }
            });
            // The background devices sync: every `sync.every_minutes` (15 by default; off
            // with the embedded fleet or 0), incremental unless a full sync is due. A window
            // whose own sync runs skips its turn; other processes of a team are kept apart by
            // the store's sync lease (crates/app/src/sync_schedule.rs).
            let handle = app.handle().clone();
            tauri::async_runtime::spawn(async move {
                loop {
                    let state = handle.state::<AppState>();
                    let ctx = state.ctx.read().await.clone();
                    let minutes = helpatwork_app::sync_plan::every_minutes(&ctx);
                    let wait = std::time::Duration::from_secs(60 * u64::from(minutes.max(1)));
                    tokio::time::sleep(wait).await;
                    if minutes == 0 {
                        continue;
                    }
                    let cancel = helpatwork_app::sync::SyncCancel::default();
                    {
                        let mut running = state.sync.lock().unwrap_or_else(|e| e.into_inner());
                        if running.is_some() {
                            continue;
                        }
                        *running = Some(cancel.clone());
                    }
                    let run =
                        helpatwork_app::sync_schedule::tick(&ctx, ctx.mdm.clone(), wait, &cancel)
                            .await;
                    *state.sync.lock().unwrap_or_else(|e| e.into_inner()) = None;
                    tracing::info!(?run, "background devices sync");
                }
            });
            // Every audit event is owed to each SIEM sink (the outbox): a pass every few seconds
            // delivers what is owed; a sink that is down waits out its backoff.
            let handle = app.handle().clone();
            tauri::async_runtime::spawn(async move {
                let holder = helpatwork_app::siem::sender::holder();
                let secrets = helpatwork_app::siem::secrets();
                loop {
                    let state = handle.state::<AppState>();
                    let ctx = state.ctx.read().await.clone();
                    if let Err(e) = helpatwork_app::siem::sender::drain(
                        &ctx,
                        secrets.as_ref(),
                        &holder,
                        false,
                        &(),
                    )
                    .await
                    {
                        tracing::warn!(error = %e.message, "audit events were not streamed");
                    }
                    tokio::time::sleep(helpatwork_app::siem::sender::POLL).await;
                }
            });
            Ok(())
        })
        .invoke_handler(with_commands!(invoke_handler))
        .run(context)
        .expect("error while running Help@Work Desk");
}
