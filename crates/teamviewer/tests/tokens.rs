//! Token upkeep: refresh rotation, single-flight refresh, ping, sign-out, script tokens.

use std::sync::Arc;
use std::time::Duration;

use helpatwork_teamviewer::{
    AuthKind, ClientOptions, ErrorCode, InMemoryStore, Sensitive, SignOutOutcome, TeamViewerConfig,
    TeamViewerError,
};
use helpatwork_teamviewer_sandbox::{Endpoint, Failure, SandboxOptions};

use crate::support;

fn token(value: &serde_json::Value, name: &str) -> String {
    value[name].as_str().expect("token string").to_owned()
}

#[tokio::test]
async fn refresh_rotates_and_old_token_dies() {
    let (sandbox, client, store) = support::signed_in().await;
    let before = support::stored_tokens(&store).expect("stored");
    sandbox.handle.expire_access_tokens();

    client.account().await.expect("account after one refresh");

    assert_eq!(
        sandbox.handle.refresh_tokens_used(),
        vec![token(&before, "refresh_token")]
    );
    let after = support::stored_tokens(&store).expect("stored");
    assert_ne!(
        token(&after, "access_token"),
        token(&before, "access_token")
    );
    assert_ne!(
        token(&after, "refresh_token"),
        token(&before, "refresh_token")
    );
    // The used refresh token is dead.
    let (status, body) = support::post_token(
        &sandbox,
        &[
            ("grant_type", "refresh_token"),
            ("refresh_token", &token(&before, "refresh_token")),
            ("client_id", &sandbox.client_id),
            ("client_secret", &sandbox.client_secret),
        ],
    )
    .await;
    assert_eq!(status, 400);
    assert_eq!(body["error"], "invalid_request");
    assert!(body["error_description"]
        .as_str()
        .is_some_and(|d| d.contains("refresh_token")));
    // The refresh form is TeamViewer's documented one.
    let refresh = sandbox
        .handle
        .token_requests()
        .into_iter()
        .find(|r| r.grant_type == "refresh_token")
        .expect("a refresh request");
    assert_eq!(
        refresh.fields,
        ["client_id", "client_secret", "grant_type", "refresh_token"]
    );
}

#[tokio::test]
async fn concurrent_refresh_makes_one_request() {
    let (sandbox, client, _store) = support::signed_in().await;
    sandbox.handle.expire_access_tokens();
    sandbox.handle.clear_requests();

    let calls: Vec<_> = (0..8)
        .map(|_| {
            let client = client.clone();
            tokio::spawn(async move { client.account().await })
        })
        .collect();
    for call in calls {
        call.await.expect("task").expect("account");
    }

    assert_eq!(sandbox.handle.refresh_tokens_used().len(), 1);
    assert_eq!(
        sandbox.handle.request_count(Endpoint::Token),
        1,
        "one refresh request"
    );
}

#[tokio::test]
async fn due_token_is_refreshed_before_the_call() {
    let sandbox = support::sandbox_with(SandboxOptions {
        access_token_ttl: Duration::from_secs(1),
        ..SandboxOptions::default()
    })
    .await;
    let (client, _store) = support::app_client_with(
        &sandbox,
        ClientOptions {
            refresh_margin: Duration::ZERO,
            ..support::fast_options()
        },
    );
    support::sign_in(&client).await;
    assert!(client.token_expires_at().await.expect("expiry").is_some());
    tokio::time::sleep(Duration::from_millis(1100)).await;
    sandbox
        .handle
        .set_access_token_ttl(Duration::from_secs(3600));
    sandbox.handle.clear_requests();

    client.account().await.expect("account");

    assert_eq!(sandbox.handle.refresh_tokens_used().len(), 1);
    assert_eq!(
        sandbox.handle.request_count(Endpoint::Account),
        1,
        "no 401 round trip"
    );
}

#[tokio::test]
async fn expired_token_is_refreshed_once_and_retried_once() {
    let (sandbox, client, _store) = support::signed_in().await;
    sandbox.handle.clear_requests();
    sandbox
        .handle
        .inject(Endpoint::Account, Failure::TokenExpired);

    let err = client.account().await.expect_err("always expired");

    assert_eq!(err, TeamViewerError::TokenExpired);
    assert_eq!(
        sandbox.handle.request_count(Endpoint::Token),
        1,
        "one refresh"
    );
    assert_eq!(
        sandbox.handle.request_count(Endpoint::Account),
        2,
        "one retry"
    );
}

#[tokio::test]
async fn ping_false_triggers_refresh() {
    let (sandbox, client, _store) = support::signed_in().await;
    sandbox.handle.expire_access_tokens();
    sandbox.handle.clear_requests();

    assert_eq!(
        client
            .ensure_valid_token()
            .await
            .expect("valid after refresh"),
        AuthKind::OAuth
    );

    assert_eq!(sandbox.handle.request_count(Endpoint::Ping), 2);
    assert_eq!(sandbox.handle.refresh_tokens_used().len(), 1);
    assert!(client.ping().await.expect("ping"));
}

#[tokio::test]
async fn rejected_refresh_requires_sign_in() {
    let (sandbox, client, store) = support::signed_in().await;
    sandbox.handle.expire_access_tokens();
    sandbox
        .handle
        .inject(Endpoint::Token, Failure::InvalidRequest);

    let err = client.account().await.expect_err("refresh refused");

    assert_eq!(err, TeamViewerError::SignInNeeded);
    assert_eq!(err.fix(), "Sign in to TeamViewer.");
    assert!(
        support::stored_tokens(&store).is_none(),
        "dead tokens are deleted"
    );
    assert_eq!(client.auth_kind().await.expect("auth kind"), None);
}

