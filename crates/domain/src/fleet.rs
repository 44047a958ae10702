//! Fleet files for the embedded MDM: JSON (`{"devices":[…]}`) and CSV with the same fields.
//!
//! Parsing is all-or-nothing: either every device is valid, or the caller gets every bad row
//! (index or line, field, reason) and imports nothing. Unknown fields are errors. A file states
//! each fact; one its source does not know is `null` (JSON) or `unknown` (CSV):
//! docs/fleet-files.md.
//!
//! Files are read as a stream ([`read`]): the JSON `devices` array one element at a time
//! (`json`), the CSV one record at a time (`csv_file`), valid devices handed on in batches while
//! the file has no bad row. Memory does not follow the file's size: a batch, 16 bytes per id
//! seen (for duplicates) and at most [`MAX_REPORTED_ERRORS`] errors listed. A UTF-8 byte order mark is skipped;
//! a CSV may separate its columns with `,` or `;` (Excel's default where the decimal mark is a
//! comma, as in pt-BR).

mod csv_file;
mod json;
mod validate;

use std::collections::HashSet;
use std::fmt;
use std::io::BufRead;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::device::Device;
use crate::ident;
pub use csv_file::{csv_record, to_csv, CSV_COLUMNS, UNKNOWN};
use validate::validate;
pub use validate::{drop_invalid_user_fields, user_issues, valid_email, FieldIssue};

/// Longest id accepted.
pub const MAX_ID_LEN: usize = ident::MAX_ID_LEN;
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
pub(crate) struct Collector {
    errors: Vec<RowError>,
    total: u32,
}

impl Collector {
    pub(crate) fn push(&mut self, e: RowError) {
        self.total = self.total.saturating_add(1);
        if self.errors.len() < MAX_REPORTED_ERRORS {
            self.errors.push(e);
        }
    }

    fn into_errors(self) -> FleetErrors {
        FleetErrors {
            errors: self.errors,
            total: self.total,
        }
    }
}

/// The file formats `devices import` reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FleetFormat {
    Json,
    Csv,
}

const BOM: &[u8] = b"\xEF\xBB\xBF";

impl FleetFormat {
    /// By extension first, then by the first non-blank byte after a byte order mark (`{` is
    /// JSON).
    pub fn detect(file_name: &str, bytes: &[u8]) -> Self {
        let lower = file_name.to_ascii_lowercase();
        if lower.ends_with(".json") {
            return FleetFormat::Json;
        }
        if lower.ends_with(".csv") {
            return FleetFormat::Csv;
        }
        let bytes = bytes.strip_prefix(BOM).unwrap_or(bytes);
        match bytes.iter().find(|b| !b.is_ascii_whitespace()) {
            Some(b'{') | Some(b'[') => FleetFormat::Json,
            _ => FleetFormat::Csv,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            FleetFormat::Json => "json",
            FleetFormat::Csv => "csv",
        }
    }
}

/// Why a streamed read stopped: the file's bad rows, or the sink's own error.
#[derive(Debug)]
pub enum ReadError<E> {
    Fleet(FleetErrors),
    Sink(E),
}

/// Reads a fleet file from `reader` as a stream. While no bad row has been seen, valid devices
/// are handed to `sink` in file order, `batch` at a time; after the first bad row nothing more
/// is handed on, and the rest of the file is read only to list every bad row. Returns the
/// number of devices, or every bad row (the caller undoes what the sink did: all or nothing),
/// or the first error of `sink` (reading stops there).
pub fn read<R: BufRead, E>(
    format: FleetFormat,
    mut reader: R,
    batch: usize,
    mut sink: impl FnMut(Vec<Device>) -> Result<(), E>,
) -> Result<u32, ReadError<E>> {
    let mut intake = Intake::new(batch.max(1), &mut sink);
    if let Ok(head) = reader.fill_buf() {
        if head.starts_with(BOM) {
            reader.consume(BOM.len());
        }
    }
    match format {
        FleetFormat::Json => json::read(reader, &mut intake),
        FleetFormat::Csv => csv_file::read(reader, &mut intake),
    }
    intake.finish()
}

/// Reads a whole fleet file held in memory (the fuzz targets, tests).
pub fn parse(format: FleetFormat, bytes: &[u8]) -> Result<Vec<Device>, FleetErrors> {
    let mut devices = Vec::new();
    let sink = |batch: Vec<Device>| {
        devices.extend(batch);
        Ok::<(), std::convert::Infallible>(())
    };
    match read(format, bytes, 10_000, sink) {
        Ok(_) => Ok(devices),
        Err(ReadError::Fleet(errors)) => Err(errors),
        Err(ReadError::Sink(never)) => match never {},
    }
}

/// Reads `{"devices":[…]}`.
pub fn parse_json(bytes: &[u8]) -> Result<Vec<Device>, FleetErrors> {
    parse(FleetFormat::Json, bytes)
}

