//! A local fake of the Ivanti Neurons for MDM REST API, for tests, benchmarks and demos.
//!
//! What is here: the documented shapes of `docs/reference/mdm-apis.md` §2 —
//! `GET /api/v1/tenant/partition/device`, `GET /api/v1/device` (`q`, `rows` 1..=500 else
//! `400 {"errors":{"fieldErrors":[{"code":"Range","message":"must be between 1 and 500"}]}}`,
//! `start`, `dmPartitionId`, `fq`) and `PUT /api/v1/device/forceCheckin` (form `ids=`) → `{"errors":
//! null,"result":<count>}` — behind HTTP Basic auth (`401` otherwise); Common Platform
//! Services' *Get application inventory* (`POST /msa/v1/cps/device/application`, its own
//! credentials: [`cps`]) and *Get device groups associated with device list*
//! (`POST /msa/v1/cps/rule/deviceGuid`: [`groups`]); a deterministic fleet of N devices ([`fleet`]) and their apps;
//! failure injection per endpoint ([`Failure`]); a per-request latency; and a record of every
//! request.
//!
//! What is deliberately not here: TLS, token authentication, other Ivanti endpoints, and any
//! claim about Ivanti behaviour the reference does not document. Where the fake has to choose
//! (the `fieldErrors` `field` key, answers for a missing `rows` or an unknown space, the
//! `fq` grammar, `result: 0` for unknown ids) the choice is marked in `api.rs`. It never
//! listens beyond `127.0.0.1`.
//!
//! ```no_run
//! # async fn demo() -> std::io::Result<()> {
//! use helpatwork_ivanti_fake::{spawn, Endpoint, Failure, FakeIvantiOptions};
//! let fake = spawn(FakeIvantiOptions::default()).await?;
//! fake.handle.inject_times(Endpoint::DeviceSearch, Failure::ServerError(503), 2);
//! println!("Ivanti at {}", fake.base_url);
//! # Ok(()) }
//! ```

mod api;
pub mod cps;
mod failures;
pub mod fleet;
pub mod groups;
mod handle;

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use axum::body::{Body, Bytes};
use axum::extract::{Request, State as AxumState};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post, put};
use axum::Router;
use base64::Engine;
use helpatwork_domain::InstalledApp;
use helpatwork_mdm::{CpsConfig, IvantiConfig, MdmError, Sensitive};
use helpatwork_net::fake_server::{FailureSwitches, LocalServer, RequestLog};
use serde_json::Value;

pub use failures::{Endpoint, Failure};
pub use fleet::FleetSpec;
pub use handle::FakeIvantiHandle;

/// Request bodies the fake records are cut at this size.
const MAX_RECORDED_BODY: usize = 64 * 1024;

/// How the fake starts.
#[derive(Debug, Clone)]
pub struct FakeIvantiOptions {
    /// The API user's name (Basic auth).
    pub user: String,
    /// The API user's password (Basic auth).
    pub password: String,
    /// The CPS user (with the CPS role) and its password, for the app inventory.
    pub cps_user: String,
    pub cps_password: String,
    /// The generated fleet.
    pub fleet: FleetSpec,
    /// Added to every request.
    pub latency: Duration,
    /// Serve at most this many rows per search page whatever `rows` asks (the reference notes
    /// lists that return only 50 rows, §2.3); `None`: serve `rows`.
    pub page_cap: Option<usize>,
}

impl Default for FakeIvantiOptions {
    fn default() -> Self {
        Self {
            user: "api-helpatwork@tenant.example.com".to_owned(),
            password: "fake-ivanti-password".to_owned(),
            cps_user: "cps-helpatwork@tenant.example.com".to_owned(),
            cps_password: "fake-cps-password".to_owned(),
            fleet: FleetSpec::default(),
            latency: Duration::ZERO,
            page_cap: None,
        }
    }
}

/// One request the fake received. The `Authorization` header is never recorded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequestRecord {
    pub method: String,
    pub path: String,
    pub query: Option<String>,
    pub content_type: Option<String>,
    /// The body as text (lossy UTF-8, cut at 64 KiB); empty for none.
    pub body: String,
    pub endpoint: Option<Endpoint>,
    /// Whether the Basic credentials were right (the CPS user's on CPS endpoints).
    pub authorized: bool,
}

impl RequestRecord {
    /// The decoded query parameters, in order.
    pub fn query_pairs(&self) -> Vec<(String, String)> {
        url::form_urlencoded::parse(self.query.as_deref().unwrap_or_default().as_bytes())
            .into_owned()
            .collect()
    }

    /// The first value of query parameter `name`.
    pub fn query_param(&self, name: &str) -> Option<String> {
        self.query_pairs()
            .into_iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v)
    }
}

