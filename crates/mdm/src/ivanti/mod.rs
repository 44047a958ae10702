//! The Ivanti Neurons for MDM (MobileIron Cloud) connector, over the documented REST API
//! [docs/reference/mdm-apis.md §2]: HTTP Basic as a Tenant Admin API user, the default device space discovered
//! from `GET /api/v1/tenant/partition/device`, device search with `rows` ≤ 500, and
//! `PUT /api/v1/device/forceCheckin`.
//!
//! The device search carries no installed apps: with CPS access configured (its own user with
//! the CPS role), each page's app inventory is read through the Common Platform Services API
//! ([`cps`]), and so are its device groups, the devices' labels ([`groups`]); without it the
//! apps and labels stay unknown, never empty.
//!
//! Not here, because Ivanti's public API documents no call for it [docs/reference/mdm-apis.md §2.6]:
//! distributing or un-distributing an app and writing a managed app configuration. Those
//! operations answer [`MdmError::Unsupported`] without a request, and
//! [`IvantiConnector::capabilities`] says so. Token authentication (needed once MFA is on for
//! the admin portal) is not here either: its flow is undocumented (§2.1).

mod config;
pub mod cps;
mod groups;
mod http;
mod wire;

use std::sync::Arc;

use chrono::{DateTime, Utc};
use helpatwork_domain::device::AppKind;
use reqwest::Method;
use tokio::sync::OnceCell;
use tracing::Instrument;
use url::Url;

pub use config::{
    parse_rate, CpsConfig, IvantiConfig, IvantiOptions, DEFAULT_CPS_CALLS_PER_MINUTE,
    ENV_CPS_PASSWORD, ENV_CPS_RATE, ENV_CPS_URL, ENV_CPS_USER, ENV_PARTITION, ENV_PASSWORD,
    ENV_URL, ENV_USER,
};
pub use wire::Partition;

use crate::connector::{Capabilities, DevicePage, MdmConnector, MdmFuture, PageCursor};
use crate::error::{MdmError, Operation};
use http::{Body, Transport};
use wire::Mapped;

/// The product name used in messages.
pub(crate) const MDM: &str = "Ivanti Neurons for MDM";

/// The largest `rows` Ivanti accepts; more is `400 … "must be between 1 and 500"` (§2.3).
pub const MAX_ROWS: u32 = 500;

/// The Ivanti Neurons for MDM connector. Cheap to clone; clones share the discovered space.
#[derive(Clone)]
pub struct IvantiConnector {
    inner: Arc<Inner>,
}

struct Inner {
    config: IvantiConfig,
    options: IvantiOptions,
    transport: Transport,
    /// The configured or discovered `dmPartitionId`; a failed discovery is not cached.
    partition: OnceCell<String>,
    /// The pace of CPS calls, shared by the pages read at once; `None` without CPS access.
    cps_pace: Option<cps::Pace>,
}

/// What a sync of the configured space would keep: `facetedResults.REGISTRATIONSTATE` of one
/// search.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FleetCounts {
    /// Every record the search matches.
    pub total: u64,
    /// `ACTIVE` records; `None` when the answer has no registration facets.
    pub active: Option<u64>,
    /// `RETIRED` and `RETIRE_PENDING` records: a sync marks them removed.
    pub retired: Option<u64>,
}

impl std::fmt::Debug for IvantiConnector {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("IvantiConnector")
            .field("config", &self.inner.config)
            .field("partition", &self.inner.partition.get())
            .finish_non_exhaustive()
    }
}

impl IvantiConnector {
    /// A connector with the default transport options.
    pub fn new(config: IvantiConfig) -> Result<Self, MdmError> {
        Self::with_options(config, IvantiOptions::default())
    }

    pub fn with_options(config: IvantiConfig, options: IvantiOptions) -> Result<Self, MdmError> {
        let transport = Transport::new(&options)?;
        let partition = match &config.partition {
            Some(id) => OnceCell::new_with(Some(id.clone())),
            None => OnceCell::new(),
        };
        let cps_pace = config
            .cps
            .as_ref()
            .map(|cps| cps::Pace::new(cps.calls_per_minute));
        Ok(Self {
            inner: Arc::new(Inner {
                config,
                options,
                transport,
                partition,
                cps_pace,
            }),
        })
    }

    /// Reads the configuration from `HELPATWORK_IVANTI_*` (see [`IvantiConfig::from_env`]).
    pub fn from_env() -> Result<Self, MdmError> {
        Self::new(IvantiConfig::from_env()?)
    }

    pub fn config(&self) -> &IvantiConfig {
        &self.inner.config
    }

    /// The tenant's device spaces. Also a cheap check of the URL and credentials.
    pub async fn partitions(&self) -> Result<Vec<Partition>, MdmError> {
        let body = self
            .get(self.inner.config.endpoint("tenant/partition/device")?)
            .await?;
        wire::parse_partitions(&body)
    }

