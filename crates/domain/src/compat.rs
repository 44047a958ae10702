//! S11: is the agent's desktop TeamViewer recent enough for the app on the device?
//!
//! TeamViewer publishes no desktop ↔ QuickSupport/Host compatibility matrix (reference §6.4,
//! open question 4), so Help@Work ships a small, documented table that an organisation can
//! override. The shipped table is `compat-default.json` beside this file; its format and the
//! override mechanism are described in `docs/desktop-client.md`.
//!
//! Separately, [`desktop_advisories`] lists the published TeamViewer desktop CVEs that a
//! version is exposed to. They are warnings, not S11 blocks.
//!
//! What is deliberately not here: reading the override file, finding the installed client
//! (crate `helpatwork-desktop`), and the wording of fixes with download links.

use std::fmt;

use serde_json::{Map, Value};

use crate::device::AppKind;
use crate::version::Version;

/// The table Help@Work ships, embedded at build time.
pub const DEFAULT_TABLE_JSON: &str = include_str!("compat-default.json");

/// The only table format this build reads (`"format": 1`).
pub const TABLE_FORMAT: u64 = 1;

/// Which device app a rule is about: `"quicksupport"`, `"host"` or `"any"`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AppSelector {
    Any,
    Only(AppKind),
}

impl AppSelector {
    fn matches(self, app: AppKind) -> bool {
        match self {
            AppSelector::Any => true,
            AppSelector::Only(wanted) => wanted == app,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            AppSelector::Any => "any",
            AppSelector::Only(app) => app.as_str(),
        }
    }
}

impl fmt::Display for AppSelector {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What applies when no rule of the table matches the device app and its major version.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum DefaultRule {
    /// `"desktop-major-at-least-device-major"`: desktop `N.0` or later for a device app `N.x`.
    #[default]
    MajorAtLeastDeviceMajor,
    /// `"none"`: no minimum; only the explicit rules constrain the desktop version.
    None,
}

impl DefaultRule {
    pub fn as_str(self) -> &'static str {
        match self {
            DefaultRule::MajorAtLeastDeviceMajor => "desktop-major-at-least-device-major",
            DefaultRule::None => "none",
        }
    }

    fn parse(text: &str) -> Option<Self> {
        [DefaultRule::MajorAtLeastDeviceMajor, DefaultRule::None]
            .into_iter()
            .find(|rule| rule.as_str() == text)
    }
}

/// One row of the table: devices running `device_app` at major `device_major` (any major
/// when `None`) need a desktop client at `min_desktop` or later.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CompatRule {
    pub device_app: AppSelector,
    pub device_major: Option<u32>,
    pub min_desktop: Version,
    /// Free text for people reading the table; not used by the check.
    pub note: Option<String>,
}

impl CompatRule {
    fn key(&self) -> (AppSelector, Option<u32>) {
        (self.device_app, self.device_major)
    }

    fn matches(&self, app: AppKind, major: u32) -> bool {
        self.device_app.matches(app) && self.device_major.is_none_or(|m| m == major)
    }

    /// Higher wins: an exact major beats any major, then an exact app beats any app.
    fn specificity(&self) -> u8 {
        let major = if self.device_major.is_some() { 2 } else { 0 };
        let app = if matches!(self.device_app, AppSelector::Only(_)) {
            1
        } else {
            0
        };
        major + app
    }
}

/// The outcome of the S11 check.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Compatibility {
    Compatible,
    /// The desktop client must be updated to `minimum` or later.
    TooOld {
        minimum: Version,
    },
}

impl Compatibility {
    pub fn is_compatible(&self) -> bool {
        matches!(self, Compatibility::Compatible)
    }
}

/// The desktop ↔ device-app compatibility table (S11).
///
/// Resolution for a device app `A` at version `N.x`: the most specific matching rule decides,
/// in this order: (`A`, `N`), (`any`, `N`), (`A`, any major), (`any`, any major). When no rule
/// matches, the [`DefaultRule`] applies. Within one table each (`device_app`, `device_major`)
/// pair appears at most once, so the outcome never depends on rule order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CompatTable {
    default_rule: DefaultRule,
    rules: Vec<CompatRule>,
    note: Option<String>,
}

