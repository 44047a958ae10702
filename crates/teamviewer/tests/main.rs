//! Integration tests of `helpatwork-teamviewer` against `helpatwork-teamviewer-sandbox`.
//! One binary; each topic is a module (`tests/<topic>.rs`), shared helpers in `support.rs`.

mod devices;
mod errors;
mod faults;
mod no_leaks;
mod oauth;
mod retries;
mod secrets;
mod sessions;
mod support;
mod tokens;
