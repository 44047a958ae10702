//! Fleet files for the embedded MDM: JSON (`{"devices":[…]}`) and CSV with the same fields.
//!
//! Parsing is all-or-nothing: either every device is valid, or the caller gets every bad row
//! (index or line, field, reason) and imports nothing. Unknown fields are errors. A file states
//! each fact; one its source does not know is `null` (JSON) or `unknown` (CSV):
//! docs/fleet-files.md.

mod csv_file;
mod validate;

use std::collections::HashSet;
use std::fmt;

use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;
use ts_rs::TS;

use crate::device::Device;
pub use csv_file::{parse_csv, to_csv, CSV_COLUMNS, UNKNOWN};
use validate::validate;
pub use validate::{drop_invalid_user_fields, user_issues, valid_email, FieldIssue};

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
    pub(crate) fn file(line: Option<u32>, field: &str, reason: impl Into<String>) -> Self {
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
pub(crate) struct Collector {
    errors: Vec<RowError>,
    total: u32,
}

impl Collector {
    pub(crate) fn push(&mut self, e: RowError) {
        self.total += 1;
        if self.errors.len() < MAX_REPORTED_ERRORS {
            self.errors.push(e);
        }
    }

    pub(crate) fn finish(self, devices: Vec<Device>) -> Result<Vec<Device>, FleetErrors> {
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
    for app in device.apps.iter_mut().flatten() {
        if let Some(version) = &mut app.version {
            trim(version);
        }
    }
    if let Some(version) = &mut device.management.client_version {
        trim(version);
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