impl Default for CompatTable {
    /// The shipped table ([`DEFAULT_TABLE_JSON`]).
    fn default() -> Self {
        parse_table(DEFAULT_TABLE_JSON)
            .map(|raw| raw.table)
            .expect("the shipped compatibility table is valid: pinned by a unit test")
    }
}

impl CompatTable {
    /// Reads a table, typically an override file.
    ///
    /// A file with `"extends": "default"` is laid over the shipped table: its rules replace
    /// shipped rules with the same (`device_app`, `device_major`) and add the others, and its
    /// `default_rule`, when given, replaces the shipped one. Without `extends` the file
    /// replaces the shipped table entirely.
    pub fn from_json(text: &str) -> Result<Self, CompatError> {
        let raw = parse_table(text)?;
        if !raw.extends_default {
            return Ok(raw.table);
        }
        let mut merged = CompatTable::default();
        if raw.default_rule_given {
            merged.default_rule = raw.table.default_rule;
        }
        if raw.table.note.is_some() {
            merged.note = raw.table.note;
        }
        for rule in raw.table.rules {
            match merged.rules.iter_mut().find(|r| r.key() == rule.key()) {
                Some(existing) => *existing = rule,
                None => merged.rules.push(rule),
            }
        }
        Ok(merged)
    }

    pub fn default_rule(&self) -> DefaultRule {
        self.default_rule
    }

    pub fn rules(&self) -> &[CompatRule] {
        &self.rules
    }

    pub fn note(&self) -> Option<&str> {
        self.note.as_deref()
    }

    /// The lowest desktop version the table accepts for this device app version, or `None`
    /// when nothing constrains it (no matching rule and `"default_rule": "none"`).
    pub fn minimum_desktop(
        &self,
        device_app: AppKind,
        device_app_version: &Version,
    ) -> Option<Version> {
        let major = device_app_version.major();
        let decisive = self
            .rules
            .iter()
            .filter(|rule| rule.matches(device_app, major))
            .max_by_key(|rule| rule.specificity());
        match (decisive, self.default_rule) {
            (Some(rule), _) => Some(rule.min_desktop),
            (None, DefaultRule::MajorAtLeastDeviceMajor) => Some(major_floor(major)),
            (None, DefaultRule::None) => None,
        }
    }

    /// S11: can a desktop client at `desktop` serve `device_app` at `device_app_version`?
    ///
    /// Meant for QuickSupport and Host; an add-on kind only meets `"any"` rules and the
    /// default rule.
    pub fn check(
        &self,
        desktop: &Version,
        device_app: AppKind,
        device_app_version: &Version,
    ) -> Compatibility {
        match self.minimum_desktop(device_app, device_app_version) {
            Some(minimum) if *desktop < minimum => Compatibility::TooOld { minimum },
            _ => Compatibility::Compatible,
        }
    }
}

/// `N.0`, written as the table would write it.
fn major_floor(major: u32) -> Version {
    Version::parse(&format!("{major}.0")).unwrap_or(Version::new(major, 0, 0))
}

/// Why a compatibility table was refused. Rule numbers count from 1 in file order.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CompatError {
    #[error("the compatibility table is not valid JSON: {0}")]
    Json(String),
    #[error("the compatibility table must be a JSON object with \"format\" and \"rules\"")]
    NotAnObject,
    #[error("the compatibility table has no \"format\": add \"format\": 1")]
    MissingFormat,
    #[error(
        "the compatibility table has \"format\": {0}; this version of Help@Work reads format 1"
    )]
    UnsupportedFormat(String),
    #[error("the compatibility table field \"{field}\" {problem}")]
    Field { field: String, problem: String },
    #[error("compatibility rule #{number} {entry}: {problem}")]
    Rule {
        number: usize,
        entry: String,
        problem: String,
    },
    #[error("compatibility rule #{number} {entry} repeats rule #{first}: same device_app and device_major")]
    DuplicateRule {
        number: usize,
        first: usize,
        entry: String,
    },
}

