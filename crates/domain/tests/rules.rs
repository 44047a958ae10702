//! The product rules, one test per rule id (spec: ../shared/spec/help-at-work.md).

use helpatwork_domain::eligibility::{device_checks, eligibility, readiness, remote_action};
use helpatwork_domain::{
    AppKind, CheckStatus, Device, DeviceUser, InstalledApp, Lang, Mode, Platform, Readiness,
    RemoteActionKind,
};

fn app(app: AppKind) -> InstalledApp {
    InstalledApp {
        app,
        version: "15.60.1".into(),
        managed: true,
        allowlisted: true,
    }
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
        host_activated: true,
        apps: vec![
            app(AppKind::Quicksupport),
            app(AppKind::Host),
            app(AppKind::AddonOem),
        ],
    }
}

fn ios(version: &str) -> Device {
    Device {
        id: "ios-1".into(),
        platform: Platform::Ios,
        os_version: version.into(),
        manufacturer: "Apple".into(),
        model: "iPhone 15".into(),
        apps: vec![app(AppKind::Quicksupport)],
        host_activated: false,
        ..android()
    }
}

fn status_of(device: &Device, mode: Mode, rule: &str) -> Vec<CheckStatus> {
    device_checks(device, mode, Lang::En)
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
    let e = eligibility(&ios("17.0"), Lang::En);
    assert_eq!(e[1].mode, Mode::Unattended);
    assert_eq!(e[1].status, Readiness::Unsupported);
}

#[test]
fn s2_attended_needs_quicksupport_allowlisted() {
    let mut d = android();
    d.apps[0].allowlisted = false;
    assert_eq!(
        status_of(&d, Mode::Attended, "S2"),
        vec![CheckStatus::Block]
    );
    assert_eq!(readiness(&d), Readiness::Blocked);
}

#[test]
fn s2_unattended_needs_host() {
    let mut d = android();
    d.apps.retain(|a| a.app != AppKind::Host);
    assert_eq!(
        status_of(&d, Mode::Unattended, "S2"),
        vec![CheckStatus::Block]
    );
}

#[test]
fn s10_android_missing_quicksupport_is_a_warning() {
    let mut d = android();
    d.apps.retain(|a| a.app != AppKind::Quicksupport);
    assert_eq!(
        status_of(&d, Mode::Attended, "S10"),
        vec![CheckStatus::Warn]
    );
    assert_eq!(readiness(&d), Readiness::Attention);
}

#[test]
fn s10_ios_missing_quicksupport_blocks_with_app_catalog_fix() {
    let mut d = ios("17.0");
    d.apps.clear();
    let checks = device_checks(&d, Mode::Attended, Lang::En);
    let c = checks.iter().find(|c| c.rule == "S10").unwrap();
    assert_eq!(c.status, CheckStatus::Block);
    assert!(c.fix.as_deref().unwrap().contains("App Catalog"));
}

#[test]
fn s10_ios_unmanaged_quicksupport_must_be_converted() {
    let mut d = ios("17.0");
    d.apps[0].managed = false;
    let checks = device_checks(&d, Mode::Attended, Lang::En);
    let c = checks.iter().find(|c| c.rule == "S10").unwrap();
    assert_eq!(c.status, CheckStatus::Block);
    assert!(c.fix.as_deref().unwrap().contains("managed app"));
}

#[test]
fn u2_host_needs_one_time_activation() {
    let mut d = android();
    d.host_activated = false;
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
    for a in d.apps.iter_mut() {
        a.allowlisted = false;
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
    for a in d.apps.iter_mut().filter(|a| a.app.is_addon()) {
        a.allowlisted = false;
    }
    let checks = device_checks(&d, Mode::Attended, Lang::En);
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
    d.apps.retain(|a| !a.app.is_addon());
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
fn offline_device_is_a_warning() {
    let d = Device {
        online: false,
        ..android()
    };
    assert_eq!(
        status_of(&d, Mode::Attended, "online"),
        vec![CheckStatus::Warn]
    );
}

#[test]
fn every_non_pass_check_has_words_in_both_languages() {
    let mut d = android();
    d.kiosk = true;
    d.online = false;
    d.host_activated = false;
    d.apps = vec![InstalledApp {
        allowlisted: false,
        managed: false,
        ..app(AppKind::Host)
    }];
    for lang in [Lang::En, Lang::PtBr] {
        for mode in Mode::ALL {
            for c in device_checks(&d, mode, lang) {
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
