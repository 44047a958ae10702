//! A local fake of the TeamViewer Web API, for tests and the app's labelled demo mode.
//!
//! What is here: the endpoints, fields and error bodies of `docs/reference/teamviewer-web-api.md`
//! — `GET /api/v1/ping`, `GET /api/v1/account`, `POST|GET /api/v1/sessions`,
//! `GET|PUT /api/v1/sessions/{code}`, `GET /api/v1/devices`, `GET /api/v1/devices/{device_id}`,
//! `GET /api/v1/groups`, `POST /api/v1/oauth2/token` (authorization code with
//! optional PKCE S256, rotating single-use refresh tokens), `POST /api/v1/oauth2/revoke`, and an
//! auto-approving `GET /oauth2/authorize` login page — plus switches to inject every documented
//! failure per endpoint, a per-request latency, and a handle to inspect what happened and to
//! play the world outside the product (the device user joining, a case closed at TeamViewer, a
//! Host assigned or going offline, a help request waiting unassigned).
//!
//! What is deliberately not here: real accounts, TLS, writing devices or groups, and any claim about TeamViewer behaviour the reference does not document (such choices are
//! marked where they are made). It never talks to the network beyond `127.0.0.1`.
//!
//! ```no_run
//! # async fn demo() -> std::io::Result<()> {
//! use helpatwork_teamviewer_sandbox::{spawn, Endpoint, Failure, SandboxOptions};
//! let sandbox = spawn(SandboxOptions::default()).await?;
//! sandbox.handle.inject_times(Endpoint::CreateSession, Failure::ServerError(500), 1);
//! println!("API at {}, login at {}", sandbox.base_url, sandbox.login_url);
//! # Ok(()) }
//! ```

mod api;
mod devices;
mod failures;
mod oauth;
mod persist;
mod state;
mod wire;

use std::net::SocketAddr;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use axum::body::{Body, Bytes};
use axum::extract::{Request, State as AxumState};
use axum::http::header;
use axum::middleware::Next;
use axum::response::Response;
use axum::routing::{get, post};
use axum::Router;
use helpatwork_net::fake_server::LocalServer;
use serde_json::{json, Value};

pub use devices::{HelpRequest, SandboxDevice};
pub use failures::{Endpoint, Failure};
pub use state::{RequestRecord, SandboxSession, TokenRequestRecord};

use state::State;

pub(crate) const API_PREFIX: &str = "/api/v1";
pub(crate) const AUTHORIZE_PATH: &str = "/oauth2/authorize";

/// Whether the login page approves or denies.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum AuthorizeMode {
    /// Redirect back with `code` and `state` at once.
    #[default]
    Approve,
    /// Redirect back with `error=access_denied` and `state`.
    Deny,
}

/// The signed-in account the sandbox reports.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SandboxAccount {
    pub userid: String,
    pub name: String,
    pub email: String,
    pub company_name: String,
}

impl Default for SandboxAccount {
    fn default() -> Self {
        Self {
            userid: "u11293276".to_owned(),
            name: "Demo Supporter".to_owned(),
            email: "demo.supporter@example.com".to_owned(),
            company_name: "Help@Work Demo".to_owned(),
        }
    }
}

