//! A device's MDM labels (device groups): what a valid list is, how it is tidied, and how it is
//! written in one CSV cell.
//!
//! Labels are a fact a source may not report: `None` is unknown (a support policy's label rule
//! then warns), `Some(vec![])` is a device known to be in no label. In a CSV cell the labels are
//! separated by `|` (never `,` or `;`, which may separate the columns); the cell `unknown` is the
//! unknown list and an empty cell the empty one (docs/fleet-files.md).

/// What separates the labels in a CSV cell.
pub const SEPARATOR: char = '|';
/// Most labels one device may carry.
pub const MAX_LABELS: usize = 100;
/// Longest label, in characters.
pub const MAX_LABEL_LEN: usize = 128;

/// Why one label is not valid, or `None`.
pub fn label_issue(label: &str) -> Option<String> {
    if label.trim().is_empty() {
        Some("is empty (leave it out)".into())
    } else if label.chars().count() > MAX_LABEL_LEN {
        Some(format!("is longer than {MAX_LABEL_LEN} characters"))
    } else if label.chars().any(char::is_control) {
        Some("must not contain control characters".into())
    } else if label.contains(SEPARATOR) {
        Some(format!(
            "must not contain \"{SEPARATOR}\" (it separates labels in a CSV cell)"
        ))
    } else if label.trim().eq_ignore_ascii_case(crate::fleet::UNKNOWN) {
        Some("\"unknown\" is the word for unknown labels, not a label".into())
    } else {
        None
    }
}

/// Every problem of a device's label list: `(index or None for the list, reason)`. Labels are
/// compared without regard to case, as a group rule compares them: a repeat is refused.
pub fn list_issues(labels: &[String]) -> Vec<(Option<usize>, String)> {
    let mut out = Vec::new();
    if labels.len() > MAX_LABELS {
        out.push((
            None,
            format!(
                "has {} labels; at most {MAX_LABELS} are accepted",
                labels.len()
            ),
        ));
    }
    let mut seen = std::collections::HashSet::new();
    for (i, label) in labels.iter().enumerate() {
        if let Some(reason) = label_issue(label) {
            out.push((Some(i), reason));
        } else if !seen.insert(label.trim().to_lowercase()) {
            out.push((
                Some(i),
                format!("\"{label}\" is listed more than once (case does not matter)"),
            ));
        }
    }
    out
}

/// Reads a CSV cell: `unknown` is `None`, empty is no label, else the labels between `|`
/// (each trimmed; an empty one is kept so validation names it).
pub fn parse_cell(cell: &str) -> Option<Vec<String>> {
    let cell = cell.trim();
    if cell.eq_ignore_ascii_case(crate::fleet::UNKNOWN) {
        return None;
    }
    if cell.is_empty() {
        return Some(Vec::new());
    }
    Some(
        cell.split(SEPARATOR)
            .map(|l| l.trim().to_string())
            .collect(),
    )
}

/// Writes a list in one CSV cell, [`parse_cell`]'s inverse for valid lists.
pub fn cell(labels: Option<&[String]>) -> String {
    match labels {
        None => crate::fleet::UNKNOWN.to_string(),
        Some(labels) => labels.join(&SEPARATOR.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cell_tells_unknown_from_none_and_round_trips() {
        assert_eq!(parse_cell("unknown"), None);
        assert_eq!(parse_cell(" UNKNOWN "), None);
        assert_eq!(parse_cell(""), Some(vec![]));
        let two = vec!["Warehouse".to_string(), "Store 12".to_string()];
        assert_eq!(parse_cell("Warehouse | Store 12"), Some(two.clone()));
        assert_eq!(parse_cell(&cell(Some(&two))), Some(two));
        assert_eq!(parse_cell(&cell(None)), None);
        assert_eq!(parse_cell(&cell(Some(&[]))), Some(vec![]));
    }

    #[test]
    fn bad_labels_are_named() {
        let list: Vec<String> = ["Field", "", "field", "a|b", "unknown", "x\u{7}"]
            .map(String::from)
            .to_vec();
        let issues = list_issues(&list);
        let at: Vec<Option<usize>> = issues.iter().map(|(i, _)| *i).collect();
        assert_eq!(at, vec![Some(1), Some(2), Some(3), Some(4), Some(5)]);
        assert!(issues[1].1.contains("more than once"), "{issues:?}");
        let many: Vec<String> = (0..=MAX_LABELS).map(|i| format!("L{i}")).collect();
        assert_eq!(list_issues(&many)[0].0, None);
        assert!(list_issues(&["Warehouse".into(), "Store 12".into()]).is_empty());
    }
}
