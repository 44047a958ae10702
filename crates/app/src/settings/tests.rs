//! Settings read, validated, saved and overridden, against a temporary file and keyring.

use super::*;
use helpatwork_teamviewer::InMemoryStore;

fn settings(dir: &Path, env: &'static [(&'static str, &'static str)]) -> Settings {
    Settings::load_with(
        dir.join("settings.json"),
        Arc::new(move |n: &str| {
            env.iter()
                .find(|(k, _)| *k == n)
                .map(|(_, v)| v.to_string())
        }),
        Arc::new(InMemoryStore::new()),
    )
    .unwrap()
}

#[test]
fn values_round_trip_through_the_file_and_env_wins() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = settings(dir.path(), &[("HELPATWORK_IVANTI_USER", "env-user")]);
    s.set("mdm.connector", "ivanti").unwrap();
    s.set("ivanti.url", "https://na1.mobileiron.com/").unwrap();
    let change = s.set("ivanti.user", "api@tenant.example").unwrap();
    assert_eq!(
        change.overridden_by.as_deref(),
        Some("HELPATWORK_IVANTI_USER")
    );
    assert!(change.restart);
    let again = settings(dir.path(), &[("HELPATWORK_IVANTI_USER", "env-user")]);
    assert_eq!(
        again.lookup("HELPATWORK_IVANTI_URL").as_deref(),
        Some("https://na1.mobileiron.com")
    );
    assert_eq!(
        again.lookup("HELPATWORK_IVANTI_USER").as_deref(),
        Some("env-user"),
        "the environment wins over the file"
    );
    let user = again
        .view()
        .entries
        .into_iter()
        .find(|e| e.key == "ivanti.user")
        .unwrap();
    assert_eq!(user.source, SettingSource::Env);
    assert!(user.overridden);
    assert_eq!(user.saved.as_deref(), Some("api@tenant.example"));
}

#[test]
fn secrets_go_to_the_keyring_never_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = settings(dir.path(), &[]);
    s.set("mdm.connector", "ivanti").unwrap();
    s.set("ivanti.password", "s3cret pass").unwrap();
    let text = std::fs::read_to_string(dir.path().join("settings.json")).unwrap();
    assert!(!text.contains("s3cret"), "{text}");
    assert_eq!(
        s.lookup("HELPATWORK_IVANTI_PASSWORD").as_deref(),
        Some("s3cret pass")
    );
    let view = serde_json::to_string(&s.view()).unwrap();
    assert!(!view.contains("s3cret"), "{view}");
    let entry = s
        .view()
        .entries
        .into_iter()
        .find(|e| e.key == "ivanti.password")
        .unwrap();
    assert!(entry.is_set && entry.secret && entry.value.is_none());
    assert_eq!(entry.source, SettingSource::Keyring);
    s.set("ivanti.password", "").unwrap();
    assert_eq!(s.lookup("HELPATWORK_IVANTI_PASSWORD"), None);
}

#[test]
fn bad_values_change_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = settings(dir.path(), &[]);
    s.set("language", "pt-BR").unwrap();
    let before = std::fs::read_to_string(dir.path().join("settings.json")).unwrap();
    for (key, value, code) in [
        ("language", "fr", ErrorCode::InvalidInput),
        ("mdm.connector", "jamf", ErrorCode::InvalidInput),
        (
            "ivanti.url",
            "http://mdm.example.com",
            ErrorCode::InvalidInput,
        ),
        (
            "ivanti.url",
            "https://u:p@mdm.example.com",
            ErrorCode::InvalidInput,
        ),
        ("ivanti.partition", "default", ErrorCode::InvalidInput),
        (
            "store.url",
            "postgres://agent:pw@db.example/help",
            ErrorCode::InvalidInput,
        ),
        ("store.url", "relative/path.db", ErrorCode::InvalidInput),
        ("store.url", "/no/such/dir/h.db", ErrorCode::InvalidInput),
        (
            "store.url",
            "mysql://db.example/help",
            ErrorCode::InvalidInput,
        ),
        (
            "desktop.teamviewer_home",
            "/no/such/teamviewer",
            ErrorCode::InvalidInput,
        ),
        ("teamviewer.client_id", "has space", ErrorCode::InvalidInput),
        ("nonsense", "1", ErrorCode::InvalidInput),
    ] {
        let e = s.set(key, value).unwrap_err();
        assert_eq!(e.code, code, "{key}={value}");
        assert!(e.fix.is_some(), "{key}={value} has a fix");
        assert!(!e.message.contains("pw@"), "no password in {}", e.message);
    }
    let after = std::fs::read_to_string(dir.path().join("settings.json")).unwrap();
    assert_eq!(before, after);
    let e = s
        .set("store.url", "postgres://agent:pw@db.example/help")
        .unwrap_err();
    assert!(e.fix.unwrap().contains("PGPASSFILE"));
}

