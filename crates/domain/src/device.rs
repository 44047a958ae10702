//! The managed device as the product sees it.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

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

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields)]
#[ts(export)]
pub struct InstalledApp {
    pub app: AppKind,
    pub version: String,
    pub managed: bool,
    pub allowlisted: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields)]
#[ts(export)]
pub struct DeviceUser {
    pub name: String,
    pub email: String,
}

/// A device with the facts Help@Work needs: the fleet file's fields (design.md).
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
    pub online: bool,
    pub last_checkin: chrono::DateTime<chrono::Utc>,
    pub host_activated: bool,
    pub apps: Vec<InstalledApp>,
}

impl Device {
    pub fn app(&self, kind: AppKind) -> Option<&InstalledApp> {
        self.apps.iter().find(|a| a.app == kind)
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
