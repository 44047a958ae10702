use super::host::HostState;
use super::*;
use crate::admin::Tier;
use crate::device::{AppKind, DeviceUser, InstalledApp, ManagementFacts, Platform};
use crate::eligibility::{Delivery, Reporter};
use crate::version::Version;

fn now() -> chrono::DateTime<chrono::Utc> {
    "2026-12-06T12:00:00Z".parse().unwrap()
}

fn device(platform: Platform, os: &str) -> Device {
    Device {
        id: "dev-1".into(),
        name: "Ana's phone".into(),
        user: DeviceUser {
            name: "Ana".into(),
            email: "ana@example.com".into(),
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
        apps: Some(vec![
            InstalledApp::known(AppKind::Quicksupport, "15.60.1", true, true),
            InstalledApp::known(AppKind::Host, "15.58.3", true, true),
            InstalledApp::known(AppKind::AddonUniversal, "15.50.1", true, true),
        ]),
        management: ManagementFacts::default(),
        labels: None,
        locale: None,
    }
}

fn facts<'a>(device: &'a Device, mode: Mode) -> PreflightFacts<'a> {
    PreflightFacts {
        device,
        mode,
        tenant: TenantFacts {
            tier: Some(Tier::Platinum),
            mode_active: true,
            host_distributed: true,
        },
        circumstances: Circumstances {
            now: now(),
            delivery: Delivery::ManagedAppConfig,
            reporter: Reporter::FleetFile,
        },
        token: TokenFact::Held,
        desktop: Some(crate::desktop::assess(
            &crate::desktop::DesktopClientFact::Found(Version::new(15, 75, 1)),
            &crate::compat::CompatTable::default(),
            mode.app(),
            Some(&Version::new(15, 60, 1)),
        )),
        host: None,
        holder: None,
        policy: None,
    }
}

fn rules(checks: &[Check]) -> Vec<RuleId> {
    checks.iter().map(|c| c.rule).collect()
}

#[test]
fn every_part_is_checked_once_in_checklist_order() {
    let d = device(Platform::Android, "14");
    let checks = checks(&facts(&d, Mode::Attended), Lang::En);
    assert!(ok(&checks), "{checks:?}");
    let order = rules(&checks);
    let first = |r: RuleId| order.iter().position(|x| *x == r).unwrap();
    assert!(first(RuleId::L1) < first(RuleId::L2), "{order:?}");
    assert!(first(RuleId::L2) < first(RuleId::S3));
    assert!(first(RuleId::S3) < first(RuleId::D3));
    assert_eq!(order.iter().filter(|r| **r == RuleId::S3).count(), 1);
}

#[test]
fn l2_a_reason_no_admin_can_lift_comes_first() {
    let d = device(Platform::Ios, "10.3.3");
    let mut f = facts(&d, Mode::Attended);
    f.tenant.tier = Some(Tier::Gold);
    let checks = checks(&f, Lang::En);
    assert_eq!(checks[0].rule, RuleId::L2, "{checks:?}");
    assert_eq!(checks[0].status, CheckStatus::Block);
    assert!(!ok(&checks));
}

#[test]
fn s3_a_missing_token_warns_with_the_surfaces_fix_and_none_configured_blocks() {
    let d = device(Platform::Android, "14");
    let mut f = facts(&d, Mode::Attended);
    f.token = TokenFact::Missing {
        fix: "Run `helpatwork auth login`.",
    };
    let s3 = checks(&f, Lang::En)
        .into_iter()
        .find(|c| c.rule == RuleId::S3)
        .unwrap();
    assert_eq!(s3.status, CheckStatus::Warn);
    assert_eq!(s3.fix.as_deref(), Some("Run `helpatwork auth login`."));
    f.token = TokenFact::NotConfigured;
    assert!(!ok(&checks(&f, Lang::PtBr)));
}

