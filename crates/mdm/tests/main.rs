//! Integration tests of `helpatwork-mdm`: the Ivanti connector against the fake Ivanti service,
//! the Intune connector against the fake Graph (devices, the session delivery, distribution).
//! One binary; each topic is a module (`tests/<topic>.rs`), shared helpers in `support.rs`.

mod actions;
mod errors;
mod faults;
mod intune;
mod intune_delivery;
mod intune_distribution;
mod inventory;
mod labels;
mod mapping;
mod paging;
mod partitions;
mod support;
