//! The board against the preflight: over generated fleets, the counts equal
//! `crate::preflight::checks` run on every device.

use proptest::prelude::*;

use super::*;
use crate::admin::Tier;
use crate::device::{DeviceUser, InstalledApp, ManagementFacts, Platform};
use crate::preflight::{self, PreflightFacts};
use crate::Circumstances;
use crate::Reporter;

fn now() -> chrono::DateTime<chrono::Utc> {
    "2026-12-06T12:00:00Z".parse().unwrap()
}

fn opt_bool() -> impl Strategy<Value = Option<bool>> {
    prop_oneof![Just(None), Just(Some(true)), Just(Some(false))]
}

fn app(kind: AppKind) -> impl Strategy<Value = Option<InstalledApp>> {
    let version = prop_oneof![
        Just(None),
        Just(Some("14.2".to_string())),
        Just(Some("15.60.1".to_string())),
        Just(Some("16.1".to_string())),
    ];
    prop_oneof![
        1 => Just(None),
        3 => (version, opt_bool(), opt_bool(), proptest::bool::weighted(0.1)).prop_map(
            move |(version, managed, allowlisted, installing)| Some(InstalledApp {
                app: kind,
                version,
                managed,
                allowlisted,
                installing,
            })
        ),
    ]
}

fn device() -> impl Strategy<Value = (Device, bool)> {
    let platform = prop_oneof![
        6 => Just(Platform::Android),
        3 => Just(Platform::Ios),
        1 => Just(Platform::Windows),
    ];
    let os = prop_oneof![Just("9"), Just("14"), Just("17.1"), Just("10.3"), Just("x")];
    let oem = prop_oneof![
        Just(("Samsung", "Galaxy S23")),
        Just(("Google", "Pixel 8")),
        Just(("Acme", "R1")),
    ];
    let apps = prop_oneof![
        1 => Just(None),
        5 => (
            app(AppKind::Quicksupport),
            app(AppKind::Host),
            app(AppKind::AddonUniversal),
            app(AppKind::AddonOem),
        )
            .prop_map(|(a, b, c, d)| Some([a, b, c, d].into_iter().flatten().collect())),
    ];
    (
        (
            platform,
            os,
            oem,
            proptest::bool::ANY,
            proptest::bool::weighted(0.05),
        ),
        (
            proptest::bool::weighted(0.8),
            0i64..40 * 24,
            opt_bool(),
            apps,
        ),
        (opt_bool(), opt_bool(), proptest::bool::ANY),
    )
        .prop_map(
            |(
                (platform, os, (manufacturer, model), kiosk, mam_only),
                (online, hours, host_activated, apps),
                (jailbroken, quarantined, host_distributed),
            )| {
                let management = ManagementFacts {
                    jailbroken,
                    quarantined,
                    ..ManagementFacts::default()
                };
                let device = Device {
                    labels: None,
                    locale: None,
                    id: "d".into(),
                    name: "d".into(),
                    user: DeviceUser {
                        name: "A".into(),
                        email: "a@example.com".into(),
                    },
                    platform,
                    os_version: os.into(),
                    manufacturer: manufacturer.into(),
                    model: model.into(),
                    kiosk,
                    mam_only,
                    online,
                    last_checkin: now() - chrono::TimeDelta::hours(hours),
                    host_activated,
                    apps,
                    management,
                };
                (device, host_distributed)
            },
        )
}

fn fleet_facts<'a>(desktop: &'a DesktopClientFact, compat: &'a CompatTable) -> FleetFacts<'a> {
    FleetFacts {
        tier: Some(Tier::Platinum),
        attended_active: true,
        unattended_active: true,
        token: TokenFact::Held,
        desktop,
        compat,
        now: now(),
        delivery: Delivery::ManagedAppConfig,
        offline_days: 7,
    }
}

/// The full preflight of one device, its facts gathered as `crates/app/src/session/preflight.rs`
/// gathers them (the desktop client only where the device side does not block).
fn preflight_of(
    device: &Device,
    host_distributed: bool,
    mode: Mode,
    fleet: &FleetFacts<'_>,
) -> Vec<Check> {
    let circumstances = Circumstances {
        now: fleet.now,
        delivery: fleet.delivery,
        reporter: Reporter::FleetFile,
    };
    let device_ok = !preflight::device_side_blocks(device, mode, &circumstances);
    let facts = PreflightFacts {
        device,
        mode,
        tenant: fleet.tenant(mode, host_distributed),
        circumstances,
        token: fleet.token,
        desktop: device_ok.then(|| desktop_findings(device, mode, fleet)),
        host: None,
        holder: None,
        policy: None,
    };
    preflight::checks(&facts, Lang::En)
}