#[test]
fn the_open_session_names_its_holder_and_blocks() {
    let d = device(Platform::Android, "14");
    let mut f = facts(&d, Mode::Attended);
    f.holder = Some(Holder {
        agent: "bea",
        session: "s123-456-789",
        state: SessionState::Active,
    });
    let c = checks(&f, Lang::En);
    let held = c.iter().find(|c| c.rule == RuleId::OpenSession).unwrap();
    assert_eq!(held.status, CheckStatus::Block);
    assert!(held.message.contains("bea") && held.message.contains("s123-456-789"));
}

#[test]
fn s11_an_unreported_app_version_is_named_as_unknown_not_asked_of_the_device() {
    let mut d = device(Platform::Android, "14");
    d.apps = None;
    let mut f = facts(&d, Mode::Attended);
    f.circumstances.reporter = Reporter::Mdm("Ivanti Neurons for MDM");
    f.desktop = Some(crate::desktop::assess(
        &crate::desktop::DesktopClientFact::Found(Version::new(15, 75, 1)),
        &crate::compat::CompatTable::default(),
        AppKind::Quicksupport,
        None,
    ));
    let s11 = checks(&f, Lang::En)
        .into_iter()
        .find(|c| c.rule == RuleId::S11)
        .unwrap();
    assert_eq!(s11.status, CheckStatus::Warn);
    assert!(s11.message.contains("Ivanti"), "{s11:?}");
}

fn host(matched: bool, assigned: bool, online: Option<&str>) -> HostFacts {
    HostFacts::Read(HostState {
        device_id: "dev-1".into(),
        expected_alias: "Ana's phone [hw:dev-1]".into(),
        matched,
        matched_by: matched.then(|| "alias".into()),
        confirmed_by: None,
        teamviewer_id: matched.then(|| "123456789".into()),
        assigned,
        online_state: online.map(str::to_owned),
        last_seen: Some("2026-12-05T08:00:00Z".into()),
        candidate: (!matched).then(|| "r987654321".into()),
    })
}

#[test]
fn unattended_an_unassigned_host_blocks_with_what_to_do() {
    let unmatched = host::checks(&host(false, false, None), Lang::En);
    assert_eq!(rules(&unmatched), [RuleId::HostAssigned]);
    assert_eq!(unmatched[0].status, CheckStatus::Block);
    assert!(unmatched[0]
        .fix
        .as_deref()
        .unwrap()
        .contains("devices match dev-1 r987654321"));
    let unassigned = host::checks(&host(true, false, None), Lang::PtBr);
    assert_eq!(unassigned[0].status, CheckStatus::Block);
}

#[test]
fn unattended_an_offline_host_warns_with_when_it_was_last_seen() {
    let c = host::checks(&host(true, true, Some("offline")), Lang::En);
    assert_eq!(rules(&c), [RuleId::HostAssigned, RuleId::HostOnline]);
    assert_eq!(c[0].status, CheckStatus::Pass);
    assert_eq!(c[1].status, CheckStatus::Warn);
    assert!(c[1].message.contains("2026-12-05 08:00 UTC"), "{c:?}");
    let online = host::checks(&host(true, true, Some("online")), Lang::En);
    assert!(online.iter().all(|c| c.status == CheckStatus::Pass));
    assert_eq!(
        host::checks(&HostFacts::NotSignedIn, Lang::En)[0].status,
        CheckStatus::Warn
    );
}

