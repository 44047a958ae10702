//! JSON lines POSTed over HTTPS with `Authorization: Bearer`.

use std::path::PathBuf;

use helpatwork_net::Sensitive;

use crate::message::StreamEvent;
use crate::{read_ca_file, SendError, SEND_TIMEOUT};

/// A webhook receiver. `url` passed `helpatwork_net::service_url` (https, or http to loopback).
#[derive(Debug, Clone)]
pub struct WebhookTarget {
    pub url: url::Url,
    pub bearer: Option<Sensitive<String>>,
    /// A PEM file of CA certificates to trust besides the public roots.
    pub ca_file: Option<PathBuf>,
}

impl WebhookTarget {
    fn name(&self) -> String {
        format!("webhook {}", self.url.origin().ascii_serialization())
    }

    pub(crate) async fn send(&self, events: &[StreamEvent]) -> Result<(), SendError> {
        let target = self.name();
        let mut builder = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .timeout(SEND_TIMEOUT)
            .user_agent(helpatwork_net::http::USER_AGENT);
        if let Some(path) = &self.ca_file {
            for cert in read_ca_file(path)? {
                let cert =
                    reqwest::Certificate::from_der(&cert).map_err(|e| SendError::CaFile {
                        path: path.display().to_string(),
                        reason: e.to_string(),
                    })?;
                builder = builder.add_root_certificate(cert);
            }
        }
        let client = builder.build().map_err(|e| SendError::Tls {
            target: target.clone(),
            reason: e.to_string(),
        })?;
        let mut body = String::new();
        for e in events {
            body.push_str(&e.json_line());
            body.push('\n');
        }
        let mut request = client
            .post(self.url.clone())
            .header(reqwest::header::CONTENT_TYPE, "application/x-ndjson")
            .body(body);
        if let Some(secret) = &self.bearer {
            request = request.bearer_auth(secret.expose());
        }
        let reply = request.send().await.map_err(|e| {
            if e.is_timeout() {
                SendError::Timeout {
                    target: target.clone(),
                    seconds: SEND_TIMEOUT.as_secs(),
                }
            } else if e.is_connect() {
                SendError::Connect {
                    target: target.clone(),
                    reason: error_chain(&e),
                }
            } else {
                SendError::Io {
                    target: target.clone(),
                    reason: error_chain(&e),
                }
            }
        })?;
        let status = reply.status();
        if status.is_success() {
            return Ok(());
        }
        // The start of the answer only: a receiver's error page is not read whole.
        let mut reply = reply;
        let mut head = Vec::new();
        while head.len() < 1024 {
            match reply.chunk().await {
                Ok(Some(chunk)) => head.extend_from_slice(&chunk),
                _ => break,
            }
        }
        Err(SendError::Status {
            target,
            status: status.as_u16(),
            body: String::from_utf8_lossy(&head).chars().take(200).collect(),
        })
    }
}

fn error_chain(e: &dyn std::error::Error) -> String {
    let mut out = e.to_string();
    let mut source = e.source();
    while let Some(s) = source {
        out.push_str(": ");
        out.push_str(&s.to_string());
        source = s.source();
    }
    out
}
