//! `devices import` of a CSV fleet file: never panics; what it accepts survives an export.
#![no_main]

use helpatwork_domain::fleet;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(devices) = fleet::parse_csv(data) {
        check_round_trip(&devices);
    }
});

/// Devices read from a file are written by `to_csv` and read back unchanged.
fn check_round_trip(devices: &[helpatwork_domain::Device]) {
    let csv = fleet::to_csv(devices).expect("accepted devices can be written as CSV");
    let again = fleet::parse_csv(csv.as_bytes()).expect("the written CSV is read back");
    assert_eq!(
        devices,
        again.as_slice(),
        "the CSV round trip changed the devices"
    );
}
