//! A6: which TeamViewer add-on gives control on a device, by its manufacturer and model.
//!
//! TeamViewer ships manufacturer-signed add-ons (`com.teamviewer.quicksupport.addon.<oem>`) and
//! the Universal Add-On (Android 7 or later, an accessibility service). The table is data, in
//! `oem-addons.json` beside this file with its source named; its format: `format` (1),
//! `source`, `universal` (`package`, `name`, `min_android`) and `addons`, each with
//! `manufacturers` (compared without case or surrounding spaces), an optional `model_prefixes`
//! (an entry with a matching prefix wins over one without), `package` and `name`.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::device::{Device, Platform};
use crate::version::Version;

/// The table Help@Work ships, embedded at build time.
pub const DEFAULT_OEM_ADDONS_JSON: &str = include_str!("oem-addons.json");

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
struct TableFile {
    format: u64,
    source: String,
    universal: Universal,
    addons: Vec<OemAddonEntry>,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
struct Universal {
    package: String,
    name: String,
    min_android: String,
}

/// One manufacturer's add-on.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OemAddonEntry {
    pub manufacturers: Vec<String>,
    #[serde(default)]
    pub model_prefixes: Vec<String>,
    pub package: String,
    pub name: String,
}

/// The add-on to distribute to one device.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[ts(export)]
pub enum AddonChoice {
    /// The manufacturer's own add-on.
    Oem { package: String, name: String },
    /// No add-on of the manufacturer is known; the Universal Add-On serves Android 7 or later.
    Universal { package: String, name: String },
    /// None serves it: not Android, or an Android too old for the Universal Add-On.
    None,
}

/// The table could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum OemTableError {
    #[error("the add-on table is not valid JSON of its format: {0}")]
    Json(String),
    #[error("the add-on table's format {0} is not 1")]
    Format(u64),
    #[error("the add-on table's entry {0} names no manufacturer or no package")]
    Empty(usize),
    #[error("the add-on table's Universal Add-On minimum Android version {0:?} is not a version")]
    MinAndroid(String),
}

/// The parsed table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OemAddonTable {
    pub source: String,
    universal: Universal,
    min_android: Version,
    addons: Vec<OemAddonEntry>,
}

fn norm(text: &str) -> String {
    text.trim().to_lowercase()
}

impl OemAddonTable {
    pub fn parse(json: &str) -> Result<Self, OemTableError> {
        let file: TableFile =
            serde_json::from_str(json).map_err(|e| OemTableError::Json(e.to_string()))?;
        if file.format != 1 {
            return Err(OemTableError::Format(file.format));
        }
        for (i, entry) in file.addons.iter().enumerate() {
            if entry.manufacturers.iter().all(|m| m.trim().is_empty())
                || entry.package.trim().is_empty()
            {
                return Err(OemTableError::Empty(i));
            }
        }
        let min_android = Version::parse(&file.universal.min_android)
            .map_err(|_| OemTableError::MinAndroid(file.universal.min_android.clone()))?;
        Ok(Self {
            source: file.source,
            universal: file.universal,
            min_android,
            addons: file.addons,
        })
    }

    /// The manufacturer's own add-on for this model, if the table knows one: an entry whose
    /// model prefix matches wins over the manufacturer's entry without prefixes.
    pub fn oem_addon(&self, manufacturer: &str, model: &str) -> Option<&OemAddonEntry> {
        let (manufacturer, model) = (norm(manufacturer), norm(model));
        let mut best: Option<(&OemAddonEntry, usize)> = None;
        for entry in &self.addons {
            if !entry.manufacturers.iter().any(|m| norm(m) == manufacturer) {
                continue;
            }
            let score = if entry.model_prefixes.is_empty() {
                Some(0)
            } else {
                entry
                    .model_prefixes
                    .iter()
                    .map(|p| norm(p))
                    .filter(|p| model.starts_with(p.as_str()))
                    .map(|p| p.len() + 1)
                    .max()
            };
            if let Some(score) = score {
                if best.is_none_or(|(_, b)| score > b) {
                    best = Some((entry, score));
                }
            }
        }
        best.map(|(entry, _)| entry)
    }

    /// What to distribute to the device for control (A6).
    pub fn choose(&self, device: &Device) -> AddonChoice {
        if device.platform != Platform::Android {
            return AddonChoice::None;
        }
        if let Some(entry) = self.oem_addon(&device.manufacturer, &device.model) {
            return AddonChoice::Oem {
                package: entry.package.clone(),
                name: entry.name.clone(),
            };
        }
        match Version::parse(&device.os_version) {
            Ok(v) if v >= self.min_android => AddonChoice::Universal {
                package: self.universal.package.clone(),
                name: self.universal.name.clone(),
            },
            _ => AddonChoice::None,
        }
    }
}

