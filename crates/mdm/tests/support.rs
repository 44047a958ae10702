//! Shared helpers: a fake Ivanti whose check-ins are relative to a fixed instant, and
//! connectors wired to it.

use std::time::Duration;

use chrono::{DateTime, Utc};
use helpatwork_ivanti_fake::{
    self as fake, Endpoint, FakeIvanti, FakeIvantiOptions, FleetSpec, RequestRecord,
};
use helpatwork_mdm::{IvantiConnector, IvantiOptions, RetryPolicy};

/// The instant the fleet's check-ins and the connector's clock agree on.
pub fn now() -> DateTime<Utc> {
    DateTime::parse_from_rfc3339("2026-11-20T10:00:00Z")
        .expect("valid RFC 3339")
        .with_timezone(&Utc)
}

pub fn spec(devices: usize) -> FleetSpec {
    FleetSpec {
        devices,
        seed: 7,
        now: now(),
        retired_every: 0,
    }
}

pub async fn fake_ivanti(devices: usize) -> FakeIvanti {
    fake_with(spec(devices)).await
}

pub async fn fake_with(fleet: FleetSpec) -> FakeIvanti {
    fake::spawn(FakeIvantiOptions {
        fleet,
        ..FakeIvantiOptions::default()
    })
    .await
    .expect("fake Ivanti starts on 127.0.0.1")
}

/// Short timeouts and millisecond backoff, so failure tests run fast.
pub fn fast_options() -> IvantiOptions {
    IvantiOptions {
        connect_timeout: Duration::from_secs(2),
        request_timeout: Duration::from_secs(5),
        retry: RetryPolicy {
            max_attempts: 3,
            base_delay: Duration::from_millis(5),
            max_delay: Duration::from_millis(20),
            max_total_wait: Duration::from_millis(500),
        },
        ..IvantiOptions::default()
    }
}

pub fn connector(fake: &FakeIvanti) -> IvantiConnector {
    connector_with(fake, fast_options())
}

pub fn connector_with(fake: &FakeIvanti, options: IvantiOptions) -> IvantiConnector {
    IvantiConnector::with_options(fake.config().expect("fake config"), options)
        .expect("connector builds")
}

/// The device searches the fake received, oldest first.
pub fn searches(fake: &FakeIvanti) -> Vec<RequestRecord> {
    fake.handle
        .requests()
        .into_iter()
        .filter(|r| r.endpoint == Some(Endpoint::DeviceSearch))
        .collect()
}
