//! What a device can do with Help@Work, from its own facts alone.
//!
//! `device_checks` evaluates the device-side rules (L2, S2, S7, S10, U2, U4, A6) for one mode
//! and returns them as checks; the session preflight adds the tenant, integration, token and
//! desktop-client checks on top of these. `Readiness` is the one-word summary the device list
//! shows and filters on.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::device::{AppKind, Device, Mode, Platform};
use crate::lang::Lang;
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

/// One evaluated rule: `{"rule":"S11","status":"pass|warn|block","message","fix"}` (design.md).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Check {
    /// The spec rule id the check enforces (`L2`, `S10`, …) or a short name (`online`).
    pub rule: String,
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
    /// It can start, with warnings (QuickSupport will be downloaded, view only, offline, Pixel consent).
    Attention,
    /// Something fixable stops it (app missing on iOS, Host not activated, not allowlisted).
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
    /// S2: the mode's app is installed, managed and allowlisted.
    AppReady(AppKind),
    /// S10: Android prompts the user to download QuickSupport.
    QuickSupportWillBePrompted,
    /// S10: iOS needs QuickSupport from the App Catalog.
    IosAppMissing,
    /// S10: iOS QuickSupport installed by the user must be converted to a managed app.
    IosAppNotManaged,
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
    Online,
    Offline,
}

