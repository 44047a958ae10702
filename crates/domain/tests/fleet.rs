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

fn one_device(id: &str) -> String {
    GOOD[12..GOOD.len() - 2].replace("and-001", id)
}

#[test]
fn ids_that_differ_only_in_case_width_or_dash_are_one_device() {
    // Hardening finding 6: AND-001, and-001 and and‐001 (U+2010) were three devices.
    for twin in ["AND-001", "and\u{2010}001", "ａｎｄ－００１"] {
        let text = format!(
            "{{\"devices\":[{},{}]}}",
            one_device("and-001"),
            one_device(twin)
        );
        let err = parse_json(text.as_bytes()).unwrap_err();
        assert_eq!(err.total, 1, "{twin:?}: {err:?}");
        assert_eq!(err.errors[0].index, Some(1));
        assert!(err.errors[0].reason.contains("more than once"), "{err:?}");
    }
}

#[test]
fn ids_with_bidi_zero_width_or_separator_characters_are_refused() {
    for id in [
        "and\u{202e}100-",
        "and\u{200b}001",
        "and\u{2028}001",
        "and\u{2066}001",
    ] {
        let text = format!("{{\"devices\":[{}]}}", one_device(id));
        let err = parse_json(text.as_bytes()).unwrap_err();
        assert_eq!(err.errors[0].field, "id", "{id:?}");
        assert!(err.errors[0].reason.contains("invisible"), "{err:?}");
    }
}

#[test]
fn names_are_kept_in_nfc_so_both_forms_are_one_name() {
    let nfd = GOOD.replace("Ana's Galaxy", "Jose\u{301}'s Galaxy");
    let nfc = GOOD.replace("Ana's Galaxy", "Jos\u{e9}'s Galaxy");
    let a = parse_json(nfd.as_bytes()).unwrap();
    let b = parse_json(nfc.as_bytes()).unwrap();
    assert_eq!(a, b);
    assert_eq!(a[0].name, "Jos\u{e9}'s Galaxy");
}

#[test]
fn a_byte_order_mark_is_skipped_in_json_and_csv() {
    // Hardening finding 20: files saved by Windows editors start with a UTF-8 BOM.
    let json = format!("\u{feff}{GOOD}");
    assert_eq!(parse_json(json.as_bytes()).unwrap().len(), 1);
    let csv = format!(
        "\u{feff}{}",
        to_csv(&parse_json(GOOD.as_bytes()).unwrap()).unwrap()
    );
    assert_eq!(parse_csv(csv.as_bytes()).unwrap().len(), 1);
    assert_eq!(
        helpatwork_domain::fleet::FleetFormat::detect("fleet", json.as_bytes()),
        helpatwork_domain::fleet::FleetFormat::Json
    );
}

#[test]
fn a_semicolon_separated_csv_is_read_and_a_tab_separated_one_named() {
    // Excel's default separator where the decimal mark is a comma (pt-BR) is ";".
    let devices = parse_json(GOOD.as_bytes()).unwrap();
    let csv = to_csv(&devices).unwrap().replace(',', ";");
    assert_eq!(parse_csv(csv.as_bytes()).unwrap(), devices);
    let tabs = to_csv(&devices).unwrap().replace(',', "\t");
    let err = parse_csv(tabs.as_bytes()).unwrap_err();
    assert!(err.errors[0].reason.contains("tabs"), "{err:?}");
}

#[test]
fn a_stream_hands_on_batches_and_stops_at_the_first_bad_row() {
    use helpatwork_domain::fleet::{read, FleetFormat, ReadError};
    let ids: Vec<String> = (0..25).map(|i| format!("and-{i:03}")).collect();
    let all: Vec<String> = ids.iter().map(|id| one_device(id)).collect();
    let text = format!("{{\"devices\":[{}]}}", all.join(",\n"));
    let mut batches = Vec::new();
    let n = read(FleetFormat::Json, text.as_bytes(), 10, |b| {
        batches.push(b.len());
        Ok::<(), ()>(())
    })
    .unwrap();
    assert_eq!((n, batches), (25, vec![10, 10, 5]));

    // A bad row at 15: the batch before it went on, nothing after it; every bad row listed.
    let mut bad = all.clone();
    bad[15] = bad[15].replace("android", "symbian");
    bad[20] = bad[20].replace("android", "symbian");
    let text = format!("{{\"devices\":[{}]}}", bad.join(",\n"));
    let mut handed = 0;
    let err = read(FleetFormat::Json, text.as_bytes(), 10, |b| {
        handed += b.len();
        Ok::<(), ()>(())
    })
    .unwrap_err();
    match err {
        ReadError::Fleet(e) => {
            assert_eq!(e.total, 2);
            // Each device spans four lines; the platform is on its second.
            assert_eq!(e.errors[0].line, Some(15 * 4 + 2), "{e:?}");
        }
        ReadError::Sink(()) => panic!("no sink error"),
    }
    assert_eq!(handed, 10);

    // A sink that fails stops the read at once.
    let mut calls = 0;
    let err = read(
        FleetFormat::Csv,
        to_csv(&parse_json(text.replace("symbian", "android").as_bytes()).unwrap())
            .unwrap()
            .as_bytes(),
        5,
        |_| {
            calls += 1;
            Err("disk full")
        },
    )
    .unwrap_err();
    assert!(matches!(err, ReadError::Sink("disk full")));
    assert_eq!(calls, 1);
}

#[test]
fn a_file_of_empty_objects_is_read_one_element_at_a_time() {
    // Hardening finding 11: `{}` entries made the parser ask for one allocation per entry in
    // advance (18.9 GB for 250 MB). Each is now one row error, counted past the listed 200.
    let n = 300_000;
    let mut text = String::from("{\"devices\":[");
    for i in 0..n {
        if i > 0 {
            text.push(',');
        }
        text.push_str("{}");
    }
    text.push_str("]}");
    let err = parse_json(text.as_bytes()).unwrap_err();
    assert_eq!(err.total, n);
    assert_eq!(
        err.errors.len(),
        helpatwork_domain::fleet::MAX_REPORTED_ERRORS
    );
    assert_eq!(err.errors[0].field, "id");
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
