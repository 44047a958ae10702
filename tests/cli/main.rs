//! The `helpatwork` CLI, end to end: the built binary in a temp data dir.

mod devices;
mod session;
mod auth;
mod start;