/// Reads a CSV with a header row naming the columns in [`CSV_COLUMNS`] (any order), separated by
/// `,` or `;`.
pub fn parse_csv(bytes: &[u8]) -> Result<Vec<Device>, FleetErrors> {
    parse(FleetFormat::Csv, bytes)
}

/// The ids a file has named so far, each kept as a 128-bit digest of its key (16 bytes, where the
/// key itself would cost its text and a heap allocation): a million ids fit in about 32 MB. The
/// digest's keys are drawn at random per read, so no file can be made to collide two ids on
/// purpose; by chance, two of a million ids collide with a probability near 10⁻²⁷.
#[derive(Default)]
pub(crate) struct SeenIds {
    digests: HashSet<u128>,
    first: std::collections::hash_map::RandomState,
    second: std::collections::hash_map::RandomState,
}

impl SeenIds {
    /// Whether `key` is new (`false`: named before).
    pub(crate) fn insert(&mut self, key: &str) -> bool {
        use std::hash::BuildHasher;
        let digest =
            (u128::from(self.first.hash_one(key)) << 64) | u128::from(self.second.hash_one(key));
        self.digests.insert(digest)
    }
}

/// What the readers hand their devices and errors to: validation, duplicate ids, batching.
struct Intake<'s, E> {
    batch: Vec<Device>,
    size: usize,
    sink: &'s mut dyn FnMut(Vec<Device>) -> Result<(), E>,
    errors: Collector,
    /// Every id read, by the digest of its [`ident::id_key`].
    seen: SeenIds,
    devices: u32,
    sink_error: Option<E>,
}

impl<'s, E> Intake<'s, E> {
    fn new(size: usize, sink: &'s mut dyn FnMut(Vec<Device>) -> Result<(), E>) -> Self {
        Self {
            batch: Vec::new(),
            size,
            sink,
            errors: Collector::default(),
            seen: SeenIds::default(),
            devices: 0,
            sink_error: None,
        }
    }

    /// A device read at `index` (and `line`): tidied, validated, batched.
    fn device(&mut self, mut device: Device, index: usize, line: Option<u32>) {
        tidy_text(&mut device);
        let before = self.errors.total;
        validate(&device, index, line, &mut self.seen, &mut self.errors);
        if self.errors.total != before {
            // Nothing of a file with a bad row is written: let go of what waits.
            self.batch = Vec::new();
            return;
        }
        self.devices += 1;
        if self.errors.total == 0 {
            self.batch.push(device);
            if self.batch.len() >= self.size {
                self.flush();
            }
        }
    }

    fn error(&mut self, e: RowError) {
        self.errors.push(e);
        self.batch = Vec::new();
    }

    /// Whether the list of errors is full: a further bad row is only counted
    /// ([`Intake::count_error`]), so a file of millions of bad rows costs no more than it takes
    /// to read.
    fn listing_full(&self) -> bool {
        self.errors.errors.len() >= MAX_REPORTED_ERRORS
    }

    fn count_error(&mut self) {
        self.errors.total = self.errors.total.saturating_add(1);
        self.batch = Vec::new();
    }

    /// Whether the sink failed: the reader stops.
    fn stopped(&self) -> bool {
        self.sink_error.is_some()
    }

    fn flush(&mut self) {
        if self.errors.total == 0 && self.sink_error.is_none() && !self.batch.is_empty() {
            let batch = std::mem::take(&mut self.batch);
            if let Err(e) = (self.sink)(batch) {
                self.sink_error = Some(e);
            }
        }
    }

    fn finish(mut self) -> Result<u32, ReadError<E>> {
        self.flush();
        if let Some(e) = self.sink_error {
            return Err(ReadError::Sink(e));
        }
        if self.errors.total > 0 {
            return Err(ReadError::Fleet(self.errors.into_errors()));
        }
        Ok(self.devices)
    }
}

/// Surrounding white space is not part of a value, in JSON as in CSV (read with `Trim::All`): the
/// same fleet gives the same devices in either format, and an export imports unchanged. Text is
/// kept in Unicode NFC, so the composed and decomposed forms of a name are one name.
fn tidy_text(device: &mut Device) {
    fn tidy(value: &mut String) {
        let trimmed = value.trim();
        if trimmed.is_ascii() {
            if trimmed.len() != value.len() {
                *value = trimmed.to_string();
            }
            return;
        }
        let normal = ident::normalize_text(trimmed);
        if normal != *value {
            *value = normal;
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
        tidy(value);
    }
    for app in device.apps.iter_mut().flatten() {
        if let Some(version) = &mut app.version {
            tidy(version);
        }
    }
    if let Some(version) = &mut device.management.client_version {
        tidy(version);
    }
    for label in device.labels.iter_mut().flatten() {
        tidy(label);
    }
    if let Some(locale) = &mut device.locale {
        tidy(locale);
    }
}
