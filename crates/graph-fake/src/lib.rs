//! A local fake of Microsoft Graph's Intune device calls and the Entra ID token endpoint, for
//! tests, benchmarks and demos.
//!
//! What is here, in the shapes of Microsoft's Graph reference (`fixtures/README.md` names the
//! pages and commits; `docs/reference/mdm-apis.md` §6.5):
//! - `POST /{tenant}/oauth2/v2.0/token`: the OAuth 2.0 client-credentials grant
//!   (`grant_type=client_credentials`, `client_id`, `client_secret`,
//!   `scope=https://graph.microsoft.com/.default`) → `{"token_type":"Bearer","expires_in":3599,
//!   "ext_expires_in":3599,"access_token":…}`; a wrong tenant, client or secret gets Entra ID's
//!   `{"error":…,"error_description":"AADSTS…"}` answer;
//! - `GET /v1.0/deviceManagement/managedDevices` with `$select`, `$top`, `$count=true`
//!   (`@odata.count`) and `@odata.nextLink` paging (an opaque `$skiptoken`);
//! - `POST /v1.0/deviceManagement/managedDevices/{id}/syncDevice` → `204 No Content`;
//! - the tenant objects of the session delivery ([`tenant`]): `GET …/managedDevices/{id}`,
//!   Entra ID devices, security groups and their members, Intune apps, managed app
//!   configurations (v1.0 and beta) and their `assign`, kept in state tests inspect;
//! - app distribution ([`distribution`]): a group's members (`…/members/$ref`) and an app's
//!   assignments (`mobileApps/{id}/assignments`; never the app's `assign`);
//! - each call checks the bearer token (`401` otherwise) and the application permission the
//!   reference names for it (`403` otherwise), with Graph's error body (`fixtures/error.json`);
//! - a deterministic fleet of N devices rendered from the fleet generator ([`fleet`]), up to
//!   100,000 and more; failure switches per endpoint ([`Failure`]): 401, 403, 429 with
//!   `Retry-After`, 5xx, a truncated page, a `nextLink` to another host, a delay; a per-request
//!   latency; and a record of every request.
//!
//! What is deliberately not here: TLS, certificates (client assertions), delegated sign-in,
//! Graph calls the product does not make, and any claim about Graph's behaviour the reference
//! does not make. Where the fake has to choose (the `$top` cap, the 403 message, `$count` on
//! this collection, the accepted `$filter`s) the choice is marked where it is made. It never
//! listens beyond `127.0.0.1`.

mod api;
pub mod distribution;
mod failures;
pub mod fleet;
pub mod tenant;

use std::collections::HashSet;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use axum::body::{Body, Bytes};
use axum::extract::{Request, State as AxumState};
use axum::http::{header, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::{delete, get, post};
use axum::Router;
use helpatwork_net::fake_server::{FailureSwitches, LocalServer, RequestLog};
use serde_json::Value;

pub use distribution::FakeAppAssignment;
pub use failures::{Endpoint, Failure};
pub use fleet::{FleetSpec, GraphDevice};
pub use tenant::{entra_object_id, FakeConfiguration, FakeGroup};

/// The reference's example answer of *List managedDevices* (see `fixtures/README.md`).
pub const LIST_EXAMPLE: &str = include_str!("../fixtures/managedDevice-list.json");
/// The reference's example error body.
pub const ERROR_EXAMPLE: &str = include_str!("../fixtures/error.json");

/// Graph's application permission to read managed devices (the least privileged of the two the
/// reference accepts for *List managedDevices*).
pub const READ_DEVICES: &str = "DeviceManagementManagedDevices.Read.All";
/// The other permission *List managedDevices* accepts.
pub const READ_WRITE_DEVICES: &str = "DeviceManagementManagedDevices.ReadWrite.All";
/// The permission *syncDevice* needs.
pub const PRIVILEGED_OPERATIONS: &str = "DeviceManagementManagedDevices.PrivilegedOperations.All";
/// The permission of the app configurations and the app list (the session delivery).
pub const APPS_READ_WRITE: &str = "DeviceManagementApps.ReadWrite.All";
/// The permission of the product's groups.
pub const GROUPS_READ_WRITE: &str = "Group.ReadWrite.All";
/// The permission of *List devices* (Entra ID devices).
pub const DEVICES_READ: &str = "Device.Read.All";

/// How the fake starts.
#[derive(Debug, Clone)]
pub struct FakeGraphOptions {
    /// The directory (tenant) id in the token path.
    pub tenant_id: String,
    /// The app registration's application (client) id.
    pub client_id: String,
    pub client_secret: String,
    /// The application permissions granted to the app (admin consent).
    pub permissions: Vec<String>,
    /// The generated fleet.
    pub fleet: FleetSpec,
    /// Added to every request.
    pub latency: Duration,
}

impl Default for FakeGraphOptions {
    fn default() -> Self {
        Self {
            tenant_id: "6babcaad-604b-40ac-a9d7-9fd97c0b779f".to_owned(),
            client_id: "3e7b1f5c-2d4a-4c8e-9f61-0a2b3c4d5e6f".to_owned(),
            client_secret: "fake-graph-client-secret".to_owned(),
            permissions: [
                READ_DEVICES,
                PRIVILEGED_OPERATIONS,
                APPS_READ_WRITE,
                GROUPS_READ_WRITE,
                DEVICES_READ,
            ]
            .map(str::to_owned)
            .to_vec(),
            fleet: FleetSpec::default(),
            latency: Duration::ZERO,
        }
    }
}

/// One request the fake received. The `Authorization` header and the client secret are never
/// recorded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequestRecord {
    pub method: String,
    pub path: String,
    pub query: Option<String>,
    pub endpoint: Option<Endpoint>,
    /// The bearer token was one the fake issued (always true for the token endpoint).
    pub authorized: bool,
}

