//! The CSV fleet file, read one record at a time. The header names the columns (any order, see
//! [`CSV_COLUMNS`]); they are separated by `,` or, when the header has no `,` but has `;`, by
//! `;` (what a spreadsheet writes where the decimal mark is a comma, as in pt-BR).

use std::collections::HashMap;
use std::io::BufRead;

use super::MAX_ID_LEN;
use super::{app_prefix, parse_bool, FleetErrors, Intake, RowError, CSV_COLUMNS, CSV_REQUIRED};
use crate::device::{AppKind, Device, DeviceUser, InstalledApp, Platform};

/// The separator of the header line (the first line of `head`): `;` when it has `;` and no `,`.
fn delimiter(head: &[u8]) -> u8 {
    let line = head.split(|&b| b == b'\n').next().unwrap_or(head);
    if !line.contains(&b',') && line.contains(&b';') {
        b';'
    } else {
        b','
    }
}

fn header_error(field: &str, reason: String) -> RowError {
    let mut errors = FleetErrors::file(Some(1), field, reason);
    errors.errors.remove(0)
}

pub(super) fn read<R: BufRead, E>(mut reader: R, intake: &mut Intake<'_, E>) {
    let delimiter = reader.fill_buf().map(delimiter).unwrap_or(b',');
    let mut csv = ::csv::ReaderBuilder::new()
        .trim(::csv::Trim::All)
        .flexible(false)
        .delimiter(delimiter)
        .from_reader(reader);
    let headers = match csv.headers() {
        Ok(h) => h.clone(),
        Err(e) => return intake.error(header_error("header", csv_reason(&e))),
    };
    let mut column = HashMap::new();
    for (i, name) in headers.iter().enumerate() {
        if !CSV_COLUMNS.contains(&name) {
            let shown: String = name.chars().take(64).collect();
            let reason = match ['\t', '|'].into_iter().find(|c| name.contains(*c)) {
                Some(sep) if headers.len() == 1 => format!(
                    "the header is one column holding {}: separate the columns with commas or semicolons; the columns are: {}",
                    if sep == '\t' { "tabs" } else { "\"|\"" },
                    CSV_COLUMNS.join(", ")
                ),
                _ => format!(
                    "unknown column; the columns are: {}",
                    CSV_COLUMNS.join(", ")
                ),
            };
            return intake.error(header_error(&shown, reason));
        }
        if column.insert(name.to_string(), i).is_some() {
            return intake.error(header_error(name, "the column appears twice".into()));
        }
    }
    let missing: Vec<_> = CSV_COLUMNS[..CSV_REQUIRED]
        .iter()
        .filter(|c| !column.contains_key(**c))
        .collect();
    if let Some(first) = missing.first() {
        let list = missing
            .iter()
            .map(|c| c.to_string())
            .collect::<Vec<_>>()
            .join(", ");
        return intake.error(header_error(first, format!("missing column(s): {list}")));
    }

    let mut record = ::csv::StringRecord::new();
    let mut index = 0usize;
    loop {
        match csv.read_record(&mut record) {
            Ok(false) => break,
            Ok(true) => row(intake, &column, &record, index),
            Err(e) => {
                let io = matches!(e.kind(), ::csv::ErrorKind::Io(_));
                intake.error(RowError {
                    index: Some(index as u32),
                    line: e.position().map(|p| p.line() as u32),
                    id: None,
                    field: if io { "file" } else { "row" }.into(),
                    reason: csv_reason(&e),
                });
                if io {
                    break;
                }
            }
        }
        index += 1;
        if intake.stopped() {
            break;
        }
    }
}

fn row<E>(
    intake: &mut Intake<'_, E>,
    column: &HashMap<String, usize>,
    record: &::csv::StringRecord,
    index: usize,
) {
    let line = record.position().map(|p| p.line() as u32);
    let get = |name: &str| column.get(name).and_then(|&i| record.get(i)).unwrap_or("");
    let mut row_errors = Vec::new();
    let mut bad = |field: &str, reason: String| row_errors.push((field.to_string(), reason));
    let mut boolean = |field: &str, default: Option<bool>| {
        let text = get(field);
        if text.is_empty() {
            if let Some(d) = default {
                return d;
            }
        }
        parse_bool(text).unwrap_or_else(|| {
            bad(
                field,
                format!(
                    "\"{}\" is not true or false",
                    text.chars().take(32).collect::<String>()
                ),
            );
            false
        })
    };
    let kiosk = boolean("kiosk", None);
    let mam_only = boolean("mam_only", None);
    let online = boolean("online", None);
    let host_activated = boolean("host_activated", None);
    let mut apps = Vec::new();
    for app in AppKind::ALL {
        let prefix = app_prefix(app);
        let version = get(&format!("{prefix}_version"));
        if version.is_empty() {
            continue;
        }
        let managed = boolean(&format!("{prefix}_managed"), Some(true));
        let allowlisted = boolean(&format!("{prefix}_allowlisted"), Some(true));
        apps.push(InstalledApp {
            app,
            version: version.to_string(),
            managed,
            allowlisted,
        });
    }
    let platform = Platform::parse(&get("platform").to_ascii_lowercase()).unwrap_or_else(|| {
        bad(
            "platform",
            format!(
                "\"{}\" is not one of android, ios, windows, macos, other",
                get("platform").chars().take(32).collect::<String>()
            ),
        );
        Platform::Other
    });
    let last_checkin = chrono::DateTime::parse_from_rfc3339(get("last_checkin"))
        .map(|d| d.with_timezone(&chrono::Utc))
        .unwrap_or_else(|_| {
            bad(
                "last_checkin",
                format!(
                    "\"{}\" is not an RFC 3339 time such as 2026-11-20T10:00:00Z",
                    get("last_checkin").chars().take(40).collect::<String>()
                ),
            );
            chrono::DateTime::UNIX_EPOCH
        });
    let device = Device {
        id: get("id").to_string(),
        name: get("name").to_string(),
        user: DeviceUser {
            name: get("user_name").to_string(),
            email: get("user_email").to_string(),
        },
        platform,
        os_version: get("os_version").to_string(),
        manufacturer: get("manufacturer").to_string(),
        model: get("model").to_string(),
        kiosk,
        mam_only,
        online,
        last_checkin,
        host_activated,
        apps,
    };
    if row_errors.is_empty() {
        intake.device(device, index, line);
        return;
    }
    let id =
        (!device.id.is_empty()).then(|| device.id.chars().take(MAX_ID_LEN).collect::<String>());
    for (field, reason) in row_errors {
        intake.error(RowError {
            index: Some(index as u32),
            line,
            id: id.clone(),
            field,
            reason,
        });
    }
    // The row's other fields are checked too, so every problem of a row is listed at once.
    super::validate(&device, index, line, &mut intake.seen, &mut intake.errors);
}

fn csv_reason(e: &::csv::Error) -> String {
    match e.kind() {
        ::csv::ErrorKind::Utf8 { .. } => "the row is not valid UTF-8 text".into(),
        ::csv::ErrorKind::UnequalLengths {
            expected_len, len, ..
        } => {
            format!("the row has {len} fields, the header has {expected_len}")
        }
        _ => e.to_string(),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_separator_is_read_from_the_header() {
        assert_eq!(super::delimiter(b"id,name\nx;y"), b',');
        assert_eq!(super::delimiter(b"id;name\nx,y"), b';');
        assert_eq!(super::delimiter(b"id\tname"), b',');
    }
}