fn non_pass(checks: &[Check], rules: &[RuleId]) -> bool {
    checks
        .iter()
        .any(|c| c.status != CheckStatus::Pass && rules.contains(&c.rule))
}

fn count(checks: &[Vec<Check>], pred: impl Fn(&[Check]) -> bool) -> u32 {
    checks.iter().filter(|c| pred(c)).count() as u32
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn the_boards_counts_equal_the_preflight_of_every_device(
        fleet in proptest::collection::vec(device(), 0..60),
        desktop_major in 14u32..17,
    ) {
        let desktop = DesktopClientFact::Found(Version::new(desktop_major, 0, 0));
        let compat = CompatTable::default();
        let facts = fleet_facts(&desktop, &compat);
        let boards = board(
            fleet.iter().map(|(device, host_distributed)| BoardDevice { device, host_distributed: *host_distributed }),
            &facts,
            Lang::En,
        );
        for (mode, b) in Mode::ALL.into_iter().zip(&boards) {
            prop_assert_eq!(b.mode, mode);
            prop_assert_eq!(b.total as usize, fleet.len());
            prop_assert!(b.fleet_blocks.is_empty());
            let checks: Vec<Vec<Check>> = fleet
                .iter()
                .map(|(d, h)| preflight_of(d, *h, mode, &facts))
                .collect();
            // Helped now: the preflight passes and the device is online.
            let helpable = count(&checks, |c| {
                preflight::ok(c)
                    && c.iter().any(|c| c.rule == RuleId::Online && c.status == CheckStatus::Pass)
            });
            prop_assert_eq!(b.helpable_now, helpable, "{:?}", mode);
            let group = |blocker: Blocker| {
                b.groups.iter().find(|g| g.blocker == blocker).map_or(0, |g| g.count)
            };
            // One rule, one group: the count equals the devices whose preflight says it.
            let blocked_by = |rule: RuleId| count(&checks, |c| {
                c.iter().any(|c| c.rule == rule && c.status == CheckStatus::Block)
            });
            prop_assert_eq!(group(Blocker::VersionsApart), blocked_by(RuleId::S11));
            prop_assert_eq!(group(Blocker::HostNotActivated), blocked_by(RuleId::U2));
            prop_assert_eq!(
                group(Blocker::Offline),
                fleet.iter().zip(&checks).filter(|((d, _), c)| {
                    non_pass(c, &[RuleId::Online])
                        && now() - d.last_checkin > chrono::TimeDelta::days(7)
                }).count() as u32
            );
            if mode == Mode::Attended {
                prop_assert_eq!(
                    group(Blocker::Unsupported),
                    count(&checks, |c| non_pass(c, &[RuleId::L2]))
                );
            }
            // Every group's device has a check of the group's rules that is not a pass, and
            // every device the preflight blocks is in a group that blocks.
            for (verdict, c) in fleet.iter().map(|(d, h)| {
                Verdict::of(BoardDevice { device: d, host_distributed: *h }, mode, &facts)
            }).zip(&checks) {
                for blocker in &verdict.blockers {
                    prop_assert!(non_pass(c, blocker.rules()), "{:?} {:?}", blocker, c);
                }
                if !preflight::ok(c) {
                    prop_assert!(verdict.blockers.iter().any(|b| b.blocks()), "{:?}", c);
                }
            }
            for g in &b.groups {
                prop_assert!(g.count > 0);
                prop_assert!((g.share - f64::from(g.count) / fleet.len() as f64).abs() < 1e-9);
            }
        }
    }
}

fn one(apps: Vec<InstalledApp>, platform: Platform, os: &str) -> Device {
    Device {
        labels: None,
        locale: None,
        id: "d".into(),
        name: "d".into(),
        user: DeviceUser {
            name: "A".into(),
            email: "a@example.com".into(),
        },
        platform,
        os_version: os.into(),
        manufacturer: "Samsung".into(),
        model: "Galaxy S23".into(),
        kiosk: false,
        mam_only: false,
        online: true,
        last_checkin: now(),
        host_activated: Some(true),
        apps: Some(apps),
        management: ManagementFacts::default(),
    }
}

fn blockers(device: &Device, mode: Mode, host_distributed: bool) -> Vec<Blocker> {
    let desktop = DesktopClientFact::Found(Version::new(15, 75, 1));
    let compat = CompatTable::default();
    let facts = fleet_facts(&desktop, &compat);
    Verdict::of(
        BoardDevice {
            device,
            host_distributed,
        },
        mode,
        &facts,
    )
    .blockers
}

