//! The compatibility table: the shipped one, overrides, refused tables, advisories.

use super::*;
use proptest::prelude::*;

fn v(text: &str) -> Version {
    Version::parse(text).expect("test versions are valid")
}

fn table(json: &str) -> CompatTable {
    CompatTable::from_json(json).expect("test tables are valid")
}

#[test]
fn s11_shipped_table_parses_and_uses_the_major_rule() {
    let shipped = parse_table(DEFAULT_TABLE_JSON).expect("shipped table parses");
    assert!(!shipped.extends_default);
    let table = CompatTable::default();
    assert_eq!(table, shipped.table);
    assert_eq!(table.default_rule(), DefaultRule::MajorAtLeastDeviceMajor);
    assert!(table.note().is_some_and(|n| n.contains("S11")));
}

#[test]
fn s11_desktop_major_below_device_major_is_too_old() {
    let table = CompatTable::default();
    for app in [AppKind::Quicksupport, AppKind::Host] {
        assert_eq!(
            table.check(&v("14.7.1"), app, &v("15.62.4")),
            Compatibility::TooOld { minimum: v("15.0") }
        );
        assert_eq!(
            table.check(&v("15.74.5"), app, &v("16.1")),
            Compatibility::TooOld { minimum: v("16.0") }
        );
    }
}

#[test]
fn s11_desktop_major_equal_to_device_major_is_compatible() {
    let table = CompatTable::default();
    assert!(table
        .check(&v("15.0"), AppKind::Quicksupport, &v("15.62.4"))
        .is_compatible());
    assert!(table
        .check(&v("16.0.1"), AppKind::Host, &v("16.9"))
        .is_compatible());
}

#[test]
fn s11_desktop_newer_major_than_device_is_compatible() {
    let table = CompatTable::default();
    assert!(table
        .check(&v("16.2"), AppKind::Quicksupport, &v("15.62.4"))
        .is_compatible());
    assert!(table
        .check(&v("15.1"), AppKind::Host, &v("12"))
        .is_compatible());
}

#[test]
fn s11_most_specific_rule_decides() {
    let t = table(
        r#"{"format":1,"rules":[
            {"device_app":"any","device_major":null,"min_desktop":"14.0"},
            {"device_app":"quicksupport","device_major":null,"min_desktop":"15.10"},
            {"device_app":"any","device_major":15,"min_desktop":"15.20"},
            {"device_app":"quicksupport","device_major":15,"min_desktop":"15.30"}
        ]}"#,
    );
    let qs = AppKind::Quicksupport;
    assert_eq!(t.minimum_desktop(qs, &v("15.1")), Some(v("15.30")));
    assert_eq!(
        t.minimum_desktop(AppKind::Host, &v("15.1")),
        Some(v("15.20"))
    );
    assert_eq!(t.minimum_desktop(qs, &v("13.2")), Some(v("15.10")));
    assert_eq!(
        t.minimum_desktop(AppKind::Host, &v("13.2")),
        Some(v("14.0"))
    );
    assert_eq!(
        t.check(&v("15.29.9"), qs, &v("15.1")),
        Compatibility::TooOld {
            minimum: v("15.30")
        }
    );
    assert!(t.check(&v("15.30"), qs, &v("15.1")).is_compatible());
}

#[test]
fn s11_override_extending_the_default_can_loosen_one_major() {
    let t = table(
        r#"{"format":1,"extends":"default","rules":[
            {"device_app":"host","device_major":16,"min_desktop":"15.80","note":"tested in our lab"}
        ]}"#,
    );
    assert!(t
        .check(&v("15.80"), AppKind::Host, &v("16.0.2"))
        .is_compatible());
    assert_eq!(
        t.check(&v("15.80"), AppKind::Quicksupport, &v("16.0.2")),
        Compatibility::TooOld { minimum: v("16.0") }
    );
    assert_eq!(t.rules().len(), CompatTable::default().rules().len() + 1);
    assert_eq!(t.default_rule(), DefaultRule::MajorAtLeastDeviceMajor);
}

#[test]
fn s11_override_extending_the_default_replaces_a_rule_with_the_same_key() {
    let t = table(
        r#"{"format":1,"extends":"default","rules":[
            {"device_app":"any","device_major":15,"min_desktop":"15.44"}
        ]}"#,
    );
    assert_eq!(t.rules().len(), CompatTable::default().rules().len());
    assert_eq!(
        t.check(&v("15.43"), AppKind::Quicksupport, &v("15.1")),
        Compatibility::TooOld {
            minimum: v("15.44")
        }
    );
}