/// Server state behind one lock.
pub(crate) struct State {
    pub(crate) user: String,
    pub(crate) password: String,
    pub(crate) cps_user: String,
    pub(crate) cps_password: String,
    pub(crate) devices: Vec<Value>,
    /// Inventories a test set, by lower-case guid (`None`: left out of answers); the others
    /// are the generated devices' apps ([`cps::rendered_inventory`]).
    pub(crate) inventories: HashMap<String, Option<Vec<Value>>>,
    /// The generated devices' installed apps, by lower-case guid (kept when a test replaces the
    /// records).
    pub(crate) generated_apps: HashMap<String, Vec<InstalledApp>>,
    /// Device groups a test set, by lower-case guid; the others are derived from the record
    /// ([`groups::groups_of`]).
    pub(crate) groups: HashMap<String, Vec<String>>,
    pub(crate) requests: RequestLog<RequestRecord>,
    pub(crate) checkins: Vec<String>,
    pub(crate) page_cap: Option<usize>,
    failures: FailureSwitches<Endpoint, Failure>,
    latency: Duration,
    /// The last search's matches and facets, so paging through a large fleet does not filter
    /// and count every record again for each page. Cleared whenever the fleet changes.
    pub(crate) search_cache: Option<api::SearchCache>,
    /// Device positions by lower-case guid and by UEM identifier, for the app inventory;
    /// cleared whenever the fleet changes.
    pub(crate) identifiers: Option<std::sync::Arc<cps::Identifiers>>,
}

impl State {
    /// The fleet, for a change: drops the cached search.
    fn devices_mut(&mut self) -> &mut Vec<Value> {
        self.search_cache = None;
        self.identifiers = None;
        &mut self.devices
    }
}

#[derive(Clone)]
pub(crate) struct Shared {
    state: Arc<Mutex<State>>,
}

impl Shared {
    pub(crate) fn lock(&self) -> MutexGuard<'_, State> {
        // A handler that panicked mid-update leaves usable data; the fake keeps serving.
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// A running fake. Dropping it stops the server.
pub struct FakeIvanti {
    /// The tenant base address, `http://127.0.0.1:<port>` (API paths are `/api/v1/…`).
    pub base_url: String,
    /// Switches and inspection.
    pub handle: FakeIvantiHandle,
    /// The API user's credentials, as given in the options.
    pub user: String,
    pub password: String,
    /// The CPS user's credentials, as given in the options.
    pub cps_user: String,
    pub cps_password: String,
    server: LocalServer,
}

impl std::fmt::Debug for FakeIvanti {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FakeIvanti")
            .field("base_url", &self.base_url)
            .finish_non_exhaustive()
    }
}

impl FakeIvanti {
    /// The address the fake listens on (`127.0.0.1:<port>`).
    pub fn addr(&self) -> SocketAddr {
        self.server.addr()
    }

    /// A connector configuration for this fake with the right credentials (no CPS access).
    pub fn config(&self) -> Result<IvantiConfig, MdmError> {
        IvantiConfig::new(
            &self.base_url,
            self.user.clone(),
            Sensitive::new(self.password.clone()),
        )
    }

    /// [`Self::config`] with CPS access too (the app inventory).
    pub fn config_with_cps(&self) -> Result<IvantiConfig, MdmError> {
        let mut config = self.config()?;
        config.cps = Some(CpsConfig {
            base_url: config.base_url.clone(),
            user: self.cps_user.clone(),
            password: Sensitive::new(self.cps_password.clone()),
            calls_per_minute: 600,
        });
        Ok(config)
    }

    /// Stops accepting, closes idle connections, and waits for in-flight requests. Dropping the
    /// fake stops it too, without waiting.
    pub async fn shutdown(self) {
        self.server.shutdown().await;
    }
}

/// Starts the fake on `127.0.0.1:0` (an ephemeral port).
pub async fn spawn(options: FakeIvantiOptions) -> std::io::Result<FakeIvanti> {
    let mut devices = Vec::with_capacity(options.fleet.devices);
    let mut generated_apps = HashMap::with_capacity(options.fleet.devices);
    for (record, apps) in fleet::generate_with_apps(&options.fleet) {
        if let Some(guid) = record.get("guid").and_then(Value::as_str) {
            generated_apps.insert(guid.to_ascii_lowercase(), apps);
        }
        devices.push(record);
    }
    let shared = Shared {
        state: Arc::new(Mutex::new(State {
            user: options.user.clone(),
            password: options.password.clone(),
            cps_user: options.cps_user.clone(),
            cps_password: options.cps_password.clone(),
            devices,
            inventories: HashMap::new(),
            generated_apps,
            groups: HashMap::new(),
            requests: RequestLog::default(),
            checkins: Vec::new(),
            page_cap: options.page_cap,
            failures: FailureSwitches::default(),
            latency: options.latency,
            search_cache: None,
            identifiers: None,
        })),
    };
    let server = LocalServer::start(router(shared.clone()), "fake Ivanti").await?;
    Ok(FakeIvanti {
        base_url: server.origin(),
        handle: FakeIvantiHandle { shared },
        user: options.user,
        password: options.password,
        cps_user: options.cps_user,
        cps_password: options.cps_password,
        server,
    })
}