impl RequestRecord {
    /// The first value of query parameter `name`.
    pub fn query_param(&self, name: &str) -> Option<String> {
        url::form_urlencoded::parse(self.query.as_deref().unwrap_or_default().as_bytes())
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.into_owned())
    }
}

/// Server state behind one lock.
pub(crate) struct State {
    pub(crate) options: FakeGraphOptions,
    pub(crate) origin: String,
    pub(crate) devices: Arc<Vec<GraphDevice>>,
    /// Bumped when the fleet changes: skip tokens of an older fleet are refused.
    pub(crate) generation: u64,
    pub(crate) tokens: HashSet<String>,
    pub(crate) issued: u64,
    pub(crate) requests: RequestLog<RequestRecord>,
    pub(crate) syncs: Vec<String>,
    pub(crate) tenant: tenant::Tenant,
    failures: FailureSwitches<Endpoint, Failure>,
}

#[derive(Clone)]
pub(crate) struct Shared {
    state: Arc<Mutex<State>>,
}

impl Shared {
    pub(crate) fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// A running fake. Dropping it stops the server.
pub struct FakeGraph {
    /// `http://127.0.0.1:<port>`: both the Graph base (`/v1.0/…`) and the sign-in authority
    /// (`/{tenant}/oauth2/v2.0/token`).
    pub base_url: String,
    pub handle: FakeGraphHandle,
    pub tenant_id: String,
    pub client_id: String,
    pub client_secret: String,
    server: LocalServer,
}

impl std::fmt::Debug for FakeGraph {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FakeGraph")
            .field("base_url", &self.base_url)
            .finish_non_exhaustive()
    }
}

impl FakeGraph {
    /// Stops accepting and waits for in-flight requests.
    pub async fn shutdown(self) {
        self.server.shutdown().await;
    }
}

/// Switches and inspection of a running fake. Cheap to clone.
#[derive(Clone)]
pub struct FakeGraphHandle {
    shared: Shared,
}

impl std::fmt::Debug for FakeGraphHandle {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("FakeGraphHandle")
    }
}

impl FakeGraphHandle {
    /// Makes `endpoint` fail this way on every request until cleared.
    pub fn inject(&self, endpoint: Endpoint, failure: Failure) {
        self.shared.lock().failures.push(endpoint, failure, None, 0);
    }

    /// Makes `endpoint` fail this way for the next `times` requests.
    pub fn inject_times(&self, endpoint: Endpoint, failure: Failure, times: u32) {
        if times > 0 {
            self.shared
                .lock()
                .failures
                .push(endpoint, failure, Some(times), 0);
        }
    }

    /// Lets `after` requests to `endpoint` through, then fails this way until cleared.
    pub fn inject_after(&self, endpoint: Endpoint, failure: Failure, after: u32) {
        self.shared
            .lock()
            .failures
            .push(endpoint, failure, None, after);
    }

    pub fn clear_failures(&self) {
        self.shared.lock().failures.clear();
    }

    /// Replaces the application permissions granted to the app.
    pub fn set_permissions(&self, permissions: &[&str]) {
        self.shared.lock().options.permissions =
            permissions.iter().map(|p| (*p).to_owned()).collect();
    }

