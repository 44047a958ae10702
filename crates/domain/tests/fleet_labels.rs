//! Labels in fleet files: a list per device in JSON, a `|`-separated `labels` column in CSV;
//! absent is unknown, an empty list is "in no label"; a bad label refuses the whole file.

use helpatwork_domain::fleet::{parse_csv, parse_json, to_csv};

fn device(id: &str, labels: &str) -> String {
    format!(
        r#"{{"id":"{id}","name":"Shop {id}","user":{{"name":"Ana","email":"ana@example.com"}},
"platform":"android","os_version":"14","manufacturer":"Zebra","model":"TC52","kiosk":true,
"mam_only":false,"online":true,"last_checkin":"2026-11-20T10:00:00Z","host_activated":null,
"apps":null{labels}}}"#
    )
}

fn file(devices: &[String]) -> String {
    format!(r#"{{"devices":[{}]}}"#, devices.join(","))
}

#[test]
fn json_labels_are_a_list_absent_is_unknown_and_empty_is_none() {
    let text = file(&[
        device("and-1", r#","labels":[" Warehouse ","Store 12"]"#),
        device("and-2", r#","labels":[]"#),
        device("and-3", ""),
        device("and-4", r#","labels":null"#),
    ]);
    let devices = parse_json(text.as_bytes()).unwrap();
    let labels: Vec<_> = devices.iter().map(|d| d.labels.clone()).collect();
    assert_eq!(
        labels,
        vec![
            Some(vec!["Warehouse".to_string(), "Store 12".to_string()]),
            Some(vec![]),
            None,
            None
        ]
    );
    // The CSV export keeps the three apart, so it imports unchanged.
    let csv = to_csv(&devices).unwrap();
    assert!(csv.contains(",Warehouse|Store 12,\n"), "{csv}");
    assert_eq!(parse_csv(csv.as_bytes()).unwrap(), devices);
}

#[test]
fn csv_labels_are_separated_by_a_bar_and_a_missing_column_is_unknown() {
    let head = "id,name,user_name,user_email,platform,os_version,manufacturer,model,kiosk,mam_only,online,last_checkin,host_activated";
    let row = |id: &str| {
        format!("{id},A,Ana,ana@example.com,android,14,Zebra,TC52,true,false,true,2026-11-20T10:00:00Z,false")
    };
    let with = format!(
        "{head},labels\n{},Warehouse | Store 12\n{},\n{},unknown\n",
        row("and-1"),
        row("and-2"),
        row("and-3")
    );
    let devices = parse_csv(with.as_bytes()).unwrap();
    assert_eq!(
        devices[0].labels,
        Some(vec!["Warehouse".into(), "Store 12".into()])
    );
    assert_eq!(devices[1].labels, Some(vec![]));
    assert_eq!(devices[2].labels, None);
    // Semicolon-separated columns keep `|` between labels.
    let semi = with.replace(',', ";");
    assert_eq!(parse_csv(semi.as_bytes()).unwrap(), devices);
    let without = format!("{head}\n{}\n", row("and-1"));
    assert_eq!(parse_csv(without.as_bytes()).unwrap()[0].labels, None);
}

#[test]
fn bad_labels_refuse_the_file_naming_each_one() {
    let text = file(&[
        device("and-1", r#","labels":["Warehouse","warehouse"]"#),
        device("and-2", r#","labels":["","a|b","unknown"]"#),
        device("and-3", r#","labels":"Warehouse""#),
        device("and-4", r#","labels":["Warehouse"]"#),
    ]);
    let err = parse_json(text.as_bytes()).unwrap_err();
    let found: Vec<(Option<u32>, &str)> = err
        .errors
        .iter()
        .map(|e| (e.index, e.field.as_str()))
        .collect();
    assert_eq!(
        &found[..4],
        &[
            (Some(0), "labels[1]"),
            (Some(1), "labels[0]"),
            (Some(1), "labels[1]"),
            (Some(1), "labels[2]"),
        ],
        "{err:?}"
    );
    assert_eq!(err.total, 5, "{err:?}");
    assert_eq!(err.errors[4].index, Some(2));
    assert!(err.errors[1].reason.contains("empty"), "{err:?}");

    let head = "id,name,user_name,user_email,platform,os_version,manufacturer,model,kiosk,mam_only,online,last_checkin,host_activated,labels";
    let csv = format!(
        "{head}\nand-1,A,Ana,ana@example.com,android,14,Zebra,TC52,true,false,true,2026-11-20T10:00:00Z,false,Warehouse||Store 12\n"
    );
    let err = parse_csv(csv.as_bytes()).unwrap_err();
    assert_eq!(
        (err.errors[0].line, err.errors[0].field.as_str()),
        (Some(2), "labels[1]")
    );
    let long = format!(
        "{head}\nand-1,A,Ana,ana@example.com,android,14,Zebra,TC52,true,false,true,2026-11-20T10:00:00Z,false,{}\n",
        "x".repeat(129)
    );
    assert!(parse_csv(long.as_bytes()).unwrap_err().errors[0]
        .reason
        .contains("longer than 128"));
}
