//! Streaming audit events to a SIEM (a security team's log platform: Microsoft Sentinel,
//! Splunk, Elastic, or any syslog receiver).
//!
//! Two kinds of sink: RFC 5424 syslog over TCP, with TLS (octet-counting framing, RFC 5425 /
//! RFC 6587), and JSON lines POSTed over HTTPS to a webhook with a bearer secret. Every message
//! carries the event id, so a receiver drops the second copy that at-least-once delivery may
//! send.
//!
//! What is deliberately not here: which events are owed to a sink, retries and their waits
//! (crates/store's outbox, crates/app's sender), settings and secrets storage.

mod message;
#[cfg(feature = "test-receivers")]
pub mod receivers;
mod syslog;
mod webhook;

use std::time::Duration;

pub use message::{
    check_header_field, octet_counted, syslog_5424, HeaderFieldError, StreamAccount, StreamEvent,
    SyslogIdentity, SD_ID,
};
pub use syslog::SyslogTarget;
pub use webhook::WebhookTarget;

/// How long one batch may take, connecting included.
pub const SEND_TIMEOUT: Duration = Duration::from_secs(20);

/// Why a batch was not delivered (all of it is sent again later).
#[derive(Debug, thiserror::Error)]
pub enum SendError {
    #[error("could not connect to {target}: {reason}")]
    Connect { target: String, reason: String },
    #[error("TLS with {target} failed: {reason}")]
    Tls { target: String, reason: String },
    #[error("the CA file {path} could not be used: {reason}")]
    CaFile { path: String, reason: String },
    #[error("sending to {target} failed: {reason}")]
    Io { target: String, reason: String },
    #[error("{target} answered HTTP {status}: {body}")]
    Status {
        target: String,
        status: u16,
        body: String,
    },
    #[error("{target} did not answer within {seconds} s")]
    Timeout { target: String, seconds: u64 },
}

/// A configured receiver.
#[derive(Debug, Clone)]
pub enum Target {
    Syslog(SyslogTarget),
    Webhook(WebhookTarget),
}

impl Target {
    /// Sends `events` in order, as one batch; `Ok` once the receiver has them (syslog: it read
    /// every byte and closed the connection after them; webhook: it answered 2xx).
    pub async fn send(&self, events: &[StreamEvent]) -> Result<(), SendError> {
        match self {
            Target::Syslog(t) => t.send(events).await,
            Target::Webhook(t) => t.send(events).await,
        }
    }
}

/// Reads the PEM certificates of a CA file.
pub fn read_ca_file(
    path: &std::path::Path,
) -> Result<Vec<rustls_pki_types::CertificateDer<'static>>, SendError> {
    use rustls_pki_types::pem::PemObject;
    let fail = |reason: String| SendError::CaFile {
        path: path.display().to_string(),
        reason,
    };
    let certs = rustls_pki_types::CertificateDer::pem_file_iter(path)
        .map_err(|e| fail(e.to_string()))?
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| fail(e.to_string()))?;
    if certs.is_empty() {
        return Err(fail("it holds no PEM certificate".into()));
    }
    Ok(certs)
}