    /// The `dmPartitionId` device calls use: the configured one, or the tenant's default
    /// space (`defaultPartition == true`), discovered once and then cached.
    pub async fn partition_id(&self) -> Result<String, MdmError> {
        self.inner
            .partition
            .get_or_try_init(|| async {
                let partitions = self.partitions().await?;
                let default = partitions.into_iter().find(|p| p.default).ok_or_else(|| {
                    MdmError::malformed(
                        MDM,
                        "no device space is marked defaultPartition; \
                         set HELPATWORK_IVANTI_PARTITION",
                    )
                })?;
                tracing::info!(partition = %default.id, name = %default.name, "Ivanti default device space");
                Ok(default.id)
            })
            .await
            .cloned()
    }

    /// `GET` with bounded retries on server errors, rate limits, timeouts and connection
    /// failures.
    async fn get(&self, url: Url) -> Result<Vec<u8>, MdmError> {
        let config = &self.inner.config;
        let transport = &self.inner.transport;
        let on_retry = |error: &MdmError, retry: helpatwork_net::Retry| {
            tracing::warn!(
                path = url.path(),
                code = %error.code(),
                retry = retry.number,
                delay = ?retry.delay,
                "Ivanti GET failed; retrying"
            );
        };
        helpatwork_net::retry(
            &self.inner.options.retry,
            MdmError::is_transient,
            on_retry,
            || {
                transport.send(
                    (&config.user, &config.password),
                    Method::GET,
                    url.clone(),
                    None,
                )
            },
        )
        .await
    }

    /// One page of the device search, as its answer's records and facets.
    async fn search_page(
        &self,
        cursor: PageCursor,
        rows: u32,
        since: Option<DateTime<Utc>>,
    ) -> Result<wire::SearchPage, MdmError> {
        let rows = rows.clamp(1, MAX_ROWS);
        let partition = self.partition_id().await?;
        let mut url = self.inner.config.endpoint("device")?;
        {
            let mut query = url.query_pairs_mut();
            query
                .append_pair("q", "")
                .append_pair("rows", &rows.to_string())
                .append_pair("start", &cursor.offset().to_string())
                .append_pair("dmPartitionId", &partition);
            if let Some(filter) = changed_filter(self.inner.options.filter.as_deref(), since) {
                query.append_pair("fq", &filter);
            }
        }
        let body = self.get(url).await?;
        wire::parse_search(&body)
    }

    /// How many devices a sync would keep and how many it would mark removed, from one
    /// one-row search's registration facets.
    pub async fn fleet_counts(&self) -> Result<FleetCounts, MdmError> {
        let page = self.search_page(PageCursor::START, 1, None).await?;
        let count = |wanted: &[&str]| {
            page.registration.as_ref().map(|states| {
                states
                    .iter()
                    .filter(|(s, _)| wanted.contains(&s.as_str()))
                    .map(|(_, n)| n)
                    .sum()
            })
        };
        Ok(FleetCounts {
            total: page.total,
            active: count(&["ACTIVE"]),
            retired: count(&["RETIRED", "RETIRE_PENDING"]),
        })
    }

    /// The app inventory of these devices (GUID, platform) through CPS, when configured.
    pub async fn app_inventory(
        &self,
        devices: &[(&str, helpatwork_domain::device::Platform)],
    ) -> Result<
        Option<std::collections::HashMap<String, Vec<helpatwork_domain::InstalledApp>>>,
        MdmError,
    > {
        let (Some(cps), Some(pace)) = (&self.inner.config.cps, &self.inner.cps_pace) else {
            return Ok(None);
        };
        cps::inventory(
            &self.inner.transport,
            cps,
            &self.inner.options.retry,
            pace,
            devices,
        )
        .await
        .map(Some)
        .map_err(|e| MdmError::Inventory {
            source: Box::new(e),
        })
    }

    /// The device groups (label names) of these devices by lower-case GUID through CPS, when
    /// configured; a device the answer does not name is left out (its labels stay unknown).
    pub async fn device_groups(
        &self,
        guids: &[&str],
    ) -> Result<Option<std::collections::HashMap<String, Vec<String>>>, MdmError> {
        let (Some(cps), Some(pace)) = (&self.inner.config.cps, &self.inner.cps_pace) else {
            return Ok(None);
        };
        groups::device_groups(
            &self.inner.transport,
            cps,
            &self.inner.options.retry,
            pace,
            guids,
        )
        .await
        .map(Some)
        .map_err(|e| MdmError::DeviceGroups {
            source: Box::new(e),
        })
    }

