//! The CSV fleet file, read one record at a time. The header names the columns of
//! [`CSV_COLUMNS`] (any order; the first 13 required, the rest optional: the same fields as the
//! JSON format); they are separated by `,` or, when the header has no `,` but has `;`, by `;`
//! (what a spreadsheet writes where the decimal mark is a comma, as in pt-BR).
//!
//! Facts that may be unknown: `host_activated` takes `unknown`; `apps` = `unknown` says the
//! installed apps are not known (the app columns then stay empty); an app's `_version` is
//! `unknown` when it is installed without a reported version, its `_managed` and `_allowlisted`
//! take `unknown` (empty: `true`, as before); the management columns are empty when unknown.
//! `labels` holds the MDM labels separated by `|` (`crate::labels`): `unknown`, or a file
//! without the column, says the labels are not reported; an empty cell says "in no label".
//! `locale` holds the device's locale (`pt-BR`, `crate::locale`); an empty cell, or a file
//! without the column, says it is not reported.

use std::collections::HashMap;
use std::io::BufRead;

use super::{FleetErrors, Intake, RowError, MAX_ID_LEN};
use crate::device::{AppKind, Device, DeviceUser, InstalledApp, Platform};
use crate::facts::{ManagementFacts, Ownership};

/// The word for an unknown fact in a CSV cell.
pub const UNKNOWN: &str = "unknown";

/// The CSV columns, in the order `devices export` writes them. All after `host_activated` are
/// optional.
pub const CSV_COLUMNS: [&str; 39] = [
    "id",
    "name",
    "user_name",
    "user_email",
    "platform",
    "os_version",
    "manufacturer",
    "model",
    "kiosk",
    "mam_only",
    "online",
    "last_checkin",
    "host_activated",
    "apps",
    "quicksupport_version",
    "quicksupport_managed",
    "quicksupport_allowlisted",
    "quicksupport_installing",
    "host_version",
    "host_managed",
    "host_allowlisted",
    "host_installing",
    "addon_universal_version",
    "addon_universal_managed",
    "addon_universal_allowlisted",
    "addon_universal_installing",
    "addon_oem_version",
    "addon_oem_managed",
    "addon_oem_allowlisted",
    "addon_oem_installing",
    "compliant",
    "quarantined",
    "jailbroken",
    "supervised",
    "lost_mode",
    "ownership",
    "client_version",
    "labels",
    "locale",
];
pub(super) const CSV_REQUIRED: usize = 13;

fn app_prefix(app: AppKind) -> &'static str {
    match app {
        AppKind::Quicksupport => "quicksupport",
        AppKind::Host => "host",
        AppKind::AddonUniversal => "addon_universal",
        AppKind::AddonOem => "addon_oem",
    }
}

fn parse_bool(text: &str) -> Option<bool> {
    match text.trim().to_ascii_lowercase().as_str() {
        "true" | "1" | "yes" | "y" => Some(true),
        "false" | "0" | "no" | "n" => Some(false),
        _ => None,
    }
}

fn is_unknown(text: &str) -> bool {
    text.trim().eq_ignore_ascii_case(UNKNOWN)
}

/// One data row being read: its cells by column name, and the problems found so far.
struct Row<'r> {
    record: &'r ::csv::StringRecord,
    column: &'r HashMap<String, usize>,
    problems: Vec<(String, String)>,
}

