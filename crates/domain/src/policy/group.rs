//! A device group: a rule on a device's facts (platform, kiosk, ownership, an MDM label, a name
//! pattern). Every condition that is set must hold. A fact the source could not report makes the
//! membership unknown, never a "no" and never a "yes": unknown is not false.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::device::{Device, Platform};
use crate::facts::Ownership;

/// Who owns the devices of a group, as an admin writes it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "lowercase")]
#[ts(export)]
pub enum OwnershipRule {
    /// Company-owned (the MDM's `company`).
    Corporate,
    /// Employee-owned, bring your own device (the MDM's `employee`).
    Personal,
}

impl OwnershipRule {
    fn holds(self, ownership: Ownership) -> bool {
        matches!(
            (self, ownership),
            (OwnershipRule::Corporate, Ownership::Company)
                | (OwnershipRule::Personal, Ownership::Employee)
        )
    }
}

/// The rule: every condition set must hold; none set is every device.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields)]
#[ts(export)]
pub struct DeviceGroup {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub platform: Option<Platform>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub kiosk: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub ownership: Option<OwnershipRule>,
    /// An MDM label or device group, compared without regard to case.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub label: Option<String>,
    /// A glob on the device name (`*` any run, `?` one character), without regard to case.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub name: Option<String>,
}

/// A device fact a group's rule needed and the source did not report.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UnknownFact {
    Ownership,
    Labels,
}

impl UnknownFact {
    pub fn as_str(self) -> &'static str {
        match self {
            UnknownFact::Ownership => "ownership",
            UnknownFact::Labels => "labels",
        }
    }
}

/// Whether a device is in a group.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Membership {
    Member,
    NotMember,
    /// No known fact rules it out, and these facts are unknown.
    Unknown(Vec<UnknownFact>),
}

/// The facts a group's rule reads. `labels: None` is unknown (the source reports none).
#[derive(Debug, Clone, Copy)]
pub struct GroupFacts<'a> {
    pub name: &'a str,
    pub platform: Platform,
    pub kiosk: bool,
    pub ownership: Option<Ownership>,
    pub labels: Option<&'a [String]>,
}

impl<'a> GroupFacts<'a> {
    /// A device's facts, its MDM labels as its source reported them (`None`: unknown).
    pub fn of(device: &'a Device) -> Self {
        GroupFacts {
            name: &device.name,
            platform: device.platform,
            kiosk: device.kiosk,
            ownership: device.management.ownership,
            labels: device.labels(),
        }
    }
}

impl DeviceGroup {
    /// Whether the device is in the group. A known fact that fails the rule makes it "not a
    /// member" whatever is unknown; otherwise an unknown fact makes the membership unknown.
    pub fn membership(&self, facts: &GroupFacts<'_>) -> Membership {
        let mut unknown = Vec::new();
        let mut known = true;
        if let Some(platform) = self.platform {
            known &= platform == facts.platform;
        }
        if let Some(kiosk) = self.kiosk {
            known &= kiosk == facts.kiosk;
        }
        if let Some(name) = &self.name {
            known &= glob_matches(name, facts.name);
        }
        if let Some(rule) = self.ownership {
            match facts.ownership {
                Some(o) => known &= rule.holds(o),
                None => unknown.push(UnknownFact::Ownership),
            }
        }
        if let Some(label) = &self.label {
            match facts.labels {
                Some(labels) => {
                    known &= labels
                        .iter()
                        .any(|l| l.trim().to_lowercase() == label.trim().to_lowercase())
                }
                None => unknown.push(UnknownFact::Labels),
            }
        }
        match (known, unknown.is_empty()) {
            (false, _) => Membership::NotMember,
            (true, true) => Membership::Member,
            (true, false) => Membership::Unknown(unknown),
        }
    }

    /// The rule in words (`android, kiosk, personal, label "Field", name "SHOP-*"`), for the
    /// checks' messages; `every device` when no condition is set.
    pub fn describe(&self) -> String {
        let mut parts: Vec<String> = Vec::new();
        if let Some(p) = self.platform {
            parts.push(format!("{p:?}").to_lowercase());
        }
        match self.kiosk {
            Some(true) => parts.push("kiosk".into()),
            Some(false) => parts.push("not kiosk".into()),
            None => {}
        }
        if let Some(o) = self.ownership {
            parts.push(
                match o {
                    OwnershipRule::Corporate => "corporate",
                    OwnershipRule::Personal => "personal",
                }
                .into(),
            );
        }
        if let Some(l) = &self.label {
            parts.push(format!("label \"{l}\""));
        }
        if let Some(n) = &self.name {
            parts.push(format!("name \"{n}\""));
        }
        if parts.is_empty() {
            "every device".into()
        } else {
            parts.join(", ")
        }
    }
}

/// A glob over the whole name: `*` any run (also empty), `?` one character; other characters
/// are literal; case does not matter. Linear in the name's length times the pattern's.
pub fn glob_matches(pattern: &str, name: &str) -> bool {
    let p: Vec<char> = pattern.to_lowercase().chars().collect();
    let n: Vec<char> = name.to_lowercase().chars().collect();
    let (mut pi, mut ni) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while ni < n.len() {
        if pi < p.len() && (p[pi] == '?' || p[pi] == n[ni]) {
            pi += 1;
            ni += 1;
        } else if pi < p.len() && p[pi] == '*' {
            star = Some((pi, ni));
            pi += 1;
        } else if let Some((sp, sn)) = star {
            pi = sp + 1;
            ni = sn + 1;
            star = Some((sp, sn + 1));
        } else {
            return false;
        }
    }
    p[pi..].iter().all(|c| *c == '*')
}