    async fn search(
        &self,
        cursor: PageCursor,
        rows: u32,
        since: Option<DateTime<Utc>>,
    ) -> Result<DevicePage, MdmError> {
        let page = self.search_page(cursor, rows, since).await?;
        let returned = u32::try_from(page.records.len()).unwrap_or(u32::MAX);
        let mut out = DevicePage {
            devices: Vec::with_capacity(page.records.len()),
            removed: Vec::new(),
            skipped: Vec::new(),
            total: u32::try_from(page.total).unwrap_or(u32::MAX),
            next: None,
            inventory_error: None,
            labels_error: None,
        };
        let inventory = self.inner.config.cps.is_some();
        let mut guids: Vec<(usize, String)> = Vec::new();
        for record in &page.records {
            match wire::map_record(record, inventory) {
                Mapped::Device(device, guid) => {
                    if let Some(mut guid) = guid {
                        guid.make_ascii_lowercase();
                        guids.push((out.devices.len(), guid));
                    }
                    out.devices.push(*device);
                }
                Mapped::Removed(id) => out.removed.push(id),
                Mapped::Skipped(skipped) => {
                    tracing::warn!(id = ?skipped.id, reason = %skipped.reason, "Ivanti record skipped");
                    out.skipped.push(skipped);
                }
            }
        }
        // The reference pages by adding `rows` to `start` until `start >= totalCount`. This
        // advances by the records actually returned — the same on full pages — so a server
        // that answers fewer rows than asked (§2.3: some lists cap at 50) skips nothing, and an
        // empty page ends the paging instead of looping.
        let next = cursor.offset().saturating_add(returned);
        if returned > 0 && u64::from(next) < page.total {
            out.next = Some(PageCursor(next));
        }
        if !guids.is_empty() {
            let asked: Vec<(&str, helpatwork_domain::device::Platform)> = guids
                .iter()
                .map(|(i, g)| (g.as_str(), out.devices[*i].platform))
                .collect();
            match self.app_inventory(&asked).await {
                Ok(None) => {}
                Ok(Some(mut inventory)) => {
                    for (i, guid) in &guids {
                        if let Some(apps) = inventory.remove(guid) {
                            out.devices[*i].apps = Some(apps);
                        }
                    }
                }
                Err(error) => {
                    // The devices stay as the search gave them: apps unknown.
                    tracing::warn!(code = %error.code(), %error, "Ivanti app inventory failed");
                    out.inventory_error = Some(error);
                }
            }
            // The labels: one more batched call per page, at the same pace.
            let asked: Vec<&str> = guids.iter().map(|(_, g)| g.as_str()).collect();
            match self.device_groups(&asked).await {
                Ok(None) => {}
                Ok(Some(mut groups)) => {
                    for (i, guid) in &guids {
                        if let Some(names) = groups.remove(guid) {
                            out.devices[*i].labels = Some(names);
                        }
                    }
                }
                Err(error) => {
                    // Refused (e.g. 403) or unreadable: the labels stay unknown, never "none".
                    tracing::warn!(code = %error.code(), %error, "Ivanti device groups failed");
                    out.labels_error = Some(error);
                }
            }
        }
        Ok(out)
    }

    async fn checkin(&self, device_id: &str) -> Result<(), MdmError> {
        let Some(id) = device_id_for_request(device_id) else {
            return Err(MdmError::DeviceNotFound {
                mdm: MDM,
                device_id: crate::error::tidy(device_id),
            });
        };
        let body = url::form_urlencoded::Serializer::new(String::new())
            .append_pair("ids", id)
            .finish();
        let url = self.inner.config.endpoint("device/forceCheckin")?;
        // Never retried: the first request may have reached Ivanti.
        let config = &self.inner.config;
        let reply = self
            .inner
            .transport
            .send(
                (&config.user, &config.password),
                Method::PUT,
                url,
                Some(Body::Form(body)),
            )
            .await?;
        match wire::parse_action_count(&reply)? {
            0 => Err(MdmError::DeviceNotFound {
                mdm: MDM,
                device_id: id.to_owned(),
            }),
            _ => Ok(()),
        }
    }
}

/// The search's `fq`: the configured filter, and with `since` only the devices whose last
/// check-in is later, `lastCheckin>EPOCH_MS` (the device record's `lastCheckin` field, epoch
/// milliseconds [docs/reference/mdm-apis.md §2.4]; the `>` comparison of the device search
/// [§2.3, "Searching for devices efficiently"]). Both are joined by `and`, as the documented
/// examples join terms.
pub(crate) fn changed_filter(
    configured: Option<&str>,
    since: Option<DateTime<Utc>>,
) -> Option<String> {
    let changed = since.map(|t| format!("{CHANGED_FIELD}>{}", t.timestamp_millis()));
    match (configured.filter(|f| !f.trim().is_empty()), changed) {
        (None, None) => None,
        (Some(f), None) => Some(f.to_owned()),
        (None, Some(c)) => Some(c),
        (Some(f), Some(c)) => Some(format!("{f} and {c}")),
    }
}