#[test]
fn s11_override_without_extends_replaces_the_shipped_table() {
    let t = table(r#"{"format":1,"default_rule":"none","rules":[]}"#);
    assert!(t.rules().is_empty());
    assert_eq!(t.minimum_desktop(AppKind::Quicksupport, &v("99")), None);
    assert!(t
        .check(&v("1"), AppKind::Quicksupport, &v("99"))
        .is_compatible());
}

#[test]
fn s11_malformed_rule_errors_name_the_entry() {
    let cases = [
        (
            r#"{"device_app":"quicksupport","device_major":15,"min_desktop":"15.x"}"#,
            "min_desktop",
        ),
        (
            r#"{"device_app":"teamviewer","device_major":15,"min_desktop":"15.0"}"#,
            "device_app",
        ),
        (
            r#"{"device_app":"addon-oem","min_desktop":"15.0"}"#,
            "device_app",
        ),
        (
            r#"{"device_app":"host","device_major":-1,"min_desktop":"15.0"}"#,
            "device_major",
        ),
        (
            r#"{"device_app":"host","device_major":"15","min_desktop":"15.0"}"#,
            "device_major",
        ),
        (
            r#"{"device_app":"host","device_major":15,"min_desktop":15}"#,
            "min_desktop",
        ),
        (
            r#"{"device_app":"host","device_major":15}"#,
            "min_desktop is missing",
        ),
        (
            r#"{"device_app":"host","device_major":15,"min_dekstop":"15.0"}"#,
            "min_dekstop",
        ),
        (r#""host""#, "must be an object"),
    ];
    for (rule, needle) in cases {
        let json =
            format!(r#"{{"format":1,"rules":[{{"device_app":"any","min_desktop":"1"}},{rule}]}}"#);
        let err = CompatTable::from_json(&json).expect_err(rule);
        let CompatError::Rule {
            number, ref entry, ..
        } = err
        else {
            panic!("{rule}: unexpected error {err:?}");
        };
        assert_eq!(number, 2, "{rule}");
        assert!(
            entry.contains("device_app") || entry.contains("host"),
            "{entry}"
        );
        let message = err.to_string();
        assert!(
            message.contains("rule #2") && message.contains(needle),
            "{message}"
        );
    }
}

#[test]
fn s11_rule_error_reads_as_documented() {
    let err = CompatTable::from_json(
        r#"{"format":1,"rules":[{"device_app":"any","min_desktop":"1"},{"device_app":"host","device_major":15,"min_desktop":"15.x"}]}"#,
    )
    .expect_err("bad min_desktop");
    assert_eq!(
        err.to_string(),
        r#"compatibility rule #2 {"device_app":"host","device_major":15,"min_desktop":"15.x"}: min_desktop: "15.x" is not a version: use digits separated by dots, such as 15.60.1"#
    );
}

#[test]
fn s11_duplicate_rules_are_refused() {
    let err = CompatTable::from_json(
        r#"{"format":1,"rules":[
            {"device_app":"host","device_major":15,"min_desktop":"15.0"},
            {"device_app":"quicksupport","device_major":15,"min_desktop":"15.0"},
            {"device_app":"host","device_major":15,"min_desktop":"15.5"}
        ]}"#,
    )
    .expect_err("duplicate");
    assert!(
        matches!(
            err,
            CompatError::DuplicateRule {
                number: 3,
                first: 1,
                ..
            }
        ),
        "{err:?}"
    );
}

#[test]
fn s11_table_level_errors_are_typed() {
    let err = |json: &str| CompatTable::from_json(json).expect_err(json);
    assert!(matches!(err("not json"), CompatError::Json(_)));
    assert!(matches!(err("[]"), CompatError::NotAnObject));
    assert!(matches!(err(r#"{"rules":[]}"#), CompatError::MissingFormat));
    assert!(
        matches!(err(r#"{"format":2,"rules":[]}"#), CompatError::UnsupportedFormat(f) if f == "2")
    );
    assert!(
        matches!(err(r#"{"format":1,"rulez":[]}"#), CompatError::Field { field, .. } if field == "rulez")
    );
    assert!(
        matches!(err(r#"{"format":1,"extends":"mine"}"#), CompatError::Field { field, .. } if field == "extends")
    );
    assert!(
        matches!(err(r#"{"format":1,"default_rule":"major"}"#), CompatError::Field { field, .. } if field == "default_rule")
    );
    assert!(
        matches!(err(r#"{"format":1,"rules":{}}"#), CompatError::Field { field, .. } if field == "rules")
    );
}

#[test]
fn s11_huge_entries_are_shortened_in_errors() {
    let long = "9".repeat(10_000);
    let json =
        format!(r#"{{"format":1,"rules":[{{"device_app":"host","min_desktop":"{long}"}}]}}"#);
    let message = CompatTable::from_json(&json)
        .expect_err("bad version")
        .to_string();
    assert!(message.len() < 600, "{}", message.len());
}

#[test]
fn cve_2020_13699_is_flagged_below_15_8_3() {
    let found: Vec<_> = desktop_advisories(&v("15.8.2"))
        .iter()
        .map(|a| a.cve)
        .collect();
    assert_eq!(found, ["CVE-2020-13699", "CVE-2026-23572"]);
    assert_eq!(desktop_advisories(&v("14.7.48350")).len(), 2);
}

#[test]
fn cve_2026_23572_is_flagged_below_15_74_5() {
    let found: Vec<_> = desktop_advisories(&v("15.8.3"))
        .iter()
        .map(|a| a.cve)
        .collect();
    assert_eq!(found, ["CVE-2026-23572"]);
    assert_eq!(desktop_advisories(&v("15.74.4")).len(), 1);
}

#[test]
fn patched_desktop_has_no_advisory() {
    assert!(desktop_advisories(&v("15.74.5")).is_empty());
    assert!(desktop_advisories(&v("16")).is_empty());
}

proptest! {
    #[test]
    fn s11_default_table_is_the_major_rule(
        dm in 0u32..40, dn in 0u32..100, am in 0u32..40, an in 0u32..100, host in any::<bool>()
    ) {
        let app = if host { AppKind::Host } else { AppKind::Quicksupport };
        let desktop = Version::new(dm, dn, 0);
        let device = Version::new(am, an, 0);
        let compatible = CompatTable::default().check(&desktop, app, &device).is_compatible();
        prop_assert_eq!(compatible, dm >= am);
    }

    #[test]
    fn s11_compatibility_is_monotonic_in_the_desktop_version(
        a in (0u32..30, 0u32..100, 0u32..10), b in (0u32..30, 0u32..100, 0u32..10),
        device in (0u32..30, 0u32..100), min in (0u32..30, 0u32..100), host in any::<bool>()
    ) {
        let t = table(&format!(
            r#"{{"format":1,"extends":"default","rules":[{{"device_app":"host","device_major":{},"min_desktop":"{}.{}"}}]}}"#,
            device.0, min.0, min.1
        ));
        let app = if host { AppKind::Host } else { AppKind::Quicksupport };
        let (lo, hi) = {
            let (x, y) = (Version::new(a.0, a.1, a.2), Version::new(b.0, b.1, b.2));
            if x <= y { (x, y) } else { (y, x) }
        };
        let device = Version::new(device.0, device.1, 0);
        if t.check(&lo, app, &device).is_compatible() {
            prop_assert!(t.check(&hi, app, &device).is_compatible());
        }
    }

    #[test]
    fn s11_the_reported_minimum_is_itself_compatible(
        d in (0u32..30, 0u32..100), device in (0u32..30, 0u32..100)
    ) {
        let t = CompatTable::default();
        let device = Version::new(device.0, device.1, 0);
        if let Compatibility::TooOld { minimum } = t.check(&Version::new(d.0, d.1, 0), AppKind::Quicksupport, &device) {
            prop_assert!(Version::new(d.0, d.1, 0) < minimum);
            prop_assert!(t.check(&minimum, AppKind::Quicksupport, &device).is_compatible());
        }
    }

    #[test]
    fn s11_from_json_never_panics(text in ".{0,200}") {
        let _ = CompatTable::from_json(&text);
    }

    #[test]
    fn s11_from_json_never_panics_on_rule_shaped_input(
        app in "[a-z]{0,12}", major in any::<i64>(), min in "[0-9.a-z]{0,12}"
    ) {
        let json = format!(
            r#"{{"format":1,"extends":"default","rules":[{{"device_app":"{app}","device_major":{major},"min_desktop":"{min}"}}]}}"#
        );
        let _ = CompatTable::from_json(&json);
    }
}
