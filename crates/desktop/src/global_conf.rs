//! The Linux client's `config/global.conf`: one `[type ] Name = value` entry per line.
//!
//! ```text
//! TeamViewer Global Settings
//!
//! [int32] ClientID = 123456789
//! [strng] Version = "15.62.4"
//! [strng] LastMACUsed = "" "0800274E1A2B"
//! [bin  ] Certificate = 30 82 03 …
//! ```
//!
//! The type tag may be padded inside the brackets, names may contain `\` (`Section\Name`) and
//! `strng` values are one or more double-quoted strings. The parser is tolerant: lines that are
//! not entries (the title, blank lines, anything unexpected) are skipped and their numbers kept
//! in [`GlobalConf::skipped_lines`]. It is strict only about what Help@Work needs: the `Version`
//! entry must be there, unambiguous, one string, and a version.

use std::fmt;

use helpatwork_domain::version::{Version, VersionError};

/// One entry, with its value kept as written; interpret it with [`GlobalConfValue::strings`] or
/// [`GlobalConfValue::int`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GlobalConfValue {
    /// The type tag without brackets or padding: `strng`, `int32`, `int64`, `bin`, …
    pub kind: String,
    /// The text after `=`, trimmed.
    pub raw: String,
    /// 1-based line number in the file.
    pub line: usize,
}

impl GlobalConfValue {
    /// The double-quoted strings of the value (`"" "a"` is two strings), or the bare value as
    /// one string when it has no quotes at all.
    pub fn strings(&self) -> Result<Vec<&str>, &'static str> {
        if !self.raw.contains('"') {
            return Ok(vec![self.raw.as_str()]);
        }
        let mut out = Vec::new();
        let mut rest = self.raw.as_str();
        loop {
            rest = rest.trim_start();
            if rest.is_empty() {
                return Ok(out);
            }
            let Some(after_quote) = rest.strip_prefix('"') else {
                return Err("text outside the double quotes");
            };
            let Some(end) = after_quote.find('"') else {
                return Err("a double quote is not closed");
            };
            out.push(&after_quote[..end]);
            rest = &after_quote[end + 1..];
        }
    }

    /// The value as a whole number (`int32`, `int64` entries).
    pub fn int(&self) -> Option<i64> {
        self.raw.parse().ok()
    }
}

/// A parsed `global.conf`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct GlobalConf {
    entries: Vec<(String, GlobalConfValue)>,
    skipped: Vec<usize>,
}

/// Why a `global.conf` could not give a version. Line numbers count from 1.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum GlobalConfError {
    #[error("line {line} is not UTF-8 text")]
    NotUtf8 { line: usize },
    #[error("there is no \"{key}\" entry")]
    MissingKey { key: &'static str },
    #[error("the \"{key}\" entry on line {line} is malformed: {reason}")]
    MalformedEntry {
        key: &'static str,
        line: usize,
        reason: &'static str,
    },
    #[error("the \"{key}\" entry on line {line} differs from the one on line {first_line}")]
    ConflictingEntries {
        key: &'static str,
        first_line: usize,
        line: usize,
    },
    #[error("the \"{key}\" entry on line {line} is not a version: {source}")]
    BadVersion {
        key: &'static str,
        line: usize,
        #[source]
        source: VersionError,
    },
}

const VERSION_KEY: &str = "Version";

impl GlobalConf {
    /// The first entry with this exact name.
    pub fn get(&self, name: &str) -> Option<&GlobalConfValue> {
        self.entries.iter().find(|(n, _)| n == name).map(|(_, v)| v)
    }

    /// Every entry, in file order.
    pub fn entries(&self) -> impl Iterator<Item = (&str, &GlobalConfValue)> {
        self.entries.iter().map(|(n, v)| (n.as_str(), v))
    }

    /// Lines that were neither blank nor an entry (normally only the title line).
    pub fn skipped_lines(&self) -> &[usize] {
        &self.skipped
    }

    /// The client version from the `Version` entry.
    pub fn version(&self) -> Result<Version, GlobalConfError> {
        let mut found: Option<(&GlobalConfValue, &str)> = None;
        for (_, value) in self.entries.iter().filter(|(n, _)| n == VERSION_KEY) {
            let malformed = |reason| GlobalConfError::MalformedEntry {
                key: VERSION_KEY,
                line: value.line,
                reason,
            };
            let text = match value.strings().map_err(malformed)?.as_slice() {
                [one] => *one,
                [] => return Err(malformed("the value is empty")),
                _ => return Err(malformed("the value holds several strings")),
            };
            match found {
                None => found = Some((value, text)),
                Some((first, first_text)) if first_text.trim() != text.trim() => {
                    return Err(GlobalConfError::ConflictingEntries {
                        key: VERSION_KEY,
                        first_line: first.line,
                        line: value.line,
                    })
                }
                Some(_) => {}
            }
        }
        let (value, text) = found.ok_or(GlobalConfError::MissingKey { key: VERSION_KEY })?;
        Version::parse(text).map_err(|source| GlobalConfError::BadVersion {
            key: VERSION_KEY,
            line: value.line,
            source,
        })
    }
}

impl fmt::Display for GlobalConf {
    /// Writes the entries back in the file's format (without the skipped lines).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (name, value) in &self.entries {
            writeln!(f, "[{:<5}] {} = {}", value.kind, name, value.raw)?;
        }
        Ok(())
    }
}

