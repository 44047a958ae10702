//! IPC commands: one line each over `helpatwork_app`. Errors cross as `ApiError`.

use helpatwork_app::dto::{AppInfo, DeviceDetail, DevicePage, DeviceQuery};
use helpatwork_app::session::Preflight;
use helpatwork_app::{devices, session, AppError};
use helpatwork_domain::{Lang, Mode};
use tauri::State;

use crate::AppState;

type Result<T> = std::result::Result<T, AppError>;

#[tauri::command]
pub async fn app_info(state: State<'_, AppState>) -> Result<AppInfo> {
    let ctx = state.ctx.read().await;
    Ok(AppInfo {
        product: "Help@Work Desk".into(),
        version: env!("CARGO_PKG_VERSION").into(),
        demo: ctx.demo,
        lang: ctx.lang,
        data_dir: ctx.paths.root().display().to_string(),
        device_count: ctx.store.device_count().await?,
    })
}

#[tauri::command]
pub async fn list_devices(state: State<'_, AppState>, query: DeviceQuery) -> Result<DevicePage> {
    devices::list(&*state.ctx.read().await, &query, true).await
}

#[tauri::command]
pub async fn get_device(state: State<'_, AppState>, id: String) -> Result<DeviceDetail> {
    devices::show(&*state.ctx.read().await, &id).await
}

#[tauri::command]
pub async fn set_language(state: State<'_, AppState>, lang: Lang) -> Result<()> {
    state.ctx.write().await.set_lang(lang).await
}

#[tauri::command]
pub async fn preflight(
    state: State<'_, AppState>,
    device_id: String,
    mode: Mode,
) -> Result<Preflight> {
    session::preflight(&*state.ctx.read().await, &device_id, mode).await
}

#[tauri::command]
pub async fn start_session(
    state: State<'_, AppState>,
    device_id: String,
    mode: Mode,
    reason: String,
) -> Result<Preflight> {
    session::start(&*state.ctx.read().await, &device_id, mode, &reason).await
}
