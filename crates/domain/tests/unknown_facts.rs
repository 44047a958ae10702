//! A fact a source cannot report is unknown, not false: a warning that says it cannot be
//! verified and where to check it, never a block or a statement that something is missing.

use helpatwork_domain::eligibility::{device_checks, readiness};
use helpatwork_domain::{
    AppKind, Check, CheckStatus, Device, DeviceUser, InstalledApp, Lang, ManagementFacts, Mode,
    Platform, Readiness, Reporter,
};

const IVANTI: Reporter<'static> = Reporter::Mdm("Ivanti Neurons for MDM");

/// An iOS device as Ivanti's device search reports it: no installed apps, no Host activation.
fn ios_from_ivanti() -> Device {
    Device {
        id: "1000007".into(),
        name: "Bruno's iPhone".into(),
        user: DeviceUser {
            name: "Bruno Lima".into(),
            email: "bruno@example.com".into(),
        },
        platform: Platform::Ios,
        os_version: "17.5.1".into(),
        manufacturer: "Apple".into(),
        model: "iPhone 15".into(),
        kiosk: false,
        mam_only: false,
        online: true,
        last_checkin: "2026-12-01T10:00:00Z".parse().unwrap(),
        host_activated: None,
        apps: None,
        management: ManagementFacts::default(),
        labels: None,
        locale: None,
    }
}

fn android_from_ivanti() -> Device {
    Device {
        id: "1000001".into(),
        platform: Platform::Android,
        os_version: "14".into(),
        manufacturer: "samsung".into(),
        model: "Galaxy S23".into(),
        ..ios_from_ivanti()
    }
}

fn checks(d: &Device, mode: Mode, lang: Lang) -> Vec<Check> {
    device_checks(d, mode, IVANTI, lang)
}

fn no_blocks(checks: &[Check]) {
    let blocks: Vec<_> = checks
        .iter()
        .filter(|c| c.status == CheckStatus::Block)
        .collect();
    assert!(blocks.is_empty(), "{blocks:#?}");
}

#[test]
fn s10_ios_with_unknown_apps_is_a_warning_that_names_the_mdm() {
    let d = ios_from_ivanti();
    for lang in [Lang::En, Lang::PtBr] {
        let all = checks(&d, Mode::Attended, lang);
        no_blocks(&all);
        let s10 = all.iter().find(|c| c.rule == "S10").expect("S10");
        assert_eq!(s10.status, CheckStatus::Warn);
        assert!(s10.message.contains("Ivanti Neurons for MDM"), "{s10:?}");
        assert!(s10
            .fix
            .as_deref()
            .unwrap()
            .contains("Ivanti Neurons for MDM"));
        for c in &all {
            assert!(!c.message.contains("is not installed"), "{c:?}");
            assert!(!c.message.contains("não está instalado"), "{c:?}");
        }
    }
    assert_eq!(readiness(&d), Readiness::Attention);
}

#[test]
fn s10_ios_with_managed_quicksupport_passes() {
    let mut d = ios_from_ivanti();
    d.apps = Some(vec![InstalledApp {
        app: AppKind::Quicksupport,
        version: Some("15.59.0".into()),
        managed: Some(true),
        allowlisted: None,
        installing: false,
    }]);
    let all = checks(&d, Mode::Attended, Lang::En);
    no_blocks(&all);
    let s10: Vec<_> = all.iter().filter(|c| c.rule == "S10").collect();
    assert_eq!(s10.len(), 1, "{s10:?}");
    assert_eq!(s10[0].status, CheckStatus::Pass);
}

#[test]
fn a_known_false_still_blocks() {
    let mut d = ios_from_ivanti();
    d.apps = Some(vec![InstalledApp::known(
        AppKind::Quicksupport,
        "15.59.0",
        false,
        true,
    )]);
    let s10 = checks(&d, Mode::Attended, Lang::En)
        .into_iter()
        .find(|c| c.rule == "S10")
        .unwrap();
    assert_eq!(s10.status, CheckStatus::Block);
    d.apps = Some(Vec::new());
    assert_eq!(
        readiness(&d),
        Readiness::Blocked,
        "known missing on iOS blocks"
    );
}

#[test]
fn android_with_unknown_apps_warns_on_quicksupport_and_addons() {
    let d = android_from_ivanti();
    let all = checks(&d, Mode::Attended, Lang::En);
    no_blocks(&all);
    let status = |rule: &str| -> Vec<CheckStatus> {
        all.iter()
            .filter(|c| c.rule == rule)
            .map(|c| c.status)
            .collect()
    };
    assert_eq!(status("S10"), vec![CheckStatus::Warn]);
    assert_eq!(status("A6"), vec![CheckStatus::Warn]);
    for c in &all {
        assert!(
            !c.message.contains("No control add-on is installed"),
            "{c:?}"
        );
    }
}

#[test]
fn u2_unknown_host_activation_is_a_warning() {
    let mut d = android_from_ivanti();
    d.apps = Some(vec![InstalledApp {
        app: AppKind::Host,
        version: None,
        managed: Some(true),
        allowlisted: None,
        installing: false,
    }]);
    let all = checks(&d, Mode::Unattended, Lang::En);
    no_blocks(&all);
    let u2 = all.iter().find(|c| c.rule == "U2").unwrap();
    assert_eq!(u2.status, CheckStatus::Warn);
    assert!(u2.message.contains("cannot be verified"), "{u2:?}");
}

#[test]
fn kiosk_addon_with_unknown_allowlist_warns_instead_of_blocking() {
    let mut d = android_from_ivanti();
    d.kiosk = true;
    d.apps = Some(vec![
        InstalledApp::known(AppKind::Quicksupport, "15.60.1", true, true),
        InstalledApp {
            allowlisted: None,
            ..InstalledApp::known(AppKind::AddonUniversal, "15.50.1", true, true)
        },
    ]);
    let all = checks(&d, Mode::Attended, Lang::En);
    no_blocks(&all);
    assert!(all
        .iter()
        .any(|c| c.rule == "U4" && c.status == CheckStatus::Warn));
}

#[test]
fn an_app_still_installing_is_a_warning() {
    let mut d = ios_from_ivanti();
    d.apps = Some(vec![InstalledApp {
        installing: true,
        ..InstalledApp::known(AppKind::Quicksupport, "15.59.0", true, true)
    }]);
    let all = checks(&d, Mode::Attended, Lang::En);
    no_blocks(&all);
    assert!(all.iter().any(|c| c.rule == "S10"
        && c.status == CheckStatus::Warn
        && c.message.contains("being installed")));
}

#[test]
fn jailbroken_quarantined_and_lost_devices_are_warnings_with_a_fix() {
    let mut d = android_from_ivanti();
    d.management.jailbroken = Some(true);
    d.management.quarantined = Some(true);
    d.management.lost_mode = Some(true);
    for lang in [Lang::En, Lang::PtBr] {
        let all = checks(&d, Mode::Attended, lang);
        for rule in ["jailbroken", "quarantined", "lost_mode"] {
            let c = all.iter().find(|c| c.rule == rule).expect(rule);
            assert_eq!(c.status, CheckStatus::Warn);
            assert!(c.fix.is_some());
        }
    }
    d.management.jailbroken = None;
    d.management.quarantined = Some(false);
    d.management.lost_mode = None;
    let all = checks(&d, Mode::Attended, Lang::En);
    assert!(!all
        .iter()
        .any(|c| ["jailbroken", "quarantined", "lost_mode"].contains(&c.rule.as_str())));
}
