//! The product rules, one test per rule id (`docs/rules.md`).

use helpatwork_domain::eligibility::{
    device_checks, eligibility, readiness, remote_action, session_checks,
};
use helpatwork_domain::{
    AppKind, CheckStatus, Circumstances, Delivery, Device, DeviceUser, InstalledApp, Lang,
    ManagementFacts, Mode, Platform, Readiness, RemoteActionKind, Reporter,
};

const FILE: Reporter<'static> = Reporter::FleetFile;

fn app(app: AppKind) -> InstalledApp {
    InstalledApp::known(app, "15.60.1", true, true)
}

fn apps(d: &mut Device) -> &mut Vec<InstalledApp> {
    d.apps.as_mut().expect("known apps")
}

fn android() -> Device {
    Device {
        id: "and-1".into(),
        name: "Ana's Galaxy".into(),
        user: DeviceUser {
            name: "Ana Souza".into(),
            email: "ana@example.com".into(),
        },
        platform: Platform::Android,
        os_version: "14".into(),
        manufacturer: "Samsung".into(),
        model: "Galaxy S23".into(),
        kiosk: false,
        mam_only: false,
        online: true,
        last_checkin: "2026-11-20T10:00:00Z".parse().unwrap(),
        host_activated: Some(true),
        apps: Some(vec![
            app(AppKind::Quicksupport),
            app(AppKind::Host),
            app(AppKind::AddonOem),
        ]),
        management: ManagementFacts::default(),
        labels: None,
        locale: None,
    }
}

fn ios(version: &str) -> Device {
    Device {
        id: "ios-1".into(),
        platform: Platform::Ios,
        os_version: version.into(),
        manufacturer: "Apple".into(),
        model: "iPhone 15".into(),
        apps: Some(vec![app(AppKind::Quicksupport)]),
        host_activated: Some(false),
        ..android()
    }
}

fn status_of(device: &Device, mode: Mode, rule: &str) -> Vec<CheckStatus> {
    device_checks(device, mode, FILE, Lang::En)
        .into_iter()
        .filter(|c| c.rule == rule)
        .map(|c| c.status)
        .collect()
}

#[test]
fn l2_android_is_supported() {
    assert_eq!(readiness(&android()), Readiness::Ready);
    assert!(remote_action(&android(), Lang::En).enabled);
}

#[test]
fn l2_ios_11_0_is_the_boundary() {
    assert_eq!(readiness(&ios("11.0")), Readiness::Ready);
    assert_eq!(readiness(&ios("11")), Readiness::Ready);
    assert_eq!(readiness(&ios("10.3.3")), Readiness::Unsupported);
    assert_eq!(readiness(&ios("10.3.4")), Readiness::Unsupported);
    let action = remote_action(&ios("10.3.3"), Lang::En);
    assert!(!action.enabled);
    assert!(action.disabled_reason.unwrap().contains("iOS 10.3.3"));
}

#[test]
fn l2_mam_only_ios_is_not_supported() {
    let mut d = ios("17.6");
    d.mam_only = true;
    assert_eq!(readiness(&d), Readiness::Unsupported);
    let action = remote_action(&d, Lang::En);
    assert!(!action.enabled);
    assert!(action.disabled_reason.unwrap().contains("MAM-only"));
}

#[test]
fn l2_other_platforms_are_not_eligible() {
    for platform in [Platform::Windows, Platform::Macos, Platform::Other] {
        let d = Device {
            platform,
            ..android()
        };
        assert_eq!(readiness(&d), Readiness::Unsupported, "{platform:?}");
        assert!(!remote_action(&d, Lang::En).enabled);
    }
}

#[test]
fn l2_unreadable_ios_version_is_not_assumed_supported() {
    assert_eq!(readiness(&ios("seventeen")), Readiness::Unsupported);
}

#[test]
fn s1_android_offers_remote_control_and_ios_remote_view() {
    assert_eq!(
        remote_action(&android(), Lang::En).kind,
        RemoteActionKind::RemoteControl
    );
    assert_eq!(
        remote_action(&ios("17.0"), Lang::En).kind,
        RemoteActionKind::RemoteView
    );
    assert_eq!(
        RemoteActionKind::RemoteControl.label(Lang::En),
        "Start TeamViewer remote control"
    );
    assert_eq!(RemoteActionKind::RemoteView.label(Lang::En), "Remote view");
    assert_eq!(
        RemoteActionKind::RemoteControl.label(Lang::PtBr),
        "Iniciar controle remoto do TeamViewer"
    );
    assert_eq!(
        RemoteActionKind::RemoteView.label(Lang::PtBr),
        "Exibição remota"
    );
}

