//! What a device can do with Help@Work, from its own facts alone.
//!
//! [`device_findings`] evaluates the device-side rules (L2, S2, S7, S10, U2, U4, A6, and the
//! MDM's jailbreak, quarantine and lost mode) for one mode; [`session_findings`] adds what
//! changes with time and the connector: whether the device is online now and how the session
//! reaches it (S4). The session preflight adds the tenant, integration, token and
//! desktop-client checks on top. A fact the source could not report is a warning ("cannot be
//! verified through ⟨MDM⟩"), never a block: a block stands only on known facts.
//!
//! [`Readiness`] is the one-word summary the device list shows and filters on. It is computed
//! from the device's facts alone, never from the time, so it can be stored and indexed: whether
//! the device is online is shown and checked apart (docs/architecture.md).

mod remote_action;
mod words;

pub use remote_action::{remote_action, RemoteAction, RemoteActionKind};

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::device::{AppKind, Device, InstalledApp, Mode, Platform};
use crate::lang::Lang;
use crate::rules::RuleId;
use crate::version::Version;

/// iOS 11.0 is the first supported iOS version (L2).
pub const MIN_IOS: Version = Version::new(11, 0, 0);

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "lowercase")]
#[ts(export)]
pub enum CheckStatus {
    Pass,
    Warn,
    Block,
}

impl CheckStatus {
    /// As serialised: `pass`, `warn`, `block`.
    pub fn as_str(self) -> &'static str {
        match self {
            CheckStatus::Pass => "pass",
            CheckStatus::Warn => "warn",
            CheckStatus::Block => "block",
        }
    }
}

/// One evaluated rule: `{"rule":"S11","status":"pass|warn|block","message","fix"}` (`docs/rules.md`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Check {
    /// The rule the check enforces: a spec rule (`L2`, `S10`, …) or a product check (`online`).
    pub rule: RuleId,
    pub status: CheckStatus,
    pub message: String,
    pub fix: Option<String>,
}

/// The device list's one-word summary of a device.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "lowercase")]
#[ts(export)]
pub enum Readiness {
    /// Every device-side rule passes.
    Ready,
    /// It can start, with warnings (QuickSupport will be downloaded, view only, Pixel consent,
    /// a fact the MDM cannot report).
    Attention,
    /// Something fixable and known stops it (app missing on iOS, Host not activated, not
    /// allowlisted). Never a fact the source could not report.
    Blocked,
    /// It can never be supported (L2: iOS < 11, MAM-only iOS, other platforms).
    Unsupported,
}

impl Readiness {
    pub const ALL: [Readiness; 4] = [
        Readiness::Ready,
        Readiness::Attention,
        Readiness::Blocked,
        Readiness::Unsupported,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Readiness::Ready => "ready",
            Readiness::Attention => "attention",
            Readiness::Blocked => "blocked",
            Readiness::Unsupported => "unsupported",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|r| r.as_str() == text)
    }
}

