//! Every documented `error` value, and broken answers, map to typed errors with a fix.

use std::sync::Arc;
use std::time::Duration;

use helpatwork_teamviewer::{
    ClientOptions, ErrorCode, InMemoryStore, NewSession, RetryPolicy, SessionQuery, TeamViewerError,
};
use helpatwork_teamviewer_sandbox::{Endpoint, Failure};

use crate::support;

/// Injects `failure` on `GET /account` for every request and returns the client's error.
async fn account_error(failure: Failure) -> TeamViewerError {
    let (sandbox, client, _store) = support::signed_in().await;
    sandbox.handle.inject(Endpoint::Account, failure);
    let err = client.account().await.expect_err("injected failure");
    assert!(!err.fix().is_empty());
    assert!(!err.to_string().is_empty());
    err
}

#[tokio::test]
async fn error_invalid_request_maps_to_invalid_request() {
    let err = account_error(Failure::InvalidRequest).await;
    assert_eq!(err.code(), ErrorCode::InvalidRequest);
    assert_eq!(
        err.to_string(),
        "TeamViewer rejected the request: Invalid request"
    );
}

#[tokio::test]
async fn error_invalid_token_maps_to_invalid_token() {
    let err = account_error(Failure::InvalidToken).await;
    assert_eq!(err, TeamViewerError::InvalidToken);
}

#[tokio::test]
async fn error_token_expired_maps_to_token_expired() {
    let err = account_error(Failure::TokenExpired).await;
    assert_eq!(err, TeamViewerError::TokenExpired);
}

#[tokio::test]
async fn error_internal_error_maps_to_internal_error_with_signature() {
    let err = account_error(Failure::ServerError(500)).await;
    assert_eq!(err.code(), ErrorCode::InternalError);
    assert!(
        err.signature().is_some_and(|s| s.starts_with("sandbox-")),
        "{err:?}"
    );
}

#[tokio::test]
async fn error_blocked_maps_to_blocked() {
    assert_eq!(
        account_error(Failure::Blocked).await,
        TeamViewerError::Blocked
    );
}

#[tokio::test]
async fn error_rate_limit_reached_maps_to_rate_limited() {
    assert_eq!(
        account_error(Failure::RateLimited).await,
        TeamViewerError::RateLimited
    );
}

#[tokio::test]
async fn error_invalid_client_maps_to_invalid_client() {
    let (sandbox, client, _store) = support::signed_in().await;
    sandbox.handle.expire_access_tokens();
    sandbox
        .handle
        .inject(Endpoint::Token, Failure::InvalidClient);
    let err = client
        .account()
        .await
        .expect_err("refresh with a rejected client");
    assert_eq!(err, TeamViewerError::InvalidClient);
    assert!(err.fix().contains("client ID and client secret"));
}

#[tokio::test]
async fn error_email_in_use_maps_to_email_in_use() {
    assert_eq!(
        account_error(Failure::EmailInUse).await,
        TeamViewerError::EmailInUse
    );
}

#[tokio::test]
async fn licence_limitation_maps_to_licence_limit() {
    let (sandbox, client, _store) = support::signed_in().await;
    sandbox.handle.set_max_open_sessions(Some(1));
    client
        .create_session(&NewSession::default())
        .await
        .expect("first session");
    let err = client
        .create_session(&NewSession::default())
        .await
        .expect_err("licence allows one");
    assert_eq!(err.code(), ErrorCode::LicenceLimit);
    assert_eq!(err.code().as_str(), "licence_limit");
    assert!(err
        .to_string()
        .starts_with("The TeamViewer licence allows no more concurrent sessions"));
    assert_eq!(sandbox.handle.sessions_created(), 1);

    sandbox.handle.set_max_open_sessions(None);
    sandbox
        .handle
        .inject_times(Endpoint::CreateSession, Failure::LicenceLimit, 1);
    let err = client
        .create_session(&NewSession::default())
        .await
        .expect_err("injected");
    assert_eq!(err.code(), ErrorCode::LicenceLimit);
}

