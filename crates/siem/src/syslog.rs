//! RFC 5424 over TCP, with TLS (RFC 5425) or without, octet-counting framing (RFC 6587).
//!
//! One connection per batch: the messages are written, then the sender closes its side (TLS
//! close_notify, then TCP FIN) and waits for the receiver to close too. A receiver closes after
//! it read everything before the close, so a batch counts as delivered only when the receiver
//! read all of it; syslog over TCP has no acknowledgement of its own.

use std::path::PathBuf;
use std::sync::Arc;

use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio_rustls::rustls;

use crate::message::{octet_counted, syslog_5424, StreamEvent, SyslogIdentity};
use crate::{read_ca_file, SendError, SEND_TIMEOUT};

/// A syslog receiver.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyslogTarget {
    pub host: String,
    pub port: u16,
    pub tls: bool,
    /// A PEM file of CA certificates to trust besides the public roots.
    pub ca_file: Option<PathBuf>,
    pub identity: SyslogIdentity,
}

impl SyslogTarget {
    fn name(&self) -> String {
        format!("syslog {}:{}", self.host, self.port)
    }

    pub(crate) async fn send(&self, events: &[StreamEvent]) -> Result<(), SendError> {
        let target = self.name();
        let work = async {
            let mut payload = Vec::new();
            for e in events {
                payload.extend(octet_counted(&syslog_5424(e, &self.identity)));
            }
            let tcp = TcpStream::connect((self.host.as_str(), self.port))
                .await
                .map_err(|e| SendError::Connect {
                    target: target.clone(),
                    reason: e.to_string(),
                })?;
            let _ = tcp.set_nodelay(true);
            if self.tls {
                let connector = tokio_rustls::TlsConnector::from(Arc::new(self.tls_config()?));
                let name =
                    rustls::pki_types::ServerName::try_from(self.host.clone()).map_err(|e| {
                        SendError::Tls {
                            target: target.clone(),
                            reason: e.to_string(),
                        }
                    })?;
                let stream = connector
                    .connect(name, tcp)
                    .await
                    .map_err(|e| SendError::Tls {
                        target: target.clone(),
                        reason: e.to_string(),
                    })?;
                write_and_close(stream, &payload, &target).await
            } else {
                write_and_close(tcp, &payload, &target).await
            }
        };
        tokio::time::timeout(SEND_TIMEOUT, work)
            .await
            .map_err(|_| SendError::Timeout {
                target: self.name(),
                seconds: SEND_TIMEOUT.as_secs(),
            })?
    }

    fn tls_config(&self) -> Result<rustls::ClientConfig, SendError> {
        let mut roots = rustls::RootCertStore::empty();
        roots.extend(webpki_roots::TLS_SERVER_ROOTS.iter().cloned());
        if let Some(path) = &self.ca_file {
            for cert in read_ca_file(path)? {
                roots.add(cert).map_err(|e| SendError::CaFile {
                    path: path.display().to_string(),
                    reason: e.to_string(),
                })?;
            }
        }
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        Ok(rustls::ClientConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .map_err(|e| SendError::Tls {
                target: self.name(),
                reason: e.to_string(),
            })?
            .with_root_certificates(roots)
            .with_no_client_auth())
    }
}

/// Writes `payload`, closes the sending side, and waits for the receiver to close.
async fn write_and_close<S>(mut stream: S, payload: &[u8], target: &str) -> Result<(), SendError>
where
    S: AsyncRead + AsyncWrite + Unpin,
{
    let io = |e: std::io::Error| SendError::Io {
        target: target.to_string(),
        reason: e.to_string(),
    };
    stream.write_all(payload).await.map_err(io)?;
    stream.flush().await.map_err(io)?;
    stream.shutdown().await.map_err(io)?;
    let mut sink = [0u8; 512];
    loop {
        match stream.read(&mut sink).await {
            Ok(0) => return Ok(()),
            Ok(_) => continue,
            // A receiver that closes TCP without its own close_notify still read everything.
            Err(e) if e.kind() == std::io::ErrorKind::UnexpectedEof => return Ok(()),
            Err(e) => return Err(io(e)),
        }
    }
}
