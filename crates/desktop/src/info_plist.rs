//! The macOS client's `TeamViewer.app/Contents/Info.plist` (XML or binary).
//!
//! `CFBundleShortVersionString` is the version and `CFBundleVersion` the build. The reference
//! (§6.4) notes that a plist may hold only the major ("15" for 15.62.4); then a fuller
//! `CFBundleVersion` with the same major is used instead.
//!
//! Hostile input: the `plist` reader builds trees iteratively and this module tears them down
//! iteratively, so deep nesting cannot overflow the stack; sizes are capped by the caller.

use std::io::Cursor;

use helpatwork_domain::version::{Version, VersionError};
use plist::Value;

const SHORT_VERSION_KEY: &str = "CFBundleShortVersionString";
const BUNDLE_VERSION_KEY: &str = "CFBundleVersion";

/// The version read from an `Info.plist`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlistVersion {
    pub version: Version,
    /// `CFBundleVersion` as written, when present.
    pub build: Option<String>,
}

/// Why an `Info.plist` could not give a version.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PlistError {
    #[error("it is not a property list: {reason}")]
    Unreadable { reason: String },
    #[error("the property list is not a dictionary")]
    NotADictionary,
    #[error("it has neither CFBundleShortVersionString nor CFBundleVersion")]
    MissingVersion,
    #[error("{key} is not a string")]
    NotAString { key: &'static str },
    #[error("{key} is not a version: {source}")]
    BadVersion {
        key: &'static str,
        #[source]
        source: VersionError,
    },
}

/// The two keys as found at the top level of the plist: `Err(())` when not a string.
#[derive(Default)]
struct BundleKeys {
    short: Option<Result<String, ()>>,
    bundle: Option<Result<String, ()>>,
}

/// Reads the version from the bytes of an `Info.plist`.
pub fn parse_info_plist(bytes: &[u8]) -> Result<PlistVersion, PlistError> {
    let keys = read_bundle_keys(bytes)?;
    let short = keys
        .short
        .transpose()
        .map_err(|()| PlistError::NotAString {
            key: SHORT_VERSION_KEY,
        })?;
    let bundle = keys
        .bundle
        .transpose()
        .map_err(|()| PlistError::NotAString {
            key: BUNDLE_VERSION_KEY,
        })?;
    let build = bundle
        .as_deref()
        .map(str::trim)
        .filter(|b| !b.is_empty())
        .map(str::to_owned);
    // A CFBundleVersion that is itself a dotted version ("15.62.4"), not a bare build number.
    let fuller_bundle = build
        .as_deref()
        .filter(|b| b.contains('.'))
        .and_then(|b| Version::parse(b).ok());

    let version = match short.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        Some(short) => match Version::parse(short) {
            Ok(major_only) if !short.contains('.') => match fuller_bundle {
                Some(fuller) if fuller.major() == major_only.major() => fuller,
                _ => major_only,
            },
            Ok(version) => version,
            Err(source) => match fuller_bundle {
                Some(fuller) => fuller,
                None => {
                    return Err(PlistError::BadVersion {
                        key: SHORT_VERSION_KEY,
                        source,
                    })
                }
            },
        },
        None => match (&build, fuller_bundle) {
            (_, Some(fuller)) => fuller,
            (Some(build), None) => {
                Version::parse(build).map_err(|source| PlistError::BadVersion {
                    key: BUNDLE_VERSION_KEY,
                    source,
                })?
            }
            (None, None) => return Err(PlistError::MissingVersion),
        },
    };
    Ok(PlistVersion { version, build })
}

fn read_bundle_keys(bytes: &[u8]) -> Result<BundleKeys, PlistError> {
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(PlistError::Unreadable {
            reason: "the file is empty".into(),
        });
    }
    // The reader detects XML, binary and ASCII plists and builds the tree without recursion.
    let value = Value::from_reader(Cursor::new(bytes)).map_err(|e| PlistError::Unreadable {
        reason: e.to_string(),
    })?;
    let mut dict = match value {
        Value::Dictionary(dict) => dict,
        other => {
            drop_iteratively(other);
            return Err(PlistError::NotADictionary);
        }
    };
    let mut take = |key| {
        dict.remove(key).map(|value| match value {
            Value::String(text) => Ok(text),
            other => {
                drop_iteratively(other);
                Err(())
            }
        })
    };
    let keys = BundleKeys {
        short: take(SHORT_VERSION_KEY),
        bundle: take(BUNDLE_VERSION_KEY),
    };
    drop_iteratively(Value::Dictionary(dict));
    Ok(keys)
}

