//! The `helpatwork` CLI, end to end: the built binary in a temp data dir.

mod admin;
mod audit_settings;
mod bad_input;
mod auth;
mod concurrency;
mod concurrent_sync;
mod crash;
mod devices;
mod faults;
mod session;
mod start;
mod sync;
