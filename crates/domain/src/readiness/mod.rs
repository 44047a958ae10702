//! The fleet readiness board: for each mode, how many devices can be helped now, and the rest
//! grouped by what stops or degrades a session (a [`Blocker`]).
//!
//! Nothing here is a second copy of a rule. Each device is judged by the findings its own
//! preflight would give: the device side (`crate::eligibility::session_findings`, the same
//! function `crate::preflight::checks` puts into words), the unattended licence
//! (`crate::admin::holds_unattended_licence`, U3), the desktop client against the device's app
//! (`crate::desktop::assess`, S11), looked at only where the device side does not block (as the
//! app's preflight does). What is the same for every device (the tenant's tier and activation,
//! the agent's TeamViewer token, the desktop client being there at all) is checked once with
//! `crate::admin::tenant_checks`, the token check and D3, and kept as the mode's `fleet_blocks`.
//! A property test (`tests.rs`) holds the board's counts to `crate::preflight::checks` run on
//! every device of generated fleets.

pub mod fix;
mod oem;
#[cfg(test)]
mod tests;
mod words;

pub use oem::{AddonChoice, OemAddonEntry, OemAddonTable, OemTableError, DEFAULT_OEM_ADDONS_JSON};

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::admin::{holds_unattended_licence, tenant_checks, TenantFacts};
use crate::compat::CompatTable;
use crate::desktop::{assess, DesktopClientFact, DesktopFinding};
use crate::device::{AppKind, Device, Mode};
use crate::eligibility::{session_findings, Check, CheckStatus, Delivery, Finding};
use crate::lang::Lang;
use crate::preflight::TokenFact;
use crate::rules::RuleId;
use crate::version::Version;

/// The offline group's default: devices not checked in for more than this many days.
pub const DEFAULT_OFFLINE_DAYS: u32 = 7;

/// What stops or degrades a session on a device, as the board groups devices. A device is in
/// every group whose finding its preflight gives.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum Blocker {
    /// L2 (and unattended on iOS, S2): never supported in this mode.
    Unsupported,
    /// S2, S10: QuickSupport missing (iOS: from the App Catalog; Android: the user is prompted
    /// to download it) or installed unmanaged.
    Quicksupport,
    /// U3, S2: Host not distributed to the device (no unattended licence), missing or unmanaged.
    HostNotDistributed,
    /// U2: Host installed but its one-time activation not done.
    HostNotActivated,
    /// S2, U4: the mode's app or an add-on is not allowlisted (in the kiosk on kiosk devices).
    Allowlist,
    /// S11: the desktop client is older than the device's app needs.
    VersionsApart,
    /// A6: no control add-on, so the session is view only.
    ViewOnly,
    /// Not checked in for more than the board's offline days.
    Offline,
    /// A fact the MDM (or the fleet file) does not report: the apps, an app's flags or version,
    /// Host's activation, the add-ons.
    FactsUnknown,
}

impl Blocker {
    pub const ALL: [Blocker; 9] = [
        Blocker::Unsupported,
        Blocker::Quicksupport,
        Blocker::HostNotDistributed,
        Blocker::HostNotActivated,
        Blocker::Allowlist,
        Blocker::VersionsApart,
        Blocker::ViewOnly,
        Blocker::Offline,
        Blocker::FactsUnknown,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Blocker::Unsupported => "unsupported",
            Blocker::Quicksupport => "quicksupport",
            Blocker::HostNotDistributed => "host_not_distributed",
            Blocker::HostNotActivated => "host_not_activated",
            Blocker::Allowlist => "allowlist",
            Blocker::VersionsApart => "versions_apart",
            Blocker::ViewOnly => "view_only",
            Blocker::Offline => "offline",
            Blocker::FactsUnknown => "facts_unknown",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|b| b.as_str() == text)
    }

    /// The group's devices cannot start a session until it is fixed (else the session starts,
    /// degraded or unconfirmed).
    pub fn blocks(self) -> bool {
        !matches!(
            self,
            Blocker::ViewOnly | Blocker::Offline | Blocker::FactsUnknown
        )
    }

    /// The rules of the preflight checks that put a device in this group.
    pub fn rules(self) -> &'static [RuleId] {
        match self {
            Blocker::Unsupported => &[RuleId::L2, RuleId::S2],
            Blocker::Quicksupport => &[RuleId::S2, RuleId::S10],
            Blocker::HostNotDistributed => &[RuleId::U3, RuleId::S2],
            Blocker::HostNotActivated => &[RuleId::U2],
            Blocker::Allowlist => &[RuleId::S2, RuleId::U4],
            Blocker::VersionsApart => &[RuleId::S11],
            Blocker::ViewOnly => &[RuleId::A6],
            Blocker::Offline => &[RuleId::Online],
            Blocker::FactsUnknown => &[
                RuleId::S2,
                RuleId::S10,
                RuleId::S11,
                RuleId::U2,
                RuleId::U4,
                RuleId::A6,
            ],
        }
    }

    /// The group of a device-side finding, if it is one the board counts.
    pub fn of_finding(finding: &Finding) -> Option<Blocker> {
        use Finding::*;
        Some(match finding {
            PlatformNotSupported(_)
            | IosTooOld(_)
            | IosVersionUnknown(_)
            | IosMamOnly
            | UnattendedNeedsAndroid => Blocker::Unsupported,
            IosAppMissing | IosAppNotManaged | QuickSupportWillBePrompted => Blocker::Quicksupport,
            AppMissing(AppKind::Quicksupport) | AppNotManaged(AppKind::Quicksupport) => {
                Blocker::Quicksupport
            }
            AppMissing(_) | AppNotManaged(_) => Blocker::HostNotDistributed,
            HostNotActivated => Blocker::HostNotActivated,
            AppNotAllowlisted { .. } | AddonNotAllowlisted(_) => Blocker::Allowlist,
            ViewOnlyNoAddon => Blocker::ViewOnly,
            AppsUnknown(_)
            | AppManagedUnknown(_)
            | AppAllowlistUnknown { .. }
            | AppVersionUnknown(_)
            | HostActivationUnknown
            | AddonsUnknown
            | AddonAllowlistUnknown(_) => Blocker::FactsUnknown,
            // Offline is grouped by how long (`Verdict::of`); the rest pass or warn without a
            // fix the board offers (Pixel consent, jailbreak, quarantine, lost mode, installing).
            _ => return None,
        })
    }
}

