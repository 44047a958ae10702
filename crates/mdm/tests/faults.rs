//! The fault matrix: every Ivanti call the app makes (partition discovery, device search,
//! force check-in) × every way the MDM (or the network) can fail. Each is a typed error with a
//! fix; reads are retried a bounded number of times, the force check-in (a write) never.

use std::time::Duration;

use helpatwork_ivanti_fake::{Endpoint, Failure, FakeIvanti};
use helpatwork_mdm::{
    ErrorCode, IvantiConnector, IvantiOptions, MdmConnector, MdmError, PageCursor, RetryPolicy,
};

use crate::support::{self, fake_ivanti};

#[derive(Debug, Clone, Copy, PartialEq)]
enum Call {
    Discovery,
    Search,
    ForceCheckin,
}

impl Call {
    const ALL: [Call; 3] = [Call::Discovery, Call::Search, Call::ForceCheckin];

    fn endpoint(self) -> Endpoint {
        match self {
            Call::Discovery => Endpoint::Partitions,
            Call::Search => Endpoint::DeviceSearch,
            Call::ForceCheckin => Endpoint::ForceCheckin,
        }
    }

    async fn run(self, connector: &IvantiConnector) -> Result<(), MdmError> {
        match self {
            Call::Discovery => connector.partition_id().await.map(drop),
            Call::Search => connector
                .devices_page(PageCursor::START, 50)
                .await
                .map(drop),
            Call::ForceCheckin => connector.force_checkin("1000001").await,
        }
    }
}

fn options() -> IvantiOptions {
    IvantiOptions {
        request_timeout: Duration::from_millis(300),
        max_body_bytes: 256 * 1024,
        retry: RetryPolicy {
            max_attempts: 2,
            base_delay: Duration::from_millis(1),
            max_delay: Duration::from_millis(2),
            max_total_wait: Duration::from_millis(50),
        },
        ..support::fast_options()
    }
}

/// A connector that has discovered its partition (except when discovery is the call tested).
async fn world(call: Call) -> (FakeIvanti, IvantiConnector) {
    let fake = fake_ivanti(20).await;
    let connector = support::connector_with(&fake, options());
    if call != Call::Discovery {
        connector.partition_id().await.expect("discovered");
    }
    (fake, connector)
}

async fn outcome(call: Call, failure: Failure) -> Option<ErrorCode> {
    let (fake, connector) = world(call).await;
    let before = fake.handle.request_count(call.endpoint());
    fake.handle.inject(call.endpoint(), failure.clone());
    let result = call.run(&connector).await;
    let sent = fake.handle.request_count(call.endpoint()) - before;
    if call == Call::ForceCheckin {
        assert_eq!(sent, 1, "{failure:?}: a force check-in is never sent twice");
    } else {
        assert!(
            sent <= 2,
            "{call:?} {failure:?}: bounded retries, {sent} sent"
        );
    }
    let err = result.err()?;
    assert!(
        !err.fix().is_empty(),
        "{call:?} {failure:?}: {err:?} has a fix"
    );
    assert!(!err.to_string().contains(&fake.password));
    Some(err.code())
}

#[tokio::test]
async fn every_call_types_statuses() {
    for call in Call::ALL {
        for (failure, expected) in [
            (Failure::ServerError(500), ErrorCode::ServerError),
            (Failure::ServerError(503), ErrorCode::ServerError),
            (Failure::Unauthorized, ErrorCode::Unauthorized),
            (Failure::Forbidden, ErrorCode::Forbidden),
            (Failure::RateLimited, ErrorCode::RateLimited),
        ] {
            assert_eq!(
                outcome(call, failure.clone()).await,
                Some(expected),
                "{call:?} {failure:?}"
            );
        }
    }
}

#[tokio::test]
async fn every_call_types_timeouts() {
    for call in Call::ALL {
        assert_eq!(
            outcome(call, Failure::Delay(Duration::from_secs(1))).await,
            Some(ErrorCode::Timeout),
            "{call:?}"
        );
    }
}

#[tokio::test]
async fn every_call_types_malformed_truncated_and_oversized_answers() {
    for call in Call::ALL {
        for failure in [
            Failure::MalformedJson,
            Failure::TruncatedBody,
            Failure::Oversized(512 * 1024),
        ] {
            assert_eq!(
                outcome(call, failure.clone()).await,
                Some(ErrorCode::MalformedResponse),
                "{call:?} {failure:?}"
            );
        }
    }
}

#[tokio::test]
async fn every_call_types_a_refused_connection() {
    for call in Call::ALL {
        let (fake, connector) = world(call).await;
        fake.shutdown().await;
        let err = call.run(&connector).await.expect_err("nothing listens");
        assert_eq!(err.code(), ErrorCode::ConnectionFailed, "{call:?}");
        assert!(!err.fix().is_empty());
    }
}
