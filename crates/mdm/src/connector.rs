//! The connector trait every MDM implements, and the paging helper built on it.

use std::collections::HashMap;
use std::future::Future;
use std::pin::Pin;

use chrono::{DateTime, Utc};
use helpatwork_domain::device::{AppKind, Device};
use serde::Serialize;

use crate::error::{MdmError, Operation};

/// The boxed future connector methods return. Boxing keeps [`MdmConnector`] object safe
/// (`Arc<dyn MdmConnector>`) without an extra macro crate.
pub type MdmFuture<'a, T> = Pin<Box<dyn Future<Output = Result<T, MdmError>> + Send + 'a>>;

/// What a connector really supports. A `false` operation answers
/// [`MdmError::Unsupported`] without contacting the MDM.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub struct Capabilities {
    pub list_devices: bool,
    pub force_checkin: bool,
    pub distribute_app: bool,
    pub managed_app_config: bool,
    /// The devices' installed apps are known (otherwise they are reported unknown).
    pub app_inventory: bool,
}

impl Capabilities {
    pub fn supports(&self, operation: Operation) -> bool {
        match operation {
            Operation::ListDevices => self.list_devices,
            Operation::ForceCheckin => self.force_checkin,
            Operation::DistributeApp => self.distribute_app,
            Operation::ManagedAppConfig => self.managed_app_config,
        }
    }
}

/// Where a page starts: the offset of its first record in the MDM's result list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize)]
pub struct PageCursor(pub u32);

impl PageCursor {
    /// The first page.
    pub const START: PageCursor = PageCursor(0);

    pub fn offset(self) -> u32 {
        self.0
    }
}

/// A record of the MDM that could not become a [`Device`] (e.g. no id or never checked in).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SkippedRecord {
    /// The record's id when it had one.
    pub id: Option<String>,
    /// Why it was skipped, for logs and the sync report.
    pub reason: String,
}

/// One page of the MDM's device list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DevicePage {
    /// Devices in the MDM's order.
    pub devices: Vec<Device>,
    /// Ids of records on this page that are no longer managed (Ivanti: `RETIRED`,
    /// `RETIRE_PENDING`); a sync removes them from the local list.
    pub removed: Vec<String>,
    /// Records that could not be mapped.
    pub skipped: Vec<SkippedRecord>,
    /// Records the MDM matched in total (all pages, removed ones included).
    pub total: u32,
    /// The next page, or `None` after the last one.
    pub next: Option<PageCursor>,
    /// The page's app inventory could not be read: its devices' apps stay unknown.
    pub inventory_error: Option<MdmError>,
    /// The page's device groups (labels) could not be read: its devices' labels stay unknown.
    pub labels_error: Option<MdmError>,
}

/// An MDM the app reads devices from and acts on.
///
/// Implementations are `Send + Sync` and object safe; methods return boxed futures
/// ([`MdmFuture`]). Implement one as
/// `fn force_checkin<'a>(&'a self, id: &'a str) -> MdmFuture<'a, ()> { Box::pin(async move { … }) }`.
pub trait MdmConnector: Send + Sync {
    /// The MDM's product name, as used in messages (e.g. "Ivanti Neurons for MDM").
    fn name(&self) -> &'static str;

    /// What this connector really supports.
    fn capabilities(&self) -> Capabilities;

    /// One page of devices starting at `cursor`, at most `rows` records (connectors clamp
    /// `rows` to what their MDM accepts; `0` counts as `1`).
    fn devices_page(&self, cursor: PageCursor, rows: u32) -> MdmFuture<'_, DevicePage>;

    /// Asks the device to check in with the MDM now.
    fn force_checkin<'a>(&'a self, device_id: &'a str) -> MdmFuture<'a, ()>;

    /// Distributes (`on`) or un-distributes an app to one device.
    fn distribute<'a>(&'a self, device_id: &'a str, app: AppKind, on: bool) -> MdmFuture<'a, ()>;