#[test]
fn store_values_become_urls() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = settings(dir.path(), &[]);
    let db = dir.path().join("team.db");
    s.set("store.url", db.to_str().unwrap()).unwrap();
    assert_eq!(
        s.database_url(),
        Some(format!("sqlite://{}?mode=rwc", db.display()))
    );
    s.set("store.url", "postgres://agent@db.example:5432/help")
        .unwrap();
    assert_eq!(
        s.database_url().as_deref(),
        Some("postgres://agent@db.example:5432/help")
    );
}

#[test]
fn a_script_token_is_used_only_when_chosen() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = settings(dir.path(), &[]);
    s.set("teamviewer.token", "tok").unwrap();
    assert_eq!(s.lookup("HELPATWORK_TEAMVIEWER_TOKEN"), None);
    s.set("teamviewer.sign_in", "script_token").unwrap();
    assert_eq!(
        s.lookup("HELPATWORK_TEAMVIEWER_TOKEN").as_deref(),
        Some("tok")
    );
}

#[test]
fn a_hand_edited_file_is_checked_when_read() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("settings.json");
    let load = || {
        Settings::load_with(
            file.clone(),
            Arc::new(|_: &str| None),
            Arc::new(InMemoryStore::new()),
        )
    };
    std::fs::write(&file, r#"{"version":1,"values":{"ivanti.password":"x"}}"#).unwrap();
    assert!(load().unwrap_err().message.contains("keyring"));
    std::fs::write(&file, r#"{"version":1,"values":{"language":"klingon"}}"#).unwrap();
    assert_eq!(load().unwrap_err().code, ErrorCode::InvalidInput);
    std::fs::write(&file, "{not json").unwrap();
    assert!(load().unwrap_err().fix.unwrap().contains("settings set"));
}

#[test]
fn intune_settings_are_checked_and_the_secret_goes_to_the_keyring() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = settings(dir.path(), &[]);
    s.set("mdm.connector", "intune").unwrap();
    let err = s.set("intune.tenant_id", "not a tenant").unwrap_err();
    assert!(
        err.fix
            .as_deref()
            .unwrap_or_default()
            .contains("Directory (tenant) ID"),
        "{err:?}"
    );
    let err = s.set("intune.client_id", "client").unwrap_err();
    assert!(
        err.fix
            .as_deref()
            .unwrap_or_default()
            .contains("Application (client) ID"),
        "{err:?}"
    );
    s.set("intune.tenant_id", "contoso.onmicrosoft.com")
        .unwrap();
    s.set("intune.client_id", "3E7B1F5C-2D4A-4C8E-9F61-0A2B3C4D5E6F")
        .unwrap();
    s.set("intune.client_secret", "graph~secret.value").unwrap();
    let text = std::fs::read_to_string(dir.path().join("settings.json")).unwrap();
    assert!(!text.contains("graph~secret"), "{text}");
    assert_eq!(
        s.lookup("HELPATWORK_INTUNE_CLIENT_ID").as_deref(),
        Some("3e7b1f5c-2d4a-4c8e-9f61-0a2b3c4d5e6f")
    );
    assert_eq!(
        s.lookup("HELPATWORK_INTUNE_CLIENT_SECRET").as_deref(),
        Some("graph~secret.value")
    );
    let connector = s.connector().unwrap().expect("an MDM connector");
    assert_eq!(connector.name(), "Microsoft Intune");
    // The Intune secret is not read for another connector.
    s.set("mdm.connector", "ivanti").unwrap();
    assert_eq!(s.lookup("HELPATWORK_INTUNE_CLIENT_SECRET"), None);
}