/// The device field an incremental sync filters on: the last check-in, epoch milliseconds.
pub const CHANGED_FIELD: &str = "lastCheckin";

/// Ivanti ids are numbers or GUIDs; anything else cannot be a device of this MDM, so no
/// request is sent for it.
fn device_id_for_request(device_id: &str) -> Option<&str> {
    let id = device_id.trim();
    let valid = !id.is_empty()
        && id.len() <= 128
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
    valid.then_some(id)
}

impl MdmConnector for IvantiConnector {
    fn name(&self) -> &'static str {
        MDM
    }

    /// Devices and force check-in; the app inventory with CPS access. The public API documents
    /// no call to distribute apps or write managed app configuration [docs/reference/mdm-apis.md §2.6].
    fn capabilities(&self) -> Capabilities {
        Capabilities {
            list_devices: true,
            force_checkin: true,
            distribute_app: false,
            managed_app_config: false,
            app_inventory: self.inner.config.cps.is_some(),
        }
    }

    /// Devices of the space, `rows` clamped to 1..=500. `host_activated` is unknown (Ivanti
    /// reports no TeamViewer Host activation); `apps` are unknown unless CPS access is
    /// configured, then read for the page's devices (a failure leaves them unknown and says so
    /// in [`DevicePage::inventory_error`]); so are `labels`, from the devices' groups (a
    /// failure: [`DevicePage::labels_error`]).
    fn devices_page(&self, cursor: PageCursor, rows: u32) -> MdmFuture<'_, DevicePage> {
        let span = tracing::info_span!("ivanti_devices_page", start = cursor.offset(), rows);
        Box::pin(
            async move {
                let result = self.search(cursor, rows, None).await;
                if let Err(error) = &result {
                    tracing::warn!(code = %error.code(), %error, "Ivanti device search failed");
                }
                result
            }
            .instrument(span),
        )
    }

    /// The device search's `fq` reads only the devices that checked in after a time.
    fn supports_changed_since(&self) -> bool {
        true
    }

    /// Devices whose `lastCheckin` is after `since` (see [`changed_filter`]); a device retired
    /// since then is listed as removed when its record changed with it.
    fn changed_page(
        &self,
        since: DateTime<Utc>,
        cursor: PageCursor,
        rows: u32,
    ) -> MdmFuture<'_, DevicePage> {
        let span = tracing::info_span!("ivanti_changed_page", start = cursor.offset(), rows, since = %since);
        Box::pin(
            async move {
                let result = self.search(cursor, rows, Some(since)).await;
                if let Err(error) = &result {
                    tracing::warn!(code = %error.code(), %error, "Ivanti device search failed");
                }
                result
            }
            .instrument(span),
        )
    }

    fn force_checkin<'a>(&'a self, device_id: &'a str) -> MdmFuture<'a, ()> {
        let span =
            tracing::info_span!("ivanti_force_checkin", device_id = %crate::error::tidy(device_id));
        Box::pin(
            async move {
                let result = self.checkin(device_id).await;
                if let Err(error) = &result {
                    tracing::warn!(code = %error.code(), %error, "Ivanti force check-in failed");
                }
                result
            }
            .instrument(span),
        )
    }

    fn distribute<'a>(
        &'a self,
        _device_id: &'a str,
        _app: AppKind,
        _on: bool,
    ) -> MdmFuture<'a, ()> {
        Box::pin(async {
            Err(MdmError::Unsupported {
                mdm: MDM,
                operation: Operation::DistributeApp,
            })
        })
    }

    fn set_app_config<'a>(
        &'a self,
        _device_id: &'a str,
        _app: AppKind,
        _config: Option<&'a serde_json::Value>,
    ) -> MdmFuture<'a, ()> {
        Box::pin(async {
            Err(MdmError::Unsupported {
                mdm: MDM,
                operation: Operation::ManagedAppConfig,
            })
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn device_ids_are_checked_before_a_request() {
        assert_eq!(device_id_for_request(" 1000000 "), Some("1000000"));
        assert_eq!(
            device_id_for_request("02fdc9d7-0000-0000-0000-1b3d96158fb9"),
            Some("02fdc9d7-0000-0000-0000-1b3d96158fb9")
        );
        for bad in ["", "1&ids=2", "a b", "x\ny", &"9".repeat(200)] {
            assert_eq!(device_id_for_request(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn debug_never_shows_the_password() {
        let config = IvantiConfig::new("https://na1.mobileiron.com", "api@t", "pw-123".into())
            .expect("config");
        let connector = IvantiConnector::new(config).expect("connector");
        let debug = format!("{connector:?}");
        assert!(!debug.contains("pw-123"), "{debug}");
    }
}