#[test]
fn s2_unattended_is_android_only() {
    assert_eq!(
        status_of(&ios("17.0"), Mode::Unattended, "S2"),
        vec![CheckStatus::Block]
    );
    let e = eligibility(&ios("17.0"), FILE, Lang::En);
    assert_eq!(e[1].mode, Mode::Unattended);
    assert_eq!(e[1].status, Readiness::Unsupported);
}

#[test]
fn s2_attended_needs_quicksupport_allowlisted() {
    let mut d = android();
    apps(&mut d)[0].allowlisted = Some(false);
    assert_eq!(
        status_of(&d, Mode::Attended, "S2"),
        vec![CheckStatus::Block]
    );
    assert_eq!(readiness(&d), Readiness::Blocked);
}

#[test]
fn s2_unattended_needs_host() {
    let mut d = android();
    apps(&mut d).retain(|a| a.app != AppKind::Host);
    assert_eq!(
        status_of(&d, Mode::Unattended, "S2"),
        vec![CheckStatus::Block]
    );
}

#[test]
fn s10_android_missing_quicksupport_is_a_warning() {
    let mut d = android();
    apps(&mut d).retain(|a| a.app != AppKind::Quicksupport);
    assert_eq!(
        status_of(&d, Mode::Attended, "S10"),
        vec![CheckStatus::Warn]
    );
    assert_eq!(readiness(&d), Readiness::Attention);
}

#[test]
fn s10_ios_missing_quicksupport_blocks_with_app_catalog_fix() {
    let mut d = ios("17.0");
    apps(&mut d).clear();
    let checks = device_checks(&d, Mode::Attended, FILE, Lang::En);
    let c = checks.iter().find(|c| c.rule == "S10").unwrap();
    assert_eq!(c.status, CheckStatus::Block);
    assert!(c.fix.as_deref().unwrap().contains("App Catalog"));
}

#[test]
fn s10_ios_unmanaged_quicksupport_must_be_converted() {
    let mut d = ios("17.0");
    apps(&mut d)[0].managed = Some(false);
    let checks = device_checks(&d, Mode::Attended, FILE, Lang::En);
    let c = checks.iter().find(|c| c.rule == "S10").unwrap();
    assert_eq!(c.status, CheckStatus::Block);
    assert!(c.fix.as_deref().unwrap().contains("managed app"));
}

#[test]
fn u2_host_needs_one_time_activation() {
    let mut d = android();
    d.host_activated = Some(false);
    assert_eq!(
        status_of(&d, Mode::Unattended, "U2"),
        vec![CheckStatus::Block]
    );
    assert!(
        status_of(&d, Mode::Attended, "U2").is_empty(),
        "attended does not need Host"
    );
}

#[test]
fn u4_kiosk_needs_host_and_addons_allowed() {
    let mut d = android();
    d.kiosk = true;
    for a in apps(&mut d).iter_mut() {
        a.allowlisted = Some(false);
    }
    let u4 = status_of(&d, Mode::Unattended, "U4");
    assert!(
        u4.len() >= 2 && u4.iter().all(|s| *s == CheckStatus::Block),
        "{u4:?}"
    );
}

#[test]
fn u4_a_kiosk_addon_not_allowlisted_is_not_called_missing() {
    // Hardening finding 19: the add-on is installed, only not allowed in the kiosk.
    let mut d = android();
    d.kiosk = true;
    for a in d.apps.iter_mut().flatten().filter(|a| a.app.is_addon()) {
        a.allowlisted = Some(false);
    }
    let checks = device_checks(&d, Mode::Attended, FILE, Lang::En);
    assert!(
        !checks
            .iter()
            .any(|c| c.message.contains("No control add-on")),
        "{checks:?}"
    );
    let u4: Vec<_> = checks.iter().filter(|c| c.rule == "U4").collect();
    assert!(
        !u4.is_empty()
            && u4.iter().all(|c| c.status == CheckStatus::Block
                && c.message.contains("not allowed in the kiosk")),
        "{u4:?}"
    );
}

#[test]
fn l4_device_owner_kiosk_is_supported() {
    let mut d = android();
    d.kiosk = true;
    assert_eq!(readiness(&d), Readiness::Ready);
}

#[test]
fn a6_without_addon_the_session_is_view_only() {
    let mut d = android();
    apps(&mut d).retain(|a| !a.app.is_addon());
    assert_eq!(status_of(&d, Mode::Attended, "A6"), vec![CheckStatus::Warn]);
    assert_eq!(
        status_of(&android(), Mode::Attended, "A6"),
        vec![CheckStatus::Pass]
    );
}