#[test]
fn policy_checks_come_last_and_a_policy_block_stops_the_start() {
    use crate::policy::Policy;
    let d = device(Platform::Android, "14");
    let policy: Policy = serde_json::from_str(
        r#"{"name":"Tickets","ticket_pattern":"INC\\d{7}","reason_required":true}"#,
    )
    .unwrap();
    let compiled = [policy.compile().unwrap()];
    let mut f = facts(&d, Mode::Attended);
    f.policy = Some(PolicyFacts {
        policies: &compiled,
        reason: None,
        ticket: None,
        approved_by: None,
    });
    // A preflight before the dialog is filled in: the requirements warn, nothing blocks.
    let before = checks(&f, Lang::En);
    assert!(ok(&before), "{before:?}");
    assert_eq!(
        rules(&before[before.len() - 2..]),
        vec![RuleId::PolicyReason, RuleId::PolicyTicket]
    );
    // The start brings a reason and a wrong ticket: blocked by policy.ticket alone.
    f.policy = f.policy.map(|p| PolicyFacts {
        reason: Some("printer"),
        ticket: Some("REQ1"),
        ..p
    });
    let start = checks(&f, Lang::PtBr);
    assert!(!ok(&start));
    let blocks: Vec<_> = start
        .iter()
        .filter(|c| c.status == CheckStatus::Block)
        .map(|c| c.rule)
        .collect();
    assert_eq!(blocks, vec![RuleId::PolicyTicket]);
}

#[test]
fn u1_a_work_profile_refuses_unattended_with_the_reason_and_allows_attended() {
    use crate::facts::AndroidEnrollment;
    let mut d = device(Platform::Android, "14");
    d.management.android_enrollment = Some(AndroidEnrollment::WorkProfile);
    for lang in [Lang::En, Lang::PtBr] {
        let checks = checks(&facts(&d, Mode::Unattended), lang);
        assert!(!ok(&checks));
        let refusal = checks
            .iter()
            .find(|c| c.rule == RuleId::U1 && c.status == CheckStatus::Block)
            .unwrap_or_else(|| panic!("{checks:?}"));
        assert!(
            refusal.message.contains("work profile")
                || refusal.message.contains("perfil de trabalho"),
            "{}",
            refusal.message
        );
        assert!(refusal.fix.is_some());
    }
    assert!(ok(&checks(&facts(&d, Mode::Attended), Lang::En)));
    for enrollment in [
        AndroidEnrollment::FullyManaged,
        AndroidEnrollment::Dedicated,
    ] {
        d.management.android_enrollment = Some(enrollment);
        assert!(
            ok(&checks(&facts(&d, Mode::Unattended), Lang::En)),
            "{enrollment:?}"
        );
    }
}

#[test]
fn a_label_policy_applies_to_a_labelled_device_only_and_warns_when_labels_are_unknown() {
    use crate::policy::Policy;
    let policy: Policy = serde_json::from_str(
        r#"{"name":"Warehouse tickets","group":{"label":"warehouse"},"ticket_pattern":"INC\\d{7}"}"#,
    )
    .unwrap();
    let compiled = [policy.compile().unwrap()];
    let judge = |labels: Option<Vec<String>>| {
        let mut d = device(Platform::Android, "14");
        d.labels = labels;
        let mut f = facts(&d, Mode::Attended);
        f.policy = Some(PolicyFacts {
            policies: &compiled,
            // A start without a ticket (a start gives both; `None` is a preflight).
            reason: Some("scanner"),
            ticket: Some(""),
            approved_by: None,
        });
        checks(&f, Lang::En)
            .into_iter()
            .filter(|c| matches!(c.rule, RuleId::PolicyTicket | RuleId::PolicyGroup))
            .map(|c| (c.rule, c.status))
            .collect::<Vec<_>>()
    };
    // In the label (case does not matter): the ticket is required, and missing it blocks.
    assert_eq!(
        judge(Some(vec!["Store 12".into(), "Warehouse".into()])),
        vec![(RuleId::PolicyTicket, CheckStatus::Block)]
    );
    // Known to be in other labels, or in none: the policy does not apply.
    assert_eq!(judge(Some(vec!["Store 12".into()])), vec![]);
    assert_eq!(judge(Some(vec![])), vec![]);
    // Labels the source does not report: unknown, a warning, never "not in the label".
    assert_eq!(judge(None), vec![(RuleId::PolicyGroup, CheckStatus::Warn)]);
}
