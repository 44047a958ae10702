//! Help@Work services: what the CLI and the window both do.
//!
//! Each service takes an [`AppContext`] (store, language, identity, data dir) so it runs the same
//! from the `helpatwork` binary, from a Tauri command and from a test over a temp database.
//! Errors leave as [`AppError`]: a stable code, a sentence and a fix.
//! What is deliberately not here: Tauri, terminal output, argument parsing.

pub mod actor;
pub mod admin;
pub mod agents;
pub mod audit;
pub mod audit_verify;
pub mod auth;
pub mod clock;
pub mod connection;
pub mod context;
pub mod demo;
pub mod demo_sandbox;
pub mod devices;
pub mod display;
pub mod distribution;
pub mod doctor;
mod doctor_sync;
pub mod dto;
pub mod embedded;
pub mod error;
pub mod eula;
pub mod facts;
pub mod links;
pub mod open;
pub mod paths;
pub mod policy;
pub mod readiness;
pub mod readiness_fix;
pub mod safe_file;
pub mod session;
pub mod settings;
pub mod settings_file;
pub mod siem;
pub mod surface;
pub mod sync;
mod sync_lease;
pub mod sync_plan;
pub mod sync_schedule;
pub mod teamviewer;

// The session flows live under `session/`; these names stay for the CLI, the shell and tests.
pub use context::{AppContext, ContextOptions};
pub use error::{AppError, ErrorCode};
pub use helpatwork_store as store;
pub use session::{armed, handover, lifecycle, requests, unattended};
pub use surface::Surface;