#[tokio::test]
async fn gateway_errors_map_to_service_unavailable() {
    let err = account_error(Failure::ServerError(502)).await;
    assert_eq!(err, TeamViewerError::ServiceUnavailable { status: 502 });
}

#[tokio::test]
async fn slow_answer_maps_to_timeout() {
    let sandbox = support::sandbox().await;
    let (client, _store) = support::app_client_with(
        &sandbox,
        ClientOptions {
            request_timeout: Duration::from_secs(1),
            retry: RetryPolicy::never(),
            ..support::fast_options()
        },
    );
    support::sign_in(&client).await;
    sandbox
        .handle
        .inject(Endpoint::Account, Failure::Delay(Duration::from_secs(3)));
    let err = client.account().await.expect_err("too slow");
    assert_eq!(err, TeamViewerError::Timeout);
}

#[tokio::test]
async fn unreachable_service_maps_to_connection_failed() {
    let sandbox = support::sandbox().await;
    let (client, _store) = support::app_client(&sandbox);
    support::sign_in(&client).await;
    sandbox.shutdown().await;
    let err = client.account().await.expect_err("nothing listens");
    assert_eq!(err, TeamViewerError::ConnectionFailed);
}

#[tokio::test]
async fn malformed_response_is_typed() {
    for failure in [
        Failure::MalformedJson,
        Failure::TruncatedBody,
        Failure::Oversized(2 * 1024 * 1024),
    ] {
        let (sandbox, client, _store) = support::signed_in().await;
        sandbox.handle.inject(Endpoint::Account, failure.clone());
        sandbox
            .handle
            .inject(Endpoint::ListSessions, failure.clone());
        sandbox
            .handle
            .inject(Endpoint::CreateSession, failure.clone());
        sandbox.handle.inject(Endpoint::Ping, failure.clone());
        let account = client.account().await.expect_err("account");
        let list = client
            .list_sessions(&SessionQuery::default())
            .await
            .expect_err("list");
        let create = client
            .create_session(&NewSession::default())
            .await
            .expect_err("create");
        let ping = client.ping().await.expect_err("ping");
        for err in [account, list, create, ping] {
            assert_eq!(
                err.code(),
                ErrorCode::MalformedResponse,
                "{failure:?}: {err:?}"
            );
        }
        // The garbled create did create a session and was not retried.
        assert_eq!(sandbox.handle.request_count(Endpoint::CreateSession), 1);
    }
}

#[tokio::test]
async fn oversized_body_is_capped_at_the_configured_size() {
    let sandbox = support::sandbox().await;
    let store = Arc::new(InMemoryStore::new());
    let client = support::client(
        support::app_config(&sandbox),
        store,
        ClientOptions {
            max_body_bytes: 4096,
            ..support::fast_options()
        },
    );
    support::sign_in(&client).await;
    sandbox
        .handle
        .inject(Endpoint::Account, Failure::Oversized(5000));
    let err = client.account().await.expect_err("too big");
    assert_eq!(err.code(), ErrorCode::MalformedResponse);
    assert!(err.to_string().contains("4096"));
}

#[tokio::test]
async fn unexpected_extra_fields_are_ignored() {
    let (sandbox, client, _store) = support::signed_in().await;
    for endpoint in [
        Endpoint::Account,
        Endpoint::CreateSession,
        Endpoint::GetSession,
        Endpoint::ListSessions,
        Endpoint::Ping,
    ] {
        sandbox.handle.inject(endpoint, Failure::ExtraFields);
    }
    client.account().await.expect("account");
    let session = client
        .create_session(&NewSession::default())
        .await
        .expect("create");
    client.session(&session.code).await.expect("get");
    let listed = client
        .list_sessions(&SessionQuery::default())
        .await
        .expect("list");
    assert_eq!(listed.len(), 1);
    assert!(client.ping().await.expect("ping"));
}
