//! The Microsoft Intune connector, over Microsoft Graph v1.0 [docs/reference/mdm-apis.md §6.5;
//! docs/intune.md]: sign-in with the client-credentials grant of an Entra ID app registration
//! ([`auth`]), `GET /v1.0/deviceManagement/managedDevices` with `$select` and `$top`, paged by
//! `@odata.nextLink`, and `POST …/managedDevices/{id}/syncDevice` for the forced check-in.
//!
//! Graph pages forward only: a page's `@odata.nextLink` is the only way to the next one. The
//! product's cursor is an offset, so the connector remembers which link starts at which offset
//! ([`paging`]); a cursor it has no link for (a resumed sync after a restart) is reached by
//! walking the links from the nearest known page. A `nextLink` that leaves the configured Graph
//! address, or the device list's path, is refused before anything (the token above all) is sent.
//!
//! The session code reaches QuickSupport / Host (S4) through a managed app configuration
//! assigned to a product-owned Entra ID group holding only that device ([`delivery`]), then a
//! `syncDevice`; the clearing deletes both by name.
//!
//! App distribution (A6, A5's undistribution) adds the device to, or removes it from, a
//! product-owned group per app and platform that the app is assigned to as *required*
//! ([`distribution`]), then a `syncDevice`.
//!
//! Not here, and said so by [`IntuneConnector::capabilities`]: the installed apps (Graph's
//! device list carries none; they stay unknown, never "not installed") (docs/intune.md §6).

mod apps;
mod auth;
mod calls;
mod config;
pub mod delivery;
pub mod distribution;
pub(crate) mod errors;
mod paging;
mod wire;

use std::sync::Arc;
use std::time::Duration;

use helpatwork_domain::device::AppKind;
use helpatwork_net::{Auth, Body, HttpLimits, Sensitive, TransportError};
use reqwest::Method;
use tracing::Instrument;
use url::Url;

pub use auth::GRAPH_SCOPE;
pub use config::{
    is_guid, parse_client_id, parse_tenant, IntuneConfig, IntuneOptions, DEFAULT_GRAPH_URL,
    DEFAULT_LOGIN_URL, ENV_CLIENT_ID, ENV_CLIENT_SECRET, ENV_GRAPH_URL, ENV_LOGIN_URL,
    ENV_TENANT_ID,
};
pub(crate) use errors::fix;
pub use wire::SELECT;

use crate::connector::{Capabilities, DevicePage, MdmConnector, MdmFuture, PageCursor};
use crate::error::MdmError;

/// The product name used in messages.
pub(crate) const MDM: &str = "Microsoft Intune";

/// The permissions *List managedDevices* accepts (least privileged first).
pub const LIST_PERMISSIONS: &str =
    "DeviceManagementManagedDevices.Read.All (or DeviceManagementManagedDevices.ReadWrite.All)";
/// The permission *syncDevice* needs.
pub const SYNC_PERMISSION: &str = "DeviceManagementManagedDevices.PrivilegedOperations.All";

/// **Our choice**: the largest `$top` asked for. Graph documents no cap for this list.
pub const MAX_TOP: u32 = 1000;

/// The Intune connector. Cheap to clone; clones share the token and the page links.
#[derive(Clone)]
pub struct IntuneConnector {
    inner: Arc<Inner>,
}

struct Inner {
    config: IntuneConfig,
    options: IntuneOptions,
    transport: helpatwork_net::Transport,
    tokens: auth::TokenCache,
    chain: paging::Chain,
}

impl std::fmt::Debug for IntuneConnector {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("IntuneConnector")
            .field("config", &self.inner.config)
            .finish_non_exhaustive()
    }
}

impl IntuneConnector {
    pub fn new(config: IntuneConfig) -> Result<Self, MdmError> {
        Self::with_options(config, IntuneOptions::default())
    }

    pub fn with_options(config: IntuneConfig, options: IntuneOptions) -> Result<Self, MdmError> {
        let transport = helpatwork_net::Transport::new(&HttpLimits {
            connect_timeout: options.connect_timeout,
            request_timeout: options.request_timeout,
            max_body_bytes: options.max_body_bytes,
        })
        .map_err(|_| MdmError::InvalidConfig {
            name: "http client",
            detail: "the TLS stack could not be initialised".to_owned(),
        })?;
        Ok(Self {
            inner: Arc::new(Inner {
                config,
                options,
                transport,
                tokens: auth::TokenCache::default(),
                chain: paging::Chain::default(),
            }),
        })
    }