impl Default for OemAddonTable {
    fn default() -> Self {
        Self::parse(DEFAULT_OEM_ADDONS_JSON).expect("the shipped add-on table parses")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::device::{DeviceUser, ManagementFacts};

    fn device(platform: Platform, os: &str, manufacturer: &str, model: &str) -> Device {
        Device {
            labels: None,
            locale: None,
            id: "d".into(),
            name: "d".into(),
            user: DeviceUser {
                name: "A".into(),
                email: "a@example.com".into(),
            },
            platform,
            os_version: os.into(),
            manufacturer: manufacturer.into(),
            model: model.into(),
            kiosk: false,
            mam_only: false,
            online: true,
            last_checkin: "2026-12-06T12:00:00Z".parse().unwrap(),
            host_activated: None,
            apps: None,
            management: ManagementFacts::default(),
        }
    }

    #[test]
    fn the_shipped_table_parses_and_names_its_source() {
        let table = OemAddonTable::default();
        assert!(table.source.contains("teamviewer.com"), "{}", table.source);
    }

    #[test]
    fn a6_the_manufacturers_add_on_is_picked_whatever_the_case() {
        let table = OemAddonTable::default();
        let pick = |m: &str, model: &str| {
            table
                .oem_addon(m, model)
                .map(|e| e.package.as_str())
                .unwrap_or("none")
        };
        assert_eq!(
            pick(" SAMSUNG ", "Galaxy S23"),
            "com.teamviewer.quicksupport.addon.samsung"
        );
        assert_eq!(pick("LGE", "G8"), "com.teamviewer.quicksupport.addon.lg");
        assert_eq!(
            pick("Huawei", "P30"),
            "com.teamviewer.quicksupport.addon.huawei2"
        );
        assert_eq!(pick("Acme Rugged", "X1"), "none", "an unknown OEM has none");
        assert_eq!(pick("", ""), "none");
    }

    #[test]
    fn a6_a_model_entry_wins_over_its_manufacturers_entry() {
        let table = OemAddonTable::parse(
            r#"{"format":1,"source":"test","universal":{"package":"u","name":"U","min_android":"7.0"},
            "addons":[{"manufacturers":["zebra"],"package":"z","name":"Z"},
                      {"manufacturers":["zebra"],"model_prefixes":["TC5","TC52"],"package":"z5","name":"Z5"},
                      {"manufacturers":["zebra"],"model_prefixes":["TC52x"],"package":"z52x","name":"Z52x"}]}"#,
        )
        .unwrap();
        let pick = |model: &str| table.oem_addon("Zebra", model).unwrap().package.clone();
        assert_eq!(pick("TC21"), "z");
        assert_eq!(pick("TC57"), "z5");
        assert_eq!(pick("tc52"), "z5");
        assert_eq!(pick("TC52X-HC"), "z52x", "the longest prefix wins");
    }

    #[test]
    fn a6_an_unknown_oem_gets_the_universal_add_on_on_android_7_or_later_else_none() {
        let table = OemAddonTable::default();
        let universal = |os| table.choose(&device(Platform::Android, os, "Acme", "X1"));
        assert!(
            matches!(universal("14"), AddonChoice::Universal { ref package, .. } if package == "com.teamviewer.quicksupport.addon.universal")
        );
        assert!(matches!(universal("7.0"), AddonChoice::Universal { .. }));
        assert_eq!(universal("6.0.1"), AddonChoice::None);
        assert_eq!(universal("not a version"), AddonChoice::None);
        assert!(matches!(
            table.choose(&device(Platform::Android, "5.0", "samsung", "Galaxy S5")),
            AddonChoice::Oem { .. }
        ));
        assert_eq!(
            table.choose(&device(Platform::Ios, "17.1", "Apple", "iPhone 15")),
            AddonChoice::None,
            "iOS takes no add-on: it is view only"
        );
    }

    #[test]
    fn a_broken_table_is_refused_with_why() {
        let base = |addons: &str, min: &str, format: u32| {
            format!(
                r#"{{"format":{format},"source":"s","universal":{{"package":"u","name":"U","min_android":"{min}"}},"addons":{addons}}}"#
            )
        };
        assert_eq!(
            OemAddonTable::parse(&base("[]", "7.0", 2)),
            Err(OemTableError::Format(2))
        );
        assert_eq!(
            OemAddonTable::parse(&base(
                r#"[{"manufacturers":[" "],"package":"p","name":"n"}]"#,
                "7.0",
                1
            )),
            Err(OemTableError::Empty(0))
        );
        assert!(matches!(
            OemAddonTable::parse(&base("[]", "seven", 1)),
            Err(OemTableError::MinAndroid(_))
        ));
        assert!(matches!(
            OemAddonTable::parse(r#"{"format":1}"#),
            Err(OemTableError::Json(_))
        ));
    }
}