impl Row<'_> {
    fn get(&self, name: &str) -> &str {
        self.column
            .get(name)
            .and_then(|&i| self.record.get(i))
            .unwrap_or("")
    }

    fn bad(&mut self, field: &str, reason: String) {
        self.problems.push((field.to_string(), reason));
    }

    fn not_a_bool(&mut self, field: &str, text: &str, unknown_too: bool) {
        let words = if unknown_too {
            "true, false or unknown"
        } else {
            "true or false"
        };
        self.bad(
            field,
            format!(
                "\"{}\" is not {words}",
                text.chars().take(32).collect::<String>()
            ),
        );
    }

    /// A required `true`/`false` cell (`empty` gives the default, if any).
    fn boolean(&mut self, field: &str, empty: Option<bool>) -> bool {
        let text = self.get(field).to_string();
        if text.is_empty() {
            if let Some(d) = empty {
                return d;
            }
        }
        parse_bool(&text).unwrap_or_else(|| {
            self.not_a_bool(field, &text, false);
            false
        })
    }

    /// A cell that may say `unknown` (`empty` gives the default).
    fn fact(&mut self, field: &str, empty: Option<bool>) -> Option<bool> {
        let text = self.get(field).to_string();
        if text.is_empty() {
            return empty;
        }
        if is_unknown(&text) {
            return None;
        }
        parse_bool(&text).or_else(|| {
            self.not_a_bool(field, &text, true);
            None
        })
    }

    fn apps(&mut self) -> Option<Vec<InstalledApp>> {
        let inventory = self.get("apps").to_string();
        let known = match inventory.trim().to_ascii_lowercase().as_str() {
            "" | "known" => true,
            UNKNOWN => false,
            _ => {
                self.bad(
                    "apps",
                    format!(
                        "\"{}\" is not known or unknown",
                        inventory.chars().take(32).collect::<String>()
                    ),
                );
                true
            }
        };
        let mut apps = Vec::new();
        for app in AppKind::ALL {
            let prefix = app_prefix(app);
            let version = self.get(&format!("{prefix}_version")).to_string();
            if version.is_empty() {
                continue;
            }
            if !known {
                self.bad(
                    &format!("{prefix}_version"),
                    "apps is unknown: leave the app columns empty".into(),
                );
                continue;
            }
            apps.push(InstalledApp {
                app,
                version: (!is_unknown(&version)).then_some(version),
                managed: self.fact(&format!("{prefix}_managed"), Some(true)),
                allowlisted: self.fact(&format!("{prefix}_allowlisted"), Some(true)),
                installing: self.boolean(&format!("{prefix}_installing"), Some(false)),
            });
        }
        known.then_some(apps)
    }

    fn management(&mut self) -> ManagementFacts {
        let ownership = self.get("ownership").to_string();
        let client_version = self.get("client_version").to_string();
        ManagementFacts {
            compliant: self.fact("compliant", None),
            quarantined: self.fact("quarantined", None),
            jailbroken: self.fact("jailbroken", None),
            supervised: self.fact("supervised", None),
            lost_mode: self.fact("lost_mode", None),
            ownership: match ownership.trim() {
                "" => None,
                t if is_unknown(t) => None,
                t => Ownership::parse(t).or_else(|| {
                    self.bad(
                        "ownership",
                        format!(
                            "\"{}\" is not company, employee or unknown",
                            t.chars().take(32).collect::<String>()
                        ),
                    );
                    None
                }),
            },
            client_version: (!client_version.is_empty() && !is_unknown(&client_version))
                .then_some(client_version),
            // Fleet files carry no Android Enterprise enrolment.
            android_enrollment: None,
        }
    }
}

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
    let mut row = Row {
        record,
        column,
        problems: Vec::new(),
    };
    let device = read_row(&mut row);
    if row.problems.is_empty() {
        intake.device(device, index, line);
        return;
    }
    let id =
        (!device.id.is_empty()).then(|| device.id.chars().take(MAX_ID_LEN).collect::<String>());
    for (field, reason) in row.problems {
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

fn read_row(row: &mut Row<'_>) -> Device {
    let kiosk = row.boolean("kiosk", None);
    let mam_only = row.boolean("mam_only", None);
    let online = row.boolean("online", None);
    let host_activated = match row.get("host_activated").to_string() {
        text if is_unknown(&text) => None,
        _ => Some(row.boolean("host_activated", None)),
    };
    let platform_text = row.get("platform").to_ascii_lowercase();
    let platform = Platform::parse(&platform_text).unwrap_or_else(|| {
        row.bad(
            "platform",
            format!(
                "\"{}\" is not one of android, ios, windows, macos, other",
                row.get("platform").chars().take(32).collect::<String>()
            ),
        );
        Platform::Other
    });
    let apps = row.apps();
    let management = row.management();
    let labels = match row.column.contains_key("labels") {
        true => crate::labels::parse_cell(row.get("labels")),
        false => None,
    };
    let locale = crate::locale::parse_cell(row.get("locale"));
    let last_checkin = chrono::DateTime::parse_from_rfc3339(row.get("last_checkin"))
        .map(|d| d.with_timezone(&chrono::Utc))
        .unwrap_or_else(|_| {
            let shown: String = row.get("last_checkin").chars().take(40).collect();
            row.bad(
                "last_checkin",
                format!("\"{shown}\" is not an RFC 3339 time such as 2026-11-20T10:00:00Z"),
            );
            chrono::DateTime::UNIX_EPOCH
        });
    Device {
        id: row.get("id").to_string(),
        name: row.get("name").to_string(),
        user: DeviceUser {
            name: row.get("user_name").to_string(),
            email: row.get("user_email").to_string(),
        },
        platform,
        os_version: row.get("os_version").to_string(),
        manufacturer: row.get("manufacturer").to_string(),
        model: row.get("model").to_string(),
        kiosk,
        mam_only,
        online,
        last_checkin,
        host_activated,
        apps,
        management,
        labels,
        locale,
    }
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

fn fact_cell(fact: Option<bool>) -> String {
    fact.map_or_else(|| UNKNOWN.to_string(), |b| b.to_string())
}

/// Writes devices as CSV with every column of [`CSV_COLUMNS`]. Reading it back gives the same
/// devices, unknown facts included.
pub fn to_csv(devices: &[Device]) -> Result<String, ::csv::Error> {
    let mut writer = ::csv::Writer::from_writer(Vec::new());
    writer.write_record(CSV_COLUMNS)?;
    for d in devices {
        writer.write_record(csv_record(d))?;
    }
    let bytes = writer.into_inner().map_err(|e| e.into_error())?;
    Ok(String::from_utf8(bytes).unwrap_or_default())
}

/// One device's cells, in the order of [`CSV_COLUMNS`] (for writers that stream).
pub fn csv_record(d: &Device) -> Vec<String> {
    let mut row: Vec<String> = vec![
        d.id.clone(),
        d.name.clone(),
        d.user.name.clone(),
        d.user.email.clone(),
        d.platform.as_str().into(),
        d.os_version.clone(),
        d.manufacturer.clone(),
        d.model.clone(),
        d.kiosk.to_string(),
        d.mam_only.to_string(),
        d.online.to_string(),
        d.last_checkin
            .to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        fact_cell(d.host_activated),
        if d.apps.is_some() { "known" } else { UNKNOWN }.to_string(),
    ];
    for app in AppKind::ALL {
        match d.app(app) {
            Some(a) => row.extend([
                a.version.clone().unwrap_or_else(|| UNKNOWN.to_string()),
                fact_cell(a.managed),
                fact_cell(a.allowlisted),
                a.installing.to_string(),
            ]),
            None => row.extend([String::new(), String::new(), String::new(), String::new()]),
        }
    }
    let m = &d.management;
    let optional = |fact: Option<bool>| fact.map(|b| b.to_string()).unwrap_or_default();
    row.extend([
        optional(m.compliant),
        optional(m.quarantined),
        optional(m.jailbroken),
        optional(m.supervised),
        optional(m.lost_mode),
        m.ownership
            .map(|o| o.as_str().to_string())
            .unwrap_or_default(),
        m.client_version.clone().unwrap_or_default(),
        crate::labels::cell(d.labels()),
        crate::locale::cell(d.locale()),
    ]);
    row
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
