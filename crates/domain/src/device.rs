//! The managed device as the product sees it.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

pub use crate::facts::{ManagementFacts, Ownership};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "lowercase")]
#[ts(export)]
pub enum Platform {
    Android,
    Ios,
    Windows,
    Macos,
    Other,
}

impl Platform {
    pub const ALL: [Platform; 5] = [
        Platform::Android,
        Platform::Ios,
        Platform::Windows,
        Platform::Macos,
        Platform::Other,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Platform::Android => "android",
            Platform::Ios => "ios",
            Platform::Windows => "windows",
            Platform::Macos => "macos",
            Platform::Other => "other",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|p| p.as_str() == text)
    }

    /// The name people read ("Android", "iOS").
    pub fn display_name(self) -> &'static str {
        match self {
            Platform::Android => "Android",
            Platform::Ios => "iOS",
            Platform::Windows => "Windows",
            Platform::Macos => "macOS",
            Platform::Other => "Other",
        }
    }
}

/// The TeamViewer mobile apps and add-ons the product distributes (L3, A6).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, TS)]
#[serde(rename_all = "kebab-case")]
#[ts(export)]
pub enum AppKind {
    /// TeamViewer QuickSupport: attended sessions (S2).
    Quicksupport,
    /// TeamViewer Host: unattended sessions, Android only (U2).
    Host,
    /// Universal add-on: remote control instead of view only (A6).
    AddonUniversal,
    /// Model/OEM-specific add-on (A6, U4).
    AddonOem,
}

impl AppKind {
    pub const ALL: [AppKind; 4] = [
        AppKind::Quicksupport,
        AppKind::Host,
        AppKind::AddonUniversal,
        AppKind::AddonOem,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            AppKind::Quicksupport => "quicksupport",
            AppKind::Host => "host",
            AppKind::AddonUniversal => "addon-universal",
            AppKind::AddonOem => "addon-oem",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|a| a.as_str() == text)
    }

    pub fn display_name(self) -> &'static str {
        match self {
            AppKind::Quicksupport => "TeamViewer QuickSupport",
            AppKind::Host => "TeamViewer Host",
            AppKind::AddonUniversal => "TeamViewer Universal Add-On",
            AppKind::AddonOem => "TeamViewer OEM add-on",
        }
    }

    pub fn is_addon(self) -> bool {
        matches!(self, AppKind::AddonUniversal | AppKind::AddonOem)
    }
}

/// Attended (QuickSupport, default) or unattended (Host, Android only) — S2.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize, TS)]
#[serde(rename_all = "lowercase")]
#[ts(export)]
pub enum Mode {
    #[default]
    Attended,
    Unattended,
}

impl Mode {
    pub const ALL: [Mode; 2] = [Mode::Attended, Mode::Unattended];

    pub fn as_str(self) -> &'static str {
        match self {
            Mode::Attended => "attended",
            Mode::Unattended => "unattended",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|m| m.as_str() == text)
    }

    /// The app a mode needs on the device (S2).
    pub fn app(self) -> AppKind {
        match self {
            Mode::Attended => AppKind::Quicksupport,
            Mode::Unattended => AppKind::Host,
        }
    }
}

/// One TeamViewer app on a device, as its MDM (or fleet file) reports it. A flag the source
/// cannot report is `None`: unknown, never taken for `false`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields)]
#[ts(export)]
pub struct InstalledApp {
    pub app: AppKind,
    /// `None`: installed, its version not reported.
    #[serde(deserialize_with = "crate::facts::stated")]
    pub version: Option<String>,
    /// Installed through the MDM (managed); `None`: not reported.
    #[serde(deserialize_with = "crate::facts::stated")]
    pub managed: Option<bool>,
    /// Allowed on the device (in the kiosk on kiosk devices); `None`: not reported.
    #[serde(deserialize_with = "crate::facts::stated")]
    pub allowlisted: Option<bool>,
    /// The MDM reports the app still being installed: it is not usable yet.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub installing: bool,
}