    /// Writes (`Some`) or clears (`None`) the managed app configuration of `app` on one device.
    fn set_app_config<'a>(
        &'a self,
        device_id: &'a str,
        app: AppKind,
        config: Option<&'a serde_json::Value>,
    ) -> MdmFuture<'a, ()>;

    /// Whether [`Self::changed_page`] reads only the devices changed since a time (an
    /// incremental sync). The default is `false`: the caller then runs a full sync.
    fn supports_changed_since(&self) -> bool {
        false
    }

    /// One page of the devices that changed (checked in, or were modified) after `since`, as
    /// the MDM's own documented filter finds them; paged like [`Self::devices_page`]. Devices
    /// deleted from the MDM are not listed: only a full sync finds those.
    ///
    /// The default answers [`MdmError::Unsupported`] without contacting the MDM, and
    /// [`Self::supports_changed_since`] says `false`, so the caller falls back to a full sync.
    fn changed_page(
        &self,
        since: DateTime<Utc>,
        cursor: PageCursor,
        rows: u32,
    ) -> MdmFuture<'_, DevicePage> {
        let _ = (since, cursor, rows);
        let mdm = self.name();
        Box::pin(async move {
            Err(MdmError::Unsupported {
                mdm,
                operation: Operation::ListDevices,
            })
        })
    }
}

/// The whole device list of an MDM, read page by page.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct FleetSnapshot {
    /// Every managed device once (a device seen twice while paging keeps its last record).
    pub devices: Vec<Device>,
    /// Ids of devices that are no longer managed.
    pub removed: Vec<String>,
    pub skipped: Vec<SkippedRecord>,
    /// Pages read.
    pub pages: u32,
}

/// Progress of [`collect_fleet`] after each page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FleetProgress {
    /// Records read so far (devices, removed and skipped).
    pub read: u32,
    /// Records the MDM reported in total.
    pub total: u32,
}

/// Upper bound of pages followed: a loop guard against an MDM whose paging never ends.
const MAX_PAGES: u32 = 100_000;

/// Reads every page of `connector` with `rows` records per page.
pub async fn collect_fleet<C>(
    connector: &C,
    rows: u32,
    mut progress: impl FnMut(FleetProgress),
) -> Result<FleetSnapshot, MdmError>
where
    C: MdmConnector + ?Sized,
{
    let mut snapshot = FleetSnapshot::default();
    let mut index: HashMap<String, usize> = HashMap::new();
    let mut removed_seen = std::collections::HashSet::new();
    let mut cursor = PageCursor::START;
    let mut read = 0u32;
    loop {
        let page = connector.devices_page(cursor, rows).await?;
        snapshot.pages += 1;
        let on_page = page.devices.len() + page.removed.len() + page.skipped.len();
        read = read.saturating_add(u32::try_from(on_page).unwrap_or(u32::MAX));
        for device in page.devices {
            match index.get(&device.id) {
                Some(&at) => snapshot.devices[at] = device,
                None => {
                    index.insert(device.id.clone(), snapshot.devices.len());
                    snapshot.devices.push(device);
                }
            }
        }
        for id in page.removed {
            if removed_seen.insert(id.clone()) {
                snapshot.removed.push(id);
            }
        }
        snapshot.skipped.extend(page.skipped);
        progress(FleetProgress {
            read,
            total: page.total,
        });
        match page.next {
            None => break,
            Some(next) if next <= cursor => {
                return Err(MdmError::malformed(
                    connector.name(),
                    format!("paging did not advance (from {} to {})", cursor.0, next.0),
                ));
            }
            Some(_) if snapshot.pages >= MAX_PAGES => {
                return Err(MdmError::malformed(
                    connector.name(),
                    format!("more than {MAX_PAGES} pages"),
                ));
            }
            Some(next) => cursor = next,
        }
    }
    // A device that came back (removed earlier, listed later) counts as managed.
    snapshot
        .removed
        .retain(|id| !index.contains_key(id.as_str()));
    Ok(snapshot)
}
