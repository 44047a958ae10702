//! A device's locale in fleet files: an optional `locale` in JSON (a string, or null), an
//! optional `locale` column in CSV (empty or missing: unknown); a bad one refuses the whole file.

use helpatwork_domain::fleet::{parse_csv, parse_json, to_csv};

fn device(id: &str, locale: &str) -> String {
    format!(
        r#"{{"id":"{id}","name":"Shop {id}","user":{{"name":"Ana","email":"ana@example.com"}},
"platform":"android","os_version":"14","manufacturer":"Zebra","model":"TC52","kiosk":true,
"mam_only":false,"online":true,"last_checkin":"2026-11-20T10:00:00Z","host_activated":null,
"apps":null{locale}}}"#
    )
}

fn file(devices: &[String]) -> String {
    format!(r#"{{"devices":[{}]}}"#, devices.join(","))
}

const HEAD: &str = "id,name,user_name,user_email,platform,os_version,manufacturer,model,kiosk,mam_only,online,last_checkin,host_activated";

fn row(id: &str) -> String {
    format!("{id},A,Ana,ana@example.com,android,14,Zebra,TC52,true,false,true,2026-11-20T10:00:00Z,false")
}

#[test]
fn json_locale_is_kept_as_given_and_absent_or_null_is_unknown() {
    let text = file(&[
        device("and-1", r#","locale":" pt-BR ""#),
        device("and-2", r#","locale":"en_US""#),
        device("and-3", ""),
        device("and-4", r#","locale":null"#),
    ]);
    let devices = parse_json(text.as_bytes()).unwrap();
    let locales: Vec<_> = devices.iter().map(|d| d.locale.clone()).collect();
    assert_eq!(
        locales,
        vec![Some("pt-BR".into()), Some("en_US".into()), None, None]
    );
    // The CSV export writes it back, so the file imports unchanged.
    let csv = to_csv(&devices).unwrap();
    assert!(csv.lines().next().unwrap().ends_with(",locale"), "{csv}");
    assert!(csv.contains(",pt-BR\n"), "{csv}");
    assert_eq!(parse_csv(csv.as_bytes()).unwrap(), devices);
}

#[test]
fn csv_locale_column_is_optional_and_an_empty_cell_is_unknown() {
    let with = format!(
        "{HEAD},locale\n{},pt-BR\n{},\n{}, en-US \n",
        row("and-1"),
        row("and-2"),
        row("and-3")
    );
    let devices = parse_csv(with.as_bytes()).unwrap();
    assert_eq!(devices[0].locale.as_deref(), Some("pt-BR"));
    assert_eq!(devices[1].locale, None);
    assert_eq!(devices[2].locale.as_deref(), Some("en-US"));
    let semi = with.replace(',', ";");
    assert_eq!(parse_csv(semi.as_bytes()).unwrap(), devices);
    let without = format!("{HEAD}\n{}\n", row("and-1"));
    assert_eq!(parse_csv(without.as_bytes()).unwrap()[0].locale, None);
}

#[test]
fn a_bad_locale_refuses_the_file_naming_it() {
    let text = file(&[
        device("and-1", r#","locale":"pt BR""#),
        device("and-2", r#","locale":"pt\u0007BR""#),
        device("and-3", &format!(r#","locale":"{}""#, "a".repeat(36))),
        device("and-4", r#","locale":"""#),
        device("and-5", r#","locale":"português""#),
        device("and-6", r#","locale":["pt-BR"]"#),
        device("and-7", r#","locale":"pt-BR""#),
    ]);
    let err = parse_json(text.as_bytes()).unwrap_err();
    let found: Vec<(Option<u32>, &str)> = err
        .errors
        .iter()
        .map(|e| (e.index, e.field.as_str()))
        .collect();
    assert_eq!(
        found,
        vec![
            (Some(0), "locale"),
            (Some(1), "locale"),
            (Some(2), "locale"),
            (Some(3), "locale"),
            (Some(4), "locale"),
            (Some(5), "locale"),
        ],
        "{err:?}"
    );
    assert!(err.errors[0].reason.contains("letters"), "{err:?}");
    assert!(err.errors[1].reason.contains("control"), "{err:?}");
    assert!(err.errors[2].reason.contains("longer than 35"), "{err:?}");
    assert!(err.errors[3].reason.contains("empty"), "{err:?}");

    let csv = format!("{HEAD},locale\n{},pt/BR\n", row("and-1"));
    let err = parse_csv(csv.as_bytes()).unwrap_err();
    assert_eq!(
        (err.errors[0].line, err.errors[0].field.as_str()),
        (Some(2), "locale")
    );
    let csv = format!("{HEAD},locale\n{},{}\n", row("and-1"), "x".repeat(36));
    assert!(parse_csv(csv.as_bytes()).unwrap_err().errors[0]
        .reason
        .contains("longer than 35"));
}
