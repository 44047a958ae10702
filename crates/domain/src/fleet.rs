//! Fleet files for the embedded MDM: JSON (`{"devices":[…]}`) and CSV with the same fields.
//!
//! Parsing is all-or-nothing: either every device is valid, or the caller gets every bad row
//! (index or line, field, reason) and imports nothing. Unknown fields are errors.

use std::collections::HashSet;
use std::fmt;

use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;
use ts_rs::TS;

use crate::device::{AppKind, Device, DeviceUser, InstalledApp, Platform};
use crate::version::Version;

/// Longest id accepted.
pub const MAX_ID_LEN: usize = 128;
/// Longest free-text field (name, user, model…).
pub const MAX_TEXT_LEN: usize = 256;
/// At most this many row errors are listed; the rest are counted.
pub const MAX_REPORTED_ERRORS: usize = 200;

/// One bad row of a fleet file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct RowError {
    /// 0-based position in the `devices` array (JSON) or data row (CSV); absent for file-level errors.
    pub index: Option<u32>,
    /// 1-based line in the file, where known.
    pub line: Option<u32>,
    /// The device id, when it could be read.
    pub id: Option<String>,
    pub field: String,
    pub reason: String,
}

impl fmt::Display for RowError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.index, self.line) {
            (Some(i), Some(l)) => write!(f, "device #{i} (line {l})")?,
            (Some(i), None) => write!(f, "device #{i}")?,
            (None, Some(l)) => write!(f, "line {l}")?,
            (None, None) => write!(f, "file")?,
        }
        if let Some(id) = &self.id {
            write!(f, " \"{id}\"")?;
        }
        write!(f, ", field {}: {}", self.field, self.reason)
    }
}

/// Why a fleet file was refused: every bad row found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct FleetErrors {
    pub errors: Vec<RowError>,
    /// How many errors there were in all (more than `errors` holds when capped).
    pub total: u32,
}

impl FleetErrors {
    fn file(line: Option<u32>, field: &str, reason: impl Into<String>) -> Self {
        Self {
            errors: vec![RowError {
                index: None,
                line,
                id: None,
                field: field.into(),
                reason: reason.into(),
            }],
            total: 1,
        }
    }
}

impl fmt::Display for FleetErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} problem(s) in the fleet file", self.total)
    }
}

#[derive(Default)]
struct Collector {
    errors: Vec<RowError>,
    total: u32,
}

impl Collector {
    fn push(&mut self, e: RowError) {
        self.total += 1;
        if self.errors.len() < MAX_REPORTED_ERRORS {
            self.errors.push(e);
        }
    }

    fn finish(self, devices: Vec<Device>) -> Result<Vec<Device>, FleetErrors> {
        if self.total == 0 {
            Ok(devices)
        } else {
            Err(FleetErrors {
                errors: self.errors,
                total: self.total,
            })
        }
    }
}

/// The file formats `devices import` reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FleetFormat {
    Json,
    Csv,
}

impl FleetFormat {
    /// By extension first, then by the first non-blank byte (`{` is JSON).
    pub fn detect(file_name: &str, bytes: &[u8]) -> Self {
        let lower = file_name.to_ascii_lowercase();
        if lower.ends_with(".json") {
            return FleetFormat::Json;
        }
        if lower.ends_with(".csv") {
            return FleetFormat::Csv;
        }
        match bytes.iter().find(|b| !b.is_ascii_whitespace()) {
            Some(b'{') | Some(b'[') => FleetFormat::Json,
            _ => FleetFormat::Csv,
        }
    }
}

