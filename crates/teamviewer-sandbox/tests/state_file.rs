//! A state file shared by two sandboxes (as two demo processes run them): sessions and tokens
//! made through one are seen by the other, and survive both.

use helpatwork_teamviewer_sandbox::{spawn, SandboxOptions};
use serde_json::{json, Value};

async fn on(file: &std::path::Path) -> helpatwork_teamviewer_sandbox::Sandbox {
    spawn(SandboxOptions {
        state_file: Some(file.to_owned()),
        ..Default::default()
    })
    .await
    .expect("sandbox starts")
}

#[tokio::test]
async fn two_sandboxes_on_one_state_file_share_sessions_and_tokens() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("sandbox.json");
    let http = reqwest::Client::new();
    let first = on(&file).await;
    let tokens = first.handle.issue_tokens();
    let created: Value = http
        .post(format!("{}/sessions", first.base_url))
        .bearer_auth(&tokens.access_token)
        .json(&json!({"groupname": "Help@Work"}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let code = created["code"].as_str().unwrap().to_string();

    // Another process: its own server, the same file.
    let second = on(&file).await;
    let got = http
        .get(format!("{}/sessions/{code}", second.base_url))
        .bearer_auth(&tokens.access_token)
        .send()
        .await
        .unwrap();
    assert_eq!(
        got.status(),
        200,
        "the token issued by the first is valid here"
    );
    let got: Value = got.json().await.unwrap();
    assert_eq!(got["state"], "Open");

    // A change through one is seen through the other, and in the file after both are gone.
    assert!(second.handle.set_online(&code, true));
    let listed: Value = http
        .get(format!("{}/sessions", first.base_url))
        .bearer_auth(&tokens.access_token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(listed["sessions"][0]["online"], true, "{listed}");
    assert!(first.handle.close_case(&code));
    drop(first);
    drop(second);
    let third = on(&file).await;
    assert_eq!(third.handle.session(&code).unwrap().state, "Closed");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        let mode = std::fs::metadata(&file).unwrap().permissions().mode();
        assert_eq!(mode & 0o077, 0, "the state file holds tokens: owner only");
    }
}