impl Finding {
    pub fn rule(&self) -> &'static str {
        use Finding::*;
        match self {
            PlatformSupported
            | PlatformNotSupported(_)
            | IosTooOld(_)
            | IosVersionUnknown(_)
            | IosMamOnly => "L2",
            UnattendedNeedsAndroid => "S2",
            AppReady(_) | AppMissing(_) | AppNotManaged(_) => "S2",
            QuickSupportWillBePrompted | IosAppMissing | IosAppNotManaged => "S10",
            AppNotAllowlisted { kiosk: true, .. } | AddonNotAllowlisted(_) => "U4",
            AppNotAllowlisted { kiosk: false, .. } => "S2",
            HostNotActivated | HostActivated => "U2",
            ControlAvailable(_) | ViewOnlyNoAddon | IosViewOnly => "A6",
            PixelConsentEverySession => "S7",
            Online | Offline => "online",
        }
    }

    pub fn status(&self) -> CheckStatus {
        use Finding::*;
        match self {
            PlatformSupported | AppReady(_) | HostActivated | ControlAvailable(_) | Online
            | IosViewOnly => CheckStatus::Pass,
            QuickSupportWillBePrompted
            | ViewOnlyNoAddon
            | PixelConsentEverySession
            | Offline
            | AppNotManaged(_) => CheckStatus::Warn,
            PlatformNotSupported(_)
            | IosTooOld(_)
            | IosVersionUnknown(_)
            | IosMamOnly
            | UnattendedNeedsAndroid
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

    /// The finding as words for the user: a message and, when something can be done, the fix.
    pub fn describe(&self, lang: Lang) -> (String, Option<String>) {
        use Finding::*;
        let t = |en: &str, pt: &str| lang.pick(en, pt).to_string();
        match self {
            PlatformSupported => (t("The platform is supported.", "A plataforma é compatível."), None),
            PlatformNotSupported(p) => (
                match lang {
                    Lang::En => format!("{} devices are not supported: Help@Work supports Android and iOS 11.0 or later.", p.display_name()),
                    Lang::PtBr => format!("Dispositivos {} não são compatíveis: o Help@Work oferece suporte a Android e iOS 11.0 ou posterior.", p.display_name()),
                },
                None,
            ),
            IosTooOld(v) => (
                match lang {
                    Lang::En => format!("iOS {v} is not supported: Help@Work needs iOS 11.0 or later."),
                    Lang::PtBr => format!("O iOS {v} não é compatível: o Help@Work requer iOS 11.0 ou posterior."),
                },
                Some(t("Update the device to iOS 11.0 or later.", "Atualize o dispositivo para o iOS 11.0 ou posterior.")),
            ),
            IosVersionUnknown(v) => (
                match lang {
                    Lang::En => format!("The iOS version \"{v}\" cannot be read, so support cannot be confirmed."),
                    Lang::PtBr => format!("A versão do iOS \"{v}\" não pode ser lida; a compatibilidade não pode ser confirmada."),
                },
                Some(t("Force a check-in so the device reports its iOS version.", "Force um check-in para que o dispositivo informe a versão do iOS.")),
            ),
            IosMamOnly => (
                t("iOS devices enrolled MAM-only are not supported.", "Dispositivos iOS registrados somente com MAM não são compatíveis."),
                Some(t("Enroll the device in full MDM to use Help@Work.", "Registre o dispositivo no MDM completo para usar o Help@Work.")),
            ),
            UnattendedNeedsAndroid => (
                t("Unattended mode is available on Android only.", "O modo autônomo está disponível apenas no Android."),
                Some(t("Use attended mode.", "Use o modo assistido.")),
            ),
            AppReady(app) => (
                match lang {
                    Lang::En => format!("{} is installed, managed and allowlisted.", app.display_name()),
                    Lang::PtBr => format!("{} está instalado, gerenciado e na lista de permissões.", app.display_name()),
                },
                None,
            ),
            QuickSupportWillBePrompted => (
                t("QuickSupport is not installed: the user will be prompted to download it.", "O QuickSupport não está instalado: o usuário será solicitado a baixá-lo."),
                Some(t("Distribute QuickSupport to the device.", "Distribua o QuickSupport para o dispositivo.")),
            ),
            IosAppMissing => (
                t("QuickSupport is not installed: on iOS it must come from the App Catalog.", "O QuickSupport não está instalado: no iOS ele deve vir do Catálogo de aplicativos."),
                Some(t("Distribute QuickSupport from the App Catalog.", "Distribua o QuickSupport pelo Catálogo de aplicativos.")),
            ),
            IosAppNotManaged => (
                t("QuickSupport was installed by the user and is not managed.", "O QuickSupport foi instalado pelo usuário e não é gerenciado."),
                Some(t("Convert QuickSupport to a managed app.", "Converta o QuickSupport em um aplicativo gerenciado.")),
            ),
            AppMissing(app) => (
                match lang {
                    Lang::En => format!("{} is not installed.", app.display_name()),
                    Lang::PtBr => format!("{} não está instalado.", app.display_name()),
                },
                Some(match lang {
                    Lang::En => format!("Distribute {} to the device.", app.display_name()),
                    Lang::PtBr => format!("Distribua o {} para o dispositivo.", app.display_name()),
                }),
            ),
            AppNotManaged(app) => (
                match lang {
                    Lang::En => format!("{} is installed but not managed.", app.display_name()),
                    Lang::PtBr => format!("{} está instalado, mas não é gerenciado.", app.display_name()),
                },
                Some(match lang {
                    Lang::En => format!("Distribute {} through the MDM so it becomes managed.", app.display_name()),
                    Lang::PtBr => format!("Distribua o {} pelo MDM para que ele seja gerenciado.", app.display_name()),
                }),
            ),
            AppNotAllowlisted { app, kiosk } => (
                match (lang, kiosk) {
                    (Lang::En, true) => format!("{} is not allowed in the kiosk.", app.display_name()),
                    (Lang::En, false) => format!("{} is not allowlisted on the device.", app.display_name()),
                    (Lang::PtBr, true) => format!("{} não é permitido no quiosque.", app.display_name()),
                    (Lang::PtBr, false) => format!("{} não está na lista de permissões do dispositivo.", app.display_name()),
                },
                Some(match (lang, kiosk) {
                    (Lang::En, true) => format!("Allow {} in the device's kiosk policy.", app.display_name()),
                    (Lang::En, false) => format!("Add {} to the device's app allowlist.", app.display_name()),
                    (Lang::PtBr, true) => format!("Permita o {} na política de quiosque do dispositivo.", app.display_name()),
                    (Lang::PtBr, false) => format!("Adicione o {} à lista de permissões do dispositivo.", app.display_name()),
                }),
            ),
            HostNotActivated => (
                t("TeamViewer Host has not had its one-time activation on the device.", "O TeamViewer Host ainda não teve a ativação única no dispositivo."),
                Some(t("Ask the user to open Host once and grant the permission, or set Host's auto-start parameters in its managed app configuration.", "Peça ao usuário para abrir o Host uma vez e conceder a permissão, ou defina os parâmetros de início automático do Host na configuração de aplicativo gerenciado.")),
            ),
            HostActivated => (t("TeamViewer Host is activated on the device.", "O TeamViewer Host está ativado no dispositivo."), None),
            ControlAvailable(addon) => (
                match lang {
                    Lang::En => format!("Remote control is available ({}).", addon.display_name()),
                    Lang::PtBr => format!("O controle remoto está disponível ({}).", addon.display_name()),
                },
                None,
            ),
            ViewOnlyNoAddon => (
                t("No control add-on is installed: the session will be view only.", "Nenhum complemento de controle está instalado: a sessão será somente de visualização."),
                Some(t("Distribute the universal add-on or the device's OEM add-on.", "Distribua o complemento universal ou o complemento OEM do dispositivo.")),
            ),
            AddonNotAllowlisted(addon) => (
                match lang {
                    Lang::En => format!("{} is not allowed in the kiosk.", addon.display_name()),
                    Lang::PtBr => format!("{} não é permitido no quiosque.", addon.display_name()),
                },
                Some(match lang {
                    Lang::En => format!("Allow {} in the device's kiosk policy.", addon.display_name()),
                    Lang::PtBr => format!("Permita o {} na política de quiosque do dispositivo.", addon.display_name()),
                }),
            ),
            IosViewOnly => (t("iOS sessions are view only (screen sharing).", "Sessões no iOS são somente de visualização (compartilhamento de tela)."), None),
            PixelConsentEverySession => (
                t("Google Pixel devices do not keep the permission: the user must give consent in this session.", "Dispositivos Google Pixel não mantêm a permissão: o usuário precisa dar o consentimento nesta sessão."),
                Some(t("Tell the user to accept the screen-sharing prompt.", "Avise o usuário para aceitar a solicitação de compartilhamento de tela.")),
            ),
            Online => (t("The device is online.", "O dispositivo está on-line."), None),
            Offline => (
                t("The device is offline: it will get the session at its next check-in.", "O dispositivo está off-line: ele receberá a sessão no próximo check-in."),
                Some(t("Force a check-in or ask the user to connect the device.", "Force um check-in ou peça ao usuário para conectar o dispositivo.")),
            ),
        }
    }

    pub fn to_check(&self, lang: Lang) -> Check {
        let (message, fix) = self.describe(lang);
        Check {
            rule: self.rule().to_string(),
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

/// Every device-side finding for a mode, in the order the checklist shows them.
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

    let kind = mode.app();
    match device.app(kind) {
        None if ios => out.push(Finding::IosAppMissing),
        None if kind == AppKind::Quicksupport => out.push(Finding::QuickSupportWillBePrompted),
        None => out.push(Finding::AppMissing(kind)),
        Some(app) => {
            if !app.managed {
                out.push(if ios {
                    Finding::IosAppNotManaged
                } else {
                    Finding::AppNotManaged(kind)
                });
            }
            if !app.allowlisted {
                out.push(Finding::AppNotAllowlisted {
                    app: kind,
                    kiosk: device.kiosk,
                });
            }
            if app.managed && app.allowlisted {
                out.push(Finding::AppReady(kind));
            }
        }
    }

    if mode == Mode::Unattended {
        out.push(if device.host_activated {
            Finding::HostActivated
        } else {
            Finding::HostNotActivated
        });
    }

    if ios {
        out.push(Finding::IosViewOnly);
    } else {
        let addons: Vec<_> = device.apps.iter().filter(|a| a.app.is_addon()).collect();
        match addons.iter().find(|a| a.allowlisted || !device.kiosk) {
            Some(addon) => out.push(Finding::ControlAvailable(addon.app)),
            // An add-on installed but not allowed in the kiosk is said below (U4), not "none".
            None if addons.is_empty() => out.push(Finding::ViewOnlyNoAddon),
            None => {}
        }
        if device.kiosk {
            for addon in addons.iter().filter(|a| !a.allowlisted) {
                out.push(Finding::AddonNotAllowlisted(addon.app));
            }
        }
        if device.is_google_pixel() {
            out.push(Finding::PixelConsentEverySession);
        }
    }

    out.push(if device.online {
        Finding::Online
    } else {
        Finding::Offline
    });
    out
}

/// The device-side checks for a mode, in words.
pub fn device_checks(device: &Device, mode: Mode, lang: Lang) -> Vec<Check> {
    device_findings(device, mode)
        .iter()
        .map(|f| f.to_check(lang))
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

/// The device list's readiness: the default mode's (attended) summary.
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

pub fn eligibility(device: &Device, lang: Lang) -> Vec<ModeEligibility> {
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
                    .map(|f| f.describe(lang).0)
                    .collect(),
            }
        })
        .collect()
}

/// What the Actions menu's remote item is on this device (S1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum RemoteActionKind {
    /// "Start TeamViewer remote control" (Android).
    RemoteControl,
    /// "Remote view" (iOS).
    RemoteView,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct RemoteAction {
    pub kind: RemoteActionKind,
    pub enabled: bool,
    pub disabled_reason: Option<String>,
}

impl RemoteActionKind {
    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            RemoteActionKind::RemoteControl => lang.pick(
                "Start TeamViewer remote control",
                "Iniciar controle remoto do TeamViewer",
            ),
            RemoteActionKind::RemoteView => lang.pick("Remote view", "Exibição remota"),
        }
    }
}

/// S1: Android shows "Start TeamViewer remote control", iOS "Remote view"; L2: disabled with the
/// reason on devices that can never be supported.
pub fn remote_action(device: &Device, lang: Lang) -> RemoteAction {
    let kind = match device.platform {
        Platform::Ios => RemoteActionKind::RemoteView,
        _ => RemoteActionKind::RemoteControl,
    };
    match platform_support(device) {
        Ok(()) => RemoteAction {
            kind,
            enabled: true,
            disabled_reason: None,
        },
        Err(reason) => RemoteAction {
            kind,
            enabled: false,
            disabled_reason: Some(reason.describe(lang).0),
        },
    }
}
