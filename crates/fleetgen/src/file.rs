//! Fleet files of generated devices, in the documented shapes (`docs/fleet-file.md`): JSON
//! (`{"devices": [...]}`) or CSV (the columns of `devices export`). Written as the devices come,
//! so a file of a million devices needs no more memory than one device.

use std::io::{self, Write};

use helpatwork_domain::fleet::{csv_record, CSV_COLUMNS};
use helpatwork_domain::Device;

/// The file's shape.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Json,
    Csv,
}

impl Format {
    /// CSV for a name ending in `.csv` (any case), JSON otherwise.
    pub fn for_path(path: &std::path::Path) -> Self {
        match path.extension().and_then(|e| e.to_str()) {
            Some(ext) if ext.eq_ignore_ascii_case("csv") => Self::Csv,
            _ => Self::Json,
        }
    }
}

/// Writes `devices` to `out` in `format`; returns how many were written.
pub fn write(
    format: Format,
    devices: impl IntoIterator<Item = Device>,
    out: impl Write,
) -> io::Result<usize> {
    match format {
        Format::Json => write_json(devices, out),
        Format::Csv => write_csv(devices, out),
    }
}

fn write_json(devices: impl IntoIterator<Item = Device>, mut out: impl Write) -> io::Result<usize> {
    out.write_all(b"{\"devices\": [")?;
    let mut n = 0;
    for device in devices {
        if n > 0 {
            out.write_all(b",\n")?;
        }
        serde_json::to_writer(&mut out, &device)?;
        n += 1;
    }
    out.write_all(b"]}\n")?;
    out.flush()?;
    Ok(n)
}

fn write_csv(devices: impl IntoIterator<Item = Device>, out: impl Write) -> io::Result<usize> {
    let mut writer = csv::Writer::from_writer(out);
    writer.write_record(CSV_COLUMNS)?;
    let mut n = 0;
    for device in devices {
        writer.write_record(csv_record(&device))?;
        n += 1;
    }
    writer.flush()?;
    Ok(n)
}

/// The devices as a JSON fleet file, in memory (small fleets: tests).
pub fn json(devices: impl IntoIterator<Item = Device>) -> String {
    let mut out = Vec::new();
    // Writing to memory cannot fail.
    let _ = write_json(devices, &mut out);
    String::from_utf8(out).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use helpatwork_domain::fleet::{parse_csv, parse_json};

    use super::*;
    use crate::{ready, Fleet};

    #[test]
    fn both_shapes_read_back_as_the_same_devices() {
        let now = "2026-11-26T12:00:00Z".parse().unwrap();
        let fleet = Fleet::organisation(120, 5, now).generate();
        let mut csv = Vec::new();
        assert_eq!(write(Format::Csv, fleet.clone(), &mut csv).unwrap(), 120);
        assert_eq!(parse_csv(&csv).unwrap(), fleet);
        let json = json(fleet.clone());
        assert_eq!(parse_json(json.as_bytes()).unwrap(), fleet);
        let ready: Vec<_> = ready("and", 3).collect();
        assert_eq!(
            parse_json(super::json(ready.clone()).as_bytes()).unwrap(),
            ready
        );
    }

    #[test]
    fn the_shape_follows_the_file_name() {
        assert_eq!(Format::for_path("a/fleet.CSV".as_ref()), Format::Csv);
        assert_eq!(Format::for_path("fleet.json".as_ref()), Format::Json);
        assert_eq!(Format::for_path("fleet".as_ref()), Format::Json);
    }
}
