//! What the product's clients of outside services share (`crates/teamviewer`, `crates/mdm`).
//!
//! What is here: [`Sensitive`] for secrets; [`RetryPolicy`] and [`retry`], bounded exponential
//! backoff with equal jitter; [`Transport`], the HTTP transport (rustls, timeouts, no redirects,
//! capped bodies) with its [`TransportError`]; [`service_url`], the checks a configured service
//! address passes (https, or http to loopback; no user info). With the `fake-server` feature,
//! [`fake_server`]: what the local fake services share.
//!
//! What is deliberately not here: any service's rules. Which failures are retried and which
//! calls are never sent twice, the mapping of statuses and bodies to typed errors with their
//! fixes, and the services' addresses stay in each client. No Tauri, no database, no files.

#[cfg(feature = "fake-server")]
pub mod fake_server;
pub mod http;
pub mod retry;
mod sensitive;
pub mod service_url;

pub use http::{Auth, Body, HttpLimits, Reply, Transport, TransportError};
pub use retry::{retry, retry_after, Backoff, Retry, RetryPolicy};
pub use sensitive::Sensitive;
pub use service_url::{service_url, Query, UrlProblem};
