//! Help@Work product rules, pure and synchronous.
//!
//! What is here: the device model (with the facts a source may not know, `facts`), the L2
//! eligibility rule, readiness, version parsing and the fleet file formats (JSON, CSV). Every rule cites its id from the product spec.
//! What is deliberately not here: IO, async, persistence, HTTP, Tauri.

pub mod admin;
pub mod armed;
pub mod coaching;
pub mod compat;
pub mod desktop;
pub mod device;
pub mod eligibility;
pub mod facts;
pub mod fleet;
pub mod ident;
pub mod labels;
pub mod lang;
pub mod locale;
pub mod policy;
pub mod preflight;
pub mod readiness;
pub mod rules;
pub mod session;
pub mod version;

pub use device::{
    AppKind, Device, DeviceUser, InstalledApp, ManagementFacts, Mode, Ownership, Platform,
    ONLINE_WINDOW,
};
pub use eligibility::{
    Check, CheckStatus, Circumstances, Delivery, Finding, ModeEligibility, Readiness, RemoteAction,
    RemoteActionKind, Reporter,
};
pub use lang::Lang;
pub use rules::RuleId;
pub use session::{SessionDelivery, SessionState};
pub use version::Version;