#[test]
fn s7_google_pixel_warns_about_consent_every_session() {
    let d = Device {
        manufacturer: "Google".into(),
        model: "Pixel 8".into(),
        ..android()
    };
    assert_eq!(status_of(&d, Mode::Attended, "S7"), vec![CheckStatus::Warn]);
    assert!(status_of(&android(), Mode::Attended, "S7").is_empty());
}

#[test]
fn s8_attended_preflight_reminds_to_keep_quicksupport_running() {
    // A reminder on every attended start, never a warning or a block (no MDM reports it).
    assert_eq!(
        status_of(&android(), Mode::Attended, "S8"),
        vec![CheckStatus::Pass]
    );
    let pixel = Device {
        manufacturer: "Google".into(),
        model: "Pixel 8".into(),
        ..android()
    };
    assert_eq!(
        status_of(&pixel, Mode::Attended, "S8"),
        vec![CheckStatus::Pass]
    );
    assert!(
        status_of(&android(), Mode::Unattended, "S8").is_empty(),
        "Host, not QuickSupport"
    );
}

fn at(d: &Device, hours_after_checkin: i64, delivery: Delivery) -> Circumstances<'static> {
    Circumstances {
        now: d.last_checkin + chrono::Duration::hours(hours_after_checkin),
        delivery,
        reporter: FILE,
    }
}

#[test]
fn online_is_computed_from_the_last_checkin_and_the_clock() {
    let d = android();
    let status = |c: &Circumstances| -> Vec<CheckStatus> {
        session_checks(&d, Mode::Attended, c, Lang::En)
            .into_iter()
            .filter(|c| c.rule == "online")
            .map(|c| c.status)
            .collect()
    };
    assert_eq!(
        status(&at(&d, 23, Delivery::ManagedAppConfig)),
        vec![CheckStatus::Pass]
    );
    assert_eq!(
        status(&at(&d, 25, Delivery::ManagedAppConfig)),
        vec![CheckStatus::Warn]
    );
    let unreachable = Device {
        online: false,
        ..android()
    };
    assert!(!unreachable.is_online(unreachable.last_checkin));
    // Readiness never depends on the time: it is stored and indexed.
    assert_eq!(readiness(&d), Readiness::Ready);
    assert_eq!(readiness(&unreachable), Readiness::Ready);
}

#[test]
fn s4_preflight_says_how_the_session_reaches_the_device() {
    let d = android();
    let check = |delivery| session_checks(&d, Mode::Attended, &at(&d, 48, delivery), Lang::En);
    let config = check(Delivery::ManagedAppConfig);
    let s4 = config.iter().find(|c| c.rule == "S4").unwrap();
    assert_eq!(s4.status, CheckStatus::Pass);
    let offline = config.iter().find(|c| c.rule == "online").unwrap();
    assert!(offline.message.contains("next check-in"), "{offline:?}");

    let link = check(Delivery::EndCustomerLink);
    let s4 = link.iter().find(|c| c.rule == "S4").unwrap();
    assert_eq!(s4.status, CheckStatus::Warn);
    assert!(s4.message.contains("end-customer link"), "{s4:?}");
    let offline = link.iter().find(|c| c.rule == "online").unwrap();
    assert!(!offline.message.contains("check-in"), "{offline:?}");
    assert!(offline
        .fix
        .as_deref()
        .unwrap()
        .contains("end-customer link"));
}

#[test]
fn every_non_pass_check_has_words_in_both_languages() {
    let mut d = android();
    d.kiosk = true;
    d.online = false;
    d.host_activated = Some(false);
    d.management.jailbroken = Some(true);
    d.management.quarantined = Some(true);
    d.management.lost_mode = Some(true);
    d.apps = Some(vec![InstalledApp {
        allowlisted: Some(false),
        managed: Some(false),
        installing: true,
        ..app(AppKind::Host)
    }]);
    let mut unknown = android();
    unknown.apps = None;
    unknown.host_activated = None;
    let mut flags = android();
    flags.kiosk = true;
    for a in apps(&mut flags) {
        a.managed = None;
        a.allowlisted = None;
    }
    for device in [&d, &unknown, &flags] {
        for reporter in [FILE, Reporter::Mdm("Ivanti Neurons for MDM")] {
            for delivery in [Delivery::ManagedAppConfig, Delivery::EndCustomerLink] {
                for lang in [Lang::En, Lang::PtBr] {
                    for mode in Mode::ALL {
                        let c = Circumstances {
                            reporter,
                            ..at(device, 30, delivery)
                        };
                        for c in session_checks(device, mode, &c, lang) {
                            assert!(!c.message.is_empty());
                            if c.status != CheckStatus::Pass {
                                assert!(
                                    c.fix.as_deref().is_some_and(|f| !f.is_empty()),
                                    "{c:?} needs a fix"
                                );
                            }
                        }
                    }
                }
            }
        }
    }
}
