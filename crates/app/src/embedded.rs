//! The embedded fleet as an MDM connector: the devices imported into the store (or reported by
//! `devices report`) are the fleet, and the store is where app distribution and managed app
//! configuration land. It is the default connector, so the session flow and the admin pages
//! go through one trait whichever MDM holds the devices.

use helpatwork_domain::device::AppKind;
use helpatwork_mdm::{
    Capabilities, DevicePage, MdmConnector, MdmError, MdmFuture, Operation, PageCursor,
};
use helpatwork_store::{Store, StoreError};

use crate::clock::Clock;

/// The connector's name in messages.
pub const NAME: &str = "Embedded fleet";

/// The most records one page holds (the same bound as Ivanti's `rows`).
const MAX_ROWS: u32 = 500;

/// The fleet kept in the app's own store.
#[derive(Debug, Clone)]
pub struct EmbeddedFleet {
    store: Store,
    clock: Clock,
    /// Who distributions are recorded for.
    actor: String,
}

impl EmbeddedFleet {
    pub fn new(store: Store, clock: Clock, actor: impl Into<String>) -> Self {
        Self {
            store,
            clock,
            actor: actor.into(),
        }
    }
}

fn storage(e: StoreError) -> MdmError {
    MdmError::Storage {
        mdm: NAME,
        detail: e.to_string(),
    }
}

fn unknown(device_id: &str) -> MdmError {
    MdmError::DeviceNotFound {
        mdm: NAME,
        device_id: device_id.to_string(),
    }
}

impl MdmConnector for EmbeddedFleet {
    fn name(&self) -> &'static str {
        NAME
    }

    /// Devices, distribution and configuration live in the store; there is no channel to the
    /// devices themselves, so a check-in cannot be forced (a device's state arrives with an
    /// import or `devices report`).
    fn capabilities(&self) -> Capabilities {
        Capabilities {
            list_devices: true,
            force_checkin: false,
            distribute_app: true,
            managed_app_config: true,
            // The fleet file states the apps (or says they are unknown).
            app_inventory: true,
        }
    }

    fn devices_page(&self, cursor: PageCursor, rows: u32) -> MdmFuture<'_, DevicePage> {
        Box::pin(async move {
            let rows = rows.clamp(1, MAX_ROWS);
            let page = self
                .store
                .fleet_page(cursor.offset(), rows)
                .await
                .map_err(storage)?;
            let end = cursor.offset().saturating_add(rows);
            Ok(DevicePage {
                devices: page.devices,
                removed: page.removed,
                skipped: Vec::new(),
                total: page.total,
                next: (end < page.total).then_some(PageCursor(end)),
                inventory_error: None,
                labels_error: None,
            })
        })
    }

    fn force_checkin<'a>(&'a self, _device_id: &'a str) -> MdmFuture<'a, ()> {
        Box::pin(async move {
            Err(MdmError::Unsupported {
                mdm: NAME,
                operation: Operation::ForceCheckin,
            })
        })
    }

    fn distribute<'a>(&'a self, device_id: &'a str, app: AppKind, on: bool) -> MdmFuture<'a, ()> {
        Box::pin(async move {
            let found = self
                .store
                .distribute_to_device(device_id, app.as_str(), on, &self.actor, self.clock.now())
                .await
                .map_err(storage)?;
            if found {
                Ok(())
            } else {
                Err(unknown(device_id))
            }
        })
    }

    fn set_app_config<'a>(
        &'a self,
        device_id: &'a str,
        app: AppKind,
        config: Option<&'a serde_json::Value>,
    ) -> MdmFuture<'a, ()> {
        Box::pin(async move {
            let found = self
                .store
                .write_app_config(device_id, app.as_str(), config, self.clock.now())
                .await
                .map_err(storage)?;
            if found {
                Ok(())
            } else {
                Err(unknown(device_id))
            }
        })
    }
}
