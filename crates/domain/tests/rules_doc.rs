//! `docs/rules.md` stays true: every rule id has its row, and every function and test it names
//! exists in this repository.

use std::path::{Path, PathBuf};

use helpatwork_domain::RuleId;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        let name = entry.file_name();
        if path.is_dir() {
            if name != "target"
                && name != "node_modules"
                && !name.to_string_lossy().starts_with('.')
            {
                rust_files(&path, out);
            }
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The back-quoted items of a table cell.
fn quoted(cell: &str) -> Vec<&str> {
    cell.split('`').skip(1).step_by(2).collect()
}

#[test]
fn every_rule_has_a_row_and_every_function_and_test_it_names_exists() {
    let doc = std::fs::read_to_string(root().join("docs/rules.md")).expect("docs/rules.md");
    let rows: Vec<Vec<&str>> = doc
        .lines()
        .filter(|l| l.starts_with("| ") && !l.starts_with("| rule"))
        .map(|l| l.trim_matches('|').split(" | ").map(str::trim).collect())
        .collect();
    for rule in RuleId::ALL {
        assert!(
            rows.iter().any(|r| r[0] == rule.as_str()),
            "docs/rules.md has no row for {rule}"
        );
    }
    let mut sources = Vec::new();
    for dir in ["crates", "tests", "src-tauri", "bench"] {
        rust_files(&root().join(dir), &mut sources);
    }
    let all: String = sources
        .iter()
        .map(|p| std::fs::read_to_string(p).unwrap_or_default())
        .collect::<Vec<_>>()
        .join("\n");
    for row in &rows {
        assert_eq!(row.len(), 4, "a row of four cells: {row:?}");
        assert!(
            RuleId::parse(row[0]).is_some(),
            "{} is not a rule id",
            row[0]
        );
        for function in quoted(row[2]) {
            let (file, name) = function
                .split_once("::")
                .unwrap_or_else(|| panic!("{}: `{function}` is not file::name", row[0]));
            let text = std::fs::read_to_string(root().join(file))
                .unwrap_or_else(|_| panic!("{}: {file} does not exist", row[0]));
            assert!(
                text.contains(&format!("fn {name}(")) || text.contains(&format!("fn {name}<")),
                "{}: {file} has no fn {name}",
                row[0]
            );
        }
        for test in quoted(row[3]) {
            assert!(
                all.contains(&format!("fn {test}(")),
                "{}: no test {test}",
                row[0]
            );
        }
        let not_checked = row[2].contains("not checked");
        assert!(
            not_checked || !quoted(row[3]).is_empty(),
            "{}: a rule that is enforced is proved by a test",
            row[0]
        );
    }
}
