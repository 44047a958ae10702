use chrono::{DateTime, Utc};

use super::*;
use crate::device::{Mode, Platform};
use crate::eligibility::CheckStatus;
use crate::facts::Ownership;
use crate::rules::RuleId;

fn at(text: &str) -> DateTime<Utc> {
    text.parse().unwrap()
}

fn facts(ownership: Option<Ownership>, labels: Option<&[String]>) -> GroupFacts<'_> {
    GroupFacts {
        name: "SHOP-0042",
        platform: Platform::Android,
        kiosk: false,
        ownership,
        labels,
    }
}

fn policy(name: &str) -> Policy {
    Policy {
        name: name.into(),
        group: DeviceGroup::default(),
        reason_required: false,
        ticket_pattern: None,
        unattended: UnattendedRule::Allowed,
        approval_minutes: None,
        personal_view_only: false,
        hours: None,
    }
}

fn input<'a>(facts: GroupFacts<'a>, mode: Mode) -> PolicyInput<'a> {
    PolicyInput {
        facts,
        mode,
        reason: None,
        ticket: None,
        now: at("2026-12-07T12:00:00Z"),
        approved_by: None,
    }
}

fn compiled(p: Policy) -> CompiledPolicy {
    p.compile().unwrap()
}

fn statuses(checks: &[crate::eligibility::Check]) -> Vec<(RuleId, CheckStatus)> {
    checks.iter().map(|c| (c.rule, c.status)).collect()
}

#[test]
fn a_group_rule_holds_when_every_condition_set_holds() {
    let f = facts(Some(Ownership::Company), None);
    assert_eq!(DeviceGroup::default().membership(&f), Membership::Member);
    let android_shop = DeviceGroup {
        platform: Some(Platform::Android),
        name: Some("shop-*".into()),
        kiosk: Some(false),
        ..Default::default()
    };
    assert_eq!(android_shop.membership(&f), Membership::Member);
    let ios = DeviceGroup {
        platform: Some(Platform::Ios),
        ..Default::default()
    };
    assert_eq!(ios.membership(&f), Membership::NotMember);
    let kiosk = DeviceGroup {
        kiosk: Some(true),
        ..Default::default()
    };
    assert_eq!(kiosk.membership(&f), Membership::NotMember);
}

#[test]
fn unknown_ownership_never_matches_a_personal_rule_and_is_said_to_be_unknown() {
    let personal = DeviceGroup {
        ownership: Some(OwnershipRule::Personal),
        ..Default::default()
    };
    assert_eq!(
        personal.membership(&facts(None, None)),
        Membership::Unknown(vec![UnknownFact::Ownership])
    );
    assert_eq!(
        personal.membership(&facts(Some(Ownership::Employee), None)),
        Membership::Member
    );
    assert_eq!(
        personal.membership(&facts(Some(Ownership::Company), None)),
        Membership::NotMember
    );
    // A known fact that fails rules the device out whatever is unknown.
    let ios_personal = DeviceGroup {
        platform: Some(Platform::Ios),
        ..personal
    };
    assert_eq!(
        ios_personal.membership(&facts(None, None)),
        Membership::NotMember
    );
}

#[test]
fn an_unknown_membership_warns_and_never_blocks() {
    let p = compiled(Policy {
        group: DeviceGroup {
            ownership: Some(OwnershipRule::Personal),
            ..Default::default()
        },
        reason_required: true,
        unattended: UnattendedRule::Forbidden,
        ..policy("BYOD")
    });
    let checks = checks(
        std::slice::from_ref(&p),
        &input(facts(None, None), Mode::Unattended),
        Lang::En,
    );
    assert_eq!(
        statuses(&checks),
        vec![(RuleId::PolicyGroup, CheckStatus::Warn)]
    );
    assert!(checks[0].message.contains("BYOD") && checks[0].message.contains("ownership"));
    let v = verdict(&[p], &input(facts(None, None), Mode::Unattended));
    assert!(!v.unattended_forbidden && v.policies.is_empty());
}