/// Drops a plist tree without recursing: a hostile file nesting arrays a hundred thousand deep
/// would otherwise overflow the stack in the compiler-generated recursive drop.
fn drop_iteratively(value: Value) {
    let mut pending = vec![value];
    while let Some(value) = pending.pop() {
        match value {
            Value::Array(items) => pending.extend(items),
            Value::Dictionary(dict) => pending.extend(dict.into_iter().map(|(_, v)| v)),
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plist(body: &str) -> Vec<u8> {
        format!(
            r#"<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">
<plist version="1.0"><dict>{body}</dict></plist>"#
        )
        .into_bytes()
    }

    #[test]
    fn d3_reads_short_version_and_build() {
        let bytes = plist(
            "<key>CFBundleIdentifier</key><string>com.teamviewer.TeamViewer</string>\
             <key>LSEnvironment</key><dict><key>CFBundleShortVersionString</key><string>1</string></dict>\
             <key>CFBundleShortVersionString</key><string>15.62.4</string>\
             <key>CFBundleVersion</key><string>15.62.4.70412</string>",
        );
        assert_eq!(
            parse_info_plist(&bytes),
            Ok(PlistVersion {
                version: Version::new(15, 62, 4),
                build: Some("15.62.4.70412".into())
            })
        );
    }

    #[test]
    fn d3_major_only_short_version_falls_back_to_a_fuller_bundle_version() {
        let bytes = plist(
            "<key>CFBundleShortVersionString</key><string>15</string>\
             <key>CFBundleVersion</key><string>15.62.4</string>",
        );
        assert_eq!(
            parse_info_plist(&bytes).map(|p| p.version),
            Ok(Version::new(15, 62, 4))
        );
        let build_number = plist(
            "<key>CFBundleShortVersionString</key><string>15</string>\
             <key>CFBundleVersion</key><string>70412</string>",
        );
        let parsed = parse_info_plist(&build_number).expect("parses");
        assert_eq!(parsed.version.to_string(), "15");
        assert_eq!(parsed.build.as_deref(), Some("70412"));
        let other_major = plist(
            "<key>CFBundleShortVersionString</key><string>15</string>\
             <key>CFBundleVersion</key><string>1.2.3</string>",
        );
        assert_eq!(
            parse_info_plist(&other_major).map(|p| p.version.to_string()),
            Ok("15".to_string())
        );
    }

    #[test]
    fn d3_missing_or_wrong_keys_are_typed_errors() {
        assert_eq!(
            parse_info_plist(&plist("<key>CFBundleName</key><string>TeamViewer</string>")),
            Err(PlistError::MissingVersion)
        );
        assert_eq!(
            parse_info_plist(&plist(
                "<key>CFBundleShortVersionString</key><integer>15</integer>"
            )),
            Err(PlistError::NotAString {
                key: "CFBundleShortVersionString"
            })
        );
        assert!(matches!(
            parse_info_plist(&plist(
                "<key>CFBundleShortVersionString</key><string>latest</string>"
            )),
            Err(PlistError::BadVersion {
                key: "CFBundleShortVersionString",
                ..
            })
        ));
        assert!(matches!(
            parse_info_plist(&plist("<key>CFBundleVersion</key><string>build-7</string>")),
            Err(PlistError::BadVersion {
                key: "CFBundleVersion",
                ..
            })
        ));
    }

    #[test]
    fn d3_non_plists_are_typed_errors() {
        assert!(matches!(
            parse_info_plist(b""),
            Err(PlistError::Unreadable { .. })
        ));
        assert!(matches!(
            parse_info_plist(b"\xff\xfe garbage"),
            Err(PlistError::Unreadable { .. })
        ));
        let array = br#"<?xml version="1.0"?><plist version="1.0"><array><string>15</string></array></plist>"#;
        assert_eq!(parse_info_plist(array), Err(PlistError::NotADictionary));
        let unclosed =
            br#"<?xml version="1.0"?><plist version="1.0"><dict><key>CFBundleVersion</key>"#;
        assert!(matches!(
            parse_info_plist(unclosed),
            Err(PlistError::Unreadable { .. })
        ));
    }
}