/// How the sandbox starts.
#[derive(Debug, Clone)]
pub struct SandboxOptions {
    /// The registered app's client ID.
    pub client_id: String,
    /// The registered app's client secret (a wrong one gets `invalid_client`).
    pub client_secret: String,
    /// Registered redirect URIs; a port-less `http://127.0.0.1` accepts every loopback port.
    pub redirect_uris: Vec<String>,
    /// Bearer tokens accepted besides the ones the sandbox issued.
    pub script_tokens: Vec<String>,
    /// Sessions per list page (TeamViewer: at most 1,000).
    pub page_size: usize,
    /// `expires_in` of issued access tokens (TeamViewer's text: 1 day).
    pub access_token_ttl: Duration,
    pub authorize: AuthorizeMode,
    pub account: SandboxAccount,
    /// The company's other users: sessions may be assigned to them (`assigned_userid`), and
    /// [`SandboxHandle::add_user_token`] gives one a script token.
    pub users: Vec<SandboxAccount>,
    /// Added to every request.
    pub latency: Duration,
    /// Open sessions allowed before create answers the licence limitation (`None`: no limit).
    pub max_open_sessions: Option<usize>,
    /// Keep sessions, groups and issued tokens in this file, shared by every sandbox (in any
    /// process) started with it: the demo's sandbox outlives each command. `None`: memory only.
    pub state_file: Option<std::path::PathBuf>,
}

impl Default for SandboxOptions {
    fn default() -> Self {
        Self {
            client_id: "helpatwork-sandbox-client".to_owned(),
            client_secret: "helpatwork-sandbox-secret".to_owned(),
            redirect_uris: vec!["http://127.0.0.1".to_owned()],
            script_tokens: Vec::new(),
            page_size: 1000,
            access_token_ttl: Duration::from_secs(24 * 60 * 60),
            authorize: AuthorizeMode::Approve,
            account: SandboxAccount::default(),
            users: Vec::new(),
            latency: Duration::ZERO,
            max_open_sessions: None,
            state_file: None,
        }
    }
}

/// A running sandbox. Dropping it stops the server.
pub struct Sandbox {
    /// The Web API base, `http://127.0.0.1:<port>/api/v1`.
    pub base_url: String,
    /// The authorize page, `http://127.0.0.1:<port>/oauth2/authorize`.
    pub login_url: String,
    /// Switches and inspection.
    pub handle: SandboxHandle,
    /// The registered app's credentials, as given in the options.
    pub client_id: String,
    pub client_secret: String,
    server: LocalServer,
}

impl std::fmt::Debug for Sandbox {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Sandbox")
            .field("base_url", &self.base_url)
            .field("login_url", &self.login_url)
            .finish_non_exhaustive()
    }
}

impl Sandbox {
    /// The address the sandbox listens on (`127.0.0.1:<port>`).
    pub fn addr(&self) -> SocketAddr {
        self.server.addr()
    }

    /// Stops accepting, closes idle connections, and waits for in-flight requests. Dropping the
    /// sandbox stops it too, without waiting.
    pub async fn shutdown(self) {
        self.server.shutdown().await;
    }
}

/// Shared server state.
#[derive(Clone)]
pub(crate) struct Shared {
    state: Arc<Mutex<State>>,
    base_url: Arc<str>,
    state_file: Option<Arc<std::path::Path>>,
}

impl Shared {
    pub(crate) fn lock(&self) -> MutexGuard<'_, State> {
        // A handler that panicked mid-update leaves usable data; the sandbox keeps serving.
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Runs `f` on the state; with a state file, between loading it and writing it back under
    /// its lock (blocking while another process holds it).
    fn transact<R>(&self, f: impl FnOnce(&mut State) -> R) -> R {
        let Some(path) = &self.state_file else {
            return f(&mut self.lock());
        };
        let lock = persist::begin(path, &self.state);
        let result = f(&mut self.lock());
        match lock {
            Ok(lock) => {
                if let Err(e) = persist::commit(lock, &self.state) {
                    tracing::warn!(error = %e, "the sandbox state file could not be written");
                }
            }
            Err(e) => tracing::warn!(error = %e, "the sandbox state file could not be read"),
        }
        result
    }
}

