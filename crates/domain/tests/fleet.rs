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
    assert_eq!(devices[0].apps[0].app, AppKind::Quicksupport);
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
    assert_eq!(devices[0].apps[0].version, "15.60.1");
    assert_eq!(devices, parse_json(GOOD.as_bytes()).unwrap());
    let csv = to_csv(&devices).unwrap();
    assert_eq!(parse_csv(csv.as_bytes()).unwrap(), devices);
}
