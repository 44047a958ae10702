//! The one generator of made-up fleets.
//!
//! What is here: [`Fleet`], a deterministic mixed fleet of any size (the labelled demo's, with
//! [`Profile::Demo`]; an organisation's as an MDM reports it, with [`Profile::Organisation`]: the
//! fake Ivanti renders its device records from it); [`ready`], alike devices that pass every
//! device-side check (benchmarks of a start, races, crashes); [`file`], fleet files of either, in
//! the documented JSON or CSV shape, written as the devices come (the `fleet-file` benchmark
//! program writes the benchmarks' input with it).
//!
//! What is deliberately not here: any product rule (the devices are checked by
//! `helpatwork-domain` like any other), any MDM's wire format (the fake Ivanti renders its own),
//! randomness that is not seeded.

mod catalog;
pub mod file;
mod mixed;
mod ready;

pub use catalog::{ascii_fold, models, Model, FIRST_NAMES, LAST_NAMES};
pub use mixed::{Devices, Fleet, Profile, DEMO_FLEET_SIZE, DEMO_SEED};
pub use ready::{ready, ready_checkin, ready_id};