/// Starts the sandbox on `127.0.0.1:0` (an ephemeral port).
pub async fn spawn(options: SandboxOptions) -> std::io::Result<Sandbox> {
    let bound = LocalServer::bind("TeamViewer sandbox").await?;
    let origin = bound.origin();
    let base_url = format!("{origin}{API_PREFIX}");
    let client_id = options.client_id.clone();
    let client_secret = options.client_secret.clone();
    let state_file = options.state_file.clone().map(Arc::from);
    let shared = Shared {
        state: Arc::new(Mutex::new(State::new(options))),
        base_url: Arc::from(base_url.as_str()),
        state_file,
    };
    let server = bound.serve(router(shared.clone()));
    Ok(Sandbox {
        base_url,
        login_url: format!("{origin}{AUTHORIZE_PATH}"),
        handle: SandboxHandle { shared },
        client_id,
        client_secret,
        server,
    })
}

fn router(shared: Shared) -> Router {
    let api = Router::new()
        .route("/ping", get(api::ping))
        .route("/account", get(api::account))
        .route(
            "/sessions",
            post(api::create_session).get(api::list_sessions),
        )
        .route(
            "/sessions/{code}",
            get(api::get_session).put(api::update_session),
        )
        .route("/devices", get(devices::list_devices))
        .route("/devices/{device_id}", get(devices::get_device))
        .route("/groups", get(devices::list_groups))
        .route("/oauth2/token", post(oauth::token))
        .route("/oauth2/revoke", post(oauth::revoke));
    Router::new()
        .nest(API_PREFIX, api)
        .route(AUTHORIZE_PATH, get(oauth::authorize))
        .layer(axum::middleware::from_fn_with_state(
            shared.clone(),
            switches,
        ))
        .with_state(shared)
}

/// Logs the request, adds latency, and applies the endpoint's injected failure.
async fn switches(AxumState(shared): AxumState<Shared>, request: Request, next: Next) -> Response {
    // With a state file, the whole request runs between loading it and writing it back.
    let file_lock = match shared.state_file.clone() {
        None => None,
        Some(file) => {
            let memory = shared.state.clone();
            match tokio::task::spawn_blocking(move || persist::begin(&file, &memory)).await {
                Ok(Ok(lock)) => Some(lock),
                Ok(Err(e)) => {
                    tracing::warn!(error = %e, "the sandbox state file could not be read");
                    None
                }
                Err(_) => None,
            }
        }
    };
    let response = handle(&shared, request, next).await;
    if let Some(lock) = file_lock {
        let memory = shared.state.clone();
        if let Ok(Err(e)) =
            tokio::task::spawn_blocking(move || persist::commit(lock, &memory)).await
        {
            tracing::warn!(error = %e, "the sandbox state file could not be written");
        }
    }
    response
}

async fn handle(shared: &Shared, request: Request, next: Next) -> Response {
    let method = request.method().as_str().to_owned();
    let path = request.uri().path().to_owned();
    let endpoint = Endpoint::classify(&method, &path);
    let (latency, failure) = {
        let mut state = shared.lock();
        state.requests.push(RequestRecord {
            method: method.clone(),
            path: path.clone(),
            query: request.uri().query().map(str::to_owned),
            endpoint,
            authorized: request.headers().contains_key(header::AUTHORIZATION),
        });
        (
            state.latency,
            endpoint.and_then(|e| state.failures.take(&e)),
        )
    };
    tracing::debug!(%method, %path, failure = ?failure, "sandbox request");
    if !latency.is_zero() {
        tokio::time::sleep(latency).await;
    }
    match failure {
        None => next.run(request).await,
        Some(Failure::Delay(delay)) => {
            tokio::time::sleep(delay).await;
            next.run(request).await
        }
        Some(failure) if failure.replaces_handler() => wire::failure_response(&failure),
        Some(failure) => {
            let response = next.run(request).await;
            mangle(response, &failure).await
        }
    }
}

