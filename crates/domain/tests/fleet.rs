//! Fleet files: JSON and CSV, all-or-nothing, every bad row reported.

use helpatwork_domain::fleet::{parse_csv, parse_json, to_csv};
use helpatwork_domain::{AppKind, Platform};

const GOOD: &str = r#"{"devices":[{"id":"and-001","name":"Ana's Galaxy","user":{"name":"Ana Souza","email":"ana@example.com"},
"platform":"android","os_version":"14","manufacturer":"Google","model":"Pixel 8","kiosk":false,
"mam_only":false,"online":true,"last_checkin":"2026-11-20T10:00:00Z","host_activated":false,
"apps":[{"app":"quicksupport","version":"15.60.1","managed":true,"allowlisted":true}]}]}"#;

#[test]
fn reads_the_documented_json_shape() {
    let devices = parse_json(GOOD.as_bytes()).unwrap();
    assert_eq!(devices.len(), 1);
    assert_eq!(devices[0].platform, Platform::Android);
    let apps = devices[0].apps.as_ref().expect("the file states the apps");
    assert_eq!(apps[0].app, AppKind::Quicksupport);
    assert_eq!(apps[0].managed, Some(true));
    assert_eq!(devices[0].host_activated, Some(false));
    assert!(devices[0].management.is_empty());
}

#[test]
fn unknown_fields_are_errors() {
    let bad = GOOD.replace("\"kiosk\":false", "\"kiosk\":false,\"colour\":\"red\"");
    let err = parse_json(bad.as_bytes()).unwrap_err();
    assert_eq!(err.total, 1);
    assert_eq!(err.errors[0].field, "colour");
    assert_eq!(err.errors[0].index, Some(0));
}

#[test]
fn every_bad_row_is_reported_with_index_line_and_field() {
    let text = format!(
        "{{\"devices\":[{},\n{},\n{}]}}",
        &GOOD[12..GOOD.len() - 2],
        GOOD[12..GOOD.len() - 2]
            .replace("and-001", "and-002")
            .replace("\"14\"", "14"),
        GOOD[12..GOOD.len() - 2]
            .replace("and-001", "and-003")
            .replace("android", "symbian")
    );
    let err = parse_json(text.as_bytes()).unwrap_err();
    assert_eq!(err.total, 2, "{err:?}");
    assert_eq!(err.errors[0].index, Some(1));
    assert_eq!(err.errors[0].id.as_deref(), Some("and-002"));
    assert!(err.errors[0].line.unwrap() >= 5);
    assert_eq!(err.errors[1].index, Some(2));
}

#[test]
fn duplicates_and_bad_values_are_refused() {
    let one = &GOOD[12..GOOD.len() - 2];
    let text = format!("{{\"devices\":[{one},{one}]}}");
    let err = parse_json(text.as_bytes()).unwrap_err();
    assert_eq!(err.errors[0].field, "id");
    assert!(err.errors[0].reason.contains("more than once"));

    let bad_version = GOOD.replace("15.60.1", "fifteen");
    assert_eq!(
        parse_json(bad_version.as_bytes()).unwrap_err().errors[0].field,
        "apps[0].version"
    );
    let bad_email = GOOD.replace("ana@example.com", "not-an-email");
    assert_eq!(
        parse_json(bad_email.as_bytes()).unwrap_err().errors[0].field,
        "user.email"
    );
    let control = GOOD.replace("Ana's Galaxy", "Ana\\u0007");
    assert_eq!(
        parse_json(control.as_bytes()).unwrap_err().errors[0].field,
        "name"
    );
}

#[test]
fn malformed_and_non_utf8_files_are_file_errors() {
    for bytes in [
        &b"{\"devices\": ["[..],
        b"not json",
        b"\xff\xfe{}",
        b"{\"devices\":{}}",
        b"{\"machines\":[]}",
    ] {
        let err = parse_json(bytes).unwrap_err();
        assert_eq!(err.total, 1);
        assert!(err.errors[0].index.is_none());
    }
}

#[test]
fn hostile_strings_are_data_not_code() {
    let hostile = GOOD.replace(
        "Ana's Galaxy",
        "<script>alert(1)</script>; rm -rf / $(id) '; DROP TABLE devices;--",
    );
    let devices = parse_json(hostile.as_bytes()).unwrap();
    assert!(devices[0].name.contains("<script>"));
}