#[test]
fn each_group_holds_the_devices_its_preflight_names() {
    let qs = InstalledApp::known(AppKind::Quicksupport, "15.60.1", true, true);
    let host = InstalledApp::known(AppKind::Host, "15.60.1", true, true);
    let addon = InstalledApp::known(AppKind::AddonUniversal, "15.60.1", true, true);
    let ready = one(
        vec![qs.clone(), host.clone(), addon.clone()],
        Platform::Android,
        "14",
    );
    assert_eq!(blockers(&ready, Mode::Attended, true), vec![]);
    assert_eq!(blockers(&ready, Mode::Unattended, true), vec![]);
    assert_eq!(
        blockers(&ready, Mode::Unattended, false),
        vec![Blocker::HostNotDistributed],
        "U3"
    );
    let view_only = one(vec![qs.clone()], Platform::Android, "14");
    assert_eq!(
        blockers(&view_only, Mode::Attended, true),
        vec![Blocker::ViewOnly]
    );
    let ios_missing = one(vec![], Platform::Ios, "17.1");
    assert_eq!(
        blockers(&ios_missing, Mode::Attended, true),
        vec![Blocker::Quicksupport]
    );
    assert_eq!(
        blockers(&ios_missing, Mode::Unattended, true),
        vec![Blocker::Unsupported]
    );
    assert_eq!(
        blockers(&ios_missing, Mode::Unattended, false),
        vec![Blocker::Unsupported],
        "Host is never distributed to iOS: unsupported only"
    );
    let mut kiosk = one(
        vec![
            InstalledApp::known(AppKind::Quicksupport, "15.60.1", true, false),
            addon.clone(),
        ],
        Platform::Android,
        "14",
    );
    kiosk.kiosk = true;
    assert_eq!(
        blockers(&kiosk, Mode::Attended, true),
        vec![Blocker::Allowlist]
    );
    let newer = one(
        vec![
            InstalledApp::known(AppKind::Quicksupport, "16.1", true, true),
            addon.clone(),
        ],
        Platform::Android,
        "14",
    );
    assert_eq!(
        blockers(&newer, Mode::Attended, true),
        vec![Blocker::VersionsApart],
        "S11: a 15 desktop client for a 16 QuickSupport"
    );
    let mut unknown = ready.clone();
    unknown.apps = None;
    assert_eq!(
        blockers(&unknown, Mode::Attended, true),
        vec![Blocker::FactsUnknown]
    );
    let mut gone = ready.clone();
    gone.last_checkin = now() - chrono::TimeDelta::days(8);
    assert_eq!(
        blockers(&gone, Mode::Attended, true),
        vec![Blocker::Offline]
    );
    gone.last_checkin = now() - chrono::TimeDelta::days(3);
    assert_eq!(
        blockers(&gone, Mode::Attended, true),
        vec![],
        "offline fewer days than the board's: not grouped, not helpable now"
    );
}

#[test]
fn a_fleet_block_leaves_no_device_helpable_and_says_why() {
    let desktop = DesktopClientFact::Missing;
    let compat = CompatTable::default();
    let mut facts = fleet_facts(&desktop, &compat);
    facts.tier = Some(Tier::Gold);
    let d = one(
        vec![InstalledApp::known(
            AppKind::Quicksupport,
            "15.60.1",
            true,
            true,
        )],
        Platform::Android,
        "14",
    );
    let boards = board(
        [BoardDevice {
            device: &d,
            host_distributed: true,
        }],
        &facts,
        Lang::PtBr,
    );
    let rules: Vec<RuleId> = boards[0].fleet_blocks.iter().map(|c| c.rule).collect();
    assert_eq!(rules, vec![RuleId::L1, RuleId::D3]);
    assert_eq!(boards[0].helpable_now, 0);
    assert!(boards[0].fleet_blocks[0].message.contains("Platinum"));
}

#[test]
fn every_group_is_worded_in_both_languages() {
    for b in Blocker::ALL {
        assert_eq!(Blocker::parse(b.as_str()), Some(b));
        assert_eq!(
            serde_json::to_string(&b).unwrap(),
            format!("\"{}\"", b.as_str())
        );
        for mode in Mode::ALL {
            let (en, en_fix) = b.words(mode, Lang::En);
            let (pt, pt_fix) = b.words(mode, Lang::PtBr);
            assert!(en != pt && en_fix != pt_fix, "{b:?}");
        }
    }
}
