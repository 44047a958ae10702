//! S11: is the agent's desktop TeamViewer recent enough for the app on the device?
//!
//! TeamViewer publishes no desktop ↔ QuickSupport/Host compatibility matrix, so Help@Work
//! ships a small, documented table that an organisation can override. The shipped table is `compat-default.json` in this folder; its format and the
//! override mechanism are described in `docs/desktop-client.md`.
//!
//! Separately, [`desktop_advisories`] lists the published TeamViewer desktop CVEs that a
//! version is exposed to. They are warnings, not S11 blocks.
//!
//! What is deliberately not here: reading the override file, finding the installed client
//! (crate `helpatwork-desktop`), and the wording of fixes with download links.

mod advisories;
mod parse;
#[cfg(test)]
mod tests;

use std::fmt;

pub use advisories::{desktop_advisories, SecurityAdvisory, DESKTOP_ADVISORIES};
use parse::parse_table;
pub use parse::CompatError;

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