    /// The fleet, in the order the list serves it.
    pub fn devices(&self) -> Arc<Vec<GraphDevice>> {
        self.shared.lock().devices.clone()
    }

    /// Replaces the fleet (skip tokens handed out before are refused afterwards).
    pub fn replace_devices(&self, devices: Vec<GraphDevice>) {
        let mut state = self.shared.lock();
        state.devices = Arc::new(devices);
        state.generation += 1;
    }

    /// Ids of the devices `syncDevice` was called for, in order.
    pub fn syncs(&self) -> Vec<String> {
        self.shared.lock().syncs.clone()
    }

    /// The security groups of the tenant.
    pub fn groups(&self) -> Vec<FakeGroup> {
        self.shared.lock().tenant.groups.clone()
    }

    /// The managed app configurations of the tenant, with their assignments.
    pub fn configurations(&self) -> Vec<FakeConfiguration> {
        self.shared.lock().tenant.configurations.clone()
    }

    /// The apps' assignments, in the order they were created.
    pub fn app_assignments(&self) -> Vec<FakeAppAssignment> {
        self.shared.lock().tenant.app_assignments.clone()
    }

    /// The tenant's apps (`mobileApp` objects).
    pub fn apps(&self) -> Vec<Value> {
        self.shared.lock().tenant.apps.clone()
    }

    /// Replaces the tenant's apps.
    pub fn set_apps(&self, apps: Vec<Value>) {
        self.shared.lock().tenant.apps = apps;
    }

    /// The Entra ID object id of the managed device `id`, when it has one.
    pub fn entra_object_of(&self, id: &str) -> Option<String> {
        let state = self.shared.lock();
        let device = state.devices.iter().find(|d| d.id == id)?;
        device.azure_ad_device_id.as_deref().map(entra_object_id)
    }

    /// Every request so far, oldest first.
    pub fn requests(&self) -> Vec<RequestRecord> {
        self.shared.lock().requests.all()
    }

    pub fn clear_requests(&self) {
        self.shared.lock().requests.clear();
    }

    /// How many requests reached `endpoint`.
    pub fn count(&self, endpoint: Endpoint) -> usize {
        self.shared
            .lock()
            .requests
            .count(|r| r.endpoint == Some(endpoint))
    }

    /// Drops every issued access token (the next Graph call gets `401`).
    pub fn revoke_tokens(&self) {
        self.shared.lock().tokens.clear();
    }
}

/// Starts the fake on `127.0.0.1:0` (an ephemeral port).
pub async fn spawn(options: FakeGraphOptions) -> std::io::Result<FakeGraph> {
    let devices = Arc::new(fleet::generate(&options.fleet));
    let bound = LocalServer::bind("fake Graph").await?;
    let origin = bound.origin();
    let shared = Shared {
        state: Arc::new(Mutex::new(State {
            options: options.clone(),
            origin: origin.clone(),
            devices,
            generation: 1,
            tokens: HashSet::new(),
            issued: 0,
            requests: RequestLog::default(),
            syncs: Vec::new(),
            tenant: tenant::Tenant::new(),
            failures: FailureSwitches::default(),
        })),
    };
    let server = bound.serve(router(shared.clone()));
    Ok(FakeGraph {
        base_url: origin,
        handle: FakeGraphHandle { shared },
        tenant_id: options.tenant_id,
        client_id: options.client_id,
        client_secret: options.client_secret,
        server,
    })
}

fn router(shared: Shared) -> Router {
    Router::new()
        .route("/{tenant}/oauth2/v2.0/token", post(api::token))
        .route("/v1.0/deviceManagement/managedDevices", get(api::list))
        .route(
            "/v1.0/deviceManagement/managedDevices/{id}/syncDevice",
            post(api::sync_device),
        )
        .route(
            "/v1.0/deviceManagement/managedDevices/{id}",
            get(tenant::get_device),
        )
        .route("/v1.0/devices", get(tenant::list_entra_devices))
        .route(
            "/v1.0/groups",
            get(tenant::list_groups).post(tenant::create_group),
        )
        .route("/v1.0/groups/{id}", delete(tenant::delete_group))
        .route("/v1.0/groups/{id}/members", get(distribution::list_members))
        .route(
            "/v1.0/groups/{id}/members/$ref",
            post(distribution::add_member),
        )
        .route(
            "/v1.0/groups/{id}/members/{object}/$ref",
            delete(distribution::remove_member),
        )
        .route(
            "/{version}/deviceAppManagement/mobileApps/{id}/assignments",
            get(distribution::list_assignments).post(distribution::create_assignment),
        )
        .route(
            "/{version}/deviceAppManagement/mobileApps",
            get(tenant::list_apps),
        )
        .route(
            "/{version}/deviceAppManagement/mobileAppConfigurations",
            get(tenant::list_configurations).post(tenant::create_configuration),
        )
        .route(
            "/{version}/deviceAppManagement/mobileAppConfigurations/{id}",
            delete(tenant::delete_configuration),
        )
        .route(
            "/{version}/deviceAppManagement/mobileAppConfigurations/{id}/assign",
            post(tenant::assign_configuration),
        )
        .layer(axum::middleware::from_fn_with_state(
            shared.clone(),
            switches,
        ))
        .with_state(shared)
}