#[test]
fn csv_round_trips_through_the_same_fields() {
    let devices = parse_json(GOOD.as_bytes()).unwrap();
    let csv = to_csv(&devices).unwrap();
    assert_eq!(parse_csv(csv.as_bytes()).unwrap(), devices);
}

#[test]
fn csv_reports_bad_rows_with_their_line() {
    let csv = "id,name,user_name,user_email,platform,os_version,manufacturer,model,kiosk,mam_only,online,last_checkin,host_activated,quicksupport_version\n\
        and-1,A,Ana,ana@example.com,android,14,Samsung,S23,false,false,true,2026-11-20T10:00:00Z,false,15.60.1\n\
        and-2,B,Bia,bia@example.com,android,14,Samsung,S23,maybe,false,true,2026-11-20T10:00:00Z,false,\n\
        and-3,C,Caio,caio@example.com,ios,17,Apple,iPhone,false,false,true,yesterday,false,\n";
    let err = parse_csv(csv.as_bytes()).unwrap_err();
    assert_eq!(err.total, 2, "{err:?}");
    assert_eq!(
        (err.errors[0].line, err.errors[0].field.as_str()),
        (Some(3), "kiosk")
    );
    assert_eq!(
        (err.errors[1].line, err.errors[1].field.as_str()),
        (Some(4), "last_checkin")
    );
}

#[test]
fn csv_unknown_or_missing_columns_are_refused() {
    assert_eq!(
        parse_csv(b"id,name,colour\n").unwrap_err().errors[0].field,
        "colour"
    );
    assert!(parse_csv(b"id,name\n").unwrap_err().errors[0]
        .reason
        .contains("missing column"));
}

#[test]
fn json_text_is_trimmed_as_csv_is_so_an_export_imports_unchanged() {
    // Found by fuzzing (fuzz/fuzz_targets/fleet_json.rs): a JSON name with a trailing space was
    // kept, the CSV export of it was read back trimmed, and the device changed on re-import.
    let padded = GOOD
        .replace("\"Ana's Galaxy\"", "\" Ana's Galaxy \"")
        .replace("\"Pixel 8\"", "\"Pixel 8\\t\"")
        .replace("\"15.60.1\"", "\"15.60.1 \"");
    let devices = parse_json(padded.as_bytes()).unwrap();
    assert_eq!(devices[0].name, "Ana's Galaxy");
    assert_eq!(devices[0].model, "Pixel 8");
    assert_eq!(
        devices[0]
            .app(AppKind::Quicksupport)
            .unwrap()
            .version
            .as_deref(),
        Some("15.60.1")
    );
    assert_eq!(devices, parse_json(GOOD.as_bytes()).unwrap());
    let csv = to_csv(&devices).unwrap();
    assert_eq!(parse_csv(csv.as_bytes()).unwrap(), devices);
}

/// A device whose source knew little: unknown apps, Host activation, app flags; some
/// management facts.
const UNKNOWNS: &str = r#"{"devices":[
{"id":"1000001","name":"Ana's Galaxy","user":{"name":"Ana Souza","email":"ana@example.com"},
"platform":"android","os_version":"14","manufacturer":"samsung","model":"Galaxy S23","kiosk":false,
"mam_only":false,"online":true,"last_checkin":"2026-11-20T10:00:00Z","host_activated":null,"apps":null,
"management":{"compliant":true,"jailbroken":false,"ownership":"company","client_version":"100.0.0"}},
{"id":"1000002","name":"Bruno's iPhone","user":{"name":"Bruno Lima","email":""},
"platform":"ios","os_version":"17.5.1","manufacturer":"Apple","model":"iPhone 15","kiosk":false,
"mam_only":false,"online":true,"last_checkin":"2026-11-20T10:00:00Z","host_activated":false,
"apps":[{"app":"quicksupport","version":null,"managed":true,"allowlisted":null,"installing":true}]}
]}"#;