/// Rewrites a successful JSON answer after the handler ran.
async fn mangle(response: Response, failure: &Failure) -> Response {
    if !response.status().is_success() {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, 16 * 1024 * 1024).await else {
        return Response::from_parts(parts, Body::empty());
    };
    if bytes.is_empty() {
        return Response::from_parts(parts, Body::empty());
    }
    let new: Bytes = match failure {
        Failure::MalformedJson => {
            Bytes::from_static(b"{\"sessions\": [ {\"code\": s123-456-789,, ]")
        }
        Failure::TruncatedBody => bytes.slice(..bytes.len() / 2),
        Failure::ExtraFields => Bytes::from(add_extra_fields(&bytes)),
        Failure::Oversized(size) => {
            let mut padded = bytes.to_vec();
            padded.resize(padded.len().max(*size), b' ');
            Bytes::from(padded)
        }
        _ => bytes,
    };
    parts.headers.remove(header::CONTENT_LENGTH);
    Response::from_parts(parts, Body::from(new))
}

/// Adds undocumented fields to the object and to every listed session.
fn add_extra_fields(bytes: &[u8]) -> Vec<u8> {
    let Ok(mut value) = serde_json::from_slice::<Value>(bytes) else {
        return bytes.to_vec();
    };
    let extra = |v: &mut Value| {
        if let Value::Object(map) = v {
            map.insert(
                "sandbox_unexpected".to_owned(),
                json!({"nested": [1, 2, 3]}),
            );
            map.insert("tv_version".to_owned(), json!("15.99.0"));
            map.insert("custom_module_id".to_owned(), json!("m-sandbox"));
        }
    };
    if let Some(Value::Array(sessions)) = value.get_mut("sessions") {
        sessions.iter_mut().for_each(extra);
    }
    extra(&mut value);
    serde_json::to_vec(&value).unwrap_or_else(|_| bytes.to_vec())
}

/// A token pair issued directly (as if an OAuth sign-in had happened). Debug is redacted.
#[derive(Clone, PartialEq, Eq)]
pub struct IssuedTokens {
    pub access_token: String,
    pub refresh_token: String,
    pub expires_in: u64,
}

impl std::fmt::Debug for IssuedTokens {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("IssuedTokens")
            .field("expires_in", &self.expires_in)
            .finish_non_exhaustive()
    }
}

/// Switches and inspection of a running sandbox. Cheap to clone.
#[derive(Clone)]
pub struct SandboxHandle {
    shared: Shared,
}

impl std::fmt::Debug for SandboxHandle {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SandboxHandle")
            .field("base_url", &self.shared.base_url)
            .finish()
    }
}

impl SandboxHandle {
    /// Makes `endpoint` fail this way on every request until cleared.
    pub fn inject(&self, endpoint: Endpoint, failure: Failure) {
        self.push_failure(endpoint, failure, None);
    }

    /// Makes `endpoint` fail this way for the next `times` requests.
    pub fn inject_times(&self, endpoint: Endpoint, failure: Failure, times: u32) {
        if times > 0 {
            self.push_failure(endpoint, failure, Some(times));
        }
    }

    fn push_failure(&self, endpoint: Endpoint, failure: Failure, remaining: Option<u32>) {
        self.shared
            .lock()
            .failures
            .push(endpoint, failure, remaining, 0);
    }

    /// Removes every injected failure.
    pub fn clear_failures(&self) {
        self.shared.lock().failures.clear();
    }

    /// Latency added to every request (for benchmarks and slow-network demos).
    pub fn set_latency(&self, latency: Duration) {
        self.shared.lock().latency = latency;
    }

    pub fn set_page_size(&self, page_size: usize) {
        self.shared.lock().page_size = page_size.max(1);
    }

    pub fn set_authorize(&self, mode: AuthorizeMode) {
        self.shared.lock().authorize = mode;
    }

    /// `expires_in` of tokens issued from now on.
    pub fn set_access_token_ttl(&self, ttl: Duration) {
        self.shared.lock().access_token_ttl = ttl;
    }

    /// Open sessions allowed before create answers the licence limitation.
    pub fn set_max_open_sessions(&self, max: Option<usize>) {
        self.shared.lock().max_open_sessions = max;
    }