#[tokio::test]
async fn transient_refresh_failure_keeps_the_tokens() {
    let (sandbox, client, store) = support::signed_in().await;
    sandbox.handle.expire_access_tokens();
    sandbox
        .handle
        .inject_times(Endpoint::Token, Failure::ServerError(503), 1);

    let err = client.account().await.expect_err("refresh failed");
    assert_eq!(err.code(), ErrorCode::ServiceUnavailable);
    assert_eq!(
        sandbox.handle.request_count(Endpoint::Token),
        2,
        "the refresh itself is not retried"
    );
    assert!(support::stored_tokens(&store).is_some());

    client.account().await.expect("the next call refreshes");
}

#[tokio::test]
async fn sign_out_revokes_and_deletes() {
    let (sandbox, client, store) = support::signed_in().await;
    let stored = support::stored_tokens(&store).expect("stored");

    assert_eq!(
        client.sign_out().await.expect("sign out"),
        SignOutOutcome::Revoked
    );

    let revoked = sandbox.handle.revoked_tokens();
    assert!(revoked.contains(&token(&stored, "access_token")));
    assert!(revoked.contains(&token(&stored, "refresh_token")));
    assert!(support::stored_tokens(&store).is_none());
    assert_eq!(client.account().await, Err(TeamViewerError::SignInNeeded));
    assert_eq!(
        client.sign_out().await.expect("again"),
        SignOutOutcome::NotSignedIn
    );
    let revoke = sandbox
        .handle
        .requests()
        .into_iter()
        .find(|r| r.endpoint == Some(Endpoint::Revoke))
        .expect("revoke request");
    assert!(revoke.authorized, "token sent in Authorization");
}

#[tokio::test]
async fn sign_out_with_expired_access_token_kills_the_refresh_token() {
    let (sandbox, client, store) = support::signed_in().await;
    let stored = support::stored_tokens(&store).expect("stored");
    sandbox.handle.expire_access_tokens();

    assert_eq!(
        client.sign_out().await.expect("sign out"),
        SignOutOutcome::Revoked
    );

    assert_eq!(
        sandbox.handle.refresh_tokens_used(),
        vec![token(&stored, "refresh_token")]
    );
    assert_eq!(
        sandbox.handle.revoked_tokens().len(),
        2,
        "the rotated pair is revoked"
    );
    assert!(support::stored_tokens(&store).is_none());
}

#[tokio::test]
async fn sign_out_deletes_locally_when_revoke_fails() {
    let (sandbox, client, store) = support::signed_in().await;
    sandbox
        .handle
        .inject(Endpoint::Revoke, Failure::ServerError(503));

    assert_eq!(
        client.sign_out().await.expect("sign out"),
        SignOutOutcome::DeletedLocallyOnly(ErrorCode::ServiceUnavailable)
    );
    assert!(support::stored_tokens(&store).is_none());
}

#[tokio::test]
async fn script_token_skips_oauth() {
    let sandbox = support::sandbox().await;
    sandbox
        .handle
        .add_script_token("1234567-ScriptTokenForTests");
    let config = TeamViewerConfig::for_service(&sandbox.base_url, &sandbox.login_url)
        .expect("config")
        .with_script_token(Sensitive::from("1234567-ScriptTokenForTests"));
    let client = support::client(
        config,
        Arc::new(InMemoryStore::new()),
        support::fast_options(),
    );

    assert_eq!(
        client.auth_kind().await.expect("kind"),
        Some(AuthKind::ScriptToken)
    );
    assert_eq!(
        client.ensure_valid_token().await.expect("valid"),
        AuthKind::ScriptToken
    );
    let ignoring = |_: &helpatwork_teamviewer::Url| Err("must not be called".to_owned());
    let account = client
        .sign_in(&ignoring, support::quick_sign_in())
        .await
        .expect("account");
    assert_eq!(account.userid, "u11293276");
    assert_eq!(
        client.sign_out().await.expect("sign out"),
        SignOutOutcome::ScriptToken
    );
    assert!(client.ping().await.expect("still usable"));

    sandbox
        .handle
        .inject(Endpoint::Account, Failure::TokenExpired);
    assert_eq!(client.account().await, Err(TeamViewerError::TokenExpired));
    assert_eq!(sandbox.handle.request_count(Endpoint::Authorize), 0);
    assert_eq!(sandbox.handle.request_count(Endpoint::Token), 0);
}

#[tokio::test]
async fn invalid_script_token_is_reported() {
    let sandbox = support::sandbox().await;
    let config = TeamViewerConfig::for_service(&sandbox.base_url, &sandbox.login_url)
        .expect("config")
        .with_script_token(Sensitive::from("7654321-NotAToken"));
    let client = support::client(
        config,
        Arc::new(InMemoryStore::new()),
        support::fast_options(),
    );
    assert_eq!(
        client.ensure_valid_token().await,
        Err(TeamViewerError::InvalidToken)
    );
}

#[tokio::test]
async fn no_token_means_sign_in_needed() {
    let sandbox = support::sandbox().await;
    let (client, _store) = support::app_client(&sandbox);
    assert_eq!(client.auth_kind().await.expect("kind"), None);
    let err = client.ensure_valid_token().await.expect_err("signed out");
    assert_eq!(err.code(), ErrorCode::SignInNeeded);
    assert!(
        sandbox.handle.requests().is_empty(),
        "no request without a token"
    );
}

#[tokio::test]
async fn a_new_client_reads_the_stored_pair() {
    let (sandbox, client, store) = support::signed_in().await;
    drop(client);
    let again = support::client(
        support::app_config(&sandbox),
        store,
        support::fast_options(),
    );
    assert_eq!(
        again.auth_kind().await.expect("kind"),
        Some(AuthKind::OAuth)
    );
    again
        .account()
        .await
        .expect("account with the stored token");
}