pub fn parse(format: FleetFormat, bytes: &[u8]) -> Result<Vec<Device>, FleetErrors> {
    match format {
        FleetFormat::Json => parse_json(bytes),
        FleetFormat::Csv => parse_csv(bytes),
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFleet<'a> {
    #[serde(borrow)]
    devices: Vec<&'a RawValue>,
}

fn line_of(text: &str, offset: usize) -> u32 {
    let end = offset.min(text.len());
    (text.as_bytes()[..end]
        .iter()
        .filter(|&&b| b == b'\n')
        .count()
        + 1) as u32
}

/// Reads `{"devices":[…]}`.
pub fn parse_json(bytes: &[u8]) -> Result<Vec<Device>, FleetErrors> {
    let text = std::str::from_utf8(bytes).map_err(|e| {
        let line = line_of(
            &String::from_utf8_lossy(&bytes[..e.valid_up_to()]),
            e.valid_up_to(),
        );
        FleetErrors::file(Some(line), "file", "the file is not valid UTF-8 text")
    })?;
    let raw: RawFleet<'_> = serde_json::from_str(text).map_err(|e| {
        FleetErrors::file(
            Some(e.line() as u32),
            "file",
            format!("not a fleet file: {e} (expected {{\"devices\": [ … ]}})"),
        )
    })?;

    let base = text.as_ptr() as usize;
    // Lines are counted incrementally: the devices appear in file order.
    let (mut counted_to, mut counted_line) = (0usize, 1u32);
    let mut devices = Vec::with_capacity(raw.devices.len());
    let mut errors = Collector::default();
    let mut seen = HashSet::with_capacity(raw.devices.len());
    for (index, value) in raw.devices.iter().enumerate() {
        let offset = value.get().as_ptr() as usize - base;
        counted_line += line_of(&text[counted_to..offset], offset - counted_to) - 1;
        counted_to = offset;
        let line = counted_line;
        let mut de = serde_json::Deserializer::from_str(value.get());
        match serde_path_to_error::deserialize::<_, Device>(&mut de) {
            Ok(mut device) => {
                trim_text(&mut device);
                let before = errors.total;
                validate(&device, index, Some(line), &mut seen, &mut errors);
                if errors.total == before {
                    devices.push(device);
                }
            }
            Err(e) => {
                let path = e.path().to_string();
                let inner = e.into_inner();
                let field = match path.as_str() {
                    "." | "" => field_of_serde_error(&inner.to_string()),
                    p => p.to_string(),
                };
                errors.push(RowError {
                    index: Some(index as u32),
                    line: Some(line + inner.line() as u32 - 1),
                    id: id_hint(value.get()),
                    field,
                    reason: inner.to_string(),
                })
            }
        }
    }
    errors.finish(devices)
}

/// Surrounding white space is not part of a value, in JSON as in CSV (read with `Trim::All`): the
/// same fleet gives the same devices in either format, and an export imports unchanged.
fn trim_text(device: &mut Device) {
    fn trim(value: &mut String) {
        let trimmed = value.trim();
        if trimmed.len() != value.len() {
            *value = trimmed.to_string();
        }
    }
    for value in [
        &mut device.name,
        &mut device.user.name,
        &mut device.user.email,
        &mut device.os_version,
        &mut device.manufacturer,
        &mut device.model,
    ] {
        trim(value);
    }
    for app in &mut device.apps {
        trim(&mut app.version);
    }
}

fn id_hint(raw: &str) -> Option<String> {
    #[derive(Deserialize)]
    struct IdOnly {
        id: Option<String>,
    }
    serde_json::from_str::<IdOnly>(raw)
        .ok()
        .and_then(|d| d.id)
        .map(|id| id.chars().take(MAX_ID_LEN).collect())
}

fn field_of_serde_error(message: &str) -> String {
    // serde's messages name the field in backquotes: "missing field `name`", "unknown field `x`".
    if let Some(start) = message.find('`') {
        if let Some(len) = message[start + 1..].find('`') {
            return message[start + 1..start + 1 + len].to_string();
        }
    }
    "device".to_string()
}

fn validate(
    device: &Device,
    index: usize,
    line: Option<u32>,
    seen: &mut HashSet<String>,
    errors: &mut Collector,
) {
    let mut bad = |field: &str, reason: String| {
        errors.push(RowError {
            index: Some(index as u32),
            line,
            id: Some(device.id.chars().take(MAX_ID_LEN).collect()),
            field: field.to_string(),
            reason,
        })
    };
    let id = device.id.as_str();
    if id.trim().is_empty() {
        bad("id", "must not be empty".into());
    } else if id.len() > MAX_ID_LEN {
        bad("id", format!("is longer than {MAX_ID_LEN} characters"));
    } else if id.chars().any(|c| c.is_control() || c.is_whitespace()) {
        bad("id", "must not contain spaces or control characters".into());
    } else if !seen.insert(id.to_string()) {
        bad("id", "appears more than once in the file".into());
    }
    for (field, value, required) in [
        ("name", device.name.as_str(), true),
        ("user.name", device.user.name.as_str(), false),
        ("user.email", device.user.email.as_str(), false),
        ("os_version", device.os_version.as_str(), true),
        ("manufacturer", device.manufacturer.as_str(), false),
        ("model", device.model.as_str(), false),
    ] {
        if required && value.trim().is_empty() {
            bad(field, "must not be empty".into());
        } else if value.chars().count() > MAX_TEXT_LEN {
            bad(field, format!("is longer than {MAX_TEXT_LEN} characters"));
        } else if value.chars().any(char::is_control) {
            bad(field, "must not contain control characters".into());
        }
    }
    let email = device.user.email.trim();
    if !email.is_empty() && !looks_like_email(email) {
        bad(
            "user.email",
            format!(
                "\"{}\" is not an e-mail address",
                email.chars().take(64).collect::<String>()
            ),
        );
    }
    let mut apps = HashSet::new();
    for (i, app) in device.apps.iter().enumerate() {
        if !apps.insert(app.app) {
            bad(
                &format!("apps[{i}].app"),
                format!("{} is listed more than once", app.app.as_str()),
            );
        }
        if let Err(e) = Version::parse(&app.version) {
            bad(&format!("apps[{i}].version"), e.to_string());
        }
        if app.app == AppKind::Host && device.platform == Platform::Ios {
            bad(
                &format!("apps[{i}].app"),
                "TeamViewer Host exists for Android only".into(),
            );
        }
    }
}

