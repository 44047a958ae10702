//! Facts a source may not know: how they are read from a fleet file, and the MDM's own
//! management facts (compliance, quarantine, jailbreak…).
//!
//! An unknown fact is `None`, never `false`: the product says "cannot be verified" about it,
//! never states it as absent.

use serde::{Deserialize, Deserializer, Serialize};
use ts_rs::TS;

/// Reads a field that must be present and may be `null` (unknown). A plain `Option` field
/// would take a missing field for unknown; a fleet file states each of its facts.
pub(crate) fn stated<'de, D, T>(deserializer: D) -> Result<Option<T>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    Option::<T>::deserialize(deserializer)
}

/// Who owns the device, as the MDM reports it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "lowercase")]
#[ts(export)]
pub enum Ownership {
    /// Corporate-owned (Ivanti: `COMPANY_OWNED`).
    Company,
    /// Employee-owned, bring your own device (Ivanti: `EMPLOYEE_OWNED`).
    Employee,
}

impl Ownership {
    pub fn as_str(self) -> &'static str {
        match self {
            Ownership::Company => "company",
            Ownership::Employee => "employee",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        match text.trim().to_ascii_lowercase().as_str() {
            "company" => Some(Ownership::Company),
            "employee" => Some(Ownership::Employee),
            _ => None,
        }
    }
}

/// How an Android device is enrolled in Android Enterprise, as the MDM reports it (Intune's
/// `deviceEnrollmentType`). It decides what unattended mode can do (U1): TeamViewer Host needs a
/// device-owner enrolment (dedicated or fully managed); a work profile refuses it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum AndroidEnrollment {
    /// Corporate-owned dedicated device (kiosk, device owner).
    Dedicated,
    /// Corporate-owned fully managed device (device owner).
    FullyManaged,
    /// A work profile, personally or corporate owned: the MDM manages the profile, not the device.
    WorkProfile,
}

impl AndroidEnrollment {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Dedicated => "dedicated",
            Self::FullyManaged => "fully_managed",
            Self::WorkProfile => "work_profile",
        }
    }
}

/// What the MDM reports about a device's management and security state. Each one is `None`
/// when the source does not report it (the embedded fleet's files may state them; Ivanti's
/// device search carries all but lost mode: docs/ivanti.md).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields)]
#[ts(export)]
pub struct ManagementFacts {
    /// The device meets the MDM's compliance rules.
    #[serde(default)]
    pub compliant: Option<bool>,
    /// The MDM quarantined the device (apps and configurations may be removed).
    #[serde(default)]
    pub quarantined: Option<bool>,
    /// Jailbroken (iOS) or rooted (Android).
    #[serde(default)]
    pub jailbroken: Option<bool>,
    /// iOS supervised (DEP/Apple Configurator) management.
    #[serde(default)]
    pub supervised: Option<bool>,
    /// In lost mode: locked, showing a message, not usable by its user.
    #[serde(default)]
    pub lost_mode: Option<bool>,
    #[serde(default)]
    pub ownership: Option<Ownership>,
    /// The MDM client app's version on the device.
    #[serde(default)]
    pub client_version: Option<String>,
    /// Android Enterprise enrolment; `None`: not reported (or not Android).
    #[serde(default)]
    pub android_enrollment: Option<AndroidEnrollment>,
}

impl ManagementFacts {
    /// Nothing reported.
    pub fn is_empty(&self) -> bool {
        *self == Self::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Deserialize)]
    struct Probe {
        #[serde(deserialize_with = "stated")]
        fact: Option<bool>,
    }

    #[test]
    fn a_stated_fact_must_be_present_and_may_be_null() {
        let read = |text: &str| serde_json::from_str::<Probe>(text).map(|p| p.fact);
        assert_eq!(read(r#"{"fact": true}"#).unwrap(), Some(true));
        assert_eq!(read(r#"{"fact": null}"#).unwrap(), None);
        let missing = read("{}").unwrap_err().to_string();
        assert!(missing.contains("missing field `fact`"), "{missing}");
    }

    #[test]
    fn ownership_round_trips() {
        for o in [Ownership::Company, Ownership::Employee] {
            assert_eq!(Ownership::parse(o.as_str()), Some(o));
        }
        assert_eq!(Ownership::parse("unknown"), None);
    }
}
