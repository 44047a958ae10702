//! Bulk fixes from a board group: what each device of the group would get (the dry run), the
//! licences it would take (U3), and whether the connector can do it at all. A run carries out
//! exactly this plan, so the dry run and the run cannot differ. A fix no connector can do says
//! so, and the group's devices go to a CSV for the MDM console (`crates/app`).

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::oem::{AddonChoice, OemAddonTable};
use super::{Blocker, BoardDevice};
use crate::device::{AppKind, Mode, Platform};
use crate::lang::Lang;

/// What the connector can do, as it says of itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FixCapabilities {
    pub distribute_app: bool,
    pub force_checkin: bool,
}

/// One device's change.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[ts(export)]
pub enum FixAction {
    /// Distribute an app (QuickSupport, Host, an add-on) as a managed app; on iOS a
    /// user-installed QuickSupport is taken over as managed by the same distribution (S10).
    Distribute {
        app: AppKind,
        /// The add-on's package (`None`: the app itself).
        package: Option<String>,
    },
    /// Ask the device to check in, so the MDM reports its facts again.
    ForceCheckin,
}

/// One device of the plan: its change, or why it gets none.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct PlannedFix {
    pub device_id: String,
    pub action: Option<FixAction>,
    /// Why the device gets no change (in the plan's language).
    pub skipped: Option<String>,
}

/// The dry run of a group's fix.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct FixPlan {
    pub mode: Mode,
    pub group: Blocker,
    pub devices: Vec<PlannedFix>,
    /// Unattended licences the run would take (U3: one per device Host is distributed to).
    pub licences_needed: u32,
    /// Purchased minus in use; `None` when the fix takes none.
    pub licences_free: Option<u32>,
    /// Why the run cannot go ahead (the connector cannot do it, too few licences); `None`: it can.
    pub refused: Option<String>,
}

/// What a group's fix is, before any device is looked at.
enum Kind {
    Distribute,
    Checkin,
    /// No connector does it: the MDM console, or nothing at all.
    Manual,
}

fn kind(group: Blocker) -> Kind {
    match group {
        Blocker::Quicksupport | Blocker::HostNotDistributed | Blocker::ViewOnly => Kind::Distribute,
        Blocker::HostNotActivated | Blocker::Offline | Blocker::FactsUnknown => Kind::Checkin,
        Blocker::Unsupported | Blocker::Allowlist | Blocker::VersionsApart => Kind::Manual,
    }
}

fn action_for(
    group: Blocker,
    entry: BoardDevice<'_>,
    oem: &OemAddonTable,
    lang: Lang,
) -> Result<FixAction, String> {
    let device = entry.device;
    let distribute = |app| FixAction::Distribute { app, package: None };
    match group {
        Blocker::HostNotDistributed if entry.host_distributed => Err(lang
            .pick(
                "Host is distributed to it and not installed yet: the device reports it when it checks in.",
                "O Host foi distribuído e ainda não está instalado: o dispositivo o informa no próximo check-in.",
            )
            .into()),
        Blocker::Quicksupport => Ok(distribute(AppKind::Quicksupport)),
        Blocker::HostNotDistributed if device.platform == Platform::Android => {
            Ok(distribute(AppKind::Host))
        }
        Blocker::HostNotDistributed => Err(lang
            .pick("Host is Android only.", "O Host é somente Android.")
            .into()),
        Blocker::ViewOnly => match oem.choose(device) {
            AddonChoice::Oem { package, .. } => Ok(FixAction::Distribute {
                app: AppKind::AddonOem,
                package: Some(package),
            }),
            AddonChoice::Universal { package, .. } => Ok(FixAction::Distribute {
                app: AppKind::AddonUniversal,
                package: Some(package),
            }),
            AddonChoice::None => Err(lang
                .pick(
                    "No add-on serves this device (Android older than 7, no add-on of its manufacturer).",
                    "Nenhum add-on atende este dispositivo (Android anterior ao 7, sem add-on do fabricante).",
                )
                .into()),
        },
        _ => Ok(FixAction::ForceCheckin),
    }
}

