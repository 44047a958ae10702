//! Benchmark hooks (bench/src/window_start.rs). Each is inert unless its variable is set, so a
//! user's window never runs one.
//!
//! - `HELPATWORK_BENCH_READY_FILE`: the window's first device rows were painted
//!   ([`first_paint`] writes the wall-clock time there).
//! - `HELPATWORK_BENCH_EMPTY_WINDOW=1`: the floor of the window figures. The same shell, plugins
//!   and webview open `bench-empty.html` (a static page in `ui/public`) instead of the app: no
//!   store, no background work. The page reports its first paint the same way.
//! - `HELPATWORK_BENCH_SCROLL_FILE`: after the first rows are painted, the window scrolls the
//!   whole device list, a page of rows at a time, each page's rows loaded before the next; then
//!   the time is written to that file.

use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::OnceLock;

use helpatwork_app::AppError;

type Result<T> = std::result::Result<T, AppError>;

/// When the shell started (set first thing in `run`).
pub static STARTED: OnceLock<std::time::Instant> = OnceLock::new();

/// The main window, kept only when the scroll is asked for (it runs the scroll script).
static SCROLLED_WINDOW: OnceLock<tauri::WebviewWindow> = OnceLock::new();

/// The static page of the empty window (copied from `ui/public` into the embedded UI).
const EMPTY_PAGE: &str = "bench-empty.html";

/// Scrolls the device grid to its end, 200 rows (a page of the list) at a time: each step waits
/// (at most 5 s) until the row it scrolled to is painted with its data, so every page is fetched
/// and shown; then it reports through `report_first_paint` again. Row `i` starts `36 * i` px
/// below the header (`ROW_HEIGHT` in ui/src/features/devices/DeviceTable.tsx).
const SCROLL_SCRIPT: &str = r#"(async () => {
  const frame = () => new Promise((done) => requestAnimationFrame(() => done()));
  const grid = document.querySelector('[data-testid="device-grid"]');
  const rows = Number(grid.getAttribute("aria-rowcount")) - 1;
  const shown = (index) =>
    grid.querySelector(`[data-testid="device-row"][data-index="${index}"]`) !== null;
  for (let index = 0; ; ) {
    const waited = performance.now();
    while (!shown(index) && performance.now() - waited < 5000) await frame();
    if (index >= rows - 1) break;
    index = Math.min(rows - 1, index + 200);
    grid.scrollTop = index * 36;
    await frame();
  }
  await frame();
  await frame();
  await window.__TAURI_INTERNALS__.invoke("report_first_paint");
})();"#;

/// `HELPATWORK_BENCH_EMPTY_WINDOW=1`.
pub fn empty_window() -> bool {
    std::env::var("HELPATWORK_BENCH_EMPTY_WINDOW").is_ok_and(|v| v == "1")
}

/// The empty window: every configured window opens the static page instead of the app.
pub fn open_empty_page<R: tauri::Runtime>(context: &mut tauri::Context<R>) {
    for window in &mut context.config_mut().app.windows {
        window.url = tauri::WebviewUrl::App(EMPTY_PAGE.into());
    }
}

/// Keeps the main window for the scroll, when `HELPATWORK_BENCH_SCROLL_FILE` asks for one.
pub fn keep_window_for_scroll(app: &tauri::App) {
    if var_path("HELPATWORK_BENCH_SCROLL_FILE").is_some() {
        if let Some(window) = tauri::Manager::get_webview_window(app, "main") {
            let _ = SCROLLED_WINDOW.set(window);
        }
    }
}

fn var_path(name: &str) -> Option<PathBuf> {
    std::env::var_os(name).map(PathBuf::from)
}

/// The window's first device rows (or the empty page) were painted: the wall-clock time and the
/// time since the shell started go to `HELPATWORK_BENCH_READY_FILE`, and the scroll starts when
/// asked. Called again at the end of that scroll: its time goes to `HELPATWORK_BENCH_SCROLL_FILE`.
pub fn first_paint() -> Result<()> {
    static PAINTED: AtomicBool = AtomicBool::new(false);
    let Some(ready) = var_path("HELPATWORK_BENCH_READY_FILE") else {
        return Ok(());
    };
    let scroll = var_path("HELPATWORK_BENCH_SCROLL_FILE");
    let first = !PAINTED.swap(true, Ordering::SeqCst);
    let file = match (first, &scroll) {
        (true, _) => ready,
        (false, Some(scrolled)) => scrolled.clone(),
        (false, None) => return Ok(()),
    };
    write_time(&file)?;
    if let (true, Some(window)) = (first, SCROLLED_WINDOW.get()) {
        window
            .eval(SCROLL_SCRIPT)
            .map_err(|e| AppError::internal(e.to_string()))?;
    }
    Ok(())
}

fn write_time(file: &std::path::Path) -> Result<()> {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap_or_default();
    let since_start = STARTED.get().map(|t| t.elapsed()).unwrap_or_default();
    let body = serde_json::json!({
        "painted_unix_ms": now.as_secs_f64() * 1000.0,
        "since_start_ms": since_start.as_secs_f64() * 1000.0,
    });
    std::fs::write(file, body.to_string()).map_err(|e| AppError::internal(e.to_string()))
}