/// Records the request, adds latency, applies the endpoint's injected failure, checks the
/// bearer token on Graph calls.
async fn switches(
    AxumState(shared): AxumState<Shared>,
    mut request: Request,
    next: Next,
) -> Response {
    let method = request.method().as_str().to_owned();
    let path = request.uri().path().to_owned();
    let endpoint = Endpoint::classify(&method, &path);
    let bearer = request
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::to_owned);
    let (latency, failure, authorized) = {
        let mut state = shared.lock();
        let authorized = endpoint == Some(Endpoint::Token)
            || bearer.as_ref().is_some_and(|t| state.tokens.contains(t));
        state.requests.push(RequestRecord {
            method: method.clone(),
            path: path.clone(),
            query: request.uri().query().map(str::to_owned),
            endpoint,
            authorized,
        });
        let failure = endpoint.and_then(|e| state.failures.take(&e));
        (state.options.latency, failure, authorized)
    };
    tracing::debug!(%method, %path, failure = ?failure, "fake Graph request");
    if !latency.is_zero() {
        tokio::time::sleep(latency).await;
    }
    match &failure {
        Some(f) if f.replaces_handler() => return failure_response(f),
        Some(Failure::Delay(delay)) => tokio::time::sleep(*delay).await,
        _ => {}
    }
    if !authorized {
        return api::graph_error(
            StatusCode::UNAUTHORIZED,
            "InvalidAuthenticationToken",
            "Access token validation failure. Invalid audience.",
        );
    }
    if let Some(failure) = &failure {
        // The handlers that change their answer (a foreign nextLink) read it from here.
        request.extensions_mut().insert(failure.clone());
    }
    let response = next.run(request).await;
    match failure {
        Some(Failure::TruncatedPage) => truncate(response).await,
        _ => response,
    }
}

fn failure_response(failure: &Failure) -> Response {
    match failure {
        Failure::Unauthorized => api::graph_error(
            StatusCode::UNAUTHORIZED,
            "InvalidAuthenticationToken",
            "Access token has expired or is not yet valid.",
        ),
        Failure::Forbidden => api::graph_error(
            StatusCode::FORBIDDEN,
            "Forbidden",
            "Application is not authorized to perform this operation.",
        ),
        Failure::RateLimited { retry_after } => {
            let mut response = api::graph_error(
                StatusCode::TOO_MANY_REQUESTS,
                "TooManyRequests",
                "Too many requests.",
            );
            if let Ok(value) = HeaderValue::from_str(&retry_after.as_secs().to_string()) {
                response.headers_mut().insert(header::RETRY_AFTER, value);
            }
            response
        }
        Failure::ServerError(status) => api::graph_error(
            StatusCode::from_u16(*status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR),
            "serviceNotAvailable",
            "The service is temporarily unavailable.",
        ),
        Failure::Delay(_) | Failure::TruncatedPage | Failure::ForeignNextLink => {
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
    }
}

/// Cuts a successful answer in half (a connection dropped mid-page).
async fn truncate(response: Response) -> Response {
    if !response.status().is_success() {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, 256 * 1024 * 1024).await else {
        return Response::from_parts(parts, Body::empty());
    };
    let cut: Bytes = bytes.slice(..bytes.len() / 2);
    parts.headers.remove(header::CONTENT_LENGTH);
    Response::from_parts(parts, Body::from(cut))
}

/// The reference's example error body with this code and message.
pub fn error_body(code: &str, message: &str) -> Value {
    let mut body: Value = serde_json::from_str(ERROR_EXAMPLE).unwrap_or_default();
    body["error"]["code"] = Value::from(code);
    body["error"]["message"] = Value::from(message);
    body
}
