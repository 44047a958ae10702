//! Typed errors: statuses, retries of reads, timeouts, broken and oversized bodies.

use std::time::Duration;

use helpatwork_ivanti_fake::{Endpoint, Failure};
use helpatwork_mdm::{
    ErrorCode, IvantiConfig, IvantiConnector, IvantiOptions, MdmConnector, MdmError, PageCursor,
    RetryPolicy, Sensitive,
};

use crate::support::{self, fake_ivanti};

async fn first_page(connector: &IvantiConnector) -> Result<usize, MdmError> {
    connector
        .devices_page(PageCursor::START, 50)
        .await
        .map(|p| p.devices.len())
}

#[tokio::test]
async fn http_401_is_unauthorized_with_a_fix() {
    let fake = fake_ivanti(5).await;
    let config = IvantiConfig::new(
        &fake.base_url,
        fake.user.clone(),
        Sensitive::from("wrong-password-xyz"),
    )
    .expect("config");
    let connector =
        IvantiConnector::with_options(config, support::fast_options()).expect("connector");
    let err = first_page(&connector).await.expect_err("401");
    assert_eq!(err.code(), ErrorCode::Unauthorized);
    assert_eq!(err.code().as_str(), "unauthorized");
    assert!(
        err.fix().contains("HELPATWORK_IVANTI_PASSWORD"),
        "{}",
        err.fix()
    );
    assert!(err.fix().contains("MFA"));
    let seen = fake.handle.requests();
    assert_eq!(seen.len(), 1, "a 401 is not retried");
    assert!(!seen[0].authorized);
    for text in [
        err.to_string(),
        format!("{err:?}"),
        format!("{connector:?}"),
    ] {
        assert!(!text.contains("wrong-password-xyz"), "{text}");
    }
}

#[tokio::test]
async fn server_errors_are_retried_then_succeed() {
    let fake = fake_ivanti(5).await;
    let connector = support::connector(&fake);
    connector.partition_id().await.expect("discovered");
    fake.handle
        .inject_times(Endpoint::DeviceSearch, Failure::ServerError(503), 2);
    assert_eq!(first_page(&connector).await, Ok(5));
    assert_eq!(fake.handle.request_count(Endpoint::DeviceSearch), 3);
}

#[tokio::test]
async fn server_errors_beyond_the_retry_budget_fail_typed() {
    let fake = fake_ivanti(5).await;
    let connector = support::connector(&fake);
    connector.partition_id().await.expect("discovered");
    fake.handle
        .inject(Endpoint::DeviceSearch, Failure::ServerError(500));
    let err = first_page(&connector).await.expect_err("5xx");
    assert_eq!(
        err,
        MdmError::ServerError {
            mdm: "Ivanti Neurons for MDM",
            status: 500
        }
    );
    assert_eq!(err.code().as_str(), "server_error");
    // max_attempts = 3 in the test options.
    assert_eq!(fake.handle.request_count(Endpoint::DeviceSearch), 3);
}

#[tokio::test]
async fn discovery_is_retried_on_server_errors_too() {
    let fake = fake_ivanti(5).await;
    let connector = support::connector(&fake);
    fake.handle
        .inject_times(Endpoint::Partitions, Failure::ServerError(502), 1);
    assert_eq!(first_page(&connector).await, Ok(5));
    assert_eq!(fake.handle.request_count(Endpoint::Partitions), 2);
}

#[tokio::test]
async fn timeouts_are_retried_then_typed() {
    let fake = fake_ivanti(5).await;
    let options = IvantiOptions {
        request_timeout: Duration::from_millis(200),
        ..support::fast_options()
    };
    let connector = support::connector_with(&fake, options);
    connector.partition_id().await.expect("discovered");
    fake.handle.inject_times(
        Endpoint::DeviceSearch,
        Failure::Delay(Duration::from_secs(2)),
        1,
    );
    assert_eq!(first_page(&connector).await, Ok(5), "second try succeeds");
    fake.handle.inject(
        Endpoint::DeviceSearch,
        Failure::Delay(Duration::from_secs(2)),
    );
    let err = first_page(&connector).await.expect_err("timeout");
    assert_eq!(err.code(), ErrorCode::Timeout);
    assert!(!err.fix().is_empty());
}