#[test]
fn labels_match_without_regard_to_case_and_are_unknown_when_not_reported() {
    let group = DeviceGroup {
        label: Some("Field Sales".into()),
        ..Default::default()
    };
    let labels = vec!["field sales".to_string(), "Brazil".to_string()];
    assert_eq!(
        group.membership(&facts(None, Some(&labels))),
        Membership::Member
    );
    assert_eq!(
        group.membership(&facts(None, Some(&[]))),
        Membership::NotMember
    );
    assert_eq!(
        group.membership(&facts(None, None)),
        Membership::Unknown(vec![UnknownFact::Labels])
    );
}

#[test]
fn name_globs_cover_the_whole_name() {
    assert!(glob_matches("SHOP-*", "shop-0042"));
    assert!(glob_matches("*-00?2", "SHOP-0042"));
    assert!(glob_matches("*", ""));
    assert!(glob_matches("a*b*c", "aXXbYYc"));
    assert!(!glob_matches("SHOP", "SHOP-0042"));
    assert!(!glob_matches("?", ""));
    assert!(!glob_matches("a*b", "aXXbYYc"));
}

#[test]
fn policy_reason_is_refused_with_the_fix_when_a_start_has_none() {
    let p = [compiled(Policy {
        reason_required: true,
        ..policy("Reasons")
    })];
    let f = facts(Some(Ownership::Company), None);
    let preflight = checks(&p, &input(f, Mode::Attended), Lang::En);
    assert_eq!(
        statuses(&preflight),
        vec![(RuleId::PolicyReason, CheckStatus::Warn)]
    );
    let start = PolicyInput {
        reason: Some("  "),
        ..input(f, Mode::Attended)
    };
    let refused = checks(&p, &start, Lang::PtBr);
    assert_eq!(
        statuses(&refused),
        vec![(RuleId::PolicyReason, CheckStatus::Block)]
    );
    assert!(refused[0].fix.as_deref().unwrap().contains("motivo"));
    let given = PolicyInput {
        reason: Some("printer setup"),
        ..input(f, Mode::Attended)
    };
    assert_eq!(
        statuses(&checks(&p, &given, Lang::En)),
        vec![(RuleId::PolicyReason, CheckStatus::Pass)]
    );
}

#[test]
fn policy_ticket_must_match_the_whole_pattern() {
    let p = [compiled(Policy {
        ticket_pattern: Some(r"INC\d{7}".into()),
        ..policy("Tickets")
    })];
    let f = facts(Some(Ownership::Company), None);
    let with = |ticket: Option<&'static str>| {
        let i = PolicyInput {
            ticket,
            ..input(f, Mode::Attended)
        };
        checks(&p, &i, Lang::En)
    };
    assert_eq!(with(Some("INC0012345"))[0].status, CheckStatus::Pass);
    assert_eq!(with(Some(" INC0012345 "))[0].status, CheckStatus::Pass);
    // Anchored: a longer reference that contains a match is refused.
    let longer = with(Some("XINC00123456"));
    assert_eq!(longer[0].status, CheckStatus::Block);
    assert!(longer[0].fix.as_deref().unwrap().contains(r"INC\d{7}"));
    assert_eq!(with(Some(""))[0].status, CheckStatus::Block);
    assert_eq!(with(None)[0].status, CheckStatus::Warn);
    assert_eq!(with(None)[0].rule, RuleId::PolicyTicket);
}

