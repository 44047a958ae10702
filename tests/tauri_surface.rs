//! The window's attack surface, pinned: a strict CSP, capabilities granting exactly the commands
//! the UI calls, no shell plugin, and the two copies of the window's configuration equal. Read
//! from the files that define them: the configuration, and the artefacts generated from the one
//! command list (`src-tauri/src/command_list.rs`): the capability file and the permissions
//! (build.rs, tauri-build) and the TypeScript command map (`cargo test -p helpatwork-desk`). A
//! new command, a loosened CSP or a new plugin fails here until it is deliberate.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("the workspace root")
        .to_path_buf()
}

fn read(path: &str) -> String {
    std::fs::read_to_string(root().join(path)).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn json(path: &str) -> serde_json::Value {
    serde_json::from_str(&read(path)).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// The commands of the generated command map (`ui/src/bindings/commands.ts`, written by
/// `cargo test -p helpatwork-desk` from `src-tauri/src/command_list.rs`): its `COMMAND_NAMES`.
fn listed_commands() -> BTreeSet<String> {
    let map = read("ui/src/bindings/commands.ts");
    let start = map
        .find("export const COMMAND_NAMES")
        .expect("commands.ts lists COMMAND_NAMES");
    let end = start + map[start..].find("];").expect("the list ends");
    let names: Vec<String> = map[start..end]
        .lines()
        .skip(1)
        .map(|line| {
            line.trim()
                .trim_end_matches(',')
                .trim_matches('"')
                .to_string()
        })
        .collect();
    let unique: BTreeSet<String> = names.iter().cloned().collect();
    assert_eq!(unique.len(), names.len(), "each command once: {names:?}");
    for name in &unique {
        assert!(
            map.contains(&format!("\n  {name}: {{\n    args: ")),
            "commands.ts types {name}'s arguments and answer"
        );
    }
    unique
}

/// The commands the UI invokes: `call("…"` (or `call<T>("…"`) in ui/src/ipc.ts, the only
/// module that talks IPC.
fn ui_commands() -> BTreeSet<String> {
    let ipc = read("ui/src/ipc.ts");
    ipc.split("call")
        .skip(1)
        .filter_map(|rest| {
            // Skip a type argument, then `("`.
            let rest = match rest.strip_prefix('<') {
                Some(generic) => &generic[generic.find('>')? + 1..],
                None => rest,
            };
            let name: String = rest
                .strip_prefix("(\"")?
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                .collect();
            (!name.is_empty()).then_some(name)
        })
        .collect()
}

#[test]
fn the_csp_is_present_and_strict() {
    for path in ["src-tauri/tauri.conf.json", "tauri.conf.json"] {
        if !root().join(path).exists() {
            continue;
        }
        let conf = json(path);
        let security = &conf["app"]["security"];
        let csp = security["csp"]
            .as_object()
            .unwrap_or_else(|| panic!("{path}: app.security.csp is set, directive by directive"));
        let directive = |name: &str| -> Vec<String> {
            csp.get(name)
                .and_then(|v| v.as_str())
                .unwrap_or_default()
                .split_whitespace()
                .map(str::to_string)
                .collect()
        };
        assert_eq!(directive("default-src"), ["'self'"], "{path}");
        assert_eq!(
            directive("script-src"),
            ["'self'"],
            "{path}: only the app's own scripts"
        );
        assert_eq!(directive("object-src"), ["'none'"], "{path}");
        assert_eq!(directive("base-uri"), ["'none'"], "{path}");
        assert_eq!(directive("frame-ancestors"), ["'none'"], "{path}");
        assert_eq!(directive("form-action"), ["'none'"], "{path}");
        for (name, value) in csp {
            let value = value.as_str().unwrap_or_default();
            for source in value.split_whitespace() {
                // No 'unsafe-eval', 'unsafe-inline', 'unsafe-hashes' or 'wasm-unsafe-eval'.
                assert!(!source.contains("unsafe"), "{path}: {name} allows {source}");
                assert!(
                    source != "*"
                        && !source.ends_with(":*")
                        && source != "https:"
                        && source != "http:",
                    "{path}: {name} allows any host ({source})"
                );
                let remote = source.starts_with("http://") || source.starts_with("https://");
                assert!(
                    !remote || (name == "connect-src" && source == "http://ipc.localhost"),
                    "{path}: {name} names a remote host ({source}); only the IPC endpoint is allowed"
                );
            }
        }
        assert_eq!(security["freezePrototype"], true, "{path}");
        assert!(
            security
                .get("dangerousDisableAssetCspModification")
                .is_none(),
            "{path}"
        );
        assert_eq!(
            conf["app"]["withGlobalTauri"], false,
            "{path}: no window.__TAURI__"
        );
    }
}

/// Two copies of the window's configuration: `src-tauri/tauri.conf.json` is what the shell's
/// `generate_context!` compiles in, the root `tauri.conf.json` is what `npm run tauri` (the CLI
/// run from the root, `scripts/bundle-check.sh`, docs/installers.md) reads and merges
/// `tauri.release.conf.json` over. The repository holds the first as a symbolic link to the
/// second; a checkout without links (Windows without `core.symlinks`) or a copy put in its place
/// would let them drift, and a change to one alone would build a window the other does not
/// describe.
#[test]
fn the_root_and_the_shell_window_configurations_are_equal() {
    let shell = json("src-tauri/tauri.conf.json");
    let cli = json("tauri.conf.json");
    if let (Some(shell), Some(cli)) = (shell.as_object(), cli.as_object()) {
        for key in shell.keys().chain(cli.keys()) {
            assert_eq!(
                shell.get(key),
                cli.get(key),
                "tauri.conf.json and src-tauri/tauri.conf.json differ at {key:?}: edit both"
            );
        }
    }
    assert_eq!(
        shell, cli,
        "edit tauri.conf.json and src-tauri/tauri.conf.json alike"
    );
}

#[test]
fn capabilities_grant_exactly_the_commands_the_ui_calls() {
    let listed = listed_commands();
    let ui = ui_commands();
    assert!(!listed.is_empty() && !ui.is_empty());
    assert_eq!(
        ui, listed,
        "ui/src/ipc.ts calls exactly the listed commands: none missing, none unused"
    );

    // tauri-build writes one permission per command of the app manifest (build.rs, from the list).
    let generated: BTreeSet<String> =
        std::fs::read_dir(root().join("src-tauri/permissions/autogenerated"))
            .expect("src-tauri/permissions/autogenerated")
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .map(|name| name.strip_suffix(".toml").unwrap_or(&name).to_string())
            .collect();
    assert_eq!(
        generated, listed,
        "src-tauri/permissions/autogenerated holds a permission for each listed command, no other"
    );

    let dir = root().join("src-tauri/capabilities");
    let files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(files, ["main.json"], "one capability file: {files:?}");
    let main = json("src-tauri/capabilities/main.json");
    assert_eq!(main["windows"], serde_json::json!(["main"]));
    assert!(main.get("remote").is_none(), "no remote origin gets IPC");
    let permissions: Vec<String> = main["permissions"]
        .as_array()
        .expect("permissions")
        .iter()
        .map(|p| {
            p.as_str()
                .expect("plain permission names, no scoped objects")
                .to_string()
        })
        .collect();
    let app: BTreeSet<String> = permissions
        .iter()
        .filter(|p| !p.contains(':'))
        .map(|p| {
            p.strip_prefix("allow-")
                .unwrap_or_else(|| panic!("{p}: only allow- permissions"))
                .replace('-', "_")
        })
        .collect();
    assert_eq!(
        app, listed,
        "capabilities/main.json grants exactly the listed commands (src-tauri/build.rs writes it)"
    );
    let plugins: BTreeSet<&str> = permissions
        .iter()
        .filter(|p| p.contains(':'))
        .map(String::as_str)
        .collect();
    assert_eq!(
        plugins,
        BTreeSet::from([
            "notification:allow-is-permission-granted",
            "notification:allow-request-permission",
            "notification:allow-notify",
        ]),
        "plugin permissions: desktop notifications only (no core defaults, no shell, no fs)"
    );
}

#[test]
fn there_is_no_shell_plugin() {
    for path in [
        "Cargo.toml",
        "src-tauri/Cargo.toml",
        "Cargo.lock",
        "package.json",
        "ui/package.json",
        "src-tauri/src/lib.rs",
    ] {
        let text = read(path);
        for needle in ["tauri-plugin-shell", "plugin-shell", "tauri_plugin_shell"] {
            assert!(!text.contains(needle), "{path} mentions {needle}");
        }
    }
    let main = read("src-tauri/capabilities/main.json");
    assert!(!main.contains("shell:"), "no shell permission");
}

#[test]
fn only_the_ipc_module_talks_to_tauri() {
    let mut stack = vec![root().join("ui/src")];
    let mut offenders = Vec::new();
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            if path.is_dir() {
                if name != "test" {
                    stack.push(path);
                }
                continue;
            }
            let source = name.ends_with(".ts") || name.ends_with(".tsx");
            let test = name.contains(".test.");
            if !source || test || name == "ipc.ts" {
                continue;
            }
            if std::fs::read_to_string(&path)
                .unwrap_or_default()
                .contains("@tauri-apps/")
            {
                offenders.push(path.display().to_string());
            }
        }
    }
    assert!(
        offenders.is_empty(),
        "only ui/src/ipc.ts imports @tauri-apps: {offenders:?}"
    );
}
