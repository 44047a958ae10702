//! The SIEM sinks and the sender's answers (crate::siem).

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// A SIEM sink's settings (never a secret: a webhook's bearer secret is in the OS keyring).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[ts(export)]
pub enum AuditSinkConfig {
    /// RFC 5424 syslog over TCP (TLS unless the host is loopback), octet-counting framing.
    Syslog {
        host: String,
        port: u16,
        tls: bool,
        /// A PEM file of CA certificates to trust besides the public roots.
        ca_file: Option<String>,
        /// APP-NAME (default `helpatwork`).
        app_name: String,
        /// HOSTNAME (default: this machine's name).
        hostname: String,
    },
    /// JSON lines POSTed to an https URL (http only to loopback), `Authorization: Bearer`.
    Webhook {
        url: String,
        ca_file: Option<String>,
        /// A bearer secret is sent (given when the sink was added; each sending computer keeps
        /// it in its OS keyring). A computer without it leaves the sink to those that have it.
        #[serde(default)]
        uses_bearer: bool,
    },
}

/// A sink to add or change: its id, its settings, and for a webhook the bearer secret (kept in
/// the OS keyring; `None` keeps the one there).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, TS)]
#[ts(export)]
pub struct AuditSinkInput {
    pub id: String,
    pub config: AuditSinkConfig,
    pub bearer: Option<String>,
}

/// A sink with its backlog: what `audit sinks list`, `doctor` and the window show.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct AuditSinkStatus {
    pub id: String,
    pub config: AuditSinkConfig,
    /// A webhook's bearer secret is in this machine's keyring.
    pub bearer_set: bool,
    /// Events not yet delivered.
    #[ts(type = "number")]
    pub pending: u64,
    /// When the oldest of them happened (RFC 3339), and how long ago in seconds.
    pub oldest_at: Option<String>,
    #[ts(type = "number | null")]
    pub oldest_age_seconds: Option<u64>,
    /// Failed tries since the last delivery, the last error, and when the next try is due.
    pub attempts: u32,
    pub last_error: Option<String>,
    pub last_error_at: Option<String>,
    pub next_attempt_at: Option<String>,
    #[ts(type = "number")]
    pub delivered: u64,
    pub last_delivered_at: Option<String>,
}

/// What one pass of the sender did for a sink.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum SinkOutcome {
    /// Everything owed was delivered.
    Delivered,
    /// A batch failed; the sink is tried again at `next_attempt_at`.
    Failed,
    /// Still waiting after an earlier failure (`next_attempt_at`).
    Waiting,
    /// Another process is delivering to it (it holds the sink's lease).
    Busy,
    /// A webhook whose bearer secret is not in this computer's keyring: left to the computers
    /// that have it.
    NoSecret,
}

/// One sink after a pass of the sender.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct SinkDrain {
    pub id: String,
    pub outcome: SinkOutcome,
    #[ts(type = "number")]
    pub sent: u64,
    #[ts(type = "number")]
    pub pending: u64,
    pub error: Option<String>,
    pub next_attempt_at: Option<String>,
}

/// `audit send`'s answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct AuditSendReport {
    pub sinks: Vec<SinkDrain>,
}