/// The plan for a group's devices. `licences`: (purchased, in use) unattended licences.
pub fn plan(
    mode: Mode,
    group: Blocker,
    devices: &[BoardDevice<'_>],
    caps: FixCapabilities,
    oem: &OemAddonTable,
    licences: (u32, u32),
    lang: Lang,
) -> FixPlan {
    let refused_kind = match kind(group) {
        Kind::Manual => Some(lang.pick(
            "No connector can fix this: export the devices (CSV) and fix them in the MDM console, or as the group's fix says.",
            "Nenhum conector corrige isto: exporte os dispositivos (CSV) e corrija-os no console do MDM, ou como diz a correção do grupo.",
        )),
        Kind::Distribute if !caps.distribute_app => Some(lang.pick(
            "The connector cannot distribute apps: export the devices (CSV) and distribute in the MDM console.",
            "O conector não distribui aplicativos: exporte os dispositivos (CSV) e distribua no console do MDM.",
        )),
        Kind::Checkin if !caps.force_checkin => Some(lang.pick(
            "The connector cannot force a check-in: export the devices (CSV) and ask for one in the MDM console.",
            "O conector não força check-in: exporte os dispositivos (CSV) e peça um no console do MDM.",
        )),
        _ => None,
    };
    let planned: Vec<PlannedFix> = devices
        .iter()
        .map(|e| match refused_kind {
            Some(_) => PlannedFix {
                device_id: e.device.id.clone(),
                action: None,
                skipped: None,
            },
            None => match action_for(group, *e, oem, lang) {
                Ok(action) => PlannedFix {
                    device_id: e.device.id.clone(),
                    action: Some(action),
                    skipped: None,
                },
                Err(why) => PlannedFix {
                    device_id: e.device.id.clone(),
                    action: None,
                    skipped: Some(why),
                },
            },
        })
        .collect();
    let licences_needed = planned
        .iter()
        .filter(|p| {
            matches!(
                p.action,
                Some(FixAction::Distribute {
                    app: AppKind::Host,
                    ..
                })
            )
        })
        .count() as u32;
    let free = licences.0.saturating_sub(licences.1);
    let refused = refused_kind.map(str::to_owned).or_else(|| {
        (licences_needed > free).then(|| match lang {
            Lang::En => format!(
                "The fix takes {licences_needed} unattended licences; {free} are free (U3). Buy more or fix fewer devices."
            ),
            Lang::PtBr => format!(
                "A correção usa {licences_needed} licenças autônomas; há {free} livres (U3). Compre mais ou corrija menos dispositivos."
            ),
        })
    });
    FixPlan {
        mode,
        group,
        devices: planned,
        licences_needed,
        licences_free: (licences_needed > 0).then_some(free),
        refused,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::device::{Device, DeviceUser, ManagementFacts};

    fn e(device: &Device, host_distributed: bool) -> BoardDevice<'_> {
        BoardDevice {
            device,
            host_distributed,
        }
    }

    fn device(id: &str, platform: Platform, os: &str, manufacturer: &str) -> Device {
        Device {
            labels: None,
            locale: None,
            id: id.into(),
            name: format!("=cmd {id}"),
            user: DeviceUser {
                name: "A".into(),
                email: "a@example.com".into(),
            },
            platform,
            os_version: os.into(),
            manufacturer: manufacturer.into(),
            model: "M, 1".into(),
            kiosk: false,
            mam_only: false,
            online: true,
            last_checkin: "2026-12-06T12:00:00Z".parse().unwrap(),
            host_activated: None,
            apps: Some(vec![]),
            management: ManagementFacts::default(),
        }
    }

    const ALL: FixCapabilities = FixCapabilities {
        distribute_app: true,
        force_checkin: true,
    };

    #[test]
    fn a6_view_only_devices_get_the_add_on_of_their_manufacturer() {
        let oem = OemAddonTable::default();
        let (s, a, old) = (
            device("s", Platform::Android, "14", "Samsung"),
            device("a", Platform::Android, "14", "Acme"),
            device("o", Platform::Android, "6.0", "Acme"),
        );
        let p = plan(
            Mode::Attended,
            Blocker::ViewOnly,
            &[e(&s, false), e(&a, false), e(&old, false)],
            ALL,
            &oem,
            (0, 0),
            Lang::En,
        );
        assert_eq!(p.refused, None);
        assert_eq!(
            p.devices[0].action,
            Some(FixAction::Distribute {
                app: AppKind::AddonOem,
                package: Some("com.teamviewer.quicksupport.addon.samsung".into())
            })
        );
        assert!(matches!(
            p.devices[1].action,
            Some(FixAction::Distribute {
                app: AppKind::AddonUniversal,
                ..
            })
        ));
        assert_eq!(p.devices[2].action, None);
        assert!(p.devices[2]
            .skipped
            .as_deref()
            .unwrap()
            .contains("older than 7"));
        assert_eq!(p.licences_needed, 0);
        assert_eq!(p.licences_free, None);
    }

    #[test]
    fn u3_host_takes_a_licence_each_and_is_refused_beyond_the_free_ones() {
        let oem = OemAddonTable::default();
        let (a, b) = (
            device("a", Platform::Android, "14", "Acme"),
            device("b", Platform::Android, "14", "Acme"),
        );
        let fits = plan(
            Mode::Unattended,
            Blocker::HostNotDistributed,
            &[e(&a, false), e(&b, false)],
            ALL,
            &oem,
            (10, 8),
            Lang::En,
        );
        assert_eq!(
            (
                fits.licences_needed,
                fits.licences_free,
                fits.refused.clone()
            ),
            (2, Some(2), None)
        );
        let over = plan(
            Mode::Unattended,
            Blocker::HostNotDistributed,
            &[e(&a, false), e(&b, false)],
            ALL,
            &oem,
            (10, 9),
            Lang::PtBr,
        );
        assert!(over.refused.unwrap().contains("U3"));
        let held = plan(
            Mode::Unattended,
            Blocker::HostNotDistributed,
            &[e(&a, true), e(&b, false)],
            ALL,
            &oem,
            (10, 9),
            Lang::En,
        );
        assert_eq!(
            (held.licences_needed, held.refused.clone()),
            (1, None),
            "a device holding a licence takes no other"
        );
        assert!(held.devices[0]
            .skipped
            .as_deref()
            .unwrap()
            .contains("checks in"));
    }

    #[test]
    fn a_fix_the_connector_cannot_do_says_so_and_plans_nothing() {
        let oem = OemAddonTable::default();
        let a = device("a", Platform::Android, "14", "Acme");
        let none = FixCapabilities {
            distribute_app: false,
            force_checkin: false,
        };
        for (group, caps) in [
            (Blocker::Quicksupport, none),
            (Blocker::Offline, none),
            (Blocker::Allowlist, ALL),
            (Blocker::Unsupported, ALL),
            (Blocker::VersionsApart, ALL),
        ] {
            let p = plan(
                Mode::Attended,
                group,
                &[e(&a, false)],
                caps,
                &oem,
                (0, 0),
                Lang::En,
            );
            assert!(p.refused.as_deref().unwrap().contains("CSV"), "{group:?}");
            assert_eq!(p.devices[0].action, None, "{group:?}");
        }
        let p = plan(
            Mode::Attended,
            Blocker::Offline,
            &[e(&a, false)],
            ALL,
            &oem,
            (0, 0),
            Lang::En,
        );
        assert_eq!(p.devices[0].action, Some(FixAction::ForceCheckin));
    }
}