/// A device-side finding, before it is put into words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Finding {
    /// L2: Android, or iOS ≥ 11 and not MAM-only.
    PlatformSupported,
    PlatformNotSupported(Platform),
    IosTooOld(String),
    IosVersionUnknown(String),
    IosMamOnly,
    /// S2 / U1: unattended is Android only.
    UnattendedNeedsAndroid,
    /// U1: unattended needs a device-owner enrolment; the device has a work profile.
    UnattendedNeedsDeviceOwner,
    /// S2: the mode's app is installed, managed and allowlisted.
    AppReady(AppKind),
    /// S10: Android prompts the user to download QuickSupport.
    QuickSupportWillBePrompted,
    /// S10: iOS needs QuickSupport from the App Catalog.
    IosAppMissing,
    /// S10: iOS QuickSupport installed by the user must be converted to a managed app.
    IosAppNotManaged,
    /// S10: iOS QuickSupport is installed as a managed app.
    IosAppManaged,
    AppMissing(AppKind),
    AppNotManaged(AppKind),
    /// S2, U4: the app must be allowlisted (kiosk allowlist on kiosk devices).
    AppNotAllowlisted {
        app: AppKind,
        kiosk: bool,
    },
    /// U2: Host needs its one-time activation on the device.
    HostNotActivated,
    HostActivated,
    /// A6: control needs an add-on; without one the session is view only.
    ControlAvailable(AppKind),
    ViewOnlyNoAddon,
    /// A6, U4: an add-on present but not allowed in the kiosk.
    AddonNotAllowlisted(AppKind),
    /// iOS is always view only (ReplayKit broadcast).
    IosViewOnly,
    /// S7: Google Pixel asks for consent every session.
    PixelConsentEverySession,
    /// S8: a reminder, never a block: QuickSupport must keep running in the background during
    /// the session (no MDM reports it; the coaching card tells the device user).
    KeepQuickSupportRunning,
    /// S2, S10: the source cannot see the installed apps, so whether the app is there is unknown.
    AppsUnknown(AppKind),
    /// S2, S10: the app is installed; whether it is managed is unknown.
    AppManagedUnknown(AppKind),
    /// S2, U4: the app is installed; whether it is allowlisted (in the kiosk) is unknown.
    AppAllowlistUnknown {
        app: AppKind,
        kiosk: bool,
    },
    /// S2, S10: the MDM reports the app still being installed.
    AppInstalling(AppKind),
    /// S11: the app's version is unknown, so the desktop client cannot be checked against it.
    AppVersionUnknown(AppKind),
    /// U2: whether Host had its one-time activation is unknown.
    HostActivationUnknown,
    /// A6: the installed apps are unknown, so whether a control add-on is there is unknown.
    AddonsUnknown,
    /// A6, U4: an add-on is installed; whether the kiosk allows it is unknown.
    AddonAllowlistUnknown(AppKind),
    /// The MDM reports the device jailbroken or rooted.
    Jailbroken,
    /// The MDM quarantined the device.
    Quarantined,
    /// The device is in lost mode.
    LostMode,
    /// S4: how the session code reaches the device's app.
    Delivered(Delivery),
    Online,
    /// Offline now; what that means depends on how the session reaches the device.
    Offline(Delivery),
}

/// Who reported a device's facts: named where a fact could not be reported, with where to
/// check it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reporter<'a> {
    /// An MDM connector, by its product name (e.g. "Ivanti Neurons for MDM").
    Mdm(&'a str),
    /// A fleet file imported into the embedded fleet.
    FleetFile,
}

/// How a session reaches the device (S4).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum Delivery {
    /// The MDM pushes the session code to the app's managed app configuration.
    ManagedAppConfig,
    /// The MDM cannot: the device user gets the session's end-customer link.
    EndCustomerLink,
}

impl Finding {
    pub fn rule(&self) -> RuleId {
        use Finding::*;
        match self {
            PlatformSupported
            | PlatformNotSupported(_)
            | IosTooOld(_)
            | IosVersionUnknown(_)
            | IosMamOnly => RuleId::L2,
            UnattendedNeedsAndroid => RuleId::S2,
            UnattendedNeedsDeviceOwner => RuleId::U1,
            AppReady(_) | AppMissing(_) | AppNotManaged(_) => RuleId::S2,
            QuickSupportWillBePrompted | IosAppMissing | IosAppNotManaged | IosAppManaged => {
                RuleId::S10
            }
            AppNotAllowlisted { kiosk: true, .. } | AddonNotAllowlisted(_) => RuleId::U4,
            AppNotAllowlisted { kiosk: false, .. } => RuleId::S2,
            HostNotActivated | HostActivated => RuleId::U2,
            ControlAvailable(_) | ViewOnlyNoAddon | IosViewOnly => RuleId::A6,
            PixelConsentEverySession => RuleId::S7,
            KeepQuickSupportRunning => RuleId::S8,
            AppsUnknown(AppKind::Quicksupport) | AppInstalling(AppKind::Quicksupport) => {
                RuleId::S10
            }
            AppsUnknown(_) | AppInstalling(_) => RuleId::S2,
            AppManagedUnknown(AppKind::Quicksupport) => RuleId::S10,
            AppManagedUnknown(_) => RuleId::S2,
            AppAllowlistUnknown { kiosk: true, .. } | AddonAllowlistUnknown(_) => RuleId::U4,
            AppAllowlistUnknown { kiosk: false, .. } => RuleId::S2,
            AppVersionUnknown(_) => RuleId::S11,
            HostActivationUnknown => RuleId::U2,
            AddonsUnknown => RuleId::A6,
            Jailbroken => RuleId::Jailbroken,
            Quarantined => RuleId::Quarantined,
            LostMode => RuleId::LostMode,
            Delivered(_) => RuleId::S4,
            Online | Offline(_) => RuleId::Online,
        }
    }

