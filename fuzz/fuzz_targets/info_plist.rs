//! The macOS client's `Info.plist` (XML or binary): a version or an error, never a panic.
#![no_main]

use helpatwork_desktop::parse_info_plist;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(found) = parse_info_plist(data) {
        let _ = found.version.to_string();
    }
});
