//! How the window's web content is composited on Linux (WebKitGTK).
//!
//! WebKitGTK composites the page through OpenGL by default. On a machine with no GPU render
//! node (a virtual desktop, a remote session, a container under Xvfb) that OpenGL is Mesa's
//! software renderer: every scroll re-renders the page's layers through it, and the web process
//! keeps their buffers. Scrolling the device list of 100,000 devices then left WebKit's
//! processes holding about 200 MB more than a static page, against about 120 MB with the page
//! painted directly (bench/README.md, "whole footprint"). So without a render node the page is
//! painted directly, as WebKitGTK does with its compositing turned off; with one, WebKit's GPU
//! path stays.
//!
//! `HELPATWORK_COMPOSITING=on|off|auto` overrides the choice (auto when unset). A window under
//! WebDriver keeps WebKit's default (see [`apply`]). macOS and Windows composite through the
//! system's own webview and are left as they are.

/// How the page is composited.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Compositing {
    /// WebKit's OpenGL compositing (its default).
    Gpu,
    /// The page painted directly, no compositing layers.
    Direct,
}

/// The variable that overrides the choice.
pub const VARIABLE: &str = "HELPATWORK_COMPOSITING";

/// The choice from the override's value (`None` when unset) and whether the machine has a GPU
/// render node. An unknown value is an error naming the accepted ones; the caller falls back
/// to the automatic choice.
pub fn choose(setting: Option<&str>, has_render_node: bool) -> Result<Compositing, String> {
    let automatic = if has_render_node {
        Compositing::Gpu
    } else {
        Compositing::Direct
    };
    match setting.map(|s| s.trim().to_ascii_lowercase()).as_deref() {
        None | Some("" | "auto") => Ok(automatic),
        Some("on") => Ok(Compositing::Gpu),
        Some("off") => Ok(Compositing::Direct),
        Some(other) => Err(format!(
            "{VARIABLE}={other:?} is not a choice: use on, off or auto (the default)."
        )),
    }
}

/// Whether `names` (a directory's entries) hold a DRM render node (`renderD128`, …).
pub fn has_render_node<I: IntoIterator<Item = String>>(names: I) -> bool {
    names.into_iter().any(|name| {
        name.strip_prefix("renderD")
            .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
    })
}

/// The choice for this machine and environment (a bad override is logged and ignored).
pub fn for_this_machine() -> Compositing {
    let names = std::fs::read_dir("/dev/dri")
        .map(|dir| {
            dir.filter_map(|e| e.ok())
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .collect::<Vec<_>>()
        })
        .unwrap_or_default();
    let setting = std::env::var(VARIABLE).ok();
    let render_node = has_render_node(names);
    choose(setting.as_deref(), render_node).unwrap_or_else(|why| {
        tracing::warn!("{why}");
        choose(None, render_node).unwrap_or(Compositing::Gpu)
    })
}

/// Applies the choice to a window's webview (Linux; elsewhere nothing to do).
pub fn apply<R: tauri::Runtime>(window: &tauri::WebviewWindow<R>) {
    #[cfg(target_os = "linux")]
    {
        let compositing = for_this_machine();
        tracing::debug!(?compositing, "webview compositing");
        if compositing == Compositing::Direct {
            let applied = window.with_webview(|webview| {
                use webkit2gtk::{HardwareAccelerationPolicy, SettingsExt, WebViewExt};
                let view = webview.inner();
                // Under WebDriver (tauri-driver), WebKitWebDriver's screenshot of a page painted
                // directly can wait without end (seen at the Approvals view in
                // tests/e2e/window.mjs, the page itself painted and working): a window under
                // automation keeps WebKit's default.
                if view.is_controlled_by_automation() {
                    tracing::debug!("under automation: WebKit's compositing kept");
                    return;
                }
                if let Some(settings) = view.settings() {
                    settings.set_hardware_acceleration_policy(HardwareAccelerationPolicy::Never);
                }
            });
            if let Err(e) = applied {
                tracing::warn!(error = %e, "the webview's compositing could not be set");
            }
        }
    }
    #[cfg(not(target_os = "linux"))]
    let _ = window;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn without_a_render_node_the_page_is_painted_directly() {
        assert_eq!(choose(None, false), Ok(Compositing::Direct));
        assert_eq!(choose(None, true), Ok(Compositing::Gpu));
        assert_eq!(choose(Some("auto"), false), Ok(Compositing::Direct));
        assert_eq!(choose(Some(""), true), Ok(Compositing::Gpu));
    }

    #[test]
    fn the_override_wins_and_a_bad_one_is_named() {
        assert_eq!(choose(Some("on"), false), Ok(Compositing::Gpu));
        assert_eq!(choose(Some(" OFF "), true), Ok(Compositing::Direct));
        let why = choose(Some("gpu"), true).unwrap_err();
        assert!(why.contains("HELPATWORK_COMPOSITING") && why.contains("on, off or auto"));
    }

    #[test]
    fn render_nodes_are_told_from_other_entries() {
        let names = |list: &[&str]| list.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert!(has_render_node(names(&["card0", "renderD128"])));
        assert!(!has_render_node(names(&["card0", "by-path"])));
        assert!(!has_render_node(names(&["renderD", "renderDx"])));
        assert!(!has_render_node(Vec::new()));
    }
}