fn router(shared: Shared) -> Router {
    Router::new()
        .route("/api/v1/tenant/partition/device", get(api::partitions))
        .route("/api/v1/device", get(api::search))
        .route("/api/v1/device/forceCheckin", put(api::force_checkin))
        .route(
            "/msa/v1/cps/device/application",
            post(cps::application_inventory),
        )
        .route("/msa/v1/cps/rule/deviceGuid", post(groups::device_groups))
        .layer(axum::middleware::from_fn_with_state(
            shared.clone(),
            switches,
        ))
        .with_state(shared)
}

/// Records the request, adds latency, applies the endpoint's injected failure, checks Basic
/// auth.
async fn switches(AxumState(shared): AxumState<Shared>, request: Request, next: Next) -> Response {
    let (parts, body) = request.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, 1024 * 1024).await else {
        return StatusCode::PAYLOAD_TOO_LARGE.into_response();
    };
    let method = parts.method.as_str().to_owned();
    let path = parts.uri.path().to_owned();
    let endpoint = Endpoint::classify(&method, &path);
    let (latency, failure, authorized, lacks_role) = {
        let mut state = shared.lock();
        let admin = basic_auth_matches(&parts.headers, &state.user, &state.password);
        let cps = endpoint.is_some_and(Endpoint::is_cps);
        let authorized = if cps {
            basic_auth_matches(&parts.headers, &state.cps_user, &state.cps_password)
        } else {
            admin
        };
        // Fake's choice: the tenant admin is a known user without the CPS role.
        let lacks_role = cps && !authorized && admin;
        let recorded = &bytes[..bytes.len().min(MAX_RECORDED_BODY)];
        state.requests.push(RequestRecord {
            method: method.clone(),
            path: path.clone(),
            query: parts.uri.query().map(str::to_owned),
            content_type: parts
                .headers
                .get(header::CONTENT_TYPE)
                .and_then(|v| v.to_str().ok())
                .map(str::to_owned),
            body: String::from_utf8_lossy(recorded).into_owned(),
            endpoint,
            authorized,
        });
        let failure = endpoint.and_then(|e| state.failures.take(&e));
        (state.latency, failure, authorized, lacks_role)
    };
    tracing::debug!(%method, %path, failure = ?failure, "fake Ivanti request");
    if !latency.is_zero() {
        tokio::time::sleep(latency).await;
    }
    let request = Request::from_parts(parts, Body::from(bytes));
    match &failure {
        Some(f) if f.replaces_handler() => return failure_response(f),
        Some(Failure::Delay(delay)) => tokio::time::sleep(*delay).await,
        _ => {}
    }
    if lacks_role {
        return api::envelope_error(StatusCode::FORBIDDEN, "The user does not have the CPS role");
    }
    if !authorized {
        return unauthorized();
    }
    let response = next.run(request).await;
    match failure {
        Some(
            failure @ (Failure::MalformedJson | Failure::TruncatedBody | Failure::Oversized(_)),
        ) => mangle(response, &failure).await,
        _ => response,
    }
}

fn basic_auth_matches(headers: &HeaderMap, user: &str, password: &str) -> bool {
    let Some(value) = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
    else {
        return false;
    };
    let Some(encoded) = value
        .strip_prefix("Basic ")
        .or_else(|| value.strip_prefix("basic "))
    else {
        return false;
    };
    let Ok(decoded) = base64::engine::general_purpose::STANDARD.decode(encoded.trim()) else {
        return false;
    };
    decoded == format!("{user}:{password}").as_bytes()
}

/// `401` with a Basic challenge; Ivanti's 401 body is undocumented, so the fake sends none.
fn unauthorized() -> Response {
    let mut response = StatusCode::UNAUTHORIZED.into_response();
    response.headers_mut().insert(
        header::WWW_AUTHENTICATE,
        HeaderValue::from_static("Basic realm=\"Ivanti Neurons for MDM\""),
    );
    response
}

fn failure_response(failure: &Failure) -> Response {
    match failure {
        Failure::Unauthorized => unauthorized(),
        Failure::Forbidden => api::envelope_error(StatusCode::FORBIDDEN, "Access is denied"),
        Failure::RateLimited => {
            api::envelope_error(StatusCode::TOO_MANY_REQUESTS, "Too many requests")
        }
        Failure::ServerError(status) => api::envelope_error(
            StatusCode::from_u16(*status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR),
            "Internal server error",
        ),
        Failure::Delay(_)
        | Failure::MalformedJson
        | Failure::TruncatedBody
        | Failure::Oversized(_) => StatusCode::INTERNAL_SERVER_ERROR.into_response(),
    }
}

/// Rewrites a successful answer after the handler ran.
async fn mangle(response: Response, failure: &Failure) -> Response {
    if !response.status().is_success() {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, 64 * 1024 * 1024).await else {
        return Response::from_parts(parts, Body::empty());
    };
    let new: Bytes = match failure {
        Failure::MalformedJson => Bytes::from_static(
            b"{\"errors\": null, \"result\": {\"totalCount\": 3,, \"searchResults\": [{\"id\": 10",
        ),
        Failure::TruncatedBody => bytes.slice(..bytes.len() / 2),
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