struct RawTable {
    table: CompatTable,
    extends_default: bool,
    default_rule_given: bool,
}

const TABLE_FIELDS: [&str; 5] = ["format", "extends", "default_rule", "rules", "note"];
const RULE_FIELDS: [&str; 4] = ["device_app", "device_major", "min_desktop", "note"];

fn parse_table(text: &str) -> Result<RawTable, CompatError> {
    let value: Value = serde_json::from_str(text).map_err(|e| CompatError::Json(e.to_string()))?;
    let Value::Object(top) = value else {
        return Err(CompatError::NotAnObject);
    };
    if let Some(unknown) = top.keys().find(|k| !TABLE_FIELDS.contains(&k.as_str())) {
        return Err(CompatError::Field {
            field: shorten(unknown),
            problem: format!("is not known; use {}", TABLE_FIELDS.join(", ")),
        });
    }
    match top.get("format") {
        None => return Err(CompatError::MissingFormat),
        Some(Value::Number(n)) if n.as_u64() == Some(TABLE_FORMAT) => {}
        Some(other) => return Err(CompatError::UnsupportedFormat(shorten(&other.to_string()))),
    }
    let extends_default = match top.get("extends") {
        None | Some(Value::Null) => false,
        Some(Value::String(s)) if s == "default" => true,
        Some(_) => return Err(field_error("extends", "must be \"default\" or left out")),
    };
    let default_rule = match top.get("default_rule") {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) => Some(DefaultRule::parse(s).ok_or_else(|| {
            field_error(
                "default_rule",
                "must be \"desktop-major-at-least-device-major\" or \"none\"",
            )
        })?),
        Some(_) => return Err(field_error("default_rule", "must be a string")),
    };
    let note = optional_string(&top, "note").map_err(|problem| field_error("note", &problem))?;
    let entries = match top.get("rules") {
        None | Some(Value::Null) => &[][..],
        Some(Value::Array(entries)) => entries.as_slice(),
        Some(_) => return Err(field_error("rules", "must be a list of rules")),
    };

    let mut rules: Vec<CompatRule> = Vec::with_capacity(entries.len());
    for (index, entry) in entries.iter().enumerate() {
        let number = index + 1;
        let rule = parse_rule(entry).map_err(|problem| CompatError::Rule {
            number,
            entry: shorten(&entry.to_string()),
            problem,
        })?;
        if let Some(first) = rules.iter().position(|r| r.key() == rule.key()) {
            return Err(CompatError::DuplicateRule {
                number,
                first: first + 1,
                entry: shorten(&entry.to_string()),
            });
        }
        rules.push(rule);
    }
    Ok(RawTable {
        table: CompatTable {
            default_rule: default_rule.unwrap_or_default(),
            rules,
            note,
        },
        extends_default,
        default_rule_given: default_rule.is_some(),
    })
}

fn parse_rule(entry: &Value) -> Result<CompatRule, String> {
    let Value::Object(fields) = entry else {
        return Err(
            "a rule must be an object with device_app, device_major and min_desktop".into(),
        );
    };
    if let Some(unknown) = fields.keys().find(|k| !RULE_FIELDS.contains(&k.as_str())) {
        return Err(format!(
            "field \"{}\" is not known; use {}",
            shorten(unknown),
            RULE_FIELDS.join(", ")
        ));
    }
    let device_app = match fields.get("device_app") {
        Some(Value::String(s)) if s == "any" => AppSelector::Any,
        Some(Value::String(s)) => match AppKind::parse(s) {
            Some(app @ (AppKind::Quicksupport | AppKind::Host)) => AppSelector::Only(app),
            _ => return Err(r#"device_app must be "quicksupport", "host" or "any""#.into()),
        },
        Some(_) => return Err(r#"device_app must be "quicksupport", "host" or "any""#.into()),
        None => return Err("device_app is missing".into()),
    };
    let device_major = match fields.get("device_major") {
        None | Some(Value::Null) => None,
        Some(Value::Number(n)) => match n.as_u64().and_then(|m| u32::try_from(m).ok()) {
            Some(major) => Some(major),
            None => {
                return Err(
                    "device_major must be a whole number such as 15, or null for any".into(),
                )
            }
        },
        Some(_) => {
            return Err("device_major must be a whole number such as 15, or null for any".into())
        }
    };
    let min_desktop = match fields.get("min_desktop") {
        Some(Value::String(s)) => Version::parse(s).map_err(|e| format!("min_desktop: {e}"))?,
        Some(_) => return Err(r#"min_desktop must be a version string such as "15.0""#.into()),
        None => return Err("min_desktop is missing".into()),
    };
    let note = optional_string(fields, "note")?;
    Ok(CompatRule {
        device_app,
        device_major,
        min_desktop,
        note,
    })
}

fn optional_string(fields: &Map<String, Value>, name: &str) -> Result<Option<String>, String> {
    match fields.get(name) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.clone())),
        Some(_) => Err(format!("{name} must be a string")),
    }
}