#[test]
fn a_file_states_unknown_facts_as_null() {
    let devices = parse_json(UNKNOWNS.as_bytes()).unwrap();
    assert_eq!(devices[0].apps, None);
    assert_eq!(devices[0].host_activated, None);
    assert_eq!(devices[0].management.compliant, Some(true));
    assert_eq!(devices[0].management.quarantined, None);
    assert_eq!(
        devices[0].management.ownership,
        Some(helpatwork_domain::Ownership::Company)
    );
    let qs = devices[1].app(AppKind::Quicksupport).unwrap();
    assert_eq!(
        (qs.version.as_deref(), qs.managed, qs.allowlisted),
        (None, Some(true), None)
    );
    assert!(qs.installing);
}

#[test]
fn a_file_must_state_each_fact_even_as_null() {
    for field in ["\"host_activated\":false,", "\"online\":true,"] {
        let without = GOOD.replacen(field, "", 1);
        let err = parse_json(without.as_bytes()).unwrap_err();
        assert!(err.errors[0].reason.contains("missing field"), "{err:?}");
    }
    let without_apps = GOOD.replace(
        ",\n\"apps\":[{\"app\":\"quicksupport\",\"version\":\"15.60.1\",\"managed\":true,\"allowlisted\":true}]",
        "",
    );
    assert_ne!(without_apps, GOOD);
    assert_eq!(
        parse_json(without_apps.as_bytes()).unwrap_err().errors[0].field,
        "apps"
    );
    let without_flag = GOOD.replace(",\"managed\":true", "");
    assert!(parse_json(without_flag.as_bytes()).is_err());
}

#[test]
fn unknown_facts_survive_the_csv_round_trip() {
    let devices = parse_json(UNKNOWNS.as_bytes()).unwrap();
    let csv = to_csv(&devices).unwrap();
    assert!(csv.contains(",unknown,"), "{csv}");
    assert_eq!(parse_csv(csv.as_bytes()).unwrap(), devices);
}

#[test]
fn csv_states_unknowns_with_a_word() {
    let csv = "id,name,user_name,user_email,platform,os_version,manufacturer,model,kiosk,mam_only,online,last_checkin,host_activated,apps,quicksupport_version,quicksupport_managed,jailbroken\n\
        and-1,A,Ana,ana@example.com,android,14,Samsung,S23,false,false,true,2026-11-20T10:00:00Z,unknown,unknown,,,true\n\
        ios-2,B,Bia,bia@example.com,ios,17,Apple,iPhone,false,false,true,2026-11-20T10:00:00Z,false,,unknown,unknown,\n";
    let devices = parse_csv(csv.as_bytes()).unwrap();
    assert_eq!(
        (devices[0].host_activated, devices[0].apps.as_ref()),
        (None, None)
    );
    assert_eq!(devices[0].management.jailbroken, Some(true));
    let qs = devices[1].app(AppKind::Quicksupport).unwrap();
    assert_eq!(
        (qs.version.as_deref(), qs.managed, qs.allowlisted),
        (None, None, Some(true))
    );
    let contradiction = csv.replace("unknown,unknown,,,true", "false,unknown,15.60.1,,true");
    let err = parse_csv(contradiction.as_bytes()).unwrap_err();
    assert_eq!(err.errors[0].field, "quicksupport_version");
}

#[test]
fn the_fuzz_seeds_with_unknown_facts_round_trip() {
    let root = concat!(env!("CARGO_MANIFEST_DIR"), "/../../fuzz/corpus");
    let json = std::fs::read(format!("{root}/fleet_json/seed-unknown-facts.json")).unwrap();
    let devices = parse_json(&json).unwrap();
    assert_eq!(
        parse_csv(to_csv(&devices).unwrap().as_bytes()).unwrap(),
        devices
    );
    let csv = std::fs::read(format!("{root}/fleet_csv/seed-unknown-facts.csv")).unwrap();
    let devices = parse_csv(&csv).unwrap();
    assert_eq!(
        parse_csv(to_csv(&devices).unwrap().as_bytes()).unwrap(),
        devices
    );
    // "unknown" is the CSV's word for null: it is no version.
    let word = String::from_utf8(json).unwrap().replace(
        "\"client_version\":\"100.0.0\"",
        "\"client_version\":\"Unknown\"",
    );
    assert_eq!(
        parse_json(word.as_bytes()).unwrap_err().errors[0].field,
        "management.client_version"
    );
}
