//! The Linux client's `global.conf`: any bytes give entries or an error, never a panic.
#![no_main]

use helpatwork_desktop::parse_global_conf;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(conf) = parse_global_conf(data) else {
        return;
    };
    for (_, value) in conf.entries() {
        let _ = value.strings();
        let _ = value.int();
    }
    if let Ok(version) = conf.version() {
        let _ = version.to_string();
    }
});
