//! Backoff and retries: bounded, jittered, and never for a session create.

use std::time::{Duration, Instant};

use helpatwork_teamviewer::{
    ClientOptions, ErrorCode, NewSession, RetryPolicy, SessionQuery, SessionUpdate, TeamViewerError,
};
use helpatwork_teamviewer_sandbox::{Endpoint, Failure};

use crate::support;

#[tokio::test]
async fn rate_limit_backoff_is_bounded() {
    let sandbox = support::sandbox().await;
    let policy = RetryPolicy {
        max_attempts: 5,
        base_delay: Duration::from_millis(20),
        max_delay: Duration::from_millis(40),
        max_total_wait: Duration::from_millis(400),
    };
    let (client, _store) = support::app_client_with(
        &sandbox,
        ClientOptions {
            retry: policy,
            ..support::fast_options()
        },
    );
    support::sign_in(&client).await;
    sandbox
        .handle
        .inject(Endpoint::Account, Failure::RateLimited);

    let started = Instant::now();
    let err = client.account().await.expect_err("always rate limited");
    let elapsed = started.elapsed();

    assert_eq!(err, TeamViewerError::RateLimited);
    assert_eq!(
        sandbox.handle.request_count(Endpoint::Account),
        5 + 1,
        "sign-in's call + 5 tries"
    );
    // Waits: 10..20, 20..40, 20..40, 20..40 ms (equal jitter), at most 140 ms in all.
    assert!(
        elapsed >= Duration::from_millis(70),
        "backed off: {elapsed:?}"
    );
    assert!(elapsed < Duration::from_secs(2), "bounded: {elapsed:?}");
}

#[tokio::test]
async fn backoff_stops_at_the_total_wait_budget() {
    let sandbox = support::sandbox().await;
    let policy = RetryPolicy {
        max_attempts: 1000,
        base_delay: Duration::from_millis(20),
        max_delay: Duration::from_millis(20),
        max_total_wait: Duration::from_millis(100),
    };
    let (client, _store) = support::app_client_with(
        &sandbox,
        ClientOptions {
            retry: policy,
            ..support::fast_options()
        },
    );
    support::sign_in(&client).await;
    sandbox.handle.clear_requests();
    sandbox.handle.inject(Endpoint::Ping, Failure::RateLimited);

    let started = Instant::now();
    assert_eq!(client.ping().await, Err(TeamViewerError::RateLimited));
    // Each wait is 10..20 ms, so 100 ms allow 5..10 waits.
    let tries = sandbox.handle.request_count(Endpoint::Ping);
    assert!((6..=11).contains(&tries), "{tries} tries");
    assert!(started.elapsed() < Duration::from_secs(2));
}

#[tokio::test]
async fn rate_limit_recovers_after_backoff() {
    let (sandbox, client, _store) = support::signed_in().await;
    sandbox.handle.clear_requests();
    sandbox
        .handle
        .inject_times(Endpoint::Account, Failure::RateLimited, 2);
    client.account().await.expect("third try works");
    assert_eq!(sandbox.handle.request_count(Endpoint::Account), 3);
}

#[tokio::test]
async fn create_is_never_retried() {
    let sandbox = support::sandbox().await;
    let (client, _store) = support::app_client_with(
        &sandbox,
        ClientOptions {
            request_timeout: Duration::from_secs(1),
            ..support::fast_options()
        },
    );
    support::sign_in(&client).await;
    let cases = [
        (Failure::ServerError(500), ErrorCode::InternalError),
        (Failure::ServerError(503), ErrorCode::ServiceUnavailable),
        (Failure::RateLimited, ErrorCode::RateLimited),
        (Failure::Delay(Duration::from_secs(3)), ErrorCode::Timeout),
        (Failure::TruncatedBody, ErrorCode::MalformedResponse),
    ];
    for (tries, (failure, code)) in cases.into_iter().enumerate() {
        sandbox
            .handle
            .inject_times(Endpoint::CreateSession, failure.clone(), 1);
        let err = client
            .create_session(&NewSession::default())
            .await
            .expect_err("injected failure");
        assert_eq!(err.code(), code, "{failure:?}");
        assert_eq!(
            sandbox.handle.request_count(Endpoint::CreateSession),
            tries + 1,
            "{failure:?} was retried"
        );
    }
}

#[tokio::test]
async fn create_after_token_expired_refreshes_and_resends_once() {
    let (sandbox, client, _store) = support::signed_in().await;
    sandbox
        .handle
        .inject_times(Endpoint::CreateSession, Failure::TokenExpired, 1);
    client
        .create_session(&NewSession::default())
        .await
        .expect("created after refresh");
    assert_eq!(sandbox.handle.request_count(Endpoint::CreateSession), 2);
    assert_eq!(sandbox.handle.sessions_created(), 1);
    assert_eq!(sandbox.handle.refresh_tokens_used().len(), 1);
}

#[tokio::test]
async fn idempotent_calls_retry_server_errors() {
    let (sandbox, client, _store) = support::signed_in().await;
    let session = client
        .create_session(&NewSession::default())
        .await
        .expect("create");
    for endpoint in [
        Endpoint::GetSession,
        Endpoint::ListSessions,
        Endpoint::UpdateSession,
    ] {
        sandbox
            .handle
            .inject_times(endpoint, Failure::ServerError(500), 2);
    }
    client
        .session(&session.code)
        .await
        .expect("get after 2 failures");
    client
        .list_sessions(&SessionQuery::default())
        .await
        .expect("list after 2 failures");
    client
        .update_session(&session.code, &SessionUpdate::default())
        .await
        .expect("put after 2 failures");
    for endpoint in [
        Endpoint::GetSession,
        Endpoint::ListSessions,
        Endpoint::UpdateSession,
    ] {
        assert_eq!(sandbox.handle.request_count(endpoint), 3, "{endpoint:?}");
    }
}

#[tokio::test]
async fn get_is_retried_after_a_timeout() {
    let sandbox = support::sandbox().await;
    let (client, _store) = support::app_client_with(
        &sandbox,
        ClientOptions {
            request_timeout: Duration::from_secs(1),
            ..support::fast_options()
        },
    );
    support::sign_in(&client).await;
    sandbox.handle.clear_requests();
    sandbox
        .handle
        .inject_times(Endpoint::Account, Failure::Delay(Duration::from_secs(3)), 1);
    client.account().await.expect("second try is fast");
    assert_eq!(sandbox.handle.request_count(Endpoint::Account), 2);
}

#[tokio::test]
async fn client_errors_are_not_retried() {
    let (sandbox, client, _store) = support::signed_in().await;
    sandbox.handle.clear_requests();
    sandbox
        .handle
        .inject(Endpoint::Account, Failure::InvalidRequest);
    client.account().await.expect_err("400");
    assert_eq!(sandbox.handle.request_count(Endpoint::Account), 1);
}
