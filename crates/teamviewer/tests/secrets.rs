//! Secrets: redaction, one keyring entry for the pair, and the real keyring (keyutils).

use std::sync::Arc;

// The real-keyring tests use the kernel keyring: Linux only.
#[cfg_attr(not(target_os = "linux"), allow(unused_imports))]
use helpatwork_teamviewer::{
    AuthKind, InMemoryStore, KeyringStore, SecretStore, Sensitive, SignOutOutcome,
    TeamViewerConfig, TeamViewerError,
};

use crate::support;

#[tokio::test]
async fn sensitive_never_debug_prints() {
    let secret: Sensitive<String> = Sensitive::from("tv-client-secret-value");
    assert_eq!(format!("{secret:?}"), "<redacted>");
    assert_eq!(format!("{secret}"), "<redacted>");
    assert_eq!(format!("{secret:#?}"), "<redacted>");

    let config = TeamViewerConfig::default()
        .with_app("client-id-1", Sensitive::from("tv-client-secret-value"))
        .with_script_token(Sensitive::from("1234567-ScriptTokenValue"));
    let (sandbox, client, store) = support::signed_in().await;
    let access = support::stored_tokens(&store).expect("stored")["access_token"]
        .as_str()
        .expect("access")
        .to_owned();
    let printed = [
        format!("{config:?}"),
        format!("{config:#?}"),
        format!("{client:?}"),
        format!("{store:?}"),
        format!("{:?}", store.get(support::TOKEN_KEY)),
        format!("{:?}", sandbox.handle.issue_tokens()),
    ];
    for text in printed {
        for needle in [
            "tv-client-secret-value",
            "1234567-ScriptTokenValue",
            access.as_str(),
            &sandbox.client_secret,
        ] {
            assert!(!text.contains(needle), "{needle} leaked in {text}");
        }
    }
}

#[tokio::test]
async fn token_pair_is_one_secret_entry() {
    let (_sandbox, _client, store) = support::signed_in().await;
    let debug = format!("{store:?}");
    assert_eq!(
        debug,
        format!("InMemoryStore {{ keys: [\"{}\"] }}", support::TOKEN_KEY)
    );
    let stored = support::stored_tokens(&store).expect("stored");
    let mut keys: Vec<_> = stored
        .as_object()
        .expect("object")
        .keys()
        .cloned()
        .collect();
    keys.sort();
    assert_eq!(keys, ["access_token", "expires_at", "refresh_token"]);
}

/// Whether this process has a session keyring of its own (`keyctl session -`, or a desktop
/// login). Without one, keyutils writes land in the user-session fallback and reads miss.
#[cfg(target_os = "linux")]
fn session_keyring() -> Result<(), String> {
    let output = std::process::Command::new("keyctl")
        .args(["rdescribe", "@s"])
        .output()
        .map_err(|e| format!("keyctl is not available ({e}); install the keyutils package"))?;
    if !output.status.success() {
        return Err("no session keyring".to_owned());
    }
    let description = String::from_utf8_lossy(&output.stdout);
    let name = description
        .trim()
        .rsplit(';')
        .next()
        .unwrap_or_default()
        .to_owned();
    if name.starts_with("_uid_ses.") {
        return Err(format!(
            "the process has no session keyring of its own (only the fallback {name})"
        ));
    }
    Ok(())
}

/// `true` when the keyring tests can run; skips (printing why) only when
/// `HELPATWORK_KEYRING_TESTS` is unset, and fails when it is set.
#[cfg(target_os = "linux")]
fn keyring_tests_can_run() -> bool {
    match session_keyring() {
        Ok(()) => true,
        Err(reason) if std::env::var_os("HELPATWORK_KEYRING_TESTS").is_none() => {
            println!(
                "SKIPPED keyring test: {reason}. Run `keyctl session - cargo test …` with \
                 HELPATWORK_KEYRING_TESTS=1 to require it."
            );
            false
        }
        Err(reason) => panic!("HELPATWORK_KEYRING_TESTS is set, but {reason}"),
    }
}

#[cfg(target_os = "linux")]
fn keyutils_store(test: &str) -> KeyringStore {
    KeyringStore::with_backend(
        format!("helpatwork-desk-test-{test}-{}", std::process::id()),
        helpatwork_teamviewer::KeyringBackend::LinuxKeyutils,
    )
}

#[cfg(target_os = "linux")]
#[test]
fn keyring_store_roundtrip_with_keyutils() {
    if !keyring_tests_can_run() {
        return;
    }
    let store = keyutils_store("roundtrip");
    let key = "teamviewer-oauth-token";
    store
        .delete(key)
        .expect("delete of a missing entry is fine");
    assert_eq!(store.get(key).expect("get"), None);
    store
        .set(key, &Sensitive::from("{\"access_token\":\"a1\"}"))
        .expect("set");
    assert_eq!(
        store
            .get(key)
            .expect("get")
            .map(Sensitive::into_inner)
            .as_deref(),
        Some("{\"access_token\":\"a1\"}")
    );
    store
        .set(key, &Sensitive::from("{\"access_token\":\"a2\"}"))
        .expect("replace");
    assert_eq!(
        store
            .get(key)
            .expect("get")
            .map(Sensitive::into_inner)
            .as_deref(),
        Some("{\"access_token\":\"a2\"}")
    );
    store.delete(key).expect("delete");
    assert_eq!(store.get(key).expect("get"), None);
}

#[cfg(target_os = "linux")]
#[tokio::test]
async fn sign_in_keeps_tokens_in_the_keyring_and_sign_out_removes_them() {
    if !keyring_tests_can_run() {
        return;
    }
    let sandbox = support::sandbox().await;
    let store = Arc::new(keyutils_store("flow"));
    let client = support::client(
        support::app_config(&sandbox),
        store.clone(),
        support::fast_options(),
    );
    support::sign_in(&client).await;
    assert!(store.get(support::TOKEN_KEY).expect("keyring").is_some());

    // A fresh client (a restarted app) finds the pair in the keyring.
    let restarted = support::client(
        support::app_config(&sandbox),
        store.clone(),
        support::fast_options(),
    );
    assert_eq!(
        restarted.auth_kind().await.expect("kind"),
        Some(AuthKind::OAuth)
    );
    restarted.account().await.expect("account");

    assert_eq!(
        restarted.sign_out().await.expect("sign out"),
        SignOutOutcome::Revoked
    );
    assert_eq!(store.get(support::TOKEN_KEY).expect("keyring"), None);
}

#[tokio::test]
async fn unreadable_stored_tokens_are_a_typed_error() {
    let sandbox = support::sandbox().await;
    let store = Arc::new(InMemoryStore::new());
    store
        .set(
            support::TOKEN_KEY,
            &Sensitive::from("not json but secret-ish"),
        )
        .expect("set");
    let client = support::client(
        support::app_config(&sandbox),
        store,
        support::fast_options(),
    );
    let err = client.account().await.expect_err("corrupt");
    assert!(matches!(err, TeamViewerError::SecretStore(_)));
    assert!(!err.to_string().contains("secret-ish"));
}
