//! What the local fake services share (`crates/teamviewer-sandbox`, `crates/ivanti-fake`):
//! start-up on an ephemeral loopback port with graceful shutdown, per-endpoint failure switches,
//! and the log of the requests they received.
//!
//! Never a listener beyond `127.0.0.1`.

use std::collections::{HashMap, VecDeque};
use std::hash::Hash;
use std::net::{Ipv4Addr, SocketAddr};

use axum::Router;
use tokio::net::TcpListener;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

/// A running server on `127.0.0.1:<ephemeral port>`. Dropping it stops the server.
pub struct LocalServer {
    addr: SocketAddr,
    shutdown: Option<oneshot::Sender<()>>,
    server: Option<JoinHandle<()>>,
}

impl std::fmt::Debug for LocalServer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LocalServer")
            .field("addr", &self.addr)
            .finish_non_exhaustive()
    }
}

/// A bound listener not yet serving: its address is known, so a router that needs its own URL
/// can be built before [`Bound::serve`].
#[derive(Debug)]
pub struct Bound {
    listener: TcpListener,
    addr: SocketAddr,
    name: &'static str,
}

impl Bound {
    /// The address (`127.0.0.1:<port>`).
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// `http://127.0.0.1:<port>`.
    pub fn origin(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Serves `router` on a task of the current runtime until shut down.
    pub fn serve(self, router: Router) -> LocalServer {
        let Self {
            listener,
            addr,
            name,
        } = self;
        let (shutdown, stop) = oneshot::channel::<()>();
        let server = tokio::spawn(async move {
            let stopped = async {
                let _ = stop.await;
            };
            if let Err(error) = axum::serve(listener, router)
                .with_graceful_shutdown(stopped)
                .await
            {
                tracing::warn!(%error, "{name} stopped");
            }
        });
        tracing::info!(%addr, "{name} listening");
        LocalServer {
            addr,
            shutdown: Some(shutdown),
            server: Some(server),
        }
    }
}

impl LocalServer {
    /// Binds `127.0.0.1:0` (an ephemeral port); `name` is the service's name in log lines
    /// ("fake Ivanti").
    pub async fn bind(name: &'static str) -> std::io::Result<Bound> {
        let listener = TcpListener::bind(SocketAddr::from((Ipv4Addr::LOCALHOST, 0))).await?;
        let addr = listener.local_addr()?;
        Ok(Bound {
            listener,
            addr,
            name,
        })
    }

    /// [`Self::bind`], then [`Bound::serve`].
    pub async fn start(router: Router, name: &'static str) -> std::io::Result<Self> {
        Ok(Self::bind(name).await?.serve(router))
    }

    /// The address the server listens on (`127.0.0.1:<port>`).
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// `http://127.0.0.1:<port>`.
    pub fn origin(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Stops accepting, closes idle connections, and waits for in-flight requests.
    pub async fn shutdown(mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        if let Some(server) = self.server.take() {
            let _ = server.await;
        }
    }
}

impl Drop for LocalServer {
    /// Signals a graceful shutdown (keep-alive connections are closed too).
    fn drop(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
    }
}

/// One injected failure: how many more requests it applies to (`None`: until cleared) and how
/// many requests pass untouched before it starts.
#[derive(Debug, Clone)]
struct Switch<F> {
    failure: F,
    remaining: Option<u32>,
    after: u32,
}

/// Failures injected per endpoint, applied in the order they were injected.
#[derive(Debug, Clone)]
pub struct FailureSwitches<E, F> {
    queues: HashMap<E, VecDeque<Switch<F>>>,
}

impl<E, F> Default for FailureSwitches<E, F> {
    fn default() -> Self {
        Self {
            queues: HashMap::new(),
        }
    }
}

impl<E: Eq + Hash, F: Clone> FailureSwitches<E, F> {
    /// Queues `failure` for `endpoint`: after `after` untouched requests, for `times` requests
    /// (`None`: until cleared).
    pub fn push(&mut self, endpoint: E, failure: F, times: Option<u32>, after: u32) {
        self.queues.entry(endpoint).or_default().push_back(Switch {
            failure,
            remaining: times,
            after,
        });
    }

    /// The failure for this request to `endpoint`, spending one use of a counted one.
    pub fn take(&mut self, endpoint: &E) -> Option<F> {
        let queue = self.queues.get_mut(endpoint)?;
        let switch = queue.front_mut()?;
        if switch.after > 0 {
            switch.after -= 1;
            return None;
        }
        let failure = switch.failure.clone();
        if let Some(remaining) = switch.remaining.as_mut() {
            *remaining = remaining.saturating_sub(1);
            if *remaining == 0 {
                queue.pop_front();
            }
        }
        Some(failure)
    }

    /// Removes every injected failure.
    pub fn clear(&mut self) {
        self.queues.clear();
    }
}

/// The requests a fake received, oldest first.
#[derive(Debug, Clone)]
pub struct RequestLog<R> {
    records: Vec<R>,
}

impl<R> Default for RequestLog<R> {
    fn default() -> Self {
        Self {
            records: Vec::new(),
        }
    }
}

impl<R: Clone> RequestLog<R> {
    pub fn push(&mut self, record: R) {
        self.records.push(record);
    }

    /// Every request so far, oldest first.
    pub fn all(&self) -> Vec<R> {
        self.records.clone()
    }

    /// How many requests match.
    pub fn count(&self, matches: impl Fn(&R) -> bool) -> usize {
        self.records.iter().filter(|r| matches(r)).count()
    }

    /// Forgets every request.
    pub fn clear(&mut self) {
        self.records.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counted_failures_run_out_and_the_next_one_follows() {
        let mut switches = FailureSwitches::default();
        switches.push("ping", 500, Some(2), 0);
        switches.push("ping", 429, None, 0);
        let taken: Vec<_> = (0..4).map(|_| switches.take(&"ping")).collect();
        assert_eq!(taken, [Some(500), Some(500), Some(429), Some(429)]);
        assert_eq!(switches.take(&"account"), None);
        switches.clear();
        assert_eq!(switches.take(&"ping"), None);
    }

    #[test]
    fn a_failure_after_n_requests_lets_them_through_first() {
        let mut switches = FailureSwitches::default();
        switches.push("search", 503, None, 2);
        let taken: Vec<_> = (0..4).map(|_| switches.take(&"search")).collect();
        assert_eq!(taken, [None, None, Some(503), Some(503)]);
    }

    #[test]
    fn the_log_counts_and_forgets() {
        let mut log = RequestLog::default();
        log.push(("GET", "/a"));
        log.push(("PUT", "/a"));
        log.push(("GET", "/b"));
        assert_eq!(log.count(|(m, _)| *m == "GET"), 2);
        assert_eq!(log.all().len(), 3);
        log.clear();
        assert!(log.all().is_empty());
    }

    #[tokio::test]
    async fn a_server_listens_on_loopback_and_stops() {
        let router = Router::new().route("/", axum::routing::get(|| async { "ok" }));
        let server = LocalServer::start(router, "test server").await.unwrap();
        assert!(server.addr().ip().is_loopback());
        assert_eq!(server.origin(), format!("http://{}", server.addr()));
        let addr = server.addr();
        assert!(tokio::net::TcpStream::connect(addr).await.is_ok());
        server.shutdown().await;
        assert!(tokio::net::TcpStream::connect(addr).await.is_err());
    }
}