/// What is the same for every device of the fleet when the board is drawn.
#[derive(Debug, Clone)]
pub struct FleetFacts<'a> {
    /// The tenant's tier and the activation of each mode (`host_distributed` is per device).
    pub tier: Option<crate::admin::Tier>,
    pub attended_active: bool,
    pub unattended_active: bool,
    pub token: TokenFact<'a>,
    /// The desktop client on the agent's PC and the S11 table.
    pub desktop: &'a DesktopClientFact,
    pub compat: &'a CompatTable,
    pub now: chrono::DateTime<chrono::Utc>,
    pub delivery: Delivery,
    /// The offline group holds devices not checked in for more than this many days.
    pub offline_days: u32,
}

impl FleetFacts<'_> {
    fn tenant(&self, mode: Mode, host_distributed: bool) -> TenantFacts {
        TenantFacts {
            tier: self.tier,
            mode_active: match mode {
                Mode::Attended => self.attended_active,
                Mode::Unattended => self.unattended_active,
            },
            host_distributed,
        }
    }
}

/// One device as the board needs it.
#[derive(Debug, Clone, Copy)]
pub struct BoardDevice<'a> {
    pub device: &'a Device,
    /// Host is distributed to it (U3), as the store keeps it.
    pub host_distributed: bool,
}

/// One device in one mode: whether its own findings let a session start now, and its groups.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verdict {
    /// No finding of the device blocks and it is online now (the fleet's blocks aside).
    pub helpable_now: bool,
    /// Sorted, each once.
    pub blockers: Vec<Blocker>,
}

impl Verdict {
    /// The device's verdict in this mode, from the findings its preflight gives.
    pub fn of(entry: BoardDevice<'_>, mode: Mode, fleet: &FleetFacts<'_>) -> Verdict {
        let device = entry.device;
        let findings = session_findings(device, mode, fleet.now, fleet.delivery);
        let mut blocked = findings.iter().any(|f| f.status() == CheckStatus::Block);
        let mut blockers: Vec<Blocker> = findings.iter().filter_map(Blocker::of_finding).collect();
        let mut online = false;
        for finding in &findings {
            match finding {
                Finding::Online => online = true,
                Finding::Offline(_) if offline_too_long(device, fleet) => {
                    blockers.push(Blocker::Offline)
                }
                _ => {}
            }
        }
        if mode == Mode::Unattended
            && !holds_unattended_licence(&fleet.tenant(mode, entry.host_distributed))
        {
            blocked = true;
            // A device that can never be unattended (iOS) is in the unsupported group only:
            // Host is not distributed to it.
            if !findings.iter().any(Finding::is_permanent) {
                blockers.push(Blocker::HostNotDistributed);
            }
        }
        // The desktop client is judged against the device's app only where the device side
        // does not block (`crates/app/src/session/preflight.rs` does the same).
        if !findings.iter().any(|f| f.status() == CheckStatus::Block) {
            for finding in desktop_findings(device, mode, fleet) {
                match finding {
                    DesktopFinding::TooOld { .. } => {
                        blocked = true;
                        blockers.push(Blocker::VersionsApart);
                    }
                    DesktopFinding::DeviceAppVersionUnknown { .. } => {
                        blockers.push(Blocker::FactsUnknown)
                    }
                    f if f.status() == CheckStatus::Block => blocked = true,
                    _ => {}
                }
            }
        }
        blockers.sort_unstable();
        blockers.dedup();
        Verdict {
            helpable_now: !blocked && online,
            blockers,
        }
    }
}