    pub fn status(&self) -> CheckStatus {
        use Finding::*;
        match self {
            PlatformSupported
            | AppReady(_)
            | HostActivated
            | ControlAvailable(_)
            | Online
            | IosViewOnly
            | IosAppManaged
            | KeepQuickSupportRunning
            | Delivered(Delivery::ManagedAppConfig) => CheckStatus::Pass,
            QuickSupportWillBePrompted
            | ViewOnlyNoAddon
            | PixelConsentEverySession
            | Offline(_)
            | AppNotManaged(_)
            | AppsUnknown(_)
            | AppManagedUnknown(_)
            | AppAllowlistUnknown { .. }
            | AppInstalling(_)
            | AppVersionUnknown(_)
            | HostActivationUnknown
            | AddonsUnknown
            | AddonAllowlistUnknown(_)
            | Jailbroken
            | Quarantined
            | LostMode
            | Delivered(Delivery::EndCustomerLink) => CheckStatus::Warn,
            PlatformNotSupported(_)
            | IosTooOld(_)
            | IosVersionUnknown(_)
            | IosMamOnly
            | UnattendedNeedsAndroid
            | UnattendedNeedsDeviceOwner
            | IosAppMissing
            | IosAppNotManaged
            | AppMissing(_)
            | AppNotAllowlisted { .. }
            | HostNotActivated
            | AddonNotAllowlisted(_) => CheckStatus::Block,
        }
    }

    /// A block no admin action can lift (L2 platform rules, unattended on iOS).
    pub fn is_permanent(&self) -> bool {
        matches!(
            self,
            Finding::PlatformNotSupported(_)
                | Finding::IosTooOld(_)
                | Finding::IosVersionUnknown(_)
                | Finding::IosMamOnly
                | Finding::UnattendedNeedsAndroid
        )
    }

    pub fn to_check(&self, lang: Lang, reporter: Reporter<'_>) -> Check {
        let (message, fix) = self.describe(lang, reporter);
        Check {
            rule: self.rule(),
            status: self.status(),
            message,
            fix,
        }
    }
}

/// L2: whether the platform and OS version can ever be supported. `Ok` is Android, or iOS ≥ 11
/// not MAM-only; `Err` is the permanent reason.
pub fn platform_support(device: &Device) -> Result<(), Finding> {
    match device.platform {
        Platform::Android => Ok(()),
        Platform::Ios => {
            if device.mam_only {
                return Err(Finding::IosMamOnly);
            }
            match Version::parse(&device.os_version) {
                Ok(v) if v >= MIN_IOS => Ok(()),
                Ok(_) => Err(Finding::IosTooOld(device.os_version.trim().to_string())),
                Err(_) => Err(Finding::IosVersionUnknown(
                    device.os_version.chars().take(32).collect(),
                )),
            }
        }
        other => Err(Finding::PlatformNotSupported(other)),
    }
}

