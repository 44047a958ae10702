//! The `helpatwork` CLI, end to end: the built binary in a temp data dir.

mod admin;
mod audit_chain;
mod audit_settings;
mod auth;
mod bad_input;
mod concurrency;
mod concurrent_sync;
mod crash;
mod demo;
mod devices;
mod faults;
mod hardening;
mod hardening_faults;
mod help_flows;
mod ivanti_facts;
mod lifecycle;
mod newcomer;
mod policies;
mod readiness;
mod secrets;
mod session;
mod siem;
mod start;
mod sync;