    /// Created sessions answer their links on `host` (`None`: TeamViewer's hosts), as a
    /// compromised or misconfigured service might.
    pub fn set_link_host(&self, host: Option<&str>) {
        self.shared.lock().link_host = host.map(str::to_owned);
    }

    pub fn add_script_token(&self, token: &str) {
        self.shared.lock().script_tokens.insert(token.to_owned());
    }

    /// Every access token issued so far now answers `401 token_expired` (refresh tokens live).
    pub fn expire_access_tokens(&self) {
        self.shared.transact(|state| {
            for token in state.access_tokens.values_mut() {
                token.forced_expired = true;
            }
        });
    }

    /// Every authorization code issued so far is past its 10 minutes.
    pub fn expire_authorization_codes(&self) {
        for code in self.shared.lock().codes.values_mut() {
            code.expired = true;
        }
    }

    /// Marks the end customer of a session connected (or not), as when the device user opens
    /// QuickSupport with the code. `false`: no such open session.
    pub fn set_online(&self, code: &str, online: bool) -> bool {
        self.shared.transact(|state| match state.session_mut(code) {
            Some(session) if session.state == "Open" => {
                session.online = online;
                true
            }
            _ => false,
        })
    }

    /// Closes a session's case at TeamViewer's side (as a supporter ending it in the TeamViewer
    /// client would). `false`: no such open session.
    pub fn close_case(&self, code: &str) -> bool {
        self.shared.transact(|state| match state.session_mut(code) {
            Some(session) if session.state == "Open" => {
                session.state = "Closed".to_owned();
                session.closed_at = Some(chrono::Utc::now());
                session.online = false;
                true
            }
            _ => false,
        })
    }

    /// Issues a token pair without the OAuth round trip.
    pub fn issue_tokens(&self) -> IssuedTokens {
        let (access_token, refresh_token, expires_in) =
            self.shared.transact(|state| state.issue_pair());
        IssuedTokens {
            access_token,
            refresh_token,
            expires_in,
        }
    }

    /// All sessions, oldest first.
    pub fn sessions(&self) -> Vec<SandboxSession> {
        self.shared.transact(|state| state.sessions.clone())
    }

    pub fn session(&self, code: &str) -> Option<SandboxSession> {
        self.shared
            .transact(|state| state.sessions.iter().find(|s| s.code == code).cloned())
    }

    /// Sessions successfully created through the API.
    pub fn sessions_created(&self) -> usize {
        self.shared.lock().sessions_created
    }

    /// Refresh tokens used (successfully, once each), in order.
    pub fn refresh_tokens_used(&self) -> Vec<String> {
        self.shared.lock().refresh_tokens_used.clone()
    }

    /// Access and refresh tokens killed by revoke.
    pub fn revoked_tokens(&self) -> Vec<String> {
        self.shared.lock().revoked_tokens.clone()
    }

    /// Every access and refresh token the sandbox ever issued.
    pub fn issued_tokens(&self) -> Vec<String> {
        self.shared.lock().issued_tokens.clone()
    }

    /// Every request, in order (method, path, query, endpoint, whether it had Authorization).
    pub fn requests(&self) -> Vec<RequestRecord> {
        self.shared.lock().requests.all()
    }

    /// How many requests reached `endpoint`.
    pub fn request_count(&self, endpoint: Endpoint) -> usize {
        self.shared
            .lock()
            .requests
            .count(|r| r.endpoint == Some(endpoint))
    }

    /// Calls of the token endpoint: grant type and form field names.
    pub fn token_requests(&self) -> Vec<TokenRequestRecord> {
        self.shared.lock().token_requests.clone()
    }

    /// Forgets the request and token-request logs.
    pub fn clear_requests(&self) {
        let mut state = self.shared.lock();
        state.requests.clear();
        state.token_requests.clear();
    }
}