/// Every device-side finding for a mode, in the order the checklist shows them. Time and the
/// connector do not enter: these are what the stored readiness summarises.
pub fn device_findings(device: &Device, mode: Mode) -> Vec<Finding> {
    let mut out = Vec::new();
    match platform_support(device) {
        Ok(()) => out.push(Finding::PlatformSupported),
        Err(reason) => {
            out.push(reason);
            return out;
        }
    }
    let ios = device.platform == Platform::Ios;
    if mode == Mode::Unattended && ios {
        out.push(Finding::UnattendedNeedsAndroid);
        return out;
    }
    if mode == Mode::Unattended
        && device.management.android_enrollment
            == Some(crate::facts::AndroidEnrollment::WorkProfile)
    {
        out.push(Finding::UnattendedNeedsDeviceOwner);
        return out;
    }

    let kind = mode.app();
    match device.app_fact(kind) {
        Err(()) => out.push(Finding::AppsUnknown(kind)),
        Ok(None) if ios => out.push(Finding::IosAppMissing),
        Ok(None) if kind == AppKind::Quicksupport => out.push(Finding::QuickSupportWillBePrompted),
        Ok(None) => out.push(Finding::AppMissing(kind)),
        Ok(Some(app)) => app_findings(app, ios, device.kiosk, &mut out),
    }

    if mode == Mode::Unattended {
        out.push(match device.host_activated {
            Some(true) => Finding::HostActivated,
            Some(false) => Finding::HostNotActivated,
            None => Finding::HostActivationUnknown,
        });
    }

    if ios {
        out.push(Finding::IosViewOnly);
    } else {
        addon_findings(device, &mut out);
        if device.is_google_pixel() {
            out.push(Finding::PixelConsentEverySession);
        }
    }
    if mode == Mode::Attended {
        out.push(Finding::KeepQuickSupportRunning);
    }

    let management = &device.management;
    if management.jailbroken == Some(true) {
        out.push(Finding::Jailbroken);
    }
    if management.quarantined == Some(true) {
        out.push(Finding::Quarantined);
    }
    if management.lost_mode == Some(true) {
        out.push(Finding::LostMode);
    }
    out
}

/// S2, S10, U4 for the mode's app, installed: managed, allowlisted, installed yet. An unknown
/// flag warns; only a known `false` blocks.
fn app_findings(app: &InstalledApp, ios: bool, kiosk: bool, out: &mut Vec<Finding>) {
    let kind = app.app;
    if app.installing {
        out.push(Finding::AppInstalling(kind));
    }
    match app.managed {
        Some(true) if ios => out.push(Finding::IosAppManaged),
        Some(true) => {}
        Some(false) if ios => out.push(Finding::IosAppNotManaged),
        Some(false) => out.push(Finding::AppNotManaged(kind)),
        None => out.push(Finding::AppManagedUnknown(kind)),
    }
    match app.allowlisted {
        Some(true) => {}
        Some(false) => out.push(Finding::AppNotAllowlisted { app: kind, kiosk }),
        None => out.push(Finding::AppAllowlistUnknown { app: kind, kiosk }),
    }
    if app.managed == Some(true) && app.allowlisted == Some(true) && !app.installing {
        out.push(Finding::AppReady(kind));
    }
}

/// A6, U4 on Android: control needs an add-on (allowed in the kiosk on kiosk devices).
fn addon_findings(device: &Device, out: &mut Vec<Finding>) {
    let Some(apps) = &device.apps else {
        out.push(Finding::AddonsUnknown);
        return;
    };
    let addons: Vec<_> = apps.iter().filter(|a| a.app.is_addon()).collect();
    let usable = addons
        .iter()
        .find(|a| !device.kiosk || a.allowlisted == Some(true));
    match usable {
        Some(addon) => out.push(Finding::ControlAvailable(addon.app)),
        None => match addons.iter().find(|a| a.allowlisted.is_none()) {
            Some(unknown) => out.push(Finding::AddonAllowlistUnknown(unknown.app)),
            // An add-on installed but not allowed in the kiosk is said below (U4), not "none".
            None if addons.is_empty() => out.push(Finding::ViewOnlyNoAddon),
            None => {}
        },
    }
    if device.kiosk {
        for addon in addons.iter().filter(|a| a.allowlisted == Some(false)) {
            out.push(Finding::AddonNotAllowlisted(addon.app));
        }
    }
}

