//! Whether the window can open at all: on Linux and the BSDs it draws on an X11 or Wayland
//! display. Without one, GTK panics with a backtrace; the window checks first and says what to
//! do instead (`scripts/run.sh` says the same before it builds).

use helpatwork_domain::Lang;

/// The reason the window cannot open, when there is no display to draw on; `lookup` reads the
/// environment.
pub fn missing(lookup: impl Fn(&str) -> Option<String>, lang: Lang) -> Option<&'static str> {
    if !needs_display() {
        return None;
    }
    let set = |name: &str| lookup(name).is_some_and(|v| !v.trim().is_empty());
    if set("DISPLAY") || set("WAYLAND_DISPLAY") {
        return None;
    }
    Some(lang.pick(
        "no display: set DISPLAY or run under xvfb-run (e.g. xvfb-run helpatwork-desk); the command line (helpatwork) works without one.",
        "sem tela: defina DISPLAY ou execute com xvfb-run (por exemplo, xvfb-run helpatwork-desk); a linha de comando (helpatwork) funciona sem tela.",
    ))
}

/// macOS and Windows always have their own window system.
fn needs_display() -> bool {
    cfg!(all(unix, not(target_os = "macos"), not(target_os = "ios")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn without_display_or_wayland_the_window_says_what_to_do() {
        let none = |_: &str| None;
        let with = |name: &'static str| move |n: &str| (n == name).then(|| ":99".to_string());
        if needs_display() {
            let why = missing(none, Lang::En).expect("no display");
            assert!(why.starts_with("no display: set DISPLAY or run under xvfb-run"));
            assert!(missing(none, Lang::PtBr).unwrap().contains("xvfb-run"));
            assert!(missing(|n: &str| (n == "DISPLAY").then(|| " ".into()), Lang::En).is_some());
        }
        assert_eq!(missing(with("DISPLAY"), Lang::En), None);
        assert_eq!(missing(with("WAYLAND_DISPLAY"), Lang::En), None);
    }
}
