//! No product source file grows past 600 lines: a file that does is split by responsibility (a
//! table of data can live in a data file the code loads and a test checks). Product sources are
//! the crates' `src/`, the shell's `src-tauri/src/` and the window's `ui/src/`; tests, the test
//! fakes of the window and the generated bindings are not counted.

use std::path::{Path, PathBuf};

const MAX_LINES: usize = 600;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("the workspace root")
        .to_path_buf()
}

fn is_source(path: &Path) -> bool {
    matches!(
        path.extension().and_then(|e| e.to_str()),
        Some("rs" | "ts" | "tsx")
    )
}

fn is_test(relative: &str) -> bool {
    relative.ends_with("/tests.rs")
        || relative.contains("/tests/")
        || relative.ends_with(".test.ts")
        || relative.ends_with(".test.tsx")
        || relative.starts_with("ui/src/test/")
        || relative.starts_with("ui/src/bindings/")
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries {
        let path = entry.expect("a directory entry").path();
        if path.is_dir() {
            walk(&path, out);
        } else if is_source(&path) {
            out.push(path);
        }
    }
}

fn product_sources() -> Vec<(String, usize)> {
    let root = root();
    let mut dirs = vec![root.join("src-tauri/src"), root.join("ui/src")];
    for krate in std::fs::read_dir(root.join("crates")).expect("crates/") {
        dirs.push(krate.expect("a crate").path().join("src"));
    }
    let mut files = Vec::new();
    for dir in dirs {
        walk(&dir, &mut files);
    }
    files
        .into_iter()
        .filter_map(|path| {
            let relative = path
                .strip_prefix(&root)
                .expect("under the root")
                .to_string_lossy()
                .replace('\\', "/");
            (!is_test(&relative)).then(|| {
                let text = std::fs::read_to_string(&path).expect("a readable source");
                (relative, text.lines().count())
            })
        })
        .collect()
}

#[test]
fn no_product_source_file_is_over_600_lines() {
    let sources = product_sources();
    assert!(
        sources.len() > 100,
        "the walk found the sources: {}",
        sources.len()
    );
    assert!(
        sources
            .iter()
            .any(|(path, _)| path == "crates/app/src/open.rs"),
        "the app's sources are counted"
    );
    let mut over: Vec<_> = sources
        .into_iter()
        .filter(|(_, lines)| *lines > MAX_LINES)
        .collect();
    over.sort();
    assert!(
        over.is_empty(),
        "over {MAX_LINES} lines (split by responsibility): {over:?}"
    );
}

#[test]
fn tests_fakes_and_bindings_are_not_product_sources() {
    for path in [
        "crates/app/src/settings/tests.rs",
        "crates/store/tests/store.rs",
        "ui/src/ipc.test.ts",
        "ui/src/test/fake/rules.ts",
        "ui/src/bindings/Session.ts",
    ] {
        assert!(is_test(path), "{path}");
    }
    for path in ["crates/app/src/settings/mod.rs", "ui/src/ipc.ts"] {
        assert!(!is_test(path), "{path}");
    }
}