#[tokio::test]
async fn rate_limits_are_retried_and_then_typed() {
    let fake = fake_ivanti(5).await;
    let connector = support::connector(&fake);
    connector.partition_id().await.expect("discovered");
    fake.handle
        .inject_times(Endpoint::DeviceSearch, Failure::RateLimited, 1);
    assert_eq!(first_page(&connector).await, Ok(5));
    fake.handle
        .inject(Endpoint::DeviceSearch, Failure::RateLimited);
    let err = first_page(&connector).await.expect_err("429");
    assert_eq!(err.code(), ErrorCode::RateLimited);
}

#[tokio::test]
async fn http_403_is_forbidden_and_names_the_role() {
    let fake = fake_ivanti(5).await;
    let connector = support::connector(&fake);
    fake.handle.inject(Endpoint::Partitions, Failure::Forbidden);
    let err = first_page(&connector).await.expect_err("403");
    assert_eq!(err.code(), ErrorCode::Forbidden);
    assert!(err.fix().contains("Tenant Admin"));
    assert_eq!(fake.handle.request_count(Endpoint::Partitions), 1);
}

#[tokio::test]
async fn malformed_json_is_a_typed_error() {
    let fake = fake_ivanti(5).await;
    let connector = support::connector(&fake);
    connector.partition_id().await.expect("discovered");
    fake.handle
        .inject_times(Endpoint::DeviceSearch, Failure::MalformedJson, 1);
    let err = first_page(&connector).await.expect_err("broken body");
    assert_eq!(err.code(), ErrorCode::MalformedResponse);
    assert_eq!(err.code().as_str(), "malformed_response");
    assert!(err.to_string().contains("device search"), "{err}");
    // Nothing is cached from the broken answer.
    assert_eq!(first_page(&connector).await, Ok(5));
}

#[tokio::test]
async fn malformed_partition_list_is_a_typed_error() {
    let fake = fake_ivanti(5).await;
    let connector = support::connector(&fake);
    fake.handle
        .inject_times(Endpoint::Partitions, Failure::MalformedJson, 1);
    let err = connector.partition_id().await.expect_err("broken body");
    assert_eq!(err.code(), ErrorCode::MalformedResponse);
}

#[tokio::test]
async fn oversized_bodies_are_rejected() {
    let fake = fake_ivanti(5).await;
    let options = IvantiOptions {
        max_body_bytes: 256 * 1024,
        ..support::fast_options()
    };
    let connector = support::connector_with(&fake, options);
    connector.partition_id().await.expect("discovered");
    fake.handle
        .inject_times(Endpoint::DeviceSearch, Failure::Oversized(1024 * 1024), 1);
    let err = first_page(&connector).await.expect_err("too big");
    assert_eq!(err.code(), ErrorCode::MalformedResponse);
    assert!(err.to_string().contains("larger than"), "{err}");
}

#[tokio::test]
async fn the_default_body_cap_fits_a_full_page_of_500() {
    let fake = fake_ivanti(500).await;
    let connector = support::connector(&fake);
    assert_eq!(first_page_rows(&connector, 500).await, Ok(500));
}

async fn first_page_rows(connector: &IvantiConnector, rows: u32) -> Result<usize, MdmError> {
    connector
        .devices_page(PageCursor::START, rows)
        .await
        .map(|p| p.devices.len())
}

#[tokio::test]
async fn a_closed_port_is_connection_failed() {
    let port = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
        listener.local_addr().expect("addr").port()
    };
    let config =
        IvantiConfig::new(&format!("http://127.0.0.1:{port}"), "u", "p".into()).expect("config");
    let options = IvantiOptions {
        retry: RetryPolicy {
            max_attempts: 2,
            base_delay: Duration::from_millis(1),
            max_delay: Duration::from_millis(2),
            max_total_wait: Duration::from_millis(10),
        },
        ..support::fast_options()
    };
    let connector = IvantiConnector::with_options(config, options).expect("connector");
    let err = first_page(&connector).await.expect_err("nothing listens");
    assert_eq!(err.code(), ErrorCode::ConnectionFailed);
    assert!(err.fix().contains("HELPATWORK_IVANTI_URL"));
}

#[tokio::test]
async fn errors_never_contain_the_password() {
    let fake = fake_ivanti(5).await;
    let connector = support::connector(&fake);
    let failures = [
        Failure::Unauthorized,
        Failure::Forbidden,
        Failure::ServerError(500),
        Failure::MalformedJson,
    ];
    for failure in failures {
        fake.handle.clear_failures();
        fake.handle.inject(Endpoint::Partitions, failure);
        let err = connector.partition_id().await.expect_err("failure");
        for text in [err.to_string(), format!("{err:?}"), err.fix().to_owned()] {
            assert!(!text.contains(&fake.password), "{text}");
        }
    }
}