fn field_error(field: &str, problem: &str) -> CompatError {
    CompatError::Field {
        field: field.to_owned(),
        problem: problem.to_owned(),
    }
}

/// Keeps error messages readable when a hostile file holds huge entries.
fn shorten(text: &str) -> String {
    const MAX_CHARS: usize = 120;
    if text.chars().count() <= MAX_CHARS {
        text.to_owned()
    } else {
        let mut short: String = text.chars().take(MAX_CHARS).collect();
        short.push('…');
        short
    }
}

/// A published vulnerability of the TeamViewer desktop client (reference §6.2).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SecurityAdvisory {
    pub cve: &'static str,
    /// The first fixed TeamViewer 15 release.
    pub fixed_in: Version,
    pub summary: &'static str,
    pub url: &'static str,
}

/// The desktop CVEs Help@Work warns about, oldest first.
///
/// Older majors received separate backports for CVE-2020-13699; they are not tracked here, so
/// any version before 15.8.3 is flagged (those majors are out of support anyway).
pub const DESKTOP_ADVISORIES: [SecurityAdvisory; 2] = [
    SecurityAdvisory {
        cve: "CVE-2020-13699",
        fixed_in: Version::new(15, 8, 3),
        summary: "argument injection through the teamviewer URL handlers (Windows client)",
        url: "https://nvd.nist.gov/vuln/detail/CVE-2020-13699",
    },
    SecurityAdvisory {
        cve: "CVE-2026-23572",
        fixed_in: Version::new(15, 74, 5),
        summary: "access-control bypass",
        url: "https://nvd.nist.gov/vuln/detail/CVE-2026-23572",
    },
];

