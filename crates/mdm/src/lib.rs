//! MDM connectors for Help@Work Desk.
//!
//! What is here: the [`MdmConnector`] trait the app reads devices from and acts on (device
//! pages, force check-in, app distribution, managed app configuration) with honest
//! [`Capabilities`]; [`IvantiConnector`], a client of the documented Ivanti Neurons for MDM
//! REST API (`docs/reference/mdm-apis.md` §2), and [`IntuneConnector`], a client of Microsoft
//! Graph's Intune device calls (§6.5, `docs/intune.md`), with typed errors (`code()` + `fix()`),
//! bounded retries for reads and capped, validated responses; [`collect_fleet`], which pages
//! through a whole fleet. The fake Ivanti service the tests and benchmarks run against is
//! `helpatwork-ivanti-fake`, outside the product.
//!
//! What is deliberately not here: no Tauri, no UI, no database. The embedded fleet (devices
//! imported into the store) lives with the store and the app services; syncing pages into the
//! store, preflight rules and the session flow live in `helpatwork-app` and
//! `helpatwork-domain`. Nothing here calls an undocumented Ivanti endpoint: app distribution
//! and managed app configuration answer `unsupported` for Ivanti (§2.6), and the session flow
//! hands the device user the end-customer link instead (Intune writes the configuration through
//! a product-owned group per device, docs/intune.md); the installed apps come from the CPS
//! API's documented app inventory when it is configured, and are unknown otherwise. The API
//! users' passwords are wrapped in [`Sensitive`] and never reach logs, errors or Debug output.

mod connector;
mod error;
pub mod intune;
pub mod ivanti;

pub use connector::{
    collect_fleet, Capabilities, DevicePage, FleetProgress, FleetSnapshot, MdmConnector, MdmFuture,
    PageCursor, SkippedRecord,
};
pub use error::{ErrorCode, MdmError, Operation};
/// The shared secret wrapper and retry bounds (`crates/net`), re-exported for this connector's users.
pub use helpatwork_net::{RetryPolicy, Sensitive};
pub use intune::{IntuneConfig, IntuneConnector, IntuneOptions};
pub use ivanti::{CpsConfig, FleetCounts, IvantiConfig, IvantiConnector, IvantiOptions, Partition};
