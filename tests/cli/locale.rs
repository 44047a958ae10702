//! A device's locale from the command line: a fleet file gives a device its locale, `devices
//! show` says it (or that it is unknown), the session's coaching card (TeamViewer's waiting
//! message) speaks it on an English product, and a bad one refuses the file with its fix in the
//! agent's language, changing nothing.

use helpatwork_e2e::{fleet_json, Run, World};

#[track_caller]
fn ok(r: Run) -> serde_json::Value {
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    r.json()
}

/// The test fleet with `locale` set on `and-001`.
fn fleet_with_locale(locale: &str) -> String {
    let mut fleet: serde_json::Value = serde_json::from_str(&fleet_json()).unwrap();
    for d in fleet["devices"].as_array_mut().unwrap() {
        if d["id"] == "and-001" {
            d["locale"] = serde_json::json!(locale);
        }
    }
    fleet.to_string()
}

#[test]
fn a_pt_br_device_gets_a_pt_br_card_on_an_english_product() {
    let w = World::new("15.75.1", true);
    let m = &w.machine;
    let file = m.write("locales.json", fleet_with_locale("pt-BR"));
    ok(m.run(&["--json", "devices", "import", file.to_str().unwrap()]));
    let shown = ok(m.run(&["--json", "devices", "show", "and-001"]));
    assert_eq!(shown["locale"], "pt-BR");
    let text = m.run(&["devices", "show", "and-001"]);
    assert!(text.stdout.contains("Locale: pt-BR"), "{}", text.stdout);
    let text = m.run(&["--lang", "pt-BR", "devices", "show", "ios-002"]);
    assert!(
        text.stdout
            .contains("Localidade: desconhecida: o arquivo da frota não a declara"),
        "{}",
        text.stdout
    );

    // The product speaks English; the device's card is in Portuguese.
    let s = ok(m.run(&["--json", "session", "start", "and-001", "--no-launch"]));
    let case = w
        .sandbox
        .handle
        .session(s["code"].as_str().unwrap())
        .unwrap();
    let card = case.waiting_message.unwrap_or_default();
    for step in [
        "contrato de licença (EULA)",
        "em segundo plano",
        "código da sessão",
    ] {
        assert!(card.contains(step), "{step}: {card}");
    }
    assert!(!card.contains("licence agreement"), "{card}");
    ok(m.run(&["--json", "session", "close", s["id"].as_str().unwrap()]));

    // A device whose locale is unknown gets the product's language.
    let s = ok(m.run(&["--json", "session", "start", "ios-002", "--no-launch"]));
    let case = w
        .sandbox
        .handle
        .session(s["code"].as_str().unwrap())
        .unwrap();
    let card = case.waiting_message.unwrap_or_default();
    assert!(card.contains("licence agreement (EULA)"), "{card}");
    ok(m.run(&["--json", "session", "close", s["id"].as_str().unwrap()]));
}

#[test]
fn a_bad_locale_refuses_the_file_with_its_fix_and_changes_nothing() {
    let w = World::new("15.75.1", true);
    let m = &w.machine;
    let file = m.write("locales.json", fleet_with_locale("en_US"));
    ok(m.run(&["--json", "devices", "import", file.to_str().unwrap()]));

    let bad = m.write("bad.json", fleet_with_locale("pt BR"));
    let refused = m.run(&[
        "--json",
        "--lang",
        "pt-BR",
        "devices",
        "import",
        bad.to_str().unwrap(),
    ]);
    assert_eq!(refused.code, 2, "{}", refused.stdout);
    let error = &refused.json()["error"];
    assert!(
        error["message"]
            .as_str()
            .unwrap()
            .contains("nada foi importado"),
        "{error}"
    );
    assert!(
        error["fix"].as_str().unwrap().contains("Localidade: "),
        "{error}"
    );
    assert_eq!(error["details"]["errors"][0]["field"], "locale", "{error}");
    let still = ok(m.run(&["--json", "devices", "show", "and-001"]));
    assert_eq!(still["locale"], "en_US");
}