/// Parses the bytes of a `global.conf`. Fails only on text that is not UTF-8 (a leading UTF-8
/// byte-order mark is accepted); use [`GlobalConf::version`] for the version.
pub fn parse_global_conf(bytes: &[u8]) -> Result<GlobalConf, GlobalConfError> {
    let text = std::str::from_utf8(bytes).map_err(|e| GlobalConfError::NotUtf8 {
        line: 1 + bytes[..e.valid_up_to()]
            .iter()
            .filter(|&&b| b == b'\n')
            .count(),
    })?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut conf = GlobalConf::default();
    for (index, line) in text.lines().enumerate() {
        let line_number = index + 1;
        let trimmed = line.trim();
        if trimmed.is_empty() {
            continue;
        }
        match parse_entry(trimmed, line_number) {
            Some((name, value)) => conf.entries.push((name, value)),
            None => conf.skipped.push(line_number),
        }
    }
    Ok(conf)
}

fn parse_entry(line: &str, line_number: usize) -> Option<(String, GlobalConfValue)> {
    let rest = line.strip_prefix('[')?;
    let (kind, rest) = rest.split_once(']')?;
    let kind = kind.trim();
    if kind.is_empty() || !kind.chars().all(|c| c.is_ascii_alphanumeric()) {
        return None;
    }
    let (name, raw) = rest.split_once('=')?;
    let name = name.trim();
    let name_ok = !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '\\' || c == '.' || c == '-');
    if !name_ok {
        return None;
    }
    Some((
        name.to_owned(),
        GlobalConfValue {
            kind: kind.to_owned(),
            raw: raw.trim().to_owned(),
            line: line_number,
        },
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    const SAMPLE: &str = "TeamViewer Global Settings\n\n\
        [int32] ClientID = 123456789\r\n\
        [strng] LastMACUsed = \"\" \"0800274E1A2B\"\n\
        [bin  ] Certificate = 30 82 03 0a\n\
        [int32] DeviceManagementV2\\Unmanaged = 0\n\
        [strng] Version = \"15.62.4\"\n";

    #[test]
    fn d3_reads_the_version_entry() {
        let conf = parse_global_conf(SAMPLE.as_bytes()).expect("parses");
        assert_eq!(conf.version(), Ok(Version::new(15, 62, 4)));
        assert_eq!(
            conf.get("ClientID").and_then(GlobalConfValue::int),
            Some(123456789)
        );
        let mac = conf.get("LastMACUsed").expect("present");
        assert_eq!(mac.strings(), Ok(vec!["", "0800274E1A2B"]));
        assert_eq!(
            conf.get("Certificate").map(|v| v.kind.as_str()),
            Some("bin")
        );
        assert!(conf.get("DeviceManagementV2\\Unmanaged").is_some());
        assert_eq!(conf.skipped_lines(), &[1]);
        assert_eq!(conf.entries().count(), 5);
    }

    #[test]
    fn d3_tolerates_bom_crlf_padding_and_bare_values() {
        let text = "\u{feff}[strng]   Version   =   15.10.0  \r\n";
        let conf = parse_global_conf(text.as_bytes()).expect("parses");
        assert_eq!(conf.version(), Ok(Version::new(15, 10, 0)));
    }

    #[test]
    fn d3_repeated_identical_versions_are_fine_conflicting_ones_are_not() {
        let same = "[strng] Version = \"15.1\"\n[strng] Version = \"15.1\"\n";
        assert!(parse_global_conf(same.as_bytes())
            .expect("parses")
            .version()
            .is_ok());
        let differ = "[strng] Version = \"15.1\"\n[strng] Version = \"14.1\"\n";
        assert_eq!(
            parse_global_conf(differ.as_bytes())
                .expect("parses")
                .version(),
            Err(GlobalConfError::ConflictingEntries {
                key: "Version",
                first_line: 1,
                line: 2
            })
        );
    }

    #[test]
    fn d3_malformed_version_entries_are_typed_errors() {
        let version = |text: &str| {
            parse_global_conf(text.as_bytes())
                .expect("parses")
                .version()
        };
        assert!(matches!(
            version("[strng] Version = \"15.1\n"),
            Err(GlobalConfError::MalformedEntry { line: 1, .. })
        ));
        assert!(matches!(
            version("[strng] Version = \"15.1\" \"15.2\"\n"),
            Err(GlobalConfError::MalformedEntry { .. })
        ));
        assert!(matches!(
            version("[strng] Version = x\"15.1\"\n"),
            Err(GlobalConfError::MalformedEntry { .. })
        ));
        assert!(matches!(
            version("x\n[strng] Version = \"fifteen\"\n"),
            Err(GlobalConfError::BadVersion { line: 2, .. })
        ));
        assert_eq!(
            version("[strng] Versions = \"15\"\n[strng] Version\n"),
            Err(GlobalConfError::MissingKey { key: "Version" })
        );
    }

    #[test]
    fn d3_invalid_utf8_names_the_line() {
        let bytes = b"title\n[strng] Version = \"15.\xff\"\n";
        assert_eq!(
            parse_global_conf(bytes),
            Err(GlobalConfError::NotUtf8 { line: 2 })
        );
    }

    #[test]
    fn display_writes_the_entries_back() {
        let conf = parse_global_conf(SAMPLE.as_bytes()).expect("parses");
        let again = parse_global_conf(conf.to_string().as_bytes()).expect("parses again");
        assert_eq!(
            again.entries().collect::<Vec<_>>().len(),
            conf.entries().count()
        );
        assert_eq!(again.version(), conf.version());
    }
}