/// The advisories a desktop client at `desktop` is exposed to (a warning each, never a block).
pub fn desktop_advisories(desktop: &Version) -> Vec<&'static SecurityAdvisory> {
    DESKTOP_ADVISORIES
        .iter()
        .filter(|advisory| *desktop < advisory.fixed_in)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn v(text: &str) -> Version {
        Version::parse(text).expect("test versions are valid")
    }

    fn table(json: &str) -> CompatTable {
        CompatTable::from_json(json).expect("test tables are valid")
    }

    #[test]
    fn s11_shipped_table_parses_and_uses_the_major_rule() {
        let shipped = parse_table(DEFAULT_TABLE_JSON).expect("shipped table parses");
        assert!(!shipped.extends_default);
        let table = CompatTable::default();
        assert_eq!(table, shipped.table);
        assert_eq!(table.default_rule(), DefaultRule::MajorAtLeastDeviceMajor);
        assert!(table.note().is_some_and(|n| n.contains("S11")));
    }

    #[test]
    fn s11_desktop_major_below_device_major_is_too_old() {
        let table = CompatTable::default();
        for app in [AppKind::Quicksupport, AppKind::Host] {
            assert_eq!(
                table.check(&v("14.7.1"), app, &v("15.62.4")),
                Compatibility::TooOld { minimum: v("15.0") }
            );
            assert_eq!(
                table.check(&v("15.74.5"), app, &v("16.1")),
                Compatibility::TooOld { minimum: v("16.0") }
            );
        }
    }

    #[test]
    fn s11_desktop_major_equal_to_device_major_is_compatible() {
        let table = CompatTable::default();
        assert!(table
            .check(&v("15.0"), AppKind::Quicksupport, &v("15.62.4"))
            .is_compatible());
        assert!(table
            .check(&v("16.0.1"), AppKind::Host, &v("16.9"))
            .is_compatible());
    }

    #[test]
    fn s11_desktop_newer_major_than_device_is_compatible() {
        let table = CompatTable::default();
        assert!(table
            .check(&v("16.2"), AppKind::Quicksupport, &v("15.62.4"))
            .is_compatible());
        assert!(table
            .check(&v("15.1"), AppKind::Host, &v("12"))
            .is_compatible());
    }

    #[test]
    fn s11_most_specific_rule_decides() {
        let t = table(
            r#"{"format":1,"rules":[
                {"device_app":"any","device_major":null,"min_desktop":"14.0"},
                {"device_app":"quicksupport","device_major":null,"min_desktop":"15.10"},
                {"device_app":"any","device_major":15,"min_desktop":"15.20"},
                {"device_app":"quicksupport","device_major":15,"min_desktop":"15.30"}
            ]}"#,
        );
        let qs = AppKind::Quicksupport;
        assert_eq!(t.minimum_desktop(qs, &v("15.1")), Some(v("15.30")));
        assert_eq!(
            t.minimum_desktop(AppKind::Host, &v("15.1")),
            Some(v("15.20"))
        );
        assert_eq!(t.minimum_desktop(qs, &v("13.2")), Some(v("15.10")));
        assert_eq!(
            t.minimum_desktop(AppKind::Host, &v("13.2")),
            Some(v("14.0"))
        );
        assert_eq!(
            t.check(&v("15.29.9"), qs, &v("15.1")),
            Compatibility::TooOld {
                minimum: v("15.30")
            }
        );
        assert!(t.check(&v("15.30"), qs, &v("15.1")).is_compatible());
    }

    #[test]
    fn s11_override_extending_the_default_can_loosen_one_major() {
        let t = table(
            r#"{"format":1,"extends":"default","rules":[
                {"device_app":"host","device_major":16,"min_desktop":"15.80","note":"tested in our lab"}
            ]}"#,
        );
        assert!(t
            .check(&v("15.80"), AppKind::Host, &v("16.0.2"))
            .is_compatible());
        assert_eq!(
            t.check(&v("15.80"), AppKind::Quicksupport, &v("16.0.2")),
            Compatibility::TooOld { minimum: v("16.0") }
        );
        assert_eq!(t.rules().len(), CompatTable::default().rules().len() + 1);
        assert_eq!(t.default_rule(), DefaultRule::MajorAtLeastDeviceMajor);
    }

    #[test]
    fn s11_override_extending_the_default_replaces_a_rule_with_the_same_key() {
        let t = table(
            r#"{"format":1,"extends":"default","rules":[
                {"device_app":"any","device_major":15,"min_desktop":"15.44"}
            ]}"#,
        );
        assert_eq!(t.rules().len(), CompatTable::default().rules().len());
        assert_eq!(
            t.check(&v("15.43"), AppKind::Quicksupport, &v("15.1")),
            Compatibility::TooOld {
                minimum: v("15.44")
            }
        );
    }

    #[test]
    fn s11_override_without_extends_replaces_the_shipped_table() {
        let t = table(r#"{"format":1,"default_rule":"none","rules":[]}"#);
        assert!(t.rules().is_empty());
        assert_eq!(t.minimum_desktop(AppKind::Quicksupport, &v("99")), None);
        assert!(t
            .check(&v("1"), AppKind::Quicksupport, &v("99"))
            .is_compatible());
    }

    #[test]
    fn s11_malformed_rule_errors_name_the_entry() {
        let cases = [
            (
                r#"{"device_app":"quicksupport","device_major":15,"min_desktop":"15.x"}"#,
                "min_desktop",
            ),
            (
                r#"{"device_app":"teamviewer","device_major":15,"min_desktop":"15.0"}"#,
                "device_app",
            ),
            (
                r#"{"device_app":"addon-oem","min_desktop":"15.0"}"#,
                "device_app",
            ),
            (
                r#"{"device_app":"host","device_major":-1,"min_desktop":"15.0"}"#,
                "device_major",
            ),
            (
                r#"{"device_app":"host","device_major":"15","min_desktop":"15.0"}"#,
                "device_major",
            ),
            (
                r#"{"device_app":"host","device_major":15,"min_desktop":15}"#,
                "min_desktop",
            ),
            (
                r#"{"device_app":"host","device_major":15}"#,
                "min_desktop is missing",
            ),
            (
                r#"{"device_app":"host","device_major":15,"min_dekstop":"15.0"}"#,
                "min_dekstop",
            ),
            (r#""host""#, "must be an object"),
        ];
        for (rule, needle) in cases {
            let json = format!(
                r#"{{"format":1,"rules":[{{"device_app":"any","min_desktop":"1"}},{rule}]}}"#
            );
            let err = CompatTable::from_json(&json).expect_err(rule);
            let CompatError::Rule {
                number, ref entry, ..
            } = err
            else {
                panic!("{rule}: unexpected error {err:?}");
            };
            assert_eq!(number, 2, "{rule}");
            assert!(
                entry.contains("device_app") || entry.contains("host"),
                "{entry}"
            );
            let message = err.to_string();
            assert!(
                message.contains("rule #2") && message.contains(needle),
                "{message}"
            );
        }
    }

    #[test]
    fn s11_rule_error_reads_as_documented() {
        let err = CompatTable::from_json(
            r#"{"format":1,"rules":[{"device_app":"any","min_desktop":"1"},{"device_app":"host","device_major":15,"min_desktop":"15.x"}]}"#,
        )
        .expect_err("bad min_desktop");
        assert_eq!(
            err.to_string(),
            r#"compatibility rule #2 {"device_app":"host","device_major":15,"min_desktop":"15.x"}: min_desktop: "15.x" is not a version: use digits separated by dots, such as 15.60.1"#
        );
    }

    #[test]
    fn s11_duplicate_rules_are_refused() {
        let err = CompatTable::from_json(
            r#"{"format":1,"rules":[
                {"device_app":"host","device_major":15,"min_desktop":"15.0"},
                {"device_app":"quicksupport","device_major":15,"min_desktop":"15.0"},
                {"device_app":"host","device_major":15,"min_desktop":"15.5"}
            ]}"#,
        )
        .expect_err("duplicate");
        assert!(
            matches!(
                err,
                CompatError::DuplicateRule {
                    number: 3,
                    first: 1,
                    ..
                }
            ),
            "{err:?}"
        );
    }

    #[test]
    fn s11_table_level_errors_are_typed() {
        let err = |json: &str| CompatTable::from_json(json).expect_err(json);
        assert!(matches!(err("not json"), CompatError::Json(_)));
        assert!(matches!(err("[]"), CompatError::NotAnObject));
        assert!(matches!(err(r#"{"rules":[]}"#), CompatError::MissingFormat));
        assert!(
            matches!(err(r#"{"format":2,"rules":[]}"#), CompatError::UnsupportedFormat(f) if f == "2")
        );
        assert!(
            matches!(err(r#"{"format":1,"rulez":[]}"#), CompatError::Field { field, .. } if field == "rulez")
        );
        assert!(
            matches!(err(r#"{"format":1,"extends":"mine"}"#), CompatError::Field { field, .. } if field == "extends")
        );
        assert!(
            matches!(err(r#"{"format":1,"default_rule":"major"}"#), CompatError::Field { field, .. } if field == "default_rule")
        );
        assert!(
            matches!(err(r#"{"format":1,"rules":{}}"#), CompatError::Field { field, .. } if field == "rules")
        );
    }

    #[test]
    fn s11_huge_entries_are_shortened_in_errors() {
        let long = "9".repeat(10_000);
        let json =
            format!(r#"{{"format":1,"rules":[{{"device_app":"host","min_desktop":"{long}"}}]}}"#);
        let message = CompatTable::from_json(&json)
            .expect_err("bad version")
            .to_string();
        assert!(message.len() < 600, "{}", message.len());
    }

    #[test]
    fn cve_2020_13699_is_flagged_below_15_8_3() {
        let found: Vec<_> = desktop_advisories(&v("15.8.2"))
            .iter()
            .map(|a| a.cve)
            .collect();
        assert_eq!(found, ["CVE-2020-13699", "CVE-2026-23572"]);
        assert_eq!(desktop_advisories(&v("14.7.48350")).len(), 2);
    }

    #[test]
    fn cve_2026_23572_is_flagged_below_15_74_5() {
        let found: Vec<_> = desktop_advisories(&v("15.8.3"))
            .iter()
            .map(|a| a.cve)
            .collect();
        assert_eq!(found, ["CVE-2026-23572"]);
        assert_eq!(desktop_advisories(&v("15.74.4")).len(), 1);
    }

    #[test]
    fn patched_desktop_has_no_advisory() {
        assert!(desktop_advisories(&v("15.74.5")).is_empty());
        assert!(desktop_advisories(&v("16")).is_empty());
    }

    proptest! {
        #[test]
        fn s11_default_table_is_the_major_rule(
            dm in 0u32..40, dn in 0u32..100, am in 0u32..40, an in 0u32..100, host in any::<bool>()
        ) {
            let app = if host { AppKind::Host } else { AppKind::Quicksupport };
            let desktop = Version::new(dm, dn, 0);
            let device = Version::new(am, an, 0);
            let compatible = CompatTable::default().check(&desktop, app, &device).is_compatible();
            prop_assert_eq!(compatible, dm >= am);
        }

        #[test]
        fn s11_compatibility_is_monotonic_in_the_desktop_version(
            a in (0u32..30, 0u32..100, 0u32..10), b in (0u32..30, 0u32..100, 0u32..10),
            device in (0u32..30, 0u32..100), min in (0u32..30, 0u32..100), host in any::<bool>()
        ) {
            let t = table(&format!(
                r#"{{"format":1,"extends":"default","rules":[{{"device_app":"host","device_major":{},"min_desktop":"{}.{}"}}]}}"#,
                device.0, min.0, min.1
            ));
            let app = if host { AppKind::Host } else { AppKind::Quicksupport };
            let (lo, hi) = {
                let (x, y) = (Version::new(a.0, a.1, a.2), Version::new(b.0, b.1, b.2));
                if x <= y { (x, y) } else { (y, x) }
            };
            let device = Version::new(device.0, device.1, 0);
            if t.check(&lo, app, &device).is_compatible() {
                prop_assert!(t.check(&hi, app, &device).is_compatible());
            }
        }

        #[test]
        fn s11_the_reported_minimum_is_itself_compatible(
            d in (0u32..30, 0u32..100), device in (0u32..30, 0u32..100)
        ) {
            let t = CompatTable::default();
            let device = Version::new(device.0, device.1, 0);
            if let Compatibility::TooOld { minimum } = t.check(&Version::new(d.0, d.1, 0), AppKind::Quicksupport, &device) {
                prop_assert!(Version::new(d.0, d.1, 0) < minimum);
                prop_assert!(t.check(&minimum, AppKind::Quicksupport, &device).is_compatible());
            }
        }

        #[test]
        fn s11_from_json_never_panics(text in ".{0,200}") {
            let _ = CompatTable::from_json(&text);
        }

        #[test]
        fn s11_from_json_never_panics_on_rule_shaped_input(
            app in "[a-z]{0,12}", major in any::<i64>(), min in "[0-9.a-z]{0,12}"
        ) {
            let json = format!(
                r#"{{"format":1,"extends":"default","rules":[{{"device_app":"{app}","device_major":{major},"min_desktop":"{min}"}}]}}"#
            );
            let _ = CompatTable::from_json(&json);
        }
    }
}