    /// Reads the configuration from `HELPATWORK_INTUNE_*`.
    pub fn from_env() -> Result<Self, MdmError> {
        Self::new(IntuneConfig::from_env()?)
    }

    pub fn config(&self) -> &IntuneConfig {
        &self.inner.config
    }

    /// Signs in and reads one device: a cheap check of the tenant, the app registration, its
    /// secret and the read permission. Returns the number of managed devices when Graph
    /// reports it.
    pub async fn check(&self) -> Result<Option<u64>, MdmError> {
        let url = self.first_page_url(1)?;
        Ok(self.get_page(url).await?.count)
    }

    /// The first page's address: `$select`, `$top`, `$count=true`.
    fn first_page_url(&self, rows: u32) -> Result<Url, MdmError> {
        let mut url = self.inner.config.graph("deviceManagement/managedDevices")?;
        url.query_pairs_mut()
            .append_pair("$select", wire::SELECT)
            .append_pair("$top", &rows.clamp(1, MAX_TOP).to_string())
            .append_pair("$count", "true");
        Ok(url)
    }

    /// Whether `link` may be followed with the token: the configured Graph origin and the
    /// device list's path.
    fn follows(&self, link: &str) -> Result<Url, MdmError> {
        let url = Url::parse(link)
            .map_err(|_| MdmError::malformed(MDM, "@odata.nextLink is not a URL"))?;
        let list = self.inner.config.graph("deviceManagement/managedDevices")?;
        if url.origin() != list.origin() || url.path() != list.path() {
            return Err(MdmError::malformed(
                MDM,
                "@odata.nextLink leaves the configured Microsoft Graph address; not followed",
            ));
        }
        Ok(url)
    }

    /// A page of the device list, retried on 429 (after the `Retry-After` Graph asks for), 5xx,
    /// timeouts, connection failures and cut-off or unreadable answers; a 401 renews the token
    /// once.
    pub(crate) async fn get_page(&self, url: Url) -> Result<wire::ListPage, MdmError> {
        let on_retry = |(error, _): &(MdmError, Option<Duration>), retry: helpatwork_net::Retry| {
            tracing::warn!(
                code = %error.code(),
                retry = retry.number,
                delay = ?retry.delay,
                "Graph GET failed; retrying"
            );
        };
        helpatwork_net::retry_after(
            &self.inner.options.retry,
            |(error, _): &(MdmError, Option<Duration>)| {
                error.is_transient() || matches!(error, MdmError::MalformedResponse { .. })
            },
            |(_, wait): &(MdmError, Option<Duration>)| *wait,
            on_retry,
            || async {
                let body = self
                    .send(Method::GET, url.clone(), None, LIST_PERMISSIONS)
                    .await?;
                wire::parse_page(&body).map_err(|e| (e, None))
            },
        )
        .await
        .map_err(|(error, _)| error)
    }

    /// One request with the token; a 401 forgets the token and tries once more with a new one.
    async fn send(
        &self,
        method: Method,
        url: Url,
        body: Option<&serde_json::Value>,
        needs: &'static str,
    ) -> Result<Vec<u8>, (MdmError, Option<Duration>)> {
        let inner = &self.inner;
        let mut renewed = false;
        loop {
            let token: Sensitive<String> = inner
                .tokens
                .token(&inner.config, &inner.transport)
                .await
                .map_err(|e| (e, None))?;
            match inner
                .transport
                .send(
                    Auth::Bearer(&token),
                    method.clone(),
                    url.clone(),
                    body.map(|b| Body::Json(b.to_string().into_bytes())),
                )
                .await
            {
                Ok(reply) => return Ok(reply.body),
                Err(TransportError::Status { status: 401, .. }) if !renewed => {
                    inner.tokens.forget().await;
                    renewed = true;
                }
                Err(error) => {
                    let wait = match &error {
                        TransportError::Status { retry_after, .. } => *retry_after,
                        _ => None,
                    };
                    return Err((errors::from_graph(error, needs), wait));
                }
            }
        }
    }

