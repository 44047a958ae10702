//! The fault matrix: every Web API call the app makes × every way TeamViewer (or the network)
//! can fail. Each answer is a typed error with a fix, or the documented recovery (one refresh on
//! `token_expired`, unknown fields ignored); a session create is never sent twice.

use std::time::Duration;

use helpatwork_teamviewer::{
    ClientOptions, ErrorCode, NewSession, RetryPolicy, SessionCode, SessionQuery, TeamViewerClient,
    TeamViewerError,
};
use helpatwork_teamviewer_sandbox::{Endpoint, Failure, Sandbox};

use crate::support;

#[derive(Debug, Clone, Copy, PartialEq)]
enum Call {
    Ping,
    Account,
    Create,
    Get,
    List,
    Close,
}

impl Call {
    const ALL: [Call; 6] = [
        Call::Ping,
        Call::Account,
        Call::Create,
        Call::Get,
        Call::List,
        Call::Close,
    ];

    fn endpoint(self) -> Endpoint {
        match self {
            Call::Ping => Endpoint::Ping,
            Call::Account => Endpoint::Account,
            Call::Create => Endpoint::CreateSession,
            Call::Get => Endpoint::GetSession,
            Call::List => Endpoint::ListSessions,
            Call::Close => Endpoint::UpdateSession,
        }
    }

    /// Whether the call reads a JSON body (a close is `204 No Content`).
    fn reads_a_body(self) -> bool {
        self != Call::Close
    }

    async fn run(
        self,
        client: &TeamViewerClient,
        code: &SessionCode,
    ) -> Result<(), TeamViewerError> {
        match self {
            Call::Ping => client.ping().await.map(drop),
            Call::Account => client.account().await.map(drop),
            Call::Create => client
                .create_session(&NewSession::default())
                .await
                .map(drop),
            Call::Get => client.session(code).await.map(drop),
            Call::List => client
                .list_sessions(&SessionQuery::default())
                .await
                .map(drop),
            Call::Close => client.close_session(code).await,
        }
    }
}

/// A signed-in client with short timeouts and two quick tries for idempotent calls, and an
/// existing session to read and close.
async fn world() -> (Sandbox, TeamViewerClient, SessionCode) {
    let sandbox = support::sandbox().await;
    let (client, _store) = support::app_client_with(
        &sandbox,
        ClientOptions {
            request_timeout: Duration::from_millis(300),
            retry: RetryPolicy {
                max_attempts: 2,
                base_delay: Duration::from_millis(1),
                max_delay: Duration::from_millis(2),
                max_total_wait: Duration::from_millis(50),
            },
            ..support::fast_options()
        },
    );
    support::sign_in(&client).await;
    let code = client
        .create_session(&NewSession::default())
        .await
        .expect("a session to work on")
        .code;
    (sandbox, client, code)
}

/// Runs `call` with `failure` injected on its endpoint; checks the create is sent once.
async fn outcome(call: Call, failure: Failure) -> Result<(), TeamViewerError> {
    let (sandbox, client, code) = world().await;
    let before = sandbox.handle.request_count(Endpoint::CreateSession);
    sandbox.handle.inject(call.endpoint(), failure.clone());
    let result = call.run(&client, &code).await;
    if call == Call::Create {
        assert_eq!(
            sandbox.handle.request_count(Endpoint::CreateSession) - before,
            1,
            "{failure:?}: a create is never sent twice"
        );
    }
    if let Err(e) = &result {
        assert!(!e.fix().is_empty(), "{call:?} {failure:?}: {e:?} has a fix");
    }
    result
}

fn code_of(result: Result<(), TeamViewerError>) -> Option<ErrorCode> {
    result.err().map(|e| e.code())
}

#[tokio::test]
async fn every_call_types_server_errors_rate_limits_and_licence_limits() {
    for call in Call::ALL {
        let cases = [
            (Failure::ServerError(500), ErrorCode::InternalError),
            (Failure::ServerError(503), ErrorCode::ServiceUnavailable),
            (Failure::RateLimited, ErrorCode::RateLimited),
            (Failure::LicenceLimit, ErrorCode::LicenceLimit),
        ];
        for (failure, expected) in cases {
            let got = code_of(outcome(call, failure.clone()).await);
            assert_eq!(got, Some(expected), "{call:?} {failure:?}");
        }
    }
}

#[tokio::test]
async fn every_call_types_timeouts() {
    for call in Call::ALL {
        let got = code_of(outcome(call, Failure::Delay(Duration::from_secs(1))).await);
        assert_eq!(got, Some(ErrorCode::Timeout), "{call:?}");
    }
}

#[tokio::test]
async fn every_call_types_a_refused_connection() {
    for call in Call::ALL {
        let (sandbox, client, code) = world().await;
        sandbox.shutdown().await;
        let got = code_of(call.run(&client, &code).await);
        assert_eq!(got, Some(ErrorCode::ConnectionFailed), "{call:?}");
    }
}

#[tokio::test]
async fn every_call_refreshes_once_on_token_expired_and_goes_on() {
    for call in Call::ALL {
        let (sandbox, client, code) = world().await;
        let before = sandbox.handle.request_count(call.endpoint());
        sandbox
            .handle
            .inject_times(call.endpoint(), Failure::TokenExpired, 1);
        call.run(&client, &code)
            .await
            .unwrap_or_else(|e| panic!("{call:?}: {e:?}"));
        assert_eq!(
            sandbox.handle.request_count(call.endpoint()) - before,
            2,
            "{call:?}: the expired try and one resend"
        );
    }
}

#[tokio::test]
async fn every_call_types_malformed_and_truncated_answers_and_ignores_unknown_fields() {
    for call in Call::ALL {
        for failure in [Failure::MalformedJson, Failure::TruncatedBody] {
            let got = code_of(outcome(call, failure.clone()).await);
            let expected = call.reads_a_body().then_some(ErrorCode::MalformedResponse);
            assert_eq!(got, expected, "{call:?} {failure:?}");
        }
        outcome(call, Failure::ExtraFields)
            .await
            .unwrap_or_else(|e| panic!("{call:?}: unknown fields are ignored: {e:?}"));
    }
}
