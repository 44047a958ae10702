//! No token or client secret in logs, files, errors or Debug output over a full flow.

use std::sync::{Arc, Mutex};

use helpatwork_teamviewer::{NewSession, SessionQuery, TeamViewerError};
use helpatwork_teamviewer_sandbox::{Endpoint, Failure};

use crate::support;

#[tokio::test]
async fn no_token_in_data_dir_or_logs() {
    let data_dir = tempfile::tempdir().expect("temp dir");
    let log_path = data_dir.path().join("helpatwork.log");
    let log_file = std::fs::File::create(&log_path).expect("log file");
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_ansi(false)
        .with_writer(Mutex::new(log_file))
        .finish();
    // Current-thread runtime: the client, the sandbox and the fake browser all log here.
    let _guard = tracing::subscriber::set_default(subscriber);

    let sandbox = support::sandbox().await;
    let (client, store) = support::app_client(&sandbox);
    let mut texts = Vec::new();

    let account = client
        .sign_in(&support::FakeBrowser::default(), support::quick_sign_in())
        .await
        .expect("sign-in");
    client.ensure_valid_token().await.expect("valid");
    let session = client
        .create_session(&NewSession::default())
        .await
        .expect("create");
    client
        .list_sessions(&SessionQuery::default())
        .await
        .expect("list");
    sandbox.handle.expire_access_tokens();
    client
        .session(&session.code)
        .await
        .expect("get after refresh");
    sandbox
        .handle
        .inject_times(Endpoint::Account, Failure::InvalidToken, 1);
    let err = client.account().await.expect_err("invalid token");
    texts.push(format!("{err} {err:?} {}", err.fix()));
    client.sign_out().await.expect("sign out");
    let err: TeamViewerError = client.account().await.expect_err("signed out");
    texts.push(format!("{err} {err:?}"));
    texts.push(format!("{client:?} {store:?} {session:?}"));

    // What an app would keep in its data dir: the non-secret account facts.
    std::fs::write(
        data_dir.path().join("account.json"),
        serde_json::to_vec(&account).expect("account json"),
    )
    .expect("write account");
    drop(_guard);

    let mut secrets = sandbox.handle.issued_tokens();
    assert!(secrets.len() >= 4, "sign-in and refresh issued two pairs");
    secrets.push(sandbox.client_secret.clone());
    let log = std::fs::read_to_string(&log_path).expect("log");
    assert!(
        log.contains("signed in to TeamViewer"),
        "the log is written"
    );
    assert!(log.contains("refreshed the TeamViewer access token"));
    for entry in std::fs::read_dir(data_dir.path()).expect("dir") {
        let path = entry.expect("entry").path();
        let content = String::from_utf8_lossy(&std::fs::read(&path).expect("read")).into_owned();
        texts.push(content);
    }
    let leaked: Arc<Vec<&String>> = Arc::new(
        secrets
            .iter()
            .filter(|secret| texts.iter().any(|text| text.contains(secret.as_str())))
            .collect(),
    );
    assert!(leaked.is_empty(), "{} secret(s) leaked", leaked.len());
}
