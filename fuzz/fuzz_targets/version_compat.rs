//! Versions and the S11 compatibility table: parsing never panics, a parsed version prints and
//! parses back to itself, and a check agrees with the minimum it reports.
//!
//! Input: line 1 the desktop version, line 2 the device app version, the rest (when present) a
//! compatibility table override file.
#![no_main]

use helpatwork_domain::compat::{CompatTable, Compatibility};
use helpatwork_domain::{AppKind, Version};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let mut parts = text.splitn(3, '\n');
    let desktop = parts.next().map(parse_and_round_trip);
    let device = parts.next().map(parse_and_round_trip);
    let table = match parts.next() {
        Some(json) if !json.trim().is_empty() => match CompatTable::from_json(json) {
            Ok(table) => table,
            Err(error) => {
                let _ = error.to_string();
                return;
            }
        },
        _ => CompatTable::default(),
    };
    let (Some(Some(desktop)), Some(Some(device))) = (desktop, device) else {
        return;
    };
    for kind in AppKind::ALL {
        let minimum = table.minimum_desktop(kind, &device);
        match table.check(&desktop, kind, &device) {
            Compatibility::TooOld { minimum: reported } => {
                assert_eq!(Some(reported), minimum);
                assert!(desktop < reported);
            }
            Compatibility::Compatible => {
                assert!(minimum.is_none_or(|m| desktop >= m));
            }
        }
    }
    let _ = helpatwork_domain::compat::desktop_advisories(&desktop);
});

fn parse_and_round_trip(text: &str) -> Option<Version> {
    let version = Version::parse(text).ok()?;
    let again = Version::parse(&version.to_string()).expect("a printed version parses");
    assert_eq!(version, again);
    assert_eq!(version.cmp(&again), std::cmp::Ordering::Equal);
    Some(version)
}
