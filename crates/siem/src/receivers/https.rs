//! An HTTPS webhook receiver: records each POST's `Authorization` header and JSON lines, and
//! answers 200. Stopping it drops the listener and every open connection.

use std::path::Path;
use std::sync::atomic::{AtomicU16, Ordering};
use std::sync::{Arc, Mutex};

use http_body_util::BodyExt;
use hyper::service::service_fn;
use hyper_util::rt::TokioIo;
use rustls_pki_types::pem::PemObject;
use rustls_pki_types::{CertificateDer, PrivateKeyDer};
use tokio::net::TcpListener;
use tokio::task::{JoinHandle, JoinSet};
use tokio_rustls::rustls;

use super::{free_port, TestPki};

/// One POST received.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Post {
    pub authorization: Option<String>,
    pub lines: Vec<String>,
}

pub struct HttpsReceiver {
    pub port: u16,
    pub pki: TestPki,
    posts: Arc<Mutex<Vec<Post>>>,
    /// The status every POST is answered with (200 unless the test says otherwise).
    status: Arc<AtomicU16>,
    acceptor: tokio_rustls::TlsAcceptor,
    task: Option<JoinHandle<()>>,
}

impl std::fmt::Debug for HttpsReceiver {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("HttpsReceiver")
            .field("port", &self.port)
            .finish_non_exhaustive()
    }
}

impl HttpsReceiver {
    /// Starts on a free loopback port with a certificate made in `dir`.
    pub async fn start(dir: &Path) -> std::io::Result<Self> {
        std::fs::create_dir_all(dir)?;
        let pki = TestPki::create(dir)?;
        let certs = CertificateDer::pem_file_iter(&pki.cert)
            .map_err(std::io::Error::other)?
            .collect::<Result<Vec<_>, _>>()
            .map_err(std::io::Error::other)?;
        let key = PrivateKeyDer::from_pem_file(&pki.key).map_err(std::io::Error::other)?;
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let config = rustls::ServerConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .map_err(std::io::Error::other)?
            .with_no_client_auth()
            .with_single_cert(certs, key)
            .map_err(std::io::Error::other)?;
        let mut me = Self {
            port: free_port()?,
            pki,
            posts: Arc::default(),
            status: Arc::new(AtomicU16::new(200)),
            acceptor: tokio_rustls::TlsAcceptor::from(Arc::new(config)),
            task: None,
        };
        me.restart().await?;
        Ok(me)
    }

    pub fn url(&self) -> String {
        format!("https://127.0.0.1:{}/ingest", self.port)
    }

    /// Listens (again) on the same port.
    pub async fn restart(&mut self) -> std::io::Result<()> {
        self.stop().await;
        let listener = TcpListener::bind(("127.0.0.1", self.port)).await?;
        let acceptor = self.acceptor.clone();
        let posts = self.posts.clone();
        let status = self.status.clone();
        self.task = Some(tokio::spawn(async move {
            let mut connections = JoinSet::new();
            while let Ok((tcp, _)) = listener.accept().await {
                let acceptor = acceptor.clone();
                let posts = posts.clone();
                let status = status.clone();
                connections.spawn(async move {
                    let Ok(tls) = acceptor.accept(tcp).await else {
                        return;
                    };
                    let service =
                        service_fn(move |request: hyper::Request<hyper::body::Incoming>| {
                            let posts = posts.clone();
                            let status = status.load(Ordering::SeqCst);
                            async move {
                                let authorization = request
                                    .headers()
                                    .get(hyper::header::AUTHORIZATION)
                                    .and_then(|v| v.to_str().ok())
                                    .map(str::to_string);
                                let body = request.into_body().collect().await?.to_bytes();
                                let lines = String::from_utf8_lossy(&body)
                                    .lines()
                                    .map(str::to_string)
                                    .collect();
                                posts.lock().unwrap_or_else(|e| e.into_inner()).push(Post {
                                    authorization,
                                    lines,
                                });
                                let mut answer = hyper::Response::new(http_body_util::Full::new(
                                    hyper::body::Bytes::from_static(b"ok"),
                                ));
                                *answer.status_mut() = hyper::StatusCode::from_u16(status)
                                    .unwrap_or(hyper::StatusCode::INTERNAL_SERVER_ERROR);
                                Ok::<_, hyper::Error>(answer)
                            }
                        });
                    let _ = hyper::server::conn::http1::Builder::new()
                        .serve_connection(TokioIo::new(tls), service)
                        .await;
                });
            }
        }));
        Ok(())
    }

    /// Stops listening and drops every connection (the receiver is down).
    pub async fn stop(&mut self) {
        if let Some(task) = self.task.take() {
            task.abort();
            let _ = task.await;
        }
    }

    /// Answers every POST with `status` from now on (e.g. 401 for a refused token).
    pub fn answer_with(&self, status: u16) {
        self.status.store(status, Ordering::SeqCst);
    }

    /// Every POST received so far, in order.
    pub fn posts(&self) -> Vec<Post> {
        self.posts.lock().unwrap_or_else(|e| e.into_inner()).clone()
    }
}

impl Drop for HttpsReceiver {
    fn drop(&mut self) {
        if let Some(task) = self.task.take() {
            task.abort();
        }
    }
}