/// What a session start knows beyond the device's facts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Circumstances<'a> {
    /// The product's clock (`HELPATWORK_NOW` in tests).
    pub now: chrono::DateTime<chrono::Utc>,
    /// How the configured connector delivers the session (S4).
    pub delivery: Delivery,
    /// Who reported the device's facts.
    pub reporter: Reporter<'a>,
}

/// [`device_findings`], then how the session reaches the device (S4) and whether it is online
/// now: the device side of a preflight. A device that can never be helped in this mode gets no
/// more than its permanent reason.
pub fn session_findings(
    device: &Device,
    mode: Mode,
    now: chrono::DateTime<chrono::Utc>,
    delivery: Delivery,
) -> Vec<Finding> {
    let mut out = device_findings(device, mode);
    if out.iter().any(Finding::is_permanent) {
        return out;
    }
    out.push(Finding::Delivered(delivery));
    out.push(if device.is_online(now) {
        Finding::Online
    } else {
        Finding::Offline(delivery)
    });
    out
}

/// The device side of a preflight, in words.
pub fn session_checks(
    device: &Device,
    mode: Mode,
    circumstances: &Circumstances<'_>,
    lang: Lang,
) -> Vec<Check> {
    session_findings(device, mode, circumstances.now, circumstances.delivery)
        .iter()
        .map(|f| f.to_check(lang, circumstances.reporter))
        .collect()
}

/// The device-side checks for a mode, in words.
pub fn device_checks(
    device: &Device,
    mode: Mode,
    reporter: Reporter<'_>,
    lang: Lang,
) -> Vec<Check> {
    device_findings(device, mode)
        .iter()
        .map(|f| f.to_check(lang, reporter))
        .collect()
}

/// Summarises findings: unsupported if any is permanent, blocked if any blocks, attention if
/// any warns, else ready.
pub fn summarise(findings: &[Finding]) -> Readiness {
    if findings.iter().any(Finding::is_permanent) {
        Readiness::Unsupported
    } else if findings.iter().any(|f| f.status() == CheckStatus::Block) {
        Readiness::Blocked
    } else if findings.iter().any(|f| f.status() == CheckStatus::Warn) {
        Readiness::Attention
    } else {
        Readiness::Ready
    }
}

/// The version of the rules [`readiness`] follows. The store keeps each device's readiness and
/// the version it was computed under; when a start finds an older version it rewrites the
/// devices whose readiness changed (`Store::keep_readiness_current`), and only then: at a
/// million devices that rewrite takes seconds before the window can open.
///
/// Bump it with every change that can give a stored device another readiness.
/// `tests/readiness_rules.rs` pins the rules' answers over thousands of varied devices to this
/// number, so a change that moves any of them fails there until it is bumped.
pub const READINESS_RULES: i64 = 1;

/// The device list's readiness: the default mode's (attended) summary of the device's facts.
/// It does not depend on the time or the connector, so the store keeps it current on write.
pub fn readiness(device: &Device) -> Readiness {
    summarise(&device_findings(device, Mode::Attended))
}

/// One mode's eligibility with the reasons that are not a pass.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ModeEligibility {
    pub mode: Mode,
    pub status: Readiness,
    pub reasons: Vec<String>,
}

pub fn eligibility(device: &Device, reporter: Reporter<'_>, lang: Lang) -> Vec<ModeEligibility> {
    Mode::ALL
        .into_iter()
        .map(|mode| {
            let findings = device_findings(device, mode);
            ModeEligibility {
                mode,
                status: summarise(&findings),
                reasons: findings
                    .iter()
                    .filter(|f| f.status() != CheckStatus::Pass)
                    .map(|f| f.describe(lang, reporter).0)
                    .collect(),
            }
        })
        .collect()
}