fn offline_too_long(device: &Device, fleet: &FleetFacts<'_>) -> bool {
    fleet.now.signed_duration_since(device.last_checkin)
        > chrono::TimeDelta::days(i64::from(fleet.offline_days))
}

/// S11 (with D3) for the device's app, as the app's preflight assesses it.
pub fn desktop_findings(
    device: &Device,
    mode: Mode,
    fleet: &FleetFacts<'_>,
) -> Vec<DesktopFinding> {
    let version = device
        .app(mode.app())
        .and_then(|a| a.version.as_deref())
        .and_then(|v| Version::parse(v).ok());
    assess(fleet.desktop, fleet.compat, mode.app(), version.as_ref())
}

/// What blocks every device in a mode: the tenant (L1, A1 / U1), the agent's TeamViewer token
/// (S3), the desktop client (D3). Empty when none does.
pub fn fleet_blocks(mode: Mode, fleet: &FleetFacts<'_>, lang: Lang) -> Vec<Check> {
    let mut out: Vec<Check> = tenant_checks(&fleet.tenant(mode, true), mode, lang);
    out.push(crate::preflight::token_check(fleet.token, lang));
    if let Some(d3) = assess(fleet.desktop, fleet.compat, mode.app(), None)
        .into_iter()
        .find(|f| f.rule() == RuleId::D3)
    {
        out.push(d3.to_check(lang));
    }
    out.retain(|c| c.status == CheckStatus::Block);
    out
}

/// One group of a mode's board.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct BoardGroup {
    pub blocker: Blocker,
    /// The group's devices cannot start a session until it is fixed.
    pub blocks: bool,
    pub count: u32,
    /// `count` over the fleet's devices, 0 to 1.
    pub share: f64,
    /// What the group means and how it is fixed, in the board's language.
    pub label: String,
    pub fix: String,
}

/// One mode's board.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ModeBoard {
    pub mode: Mode,
    pub total: u32,
    /// Devices a session can start on now (0 while a fleet block stands).
    pub helpable_now: u32,
    /// What blocks every device in this mode (tenant, token, desktop client).
    pub fleet_blocks: Vec<Check>,
    /// Every group with at least one device, in [`Blocker::ALL`]'s order.
    pub groups: Vec<BoardGroup>,
}

/// Counts verdicts as they come, one per device, for one mode.
#[derive(Debug, Clone, Default)]
pub struct Tally {
    pub total: u32,
    pub helpable_now: u32,
    pub counts: [u32; Blocker::ALL.len()],
}

impl Tally {
    pub fn add(&mut self, verdict: &Verdict) {
        self.total += 1;
        self.helpable_now += u32::from(verdict.helpable_now);
        for b in &verdict.blockers {
            self.counts[*b as usize] += 1;
        }
    }

    pub fn count(&self, blocker: Blocker) -> u32 {
        self.counts[blocker as usize]
    }

    /// The mode's board, worded in `lang`.
    pub fn board(&self, mode: Mode, fleet_blocks: Vec<Check>, lang: Lang) -> ModeBoard {
        let groups = Blocker::ALL
            .into_iter()
            .filter(|b| self.count(*b) > 0)
            .map(|b| {
                let (label, fix) = b.words(mode, lang);
                BoardGroup {
                    blocker: b,
                    blocks: b.blocks(),
                    count: self.count(b),
                    share: f64::from(self.count(b)) / f64::from(self.total.max(1)),
                    label: label.into(),
                    fix: fix.into(),
                }
            })
            .collect();
        ModeBoard {
            mode,
            total: self.total,
            helpable_now: if fleet_blocks.is_empty() {
                self.helpable_now
            } else {
                0
            },
            fleet_blocks,
            groups,
        }
    }
}

/// The board for both modes over the fleet.
pub fn board<'a>(
    devices: impl IntoIterator<Item = BoardDevice<'a>>,
    fleet: &FleetFacts<'_>,
    lang: Lang,
) -> Vec<ModeBoard> {
    let mut tallies = [Tally::default(), Tally::default()];
    for entry in devices {
        for (i, mode) in Mode::ALL.into_iter().enumerate() {
            tallies[i].add(&Verdict::of(entry, mode, fleet));
        }
    }
    Mode::ALL
        .into_iter()
        .zip(tallies)
        .map(|(mode, tally)| tally.board(mode, fleet_blocks(mode, fleet, lang), lang))
        .collect()
}