#[test]
fn a_policy_is_validated_when_saved() {
    let bad = |p: Policy| p.compile().unwrap_err();
    assert!(matches!(
        bad(Policy {
            ticket_pattern: Some("INC(".into()),
            ..policy("x")
        }),
        PolicyError::TicketPattern(_)
    ));
    assert_eq!(bad(policy(" ")), PolicyError::Name);
    assert_eq!(
        bad(Policy {
            unattended: UnattendedRule::Approval,
            ..policy("x")
        }),
        PolicyError::ApprovalMinutes
    );
    assert_eq!(
        bad(Policy {
            unattended: UnattendedRule::Approval,
            approval_minutes: Some(0),
            ..policy("x")
        }),
        PolicyError::ApprovalMinutes
    );
    assert_eq!(
        bad(Policy {
            approval_minutes: Some(5),
            ..policy("x")
        }),
        PolicyError::ApprovalWithoutFourEyes
    );
    let hours = |zone: &str, from: &str, to: &str| Policy {
        hours: Some(Hours {
            time_zone: zone.into(),
            windows: vec![HoursWindow {
                days: vec![Day::Mon],
                from: from.into(),
                to: to.into(),
            }],
        }),
        ..policy("x")
    };
    assert_eq!(
        bad(hours("Mars/Olympus", "08:00", "18:00")),
        PolicyError::Hours(HoursError::TimeZone("Mars/Olympus".into()))
    );
    assert_eq!(
        bad(hours("UTC", "18:00", "08:00")),
        PolicyError::Hours(HoursError::Empty(1))
    );
    assert_eq!(
        bad(hours("UTC", "8h", "18:00")),
        PolicyError::Hours(HoursError::Time("8h".into()))
    );
    assert!(hours("UTC", "00:00", "24:00").compile().is_ok());
    for e in [
        PolicyError::Name,
        PolicyError::ApprovalMinutes,
        PolicyError::Hours(HoursError::NoWindows),
    ] {
        assert!(!e.message(Lang::PtBr).is_empty() && e.fix(Lang::PtBr) != e.fix(Lang::En));
    }
    // A policy reads back from JSON as written; an unknown field is refused.
    let json = r#"{"name":"BYOD","group":{"ownership":"personal"},"personal_view_only":true}"#;
    let read: Policy = serde_json::from_str(json).unwrap();
    assert!(read.personal_view_only && read.group.ownership == Some(OwnershipRule::Personal));
    assert!(serde_json::from_str::<Policy>(r#"{"name":"x","tickets":"y"}"#).is_err());
}

#[test]
fn policy_view_only_applies_to_personal_devices_in_attended_mode() {
    let p = [compiled(Policy {
        personal_view_only: true,
        ..policy("BYOD")
    })];
    let personal = input(facts(Some(Ownership::Employee), None), Mode::Attended);
    assert!(verdict(&p, &personal).view_only);
    assert_eq!(
        statuses(&checks(&p, &personal, Lang::En)),
        vec![(RuleId::PolicyViewOnly, CheckStatus::Warn)]
    );
    let corporate = input(facts(Some(Ownership::Company), None), Mode::Attended);
    assert!(!verdict(&p, &corporate).view_only);
    assert!(checks(&p, &corporate, Lang::En).is_empty());
    // Unknown ownership is not personal: not view only, and said so.
    let unknown = input(facts(None, None), Mode::Attended);
    assert!(!verdict(&p, &unknown).view_only);
    let said = checks(&p, &unknown, Lang::En);
    assert_eq!(
        statuses(&said),
        vec![(RuleId::PolicyViewOnly, CheckStatus::Warn)]
    );
    assert!(said[0].message.contains("not reported"));
}

#[test]
fn policy_unattended_forbidden_blocks_and_approval_asks_for_four_eyes() {
    let f = facts(Some(Ownership::Company), None);
    let forbidden = [compiled(Policy {
        unattended: UnattendedRule::Forbidden,
        ..policy("No remote")
    })];
    assert_eq!(
        statuses(&checks(&forbidden, &input(f, Mode::Unattended), Lang::En)),
        vec![(RuleId::PolicyUnattended, CheckStatus::Block)]
    );
    assert!(checks(&forbidden, &input(f, Mode::Attended), Lang::En).is_empty());
    let four_eyes = [compiled(Policy {
        unattended: UnattendedRule::Approval,
        approval_minutes: Some(30),
        ..policy("Four eyes")
    })];
    let v = verdict(&four_eyes, &input(f, Mode::Unattended));
    assert_eq!(v.approval_minutes, Some(30));
    assert_eq!(
        statuses(&checks(&four_eyes, &input(f, Mode::Unattended), Lang::En)),
        vec![(RuleId::PolicyApproval, CheckStatus::Warn)]
    );
    let approved = PolicyInput {
        approved_by: Some("bruno"),
        ..input(f, Mode::Unattended)
    };
    let pass = checks(&four_eyes, &approved, Lang::En);
    assert_eq!(
        statuses(&pass),
        vec![(RuleId::PolicyApproval, CheckStatus::Pass)]
    );
    assert!(pass[0].message.contains("bruno"));
    assert_eq!(
        verdict(&four_eyes, &input(f, Mode::Attended)).approval_minutes,
        None
    );
}

#[test]
fn policy_hours_are_read_in_the_policys_time_zone() {
    let p = [compiled(Policy {
        hours: Some(Hours {
            time_zone: "America/Sao_Paulo".into(),
            windows: vec![HoursWindow {
                days: vec![Day::Mon, Day::Tue, Day::Wed, Day::Thu, Day::Fri],
                from: "08:00".into(),
                to: "18:00".into(),
            }],
        }),
        ..policy("Office hours")
    })];
    let f = facts(Some(Ownership::Company), None);
    let at_time = |t: &str| PolicyInput {
        now: at(t),
        ..input(f, Mode::Attended)
    };
    // Monday 2026-12-07, 12:00 UTC is 09:00 in São Paulo (UTC-3).
    assert_eq!(
        checks(&p, &at_time("2026-12-07T12:00:00Z"), Lang::En)[0].status,
        CheckStatus::Pass
    );
    // 10:30 UTC is 07:30 there: before the range.
    let early = checks(&p, &at_time("2026-12-07T10:30:00Z"), Lang::En);
    assert_eq!(
        (early[0].rule, early[0].status),
        (RuleId::PolicyHours, CheckStatus::Block)
    );
    assert!(early[0].message.contains("America/Sao_Paulo") && early[0].fix.is_some());
    // 21:00 UTC is 18:00 there: the end is exclusive.
    assert_eq!(
        checks(&p, &at_time("2026-12-07T21:00:00Z"), Lang::En)[0].status,
        CheckStatus::Block
    );
    // Saturday.
    assert_eq!(
        checks(&p, &at_time("2026-12-12T14:00:00Z"), Lang::En)[0].status,
        CheckStatus::Block
    );
}

#[test]
fn several_policies_the_strictest_wins() {
    let f = facts(Some(Ownership::Employee), None);
    let all = [
        compiled(Policy {
            unattended: UnattendedRule::Approval,
            approval_minutes: Some(60),
            ..policy("Everyone")
        }),
        compiled(Policy {
            unattended: UnattendedRule::Approval,
            approval_minutes: Some(15),
            reason_required: true,
            ..policy("Android")
        }),
        compiled(Policy {
            group: DeviceGroup {
                platform: Some(Platform::Ios),
                ..Default::default()
            },
            unattended: UnattendedRule::Forbidden,
            ..policy("iOS")
        }),
        compiled(Policy {
            ticket_pattern: Some(r"INC\d{7}".into()),
            personal_view_only: true,
            ..policy("BYOD")
        }),
    ];
    let v = verdict(&all, &input(f, Mode::Unattended));
    assert_eq!(v.policies, vec!["Everyone", "Android", "BYOD"]);
    assert_eq!(v.approval_minutes, Some(15), "the shortest approval time");
    assert!(v.reason_required && !v.unattended_forbidden);
    assert_eq!(v.ticket_patterns, vec![r"INC\d{7}".to_string()]);
    // Forbidden by any beats approval by others.
    let mut with_forbidden = all.to_vec();
    with_forbidden.push(compiled(Policy {
        unattended: UnattendedRule::Forbidden,
        ..policy("Freeze")
    }));
    let v = verdict(&with_forbidden, &input(f, Mode::Unattended));
    assert!(v.unattended_forbidden && v.approval_minutes.is_none());
    // Every applicable policy's checks are shown, each naming its policy.
    let shown = checks(&with_forbidden, &input(f, Mode::Unattended), Lang::En);
    assert!(shown
        .iter()
        .any(|c| c.rule == RuleId::PolicyUnattended && c.message.contains("Freeze")));
    assert_eq!(
        shown
            .iter()
            .filter(|c| c.rule == RuleId::PolicyApproval)
            .count(),
        2
    );
}

#[test]
fn a_ticket_is_cleaned_before_it_is_recorded() {
    assert_eq!(clean_ticket(None), Ok(None));
    assert_eq!(clean_ticket(Some("  ")), Ok(None));
    assert_eq!(clean_ticket(Some(" INC1 ")), Ok(Some("INC1".into())));
    assert!(clean_ticket(Some("a\u{7}b")).is_err());
    assert!(clean_ticket(Some(&"x".repeat(MAX_TICKET_CHARS + 1))).is_err());
}