fn looks_like_email(s: &str) -> bool {
    match s.split_once('@') {
        Some((local, domain)) => {
            !local.is_empty()
                && domain.contains('.')
                && !domain.starts_with('.')
                && !domain.ends_with('.')
                && !s.chars().any(char::is_whitespace)
        }
        None => false,
    }
}

/// The CSV columns, in the order `devices export` writes them. The app columns are optional.
pub const CSV_COLUMNS: [&str; 25] = [
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
    "quicksupport_version",
    "quicksupport_managed",
    "quicksupport_allowlisted",
    "host_version",
    "host_managed",
    "host_allowlisted",
    "addon_universal_version",
    "addon_universal_managed",
    "addon_universal_allowlisted",
    "addon_oem_version",
    "addon_oem_managed",
    "addon_oem_allowlisted",
];
const CSV_REQUIRED: usize = 13;

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

/// Reads a CSV with a header row naming the columns in [`CSV_COLUMNS`] (any order).
pub fn parse_csv(bytes: &[u8]) -> Result<Vec<Device>, FleetErrors> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let mut reader = csv::ReaderBuilder::new()
        .trim(csv::Trim::All)
        .flexible(false)
        .from_reader(bytes);
    let headers = reader
        .headers()
        .map_err(|e| FleetErrors::file(Some(1), "header", csv_reason(&e)))?
        .clone();
    let mut column = std::collections::HashMap::new();
    for (i, name) in headers.iter().enumerate() {
        if !CSV_COLUMNS.contains(&name) {
            return Err(FleetErrors::file(
                Some(1),
                name,
                format!(
                    "unknown column; the columns are: {}",
                    CSV_COLUMNS.join(", ")
                ),
            ));
        }
        if column.insert(name.to_string(), i).is_some() {
            return Err(FleetErrors::file(Some(1), name, "the column appears twice"));
        }
    }
    let missing: Vec<_> = CSV_COLUMNS[..CSV_REQUIRED]
        .iter()
        .filter(|c| !column.contains_key(**c))
        .collect();
    if !missing.is_empty() {
        return Err(FleetErrors::file(
            Some(1),
            missing[0],
            format!(
                "missing column(s): {}",
                missing
                    .iter()
                    .map(|c| c.to_string())
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        ));
    }

    let mut devices = Vec::new();
    let mut errors = Collector::default();
    let mut seen = HashSet::new();
    for (index, record) in reader.records().enumerate() {
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                let line = e.position().map(|p| p.line() as u32);
                errors.push(RowError {
                    index: Some(index as u32),
                    line,
                    id: None,
                    field: "row".into(),
                    reason: csv_reason(&e),
                });
                continue;
            }
        };
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
        let platform =
            Platform::parse(&get("platform").to_ascii_lowercase()).unwrap_or_else(|| {
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
        let id =
            (!device.id.is_empty()).then(|| device.id.chars().take(MAX_ID_LEN).collect::<String>());
        let had = row_errors.len();
        for (field, reason) in row_errors {
            errors.push(RowError {
                index: Some(index as u32),
                line,
                id: id.clone(),
                field,
                reason,
            });
        }
        let before = errors.total;
        validate(&device, index, line, &mut seen, &mut errors);
        if had == 0 && errors.total == before {
            devices.push(device);
        }
    }
    errors.finish(devices)
}

fn csv_reason(e: &csv::Error) -> String {
    match e.kind() {
        csv::ErrorKind::Utf8 { .. } => "the row is not valid UTF-8 text".into(),
        csv::ErrorKind::UnequalLengths {
            expected_len, len, ..
        } => {
            format!("the row has {len} fields, the header has {expected_len}")
        }
        _ => e.to_string(),
    }
}

/// Writes devices as CSV with every column of [`CSV_COLUMNS`].
pub fn to_csv(devices: &[Device]) -> Result<String, csv::Error> {
    let mut writer = csv::Writer::from_writer(Vec::new());
    writer.write_record(CSV_COLUMNS)?;
    for d in devices {
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
            d.host_activated.to_string(),
        ];
        for app in AppKind::ALL {
            match d.app(app) {
                Some(a) => row.extend([
                    a.version.clone(),
                    a.managed.to_string(),
                    a.allowlisted.to_string(),
                ]),
                None => row.extend([String::new(), String::new(), String::new()]),
            }
        }
        writer.write_record(&row)?;
    }
    let bytes = writer.into_inner().map_err(|e| e.into_error())?;
    Ok(String::from_utf8(bytes).unwrap_or_default())
}
