//! The settings file itself: `{"version": 1, "values": {KEY: VALUE, …}}`, read and written
//! safely. Its values are validated by `crate::settings`.
//!
//! Read only when it is a regular file of at most [`MAX_FILE_BYTES`] (a FIFO or a link to a
//! device is refused, never waited on or read without end); a UTF-8 byte order mark (Notepad's)
//! is skipped; a key given twice is an error, not silently its last value. Written whole and
//! owner-only through a temp file beside it (`crate::safe_file::write_whole`): a full disk leaves
//! the old file and no temp file.

use std::collections::BTreeMap;
use std::fmt;
use std::path::Path;

use serde::de::{self, MapAccess, Visitor};
use serde::{Deserialize, Deserializer, Serialize};

use crate::error::{AppError, ErrorDetails, Result, StorageCause};
use crate::safe_file::{self, ReadRefused};

/// The largest settings file read.
pub const MAX_FILE_BYTES: u64 = 64 * 1024;

#[derive(Debug, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct FileShape {
    version: u32,
    #[serde(default, deserialize_with = "unique_keys")]
    values: BTreeMap<String, String>,
}

/// A JSON object whose keys are all different.
fn unique_keys<'de, D: Deserializer<'de>>(d: D) -> Result<BTreeMap<String, String>, D::Error> {
    struct Unique;
    impl<'de> Visitor<'de> for Unique {
        type Value = BTreeMap<String, String>;

        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("an object of setting names and text values")
        }

        fn visit_map<M: MapAccess<'de>>(self, mut map: M) -> Result<Self::Value, M::Error> {
            let mut out = BTreeMap::new();
            while let Some((key, value)) = map.next_entry::<String, String>()? {
                let shown: String = key.chars().take(64).collect();
                if out.insert(key, value).is_some() {
                    return Err(de::Error::custom(format!(
                        "the setting \"{shown}\" is given twice"
                    )));
                }
            }
            Ok(out)
        }
    }
    d.deserialize_map(Unique)
}

/// The saved values, unvalidated; none when the file does not exist.
pub fn read(file: &Path) -> Result<BTreeMap<String, String>> {
    let shown = file.display();
    let fix = format!(
        "Correct or delete {shown}, or change the value with `helpatwork settings set KEY VALUE`."
    );
    let bytes = match safe_file::read_regular(file, MAX_FILE_BYTES) {
        Ok(None) => return Ok(BTreeMap::new()),
        Ok(Some(bytes)) => bytes,
        Err(ReadRefused::NotRegular(kind)) => {
            return Err(AppError::invalid(format!(
                "The settings file {shown} is {kind}, not a regular file; it was not read."
            ))
            .with_fix(format!("Remove {shown} (settings set writes a new one).")))
        }
        Err(ReadRefused::TooLarge(_)) => {
            return Err(AppError::invalid(format!(
                "The settings file {shown} is larger than {MAX_FILE_BYTES} bytes."
            ))
            .with_fix(fix))
        }
        Err(ReadRefused::Io(e)) => {
            return Err(
                AppError::internal(format!("Cannot read the settings file {shown}: {e}"))
                    .with_fix(fix),
            )
        }
    };
    let text = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&bytes);
    let shape: FileShape = serde_json::from_slice(text).map_err(|e| {
        AppError::invalid(format!("The settings file {shown} is not valid: {e}"))
            .with_fix(fix.clone())
    })?;
    if shape.version != 1 {
        return Err(AppError::invalid(format!(
            "The settings file {shown} has version {}, this Help@Work reads version 1.",
            shape.version
        ))
        .with_fix(fix));
    }
    Ok(shape.values)
}

/// Writes the file whole: a temp file beside it, then a rename, so a crash or a full disk never
/// leaves half a file or a temp file.
pub fn write(file: &Path, values: &BTreeMap<String, String>) -> Result<()> {
    let shown = file.display();
    let dir = file.parent().unwrap_or(Path::new("."));
    let fail = |e: std::io::Error| {
        if safe_file::disk_full(&e) {
            AppError::internal(format!(
                "The disk is full: the settings file {shown} could not be written ({e}). Nothing was changed."
            ))
            .with_fix(format!(
                "Free space on the disk that holds {}, then set the value again.",
                dir.display()
            ))
            .with_details(ErrorDetails::Storage { cause: StorageCause::DiskFull })
        } else {
            AppError::internal(format!("Cannot write the settings file {shown}: {e}"))
                .with_fix("Check that the data directory (HELPATWORK_DATA_DIR) is writable.")
        }
    };
    helpatwork_store::create_private_dir(dir).map_err(fail)?;
    let text = serde_json::to_string_pretty(&FileShape {
        version: 1,
        values: values.clone(),
    })
    .map_err(|e| AppError::internal(e.to_string()))?;
    safe_file::write_whole(file, (text + "\n").as_bytes()).map_err(fail)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_key_given_twice_is_an_error_and_a_bom_is_skipped() {
        // Hardening findings 20 and 21.
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("settings.json");
        std::fs::write(
            &file,
            r#"{"version":1,"values":{"language":"en","language":"pt-BR"}}"#,
        )
        .unwrap();
        let err = read(&file).unwrap_err();
        assert!(err.message.contains("given twice"), "{}", err.message);
        std::fs::write(
            &file,
            "\u{feff}{\"version\":1,\"values\":{\"language\":\"pt-BR\"}}",
        )
        .unwrap();
        assert_eq!(read(&file).unwrap()["language"], "pt-BR");
        std::fs::write(&file, r#"{"version":1,"version":1}"#).unwrap();
        assert!(read(&file).is_err());
    }
}