    async fn sync_device(&self, device_id: &str) -> Result<(), MdmError> {
        let id = device_id.trim();
        if !is_guid(id) {
            // Intune ids are GUIDs: anything else is not a device of this MDM; nothing is sent.
            return Err(MdmError::DeviceNotFound {
                mdm: MDM,
                device_id: crate::error::tidy(device_id),
            });
        }
        let url = self
            .inner
            .config
            .graph(&format!("deviceManagement/managedDevices/{id}/syncDevice"))?;
        // An action: never re-sent after a failure (the first request may have arrived).
        match self.send(Method::POST, url, None, SYNC_PERMISSION).await {
            Ok(_) => Ok(()),
            Err((MdmError::NotFound { .. }, _)) => Err(MdmError::DeviceNotFound {
                mdm: MDM,
                device_id: id.to_owned(),
            }),
            Err((error, _)) => Err(error),
        }
    }
}

impl MdmConnector for IntuneConnector {
    fn name(&self) -> &'static str {
        MDM
    }

    /// Devices, the forced check-in (`syncDevice`), app distribution (a group per app and
    /// platform, [`distribution`]) and the session's managed app configuration (a group per
    /// device, [`delivery`]). Graph's device list reports no installed apps (docs/intune.md).
    fn capabilities(&self) -> Capabilities {
        Capabilities {
            list_devices: true,
            force_checkin: true,
            distribute_app: true,
            managed_app_config: true,
            app_inventory: false,
        }
    }

    /// Devices from `cursor`, `rows` clamped to 1..=1000 (`$top`).
    fn devices_page(&self, cursor: PageCursor, rows: u32) -> MdmFuture<'_, DevicePage> {
        let span = tracing::info_span!("intune_devices_page", start = cursor.offset(), rows);
        Box::pin(
            async move {
                let result = paging::page(self, cursor, rows.clamp(1, MAX_TOP)).await;
                if let Err(error) = &result {
                    tracing::warn!(code = %error.code(), %error, "Intune device list failed");
                }
                result
            }
            .instrument(span),
        )
    }

    fn force_checkin<'a>(&'a self, device_id: &'a str) -> MdmFuture<'a, ()> {
        let span =
            tracing::info_span!("intune_sync_device", device_id = %crate::error::tidy(device_id));
        Box::pin(
            async move {
                let result = self.sync_device(device_id).await;
                if let Err(error) = &result {
                    tracing::warn!(code = %error.code(), %error, "Intune syncDevice failed");
                }
                result
            }
            .instrument(span),
        )
    }

    /// A6 / A5 through the app's distribution group ([`distribution`]), then `syncDevice`.
    fn distribute<'a>(&'a self, device_id: &'a str, app: AppKind, on: bool) -> MdmFuture<'a, ()> {
        let span = tracing::info_span!(
            "intune_distribute",
            device_id = %crate::error::tidy(device_id),
            app = app.as_str(),
            on
        );
        Box::pin(
            async move {
                let result = self.distribute_app(device_id, app, on).await;
                if let Err(error) = &result {
                    tracing::warn!(code = %error.code(), %error, "Intune distribution failed");
                }
                result
            }
            .instrument(span),
        )
    }

    /// S4 through a product-owned group per device and app ([`delivery`]); `None` deletes
    /// them. Both end with `syncDevice`.
    fn set_app_config<'a>(
        &'a self,
        device_id: &'a str,
        app: AppKind,
        config: Option<&'a serde_json::Value>,
    ) -> MdmFuture<'a, ()> {
        let span = tracing::info_span!(
            "intune_app_config",
            device_id = %crate::error::tidy(device_id),
            app = app.as_str(),
            write = config.is_some()
        );
        Box::pin(
            async move {
                let result = match config {
                    Some(config) => self.deliver(device_id, app, config).await,
                    None => self.clear(device_id, app).await,
                };
                if let Err(error) = &result {
                    tracing::warn!(code = %error.code(), %error, "Intune app configuration failed");
                }
                result
            }
            .instrument(span),
        )
    }
}