impl InstalledApp {
    /// An installed app whose every fact is known.
    pub fn known(app: AppKind, version: &str, managed: bool, allowlisted: bool) -> Self {
        Self {
            app,
            version: Some(version.to_string()),
            managed: Some(managed),
            allowlisted: Some(allowlisted),
            installing: false,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields)]
#[ts(export)]
pub struct DeviceUser {
    pub name: String,
    pub email: String,
}

/// A device is online while its source reports it reachable and its last check-in is at most
/// this old. Computed when it is read, with the product's clock: never stored.
pub const ONLINE_WINDOW: chrono::TimeDelta = chrono::TimeDelta::hours(24);

/// A device with the facts Help@Work needs: the fleet file's fields (docs/fleet-files.md).
///
/// A fact the source cannot know is `None` (unknown), never `false` or empty: the installed
/// apps as a whole, Host's activation, and each of [`ManagementFacts`]. A fleet file states
/// each of them, `null` where it is unknown.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Device {
    pub id: String,
    pub name: String,
    pub user: DeviceUser,
    pub platform: Platform,
    pub os_version: String,
    pub manufacturer: String,
    pub model: String,
    pub kiosk: bool,
    pub mam_only: bool,
    /// The source reports the device enrolled and reachable (Ivanti: registration `ACTIVE`; a
    /// fleet file: its `online`). Whether it is online now: [`Device::is_online`].
    pub online: bool,
    pub last_checkin: chrono::DateTime<chrono::Utc>,
    /// U2: TeamViewer Host's one-time activation on the device; `None`: not reported.
    #[serde(deserialize_with = "crate::facts::stated")]
    pub host_activated: Option<bool>,
    /// The TeamViewer apps on the device; `None`: the source cannot see its installed apps.
    #[serde(deserialize_with = "crate::facts::stated")]
    pub apps: Option<Vec<InstalledApp>>,
    /// Compliance, quarantine, jailbreak… as the MDM reports them; absent: none reported.
    #[serde(default, skip_serializing_if = "ManagementFacts::is_empty")]
    pub management: ManagementFacts,
    /// The MDM labels or device groups the device is in (`crate::labels`); `None` (absent in a
    /// file): the source does not report them, which is not "in no label" (`Some(vec![])`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub labels: Option<Vec<String>>,
    /// The device's locale as its source reports it (`pt-BR`, `en_US`: `crate::locale`);
    /// `None` (absent or `null` in a file): not reported, never guessed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub locale: Option<String>,
}

impl Device {
    /// The app's record; `None` both when it is not installed and when the inventory is
    /// unknown (see [`Device::app_fact`] to tell them apart).
    pub fn app(&self, kind: AppKind) -> Option<&InstalledApp> {
        self.apps.as_ref()?.iter().find(|a| a.app == kind)
    }

    /// Whether `kind` is installed: `Ok(Some(app))`, `Ok(None)` (known not installed), or
    /// `Err(())` when the installed apps are unknown.
    #[allow(clippy::result_unit_err)]
    pub fn app_fact(&self, kind: AppKind) -> Result<Option<&InstalledApp>, ()> {
        match &self.apps {
            None => Err(()),
            Some(apps) => Ok(apps.iter().find(|a| a.app == kind)),
        }
    }

    /// Online at `now`: reported reachable and checked in within [`ONLINE_WINDOW`].
    pub fn is_online(&self, now: chrono::DateTime<chrono::Utc>) -> bool {
        self.online && now.signed_duration_since(self.last_checkin) <= ONLINE_WINDOW
    }

    /// The device's labels as a group rule reads them (`None`: unknown).
    pub fn labels(&self) -> Option<&[String]> {
        self.labels.as_deref()
    }

    /// The device's locale as its source reports it (`None`: unknown).
    pub fn locale(&self) -> Option<&str> {
        self.locale.as_deref()
    }

    /// Google Pixel devices do not keep the screen-capture grant (S7).
    pub fn is_google_pixel(&self) -> bool {
        self.manufacturer.trim().eq_ignore_ascii_case("google")
            && self.model.trim().to_ascii_lowercase().starts_with("pixel")
    }

    /// The lower-cased text that search matches: name, user, e-mail, model, id (and manufacturer).
    pub fn search_text(&self) -> String {
        [
            self.name.as_str(),
            self.user.name.as_str(),
            self.user.email.as_str(),
            self.manufacturer.as_str(),
            self.model.as_str(),
            self.id.as_str(),
        ]
        .join("\u{1f}")
        .to_lowercase()
    }
}
